"""Admission tickets (准考证, 002 §20): one or two per A4 page, with photo, sessions, rules and a signed QR code.

Each ticket shows the institution, the sitting, the candidate (name, sex, masked ID number, photo), the
occupation, work type and level, every session's date, time, exam site (考点), room and seat, the site's address,
the rules for candidates, and the QR token of DESIGN.md with the ticket number under it. Every session line is
set at 8 pt or more: a room that does not fit its column on one line wraps to a second (see
:func:`session_layout`). The bundled TrueType fonts are embedded as subsets, so
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
    site: str = ""  # the exam site (考点) the room is in, "主校区考点"; "" when unknown
    address: str = ""  # the site's address, "" when the site has none


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
_HEAD_LINES = (8.6, 17.7, 24.2, 26.9)  # baselines of institution, title, sitting; the rule under them
_FIELDS_Y, _FIELD_H = 29.8, 7.0
_COL = (22.0, 43.0, 22.0, 43.0)
_PHOTO = (145.5, 29.8, 25.0, 35.0)  # x, y (top), w, h of the photo; its box is 0.6 mm wider
_SESSIONS_Y = 67.8
_SESSION_COLS = (("科　目", 23.0), ("日　期", 19.0), ("时　间", 20.0), ("考点、考场", 56.0), ("座位号", 12.0))
_ROOM_COL = 3
_QR = (142.0, 68.2, 32.0)  # x, y (top), size incl. quiet zone
# The sessions' text: 8.5 pt, or 8 pt when that keeps a room on fewer lines or the ticket short enough;
# never smaller unless a room's name is too long for three lines at 8 pt (then it is shrunk to fit).
_SESSION_SIZES = (8.5, 8.0)
_MIN_SESSION_SIZE = 8.0
_HEAD_H = 5.5  # the sessions table's head row
_ROW_MIN_H = 5.6  # a session row of one line
_ROW_PAD = 2.1  # a session row's height beyond its lines' leading
_SITE_GAP = 3.9  # from the table's bottom rule to the first baseline of the site line(s)
_RULES_GAP = 6.2  # from the last line above the rules to the baseline of "考生须知"
_RULES_MIN_Y = 97.0
_RULES_FIRST = 4.3  # from the baseline of "考生须知" to the first rule's baseline
_RULES_SIZE = 8.0
_RULES_LEADING = (3.9, 3.3, 3.0)  # the rules' leading: at most, at least, at least when a room is long
_BOTTOM = 126.2  # the lowest baseline on a ticket (the inner frame is at H - 1.3)


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


def _session(s: TicketSession | tuple) -> TicketSession:
    return s if isinstance(s, TicketSession) else TicketSession(*s)


@dataclass(frozen=True)
class SessionLayout:
    """How a ticket's sessions table, its site line(s) and the rules for candidates are laid out.

    Heights and positions are mm below the ticket's top edge; sizes are points. ``room_lines[i]`` are the
    lines of session i's 考点、考场 cell (the site first when the sessions are at different sites), set at
    ``room_sizes[i]``; ``site_lines`` run under the table (the one site and its address, or the addresses).
    """

    size: float  # the sessions' text
    leading: float  # between the lines of a cell and of the site lines, mm
    rows: tuple[float, ...]  # each session row's height (at least two rows, the empty ones included)
    room_lines: tuple[tuple[str, ...], ...]
    room_sizes: tuple[float, ...]
    site_lines: tuple[str, ...]
    rules_y: float  # baseline of "考生须知"
    rules_leading: float
    rule_lines: tuple[str, ...]

    @property
    def table_bottom(self) -> float:
        return _SESSIONS_Y + _HEAD_H + sum(self.rows)

    @property
    def last_baseline(self) -> float:
        return self.rules_y + _RULES_FIRST + (len(self.rule_lines) - 1) * self.rules_leading


def _room_cell(room: str, size: float, width: float) -> list[str]:
    """A room's name in ``width`` points: one line, or two broken before its "（" where that fits."""
    room = room.strip()
    if text_width(room, BODY, size) <= width:
        return [room]
    head, bracket, tail = room.partition("（")
    if bracket and head and all(text_width(x, BODY, size) <= width for x in (head, bracket + tail)):
        return [head, bracket + tail]
    return _wrap(room, BODY, size, width)


def _site_text(sessions: Sequence[TicketSession]) -> tuple[bool, str]:
    """(whether each room cell names its site, the text under the table). One site for every session is named
    once under the table with its address; sessions at different sites name theirs in the room cell, and the
    addresses are listed under the table."""
    places = [(s.site.strip(), s.address.strip()) for s in sessions]
    known = list(dict.fromkeys(p for p in places if p[0] or p[1]))
    if not known:
        return False, ""
    if len(known) == 1 and len(set(places)) == 1:
        site, address = known[0]
        if not site:
            return False, f"考点地址：{address}"
        return False, f"考点：{site}" + (f"　　地址：{address}" if address else "")
    addresses = [f"{site}　{address}" if site else address for site, address in known if address]
    return True, ("考点地址：" + "；".join(addresses)) if addresses else ""


def _rule_lines(rules: Sequence[str]) -> list[str]:
    lines: list[str] = []
    for i, rule in enumerate(rules, 1):
        wrapped = _wrap(f"{i}. {rule}", BODY, _RULES_SIZE, _TABLE_W * mm)
        lines += [wrapped[0], *("　 " + w for w in wrapped[1:])]
    return lines


def _try_layout(
    sessions: Sequence[TicketSession], rule_lines: Sequence[str], size: float, max_lines: int | None
) -> SessionLayout:
    leading = round(size * 0.41, 2)  # mm: 3.5 at 8.5 pt, 3.3 at 8 pt
    width = (_SESSION_COLS[_ROOM_COL][1] - 2) * mm
    per_cell, under = _site_text(sessions)
    cells, sizes = [], []
    for s in sessions:
        # "主校区考点 第01考场" over "（实训楼A201 理论考场）" where the sessions are at different sites
        room = f"{s.site.strip()} {s.room.strip()}" if per_cell and s.site.strip() else s.room.strip()
        cell_size = size
        lines = _room_cell(room, cell_size, width)
        if max_lines is not None:  # a room too long for the ticket: shrunk into max_lines lines
            while len(lines) > max_lines and cell_size > 5.5:
                cell_size -= 0.5
                lines = _room_cell(room, cell_size, width)
        cells.append(tuple(lines))
        sizes.append(cell_size)
    rows = [max(_ROW_MIN_H, len(lines) * leading + _ROW_PAD) for lines in cells]
    rows += [_ROW_MIN_H] * (2 - len(rows))
    site_lines = _wrap(under, BODY, size, _TABLE_W * mm) if under else []
    last = _SESSIONS_Y + _HEAD_H + sum(rows)
    if site_lines:
        last += _SITE_GAP + (len(site_lines) - 1) * leading
    rules_y = max(_RULES_MIN_Y, last + _RULES_GAP)
    room_left = _BOTTOM - rules_y - _RULES_FIRST
    rules_leading = min(_RULES_LEADING[0], room_left / max(1, len(rule_lines) - 1))
    return SessionLayout(
        size, leading, tuple(rows), tuple(cells), tuple(sizes), tuple(site_lines), rules_y, rules_leading,
        tuple(rule_lines),
    )  # fmt: skip


def session_layout(
    sessions: Sequence[TicketSession | tuple], rules: Sequence[str] = DEFAULT_RULES
) -> SessionLayout:
    """The layout of a ticket's sessions, site and rules: 8.5 pt, else 8 pt, with each room on as many lines
    as it needs and the rules' leading 3.3 mm or more (3.0 mm at a pinch); only a room too long for the
    ticket even so is set smaller, on two lines or one."""
    register_pdf_fonts()
    items = [_session(s) for s in sessions]
    rule_lines = _rule_lines(rules)
    for size in _SESSION_SIZES:
        layout = _try_layout(items, rule_lines, size, None)
        if layout.rules_leading >= _RULES_LEADING[1]:
            return layout
    if layout.rules_leading >= _RULES_LEADING[2]:
        return layout
    for max_lines in (2, 1):  # rooms too long for the ticket: shrunk to fewer lines
        layout = _try_layout(items, rule_lines, _MIN_SESSION_SIZE, max_lines)
        if layout.rules_leading >= _RULES_LEADING[2]:
            break
    return layout


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
        self.layouts: dict[tuple, SessionLayout] = {}
        self.slot = 0

    # The static part: everything but the candidate's own fields.
    def _layout(self, t: TicketData) -> SessionLayout:
        sessions = [_session(s) for s in t.sessions]
        key = (tuple((s.room, s.site, s.address) for s in sessions), tuple(t.rules))
        layout = self.layouts.get(key)
        if layout is None:
            layout = self.layouts[key] = session_layout(sessions, t.rules)
        return layout

    def _form(self, t: TicketData, layout: SessionLayout) -> str:
        key = (t.institution, t.sitting_name, t.sitting_code, layout.rows, layout.rules_y, layout.rules_leading,
               layout.rule_lines)  # fmt: skip
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
        draw_text(c, W / 2 * mm, _y(top, _HEAD_LINES[0]), t.institution, BODY, size, align="center")
        title = "职业技能等级认定准考证"
        _spaced(c, W / 2 * mm, _y(top, _HEAD_LINES[1]), title, HEADING, 19, 2.2 * mm)
        sitting = f"认定批次：{t.sitting_name}（{t.sitting_code}）"
        draw_text(
            c,
            W / 2 * mm,
            _y(top, _HEAD_LINES[2]),
            sitting,
            BODY,
            _fit(sitting, BODY, 9.5, (W - 20) * mm),
            "center",
        )
        c.setLineWidth(0.8)
        c.line(6 * mm, _y(top, _HEAD_LINES[3]), (W - 6) * mm, _y(top, _HEAD_LINES[3]))

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
        sy = [_SESSIONS_Y, _SESSIONS_Y + _HEAD_H]
        for height in layout.rows:
            sy.append(sy[-1] + height)
        c.setFillGray(0.93)
        c.rect(x0 * mm, _y(top, sy[1]), _TABLE_W * mm, _HEAD_H * mm, stroke=0, fill=1)
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
            draw_text(
                c, (x + width / 2) * mm, _y(top, sy[0] + _HEAD_H / 2 + 1.2), label, HEADING, 9, "center"
            )
            x += width

        # QR caption and rules for candidates.
        qx, qy, qs = _QR
        draw_text(c, (qx + qs / 2) * mm, _y(top, qy + qs + 6.3), "扫码核验", BODY, 7, "center")
        draw_text(c, x0 * mm, _y(top, layout.rules_y), "考生须知", HEADING, 10)
        for i, line in enumerate(layout.rule_lines):
            y = layout.rules_y + _RULES_FIRST + i * layout.rules_leading
            draw_text(c, x0 * mm, _y(top, y), line, BODY, _RULES_SIZE)
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
        layout = self._layout(t)
        form = self._form(t, layout)
        c.saveState()
        c.translate(_LEFT * mm, (top - H) * mm)
        c.doForm(form)
        self._fields(t, H, layout)
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

    def _fields(self, t: TicketData, top: float, layout: SessionLayout) -> None:
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

        y = _SESSIONS_Y + _HEAD_H
        for s, height, lines, room_size in zip(
            t.sessions, layout.rows, layout.room_lines, layout.room_sizes, strict=False
        ):
            s = _session(s)
            middle = y + height / 2
            day = s.date.isoformat() if isinstance(s.date, date) else str(s.date)
            x = x0
            for i, (value, (_, width)) in enumerate(
                zip((s.part, day, s.time, "", str(s.seat)), _SESSION_COLS, strict=True)
            ):
                if i == _ROOM_COL:  # the room's lines, centred on the row as a block
                    first = middle - (len(lines) - 1) * layout.leading / 2 + room_size * 0.14
                    for k, line in enumerate(lines):
                        text.add((x + width / 2) * mm, _y(top, first + k * layout.leading), line, BODY,
                                 room_size, "center")  # fmt: skip
                else:
                    size = _fit(value, BODY, layout.size, (width - 2) * mm, 5.5)
                    text.add((x + width / 2) * mm, _y(top, middle + size * 0.14), value, BODY, size, "center")
                x += width
            y += height
        y = layout.table_bottom + _SITE_GAP
        for k, line in enumerate(layout.site_lines):
            text.add(x0 * mm, _y(top, y + k * layout.leading), line, BODY, layout.size)

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
