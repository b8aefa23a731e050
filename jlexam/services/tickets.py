"""Admission tickets (准考证, 002 §20) and room documents (考场文书).

Tickets are issued by the room arrangement (002 §20): once a supervisor has locked the seat plans and the
staff, each seated application gets a ticket number (``SSSS RR NNN C``, jlexam.domain.tickets): the sitting
number, the 考场号 and seat of its first session, a Damm check digit. Issuing moves the sitting to
"ticketed". The ticket PDF carries the candidate's photo, sessions and a QR code: a JWS signed with the
institution's key (DESIGN.md "QR token") that check-in verifies offline.

考场号 count over the sitting: sessions in time order, rooms in each plan's order, only rooms seating
someone, so no two rooms of a sitting share a number.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jlexam.documents.room_docs import (
    RoomCandidate,
    RoomRecord,
    RoomSheet,
    render_door_list,
    render_room_record,
    render_seat_chart,
    render_sign_in_sheet,
)
from jlexam.documents.tickets import TicketData, TicketSession, render_tickets
from jlexam.domain.china_time import china_time
from jlexam.domain.levels import SkillLevel
from jlexam.domain.sitting_state import SittingState
from jlexam.domain.tickets import make_ticket_number, ticket_payload
from jlexam.errors import NotFound, StateError
from jlexam.security.tokens import TICKET, encode_token
from jlexam.services.arrangement import (
    get_session,
    occupation_names,
    parse_out_of_use,
    room_label,
    room_numbers,
    sitting_sessions,
)
from jlexam.services.base import Actor, UnitOfWork, query, use_case
from jlexam.services.sittings import PART_LABELS, get_sitting
from jlexam.services.staffing import room_staff
from jlexam.store.backup import taken_ticket_sitting_numbers
from jlexam.store.models import (
    Application,
    Candidate,
    CandidatePhoto,
    ExamSession,
    Institution,
    Room,
    RoomEvent,
    SeatAssignment,
    Site,
    Sitting,
    Ticket,
)

SEX_LABELS = {"male": "男", "female": "女"}
TICKETED_STATES = (SittingState.TICKETED, SittingState.HELD)


def sitting_number(s: Session, sitting: Sitting) -> int:
    """``YYNN``: two digits of the year the sitting starts and its sequence among that year's sittings."""
    year = (sitting.starts_on or china_time(sitting.created_at).date()).year
    earlier = s.scalar(
        select(func.count())
        .select_from(Sitting)
        .where(
            Sitting.id < sitting.id,
            Sitting.starts_on >= date(year, 1, 1),
            Sitting.starts_on <= date(year, 12, 31),
        )
    )
    seq = int(earlier or 0) + 1
    taken = taken_ticket_sitting_numbers(s, sitting.id)  # e.g. used before a restore from an older backup
    while (year % 100) * 100 + seq in taken:
        seq += 1
    if seq > 99:
        raise StateError(f"{year} 年的认定批次超过 99 个，准考证号的批次序号不够用，请联系维护人员。")
    return (year % 100) * 100 + seq


@dataclass(frozen=True)
class _Seat:
    session: ExamSession
    room: Room
    number: int  # 考场号
    row: int
    column: int
    seat: int


def _seats(s: Session, sitting: Sitting) -> dict[int, list[_Seat]]:
    """Application id -> its seats in session time order."""
    numbers = room_numbers(s, sitting)
    sessions = {x.id: x for x in sitting_sessions(s, sitting)}
    rooms = {r.id: r for r in s.scalars(select(Room))}
    result: dict[int, list[_Seat]] = defaultdict(list)
    for a in s.scalars(select(SeatAssignment).where(SeatAssignment.session_id.in_(sessions))):
        session = sessions[a.session_id]
        result[a.application_id].append(
            _Seat(
                session,
                rooms[a.room_id],
                numbers[(session.id, a.room_id)],
                a.seat_row,
                a.seat_column,
                a.seat_number,
            )
        )
    for seats in result.values():
        seats.sort(key=lambda x: (x.session.starts_at, x.session.id))
    return result


@use_case("tickets.print")
def issue_tickets(uow: UnitOfWork, sitting_code: str) -> int:
    """Give every seated application its ticket number (002 §20); the sitting becomes "ticketed"."""
    s = uow.session
    sitting = get_sitting(s, sitting_code)
    state = SittingState(sitting.state)
    if state is not SittingState.ARRANGED:
        if state in TICKETED_STATES:
            raise StateError(f"认定批次 {sitting.code} 已发放准考证，无需再发；可重新打印准考证。")
        raise StateError(
            f"认定批次 {sitting.code} 当前为“{state.label}”：准考证按考场编排制发（002 第二十条），"
            "须先由主考/督导锁定考场编排和考务人员。",
            rule="002 §20",
        )
    seats = _seats(s, sitting)
    sitting_no = sitting_number(s, sitting)
    existing = set(s.scalars(select(Ticket.number)))
    issued = 0
    for app in s.scalars(
        select(Application)
        .where(Application.sitting_id == sitting.id, Application.decision == "approved")
        .order_by(Application.id)
    ):
        mine = seats.get(app.id)
        if not mine:
            raise StateError(
                f"报名 {app.id} 没有座位，不能制发准考证：准考证只发给资格审核通过且已编排座位的考生（002 第二十条）。",
                rule="002 §20",
            )
        first = mine[0]
        number = make_ticket_number(sitting_no, first.number, first.seat)
        if number in existing:
            raise StateError(f"准考证号 {number} 已被其他认定批次使用：请联系维护人员核对批次序号。")
        existing.add(number)
        s.add(Ticket(application_id=app.id, number=number, issued_at=uow.now))
        issued += 1
    sitting.state = SittingState.TICKETED.value
    uow.audit(
        "tickets.issue", "sitting", sitting.code, f"制发准考证 {issued} 张（批次序号 {sitting_no:04d}）"
    )
    return issued


def _require_tickets(sitting: Sitting) -> None:
    if SittingState(sitting.state) not in TICKETED_STATES:
        raise StateError(
            f"认定批次 {sitting.code} 当前为“{SittingState(sitting.state).label}”，尚未制发准考证：请先制发准考证。"
        )


@dataclass(frozen=True)
class TicketRow:
    application_id: int
    number: str
    name: str
    masked_id: str
    occupation_code: str
    level: int
    room: str
    seat: int


@query("tickets.view")
def list_tickets(s: Session, actor: Actor, sitting_code: str) -> list[TicketRow]:
    sitting = get_sitting(s, sitting_code)
    seats = _seats(s, sitting)
    rows = s.execute(
        select(Ticket, Application, Candidate)
        .join(Application, Application.id == Ticket.application_id)
        .join(Candidate, Candidate.id == Application.candidate_id)
        .where(Application.sitting_id == sitting.id)
        .order_by(Ticket.number)
    ).all()
    result = []
    for t, a, c in rows:
        first = seats[a.id][0]
        result.append(
            TicketRow(
                a.id,
                t.number,
                c.name,
                c.id_number_masked,
                a.occupation_code,
                a.level,
                room_label(first.number, first.room),
                first.seat,
            )
        )
    return result


def _payload_sessions(seats: Sequence[_Seat]) -> list[tuple[datetime, str, int]]:
    return [(china_time(x.session.starts_at), f"{x.number:02d}", x.seat) for x in seats]


def _ticket_rows(s: Session, sitting: Sitting, application_ids: Sequence[int] | None = None):  # type: ignore[no-untyped-def]
    stmt = (
        select(Ticket, Application, Candidate)
        .join(Application, Application.id == Ticket.application_id)
        .join(Candidate, Candidate.id == Application.candidate_id)
        .where(Application.sitting_id == sitting.id)
        .order_by(Ticket.number)
    )
    if application_ids is not None:
        stmt = stmt.where(Application.id.in_(list(application_ids)))
    return s.execute(stmt).all()


def _token(key, sitting: Sitting, t: Ticket, a: Application, c: Candidate, seats: Sequence[_Seat]) -> str:  # type: ignore[no-untyped-def]
    payload = ticket_payload(
        t.number,
        c.name,
        c.id_number_masked,
        a.occupation_code,
        a.level,
        sitting.code,
        _payload_sessions(seats),
    )
    return encode_token(key, TICKET, payload)


@use_case("tickets.print")
def ticket_tokens(uow: UnitOfWork, sitting_code: str) -> dict[int, str]:
    """Application id -> the signed QR token its ticket prints (Ed25519 signatures are deterministic)."""
    s = uow.session
    sitting = get_sitting(s, sitting_code)
    _require_tickets(sitting)
    seats = _seats(s, sitting)
    key = uow.keys.signing_key()
    return {a.id: _token(key, sitting, t, a, c, seats[a.id]) for t, a, c in _ticket_rows(s, sitting)}


def _time_range(session: ExamSession) -> str:
    return f"{china_time(session.starts_at):%H:%M}-{china_time(session.ends_at):%H:%M}"


@use_case("tickets.print")
def write_tickets(
    uow: UnitOfWork,
    sitting_code: str,
    out: Path,
    *,
    application_ids: Sequence[int] | None = None,
    per_page: int = 2,
    workers: int | None = None,
) -> int:
    """Write the admission tickets (all, or those of ``application_ids``) to one PDF; returns how many.

    Long runs are drawn by worker processes (see jlexam.documents.tickets): callers outside a
    ``__main__`` guard pass ``workers=1``.
    """
    s = uow.session
    sitting = get_sitting(s, sitting_code)
    _require_tickets(sitting)
    count = _render_tickets(uow, sitting, Path(out), application_ids, per_page, workers)
    uow.audit("tickets.print", "sitting", sitting.code, f"打印准考证 {count} 张到 {Path(out).name}")
    return count


def _render_tickets(
    uow: UnitOfWork,
    sitting: Sitting,
    out: Path,
    application_ids: Sequence[int] | None,
    per_page: int,
    workers: int | None,
) -> int:
    s = uow.session
    institution = s.scalar(select(Institution))
    inst_name = institution.name if institution else ""
    seats = _seats(s, sitting)
    names = occupation_names(s)
    key = uow.keys.signing_key()
    sites = {x.id: x for x in s.scalars(select(Site))}
    rows = _ticket_rows(s, sitting, application_ids)
    photos = dict(
        s.execute(
            select(CandidatePhoto.candidate_id, CandidatePhoto.jpeg).where(
                CandidatePhoto.candidate_id.in_({c.id for _, _, c in rows})
            )
        ).all()
    )
    data = []
    for t, a, c in rows:
        mine = seats[a.id]
        data.append(
            TicketData(
                institution=inst_name,
                sitting_name=sitting.name,
                sitting_code=sitting.code,
                ticket_number=t.number,
                name=c.name,
                sex=SEX_LABELS.get(c.sex, c.sex),
                masked_id=c.id_number_masked,
                photo=photos.get(c.id),
                occupation_name=names.get(a.occupation_code, a.occupation_code),
                occupation_code=a.occupation_code,
                work_type=a.work_type or "--",
                level=SkillLevel(a.level).written,
                sessions=[
                    TicketSession(
                        PART_LABELS[x.session.part],
                        china_time(x.session.starts_at).date(),
                        _time_range(x.session),
                        room_label(x.number, x.room),
                        x.seat,
                        short_site(sites[x.room.site_id].name, inst_name),
                        sites[x.room.site_id].address.strip(),
                    )
                    for x in mine
                ],
                qr_token=_token(key, sitting, t, a, c, mine),
            )
        )
    if workers is None and len(data) <= 1000:
        workers = 1
    render_tickets(data, Path(out), per_page=per_page, workers=workers, title=f"{sitting.name} 准考证")
    return len(data)


@use_case("tickets.print")
def reprint_ticket(uow: UnitOfWork, application_id: int, out: Path) -> str:
    """Print one candidate's ticket again (after a supervised seat move, a lost ticket): same number, the seats
    as they are now, a fresh QR code. Audited. Returns the ticket number."""
    s = uow.session
    app = s.get(Application, application_id)
    if app is None:
        raise NotFound(f"没有编号为 {application_id} 的报名。")
    sitting = s.get(Sitting, app.sitting_id)
    assert sitting is not None
    _require_tickets(sitting)
    number = s.scalar(select(Ticket.number).where(Ticket.application_id == application_id))
    if number is None:
        raise NotFound(
            f"报名 {application_id} 没有准考证：准考证只发给资格审核通过且已编排座位的考生（002 第二十条）。",
            rule="002 §20",
        )
    _render_tickets(uow, sitting, Path(out), [application_id], 1, 1)
    uow.audit("tickets.reprint", "application", application_id, f"{sitting.code} 重新打印准考证 {number}")
    return number


# --- room documents ----------------------------------------------------------------------------------------


def short_site(site: str, institution: str) -> str:
    """A site's name as the room documents print it next to the room: without the institution's name, which
    heads every sheet (“吉林松辽职业技术学院主校区考点” of that college -> “主校区考点”)."""
    name = site.strip()
    if institution and name.startswith(institution) and len(name) > len(institution):
        name = name[len(institution) :].lstrip(" ·-—/")
    return name


def _sheets(
    s: Sitting, session: Session, sessions: Sequence[ExamSession], *, photos: bool = True
) -> list[tuple[ExamSession, Room, RoomSheet]]:
    sitting, db = s, session
    institution = db.scalar(select(Institution))
    inst_name = institution.name if institution else ""
    numbers = room_numbers(db, sitting)
    names = occupation_names(db)
    tickets = dict(
        db.execute(
            select(Ticket.application_id, Ticket.number)
            .join(Application, Application.id == Ticket.application_id)
            .where(Application.sitting_id == sitting.id)
        ).all()
    )
    result = []
    for x in sessions:
        rows = db.execute(
            select(SeatAssignment, Application, Candidate, CandidatePhoto.jpeg)
            .join(Application, Application.id == SeatAssignment.application_id)
            .join(Candidate, Candidate.id == Application.candidate_id)
            .outerjoin(CandidatePhoto, CandidatePhoto.candidate_id == Candidate.id)
            .where(SeatAssignment.session_id == x.id)
        ).all()
        by_room: dict[int, list[RoomCandidate]] = defaultdict(list)
        for sa, a, c, photo in rows:
            by_room[sa.room_id].append(
                RoomCandidate(
                    sa.seat_number,
                    tickets.get(a.id, ""),
                    c.name,
                    c.id_number_masked,
                    SEX_LABELS.get(c.sex, c.sex),
                    f"{names.get(a.occupation_code, a.occupation_code)} {SkillLevel(a.level).written}",
                    photo if photos else None,  # embedded as it is (documents.drawing.draw_photo)
                    sa.seat_row,
                    sa.seat_column,
                )
            )
        for (session_id, room_id), number in sorted(numbers.items(), key=lambda kv: kv[1]):
            if session_id != x.id:
                continue
            room = db.get(Room, room_id)
            site = db.get(Site, room.site_id) if room else None
            assert room is not None and site is not None
            sheet = RoomSheet(
                institution=inst_name,
                sitting_name=sitting.name,
                sitting_code=sitting.code,
                room_name=f"第{number:02d}考场",
                place=f"{short_site(site.name, inst_name)} {room.name}",
                part=PART_LABELS[x.part],
                starts_at=china_time(x.starts_at),
                ends_at=china_time(x.ends_at),
                candidates=sorted(by_room[room_id], key=lambda c: c.seat_number),
                rows=room.seat_rows,
                columns=room.seat_columns,
                seats_out_of_use=parse_out_of_use(room.seats_out_of_use, room.seat_rows, room.seat_columns),
                invigilators=room_staff(db, x.id, room_id),
            )
            result.append((x, room, sheet))
    return result


ROOM_DOCUMENTS = {
    "door-list": ("考场门贴", render_door_list),
    "seat-chart": ("座位表", render_seat_chart),
    "sign-in": ("签到表", render_sign_in_sheet),
    "room-record": ("考场记录表", render_room_record),
}


@use_case("tickets.print")
def write_room_documents(
    uow: UnitOfWork, sitting_code: str, out_dir: Path, session_id: int | None = None
) -> list[Path]:
    """Door lists, seat charts, sign-in sheets with photos and blank room records: one PDF of each kind
    (``door-list.pdf``, ``seat-chart.pdf``, ``sign-in.pdf``, ``room-record.pdf``), one section per room."""
    s = uow.session
    sitting = get_sitting(s, sitting_code)
    _require_tickets(sitting)
    sessions = sitting_sessions(s, sitting)
    if session_id is not None:
        sessions = [x for x in sessions if x.id == session_id]
        if not sessions:
            raise NotFound(f"认定批次 {sitting.code} 没有编号为 {session_id} 的场次。")
    sheets = [sheet for _, _, sheet in _sheets(sitting, s, sessions)]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    suffix = f"-{session_id}" if session_id is not None else ""
    files = []
    for stem, (_, render) in ROOM_DOCUMENTS.items():
        path = out_dir / f"{stem}{suffix}.pdf"
        render(sheets, path)
        files.append(path)
    uow.audit(
        "tickets.room_documents",
        "sitting",
        sitting.code,
        f"生成考场文书（门贴、座位表、签到表、考场记录表）{len(sheets)} 个考场",
    )
    return files


@use_case("tickets.print")
def write_room_records(uow: UnitOfWork, sitting_code: str, out: Path) -> Path:
    """The room records filled in after the exam: absences, misconduct, incidents per room (002 attachment 9)."""
    s = uow.session
    sitting = get_sitting(s, sitting_code)
    _require_tickets(sitting)
    items = _sheets(sitting, s, sitting_sessions(s, sitting), photos=False)
    records = []
    names = dict(
        s.execute(
            select(Application.id, Candidate.name)
            .join(Candidate, Candidate.id == Application.candidate_id)
            .where(Application.sitting_id == sitting.id)
        ).all()
    )
    for session, room, sheet in items:
        events = list(
            s.scalars(
                select(RoomEvent)
                .where(RoomEvent.session_id == session.id, RoomEvent.room_id == room.id)
                .order_by(RoomEvent.at, RoomEvent.id)
            )
        )
        by_ticket = {c.ticket_number: c for c in sheet.candidates}
        tickets = dict(
            s.execute(
                select(Ticket.application_id, Ticket.number).where(
                    Ticket.application_id.in_({e.application_id for e in events if e.application_id})
                )
            ).all()
        )
        absent = [
            by_ticket[tickets[e.application_id]]
            for e in events
            if e.kind == "absent" and e.application_id in tickets and tickets[e.application_id] in by_ticket
        ]

        def line(e: RoomEvent, tickets: dict[int, str] = tickets) -> str:
            who = (
                f"{tickets.get(e.application_id, '')} {names.get(e.application_id, '')}："
                if e.application_id
                else ""
            )
            return f"{china_time(e.at):%H:%M} {who}{e.description}"

        records.append(
            RoomRecord(
                absent=absent,
                misconduct=[line(e) for e in events if e.kind == "misconduct"],
                incidents=[line(e) for e in events if e.kind == "incident"],
            )
        )
    render_room_record([sheet for _, _, sheet in items], Path(out), records)
    uow.audit("tickets.room_records", "sitting", sitting.code, f"生成已填写的考场记录表 {len(items)} 个考场")
    return Path(out)


def session_room_sheets(s: Session, session_id: int) -> list[RoomSheet]:
    """The room sheets of one session (for the windows' previews)."""
    session = get_session(s, session_id)
    sitting = s.get(Sitting, session.sitting_id)
    assert sitting is not None
    return [sheet for _, _, sheet in _sheets(sitting, s, [session])]
