"""Scores, double entry and results (002 §25; RULES.md "Scoring and publicity", "Levels and parts").

A :data:`ScoreMark` is what one part of one candidate's assessment records: a score out of 100 with at most
one decimal place, as a :class:`~decimal.Decimal` (``Decimal("85")``, ``Decimal("85.5")``; trailing zeros
dropped, so ``85.50`` is ``Decimal("85.5")``), or one of the codes :data:`ABSENT` (缺考) and
:data:`MISCONDUCT` (违纪). :func:`parse_score` reads every form people write; :func:`mark_to_text` and
:func:`mark_from_text` are the stored form (``"85.5"``, ``"absent"``, ``"misconduct"``, as in
``score_entry.mark``); :func:`mark_label` is the printed form (``85.5``, ``缺考``, ``违纪``).

Double entry (双人录入): two clerks enter the same scores independently; :func:`reconcile` compares the two
entries and lists every disagreement and every score one clerk entered and the other did not. Nothing is
agreed by default: a mismatch is settled by a person, with a reason, in the services.

A candidate passes when every part the standard requires for the level is at or above its pass mark
(RULES.md *standard*, :class:`~jlexam.domain.standards.PartRule`); 缺考 or 违纪 in any part means not passed.
:func:`result` gives no verdict (``passed is None``) while any required part has no mark yet.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TypeAlias, TypeVar

from jlexam.domain._text import compact_half_width
from jlexam.domain.standards import FULL_MARKS, ExamPart, PartRule
from jlexam.errors import ValidationError

RULE = "002 §25"
K = TypeVar("K", bound=Hashable)


class MarkCode(StrEnum):
    """A part with no score: the candidate did not sit it, or the sitting was voided for misconduct."""

    ABSENT = "absent"
    MISCONDUCT = "misconduct"

    @property
    def label(self) -> str:
        return _CODE_LABELS[self]


_CODE_LABELS = {MarkCode.ABSENT: "缺考", MarkCode.MISCONDUCT: "违纪"}

ABSENT = MarkCode.ABSENT
MISCONDUCT = MarkCode.MISCONDUCT

ScoreMark: TypeAlias = Decimal | MarkCode

ZERO = Decimal(0)
ONE_PLACE = Decimal("0.1")

# Everything a clerk writes for a code, compared after removing spaces and making it half-width, lower case.
_CODE_WORDS: dict[str, MarkCode] = {
    "缺考": ABSENT,
    "缺": ABSENT,
    "absent": ABSENT,
    "违纪": MISCONDUCT,
    "misconduct": MISCONDUCT,
}
ACCEPTED_FORMS = "阿拉伯数字 0 至 100（最多一位小数，如 85 或 85.5），缺考填“缺考”，违纪填“违纪”"

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_CHINESE_NUMERALS = re.compile(r"[零〇一二两三四五六七八九十百点]+分?")
_POINTS = re.compile(r"分$")


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _unrecognised(value: object) -> ValidationError:
    text = _shown(value)
    if not text:
        return ValidationError(f"成绩未填写：请填写{ACCEPTED_FORMS}。", rule=RULE)
    if _CHINESE_NUMERALS.fullmatch(compact_half_width(text)):
        return ValidationError(f"成绩“{text}”是汉字数字：请改用阿拉伯数字填写，如 80 或 85.5。", rule=RULE)
    return ValidationError(f"成绩“{text}”无法识别：请填写{ACCEPTED_FORMS}。", rule=RULE)


def _checked(number: Decimal, shown: object) -> Decimal:
    """A finite number in 0..100 with at most one significant decimal place, normalised."""
    text = _shown(shown)
    if not number.is_finite():
        raise _unrecognised(shown)
    if not ZERO <= number <= FULL_MARKS:
        raise ValidationError(
            f"成绩“{text}”超出范围：成绩为百分制，应在 0 至 100 之间，请核对原始评分记录。", rule=RULE
        )
    rounded = number.quantize(ONE_PLACE)
    if rounded != number:
        raise ValidationError(
            f"成绩“{text}”的小数超过一位：成绩最多保留一位小数（如 85.5），请按评分记录填写。", rule=RULE
        )
    return normalise(rounded)


def normalise(number: Decimal) -> Decimal:
    """``85.0`` -> ``85``, ``85.50`` -> ``85.5``, ``-0`` -> ``0``; never scientific notation."""
    number = number.quantize(ONE_PLACE)
    if number == number.to_integral_value():
        return Decimal(int(number))
    return number


def parse_score(value: str | int | float | Decimal | MarkCode) -> ScoreMark:
    """One part's score from any form people write: ``85``, ``85.0``, ``"85.5"``, ``"８５．５"``, ``"85分"``,
    ``"缺考"``, ``"缺"``, ``"违纪"`` (and the stored codes ``absent``, ``misconduct``).

    Raises ValidationError (Chinese) for anything else: blank, out of 0..100, more than one decimal place,
    Chinese numerals, text, booleans, NaN and infinities.
    """
    if isinstance(value, MarkCode):
        return value
    if isinstance(value, bool):
        raise _unrecognised(value)
    if isinstance(value, Decimal):
        return _checked(value, value)
    if isinstance(value, int):
        return _checked(Decimal(value), value)
    if isinstance(value, float):
        # repr gives the shortest text that reads back as the same float: 85.55 stays 85.55, not 85.549999...
        try:
            return _checked(Decimal(repr(value)), value)
        except InvalidOperation:  # pragma: no cover - repr of a float is always a valid Decimal
            raise _unrecognised(value) from None
    if not isinstance(value, str):
        raise _unrecognised(value)
    text = compact_half_width(value).lower().replace("。", ".")
    if text in _CODE_WORDS:
        return _CODE_WORDS[text]
    text = _POINTS.sub("", text)
    if not _NUMBER.fullmatch(text):
        raise _unrecognised(value)
    return _checked(Decimal(text), value)


def mark_to_text(mark: ScoreMark) -> str:
    """The stored form: ``"85"``, ``"85.5"``, ``"absent"``, ``"misconduct"``."""
    if isinstance(mark, MarkCode):
        return mark.value
    return str(_checked(mark, mark))


def mark_from_text(text: str) -> ScoreMark:
    """Read the stored form back (any form :func:`parse_score` accepts is also read)."""
    return parse_score(text)


def mark_label(mark: ScoreMark | None) -> str:
    """The printed form: ``85``, ``85.5``, ``缺考``, ``违纪``; an empty string for no mark."""
    if mark is None:
        return ""
    if isinstance(mark, MarkCode):
        return mark.label
    return str(normalise(mark))


def is_number(mark: ScoreMark | None) -> bool:
    return isinstance(mark, Decimal)


# --- double entry --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mismatch:
    key: Hashable
    first: ScoreMark
    second: ScoreMark

    def __str__(self) -> str:
        return f"{self.key}：第一次录入 {mark_label(self.first)}，第二次录入 {mark_label(self.second)}"


@dataclass(frozen=True)
class Reconciliation:
    """The outcome of comparing two clerks' entries.

    ``agreed`` holds the keys both entered alike (85 and 85.0 are alike); ``mismatches`` the keys they entered
    differently; ``missing_first`` the keys only the second clerk entered, ``missing_second`` the keys only
    the first entered. Keys keep the order of the first entry, then of the second.
    """

    agreed: dict[Hashable, ScoreMark]
    mismatches: list[Mismatch] = field(default_factory=list)
    missing_first: list[Hashable] = field(default_factory=list)
    missing_second: list[Hashable] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Every score was entered twice alike: the scores can be locked."""
        return not (self.mismatches or self.missing_first or self.missing_second)

    def summary(self) -> str:
        """One Chinese sentence for the clerk."""
        if self.complete:
            return f"两次录入一致，共 {len(self.agreed)} 项成绩，可以确认锁定。"
        parts = [f"一致 {len(self.agreed)} 项"]
        if self.mismatches:
            parts.append(f"不一致 {len(self.mismatches)} 项")
        if self.missing_first:
            parts.append(f"第一次录入缺少 {len(self.missing_first)} 项")
        if self.missing_second:
            parts.append(f"第二次录入缺少 {len(self.missing_second)} 项")
        return "两次录入核对结果：" + "，".join(parts) + "。请核对原始评分记录，补录或更正后再确认。"


def reconcile(
    first: Mapping[Hashable, ScoreMark | None], second: Mapping[Hashable, ScoreMark | None]
) -> Reconciliation:
    """Compare two independent entries of the same scores (双人录入, RULES.md "Scoring and publicity").

    A key whose value is None counts as not entered. Marks are compared as values (Decimal 85 == 85.0); a
    code never equals a number.
    """
    agreed: dict[Hashable, ScoreMark] = {}
    mismatches: list[Mismatch] = []
    missing_first: list[Hashable] = []
    missing_second: list[Hashable] = []
    for key, a in first.items():
        if a is None:
            continue
        b = second.get(key)
        if b is None:
            missing_second.append(key)
        elif _same(a, b):
            agreed[key] = normalise(a) if isinstance(a, Decimal) else a
        else:
            mismatches.append(Mismatch(key, a, b))
    for key, b in second.items():
        if b is not None and first.get(key) is None:
            missing_first.append(key)
    return Reconciliation(agreed, mismatches, missing_first, missing_second)


def _same(a: ScoreMark, b: ScoreMark) -> bool:
    if isinstance(a, MarkCode) or isinstance(b, MarkCode):
        return a is b
    return a == b


# --- results -------------------------------------------------------------------------------------------


def part_passes(mark: ScoreMark, rule: PartRule) -> bool:
    """A score at or above the part's pass mark passes; 缺考 and 违纪 never do."""
    if isinstance(mark, MarkCode):
        return False
    if not isinstance(mark, Decimal):
        raise TypeError(f"a mark is a Decimal or a MarkCode, not {type(mark).__name__}")
    return rule.passes(mark)


@dataclass(frozen=True)
class Result:
    """A candidate's result from the parts' marks (002 §25).

    ``passed`` is None while any required part has no mark (``missing_parts``). ``failed_parts`` lists, in
    the standard's order, the parts with a mark that does not pass (below the pass mark, 缺考 or 违纪).
    ``absent`` and ``misconduct`` say whether any part is so marked, ``absent_everywhere`` whether every
    part is 缺考. ``reason`` is one Chinese sentence for the record.
    """

    passed: bool | None
    failed_parts: tuple[ExamPart, ...]
    absent: bool
    reason: str
    misconduct: bool = False
    missing_parts: tuple[ExamPart, ...] = ()
    absent_everywhere: bool = False

    @property
    def label(self) -> str:
        """What the publicity list prints: 合格, 不合格, 缺考 (every part), 违纪, or 待定 while marks are missing."""
        if self.passed is None:
            return "待定"
        if self.passed:
            return "合格"
        if self.misconduct:
            return "违纪"
        if self.absent_everywhere:
            return "缺考"
        return "不合格"

    @property
    def status(self) -> str:
        """The stored form of ``application.result``: passed, failed, absent (every part); pending."""
        if self.passed is None:
            return "pending"
        if self.passed:
            return "passed"
        return "absent" if self.absent_everywhere and not self.misconduct else "failed"


def result(marks: Mapping[ExamPart, ScoreMark | None], rules: tuple[PartRule, ...]) -> Result:
    """The result of one application: every required part at or above its pass mark passes (002 §25).

    ``rules`` are the standard's parts for the application's level. A mark for a part the level does not
    require is refused (it would otherwise be silently ignored); a None mark counts as not yet entered.
    """
    if not rules:
        raise ValidationError(
            "该等级的职业标准没有设置考核部分，无法判定成绩：请先在职业标准中设置考核部分。"
        )
    required = [rule.part for rule in rules]
    if len(set(required)) != len(required):
        raise ValidationError("职业标准中同一考核部分出现了两次，无法判定成绩：请修正职业标准。")
    extra = [part for part, mark in marks.items() if mark is not None and part not in required]
    if extra:
        names = "、".join(ExamPart(p).label for p in extra)
        raise ValidationError(
            f"有本等级不考核的部分的成绩（{names}）：请核对该考生的申报等级与成绩录入。", rule=RULE
        )

    failed: list[ExamPart] = []
    missing: list[ExamPart] = []
    absent_parts: list[ExamPart] = []
    misconduct_parts: list[ExamPart] = []
    below: list[str] = []
    shown: list[str] = []
    for rule in rules:
        mark = marks.get(rule.part)
        if mark is None:
            missing.append(rule.part)
            continue
        if isinstance(mark, MarkCode):
            shown.append(f"{rule.part.label}{mark.label}")
        else:
            shown.append(f"{rule.part.label} {mark_label(mark)} 分")
        if part_passes(mark, rule):
            continue
        failed.append(rule.part)
        if mark is ABSENT:
            absent_parts.append(rule.part)
        elif mark is MISCONDUCT:
            misconduct_parts.append(rule.part)
        else:
            below.append(
                f"{rule.part.label} {mark_label(mark)} 分，低于合格线 {mark_label(rule.pass_mark)} 分"
            )

    common = {
        "absent": bool(absent_parts),
        "misconduct": bool(misconduct_parts),
        "missing_parts": tuple(missing),
        "absent_everywhere": len(absent_parts) == len(rules),
    }
    if missing:
        names = "、".join(p.label for p in missing)
        known = f"（已录入：{'、'.join(shown)}）" if shown else ""
        return Result(
            None, tuple(failed), reason=f"成绩未录齐：缺少{names}的成绩，暂不能判定{known}。", **common
        )
    if not failed:
        return Result(True, (), reason=f"{'、'.join(shown)}，各部分均达到合格线，认定合格。", **common)
    clauses = []
    if misconduct_parts:
        clauses.append(f"{'、'.join(p.label for p in misconduct_parts)}违纪，该部分成绩无效")
    if absent_parts:
        clauses.append(f"{'、'.join(p.label for p in absent_parts)}缺考")
    clauses += below
    return Result(False, tuple(failed), reason="；".join(clauses) + "，认定不合格。", **common)


def publicity_start_problem(
    start_on: date, last_exam_day: date | None, previous_start: date | None = None
) -> str | None:
    """Why results cannot be published from ``start_on``, or None (002 §25).

    Results follow the exam: a publicity period cannot begin before the sitting's last exam day. A list
    published again (after an objection changed a score) cannot be dated before the one it replaces."""
    if last_exam_day is not None and start_on < last_exam_day:
        return (
            f"公示开始日期 {start_on:%Y-%m-%d} 早于最后一场考试（{last_exam_day:%Y-%m-%d}）："
            "成绩须在考试结束、判定结果后公示，请改为考试之后的日期。"
        )
    if previous_start is not None and start_on < previous_start:
        return (
            f"重新公示的开始日期 {start_on:%Y-%m-%d} 早于上一次公示（{previous_start:%Y-%m-%d}）："
            "请填写本次实际发布的日期。"
        )
    return None


def room_record_conflicts(
    marks: Mapping[K, ScoreMark], recorded: Mapping[K, MarkCode]
) -> dict[K, tuple[MarkCode, ScoreMark]]:
    """Marks that contradict the invigilators' room records (002 §24, attachment 9): a candidate recorded
    absent from a part's session is scored 缺考, and one recorded for misconduct is scored 违纪, because
    misconduct voids that part (技能人才评价违纪违规行为处理工作指引, cited by 001 §1). Returns, for each
    contradicted candidate, the code the record requires and the mark given."""
    return {k: (code, marks[k]) for k, code in recorded.items() if k in marks and marks[k] != code}


def room_record_codes(events: Iterable[tuple[K, str]]) -> dict[K, MarkCode]:
    """The code each candidate's room records require, from (candidate, event kind) pairs of one part's
    sessions; misconduct outweighs an absence (a candidate who misbehaved was there)."""
    codes: dict[K, MarkCode] = {}
    for key, kind in events:
        if kind == MarkCode.MISCONDUCT.value:
            codes[key] = MarkCode.MISCONDUCT
        elif kind == MarkCode.ABSENT.value:
            codes.setdefault(key, MarkCode.ABSENT)
    return codes
