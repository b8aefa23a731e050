"""The blank-certificate ledger (专人专账, 002 §27): receipts, issues, spoils, voids and stock-takes."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from jlexam.domain.stock_ledger import (
    Discrepancy,
    EntryKind,
    LedgerEntry,
    balance,
    check_entry,
    stock_take,
    totals,
)
from jlexam.services.base import Actor, UnitOfWork, query, use_case
from jlexam.store.models import StockLedgerEntry


def _entry(row: StockLedgerEntry) -> LedgerEntry:
    return LedgerEntry(
        EntryKind(row.kind),
        row.at,
        row.custodian,
        row.handler,
        row.first_serial or 0,
        row.last_serial or 0,
        row.reason,
        row.counted,
    )


def _entries(s: Session) -> list[LedgerEntry]:
    return [
        _entry(r)
        for r in s.scalars(select(StockLedgerEntry).order_by(StockLedgerEntry.at, StockLedgerEntry.id))
    ]


@use_case("stock.custody")
def record(
    uow: UnitOfWork,
    kind: EntryKind | str,
    at: datetime,
    custodian: str,
    handler: str,
    first: int = 0,
    last: int = 0,
    reason: str = "",
    counted: int | None = None,
) -> int:
    """One ledger line, checked against the whole ledger first (no serial twice, custody apart from issuing)."""
    entry = LedgerEntry(
        EntryKind(kind), at, custodian.strip(), handler.strip(), first, last, reason.strip(), counted
    )
    check_entry(_entries(uow.session), entry)
    row = StockLedgerEntry(
        kind=entry.kind.value,
        at=at,
        custodian=entry.custodian,
        handler=entry.handler,
        first_serial=first or None,
        last_serial=last or None,
        reason=entry.reason,
        counted=counted,
        recorded_by=uow.actor.username,
    )
    uow.session.add(row)
    uow.session.flush()
    span = f"{first}–{last}" if first else ""
    uow.audit(
        "stock." + entry.kind.value,
        "stock_ledger",
        row.id,
        f"{entry.kind.label} {span}（保管人 {entry.custodian}，经办 {entry.handler}）{entry.reason}",
    )
    return row.id


@query("certificates.view")
def ledger(s: Session, actor: Actor) -> tuple[list[LedgerEntry], int]:
    entries = _entries(s)
    return entries, balance(entries)


@query("certificates.view")
def compare_count(s: Session, actor: Actor, counted: int) -> Discrepancy:
    """A stock-take compared with the ledger, before it is recorded."""
    return stock_take(_entries(s), counted)


@use_case("certificates.view")
def write_ledger(uow: UnitOfWork, pdf: Path | None = None, xlsx: Path | None = None) -> int:
    """The ledger as PDF and/or xlsx, with the totals and the balance."""
    from jlexam.documents.stock_ledger import render_ledger_pdf, write_ledger_xlsx
    from jlexam.store.models import Institution

    entries = _entries(uow.session)
    sums = totals(entries)
    inst = uow.session.scalar(select(Institution))
    name = inst.name if inst else ""
    if pdf is not None:
        render_ledger_pdf(name, entries, sums, Path(pdf))
    if xlsx is not None:
        write_ledger_xlsx(name, entries, sums, Path(xlsx))
    uow.audit(
        "stock.export", "stock_ledger", "", f"导出空白证书台账（{len(entries)} 行，结存 {sums.balance} 份）"
    )
    return sums.balance
