"""The result publicity notice (成绩公示, 002 §25) as a PDF to post and as a workbook to publish online.

What the public list shows (RULES.md "Scoring and publicity"): name, masked ID number, occupation, work type,
level and result, with an optional remark; never a phone number, a photo or a full ID number. The renderers
check this themselves: a row whose ID number is not masked, or any field holding something shaped like a
mobile phone number or a full 18-character ID number, is refused before anything is written.

The notice states the publicity period (at least 5 working days, 002 §25), how and by when an objection is
raised, that it is answered within 5 working days of receipt, and the institution and date. The period comes
from :meth:`jlexam.domain.workdays.WorkingDayCalendar.publicity_period`; when it was counted on a year whose
holiday schedule is not known (``provisional``), the notice says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, TableStyle

from jlexam.documents.base import build_pdf, grid, para, styles
from jlexam.documents.fonts import BODY, HEADING, text_width
from jlexam.domain.masking import MASK
from jlexam.domain.workdays import MIN_PUBLICITY_DAYS
from jlexam.errors import ValidationError
from jlexam.fileio import atomic_path

RULE = "002 §25"
PASSED_LABEL = "合格"

# A mobile number (11 digits from 13..19, maybe +86) or a full resident ID number (17 digits and a check
# character) anywhere in a field, ignoring separators people put inside them.
_MOBILE = re.compile(r"(?<!\d)(?:\+?86)?1[3-9]\d{9}(?!\d)")
_FULL_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_SEPARATORS = re.compile(r"[\s\-‐–—]")


@dataclass(frozen=True)
class PublicityRow:
    name: str
    masked_id: str  # jlexam.domain.masking.mask_id_number(...)
    occupation: str  # "电工" or "电工（6-31-01-03）"
    work_type: str  # "--" or "" when none
    level_written: str  # "三级/高级工"
    result_label: str  # jlexam.domain.scoring.Result.label: 合格, 不合格, 缺考, 违纪
    remarks: str = ""


def _d(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def check_public(rows: Sequence[PublicityRow]) -> None:
    """Refuse rows that would publish more than the rules allow (RULES.md "Scoring and publicity")."""
    for number, row in enumerate(rows, 1):
        masked = row.masked_id.strip()
        revealed = len(masked) - masked.count(MASK)
        # masking.py: an 18-character number shows at most its first 6 and last 4 characters.
        if masked and (MASK not in masked or (len(masked) == 18 and revealed > 10)):
            raise ValidationError(
                f"公示名单第{number}行（{row.name}）的证件号码没有遮挡：公示只能显示遮挡后的号码"
                "（如 220102********123X），请重新生成公示名单。",
                rule=RULE,
            )
        for f in fields(row):
            value = _SEPARATORS.sub("", str(getattr(row, f.name)))
            if _MOBILE.search(value) or _FULL_ID.search(value):
                raise ValidationError(
                    f"公示名单第{number}行（{row.name}）的“{_FIELD_NAMES[f.name]}”中含有手机号码或完整的证件号码："
                    "公示不得公开电话号码和完整证件号码，请删除后再生成。",
                    rule=RULE,
                )


_FIELD_NAMES = {
    "name": "姓名",
    "masked_id": "证件号码",
    "occupation": "职业",
    "work_type": "工种",
    "level_written": "等级",
    "result_label": "认定结果",
    "remarks": "备注",
}


def _check_period(period_start: date, period_end: date) -> None:
    # The period is counted in working days by the calendar (workdays.publicity_period); a period shorter than
    # five calendar days can never hold five working days, whatever the schedule.
    if period_end < period_start + timedelta(days=MIN_PUBLICITY_DAYS - 1):
        raise ValidationError(
            f"公示期 {period_start.isoformat()} 至 {period_end.isoformat()} 不足{MIN_PUBLICITY_DAYS}个工作日："
            f"成绩公示期不得少于{MIN_PUBLICITY_DAYS}个工作日，请按工作日历重新计算公示截止日期。",
            rule=RULE,
        )


def _work_type(text: str) -> str:
    return text.strip() or "--"


ABSENT_LABEL = "缺考"
SAT_LABELS = frozenset({PASSED_LABEL, "不合格", "违纪"})  # took part: 实考 = 合格 + 不合格 (违纪 is 不合格)


@dataclass(frozen=True)
class Counts:
    """The heading's numbers, as the oversight report counts them (jlexam.services.reports): everyone on the
    list (资格审核通过的参评人员) = 实考 (合格 + 不合格, absentees not included) + 缺考 (+ 待定 while a result
    is missing)."""

    total: int
    sat: int
    absent: int
    passed: int

    @property
    def pending(self) -> int:
        return self.total - self.sat - self.absent


def counts(rows: Sequence[PublicityRow]) -> Counts:
    labels = [r.result_label.strip() for r in rows]
    return Counts(
        len(labels),
        sum(1 for x in labels if x in SAT_LABELS),
        sum(1 for x in labels if x == ABSENT_LABEL),
        sum(1 for x in labels if x == PASSED_LABEL),
    )


def count_sentence(rows: Sequence[PublicityRow]) -> str:
    """“本批次参评人员共286人，实际参加考核281人，缺考5人；认定合格232人。”"""
    n = counts(rows)
    pending = f"，结果待定{n.pending}人" if n.pending else ""
    return f"本批次参评人员共{n.total}人，实际参加考核{n.sat}人，缺考{n.absent}人{pending}；认定合格{n.passed}人。"


def _period_sentences(period_start: date, period_end: date, provisional: bool) -> list[str]:
    lines = [
        f"公示期为{_d(period_start)}至{_d(period_end)}"
        f"（不少于{MIN_PUBLICITY_DAYS}个工作日，公示首日为工作日的计为第1日）。"
    ]
    if provisional:
        lines.append(
            "注：公示期所涉年份的国务院节假日安排尚未公布，截止日期暂按周一至周五推算。"
            f"节假日安排公布后如有变化，以本机构另行公告的日期为准，公示期不少于{MIN_PUBLICITY_DAYS}个工作日。"
        )
    return lines


def _objection_sentences(period_end: date, contact: str, objection_note: str) -> list[str]:
    lines = [
        f"参评人员对公示的成绩有异议的，请于{_d(period_end)}（公示期最后一日，含当日）前，以书面形式向本机构提出，"
        "写明姓名、证件号码、报考职业（工种）及等级、异议事项和理由，并留下联系方式。"
        "本机构自收到异议之日起5个工作日内（收到当日不计）予以复核并书面答复。逾期提出的异议不予受理。",
    ]
    if objection_note.strip():
        lines.append(objection_note.strip())
    if contact.strip():
        lines.append(f"受理异议联系方式：{contact.strip()}")
    return lines


_PDF_HEADER = ("序号", "姓名", "证件号码", "职业", "工种", "等级", "认定结果")
# Columns that wrap when the page is short of room; the others (number, ID, level, result) keep one line.
_WRAPPING = frozenset({1, 3, 4, 7})
_CELL_SIZE = 9
_CELL_PADDING = 7  # 3 pt left and right (reportlab's default is 6), and a point to spare
_TEXT_WIDTH = 160 * mm  # A4 less base.build_pdf's 25 mm margins


def _fit_widths(table_rows: Sequence[Sequence[str]], total: float) -> list[float]:
    """Column widths: each column as wide as its widest cell; when that is too wide for the page, the
    wrapping columns (name, occupation, work type, remarks) share what the others leave, in proportion."""
    columns = len(table_rows[0])
    natural = [
        max(
            text_width(row[i], HEADING if n == 0 else BODY, _CELL_SIZE) + _CELL_PADDING
            for n, row in enumerate(table_rows)
        )
        for i in range(columns)
    ]
    # A header of two or more characters may break into two lines; the numbers column is at least "序号".
    natural = [
        max(w, text_width(table_rows[0][i][:2], HEADING, _CELL_SIZE) + _CELL_PADDING)
        for i, w in enumerate(natural)
    ]
    if sum(natural) <= total:
        spare = total - sum(natural)
        wrapping = [i for i in range(columns) if i in _WRAPPING] or list(range(columns))
        share = sum(natural[i] for i in wrapping)
        return [w + (spare * w / share if i in wrapping else 0) for i, w in enumerate(natural)]
    fixed = sum(w for i, w in enumerate(natural) if i not in _WRAPPING)
    room = max(total - fixed, 0)
    share = sum(w for i, w in enumerate(natural) if i in _WRAPPING)
    return [w * room / share if i in _WRAPPING else w for i, w in enumerate(natural)]


def render_publicity_list(
    rows: Sequence[PublicityRow],
    path: Path,
    *,
    institution: str,
    sitting_name: str,
    period_start: date,
    period_end: date,
    provisional: bool,
    contact: str,
    objection_note: str = "",
    published_on: date | None = None,
) -> None:
    """The notice as an A4 PDF: title, period, the list, how to object, institution and date."""
    check_public(rows)
    _check_period(period_start, period_end)
    published_on = published_on or period_start
    st = styles()
    story = [
        para(institution, st["subtitle"]),
        para(f"{sitting_name}成绩公示", st["title"]),
        para(
            f"根据《职业技能等级认定工作规程》第二十五条的规定，现将{sitting_name}的认定结果予以公示。"
            f"{count_sentence(rows)}名单如下。",
            st["body"],
        ),
        *(para(text, st["body"]) for text in _period_sentences(period_start, period_end, provisional)),
        Spacer(1, 3 * mm),
    ]
    header = list(_PDF_HEADER)
    with_remarks = any(r.remarks.strip() for r in rows)
    if with_remarks:
        header.append("备注")
    table_rows: list[list[str]] = [header]
    for number, r in enumerate(rows, 1):
        line = [
            str(number),
            r.name.strip(),
            r.masked_id.strip(),
            r.occupation.strip(),
            _work_type(r.work_type),
            r.level_written.strip(),
            r.result_label.strip(),
        ]
        if with_remarks:
            line.append(r.remarks.strip())
        table_rows.append(line)
    if not rows:
        table_rows.append(["", "（无）", *[""] * (len(header) - 2)])
    cells = dict(st)
    cells["cell"] = ParagraphStyle("publicity_cell", parent=st["cell"], fontSize=_CELL_SIZE, leading=12)
    cells["cell_head"] = ParagraphStyle(
        "publicity_head", parent=st["cell_head"], fontSize=_CELL_SIZE, leading=12
    )
    table = grid(table_rows, _fit_widths(table_rows, _TEXT_WIDTH), cells)
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]))
    story.append(table)
    story.append(Spacer(1, 4 * mm))
    objection = [para("异议受理", st["heading"])]
    objection += [
        para(text, st["body"]) for text in _objection_sentences(period_end, contact, objection_note)
    ]
    objection += [
        para(
            "公示内容仅包括姓名、遮挡后的证件号码、职业（工种）、等级和认定结果，不公开其他个人信息。",
            st["body"],
        ),
        Spacer(1, 10 * mm),
        para(institution, st["signature"]),
        para(_d(published_on), st["signature"]),
    ]
    story.append(KeepTogether(objection))
    build_pdf(
        path,
        story,
        title=f"{sitting_name}成绩公示",
        author=institution,
        footer=f"{sitting_name} 成绩公示（{_d(period_start)}至{_d(period_end)}）",
    )


XLSX_SHEET = "成绩公示"
_XLSX_COLUMNS: tuple[tuple[str, float], ...] = (
    ("序号", 6),
    ("姓名", 12),
    ("证件号码", 22),
    ("职业", 24),
    ("工种", 16),
    ("等级", 14),
    ("认定结果", 10),
    ("备注", 24),
)


def write_publicity_xlsx(
    rows: Sequence[PublicityRow],
    path: Path,
    *,
    institution: str,
    sitting_name: str,
    period_start: date,
    period_end: date,
    provisional: bool,
    contact: str,
    objection_note: str = "",
    published_on: date | None = None,
) -> None:
    """The same notice as a workbook: title and period above, the list under a frozen header row, the
    objection procedure, institution and date below; printed A4 landscape with the header on every page."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.worksheet.page import PageMargins

    check_public(rows)
    _check_period(period_start, period_end)
    published_on = published_on or period_start
    book = Workbook()
    sheet = book.active
    sheet.title = XLSX_SHEET
    last_letter = chr(ord("A") + len(_XLSX_COLUMNS) - 1)
    wrap = Alignment(wrap_text=True, vertical="top")

    def banner(row: int, text: str, *, size: float = 11, bold: bool = False, height: float = 0) -> None:
        sheet.merge_cells(f"A{row}:{last_letter}{row}")
        cell = sheet.cell(row=row, column=1, value=text)
        cell.font = Font(name="宋体", size=size, bold=bold)
        cell.alignment = Alignment(horizontal="center" if bold else "left", vertical="center", wrap_text=True)
        if height:
            sheet.row_dimensions[row].height = height

    banner(1, f"{institution}\n{sitting_name}成绩公示", size=16, bold=True, height=48)
    banner(
        2,
        count_sentence(rows) + "".join(_period_sentences(period_start, period_end, provisional)),
        height=48 if provisional else 32,
    )
    header_row = 3
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    fill = PatternFill("solid", fgColor="EDEDED")
    for index, (text, width) in enumerate(_XLSX_COLUMNS, 1):
        cell = sheet.cell(row=header_row, column=index, value=text)
        cell.font = Font(name="黑体", bold=True)
        cell.fill = fill
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.column_dimensions[chr(ord("A") + index - 1)].width = width
    sheet.column_dimensions["C"].number_format = "@"
    for number, r in enumerate(rows, 1):
        values = [
            number,
            r.name.strip(),
            r.masked_id.strip(),
            r.occupation.strip(),
            _work_type(r.work_type),
            r.level_written.strip(),
            r.result_label.strip(),
            r.remarks.strip(),
        ]
        row = header_row + number
        for index, value in enumerate(values, 1):
            cell = sheet.cell(row=row, column=index, value=value)
            cell.border = border
            cell.alignment = Alignment(vertical="center", wrap_text=index in (4, 5, 8))
            if index == 3:
                cell.number_format = "@"
    last_data = header_row + len(rows)
    row = last_data + 2
    for text in [
        *_objection_sentences(period_end, contact, objection_note),
        "公示内容仅包括姓名、遮挡后的证件号码、职业（工种）、等级和认定结果，不公开其他个人信息。",
    ]:
        sheet.merge_cells(f"A{row}:{last_letter}{row}")
        cell = sheet.cell(row=row, column=1, value=text)
        cell.alignment = wrap
        sheet.row_dimensions[row].height = 15 * (1 + len(text) // 70)
        row += 1
    row += 1
    for text in (institution, _d(published_on)):
        sheet.merge_cells(f"A{row}:{last_letter}{row}")
        sheet.cell(row=row, column=1, value=text).alignment = Alignment(horizontal="right")
        row += 1

    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_area = f"A1:{last_letter}{row - 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins = PageMargins(left=0.6, right=0.6, top=0.7, bottom=0.7)
    sheet.oddFooter.center.text = f"{sitting_name} 成绩公示　第 &P 页 共 &N 页"
    book.properties.title = f"{sitting_name}成绩公示"
    book.properties.creator = "jlexam"
    with atomic_path(Path(path)) as partial:
        book.save(partial)
