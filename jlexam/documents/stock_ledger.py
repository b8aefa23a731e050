"""The blank-certificate ledger (空白证书专人专账, 002 §27) as PDF and xlsx."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from jlexam.documents.base import build_pdf, grid, para, styles
from jlexam.domain.china_time import china_time
from jlexam.domain.stock_ledger import EntryKind, LedgerEntry, LedgerTotals
from jlexam.fileio import atomic_path

HEADER = ["日期时间（北京）", "事项", "起始序号", "终止序号", "份数", "保管人", "经办人", "原因/盘点数"]


def _row(e: LedgerEntry) -> list[str]:
    serials = ("", "", "") if e.kind is EntryKind.STOCK_TAKE else (str(e.first), str(e.last), str(e.count))
    detail = f"实盘 {e.counted} 份" if e.kind is EntryKind.STOCK_TAKE else e.reason
    return [f"{china_time(e.at):%Y-%m-%d %H:%M}", e.kind.label, *serials, e.custodian, e.handler, detail]


def _summary(t: LedgerTotals) -> str:
    return (
        f"入库 {t.received} 份，领用 {t.issued} 份，印废 {t.spoiled} 份，作废 {t.voided} 份；"
        f"结存 {t.balance} 份（结存 = 入库 − 领用 − 作废 − 印废）。"
    )


def render_ledger_pdf(
    institution: str, entries: Sequence[LedgerEntry], totals: LedgerTotals, path: Path
) -> None:
    st = styles()
    story = [
        para(institution, st["subtitle"]),
        para("空白证书台账", st["title"]),
        para(
            "依据《吉林省职业技能等级认定工作规程》第二十七条，空白证书由专人保管、专账登记；保管与领用分离。",
            st["body"],
        ),
        grid(
            [HEADER, *(_row(e) for e in entries)],
            [27 * mm, 13 * mm, 17 * mm, 17 * mm, 12 * mm, 20 * mm, 20 * mm, 34 * mm],
            st,
        ),
        para(_summary(totals), st["plain"]),
        Spacer(1, 10 * mm),
        para("保管人（签字）：__________　　复核人（签字）：__________　　日期：__________", st["plain"]),
    ]
    build_pdf(path, story, title="空白证书台账", author=institution, footer="空白证书台账")


def write_ledger_xlsx(
    institution: str, entries: Sequence[LedgerEntry], totals: LedgerTotals, path: Path
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "空白证书台账"
    ws.append([f"{institution} 空白证书台账"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(HEADER)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for e in entries:
        ws.append(_row(e))
    ws.append([])
    ws.append([_summary(totals)])
    ws.freeze_panes = "A3"
    for col, width in zip("ABCDEFGH", (18, 8, 11, 11, 7, 12, 12, 30), strict=True):
        ws.column_dimensions[col].width = width
    with atomic_path(Path(path)) as partial:
        wb.save(partial)
