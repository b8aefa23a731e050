"""The blank-certificate stock ledger (002 §27): balances, refusals, stock-takes."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jlexam.domain.stock_ledger import (
    EntryKind,
    LedgerEntry,
    SerialState,
    balance,
    check_entry,
    check_ledger,
    serial_status,
    stock_take,
    totals,
)
from jlexam.errors import ValidationError

T0 = datetime(2025, 6, 1, 9, 0)
KEEPER = "孙保管"
ISSUER = "钱领用"


def e(kind: EntryKind, first: int = 0, last: int | None = None, *, minutes: int = 0, **kw) -> LedgerEntry:
    args = dict(custodian=KEEPER, handler=ISSUER if kind is not EntryKind.RECEIPT else "印刷厂送货人")
    args.update(kw)
    return LedgerEntry(
        kind, T0 + timedelta(minutes=minutes), first=first, last=first if last is None else last, **args
    )


def ledger() -> list[LedgerEntry]:
    return [
        e(EntryKind.RECEIPT, 1001, 1100, minutes=0),
        e(EntryKind.ISSUE, 1001, 1030, minutes=10),
        e(EntryKind.SPOIL, 1005, reason="打印错位", minutes=20),
        e(EntryKind.VOID, 1010, reason="持证人信息错误，证书收回作废", minutes=30),
        e(EntryKind.SPOIL, 1099, reason="库存受潮", minutes=40),
        e(EntryKind.VOID, 1100, reason="遗失", minutes=50),
    ]


def test_ledger_is_valid():
    check_ledger(ledger())


def test_balance_with_spoils_and_voids():
    t = totals(ledger())
    assert (t.received, t.issued, t.spoiled, t.voided) == (100, 28, 2, 2)
    # 100 received − 28 issued (30 taken, 2 of them spoiled or voided) − 2 voided − 2 spoiled
    assert t.balance == 68 == balance(ledger())
    assert balance([]) == 0


def test_serial_status():
    status = serial_status(ledger())
    assert len(status) == 100
    assert status[1001] is SerialState.ISSUED
    assert status[1005] is SerialState.SPOILED
    assert status[1010] is SerialState.VOIDED
    assert status[1031] is SerialState.IN_STOCK
    assert status[1099] is SerialState.SPOILED
    assert status[1100] is SerialState.VOIDED
    assert 1000 not in status


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        (e(EntryKind.ISSUE, 1020, 1040, minutes=60), "已经领用，不能重复领用"),
        (e(EntryKind.ISSUE, 1200, 1210, minutes=60), "尚未入库，不能领用"),
        (e(EntryKind.VOID, 5000, reason="遗失", minutes=60), "从未入库"),
        (e(EntryKind.SPOIL, 5000, reason="卡纸", minutes=60), "从未入库"),
        (e(EntryKind.RECEIPT, 1090, 1110, minutes=60), "已经入库，不能重复入库"),
        (e(EntryKind.ISSUE, 1005, minutes=60), "已印废"),
        (e(EntryKind.VOID, 1010, reason="再次作废", minutes=60), "已作废"),
        (e(EntryKind.SPOIL, 1010, reason="卡纸", minutes=60), "已作废"),
        (e(EntryKind.ISSUE, 1050, 1060, handler=KEEPER, minutes=60), "保管与领用应分离"),
        (e(EntryKind.VOID, 1050, minutes=60), "原因"),
        (e(EntryKind.SPOIL, 1050, reason="  ", minutes=60), "原因"),
        (e(EntryKind.ISSUE, 1060, 1050, minutes=60), "序号范围"),
        (e(EntryKind.ISSUE, 0, minutes=60), "序号范围"),
        (e(EntryKind.RECEIPT, 1, 200_000, minutes=60), "超过单次上限"),
        (e(EntryKind.ISSUE, 1050, custodian="", minutes=60), "保管人"),
        (e(EntryKind.ISSUE, 1050, handler="", minutes=60), "经办人"),
        (e(EntryKind.ISSUE, 1050, minutes=-5), "早于台账最后一条"),
        (e(EntryKind.STOCK_TAKE, minutes=60), "清点"),
        (e(EntryKind.STOCK_TAKE, minutes=60, counted=-1), "清点"),
        (e(EntryKind.STOCK_TAKE, 1050, minutes=60, counted=3), "不涉及具体序号"),
        (e(EntryKind.ISSUE, 1050, minutes=60, counted=3), "只用于盘点"),
    ],
)
def test_every_refusal(entry, words):
    with pytest.raises(ValidationError, match=words) as caught:
        check_entry(ledger(), entry)
    assert caught.value.rule == "002 §27"


def test_refusal_names_the_serials():
    with pytest.raises(ValidationError) as caught:
        check_entry(ledger(), e(EntryKind.ISSUE, 1028, 1035, minutes=60))
    assert "1028-1030" in caught.value.message


def test_allowed_movements():
    entries = ledger()
    for entry in (
        e(EntryKind.ISSUE, 1031, 1040, minutes=60),
        e(EntryKind.SPOIL, 1031, reason="卡纸", minutes=61),  # issued then spoiled
        e(EntryKind.VOID, 1050, reason="样张", minutes=62),  # voided from stock
        e(EntryKind.STOCK_TAKE, minutes=63, counted=58, handler="监盘人"),
        e(EntryKind.RECEIPT, 1101, 1200, minutes=64),
    ):
        check_entry(entries, entry)
        entries.append(entry)
    assert balance(entries) == 68 - 10 - 1 + 100


def test_check_ledger_names_the_entry():
    entries = [*ledger(), e(EntryKind.ISSUE, 1001, minutes=70)]
    with pytest.raises(ValidationError, match="台账第7条（领用）"):
        check_ledger(entries)


def test_stock_take_by_number():
    d = stock_take(ledger(), 68)
    assert d.ok and d.difference == 0 and "相符" in d.message
    d = stock_take(ledger(), 65)
    assert not d.ok and d.difference == -3
    assert "短缺 3 张" in d.message and "作废" in d.message
    assert "多出 2 张" in stock_take(ledger(), 70).message
    with pytest.raises(ValidationError):
        stock_take(ledger(), -1)


def test_stock_take_by_serials():
    in_stock = set(range(1031, 1099))
    assert stock_take(ledger(), in_stock).ok
    found = (in_stock - {1040, 1041, 1042}) | {1005}
    d = stock_take(ledger(), found)
    assert not d.ok
    assert d.missing == (1040, 1041, 1042)
    assert d.unexpected == (1005,)
    assert d.difference == -2
    assert "1040-1042" in d.message and "1005" in d.message


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(list(EntryKind)[:4]), st.integers(1, 40), st.integers(0, 5)), max_size=30
    )
)
def test_balance_equals_forms_in_stock_for_any_accepted_sequence(moves):
    """Whatever sequence of movements the rules accept, the four terms never overlap and the balance is
    the number of serials in stock."""
    entries: list[LedgerEntry] = []
    for minute, (kind, first, length) in enumerate(moves):
        entry = e(kind, first, first + length, minutes=minute, reason="原因")
        try:
            check_entry(entries, entry)
        except ValidationError:
            continue
        entries.append(entry)
    status = serial_status(entries)
    t = totals(entries)
    assert t.received == len(status)
    assert t.balance == sum(1 for s in status.values() if s is SerialState.IN_STOCK)
    assert t.balance >= 0
    assert stock_take(entries, t.balance).ok
