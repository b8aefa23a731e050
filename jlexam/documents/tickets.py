"""Admission tickets (准考证, 002 §20): one or two per A4 page, with photo, sessions, rules and a signed QR code.

Each ticket shows the institution, the sitting, the candidate (name, sex, masked ID number, photo), the
occupation, work type and level, every session's date, time, room and seat, the rules for candidates, and the
QR token of DESIGN.md with the ticket number under it. The bundled TrueType fonts are embedded as subsets, so
a ticket prints the same on any PC, rare name characters (𠇔) included.

Speed (DESIGN.md "Budgets": 10,000 tickets with photos and QR codes in <= 15 s on 2 cores; measured by
``bench/bench_tickets.py``), and what buys it:

- **QR encoding** with zxing-cpp's C++ encoder (error correction M, smallest version that holds the token,
  mask chosen by the encoder): ~1 ms a code against ~25 ms for the pure-Python ``qrcode`` choosing its mask
  and ~4 ms with a fixed version and mask. The modules are drawn as ONE path of raw PDF operators, one ``re``
  per horizontal run of dark modules in module units under one ``cm``; vectors stay sharp at any dpi.
- **Static parts once**: frame, titles, labels, table rules and the rules for candidates are drawn once per
  document into a form XObject and placed on every ticket with one ``Do``; only the candidate's fields are
  drawn per ticket.
- **Photos** go into the PDF as the JPEG bytes themselves (DCTDecode, ``rl_config.useA85 = 0``): no decoding,
  no ASCII85; identical photos (by SHA-1) are stored once.
- **Parts on all cores**: runs longer than ``part_size`` tickets are rendered in parts by worker processes
  (``spawn``, so it is safe beside a GUI's threads and the same on Windows) and joined with pdfium; this also
  bounds memory, since reportlab keeps every page of a document until it saves it. A frozen Windows build must
  call ``multiprocessing.freeze_support()`` in its entry point.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from multiprocessing import get_context
from pathlib import Path
from typing import NamedTuple

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from jlexam.documents.drawing import draw_photo, draw_qr
from jlexam.documents.fonts import BODY, HEADING, draw_text, register_pdf_fonts, split_runs, text_width
from jlexam.fileio import atomic_path

rl_config.useA85 = 0  # images as binary streams: ASCII85 in pure Python costs ~2 ms a photo

DEFAULT_RULES: tuple[str, ...] = (
    "凭本准考证和有效身份证件原件进入考场，二者缺一不得参加考试。",
    "开考15分钟后不得进入考场；开考30分钟内不得交卷离场。",
    "按座位号就座，将准考证和身份证件放在桌面左上角，以备查验。",
    "不得携带手机、智能手表等电子设备及书籍资料进入考场，已带入的按要求存放。",
    "服从考务人员管理，遵守考场纪律；违纪、作弊者按有关规定处理。",
    "请妥善保管本准考证，不得涂改、转借；认定结束后备查。",
)

PART_SIZE = 1000  # tickets per part file when a run is split over processes


class TicketSession(NamedTuple):
    part: str  # 理论知识考试 / 操作技能考核 / 综合评审
    date: date | str
    time: str  # "09:00-10:30"
    room: str  # "第07考场（教学楼301）"
    seat: int | str


@dataclass(frozen=True)
class TicketData:
    institution: str
    sitting_name: str
    sitting_code: str
    ticket_number: str
    name: str
    sex: str  # 男 / 女
    masked_id: str  # 220102********123X, never a full number
    photo: bytes | None  # JPEG (or PNG) bytes; None prints an empty photo box
    occupation_name: str
    occupation_code: str
    work_type: str  # "--" when the occupation has none
    level: str  # written form, 三级/高级工
    sessions: Sequence[TicketSession | tuple]
    qr_token: str
    rules: Sequence[str] = field(default=DEFAULT_RULES)


# --- geometry (mm, from the ticket's top-left corner) ------------------------------------------------------
W, H = 180.0, 130.0
_TOP_SLOTS = {1: (287.0,), 2: (287.0, 138.5)}  # top edge of each ticket on the page, mm from the bottom
_LEFT = (210.0 - W) / 2
_CUT_Y = 148.5
_TABLE_X, _TABLE_W = 6.0, 130.0
_FIELDS_Y, _FIELD_H = 33.0, 7.6
_COL = (22.0, 43.0, 22.0, 43.0)
_PHOTO = (145.5, 33.5, 25.0, 35.0)  # x, y (top), w, h of the photo; its box is 0.6 mm wider
_SESSIONS_Y = 74.0
_SESSION_COLS = (("科　目", 30.0), ("日　期", 24.0), ("时　间", 24.0), ("考　场", 38.0), ("座位号", 14.0))
_SESSIONS_MAX_H = 22.0
_QR = (142.0, 71.0, 32.0)  # x, y (top), size incl. quiet zone
_RULES_Y = 100.0


def _y(top: float, y: float) -> float:
    """PDF y (points) of a point ``y`` mm below a ticket whose top edge is ``top`` mm above the page bottom."""
    return (top - y) * mm


# --- drawing ----------------------------------------------------------------------------------------------
def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` points (any character may end a CJK line)."""
    lines, current = [], ""
    for ch in text:
        if current and text_width(current + ch, font, size) > width and ch not in "，。；、：）":
            lines.append(current)
            current = ch
        else:
            current += ch
    if current:
        lines.append(current)
    return lines


def _fit(text: str, font: str, size: float, width: float, smallest: float = 6.0) -> float:
    """The largest font size up to ``size`` at which ``text`` fits ``width`` points."""
    while size > smallest and text_width(text, font, size) > width:
        size -= 0.5
    return size


def group_ticket_number(number: str) -> str:
    """``2503 07 015 2``: sitting, room, seat, check digit, for reading aloud and typing."""
    if len(number) == 10 and number.isdigit():
        return f"{number[:4]} {number[4:6]} {number[6:9]} {number[9]}"
    return number


def _spaced(canvas: Canvas, x: float, y: float, text: str, font: str, size: float, gap: float) -> None:
    """``text`` centred on ``x`` with ``gap`` points between its characters (a title's letter spacing)."""
    widths = [text_width(ch, font, size) for ch in text]
    left = x - (sum(widths) + gap * (len(text) - 1)) / 2
    for ch, width in zip(text, widths, strict=True):
        draw_text(canvas, left, y, ch, font, size)
        left += width + gap


class _TextBatch:
    """Lines of text drawn as one text object (one BT/ET), each falling back per character like draw_text."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.obj = canvas.beginText()

    def add(self, x: float, y: float, text: str, font: str, size: float, align: str = "left") -> None:
        runs = split_runs(text, font)
        if not runs:
            return
        if align != "left":
            total = sum(pdfmetrics.stringWidth(run, name, size) for name, run in runs)
            x -= total / 2 if align == "center" else total
        obj = self.obj
        obj.setTextOrigin(x, y)
        for name, run in runs:
            obj.setFont(name, size)
            obj.textOut(run)

    def draw(self) -> None:
        self.canvas.drawText(self.obj)


class _Painter:
    """Draws tickets on one canvas; the static part of each kind of ticket is a form drawn once."""

    def __init__(self, canvas: Canvas, per_page: int) -> None:
        self.c = canvas
        self.per_page = per_page
        self.forms: dict[tuple, str] = {}
        self.slot = 0

    # The static part: everything but the candidate's own fields.
    def _form(self, t: TicketData, rows: int) -> str:
        key = (t.institution, t.sitting_name, t.sitting_code, tuple(t.rules), rows)
        name = self.forms.get(key)
        if name is not None:
            return name
        name = f"ticket{len(self.forms)}"
        c = self.c
        c.beginForm(name, lowerx=0, lowery=0, upperx=W * mm, uppery=H * mm)
        top = H  # the form's own coordinates: ticket top at H mm
        c.setStrokeGray(0)
        c.setLineWidth(1.4)
        c.rect(0, 0, W * mm, H * mm)
        c.setLineWidth(0.4)
        c.rect(1.3 * mm, 1.3 * mm, (W - 2.6) * mm, (H - 2.6) * mm)
        size = _fit(t.institution, BODY, 11, (W - 20) * mm)
        draw_text(c, W / 2 * mm, _y(top, 9.5), t.institution, BODY, size, align="center")
        title = "职业技能等级认定准考证"
        _spaced(c, W / 2 * mm, _y(top, 19.5), title, HEADING, 19, 2.2 * mm)
        sitting = f"认定批次：{t.sitting_name}（{t.sitting_code}）"
        draw_text(
            c, W / 2 * mm, _y(top, 26.5), sitting, BODY, _fit(sitting, BODY, 9.5, (W - 20) * mm), "center"
        )
        c.setLineWidth(0.8)
        c.line(6 * mm, _y(top, 29.5), (W - 6) * mm, _y(top, 29.5))

        # Fields table.
        c.setLineWidth(0.6)
        x0, x1 = _TABLE_X, _TABLE_X + _TABLE_W
        ys = [_FIELDS_Y + i * _FIELD_H for i in range(6)]
        c.rect(x0 * mm, _y(top, ys[-1]), _TABLE_W * mm, (ys[-1] - ys[0]) * mm)
        c.setLineWidth(0.4)
        for y in ys[1:-1]:
            c.line(x0 * mm, _y(top, y), x1 * mm, _y(top, y))
        cx = [x0, x0 + _COL[0], x0 + sum(_COL[:2]), x0 + sum(_COL[:3])]
        c.setFillGray(0.93)
        for row in range(5):
            c.rect(x0 * mm, _y(top, ys[row + 1]), _COL[0] * mm, _FIELD_H * mm, stroke=0, fill=1)
        for row in (1, 4):
            c.rect(cx[2] * mm, _y(top, ys[row + 1]), _COL[2] * mm, _FIELD_H * mm, stroke=0, fill=1)
        c.setFillGray(0)
        for row in range(5):  # label column rule on every row; middle rules where a row has two fields
            c.line(cx[1] * mm, _y(top, ys[row]), cx[1] * mm, _y(top, ys[row + 1]))
            if row in (1, 4):
                c.line(cx[2] * mm, _y(top, ys[row]), cx[2] * mm, _y(top, ys[row + 1]))
                c.line(cx[3] * mm, _y(top, ys[row]), cx[3] * mm, _y(top, ys[row + 1]))
        labels = [("准考证号", None), ("姓　　名", "性　　别"), ("证件号码", None), ("职　　业", None),
                  ("工　　种", "等　　级")]  # fmt: skip
        for row, (left, right) in enumerate(labels):
            base = _y(top, ys[row] + _FIELD_H / 2 + 1.3)
            draw_text(c, (cx[0] + _COL[0] / 2) * mm, base, left, HEADING, 9.5, "center")
            if right:
                draw_text(c, (cx[2] + _COL[2] / 2) * mm, base, right, HEADING, 9.5, "center")

        # Photo box.
        px, py, pw, ph = _PHOTO
        c.setLineWidth(0.5)
        c.rect((px - 0.6) * mm, _y(top, py + ph + 0.6), (pw + 1.2) * mm, (ph + 1.2) * mm)

        # Sessions table.
        row_h = min(7.0, _SESSIONS_MAX_H / (rows + 1))
        sy = [_SESSIONS_Y + i * row_h for i in range(rows + 2)]
        c.setFillGray(0.93)
        c.rect(x0 * mm, _y(top, sy[1]), _TABLE_W * mm, row_h * mm, stroke=0, fill=1)
        c.setFillGray(0)
        c.setLineWidth(0.6)
        c.rect(x0 * mm, _y(top, sy[-1]), _TABLE_W * mm, (sy[-1] - sy[0]) * mm)
        c.setLineWidth(0.4)
        for y in sy[1:-1]:
            c.line(x0 * mm, _y(top, y), x1 * mm, _y(top, y))
        x = x0
        for i, (label, width) in enumerate(_SESSION_COLS):
            if i:
                c.line(x * mm, _y(top, sy[0]), x * mm, _y(top, sy[-1]))
            draw_text(c, (x + width / 2) * mm, _y(top, sy[0] + row_h / 2 + 1.2), label, HEADING, 9, "center")
            x += width

        # QR caption and rules for candidates.
        qx, qy, qs = _QR
        draw_text(c, (qx + qs / 2) * mm, _y(top, qy + qs + 6.3), "扫码核验", BODY, 7, "center")
        draw_text(c, x0 * mm, _y(top, _RULES_Y + 0.5), "考生须知", HEADING, 10)
        lines: list[str] = []
        for i, rule in enumerate(t.rules, 1):
            wrapped = _wrap(f"{i}. {rule}", BODY, 8, _TABLE_W * mm)
            lines += [wrapped[0], *("　 " + w for w in wrapped[1:])]
        leading = min(3.9, (H - 6.0 - _RULES_Y - 4.5) / max(1, len(lines) - 1))
        for i, line in enumerate(lines):
            draw_text(c, x0 * mm, _y(top, _RULES_Y + 4.5 + i * leading), line, BODY, 8)
        c.endForm()
        self.forms[key] = name
        return name

    def draw(self, t: TicketData) -> None:
        c = self.c
        if self.slot == self.per_page:
            c.showPage()
            self.slot = 0
        top = _TOP_SLOTS[self.per_page][self.slot]
        if self.per_page == 2 and self.slot == 0:
            self._cut_line()
        self.slot += 1
        sessions = list(t.sessions)
        rows = max(2, len(sessions))
        form = self._form(t, rows)
        c.saveState()
        c.translate(_LEFT * mm, (top - H) * mm)
        c.doForm(form)
        self._fields(t, H, sessions, rows)
        c.restoreState()

    def _cut_line(self) -> None:
        c = self.c
        c.saveState()
        c.setLineWidth(0.4)
        c.setStrokeGray(0.45)
        c.setDash(3, 2)
        c.line(8 * mm, _CUT_Y * mm, 202 * mm, _CUT_Y * mm)
        c.restoreState()
        draw_text(c, 200 * mm, (_CUT_Y + 1) * mm, "沿此线裁开", BODY, 6.5, "right")

    def _fields(self, t: TicketData, top: float, sessions: list, rows: int) -> None:
        c = self.c
        text = _TextBatch(c)
        x0 = _TABLE_X
        cx = [x0, x0 + _COL[0], x0 + sum(_COL[:2]), x0 + sum(_COL[:3])]
        wide = (_TABLE_W - _COL[0] - 3) * mm
        narrow = (_COL[1] - 3) * mm

        def base(row: int) -> float:
            return _y(top, _FIELDS_Y + row * _FIELD_H + _FIELD_H / 2 + 1.4)

        left, right = (cx[1] + 2.5) * mm, (cx[3] + 2.5) * mm
        text.add(left, base(0) - 0.5, group_ticket_number(t.ticket_number), HEADING, 13)
        text.add(left, base(1), t.name, BODY, _fit(t.name, BODY, 11.5, narrow))
        text.add(right, base(1), t.sex, BODY, 10.5)
        text.add(left, base(2), t.masked_id, BODY, 10.5)
        occupation = f"{t.occupation_name}（{t.occupation_code}）"
        text.add(left, base(3), occupation, BODY, _fit(occupation, BODY, 10.5, wide))
        work_type = t.work_type or "--"
        text.add(left, base(4), work_type, BODY, _fit(work_type, BODY, 10.5, narrow))
        text.add(right, base(4), t.level, BODY, _fit(t.level, BODY, 10.5, narrow))

        px, py, pw, ph = _PHOTO
        if not t.photo:
            text.add((px + pw / 2) * mm, _y(top, py + ph / 2), "照片", BODY, 9, "center")

        row_h = min(7.0, _SESSIONS_MAX_H / (rows + 1))
        for i, s in enumerate(sessions):
            s = TicketSession(*s)
            y = _y(top, _SESSIONS_Y + (i + 1) * row_h + row_h / 2 + 1.2)
            day = s.date.isoformat() if isinstance(s.date, date) else str(s.date)
            values = (s.part, day, s.time, s.room, str(s.seat))
            x = x0
            for value, (_, width) in zip(values, _SESSION_COLS, strict=True):
                size = _fit(value, BODY, 8.5, (width - 2) * mm, 5.5)
                text.add((x + width / 2) * mm, y, value, BODY, size, "center")
                x += width

        qx, qy, qs = _QR
        text.add((qx + qs / 2) * mm, _y(top, qy + qs + 2.6), t.ticket_number, BODY, 8.5, "center")
        text.draw()
        if t.photo:
            draw_photo(c, t.photo, px * mm, _y(top, py + ph), pw * mm, ph * mm)
        draw_qr(c, t.qr_token, qx * mm, _y(top, qy + qs), qs * mm)


# --- documents --------------------------------------------------------------------------------------------
def _render_part(tickets: Sequence[TicketData], path: str, per_page: int, title: str) -> int:
    """Render ``tickets`` into one PDF at ``path`` (no atomic rename: the caller owns the file)."""
    register_pdf_fonts()
    canvas = Canvas(path, pagesize=A4, pageCompression=1, invariant=0)
    canvas.setTitle(title)
    canvas.setAuthor(tickets[0].institution if tickets else "")
    canvas.setCreator("jlexam")
    painter = _Painter(canvas, per_page)
    for ticket in tickets:
        painter.draw(ticket)
    canvas.showPage()
    with _fast_compression():
        canvas.save()
    return len(tickets)


@contextmanager
def _fast_compression() -> Iterator[None]:
    """zlib level 1 for the page streams while saving: ~3x faster than reportlab's default level 6 on the
    QR paths, for a file a few percent larger (the photos are JPEG and not recompressed)."""
    zcompress = pdfdoc.PDFStreamFilterZCompress
    original = zcompress.encode

    def encode(self, text: str | bytes) -> bytes:
        return zlib.compress(text.encode("utf8") if isinstance(text, str) else text, 1)

    zcompress.encode = encode
    try:
        yield
    finally:
        zcompress.encode = original


def _chunks(items: Iterable[TicketData], size: int) -> Iterator[list[TicketData]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _join(parts: Sequence[Path], out: Path) -> None:
    import pypdfium2 as pdfium

    joined = pdfium.PdfDocument.new()
    try:
        for part in parts:
            source = pdfium.PdfDocument(str(part))
            try:
                joined.import_pages(source)
            finally:
                source.close()
        joined.save(str(out))
    finally:
        joined.close()


def render_tickets(
    tickets: Iterable[TicketData],
    path: Path | str,
    *,
    per_page: int = 2,
    workers: int | None = None,
    part_size: int = PART_SIZE,
    title: str = "准考证",
) -> None:
    """Write the admission tickets to ``path`` in the order given, ``per_page`` (1 or 2) to an A4 page.

    Up to ``part_size`` tickets are drawn in this process; a longer run is drawn in parts by ``workers``
    processes (default: the CPU count, at most 4) and joined. The file appears only when complete.
    """
    if per_page not in (1, 2):
        raise ValueError("per_page must be 1 or 2")
    workers = workers or min(4, os.cpu_count() or 1)
    if isinstance(tickets, Sequence) and len(tickets) > part_size:
        # A known count: parts of equal size, a multiple of the workers in number, so none waits for the last.
        parts = -(-len(tickets) // part_size)
        parts = -(-parts // workers) * workers
        part_size = -(-len(tickets) // parts)
    part_size = max(per_page, part_size + (-part_size % per_page))
    path = Path(path)
    chunks = _chunks(tickets, part_size)
    first = next(chunks, [])
    second = next(chunks, None)
    with atomic_path(path) as partial:
        if second is None:
            _render_part(first, str(partial), per_page, title)
            return
        scratch = Path(tempfile.mkdtemp(prefix=".tickets-", dir=path.parent))
        try:
            parts: list[Path] = []
            pending: list[Future] = []
            with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
                for index, chunk in enumerate(_iter_with(first, second, chunks)):
                    part = scratch / f"part{index:05d}.pdf"
                    parts.append(part)
                    pending.append(pool.submit(_render_part, chunk, str(part), per_page, title))
                    # Keep only a few parts in flight, so a long lazy run never sits in memory whole.
                    while len([f for f in pending if not f.done()]) > workers:
                        next(f for f in pending if not f.done()).result()
                for future in pending:
                    future.result()
            _join(parts, partial)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)


def _iter_with(first: list, second: list, rest: Iterator[list]) -> Iterator[list]:
    yield first
    yield second
    yield from rest
