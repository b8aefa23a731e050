"""The roster workbook (报名名单): the template handed out, reading with full validation, the errors workbook.

Pure exchange code: no database. :func:`read_roster` turns an xlsx file into :class:`RosterRow` values and
:class:`CellError` values, one per bad cell, each with a Chinese message that says what is wrong and how to
fix it; a row with any error is rejected whole, so the import that follows (one transaction, in the
services) never writes half a person. :func:`write_errors_workbook` gives the rejected rows back with each
bad cell marked, so that the office can correct them and import that file again.

Headers are recognised by name after normalising (spaces of every kind, ``*``, anything in brackets such as
``（必填）``), with the usual synonyms (``身份证号``, ``联系电话``, ``报考等级`` ...). Cell values are
normalised before they are checked: full-width digits and letters, stray spaces (U+3000, NBSP, zero-width),
lower-case ``x`` in ID numbers; dates in every common form (Excel dates, serial numbers, ``2003-05-01``,
``2003/5/1``, ``2003.5.1``, ``20030501``, ``2003年5月1日``).

Duplicates (RULES.md "Registration and eligibility", GLOSSARY "application"): an application is one
occupation and level of one candidate in one sitting, so the same ID number twice for the same occupation and
level is a duplicate and the later row is rejected naming the first; the same person for another level or
another occupation is a second application and allowed, provided the rows agree on who the person is (the
same name). An ID number already registered in the sitting (``RosterContext.existing_id_indexes``) is
rejected: a change of an existing application is made in the application, not by importing it again.

Reading uses python-calamine (whole numbers come back as float, date-formatted cells as ``date``); writing
uses openpyxl, imported only when a workbook is written.
"""

from __future__ import annotations

import codecs
import difflib
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import python_calamine

from jlexam.domain.idcard import Sex, build_id_number, parse_id_number, parse_sex
from jlexam.domain.levels import UNIVERSITY_MAX_LEVEL, SkillLevel, parse_level
from jlexam.errors import ValidationError
from jlexam.exchange.catalogue import Occupation
from jlexam.exchange.files import read_user_file
from jlexam.fileio import atomic_path

ROSTER_SHEET = "报名名单"
GUIDE_SHEET = "填写说明"
CATALOGUE_SHEET = "职业目录"
ERRORS_HEADER = "错误说明"

# Mirrors jlexam.services.candidates.ID_TYPES (exchange may not import services; a test keeps them equal).
RESIDENT_ID = "resident_id"
ID_TYPES: dict[str, str] = {
    RESIDENT_ID: "居民身份证",
    "passport": "护照",
    "hk_macao_permit": "港澳居民居住证",
    "taiwan_permit": "台湾居民居住证",
}

# The education levels a roster records; the eligibility conditions speak of these (RULES.md).
EDUCATIONS: tuple[str, ...] = ("小学", "初中", "高中/中专", "技工院校", "大专/高职", "本科", "研究生")

TEMPLATE_ROWS = 10_000  # rows of the template that carry the drop-down lists
HEADER_SCAN_ROWS = 30  # a header row is looked for in the first rows of a sheet
MIN_HEADER_MATCHES = 3
MAX_YEARS_IN_OCCUPATION = 50
NAME_MIN, NAME_MAX = 2, 30
EARLIEST_DATE = date(1900, 1, 1)
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01 counting Excel's phantom 1900-02-29
_MAX_SERIAL = 2_958_465  # 9999-12-31


# --- columns --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RosterColumn:
    key: str  # English name used in code
    header: str  # the template's Chinese header
    required: bool
    synonyms: tuple[str, ...]
    width: float
    hint: str


# key, header, required, width; the occupation is required as its code or its name (see REQUIRED_KEYS).
_COLUMN_TABLE: tuple[tuple[str, str, bool, float], ...] = (
    ("name", "姓名", True, 10),
    ("sex", "性别", True, 6),
    ("id_type", "证件类型", False, 14),
    ("id_number", "证件号码", True, 22),
    ("birth_date", "出生日期", False, 12),
    ("phone", "手机号码", True, 14),
    ("education", "文化程度", True, 12),
    ("employer", "工作单位/班级", False, 28),
    ("occupation_code", "职业编码", True, 12),
    ("occupation_name", "职业名称", False, 16),
    ("work_type", "工种", False, 14),
    ("level", "申报等级", True, 14),
    ("years_in_occupation", "从事本职业年限", False, 10),
    ("prior_level", "现有证书等级", False, 14),
    ("prior_certificate_date", "现有证书取得日期", False, 14),
    ("professional_title", "专业技术职称", False, 14),
    ("student_number", "学号", False, 14),
    ("major", "专业", False, 18),
    ("graduation_year", "毕业年份", False, 10),
)
# Other headers people write for each column, separated by spaces (compared after normalising: no spaces,
# no "*", no bracketed remarks, half-width, lower case).
_SYNONYMS: dict[str, str] = {
    "name": "考生姓名 学生姓名 参评人员姓名 申报人姓名 名字",
    "id_type": "证件种类 证件名称",
    "id_number": "身份证号 身份证号码 证件号 公民身份号码 身份证 身份证件号码 居民身份证号码 公民身份证号码 证件编号 证件号码/身份证号",
    "birth_date": "出生年月 出生年月日 生日",
    "phone": "手机 手机号 联系电话 电话 联系方式 电话号码 移动电话 手机号码/电话 本人手机号码",
    "education": "学历 最高学历 文化水平",
    "employer": "工作单位 单位 所在单位 班级 单位名称 所在班级 单位/班级 工作单位或班级 院系班级 工作单位/学校班级",
    "occupation_code": "职业代码 职业编号",
    "occupation_name": "职业 申报职业 报考职业 申报职业名称 报考职业名称",
    "work_type": "工种名称 申报工种 报考工种 工种/方向 职业方向",
    "level": "报考等级 申报级别 等级 级别 报考级别 申报技能等级 技能等级 认定等级",
    "years_in_occupation": "从事本职业工作年限 本职业工作年限 工作年限 从业年限 本职业年限 从事本工种年限",
    "prior_level": "原证书等级 已取得证书等级 现持证书等级 原等级 已有证书等级 现有等级 原职业资格等级",
    "prior_certificate_date": "原证书取得日期 取证日期 原证书发证日期 证书取得日期 取证时间 证书取得时间 现有证书取得时间 现有证书发证日期",
    "professional_title": "职称 专业技术职务 专业技术资格",
    "student_number": "学籍号",
    "major": "所学专业 专业名称",
    "graduation_year": "毕业时间 毕业年度 预计毕业年份 毕业年月 毕业届别",
}
# What each column takes: the template's header notes and the sheet 填写说明.
_HINTS: dict[str, str] = {
    "name": "2至30个字，不能含数字；少数民族姓名的间隔号写“·”；生僻字请用标准汉字（如“𠇔”），不要用造字。",
    "sex": "男或女。",
    "id_type": "居民身份证、护照、港澳居民居住证或台湾居民居住证；不填即为居民身份证。",
    "id_number": "18位居民身份证号码，末位X大小写均可。本列须为文本格式，否则 Excel 会把号码变成 2.2E+17 并丢失末几位。",
    "birth_date": "可不填；填写时须与身份证号码一致。可写作 2003-05-01、2003/5/1、2003.5.1、20030501 或 2003年5月1日。",
    "phone": "11位手机号码（可带+86），或带区号的固定电话（如 0431-88886666）。",
    "education": "、".join(EDUCATIONS) + "之一。",
    "employer": "在职人员填工作单位全称，在校学生填班级。",
    "occupation_code": "形如 6-31-01-03，见“职业目录”表；职业编码和职业名称至少填一项，都填时须一致。",
    "occupation_name": "见“职业目录”表；职业编码和职业名称至少填一项。",
    "work_type": "职业分工种时填写，见“职业目录”表；不分工种的职业留空。",
    "level": "五级/初级工、四级/中级工、三级/高级工、二级/技师、一级/高级技师，也可写 1-5、“三级”或“高级工”；在校学生最高三级/高级工。",
    "years_in_occupation": "0至50的整数年，如 5 或“5年”。",
    "prior_level": "已取得的本职业（工种）证书等级，没有则留空。",
    "prior_certificate_date": "现有证书的发证日期：不能晚于今天，不能早于16周岁生日。",
    "professional_title": "如 助理工程师、工程师；没有则留空。",
    "student_number": "在校学生填写；填了学号即按在校学生审核（最高三级/高级工）。",
    "major": "所学（毕业）专业。",
    "graduation_year": "四位年份，如 2025。",
}
COLUMNS: tuple[RosterColumn, ...] = tuple(
    RosterColumn(key, header, required, tuple(_SYNONYMS.get(key, "").split()), width, _HINTS[key])
    for key, header, required, width in _COLUMN_TABLE
)
COLUMN_BY_KEY: dict[str, RosterColumn] = {c.key: c for c in COLUMNS}
OCCUPATION_KEYS = ("occupation_code", "occupation_name")
# Required columns; the occupation is required as either its code or its name.
REQUIRED_KEYS = tuple(c.key for c in COLUMNS if c.required and c.key not in OCCUPATION_KEYS)
_TEXT_KEYS = ("id_number", "phone", "student_number")  # text format in the template and errors workbook
_DATE_KEYS = ("birth_date", "prior_certificate_date")
# Columns of a workbook that are ignored without a notice (a row number, remarks, our own error column).
_SILENT_HEADERS = frozenset({"序号", "编号", "序", "no", "no.", "备注", "说明", ERRORS_HEADER, "原行号"})


# --- text clean-up --------------------------------------------------------------------------------------

# Full-width ASCII U+FF01..U+FF5E onto U+0021..U+007E; ideographic space and NBSP onto a plain space;
# zero-width characters and the BOM removed.
_HALF = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_HALF.update({0x3000: 0x20, 0xA0: 0x20, 0x2007: 0x20, 0x202F: 0x20})
_HALF.update(dict.fromkeys((0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD)))
_NO_ZERO_WIDTH = dict.fromkeys((0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD))
_SPACES = re.compile(r"\s+")
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】|<[^>]*>|〔[^〕]*〕")
_DASHES = str.maketrans({"—": "-", "–": "-", "－": "-", "‐": "-", "‑": "-", "−": "-", "_": "-"})


def _half(text: str) -> str:
    """Half-width, single spaces, no zero-width characters, stripped."""
    return _SPACES.sub(" ", text.translate(_HALF)).strip()


def _compact(text: str) -> str:
    """Half-width without any space."""
    return _SPACES.sub("", text.translate(_HALF))


def _plain(text: str) -> str:
    """Free text (employer, major): spaces normalised, full-width characters kept as written."""
    return _SPACES.sub(" ", text.translate(_NO_ZERO_WIDTH)).strip()


def _header_key(text: object) -> str:
    """A header as compared: half-width, no spaces, no ``*``, no bracketed remarks, lower case."""
    s = _compact(str(text)).replace("*", "").replace("※", "")
    s = _BRACKETED.sub("", s)
    return s.strip(":：").lower()


def _build_header_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for column in COLUMNS:
        for word in (column.header, *column.synonyms):
            normalised = _header_key(word)
            if keys.get(normalised, column.key) != column.key:
                raise AssertionError(f"header synonym {word!r} names two columns")
            keys[normalised] = column.key
    return keys


_HEADER_KEYS = _build_header_keys()


def _is_blank(value: object) -> bool:
    if value == "" or value is None:
        return True
    return isinstance(value, str) and not _compact(value)


def _shown(value: object) -> str:
    """A cell value as the errors show it."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ") if value.time() != time() else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _text(value: object) -> str:
    """A cell as text: whole floats without ``.0``."""
    if isinstance(value, str):
        return value
    return _shown(value)


def column_letter(index: int) -> str:
    """Excel column letter of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letter: str) -> int:
    """0-based index of an Excel column letter."""
    index = 0
    for char in letter:
        index = index * 26 + ord(char) - 64
    return index - 1


# --- values ---------------------------------------------------------------------------------------------


class _Bad(ValidationError):
    """One cell problem; the message is complete Chinese and the cell is named by the CellError around it."""


_DATE_FORMS = "2003-05-01、2003/5/1、2003.5.1、20030501 或 2003年5月1日"
_YMD = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_YMD8 = re.compile(r"(\d{4})(\d{2})(\d{2})")
_YM = re.compile(r"(\d{4})[-/.年](\d{1,2})月?")
_TIME_SUFFIX = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_SERIAL_TEXT = re.compile(r"\d{5}(\.\d+)?")
_SCIENTIFIC = re.compile(r"\d(\.\d+)?e\+?\d+", re.IGNORECASE)
_YEAR_TEXT = re.compile(r"(\d{4})(?:年|届)?(?:[-/.年]\d{1,2}月?(?:[-/.月]\d{1,2}日?)?)?")
_WHOLE_NUMBER_TEXT = re.compile(r"(\d+)(?:\.0+)?")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{9,11}")
_OCCUPATION_CODE = re.compile(r"\d-\d{2}-\d{2}-\d{2}")
_OCCUPATION_CODE_DIGITS = re.compile(r"\d{7}")
_OCCUPATION_WITH_WORK_TYPE = re.compile(r"(.+?)\((.+)\)")
_OTHER_ID = re.compile(r"[A-Z0-9()\-]{4,30}")
_LEVEL_RUN_TOGETHER = re.compile(r"([一二三四五12345]级)(.+)")
_LEVEL_NUMBER_TEXT = re.compile(r"[1-5](?:\.0+)?")
_SPACED_DOT = re.compile(r"\s*·\s*")
_MIDDLE_DOTS = str.maketrans(dict.fromkeys("•・‧∙⋅．.。﹒·", "·"))


def _from_calendar(year: int, month: int, day: int, text: object) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise _Bad(f"日期“{_shown(text)}”不存在（{year}年{month}月{day}日），请核对。") from None


def _from_serial(value: float) -> date:
    whole = int(value)
    if 1900 <= whole <= 2100 and float(whole) == value:
        raise _Bad(f"“{whole}”只有年份，请填写完整的年月日，如 {whole}-05-01。")
    if 19000101 <= whole <= 29991231:  # 20030501 typed as a number
        return _from_calendar(whole // 10000, whole // 100 % 100, whole % 100, value)
    if not 1 <= whole <= _MAX_SERIAL:
        raise _Bad(f"日期“{_shown(value)}”无法识别：请填写 {_DATE_FORMS}，或使用 Excel 的日期格式。")
    if whole == 60:  # Excel's 1900-02-29, a day that never was
        raise _Bad("日期“1900-02-29”不存在，请核对。")
    return _EXCEL_EPOCH + timedelta(days=whole if whole > 60 else whole + 1)


def parse_date_cell(value: object) -> tuple[date, bool]:
    """A date from any common form; the flag is True when only the year and month were given."""
    if isinstance(value, datetime):
        return value.date(), False
    if isinstance(value, date):
        return value, False
    if isinstance(value, bool | time | timedelta):
        raise _Bad(f"“{_shown(value)}”不是日期：请填写 {_DATE_FORMS}。")
    if isinstance(value, int | float):
        return _from_serial(float(value)), False
    text = _TIME_SUFFIX.sub("", _half(str(value)))
    text = _SPACES.sub("", text)
    if match := _YMD.fullmatch(text) or _YMD8.fullmatch(text):
        return _from_calendar(int(match[1]), int(match[2]), int(match[3]), value), False
    if match := _YM.fullmatch(text):
        return _from_calendar(int(match[1]), int(match[2]), 1, value), True
    if _SERIAL_TEXT.fullmatch(text):  # a date column turned into text shows the serial number
        return _from_serial(float(text)), False
    raise _Bad(
        f"日期“{_shown(value)}”无法识别：请填写 {_DATE_FORMS}，或使用 Excel 的日期格式（年份须为4位）。"
    )


def _checked_date(value: object, today: date, what: str) -> tuple[date, bool]:
    day, partial = parse_date_cell(value)
    if day < EARLIEST_DATE:
        raise _Bad(f"{what} {day.isoformat()} 早于1900年，请核对。")
    if day > today:
        raise _Bad(f"{what} {day.isoformat()} 晚于今天（{today.isoformat()}），日期不能在将来，请核对。")
    return day, partial


_CHINESE_DIGITS = {char: n for n, char in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}


def _chinese_number(text: str) -> int | None:
    """一 to 九十九 (五, 十五, 二十, 二十五); None for anything else."""
    if text and all(char in _CHINESE_DIGITS for char in text) and len(text) == 1:
        return _CHINESE_DIGITS[text]
    tens, sep, units = text.partition("十")
    if not sep or len(tens) > 1 or len(units) > 1:
        return None
    if (tens and tens not in _CHINESE_DIGITS) or (units and units not in _CHINESE_DIGITS):
        return None
    return (_CHINESE_DIGITS[tens] if tens else 1) * 10 + (_CHINESE_DIGITS[units] if units else 0)


def parse_years(value: object) -> int:
    """Whole years in the occupation: 5, 5.0, "5", "5年", "五年"; 0 to 50."""
    if isinstance(value, bool | date | time | timedelta):
        raise _Bad(f"从事本职业年限“{_shown(value)}”应为整数年，如 5。")
    if isinstance(value, int | float):
        if not float(value).is_integer():
            raise _Bad(f"从事本职业年限“{_shown(value)}”不是整数：请填写整年数，不足一年的舍去，如 5。")
        years = int(value)
    else:
        text = _compact(str(value)).removesuffix("年").removesuffix("周年")
        if match := _WHOLE_NUMBER_TEXT.fullmatch(text):
            years = int(match[1])
        elif (number := _chinese_number(text)) is not None:
            years = number
        else:
            raise _Bad(f"从事本职业年限“{_shown(value)}”无法识别：请填写整年数，如 5 或“5年”。")
    if not 0 <= years <= MAX_YEARS_IN_OCCUPATION:
        raise _Bad(f"从事本职业年限 {years} 不在 0 至 {MAX_YEARS_IN_OCCUPATION} 年之间，请核对。")
    return years


def parse_graduation_year(value: object, today: date) -> int:
    if isinstance(value, date):
        year = value.year
    elif isinstance(value, bool | time | timedelta):
        raise _Bad(f"毕业年份“{_shown(value)}”应为四位年份，如 2025。")
    elif isinstance(value, int | float):
        if not float(value).is_integer():
            raise _Bad(f"毕业年份“{_shown(value)}”应为四位年份，如 2025。")
        year = int(value)
    else:
        match = _YEAR_TEXT.fullmatch(_compact(str(value)))
        if not match:
            raise _Bad(f"毕业年份“{_shown(value)}”无法识别：请填写四位年份，如 2025。")
        year = int(match[1])
    if not 1950 <= year <= today.year + 6:
        raise _Bad(f"毕业年份 {year} 不合理：应在 1950 至 {today.year + 6} 年之间，请核对。")
    return year


def parse_phone(value: object) -> str:
    """A mainland mobile number (11 digits) or a landline with its area code (``0431-88886666``)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _Bad(f"手机号码“{_shown(value)}”不正确：请填写11位手机号码。")
    text = _compact(_text(value)).translate(_DASHES)
    digits = "".join(char for char in text if char not in "-()")
    if digits.startswith("+"):
        digits = digits[1:]
    if digits.startswith("0086") and len(digits) == 15:
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if _MOBILE.fullmatch(digits):
        return digits
    if _LANDLINE.fullmatch(digits):
        area = 3 if digits.startswith(("010", "02")) else 4
        if len(digits) - area in (7, 8) and not (area == 3 and len(digits) - area == 7):
            return f"{digits[:area]}-{digits[area:]}"
    if digits.isdigit() and 7 <= len(digits) <= 8:
        raise _Bad(f"电话“{_shown(value)}”缺少区号：固定电话请带区号，如 0431-88886666；最好填写手机号码。")
    raise _Bad(
        f"手机号码“{_shown(value)}”不正确：手机号码应为以1开头的11位数字（可带+86），"
        "固定电话须带区号，如 0431-88886666；只填一个号码。"
    )


def parse_name(value: object) -> str:
    """2 to 30 characters, no digits; ``·`` in minority names; CJK beyond the BMP (𠇔) allowed."""
    text = _half(_text(value)).translate(_MIDDLE_DOTS)
    if any(ord(char) >= 0x2E80 for char in text):
        text = text.replace(" ", "")  # "张  三" aligned with spaces is 张三
    text = _SPACED_DOT.sub("·", text)
    for char in text:
        if char.isdigit():
            raise _Bad(f"姓名“{text}”含有数字“{char}”：请只填写姓名。")
        if char in "· " or unicodedata.category(char)[0] in "LM":
            continue
        if unicodedata.category(char) == "Co":
            raise _Bad(
                f"姓名“{text}”含有造字（私用区字符 U+{ord(char):04X}），证书和系统无法显示："
                "请改用标准汉字（生僻字如“𠇔”可用支持扩展汉字的输入法输入）。"
            )
        raise _Bad(f"姓名“{text}”含有不允许的字符“{char}”：姓名只能由文字和间隔号“·”组成，请删除备注或符号。")
    if text.startswith("·") or text.endswith("·"):
        raise _Bad(f"姓名“{text}”的间隔号“·”位置不对：应在两段姓名之间。")
    if not NAME_MIN <= len(text) <= NAME_MAX:
        raise _Bad(f"姓名“{text}”应为 {NAME_MIN} 至 {NAME_MAX} 个字，实际 {len(text)} 个，请核对。")
    return text


_SEX_EXTRA = {"男性": "男", "女性": "女"}


def _parse_sex(value: object) -> Sex:
    text = _compact(_text(value))
    try:
        return parse_sex(_SEX_EXTRA.get(text, text))
    except ValidationError as exc:
        raise _Bad(exc.message) from None


_ID_TYPE_WORDS: dict[str, str] = {
    **{label: key for key, label in ID_TYPES.items()},
    "身份证": RESIDENT_ID,
    "二代身份证": RESIDENT_ID,
    "居民身份证号码": RESIDENT_ID,
    "中华人民共和国居民身份证": RESIDENT_ID,
    "身份证号": RESIDENT_ID,
    "外国护照": "passport",
    "中国护照": "passport",
    "港澳居住证": "hk_macao_permit",
    "香港居民居住证": "hk_macao_permit",
    "澳门居民居住证": "hk_macao_permit",
    "台湾居住证": "taiwan_permit",
    **{key: key for key in ID_TYPES},
}


def _parse_id_type(value: object) -> str:
    text = _compact(_text(value)).lower()
    if text in _ID_TYPE_WORDS:
        return _ID_TYPE_WORDS[text]
    raise _Bad(
        f"证件类型“{_shown(value)}”无法识别：请填写{'、'.join(ID_TYPES.values())}之一，不填即为居民身份证。"
    )


# Other ways people write each education level, separated by spaces.
_EDUCATION_SYNONYMS = {
    "小学": "小学及以下 小学以下 文盲 半文盲",
    "初中": "初级中学 初中及以下",
    "高中/中专": "高中 中专 中职 职高 普通高中 职业高中 中等专业学校 中等职业学校 中技 高中及同等学力 中专/高中 高中/中专/中技",
    "技工院校": "技校 技工学校 技师学院 高级技工学校 技工",
    "大专/高职": "大专 高职 专科 大学专科 高职高专 高职/大专 大专/专科",
    "本科": "大学本科 大学 学士 本科及以上",
    "研究生": "硕士 博士 硕士研究生 博士研究生 研究生及以上",
}
_EDUCATION_WORDS: dict[str, str] = {
    **{e: e for e in EDUCATIONS},
    **{word: e for e, words in _EDUCATION_SYNONYMS.items() for word in words.split()},
}


def _parse_education(value: object) -> str:
    text = _compact(_text(value))
    if text in _EDUCATION_WORDS:
        return _EDUCATION_WORDS[text]
    raise _Bad(f"文化程度“{_shown(value)}”无法识别：请填写{'、'.join(EDUCATIONS)}之一。")


_LEVEL_COLLOQUIAL = {"初级": 5, "中级": 4, "高级": 3}


def parse_level_cell(value: object, what: str = "申报等级") -> SkillLevel:
    """A level from a cell: 3, 3.0, "三级/高级工", "三级（高级工）", "高级工", "三级高级工", "高级"."""
    if isinstance(value, bool | date | time | timedelta):
        raise _Bad(f"{what}“{_shown(value)}”无法识别：请填写如“三级/高级工”。")
    try:
        if isinstance(value, int | float):
            return parse_level(value)
        text = _compact(str(value))
        if text in _LEVEL_COLLOQUIAL:
            return SkillLevel(_LEVEL_COLLOQUIAL[text])
        if _LEVEL_NUMBER_TEXT.fullmatch(text):
            return SkillLevel(int(float(text)))
        try:
            return parse_level(text)
        except ValidationError:
            if match := _LEVEL_RUN_TOGETHER.fullmatch(text):
                return parse_level(f"{match[1]}/{match[2]}")
            raise
    except ValidationError as exc:
        raise _Bad(exc.message.replace("技能等级", what, 1)) from None


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --- public values --------------------------------------------------------------------------------------

IdIndexLookup = Callable[[list[str]], set[str]]


@dataclass
class RosterContext:
    """What a roster is checked against: the catalogue, the sitting's offers, and who is already in it."""

    occupations: dict[str, Occupation]  # by code
    scope: set[
        tuple[str, str, SkillLevel]
    ]  # (occupation code, work type or "", level) offered by the sitting
    existing_id_indexes: IdIndexLookup | None = None  # normalised ID numbers -> those already in the sitting
    today: date = field(default_factory=date.today)
    university: bool = False  # every row is a university student (003)


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int  # 1-based Excel row
    column: str  # Excel letter
    header: str  # the column's header as written in the file
    value: str  # the cell as written
    message: str  # Chinese: what is wrong and how to fix it

    def __str__(self) -> str:
        return f"{self.sheet} 第{self.row}行 {self.column}列（{self.header}）：{self.message}"


@dataclass
class RosterRow:
    """A valid row, normalised; ``birth_date`` of a resident ID comes from the number itself."""

    row: int
    name: str
    sex: Sex
    id_type: str
    id_number: str
    birth_date: date | None
    phone: str
    education: str
    employer: str
    occupation_code: str
    work_type: str  # "" when the occupation has none
    level: SkillLevel
    years_in_occupation: int | None = None
    prior_level: SkillLevel | None = None
    prior_certificate_date: date | None = None
    professional_title: str | None = None
    student_number: str | None = None
    major: str | None = None
    graduation_year: int | None = None
    is_student: bool = False

    def candidate_fields(self) -> dict[str, Any]:
        """Keyword arguments for ``jlexam.services.candidates.CandidateInput``."""
        return {
            "name": self.name,
            "sex": self.sex,
            "id_number": self.id_number,
            "id_type": self.id_type,
            "birth_date": self.birth_date,
            "phone": self.phone,
            "education": self.education,
            "employer": self.employer,
            "student_number": self.student_number,
            "major": self.major,
            "graduation_year": self.graduation_year,
        }


@dataclass
class RosterResult:
    rows: list[RosterRow]  # the valid rows, in file order
    errors: list[CellError]  # by row, then column
    rejected_rows: set[int]  # 1-based Excel rows with at least one error
    notices: list[str]
    sheet: str
    total: int  # data rows read (blank rows not counted)
    header_row: int = 1  # 1-based Excel row of the (last) header row
    headers: list[str] = field(default_factory=list)  # header text of every column, as written
    columns: dict[str, str] = field(default_factory=dict)  # recognised key -> Excel letter

    @property
    def ok(self) -> bool:
        return not self.errors

    def errors_of(self, row: int) -> list[CellError]:
        return [e for e in self.errors if e.row == row]


# --- opening the file -----------------------------------------------------------------------------------

_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_SAVE_AS = "请用 Excel 或 WPS 打开后“另存为”Excel 工作簿（*.xlsx），再导入另存的文件"


def _sniff_text(path: Path, data: bytes) -> ValidationError:
    head = data[:4096]
    text = ""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            # Incremental, so that a character cut at the 4096th byte is not taken for binary content.
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
            break
        except UnicodeDecodeError:
            continue
    lowered = text.lower()
    if text and ("<html" in lowered or "<table" in lowered or "<?xml" in lowered):
        return ValidationError(
            f"文件 {path.name} 不是真正的 Excel 工作簿，而是网页或 XML 文本（常见于从网站导出的“xls”）：{_SAVE_AS}。"
        )
    if text and sum(char.isprintable() or char in "\r\n\t" for char in text) > 0.95 * len(text):
        return ValidationError(
            f"文件 {path.name} 是文本文件（如 CSV），不是 Excel 工作簿，只是扩展名为 {path.suffix}：{_SAVE_AS}。"
        )
    return ValidationError(
        f"文件 {path.name} 不是 Excel 工作簿，或已经损坏（无法识别的文件内容）：请确认选择的是报名名单，"
        "或重新下载/复制该文件；如仍无法打开，请用本程序导出的模板重新填写。"
    )


def _open_workbook(path: Path) -> python_calamine.CalamineWorkbook:
    path = Path(path)
    data = read_user_file(path, "报名名单的 .xlsx 文件")
    if not data.strip(b"\0 \r\n\t"):
        raise ValidationError(f"文件 {path.name} 是空的（没有任何内容）：请确认保存了报名名单后再导入。")
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_STREAM in data:
            raise ValidationError(
                f"文件 {path.name} 设置了打开密码，程序无法读取：请在 Excel 中打开后，"
                "在“文件 > 信息 > 保护工作簿 > 用密码进行加密”中清除密码并保存，再导入。"
            )
        raise ValidationError(
            f"文件 {path.name} 是旧版 Excel 97-2003 工作簿（.xls），只是扩展名被改成了 {path.suffix}："
            f"本程序只读取 .xlsx，{_SAVE_AS}。"
        )
    if not data.startswith(_ZIP_MAGIC):
        raise _sniff_text(path, data)
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise ValidationError(
            f"文件 {path.name} 已损坏（压缩包不完整，可能下载或复制没有完成）：请重新获取文件，"
            "或在 Excel 中打开后另存为新的 .xlsx 文件再导入。"
        ) from None
    if "xl/workbook.xml" not in names:
        kind = (
            "Word 文档"
            if "word/document.xml" in names
            else "PowerPoint 演示文稿"
            if "ppt/presentation.xml" in names
            else "OpenDocument 表格（.ods）"
            if "content.xml" in names
            else "压缩包"
        )
        raise ValidationError(
            f"文件 {path.name} 是{kind}，不是 Excel 工作簿：请选择报名名单的 .xlsx 文件，{_SAVE_AS}。"
        )
    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.CalamineError as exc:
        raise _corrupt(path, exc) from None


def _corrupt(path: Path, exc: Exception) -> ValidationError:
    return ValidationError(
        f"文件 {path.name} 已损坏，无法读取（{type(exc).__name__}）：请在 Excel 中打开后另存为新的 .xlsx 文件再导入。"
    )


def _sheet_grid(
    path: Path, book: python_calamine.CalamineWorkbook, name: str
) -> tuple[list[list[Any]], list[tuple[tuple[int, int], tuple[int, int]]]]:
    """The sheet's cells from A1 (absolute positions kept), and its merged ranges (0-based, inclusive)."""
    try:
        sheet = book.get_sheet_by_name(name)
        grid = sheet.to_python(skip_empty_area=False)
        merges = sheet.merged_cell_ranges or []
    except python_calamine.CalamineError as exc:
        raise _corrupt(path, exc) from None
    return grid, merges


# --- the header -----------------------------------------------------------------------------------------


@dataclass
class _Header:
    last_row: int  # 0-based index of the last header row
    texts: list[str]  # per column
    keys: dict[str, int]  # key -> column index
    unknown: list[int]  # columns with a header text that is not recognised


def _recognised(row: list[Any]) -> dict[int, str]:
    found: dict[int, str] = {}
    for index, value in enumerate(row):
        if isinstance(value, str) and value:
            key = _HEADER_KEYS.get(_header_key(value))
            if key:
                found[index] = key
    return found


def _merged_over(merges: Iterable[tuple[tuple[int, int], tuple[int, int]]], row: int) -> dict[int, int]:
    """Columns of ``row`` covered by a horizontal merge, mapped to the merge's first column."""
    covered: dict[int, int] = {}
    for (r0, c0), (r1, c1) in merges:
        if r0 <= row <= r1 and c1 > c0:
            for column in range(c0, c1 + 1):
                covered[column] = c0
    return covered


def _header_text(value: object) -> str:
    return _half(_text(value))


def _locate_header(grid: list[list[Any]], merges: list) -> _Header | None:
    for r in range(min(len(grid), HEADER_SCAN_ROWS)):
        found = _recognised(grid[r])
        keys = set(found.values())
        if len(keys) < MIN_HEADER_MATCHES or not keys & {"name", "id_number"}:
            continue
        width = len(grid[r])
        texts = [_header_text(v) for v in grid[r]]
        last = r
        # A second header row under group labels (证件信息 over 证件类型 | 证件号码): it names columns, and is
        # empty wherever the first row already names one.
        if r + 1 < len(grid):
            below = _recognised(grid[r + 1])
            if below and all(_is_blank(grid[r + 1][c]) for c in found) and not set(below.values()) & keys:
                group = _merged_over(merges, r)
                for c in range(width):
                    if c in below or not _is_blank(grid[r + 1][c]):
                        texts[c] = _header_text(grid[r + 1][c])
                    elif not texts[c] and c in group:
                        texts[c] = texts[group[c]]
                found = {**found, **below}
                last = r + 1
        keys_by_column: dict[str, int] = {}
        unknown: list[int] = []
        for c in range(width):
            key = found.get(c)
            if key is None:
                if texts[c] and _header_key(texts[c]) not in _SILENT_HEADERS:
                    unknown.append(c)
                continue
            if key in keys_by_column:
                first = keys_by_column[key]
                raise ValidationError(
                    f"表头中“{COLUMN_BY_KEY[key].header}”出现了两次（{column_letter(first)}列“{texts[first]}”和"
                    f"{column_letter(c)}列“{texts[c]}”）：请删除多余的一列或改正列名后再导入。"
                )
            keys_by_column[key] = c
        return _Header(last_row=last, texts=texts, keys=keys_by_column, unknown=unknown)
    return None


def _synonyms(key: str) -> str:
    column = COLUMN_BY_KEY[key]
    return "、".join(f"“{w}”" for w in (column.header, *column.synonyms))


def _check_required_columns(path: Path, sheet: str, header: _Header) -> None:
    missing = [key for key in REQUIRED_KEYS if key not in header.keys]
    if missing:
        key = missing[0]
        others = "、".join(COLUMN_BY_KEY[k].header for k in missing[1:])
        more = f"另外还缺少：{others}。" if others else ""
        raise ValidationError(
            f"文件 {path.name} 的工作表“{sheet}”缺少必填列“{COLUMN_BY_KEY[key].header}”：请在第{header.last_row + 1}行"
            f"表头中加上这一列，列名可写作{_synonyms(key)}；或使用本程序导出的模板。{more}"
        )
    if not any(key in header.keys for key in OCCUPATION_KEYS):
        raise ValidationError(
            f"文件 {path.name} 的工作表“{sheet}”缺少必填列“职业编码”或“职业名称”：至少要有其中一列。"
            f"职业编码可写作{_synonyms('occupation_code')}，职业名称可写作{_synonyms('occupation_name')}。"
        )


def _choose_sheet(
    path: Path, book: python_calamine.CalamineWorkbook
) -> tuple[str, _Header, list[list[Any]], list]:
    """The sheet named 报名名单, else the first visible sheet with a recognisable header row.

    Hidden sheets and the template's own 填写说明 and 职业目录 are never read as the roster.
    """
    names = []
    for meta in book.sheets_metadata:
        if meta.typ != python_calamine.SheetTypeEnum.WorkSheet or meta.name in (GUIDE_SHEET, CATALOGUE_SHEET):
            continue  # the template's own sheets: the guide's example row is not a candidate
        hidden = meta.visible != python_calamine.SheetVisibleEnum.Visible
        if meta.name == ROSTER_SHEET:
            names.insert(0, meta.name)
        elif not hidden:
            names.append(meta.name)
    any_cells = False
    for name in names:
        grid, merges = _sheet_grid(path, book, name)
        any_cells = any_cells or any(not _is_blank(v) for row in grid[:HEADER_SCAN_ROWS] for v in row)
        header = _locate_header(grid, merges)
        if header is not None:
            return name, header, grid, merges
    if names and not any_cells:
        raise ValidationError(f"文件 {path.name} 是空的：工作表中没有任何内容。请填写报名名单后再导入。")
    raise ValidationError(
        f"文件 {path.name} 中找不到报名名单的表头：应在前{HEADER_SCAN_ROWS}行中有一行列名，至少包括“姓名”或"
        "“证件号码”以及另外两项（如“性别”“申报等级”）。请使用本程序导出的模板，或把列名改成模板中的写法。"
    )


def _fill_merged(grid: list[list[Any]], merges: list, below: int) -> int:
    """Give every cell of a merged range below the header the range's value; returns the ranges filled."""
    filled = 0
    for (r0, c0), (r1, c1) in merges:
        if r0 <= below or r0 >= len(grid):
            continue
        value = grid[r0][c0] if c0 < len(grid[r0]) else ""
        if _is_blank(value):
            continue
        for r in range(r0, min(r1, len(grid) - 1) + 1):
            row = grid[r]
            for c in range(c0, min(c1, len(row) - 1) + 1):
                row[c] = value
        filled += 1
    return filled


def _load(path: Path) -> tuple[str, _Header, list[list[Any]], int]:
    book = _open_workbook(path)
    with book:
        name, header, grid, merges = _choose_sheet(path, book)
    _check_required_columns(path, name, header)
    filled = _fill_merged(grid, merges, header.last_row)
    return name, header, grid, filled


# --- validation -----------------------------------------------------------------------------------------


@dataclass
class _Parsed:
    """A row while it is checked: values so far and problems by key."""

    row: int
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (key, message)

    def bad(self, key: str, message: str) -> None:
        self.problems.append((key, message))


_MISSING = {
    "name": "姓名为空：请填写考生姓名。",
    "sex": "性别为空：请填写“男”或“女”。",
    "id_number": "证件号码为空：请填写18位居民身份证号码（或所选证件的号码）。",
    "phone": "手机号码为空：请填写考生本人的11位手机号码。",
    "education": f"文化程度为空：请填写{'、'.join(EDUCATIONS)}之一。",
    "level": "申报等级为空：请填写如“三级/高级工”。",
}
_ID_NUMBER_LOST = (
    "证件号码被 Excel 存成了数字，末几位已丢失，请把该列设为文本后重新填写（或在号码前加英文单引号 '）。"
)


class _Checker:
    def __init__(self, context: RosterContext, header: _Header) -> None:
        self.context = context
        self.today = context.today
        self.columns = header.keys
        self.occupations = context.occupations
        self.by_name: dict[str, list[Occupation]] = {}
        for occupation in context.occupations.values():
            self.by_name.setdefault(occupation.name, []).append(occupation)
        self.scope = {
            (code, work_type or "", SkillLevel(int(level))) for code, work_type, level in context.scope
        }
        self.cache: dict[tuple[str, type, Any], tuple[bool, Any]] = {}

    # Cached parsing: the same spelling of a level, sex or education recurs on thousands of rows.
    def cached(self, kind: str, value: Any, parse: Callable[[Any], Any]) -> Any:
        key = (kind, type(value), value)  # typed: True, 1 and 1.0 are equal keys otherwise
        try:
            outcome = self.cache[key]
        except KeyError:
            try:
                outcome = (True, parse(value))
            except ValidationError as exc:
                outcome = (False, exc.message)
            self.cache[key] = outcome
        if outcome[0]:
            return outcome[1]
        raise _Bad(outcome[1])

    def cell(self, row: list[Any], key: str) -> Any:
        index = self.columns.get(key)
        if index is None or index >= len(row):
            return ""
        return row[index]

    def check(self, excel_row: int, row: list[Any]) -> _Parsed:
        p = _Parsed(excel_row)
        v = p.values
        get = self.cell
        student_number = _compact(_text(get(row, "student_number")))
        v["student_number"] = student_number or None
        v["is_student"] = bool(student_number) or self.context.university

        for key in REQUIRED_KEYS:
            if _is_blank(get(row, key)):
                p.bad(key, _MISSING[key])
        self._field(p, "name", get(row, "name"), parse_name)
        self._field(p, "sex", get(row, "sex"), lambda x: self.cached("sex", x, _parse_sex))
        id_type_cell = get(row, "id_type")
        id_type = RESIDENT_ID
        if not _is_blank(id_type_cell):
            try:
                id_type = self.cached("id_type", id_type_cell, _parse_id_type)
            except _Bad as exc:
                p.bad("id_type", exc.message)
                id_type = None  # type: ignore[assignment]
        v["id_type"] = id_type
        self._field(p, "phone", get(row, "phone"), lambda x: self.cached("phone", x, parse_phone))
        self._field(p, "education", get(row, "education"), lambda x: self.cached("edu", x, _parse_education))
        v["employer"] = _plain(_text(get(row, "employer")))
        if len(v["employer"]) > 100:
            p.bad("employer", f"工作单位/班级超过100个字（{len(v['employer'])}个），请写单位全称即可。")
        self._field(p, "level", get(row, "level"), lambda x: self.cached("level", x, parse_level_cell))
        self._birth_and_id(p, row, id_type)
        self._occupation(p, row)
        self._optional(p, row)
        return p

    def _field(self, p: _Parsed, key: str, value: Any, parse: Callable[[Any], Any]) -> None:
        if _is_blank(value):
            return
        try:
            p.values[key] = parse(value)
        except ValidationError as exc:
            p.bad(key, exc.message)

    # ID number, birth date and sex (RULES.md "Registration and eligibility").
    def _birth_and_id(self, p: _Parsed, row: list[Any], id_type: str | None) -> None:
        v = p.values
        birth_cell = self.cell(row, "birth_date")
        given_birth: tuple[date, bool] | None = None
        if not _is_blank(birth_cell):
            try:
                given_birth = _checked_date(birth_cell, self.today, "出生日期")
            except _Bad as exc:
                p.bad("birth_date", exc.message)
        raw = self.cell(row, "id_number")
        if _is_blank(raw) or id_type is None:
            return
        if isinstance(raw, float | int) and not isinstance(raw, bool) and abs(raw) >= 1e15:
            p.bad("id_number", _ID_NUMBER_LOST)
            return
        number = _compact(_text(raw)).lstrip("'`‘’").upper()
        if _SCIENTIFIC.fullmatch(number):
            p.bad("id_number", _ID_NUMBER_LOST)
            return
        if id_type != RESIDENT_ID:
            if not _OTHER_ID.fullmatch(number):
                p.bad(
                    "id_number",
                    f"{ID_TYPES[id_type]}号码“{number}”格式不对：应为4至30位字母或数字，请照证件填写。",
                )
                return
            v["id_number"] = number
            if given_birth is not None:
                day, partial = given_birth
                if partial:
                    p.bad(
                        "birth_date",
                        "出生日期只有年月：持其他证件的考生请填写完整的出生日期，如 1990-03-07。",
                    )
                else:
                    v["birth_date"] = day
            return
        try:
            resident = parse_id_number(number, self.today)
        except ValidationError as exc:
            hint = ""
            if len(number) != 18 and not number.isdigit():
                hint = "如为护照或港澳台居民居住证，请在“证件类型”列选择相应类型。"
            p.bad("id_number", exc.message + hint)
            return
        v["id_number"] = resident.number
        v["birth_date"] = resident.birth_date
        if given_birth is not None and not _same_birth(given_birth, birth_cell, resident.birth_date):
            p.bad(
                "birth_date",
                f"出生日期与证件号码不一致：身份证号码中为 {resident.birth_date.isoformat()}，"
                f"名单填写为 {given_birth[0].isoformat() if not given_birth[1] else given_birth[0].strftime('%Y-%m')}，"
                "请核对证件后更正（出生日期也可不填）。",
            )
        sex = v.get("sex")
        if sex is not None and sex != resident.sex:
            p.bad(
                "sex",
                f"性别与证件号码不一致：身份证号码第17位表示{resident.sex.label}，名单填写为{sex.label}，请核对证件后更正。",
            )

    def _occupation(self, p: _Parsed, row: list[Any]) -> None:
        code_cell = self.cell(row, "occupation_code")
        name_cell = self.cell(row, "occupation_name")
        # Problems go to the column the user filled: the code's, unless only the name was written.
        only_name = _is_blank(code_cell) and not _is_blank(name_cell)
        key = "occupation_name" if only_name or "occupation_code" not in self.columns else "occupation_code"
        if _is_blank(code_cell) and _is_blank(name_cell):
            p.bad(key, "职业为空：请填写职业编码（如 6-31-01-03）或职业名称（如 电工），见“职业目录”表。")
            return
        try:
            occupation, implied_work_type = self.cached(
                "occupation", (_text(code_cell), _text(name_cell)), lambda pair: self._resolve(*pair)
            )
        except _Bad as exc:
            p.bad(key, exc.message)
            return
        p.values["occupation_code"] = occupation.code
        work_type_cell = self.cell(row, "work_type")
        work_type = _half(_text(work_type_cell)) or implied_work_type
        if work_type == occupation.name:
            work_type = ""  # the occupation name repeated as its work type means "no work type"
        if work_type and work_type not in occupation.work_types:
            if occupation.work_types:
                p.bad(
                    "work_type",
                    f"工种“{work_type}”不属于职业“{occupation.name}”：该职业的工种为"
                    f"{'、'.join(occupation.work_types)}，请从中选择。",
                )
            else:
                p.bad("work_type", f"职业“{occupation.name}”不分工种：工种一栏请留空。")
            return
        p.values["work_type"] = work_type
        level = p.values.get("level")
        if level is None:
            return
        level_key = "level"
        if p.values["is_student"] and level < UNIVERSITY_MAX_LEVEL:
            # 003 三(三)
            p.bad(
                level_key,
                f"在校学生最高只能申报三级/高级工，此行申报{level.written}：请改为三级/高级工或以下；"
                "如该考生已不是在校学生，请清空学号。",
            )
            return
        if not occupation.has_level(level):
            defined = "、".join(SkillLevel(lv).written for lv in sorted(occupation.levels, reverse=True))
            p.bad(
                level_key, f"职业“{occupation.name}”的国家职业标准不设{level.written}：该职业设有{defined}。"
            )
            return
        if (occupation.code, work_type, level) in self.scope:
            return
        if not work_type and any(c == occupation.code and w and lv == level for c, w, lv in self.scope):
            p.bad(
                "work_type" if "work_type" in self.columns else level_key,
                f"职业“{occupation.name}”分工种：请在“工种”列填写{'、'.join(occupation.work_types)}之一。",
            )
            return
        p.bad(level_key, self._outside_scope(occupation, work_type, level))

    def _outside_scope(self, occupation: Occupation, work_type: str, level: SkillLevel) -> str:
        what = occupation.name + (f"（{work_type}）" if work_type else "")
        offered = sorted(
            {(wt, lv) for code, wt, lv in self.scope if code == occupation.code}, key=lambda x: (x[0], -x[1])
        )
        if not offered:
            return (
                f"{what}{level.written}不在本批次开考范围内：本批次没有开考职业“{occupation.name}”，"
                "请核对职业，或联系考务办公室。"
            )
        listed = "、".join((f"{wt} " if wt else "") + lv.written for wt, lv in offered)
        return f"{what}{level.written}不在本批次开考范围内：本批次该职业开考 {listed}，请核对申报等级或工种。"

    def _resolve(self, code_text: str, name_text: str) -> tuple[Occupation, str]:
        """The occupation named by its code and/or name, and a work type given as 职业（工种）."""
        by_code = by_name = None
        implied = ""
        code = _compact(code_text).translate(_DASHES)
        if code:
            if _OCCUPATION_CODE_DIGITS.fullmatch(code):
                code = f"{code[0]}-{code[1:3]}-{code[3:5]}-{code[5:]}"
            if not _OCCUPATION_CODE.fullmatch(code):
                raise _Bad(f"职业编码“{code_text}”格式不对：应形如 6-31-01-03，见“职业目录”表。")
            by_code = self.occupations.get(code)
            if by_code is None:
                near = difflib.get_close_matches(code, list(self.occupations), n=3, cutoff=0.6)
                hint = (
                    "相近的有：" + "、".join(f"{c} {self.occupations[c].name}" for c in near) + "。"
                    if near
                    else ""
                )
                raise _Bad(f"职业编码 {code} 不在职业目录中，请核对（见“职业目录”表）。{hint}")
        name = _half(name_text)
        if name:
            by_name, implied = self._by_name(name)
        if by_code and by_name and by_code.code != by_name.code:
            raise _Bad(
                f"职业编码与职业名称不一致：{by_code.code} 是“{by_code.name}”，而职业名称写的是“{name}”"
                f"（{by_name.code}）。请核对后只保留正确的一项。"
            )
        occupation = by_code or by_name
        assert occupation is not None
        return occupation, implied

    def _by_name(self, name: str) -> tuple[Occupation, str]:
        found = self.by_name.get(name)
        implied = ""
        if not found and (
            match := _OCCUPATION_WITH_WORK_TYPE.fullmatch(name.replace("（", "(").replace("）", ")"))
        ):
            found = self.by_name.get(match[1].strip())
            implied = match[2].strip()
        if not found:
            near = difflib.get_close_matches(name, list(self.by_name), n=3, cutoff=0.5)
            hint = f"您是否要填写：{'、'.join(near)}？" if near else "请从“职业目录”表中选择。"
            raise _Bad(f"职业“{name}”不在职业目录中：{hint}也可填写职业编码。")
        if len(found) > 1:
            codes = "、".join(o.code for o in found)
            raise _Bad(f"职业名称“{name}”对应多个职业编码（{codes}）：请填写职业编码。")
        return found[0], implied

    def _optional(self, p: _Parsed, row: list[Any]) -> None:
        v = p.values
        get = self.cell
        self._field(
            p,
            "years_in_occupation",
            get(row, "years_in_occupation"),
            lambda x: self.cached("years", x, parse_years),
        )
        self._field(
            p,
            "prior_level",
            get(row, "prior_level"),
            lambda x: self.cached("prior_level", x, lambda y: parse_level_cell(y, "现有证书等级")),
        )
        date_cell = get(row, "prior_certificate_date")
        if not _is_blank(date_cell):
            try:
                day, partial = _checked_date(date_cell, self.today, "现有证书取得日期")
                if partial:
                    raise _Bad("现有证书取得日期只有年月：请填写证书上的完整发证日期，如 2019-06-20。")
                born = v.get("birth_date")
                if born is not None and day < _add_years(born, 16):
                    raise _Bad(
                        f"现有证书取得日期 {day.isoformat()} 早于考生16周岁生日（{_add_years(born, 16).isoformat()}），"
                        "不可能取得证书：请核对日期。"
                    )
                v["prior_certificate_date"] = day
            except _Bad as exc:
                p.bad("prior_certificate_date", exc.message)
            if "prior_level" in self.columns and _is_blank(get(row, "prior_level")):
                p.bad(
                    "prior_level",
                    "填写了现有证书取得日期，但没有填写现有证书等级：请补上等级，或清空取得日期。",
                )
        title = _plain(_text(get(row, "professional_title")))
        if len(title) > 32:
            p.bad(
                "professional_title",
                f"专业技术职称超过32个字（{len(title)}个），请只写职称名称，如“工程师”。",
            )
        v["professional_title"] = title or None
        raw_number = get(row, "student_number")
        if isinstance(raw_number, float) and abs(raw_number) >= 1e15:
            p.bad("student_number", _ID_NUMBER_LOST.replace("证件号码", "学号"))
        elif v["student_number"] and len(v["student_number"]) > 32:
            p.bad("student_number", "学号超过32个字符，请核对。")
        v["major"] = _plain(_text(get(row, "major"))) or None
        self._field(
            p,
            "graduation_year",
            get(row, "graduation_year"),
            lambda x: self.cached("grad", x, lambda y: parse_graduation_year(y, self.today)),
        )


def _same_birth(given: tuple[date, bool], cell: object, actual: date) -> bool:
    day, partial = given
    if partial or (isinstance(cell, date) and day.day == 1):
        # Only the year and month were written (a "1990年3月" text, or a date cell shown as year-month,
        # which reads back as the 1st): compare what was written.
        return (day.year, day.month) == (actual.year, actual.month)
    return day == actual


# --- reading --------------------------------------------------------------------------------------------


def read_roster(path: Path, context: RosterContext) -> RosterResult:
    """Read and check a roster workbook; file-level problems raise ValidationError, cell problems are listed."""
    path = Path(path)
    sheet, header, grid, merged = _load(path)
    checker = _Checker(context, header)
    columns = header.keys
    notices: list[str] = []
    if header.last_row > 0:
        notices.append(
            f"工作表“{sheet}”的表头在第{header.last_row + 1}行，已从第{header.last_row + 2}行开始读取。"
        )
    if header.unknown:
        listed = "、".join(f"{column_letter(c)}列“{header.texts[c]}”" for c in header.unknown)
        notices.append(f"以下列无法识别，已忽略：{listed}。如其中有要导入的内容，请把列名改成模板中的写法。")
    if merged:
        notices.append(f"名单中有 {merged} 处合并单元格，已把合并单元格的内容填到它覆盖的每一行。")

    known = sorted(columns.values())
    parsed: list[_Parsed] = []
    blank = 0
    for index in range(header.last_row + 1, len(grid)):
        row = grid[index]
        if all(_is_blank(row[c]) for c in known if c < len(row)):
            blank += 1
            continue
        parsed.append(checker.check(index + 1, row))
    total = len(parsed)
    if total == 0:
        raise ValidationError(
            f"文件 {path.name} 的工作表“{sheet}”只有表头，没有考生数据：请从第{header.last_row + 2}行起每行填写一名考生后再导入。"
        )
    trailing = len(grid) - 1 - max((p.row - 1 for p in parsed), default=0)
    if blank - trailing > 0:
        notices.append(f"跳过了名单中间的 {blank - trailing} 个空行。")

    _check_duplicates(parsed)
    _check_registered(parsed, context.existing_id_indexes)

    errors: list[CellError] = []
    rows: list[RosterRow] = []
    rejected: set[int] = set()
    for p in parsed:
        if p.problems:
            rejected.add(p.row)
            errors.extend(_cell_errors(sheet, header, grid[p.row - 1], p, columns))
        else:
            rows.append(_roster_row(p))
    return RosterResult(
        rows=rows,
        errors=errors,
        rejected_rows=rejected,
        notices=notices,
        sheet=sheet,
        total=total,
        header_row=header.last_row + 1,
        headers=list(header.texts),
        columns={key: column_letter(c) for key, c in columns.items()},
    )


def _check_duplicates(parsed: list[_Parsed]) -> None:
    """One application per person, occupation and level; the rows of one person must agree on the name."""
    first_application: dict[tuple[str, str, int], int] = {}
    first_person: dict[str, tuple[int, str]] = {}
    for p in parsed:
        v = p.values
        number = v.get("id_number")
        if number is None:
            continue
        name = v.get("name")
        if name is not None:
            seen = first_person.setdefault(number, (p.row, name))
            if seen[1] != name:
                p.bad(
                    "id_number",
                    f"与第{seen[0]}行的证件号码相同，但姓名不同（第{seen[0]}行为“{seen[1]}”）：同一证件号码只能是同一人，请核对。",
                )
                continue
        code, level = v.get("occupation_code"), v.get("level")
        if code is None or level is None:
            continue
        key = (number, code, int(level))
        if key in first_application:
            p.bad(
                "id_number",
                f"与第{first_application[key]}行重复：同一考生同一职业同一等级只能报名一次，请删除重复的一行。",
            )
        else:
            first_application[key] = p.row


def _check_registered(parsed: list[_Parsed], lookup: IdIndexLookup | None) -> None:
    if lookup is None:
        return
    numbers = sorted({p.values["id_number"] for p in parsed if p.values.get("id_number")})
    if not numbers:
        return
    existing = lookup(numbers)
    for p in parsed:
        if p.values.get("id_number") in existing:
            p.bad(
                "id_number",
                "该证件号码已在本批次报名，不能重复导入：如需更改报名信息，请在系统中修改原报名记录，并从名单中删除此行。",
            )


_KEY_FALLBACK = {"occupation_code": "occupation_name", "occupation_name": "occupation_code"}


def _cell_errors(
    sheet: str, header: _Header, row: list[Any], p: _Parsed, columns: dict[str, int]
) -> list[CellError]:
    found: list[tuple[int, CellError]] = []
    seen: set[tuple[int, str]] = set()
    for key, message in p.problems:
        index = columns.get(key)
        if index is None:
            index = columns.get(_KEY_FALLBACK.get(key, ""), columns.get("level", 0))
        if (index, message) in seen:
            continue
        seen.add((index, message))
        value = row[index] if index < len(row) else ""
        found.append(
            (
                index,
                CellError(
                    sheet=sheet,
                    row=p.row,
                    column=column_letter(index),
                    header=header.texts[index] if index < len(header.texts) else "",
                    value=_shown(value),
                    message=message,
                ),
            )
        )
    found.sort(key=lambda item: item[0])
    return [error for _, error in found]


def _roster_row(p: _Parsed) -> RosterRow:
    v = p.values
    return RosterRow(
        row=p.row,
        name=v["name"],
        sex=v["sex"],
        id_type=v["id_type"],
        id_number=v["id_number"],
        birth_date=v.get("birth_date"),
        phone=v["phone"],
        education=v["education"],
        employer=v["employer"],
        occupation_code=v["occupation_code"],
        work_type=v["work_type"],
        level=v["level"],
        years_in_occupation=v.get("years_in_occupation"),
        prior_level=v.get("prior_level"),
        prior_certificate_date=v.get("prior_certificate_date"),
        professional_title=v.get("professional_title"),
        student_number=v.get("student_number"),
        major=v.get("major"),
        graduation_year=v.get("graduation_year"),
        is_student=v["is_student"],
    )


# --- writing --------------------------------------------------------------------------------------------

_HEADER_FILL = "D9E1F2"
_ERROR_FILL = "FFC7CE"
_GREY = "808080"


def _level_choices() -> list[str]:
    return [SkillLevel(n).written for n in range(5, 0, -1)]


def template_header(column: RosterColumn) -> str:
    return f"*{column.header}" if column.required else column.header


def write_template(path: Path, occupations: list[Occupation]) -> None:
    """The roster template the office hands out: headers, drop-down lists, text columns, rules, catalogue."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = ROSTER_SHEET
    bold_red = Font(bold=True, color="C00000")
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor=_HEADER_FILL)
    letters = {}
    for index, column in enumerate(COLUMNS):
        letter = column_letter(index)
        letters[column.key] = letter
        cell = sheet.cell(row=1, column=index + 1, value=template_header(column))
        cell.font = bold_red if column.required else bold
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        note = Comment(column.hint, "jlexam")
        note.width, note.height = 260, 110
        cell.comment = note
        dimension = sheet.column_dimensions[letter]
        dimension.width = column.width
        if column.key in _TEXT_KEYS:
            dimension.number_format = "@"  # typed IDs stay text instead of becoming 2.2E+17
        elif column.key in _DATE_KEYS:
            dimension.number_format = "yyyy-mm-dd"
    sheet.row_dimensions[1].height = 30
    sheet.freeze_panes = "A2"
    last = TEMPLATE_ROWS + 1

    def choose(key: str, values: list[str] | str, strict: bool, prompt: str) -> None:
        formula = values if isinstance(values, str) else '"' + ",".join(values) + '"'
        validation = DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop" if strict else "warning",
            errorTitle=COLUMN_BY_KEY[key].header,
            error=prompt,
        )
        sheet.add_data_validation(validation)
        validation.add(f"{letters[key]}2:{letters[key]}{last}")

    choose("sex", ["男", "女"], True, "请选择“男”或“女”。")
    choose("id_type", list(ID_TYPES.values()), True, "请从列表中选择证件类型。")
    choose("education", list(EDUCATIONS), False, "建议从列表中选择文化程度。")
    choose("level", _level_choices(), False, "建议从列表中选择申报等级，如“三级/高级工”。")
    choose("prior_level", _level_choices(), False, "建议从列表中选择现有证书等级。")
    if occupations:
        end = len(occupations) + 1
        choose(
            "occupation_code", f"'{CATALOGUE_SHEET}'!$A$2:$A${end}", True, "请从“职业目录”表中选择职业编码。"
        )
        choose(
            "occupation_name", f"'{CATALOGUE_SHEET}'!$B$2:$B${end}", True, "请从“职业目录”表中选择职业名称。"
        )

    _write_guide(book.create_sheet(GUIDE_SHEET), occupations)
    _write_catalogue(book.create_sheet(CATALOGUE_SHEET), occupations)
    book.active = 0
    with atomic_path(Path(path)) as partial:
        book.save(partial)


def _example_row(occupations: list[Occupation]) -> list[Any]:
    occupation = next((o for o in occupations if not o.work_types), occupations[0] if occupations else None)
    level = SkillLevel.LEVEL_4
    if occupation is not None and not occupation.has_level(level):
        level = occupation.levels[0]
    born = date(1990, 3, 7)
    values = {
        "name": "张三",
        "sex": "男",
        "id_type": ID_TYPES[RESIDENT_ID],
        "id_number": build_id_number("220102", born, 123),  # a made-up but valid number
        "birth_date": born.isoformat(),
        "phone": "13800000000",
        "education": "高中/中专",
        "employer": "长春市某某机械有限公司",
        "occupation_code": occupation.code if occupation else "6-31-01-03",
        "occupation_name": occupation.name if occupation else "电工",
        "work_type": "",
        "level": level.written,
        "years_in_occupation": "6",
        "prior_level": "五级/初级工",
        "prior_certificate_date": "2018-06-20",
        "professional_title": "",
        "student_number": "",
        "major": "",
        "graduation_year": "",
    }
    return [values[c.key] for c in COLUMNS]


def _write_guide(sheet: Any, occupations: list[Occupation]) -> None:
    from openpyxl.styles import Alignment, Font

    lines = [
        ("报名名单填写说明", True),
        ("1. 在“报名名单”表中每行填写一名考生的一项报名，不要改动第一行的列名；带 * 的列必须填写。", False),
        (
            "2. 证件号码、手机号码、学号三列已设为文本格式，请勿改为数字格式，否则身份证号码末几位会丢失。",
            False,
        ),
        ("3. 同一考生同一职业同一等级只能报名一次；同一考生报名不同职业或等级时，各行姓名须一致。", False),
        ("4. 在校学生（填写了学号的考生）最高只能申报三级/高级工。", False),
        ("5. 职业、工种和等级须在本批次开考范围内；职业编码和名称见“职业目录”表。", False),
        (
            "6. 导入时会逐项检查；有错误的行不会导入，会生成一份“错误名单”，逐格标出原因，改正后可直接再次导入。",
            False,
        ),
        ("", False),
        ("各列要求：", True),
    ]
    row = 1
    for text, strong in lines:
        sheet.cell(row=row, column=1, value=text).font = Font(bold=strong, size=14 if row == 1 else 11)
        row += 1
    for column in COLUMNS:
        sheet.cell(row=row, column=1, value=template_header(column)).font = Font(bold=True)
        sheet.cell(row=row, column=2, value=column.hint).alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    row += 1
    sheet.cell(row=row, column=1, value="填写示例（仅供参考，请勿把示例行填入“报名名单”表）：").font = Font(
        bold=True
    )
    row += 1
    example = Font(italic=True, color=_GREY)
    for index, column in enumerate(COLUMNS):
        sheet.cell(row=row, column=index + 1, value=template_header(column)).font = Font(
            bold=True, color=_GREY
        )
        cell = sheet.cell(row=row + 1, column=index + 1, value=_example_row(occupations)[index])
        cell.font = example
        cell.number_format = "@"
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 90


def _write_catalogue(sheet: Any, occupations: list[Occupation]) -> None:
    from openpyxl.styles import Font

    sheet.append(["职业编码", "职业名称", "工种", "设有等级", "说明"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for o in occupations:
        levels = "、".join(SkillLevel(lv).written for lv in sorted(o.levels, reverse=True))
        sheet.append([o.code, o.name, "、".join(o.work_types) or "（不分工种）", levels, o.category_note])
    for letter, width in zip("ABCDE", (12, 18, 40, 60, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"


def write_errors_workbook(path: Path, source: Path, result: RosterResult) -> None:
    """The rejected rows under the original header, bad cells red with the reason, a last column 错误说明."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    book_in = _open_workbook(Path(source))
    with book_in:
        grid, merges = _sheet_grid(Path(source), book_in, result.sheet)
    _fill_merged(grid, merges, result.header_row - 1)

    width = max(len(result.headers), max((len(r) for r in grid), default=0))
    headers = list(result.headers) + [""] * (width - len(result.headers))
    book = Workbook()
    sheet = book.active
    sheet.title = result.sheet[:31]
    red = PatternFill("solid", fgColor=_ERROR_FILL)
    header_fill = PatternFill("solid", fgColor=_HEADER_FILL)
    explain_column = width + 1
    for index, text in enumerate([*headers, ERRORS_HEADER], start=1):
        cell = sheet.cell(row=1, column=index, value=text or None)
        cell.font = Font(bold=True)
        cell.fill = header_fill
    key_by_letter = {letter: key for key, letter in result.columns.items()}
    for index in range(width):
        letter = column_letter(index)
        key = key_by_letter.get(letter)
        sheet.column_dimensions[letter].width = COLUMN_BY_KEY[key].width if key else 12
        if key in _TEXT_KEYS:
            sheet.column_dimensions[letter].number_format = "@"
    sheet.column_dimensions[column_letter(width)].width = 70
    sheet.freeze_panes = "A2"

    by_row: dict[int, list[CellError]] = {}
    for error in result.errors:
        by_row.setdefault(error.row, []).append(error)
    text_columns = {column_index(result.columns[k]) for k in _TEXT_KEYS if k in result.columns}
    for out_row, source_row in enumerate(sorted(result.rejected_rows), start=2):
        values = grid[source_row - 1] if source_row - 1 < len(grid) else []
        for index, value in enumerate(values):
            if _is_blank(value):
                continue
            cell = sheet.cell(row=out_row, column=index + 1, value=_for_excel(value, index in text_columns))
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            elif index in text_columns and isinstance(value, str):
                cell.number_format = "@"
        messages: dict[str, list[str]] = {}
        for error in by_row.get(source_row, []):
            messages.setdefault(error.column, []).append(error.message)
        for letter, texts in messages.items():
            cell = sheet.cell(row=out_row, column=column_index(letter) + 1)
            cell.fill = red
            note = Comment("\n".join(texts), "jlexam")
            note.width, note.height = 320, 40 + 40 * len(texts)
            cell.comment = note
        summary = "\n".join(f"{e.column}列（{e.header}）：{e.message}" for e in by_row.get(source_row, []))
        cell = sheet.cell(row=out_row, column=explain_column, value=f"原第{source_row}行：\n{summary}")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    with atomic_path(Path(path)) as partial:
        book.save(partial)


def _for_excel(value: Any, text_column: bool) -> Any:
    """A value read by calamine as openpyxl should write it back."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value)) if text_column else int(value)
    if isinstance(value, timedelta):
        return str(value)
    return value
