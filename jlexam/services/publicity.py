"""Result publicity (成绩公示) and objections (002 §25).

Results are published for at least 5 working days (the publication day is day 1 when it is a working day);
an objection raised within the period is answered within 5 working days of receipt; certificates wait until
the period has ended and every objection is answered. A score changed by an objection goes through the one
audited change path, and the list is published again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jlexam.documents.objection import ObjectionLetter, render_answer_letter
from jlexam.documents.publicity import PublicityRow, render_publicity_list, write_publicity_xlsx
from jlexam.domain.china_time import china_date
from jlexam.domain.levels import SkillLevel
from jlexam.domain.scoring import ScoreMark, mark_from_text, mark_label, publicity_start_problem
from jlexam.domain.sitting_state import SittingState
from jlexam.domain.standards import ExamPart
from jlexam.domain.workdays import MIN_PUBLICITY_DAYS
from jlexam.errors import NotFound, StateError, ValidationError
from jlexam.services.arrangement import sitting_sessions
from jlexam.services.base import Actor, UnitOfWork, query, use_case
from jlexam.services.calendar import calendar_in
from jlexam.services.scoring import apply_score_change
from jlexam.services.sittings import get_sitting
from jlexam.store.models import (
    Application,
    Candidate,
    Institution,
    Objection,
    Occupation,
    Publicity,
    Score,
    ScoreChange,
    Sitting,
)

RESULT_LABELS = {"passed": "合格", "failed": "不合格", "absent": "缺考"}


@dataclass(frozen=True)
class PublicityView:
    version: int
    start_on: date
    end_on: date
    provisional: bool


def _latest(s: Session, sitting: Sitting) -> Publicity | None:
    return s.scalar(
        select(Publicity)
        .where(Publicity.sitting_id == sitting.id)
        .order_by(Publicity.version.desc())
        .limit(1)
    )


@use_case("publicity.manage")
def publish_results(
    uow: UnitOfWork, sitting_code: str, start_on: date, days: int = MIN_PUBLICITY_DAYS
) -> PublicityView:
    """Publish (or publish again) the results; the period is computed from the working-day calendar."""
    s = uow.session
    sitting = get_sitting(s, sitting_code)
    state = SittingState(sitting.state)
    if state not in (SittingState.MARKED, SittingState.PUBLICISED):
        raise StateError(f"认定批次 {sitting.code} 当前为“{state.label}”：须先判定全部成绩结果，才能公示。")
    pending = s.scalar(
        select(func.count())
        .select_from(Application)
        .where(
            Application.sitting_id == sitting.id,
            Application.decision == "approved",
            Application.result.is_(None) | (Application.result == "pending"),
        )
    )
    if pending:
        raise StateError(f"还有 {pending} 名考生没有成绩结果，不能公示。")
    latest = _latest(s, sitting)
    sessions = sitting_sessions(s, sitting)
    last_day = max((china_date(x.ends_at) for x in sessions), default=None)
    problem = publicity_start_problem(start_on, last_day, latest.start_on if latest else None)
    if problem:
        raise ValidationError(problem, rule="002 §25")
    period = calendar_in(s).publicity_period(start_on, days)  # 002 §25: at least 5 working days
    row = Publicity(
        sitting_id=sitting.id,
        version=(latest.version + 1) if latest else 1,
        start_on=start_on,
        end_on=period.end,
        provisional=period.provisional,
        published_by=uow.actor.username,
        published_at=uow.now,
    )
    s.add(row)
    sitting.state = SittingState.PUBLICISED.value
    note = (
        f"（日历未覆盖 {'、'.join(map(str, period.uncovered_years))} 年，期限为暂定）"
        if period.provisional
        else ""
    )
    uow.audit(
        "publicity.publish",
        "sitting",
        sitting.code,
        f"第 {row.version} 次公示成绩：{start_on:%Y-%m-%d} 至 {period.end:%Y-%m-%d}{note}",
    )
    return PublicityView(row.version, start_on, period.end, period.provisional)


def _approved(s: Session, sitting: Sitting) -> list[tuple[Application, Candidate]]:
    """The approved applications with their candidates, in the public list's order (occupation, level)."""
    stmt = (
        select(Application, Candidate)
        .join(Candidate, Application.candidate_id == Candidate.id)
        .where(Application.sitting_id == sitting.id, Application.decision == "approved")
        .order_by(Application.occupation_code, Application.level.desc(), Application.id)
    )
    return [(a, c) for a, c in s.execute(stmt)]


def _rows(s: Session, sitting: Sitting) -> list[PublicityRow]:
    names = {o.code: o.name for o in s.scalars(select(Occupation))}
    return [
        PublicityRow(
            c.name,
            c.id_number_masked,
            names.get(a.occupation_code, a.occupation_code),
            a.work_type or "--",
            SkillLevel(a.level).written,
            RESULT_LABELS.get(a.result or "", "待定"),
        )
        for a, c in _approved(s, sitting)
    ]


@dataclass(frozen=True)
class ResultRow:
    """One candidate's locked marks and result, as the exam office checks them before and during publicity."""

    application_id: int
    name: str
    id_number_masked: str
    occupation: str
    level_written: str
    marks: dict[str, str]  # part value -> mark label (85, 缺考, 违纪); a part not locked is missing
    result: str  # 合格, 不合格, 缺考, 待定
    reason: str  # why not passed (from the standard's pass marks), "" otherwise
    changed: bool  # a locked mark was corrected afterwards (audited)


@query("publicity.view")
def result_rows(s: Session, actor: Actor, sitting_code: str) -> list[ResultRow]:
    """Every approved application's locked marks and result, in the public list's order."""
    sitting = get_sitting(s, sitting_code)
    names = {o.code: o.name for o in s.scalars(select(Occupation))}
    pairs = _approved(s, sitting)
    ids = [a.id for a, _c in pairs]
    marks: dict[int, dict[str, str]] = {}
    changed: set[int] = set()
    for score in s.scalars(select(Score).where(Score.application_id.in_(ids))):
        marks.setdefault(score.application_id, {})[score.part] = mark_label(mark_from_text(score.mark))
    for app_id in s.scalars(
        select(Score.application_id).join(ScoreChange, ScoreChange.score_id == Score.id).where(
            Score.application_id.in_(ids)
        )
    ):
        changed.add(app_id)
    return [
        ResultRow(
            a.id,
            c.name,
            c.id_number_masked,
            names.get(a.occupation_code, a.occupation_code),
            SkillLevel(a.level).written,
            marks.get(a.id, {}),
            RESULT_LABELS.get(a.result or "", "待定"),
            (a.result_reason or "") if a.result not in (None, "passed") else "",
            a.id in changed,
        )
        for a, c in pairs
    ]


@query("publicity.view")
def current_publicity(s: Session, actor: Actor, sitting_code: str) -> PublicityView | None:
    """The latest publication of the sitting's results, or None before the first."""
    latest = _latest(s, get_sitting(s, sitting_code))
    if latest is None:
        return None
    return PublicityView(latest.version, latest.start_on, latest.end_on, latest.provisional)


@use_case("publicity.manage")
def write_publicity_list(
    uow: UnitOfWork, sitting_code: str, pdf: Path | None = None, xlsx: Path | None = None
) -> None:
    """The public list as PDF and/or xlsx: masked ID numbers, no phone numbers, no photos (002 §25)."""
    s = uow.session
    sitting = get_sitting(s, sitting_code)
    latest = _latest(s, sitting)
    if latest is None:
        raise StateError("尚未发布公示，请先设定公示开始日期。")
    inst = s.scalar(select(Institution))
    kwargs = dict(
        institution=inst.name if inst else "",
        sitting_name=sitting.name,
        period_start=latest.start_on,
        period_end=latest.end_on,
        provisional=latest.provisional,
        contact=f"{inst.contact_person} {inst.contact_phone}".strip() if inst else "",
        published_on=latest.start_on,
    )
    rows = _rows(s, sitting)
    if pdf is not None:
        render_publicity_list(rows, Path(pdf), **kwargs)
    if xlsx is not None:
        write_publicity_xlsx(rows, Path(xlsx), **kwargs)
    uow.audit(
        "publicity.export", "sitting", sitting.code, f"导出第 {latest.version} 次公示名单（{len(rows)} 人）"
    )


def _require_publicised(sitting: Sitting, doing: str) -> None:
    """Objections are answered and results made final only while the results are publicised (002 §25)."""
    if sitting.state != SittingState.PUBLICISED.value:
        raise StateError(
            f"认定批次 {sitting.code} 当前为“{SittingState(sitting.state).label}”：只能在成绩公示阶段{doing}。",
            rule="002 §25",
        )


@use_case("publicity.objection")
def record_objection(
    uow: UnitOfWork,
    sitting_code: str,
    raised_by: str,
    received_on: date,
    subject: str,
    application_id: int | None = None,
) -> int:
    """An objection received within the publicity period; due 5 working days after receipt (002 §25)."""
    s = uow.session
    sitting = get_sitting(s, sitting_code)
    latest = _latest(s, sitting)
    if latest is None:
        raise StateError("该批次尚未公示成绩，不能登记异议。")
    if sitting.state != SittingState.PUBLICISED.value:
        raise StateError(
            f"认定批次 {sitting.code} 的成绩已确定（当前为“{SittingState(sitting.state).label}”），不能再登记异议："
            "公示期内收到的异议须在确定成绩前登记并答复（002 第二十五条）。",
            rule="002 §25",
        )
    if not (latest.start_on <= received_on <= latest.end_on):
        raise ValidationError(
            f"异议须在公示期内（{latest.start_on:%Y-%m-%d} 至 {latest.end_on:%Y-%m-%d}）提出；"
            f"{received_on:%Y-%m-%d} 收到的不在公示期内。",
            rule="002 §25",
        )
    if not raised_by.strip() or not subject.strip():
        raise ValidationError("请填写异议人和异议内容。")
    if application_id is not None:
        app = s.get(Application, application_id)
        if app is None or app.sitting_id != sitting.id:
            raise ValidationError("所选报名不属于该批次。")
    due = calendar_in(s).deadline_after(received_on, 5)
    row = Objection(
        sitting_id=sitting.id,
        application_id=application_id,
        raised_by=raised_by.strip(),
        received_on=received_on,
        due_on=due.date,
        due_provisional=due.provisional,
        subject=subject.strip(),
    )
    s.add(row)
    s.flush()
    uow.audit(
        "objection.record",
        "objection",
        row.id,
        f"收到 {raised_by.strip()} 的异议（{received_on:%Y-%m-%d}），答复期限至 {due.date:%Y-%m-%d}（含当日）",
    )
    return row.id


@use_case("publicity.manage")
def answer_objection(
    uow: UnitOfWork,
    objection_id: int,
    recheck_summary: str,
    outcome: str,
    answered_on: date,
    new_marks: dict[str, ScoreMark | str] | None = None,
) -> bool:
    """Answer after the re-check; changed scores go through the audited path. Returns whether the list must
    be published again."""
    s = uow.session
    row = s.get(Objection, objection_id)
    if row is not None:
        sitting = s.get(Sitting, row.sitting_id)
        assert sitting is not None
        _require_publicised(sitting, "答复异议")
    if row is None:
        raise NotFound(f"异议 {objection_id} 不存在。")
    if row.answered_on is not None:
        raise StateError("该异议已答复。")
    if not recheck_summary.strip() or not outcome.strip():
        raise ValidationError("请填写复核情况和答复结论。")
    if answered_on < row.received_on:
        raise ValidationError("答复日期不能早于收到异议的日期。")
    changed = False
    for part, mark in (new_marks or {}).items():
        if row.application_id is None:
            raise ValidationError("该异议没有关联考生，不能修改成绩。")
        apply_score_change(
            uow, row.application_id, ExamPart(part), mark, f"异议复核：{outcome.strip()}", row.id
        )
        changed = True
    row.recheck_summary, row.outcome = recheck_summary.strip(), outcome.strip()
    row.answered_on, row.answered_by = answered_on, uow.actor.username
    late = "（超过答复期限）" if answered_on > row.due_on else ""
    uow.audit("objection.answer", "objection", row.id, f"答复异议：{outcome.strip()}{late}")
    return changed


@dataclass(frozen=True)
class ObjectionView:
    id: int
    raised_by: str
    received_on: date
    due_on: date
    due_provisional: bool
    subject: str
    answered_on: date | None
    outcome: str


@query("publicity.view")
def list_objections(s: Session, actor: Actor, sitting_code: str) -> list[ObjectionView]:
    sitting = get_sitting(s, sitting_code)
    rows = s.scalars(
        select(Objection).where(Objection.sitting_id == sitting.id).order_by(Objection.received_on)
    )
    return [
        ObjectionView(
            o.id, o.raised_by, o.received_on, o.due_on, o.due_provisional, o.subject, o.answered_on, o.outcome
        )
        for o in rows
    ]


@query("publicity.view")
def certification_blockers(s: Session, actor: Actor, sitting_code: str, today: date) -> list[str]:
    """Why certificates cannot be issued yet (002 §25); empty when they can."""
    return blockers_to_certify(s, sitting_code, today)


def blockers_to_certify(s: Session, sitting_code: str, today: date) -> list[str]:
    sitting = get_sitting(s, sitting_code)
    latest = _latest(s, sitting)
    if latest is None:
        return ["成绩尚未公示（002 第二十五条）。"]
    found = []
    if today <= latest.end_on:
        found.append(f"公示期至 {latest.end_on:%Y-%m-%d} 结束，期满后方可发证（002 第二十五条）。")
    if latest.provisional:
        found.append("公示期按暂定日历计算：请先录入当年节假日安排，确认公示期。")
    unanswered = s.scalar(
        select(func.count())
        .select_from(Objection)
        .where(Objection.sitting_id == sitting.id, Objection.answered_on.is_(None))
    )
    if unanswered:
        found.append(f"还有 {unanswered} 件异议未答复。")
    if _changed_since(s, sitting, latest):
        found.append("公示后有成绩被更正，请重新公示。")
    return found


def _changed_since(s: Session, sitting: Sitting, latest: Publicity) -> bool:
    return bool(
        s.scalar(
            select(func.count())
            .select_from(ScoreChange)
            .join(Score, ScoreChange.score_id == Score.id)
            .join(Application, Score.application_id == Application.id)
            .where(Application.sitting_id == sitting.id, ScoreChange.changed_at > latest.published_at)
        )
    )


@use_case("publicity.manage")
def finalize_results(uow: UnitOfWork, sitting_code: str, today: date) -> None:
    """Results become final once the period has ended and every objection is answered (then certificates)."""
    sitting = get_sitting(uow.session, sitting_code)
    _require_publicised(sitting, "确定成绩")
    blockers = blockers_to_certify(uow.session, sitting_code, today)
    if blockers:
        raise StateError("成绩尚不能确定：" + "；".join(blockers), rule="002 §25")
    sitting.state = SittingState.FINAL.value
    uow.audit("publicity.final", "sitting", sitting.code, "公示期满、异议均已答复，成绩确定")


@use_case("publicity.manage")
def write_answer_letter(uow: UnitOfWork, objection_id: int, out: Path, signer: str) -> Path:
    s = uow.session
    row = s.get(Objection, objection_id)
    if row is None or row.answered_on is None:
        raise StateError("异议尚未答复，不能生成答复书。")
    inst = s.scalar(select(Institution))
    sitting = s.get(Sitting, row.sitting_id)
    name, masked, old, new = row.raised_by, "", {}, {}
    if row.application_id is not None:
        app = s.get(Application, row.application_id)
        cand = s.get(Candidate, app.candidate_id)
        name, masked = cand.name, cand.id_number_masked
        for change, score in s.execute(
            select(ScoreChange, Score)
            .join(Score, ScoreChange.score_id == Score.id)
            .where(ScoreChange.objection_id == row.id)
        ):
            label = ExamPart(score.part).label
            old[label], new[label] = (
                mark_label(mark_from_text(change.old_mark)),
                mark_label(mark_from_text(change.new_mark)),
            )
    letter = ObjectionLetter(
        institution=inst.name if inst else "",
        candidate_name=name,
        masked_id=masked,
        received_on=row.received_on,
        due_on=row.due_on,
        subject=row.subject,
        recheck_summary=row.recheck_summary,
        outcome=row.outcome,
        old_scores=old,
        new_scores=new,
        answered_on=row.answered_on,
        signer=signer,
        sitting_name=sitting.name if sitting else "",
    )
    render_answer_letter(letter, Path(out))
    uow.audit("objection.letter", "objection", row.id, f"生成异议答复书 {Path(out).name}")
    return Path(out)
