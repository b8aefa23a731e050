"""Unified social credit codes (GB 32100-2015)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jlexam.domain.credit_code import (
    build_credit_code,
    credit_code_check_character,
    is_valid_credit_code,
    normalize_credit_code,
    parse_credit_code,
)
from jlexam.errors import ValidationError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100 Table 1: no I, O, S, V, Z
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # GB 32100 Table 3, as printed


def oracle(first17: str) -> str:
    total = sum(ALPHABET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


STANDARD_EXAMPLE = "91350100M000100Y43"
# Codes as printed on real business licences and registration certificates.
REAL_CODES = ["91110000802100433B", "12100000400000624D", "911100001000044477", "91110108551385082Q"]


def test_standard_example_by_hand() -> None:
    # chars    9 1 3  5  0  1  0  0  M  0  0  0 1  0  0  Y  4
    # values   9 1 3  5  0  1  0  0 21  0  0  0 1  0  0 30  4
    # weights  1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
    # sum = 9+3+27+135+26+420+8+900+112 = 1640; 1640 mod 31 = 28; 31 - 28 = 3
    assert credit_code_check_character("91350100M000100Y4") == "3"
    assert parse_credit_code(STANDARD_EXAMPLE) == STANDARD_EXAMPLE


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_valid(code: str) -> None:
    assert is_valid_credit_code(code)
    assert oracle(code[:17]) == code[17]


def test_normalize() -> None:
    assert normalize_credit_code(" ９１３５０１００ｍ000100y4３\u3000\u200b") == STANDARD_EXAMPLE
    assert parse_credit_code("91350100m000100y43") == STANDARD_EXAMPLE


def test_check_character_zero() -> None:
    # A sum divisible by 31 gives check value 0, not 31.
    assert credit_code_check_character("0" * 17) == "0"
    assert is_valid_credit_code("0" * 18)


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "统一社会信用代码为空"),
        ("91350100M000100Y4", "应为18位，实际为17位"),
        ("91350100M000100Y433", "应为18位，实际为19位"),
        ("91350100M0001O0Y43", "第14位含有非法字符“O”（字母O不使用，可能应为0）"),
        ("9135010IM000100Y43", "第8位含有非法字符“I”（字母I不使用，可能应为1）"),
        ("91350100M000100Y4-", "第18位含有非法字符“-”："),
        ("91350100M000100Y44", "统一社会信用代码校验位错误：应为 3，实际为 4，请核对营业执照或登记证书。"),
    ],
)
def test_error_messages(raw: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_credit_code(raw)
    assert fragment in caught.value.message
    assert not is_valid_credit_code(raw)


def test_check_character_rejects_bad_input() -> None:
    with pytest.raises(ValidationError, match="需要17位字符，实际为16位"):
        credit_code_check_character("91350100M000100Y")
    with pytest.raises(ValidationError, match="第9位含有非法字符“Z”"):
        credit_code_check_character("91350100Z000100Y4")
    with pytest.raises(ValidationError):
        build_credit_code("91350100M000100Y")


bodies = st.text(alphabet=ALPHABET, min_size=17, max_size=17)


@given(bodies)
def test_build_parse_round_trip(body: str) -> None:
    code = build_credit_code(body)
    assert code[:17] == body
    assert code[17] == oracle(body)
    assert parse_credit_code(code) == code
    assert parse_credit_code(code.lower()) == code


@given(bodies, st.integers(min_value=0, max_value=17), st.sampled_from(ALPHABET + "IOSVZ-"))
def test_single_character_change_is_detected(body: str, position: int, char: str) -> None:
    code = build_credit_code(body)
    changed = code[:position] + char + code[position + 1 :]
    if changed != code:
        assert not is_valid_credit_code(changed)


@given(st.text())
def test_normalize_is_idempotent(raw: str) -> None:
    once = normalize_credit_code(raw)
    assert normalize_credit_code(once) == once
