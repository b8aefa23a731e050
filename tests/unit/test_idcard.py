"""Resident ID numbers (GB 11643, ISO 7064 MOD 11-2)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jlexam.domain.idcard import (
    ResidentId,
    Sex,
    build_id_number,
    check_id_matches,
    id_check_character,
    is_valid_id_number,
    normalize_id_number,
    parse_id_number,
    parse_sex,
)
from jlexam.errors import ValidationError

SAMPLE = "11010519491231002X"  # the sample printed in GB 11643-1999


def iso7064_mod11_2(first17: str) -> str:
    """Independent oracle: the recursive 'pure system' form of ISO 7064 MOD 11-2, no weight table."""
    p = 0
    for digit in first17:
        p = (p + int(digit)) * 2 % 11
    value = (12 - p) % 11
    return "X" if value == 10 else str(value)


def test_gb_sample_is_valid() -> None:
    resident = parse_id_number(SAMPLE)
    assert resident == ResidentId(SAMPLE, "110105", date(1949, 12, 31), Sex.FEMALE)
    assert is_valid_id_number(SAMPLE)


def test_sample_check_character_by_hand() -> None:
    # digits  1 1  0 1 0 5 1 9 4 9 1 2  3 1 0 0 2
    # weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
    # sum = 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2 -> "10X98765432"[2] = X
    assert id_check_character("11010519491231002") == "X"


def test_jilin_number_by_hand() -> None:
    # 220102 (长春市南关区) 1990-05-17, order 123 (odd: male).
    # digits  2 2  0 1 0 2 1 9 9 0 0 5  1 7 1 2 3
    # weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
    # sum = 14+18+0+5+0+8+2+9+54+0+0+45+10+35+8+8+6 = 222; 222 mod 11 = 2 -> X
    number = build_id_number("220102", date(1990, 5, 17), 123)
    assert number == "22010219900517123X"
    resident = parse_id_number(number)
    assert (resident.region, resident.birth_date, resident.sex) == ("220102", date(1990, 5, 17), Sex.MALE)


def test_jilin_female_number_by_hand() -> None:
    # 220581 (梅河口市) 2004-02-29, order 086 (even: female).
    # digits  2 2  0 5 8 1 2 0 0 4 0 2  2 9 0 8 6
    # weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
    # sum = 14+18+0+25+64+4+4+0+0+12+0+18+20+45+0+32+12 = 268; 268 mod 11 = 4 -> 8
    number = build_id_number("220581", date(2004, 2, 29), 86)
    assert number == "220581200402290868"
    assert parse_id_number(number).sex is Sex.FEMALE


def test_normalize_full_width_spaces_and_lower_x() -> None:
    raw = " １１０１０５\u3000１９４９\u00a01231\u200b002ｘ\ufeff\t\n"
    assert normalize_id_number(raw) == SAMPLE
    assert parse_id_number(raw).number == SAMPLE
    assert normalize_id_number("11010519491231002x") == SAMPLE


def test_normalize_does_not_validate() -> None:
    assert normalize_id_number("abc 12") == "abc12"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "身份证号码为空"),
        ("   ", "身份证号码为空"),
        ("1101051949123100", "应为18位，实际为16位"),
        ("11010519491231002X1", "应为18位，实际为19位"),
        ("110105491231002", "15位旧号码"),
        ("1101051949123100X2", "第17位含有非法字符“X”"),
        ("11010519491231002A", "第18位含有非法字符“A”"),
        ("110105194912310-2X", "第16位含有非法字符“-”"),
        ("000000194912310026", "地区码不能是000000"),
        ("110105194902300028", "出生日期“19490230”不是真实存在的日期"),
        ("110105189912310028", "早于1900年"),
        ("110105194913310028", "出生日期“19491331”不是真实存在的日期"),
        ("110105194912310025", "身份证号码校验位错误：应为 X，实际为 5，请核对证件。"),
    ],
)
def test_error_messages(raw: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_id_number(raw)
    assert fragment in caught.value.message
    assert not is_valid_id_number(raw)


def test_control_character_is_named_by_code_point() -> None:
    with pytest.raises(ValidationError, match=r"第3位含有非法字符“U\+0007”"):
        parse_id_number("11\x0710519491231002X")


def test_birth_date_in_the_future() -> None:
    future = build_id_number("220102", date(2026, 7, 1), 1)
    assert parse_id_number(future, today=date(2026, 7, 1)).birth_date == date(2026, 7, 1)
    with pytest.raises(ValidationError, match="出生日期 2026-07-01 晚于今天（2026-06-30）"):
        parse_id_number(future, today=date(2026, 6, 30))


def test_id_check_character_rejects_bad_input() -> None:
    with pytest.raises(ValidationError, match="17位数字"):
        id_check_character("1101051949123100")
    with pytest.raises(ValidationError, match="17位数字"):
        id_check_character("1101051949123100X")


@pytest.mark.parametrize(
    ("region", "sequence"), [("000000", 1), ("22010", 1), ("22010A", 1), ("220102", -1), ("220102", 1000)]
)
def test_build_rejects_bad_parts(region: str, sequence: int) -> None:
    with pytest.raises(ValidationError):
        build_id_number(region, date(1990, 1, 1), sequence)


@pytest.mark.parametrize(
    ("text", "sex"),
    [
        ("男", Sex.MALE),
        ("女", Sex.FEMALE),
        ("male", Sex.MALE),
        ("Female", Sex.FEMALE),
        ("M", Sex.MALE),
        ("f", Sex.FEMALE),
        ("1", Sex.MALE),
        ("2", Sex.FEMALE),
        (1, Sex.MALE),
        (" 女 ", Sex.FEMALE),
        ("Ｍ", Sex.MALE),
        (Sex.FEMALE, Sex.FEMALE),
    ],
)
def test_parse_sex(text: str | int | Sex, sex: Sex) -> None:
    assert parse_sex(text) is sex


@pytest.mark.parametrize("text", ["", "3", "未知", "man", "0"])
def test_parse_sex_rejects(text: str) -> None:
    with pytest.raises(ValidationError, match=f"性别“{text}”无法识别"):
        parse_sex(text)


def test_sex_labels() -> None:
    assert (Sex.MALE.label, Sex.FEMALE.label) == ("男", "女")
    assert Sex.MALE == "male"


def test_check_id_matches() -> None:
    resident = parse_id_number(SAMPLE)
    assert check_id_matches(resident, birth_date=date(1949, 12, 31), sex=Sex.FEMALE) == []
    assert check_id_matches(resident, birth_date=None, sex=None) == []
    problems = check_id_matches(resident, birth_date=date(1950, 1, 1), sex=Sex.MALE)
    assert problems == [
        "出生日期不一致：身份证号码为 1949-12-31，名单填写为 1950-01-01，请核对证件后更正。",
        "性别不一致：身份证号码为女，名单填写为男，请核对证件后更正。",
    ]
    assert len(check_id_matches(resident, birth_date=None, sex=Sex.MALE)) == 1


regions = st.from_regex(r"[0-9]{6}", fullmatch=True).filter(lambda r: r != "000000")
births = st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 12, 31))
sequences = st.integers(min_value=0, max_value=999)


@given(regions, births, sequences)
def test_build_parse_round_trip(region: str, born: date, sequence: int) -> None:
    number = build_id_number(region, born, sequence)
    assert number[17] == iso7064_mod11_2(number[:17])
    resident = parse_id_number(number)
    assert resident == ResidentId(number, region, born, Sex.MALE if sequence % 2 else Sex.FEMALE)


@given(regions, births, sequences, st.integers(min_value=0, max_value=17), st.sampled_from("0123456789X"))
def test_single_character_change_is_detected(
    region: str, born: date, sequence: int, position: int, char: str
) -> None:
    number = build_id_number(region, born, sequence)
    changed = number[:position] + char + number[position + 1 :]
    if changed != number:
        assert not is_valid_id_number(changed)


@given(st.text())
def test_normalize_is_idempotent(raw: str) -> None:
    once = normalize_id_number(raw)
    assert normalize_id_number(once) == once
    assert not any(char.isspace() for char in once)


@given(st.text())
def test_parse_never_crashes_otherwise(raw: str) -> None:
    try:
        resident = parse_id_number(raw)
    except ValidationError as error:
        assert error.message.endswith("。")
    else:
        assert is_valid_id_number(resident.number)
