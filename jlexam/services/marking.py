"""Markers (阅卷人员, 002 §25): the assessors chosen to mark a session's papers, per room or for the whole session.

- "评价机构应按阅卷评分的有关规定选配阅卷人员" (002 §25): a marker is a person of the staff registry registered
  as an assessor (考评员), active, whose appointment is valid on the session's day and covers the occupations
  and levels of the candidates marked (002 §38). The check is staffing's own (``staffing.person_problems``).
- Marking happens after the exam, so the arrangement lock (002 §21) does not apply; markers are fixed once
  the part's scores of the session are locked, and after the results are judged.
- A theory session needs at least one marker for every room that seats candidates before its scores are
  locked (``missing_marker_problems``, checked by ``scoring.lock_scores``). Practical exams and reviews are
  scored on the spot by the assessors of the room (staffing), who are their markers unless others are chosen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jlexam.domain.sitting_state import SittingState
from jlexam.errors import NotFound, StateError, ValidationError
from jlexam.services.arrangement import (
    Problem,
    find_room,
    get_session,
    occupation_names,
    room_label,
    room_numbers,
    session_applications,
    session_label,
    sitting_sessions,
)
from jlexam.services.base import Actor, UnitOfWork, query, use_case
from jlexam.services.sittings import get_sitting
from jlexam.services.staffing import find_member, person_problems
from jlexam.store.models import (
    Application,
    ExamSession,
    MarkerAssignment,
    Room,
    Score,
    SeatAssignment,
    Sitting,
    StaffAssignment,
    StaffMember,
)

RULE = "002 §25"
_RULE_TEXT = "评价机构应按阅卷评分的有关规定选配阅卷人员（002 第二十五条）"
# Markers may be chosen once registration has closed (the sessions and their candidates are known) and
# changed until the results are judged.
MARKER_STATES = (SittingState.CLOSED, SittingState.ARRANGED, SittingState.TICKETED, SittingState.HELD)
WHOLE_SESSION = "全部考场"


@dataclass(frozen=True)
class MarkerView:
    id: int
    session_id: int
    session: str
    part: str
    room_id: int | None  # None: every room of the session
    room: str  # 考场 label, or WHOLE_SESSION
    staff_id: int
    name: str
    certificate_number: str
    assigned_by: str
    assigned_at: datetime


@dataclass(frozen=True)
class RoomMarking:
    room_id: int
    room: str  # 第01考场（理论一）
    candidates: int
    markers: tuple[str, ...]  # names, whole-session markers included
    assessors: tuple[str, ...]  # the room's assessors (practical, review): they score on the spot


@dataclass(frozen=True)
class SessionMarking:
    session_id: int
    session: str
    part: str
    candidates: int
    markers: tuple[MarkerView, ...]
    rooms: tuple[RoomMarking, ...] = field(default=())
    problems: tuple[str, ...] = field(default=())  # what blocks locking this session's scores (002 §25)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class MarkerChoice:
    """A person of the registry, for the choice of markers: qualified or not, and why not."""

    staff_id: int
    name: str
    certificate_number: str
    problems: tuple[str, ...]

    @property
    def qualified(self) -> bool:
        return not self.problems


# --- helpers --------------------------------------------------------------------------------------------
def _seated(s: Session, session_id: int, room_id: int | None = None) -> list[tuple[str, int]]:
    """(occupation code, level) of the candidates seated in the session (or one of its rooms)."""
    stmt = (
        select(Application.occupation_code, Application.level)
        .join(SeatAssignment, SeatAssignment.application_id == Application.id)
        .where(SeatAssignment.session_id == session_id)
    )
    if room_id is not None:
        stmt = stmt.where(SeatAssignment.room_id == room_id)
    return sorted(set(s.execute(stmt).all()))


def _groups(s: Session, session: ExamSession, room: Room | None) -> list[tuple[str, int]]:
    """What a marker must be appointed for: the occupations and levels of the candidates they mark."""
    if room is not None:
        return _seated(s, session.id, room.id)
    seated = _seated(s, session.id)
    if seated:
        return seated
    groups = sorted({(a.occupation_code, a.level) for a in session_applications(s, session)})
    if groups:
        return groups
    return [(session.occupation_code, session.level or 5)] if session.occupation_code else []


def _session_rooms(s: Session, session: ExamSession) -> dict[int, int]:
    """room id -> candidates seated there."""
    return dict(
        s.execute(
            select(SeatAssignment.room_id, func.count())
            .where(SeatAssignment.session_id == session.id)
            .group_by(SeatAssignment.room_id)
        ).all()
    )


def _room_text(
    s: Session,
    sitting: Sitting,
    session: ExamSession,
    room_id: int | None,
    numbers: dict[tuple[int, int], int] | None = None,
) -> str:
    if room_id is None:
        return WHOLE_SESSION
    room = s.get(Room, room_id)
    assert room is not None
    number = (numbers if numbers is not None else room_numbers(s, sitting)).get((session.id, room_id))
    return room_label(number, room) if number else room.name


def _view(s: Session, a: MarkerAssignment, sitting: Sitting | None = None) -> MarkerView:
    session = s.get(ExamSession, a.session_id)
    m = s.get(StaffMember, a.staff_id)
    assert session is not None and m is not None
    sitting = sitting or s.get(Sitting, session.sitting_id)
    assert sitting is not None
    return MarkerView(
        a.id,
        session.id,
        session_label(session),
        session.part,
        a.room_id,
        _room_text(s, sitting, session, a.room_id),
        m.id,
        m.name,
        m.certificate_number,
        a.assigned_by,
        a.assigned_at,
    )


def _require_open(s: Session, sitting: Sitting, session: ExamSession) -> None:
    state = SittingState(sitting.state)
    if state in (SittingState.DRAFT, SittingState.OPEN):
        raise StateError(
            f"认定批次 {sitting.code} 当前为“{state.label}”：报名截止、场次和考生确定后才能选配阅卷人。"
        )
    if state not in MARKER_STATES:
        raise StateError(
            f"认定批次 {sitting.code} 的成绩已判定（{state.label}），不能再调整阅卷人：阅卷人员随成绩存档。",
            rule=RULE,
        )
    apps = [a.id for a in session_applications(s, session)]
    locked = s.scalar(
        select(func.count())
        .select_from(Score)
        .where(Score.application_id.in_(apps), Score.part == session.part)
    )
    if locked:
        raise StateError(
            f"{session_label(session)}的成绩已锁定（{locked} 条），不能再调整阅卷人：阅卷人员须在锁定成绩前选定"
            "（002 第二十五条）。",
            rule=RULE,
        )


def _problems(s: Session, m: StaffMember, session: ExamSession, room: Room | None) -> list[Problem]:
    return person_problems(
        s, m, "assessor", session, room, occupation_names(s), groups=_groups(s, session, room)
    )


# --- queries --------------------------------------------------------------------------------------------
@query("scores.view")
def list_markers(s: Session, actor: Actor, sitting_code: str, part: str | None = None) -> list[MarkerView]:
    sitting = get_sitting(s, sitting_code)
    rows = s.scalars(
        select(MarkerAssignment)
        .join(ExamSession, ExamSession.id == MarkerAssignment.session_id)
        .where(ExamSession.sitting_id == sitting.id)
        .order_by(ExamSession.starts_at, MarkerAssignment.room_id, MarkerAssignment.id)
    )
    views = [_view(s, a, sitting) for a in rows]
    return [v for v in views if part is None or v.part == part]


def markers_for(s: Session, session: ExamSession, room_id: int | None) -> list[str]:
    """Names of the markers of a room of a session: the room's own and the whole session's."""
    stmt = (
        select(StaffMember.name)
        .join(MarkerAssignment, MarkerAssignment.staff_id == StaffMember.id)
        .where(MarkerAssignment.session_id == session.id)
        .order_by(MarkerAssignment.id)
    )
    if room_id is not None:
        stmt = stmt.where((MarkerAssignment.room_id == room_id) | MarkerAssignment.room_id.is_(None))
    return list(dict.fromkeys(s.scalars(stmt)))


def _room_assessors(s: Session, session: ExamSession, room_id: int) -> list[str]:
    return list(
        s.scalars(
            select(StaffMember.name)
            .join(StaffAssignment, StaffAssignment.staff_id == StaffMember.id)
            .where(
                StaffAssignment.session_id == session.id,
                StaffAssignment.room_id == room_id,
                StaffAssignment.duty == "assessor",
            )
            .order_by(StaffAssignment.id)
        )
    )


def _session_marking(s: Session, sitting: Sitting, session: ExamSession) -> SessionMarking:
    markers = tuple(
        _view(s, a, sitting)
        for a in s.scalars(
            select(MarkerAssignment)
            .where(MarkerAssignment.session_id == session.id)
            .order_by(MarkerAssignment.id)
        )
    )
    seated = _session_rooms(s, session)
    numbers = room_numbers(s, sitting)
    rooms = tuple(
        RoomMarking(
            room_id,
            _room_text(s, sitting, session, room_id, numbers),
            n,
            tuple(markers_for(s, session, room_id)),
            tuple(_room_assessors(s, session, room_id)) if session.part != "theory" else (),
        )
        for room_id, n in sorted(
            seated.items(), key=lambda kv: numbers.get((session.id, kv[0]), 10_000 + kv[0])
        )
    )
    candidates = sum(seated.values()) if seated else len(session_applications(s, session))
    problems: list[str] = []
    if session.part == "theory" and candidates:
        where = session_label(session)
        if not markers:
            problems.append(
                f"{where}还没有阅卷人：{_RULE_TEXT}。请在“成绩”页点“安排阅卷人…”，从合格的考评员中选配后再锁定成绩。"
            )
        else:
            for room in rooms:
                if not room.markers:
                    problems.append(
                        f"{where}{room.room}（考生 {room.candidates} 人）还没有阅卷人：{_RULE_TEXT}。"
                        "请为该考场或整个场次选配阅卷人后再锁定成绩。"
                    )
    return SessionMarking(
        session.id, session_label(session), session.part, candidates, markers, rooms, tuple(problems)
    )


@query("scores.view")
def marking_overview(
    s: Session, actor: Actor, sitting_code: str, part: str | None = None
) -> list[SessionMarking]:
    """Every session (of one part) with its markers, its rooms and what is missing (002 §25)."""
    sitting = get_sitting(s, sitting_code)
    return [
        _session_marking(s, sitting, x)
        for x in sitting_sessions(s, sitting)
        if part is None or x.part == part
    ]


def missing_marker_problems(s: Session, sitting: Sitting, part: str) -> list[Problem]:
    """What blocks locking ``part``'s scores for want of markers (002 §25); only theory needs them chosen."""
    return [
        Problem(RULE, text)
        for x in sitting_sessions(s, sitting)
        if x.part == part
        for text in _session_marking(s, sitting, x).problems
    ]


@query("scores.view")
def marker_choices(
    s: Session, actor: Actor, session_id: int, room: int | str | None = None
) -> list[MarkerChoice]:
    """The registry's assessors for a session (or room): the qualified first, the others with the reason."""
    session = get_session(s, session_id)
    room_row = find_room(s, room) if room not in (None, "") else None
    choices = [
        MarkerChoice(
            m.id, m.name, m.certificate_number, tuple(p.message for p in _problems(s, m, session, room_row))
        )
        for m in s.scalars(select(StaffMember).order_by(StaffMember.name, StaffMember.id))
        if "assessor" in m.roles.split("|")
    ]
    return sorted(choices, key=lambda c: (not c.qualified, c.name))


@query("scores.view")
def session_rooms(s: Session, actor: Actor, session_id: int) -> list[tuple[int, str]]:
    """(room id, 考场 label) of the rooms that seat candidates in the session."""
    session = get_session(s, session_id)
    sitting = s.get(Sitting, session.sitting_id)
    assert sitting is not None
    return sorted(
        ((rid, _room_text(s, sitting, session, rid)) for rid in _session_rooms(s, session)),
        key=lambda r: r[1],
    )


# --- use cases ------------------------------------------------------------------------------------------
@use_case("marking.manage")
def assign_marker(
    uow: UnitOfWork, session_id: int, staff: int | str, room: int | str | None = None
) -> MarkerView:
    """Choose a qualified assessor to mark a session's papers, in one room or (``room`` None) in all of them."""
    s = uow.session
    session = get_session(s, session_id)
    sitting = s.get(Sitting, session.sitting_id)
    assert sitting is not None
    m = find_member(s, staff, "阅卷人须先在“考务人员”页登记为考评员。")
    room_row = find_room(s, room) if room not in (None, "") else None
    _require_open(s, sitting, session)
    if room_row is not None and room_row.id not in _session_rooms(s, session):
        raise ValidationError(
            f"“{room_row.name}”不是{session_label(session)}安排了考生的考场：请选择本场次的考场，或选择“{WHOLE_SESSION}”。"
        )
    problems = _problems(s, m, session, room_row)
    if problems:
        where = _room_text(s, sitting, session, room_row.id if room_row else None)
        lines = "\n".join(f"{i}. {p.message}" for i, p in enumerate(problems, 1))
        raise ValidationError(
            f"{m.name} 不能担任{session_label(session)}{where}的阅卷人：{_RULE_TEXT}，阅卷人须是在册、在聘、"
            f"聘用范围含所阅考生职业和等级的考评员。\n{lines}",
            rule=problems[0].rule,
        )
    existing = list(
        s.scalars(
            select(MarkerAssignment).where(
                MarkerAssignment.session_id == session.id, MarkerAssignment.staff_id == m.id
            )
        )
    )
    for a in existing:
        if a.room_id is None:
            raise ValidationError(
                f"{m.name} 已是{session_label(session)}{WHOLE_SESSION}的阅卷人，无需重复选配。"
            )
        if room_row is not None and a.room_id == room_row.id:
            raise ValidationError(
                f"{m.name} 已是{session_label(session)}{_room_text(s, sitting, session, a.room_id)}的阅卷人。"
            )
    if room_row is None:
        for a in existing:  # a whole-session marker replaces the same person's room markings
            s.delete(a)
    a = MarkerAssignment(
        session_id=session.id,
        staff_id=m.id,
        room_id=room_row.id if room_row else None,
        assigned_by=uow.actor.username,
        assigned_at=uow.now,
    )
    s.add(a)
    s.flush()
    view = _view(s, a, sitting)
    uow.audit(
        "marking.assign",
        "sitting",
        sitting.code,
        f"选配 {m.name}（考评员证 {m.certificate_number}）为{view.session}{view.room}的阅卷人",
    )
    return view


@use_case("marking.manage")
def unassign_marker(uow: UnitOfWork, marker_id: int) -> None:
    s = uow.session
    a = s.get(MarkerAssignment, marker_id)
    if a is None:
        raise NotFound(f"没有编号为 {marker_id} 的阅卷人安排。")
    session = s.get(ExamSession, a.session_id)
    assert session is not None
    sitting = s.get(Sitting, session.sitting_id)
    assert sitting is not None
    _require_open(s, sitting, session)
    view = _view(s, a, sitting)
    s.delete(a)
    uow.audit(
        "marking.unassign", "sitting", sitting.code, f"取消 {view.name} 在{view.session}{view.room}的阅卷安排"
    )


def marker_names(s: Session, sessions: Sequence[ExamSession], room_id: int | None) -> list[str]:
    """Markers of rooms of sessions (for a printed sheet); a practical room's assessors when none was chosen."""
    names: list[str] = []
    for x in sessions:
        chosen = markers_for(s, x, room_id)
        if not chosen and x.part != "theory" and room_id is not None:
            chosen = _room_assessors(s, x, room_id)
        names += chosen
    return list(dict.fromkeys(names))
