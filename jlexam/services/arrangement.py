"""Sites, rooms and seat plans (考点、考场、考场编排; 002 §18-20).

- A room has a kind (theory, practical, review, exam office, waiting, marking), a capacity, a seat layout
  (rows x columns, some seats out of use) and video surveillance. A room without surveillance cannot be used
  (002 §18), and a sitting needs an exam office and a waiting room, and a marking room when it has practical
  work, at the sites it uses (002 §19).
- A seat plan allocates every approved application of a session to the session's rooms and seats with
  ``jlexam.domain.seating.allocate``; its seed, strategy and room order are recorded, so the same plan can be
  made again. Manual moves follow. The plan is locked with the staff by a supervisor
  (``jlexam.services.staffing.lock_arrangement``), which moves the sitting to "arranged".

Which sessions an application sits: every part its occupation's standard asks for at its level, in the
sessions of that part that match its occupation and level; where several match, the most specific ones
(occupation and level named > occupation named > neither).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from jlexam.domain.levels import SkillLevel
from jlexam.domain.locked_records import LOCKED_STATES, sitting_list
from jlexam.domain.seating import STRATEGIES, RoomSpec, Seat, Seatee, SeatPlan, allocate, move
from jlexam.domain.sitting_state import SittingState
from jlexam.errors import NotFound, StateError, ValidationError
from jlexam.services.base import Actor, UnitOfWork, query, use_case
from jlexam.services.sittings import PART_LABELS, get_sitting
from jlexam.store.models import (
    Application,
    Candidate,
    ExamSession,
    Occupation,
    Room,
    SeatAssignment,
    SeatPlanRecord,
    Site,
    Sitting,
)

ROOM_KINDS: dict[str, str] = {
    "theory": "理论考场",
    "practical": "实操考场",
    "review": "综合评审室",
    "exam_office": "考务办公室",
    "waiting": "候考室",
    "marking": "评分室",
}
EXAM_ROOM_KIND = {
    "theory": "theory",
    "practical": "practical",
    "review": "review",
}  # session part -> room kind
STRATEGY_LABELS = {"fill": "依次坐满", "balanced": "均衡分布"}


@dataclass(frozen=True)
class Problem:
    """One rule the arrangement breaks: the article and a complete Chinese message."""

    rule: str
    message: str


# --- sites and rooms ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RoomInput:
    name: str
    kind: str
    rows: int
    columns: int
    capacity: int | None = None  # None: every usable seat
    seats_out_of_use: str = ""  # "r-c,r-c"
    video_surveillance: bool = False


@dataclass(frozen=True)
class RoomView:
    id: int
    site_id: int
    site_name: str
    name: str
    kind: str
    capacity: int
    rows: int
    columns: int
    seats_out_of_use: str
    video_surveillance: bool

    @property
    def kind_label(self) -> str:
        return ROOM_KINDS.get(self.kind, self.kind)

    @property
    def usable(self) -> bool:
        return self.video_surveillance


@dataclass(frozen=True)
class SiteView:
    id: int
    name: str
    address: str
    rooms: tuple[RoomView, ...]


def _room_view(room: Room, site: Site) -> RoomView:
    return RoomView(
        room.id,
        site.id,
        site.name,
        room.name,
        room.kind,
        room.capacity,
        room.seat_rows,
        room.seat_columns,
        room.seats_out_of_use,
        room.video_surveillance,
    )


def parse_out_of_use(text: str, rows: int, columns: int, room_name: str = "") -> frozenset[tuple[int, int]]:
    """``"1-2, 3-4"`` (row-column) as a set of seats; ValidationError names a malformed or outside seat."""
    seats: set[tuple[int, int]] = set()
    for raw in (text or "").replace("，", ",").split(","):
        item = raw.strip()
        if not item:
            continue
        parts = item.replace("－", "-").split("-")
        if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
            raise ValidationError(
                f"考场“{room_name}”停用座位“{item}”格式不对：应写成“排-列”，多个用逗号分隔，如 1-2,3-4。"
            )
        r, c = int(parts[0]), int(parts[1])
        if not (1 <= r <= rows and 1 <= c <= columns):
            raise ValidationError(
                f"考场“{room_name}”没有第 {r} 排第 {c} 列的座位（共 {rows} 排 {columns} 列），请核对停用座位。"
            )
        seats.add((r, c))
    return frozenset(seats)


def _format_out_of_use(seats: Iterable[tuple[int, int]]) -> str:
    return ",".join(f"{r}-{c}" for r, c in sorted(seats))


def _check_room(item: RoomInput) -> tuple[int, str]:
    name = item.name.strip()
    if not name:
        raise ValidationError("考场名称不能为空。")
    if item.kind not in ROOM_KINDS:
        kinds = "、".join(f"{k}（{v}）" for k, v in ROOM_KINDS.items())
        raise ValidationError(f"考场“{name}”的类型“{item.kind}”无效，应为：{kinds}。")
    if item.rows < 1 or item.columns < 1:
        raise ValidationError(f"考场“{name}”的座位行数和列数必须至少为 1，请修改座位布局。")
    out = parse_out_of_use(item.seats_out_of_use, item.rows, item.columns, name)
    usable = item.rows * item.columns - len(out)
    capacity = usable if item.capacity is None else item.capacity
    if capacity < 0:
        raise ValidationError(f"考场“{name}”的容量不能为负数。")
    if capacity > usable:
        raise ValidationError(
            f"考场“{name}”容量 {capacity} 人超过可用座位 {usable} 个（{item.rows} 排 x {item.columns} 列，"
            f"停用 {len(out)} 个）：考场须按考生人数设置（002 第十八条），请减小容量或调整座位布局。",
            rule="002 §18",
        )
    return capacity, _format_out_of_use(out)


def _site(s: Session, site: str | int) -> Site:
    row = (
        s.get(Site, site)
        if isinstance(site, int)
        else s.scalar(select(Site).where(Site.name == site.strip()))
    )
    if row is None:
        raise NotFound(f"没有考点“{site}”。请先添加考点，或用 `jlexam sites list` 查看。")
    return row


def find_room(s: Session, room: str | int) -> Room:
    """A room by id, by name, or by "考点/考场名称"; NotFound or ValidationError (ambiguous) otherwise."""
    if isinstance(room, int) or (isinstance(room, str) and room.strip().isdigit()):
        row = s.get(Room, int(room))
        if row is None:
            raise NotFound(f"没有编号为 {room} 的考场。")
        return row
    text = room.strip()
    stmt = select(Room).join(Site, Site.id == Room.site_id)
    if "/" in text:
        site_name, room_name = text.split("/", 1)
        stmt = stmt.where(Site.name == site_name.strip(), Room.name == room_name.strip())
    else:
        stmt = stmt.where(Room.name == text)
    rows = list(s.scalars(stmt))
    if not rows:
        raise NotFound(f"没有名为“{text}”的考场。请用 `jlexam sites list` 查看考场名称。")
    if len(rows) > 1:
        raise ValidationError(f"有多个考点都有名为“{text}”的考场：请写成“考点名称/考场名称”或用考场编号。")
    return rows[0]


@use_case("arrangement.manage")
def add_site(uow: UnitOfWork, name: str, address: str = "") -> SiteView:
    s = uow.session
    if not name.strip():
        raise ValidationError("考点名称不能为空。")
    if s.scalar(select(Site).where(Site.name == name.strip())):
        raise ValidationError(f"考点“{name.strip()}”已存在。")
    site = Site(name=name.strip(), address=address.strip())
    s.add(site)
    s.flush()
    uow.audit("arrangement.site", "site", site.id, f"添加考点 {site.name}")
    return SiteView(site.id, site.name, site.address, ())


@use_case("arrangement.manage")
def add_room(uow: UnitOfWork, site: str | int, item: RoomInput) -> RoomView:
    s = uow.session
    site_row = _site(s, site)
    capacity, out = _check_room(item)
    if s.scalar(select(Room).where(Room.site_id == site_row.id, Room.name == item.name.strip())):
        raise ValidationError(f"考点“{site_row.name}”已有名为“{item.name.strip()}”的考场。")
    room = Room(
        site_id=site_row.id,
        name=item.name.strip(),
        kind=item.kind,
        capacity=capacity,
        seat_rows=item.rows,
        seat_columns=item.columns,
        seats_out_of_use=out,
        video_surveillance=bool(item.video_surveillance),
    )
    s.add(room)
    s.flush()
    video = "有" if room.video_surveillance else "无"
    uow.audit(
        "arrangement.room",
        "room",
        room.id,
        f"{site_row.name} 添加{ROOM_KINDS[room.kind]} {room.name}，{item.rows} 排 x {item.columns} 列，"
        f"容量 {capacity}，视频监控：{video}",
    )
    return _room_view(room, site_row)


def _locked_plans_using(s: Session, room_id: int) -> list[str]:
    """The sittings, arranged or later (archived included), whose seat plan uses the room: it seats someone
    or is among the rooms the plan was made with."""
    rows = s.execute(
        select(Sitting.code, ExamSession.id, SeatPlanRecord.room_ids)
        .join(ExamSession, ExamSession.sitting_id == Sitting.id)
        .join(SeatPlanRecord, SeatPlanRecord.session_id == ExamSession.id)
        .where(Sitting.state.in_([state.value for state in LOCKED_STATES]))
    ).all()
    seated = set(
        s.scalars(select(SeatAssignment.session_id).where(SeatAssignment.room_id == room_id).distinct())
    )
    return sorted(
        {
            code
            for code, session_id, room_ids in rows
            if session_id in seated or str(room_id) in (room_ids or "").split("|")
        }
    )


# What a room is, as a locked seat plan and the documents printed from it describe it.
_ROOM_FIELDS = ("name", "kind", "capacity", "seat_rows", "seat_columns", "seats_out_of_use", "video_surveillance")


@use_case("arrangement.manage")
def update_room(uow: UnitOfWork, room_id: int, item: RoomInput) -> RoomView:
    """Change a room; refused once a seat plan of a sitting arranged or later (archived included) uses it.

    The locked seat plan, the tickets, door lists and seat charts printed from it and the archive describe
    the room as it was (name, kind, layout, seats out of use, surveillance, capacity, 002 §18-20): a room
    that changed is added as a new room for later sittings. Rooms used only by seat plans not yet locked
    still change freely; an edit that changes nothing is accepted and not audited.
    """
    s = uow.session
    room = find_room(s, room_id)
    capacity, out = _check_room(item)
    values = (item.name.strip(), item.kind, capacity, item.rows, item.columns, out, bool(item.video_surveillance))
    new = dict(zip(_ROOM_FIELDS, values, strict=True))
    if all(getattr(room, key) == value for key, value in new.items()):
        return _room_view(room, room.site)
    in_use = _locked_plans_using(s, room.id)
    if in_use:
        raise StateError(
            f"考场“{room.name}”已用于认定批次 {sitting_list(in_use)} 已锁定的考场编排，其名称、类型、座位布局、"
            "停用座位、视频监控和容量都是这些批次考场编排和准考证记录的一部分，不能修改（002 第二十条）。"
            "考场情况有变的，请新增一个考场供以后的认定批次使用。",
            rule="002 §20",
        )
    for key, value in new.items():
        setattr(room, key, value)
    uow.audit("arrangement.room_update", "room", room.id, f"修改考场 {room.name}")
    return _room_view(room, room.site)


@query("arrangement.view")
def list_sites(s: Session, actor: Actor) -> list[SiteView]:
    result = []
    for site in s.scalars(select(Site).order_by(Site.id)):
        rooms = s.scalars(select(Room).where(Room.site_id == site.id).order_by(Room.id))
        result.append(SiteView(site.id, site.name, site.address, tuple(_room_view(r, site) for r in rooms)))
    return result


@query("arrangement.view")
def list_rooms(s: Session, actor: Actor, kind: str | None = None) -> list[RoomView]:
    stmt = select(Room, Site).join(Site, Site.id == Room.site_id).order_by(Site.id, Room.id)
    if kind is not None:
        stmt = stmt.where(Room.kind == kind)
    return [_room_view(r, site) for r, site in s.execute(stmt)]


@use_case("arrangement.manage")
def load_sites(uow: UnitOfWork, sites: Sequence[dict]) -> int:
    """Sites and rooms from plain data (``demo_institution()["sites"]``); existing ones are left alone.

    Each site: ``{"name", "address", "rooms": [{"name", "kind", "rows", "columns", "capacity",
    "video_surveillance", "seats_out_of_use"?}]}``. Returns how many rooms were added.
    """
    s = uow.session
    added = 0
    for data in sites:
        site = s.scalar(select(Site).where(Site.name == data["name"]))
        if site is None:
            site = Site(name=data["name"], address=data.get("address", ""))
            s.add(site)
            s.flush()
        existing = set(s.scalars(select(Room.name).where(Room.site_id == site.id)))
        for r in data.get("rooms", ()):
            if r["name"] in existing:
                continue
            item = RoomInput(
                r["name"],
                r["kind"],
                int(r["rows"]),
                int(r["columns"]),
                r.get("capacity"),
                r.get("seats_out_of_use", ""),
                bool(r.get("video_surveillance", False)),
            )
            capacity, out = _check_room(item)
            s.add(
                Room(
                    site_id=site.id,
                    name=item.name,
                    kind=item.kind,
                    capacity=capacity,
                    seat_rows=item.rows,
                    seat_columns=item.columns,
                    seats_out_of_use=out,
                    video_surveillance=item.video_surveillance,
                )
            )
            added += 1
    s.flush()
    uow.audit("arrangement.sites_load", "site", "", f"导入考点 {len(sites)} 个，新增考场 {added} 个")
    return added


def room_spec(room: Room) -> RoomSpec:
    return RoomSpec(
        room.id,
        room.name,
        room.seat_rows,
        room.seat_columns,
        parse_out_of_use(room.seats_out_of_use, room.seat_rows, room.seat_columns, room.name),
        room.capacity,
    )


# --- which applications sit which session ------------------------------------------------------------------
def _parts_of(s: Session, cache: dict[str, object], occupation_code: str, level: int) -> set[str]:
    from jlexam.services.standards import standard_for

    if occupation_code not in cache:
        cache[occupation_code] = standard_for(s, occupation_code)
    standard = cache[occupation_code]
    return {r.part.value for r in standard.parts.get(SkillLevel(level), ())}  # type: ignore[attr-defined]


def sitting_sessions(s: Session, sitting: Sitting) -> list[ExamSession]:
    return list(
        s.scalars(
            select(ExamSession)
            .where(ExamSession.sitting_id == sitting.id)
            .order_by(ExamSession.starts_at, ExamSession.id)
        )
    )


def approved_applications(s: Session, sitting: Sitting) -> list[Application]:
    return list(
        s.scalars(
            select(Application)
            .where(Application.sitting_id == sitting.id, Application.decision == "approved")
            .order_by(Application.id)
        )
    )


def sessions_of_applications(
    s: Session, sitting: Sitting, sessions: list[ExamSession] | None = None
) -> tuple[dict[int, list[ExamSession]], list[tuple[Application, str]]]:
    """Application id -> its sessions in time order; and the (application, part) left without a session."""
    sessions = sitting_sessions(s, sitting) if sessions is None else sessions
    cache: dict[str, object] = {}
    result: dict[int, list[ExamSession]] = {}
    missing: list[tuple[Application, str]] = []
    for app in approved_applications(s, sitting):
        mine: list[ExamSession] = []
        for part in sorted(_parts_of(s, cache, app.occupation_code, app.level)):
            matching = [
                x
                for x in sessions
                if x.part == part
                and x.occupation_code in (None, app.occupation_code)
                and x.level in (None, app.level)
            ]
            if not matching:
                missing.append((app, part))
                continue
            best = max((x.occupation_code is not None) + (x.level is not None) for x in matching)
            mine += [x for x in matching if (x.occupation_code is not None) + (x.level is not None) == best]
        result[app.id] = sorted(mine, key=lambda x: (x.starts_at, x.id))
    return result, missing


def session_applications(s: Session, session: ExamSession) -> list[Application]:
    """The approved applications that sit ``session``."""
    sitting = s.get(Sitting, session.sitting_id)
    assert sitting is not None
    by_app, _ = sessions_of_applications(s, sitting)
    ids = {app_id for app_id, sessions in by_app.items() if any(x.id == session.id for x in sessions)}
    return [a for a in approved_applications(s, sitting) if a.id in ids]


def get_session(s: Session, session_id: int) -> ExamSession:
    row = s.get(ExamSession, session_id)
    if row is None:
        raise NotFound(
            f"没有编号为 {session_id} 的场次。请用 `jlexam seating sessions --sitting 批次编号` 查看。"
        )
    return row


def session_label(session: ExamSession) -> str:
    from jlexam.domain.china_time import china_time

    start = china_time(session.starts_at)
    return f"{PART_LABELS[session.part]}（{start:%Y-%m-%d %H:%M}）"


# --- the room order of a plan ------------------------------------------------------------------------------
def plan_room_ids(s: Session, session_id: int) -> list[int]:
    """The plan's rooms in the order chosen (the order fills them and numbers them)."""
    record = s.scalar(select(SeatPlanRecord).where(SeatPlanRecord.session_id == session_id))
    if record is not None and record.room_ids:
        return [int(x) for x in record.room_ids.split("|") if x]
    return sorted(
        {
            r
            for (r,) in s.execute(
                select(SeatAssignment.room_id).where(SeatAssignment.session_id == session_id)
            )
        }
    )


def room_numbers(s: Session, sitting: Sitting) -> dict[tuple[int, int], int]:
    """(session id, room id) -> 考场号: counted over the sitting, sessions in time order, rooms in plan order,
    rooms that seat someone only (so no two rooms of a sitting share a number, see domain.tickets)."""
    numbers: dict[tuple[int, int], int] = {}
    used = {
        (sid, rid)
        for sid, rid in s.execute(
            select(SeatAssignment.session_id, SeatAssignment.room_id)
            .join(ExamSession, ExamSession.id == SeatAssignment.session_id)
            .where(ExamSession.sitting_id == sitting.id)
            .distinct()
        )
    }
    for session in sitting_sessions(s, sitting):
        for room_id in plan_room_ids(s, session.id):
            if (session.id, room_id) in used and (session.id, room_id) not in numbers:
                numbers[(session.id, room_id)] = len(numbers) + 1
    return numbers


def room_label(number: int, room: Room) -> str:
    return f"第{number:02d}考场（{room.name}）"


# --- rooms a sitting needs (002 §18-19) -------------------------------------------------------------------
def room_problems(rooms: Iterable[Room], part: str) -> list[Problem]:
    """Rooms unfit for a session of ``part``: wrong kind, or no video surveillance (002 §18)."""
    found = []
    for room in rooms:
        if room.kind != EXAM_ROOM_KIND[part]:
            found.append(
                Problem(
                    "002 §18",
                    f"考场“{room.name}”是{ROOM_KINDS.get(room.kind, room.kind)}，不能用于{PART_LABELS[part]}："
                    f"应选择{ROOM_KINDS[EXAM_ROOM_KIND[part]]}（002 第十八条）。",
                )
            )
        if not room.video_surveillance:
            found.append(
                Problem(
                    "002 §18",
                    f"考场“{room.name}”没有视频监控，不能使用：考场须安全并全程视频监控（002 第十八条）。"
                    "请选用有监控的考场，或在考场信息中登记已安装的监控。",
                )
            )
    return found


def support_room_problems(s: Session, site_ids: Iterable[int], needs_marking: bool) -> list[Problem]:
    """At each site used: an exam office and a waiting room, and a marking room for practical work, each
    under video surveillance (002 §19)."""
    needed = ["exam_office", "waiting"] + (["marking"] if needs_marking else [])
    found = []
    for site_id in sorted(set(site_ids)):
        site = s.get(Site, site_id)
        assert site is not None
        kinds = {
            r.kind
            for r in s.scalars(select(Room).where(Room.site_id == site_id, Room.video_surveillance.is_(True)))
        }
        missing = [ROOM_KINDS[k] for k in needed if k not in kinds]
        if missing:
            found.append(
                Problem(
                    "002 §19",
                    f"考点“{site.name}”缺少{'、'.join(missing)}（有视频监控的）：认定须设考务办公室、候考室，"
                    "有操作技能考核的还须设独立的评分室（002 第十九条）。请在该考点添加这些房间后再编排。",
                )
            )
    return found


def _require_state(sitting: Sitting, doing: str) -> None:
    if sitting.state != SittingState.CLOSED.value:
        state = SittingState(sitting.state)
        if state in (SittingState.DRAFT, SittingState.OPEN):
            raise StateError(f"认定批次 {sitting.code} 当前为“{state.label}”：报名截止后才能{doing}。")
        if state in (SittingState.ARRANGED, SittingState.TICKETED):
            raise StateError(
                f"认定批次 {sitting.code} 当前为“{state.label}”，考场编排和考务人员已锁定，不能直接{doing}"
                "（002 第二十一条）：确需调整的，须由主考/督导批准并写明理由（“调整座位（锁定后）”"
                "“调整考务人员”），开考前办理。",
                rule="002 §21",
            )
        raise StateError(
            f"认定批次 {sitting.code} 当前为“{state.label}”：考试已举行，考场编排和考务人员不能再改动"
            "（002 第二十一条）。",
            rule="002 §21",
        )


# --- seat plans --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SeatRow:
    application_id: int
    name: str
    occupation_code: str
    level: int
    employer: str
    room_id: int
    room_name: str
    room_number: int
    row: int
    column: int
    seat_number: int


@dataclass(frozen=True)
class RoomLoad:
    room_id: int
    name: str
    number: int
    capacity: int
    seated: int


@dataclass(frozen=True)
class SeatPlanView:
    session_id: int
    session: str
    seed: int
    strategy: str
    created_by: str
    locked_by: str | None
    locked_at: datetime | None
    rooms: tuple[RoomLoad, ...]
    seats: tuple[SeatRow, ...]

    @property
    def locked(self) -> bool:
        return self.locked_by is not None


def plan_view(s: Session, session: ExamSession) -> SeatPlanView:
    """The stored seat plan of a session (NotFound when none)."""
    record = s.scalar(select(SeatPlanRecord).where(SeatPlanRecord.session_id == session.id))
    if record is None:
        raise NotFound(f"场次 {session_label(session)} 尚未编排座位。")
    sitting = s.get(Sitting, session.sitting_id)
    assert sitting is not None
    numbers = room_numbers(s, sitting)
    rooms = {r.id: r for r in s.scalars(select(Room).where(Room.id.in_(plan_room_ids(s, session.id))))}
    rows = s.execute(
        select(SeatAssignment, Application, Candidate)
        .join(Application, Application.id == SeatAssignment.application_id)
        .join(Candidate, Candidate.id == Application.candidate_id)
        .where(SeatAssignment.session_id == session.id)
    ).all()
    order = {rid: i for i, rid in enumerate(plan_room_ids(s, session.id))}
    seats = sorted(
        (
            SeatRow(
                a.id,
                c.name,
                a.occupation_code,
                a.level,
                c.employer,
                sa.room_id,
                rooms[sa.room_id].name if sa.room_id in rooms else str(sa.room_id),
                numbers.get((session.id, sa.room_id), 0),
                sa.seat_row,
                sa.seat_column,
                sa.seat_number,
            )
            for sa, a, c in rows
        ),
        key=lambda x: (order.get(x.room_id, 999), x.seat_number),
    )
    loads = tuple(
        RoomLoad(
            rid,
            rooms[rid].name,
            numbers.get((session.id, rid), 0),
            room_spec(rooms[rid]).effective_capacity,
            sum(1 for x in seats if x.room_id == rid),
        )
        for rid in plan_room_ids(s, session.id)
        if rid in rooms
    )
    return SeatPlanView(
        session.id,
        session_label(session),
        record.seed,
        record.strategy,
        record.created_by,
        record.locked_by,
        record.locked_at,
        loads,
        tuple(seats),
    )


def _seatees(s: Session, apps: Sequence[Application]) -> list[Seatee]:
    employers = dict(
        s.execute(
            select(Candidate.id, Candidate.employer).where(Candidate.id.in_({a.candidate_id for a in apps}))
        ).all()
    )
    return [Seatee(a.id, (a.occupation_code, a.level), employers.get(a.candidate_id) or "") for a in apps]


def _rooms(s: Session, room_ids: Sequence[int | str]) -> list[Room]:
    rooms = [find_room(s, r) for r in room_ids]
    if len({r.id for r in rooms}) != len(rooms):
        raise ValidationError("同一考场在编排中列出了两次：每个考场只能列出一次。")
    return rooms


def _compute(s: Session, session: ExamSession, rooms: list[Room], seed: int, strategy: str) -> SeatPlan:
    apps = session_applications(s, session)
    if not apps:
        raise ValidationError(f"场次 {session_label(session)} 没有资格审核通过的报名，无需编排。")
    return allocate(_seatees(s, apps), [room_spec(r) for r in rooms], seed=seed, strategy=strategy)  # type: ignore[arg-type]


@use_case("arrangement.manage")
def make_seat_plan(
    uow: UnitOfWork,
    session_id: int,
    rooms: Sequence[int | str],
    *,
    seed: int | None = None,
    strategy: str = "fill",
) -> SeatPlanView:
    """Seat every approved application of the session in ``rooms`` (in that order); replaces an unlocked plan.

    Without a seed a random one is drawn; either way it is recorded, so the plan can be made again.
    """
    s = uow.session
    session = get_session(s, session_id)
    sitting = s.get(Sitting, session.sitting_id)
    assert sitting is not None
    _require_state(sitting, "编排座位")
    if strategy not in STRATEGIES:
        raise ValidationError(f"编排方式“{strategy}”无效，应为：{'、'.join(STRATEGY_LABELS.values())}。")
    if not rooms:
        raise ValidationError("请至少选择一个考场。")
    room_rows = _rooms(s, rooms)
    problems = room_problems(room_rows, session.part)
    has_practical = any(x.part == "practical" for x in sitting_sessions(s, sitting))
    problems += support_room_problems(s, {r.site_id for r in room_rows}, has_practical)
    if problems:
        raise ValidationError("；".join(p.message for p in problems), rule=problems[0].rule)
    seed = secrets.randbelow(2**31 - 1) if seed is None else int(seed)
    if not 0 <= seed < 2**31:
        raise ValidationError("随机种子应为 0 到 2147483647 之间的整数。")
    plan = _compute(s, session, room_rows, seed, strategy)
    s.execute(delete(SeatAssignment).where(SeatAssignment.session_id == session.id))
    record = s.scalar(select(SeatPlanRecord).where(SeatPlanRecord.session_id == session.id))
    if record is None:
        record = SeatPlanRecord(
            session_id=session.id, seed=seed, strategy=strategy, created_by="", created_at=uow.now
        )
        s.add(record)
    record.seed, record.strategy = seed, strategy
    record.created_by, record.created_at = uow.actor.username, uow.now
    record.locked_by = record.locked_at = None
    record.room_ids = "|".join(str(r.id) for r in room_rows)
    s.flush()
    for app_id, seat in plan.assignments.items():
        s.add(
            SeatAssignment(
                session_id=session.id,
                application_id=app_id,
                room_id=seat.room_id,
                seat_row=seat.row,
                seat_column=seat.column,
                seat_number=seat.number,
            )
        )
    s.flush()
    uow.audit(
        "arrangement.seat_plan",
        "exam_session",
        session.id,
        f"{sitting.code} {session_label(session)} 编排座位 {len(plan.assignments)} 人，"
        f"考场 {'、'.join(r.name for r in room_rows)}，方式 {STRATEGY_LABELS[strategy]}，随机种子 {seed}",
    )
    return plan_view(s, session)


@dataclass(frozen=True)
class SeatMove:
    """One candidate moved: where from and where to (考场号 as before the move)."""

    application_id: int
    old_room_id: int
    old_seat_number: int
    new_room_id: int
    new_seat_number: int


def apply_move(
    s: Session, session: ExamSession, application_id: int, room: int | str, row: int, column: int
) -> SeatMove:
    """Move one candidate of ``session`` to a free usable seat of one of the plan's rooms (no state check,
    no audit: the callers do both). ValidationError names a taken, unusable or outside seat."""
    record = s.scalar(select(SeatPlanRecord).where(SeatPlanRecord.session_id == session.id))
    if record is None:
        raise StateError(f"场次 {session_label(session)} 尚未编排座位，请先编排。")
    rows = list(s.scalars(select(SeatAssignment).where(SeatAssignment.session_id == session.id)))
    room_rows = _rooms(s, plan_room_ids(s, session.id))
    target = find_room(s, room)
    plan = SeatPlan(
        {a.application_id: Seat(a.room_id, a.seat_row, a.seat_column, a.seat_number) for a in rows},
        record.seed,
        record.strategy,
        [],
        tuple(room_spec(r) for r in room_rows),
    )
    moved = move(plan, application_id, Seat(target.id, row, column, 0))
    seat = moved.assignments[application_id]
    mine = next(a for a in rows if a.application_id == application_id)
    result = SeatMove(application_id, mine.room_id, mine.seat_number, seat.room_id, seat.number)
    mine.room_id, mine.seat_row, mine.seat_column, mine.seat_number = (
        seat.room_id,
        seat.row,
        seat.column,
        seat.number,
    )
    s.flush()
    return result


@use_case("arrangement.manage")
def move_seat(
    uow: UnitOfWork, session_id: int, application_id: int, room: int | str, row: int, column: int
) -> SeatPlanView:
    """Move one candidate to a free usable seat of one of the plan's rooms (before the plan is locked; after
    it, a supervisor moves with a reason: ``staffing.change_seat``)."""
    s = uow.session
    session = get_session(s, session_id)
    sitting = s.get(Sitting, session.sitting_id)
    assert sitting is not None
    _require_state(sitting, "调整座位")
    done = apply_move(s, session, application_id, room, row, column)
    target = s.get(Room, done.new_room_id)
    assert target is not None
    uow.audit(
        "arrangement.seat_move",
        "application",
        application_id,
        f"{sitting.code} {session_label(session)} 报名 {application_id} 从 {done.old_room_id}/{done.old_seat_number}"
        f" 调到 {target.name} {done.new_seat_number} 号",
    )
    return plan_view(s, session)


@query("arrangement.view")
def seat_plan(s: Session, actor: Actor, session_id: int) -> SeatPlanView:
    return plan_view(s, get_session(s, session_id))


@dataclass(frozen=True)
class PlanCheck:
    same: bool  # the recorded seed, strategy and rooms give the plan stored (manual moves aside)
    moved: tuple[int, ...]  # applications whose seat differs from the computed plan (manual moves)
    seed: int
    strategy: str


@query("arrangement.view")
def reproduce_seat_plan(s: Session, actor: Actor, session_id: int) -> PlanCheck:
    """Compute the plan again from its recorded seed, strategy and rooms and compare it with the stored one."""
    session = get_session(s, session_id)
    record = s.scalar(select(SeatPlanRecord).where(SeatPlanRecord.session_id == session.id))
    if record is None:
        raise NotFound(f"场次 {session_label(session)} 尚未编排座位。")
    plan = _compute(s, session, _rooms(s, plan_room_ids(s, session.id)), record.seed, record.strategy)
    stored = {
        a.application_id: (a.room_id, a.seat_row, a.seat_column)
        for a in s.scalars(select(SeatAssignment).where(SeatAssignment.session_id == session.id))
    }
    computed = {app: (x.room_id, x.row, x.column) for app, x in plan.assignments.items()}
    moved = tuple(sorted(a for a in set(stored) | set(computed) if stored.get(a) != computed.get(a)))
    return PlanCheck(not moved, moved, record.seed, record.strategy)


def seat_plan_problems(s: Session, sitting: Sitting) -> list[Problem]:
    """What stops the seat plans of a sitting from being locked: sessions without a plan, approved
    applications without a seat, unfit rooms (002 §18) and missing exam office, waiting or marking rooms
    (002 §19)."""
    found: list[Problem] = []
    sessions = sitting_sessions(s, sitting)
    by_app, missing = sessions_of_applications(s, sitting, sessions)
    for app, part in missing:
        found.append(
            Problem(
                "002 §20",
                f"报名 {app.id}（{app.occupation_code} {SkillLevel(app.level).written}）须参加{PART_LABELS[part]}，"
                "但本批次没有相应场次：请先安排场次。",
            )
        )
    seated = {
        (sid, aid)
        for sid, aid in s.execute(
            select(SeatAssignment.session_id, SeatAssignment.application_id)
            .join(ExamSession, ExamSession.id == SeatAssignment.session_id)
            .where(ExamSession.sitting_id == sitting.id)
        )
    }
    site_ids: set[int] = set()
    for session in sessions:
        wanted = {aid for aid, xs in by_app.items() if any(x.id == session.id for x in xs)}
        if not wanted:
            continue
        record = s.scalar(select(SeatPlanRecord).where(SeatPlanRecord.session_id == session.id))
        if record is None:
            found.append(
                Problem("002 §20", f"场次 {session_label(session)} 尚未编排座位（{len(wanted)} 人）。")
            )
            continue
        unseated = sorted(a for a in wanted if (session.id, a) not in seated)
        if unseated:
            found.append(
                Problem(
                    "002 §20",
                    f"场次 {session_label(session)} 有 {len(unseated)} 条报名没有座位（如报名 {unseated[0]}）："
                    "资格审核结果在编排后有变化，请重新编排该场次。",
                )
            )
        extra = sorted(a for sid, a in seated if sid == session.id and a not in wanted)
        if extra:
            found.append(
                Problem(
                    "002 §20",
                    f"场次 {session_label(session)} 的座位中有 {len(extra)} 条报名已不在本场次（如报名 {extra[0]}）："
                    "请重新编排该场次。",
                )
            )
        rooms = list(s.scalars(select(Room).where(Room.id.in_(plan_room_ids(s, session.id)))))
        found += room_problems(rooms, session.part)
        site_ids |= {r.site_id for r in rooms}
    found += support_room_problems(s, site_ids, any(x.part == "practical" for x in sessions))
    return found


@query("sitting.view")
def sessions_for(s: Session, actor: Actor, sitting_code: str) -> list[tuple[int, str, int]]:
    """(session id, label, candidates) of a sitting, for choosing a session to arrange."""
    sitting = get_sitting(s, sitting_code)
    sessions = sitting_sessions(s, sitting)
    by_app, _ = sessions_of_applications(s, sitting, sessions)
    return [
        (x.id, session_label(x), sum(1 for xs in by_app.values() if any(y.id == x.id for y in xs)))
        for x in sessions
    ]


def occupation_names(s: Session) -> dict[str, str]:
    return dict(s.execute(select(Occupation.code, Occupation.name)).all())
