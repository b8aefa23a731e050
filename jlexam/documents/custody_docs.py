"""Paper custody documents (002 §22, §32): packet labels with a signed QR code, and the custody log."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Spacer

from jlexam.documents.base import build_pdf, grid, para, styles
from jlexam.documents.drawing import draw_qr
from jlexam.documents.fonts import BODY, HEADING, draw_text, register_pdf_fonts
from jlexam.errors import ValidationError
from jlexam.fileio import atomic_path


@dataclass(frozen=True)
class PacketLabel:
    packet_code: str
    paper: str  # paper code and version from the item bank
    sitting: str
    session: str  # "理论知识考试 2026-12-12 09:00"
    copies: int
    token: str  # the signed jlexam-packet token the QR code carries


LABEL_W, LABEL_H = 95 * mm, 62 * mm
COLUMNS, ROWS = 2, 4


def render_labels(labels: Sequence[PacketLabel], path: Path) -> None:
    """Eight labels to an A4 sheet; each custody step is one scan of its QR code."""
    if not labels:
        raise ValidationError("没有要打印标签的试卷袋。")
    register_pdf_fonts()
    margin_x = (A4[0] - COLUMNS * LABEL_W) / 2
    margin_y = (A4[1] - ROWS * LABEL_H) / 2
    with atomic_path(Path(path)) as partial:
        c = Canvas(str(partial), pagesize=A4, pageCompression=1, invariant=1)
        c.setTitle("试卷袋标签")
        for i, label in enumerate(labels):
            slot = i % (COLUMNS * ROWS)
            if i and slot == 0:
                c.showPage()
            col, row = slot % COLUMNS, slot // COLUMNS
            _label(c, label, margin_x + col * LABEL_W, A4[1] - margin_y - (row + 1) * LABEL_H)
        c.save()


def _label(c: Canvas, label: PacketLabel, x: float, y: float) -> None:
    c.setLineWidth(0.6)
    c.setDash(3, 2)
    c.rect(x + 2 * mm, y + 2 * mm, LABEL_W - 4 * mm, LABEL_H - 4 * mm)
    c.setDash()
    side = 40 * mm
    draw_qr(c, label.token, x + LABEL_W - side - 4 * mm, y + (LABEL_H - side) / 2, side)
    left, top = x + 6 * mm, y + LABEL_H - 11 * mm
    draw_text(c, left, top, "试卷袋", HEADING, 13)
    draw_text(c, left, top - 8 * mm, label.packet_code, HEADING, 11)
    lines = [
        f"试卷：{label.paper}",
        f"批次：{label.sitting}",
        label.session,
        f"份数：{label.copies}",
        "封条号：________",
    ]
    for n, line in enumerate(lines):
        draw_text(c, left, top - (15 + 6 * n) * mm, line, BODY, 8.5)


@dataclass(frozen=True)
class LogEvent:
    seq: int
    step: str
    at: str
    place: str
    persons: str
    witnesses: str
    seal_number: str
    copies: str
    note: str


@dataclass(frozen=True)
class PacketLog:
    packet_code: str
    paper: str
    session: str
    copies: int
    events: Sequence[LogEvent]
    anomalies: Sequence[str]
    chain_intact: bool


def render_custody_log(institution: str, sitting: str, logs: Sequence[PacketLog], path: Path) -> None:
    """One section per packet: every step with its people, the chain check, anomalies, signature lines."""
    st = styles()
    story = [
        para(institution, st["subtitle"]),
        para("试卷流转记录", st["title"]),
        para(
            f"认定批次：{sitting}。依据《吉林省职业技能等级认定工作规程》第二十二条、第三十二条，试卷的印制、封装、"
            "保管、运送、启封、回收各环节均须登记责任人；本记录每一环节都以哈希链与前一环节相连。",
            st["body"],
        ),
    ]
    widths = [10 * mm, 18 * mm, 31 * mm, 22 * mm, 28 * mm, 19 * mm, 16 * mm, 11 * mm]
    for log in logs:
        story += [
            para(
                f"试卷袋 {log.packet_code}（试卷 {log.paper}，{log.session}，{log.copies} 份）", st["heading"]
            )
        ]
        rows = [["序号", "环节", "时间（北京）", "地点", "责任人", "见证考生", "封条号", "份数"]]
        rows += [
            [str(e.seq), e.step, e.at, e.place, e.persons, e.witnesses, e.seal_number, e.copies]
            for e in log.events
        ]
        story.append(grid(rows, widths, st))
        check = (
            "哈希链完整，记录未被改动。"
            if log.chain_intact
            else "哈希链校验失败：记录可能被改动，请立即报告主考。"
        )
        story.append(para(check, st["plain"]))
        for a in log.anomalies:
            story.append(para(f"异常：{a}", st["plain"]))
    story += [
        Spacer(1, 10 * mm),
        para(
            "保管人（签字）：__________　　监考员（签字）：__________　　主考（签字）：__________",
            st["plain"],
        ),
    ]
    build_pdf(path, story, title="试卷流转记录", author=institution, footer=f"{sitting} 试卷流转记录")
