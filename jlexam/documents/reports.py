"""Oversight and termination reports as PDF (A4 landscape) and xlsx, from one neutral description.

A report is a title and sections; a section has notes (sentences) and, optionally, a table. The services fill
the numbers (``jlexam.services.reports``); this module only lays them out, the same way in both formats.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer

from jlexam.documents.base import grid, page_footer, para, styles
from jlexam.fileio import atomic_path

PAGE = landscape(A4)
MARGIN = 18 * mm
WIDTH = PAGE[0] - 2 * MARGIN


@dataclass(frozen=True)
class Section:
    title: str
    notes: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    widths: tuple[float, ...] = ()  # relative column widths; equal when empty
    empty: str = "无。"  # said when the table has no rows


@dataclass(frozen=True)
class ReportDocument:
    title: str
    subtitle: str
    institution: str
    generated_on: date
    sections: tuple[Section, ...] = field(default_factory=tuple)
    footer: str = ""
    confidential: bool = False  # personal data inside: marked on every page and sheet


def _widths(section: Section) -> list[float]:
    rel = list(section.widths) or [1.0] * len(section.headers)
    total = sum(rel)
    return [WIDTH * w / total for w in rel]


def render_report_pdf(doc: ReportDocument, path: Path) -> None:
    st = styles()
    story: list = [para(doc.title, st["title"]), para(doc.subtitle, st["subtitle"])]
    if doc.confidential:
        story.append(para("【内部资料　含个人信息　注意保密（002 第三十一条）】", st["plain"]))
    for section in doc.sections:
        head = [para(section.title, st["heading"])]
        notes = [para(n, st["plain"]) for n in section.notes]
        block = head + notes
        if section.headers:
            if section.rows:
                table = grid([list(section.headers), *[list(r) for r in section.rows]], _widths(section), st)
                story.append(KeepTogether(block))
                story.append(table)
            else:
                story.append(KeepTogether([*block, para(section.empty, st["plain"])]))
        else:
            story.append(KeepTogether(block))
        story.append(Spacer(1, 3 * mm))
    story += [
        Spacer(1, 6 * mm),
        para(doc.institution, st["signature"]),
        para(f"{doc.generated_on:%Y年%m月%d日}", st["signature"]),
    ]
    footer = _footer(doc)
    with atomic_path(Path(path)) as partial:
        template = SimpleDocTemplate(
            str(partial),
            pagesize=PAGE,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=16 * mm,
            bottomMargin=20 * mm,
            title=doc.title,
            author=doc.institution,
            creator="jlexam",
        )
        on_page = _landscape_footer(footer)
        template.build(story, onFirstPage=on_page, onLaterPages=on_page)


def _footer(doc: ReportDocument) -> str:
    """Every page of a report with personal data says so, not only the first (002 §31)."""
    text = doc.footer or doc.title
    return f"{text}　内部资料　含个人信息　注意保密" if doc.confidential else text


def _landscape_footer(text: str):  # type: ignore[no-untyped-def]
    portrait = page_footer(text)

    def draw(canvas, doc):  # type: ignore[no-untyped-def]
        # page_footer centres on A4 portrait; shift the canvas so it centres on the landscape page.
        canvas.saveState()
        canvas.translate((PAGE[0] - A4[0]) / 2, 0)
        portrait(canvas, doc)
        canvas.restoreState()

    return draw


_SHEET_BAD = set("[]:*?/\\")


def _sheet_name(title: str, used: set[str]) -> str:
    base = "".join(c for c in title if c not in _SHEET_BAD)[:28] or "表"
    name, n = base, 2
    while name in used:
        name, n = f"{base[:26]}{n}", n + 1
    used.add(name)
    return name


def write_report_xlsx(doc: ReportDocument, path: Path) -> None:
    """One sheet per section: its notes above its table; the first sheet also holds the title."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    fill = PatternFill("solid", fgColor="EDEDED")
    used: set[str] = set()
    for number, section in enumerate(doc.sections):
        sheet = book.create_sheet(_sheet_name(section.title, used))
        row = 1
        if number == 0:
            sheet.cell(row=1, column=1, value=doc.title).font = Font(name="黑体", size=14, bold=True)
            sheet.cell(row=2, column=1, value=doc.subtitle)
            row = 3
            if doc.confidential:
                sheet.cell(row=row, column=1, value="内部资料　含个人信息　注意保密（002 第三十一条）")
                row += 1
            row += 1
        sheet.cell(row=row, column=1, value=section.title).font = Font(name="黑体", size=12, bold=True)
        row += 1
        for note in section.notes:
            sheet.cell(row=row, column=1, value=note)
            row += 1
        if section.headers:
            row += 1 if section.notes else 0
            header_row = row
            for col, text in enumerate(section.headers, 1):
                cell = sheet.cell(row=row, column=col, value=text)
                cell.font, cell.fill, cell.border = Font(bold=True), fill, border
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            for values in section.rows:
                row += 1
                for col, value in enumerate(values, 1):
                    cell = sheet.cell(row=row, column=col, value=_value(value))
                    cell.border = border
                    if isinstance(cell.value, str):
                        cell.number_format = "@"
            if not section.rows:
                sheet.cell(row=row + 1, column=1, value=section.empty)
            widths = _widths(section)
            for col, width in enumerate(widths, 1):
                sheet.column_dimensions[get_column_letter(col)].width = max(8.0, width / mm / 2.2)
            sheet.freeze_panes = f"A{header_row + 1}"
            sheet.print_title_rows = f"{header_row}:{header_row}"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.oddFooter.center.text = f"{_footer(doc)}　第 &P 页 共 &N 页"
    book.properties.title = doc.title
    book.properties.creator = "jlexam"
    with atomic_path(Path(path)) as partial:
        book.save(partial)


def _value(text: str) -> str | int | float:
    """Counts as numbers (so a spreadsheet can sum them); everything else, codes included, as text."""
    if isinstance(text, str) and text.isdigit() and len(text) < 10 and not (len(text) > 1 and text[0] == "0"):
        return int(text)
    return text


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "--"


def rows_of(items: Sequence[Sequence[object]]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple("" if v is None else str(v) for v in item) for item in items)
