"""The blank-certificate stock ledger (空白证书专人专账, 002 §27): pure rules over a list of entries.

Blank certificate forms are printed by the institution with a serial number on each form and kept by a named
custodian. The ledger records, in time order, every movement of those serials:

``receipt``     forms of a serial range arrive from the printer and go into the custodian's stock;
``issue``       forms leave the stock for printing certificates (the issuer takes them from the custodian);
``spoil``       a form is spoiled (印废 / damaged), with a reason; the spoiled sheet goes back to the custodian
                to be kept for destruction;
``void``        a form is voided (作废: lost, withdrawn, or a printed certificate cancelled), with a reason;
``stock_take``  a count of the forms in stock (盘点), with the counted number; it changes no serial.

Every received serial is in exactly one state at any moment: :class:`SerialState` ``in_stock``, ``issued``,
``spoiled`` or ``voided``. A form goes ``in_stock -> issued``; a spoil or void may follow from ``in_stock``
or ``issued``; ``spoiled`` and ``voided`` are final (a serial is never used again, RULES.md "Certificates").

The balance is defined on those states, so that its four terms never overlap:

    balance = received − issued − voided − spoiled

where ``received`` is the number of serials ever received, and ``issued``, ``voided`` and ``spoiled`` are the
numbers of serials whose *current* state is that one (an issued form later spoiled counts as spoiled, not
as issued). The balance is therefore the number of forms the custodian should hold unused, which a stock-take
counts. RULES.md writes "received − issued − voided": there a spoiled form is a kind of voided one; the
ledger keeps the two apart because a spoiled sheet is returned and destroyed while a voided one may be lost.

Custody is separated from issuing (002 §27 专人专账; RULES.md): an issue names the issuer, who must not be
the custodian. A stock-take does not repair the ledger: a shortage is closed by voiding the missing serials
with the reason found.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from jlexam.errors import ValidationError

_RULE = "002 §27"
MAX_RANGE = 100_000  # forms in one entry: a larger range is a typing error, not a delivery
MAX_SERIAL = 999_999_999


class EntryKind(StrEnum):
    RECEIPT = "receipt"
    ISSUE = "issue"
    SPOIL = "spoil"
    VOID = "void"
    STOCK_TAKE = "stock_take"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    EntryKind.RECEIPT: "入库",
    EntryKind.ISSUE: "领用",
    EntryKind.SPOIL: "印废",
    EntryKind.VOID: "作废",
    EntryKind.STOCK_TAKE: "盘点",
}


class SerialState(StrEnum):
    IN_STOCK = "in_stock"
    ISSUED = "issued"
    SPOILED = "spoiled"
    VOIDED = "voided"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]


_STATE_LABELS = {
    SerialState.IN_STOCK: "在库",
    SerialState.ISSUED: "已领用",
    SerialState.SPOILED: "已印废",
    SerialState.VOIDED: "已作废",
}

# What each movement requires of a serial before it, and leaves it in.
_FROM: Mapping[EntryKind, frozenset[SerialState | None]] = {
    EntryKind.RECEIPT: frozenset({None}),
    EntryKind.ISSUE: frozenset({SerialState.IN_STOCK}),
    EntryKind.SPOIL: frozenset({SerialState.IN_STOCK, SerialState.ISSUED}),
    EntryKind.VOID: frozenset({SerialState.IN_STOCK, SerialState.ISSUED}),
}
_TO: Mapping[EntryKind, SerialState] = {
    EntryKind.RECEIPT: SerialState.IN_STOCK,
    EntryKind.ISSUE: SerialState.ISSUED,
    EntryKind.SPOIL: SerialState.SPOILED,
    EntryKind.VOID: SerialState.VOIDED,
}


@dataclass(frozen=True)
class LedgerEntry:
    """One line of the ledger. ``first``..``last`` is the serial range, both included (one form: equal).

    ``custodian`` is the named keeper of the stock at the time; ``handler`` is who did it: for a receipt who
    delivered or accepted the forms, for an issue the issuer who took them, for a spoil or void who reported
    it, for a stock-take who counted. A stock-take has no serials (``first = last = 0``) and a ``counted``.
    """

    kind: EntryKind
    at: datetime
    custodian: str
    handler: str
    first: int = 0
    last: int = 0
    reason: str = ""
    counted: int | None = None

    @property
    def serials(self) -> range:
        return range(self.first, self.last + 1) if self.kind is not EntryKind.STOCK_TAKE else range(0)

    @property
    def count(self) -> int:
        return len(self.serials)


def _span(serials: Sequence[int]) -> str:
    """``1001-1005、1009`` for a sorted list of serials, at most a few ranges shown."""
    ranges: list[tuple[int, int]] = []
    for s in serials:
        if ranges and s == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], s)
        else:
            ranges.append((s, s))
    shown = [f"{a}" if a == b else f"{a}-{b}" for a, b in ranges[:4]]
    more = f" 等{len(serials)}张" if len(ranges) > 4 else ""
    return "、".join(shown) + more


def _replay(entries: Iterable[LedgerEntry]) -> tuple[dict[int, SerialState], int]:
    status: dict[int, SerialState] = {}
    received = 0
    for entry in entries:
        target = _TO.get(entry.kind)
        if target is None:
            continue
        for s in entry.serials:
            status[s] = target
        if entry.kind is EntryKind.RECEIPT:
            received += entry.count
    return status, received


def serial_status(entries: Iterable[LedgerEntry]) -> dict[int, SerialState]:
    """The current state of every serial ever received."""
    return _replay(entries)[0]


@dataclass(frozen=True)
class LedgerTotals:
    received: int
    issued: int
    spoiled: int
    voided: int

    @property
    def balance(self) -> int:
        return self.received - self.issued - self.voided - self.spoiled


def totals(entries: Iterable[LedgerEntry]) -> LedgerTotals:
    status, received = _replay(entries)
    counts = dict.fromkeys(SerialState, 0)
    for state in status.values():
        counts[state] += 1
    return LedgerTotals(
        received=received,
        issued=counts[SerialState.ISSUED],
        spoiled=counts[SerialState.SPOILED],
        voided=counts[SerialState.VOIDED],
    )


def balance(entries: Iterable[LedgerEntry]) -> int:
    """received − issued − voided − spoiled: the unused forms the custodian should hold (see the module)."""
    return totals(entries).balance


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, rule=_RULE)


def _check_shape(entry: LedgerEntry) -> None:
    what = entry.kind.label
    if not entry.custodian.strip():
        raise _refuse(f"{what}记录缺少保管人：空白证书实行专人专账管理，请填写保管人姓名。")
    if not entry.handler.strip():
        raise _refuse(f"{what}记录缺少经办人：请填写经办人姓名。")
    if entry.kind is EntryKind.STOCK_TAKE:
        if type(entry.counted) is not int or entry.counted < 0:
            raise _refuse("盘点记录应填写清点出的在库空白证书张数（0 或正整数）。")
        if entry.first or entry.last:
            raise _refuse("盘点记录不涉及具体序号：请只填写清点张数。")
        return
    if entry.counted is not None:
        raise _refuse(f"{what}记录不填写清点张数：清点张数只用于盘点记录。")
    if not 1 <= entry.first <= entry.last <= MAX_SERIAL:
        raise _refuse(
            f"{what}记录的序号范围 {entry.first}-{entry.last} 无效：起始序号应不小于1且不大于终止序号，请核对证书上印制的序号。"
        )
    if entry.count > MAX_RANGE:
        raise _refuse(
            f"{what}记录的序号范围 {entry.first}-{entry.last} 共 {entry.count} 张，超过单次上限 {MAX_RANGE} 张：请核对序号或分次登记。"
        )
    if entry.kind in (EntryKind.SPOIL, EntryKind.VOID) and not entry.reason.strip():
        raise _refuse(f"{what}空白证书须写明原因：请填写{what}原因（如打印错位、卡纸、遗失）。")


def check_entry(entries: Sequence[LedgerEntry], new_entry: LedgerEntry) -> None:
    """Refuse ``new_entry`` (ValidationError in Chinese) when it breaks a ledger rule; ``entries`` are the
    ledger so far, already valid and in time order."""
    _check_shape(new_entry)
    what = new_entry.kind.label
    if entries and new_entry.at < entries[-1].at:
        raise _refuse(
            f"{what}记录的时间 {new_entry.at:%Y-%m-%d %H:%M} 早于台账最后一条记录（{entries[-1].at:%Y-%m-%d %H:%M}）："
            "台账按时间顺序登记，请核对时间。"
        )
    if new_entry.kind is EntryKind.ISSUE and new_entry.handler.strip() == new_entry.custodian.strip():
        raise _refuse(
            f"领用人 {new_entry.handler} 与保管人相同：空白证书的保管与领用应分离（专人专账），请由保管人以外的人员领用。"
        )
    if new_entry.kind is EntryKind.STOCK_TAKE:
        return
    status = serial_status(entries)
    allowed = _FROM[new_entry.kind]
    bad: dict[SerialState | None, list[int]] = {}
    for s in new_entry.serials:
        state = status.get(s)
        if state not in allowed:
            bad.setdefault(state, []).append(s)
    if not bad:
        return
    state, serials = next(iter(bad.items()))
    span = _span(serials)
    if new_entry.kind is EntryKind.RECEIPT:
        raise _refuse(f"序号 {span} 的空白证书已经入库，不能重复入库：请核对印制序号。")
    if state is None:
        if new_entry.kind is EntryKind.ISSUE:
            raise _refuse(f"序号 {span} 的空白证书尚未入库，不能领用：请先登记入库，或核对序号。")
        raise _refuse(f"序号 {span} 不在台账中（从未入库），不能{what}：请核对序号。")
    if new_entry.kind is EntryKind.ISSUE and state is SerialState.ISSUED:
        raise _refuse(f"序号 {span} 的空白证书已经领用，不能重复领用：每个序号只能领用一次。")
    raise _refuse(f"序号 {span} 的空白证书{state.label}，不能再{what}：作废和印废的序号不得再使用。")


def check_ledger(entries: Sequence[LedgerEntry]) -> None:
    """Check a whole ledger entry by entry; the first refusal names the entry's position."""
    for index, entry in enumerate(entries):
        try:
            check_entry(entries[:index], entry)
        except ValidationError as exc:
            raise ValidationError(
                f"台账第{index + 1}条（{entry.kind.label}）：{exc.message}", rule=exc.rule
            ) from None


@dataclass(frozen=True)
class Discrepancy:
    """A stock-take compared with the ledger. ``difference`` = counted − expected (negative: forms missing)."""

    expected: int
    counted: int
    missing: tuple[int, ...]  # in stock by the ledger, not found (only when serials were counted)
    unexpected: tuple[int, ...]  # found, but not in stock by the ledger

    @property
    def difference(self) -> int:
        return self.counted - self.expected

    @property
    def ok(self) -> bool:
        return self.difference == 0 and not self.missing and not self.unexpected

    @property
    def message(self) -> str:
        if self.ok:
            return f"盘点相符：台账结存 {self.expected} 张，实盘 {self.counted} 张。"
        parts = [f"盘点不符：台账结存 {self.expected} 张，实盘 {self.counted} 张"]
        if self.difference < 0:
            parts.append(f"短缺 {-self.difference} 张")
        elif self.difference > 0:
            parts.append(f"多出 {self.difference} 张")
        if self.missing:
            parts.append(f"台账在库而未清点到的序号 {_span(self.missing)}")
        if self.unexpected:
            parts.append(f"清点到而台账不在库的序号 {_span(self.unexpected)}")
        return "，".join(parts) + "。请查明原因：遗失的序号登记作废并写明原因，登记错误的请更正后重新盘点。"


def stock_take(entries: Iterable[LedgerEntry], counted: int | Iterable[int]) -> Discrepancy:
    """Compare a count with the ledger: ``counted`` is the number of forms found, or the serials found."""
    status = serial_status(entries)
    in_stock = {s for s, state in status.items() if state is SerialState.IN_STOCK}
    if isinstance(counted, int):
        if counted < 0:
            raise _refuse("盘点张数不能为负数。")
        return Discrepancy(len(in_stock), counted, (), ())
    found = set(counted)
    return Discrepancy(
        expected=len(in_stock),
        counted=len(found),
        missing=tuple(sorted(in_stock - found)),
        unexpected=tuple(sorted(found - in_stock)),
    )
