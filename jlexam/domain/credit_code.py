"""The unified social credit code of an organisation (GB 32100-2015).

18 characters: registration authority (1), organisation category (1), region (6), organisation code (9),
check character (1). The alphabet leaves out I, O, S, V and Z, which are easily confused with digits.
"""

from __future__ import annotations

from jlexam.domain._text import ascii_upper, compact_half_width, shown
from jlexam.errors import ValidationError

CODE_LENGTH = 18
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {char: value for value, char in enumerate(ALPHABET)}
_MODULUS = len(ALPHABET)  # 31
# Weights 3^(i-1) mod 31 for positions i = 1..17 (GB 32100-2015 §5.2).
_WEIGHTS = tuple(pow(3, i, _MODULUS) for i in range(CODE_LENGTH - 1))
_CONFUSED = {"I": "1", "O": "0", "Z": "2", "S": "5", "V": "U"}


def normalize_credit_code(raw: str) -> str:
    """Half-width, upper case, without any whitespace or invisible character. Does not validate."""
    return ascii_upper(compact_half_width(raw))


def _illegal(code: str) -> tuple[int, str] | None:
    for position, char in enumerate(code, start=1):
        if char not in _VALUE:
            return position, char
    return None


def _illegal_message(position: int, char: str) -> str:
    hint = f"（字母{char}不使用，可能应为{_CONFUSED[char]}）" if char in _CONFUSED else ""
    return (
        f"统一社会信用代码第{position}位含有非法字符“{shown(char)}”{hint}：只能使用数字和大写字母"
        "（不含I、O、S、V、Z），请核对营业执照或登记证书。"
    )


def credit_code_check_character(first17: str) -> str:
    """The check character for the first 17 characters of a credit code."""
    if len(first17) != CODE_LENGTH - 1:
        raise ValidationError(
            f"计算统一社会信用代码校验位需要17位字符，实际为{len(first17)}位，请核对前17位。"
        )
    bad = _illegal(first17)
    if bad is not None:
        raise ValidationError(_illegal_message(*bad))
    total = sum(_VALUE[char] * weight for char, weight in zip(first17, _WEIGHTS, strict=True))
    return ALPHABET[(_MODULUS - total % _MODULUS) % _MODULUS]


def parse_credit_code(raw: str) -> str:
    """The normalized code when valid; otherwise ValidationError naming the problem."""
    code = normalize_credit_code(raw)
    if not code:
        raise ValidationError("统一社会信用代码为空，请填写18位统一社会信用代码。")
    if len(code) != CODE_LENGTH:
        raise ValidationError(f"统一社会信用代码应为18位，实际为{len(code)}位，请核对营业执照或登记证书。")
    bad = _illegal(code)
    if bad is not None:
        raise ValidationError(_illegal_message(*bad))
    expected = credit_code_check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            f"统一社会信用代码校验位错误：应为 {expected}，实际为 {code[17]}，请核对营业执照或登记证书。"
        )
    return code


def is_valid_credit_code(raw: str) -> bool:
    try:
        parse_credit_code(raw)
    except ValidationError:
        return False
    return True


def build_credit_code(first17: str) -> str:
    """The full code: the normalized first 17 characters followed by their check character."""
    body = normalize_credit_code(first17)
    return body + credit_code_check_character(body)
