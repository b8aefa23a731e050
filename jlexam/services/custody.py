"""Paper custody (试卷流转, 002 §22, §32): packets, their hash-chained events, anomalies, key holders.

Every event is checked against the order (jlexam.domain.custody) before it is written, appended to the
packet's own hash chain ("custody:<packet code>") and mirrored in the audit trail, all in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jlexam.domain.custody import STATE_LABELS, Anomaly, Event, EventKind, anomalies, check_next, replay
from jlexam.domain.sitting_state import SittingState
from jlexam.errors import NotFound, StateError, ValidationError
from jlexam.security.tokens import PACKET, decode_token, encode_token
from jlexam.services.audit import ChainReport
from jlexam.services.base import Actor, UnitOfWork, keystore_for, query, require, use_case, utcnow
from jlexam.services.sittings import get_sitting
from jlexam.store import chain
from jlexam.store.models import ChainHead, CustodyEvent, ExamSession, KeyHolder, PaperPacket, Sitting

SEP = "、"


def chain_name(packet_code: str) -> str:
    return f"custody:{packet_code}"


def _fields(packet_code: str, e: CustodyEvent) -> dict[str, Any]:
    """What a custody link's hash covers."""
    return {
        "packet": packet_code,
        "kind": e.kind,
        "at": e.at,
        "place": e.place,
        "from_place": e.from_place,
        "persons": e.persons,
        "witnesses": e.witnesses,
        "seal_number": e.seal_number,
        "copies": e.copies,
        "note": e.note,
        "recorded_by": e.recorded_by,
        "recorded_at": e.recorded_at,
    }


def _event(row: CustodyEvent) -> Event:
    return Event(
        EventKind(row.kind),
        row.at,
        row.place,
        tuple(p for p in row.persons.split(SEP) if p),
        tuple(w for w in row.witnesses.split(SEP) if w),
        row.seal_number,
        row.copies,
        row.from_place,
    )


def _packet(s: Session, code: str) -> PaperPacket:
    packet = s.scalar(select(PaperPacket).where(PaperPacket.code == code.strip()))
    if packet is None:
        raise NotFound(f"没有编号为 {code} 的试卷袋。")
    return packet


def _rows(s: Session, packet: PaperPacket) -> list[CustodyEvent]:
    return list(
        s.scalars(select(CustodyEvent).where(CustodyEvent.packet_id == packet.id).order_by(CustodyEvent.seq))
    )


def _require_not_archived(sitting: Sitting) -> None:
    """The custody log is part of the archive: once the sitting is archived it is only read (002 §34)."""
    if sitting.state == SittingState.ARCHIVED.value:
        raise StateError(
            f"认定批次 {sitting.code} 已归档：试卷流转记录已随档案确定，不能再登记（002 第三十四条）。",
            rule="002 §34",
        )


@use_case("custody.record")
def create_packet(
    uow: UnitOfWork,
    sitting_code: str,
    code: str,
    paper_code: str,
    paper_version: str,
    copies: int,
    session_id: int | None = None,
    room_id: int | None = None,
) -> str:
    s = uow.session
    sitting = get_sitting(s, sitting_code)
    _require_not_archived(sitting)
    if not code.strip() or not paper_code.strip():
        raise ValidationError("试卷袋编号和试卷代码不能为空（试卷代码取自题库，不得改动）。")
    if copies <= 0:
        raise ValidationError("份数必须大于 0。")
    if s.scalar(select(PaperPacket).where(PaperPacket.code == code.strip())):
        raise ValidationError(f"试卷袋编号 {code} 已存在。")
    if session_id is not None:
        session = s.get(ExamSession, session_id)
        if session is None or session.sitting_id != sitting.id:
            raise ValidationError("所选场次不属于该认定批次。")
    packet = PaperPacket(
        code=code.strip(),
        sitting_id=sitting.id,
        session_id=session_id,
        room_id=room_id,
        paper_code=paper_code.strip(),
        paper_version=paper_version.strip(),
        copies=copies,
        created_at=uow.now,
    )
    s.add(packet)
    s.flush()
    uow.audit(
        "custody.packet",
        "paper_packet",
        packet.code,
        f"登记试卷袋 {packet.code}：试卷 {packet.paper_code} 版本 {packet.paper_version}，{copies} 份",
    )
    return packet.code


@use_case("custody.record")
def amend_paper(uow: UnitOfWork, packet_code: str, paper_code: str, paper_version: str) -> None:
    """Correct the paper code before sealing; after sealing it is fixed (002 §22: papers used unchanged)."""
    packet = _packet(uow.session, packet_code)
    if any(r.kind == EventKind.SEAL.value for r in _rows(uow.session, packet)):
        raise StateError("试卷袋已封装，试卷代码和版本不能再更改。", rule="002 §22")
    old = f"{packet.paper_code}/{packet.paper_version}"
    packet.paper_code, packet.paper_version = paper_code.strip(), paper_version.strip()
    uow.audit("custody.amend", "paper_packet", packet.code, f"试卷由 {old} 改为 {paper_code}/{paper_version}")


@use_case("custody.record")
def record_event(
    uow: UnitOfWork,
    packet_code: str,
    kind: EventKind | str,
    at: datetime,
    place: str,
    persons: Sequence[str],
    *,
    witnesses: Sequence[str] = (),
    seal_number: str = "",
    copies: int | None = None,
    from_place: str = "",
    note: str = "",
) -> int:
    """Record one custody step after checking the order; returns its number in the packet's chain."""
    s = uow.session
    packet = _packet(s, packet_code)
    sitting = s.get(Sitting, packet.sitting_id)
    assert sitting is not None
    _require_not_archived(sitting)
    kind = EventKind(kind)
    if at.tzinfo is None:
        raise ValidationError("时间须带时区（北京时间）。")
    names = tuple(p.strip() for p in persons if p.strip())
    seen = tuple(w.strip() for w in witnesses if w.strip())
    new = Event(kind, at, place.strip(), names, seen, seal_number.strip(), copies, from_place.strip())
    check_next([_event(r) for r in _rows(s, packet)], new)
    row = CustodyEvent(
        packet_id=packet.id,
        kind=kind.value,
        at=at,
        place=new.place,
        from_place=new.from_place,
        persons=SEP.join(names),
        witnesses=SEP.join(seen),
        seal_number=new.seal_number,
        copies=copies,
        note=note.strip(),
        recorded_by=uow.actor.username,
        recorded_at=uow.now,
    )
    link = chain.append(s, chain_name(packet.code), _fields(packet.code, row))
    row.seq, row.prev_hash, row.hash = link.seq, link.prev_hash, link.hash
    s.add(row)
    uow.audit(
        "custody.event",
        "paper_packet",
        packet.code,
        f"{kind.label}：{new.place}，{SEP.join(names)}"
        + (f"，封条 {new.seal_number}" if new.seal_number else ""),
    )
    return link.seq


@dataclass(frozen=True)
class PacketView:
    code: str
    paper_code: str
    paper_version: str
    copies: int
    state: str
    state_label: str
    place: str
    seal_number: str
    events: int
    anomalies: tuple[Anomaly, ...]


def _view(s: Session, packet: PaperPacket, now: datetime) -> PacketView:
    rows = _rows(s, packet)
    events = [_event(r) for r in rows]
    session = s.get(ExamSession, packet.session_id) if packet.session_id else None
    found = anomalies(
        events,
        session_start=session.starts_at if session else None,
        session_end=session.ends_at if session else None,
        now=now,
    )
    state = replay(events)
    return PacketView(
        packet.code,
        packet.paper_code,
        packet.paper_version,
        packet.copies,
        state.state,
        STATE_LABELS[state.state],
        state.place,
        state.seal_number,
        len(rows),
        tuple(found),
    )


@query("custody.view")
def list_packets(
    s: Session, actor: Actor, sitting_code: str, now: datetime | None = None
) -> list[PacketView]:
    sitting = get_sitting(s, sitting_code)
    packets = s.scalars(
        select(PaperPacket).where(PaperPacket.sitting_id == sitting.id).order_by(PaperPacket.code)
    )
    return [_view(s, p, now or utcnow()) for p in packets]


@dataclass(frozen=True)
class EventRow:
    seq: int
    kind_label: str
    at: datetime
    place: str
    persons: str
    witnesses: str
    seal_number: str
    copies: int | None
    note: str
    recorded_by: str


@query("custody.view")
def packet_log(s: Session, actor: Actor, packet_code: str) -> list[EventRow]:
    packet = _packet(s, packet_code)
    return [
        EventRow(
            r.seq,
            EventKind(r.kind).label,
            r.at,
            r.place,
            r.persons,
            r.witnesses,
            r.seal_number,
            r.copies,
            r.note,
            r.recorded_by,
        )
        for r in _rows(s, packet)
    ]


# --- labels: each custody step is a scan ------------------------------------------------------------------
@query("custody.view")
def label_token(s: Session, actor: Actor, packet_code: str) -> str:
    """The signed token printed as the packet label's QR code."""
    packet = _packet(s, packet_code)
    return encode_token(
        keystore_for(actor.db).signing_key(), PACKET, {"packet": packet.code, "paper": packet.paper_code}
    )


def packet_from_scan(actor: Actor, token: str) -> str:
    """The packet code a label scan names, after verifying its signature (a forged label is refused)."""
    require(actor, "custody.view")
    payload = decode_token(token.strip(), keystore_for(actor.db).public_keys(), PACKET)
    return str(payload["packet"])


# --- key holders of the strong room -----------------------------------------------------------------------
@use_case("custody.keys")
def add_key_holder(uow: UnitOfWork, name: str, key_label: str, appointed_on: date) -> None:
    s = uow.session
    if not name.strip() or not key_label.strip():
        raise ValidationError("保管人姓名和钥匙名称不能为空。")
    active = list(s.scalars(select(KeyHolder).where(KeyHolder.active)))
    if any(h.name == name.strip() for h in active):
        raise ValidationError(f"{name} 已保管一把钥匙：两把钥匙须由两名不同的人保管。")
    s.add(KeyHolder(name=name.strip(), key_label=key_label.strip(), appointed_on=appointed_on, active=True))
    uow.audit("custody.key_holder", "key_holder", name.strip(), f"{name.strip()} 保管 {key_label.strip()}")


@query("custody.view")
def key_holders(s: Session, actor: Actor) -> list[tuple[str, str, date]]:
    return [
        (h.name, h.key_label, h.appointed_on) for h in s.scalars(select(KeyHolder).where(KeyHolder.active))
    ]


# --- verification, as part of `jlexam audit verify` --------------------------------------------------------
def verify_custody_chains(s: Session) -> list[ChainReport]:
    reports = []
    packets = {p.id: p.code for p in s.scalars(select(PaperPacket))}
    for packet_id, code in sorted(packets.items(), key=lambda kv: kv[1]):
        rows = s.scalars(
            select(CustodyEvent).where(CustodyEvent.packet_id == packet_id).order_by(CustodyEvent.seq)
        )
        head = s.get(ChainHead, chain_name(code))
        result = chain.verify(
            ((r.seq, r.prev_hash, r.hash, _fields(code, r)) for r in rows),
            (head.seq, head.hash) if head else None,
        )
        reports.append(
            ChainReport(chain_name(code), f"试卷袋 {code} 流转记录", result.links, result.problems)
        )
    return reports


# --- documents: labels and the custody log ----------------------------------------------------------------
def _session_text(s: Session, packet: PaperPacket) -> str:
    from jlexam.domain.china_time import china_time
    from jlexam.services.sittings import PART_LABELS

    session = s.get(ExamSession, packet.session_id) if packet.session_id else None
    if session is None:
        return "场次未指定"
    return f"{PART_LABELS[session.part]} {china_time(session.starts_at):%Y-%m-%d %H:%M}"


@use_case("custody.record")
def write_labels(uow: UnitOfWork, sitting_code: str, out: Path) -> int:
    """The packet labels of a sitting, each with its signed QR code."""
    from jlexam.documents.custody_docs import PacketLabel, render_labels

    s = uow.session
    sitting = get_sitting(s, sitting_code)
    key = uow.keys.signing_key()
    labels = [
        PacketLabel(
            p.code,
            f"{p.paper_code}/{p.paper_version}",
            sitting.code,
            _session_text(s, p),
            p.copies,
            encode_token(key, PACKET, {"packet": p.code, "paper": p.paper_code}),
        )
        for p in s.scalars(
            select(PaperPacket).where(PaperPacket.sitting_id == sitting.id).order_by(PaperPacket.code)
        )
    ]
    render_labels(labels, Path(out))
    uow.audit("custody.labels", "sitting", sitting.code, f"打印试卷袋标签 {len(labels)} 张")
    return len(labels)


@use_case("custody.view")
def write_custody_log(uow: UnitOfWork, sitting_code: str, out: Path) -> Path:
    """The custody log of every packet of the sitting, with the chain check and anomalies (002 §32)."""
    from jlexam.documents.custody_docs import LogEvent, PacketLog, render_custody_log
    from jlexam.domain.china_time import china_time
    from jlexam.store.models import Institution

    s = uow.session
    sitting = get_sitting(s, sitting_code)
    reports = {r.chain: r for r in verify_custody_chains(s)}
    logs = []
    for packet in s.scalars(
        select(PaperPacket).where(PaperPacket.sitting_id == sitting.id).order_by(PaperPacket.code)
    ):
        view = _view(s, packet, uow.now)
        events = [
            LogEvent(
                r.seq,
                EventKind(r.kind).label,
                f"{china_time(r.at):%Y-%m-%d %H:%M}",
                r.place,
                r.persons,
                r.witnesses,
                r.seal_number,
                "" if r.copies is None else str(r.copies),
                r.note,
            )
            for r in _rows(s, packet)
        ]
        report = reports.get(chain_name(packet.code))
        logs.append(
            PacketLog(
                packet.code,
                f"{packet.paper_code}/{packet.paper_version}",
                _session_text(s, packet),
                packet.copies,
                events,
                [a.message for a in view.anomalies],
                report is None or report.intact,
            )
        )
    inst = s.scalar(select(Institution))
    render_custody_log(inst.name if inst else "", f"{sitting.name}（{sitting.code}）", logs, Path(out))
    uow.audit("custody.log", "sitting", sitting.code, f"导出试卷流转记录（{len(logs)} 个试卷袋）")
    return Path(out)
