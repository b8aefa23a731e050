"""Scores (002 §25): double entry by two clerks, reconciliation, locking, audited changes, results.

Each part's score is entered twice by two different users, the second blind to the first; where they agree
the score is locked, where they differ a supervisor settles it. After locking, a score changes only with a
reason, through ``change_score``, and every change is audited.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from jlexam.domain.levels import SkillLevel
from jlexam.domain.scoring import (
    ScoreMark,
    mark_from_text,
    mark_label,
    mark_to_text,
    parse_score,
    reconcile,
    result,
)
from jlexam.domain.sitting_state import SittingState
from jlexam.domain.standards import ExamPart
from jlexam.errors import NotFound, PermissionDenied, StateError, ValidationError
from jlexam.services.base import Actor, UnitOfWork, query, use_case
from jlexam.services.sittings import get_sitting
from jlexam.services.standards import standard_for
from jlexam.store.models import Application, Candidate, Score, ScoreChange, ScoreEntry, Sitting

# Until the exam-day stage (issue 5) records that a sitting was held, scores may be entered once
# registration has closed.
SCORING_STATES = {
    SittingState.CLOSED,
    SittingState.ARRANGED,
    SittingState.TICKETED,
    SittingState.HELD,
    SittingState.MARKED,
}


def _part(part: str) -> ExamPart:
    try:
        return ExamPart(part)
    except ValueError as exc:
        raise ValidationError(
            f"考核部分“{part}”无效，应为：{'、'.join(p.label for p in ExamPart)}。"
        ) from exc


def _scorable(s: Session, sitting: Sitting, *, writing: bool = True) -> dict[int, Application]:
    """The approved applications; entering needs a scoring state, reading works from registration close on."""
    order = list(SittingState)
    state = SittingState(sitting.state)
    readable = order.index(state) >= order.index(SittingState.CLOSED)
    if (writing and state not in SCORING_STATES) or not readable:
        raise StateError(
            f"认定批次 {sitting.code} 当前为“{SittingState(sitting.state).label}”，不能录入成绩。"
        )
    apps = s.scalars(
        select(Application).where(Application.sitting_id == sitting.id, Application.decision == "approved")
    )
    return {a.id: a for a in apps}


@use_case("scores.enter")
def enter_scores(
    uow: UnitOfWork, sitting_code: str, part: str, round_no: int, marks: Mapping[int, ScoreMark]
) -> int:
    """One clerk's entry (round 1 or 2) of one part's scores, keyed by application id."""
    return _enter(uow, sitting_code, part, round_no, marks)


def _enter(
    uow: UnitOfWork, sitting_code: str, part: str, round_no: int, marks: Mapping[int, ScoreMark]
) -> int:
    s = uow.session
    ep = _part(part)
    if round_no not in (1, 2):
        raise ValidationError("录入轮次只能是 1（第一人）或 2（第二人）。")
    apps = _scorable(s, get_sitting(s, sitting_code))
    unknown = [k for k in marks if k not in apps]
    if unknown:
        raise ValidationError(f"报名 {unknown[0]} 不在本批次资格审核通过的名单中，不能录入成绩。")
    ids = list(marks)
    entries = s.scalars(
        select(ScoreEntry).where(ScoreEntry.application_id.in_(ids), ScoreEntry.part == ep.value)
    )
    existing = {(e.application_id, e.round): e for e in entries}
    locked = set(
        s.scalars(select(Score.application_id).where(Score.application_id.in_(ids), Score.part == ep.value))
    )
    for app_id, mark in marks.items():
        if app_id in locked:
            raise StateError(
                f"报名 {app_id} 的{ep.label}成绩已锁定；如需修改，请由主考走成绩更正流程并写明理由。"
            )
        other = existing.get((app_id, 3 - round_no))
        if other is not None and other.entered_by == uow.actor.username:  # two different clerks (002 §25)
            raise PermissionDenied(
                f"您已录入过第 {3 - round_no} 轮成绩，第 {round_no} 轮须由另一位工作人员录入。"
            )
        mine = existing.get((app_id, round_no))
        if mine is not None and mine.entered_by != uow.actor.username:
            raise PermissionDenied(f"报名 {app_id} 的第 {round_no} 轮成绩已由 {mine.entered_by} 录入。")
        text = mark_to_text(parse_score(mark))
        if mine is None:
            s.add(
                ScoreEntry(
                    application_id=app_id,
                    part=ep.value,
                    round=round_no,
                    mark=text,
                    entered_by=uow.actor.username,
                    entered_at=uow.now,
                )
            )
        else:
            mine.mark, mine.entered_at = text, uow.now
    uow.audit("score.enter", "sitting", sitting_code, f"第 {round_no} 轮录入{ep.label}成绩 {len(marks)} 条")
    return len(marks)


@dataclass(frozen=True)
class EntryRow:
    application_id: int
    name: str
    id_number_masked: str
    level: SkillLevel
    my_mark: str  # what this user entered in this round ("" when none); never the other round's mark


@query("scores.view")
def entry_sheet(s: Session, actor: Actor, sitting_code: str, part: str, round_no: int) -> list[EntryRow]:
    """The list a clerk enters against: blind to the other round (002 §25 double entry)."""
    ep = _part(part)
    apps = _scorable(s, get_sitting(s, sitting_code), writing=False)
    mine = {
        e.application_id: mark_label(mark_from_text(e.mark))
        for e in s.scalars(
            select(ScoreEntry).where(
                ScoreEntry.application_id.in_(list(apps)),
                ScoreEntry.part == ep.value,
                ScoreEntry.round == round_no,
                ScoreEntry.entered_by == actor.username,
            )
        )
    }
    names = {
        c.id: c
        for c in s.scalars(select(Candidate).where(Candidate.id.in_([a.candidate_id for a in apps.values()])))
    }
    return [
        EntryRow(
            a.id,
            names[a.candidate_id].name,
            names[a.candidate_id].id_number_masked,
            SkillLevel(a.level),
            mine.get(a.id, ""),
        )
        for a in sorted(apps.values(), key=lambda a: a.id)
    ]


@dataclass(frozen=True)
class ReconciliationView:
    agreed: int
    mismatches: list[tuple[int, str, str]]  # (application id, round 1, round 2) labels
    missing_first: list[int]
    missing_second: list[int]
    locked: int


def _rounds(
    s: Session, app_ids: list[int], part: ExamPart
) -> tuple[dict[int, ScoreMark], dict[int, ScoreMark]]:
    rounds: tuple[dict[int, ScoreMark], dict[int, ScoreMark]] = ({}, {})
    for e in s.scalars(
        select(ScoreEntry).where(ScoreEntry.application_id.in_(app_ids), ScoreEntry.part == part.value)
    ):
        rounds[e.round - 1][e.application_id] = mark_from_text(e.mark)
    return rounds


def _required(s: Session, app: Application, part: ExamPart) -> bool:
    rules = standard_for(s, app.occupation_code).parts.get(SkillLevel(app.level), ())
    return any(r.part is part for r in rules)


@query("scores.view")
def reconciliation(s: Session, actor: Actor, sitting_code: str, part: str) -> ReconciliationView:
    ep = _part(part)
    apps = {
        k: a
        for k, a in _scorable(s, get_sitting(s, sitting_code), writing=False).items()
        if _required(s, a, ep)
    }
    locked = set(
        s.scalars(
            select(Score.application_id).where(Score.application_id.in_(list(apps)), Score.part == ep.value)
        )
    )
    first, second = _rounds(s, [k for k in apps if k not in locked], ep)
    open_ids = [k for k in apps if k not in locked]
    rec = reconcile({k: first.get(k) for k in open_ids}, {k: second.get(k) for k in open_ids})
    return ReconciliationView(
        len(rec.agreed),
        [(m.key, mark_label(m.first), mark_label(m.second)) for m in rec.mismatches],
        list(rec.missing_first),
        list(rec.missing_second),
        len(locked),
    )


@use_case("scores.settle")
def settle(uow: UnitOfWork, application_id: int, part: str, mark: ScoreMark | str, reason: str) -> None:
    """A supervisor settles a mismatch after checking the paper: the score is locked with that value."""
    ep = _part(part)
    if not reason.strip():
        raise ValidationError("核定不一致的成绩须写明依据（如：复核原始答卷）。")
    s = uow.session
    if s.scalar(select(Score).where(Score.application_id == application_id, Score.part == ep.value)):
        raise StateError("该成绩已锁定；如需修改请使用成绩更正。")
    text = mark_to_text(parse_score(mark))
    s.add(
        Score(
            application_id=application_id,
            part=ep.value,
            mark=text,
            settled_by=uow.actor.username,
            locked_at=uow.now,
        )
    )
    uow.audit(
        "score.settle",
        "application",
        application_id,
        f"核定{ep.label}成绩为 {mark_label(mark_from_text(text))}：{reason.strip()}",
    )


@use_case("scores.settle")
def lock_scores(uow: UnitOfWork, sitting_code: str, part: str) -> int:
    """Lock every score both clerks agree on; refuse while any mismatch or missing entry remains."""
    s = uow.session
    ep = _part(part)
    apps = {k: a for k, a in _scorable(s, get_sitting(s, sitting_code)).items() if _required(s, a, ep)}
    locked = set(
        s.scalars(
            select(Score.application_id).where(Score.application_id.in_(list(apps)), Score.part == ep.value)
        )
    )
    open_ids = [k for k in apps if k not in locked]
    first, second = _rounds(s, open_ids, ep)
    rec = reconcile({k: first.get(k) for k in open_ids}, {k: second.get(k) for k in open_ids})
    if rec.mismatches or rec.missing_first or rec.missing_second:
        raise StateError(
            f"{ep.label}还有 {len(rec.mismatches)} 条两轮录入不一致、{len(rec.missing_first) + len(rec.missing_second)} 条未录完，"
            "请先补录或由主考核定后再锁定（002 第二十五条）。",
            rule="002 §25",
        )
    for app_id, mark in rec.agreed.items():
        s.add(Score(application_id=app_id, part=ep.value, mark=mark_to_text(mark), locked_at=uow.now))
    uow.audit("score.lock", "sitting", sitting_code, f"锁定{ep.label}成绩 {len(rec.agreed)} 条")
    return len(rec.agreed)


def _recompute(s: Session, app: Application) -> None:
    rules = standard_for(s, app.occupation_code).parts.get(SkillLevel(app.level), ())
    marks = {
        ExamPart(sc.part): mark_from_text(sc.mark)
        for sc in s.scalars(select(Score).where(Score.application_id == app.id))
    }
    outcome = result({p: marks.get(p) for p in (r.part for r in rules)}, rules)
    app.result, app.result_reason = outcome.status, outcome.reason


def apply_score_change(
    uow: UnitOfWork,
    application_id: int,
    part: ExamPart,
    mark: ScoreMark | str,
    reason: str,
    objection_id: int | None = None,
) -> str:
    """The one path by which a locked score changes (used by corrections and objections); returns the old label."""
    s = uow.session
    if len(reason.strip()) < 4:
        raise ValidationError("更正已锁定的成绩须写明理由。")
    score = s.scalar(select(Score).where(Score.application_id == application_id, Score.part == part.value))
    if score is None:
        raise NotFound(f"报名 {application_id} 没有已锁定的{part.label}成绩。")
    new = mark_to_text(parse_score(mark))
    old = score.mark
    if new == old:
        raise ValidationError("新成绩与原成绩相同，无需更正。")
    score.mark = new
    s.add(
        ScoreChange(
            score_id=score.id,
            old_mark=old,
            new_mark=new,
            reason=reason.strip(),
            objection_id=objection_id,
            changed_by=uow.actor.username,
            changed_at=uow.now,
        )
    )
    app = s.get(Application, application_id)
    if app is not None and app.result is not None:
        _recompute(s, app)
    old_label, new_label = mark_label(mark_from_text(old)), mark_label(mark_from_text(new))
    uow.audit(
        "score.change",
        "application",
        application_id,
        f"{part.label}成绩由 {old_label} 改为 {new_label}：{reason.strip()}",
    )
    return old_label


@use_case("scores.change")
def change_score(uow: UnitOfWork, application_id: int, part: str, mark: ScoreMark | str, reason: str) -> None:
    apply_score_change(uow, application_id, _part(part), mark, reason)


@use_case("scores.settle")
def compute_results(uow: UnitOfWork, sitting_code: str) -> dict[str, int]:
    """Results from the locked scores and each standard's pass marks; the sitting becomes 已评分 when complete."""
    s = uow.session
    sitting = get_sitting(s, sitting_code)
    counts: dict[str, int] = {}
    for app in _scorable(s, sitting).values():
        _recompute(s, app)
        counts[app.result] = counts.get(app.result, 0) + 1
    if counts.get("pending"):
        raise StateError(f"还有 {counts['pending']} 名考生的成绩未锁定完整，不能判定全部结果。")
    sitting.state = SittingState.MARKED.value
    summary = "，".join(f"{k} {v}" for k, v in sorted(counts.items()))
    uow.audit("score.results", "sitting", sitting.code, f"判定成绩结果：{summary}")
    return counts


@use_case("scores.enter")
def import_score_workbook(uow: UnitOfWork, sitting_code: str, part: str, round_no: int, path: Path) -> int:
    """A clerk's filled score workbook (written by ``write_score_workbook``), entered as that clerk's round."""
    from jlexam.exchange.score_sheets import read_score_workbook

    imported = read_score_workbook(Path(path))
    if imported.errors:
        first = imported.errors[0]
        raise ValidationError(
            f"成绩表 {Path(path).name} 有 {len(imported.errors)} 处错误，未录入任何成绩。第一处：{first}"
        )
    marks = {int(k): v for k, v in imported.marks.items()}
    return _enter(uow, sitting_code, part, round_no, marks)
