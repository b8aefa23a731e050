"""Scores (002 §25): double entry by two clerks, reconciliation, locking, audited changes, results.

Each part's score is entered twice by two different users, the second blind to the first; where they agree
the score is locked, where they differ a supervisor settles it. After locking, a score changes only with a
reason, through ``change_score``, and every change is audited.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from jlexam.domain.levels import SkillLevel
from jlexam.domain.scoring import (
    MarkCode,
    ScoreMark,
    mark_from_text,
    mark_label,
    mark_to_text,
    parse_score,
    reconcile,
    result,
    room_record_codes,
    room_record_conflicts,
)
from jlexam.domain.sitting_state import SittingState
from jlexam.domain.standards import ExamPart
from jlexam.errors import NotFound, PermissionDenied, StateError, StorageError, ValidationError
from jlexam.services.base import Actor, UnitOfWork, query, use_case
from jlexam.services.marking import missing_marker_problems
from jlexam.services.sittings import get_sitting
from jlexam.services.standards import standard_for
from jlexam.store.models import (
    Application,
    Candidate,
    ExamSession,
    RoomEvent,
    Score,
    ScoreChange,
    ScoreEntry,
    Sitting,
)

if TYPE_CHECKING:
    from jlexam.exchange.score_sheets import ScoreSheetRow

# Scores are entered once the sitting has been held (every session over, every candidate checked in or
# recorded absent) and until the results are judged (002 §25 scores follow the exam).
SCORING_STATES = {SittingState.HELD, SittingState.MARKED}


def scoring_block(state: SittingState, code: str = "") -> str:
    """Why scores cannot be entered, settled or locked in ``state``; empty when they can."""
    if state in SCORING_STATES:
        return ""
    sitting = f"认定批次 {code} " if code else "认定批次"
    if state not in SittingState.PUBLICISED.and_later():
        return (
            f"{sitting}当前为“{state.label}”：考试结束、在“准考证与签到”页标记为已考试后才能录入、核定和锁定成绩。"
        )
    hint = "；如需修改，请由主考使用“更正成绩”并写明理由" if state is SittingState.PUBLICISED else ""
    return f"{sitting}当前为“{state.label}”：成绩已判定或已确定，不能再录入{hint}。"


def _part(part: str) -> ExamPart:
    try:
        return ExamPart(part)
    except ValueError as exc:
        raise ValidationError(
            f"考核部分“{part}”无效，应为：{'、'.join(p.label for p in ExamPart)}。"
        ) from exc


def _scorable(s: Session, sitting: Sitting, *, writing: bool = True) -> dict[int, Application]:
    """The approved applications; entering needs a scoring state, reading works from registration close on."""
    state = SittingState(sitting.state)
    if state not in SittingState.CLOSED.and_later():
        raise StateError(f"认定批次 {sitting.code} 当前为“{state.label}”：报名截止、审核完成后才有成绩录入表。")
    if writing and state not in SCORING_STATES:
        raise StateError(scoring_block(state, sitting.code))
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
    recorded: str = ""  # what the room records require: "缺考", "违纪" or "" (002 §24)


@query("scores.view")
def entry_sheet(s: Session, actor: Actor, sitting_code: str, part: str, round_no: int) -> list[EntryRow]:
    """The list a clerk enters against: blind to the other round (002 §25 double entry)."""
    ep = _part(part)
    sitting = get_sitting(s, sitting_code)
    apps = _scorable(s, sitting, writing=False)
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
    recorded = {k: code.label for k, code in room_records(s, sitting.id, ep).items()}
    return [
        EntryRow(
            a.id,
            names[a.candidate_id].name,
            names[a.candidate_id].id_number_masked,
            SkillLevel(a.level),
            mine.get(a.id, ""),
            recorded.get(a.id, ""),
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
    _scorable(s, _sitting_of(s, application_id))  # only while the sitting is being scored
    if s.scalar(select(Score).where(Score.application_id == application_id, Score.part == ep.value)):
        raise StateError("该成绩已锁定；如需修改请使用成绩更正。")
    parsed = parse_score(mark)
    _check_room_record(s, application_id, ep, parsed)
    text = mark_to_text(parsed)
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


def room_records(s: Session, sitting_id: int, part: ExamPart) -> dict[int, MarkCode]:
    """Application id -> the code its room records require for ``part`` (absent or misconduct)."""
    events = s.execute(
        select(RoomEvent.application_id, RoomEvent.kind)
        .join(ExamSession, ExamSession.id == RoomEvent.session_id)
        .where(
            ExamSession.sitting_id == sitting_id,
            ExamSession.part == part.value,
            RoomEvent.application_id.is_not(None),
        )
    )
    return room_record_codes(events)  # rows unpack as (application id, kind)


def _record_problem(s: Session, app_id: int, part: ExamPart, required: MarkCode, given: ScoreMark) -> str:
    app = s.get(Application, app_id)
    cand = s.get(Candidate, app.candidate_id) if app else None
    who = f"{cand.name if cand else ''}（报名 {app_id}）"
    why = "被记录违纪，该部分成绩无效" if required is MarkCode.MISCONDUCT else "被记录缺考"
    return f"{who}在{part.label}考场记录中{why}，应录“{required.label}”，录入的是“{mark_label(given)}”"


def _check_room_record(s: Session, app_id: int, part: ExamPart, mark: ScoreMark) -> None:
    """A single score (settled or changed) must agree with the room records (002 §24)."""
    app = s.get(Application, app_id)
    if app is None:
        return
    conflict = room_record_conflicts({app_id: mark}, room_records(s, app.sitting_id, part))
    if conflict:
        required, given = conflict[app_id]
        raise ValidationError(
            _record_problem(s, app_id, part, required, given)
            + "。如考场记录本身有误，请先由主考/质量督导核实并说明。",
            rule="002 §24",
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
    sitting = get_sitting(s, sitting_code)
    missing = missing_marker_problems(s, sitting, ep.value)  # 002 §25
    if missing:
        lines = "\n".join(f"{i}. {p.message}" for i, p in enumerate(missing, 1))
        raise StateError(f"{ep.label}成绩不能锁定，阅卷人员尚未选配完整：\n{lines}", rule="002 §25")
    if rec.mismatches or rec.missing_first or rec.missing_second:
        raise StateError(
            f"{ep.label}还有 {len(rec.mismatches)} 条两轮录入不一致、{len(rec.missing_first) + len(rec.missing_second)} 条未录完，"
            "请先补录或由主考核定后再锁定（002 第二十五条）。",
            rule="002 §25",
        )
    conflicts = room_record_conflicts(rec.agreed, room_records(s, sitting.id, ep))
    if conflicts:
        lines = "\n".join(
            f"{i}. {_record_problem(s, k, ep, req, given)}"
            for i, (k, (req, given)) in enumerate(sorted(conflicts.items())[:20], 1)
        )
        raise StateError(
            f"{ep.label}有 {len(conflicts)} 条成绩与考场记录不符，不能锁定（002 第二十四条）：\n{lines}\n"
            "请两位录入员更正各自的录入，或由主考/质量督导按考场记录核定。",
            rule="002 §24",
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
    parsed = parse_score(mark)
    _check_room_record(s, application_id, part, parsed)
    new = mark_to_text(parsed)
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


# A locked score may be corrected while results are being judged or published; once they are final the
# certificate carries them, and a mistake is put right through the certificate (correction or voiding).
CHANGEABLE_STATES = SCORING_STATES | {SittingState.PUBLICISED}


def _sitting_of(s: Session, application_id: int) -> Sitting:
    app = s.get(Application, application_id)
    sitting = s.get(Sitting, app.sitting_id) if app is not None else None
    if sitting is None:
        raise NotFound(f"没有编号为 {application_id} 的报名。")
    return sitting


@use_case("scores.change")
def change_score(uow: UnitOfWork, application_id: int, part: str, mark: ScoreMark | str, reason: str) -> None:
    """A supervisor's correction of a locked score, with its reason; audited (002 §25)."""
    sitting = _sitting_of(uow.session, application_id)
    state = SittingState(sitting.state)
    if state not in CHANGEABLE_STATES and state not in SittingState.FINAL.and_later():
        raise StateError(scoring_block(state, sitting.code))
    if state not in CHANGEABLE_STATES:
        raise StateError(
            f"认定批次 {sitting.code} 当前为“{state.label}”：成绩已确定，不能再更正。"
            "已发证书有误的，请在“证书”页办理证书更正或作废（002 第三十条）。",
            rule="002 §25",
        )
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


# --- score sheets per session and room (002 §25) ------------------------------------------------------------
@dataclass(frozen=True)
class SheetFile:
    """One session's room: its candidates and the files written for it."""

    session: str
    room: str
    candidates: int
    markers: tuple[str, ...]
    xlsx: Path | None
    pdf: Path | None


@dataclass(frozen=True)
class _SheetGroup:
    session: str
    stem: str  # the file name part naming the session and room
    room: str
    rows: list[ScoreSheetRow]
    markers: tuple[str, ...]


def _safe(text: str) -> str:
    return "".join("_" if ch in '\\/:*?"<>|' or ord(ch) < 32 else ch for ch in text).strip() or "_"


def _sheet_groups(s: Session, sitting: Sitting, ep: ExamPart, *, by_room: bool) -> list[_SheetGroup]:
    """The candidates of the part, one group per session and room (or one for the whole part), in seat order."""
    from jlexam.domain.china_time import china_time
    from jlexam.exchange.score_sheets import ScoreSheetRow
    from jlexam.services.arrangement import room_label, room_numbers, session_applications, sitting_sessions
    from jlexam.services.marking import marker_names
    from jlexam.store.models import Room, SeatAssignment, Ticket

    apps = {k: a for k, a in _scorable(s, sitting, writing=False).items() if _required(s, a, ep)}
    sessions = [x for x in sitting_sessions(s, sitting) if x.part == ep.value]
    people = {
        c.id: c
        for c in s.scalars(select(Candidate).where(Candidate.id.in_([a.candidate_id for a in apps.values()])))
    }
    tickets = dict(
        s.execute(
            select(Ticket.application_id, Ticket.number).where(Ticket.application_id.in_(list(apps)))
        ).all()
    )
    numbers = room_numbers(s, sitting)
    rooms = {r.id: r for r in s.scalars(select(Room))}

    def row(app_id: int, room: str, seat: str) -> ScoreSheetRow:
        c = people[apps[app_id].candidate_id]
        return ScoreSheetRow(str(app_id), tickets.get(app_id, ""), c.name, c.id_number_masked, room, seat)

    groups: list[_SheetGroup] = []
    seen: set[int] = set()
    for x in sessions:
        start = china_time(x.starts_at)
        label = f"{ep.label}（{start:%Y-%m-%d %H:%M}）"
        seats = s.execute(
            select(SeatAssignment).where(
                SeatAssignment.session_id == x.id, SeatAssignment.application_id.in_(list(apps))
            )
        ).scalars()
        by_room_rows: dict[int, list[SeatAssignment]] = {}
        for seat in seats:
            by_room_rows.setdefault(seat.room_id, []).append(seat)
        ordered = sorted(by_room_rows, key=lambda rid: numbers.get((x.id, rid), 10_000 + rid))
        for rid in ordered:
            number = numbers.get((x.id, rid))
            room_text = room_label(number, rooms[rid]) if number else rooms[rid].name
            seated = sorted(by_room_rows[rid], key=lambda a: a.seat_number)
            rows = [row(a.application_id, room_text, f"{a.seat_number:02d}") for a in seated]
            seen |= {a.application_id for a in seated}
            stem = f"{start:%m%d-%H%M}-{f'第{number:02d}考场-' if number else ''}{_safe(rooms[rid].name)}"
            groups.append(_SheetGroup(label, stem, room_text, rows, tuple(marker_names(s, [x], rid))))
        unseated = [
            a.id
            for a in session_applications(s, x)
            if a.id in apps and a.id not in seen and a.id not in by_room_rows
        ]
        if unseated:  # no seat plan (yet): one sheet for the session, in application order
            rows = [row(i, "未编排", "") for i in sorted(unseated)]
            seen |= set(unseated)
            groups.append(
                _SheetGroup(
                    label, f"{start:%m%d-%H%M}-未编排考场", "未编排", rows, tuple(marker_names(s, [x], None))
                )
            )
    rest = sorted(set(apps) - seen)
    if rest:
        groups.append(_SheetGroup(ep.label, "未安排场次", "未安排场次", [row(i, "", "") for i in rest], ()))
    if not by_room:
        every = [r for g in groups for r in g.rows]
        markers = tuple(dict.fromkeys(m for g in groups for m in g.markers))
        sessions_text = "、".join(dict.fromkeys(g.session for g in groups)) or ep.label
        return [_SheetGroup(sessions_text, "全部考场", "全部考场", every, markers)] if every else []
    return groups


@use_case("scores.view")
def write_score_sheets(
    uow: UnitOfWork,
    sitting_code: str,
    part: str,
    round_no: int,
    out: Path,
    *,
    by_room: bool = True,
    xlsx: bool = True,
    pdf: bool = True,
) -> list[SheetFile]:
    """Score sheets for double entry (xlsx, only the score and remark cells open) and the printed marking
    sheets (PDF, with the markers' names and signature lines), rows in seat order with ticket numbers.

    ``by_room``: ``out`` is a folder, one xlsx and one PDF per session and room; otherwise ``out`` is the xlsx
    for the whole part and the PDF is written beside it. Every file is written under a temporary name and
    the set appears together: a failure leaves none of the new files and the old ones untouched.
    """
    import os
    import shutil
    import tempfile

    from jlexam.exchange.score_sheets import render_score_sheet_pdf, write_score_workbook
    from jlexam.fileio import atomic_path
    from jlexam.store.models import Institution

    s = uow.session
    ep = _part(part)
    if round_no not in (1, 2):
        raise ValidationError("录入轮次只能是 1（第一人）或 2（第二人）。")
    if not (xlsx or pdf):
        raise ValidationError("请至少选择一种格式：Excel 录入表或 PDF 评分记录表。")
    sitting = get_sitting(s, sitting_code)
    groups = _sheet_groups(s, sitting, ep, by_room=by_room)
    if not groups:
        raise StateError(f"认定批次 {sitting.code} 没有需要{ep.label}的考生，无需成绩录入表。")
    inst = s.scalar(select(Institution))
    out = Path(out)
    folder = out if by_room else out.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValidationError(f"无法创建文件夹 {folder}：{exc.strerror}。请选择有写入权限的文件夹。") from exc
    if by_room:
        names = [
            (
                f"{_safe(sitting.code)}-{ep.label}-{g.stem}-第{round_no}轮录入表.xlsx",
                f"{_safe(sitting.code)}-{ep.label}-{g.stem}-评分记录表.pdf",
            )
            for g in groups
        ]
    else:
        names = [(out.name, out.with_suffix(".pdf").name)]
    staging = Path(tempfile.mkdtemp(prefix=".jlexam-sheets-", dir=folder))
    written: list[SheetFile] = []
    try:
        for g, (xlsx_name, pdf_name) in zip(groups, names, strict=True):
            if xlsx:
                write_score_workbook(
                    g.rows,
                    staging / xlsx_name,
                    sitting=sitting.name or sitting.code,
                    session_label=g.session,
                    part_label=ep.label,
                    room=g.room,
                    entry_round=round_no,  # type: ignore[arg-type]
                )
            if pdf:
                render_score_sheet_pdf(
                    g.rows,
                    staging / pdf_name,
                    sitting=sitting.name or sitting.code,
                    session_label=g.session,
                    part_label=ep.label,
                    room=g.room,
                    institution=inst.name if inst else "",
                    markers=g.markers,
                )
            written.append(
                SheetFile(
                    g.session,
                    g.room,
                    len(g.rows),
                    g.markers,
                    folder / xlsx_name if xlsx else None,
                    folder / pdf_name if pdf else None,
                )
            )
        for f in written:  # all rendered: now each appears under its name
            for target in (f.xlsx, f.pdf):
                if target is not None:
                    with atomic_path(target) as partial:
                        os.replace(staging / target.name, partial)
    except OSError as exc:
        raise StorageError(
            f"无法在 {folder} 写出成绩录入表和评分记录表（{exc.strerror or exc}）：请检查磁盘空间和写入权限；"
            "本次没有写出任何新文件。"
        ) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    formats = "、".join(x for x, on in (("Excel 录入表", xlsx), ("PDF 评分记录表", pdf)) if on)
    uow.audit(
        "score.sheets",
        "sitting",
        sitting.code,
        f"写出{ep.label}第 {round_no} 轮成绩录入表（{formats}）{len(written)} 份，"
        f"共 {sum(f.candidates for f in written)} 人，到 {folder}",
    )
    return written
