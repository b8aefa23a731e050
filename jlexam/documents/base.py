"""What every printed document shares: A4 pages, paragraph styles in the bundled fonts, safe PDF writing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from jlexam.documents.fonts import BODY, HEADING, draw_text, para_markup, register_pdf_fonts
from jlexam.fileio import atomic_path


def styles() -> dict[str, ParagraphStyle]:
    register_pdf_fonts()
    common = {"wordWrap": "CJK"}
    return {
        "title": ParagraphStyle(
            "title",
            fontName=HEADING,
            fontSize=18,
            leading=26,
            alignment=TA_CENTER,
            spaceAfter=4 * mm,
            **common,
        ),
        "subtitle": ParagraphStyle(
            "subtitle",
            fontName=BODY,
            fontSize=11,
            leading=16,
            alignment=TA_CENTER,
            spaceAfter=6 * mm,
            **common,
        ),
        "heading": ParagraphStyle(
            "heading",
            fontName=HEADING,
            fontSize=12.5,
            leading=20,
            spaceBefore=3 * mm,
            spaceAfter=1.5 * mm,
            **common,
        ),
        "body": ParagraphStyle(
            "body", fontName=BODY, fontSize=11, leading=19, firstLineIndent=22, alignment=TA_JUSTIFY, **common
        ),
        "condition": ParagraphStyle(
            "condition", fontName=HEADING, fontSize=10.5, leading=17, spaceBefore=2 * mm, **common
        ),
        "plain": ParagraphStyle("plain", fontName=BODY, fontSize=10.5, leading=16, **common),
        "cell": ParagraphStyle("cell", fontName=BODY, fontSize=9.5, leading=13, **common),
        "cell_head": ParagraphStyle(
            "cell_head", fontName=HEADING, fontSize=9.5, leading=13, alignment=TA_CENTER, **common
        ),
        "signature": ParagraphStyle(
            "signature", fontName=BODY, fontSize=11, leading=19, alignment=TA_RIGHT, **common
        ),
    }


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph whose rare characters fall back to the Extension B font."""
    return Paragraph(para_markup(text, style.fontName), style)


def grid(rows: Sequence[Sequence[Any]], widths: Sequence[float], st: dict[str, ParagraphStyle]) -> Table:
    """A ruled table; the first row is the header. Cells may be text or flowables."""
    data = [
        [para(c, st["cell_head"] if i == 0 else st["cell"]) if isinstance(c, str) else c for c in row]
        for i, row in enumerate(rows)
    ]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.93, 0.93, 0.93)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def page_footer(text: str) -> Callable[[Any, Any], None]:
    """Draw '第 N 页' and a short document name at the foot of each page."""

    def draw(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        draw_text(canvas, A4[0] / 2, 12 * mm, f"{text}　第 {doc.page} 页", BODY, 8.5, align="center")
        canvas.restoreState()

    return draw


def build_pdf(path: Path, story: list[Flowable], *, title: str, author: str, footer: str) -> None:
    """Write the PDF under a temporary name, then rename (a reader never sees half a file)."""
    with atomic_path(Path(path)) as partial:
        doc = SimpleDocTemplate(
            str(partial),
            pagesize=A4,
            leftMargin=25 * mm,
            rightMargin=25 * mm,
            topMargin=22 * mm,
            bottomMargin=22 * mm,
            title=title,
            author=author,
            creator="jlexam",
        )
        on_page = page_footer(footer)
        doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
