"""Score sheets for double entry: write, fill as a clerk would (openpyxl), read back with every cell checked.

Reading refuses whole workbooks that are not ours, were altered where scores could land on the wrong
candidate, or cannot be read; bad score cells are reported one by one with row, column letter and message.
"""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pypdfium2 as pdfium
import pytest

from jlexam.domain.scoring import ABSENT, MISCONDUCT
from jlexam.errors import ValidationError
from jlexam.exchange.score_sheets import (
    FIRST_DATA_ROW,
    HEADER_ROW,
    META_SHEET,
    SHEET,
    ScoreSheetRow,
    read_score_workbook,
    render_score_sheet_pdf,
    write_score_workbook,
)

META = {
    "sitting": "2025年第二批次职业技能等级认定",
    "session_label": "6月14日 9:00-10:30",
    "part_label": "理论知识考试",
    "room": "第1考场（教学楼301）",
}
ROWS = [
    ScoreSheetRow(
        key=f"app-{100 + i}",
        ticket_number=f"22250614{i:04d}",
        name="王𠇔" if i == 2 else f"考生{i}",
        masked_id="220102********123X",
        room="第1考场",
        seat=f"{i:02d}",
    )
    for i in range(1, 11)
]
FORMS = "阿拉伯数字 0 至 100（最多一位小数，如 85 或 85.5），缺考填“缺考”，违纪填“违纪”"


@pytest.fixture
def sheet_path(tmp_path: Path) -> Path:
    path = tmp_path / "成绩录入表.xlsx"
    write_score_workbook(ROWS, path, entry_round=2, **META)
    return path


def fill(
    path: Path, scores: dict[int, Any], remarks: dict[int, str] | None = None, out: Path | None = None
) -> Path:
    """Type scores into column G (and remarks into H) of the given 1-based candidate numbers, as a clerk."""
    book = openpyxl.load_workbook(path)
    sheet = book[SHEET]
    for number, value in scores.items():
        sheet.cell(row=FIRST_DATA_ROW + number - 1, column=7, value=value)
    for number, text in (remarks or {}).items():
        sheet.cell(row=FIRST_DATA_ROW + number - 1, column=8, value=text)
    target = out or path.with_name("filled.xlsx")
    book.save(target)
    return target


GOOD = {1: 85, 2: "缺考", 3: 60.5, 4: "违纪", 5: "８５．５", 6: "缺", 7: 100, 8: 0, 9: "85", 10: 59.9}


def test_a_filled_sheet_reads_back(sheet_path: Path) -> None:
    result = read_score_workbook(fill(sheet_path, GOOD, {2: "病假未到", 4: "携带手机"}))
    assert result.ok
    assert result.marks == {
        "app-101": Decimal(85),
        "app-102": ABSENT,
        "app-103": Decimal("60.5"),
        "app-104": MISCONDUCT,
        "app-105": Decimal("85.5"),
        "app-106": ABSENT,
        "app-107": Decimal(100),
        "app-108": Decimal(0),
        "app-109": Decimal(85),
        "app-110": Decimal("59.9"),
    }
    assert result.remarks == {"app-102": "病假未到", "app-104": "携带手机"}
    assert result.entry_round == 2
    assert (result.sitting, result.session_label, result.part_label, result.room) == tuple(META.values())
    assert result.keys == tuple(r.key for r in ROWS)


def test_every_bad_cell_is_reported_exactly(sheet_path: Path) -> None:
    scores = {**GOOD, 2: 101, 4: "八十", 5: 85.55, 7: None, 8: "85.5.", 9: True}
    result = read_score_workbook(fill(sheet_path, scores))
    got = [(e.sheet, e.row, e.column, e.header, e.value, e.message) for e in result.errors]
    assert got == [
        (
            SHEET,
            5,
            "G",
            "成绩",
            "101",
            "成绩“101”超出范围：成绩为百分制，应在 0 至 100 之间，请核对原始评分记录。",
        ),
        (SHEET, 7, "G", "成绩", "八十", "成绩“八十”是汉字数字：请改用阿拉伯数字填写，如 80 或 85.5。"),
        (
            SHEET,
            8,
            "G",
            "成绩",
            "85.55",
            "成绩“85.55”的小数超过一位：成绩最多保留一位小数（如 85.5），请按评分记录填写。",
        ),
        (SHEET, 10, "G", "成绩", "", f"成绩未填写：请填写{FORMS}。"),
        (SHEET, 11, "G", "成绩", "85.5.", f"成绩“85.5.”无法识别：请填写{FORMS}。"),
        (SHEET, 12, "G", "成绩", "True", f"“True”不是成绩：请填写{FORMS}。"),
    ]
    assert str(result.errors[0]) == (
        "成绩录入 第5行 G列（成绩）：成绩“101”超出范围：成绩为百分制，应在 0 至 100 之间，请核对原始评分记录。"
    )
    # The good cells still come back; the bad ones are left out.
    assert set(result.marks) == {"app-101", "app-103", "app-106", "app-110"}
    assert not result.ok


def test_an_unfilled_sheet_reports_every_row(sheet_path: Path) -> None:
    result = read_score_workbook(sheet_path)
    assert [e.row for e in result.errors] == list(range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(ROWS)))
    assert result.marks == {}


def test_protection_leaves_only_scores_and_remarks_open(sheet_path: Path) -> None:
    book = openpyxl.load_workbook(sheet_path)
    sheet = book[SHEET]
    assert sheet.protection.sheet is True
    assert book.security is not None and book.security.lockStructure
    last = FIRST_DATA_ROW + len(ROWS) - 1
    unlocked = {
        cell.coordinate
        for row in sheet.iter_rows(min_row=1, max_row=last + 5, max_col=12)
        for cell in row
        if not cell.protection.locked
    }
    assert unlocked == {f"{col}{r}" for col in "GH" for r in range(FIRST_DATA_ROW, last + 1)}
    assert sheet.column_dimensions["I"].hidden
    assert [sheet.cell(row=FIRST_DATA_ROW + i, column=9).value for i in range(len(ROWS))] == [
        r.key for r in ROWS
    ]
    assert book[META_SHEET].sheet_state == "veryHidden"
    assert "理论知识考试成绩录入表" in sheet["A1"].value
    assert "第2次录入" in sheet["A2"].value
    assert [sheet.cell(row=HEADER_ROW, column=c).value for c in range(1, 10)] == [
        "序号",
        "准考证号",
        "姓名",
        "证件号码",
        "考场",
        "座位号",
        "成绩",
        "备注",
        "键",
    ]
    assert sheet.freeze_panes == f"A{FIRST_DATA_ROW}"
    validations = sheet.data_validations.dataValidation
    assert len(validations) == 1
    validation = validations[0]
    assert validation.type == "custom" and validation.errorStyle == "stop"
    assert str(validation.sqref) == f"G{FIRST_DATA_ROW}:G{last}"
    assert "缺考" in validation.formula1 and "违纪" in validation.formula1 and "100" in validation.formula1


def _edit(path: Path, change: Any) -> Path:
    book = openpyxl.load_workbook(path)
    change(book)
    out = path.with_name("edited.xlsx")
    book.save(out)
    return out


def test_an_altered_key_column_is_refused(sheet_path: Path) -> None:
    filled = fill(sheet_path, GOOD)

    def overwrite(book: Any) -> None:
        book[SHEET]["I6"] = "app-999"

    with pytest.raises(ValidationError, match="第6行的考生与导出时不一致"):
        read_score_workbook(_edit(filled, overwrite))


def test_sorted_or_deleted_rows_are_refused(sheet_path: Path) -> None:
    filled = fill(sheet_path, GOOD)

    def swap(book: Any) -> None:
        sheet = book[SHEET]
        for col in range(1, 10):
            a, b = sheet.cell(row=4, column=col), sheet.cell(row=5, column=col)
            a.value, b.value = b.value, a.value

    with pytest.raises(ValidationError, match="第4行、第5行的考生与导出时不一致"):
        read_score_workbook(_edit(filled, swap))

    def delete(book: Any) -> None:
        book[SHEET].delete_rows(6)

    with pytest.raises(ValidationError, match="整表不予导入"):
        read_score_workbook(_edit(filled, delete))

    def ticket(book: Any) -> None:
        book[SHEET]["B7"] = "222506149999"

    with pytest.raises(ValidationError, match="第7行的考生与导出时不一致"):
        read_score_workbook(_edit(filled, ticket))


def test_altered_identity_is_refused(sheet_path: Path) -> None:
    def room(book: Any) -> None:
        book[META_SHEET]["B5"] = "第2考场"

    with pytest.raises(ValidationError, match="隐藏的校验信息被改动"):
        read_score_workbook(_edit(fill(sheet_path, GOOD), room))

    def header(book: Any) -> None:
        book[SHEET].insert_cols(3)

    with pytest.raises(ValidationError, match="表头（第3行）被改动"):
        read_score_workbook(_edit(fill(sheet_path, GOOD), header))


def test_rows_added_below_the_list_are_reported(sheet_path: Path) -> None:
    def add(book: Any) -> None:
        sheet = book[SHEET]
        sheet.cell(row=FIRST_DATA_ROW + len(ROWS) + 1, column=2, value="222506140099")
        sheet.cell(row=FIRST_DATA_ROW + len(ROWS) + 1, column=7, value=90)

    result = read_score_workbook(_edit(fill(sheet_path, GOOD), add))
    assert [(e.row, e.column) for e in result.errors] == [(FIRST_DATA_ROW + len(ROWS) + 1, "B")]
    assert "不在导出的考生名单中" in result.errors[0].message
    assert len(result.marks) == len(ROWS)


def test_a_workbook_that_is_not_ours_is_refused(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET  # even with our sheet's name
    sheet.append(["准考证号", "姓名", "成绩"])
    sheet.append(["222506140001", "张三", 85])
    path = tmp_path / "别人的表.xlsx"
    book.save(path)
    with pytest.raises(ValidationError, match="不是本程序导出的成绩录入表"):
        read_score_workbook(path)

    def forged(book: Any) -> None:
        book[META_SHEET]["B1"] = "something-else/1"

    with pytest.raises(ValidationError, match="不是本程序导出的成绩录入表"):
        read_score_workbook(_edit(_written(tmp_path), forged))


def _written(tmp_path: Path) -> Path:
    path = tmp_path / "ours.xlsx"
    write_score_workbook(ROWS, path, entry_round=1, **META)
    return path


def test_corrupt_and_wrong_files_give_clear_errors(tmp_path: Path) -> None:
    good = _written(tmp_path).read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good[: len(good) // 2])
    with pytest.raises(ValidationError, match=r"cut\.xlsx 已损坏（压缩包不完整"):
        read_score_workbook(cut)
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    with pytest.raises(ValidationError, match="是空的"):
        read_score_workbook(empty)
    text = tmp_path / "scores.xlsx"
    text.write_text("准考证号,成绩\n222506140001,85\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="不是 Excel 工作簿，或已经损坏"):
        read_score_workbook(text)
    with pytest.raises(ValidationError, match="找不到文件"):
        read_score_workbook(tmp_path / "missing.xlsx")
    docx = tmp_path / "word.xlsx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    with pytest.raises(ValidationError, match="不是 Excel 工作簿"):
        read_score_workbook(docx)
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(tmp_path / "ours.xlsx") as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, b"<not xml" if item.filename == "xl/workbook.xml" else data)
    with pytest.raises(ValidationError, match=r"broken\.xlsx 已损坏，无法读取"):
        read_score_workbook(broken)


def test_writing_refuses_bad_input(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="entry_round"):
        write_score_workbook(ROWS, tmp_path / "x.xlsx", entry_round=3, **META)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="same key"):
        write_score_workbook([ROWS[0], ROWS[0]], tmp_path / "x.xlsx", entry_round=1, **META)
    unmasked = [ScoreSheetRow("k", "t", "张三", "220102198001010011", "1", "1")]
    with pytest.raises(ValidationError, match="证件号码没有遮挡"):
        write_score_workbook(unmasked, tmp_path / "x.xlsx", entry_round=1, **META)
    assert not (tmp_path / "x.xlsx").exists()


def test_marking_sheet_pdf(tmp_path: Path) -> None:
    path = tmp_path / "评分记录表.pdf"
    render_score_sheet_pdf(
        ROWS, path, institution="长春市某某职业技能培训学校", markers=("何阅卷", "孔阅卷", "严阅卷"), **META
    )
    pdf = pdfium.PdfDocument(str(path))
    try:
        text = "\n".join(page.get_textpage().get_text_range() for page in pdf)
        assert len(pdf) == 1
    finally:
        pdf.close()
    flat = re.sub(r"\s", "", text)
    assert "理论知识考试评分记录表" in flat
    assert "第1考场（教学楼301）" in flat
    assert "王𠇔" in flat
    for row in ROWS:
        assert row.ticket_number in flat
    assert "阅卷人" in flat and "考评员签字" in flat and "主考/质量督导审核签字" in flat
    assert "何阅卷、孔阅卷、严阅卷" in flat  # the chosen markers by name, each with a signature row (002 §25)
    assert re.search(r"孔阅卷＿+年＿+月＿+日", flat) and flat.count("＿月＿") == 4  # 3 markers + the check
    assert "本考场应考10人" in flat
    assert not re.search(r"\d{17}[\dX]", flat)
