"""Masks for public lists (002 §25)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jlexam.domain.masking import mask_id_number, mask_name, mask_phone


def revealed(masked: str) -> int:
    return sum(char != "*" for char in masked)


def test_id_number_first_6_last_4() -> None:
    assert mask_id_number("22010219900517123X") == "220102********123X"


def test_id_number_stricter_mask() -> None:
    assert mask_id_number("22010219900517123X", keep_start=3, keep_end=2) == "220*************3X"
    assert mask_id_number("22010219900517123X", keep_start=0, keep_end=0) == "*" * 18


def test_id_number_looser_mask_is_capped() -> None:
    masked = mask_id_number("22010219900517123X", keep_start=14, keep_end=4)
    assert revealed(masked) == 10
    assert masked == "220102********123X"


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("E12345678", "E1*****78"),  # passport, 9 characters: 3+2 scaled, capped at 4
        ("220102900517123", "2201********123"),  # old 15-digit number: 5+3 scaled, capped at 7
        ("H1234567801", "H12******01"),  # 港澳居民来往内地通行证, 11 characters: 3+2 scaled
        ("AB", "**"),
        ("A", "*"),
        ("", ""),
    ],
)
def test_other_documents_keep_less(number: str, expected: str) -> None:
    assert mask_id_number(number) == expected
    assert revealed(expected) <= len(number) // 2


def test_negative_keep_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        mask_id_number("22010219900517123X", keep_start=-1)


@pytest.mark.parametrize(
    ("phone", "expected"),
    [
        ("13812345678", "138****5678"),
        ("138 1234 5678", "138 **** 5678"),
        ("+86 13812345678", "+86 1******5678"),
        ("0431-88881234", "043*-****1234"),
        ("88881234", "****1234"),
        ("1234", "**34"),
        ("", ""),
    ],
)
def test_phone(phone: str, expected: str) -> None:
    assert mask_phone(phone) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("张三", "张*"),
        ("张小三", "张*三"),
        ("欧阳娜娜", "欧**娜"),
        ("买买提·艾力", "买****力"),
        ("王", "*"),
        ("", ""),
        (" 李四 ", "李*"),
        ("𠇔", "*"),  # outside the BMP: one character, not two
        ("王𠇔", "王*"),
        ("𡈼小明", "𡈼*明"),
        ("张𡈼", "张*"),
        ("李\U000200d4\U000e0100华", "李*华"),  # ideographic variation selector joins its base character
    ],
)
def test_name(name: str, expected: str) -> None:
    assert mask_name(name) == expected


HANZI = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF) | st.characters(
    min_codepoint=0x20000, max_codepoint=0x2A6DF
)


@given(st.text(alphabet=HANZI, max_size=12))
def test_name_keeps_length_and_reveals_at_most_first_and_last(name: str) -> None:
    masked = mask_name(name)
    assert len(masked) == len(name)
    assert revealed(masked) == {0: 0, 1: 0, 2: 1}.get(len(name), 2)
    if len(name) >= 2:
        assert masked[0] == name[0]
    if len(name) >= 3:
        assert masked[-1] == name[-1]
    assert set(masked[1:-1]) <= {"*"}


@given(st.text(alphabet="0123456789ABCDEFGHJKX", max_size=30), st.integers(0, 20), st.integers(0, 20))
def test_id_mask_keeps_length_and_limits(number: str, keep_start: int, keep_end: int) -> None:
    masked = mask_id_number(number, keep_start, keep_end)
    assert len(masked) == len(number)
    limit = 10 if len(number) == 18 else len(number) // 2
    assert revealed(masked) <= min(limit, keep_start + keep_end)
    # whatever is shown is shown in place: a prefix and a suffix of the original
    for index, char in enumerate(masked):
        assert char in ("*", number[index])
    stars = [index for index, char in enumerate(masked) if char == "*"]
    if stars:
        assert stars == list(range(stars[0], stars[-1] + 1))


@given(st.text(alphabet="0123456789 -+()", max_size=20))
def test_phone_keeps_length_and_limits(phone: str) -> None:
    masked = mask_phone(phone)
    assert len(masked) == len(phone)
    digits = sum(char.isdigit() for char in phone)
    shown = sum(char.isdigit() for char in masked)
    assert shown <= (7 if digits >= 11 else digits // 2)
    for original, char in zip(phone, masked, strict=True):
        assert char == original or (char == "*" and original.isdigit())
