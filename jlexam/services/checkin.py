"""The exam day (RULES.md "Exam day", 002 §20, attachment 9): check-in, absences, misconduct and incidents.

- **Scan check-in** verifies the ticket's QR token offline against the institution's public keys (cached per
  database, so a scan costs one signature check and a few look-ups), finds the application and answers with
  photo, name, room and seat in green. A forged token, another sitting's ticket, a candidate with no seat in
  this session, a repeated scan and a scan after the entry cut-off are refused in red with the reason, and
  nothing is recorded.
- **Manual check-in** by ticket number or name (when the scanner fails or the ticket is lost) needs a reason.
- Entry closes ``entry_cutoff_minutes`` after the start (15 by default, a setting); after that the
  candidates not checked in are recorded absent. Misconduct and incidents are recorded per room with the
  invigilators' names (002 attachment 9).
- ``mark_held`` closes the exam day: the sitting becomes "held".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session, lazyload

from jlexam.domain.china_time import china_time
from jlexam.domain.sitting_state import SittingState
from jlexam.domain.tickets import check_ticket_number, normalize_ticket_number
from jlexam.errors import NotFound, StateError, ValidationError
from jlexam.security.tokens import TICKET, TokenError, decode_token
from jlexam.services.arrangement import get_session, room_label, room_numbers, session_label, sitting_sessions
from jlexam.services.base import Actor, UnitOfWork, keystore_for, query, use_case, utcnow
from jlexam.services.sittings import get_sitting
from jlexam.services.staffing import room_staff
from jlexam.store.models import (
    Application,
    Briefing,
    Candidate,
    CandidatePhoto,
    CheckIn,
    ExamSession,
    Room,
    RoomEvent,
    SeatAssignment,
    Setting,
    Sitting,
    Ticket,
)

ENTRY_CUTOFF_KEY = "checkin.entry_cutoff_minutes"
DEFAULT_ENTRY_CUTOFF = 15  # RULES.md "Exam day": entry closes 15 min after the start (configurable)
EVENT_KINDS = {"absent": "缺考", "misconduct": "违纪", "incident": "突发事件"}
METHOD_LABELS = {"scan": "扫码", "manual": "人工"}


@dataclass(frozen=True)
class CheckInResult:
    ok: bool
    message: str  # Chinese: what to do, or why refused
    name: str = ""
    room: str = ""
    seat: int | None = None
    photo_jpeg: bytes | None = None
    colour: str = "red"  # "green" lets the candidate in, "red" stops them
    ticket_number: str = ""
    application_id: int | None = None


def _refuse(message: str, **known: object) -> CheckInResult:
    return CheckInResult(False, message, colour="red", **known)  # type: ignore[arg-type]


# --- keys, cached per database --------------------------------------------------------------------------------
_PUBLIC_KEYS: dict[str, dict[str, Ed25519PublicKey]] = {}


def _public_keys(actor: Actor, *, refresh: bool = False) -> dict[str, Ed25519PublicKey]:
    namespace = actor.db.database_id
    if refresh or namespace not in _PUBLIC_KEYS:
        _PUBLIC_KEYS[namespace] = keystore_for(actor.db).public_keys()
    return _PUBLIC_KEYS[namespace]


def _decode(actor: Actor, text: str) -> dict:
    try:
        return decode_token(text, _public_keys(actor), TICKET)
    except TokenError as exc:
        if exc.reason != "unknown_key":
            raise
        return decode_token(text, _public_keys(actor, refresh=True), TICKET)  # keys imported since


# --- the entry cut-off --------------------------------------------------------------------------------------
def _cutoff_minutes(s: Session) -> int:
    row = s.get(Setting, ENTRY_CUTOFF_KEY)
    try:
        return int(row.value) if row is not None else DEFAULT_ENTRY_CUTOFF
    except ValueError:
        return DEFAULT_ENTRY_CUTOFF


def entry_cutoff_minutes(actor: Actor) -> int:
    """Minutes after the start at which entry closes. Any logged-in user may read it."""
    with actor.db.reading() as s:
        return _cutoff_minutes(s)


@use_case("settings.manage")
def set_entry_cutoff(uow: UnitOfWork, minutes: int) -> int:
    if not isinstance(minutes, int) or not 0 <= minutes <= 120:
        raise ValidationError("开考后禁止入场的时间应为 0 到 120 之间的整数分钟（通常为 15 分钟）。")
    row = uow.session.get(Setting, ENTRY_CUTOFF_KEY)
    old = _cutoff_minutes(uow.session)
    if row is None:
        uow.session.add(Setting(key=ENTRY_CUTOFF_KEY, value=str(minutes)))
    else:
        row.value = str(minutes)
    uow.audit(
        "settings.entry_cutoff",
        "setting",
        ENTRY_CUTOFF_KEY,
        f"开考后禁止入场时间由 {old} 分钟改为 {minutes} 分钟",
    )
    return minutes


def _cutoff(s: Session, session: ExamSession) -> datetime:
    return session.starts_at + timedelta(minutes=_cutoff_minutes(s))


# --- check-in --------------------------------------------------------------------------------------------------
# Room numbers of ticketed sittings: their plans are locked, so the numbers never change.
_ROOM_NUMBERS: dict[tuple[str, int], dict[tuple[int, int], int]] = {}


def _seat_text(db_id: str, s: Session, sitting: Sitting, session: ExamSession, seat: SeatAssignment) -> str:
    key = (db_id, sitting.id)
    if key not in _ROOM_NUMBERS:
        _ROOM_NUMBERS[key] = room_numbers(s, sitting)
    number = _ROOM_NUMBERS[key].get((session.id, seat.room_id), 0)
    room = s.get(Room, seat.room_id)
    assert room is not None
    return room_label(number, room)


def _admit(
    uow: UnitOfWork,
    session: ExamSession,
    sitting: Sitting,
    app: Application,
    ticket: Ticket,
    now: datetime,
    method: str,
    reason: str = "",
) -> CheckInResult:
    """The common checks and the record of a check-in (scan or manual)."""
    s = uow.session
    cand = s.get(Candidate, app.candidate_id)
    assert cand is not None
    known = {"name": cand.name, "ticket_number": ticket.number, "application_id": app.id}
    seat = s.scalar(
        select(SeatAssignment).where(
            SeatAssignment.session_id == session.id, SeatAssignment.application_id == app.id
        )
    )
    if seat is None:
        theirs = [
            session_label(x)
            for x in s.scalars(
                select(ExamSession)
                .join(SeatAssignment, SeatAssignment.session_id == ExamSession.id)
                .where(SeatAssignment.application_id == app.id)
                .order_by(ExamSession.starts_at)
            )
        ]
        return _refuse(
            f"拒绝：{cand.name}（准考证号 {ticket.number}）不参加本场次 {session_label(session)}，"
            f"其场次为：{'、'.join(theirs) or '无'}。请核对场次。",
            **known,
        )
    room = _seat_text(uow.actor.db.database_id, s, sitting, session, seat)
    known.update(room=room, seat=seat.seat_number)
    done = s.scalar(select(CheckIn).where(CheckIn.session_id == session.id, CheckIn.application_id == app.id))
    if done is not None:
        return _refuse(
            f"拒绝：{cand.name}（准考证号 {ticket.number}）已签到（{china_time(done.at):%H:%M}，"
            f"{METHOD_LABELS.get(done.method, done.method)}），不能重复签到。请核对是否有人冒用准考证。",
            **known,
        )
    cutoff = _cutoff(s, session)
    if now > cutoff:
        return _refuse(
            f"拒绝：开考 {_cutoff_minutes(s)} 分钟后不得入场（本场 {china_time(session.starts_at):%H:%M} 开考，"
            f"{china_time(cutoff):%H:%M} 停止入场）。{cand.name} 按缺考处理。",
            **known,
        )
    s.add(
        CheckIn(
            session_id=session.id,
            application_id=app.id,
            at=now,
            method=method,
            reason=reason,
            recorded_by=uow.actor.username,
        )
    )
    photo = s.get(CandidatePhoto, cand.id)
    how = f"人工签到（理由：{reason}）" if method == "manual" else "扫码签到"
    uow.audit(
        "checkin.record",
        "application",
        app.id,
        f"{sitting.code} {session_label(session)} {ticket.number} {cand.name} {how}",
    )
    return CheckInResult(
        True,
        f"核验通过：{cand.name}，请到{room} {seat.seat_number:02d} 号座位。请核对照片与本人、身份证件一致。",
        cand.name,
        room,
        seat.seat_number,
        photo.jpeg if photo else None,
        "green",
        ticket.number,
        app.id,
    )


def _open_session(s: Session, session_id: int) -> tuple[ExamSession, Sitting]:
    session = get_session(s, session_id)
    sitting = s.scalar(
        select(Sitting).where(Sitting.id == session.sitting_id).options(lazyload(Sitting.offers))
    )
    assert sitting is not None
    if sitting.state != SittingState.TICKETED.value:
        raise StateError(
            f"认定批次 {sitting.code} 当前为“{SittingState(sitting.state).label}”：只能在制发准考证后、考试结束前签到。"
        )
    return session, sitting


def _scan(
    uow: UnitOfWork, session: ExamSession, sitting: Sitting, scanned_text: str, now: datetime
) -> CheckInResult:
    s = uow.session
    try:
        payload = _decode(uow.actor, scanned_text or "")
    except TokenError as exc:
        return _refuse(f"拒绝：{exc.message}")
    number = str(payload.get("no", ""))
    if payload.get("sitting") != sitting.code:
        return _refuse(
            f"拒绝：这是认定批次 {payload.get('sitting')} 的准考证（{number}），不是本批次 {sitting.code} 的，"
            "不能在本场签到。",
            ticket_number=number,
            name=str(payload.get("name", "")),
        )
    ticket = s.scalar(select(Ticket).where(Ticket.number == number))
    app = s.get(Application, ticket.application_id) if ticket else None
    if ticket is None or app is None or app.sitting_id != sitting.id:
        return _refuse(
            f"拒绝：准考证号 {number} 不在本批次的准考证中（可能已作废），请核对。", ticket_number=number
        )
    cand = s.get(Candidate, app.candidate_id)
    if cand is None or cand.name != payload.get("name") or cand.id_number_masked != payload.get("id"):
        return _refuse(
            f"拒绝：二维码中的考生信息与准考证号 {number} 的报名不符，请核对身份证件并联系考务办公室。",
            ticket_number=number,
        )
    return _admit(uow, session, sitting, app, ticket, now, "scan")


@use_case("checkin.record")
def check_in_scan(
    uow: UnitOfWork, session_id: int, scanned_text: str, now: datetime | None = None
) -> CheckInResult:
    """Check a candidate in by the ticket's QR token. A bad scan is answered (ok=False, with the reason),
    never raised, and leaves no record."""
    session, sitting = _open_session(uow.session, session_id)
    return _scan(uow, session, sitting, scanned_text, now or utcnow())


@use_case("checkin.record")
def check_in_batch(
    uow: UnitOfWork, session_id: int, scans: Sequence[tuple[str, datetime]]
) -> list[CheckInResult]:
    """Scans taken offline (a handheld scanner's memory: text and time of each), checked one by one exactly
    as ``check_in_scan`` and recorded in one transaction; refused scans leave no record."""
    session, sitting = _open_session(uow.session, session_id)
    results = []
    for text, at in scans:
        results.append(_scan(uow, session, sitting, text, at))
        uow.session.flush()
    return results


@use_case("checkin.record")
def check_in_manual(
    uow: UnitOfWork,
    session_id: int,
    reason: str,
    *,
    ticket_number: str | None = None,
    name: str | None = None,
    now: datetime | None = None,
) -> CheckInResult:
    """Check a candidate in by ticket number or by name, with a reason (scanner failed, ticket lost)."""
    s = uow.session
    now = now or utcnow()
    if not (reason or "").strip():
        raise ValidationError("人工签到须写明理由（如“二维码无法识别”“准考证遗失，已核验身份证件”）。")
    session, sitting = _open_session(s, session_id)
    if ticket_number:
        if not check_ticket_number(ticket_number):
            raise ValidationError(
                f"准考证号“{ticket_number}”无效：应为 10 位数字且校验位正确，请核对后重新输入。"
            )
        ticket = s.scalar(select(Ticket).where(Ticket.number == normalize_ticket_number(ticket_number)))
        app = s.get(Application, ticket.application_id) if ticket else None
        if ticket is None or app is None or app.sitting_id != sitting.id:
            raise NotFound(f"本批次没有准考证号为 {normalize_ticket_number(ticket_number)} 的考生。")
    elif name and name.strip():
        rows = s.execute(
            select(Application, Ticket)
            .join(Candidate, Candidate.id == Application.candidate_id)
            .join(Ticket, Ticket.application_id == Application.id)
            .join(SeatAssignment, SeatAssignment.application_id == Application.id)
            .where(SeatAssignment.session_id == session.id, Candidate.name == name.strip())
        ).all()
        if not rows:
            raise NotFound(f"本场次没有名为“{name.strip()}”的考生，请核对姓名或改用准考证号。")
        if len(rows) > 1:
            numbers = "、".join(t.number for _, t in rows)
            raise ValidationError(
                f"本场次有 {len(rows)} 名考生叫“{name.strip()}”（准考证号 {numbers}）：请用准考证号签到。"
            )
        app, ticket = rows[0]
    else:
        raise ValidationError("请输入准考证号或姓名。")
    return _admit(uow, session, sitting, app, ticket, now, "manual", reason.strip())


# --- absences, misconduct, incidents ----------------------------------------------------------------------
def _signers(s: Session, session_id: int, room_id: int) -> str:
    return "|".join(room_staff(s, session_id, room_id))


@use_case("checkin.record")
def record_absences(uow: UnitOfWork, session_id: int, now: datetime | None = None) -> int:
    """After entry has closed, record every seated candidate not checked in as absent, per room."""
    s = uow.session
    now = now or utcnow()
    session, sitting = _open_session(s, session_id)
    cutoff = _cutoff(s, session)
    if now <= cutoff:
        raise StateError(
            f"{china_time(cutoff):%H:%M} 才停止入场（开考后 {_cutoff_minutes(s)} 分钟）：此前不能登记缺考。"
        )
    checked = set(s.scalars(select(CheckIn.application_id).where(CheckIn.session_id == session.id)))
    already = set(
        s.scalars(
            select(RoomEvent.application_id).where(
                RoomEvent.session_id == session.id, RoomEvent.kind == "absent"
            )
        )
    )
    count = 0
    for seat in s.scalars(
        select(SeatAssignment).where(SeatAssignment.session_id == session.id).order_by(SeatAssignment.id)
    ):
        if seat.application_id in checked or seat.application_id in already:
            continue
        s.add(
            RoomEvent(
                session_id=session.id,
                room_id=seat.room_id,
                kind="absent",
                application_id=seat.application_id,
                description="开考后未到场，按缺考处理",
                signed_by=_signers(s, session.id, seat.room_id),
                at=now,
                recorded_by=uow.actor.username,
            )
        )
        count += 1
    uow.audit(
        "checkin.absences",
        "exam_session",
        session.id,
        f"{sitting.code} {session_label(session)} 登记缺考 {count} 人",
    )
    return count


@use_case("checkin.record")
def record_room_event(
    uow: UnitOfWork,
    session_id: int,
    room: int | str,
    kind: str,
    description: str,
    *,
    application_id: int | None = None,
    ticket_number: str | None = None,
    signed_by: list[str] | None = None,
    at: datetime | None = None,
) -> int:
    """Misconduct (of a candidate) or an incident in a room, with the invigilators who sign the record."""
    from jlexam.services.arrangement import find_room

    s = uow.session
    session, sitting = _open_session(s, session_id)
    if kind not in ("misconduct", "incident"):
        raise ValidationError(
            "考场记录类型应为 misconduct（违纪）或 incident（突发事件）；缺考请用“登记缺考”。"
        )
    if not (description or "").strip():
        raise ValidationError(f"请写明{EVENT_KINDS[kind]}的经过和处理情况。")
    room_row = find_room(s, room)
    if ticket_number:
        ticket = s.scalar(select(Ticket).where(Ticket.number == normalize_ticket_number(ticket_number)))
        if ticket is None:
            raise NotFound(f"没有准考证号为 {ticket_number} 的考生。")
        application_id = ticket.application_id
    if kind == "misconduct" and application_id is None:
        raise ValidationError("违纪记录须指明考生（准考证号）。")
    if application_id is not None:
        seat = s.scalar(
            select(SeatAssignment).where(
                SeatAssignment.session_id == session.id, SeatAssignment.application_id == application_id
            )
        )
        if seat is None or seat.room_id != room_row.id:
            raise ValidationError(f"报名 {application_id} 不在本场次的“{room_row.name}”考场，请核对考场。")
    signers = [x.strip() for x in (signed_by or []) if x.strip()] or room_staff(s, session.id, room_row.id)
    if not signers:
        raise ValidationError("考场记录须由监考员签名：请填写签名的监考员（002 附件9）。")
    event = RoomEvent(
        session_id=session.id,
        room_id=room_row.id,
        kind=kind,
        application_id=application_id,
        description=description.strip(),
        signed_by="|".join(signers),
        at=at or uow.now,
        recorded_by=uow.actor.username,
    )
    s.add(event)
    s.flush()
    uow.audit(
        f"checkin.{kind}",
        "room_event",
        event.id,
        f"{sitting.code} {session_label(session)} {room_row.name} {EVENT_KINDS[kind]}：{event.description}",
    )
    return event.id


@dataclass(frozen=True)
class RoomEventView:
    id: int
    room: str
    kind: str
    application_id: int | None
    name: str
    description: str
    signed_by: tuple[str, ...]
    at: datetime

    @property
    def kind_label(self) -> str:
        return EVENT_KINDS.get(self.kind, self.kind)


@query("tickets.view")
def room_events(s: Session, actor: Actor, session_id: int) -> list[RoomEventView]:
    session = get_session(s, session_id)
    rooms = {r.id: r.name for r in s.scalars(select(Room))}
    result = []
    for e in s.scalars(
        select(RoomEvent).where(RoomEvent.session_id == session.id).order_by(RoomEvent.at, RoomEvent.id)
    ):
        name = ""
        if e.application_id:
            app = s.get(Application, e.application_id)
            cand = s.get(Candidate, app.candidate_id) if app else None
            name = cand.name if cand else ""
        result.append(
            RoomEventView(
                e.id,
                rooms.get(e.room_id, ""),
                e.kind,
                e.application_id,
                name,
                e.description,
                tuple(x for x in e.signed_by.split("|") if x),
                e.at,
            )
        )
    return result


@dataclass(frozen=True)
class CheckInSummary:
    expected: int
    checked_in: int
    manual: int
    absent: int

    @property
    def outstanding(self) -> int:
        return self.expected - self.checked_in - self.absent


@query("tickets.view")
def checkin_summary(s: Session, actor: Actor, session_id: int) -> CheckInSummary:
    session = get_session(s, session_id)
    seated = set(
        s.scalars(select(SeatAssignment.application_id).where(SeatAssignment.session_id == session.id))
    )
    methods = list(s.scalars(select(CheckIn.method).where(CheckIn.session_id == session.id)))
    absent = set(
        s.scalars(
            select(RoomEvent.application_id).where(
                RoomEvent.session_id == session.id, RoomEvent.kind == "absent"
            )
        )
    )
    return CheckInSummary(len(seated), len(methods), methods.count("manual"), len(absent & seated))


# --- the end of the exam day -------------------------------------------------------------------------------
@use_case("checkin.record")
def mark_held(uow: UnitOfWork, sitting_code: str, now: datetime | None = None) -> None:
    """The sitting has been held: every session over, the briefing recorded (002 §23), and every seated
    candidate either checked in or recorded absent."""
    s = uow.session
    now = now or uow.now
    sitting = get_sitting(s, sitting_code)
    state = SittingState(sitting.state)
    if state is not SittingState.TICKETED:
        raise StateError(
            f"认定批次 {sitting.code} 当前为“{state.label}”：制发准考证并考试结束后才能标记为已考试。"
        )
    sessions = sitting_sessions(s, sitting)
    if sessions and now < max(x.ends_at for x in sessions):
        last = max(sessions, key=lambda x: x.ends_at)
        raise StateError(
            f"场次 {session_label(last)} 尚未结束（{china_time(last.ends_at):%H:%M}），不能标记为已考试。"
        )
    if not s.scalar(select(Briefing.id).where(Briefing.sitting_id == sitting.id).limit(1)):
        raise StateError(
            f"认定批次 {sitting.code} 没有考务会记录：认定实施前须召开考务会（002 第二十三条），请先登记考务会及到会人员。",
            rule="002 §23",
        )
    open_by_session: dict[int, int] = defaultdict(int)
    for session in sessions:
        seated = set(
            s.scalars(select(SeatAssignment.application_id).where(SeatAssignment.session_id == session.id))
        )
        seen = set(s.scalars(select(CheckIn.application_id).where(CheckIn.session_id == session.id)))
        seen |= set(
            s.scalars(
                select(RoomEvent.application_id).where(
                    RoomEvent.session_id == session.id, RoomEvent.kind == "absent"
                )
            )
        )
        if seated - seen:
            open_by_session[session.id] = len(seated - seen)
    if open_by_session:
        labels = "、".join(
            f"{session_label(x)} {open_by_session[x.id]} 人" for x in sessions if x.id in open_by_session
        )
        raise StateError(f"还有考生既未签到也未登记缺考：{labels}。请先登记缺考。")
    sitting.state = SittingState.HELD.value
    uow.audit("sitting.held", "sitting", sitting.code, f"认定批次 {sitting.code} 考试结束")
