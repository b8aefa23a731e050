"""The reply to an objection to a published result (成绩异议答复书, 002 §25).

An objection raised within the publicity period is answered within 5 working days of its receipt, the day of
receipt not counted (RULES.md "Scoring and publicity"); the services compute ``due_on`` with
:meth:`jlexam.domain.workdays.WorkingDayCalendar.deadline_after`. The letter names the candidate by name and
masked ID number only, states what was objected to, how it was re-checked, the scores before and after, the
outcome, and who answered on which day. It says the answer is within the period only when it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import HRFlowable, KeepTogether, Spacer

from jlexam.documents.base import build_pdf, grid, para, styles
from jlexam.domain.masking import MASK
from jlexam.domain.scoring import MarkCode, mark_label
from jlexam.errors import ValidationError

RULE = "002 §25"


@dataclass(frozen=True)
class ObjectionLetter:
    institution: str
    candidate_name: str
    masked_id: str
    received_on: date
    due_on: date
    subject: str  # what the candidate objected to, in their terms
    recheck_summary: str  # how it was re-checked: who, what was looked at
    outcome: str  # the conclusion: score kept / corrected, and what follows
    # Part label ("理论知识考试") -> mark, as printed ("58", "缺考") or as a ScoreMark.
    old_scores: Mapping[str, object]
    new_scores: Mapping[str, object]
    answered_on: date
    signer: str  # who answers for the institution, e.g. "考务组长 王某某"
    sitting_name: str = ""
    reference: str = ""  # the institution's letter number, e.g. "吉某评〔2025〕异字第3号"
    contact: str = ""
    occupation: str = ""  # "电工 三级/高级工"
    extra: tuple[str, ...] = field(default_factory=tuple)  # further paragraphs


def _d(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


_SENTENCE_END = "。！？!?…"
_DANGLING = "，,；;、：:.．"


def _sentence(text: str) -> str:
    """``text`` as a sentence of the letter: closed with “。” when the user did not end it (a trailing comma
    or full stop typed as "." becomes “。”); a closing quote or bracket after the end stays as typed."""
    text = text.strip()
    if not text:
        return text
    body = text.rstrip("”’」』）)")
    if body and body[-1] in _SENTENCE_END:
        return text
    if text == body:
        return text.rstrip(_DANGLING) + "。"
    return text + "。"


def _mark(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, MarkCode) or not isinstance(value, str):
        return mark_label(value)  # type: ignore[arg-type]
    return value.strip() or "—"


def _check(letter: ObjectionLetter) -> None:
    if MASK not in letter.masked_id and letter.masked_id.strip():
        raise ValidationError(
            "异议答复书中的证件号码没有遮挡：请使用遮挡后的号码（如 220102********123X）。", rule=RULE
        )
    if letter.due_on <= letter.received_on:
        raise ValidationError(
            f"答复期限 {letter.due_on.isoformat()} 不晚于收到异议的日期 {letter.received_on.isoformat()}："
            "答复期限应为收到之日起第5个工作日（收到当日不计），请重新计算。",
            rule=RULE,
        )
    if letter.answered_on < letter.received_on:
        raise ValidationError(
            f"答复日期 {letter.answered_on.isoformat()} 早于收到异议的日期 {letter.received_on.isoformat()}，请核对。"
        )
    for name, text in (
        ("异议事项", letter.subject),
        ("复核情况", letter.recheck_summary),
        ("复核结论", letter.outcome),
    ):
        if not text.strip():
            raise ValidationError(f"异议答复书的“{name}”为空：请填写后再生成答复书。")


def render_answer_letter(letter: ObjectionLetter, path: Path) -> None:
    """The formal reply as an A4 PDF, with a receipt slip for the candidate's signature."""
    _check(letter)
    st = styles()
    story = [para(letter.institution, st["subtitle"]), para("成绩异议答复书", st["title"])]
    if letter.reference.strip():
        story.append(para(letter.reference.strip(), st["subtitle"]))
    story += [
        para(f"{letter.candidate_name}（证件号码：{letter.masked_id}）：", st["plain"]),
        Spacer(1, 2 * mm),
        para(
            f"你于{_d(letter.received_on)}对"
            + (f"{letter.sitting_name}" if letter.sitting_name else "本机构公示的")
            + (f"（{letter.occupation}）" if letter.occupation else "")
            + f"成绩提出的异议收悉。异议事项：{_sentence(letter.subject)}",
            st["body"],
        ),
        para(
            "根据《职业技能等级认定工作规程》第二十五条的规定，本机构对你的成绩进行了复核，现答复如下。",
            st["body"],
        ),
        para("一、复核情况", st["heading"]),
        para(_sentence(letter.recheck_summary), st["body"]),
        para("二、复核结果", st["heading"]),
    ]
    parts = list(dict.fromkeys([*letter.old_scores, *letter.new_scores]))
    if parts:
        rows: list[list[str]] = [["考核部分", "原公示成绩", "复核后成绩", "是否变更"]]
        for part in parts:
            old, new = _mark(letter.old_scores.get(part)), _mark(letter.new_scores.get(part))
            rows.append([part, old, new, "未变更" if old == new else "已更正"])
        story += [grid(rows, [50 * mm, 36 * mm, 36 * mm, 38 * mm], styles()), Spacer(1, 2 * mm)]
    story.append(para(_sentence(letter.outcome), st["body"]))
    story += [para(_sentence(text), st["body"]) for text in letter.extra if text.strip()]

    story.append(para("三、答复期限", st["heading"]))
    timely = letter.answered_on <= letter.due_on
    story.append(
        para(
            f"本机构于{_d(letter.received_on)}收到你的异议，按规定应在收到之日起5个工作日内"
            f"（收到当日不计）予以答复，答复期限至{_d(letter.due_on)}（含当日）；"
            + (
                f"本答复于{_d(letter.answered_on)}作出。"
                if timely
                else f"本答复于{_d(letter.answered_on)}作出，已超过答复期限。"
            ),
            st["body"],
        )
    )
    if letter.contact.strip():
        story.append(para(f"如对本答复有疑问，请联系：{letter.contact.strip()}", st["body"]))
    # The closing stays on the page of the letter's last words; the receipt slip may go to the next page.
    story.append(
        KeepTogether(
            [
                para("特此答复。", st["body"]),
                Spacer(1, 8 * mm),
                para(letter.institution, st["signature"]),
                para(f"答复人：{letter.signer}", st["signature"]),
                para(_d(letter.answered_on), st["signature"]),
            ]
        )
    )
    reference = f"（{letter.reference.strip()}）" if letter.reference.strip() else ""
    story.append(
        KeepTogether(
            [
                Spacer(1, 4 * mm),
                HRFlowable(width="100%", thickness=0.6, dash=(4, 3), color=colors.black, spaceAfter=2 * mm),
                para("签　收　联", ParagraphStyle("slip", parent=st["subtitle"], spaceAfter=2 * mm)),
                para(
                    f"本人{letter.candidate_name}（证件号码：{letter.masked_id}）已收到{letter.institution}"
                    f"于{_d(letter.answered_on)}作出的成绩异议答复书{reference}。",
                    st["plain"],
                ),
                Spacer(1, 5 * mm),
                para("签收人：＿＿＿＿＿＿＿＿　　签收日期：＿＿＿＿年＿＿月＿＿日", st["signature"]),
            ]
        )
    )
    build_pdf(
        path,
        story,
        title="成绩异议答复书",
        author=letter.institution,
        footer=f"成绩异议答复书（{letter.candidate_name}）",
    )
