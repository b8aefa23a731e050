"""Room documents of a session: door list (考场门贴), seat chart (座位表), sign-in sheet with photos (签到表) and
the invigilators' room record (考场记录表).

Tickets are issued by the room arrangement (002 §20) and the rooms are sized to the candidates (002 §18);
these documents carry that arrangement to the room door, the desks and the invigilators. The room record
keeps the absences, misconduct and incidents of the session with the invigilators' signatures, as the
emergency plan asks (002 attachment 9; RULES.md "Exam day"). Each function takes one room or several (one
section per room, each starting on a new page) and writes one PDF atomically.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from jlexam.documents.base import para, styles
from jlexam.documents.drawing import draw_photo
from jlexam.documents.fonts import BODY, HEADING, draw_text, para_markup, register_pdf_fonts, text_width
from jlexam.fileio import atomic_path

_GREY = colors.Color(0.93, 0.93, 0.93)
rl_config.useA85 = 0  # photos as binary JPEG streams, as documents.tickets does: no ASCII85 wrapping


@dataclass(frozen=True)
class RoomCandidate:
    seat_number: int
    ticket_number: str
    name: str
    masked_id: str = ""  # never a full ID number
    sex: str = ""
    occupation: str = ""  # "电工 三级/高级工"
    photo: bytes | None = None
    row: int = 0  # the seat's row and column, for the seat chart
    column: int = 0


@dataclass(frozen=True)
class RoomSheet:
    """One room in one session, with its candidates in seat order."""

    institution: str
    sitting_name: str
    sitting_code: str
    room_name: str  # 第07考场
    place: str  # 教学楼301
    part: str  # 理论知识考试
    starts_at: datetime
    ends_at: datetime
    candidates: Sequence[RoomCandidate]
    rows: int = 0
    columns: int = 0
    seats_out_of_use: frozenset[tuple[int, int]] = frozenset()
    invigilators: Sequence[str] = ()


@dataclass(frozen=True)
class RoomRecord:
    """What the room record prints already filled in (after the session); all empty for a blank form."""

    absent: Sequence[RoomCandidate] = ()
    misconduct: Sequence[str] = ()  # "2503070152 张三：携带手机进入考场，已按规定处理"
    incidents: Sequence[str] = ()
    notes: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def _when(sheet: RoomSheet) -> str:
    s, e = sheet.starts_at, sheet.ends_at
    return f"{s.year}年{s.month}月{s.day}日 {s:%H:%M}-{e:%H:%M}"


def _occupations(sheet: RoomSheet) -> str:
    seen: list[str] = []
    for c in sheet.candidates:
        if c.occupation and c.occupation not in seen:
            seen.append(c.occupation)
    return "；".join(seen) or "--"


def _as_list(rooms: RoomSheet | Sequence[RoomSheet]) -> list[RoomSheet]:
    return [rooms] if isinstance(rooms, RoomSheet) else list(rooms)


_SIGN_IN_TAIL = 2  # candidates kept on the page of the sign-in sheet's signatures


class _RoomLabel(Flowable):
    """Invisible: names the room whose rows follow, for the footer of every page they fill; ``section`` tells
    one room's pages from the next room's for the per-room page numbers (:class:`_RoomPagesCanvas`)."""

    def __init__(self, text: str, section: int | None = None) -> None:
        super().__init__()
        self.text = text
        self.section = section

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._jlexam_room = self.text  # read by _Doc.afterPage when the page is finished
        self.canv._jlexam_section = self.section


def _footer_text(footer: str, room: str, page: str) -> str:
    return f"{footer}　{room}　{page}" if room else f"{footer}　{page}"


def _draw_footer(canvas: Canvas, page_width: float, text: str) -> None:
    canvas.saveState()
    draw_text(canvas, page_width / 2, 9 * mm, text, BODY, 8, align="center")
    canvas.restoreState()


class _Doc(SimpleDocTemplate):
    """Draws the footer when a page is finished, so a page that continues a room's list names that room."""

    footer = ""
    per_room = False  # pages numbered within each room by _RoomPagesCanvas instead

    def afterPage(self) -> None:
        canvas = self.canv
        if self.per_room:
            canvas._jlexam_footer = self.footer
            return
        room = getattr(canvas, "_jlexam_room", "")
        _draw_footer(canvas, self.pagesize[0], _footer_text(self.footer, room, f"第 {self.page} 页"))


class _RoomPagesCanvas(Canvas):
    """Holds every page back until the document is saved, then numbers the pages within each room: the sheets
    are posted and signed room by room, so page 2 of 第02考场 says “第 2 页 / 共 3 页”, never page 5 of the file.
    (reportlab keeps a document's pages until it saves it anyway; this keeps their states a little longer.)"""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._jlexam_pages: list[dict] = []

    def showPage(self) -> None:
        self._jlexam_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        pages = self._jlexam_pages
        sections = [state.get("_jlexam_section") for state in pages]
        totals = Counter(sections)
        seen: Counter = Counter()
        for state, section in zip(pages, sections, strict=True):
            self.__dict__.update(state)
            seen[section] += 1
            text = _footer_text(
                state.get("_jlexam_footer", ""),
                state.get("_jlexam_room", ""),
                f"第 {seen[section]} 页 / 共 {totals[section]} 页",
            )
            _draw_footer(self, self._pagesize[0], text)
            Canvas.showPage(self)
        Canvas.save(self)


def _build(
    path: Path,
    story: list[Flowable],
    *,
    title: str,
    author: str,
    footer: str,
    pagesize=A4,
    per_room: bool = False,
) -> None:
    """Write the story; ``per_room``: number the pages within each room (the story's _RoomLabel sections)."""
    register_pdf_fonts()
    with atomic_path(Path(path)) as partial:
        doc = _Doc(
            str(partial),
            pagesize=pagesize,
            leftMargin=15 * mm,
            rightMargin=15 * mm,
            topMargin=14 * mm,
            bottomMargin=16 * mm,
            title=title,
            author=author,
            creator="jlexam",
        )
        doc.footer = footer
        doc.per_room = per_room
        doc.build(story, canvasmaker=_RoomPagesCanvas if per_room else Canvas)


def _table(
    rows: list[list],
    widths: Sequence[float],
    *,
    header: bool = True,
    font_size: float = 9.5,
    row_heights: Sequence[float] | None = None,
    continued: bool = False,
) -> Table:
    """A ruled table; with ``header`` the first row is a grey head and short cells are centred (a list),
    without it every cell is left-aligned (a form of label and value pairs). ``continued``: more rows of a
    list whose head came in the table above (drawn flush under it)."""
    st = styles()
    cell = ParagraphStyle("rc", parent=st["cell"], fontSize=font_size, leading=font_size * 1.35)
    head = ParagraphStyle("rch", parent=st["cell_head"], fontSize=font_size, leading=font_size * 1.35)
    centre = ParagraphStyle("rcc", parent=cell, alignment=TA_CENTER)
    data = []
    for i, row in enumerate(rows):
        first = header and i == 0 and not continued
        data.append(
            [
                para(v, head if first else centre if header and len(v) <= 12 else cell)
                if isinstance(v, str)
                else v
                for v in row
            ]
        )
    repeat = 1 if header and not continued else 0
    table = Table(data, colWidths=list(widths), rowHeights=row_heights, repeatRows=repeat)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if header:
        if not continued:
            commands.append(("BACKGROUND", (0, 0), (-1, 0), _GREY))
    else:  # label, value, label, value
        commands += [("BACKGROUND", (i, 0), (i, -1), _GREY) for i in range(0, len(widths), 2)]
    table.setStyle(TableStyle(commands))
    return table


def _heading(sheet: RoomSheet, name: str) -> list[Flowable]:
    st = styles()
    return [
        para(sheet.institution, ParagraphStyle("inst", parent=st["subtitle"], spaceAfter=1 * mm)),
        para(f"{sheet.sitting_name}　{name}", ParagraphStyle("t", parent=st["title"], spaceAfter=2 * mm)),
    ]


# --- door list --------------------------------------------------------------------------------------------
def render_door_list(rooms: RoomSheet | Sequence[RoomSheet], path: Path | str) -> None:
    """The list posted on the room door: room, session, occupations, ticket range and every candidate."""
    st = styles()
    story: list[Flowable] = []
    big = ParagraphStyle("big", parent=st["title"], fontSize=46, leading=56, spaceAfter=2 * mm)
    place = ParagraphStyle("place", parent=st["subtitle"], fontSize=15, leading=22, spaceAfter=3 * mm)
    for index, sheet in enumerate(_as_list(rooms)):
        if index:
            story.append(PageBreak())
        candidates = sorted(sheet.candidates, key=lambda c: c.seat_number)
        numbers = sorted(c.ticket_number for c in candidates)
        story += [
            para(
                sheet.institution,
                ParagraphStyle("inst", parent=st["subtitle"], fontSize=12, spaceAfter=2 * mm),
            ),
            para(sheet.room_name, big),
            para(f"{sheet.place}　　{sheet.part}", place),
            _table(
                [
                    ["认定批次", f"{sheet.sitting_name}（{sheet.sitting_code}）"],
                    ["考试时间", _when(sheet)],
                    ["职业（等级）", _occupations(sheet)],
                    ["准考证号", f"{numbers[0]} 至 {numbers[-1]}" if numbers else "--"],
                    ["考生人数", f"{len(candidates)} 人"],
                ],
                [32 * mm, 148 * mm],
                header=False,
                font_size=11,
            ),
            Spacer(1, 4 * mm),
        ]
        per_column = -(-len(candidates) // 3) if candidates else 0
        columns = [candidates[i * per_column : (i + 1) * per_column] for i in range(3)]
        rows = [["座位号", "准考证号", "姓名"] * 3]
        for r in range(per_column):
            row: list = []
            for col in columns:
                c = col[r] if r < len(col) else None
                row += [f"{c.seat_number:02d}", c.ticket_number, c.name] if c else ["", "", ""]
            rows.append(row)
        widths = [15 * mm, 22 * mm, 23 * mm] * 3
        if per_column:
            table = _table(rows, widths, font_size=9)
            table.setStyle(TableStyle([("LINEAFTER", (2, 0), (2, -1), 1.2, colors.black),
                                       ("LINEAFTER", (5, 0), (5, -1), 1.2, colors.black)]))  # fmt: skip
            story.append(table)
        story += [
            Spacer(1, 3 * mm),
            para("考生凭准考证和有效身份证件入场，按座位号就座；开考15分钟后不得入场。", st["plain"]),
        ]
    sheets = _as_list(rooms)
    _build(
        Path(path), story, title="考场门贴", author=sheets[0].institution if sheets else "", footer="考场门贴"
    )


# --- seat chart -------------------------------------------------------------------------------------------
class _SeatGrid(Flowable):
    """The room seen from the back: the front (讲台) at the top, row 1 nearest to it."""

    def __init__(self, sheet: RoomSheet, width: float, height: float) -> None:
        super().__init__()
        self.sheet = sheet
        self.width = width
        self.height = height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c: Canvas = self.canv
        sheet = self.sheet
        rows = max(1, sheet.rows or max((x.row for x in sheet.candidates), default=1))
        columns = max(1, sheet.columns or max((x.column for x in sheet.candidates), default=1))
        desk_h = 9 * mm
        c.setLineWidth(0.8)
        c.rect(self.width / 2 - 30 * mm, self.height - desk_h, 60 * mm, desk_h - 1 * mm)
        draw_text(c, self.width / 2, self.height - desk_h + 2.6 * mm, "讲　台", HEADING, 12, "center")
        gap = 2 * mm
        grid_h = self.height - desk_h - 4 * mm
        cell_w = (self.width - gap * (columns - 1)) / columns
        cell_h = min((grid_h - gap * (rows - 1)) / rows, cell_w * 0.8)
        at = {(x.row, x.column): x for x in sheet.candidates}
        size = max(5.5, min(10.5, cell_h / 3.6, cell_w / 6.5))
        for r in range(1, rows + 1):
            for col in range(1, columns + 1):
                x = (col - 1) * (cell_w + gap)
                y = self.height - desk_h - 4 * mm - r * cell_h - (r - 1) * gap
                number = (r - 1) * columns + col
                out_of_use = (r, col) in sheet.seats_out_of_use
                c.setFillColor(_GREY if out_of_use else colors.white)
                c.setLineWidth(0.5)
                c.rect(x, y, cell_w, cell_h, fill=1)
                c.setFillColor(colors.black)
                draw_text(c, x + 1.2 * mm, y + cell_h - size - 0.6 * mm, f"{number:02d}", HEADING, size * 0.9)
                who = at.get((r, col))
                if out_of_use:
                    draw_text(c, x + cell_w / 2, y + cell_h / 2 - size / 2, "停用", BODY, size, "center")
                elif who is not None:
                    name_size = size * 1.1
                    while name_size > 5 and text_width(who.name, BODY, name_size) > cell_w - 2 * mm:
                        name_size -= 0.5
                    draw_text(
                        c, x + cell_w / 2, y + cell_h / 2 - size * 0.35, who.name, BODY, name_size, "center"
                    )
                    draw_text(c, x + cell_w / 2, y + 1.3 * mm, who.ticket_number, BODY, size * 0.75, "center")


def render_seat_chart(rooms: RoomSheet | Sequence[RoomSheet], path: Path | str) -> None:
    """A4 landscape plan of each room: every seat with its number, candidate and ticket number."""
    st = styles()
    story: list[Flowable] = []
    page_w, page_h = landscape(A4)
    for index, sheet in enumerate(_as_list(rooms)):
        if index:
            story.append(PageBreak())
        story += _heading(sheet, "考场座位表")
        story.append(
            para(
                f"{sheet.room_name}（{sheet.place}）　{sheet.part}　{_when(sheet)}　考生 {len(sheet.candidates)} 人",
                ParagraphStyle("info", parent=st["plain"], alignment=TA_CENTER, spaceAfter=2 * mm),
            )
        )
        story.append(_SeatGrid(sheet, page_w - 30 * mm, page_h - 30 * mm - 30 * mm))
    sheets = _as_list(rooms)
    _build(
        Path(path), story, title="考场座位表", author=sheets[0].institution if sheets else "", footer="考场座位表",
        pagesize=landscape(A4),
    )  # fmt: skip


# --- sign-in sheet ----------------------------------------------------------------------------------------
class _Photo(Flowable):
    """A candidate's photo fitted into ``width`` x ``height`` with its proportions, the JPEG embedded as it is
    (``draw_photo``: no re-encoding, one copy per distinct photo)."""

    def __init__(self, data: bytes, width: float, height: float) -> None:
        super().__init__()
        self.data = data
        try:
            from PIL import Image as PILImage

            with PILImage.open(io.BytesIO(data)) as image:  # reads the header only
                iw, ih = image.size
        except (OSError, ValueError):
            iw, ih = 358, 441  # the 2-inch photo of the registration rules
        scale = min(width / iw, height / ih)
        self.width, self.height = iw * scale, ih * scale

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        draw_photo(self.canv, self.data, 0, 0, self.width, self.height)
        self.canv.setLineWidth(0.3)
        self.canv.rect(0, 0, self.width, self.height)


def _photo(data: bytes | None, width: float, height: float) -> Flowable | str:
    return _Photo(data, width, height) if data else "无照片"


def _signatures(labels: Sequence[str]) -> Table:
    st = styles()
    cells = [para(f"{label}：", st["plain"]) for label in labels]
    table = Table([[c, ""] for c in cells], colWidths=[38 * mm, 50 * mm], rowHeights=9 * mm)
    table.setStyle(
        TableStyle(
            [("LINEBELOW", (1, 0), (1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]
        )
    )
    return table


def render_sign_in_sheet(rooms: RoomSheet | Sequence[RoomSheet], path: Path | str) -> None:
    """Per room: seat, ticket number, name, masked ID, photo, and a column for the candidate's signature."""
    st = styles()
    story: list[Flowable] = []
    for index, sheet in enumerate(_as_list(rooms)):
        if index:
            story.append(PageBreak())
        story += _heading(sheet, "考生签到表")
        story.append(
            _table(
                [
                    ["考场", f"{sheet.room_name}（{sheet.place}）", "科目", sheet.part],
                    ["考试时间", _when(sheet), "应到人数", f"{len(sheet.candidates)} 人"],
                ],
                [20 * mm, 80 * mm, 20 * mm, 60 * mm],
                header=False,
            )
        )
        story.append(Spacer(1, 3 * mm))
        rows: list[list] = [["座位号", "准考证号", "姓名", "证件号码", "照片", "考生签名", "备注"]]
        for c in sorted(sheet.candidates, key=lambda c: c.seat_number):
            rows.append(
                [
                    f"{c.seat_number:02d}",
                    c.ticket_number,
                    c.name,
                    c.masked_id,
                    _photo(c.photo, 12 * mm, 14 * mm),
                    "",
                    "",
                ]
            )
        widths = [15 * mm, 25 * mm, 24 * mm, 37 * mm, 16 * mm, 41 * mm, 22 * mm]
        # The last candidates go on the page of the invigilators' signatures, never the signatures alone.
        tail = min(_SIGN_IN_TAIL, len(rows) - 1)
        body, last = rows[: len(rows) - tail], rows[len(rows) - tail :]
        tables = [_table(body, widths, row_heights=[8 * mm] + [15.5 * mm] * (len(body) - 1))]
        if last:
            tables.append(_table(last, widths, row_heights=[15.5 * mm] * len(last), continued=True))
        for i, table in enumerate(tables):
            first = 1 if i == 0 else 0
            table.setStyle(TableStyle([("TOPPADDING", (0, first), (-1, -1), 1.5),
                                       ("BOTTOMPADDING", (0, first), (-1, -1), 1.5),
                                       ("ALIGN", (4, first), (4, -1), "CENTER")]))  # fmt: skip
        story.append(_RoomLabel(f"{sheet.room_name}（{sheet.part}）", index))
        story.append(tables[0])
        story.append(
            KeepTogether(
                [
                    *tables[1:],
                    Spacer(1, 4 * mm),
                    para(
                        "实到 ______ 人，缺考 ______ 人。考生须本人签名；缺考者由监考员在备注栏注明“缺考”。",
                        st["plain"],
                    ),
                    _signatures(["监考员签名", "监考员签名"]),
                ]
            )
        )
    sheets = _as_list(rooms)
    _build(
        Path(path),
        story,
        title="考生签到表",
        author=sheets[0].institution if sheets else "",
        footer="考生签到表",
        per_room=True,
    )


# --- room record ------------------------------------------------------------------------------------------
def render_room_record(
    rooms: RoomSheet | Sequence[RoomSheet], path: Path | str, records: Sequence[RoomRecord] | None = None
) -> None:
    """考场记录表 (002 attachment 9): counts, absences, misconduct, incidents and how they were handled, the
    invigilators' signatures. ``records`` (one per room) fill it in; without them it prints blank."""
    st = styles()
    sheets = _as_list(rooms)
    records = list(records) if records is not None else [RoomRecord() for _ in sheets]
    if len(records) != len(sheets):
        raise ValueError("one RoomRecord per room is needed")
    label = ParagraphStyle("lbl", parent=st["cell_head"], fontSize=10, leading=14)
    story: list[Flowable] = []
    for index, (sheet, record) in enumerate(zip(sheets, records, strict=True)):
        if index:
            story.append(PageBreak())
        story += _heading(sheet, "考场记录表")
        expected = len(sheet.candidates)
        absent = len(record.absent)
        filled = bool(record.absent or record.misconduct or record.incidents or record.notes)
        present = f"{expected - absent} 人" if filled else ""
        info = _table(
            [
                ["考场", f"{sheet.room_name}（{sheet.place}）", "科目", sheet.part],
                ["考试时间", _when(sheet), "职业（等级）", _occupations(sheet)],
                ["应考人数", f"{expected} 人", "实考人数", present],
                ["缺考人数", f"{absent} 人" if filled else "", "监考员", "、".join(sheet.invigilators)],
            ],
            [24 * mm, 66 * mm, 26 * mm, 64 * mm],
            header=False,
            font_size=10,
        )
        story += [info, Spacer(1, 3 * mm)]

        absent_rows: list[list] = [["准考证号", "姓名", "座位号", "准考证号", "姓名", "座位号"]]
        people = list(record.absent)
        slots = max(4, -(-len(people) // 2))
        for r in range(slots):
            row: list = []
            for c in (
                people[r] if r < len(people) else None,
                people[r + slots] if r + slots < len(people) else None,
            ):
                row += [c.ticket_number, c.name, f"{c.seat_number:02d}"] if c else ["", "", ""]
            absent_rows.append(row)
        story += [
            para("一、缺考考生", st["heading"]),
            _table(
                absent_rows,
                [34 * mm, 40 * mm, 16 * mm] * 2,
                font_size=9.5,
                row_heights=[7 * mm] * len(absent_rows),
            ),
        ]
        for number, (title, lines, hint) in enumerate(
            [
                ("违纪、作弊情况", record.misconduct, "考生准考证号、姓名，违纪事实及处理情况"),
                (
                    "突发事件及处置情况",
                    record.incidents,
                    "时间、经过、处置措施和报告情况（按突发事件应急处置预案）",
                ),
                ("其他需要说明的情况", [record.notes] if record.notes else [], "试卷启封、回收和交接情况等"),
            ],
            start=2,
        ):
            body = "<br/>".join(para_markup(line, BODY) for line in lines) if lines else ""
            box = Table(
                [[Paragraph(body or f'<font color="#888888">（{hint}）</font>', st["cell"])]],
                colWidths=[180 * mm],
                rowHeights=[30 * mm if number < 4 else 20 * mm],
            )
            box.setStyle(
                TableStyle(
                    [("BOX", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]
                )
            )
            story += [para(f"{'一二三四'[number - 1]}、{title}", st["heading"]), box]
        story.append(Spacer(1, 5 * mm))
        signatures = Table(
            [
                [para("监考员签名：", label), "", para("监考员签名：", label), ""],
                [para("主考（督导）签名：", label), "", para("日期：", label), ""],
            ],
            colWidths=[40 * mm, 52 * mm, 30 * mm, 58 * mm],
            rowHeights=11 * mm,
        )
        signatures.setStyle(
            TableStyle(
                [
                    ("LINEBELOW", (1, 0), (1, -1), 0.5, colors.black),
                    ("LINEBELOW", (3, 0), (3, -1), 0.5, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ]
            )
        )
        story.append(KeepTogether([signatures]))
    _build(
        Path(path),
        story,
        title="考场记录表",
        author=sheets[0].institution if sheets else "",
        footer="考场记录表",
    )
