"""Staff (考务人员): the registry, duties per session and room, the checks, the lock, later changes, the briefing.

- The registry keeps each person's roles and qualification: an assessor's certificate number, the
  occupations and levels they assess and how long their appointment lasts (3 years, 002 §38); an internal
  supervisor is the institution's own staff, appointed for 3 years (002 §44).
- Duties are fixed before the sitting (002 §21) and checked: the ratios of the occupation's standard
  (*standard*: theory at least 1 invigilator per 15 candidates and 2 a room; practical at least 1 assessor
  per 5, at least 3, an odd number; review a panel of at least 3, odd), each person's qualification and
  validity on the day, and nobody in two places at once.
- A supervisor locks the seat plans and the staff together (the sitting becomes "arranged"); any violation
  blocks the lock and is named with its article. After the lock a change needs a reason and a supervisor
  and is audited (002 §21).
- The briefing before the sitting (002 §23) is recorded with who attended.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jlexam.domain.china_time import china_date, china_time
from jlexam.domain.levels import SkillLevel
from jlexam.domain.locked_records import LOCKED_STATES, StaffQualification, rewritten_fields, sitting_list
from jlexam.domain.sitting_state import SittingState
from jlexam.errors import NotFound, StateError, ValidationError
from jlexam.services.arrangement import (
    ROOM_KINDS,
    Problem,
    SeatPlanView,
    apply_move,
    find_room,
    get_session,
    occupation_names,
    plan_view,
    room_label,
    room_numbers,
    seat_plan_problems,
    session_label,
    sitting_sessions,
)
from jlexam.services.base import Actor, UnitOfWork, query, use_case
from jlexam.services.sittings import PART_LABELS, get_sitting
from jlexam.store.models import (
    Application,
    Briefing,
    Candidate,
    ExamSession,
    MarkerAssignment,
    Room,
    SeatAssignment,
    SeatPlanRecord,
    Sitting,
    StaffAssignment,
    StaffChange,
    StaffMember,
    Ticket,
)

STAFF_ROLES: dict[str, str] = {
    "chief_examiner": "主考",
    "exam_lead": "考务组长",
    "clerk": "工作人员",
    "invigilator": "监考员",
    "assessor": "考评员",
    "internal_supervisor": "内部质量督导员",
    "external_supervisor": "外部质量督导员",
    "safety_officer": "安全员",
}
ROOM_DUTIES = {"invigilator": "theory", "assessor": ("practical", "review")}
APPOINTMENT_YEARS = 3  # 002 §38, §44
SEP = "|"


# --- the registry ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StaffInput:
    name: str
    roles: Sequence[str]
    employer: str = ""
    internal: bool = True
    certificate_number: str = ""
    occupations: Sequence[str] = ()
    max_level: int | None = None  # the highest level (lowest number) they may assess
    appointed_on: date | None = None
    valid_until: date | None = None
    active: bool = True


@dataclass(frozen=True)
class StaffView:
    id: int
    name: str
    roles: tuple[str, ...]
    employer: str
    internal: bool
    certificate_number: str
    occupations: tuple[str, ...]
    max_level: int | None
    appointed_on: date | None
    valid_until: date | None
    active: bool

    @property
    def roles_label(self) -> str:
        return "、".join(STAFF_ROLES.get(r, r) for r in self.roles)


def _staff_view(m: StaffMember) -> StaffView:
    return StaffView(
        m.id,
        m.name,
        tuple(r for r in m.roles.split(SEP) if r),
        m.employer,
        m.internal,
        m.certificate_number,
        tuple(o for o in m.occupations.split(SEP) if o),
        m.max_level,
        m.appointed_on,
        m.valid_until,
        m.active,
    )


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _check_staff(s: Session, item: StaffInput) -> None:
    name = item.name.strip()
    if not name:
        raise ValidationError("考务人员姓名不能为空。")
    if not item.roles:
        raise ValidationError(f"请为 {name} 选择至少一个岗位。")
    for role in item.roles:
        if role not in STAFF_ROLES:
            known = "、".join(f"{k}（{v}）" for k, v in STAFF_ROLES.items())
            raise ValidationError(f"岗位“{role}”无效，应为：{known}。")
    if item.appointed_on and item.valid_until:
        if item.valid_until < item.appointed_on:
            raise ValidationError(f"{name} 的聘用有效期截止日期早于聘用日期，请核对。")
        if item.valid_until > _add_years(item.appointed_on, APPOINTMENT_YEARS):
            raise ValidationError(
                f"{name} 的聘用有效期超过 3 年（{item.appointed_on:%Y-%m-%d} 至 {item.valid_until:%Y-%m-%d}）："
                "考评人员和内部质量督导员聘用有效期为 3 年（002 第三十八条、第四十四条）。",
                rule="002 §38",
            )
    if "assessor" in item.roles:
        missing = [
            label
            for label, value in (
                ("考评员证书编号", item.certificate_number.strip()),
                ("可考评的职业", item.occupations),
                ("可考评的最高等级", item.max_level),
                ("聘用有效期", item.valid_until),
            )
            if not value
        ]
        if missing:
            raise ValidationError(
                f"{name} 是考评员，须登记{'、'.join(missing)}：考评人员经培训、考核后聘用，有效期 3 年，"
                "只能考评其聘用的职业和等级（002 第三十八条）。",
                rule="002 §38",
            )
        if item.max_level is not None and item.max_level not in range(1, 6):
            raise ValidationError(f"{name} 的可考评最高等级应为 1-5。")
        known = set(occupation_names(s))
        for code in item.occupations:
            if code not in known:
                raise ValidationError(f"{name} 的可考评职业编码 {code} 不在职业目录中。")
    if "internal_supervisor" in item.roles:
        if not item.internal:
            raise ValidationError(
                f"{name} 不是本机构正式职工，不能担任内部质量督导员（002 第四十四条）。", rule="002 §44"
            )
        if not item.valid_until:
            raise ValidationError(
                f"{name} 是内部质量督导员，须登记聘任有效期（3 年，002 第四十四条）。", rule="002 §44"
            )


def _apply(m: StaffMember, item: StaffInput) -> None:
    m.name = item.name.strip()
    m.roles = SEP.join(dict.fromkeys(item.roles))
    m.employer = item.employer.strip()
    m.internal = bool(item.internal)
    m.certificate_number = item.certificate_number.strip()
    m.occupations = SEP.join(dict.fromkeys(o.strip() for o in item.occupations if o.strip()))
    m.max_level = item.max_level
    m.appointed_on = item.appointed_on
    m.valid_until = item.valid_until
    m.active = bool(item.active)


@use_case("arrangement.manage")
def add_staff(uow: UnitOfWork, item: StaffInput) -> StaffView:
    s = uow.session
    _check_staff(s, item)
    m = StaffMember(name="", roles="")
    _apply(m, item)
    s.add(m)
    s.flush()
    view = _staff_view(m)
    uow.audit("staff.add", "staff_member", m.id, f"登记考务人员 {m.name}（{view.roles_label}）")
    return view


def _qualification(m: StaffMember) -> StaffQualification:
    return StaffQualification(
        m.name,
        m.certificate_number,
        frozenset(r for r in m.roles.split(SEP) if r),
        bool(m.internal),
        frozenset(o for o in m.occupations.split(SEP) if o),
        m.max_level,
        m.appointed_on,
        m.valid_until,
    )


def _locked_sittings_of(s: Session, staff_id: int) -> list[str]:
    """The sittings whose locked arrangement (or marking) has this person on duty."""
    locked = [state.value for state in LOCKED_STATES]
    codes: set[str] = set()
    for duty in (StaffAssignment, MarkerAssignment):
        codes |= set(
            s.scalars(
                select(Sitting.code)
                .join(ExamSession, ExamSession.sitting_id == Sitting.id)
                .join(duty, duty.session_id == ExamSession.id)
                .where(duty.staff_id == staff_id, Sitting.state.in_(locked))
            )
        )
    return sorted(codes)


@use_case("arrangement.manage")
def update_staff(uow: UnitOfWork, staff_id: int, item: StaffInput) -> StaffView:
    """Change a person on the registry.

    Once a sitting's arrangement is locked (arranged or later, archived included) the people it put on duty
    are part of its record (002 §21): for them the name, certificate number, occupations, level, appointment
    date and whether they are the institution's own staff cannot change, no role can be removed, and the
    appointment's end can only move later (a date entered too short; ending an appointment early is done by
    marking the person inactive). Employer and active may always change. What an auditor would not accept
    (the locked record saying something else than when it was locked) is refused, naming the sittings: a
    person registered wrongly is registered again, correctly, and swapped in with the supervised staff change
    before the exam. Every accepted change is audited with the old and new values.
    """
    s = uow.session
    m = find_member(s, staff_id)
    _check_staff(s, item)
    after = StaffMember(name="", roles="")
    _apply(after, item)
    before = _qualification(m)
    rewritten = rewritten_fields(before, _qualification(after))
    if rewritten:
        locked = _locked_sittings_of(s, m.id)
        if locked:
            raise StateError(
                f"{m.name} 已安排在认定批次 {sitting_list(locked)} 已锁定的考务人员安排中，这些批次的记录依据其"
                f"登记信息，不能再修改{'、'.join(rewritten)}（002 第二十一条）。登记有误或聘用变更的，请另行登记"
                "一名考务人员（填写正确信息）；需要换人的，开考前由主考/督导批准并说明理由（“调整考务人员”）。"
                "仅延长聘用有效期、增加岗位、修改工作单位或停用可直接办理。",
                rule="002 §21",
            )
    changes = _describe_changes(m, after)
    _apply(m, item)
    view = _staff_view(m)
    uow.audit(
        "staff.update",
        "staff_member",
        m.id,
        f"修改考务人员 {m.name}（{view.roles_label}）" + (f"：{changes}" if changes else ""),
    )
    return view


_STAFF_FIELDS = {
    "name": "姓名",
    "roles": "岗位",
    "employer": "工作单位",
    "internal": "本机构职工",
    "certificate_number": "证书编号",
    "occupations": "可考评职业",
    "max_level": "最高等级",
    "appointed_on": "聘用日期",
    "valid_until": "有效期至",
    "active": "启用",
}


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return "无" if value is None or value == "" else str(value)


def _describe_changes(m: StaffMember, after: StaffMember) -> str:
    """Old → new of every changed field, for the audit trail."""
    return "；".join(
        f"{label} {_shown(getattr(m, key))} → {_shown(getattr(after, key))}"
        for key, label in _STAFF_FIELDS.items()
        if getattr(m, key) != getattr(after, key)
    )


@query("staff.view")
def list_staff(s: Session, actor: Actor, role: str | None = None) -> list[StaffView]:
    rows = [_staff_view(m) for m in s.scalars(select(StaffMember).order_by(StaffMember.id))]
    return [r for r in rows if role is None or role in r.roles]


def find_member(
    s: Session, staff: int | str, missing: str = "请用 `jlexam staff list` 查看编号。"
) -> StaffMember:
    """A person of the staff registry by number or by name (refused when the name is shared)."""
    m = s.get(StaffMember, int(staff)) if str(staff).strip().isdigit() else None
    if m is None and isinstance(staff, str):
        found = list(s.scalars(select(StaffMember).where(StaffMember.name == staff.strip())))
        if len(found) > 1:
            raise ValidationError(f"有多名考务人员叫“{staff.strip()}”：请用人员编号选择。")
        m = found[0] if found else None
    if m is None:
        raise NotFound(f"考务人员名册中没有“{staff}”。{missing}")
    return m


# --- checks ------------------------------------------------------------------------------------------------
def _room_groups(s: Session, session_id: int, room_id: int) -> list[tuple[str, int]]:
    """(occupation code, level) of the candidates seated in a room in a session."""
    return sorted(
        set(
            s.execute(
                select(Application.occupation_code, Application.level)
                .join(SeatAssignment, SeatAssignment.application_id == Application.id)
                .where(SeatAssignment.session_id == session_id, SeatAssignment.room_id == room_id)
            ).all()
        )
    )


def person_problems(
    s: Session,
    m: StaffMember,
    duty: str,
    session: ExamSession,
    room: Room | None,
    names: dict[str, str],
    groups: Sequence[tuple[str, int]] | None = None,
) -> list[Problem]:
    """Whether ``m`` may do ``duty`` in ``session`` (and ``room``): role, activity, appointment, scope.

    ``groups``: the (occupation code, level) an assessor must be appointed for; by default those seated in
    ``room``, else the session's own occupation and level. Also used to choose markers (002 §25)."""
    found: list[Problem] = []
    day = china_date(session.starts_at)
    roles = m.roles.split(SEP)
    where = f"{session_label(session)}{('“' + room.name + '”') if room else ''}"
    if duty not in roles:
        found.append(
            Problem(
                "002 §21",
                f"{m.name} 未登记为{STAFF_ROLES.get(duty, duty)}，不能在{where}担任{STAFF_ROLES.get(duty, duty)}"
                "（002 第二十一条）：请先在考务人员名册中登记其岗位。",
            )
        )
    if not m.active:
        found.append(Problem("002 §21", f"{m.name} 已停用，不能安排在{where}。"))
    if duty == "assessor":
        if m.valid_until is None or m.valid_until < day or (m.appointed_on and m.appointed_on > day):
            until = f"{m.valid_until:%Y-%m-%d}" if m.valid_until else "未登记"
            found.append(
                Problem(
                    "002 §38",
                    f"考评员 {m.name} 的聘用在 {day:%Y-%m-%d} 不在有效期内（有效期至 {until}），"
                    f"不能在{where}考评：考评人员聘用有效期 3 年，过期须重新培训、考核、聘用（002 第三十八条）。",
                )
            )
        if not m.certificate_number:
            found.append(Problem("002 §38", f"考评员 {m.name} 没有登记考评员证书编号（002 第三十八条）。"))
        allowed = set(m.occupations.split(SEP))
        if groups is None:
            groups = _room_groups(s, session.id, room.id) if room is not None else []
        if not groups and session.occupation_code:
            groups = [(session.occupation_code, session.level or 5)]
        for code, level in groups:
            if code not in allowed or m.max_level is None or level < m.max_level:
                scope = (
                    f"{'、'.join(names.get(o, o) for o in sorted(allowed) if o)} {SkillLevel(m.max_level).written}及以下"
                    if m.max_level
                    else "未登记"
                )
                found.append(
                    Problem(
                        "002 §38",
                        f"考评员 {m.name} 的聘用范围（{scope}）不含{names.get(code, code)} {SkillLevel(level).written}，"
                        f"不能在{where}考评：考评人员只能考评其聘用的职业和等级（002 第三十八条）。",
                    )
                )
    if duty == "internal_supervisor":
        if not m.internal:
            found.append(
                Problem("002 §44", f"{m.name} 不是本机构正式职工，不能担任内部质量督导员（002 第四十四条）。")
            )
        if m.valid_until is None or m.valid_until < day:
            until = f"{m.valid_until:%Y-%m-%d}" if m.valid_until else "未登记"
            found.append(
                Problem(
                    "002 §44",
                    f"内部质量督导员 {m.name} 的聘任在 {day:%Y-%m-%d} 已过期（有效期至 {until}）："
                    "聘任有效期 3 年（002 第四十四条），请续聘后再安排。",
                )
            )
    return found


def _overlaps(a: ExamSession, b: ExamSession) -> bool:
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def _busy_problem(m: StaffMember, session: ExamSession, other: ExamSession, where: str) -> Problem:
    if other.id == session.id:
        text = f"{m.name} 已安排在同一场次 {session_label(session)} 的{where}"
    else:
        text = f"{m.name} 已安排在时间重叠的场次 {session_label(other)}（{where}）"
    return Problem("002 §21", f"{text}：同一时间一人只能在一处（002 第二十一条）。")


def _require_open_arrangement(sitting: Sitting) -> None:
    state = SittingState(sitting.state)
    if state in (SittingState.DRAFT, SittingState.OPEN):
        raise StateError(f"认定批次 {sitting.code} 当前为“{state.label}”：报名截止后才能安排考务人员。")
    if state is not SittingState.CLOSED:
        raise StateError(
            f"认定批次 {sitting.code} 的考务人员已锁定（{state.label}），不得随意调换（002 第二十一条）："
            "确需调整的，须由主考/督导批准并说明理由（“调整考务人员”）。",
            rule="002 §21",
        )


def _assignment_where(s: Session, a: StaffAssignment) -> str:
    if a.room_id is None:
        return "场次"
    room = s.get(Room, a.room_id)
    return f"“{room.name}”" if room else "考场"


def _check_assignment(
    s: Session, m: StaffMember, duty: str, session: ExamSession, room: Room | None, ignore: int | None = None
) -> list[Problem]:
    if duty not in STAFF_ROLES:
        raise ValidationError(
            f"职责“{duty}”无效，应为：{'、'.join(f'{k}（{v}）' for k, v in STAFF_ROLES.items())}。"
        )
    if duty in ROOM_DUTIES:
        if room is None:
            raise ValidationError(f"{STAFF_ROLES[duty]}须安排到具体考场，请选择考场。")
        kinds = ROOM_DUTIES[duty]
        if room.kind not in (kinds if isinstance(kinds, tuple) else (kinds,)) or room.kind != session.part:
            raise ValidationError(
                f"“{room.name}”是{ROOM_KINDS.get(room.kind, room.kind)}，{PART_LABELS[session.part]}的"
                f"{STAFF_ROLES[duty]}应安排到本场次的考场。"
            )
    problems = person_problems(s, m, duty, session, room, occupation_names(s))
    others = s.execute(
        select(StaffAssignment, ExamSession)
        .join(ExamSession, ExamSession.id == StaffAssignment.session_id)
        .where(StaffAssignment.staff_id == m.id)
    ).all()
    for a, other in others:
        if a.id != ignore and _overlaps(session, other):
            problems.append(_busy_problem(m, session, other, _assignment_where(s, a)))
    return problems


# --- assignments -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AssignmentView:
    id: int
    session_id: int
    session: str
    room_id: int | None
    room_name: str
    staff_id: int
    name: str
    duty: str

    @property
    def duty_label(self) -> str:
        return STAFF_ROLES.get(self.duty, self.duty)


def _assignment_view(s: Session, a: StaffAssignment) -> AssignmentView:
    session = s.get(ExamSession, a.session_id)
    m = s.get(StaffMember, a.staff_id)
    room = s.get(Room, a.room_id) if a.room_id else None
    assert session is not None and m is not None
    return AssignmentView(
        a.id, a.session_id, session_label(session), a.room_id, room.name if room else "", m.id, m.name, a.duty
    )


def _new_assignment(
    uow: UnitOfWork, session: ExamSession, m: StaffMember, duty: str, room: Room | None
) -> StaffAssignment:
    problems = _check_assignment(uow.session, m, duty, session, room)
    if problems:
        raise ValidationError("；".join(p.message for p in problems), rule=problems[0].rule)
    a = StaffAssignment(
        session_id=session.id,
        room_id=room.id if room else None,
        staff_id=m.id,
        duty=duty,
        assigned_at=uow.now,
    )
    uow.session.add(a)
    uow.session.flush()
    return a


@use_case("arrangement.manage")
def assign_staff(
    uow: UnitOfWork, session_id: int, staff: int | str, duty: str, room: int | str | None = None
) -> AssignmentView:
    """Give a person a duty in a session (and room), before the arrangement is locked."""
    s = uow.session
    session = get_session(s, session_id)
    sitting = s.get(Sitting, session.sitting_id)
    assert sitting is not None
    _require_open_arrangement(sitting)
    m = find_member(s, staff)
    room_row = find_room(s, room) if room is not None else None
    a = _new_assignment(uow, session, m, duty, room_row)
    uow.audit(
        "staff.assign",
        "staff_assignment",
        a.id,
        f"{sitting.code} {session_label(session)} {room_row.name if room_row else ''} 安排{STAFF_ROLES[duty]} {m.name}",
    )
    return _assignment_view(s, a)


@use_case("arrangement.manage")
def unassign_staff(uow: UnitOfWork, assignment_id: int) -> None:
    s = uow.session
    a = s.get(StaffAssignment, assignment_id)
    if a is None:
        raise NotFound(f"没有编号为 {assignment_id} 的考务安排。")
    session = s.get(ExamSession, a.session_id)
    sitting = s.get(Sitting, session.sitting_id) if session else None
    assert session is not None and sitting is not None
    _require_open_arrangement(sitting)
    view = _assignment_view(s, a)
    s.delete(a)
    uow.audit(
        "staff.unassign",
        "staff_assignment",
        assignment_id,
        f"{sitting.code} {view.session} 取消 {view.name} 的{view.duty_label}",
    )


@query("staff.view")
def list_assignments(s: Session, actor: Actor, sitting_code: str) -> list[AssignmentView]:
    sitting = get_sitting(s, sitting_code)
    rows = s.scalars(
        select(StaffAssignment)
        .join(ExamSession, ExamSession.id == StaffAssignment.session_id)
        .where(ExamSession.sitting_id == sitting.id)
        .order_by(ExamSession.starts_at, StaffAssignment.room_id, StaffAssignment.id)
    )
    return [_assignment_view(s, a) for a in rows]


def room_staff(s: Session, session_id: int, room_id: int, duty: str | None = None) -> list[str]:
    """Names of the staff with a duty in a room of a session."""
    stmt = (
        select(StaffMember.name)
        .join(StaffAssignment, StaffAssignment.staff_id == StaffMember.id)
        .where(StaffAssignment.session_id == session_id, StaffAssignment.room_id == room_id)
        .order_by(StaffAssignment.id)
    )
    if duty:
        stmt = stmt.where(StaffAssignment.duty == duty)
    return list(s.scalars(stmt))


# --- ratios and the whole check ----------------------------------------------------------------------------
@dataclass(frozen=True)
class RoomNeed:
    """What the standard asks of one room of one session, and what it has."""

    session_id: int
    session: str
    part: str
    room_id: int
    room_name: str
    candidates: int
    groups: tuple[tuple[str, int], ...]  # (occupation code, level) seated there
    duty: str  # invigilator or assessor
    needed: int
    odd: bool  # the count must be odd
    have: int
    rule_text: str  # the ratio in words

    @property
    def satisfied(self) -> bool:
        return self.have >= self.needed and not (self.odd and self.have % 2 == 0)


def room_needs(s: Session, sitting: Sitting) -> list[RoomNeed]:
    """Every room that seats someone, with the staff the strictest standard among its occupations asks."""
    from jlexam.services.standards import standard_for

    standards: dict[str, object] = {}
    result: list[RoomNeed] = []
    for session in sitting_sessions(s, sitting):
        counts = dict(
            s.execute(
                select(SeatAssignment.room_id, func.count())
                .where(SeatAssignment.session_id == session.id)
                .group_by(SeatAssignment.room_id)
            ).all()
        )
        duty = "invigilator" if session.part == "theory" else "assessor"
        have: dict[int, int] = defaultdict(int)
        for (room_id,) in s.execute(
            select(StaffAssignment.room_id).where(
                StaffAssignment.session_id == session.id, StaffAssignment.duty == duty
            )
        ):
            if room_id is not None:
                have[room_id] += 1
        for room_id, n in sorted(counts.items()):
            room = s.get(Room, room_id)
            assert room is not None
            groups = tuple(_room_groups(s, session.id, room_id))
            codes = sorted({code for code, _ in groups})
            for code in codes:
                if code not in standards:
                    standards[code] = standard_for(s, code)
            ratios = [standards[c].ratios for c in codes]  # type: ignore[attr-defined]
            if session.part == "theory":
                needed, odd = max(r.invigilators_needed(n) for r in ratios), False
                per = min(r.candidates_per_invigilator for r in ratios)
                least = max(r.min_invigilators_per_room for r in ratios)
                text = f"理论知识考试每 {per} 名考生至少 1 名监考员、每个考场至少 {least} 名"
            elif session.part == "practical":
                needed = max(r.assessors_needed(n) for r in ratios)
                odd = any(r.practical_assessors_odd for r in ratios)
                per = min(r.candidates_per_assessor for r in ratios)
                least = max(r.min_practical_assessors for r in ratios)
                text = f"操作技能考核每 {per} 名考生至少 1 名考评员、至少 {least} 名"
            else:
                needed = max(r.review_panel_needed() for r in ratios)
                odd = any(r.review_panel_odd for r in ratios)
                text = f"综合评审考评组至少 {max(r.min_review_panel for r in ratios)} 人"
            if odd:
                needed += 1 - needed % 2
                text += "，且为奇数"
            result.append(
                RoomNeed(
                    session.id,
                    session_label(session),
                    session.part,
                    room_id,
                    room.name,
                    n,
                    groups,
                    duty,
                    needed,
                    odd,
                    have.get(room_id, 0),
                    text,
                )
            )
    return result


@query("staff.view")
def staff_needs(s: Session, actor: Actor, sitting_code: str) -> list[RoomNeed]:
    """The staff each room of the sitting needs by its occupations' standards, and how many it has."""
    return room_needs(s, get_sitting(s, sitting_code))


def _ratio_problems(s: Session, sitting: Sitting) -> list[Problem]:
    found: list[Problem] = []
    for need in room_needs(s, sitting):
        if need.satisfied:
            continue
        label = STAFF_ROLES[need.duty]
        where = f"{need.session}“{need.room_name}”（考生 {need.candidates} 人）安排{label} {need.have} 人"
        if need.have < need.needed:
            text = f"{where}，至少需要 {need.needed} 人：按国家职业标准，{need.rule_text}（002 第二十一条）。"
        else:
            text = f"{where}，是偶数：按国家职业标准，{need.rule_text}，请增加或减少 1 人（002 第二十一条）。"
        found.append(Problem("002 §21", text))
    return found


def staffing_problems(s: Session, sitting: Sitting) -> list[Problem]:
    """Ratios, each person's qualification and validity, and double bookings of a sitting's staff."""
    found = _ratio_problems(s, sitting)
    names = occupation_names(s)
    rows = s.execute(
        select(StaffAssignment, StaffMember, ExamSession)
        .join(StaffMember, StaffMember.id == StaffAssignment.staff_id)
        .join(ExamSession, ExamSession.id == StaffAssignment.session_id)
        .where(ExamSession.sitting_id == sitting.id)
        .order_by(ExamSession.starts_at, StaffAssignment.id)
    ).all()
    seen: dict[int, list[tuple[StaffAssignment, ExamSession]]] = defaultdict(list)
    for a, m, session in rows:
        room = s.get(Room, a.room_id) if a.room_id else None
        found += person_problems(s, m, a.duty, session, room, names)
        for other_a, other in seen[m.id]:
            if _overlaps(session, other):
                found.append(_busy_problem(m, session, other, _assignment_where(s, other_a)))
        seen[m.id].append((a, session))
    # The same people in sittings held at the same time.
    mine = {a.id for a, _, _ in rows}
    for _a, m, session in rows:
        for other_a, other in s.execute(
            select(StaffAssignment, ExamSession)
            .join(ExamSession, ExamSession.id == StaffAssignment.session_id)
            .where(StaffAssignment.staff_id == m.id, ExamSession.sitting_id != sitting.id)
        ).all():
            if other_a.id not in mine and _overlaps(session, other):
                found.append(_busy_problem(m, session, other, _assignment_where(s, other_a)))
    return found


def all_problems(s: Session, sitting: Sitting) -> list[Problem]:
    return seat_plan_problems(s, sitting) + staffing_problems(s, sitting)


@query("arrangement.view")
def arrangement_problems(s: Session, actor: Actor, sitting_code: str) -> list[Problem]:
    """Everything that blocks locking the arrangement, each with its article (empty when it may be locked)."""
    return all_problems(s, get_sitting(s, sitting_code))


@use_case("arrangement.lock")
def lock_arrangement(uow: UnitOfWork, sitting_code: str) -> None:
    """The supervisor approves the seat plans and the staff: both are locked and the sitting is "arranged".

    Refused, naming every rule broken, while a ratio, a qualification, a room or a seat is wrong.
    """
    s = uow.session
    sitting = get_sitting(s, sitting_code)
    state = SittingState(sitting.state)
    if state is not SittingState.CLOSED:
        raise StateError(
            f"认定批次 {sitting.code} 当前为“{state.label}”，不能锁定考场编排：只能在报名截止后、发准考证前锁定。"
        )
    problems = all_problems(s, sitting)
    if problems:
        lines = "\n".join(f"{i}. {p.message}" for i, p in enumerate(problems, 1))
        raise StateError(
            f"认定批次 {sitting.code} 的考场编排和考务人员安排还有 {len(problems)} 处问题，不能锁定：\n{lines}",
            rule=problems[0].rule,
        )
    for record in s.scalars(
        select(SeatPlanRecord)
        .join(ExamSession, ExamSession.id == SeatPlanRecord.session_id)
        .where(ExamSession.sitting_id == sitting.id)
    ):
        record.locked_by, record.locked_at = uow.actor.username, uow.now
    sitting.state = SittingState.ARRANGED.value
    uow.audit(
        "arrangement.lock",
        "sitting",
        sitting.code,
        f"主考/督导审定并锁定 {sitting.code} 的考场编排和考务人员",
    )


# --- changes after the lock (002 §21) ----------------------------------------------------------------------
CHANGE_KINDS = {"staff": "考务人员", "seat": "座位"}
EMPTY_REASONS = {"需要调整", "临时调整", "工作需要", "工作安排", "调整座位", "调换座位", "test", "测试一下"}


@dataclass(frozen=True)
class ChangeView:
    id: int
    description: str
    reason: str
    approved_by: str
    at: datetime
    kind: str = "staff"  # staff or seat

    @property
    def kind_label(self) -> str:
        return CHANGE_KINDS.get(self.kind, self.kind)


def _change_view(c: StaffChange) -> ChangeView:
    return ChangeView(c.id, c.description, c.reason, c.approved_by, c.at, c.kind or "staff")


def _check_reason(reason: str, what: str, example: str) -> str:
    """A reason of real content (002 §21): at least 4 letters, digits or Chinese characters, not one character
    repeated, nor a placeholder such as “无”“调整”。"""
    text = " ".join((reason or "").split())
    meaningful = [ch for ch in text if ch.isalnum()]
    if len(meaningful) < 4 or len(set(meaningful)) < 3 or text.lower().strip("。.！!") in EMPTY_REASONS:
        raise ValidationError(
            f"调整已锁定的{what}须写明具体理由（如“{example}”），不得随意调换（002 第二十一条）："
            "理由至少 4 个字，说明谁、因为什么。",
            rule="002 §21",
        )
    return text


def _require_locked(sitting: Sitting, what: str) -> None:
    state = SittingState(sitting.state)
    if state not in (SittingState.ARRANGED, SittingState.TICKETED):
        if state in (SittingState.DRAFT, SittingState.OPEN, SittingState.CLOSED):
            raise StateError(
                f"认定批次 {sitting.code} 当前为“{state.label}”，编排尚未锁定：锁定前请直接调整{what}。"
            )
        raise StateError(
            f"认定批次 {sitting.code} 当前为“{state.label}”：考试已举行，不能再调整{what}（002 第二十一条）。",
            rule="002 §21",
        )


@use_case("arrangement.lock")
def change_staff(
    uow: UnitOfWork,
    sitting_code: str,
    reason: str,
    *,
    remove: int | None = None,
    add: tuple[int, int | str, str, int | str | None] | None = None,
) -> ChangeView:
    """A supervisor's change to a locked staff arrangement, with its reason (002 §21).

    ``remove``: an assignment id to cancel; ``add``: (session id, staff id or name, duty, room or None). The
    arrangement after the change must still hold every check.
    """
    s = uow.session
    sitting = get_sitting(s, sitting_code)
    _require_locked(sitting, "考务人员")
    reason = _check_reason(reason, "考务人员安排", "监考员张某因病不能到场")
    if remove is None and add is None:
        raise ValidationError("请说明要调整的安排：取消哪一项、增加哪一项。")
    parts: list[str] = []
    if remove is not None:
        a = s.get(StaffAssignment, remove)
        session = s.get(ExamSession, a.session_id) if a else None
        if a is None or session is None or session.sitting_id != sitting.id:
            raise NotFound(f"认定批次 {sitting.code} 没有编号为 {remove} 的考务安排。")
        if session.starts_at <= uow.now:  # who worked a session that has begun stays on record
            raise StateError(
                f"场次 {session_label(session)} 已开始，不能再取消该场次的考务人员安排；"
                "人员临时缺位请在考场记录中登记。",
                rule="002 §21",
            )
        view = _assignment_view(s, a)
        parts.append(f"取消 {view.name} 在{view.session}{view.room_name}的{view.duty_label}")
        s.delete(a)
        s.flush()
    if add is not None:
        session_id, staff, duty, room = add
        session = get_session(s, session_id)
        if session.sitting_id != sitting.id:
            raise ValidationError(f"场次 {session_id} 不属于认定批次 {sitting.code}。")
        if china_time(session.ends_at) <= china_time(uow.now):
            raise StateError(f"场次 {session_label(session)} 已结束，不能再调整考务人员。")
        m = find_member(s, staff)
        room_row = find_room(s, room) if room is not None else None
        _new_assignment(uow, session, m, duty, room_row)
        parts.append(
            f"安排 {m.name} 在{session_label(session)}{room_row.name if room_row else ''}任{STAFF_ROLES[duty]}"
        )
    problems = staffing_problems(s, sitting)
    if problems:
        lines = "\n".join(f"{i}. {p.message}" for i, p in enumerate(problems, 1))
        raise StateError(f"调整后的考务人员安排不符合要求，未作改动：\n{lines}", rule=problems[0].rule)
    change = StaffChange(
        sitting_id=sitting.id,
        kind="staff",
        description="；".join(parts),
        reason=reason,
        approved_by=uow.actor.username,
        at=uow.now,
    )
    s.add(change)
    s.flush()
    uow.audit(
        "staff.change",
        "sitting",
        sitting.code,
        f"调整已锁定的考务人员：{change.description}。理由：{change.reason}",
    )
    return _change_view(change)


@dataclass(frozen=True)
class SeatChangeView:
    """A supervised seat move after the lock, the plan after it, and whether the ticket must be printed again."""

    change: ChangeView
    plan: SeatPlanView
    application_id: int
    name: str
    room: str  # 第NN考场（名称）
    seat_number: int
    ticket_number: str  # "" before tickets are issued
    reprint: bool  # the ticket (and the room's documents) must be printed again

    @property
    def message(self) -> str:
        done = f"已把 {self.name} 调到{self.room} {self.seat_number:02d} 号座位，调整记录已保存。"
        if not self.reprint:
            return done + "制发准考证时将按新座位打印。"
        return (
            done + f"{self.name} 的准考证（{self.ticket_number}，号码不变）须重新打印并收回旧证；"
            "该场次的座位表、签到表和考场门贴也须重新打印。"
        )


@use_case("arrangement.lock")
def change_seat(
    uow: UnitOfWork,
    session_id: int,
    application_id: int,
    room: int | str,
    row: int,
    column: int,
    reason: str,
) -> SeatChangeView:
    """A supervisor moves one candidate after the lock, with a reason (002 §21), before the session starts.

    The target seat must be free and usable, in one of the plan's rooms. Once tickets are printed a move may
    neither empty a room nor open an unused one (the 考场号 printed on tickets and door lists would shift).
    The staff of the rooms touched must still meet the standard (ratios, assessors' scope). Recorded as a
    change of kind "seat" and audited; the candidate's ticket keeps its number and is printed again.
    """
    s = uow.session
    session = get_session(s, session_id)
    sitting = s.get(Sitting, session.sitting_id)
    assert sitting is not None
    _require_locked(sitting, "座位")
    if uow.now >= session.starts_at:
        raise StateError(
            f"场次 {session_label(session)} 已开考，不能再调整座位：开考前才能由主考/督导调整（002 第二十一条）。",
            rule="002 §21",
        )
    reason = _check_reason(reason, "座位", "3 号座位课桌损坏，调到空座")
    app = s.get(Application, application_id)
    if app is None or app.sitting_id != sitting.id:
        raise NotFound(f"认定批次 {sitting.code} 没有编号为 {application_id} 的报名。")
    cand = s.get(Candidate, app.candidate_id)
    assert cand is not None
    ticketed = SittingState(sitting.state) is SittingState.TICKETED
    numbers = room_numbers(s, sitting)
    before = {p.message for p in staffing_problems(s, sitting)}
    used_before = {rid for (sid, rid) in numbers if sid == session.id}
    done = apply_move(s, session, application_id, room, row, column)
    if done.old_room_id == done.new_room_id and done.old_seat_number == done.new_seat_number:
        raise ValidationError(f"{cand.name} 已在这个座位上，无需调整。")
    used_after = set(
        s.scalars(select(SeatAssignment.room_id).where(SeatAssignment.session_id == session.id).distinct())
    )
    if ticketed and used_after != used_before:
        opened = used_after - used_before
        what = "启用一个本场次原本没有考生的考场" if opened else "使原考场没有考生"
        raise StateError(
            f"准考证已制发，这次调整会{what}，各考场的考场号随之改变，已印发的准考证和考场门贴将全部不符："
            "请调到本场次已有考生的其他考场的空座位。",
            rule="002 §20",
        )
    new = [p for p in staffing_problems(s, sitting) if p.message not in before]
    if new:
        lines = "\n".join(f"{i}. {p.message}" for i, p in enumerate(new, 1))
        raise StateError(f"调整后考场的考务人员不符合要求，未作改动：\n{lines}", rule=new[0].rule)
    rooms = {
        r.id: r for r in s.scalars(select(Room).where(Room.id.in_({done.old_room_id, done.new_room_id})))
    }
    new_numbers = room_numbers(s, sitting)
    old_text = f"{room_label(numbers.get((session.id, done.old_room_id), 0), rooms[done.old_room_id])} {done.old_seat_number:02d} 号"
    new_room = room_label(new_numbers.get((session.id, done.new_room_id), 0), rooms[done.new_room_id])
    ticket = s.scalar(select(Ticket.number).where(Ticket.application_id == application_id)) or ""
    change = StaffChange(
        sitting_id=sitting.id,
        kind="seat",
        description=f"{session_label(session)} {cand.name}（报名 {application_id}"
        f"{'，准考证 ' + ticket if ticket else ''}）从{old_text}调到{new_room} {done.new_seat_number:02d} 号",
        reason=reason,
        approved_by=uow.actor.username,
        at=uow.now,
    )
    s.add(change)
    s.flush()
    reprint = bool(ticket)
    uow.audit(
        "arrangement.seat_change",
        "application",
        application_id,
        f"{sitting.code} 调整已锁定的座位：{change.description}。理由：{change.reason}"
        + ("。准考证须重新打印" if reprint else ""),
    )
    return SeatChangeView(
        _change_view(change),
        plan_view(s, session),
        application_id,
        cand.name,
        new_room,
        done.new_seat_number,
        ticket,
        reprint,
    )


@query("staff.view")
def list_changes(s: Session, actor: Actor, sitting_code: str, kind: str | None = None) -> list[ChangeView]:
    """The changes made to the locked arrangement (staff and seats, or one ``kind``), oldest first."""
    sitting = get_sitting(s, sitting_code)
    stmt = select(StaffChange).where(StaffChange.sitting_id == sitting.id).order_by(StaffChange.id)
    if kind is not None:
        stmt = stmt.where(StaffChange.kind == kind)
    return [_change_view(c) for c in s.scalars(stmt)]


# --- the briefing (002 §23) --------------------------------------------------------------------------------
@dataclass(frozen=True)
class BriefingView:
    id: int
    held_at: datetime
    place: str
    notes: str
    attendees: tuple[str, ...]
    absent: tuple[str, ...]  # assigned staff who did not attend


def _briefing_view(s: Session, b: Briefing, sitting: Sitting) -> BriefingView:
    ids = [int(x) for x in b.attendees.split(SEP) if x]
    names = dict(s.execute(select(StaffMember.id, StaffMember.name)).all())
    assigned = _assigned_staff(s, sitting)
    return BriefingView(
        b.id,
        b.held_at,
        b.place,
        b.notes,
        tuple(names.get(i, str(i)) for i in ids),
        tuple(names[i] for i in sorted(assigned - set(ids)) if i in names),
    )


def _assigned_staff(s: Session, sitting: Sitting) -> set[int]:
    return set(
        s.scalars(
            select(StaffAssignment.staff_id)
            .join(ExamSession, ExamSession.id == StaffAssignment.session_id)
            .where(ExamSession.sitting_id == sitting.id)
        )
    )


@use_case("arrangement.manage")
def record_briefing(
    uow: UnitOfWork,
    sitting_code: str,
    held_at: datetime,
    place: str,
    attendees: Sequence[int | str],
    notes: str = "",
) -> BriefingView:
    """The staff briefing before the sitting (002 §23), with who attended."""
    s = uow.session
    sitting = get_sitting(s, sitting_code)
    state = SittingState(sitting.state)
    if state in (SittingState.DRAFT, SittingState.OPEN):
        raise StateError(f"认定批次 {sitting.code} 尚未截止报名，考务会应在考务人员确定后召开。")
    if state not in (SittingState.CLOSED, SittingState.ARRANGED, SittingState.TICKETED):
        raise StateError(
            f"认定批次 {sitting.code} 当前为“{state.label}”：考试已举行，不能再补登考务会（002 第二十三条）。",
            rule="002 §23",
        )
    if held_at.tzinfo is None:
        raise ValidationError("考务会时间须带时区。")
    sessions = sitting_sessions(s, sitting)
    if sessions and held_at >= sessions[0].starts_at:
        raise ValidationError(
            f"考务会须在认定实施前召开（002 第二十三条）：首场 {session_label(sessions[0])} 开始之前。",
            rule="002 §23",
        )
    if not place.strip():
        raise ValidationError("请填写考务会地点。")
    ids = [find_member(s, a).id for a in attendees]
    if not ids:
        raise ValidationError("请登记参加考务会的人员（002 第二十三条）。", rule="002 §23")
    b = Briefing(
        sitting_id=sitting.id,
        held_at=held_at,
        place=place.strip(),
        notes=notes.strip(),
        attendees=SEP.join(str(i) for i in dict.fromkeys(ids)),
    )
    s.add(b)
    s.flush()
    view = _briefing_view(s, b, sitting)
    absent = f"，未到 {len(view.absent)} 人（{'、'.join(view.absent)}）" if view.absent else ""
    uow.audit(
        "staff.briefing",
        "sitting",
        sitting.code,
        f"召开考务会 {china_time(held_at):%Y-%m-%d %H:%M} {b.place}，到会 {len(view.attendees)} 人{absent}",
    )
    return view


@query("staff.view")
def list_briefings(s: Session, actor: Actor, sitting_code: str) -> list[BriefingView]:
    sitting = get_sitting(s, sitting_code)
    return [
        _briefing_view(s, b, sitting)
        for b in s.scalars(
            select(Briefing).where(Briefing.sitting_id == sitting.id).order_by(Briefing.held_at)
        )
    ]
