"""The national 22-character certificate number (002 §26; RULES.md "Certificates")."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jlexam.domain.certno import (
    CertificateNumberParts,
    ParsedCertificateNumber,
    build_certificate_number,
    parse_certificate_number,
)
from jlexam.domain.levels import SkillLevel
from jlexam.errors import ValidationError

JILIN_SCHOOL = CertificateNumberParts("Y", "0000", "22", "000123")


def test_build_by_hand() -> None:
    # Y · 0000 · 22 · 000123 · 26 · 3 · 004567
    number = build_certificate_number(JILIN_SCHOOL, 2026, SkillLevel.LEVEL_3, 4567)
    assert number == "Y" + "0000" + "22" + "000123" + "26" + "3" + "004567"
    assert number == "Y000022000123263004567"
    assert len(number) == 22


def test_build_accepts_plain_level_and_social_org() -> None:
    parts = CertificateNumberParts("S", "1234", "22", "990001")
    assert build_certificate_number(parts, 2030, 1, 999999) == "S123422990001301999999"


def test_parse() -> None:
    parsed = parse_certificate_number("Y000022000123263004567")
    assert parsed == ParsedCertificateNumber(JILIN_SCHOOL, 26, SkillLevel.LEVEL_3, 4567)


def test_parse_normalizes() -> None:
    assert parse_certificate_number(" y0000 2200012326 3004567\u3000").serial == 4567
    full_width = "".join(chr(ord(char) + 0xFEE0) for char in "Y000022000123263004567")  # Ｙ００００２２…
    assert parse_certificate_number(full_width).level is SkillLevel.LEVEL_3


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "应为22位（1位字母加21位数字），实际为0位"),
        ("Y00002200012326300456", "实际为21位"),
        (
            "X000022000123263004567",
            "第1位（机构类别）应为Y（用人单位、院校）或S（社会培训评价组织），实际为“X”",
        ),
        ("1000022000123263004567", "第1位（机构类别）"),
        ("Y00A022000123263004567", "第4位（机构代码）应为数字，实际为“A”"),
        ("Y00002A000123263004567", "第7位（省份代码）应为数字"),
        ("Y000022000-23263004567", "第11位（考点序号）应为数字"),
        ("Y0000220001232O3004567", "第15位（发证年份）应为数字，实际为“O”"),
        ("Y00002200012326X004567", "第16位（等级）应为数字"),
        ("Y000022000123260004567", "第16位（等级）应为1至5，实际为0"),
        ("Y000022000123266004567", "第16位（等级）应为1至5，实际为6"),
        ("Y00002200012326300456A", "第22位（证书序号）应为数字"),
        ("Y000022000123263000000", "第17至22位（证书序号）不能是000000"),
    ],
)
def test_parse_errors(text: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_certificate_number(text)
    assert fragment in caught.value.message
    assert caught.value.rule == "002 §26"


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        (("S", "000", "22", "000123"), "第2至5位（机构代码）应为4位数字，实际为“000”"),
        (("Y", "0000", "2", "000123"), "第6至7位（省份代码）应为2位数字"),
        (("Y", "0000", "22", "12345A"), "第8至13位（考点序号）应为6位数字"),
        (("y", "0000", "22", "000123"), "第1位（机构类别）"),
        (("", "0000", "22", "000123"), "实际为“空”"),
    ],
)
def test_parts_are_validated(fields: tuple[str, str, str, str], fragment: str) -> None:
    with pytest.raises(ValidationError) as caught:
        CertificateNumberParts(*fields)
    assert fragment in caught.value.message


@pytest.mark.parametrize(
    ("year", "level", "serial", "fragment"),
    [
        (26, 3, 1, "发证年份应为2000至2099之间的四位年份，实际为26"),
        (2100, 3, 1, "实际为2100"),
        (2026, 3, 0, "证书序号应在1至999999之间，实际为0"),
        (2026, 3, 1_000_000, "实际为1000000"),
        (2026, 6, 1, "技能等级“6”无法识别"),
    ],
)
def test_build_errors(year: int, level: int, serial: int, fragment: str) -> None:
    with pytest.raises(ValidationError) as caught:
        build_certificate_number(JILIN_SCHOOL, year, level, serial)
    assert fragment in caught.value.message


parts_strategy = st.builds(
    CertificateNumberParts,
    st.sampled_from("YS"),
    st.from_regex(r"[0-9]{4}", fullmatch=True),
    st.from_regex(r"[0-9]{2}", fullmatch=True),
    st.from_regex(r"[0-9]{6}", fullmatch=True),
)


@given(
    parts_strategy,
    st.integers(min_value=2000, max_value=2099),
    st.sampled_from(list(SkillLevel)),
    st.integers(min_value=1, max_value=999_999),
)
def test_build_parse_round_trip(
    parts: CertificateNumberParts, year: int, level: SkillLevel, serial: int
) -> None:
    number = build_certificate_number(parts, year, level, serial)
    assert len(number) == 22
    assert number[0] in "YS" and number[1:].isdigit()
    assert parse_certificate_number(number) == ParsedCertificateNumber(parts, year % 100, level, serial)
    # and back again
    assert build_certificate_number(parts, 2000 + year % 100, level, serial) == number
