"""The roster workbook: template, reading, validation of every cell, the errors workbook.

Every test writes a real xlsx file with openpyxl (cells as real dates, serial numbers, floats, text) and
reads it back through ``read_roster``, asserting the exact row, column letter and message.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jlexam.demo.people import make_people
from jlexam.domain.idcard import Sex, build_id_number
from jlexam.domain.levels import SkillLevel
from jlexam.errors import ValidationError
from jlexam.exchange.catalogue import load_occupations
from jlexam.exchange.roster import (
    COLUMNS,
    ERRORS_HEADER,
    ID_TYPES,
    RosterContext,
    RosterResult,
    column_index,
    column_letter,
    parse_date_cell,
    read_roster,
    template_header,
    write_errors_workbook,
    write_template,
)

TODAY = date(2025, 5, 1)
OCCUPATIONS = load_occupations()
BY_CODE = {o.code: o for o in OCCUPATIONS}
ELECTRICIAN = "6-31-01-03"  # 电工, no work types, levels 5-1
WELDER = "6-18-02-04"  # 焊工
MARKETER = "4-01-06-02"  # 互联网营销师, with work types
BEAUTICIAN = "4-10-03-01"  # 美容师: in the catalogue, not offered by the sitting
HEALTH = "4-14-02-02"  # 健康管理师: levels 3-1 only
L = SkillLevel
SCOPE = {
    *((ELECTRICIAN, "", lv) for lv in (L.LEVEL_5, L.LEVEL_4, L.LEVEL_3, L.LEVEL_2)),
    *((WELDER, "", lv) for lv in (L.LEVEL_5, L.LEVEL_4, L.LEVEL_3)),
    *((MARKETER, "直播销售员", lv) for lv in (L.LEVEL_5, L.LEVEL_4, L.LEVEL_3)),
    (MARKETER, "选品员", L.LEVEL_4),
    *((HEALTH, "", lv) for lv in (L.LEVEL_3, L.LEVEL_2)),
}
HEADERS = [template_header(c) for c in COLUMNS]
KEYS = [c.key for c in COLUMNS]
LETTER = {c.key: column_letter(i) for i, c in enumerate(COLUMNS)}
BORN = date(1990, 3, 7)
ID = build_id_number("220102", BORN, 123)  # male (odd order code)
SERIAL = (BORN - date(1899, 12, 30)).days


def id_ending_in_x() -> str:
    for sequence in range(1, 999, 2):
        number = build_id_number("220102", BORN, sequence)
        if number.endswith("X"):
            return number
    raise AssertionError("no ID ending in X")


ID_X = id_ending_in_x()


def context(**changes: Any) -> RosterContext:
    values: dict[str, Any] = {
        "occupations": BY_CODE,
        "scope": set(SCOPE),
        "existing_id_indexes": None,
        "today": TODAY,
        "university": False,
    }
    values.update(changes)
    return RosterContext(**values)


def person(i: int = 0, **changes: Any) -> dict[str, Any]:
    """A valid row (male, electrician, 四级) whose ID number differs with ``i``."""
    born = BORN + timedelta(days=i)
    row: dict[str, Any] = {
        "name": "张三",
        "sex": "男",
        "id_type": "居民身份证",
        "id_number": build_id_number("220102", born, 123),
        "birth_date": born,
        "phone": "13812345678",
        "education": "高中/中专",
        "employer": "长春市宏达机械有限公司",
        "occupation_code": ELECTRICIAN,
        "occupation_name": "电工",
        "work_type": None,
        "level": "四级/中级工",
        "years_in_occupation": 6,
        "prior_level": "五级/初级工",
        "prior_certificate_date": date(2015, 6, 1),
        "professional_title": None,
        "student_number": None,
        "major": None,
        "graduation_year": None,
    }
    row.update(changes)
    return row


def write_table(path: Path, table: list[list[Any]], title: str = "报名名单") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for values in table:
        sheet.append(values)
    book.save(path)
    return path


def write_roster(path: Path, rows: list[dict[str, Any]], headers: list[str] | None = None) -> Path:
    headers = headers or HEADERS
    return write_table(path, [headers, *([row.get(key) for key in KEYS] for row in rows)])


def read_rows(tmp_path: Path, rows: list[dict[str, Any]], ctx: RosterContext | None = None) -> RosterResult:
    return read_roster(write_roster(tmp_path / "roster.xlsx", rows), ctx or context())


def only_error(result: RosterResult):
    assert len(result.errors) == 1, [str(e) for e in result.errors]
    return result.errors[0]


# --- one bad cell each ----------------------------------------------------------------------------------

BAD_CELLS = [
    ("check character", {"id_number": ID[:17] + ("0" if ID[17] != "0" else "1")}, "id_number", "校验位错误"),
    ("birth date disagrees", {"birth_date": date(1990, 3, 8)}, "birth_date", "出生日期与证件号码不一致"),
    ("birth date text disagrees", {"birth_date": "1990-03-09"}, "birth_date", "名单填写为 1990-03-09"),
    ("sex disagrees", {"sex": "女"}, "sex", "性别与证件号码不一致：身份证号码第17位表示男"),
    ("missing name", {"name": None}, "name", "姓名为空"),
    ("name of spaces only", {"name": "\u3000 "}, "name", "姓名为空"),
    ("name with digits", {"name": "张三2"}, "name", "含有数字“2”"),
    ("name of one character", {"name": "张"}, "name", "应为 2 至 30 个字"),
    ("name with a private-use character", {"name": "张\ue000"}, "name", "造字"),
    ("name with a remark", {"name": "张三(退役)"}, "name", "不允许的字符"),
    ("missing sex", {"sex": None}, "sex", "性别为空"),
    ("unknown sex", {"sex": "未知"}, "sex", "性别“未知”无法识别"),
    (
        "ID stored as a float",
        {"id_number": 2.20102199003071e17},
        "id_number",
        "证件号码被 Excel 存成了数字，末几位已丢失",
    ),
    ("ID as scientific text", {"id_number": "2.20102E+17"}, "id_number", "末几位已丢失"),
    ("old 15-digit ID", {"id_number": "220102900307123"}, "id_number", "15位旧号码"),
    ("ID too short", {"id_number": "22010219900307"}, "id_number", "应为18位，实际为14位"),
    ("ID with a letter inside", {"id_number": "2201021990030A1234"}, "id_number", "第14位含有非法字符“A”"),
    (
        "ID with an impossible birth date",
        {"id_number": "220102199002301230"},
        "id_number",
        "不是真实存在的日期",
    ),
    ("missing ID", {"id_number": None}, "id_number", "证件号码为空"),
    ("unknown ID type", {"id_type": "军官证"}, "id_type", "证件类型“军官证”无法识别"),
    (
        "passport number with a symbol",
        {"id_type": "护照", "id_number": "E12#456"},
        "id_number",
        "护照号码“E12#456”格式不对",
    ),
    ("birth date in the future", {"birth_date": date(2026, 1, 1)}, "birth_date", "晚于今天（2025-05-01）"),
    ("birth date unreadable", {"birth_date": "三月七日"}, "birth_date", "日期“三月七日”无法识别"),
    ("birth date that does not exist", {"birth_date": "1990-02-30"}, "birth_date", "不存在"),
    ("birth date as a year only", {"birth_date": 1990}, "birth_date", "只有年份"),
    ("missing phone", {"phone": None}, "phone", "手机号码为空"),
    ("phone too short", {"phone": "1381234567"}, "phone", "手机号码“1381234567”不正确"),
    ("phone starting 12", {"phone": "12812345678"}, "phone", "以1开头的11位数字"),
    ("landline without area code", {"phone": "88886666"}, "phone", "缺少区号"),
    ("two phone numbers", {"phone": "13812345678/13912345678"}, "phone", "只填一个号码"),
    ("missing education", {"education": None}, "education", "文化程度为空"),
    ("unknown education", {"education": "幼儿园"}, "education", "文化程度“幼儿园”无法识别"),
    ("missing occupation", {"occupation_code": None, "occupation_name": None}, "occupation_code", "职业为空"),
    (
        "unknown occupation name",
        {"occupation_code": None, "occupation_name": "电焊工"},
        "occupation_name",
        "不在职业目录中：您是否要填写：电工、焊工？",
    ),
    (
        "unknown occupation code",
        {"occupation_code": "6-31-01-99", "occupation_name": None},
        "occupation_code",
        "不在职业目录中",
    ),
    (
        "occupation code malformed",
        {"occupation_code": "63101", "occupation_name": None},
        "occupation_code",
        "格式不对",
    ),
    (
        "occupation code and name disagree",
        {"occupation_name": "焊工"},
        "occupation_code",
        "职业编码与职业名称不一致",
    ),
    (
        "work type not of the occupation",
        {"occupation_code": MARKETER, "occupation_name": None, "work_type": "电焊"},
        "work_type",
        "工种“电焊”不属于职业“互联网营销师”",
    ),
    ("work type for an occupation without any", {"work_type": "高压电工"}, "work_type", "不分工种"),
    (
        "work type missing",
        {
            "occupation_code": MARKETER,
            "occupation_name": None,
            "prior_level": None,
            "prior_certificate_date": None,
        },
        "work_type",
        "分工种：请在“工种”列填写",
    ),
    (
        "level outside the sitting's scope",
        {"level": "一级/高级技师"},
        "level",
        "不在本批次开考范围内：本批次该职业开考",
    ),
    (
        "occupation not offered",
        {"occupation_code": BEAUTICIAN, "occupation_name": None},
        "level",
        "本批次没有开考职业“美容师”",
    ),
    (
        "level the standard lacks",
        {"occupation_code": HEALTH, "occupation_name": None, "level": 5},
        "level",
        "不设五级/初级工",
    ),
    (
        "student applying for 二级",
        {"student_number": "2022010001", "level": "二级/技师"},
        "level",
        "在校学生最高只能申报三级/高级工",
    ),
    ("missing level", {"level": None}, "level", "申报等级为空"),
    ("unknown level", {"level": "特级"}, "level", "申报等级“特级”无法识别"),
    ("contradictory level", {"level": "三级/技师"}, "level", "前后矛盾"),
    ("level 6", {"level": 6}, "level", "无法识别"),
    ("years as words", {"years_in_occupation": "半年"}, "years_in_occupation", "无法识别"),
    ("years not whole", {"years_in_occupation": 2.5}, "years_in_occupation", "不是整数"),
    ("years too many", {"years_in_occupation": "60年"}, "years_in_occupation", "不在 0 至 50 年之间"),
    ("years negative", {"years_in_occupation": -1}, "years_in_occupation", "不在 0 至 50 年之间"),
    ("prior level unknown", {"prior_level": "特级"}, "prior_level", "现有证书等级“特级”无法识别"),
    (
        "certificate before the 16th birthday",
        {"prior_certificate_date": date(2005, 6, 1)},
        "prior_certificate_date",
        "早于考生16周岁生日（2006-03-07）",
    ),
    (
        "certificate in the future",
        {"prior_certificate_date": "2025.6.1"},
        "prior_certificate_date",
        "晚于今天",
    ),
    ("certificate date without level", {"prior_level": None}, "prior_level", "没有填写现有证书等级"),
    (
        "certificate date year-month only",
        {"prior_certificate_date": "2015年6月"},
        "prior_certificate_date",
        "只有年月",
    ),
    ("graduation year implausible", {"graduation_year": 1800}, "graduation_year", "不合理"),
    ("graduation year as an enrolment class", {"graduation_year": "2022级"}, "graduation_year", "无法识别"),
    (
        "student number stored as a float",
        {"student_number": 2.02201000100012e17, "level": 3},
        "student_number",
        "学号被 Excel 存成了数字",
    ),
    ("graduation year unreadable", {"graduation_year": "明年"}, "graduation_year", "无法识别"),
    ("professional title too long", {"professional_title": "工" * 33}, "professional_title", "超过32个字"),
]


@pytest.mark.parametrize(
    ("overrides", "key", "expected"), [c[1:] for c in BAD_CELLS], ids=[c[0] for c in BAD_CELLS]
)
def test_each_bad_cell_is_reported_exactly(tmp_path, overrides, key, expected):
    result = read_rows(tmp_path, [person(**overrides)])
    error = only_error(result)
    assert (error.sheet, error.row, error.column) == ("报名名单", 2, LETTER[key])
    assert expected in error.message
    assert error.header == template_header(COLUMNS[KEYS.index(key)])
    assert result.rejected_rows == {2}
    assert result.rows == []
    assert not result.ok and result.total == 1


def test_university_students_are_capped_without_a_student_number(tmp_path):
    result = read_rows(tmp_path, [person(level="二级")], context(university=True))
    error = only_error(result)
    assert (error.row, error.column) == (2, LETTER["level"])
    assert "在校学生最高只能申报三级/高级工" in error.message


def test_an_id_with_a_birth_date_after_today(tmp_path):
    number = build_id_number("220102", date(2025, 6, 1), 123)
    result = read_rows(tmp_path, [person(id_number=number, birth_date=None)])
    error = only_error(result)
    assert (error.column, error.value) == (LETTER["id_number"], number)
    assert "晚于今天" in error.message


def test_the_error_shows_the_value_as_written(tmp_path):
    result = read_rows(tmp_path, [person(id_number=2.20102199003071e17, phone="1381234567")])
    by_column = {e.column: e for e in result.errors}
    assert by_column[LETTER["id_number"]].value == "2.20102199003071e+17"
    assert by_column[LETTER["phone"]].value == "1381234567"


def test_several_errors_of_one_row_come_in_column_order(tmp_path):
    result = read_rows(tmp_path, [person(name="张", phone="123", level="特级")])
    assert [e.column for e in result.errors] == [LETTER["name"], LETTER["phone"], LETTER["level"]]
    assert result.rejected_rows == {2}
    assert str(result.errors[0]).startswith("报名名单 第2行 A列（*姓名）：")


# --- unusual input that is accepted ---------------------------------------------------------------------

ACCEPTED = [
    (
        "full-width ID",
        {"id_number": ID.translate({c: c + 0xFEE0 for c in range(0x30, 0x3A)})},
        "id_number",
        ID,
    ),
    ("lower-case x", {"id_number": ID_X.lower()}, "id_number", ID_X),
    ("full-width X", {"id_number": ID_X[:17] + "Ｘ"}, "id_number", ID_X),
    (
        "spaces and NBSP in the ID",
        {"id_number": f" {ID[:6]}\u00a0{ID[6:14]} {ID[14:]}\u3000"},
        "id_number",
        ID,
    ),
    ("zero-width space in the ID", {"id_number": ID[:9] + "\u200b" + ID[9:]}, "id_number", ID),
    ("leading apostrophe in the ID", {"id_number": "'" + ID}, "id_number", ID),
    ("NBSP in the name", {"name": "张\u00a0三"}, "name", "张三"),
    ("ideographic space around the name", {"name": "\u3000张三\u3000"}, "name", "张三"),
    ("name aligned with spaces", {"name": "王  芳"}, "name", "王芳"),
    ("minority name with a bullet", {"name": "阿卜杜拉•买买提"}, "name", "阿卜杜拉·买买提"),
    ("minority name with a full stop", {"name": "阿卜杜拉．买买提"}, "name", "阿卜杜拉·买买提"),
    ("rare character outside the BMP", {"name": "王𠇔"}, "name", "王𠇔"),
    (
        "foreign name",
        {"name": "John  Smith", "id_type": "护照", "id_number": "E12345678"},
        "name",
        "John Smith",
    ),
    ("sex as 男性", {"sex": "男性"}, "sex", Sex.MALE),
    ("sex as M", {"sex": " m "}, "sex", Sex.MALE),
    ("sex as 1.0", {"sex": 1.0}, "sex", Sex.MALE),
    ("ID type left empty", {"id_type": None}, "id_type", "resident_id"),
    ("ID type 身份证", {"id_type": "身份证"}, "id_type", "resident_id"),
    ("birth date as a real date", {"birth_date": BORN}, "birth_date", BORN),
    ("birth date as a datetime", {"birth_date": datetime(1990, 3, 7, 0, 0)}, "birth_date", BORN),
    ("birth date as a serial number", {"birth_date": SERIAL}, "birth_date", BORN),
    ("birth date as a serial with a time", {"birth_date": SERIAL + 0.5}, "birth_date", BORN),
    ("birth date as serial text", {"birth_date": str(SERIAL)}, "birth_date", BORN),
    ("birth date 1990-03-07", {"birth_date": "1990-03-07"}, "birth_date", BORN),
    ("birth date 1990/3/7", {"birth_date": "1990/3/7"}, "birth_date", BORN),
    ("birth date 1990.3.7", {"birth_date": "1990.3.7"}, "birth_date", BORN),
    ("birth date 19900307", {"birth_date": "19900307"}, "birth_date", BORN),
    ("birth date 19900307 as a number", {"birth_date": 19900307}, "birth_date", BORN),
    ("birth date 1990年3月7日", {"birth_date": "1990年3月7日"}, "birth_date", BORN),
    ("birth date full-width", {"birth_date": "１９９０年３月７日"}, "birth_date", BORN),
    ("birth date with a time", {"birth_date": "1990-03-07 00:00:00"}, "birth_date", BORN),
    ("birth date year and month only", {"birth_date": "1990年3月"}, "birth_date", BORN),
    ("birth date cell shown as year-month", {"birth_date": date(1990, 3, 1)}, "birth_date", BORN),
    ("birth date left empty", {"birth_date": None}, "birth_date", BORN),
    ("phone with +86 and dashes", {"phone": "+86 138-1234-5678"}, "phone", "13812345678"),
    ("phone with 86", {"phone": "8613812345678"}, "phone", "13812345678"),
    ("phone as a number", {"phone": 13812345678.0}, "phone", "13812345678"),
    ("phone full-width", {"phone": "１３８１２３４５６７８"}, "phone", "13812345678"),
    ("landline of Changchun", {"phone": "0431-88886666"}, "phone", "0431-88886666"),
    ("landline of Beijing in brackets", {"phone": "(010)12345678"}, "phone", "010-12345678"),
    ("education 中专", {"education": "中专"}, "education", "高中/中专"),
    ("education 大专", {"education": " 大专 "}, "education", "大专/高职"),
    ("level as 三级/高级工", {"level": "三级/高级工"}, "level", L.LEVEL_3),
    ("level as 高级工", {"level": "高级工"}, "level", L.LEVEL_3),
    ("level as 3.0", {"level": 3.0}, "level", L.LEVEL_3),
    ("level as text 3", {"level": "3"}, "level", L.LEVEL_3),
    ("level as 三级（高级工）", {"level": "三级（高级工）"}, "level", L.LEVEL_3),
    ("level as 三级高级工", {"level": "三级高级工"}, "level", L.LEVEL_3),
    ("level as 高级", {"level": "高级"}, "level", L.LEVEL_3),
    ("level as 3级", {"level": "３级"}, "level", L.LEVEL_3),
    ("years as 5年", {"years_in_occupation": "5年"}, "years_in_occupation", 5),
    ("years as 5.0", {"years_in_occupation": 5.0}, "years_in_occupation", 5),
    ("years as 十二年", {"years_in_occupation": "十二年"}, "years_in_occupation", 12),
    ("years as 五", {"years_in_occupation": "五"}, "years_in_occupation", 5),
    ("prior level as 5", {"prior_level": 5}, "prior_level", L.LEVEL_5),
    (
        "certificate date as text",
        {"prior_certificate_date": "2015.6.1"},
        "prior_certificate_date",
        date(2015, 6, 1),
    ),
    ("occupation by code only", {"occupation_name": None}, "occupation_code", ELECTRICIAN),
    ("occupation by name only", {"occupation_code": None}, "occupation_code", ELECTRICIAN),
    (
        "occupation code without dashes",
        {"occupation_code": "6310103", "occupation_name": None},
        "occupation_code",
        ELECTRICIAN,
    ),
    (
        "occupation with its work type in brackets",
        {"occupation_code": None, "occupation_name": "互联网营销师（直播销售员）"},
        "work_type",
        "直播销售员",
    ),
    ("work type repeating the occupation", {"work_type": "电工"}, "work_type", ""),
    (
        "work type of the occupation",
        {"occupation_code": MARKETER, "occupation_name": None, "work_type": " 直播销售员 "},
        "work_type",
        "直播销售员",
    ),
    (
        "student number as a number",
        {"student_number": 2022010001.0, "level": 3},
        "student_number",
        "2022010001",
    ),
    ("graduation year 2025届", {"graduation_year": "2025届"}, "graduation_year", 2025),
    ("graduation year as a number", {"graduation_year": 2025.0}, "graduation_year", 2025),
    ("graduation year as a date", {"graduation_year": date(2025, 6, 30)}, "graduation_year", 2025),
    (
        "employer keeps full-width brackets",
        {"employer": " 长春市（一汽）  车间 "},
        "employer",
        "长春市（一汽） 车间",
    ),
]


@pytest.mark.parametrize(
    ("overrides", "attribute", "expected"), [c[1:] for c in ACCEPTED], ids=[c[0] for c in ACCEPTED]
)
def test_unusual_input_is_normalised_and_accepted(tmp_path, overrides, attribute, expected):
    result = read_rows(tmp_path, [person(**overrides)])
    assert result.errors == [], [str(e) for e in result.errors]
    assert result.ok and result.total == 1 and result.rejected_rows == set()
    assert getattr(result.rows[0], attribute) == expected


def test_a_passport_skips_the_id_number_checks(tmp_path):
    row = person(id_type="护照", id_number="e1234567 8", sex="女", birth_date="1985-01-02")
    result = read_rows(tmp_path, [row])
    assert result.ok
    got = result.rows[0]
    assert (got.id_type, got.id_number, got.sex, got.birth_date) == (
        "passport",
        "E12345678",
        Sex.FEMALE,
        date(1985, 1, 2),
    )


def test_a_permit_with_a_birth_date_of_year_and_month_only_is_refused(tmp_path):
    row = person(id_type="港澳居民居住证", id_number="810000199003071234", birth_date="1990.3")
    error = only_error(read_rows(tmp_path, [row]))
    assert (error.column, "只有年月" in error.message) == (LETTER["birth_date"], True)


def test_rows_become_candidate_inputs(tmp_path):
    from jlexam.services.candidates import ID_TYPES as SERVICE_ID_TYPES
    from jlexam.services.candidates import CandidateInput

    assert ID_TYPES == SERVICE_ID_TYPES
    result = read_rows(
        tmp_path, [person(student_number="S1", major="电气自动化技术", graduation_year=2025, level=3)]
    )
    row = result.rows[0]
    item = CandidateInput(**row.candidate_fields())
    assert (item.name, item.id_number, item.birth_date, item.student_number) == ("张三", ID, BORN, "S1")
    assert row.is_student and row.level is L.LEVEL_3 and row.row == 2


# --- duplicates -----------------------------------------------------------------------------------------


def test_the_same_application_twice_rejects_the_second_naming_the_first(tmp_path):
    result = read_rows(tmp_path, [person(), person(1), person(id_number=ID.lower().replace("x", "X"))])
    error = only_error(result)
    assert (error.row, error.column) == (4, LETTER["id_number"])
    assert "与第2行重复：同一考生同一职业同一等级只能报名一次" in error.message
    assert [r.row for r in result.rows] == [2, 3]


def test_the_same_person_for_another_level_or_occupation_is_allowed(tmp_path):
    rows = [
        person(),
        person(level="三级", prior_level="四级"),
        person(occupation_code=WELDER, occupation_name="焊工"),
    ]
    result = read_rows(tmp_path, rows)
    assert result.ok and len(result.rows) == 3


def test_the_same_id_number_under_another_name_is_refused(tmp_path):
    result = read_rows(tmp_path, [person(), person(name="李四", level="三级")])
    error = only_error(result)
    assert (error.row, error.column) == (3, LETTER["id_number"])
    assert "与第2行的证件号码相同，但姓名不同（第2行为“张三”）" in error.message


def test_an_id_number_already_in_the_sitting_is_refused(tmp_path):
    asked: list[list[str]] = []

    def existing(numbers: list[str]) -> set[str]:
        asked.append(numbers)
        return {ID}

    rows = [person(id_number=ID.replace("", " ").strip()), person(1)]
    result = read_rows(tmp_path, rows, context(existing_id_indexes=existing))
    error = only_error(result)
    assert (error.row, error.column) == (2, LETTER["id_number"])
    assert "已在本批次报名" in error.message
    assert len(asked) == 1 and ID in asked[0] and all(" " not in n for n in asked[0])
    assert [r.row for r in result.rows] == [3]


# --- headers, sheets and layout -------------------------------------------------------------------------


def test_header_synonyms_and_decorations_are_recognised(tmp_path):
    headers = [
        "姓 名*",
        "性别（必填）",
        "身份证号",
        "联系电话",
        "学历",
        "单位",
        "职业名称",
        "报考等级",
        "从业年限",
    ]
    values = ["张三", "男", ID, "13812345678", "初中", "某公司", "电工", "五级", "3年"]
    path = write_table(tmp_path / "r.xlsx", [headers, values])
    result = read_roster(path, context())
    assert result.ok, [str(e) for e in result.errors]
    row = result.rows[0]
    assert (row.employer, row.occupation_code, row.level, row.years_in_occupation) == (
        "某公司",
        ELECTRICIAN,
        L.LEVEL_5,
        3,
    )
    assert result.columns["id_number"] == "C" and result.notices == []


@pytest.mark.parametrize(
    "header",
    [
        "身份证号",
        "身份证号码",
        "证件号",
        "证件号码",
        "公民身份号码",
        "*证件号码",
        "证件\n号码",
        "\u3000证件号码（18位）",
        "证件号码:",
    ],
)
def test_every_spelling_of_the_id_header(tmp_path, header):
    headers = [header if h == "*证件号码" else h for h in HEADERS]
    result = read_roster(write_roster(tmp_path / "r.xlsx", [person()], headers), context())
    assert result.ok and result.rows[0].id_number == ID


@pytest.mark.parametrize(
    ("missing", "synonym"),
    [("*手机号码", "联系电话"), ("*证件号码", "公民身份号码"), ("*申报等级", "报考等级")],
)
def test_a_missing_required_column_names_it_and_its_synonyms(tmp_path, missing, synonym):
    headers = ["备用" if h == missing else h for h in HEADERS]
    path = write_roster(tmp_path / "名单.xlsx", [person()], headers)
    with pytest.raises(ValidationError) as caught:
        read_roster(path, context())
    message = caught.value.message
    assert f"缺少必填列“{missing.lstrip('*')}”" in message and synonym in message and "名单.xlsx" in message


def test_a_missing_occupation_column_asks_for_the_code_or_the_name(tmp_path):
    headers = [f"x{i}" if h in ("*职业编码", "职业名称") else h for i, h in enumerate(HEADERS)]
    with pytest.raises(ValidationError, match="缺少必填列“职业编码”或“职业名称”"):
        read_roster(write_roster(tmp_path / "r.xlsx", [person()], headers), context())


def test_a_column_twice_is_a_file_error(tmp_path):
    headers = [*HEADERS, "身份证号"]
    path = write_table(tmp_path / "r.xlsx", [headers, [person()[k] for k in KEYS] + [ID]])
    with pytest.raises(ValidationError, match="出现了两次"):
        read_roster(path, context())


def test_unknown_columns_are_ignored_with_a_notice(tmp_path):
    headers = ["序号", *HEADERS, "籍贯", "备注"]
    table = [headers, [1, *(person()[k] for k in KEYS), "吉林", "无"]]
    result = read_roster(write_table(tmp_path / "r.xlsx", table), context())
    assert result.ok
    assert result.columns["name"] == "B"
    assert len(result.notices) == 1
    assert f"{column_letter(len(HEADERS) + 1)}列“籍贯”" in result.notices[0]
    assert "序号" not in result.notices[0] and "备注" not in result.notices[0]


def test_a_title_above_the_header_is_skipped(tmp_path):
    table = [
        ["2025年第一批职业技能等级认定报名名单"],
        [],
        HEADERS,
        [person()[k] for k in KEYS],
        [person(1, phone="1")[k] for k in KEYS],
    ]
    result = read_roster(write_table(tmp_path / "r.xlsx", table), context())
    assert result.header_row == 3 and result.total == 2
    assert any("表头在第3行" in n for n in result.notices)
    error = only_error(result)
    assert (error.row, error.column) == (5, LETTER["phone"])


def test_merged_header_cells_over_two_header_rows(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "报名名单"
    sheet["A1"] = "报名名单"
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    id_type, id_number = KEYS.index("id_type") + 1, KEYS.index("id_number") + 1
    for index, header in enumerate(HEADERS, start=1):
        if index == id_type:
            sheet.cell(row=2, column=index, value="证件信息")
            sheet.merge_cells(start_row=2, start_column=id_type, end_row=2, end_column=id_number)
        elif index != id_number:
            sheet.cell(row=2, column=index, value=header)
            sheet.merge_cells(start_row=2, start_column=index, end_row=3, end_column=index)
    sheet.cell(row=3, column=id_type, value="证件类型")
    sheet.cell(row=3, column=id_number, value="证件号码")
    for i in range(2):
        for index, key in enumerate(KEYS, start=1):
            sheet.cell(row=4 + i, column=index, value=person(i)[key])
    book.save(tmp_path / "r.xlsx")
    result = read_roster(tmp_path / "r.xlsx", context())
    assert result.ok, [str(e) for e in result.errors]
    assert result.header_row == 3 and [r.row for r in result.rows] == [4, 5]
    assert result.headers[id_type - 1 : id_number] == ["证件类型", "证件号码"]


def test_merged_data_cells_fill_every_row_they_cover(tmp_path):
    path = write_roster(tmp_path / "r.xlsx", [person(0), person(1, employer=None), person(2, employer=None)])
    book = openpyxl.load_workbook(path)
    column = LETTER["employer"]
    book.active.merge_cells(f"{column}2:{column}4")
    book.save(path)
    result = read_roster(path, context())
    assert result.ok
    assert {r.employer for r in result.rows} == {"长春市宏达机械有限公司"}
    assert any("合并单元格" in n for n in result.notices)


def test_rows_after_blank_rows_are_read(tmp_path):
    table = [
        HEADERS,
        [person(0)[k] for k in KEYS],
        [],
        [None, " ", "\u3000"],
        [person(1, level="特级")[k] for k in KEYS],
    ]
    result = read_roster(write_table(tmp_path / "r.xlsx", table), context())
    assert result.total == 2 and [r.row for r in result.rows] == [2]
    error = only_error(result)
    assert (error.row, error.column) == (5, LETTER["level"])
    assert any("跳过了名单中间的 2 个空行" in n for n in result.notices)


def test_the_first_sheet_with_a_header_is_read(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["请按要求填写"])
    data = book.create_sheet("Sheet2")
    data.append(HEADERS)
    data.append([person()[k] for k in KEYS])
    book.save(tmp_path / "r.xlsx")
    result = read_roster(tmp_path / "r.xlsx", context())
    assert result.sheet == "Sheet2" and result.ok


def test_the_sheet_named_roster_is_preferred(tmp_path):
    book = openpyxl.Workbook()
    first = book.active
    first.title = "上次名单"
    first.append(HEADERS)
    first.append([person(5, phone="1")[k] for k in KEYS])
    roster = book.create_sheet("报名名单")
    roster.append(HEADERS)
    roster.append([person()[k] for k in KEYS])
    book.save(tmp_path / "r.xlsx")
    result = read_roster(tmp_path / "r.xlsx", context())
    assert result.sheet == "报名名单" and result.ok


# --- file-level problems --------------------------------------------------------------------------------


def _valid_bytes(tmp_path: Path) -> bytes:
    return write_roster(tmp_path / "valid.xlsx", [person()]).read_bytes()


def _ole(*streams: str) -> bytes:
    # A compound file header followed by directory entry names, which are UTF-16.
    return bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504 + b"".join(s.encode("utf-16-le") for s in streams)


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


FILE_PROBLEMS = [
    ("empty file", lambda tmp: b"", "是空的"),
    ("random bytes", lambda tmp: bytes(range(256)) * 20, "不是 Excel 工作簿，或已经损坏"),
    ("truncated xlsx", lambda tmp: _valid_bytes(tmp)[:3000], "已损坏（压缩包不完整"),
    ("csv renamed", lambda tmp: "姓名,证件号码\n张三,220102199003071234\n".encode(), "是文本文件（如 CSV）"),
    ("csv in GBK renamed", lambda tmp: "姓名,证件号码\n张三,1\n".encode("gbk"), "是文本文件（如 CSV）"),
    ("html renamed", lambda tmp: b"<html><body><table><tr><td>x</td></tr></table></body></html>", "网页"),
    ("xls renamed", lambda tmp: _ole("Root Entry", "Workbook"), "旧版 Excel 97-2003"),
    (
        "password-protected",
        lambda tmp: _ole("Root Entry", "EncryptionInfo", "EncryptedPackage"),
        "设置了打开密码",
    ),
    ("word document renamed", lambda tmp: _docx(), "是Word 文档"),
]


@pytest.mark.parametrize(
    ("make", "expected"), [p[1:] for p in FILE_PROBLEMS], ids=[p[0] for p in FILE_PROBLEMS]
)
def test_file_level_problems_raise_a_chinese_message_naming_the_file(tmp_path, make, expected):
    path = tmp_path / "报名表.xlsx"
    path.write_bytes(make(tmp_path))
    with pytest.raises(ValidationError) as caught:
        read_roster(path, context())
    assert expected in caught.value.message
    assert "报名表.xlsx" in caught.value.message


def test_a_workbook_without_cells_is_empty(tmp_path):
    openpyxl.Workbook().save(tmp_path / "r.xlsx")
    with pytest.raises(ValidationError, match="是空的：工作表中没有任何内容"):
        read_roster(tmp_path / "r.xlsx", context())


def test_a_sheet_without_a_header_row(tmp_path):
    path = write_table(tmp_path / "r.xlsx", [["张三", "男", ID], ["李四", "女", ID]])
    with pytest.raises(ValidationError, match="找不到报名名单的表头"):
        read_roster(path, context())


def test_a_sheet_with_only_headers(tmp_path):
    path = write_table(tmp_path / "r.xlsx", [HEADERS, [], [None] * 3])
    with pytest.raises(ValidationError, match="只有表头，没有考生数据：请从第2行起"):
        read_roster(path, context())


def test_a_missing_file(tmp_path):
    with pytest.raises(ValidationError, match="找不到文件"):
        read_roster(tmp_path / "nope.xlsx", context())


# --- dates as a property --------------------------------------------------------------------------------

# Serial numbers 1900-2100 (days of 1905) are read as a bare year, which no roster date is.
dates = st.dates(min_value=date(1906, 1, 1), max_value=date(2099, 12, 31))


@given(dates)
def test_every_written_form_of_a_date_reads_back(day):
    forms = [
        day,
        datetime(day.year, day.month, day.day, 13, 5),
        (day - date(1899, 12, 30)).days,
        float((day - date(1899, 12, 30)).days) + 0.25,
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}.{day.month}.{day.day}",
        f"{day:%Y%m%d}",
        f"{day.year}年{day.month}月{day.day}日",
        f" {day.year} 年 {day.month:02d} 月 {day.day} 日 ",
    ]
    for form in forms:
        assert parse_date_cell(form) == (day, False), form


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 51, 701, 702)] == ["A", "Z", "AA", "AZ", "ZZ", "AAA"]
    assert all(column_index(column_letter(i)) == i for i in range(800))


# --- the errors workbook --------------------------------------------------------------------------------


def _errors_case(tmp_path: Path) -> tuple[Path, RosterResult]:
    rows = [
        person(0),
        person(1, id_number=2.20102199003071e17, phone="12345"),
        person(2),
        person(3, sex="女", level="特级"),
    ]
    source = write_roster(tmp_path / "名单.xlsx", rows)
    return source, read_roster(source, context())


def test_the_errors_workbook_marks_each_bad_cell(tmp_path):
    source, result = _errors_case(tmp_path)
    assert result.rejected_rows == {3, 5} and len(result.rows) == 2
    out = tmp_path / "错误名单.xlsx"
    write_errors_workbook(out, source, result)
    assert not list(tmp_path.glob(".*partial"))
    sheet = openpyxl.load_workbook(out).active
    assert sheet.title == "报名名单"
    header = [c.value for c in sheet[1]]
    assert header == [*HEADERS, ERRORS_HEADER]
    assert sheet.max_row == 3
    id_cell = sheet[f"{LETTER['id_number']}2"]
    assert id_cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert "末几位已丢失" in id_cell.comment.text
    phone_cell = sheet[f"{LETTER['phone']}2"]
    assert phone_cell.value == "12345" and "不正确" in phone_cell.comment.text
    name_cell = sheet[f"{LETTER['name']}2"]
    assert name_cell.comment is None and name_cell.fill.fill_type is None
    explain = sheet.cell(row=2, column=len(HEADERS) + 1).value
    assert explain.startswith("原第3行：")
    assert f"{LETTER['id_number']}列（*证件号码）：证件号码被 Excel 存成了数字" in explain
    assert f"{LETTER['phone']}列（*手机号码）" in explain
    third = sheet.cell(row=3, column=len(HEADERS) + 1).value
    assert third.startswith("原第5行：") and "性别与证件号码不一致" in third and "特级" in third
    assert sheet[f"{LETTER['sex']}3"].fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet[f"{LETTER['birth_date']}3"].value == datetime.combine(
        BORN + timedelta(days=3), datetime.min.time()
    )
    assert sheet.freeze_panes == "A2"


def test_a_corrected_errors_workbook_imports_cleanly(tmp_path):
    source, result = _errors_case(tmp_path)
    out = tmp_path / "错误名单.xlsx"
    write_errors_workbook(out, source, result)
    book = openpyxl.load_workbook(out)
    sheet = book.active
    sheet[f"{LETTER['id_number']}2"] = person(1)["id_number"]
    sheet[f"{LETTER['phone']}2"] = "13912345678"
    sheet[f"{LETTER['sex']}3"] = "男"
    sheet[f"{LETTER['level']}3"] = "四级"
    book.save(out)
    again = read_roster(out, context())
    assert again.ok, [str(e) for e in again.errors]
    assert again.notices == []  # the 错误说明 column is ignored silently
    assert [r.id_number for r in again.rows] == [person(1)["id_number"], person(3)["id_number"]]


# --- the template ---------------------------------------------------------------------------------------


def test_the_template_has_headers_lists_and_text_columns(tmp_path):
    path = tmp_path / "模板.xlsx"
    write_template(path, OCCUPATIONS)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["报名名单", "填写说明", "职业目录"]
    sheet = book["报名名单"]
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet["A1"].value == "*姓名" and sheet[f"{LETTER['birth_date']}1"].value == "出生日期"
    assert sheet.freeze_panes == "A2"
    assert sheet[f"{LETTER['id_number']}1"].comment is not None
    for key in ("id_number", "phone", "student_number"):
        assert sheet.column_dimensions[LETTER[key]].number_format == "@"
    assert sheet.column_dimensions[LETTER["id_number"]].width >= 20
    lists = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    for key in ("sex", "id_type", "education", "level", "occupation_code", "occupation_name"):
        assert f"{LETTER[key]}2:{LETTER[key]}10001" in lists, key
    assert lists[f"{LETTER['sex']}2:{LETTER['sex']}10001"].formula1 == '"男,女"'
    assert "三级/高级工" in lists[f"{LETTER['level']}2:{LETTER['level']}10001"].formula1
    assert "护照" in lists[f"{LETTER['id_type']}2:{LETTER['id_type']}10001"].formula1
    assert "职业目录" in lists[f"{LETTER['occupation_name']}2:{LETTER['occupation_name']}10001"].formula1
    catalogue = book["职业目录"]
    assert catalogue.max_row == len(OCCUPATIONS) + 1
    assert [c.value for c in catalogue[2]][:2] == [OCCUPATIONS[0].code, OCCUPATIONS[0].name]
    guide = book["填写说明"]
    example = next(c for row in guide.iter_rows() for c in row if c.value == "张三")
    assert example.font.i and example.font.color.rgb.endswith("808080")
    assert any("带 * 的列必须填写" in str(c.value) for row in guide.iter_rows() for c in row)


def test_the_guide_example_row_itself_is_valid(tmp_path):
    path = tmp_path / "模板.xlsx"
    write_template(path, OCCUPATIONS)
    guide = openpyxl.load_workbook(path)["填写说明"]
    rows = [[c.value for c in row] for row in guide.iter_rows()]
    at = next(i for i, row in enumerate(rows) if row[0] == "*姓名" and row[1] == "*性别")
    copy = write_table(tmp_path / "example.xlsx", [rows[at], rows[at + 1]])
    ctx = context(scope={(o.code, "", lv) for o in OCCUPATIONS for lv in o.levels})
    assert read_roster(copy, ctx).ok


def test_the_guide_sheet_is_never_read_as_the_roster(tmp_path):
    path = tmp_path / "模板.xlsx"
    write_template(path, OCCUPATIONS)
    book = openpyxl.load_workbook(path)
    del book["报名名单"]
    book.save(path)
    with pytest.raises(ValidationError, match="找不到报名名单的表头"):
        read_roster(path, context())


def test_a_filled_template_reads_back_without_errors(tmp_path):
    path = tmp_path / "模板.xlsx"
    write_template(path, OCCUPATIONS)
    book = openpyxl.load_workbook(path)
    sheet = book["报名名单"]
    rows = [
        person(0),
        person(1, id_type=None, birth_date="1990/3/8", level="四级", prior_certificate_date="2015年6月1日"),
        person(2, id_type="护照", id_number="E7654321", sex="女", birth_date=None),
        person(
            3,
            occupation_code=MARKETER,
            occupation_name="互联网营销师",
            work_type="直播销售员",
            level="三级/高级工",
        ),
        person(
            4, student_number="2022010001", level="三级/高级工", major="电气自动化技术", graduation_year=2025
        ),
    ]
    for r, row in enumerate(rows, start=2):
        for c, key in enumerate(KEYS, start=1):
            sheet.cell(row=r, column=c, value=row[key])
    book.save(path)
    result = read_roster(path, context())
    assert result.ok, [str(e) for e in result.errors]
    assert result.sheet == "报名名单" and result.notices == [] and result.total == 5
    assert [r.work_type for r in result.rows] == ["", "", "", "直播销售员", ""]
    assert result.rows[2].id_type == "passport" and result.rows[4].is_student


def test_demo_people_read_back_without_errors(tmp_path):
    names = {o.code: o.name for o in OCCUPATIONS}
    people = make_people(200, 7, [(o.code, o.levels) for o in OCCUPATIONS], TODAY)
    rows = [
        {
            "name": p.name,
            "sex": p.sex.label,
            "id_number": p.id_number,
            "birth_date": p.birth_date,
            "phone": p.phone,
            "education": p.education,
            "employer": p.employer,
            "occupation_code": p.occupation_code,
            "occupation_name": names[p.occupation_code],
            "level": p.level.written,
            "years_in_occupation": p.years_in_occupation,
            "prior_level": p.prior_level.written if p.prior_level else None,
            "prior_certificate_date": p.prior_certificate_date,
            "student_number": p.student_number,
            "major": p.major,
            "graduation_year": p.graduation_year,
        }
        for p in people
    ]
    ctx = context(scope={(o.code, "", lv) for o in OCCUPATIONS for lv in o.levels})
    result = read_rows(tmp_path, rows, ctx)
    assert result.ok, [str(e) for e in result.errors[:5]]
    assert [r.id_number for r in result.rows] == [p.id_number for p in people]
