"""The standard of an occupation (国家职业标准) as data: its exam parts, staff ratios and eligibility routes.

RULES.md marks these rules *standard*: they differ between occupations' national standards, so they live in
a :class:`Standard` record (stored as JSON in the ``occupation.standard`` column, overridden per occupation
by ``resources/standards/overrides.json``), never as constants in the code that uses them.
:func:`default_standard` builds RULES.md's typical values; :func:`standard_to_dict` and
:func:`standard_from_dict` turn a standard into JSON-able data and back, refusing bad data with a
:class:`StandardDataError` (a :class:`~jlexam.errors.ValidationError`) that names the field.

The eligibility routes (申报条件) are evaluated by :mod:`jlexam.domain.eligibility`; this module only
describes them. A route is a :class:`Condition` whose ``kind`` says which requirements it combines; every
requirement present must hold (see ``CONDITION_KINDS``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from jlexam.domain.levels import SkillLevel, parse_level
from jlexam.errors import ValidationError

# The occupation code of《中华人民共和国职业分类大典（2022年版）》, e.g. 6-31-01-03.
OCCUPATION_CODE = re.compile(r"\d-\d{2}-\d{2}-\d{2}")

# Education an applicant states, lowest first. "高中/中专" lumps 普通高中 with 中等职业学校 (as rosters
# do); a diploma route also needs the major to match the occupation, which a 普通高中 diploma (no major)
# never does, so only 中专/中职 graduates pass a diploma route with it.
EDUCATION_LEVELS: tuple[str, ...] = (
    "初中",
    "高中/中专",
    "技工院校",
    "技工院校高级工班",
    "大专/高职",
    "本科",
    "研究生",
)

# Professional titles (专业技术职称), lowest first; a higher title satisfies a route naming a lower one.
PROFESSIONAL_TITLES: tuple[str, ...] = ("初级职称", "中级职称", "高级职称")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class ExamPart(StrEnum):
    """A part of the assessment of one level (RULES.md "Levels and parts")."""

    THEORY = "theory"
    PRACTICAL = "practical"
    REVIEW = "review"

    @property
    def label(self) -> str:
        return _PART_LABELS[self]


_PART_LABELS = {
    ExamPart.THEORY: "理论知识考试",
    ExamPart.PRACTICAL: "操作技能考核",
    ExamPart.REVIEW: "综合评审",
}


class StandardDataError(ValidationError):
    """Bad standard data; ``field`` is the dotted path of the offending value (``parts.3[0].min_minutes``)."""

    def __init__(self, field: str, problem: str, *, prefix: str = "职业标准数据") -> None:
        self.field = field
        self.problem = problem
        self.prefix = prefix
        super().__init__(f"{prefix}：字段“{field}”{problem}")

    def within(self, outer: str | None = None, *, prefix: str | None = None) -> StandardDataError:
        """The same error with ``outer`` put in front of the field path (and optionally a new prefix)."""
        path = f"{outer}{'' if self.field.startswith('[') else '.'}{self.field}" if outer else self.field
        return StandardDataError(path, self.problem, prefix=prefix or self.prefix)


# --- parts -------------------------------------------------------------------------------------------------

# RULES.md "Levels and parts": durations theory ≥ 90, practical ≥ 60, review ≥ 15 minutes; pass at 60 of 100.
DEFAULT_MINUTES = {ExamPart.THEORY: 90, ExamPart.PRACTICAL: 60, ExamPart.REVIEW: 15}
DEFAULT_PASS_MARK = Decimal(60)
FULL_MARKS = Decimal(100)


@dataclass(frozen=True)
class PartRule:
    """One part of one level: its shortest allowed duration and its pass mark out of 100."""

    part: ExamPart
    min_minutes: int
    pass_mark: Decimal = DEFAULT_PASS_MARK

    def __post_init__(self) -> None:
        if not isinstance(self.part, ExamPart):
            raise StandardDataError(
                "part", f"不是考核部分：{self.part!r}。请填写 theory、practical 或 review。"
            )
        if not _is_int(self.min_minutes) or self.min_minutes <= 0:
            raise StandardDataError(
                "min_minutes", f"应为正整数（分钟），实际为“{self.min_minutes}”：请填写该部分的最短时长。"
            )
        if not isinstance(self.pass_mark, Decimal) or not self.pass_mark.is_finite():
            raise StandardDataError(
                "pass_mark", f"应为数字，实际为“{self.pass_mark}”：请填写合格分数线，如 60。"
            )
        if not Decimal(0) < self.pass_mark <= FULL_MARKS:
            raise StandardDataError(
                "pass_mark",
                f"应大于 0 且不超过 100（百分制），实际为 {self.pass_mark}：请填写合格分数线，如 60。",
            )

    def passes(self, score: Decimal) -> bool:
        """A score out of 100 passes at the pass mark or above (RULES.md "Levels and parts")."""
        return score >= self.pass_mark


# --- staff ratios ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffRatio:
    """How many staff a room needs (RULES.md "Arrangement", 002 §18-21), all values *standard*.

    - ``candidates_per_invigilator``: a theory room has at least one invigilator per this many candidates
      (default 15), and at least ``min_invigilators_per_room`` (default 2).
    - ``candidates_per_assessor``: a practical room has at least one assessor per this many candidates
      (default 5), at least ``min_practical_assessors`` (default 3), and an odd number when
      ``practical_assessors_odd``.
    - ``min_review_panel``: a review panel has at least this many members (default 3), an odd number when
      ``review_panel_odd``.
    """

    candidates_per_invigilator: int = 15
    min_invigilators_per_room: int = 2
    candidates_per_assessor: int = 5
    min_practical_assessors: int = 3
    practical_assessors_odd: bool = True
    min_review_panel: int = 3
    review_panel_odd: bool = True

    def __post_init__(self) -> None:
        for name in _RATIO_INT_FIELDS:
            value = getattr(self, name)
            if not _is_int(value) or value <= 0:
                raise StandardDataError(name, f"应为正整数，实际为“{value}”：{_RATIO_HINTS[name]}")
        for name in _RATIO_BOOL_FIELDS:
            value = getattr(self, name)
            if not isinstance(value, bool):
                raise StandardDataError(name, f"应为 true 或 false，实际为“{value}”。")

    def invigilators_needed(self, candidates: int) -> int:
        """Invigilators for a theory room of ``candidates`` (0 for an empty room)."""
        _check_count(candidates)
        if candidates == 0:
            return 0
        return max(math.ceil(candidates / self.candidates_per_invigilator), self.min_invigilators_per_room)

    def assessors_needed(self, candidates: int) -> int:
        """Assessors for a practical room of ``candidates`` (0 for an empty room)."""
        _check_count(candidates)
        if candidates == 0:
            return 0
        needed = max(math.ceil(candidates / self.candidates_per_assessor), self.min_practical_assessors)
        return _odd(needed) if self.practical_assessors_odd else needed

    def review_panel_needed(self) -> int:
        """Members of a review panel."""
        return _odd(self.min_review_panel) if self.review_panel_odd else self.min_review_panel


_RATIO_INT_FIELDS = (
    "candidates_per_invigilator",
    "min_invigilators_per_room",
    "candidates_per_assessor",
    "min_practical_assessors",
    "min_review_panel",
)
_RATIO_BOOL_FIELDS = ("practical_assessors_odd", "review_panel_odd")
_RATIO_HINTS = {
    "candidates_per_invigilator": "每名监考员最多对应的考生人数，默认 15。",
    "min_invigilators_per_room": "每个理论考场至少的监考员人数，默认 2。",
    "candidates_per_assessor": "每名考评员最多对应的考生人数，默认 5。",
    "min_practical_assessors": "每个操作技能考场至少的考评员人数，默认 3。",
    "min_review_panel": "综合评审组至少的人数，默认 3。",
}


def _check_count(candidates: int) -> None:
    if not _is_int(candidates) or candidates < 0:
        raise ValidationError(f"考生人数应为不小于 0 的整数，实际为“{candidates}”。")


def _odd(n: int) -> int:
    return n if n % 2 else n + 1


# --- eligibility conditions --------------------------------------------------------------------------------

# Which parameters each kind of route requires; every one given must hold for the route to be met.
#   min_age     - the applicant is at least this old (whole years) on the reference date
#   years       - years working in the occupation (or a related one); with prior_level, the certificate is
#                 also this old; with title, the title is also this old
#   prior_level - the applicant holds a certificate of this level or a higher one
#   diplomas    - the applicant's education is one of these, in a major matching the occupation (a
#                 student in the graduating year counts: 含在读应届毕业生)
#   title       - the applicant holds this professional title or a higher one
CONDITION_KINDS: dict[str, frozenset[str]] = {
    "age_and_work": frozenset({"min_age"}),
    "years_in_occupation": frozenset({"years"}),
    "years_after_level": frozenset({"prior_level", "years"}),
    "diploma": frozenset({"diplomas"}),
    "diploma_plus_years": frozenset({"diplomas", "years"}),
    "diploma_plus_level": frozenset({"diplomas", "prior_level"}),
    "diploma_plus_years_after_level": frozenset({"diplomas", "prior_level", "years"}),
    "title_plus_years": frozenset({"title", "years"}),
    # A student currently enrolled (any year) at one of ``diplomas``, in a matching major.
    "enrolled_student": frozenset({"diplomas"}),
}
_CONDITION_PARAMETERS = ("min_age", "years", "prior_level", "diplomas", "title")


@dataclass(frozen=True)
class Condition:
    """One eligibility route (申报条件之一) for one level; ``description`` is the standard's Chinese wording.

    An empty ``description`` is filled in from the parameters (:func:`describe`).
    """

    kind: str
    years: int | None = None
    prior_level: SkillLevel | None = None
    diplomas: tuple[str, ...] = ()
    min_age: int | None = None
    title: str | None = None
    description: str = ""

    def __post_init__(self) -> None:
        if self.kind not in CONDITION_KINDS:
            raise StandardDataError(
                "kind", f"不是已知的条件类型：“{self.kind}”。可用类型：{'、'.join(CONDITION_KINDS)}。"
            )
        required = CONDITION_KINDS[self.kind]
        for name in _CONDITION_PARAMETERS:
            given = getattr(self, name) not in (None, ())
            if name in required and not given:
                raise StandardDataError(
                    name, f"缺失：条件类型 {self.kind} 需要 {'、'.join(sorted(required))}。"
                )
            if name not in required and given:
                raise StandardDataError(
                    name,
                    f"不适用于条件类型 {self.kind}（该类型只用 {'、'.join(sorted(required))}），请删除。",
                )
        for name in ("years", "min_age"):
            value = getattr(self, name)
            if value is not None and (not _is_int(value) or not 0 < value <= 100):
                raise StandardDataError(name, f"应为 1 至 100 的整数（年），实际为“{value}”。")
        if self.prior_level is not None and not isinstance(self.prior_level, SkillLevel):
            raise StandardDataError("prior_level", f"应为 1 至 5 的等级，实际为“{self.prior_level}”。")
        if not isinstance(self.diplomas, tuple):
            raise StandardDataError("diplomas", "应为学历名称的列表。")
        for i, diploma in enumerate(self.diplomas):
            if diploma not in EDUCATION_LEVELS:
                raise StandardDataError(
                    f"diplomas[{i}]",
                    f"不是已知的学历：“{diploma}”。可用学历：{'、'.join(EDUCATION_LEVELS)}。",
                )
        if len(set(self.diplomas)) != len(self.diplomas):
            raise StandardDataError("diplomas", "中有重复的学历，请删除重复项。")
        if self.title is not None and self.title not in PROFESSIONAL_TITLES:
            raise StandardDataError(
                "title", f"不是已知的职称：“{self.title}”。可用职称：{'、'.join(PROFESSIONAL_TITLES)}。"
            )
        if not isinstance(self.description, str):
            raise StandardDataError("description", "应为文字。")
        if not self.description.strip():
            object.__setattr__(self, "description", describe(self))


def _diplomas_text(diplomas: tuple[str, ...]) -> str:
    return "、".join(diplomas)


def describe(condition: Condition) -> str:
    """Chinese wording of a route built from its parameters, in the style of the national standards."""
    c = condition
    level = c.prior_level.written if c.prior_level is not None else ""
    diplomas = _diplomas_text(c.diplomas)
    work = f"累计从事本职业或相关职业工作满{c.years}年"
    match c.kind:
        case "age_and_work":
            return f"年满{c.min_age}周岁，拟从事或正在从事本职业或相关职业工作"
        case "years_in_occupation":
            return work
        case "years_after_level":
            return f"取得本职业或相关职业{level}证书后，{work}"
        case "diploma":
            return f"取得本专业或相关专业的{diplomas}毕业证书（含在读应届毕业生）"
        case "diploma_plus_years":
            return f"取得本专业或相关专业的{diplomas}毕业证书，{work}"
        case "diploma_plus_level":
            return f"取得本职业或相关职业{level}证书，并取得本专业或相关专业的{diplomas}毕业证书（含在读应届毕业生）"
        case "diploma_plus_years_after_level":
            return f"具有本专业或相关专业的{diplomas}毕业证书，取得本职业或相关职业{level}证书后，{work}"
        case "title_plus_years":
            return f"取得{c.title}（或更高职称）后，从事本职业或相关职业工作满{c.years}年"
        case "enrolled_student":
            return f"{diplomas}本专业或相关专业在校生"
    raise AssertionError(c.kind)  # pragma: no cover - __post_init__ refuses other kinds


# --- the standard ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Standard:
    """The rule set of one occupation: per level its parts and its eligibility routes; its staff ratios.

    ``parts`` and ``conditions`` have the same keys: the levels the standard defines. ``source`` says where
    the values come from (empty for RULES.md's defaults).
    """

    occupation_code: str
    parts: dict[SkillLevel, tuple[PartRule, ...]]
    ratios: StaffRatio = field(default_factory=StaffRatio)
    conditions: dict[SkillLevel, tuple[Condition, ...]] = field(default_factory=dict)
    source: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.occupation_code, str) or not OCCUPATION_CODE.fullmatch(self.occupation_code):
            raise StandardDataError(
                "occupation_code", f"格式不对：“{self.occupation_code}”，应形如 6-31-01-03。"
            )
        if not self.parts:
            raise StandardDataError("parts", "为空：请至少设置一个等级的考核部分。")
        if set(self.parts) != set(self.conditions):
            only_parts = sorted(set(self.parts) - set(self.conditions), reverse=True)
            only_conditions = sorted(set(self.conditions) - set(self.parts), reverse=True)
            level = (only_parts or only_conditions)[0]
            where, missing = ("conditions", "申报条件") if only_parts else ("parts", "考核部分")
            raise StandardDataError(
                f"{where}.{level.value}",
                f"缺失：{level.written}须同时设置考核部分与申报条件（缺{missing}）。",
            )
        for level, rules in self.parts.items():
            if not rules:
                raise StandardDataError(
                    f"parts.{level.value}", f"为空：{level.written}至少要有一个考核部分。"
                )
            seen: set[ExamPart] = set()
            for i, rule in enumerate(rules):
                if rule.part in seen:
                    raise StandardDataError(
                        f"parts.{level.value}[{i}].part", f"重复：{level.written}已设置{rule.part.label}。"
                    )
                seen.add(rule.part)
        for level, routes in self.conditions.items():
            if not routes:
                raise StandardDataError(
                    f"conditions.{level.value}", f"为空：{level.written}至少要有一条申报条件。"
                )
            for i, route in enumerate(routes):
                # A route builds on a lower level's certificate (a larger number), never on the same one.
                if route.prior_level is not None and route.prior_level <= level:
                    raise StandardDataError(
                        f"conditions.{level.value}[{i}].prior_level",
                        f"应低于所报等级：报考{level.written}不能以{route.prior_level.written}证书为条件。",
                    )

    @property
    def levels(self) -> tuple[SkillLevel, ...]:
        """The levels the standard defines, lowest first (5 before 1), like the catalogue."""
        return tuple(sorted(self.parts, reverse=True))

    def has_level(self, level: SkillLevel | int) -> bool:
        return level in self.parts

    def _require(self, level: SkillLevel | int) -> SkillLevel:
        level = parse_level(level)
        if level not in self.parts:
            defined = "、".join(lv.written for lv in self.levels)
            raise ValidationError(
                f"职业 {self.occupation_code} 的标准未设置{level.written}（只设置了{defined}），不能报考该等级。",
                rule="002 §16",
            )
        return level

    def parts_for(self, level: SkillLevel | int) -> tuple[PartRule, ...]:
        return self.parts[self._require(level)]

    def conditions_for(self, level: SkillLevel | int) -> tuple[Condition, ...]:
        return self.conditions[self._require(level)]


# --- RULES.md's defaults -----------------------------------------------------------------------------------

_TECHNICAL_OR_HIGHER = ("高中/中专", "技工院校", "技工院校高级工班", "大专/高职", "本科", "研究生")
_COLLEGE_OR_HIGHER = ("大专/高职", "本科", "研究生")

# RULES.md "Registration and eligibility" (002 §17: the standard's conditions), in the national standards'
# wording. The order is the order routes are tried and shown in.
DEFAULT_CONDITIONS: dict[SkillLevel, tuple[Condition, ...]] = {
    SkillLevel.LEVEL_5: (Condition(kind="age_and_work", min_age=16),),
    SkillLevel.LEVEL_4: (
        Condition(kind="years_in_occupation", years=5),
        Condition(kind="years_after_level", prior_level=SkillLevel.LEVEL_5, years=3),
        Condition(
            kind="diploma",
            diplomas=_TECHNICAL_OR_HIGHER,
            description="取得本专业或相关专业的技工院校、中等及以上职业学校或专科及以上普通高等学校毕业证书"
            "（含在读应届毕业生）",
        ),
    ),
    SkillLevel.LEVEL_3: (
        Condition(kind="years_in_occupation", years=10),
        Condition(kind="years_after_level", prior_level=SkillLevel.LEVEL_4, years=4),
        Condition(
            kind="diploma_plus_level",
            diplomas=_COLLEGE_OR_HIGHER,
            prior_level=SkillLevel.LEVEL_4,
            description="取得本职业或相关职业四级/中级工证书，并取得本专业或相关专业的高等职业学校或专科及以上"
            "普通高等学校毕业证书（含在读应届毕业生）",
        ),
        Condition(
            kind="diploma",
            diplomas=("技工院校高级工班",),
            description="取得本专业或相关专业的技工院校高级工班及以上毕业证书（含在读应届毕业生）",
        ),
    ),
    SkillLevel.LEVEL_2: (
        Condition(kind="years_after_level", prior_level=SkillLevel.LEVEL_3, years=5),
        Condition(kind="title_plus_years", title="中级职称", years=1),
    ),
    SkillLevel.LEVEL_1: (Condition(kind="years_after_level", prior_level=SkillLevel.LEVEL_2, years=4),),
}


def default_parts(level: SkillLevel) -> tuple[PartRule, ...]:
    """Theory and practical for levels 5-3; levels 2 and 1 add a review (RULES.md "Levels and parts")."""
    kinds = [ExamPart.THEORY, ExamPart.PRACTICAL]
    if level <= SkillLevel.LEVEL_2:
        kinds.append(ExamPart.REVIEW)
    return tuple(PartRule(part=kind, min_minutes=DEFAULT_MINUTES[kind]) for kind in kinds)


def default_standard(occupation_code: str, levels: Iterable[SkillLevel | int]) -> Standard:
    """RULES.md's default standard for an occupation defining ``levels`` (e.g. from the catalogue)."""
    chosen = sorted({parse_level(level) for level in levels}, reverse=True)
    return Standard(
        occupation_code=occupation_code,
        parts={level: default_parts(level) for level in chosen},
        ratios=StaffRatio(),
        conditions={level: DEFAULT_CONDITIONS[level] for level in chosen},
    )


# --- to and from JSON-able data ----------------------------------------------------------------------------


def part_rule_to_dict(rule: PartRule) -> dict[str, Any]:
    return {"part": rule.part.value, "min_minutes": rule.min_minutes, "pass_mark": str(rule.pass_mark)}


def condition_to_dict(condition: Condition) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": condition.kind}
    if condition.years is not None:
        data["years"] = condition.years
    if condition.prior_level is not None:
        data["prior_level"] = condition.prior_level.value
    if condition.diplomas:
        data["diplomas"] = list(condition.diplomas)
    if condition.min_age is not None:
        data["min_age"] = condition.min_age
    if condition.title is not None:
        data["title"] = condition.title
    data["description"] = condition.description
    return data


def ratios_to_dict(ratios: StaffRatio) -> dict[str, Any]:
    return {name: getattr(ratios, name) for name in (*_RATIO_INT_FIELDS, *_RATIO_BOOL_FIELDS)}


def standard_to_dict(standard: Standard) -> dict[str, Any]:
    """JSON-able data (string keys, strings for pass marks) that :func:`standard_from_dict` reads back."""
    return {
        "occupation_code": standard.occupation_code,
        "source": standard.source,
        "parts": {
            str(level.value): [part_rule_to_dict(rule) for rule in standard.parts[level]]
            for level in standard.levels
        },
        "conditions": {
            str(level.value): [condition_to_dict(route) for route in standard.conditions[level]]
            for level in standard.levels
        },
        "ratios": ratios_to_dict(standard.ratios),
    }


def _mapping(value: object, where: str, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise StandardDataError(where, f"应为对象（{what}），实际为“{_shown(value)}”。")
    return value


def _list(value: object, where: str, what: str) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise StandardDataError(where, f"应为列表（{what}），实际为“{_shown(value)}”。")
    return list(value)


def _shown(value: object) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 40 else text[:37] + "..."


def _check_keys(data: Mapping[str, Any], allowed: Iterable[str], where: str) -> None:
    allowed = tuple(allowed)
    for key in data:
        if key not in allowed:
            path = f"{where}.{key}" if where else str(key)
            raise StandardDataError(path, f"不是可用的字段。可用字段：{'、'.join(allowed)}。")


def parse_level_key(key: object, where: str) -> SkillLevel:
    """A level written as a JSON key ("3") or value (3); 1 to 5 only."""
    if isinstance(key, SkillLevel):
        return key
    if _is_int(key) or (isinstance(key, str) and key.strip().isdigit()):
        number = int(str(key).strip())
        if 1 <= number <= 5:
            return SkillLevel(number)
    raise StandardDataError(where, f"不是等级：“{_shown(key)}”。等级应为 1 至 5 的数字（5 = 五级/初级工）。")


def _int(value: object, where: str) -> int:
    if not _is_int(value):
        raise StandardDataError(where, f"应为整数，实际为“{_shown(value)}”。")
    return int(value)  # type: ignore[call-overload]


def _decimal(value: object, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise StandardDataError(where, f"应为数字，实际为“{_shown(value)}”：请填写合格分数线，如 60。")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise StandardDataError(
            where, f"应为数字，实际为“{_shown(value)}”：请填写合格分数线，如 60。"
        ) from None
    if not number.is_finite():
        raise StandardDataError(where, f"应为有限的数字，实际为“{_shown(value)}”。")
    return number


def part_rule_from_dict(data: object, where: str) -> PartRule:
    d = _mapping(data, where, "考核部分，含 part、min_minutes、pass_mark")
    _check_keys(d, ("part", "min_minutes", "pass_mark"), where)
    if "part" not in d:
        raise StandardDataError(f"{where}.part", "缺失：请填写 theory、practical 或 review。")
    try:
        part = ExamPart(d["part"])
    except ValueError:
        raise StandardDataError(
            f"{where}.part", f"不是考核部分：“{_shown(d['part'])}”。请填写 theory、practical 或 review。"
        ) from None
    if "min_minutes" not in d:
        raise StandardDataError(f"{where}.min_minutes", "缺失：请填写该部分的最短时长（分钟）。")
    minutes = _int(d["min_minutes"], f"{where}.min_minutes")
    pass_mark = _decimal(d["pass_mark"], f"{where}.pass_mark") if "pass_mark" in d else DEFAULT_PASS_MARK
    try:
        return PartRule(part=part, min_minutes=minutes, pass_mark=pass_mark)
    except StandardDataError as exc:
        raise exc.within(where) from None


def condition_from_dict(data: object, where: str) -> Condition:
    d = _mapping(data, where, "申报条件，含 kind 及其参数")
    _check_keys(d, ("kind", *_CONDITION_PARAMETERS, "description"), where)
    if "kind" not in d:
        raise StandardDataError(f"{where}.kind", f"缺失：请填写条件类型（{'、'.join(CONDITION_KINDS)}）。")
    kind = d["kind"]
    if not isinstance(kind, str):
        raise StandardDataError(f"{where}.kind", f"应为文字，实际为“{_shown(kind)}”。")
    values: dict[str, Any] = {}
    for name in ("years", "min_age"):
        if d.get(name) is not None:
            values[name] = _int(d[name], f"{where}.{name}")
    if d.get("prior_level") is not None:
        values["prior_level"] = parse_level_key(d["prior_level"], f"{where}.prior_level")
    if d.get("diplomas") is not None:
        diplomas = _list(d["diplomas"], f"{where}.diplomas", "学历名称")
        for i, diploma in enumerate(diplomas):
            if not isinstance(diploma, str):
                raise StandardDataError(f"{where}.diplomas[{i}]", f"应为文字，实际为“{_shown(diploma)}”。")
        values["diplomas"] = tuple(diplomas)
    if d.get("title") is not None:
        if not isinstance(d["title"], str):
            raise StandardDataError(f"{where}.title", f"应为文字，实际为“{_shown(d['title'])}”。")
        values["title"] = d["title"]
    description = d.get("description") or ""
    if not isinstance(description, str):
        raise StandardDataError(f"{where}.description", f"应为文字，实际为“{_shown(description)}”。")
    try:
        return Condition(kind=kind, description=description, **values)
    except StandardDataError as exc:
        raise exc.within(where) from None


def ratios_from_dict(data: object, where: str = "ratios", base: StaffRatio | None = None) -> StaffRatio:
    """Staff ratios from data; fields left out keep ``base``'s values (RULES.md's defaults when None)."""
    d = _mapping(data, where, "人员配比")
    _check_keys(d, (*_RATIO_INT_FIELDS, *_RATIO_BOOL_FIELDS), where)
    values = ratios_to_dict(base or StaffRatio())
    values.update(d)
    try:
        return StaffRatio(**values)
    except StandardDataError as exc:
        raise exc.within(where) from None


def levels_from_dict(data: object, where: str, item: Any, what: str) -> dict[SkillLevel, tuple[Any, ...]]:
    """A ``{"level": [item, ...]}`` object read with ``item(data, where)`` for each entry."""
    d = _mapping(data, where, f"以等级为键的{what}")
    result: dict[SkillLevel, tuple[Any, ...]] = {}
    for key, value in d.items():
        level = parse_level_key(key, f"{where}.{key}")
        if level in result:
            raise StandardDataError(f"{where}.{key}", f"重复：{level.written}出现了两次。")
        entries = _list(value, f"{where}.{key}", what)
        result[level] = tuple(item(entry, f"{where}.{key}[{i}]") for i, entry in enumerate(entries))
    return result


STANDARD_KEYS = ("occupation_code", "source", "parts", "conditions", "ratios")


def standard_from_dict(data: object) -> Standard:
    """A standard from :func:`standard_to_dict`'s data; bad data raises StandardDataError naming the field."""
    d = _mapping(data, "(根)", "职业标准")
    _check_keys(d, STANDARD_KEYS, "")
    for name in ("occupation_code", "parts", "conditions"):
        if name not in d:
            raise StandardDataError(name, "缺失：职业标准须有 occupation_code、parts 与 conditions。")
    code = d["occupation_code"]
    if not isinstance(code, str):
        raise StandardDataError("occupation_code", f"应为文字，实际为“{_shown(code)}”。")
    source = d.get("source") or ""
    if not isinstance(source, str):
        raise StandardDataError("source", f"应为文字，实际为“{_shown(source)}”。")
    parts = levels_from_dict(d["parts"], "parts", part_rule_from_dict, "考核部分")
    conditions = levels_from_dict(d["conditions"], "conditions", condition_from_dict, "申报条件")
    ratios = ratios_from_dict(d["ratios"]) if "ratios" in d else StaffRatio()
    return Standard(occupation_code=code, parts=parts, ratios=ratios, conditions=conditions, source=source)
