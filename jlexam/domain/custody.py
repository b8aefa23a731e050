"""The custody of a sealed paper packet from the printer to the archive (002 §22, §32; RULES.md "Papers").

Each event moves the packet from one state to the next; the order is enforced when an event is recorded, and
``anomalies`` flags what an auditor must look at in a recorded log (gaps, seal mismatches, early openings,
packets not returned, copies that do not add up, too few people present).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from jlexam.errors import StateError, ValidationError


class EventKind(StrEnum):
    PRINT = "print"
    SEAL = "seal"
    STORE = "store"
    TAKE_OUT = "take_out"
    TRANSPORT = "transport"
    HAND_OVER = "hand_over"
    OPEN = "open"
    COLLECT = "collect"
    RESEAL = "reseal"
    HAND_TO_MARKERS = "hand_to_markers"
    RETURN = "return"
    ARCHIVE = "archive"

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS = {
    EventKind.PRINT: "印制",
    EventKind.SEAL: "封装",
    EventKind.STORE: "入库保管",
    EventKind.TAKE_OUT: "出库",
    EventKind.TRANSPORT: "运送",
    EventKind.HAND_OVER: "交接",
    EventKind.OPEN: "启封",
    EventKind.COLLECT: "回收",
    EventKind.RESEAL: "回收封装",
    EventKind.HAND_TO_MARKERS: "交评分组",
    EventKind.RETURN: "归还入库",
    EventKind.ARCHIVE: "归档",
}

# What each event requires the packet's state to be, and the state it leaves (RULES.md "Papers").
TRANSITIONS: dict[EventKind, tuple[frozenset[str], str]] = {
    EventKind.PRINT: (frozenset({"new"}), "printed"),
    EventKind.SEAL: (frozenset({"printed"}), "sealed"),
    EventKind.STORE: (frozenset({"sealed", "taken_out"}), "stored"),
    EventKind.TAKE_OUT: (frozenset({"stored"}), "taken_out"),
    EventKind.TRANSPORT: (frozenset({"sealed", "taken_out"}), "taken_out"),
    EventKind.HAND_OVER: (frozenset({"sealed", "taken_out", "collected", "resealed", "with_markers"}), ""),
    EventKind.OPEN: (frozenset({"sealed", "taken_out"}), "opened"),
    EventKind.COLLECT: (frozenset({"opened"}), "collected"),
    EventKind.RESEAL: (frozenset({"collected"}), "resealed"),
    EventKind.HAND_TO_MARKERS: (frozenset({"resealed"}), "with_markers"),
    EventKind.RETURN: (frozenset({"resealed", "with_markers"}), "returned"),
    EventKind.ARCHIVE: (frozenset({"returned"}), "archived"),
}
STATE_LABELS = {
    "new": "未印制",
    "printed": "已印制",
    "sealed": "已封装",
    "stored": "在库",
    "taken_out": "已出库",
    "opened": "已启封",
    "collected": "已回收",
    "resealed": "已回收封装",
    "with_markers": "评分中",
    "returned": "已归还",
    "archived": "已归档",
}
TWO_PEOPLE = {
    EventKind.SEAL,
    EventKind.OPEN,
    EventKind.RESEAL,
    EventKind.STORE,
    EventKind.TAKE_OUT,
}  # *practice*
CARRIERS = 3  # *practice*: at least three people carry papers
CANDIDATE_WITNESSES = 2  # *practice*: two candidates sign that the seal was intact


@dataclass(frozen=True)
class CustodyRules:
    """Institution-adjustable practice (RULES.md marks these *practice*)."""

    open_earliest_before_start: timedelta = timedelta(minutes=15)
    return_within_after_end: timedelta = timedelta(hours=24)
    two_people: bool = True
    carriers: int = CARRIERS
    candidate_witnesses: int = CANDIDATE_WITNESSES


DEFAULT_RULES = CustodyRules()


@dataclass(frozen=True)
class Event:
    kind: EventKind
    at: datetime
    place: str
    persons: tuple[str, ...]
    witnesses: tuple[str, ...] = ()  # candidates witnessing an opening
    seal_number: str = ""
    copies: int | None = None
    from_place: str = ""  # for transport: where the packet leaves from


@dataclass(frozen=True)
class PacketState:
    state: str
    place: str
    seal_number: str
    opened: bool


def replay(events: Sequence[Event]) -> PacketState:
    """The state after the events, assuming each was accepted in order."""
    state, place, seal, opened = "new", "", "", False
    for e in events:
        target = TRANSITIONS[e.kind][1]
        state = target or state
        place = e.place or place
        if e.kind in (EventKind.SEAL, EventKind.RESEAL) and e.seal_number:
            seal = e.seal_number
        opened = opened or e.kind is EventKind.OPEN
    return PacketState(state, place, seal, opened)


def check_next(events: Sequence[Event], new: Event, rules: CustodyRules = DEFAULT_RULES) -> None:
    """Refuse an event that breaks the order (RULES.md "Papers"): say which rule and what to do."""
    current = replay(events)
    allowed, _ = TRANSITIONS[new.kind]
    if new.kind is EventKind.OPEN and current.opened:
        raise StateError(
            "该试卷袋已经启封过，不能再次启封。如有异常请记录突发事件并报告主考。", rule="002 §22"
        )
    if current.state not in allowed:
        need = "、".join(STATE_LABELS[s] for s in sorted(allowed))
        raise StateError(
            f"试卷袋当前为“{STATE_LABELS[current.state]}”，不能{new.kind.label}（须为：{need}）。",
            rule="002 §22",
        )
    if events and new.at < events[-1].at:
        raise ValidationError(f"{new.kind.label}时间早于上一环节（{events[-1].kind.label}），请核对时间。")
    if new.kind is EventKind.TRANSPORT and new.from_place != current.place:
        raise StateError(
            f"试卷袋登记在“{current.place}”，不能从“{new.from_place}”运出。请先登记交接或核对地点。",
            rule="002 §22",
        )
    if not new.persons:
        raise ValidationError(f"{new.kind.label}须登记责任人（002 第二十二条）。")
    if new.kind in (EventKind.SEAL, EventKind.RESEAL) and not new.seal_number.strip():
        raise ValidationError(f"{new.kind.label}须登记封条编号。")
    if new.kind is EventKind.PRINT and (new.copies is None or new.copies <= 0):
        raise ValidationError("印制须登记份数。")


@dataclass(frozen=True)
class Anomaly:
    code: str  # gap, seal_mismatch, early_open, not_returned, copies, too_few_people, out_of_order
    message: str  # Chinese


def anomalies(
    events: Sequence[Event],
    *,
    session_start: datetime | None,
    session_end: datetime | None,
    now: datetime,
    rules: CustodyRules = DEFAULT_RULES,
) -> list[Anomaly]:
    """What the log shows an auditor should look at; chain breaks are reported by the chain check itself."""
    found: list[Anomaly] = []
    sealed_with = ""
    printed = None
    for i, e in enumerate(events):
        if i and e.at < events[i - 1].at:
            found.append(Anomaly("out_of_order", f"第 {i + 1} 个环节（{e.kind.label}）的时间早于前一环节。"))
        if e.kind is EventKind.PRINT:
            printed = e.copies
        if e.kind is EventKind.SEAL:
            sealed_with = e.seal_number
        if e.kind is EventKind.OPEN:
            found += _opening(e, sealed_with, session_start, rules)
        if (
            e.kind is EventKind.COLLECT
            and printed is not None
            and e.copies is not None
            and e.copies != printed
        ):
            found.append(Anomaly("copies", f"回收 {e.copies} 份，与印制的 {printed} 份不符。"))
        if rules.two_people and e.kind in TWO_PEOPLE and len(set(e.persons)) < 2:
            found.append(Anomaly("too_few_people", f"{e.kind.label}时在场人员少于 2 人。"))
        if e.kind is EventKind.TRANSPORT and len(set(e.persons)) < rules.carriers:
            found.append(Anomaly("too_few_people", f"运送时押运人员少于 {rules.carriers} 人。"))
    state = replay(events)
    if (
        session_end is not None
        and state.opened
        and state.state not in ("returned", "archived")
        and now > session_end + rules.return_within_after_end
    ):
        found.append(Anomaly("not_returned", "考试结束已超过规定时间，试卷袋尚未归还入库。"))
    return found


def _opening(e: Event, sealed_with: str, start: datetime | None, rules: CustodyRules) -> list[Anomaly]:
    found = []
    if e.seal_number and sealed_with and e.seal_number != sealed_with:
        found.append(
            Anomaly("seal_mismatch", f"启封时封条编号 {e.seal_number} 与封装时的 {sealed_with} 不符。")
        )
    if start is not None and e.at < start - rules.open_earliest_before_start:
        minutes = int(rules.open_earliest_before_start.total_seconds() // 60)
        found.append(Anomaly("early_open", f"启封时间早于开考前 {minutes} 分钟。"))
    if rules.two_people and len(set(e.persons)) < 2:
        found.append(Anomaly("too_few_people", "启封时监考员少于 2 人。"))
    if len(set(e.witnesses)) < rules.candidate_witnesses:
        found.append(Anomaly("too_few_people", f"启封时见证考生少于 {rules.candidate_witnesses} 人。"))
    return found
