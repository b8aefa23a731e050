"""The result publicity notice (PDF and workbook) and the objection answer letter (002 §25).

The PDFs are read back with pdfium: what a reader copies or searches is what is asserted. The public list must
show the masked ID numbers and never a full ID number or a phone number.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl
import pypdfium2 as pdfium
import pytest

from jlexam.documents.objection import ObjectionLetter, render_answer_letter
from jlexam.documents.publicity import (
    XLSX_SHEET,
    PublicityRow,
    check_public,
    render_publicity_list,
    write_publicity_xlsx,
)
from jlexam.domain.idcard import build_id_number
from jlexam.domain.masking import mask_id_number
from jlexam.domain.scoring import ABSENT
from jlexam.errors import ValidationError

RARE = "王𠇔"
INSTITUTION = "长春市某某职业技能培训学校"
SITTING = "2025年第二批次职业技能等级认定"
START, END = date(2025, 6, 9), date(2025, 6, 13)  # Monday to Friday: 5 working days
FULL_ID = re.compile(r"\d{17}[\dX]")
MOBILE = re.compile(r"1[3-9]\d{9}")


def _people(n: int) -> list[tuple[str, str]]:
    names = ["张伟", "李秀英", "欧阳建国", "阿依古丽·买买提", "刘洋"]
    people = []
    for i in range(n):
        number = build_id_number("220102", date(1980, 1, 1) + timedelta(days=37 * i), i)
        people.append((RARE if i == 17 else names[i % len(names)], number))
    return people


PEOPLE = _people(200)


def _rows() -> list[PublicityRow]:
    return [
        PublicityRow(
            name=name,
            masked_id=mask_id_number(number),
            occupation="电工（6-31-01-03）" if i % 3 else "互联网营销师",
            work_type="" if i % 3 else "直播销售员",
            level_written="三级/高级工" if i % 2 else "四级/中级工",
            result_label=("合格", "不合格", "缺考", "合格")[i % 4],
            remarks="复核后更正" if i == 5 else "",
        )
        for i, (name, number) in enumerate(PEOPLE)
    ]


KW = {
    "institution": INSTITUTION,
    "sitting_name": SITTING,
    "period_start": START,
    "period_end": END,
    "provisional": False,
    "contact": "0431-88886666（工作日 8:30-16:30）",
    "objection_note": "异议须由参评人员本人提出。",
}


def _text(path: Path) -> str:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


def _pages(path: Path) -> int:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


@pytest.fixture(scope="module")
def publicity_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("publicity") / "公示.pdf"
    render_publicity_list(_rows(), path, **KW)
    return path


def test_publicity_pdf_shows_masked_ids_and_nothing_more(publicity_pdf: Path) -> None:
    text = _text(publicity_pdf)
    compact = re.sub(r"\s", "", text)
    for _, number in PEOPLE:
        assert mask_id_number(number) in compact
        assert number not in compact
    assert not FULL_ID.search(compact)
    assert not MOBILE.search(compact)
    assert RARE in text  # the Extension B character is real text, not a box


def test_publicity_pdf_says_the_period_objections_institution_and_date(publicity_pdf: Path) -> None:
    text = re.sub(r"\s", "", _text(publicity_pdf))
    assert f"{SITTING}成绩公示" in text
    assert "公示期为2025年6月9日至2025年6月13日（不少于5个工作日，公示首日为工作日的计为第1日）" in text
    assert "请于2025年6月13日（公示期最后一日，含当日）前，以书面形式向本机构提出" in text
    assert "自收到异议之日起5个工作日内（收到当日不计）予以复核并书面答复" in text
    assert "异议须由参评人员本人提出。" in text
    assert "0431-88886666" in text  # the office's contact, not a candidate's
    assert "参评人员共200人，实际参加考核150人，缺考50人；认定合格100人" in text
    assert text.count(INSTITUTION) >= 2  # heading and signature
    assert "暂按周一至周五推算" not in text
    for header in ("序号", "姓名", "证件号码", "职业", "工种", "等级", "认定结果", "备注"):
        assert header in text
    assert "照片" not in text and "电话" not in text


def test_publicity_pdf_fits_the_table_on_a4(publicity_pdf: Path) -> None:
    # 200 rows at about 30 a page; more pages would mean the columns wrap badly.
    assert 6 <= _pages(publicity_pdf) <= 9
    pdf = pdfium.PdfDocument(str(publicity_pdf))
    try:
        assert {tuple(round(x) for x in page.get_size()) for page in pdf} == {(595, 842)}
    finally:
        pdf.close()


def test_provisional_period_is_said(tmp_path: Path) -> None:
    path = tmp_path / "p.pdf"
    render_publicity_list(_rows()[:3], path, **{**KW, "provisional": True})
    text = re.sub(r"\s", "", _text(path))
    assert "截止日期暂按周一至周五推算" in text
    assert "公示期不少于5个工作日" in text


def test_an_empty_list_still_renders(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    render_publicity_list([], path, **KW)
    assert "参评人员共0人" in re.sub(r"\s", "", _text(path))


def test_unmasked_id_is_refused(tmp_path: Path) -> None:
    rows = _rows()[:3]
    rows[1] = replace(rows[1], masked_id=PEOPLE[1][1])
    with pytest.raises(ValidationError, match="公示名单第2行（李秀英）的证件号码没有遮挡"):
        render_publicity_list(rows, tmp_path / "x.pdf", **KW)
    assert not (tmp_path / "x.pdf").exists()
    with pytest.raises(ValidationError):
        write_publicity_xlsx(rows, tmp_path / "x.xlsx", **KW)
    loose = PEOPLE[1][1][:14] + "****"  # the birth date shown: looser than the rule allows
    rows[1] = replace(rows[1], masked_id=loose)
    with pytest.raises(ValidationError, match="证件号码没有遮挡"):
        check_public(rows)
    rows[1] = replace(rows[1], masked_id=mask_id_number(PEOPLE[1][1], keep_start=3, keep_end=1))  # stricter
    check_public(rows)
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize(
    "remarks", ["联系电话 13812345678", "手机 138-1234-5678", "+8613812345678", "身份证 220102198001010011"]
)
def test_phone_numbers_and_full_ids_in_any_field_are_refused(remarks: str) -> None:
    rows = _rows()[:2]
    rows[0] = replace(rows[0], remarks=remarks)
    with pytest.raises(ValidationError, match="“备注”中含有手机号码或完整的证件号码"):
        check_public(rows)


def test_a_period_shorter_than_five_days_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="不足5个工作日") as caught:
        render_publicity_list(
            _rows()[:2], tmp_path / "x.pdf", **{**KW, "period_end": START + timedelta(days=3)}
        )
    assert caught.value.rule == "002 §25"


def test_publicity_workbook(tmp_path: Path) -> None:
    path = tmp_path / "公示.xlsx"
    write_publicity_xlsx(_rows(), path, **{**KW, "provisional": True})
    book = openpyxl.load_workbook(path)
    sheet = book[XLSX_SHEET]
    assert f"{SITTING}成绩公示" in sheet["A1"].value
    assert "公示期为2025年6月9日至2025年6月13日" in sheet["A2"].value
    assert "暂按周一至周五推算" in sheet["A2"].value
    assert [c.value for c in sheet[3]] == [
        "序号",
        "姓名",
        "证件号码",
        "职业",
        "工种",
        "等级",
        "认定结果",
        "备注",
    ]
    assert sheet.freeze_panes == "A4"
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert int(sheet.page_setup.fitToWidth) == 1 and int(sheet.page_setup.fitToHeight) == 0
    assert sheet.column_dimensions["C"].width == 22
    data = [[c.value for c in row] for row in sheet.iter_rows(min_row=4, max_row=203)]
    assert [row[0] for row in data] == list(range(1, 201))
    assert [row[2] for row in data] == [mask_id_number(n) for _, n in PEOPLE]
    assert data[17][1] == RARE
    assert data[0][4] == "直播销售员" and data[1][4] == "--"
    assert data[5][7] == "复核后更正"
    every = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    assert not FULL_ID.search(every.replace(" ", ""))
    assert not MOBILE.search(every)
    assert "请于2025年6月13日（公示期最后一日，含当日）前" in every
    assert INSTITUTION in every and "2025年6月9日" in every


# --- the answer letter ---------------------------------------------------------------------------------

LETTER = ObjectionLetter(
    institution=INSTITUTION,
    candidate_name=RARE,
    masked_id="220102********123X",
    received_on=date(2025, 6, 10),
    due_on=date(2025, 6, 17),
    subject="认为操作技能考核成绩偏低，申请复核。",
    recheck_summary="组织两名未参与原评分的考评员，在内部质量督导员监督下调阅评分记录表和现场录像，逐项复核。",
    outcome="经复核，原评分漏计5分，操作技能考核成绩由58分更正为63分，认定结果更正为合格。",
    old_scores={"理论知识考试": Decimal(72), "操作技能考核": "58", "综合评审": ABSENT},
    new_scores={"理论知识考试": Decimal(72), "操作技能考核": Decimal(63), "综合评审": ABSENT},
    answered_on=date(2025, 6, 13),
    signer="考务组长 刘某某",
    sitting_name=SITTING,
    reference="长某培评〔2025〕异字第3号",
    contact="0431-88886666",
    occupation="电工 三级/高级工",
)


def test_answer_letter_renders_its_fields(tmp_path: Path) -> None:
    path = tmp_path / "答复.pdf"
    render_answer_letter(LETTER, path)
    text = _text(path)
    flat = re.sub(r"\s", "", text)
    assert "成绩异议答复书" in flat
    assert f"{RARE}（证件号码：220102********123X）" in flat
    assert "你于2025年6月10日对" in flat
    assert "认为操作技能考核成绩偏低，申请复核。" in flat
    assert "逐项复核" in flat
    assert "由58分更正为63分" in flat
    assert (
        "收到之日起5个工作日内（收到当日不计）予以答复，答复期限至2025年6月17日（含当日）；本答复于2025年6月13日作出。"
        in flat
    )
    assert "已超过答复期限" not in flat
    assert "答复人：考务组长刘某某" in flat
    assert "长某培评〔2025〕异字第3号" in flat
    assert "签收人" in flat
    for line in ("理论知识考试7272未变更", "操作技能考核5863已更正", "综合评审缺考缺考未变更"):
        assert line in flat
    assert not FULL_ID.search(flat)
    assert _pages(path) == 1


def test_a_late_answer_says_so(tmp_path: Path) -> None:
    path = tmp_path / "late.pdf"
    render_answer_letter(replace(LETTER, answered_on=date(2025, 6, 18)), path)
    assert "本答复于2025年6月18日作出，已超过答复期限。" in re.sub(r"\s", "", _text(path))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"masked_id": "220102198001010011"}, "证件号码没有遮挡"),
        ({"due_on": date(2025, 6, 10)}, "不晚于收到异议的日期"),
        ({"answered_on": date(2025, 6, 9)}, "早于收到异议的日期"),
        ({"outcome": " "}, "“复核结论”为空"),
    ],
)
def test_answer_letter_refuses_bad_data(tmp_path: Path, change: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        render_answer_letter(replace(LETTER, **change), tmp_path / "x.pdf")  # type: ignore[arg-type]
    assert not (tmp_path / "x.pdf").exists()
