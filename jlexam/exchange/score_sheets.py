"""Score sheets (成绩录入表) for double entry (双人录入, 002 §25), and the printed marking sheet (评分记录表).

:func:`write_score_workbook` gives a clerk one session's part for one room as an xlsx: a title row, an
information row, a header row, one row per candidate (ticket number, name, masked ID number, room, seat), a
score column and a remark column. Only the score and remark cells are unlocked; the sheet is protected
(openpyxl sheet protection, **no password**: the protection guards against slips such as typing over a name
or sorting the rows, not against fraud; the controls against fraud are the two independent entries and
their reconciliation) and the workbook's structure is locked, so the hidden sheets cannot be shown or
deleted from Excel's menus. The score cells carry a data validation (0 to 100 with at most one decimal,
or 缺考 / 违纪) so that Excel and WPS refuse a bad score as it is typed.

Each row carries its key (the application id or ticket number) in a hidden column, and a very hidden sheet
``jlexam`` holds the sheet's identity: format, sitting, session, part, room, entry round, every key and
ticket number in order, and a SHA-256 digest over all of these. :func:`read_score_workbook` refuses, as a
whole, a workbook that is not a jlexam score sheet, whose identity was altered, or whose key or ticket
column no longer matches the identity (rows inserted, deleted, sorted or overwritten): scores read from
such a sheet could be put on the wrong candidate. Otherwise it reads every score cell and reports every bad
one as a :class:`~jlexam.exchange.roster.CellError` (sheet, row, column letter, header, value, Chinese
message): blank, out of range, more than one decimal, Chinese numerals, text; the good ones are returned.

:func:`render_score_sheet_pdf` prints the same rows as a marking sheet with empty score cells and signature
lines for the two markers. It draws with :mod:`jlexam.documents.base` (imported when called), so that the
printed and the electronic sheet stay in one module.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

import python_calamine

from jlexam.domain.masking import MASK
from jlexam.domain.scoring import ACCEPTED_FORMS, ScoreMark, parse_score
from jlexam.errors import ValidationError
from jlexam.exchange.files import read_user_file
from jlexam.exchange.roster import CellError, column_letter
from jlexam.fileio import atomic_path

SHEET = "成绩录入"
META_SHEET = "jlexam"
FORMAT = "jlexam-score-sheet/1"
TITLE_ROW, INFO_ROW, HEADER_ROW, FIRST_DATA_ROW = 1, 2, 3, 4
HEADERS: tuple[str, ...] = ("序号", "准考证号", "姓名", "证件号码", "考场", "座位号", "成绩", "备注", "键")
WIDTHS: tuple[float, ...] = (6, 16, 12, 22, 14, 8, 10, 24, 14)
SCORE_COLUMN = column_letter(HEADERS.index("成绩"))  # G
REMARK_COLUMN = column_letter(HEADERS.index("备注"))  # H
KEY_COLUMN = column_letter(HEADERS.index("键"))  # I, hidden
TICKET_COLUMN = column_letter(HEADERS.index("准考证号"))  # B
_META_FIELDS = ("format", "sitting", "session", "part", "room", "round", "count", "digest")
_META_FIRST_KEY_ROW = 11  # keys and tickets from here, in columns A and B of the meta sheet
_NOT_OURS = (
    "不是本程序导出的成绩录入表：请在本程序中为该场次、考场导出成绩录入表，在导出的表中填写成绩后再导入；"
    "不要另建表格或把成绩复制到别的文件中。"
)

EntryRound = Literal[1, 2]


@dataclass(frozen=True)
class ScoreSheetRow:
    key: str  # the application id or the ticket number: what the scores are imported against
    ticket_number: str
    name: str
    masked_id: str
    room: str
    seat: str


@dataclass
class ScoreImport:
    marks: dict[str, ScoreMark]  # key -> mark, for every good score cell
    errors: list[CellError]  # every bad cell, in row order
    remarks: dict[str, str] = field(default_factory=dict)  # key -> remark, where one was written
    sitting: str = ""
    session_label: str = ""
    part_label: str = ""
    room: str = ""
    entry_round: int = 0
    keys: tuple[str, ...] = ()  # every key of the sheet, in row order

    @property
    def ok(self) -> bool:
        return not self.errors


def _digest(meta: dict[str, str], keys: Sequence[str], tickets: Sequence[str]) -> str:
    payload = json.dumps(
        [meta[name] for name in _META_FIELDS if name != "digest"] + [list(keys), list(tickets)],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _check_rows(rows: Sequence[ScoreSheetRow]) -> None:
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, 1):
        if not row.key.strip():
            raise ValueError(f"score sheet row {number} has no key")
        if row.key in seen:
            raise ValueError(f"score sheet rows {seen[row.key]} and {number} have the same key {row.key!r}")
        seen[row.key] = number
        if row.masked_id.strip() and MASK not in row.masked_id:
            raise ValidationError(
                f"成绩录入表第{number}行（{row.name}）的证件号码没有遮挡：录入表只显示遮挡后的号码，请重新导出。"
            )


def _title(sitting: str, session_label: str, part_label: str) -> str:
    return f"{sitting}　{session_label}　{part_label}成绩录入表"


def write_score_workbook(
    rows: Sequence[ScoreSheetRow],
    path: Path,
    *,
    sitting: str,
    session_label: str,
    part_label: str,
    room: str,
    entry_round: EntryRound,
) -> None:
    """The xlsx a clerk fills in for one entry round; see the module's description."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.workbook.protection import WorkbookProtection
    from openpyxl.worksheet.datavalidation import DataValidation

    if entry_round not in (1, 2):
        raise ValueError(f"entry_round is 1 or 2, not {entry_round!r}")
    _check_rows(rows)
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    last_visible = REMARK_COLUMN
    sheet.merge_cells(f"A{TITLE_ROW}:{last_visible}{TITLE_ROW}")
    title = sheet.cell(row=TITLE_ROW, column=1, value=_title(sitting, session_label, part_label))
    title.font = Font(name="黑体", size=14, bold=True)
    title.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.row_dimensions[TITLE_ROW].height = 36
    sheet.merge_cells(f"A{INFO_ROW}:{last_visible}{INFO_ROW}")
    info = sheet.cell(
        row=INFO_ROW,
        column=1,
        value=(
            f"考场：{room}　第{entry_round}次录入（两次录入须由两名工作人员分别独立完成）　共{len(rows)}人。"
            f"成绩列填写{ACCEPTED_FORMS}；只能在“成绩”和“备注”两列填写，其他内容不能修改。"
        ),
    )
    info.alignment = Alignment(wrap_text=True, vertical="center")
    sheet.row_dimensions[INFO_ROW].height = 45

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_fill = PatternFill("solid", fgColor="D9E1F2")
    entry_fill = PatternFill("solid", fgColor="FFF2CC")
    for index, (text, width) in enumerate(zip(HEADERS, WIDTHS, strict=True), 1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=text)
        cell.font = Font(bold=True)
        cell.fill = head_fill
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.column_dimensions[column_letter(index - 1)].width = width
    sheet.column_dimensions[KEY_COLUMN].hidden = True

    score_index = HEADERS.index("成绩") + 1
    remark_index = HEADERS.index("备注") + 1
    for number, row in enumerate(rows, 1):
        excel_row = FIRST_DATA_ROW + number - 1
        values = [number, row.ticket_number, row.name, row.masked_id, row.room, row.seat, None, None, row.key]
        for index, value in enumerate(values, 1):
            cell = sheet.cell(row=excel_row, column=index, value=value)
            cell.border = border
            if isinstance(value, str):
                cell.number_format = "@"
        for index in (score_index, remark_index):
            cell = sheet.cell(row=excel_row, column=index)
            cell.protection = Protection(locked=False)
            cell.fill = entry_fill
        sheet.cell(row=excel_row, column=remark_index).number_format = "@"

    if rows:
        first, last = FIRST_DATA_ROW, FIRST_DATA_ROW + len(rows) - 1
        top = f"{SCORE_COLUMN}{first}"
        validation = DataValidation(
            type="custom",
            formula1=(
                f"OR(AND(ISNUMBER({top}),{top}>=0,{top}<=100,ROUND({top},1)={top}),"
                f'{top}="缺考",{top}="缺",{top}="违纪")'
            ),
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop",
            errorTitle="成绩格式不正确",
            error="请填写 0 至 100 的数字（最多一位小数），缺考填“缺考”，违纪填“违纪”。",
            showInputMessage=True,
            promptTitle="成绩",
            prompt="0-100，最多一位小数；缺考填“缺考”，违纪填“违纪”。",
        )
        sheet.add_data_validation(validation)
        validation.add(f"{SCORE_COLUMN}{first}:{SCORE_COLUMN}{last}")

    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_area = f"A1:{last_visible}{max(FIRST_DATA_ROW + len(rows) - 1, HEADER_ROW)}"
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddFooter.center.text = "第 &P 页 共 &N 页"
    # Protection without a password: it prevents slips, not fraud (see the module's description). Selecting
    # and resizing stay allowed; everything else (typing in locked cells, sorting, inserting, deleting) not.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.protection.selectLockedCells = False
    sheet.protection.selectUnlockedCells = False

    meta_sheet = book.create_sheet(META_SHEET)
    meta = {
        "format": FORMAT,
        "sitting": sitting,
        "session": session_label,
        "part": part_label,
        "room": room,
        "round": str(entry_round),
        "count": str(len(rows)),
    }
    keys = [r.key for r in rows]
    tickets = [r.ticket_number for r in rows]
    meta["digest"] = _digest(meta, keys, tickets)
    for index, name in enumerate(_META_FIELDS, 1):
        meta_sheet.cell(row=index, column=1, value=name)
        meta_sheet.cell(row=index, column=2, value=meta[name]).number_format = "@"
    for offset, (key, ticket) in enumerate(zip(keys, tickets, strict=True)):
        meta_sheet.cell(row=_META_FIRST_KEY_ROW + offset, column=1, value=key).number_format = "@"
        meta_sheet.cell(row=_META_FIRST_KEY_ROW + offset, column=2, value=ticket).number_format = "@"
    meta_sheet.sheet_state = "veryHidden"
    meta_sheet.protection.sheet = True
    book.security = WorkbookProtection(lockStructure=True)
    book.properties.title = _title(sitting, session_label, part_label)
    book.properties.creator = "jlexam"
    book.active = 0
    with atomic_path(Path(path)) as partial:
        book.save(partial)


# --- reading -------------------------------------------------------------------------------------------

_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_ZIP_MAGIC = b"PK\x03\x04"
_RE_EXPORT = "请在本程序中重新导出成绩录入表，填写后再导入"


def _open(path: Path) -> python_calamine.CalamineWorkbook:
    path = Path(path)
    data = read_user_file(path, "成绩录入表的 .xlsx 文件")
    if not data.strip(b"\0 \r\n\t"):
        raise ValidationError(
            f"文件 {path.name} 是空的（没有任何内容）：请确认在 Excel 中保存了成绩后再导入。"
        )
    if data.startswith(_OLE_MAGIC):
        raise ValidationError(
            f"文件 {path.name} 是旧版 Excel 97-2003 工作簿（.xls）或设置了打开密码：成绩录入表须保持本程序导出的"
            ".xlsx 格式，不要“另存为”其他格式，也不要设置密码。" + _RE_EXPORT + "。"
        )
    if not data.startswith(_ZIP_MAGIC):
        raise ValidationError(f"文件 {path.name} 不是 Excel 工作簿，或已经损坏：{_RE_EXPORT}。")
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise ValidationError(
            f"文件 {path.name} 已损坏（压缩包不完整，可能保存、下载或复制没有完成）：请找到原文件重新导入，"
            f"或{_RE_EXPORT}。"
        ) from None
    if "xl/workbook.xml" not in names:
        raise ValidationError(f"文件 {path.name} 不是 Excel 工作簿：{_NOT_OURS}")
    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.CalamineError as exc:
        raise _corrupt(path, exc) from None


def _corrupt(path: Path, exc: Exception) -> ValidationError:
    return ValidationError(f"文件 {Path(path).name} 已损坏，无法读取（{type(exc).__name__}）：{_RE_EXPORT}。")


def _grid(path: Path, book: python_calamine.CalamineWorkbook, name: str) -> list[list[Any]]:
    try:
        return book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except python_calamine.CalamineError as exc:
        raise _corrupt(path, exc) from None


def _cell(grid: list[list[Any]], row: int, column: int) -> Any:
    """The value at a 1-based row and a 0-based column; "" outside the sheet's data."""
    if row - 1 < len(grid) and column < len(grid[row - 1]):
        return grid[row - 1][column]
    return ""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _read_meta(
    path: Path, book: python_calamine.CalamineWorkbook
) -> tuple[dict[str, str], list[str], list[str]]:
    if SHEET not in book.sheet_names or META_SHEET not in book.sheet_names:
        raise ValidationError(f"文件 {Path(path).name} {_NOT_OURS}")
    grid = _grid(path, book, META_SHEET)
    meta = {_text(_cell(grid, i, 0)): _text(_cell(grid, i, 1)) for i in range(1, len(_META_FIELDS) + 1)}
    if meta.get("format") != FORMAT:
        if (meta.get("format") or "").startswith("jlexam-score-sheet/"):
            raise ValidationError(
                f"文件 {Path(path).name} 是其他版本的程序导出的成绩录入表（{meta['format']}），本程序无法读取：{_RE_EXPORT}。"
            )
        raise ValidationError(f"文件 {Path(path).name} {_NOT_OURS}")
    try:
        count = int(meta.get("count", ""))
    except ValueError:
        count = -1
    keys = [_text(_cell(grid, _META_FIRST_KEY_ROW + i, 0)) for i in range(max(count, 0))]
    tickets = [_text(_cell(grid, _META_FIRST_KEY_ROW + i, 1)) for i in range(max(count, 0))]
    if count < 0 or set(meta) != set(_META_FIELDS) or meta["digest"] != _digest(meta, keys, tickets):
        raise ValidationError(
            f"文件 {Path(path).name} 中隐藏的校验信息被改动，无法确认各成绩属于哪位考生：{_RE_EXPORT}。"
        )
    return meta, keys, tickets


def _rows_named(rows: list[int]) -> str:
    shown = "、".join(f"第{r}行" for r in rows[:5])
    return shown + (f"等{len(rows)}行" if len(rows) > 5 else "")


def read_score_workbook(path: Path) -> ScoreImport:
    """Read a filled score sheet back; see the module's description. File-level problems raise
    ValidationError; bad score cells are returned as errors, one per cell, the good scores as marks."""
    path = Path(path)
    book = _open(path)
    try:
        meta, keys, tickets = _read_meta(path, book)
        grid = _grid(path, book, SHEET)
    finally:
        book.close()

    header = [_text(_cell(grid, HEADER_ROW, i)).strip() for i in range(len(HEADERS))]
    if header != list(HEADERS):
        raise ValidationError(
            f"文件 {path.name} 的表头（第{HEADER_ROW}行）被改动，可能插入、删除或移动了列：{_RE_EXPORT}。"
        )
    key_index, ticket_index = HEADERS.index("键"), HEADERS.index("准考证号")
    moved = [
        FIRST_DATA_ROW + i
        for i, (key, ticket) in enumerate(zip(keys, tickets, strict=True))
        if _text(_cell(grid, FIRST_DATA_ROW + i, key_index)).strip() != key
        or _text(_cell(grid, FIRST_DATA_ROW + i, ticket_index)).strip() != ticket
    ]
    if moved:
        raise ValidationError(
            f"文件 {path.name} 中{_rows_named(moved)}的考生与导出时不一致（隐藏的键列或准考证号被改动，"
            f"或行被插入、删除、排序）：成绩可能对应到错误的考生，整表不予导入，{_RE_EXPORT}。"
        )

    result = ScoreImport(
        marks={},
        errors=[],
        sitting=meta["sitting"],
        session_label=meta["session"],
        part_label=meta["part"],
        room=meta["room"],
        entry_round=int(meta["round"]),
        keys=tuple(keys),
    )
    score_index, remark_index = HEADERS.index("成绩"), HEADERS.index("备注")

    def bad(row: int, index: int, value: Any, message: str) -> None:
        result.errors.append(
            CellError(
                sheet=SHEET,
                row=row,
                column=column_letter(index),
                header=HEADERS[index],
                value=_text(value),
                message=message,
            )
        )

    for i, key in enumerate(keys):
        row = FIRST_DATA_ROW + i
        value = _cell(grid, row, score_index)
        remark = _text(_cell(grid, row, remark_index)).strip()
        if remark:
            result.remarks[key] = remark
        if isinstance(value, str) and not value.strip():
            bad(row, score_index, value, f"成绩未填写：请填写{ACCEPTED_FORMS}。")
            continue
        if isinstance(value, bool | datetime | date) or not isinstance(value, str | int | float):
            bad(row, score_index, value, f"“{_text(value)}”不是成绩：请填写{ACCEPTED_FORMS}。")
            continue
        try:
            result.marks[key] = parse_score(value)
        except ValidationError as exc:
            bad(row, score_index, value, exc.message)

    # Rows below the list are not part of it: a score written there belongs to no candidate.
    for row in range(FIRST_DATA_ROW + len(keys), len(grid) + 1):
        for index in range(len(HEADERS)):
            value = _cell(grid, row, index)
            if _text(value).strip():
                bad(
                    row,
                    index,
                    value,
                    "该行不在导出的考生名单中，内容不会导入：请勿在名单下方添加考生或成绩。",
                )
                break
    return result


# --- the printed marking sheet -------------------------------------------------------------------------


def render_score_sheet_pdf(
    rows: Sequence[ScoreSheetRow],
    path: Path,
    *,
    sitting: str,
    session_label: str,
    part_label: str,
    room: str,
    institution: str = "",
    markers: Sequence[str] = (),
) -> None:
    """An A4 marking sheet (评分记录表): the candidates in seat order with empty score and remark cells, the
    counts to fill in, and a signature line for each marker chosen (002 §25; at least two lines), a date and
    the chief examiner's check."""
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Spacer, TableStyle

    from jlexam.documents.base import build_pdf, grid, para, styles

    _check_rows(rows)
    st = styles()
    story: list[Any] = []
    if institution:
        story.append(para(institution, st["subtitle"]))
    story += [
        para(f"{part_label}评分记录表", st["title"]),
        para(f"{sitting}　{session_label}", st["subtitle"]),
        para(f"考场：{room}　　应考 {len(rows)} 人", st["subtitle"]),
    ]
    header = ["序号", "准考证号", "姓名", "证件号码", "座位号", "成绩", "备注"]
    table_rows = [header] + [
        [str(n), r.ticket_number, r.name, r.masked_id, r.seat, "", ""] for n, r in enumerate(rows, 1)
    ]
    table = grid(table_rows, [w * mm for w in (11, 30, 20, 38, 16, 20, 25)], st)
    # Room to write a score by hand.
    table.setStyle(TableStyle([("TOPPADDING", (0, 1), (-1, -1), 6), ("BOTTOMPADDING", (0, 1), (-1, -1), 6)]))
    story.append(table)
    blank = "＿＿＿＿"
    chosen = list(dict.fromkeys(m for m in markers if m.strip()))
    names = "、".join(chosen) if chosen else "未选配（请在“成绩”页安排阅卷人）"
    sign_rows = [["阅卷人", "考评员签字", "日期"]]
    day = f"{blank}年{blank[:2]}月{blank[:2]}日"
    sign_rows += [[name, "", day] for name in chosen]
    sign_rows += [["", "", day] for _ in range(max(0, 2 - len(chosen)))]
    signatures = grid(sign_rows, [w * mm for w in (40, 70, 50)], st)
    signatures.setStyle(
        TableStyle([("TOPPADDING", (0, 1), (-1, -1), 9), ("BOTTOMPADDING", (0, 1), (-1, -1), 9)])
    )
    story.append(
        KeepTogether(
            [
                Spacer(1, 6 * mm),
                para(
                    f"本考场应考 {len(rows)} 人，实考{blank}人，缺考{blank}人，违纪{blank}人。"
                    "成绩为百分制，最多保留一位小数；缺考、违纪的在“成绩”栏写“缺考”“违纪”。改动处须由阅卷人签字确认。",
                    st["plain"],
                ),
                Spacer(1, 3 * mm),
                para(f"阅卷人（按阅卷评分的有关规定选配，002 第二十五条）：{names}", st["plain"]),
                Spacer(1, 3 * mm),
                signatures,
                Spacer(1, 8 * mm),
                para(
                    f"主考/质量督导审核签字：{blank * 2}　　日期：{blank}年{blank[:2]}月{blank[:2]}日",
                    st["plain"],
                ),
            ]
        )
    )
    build_pdf(
        path,
        story,
        title=f"{part_label}评分记录表",
        author=institution or "jlexam",
        footer=f"{sitting} {session_label} {room} 评分记录表",
    )
