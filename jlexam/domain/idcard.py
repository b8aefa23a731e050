"""The 18-character resident ID number (GB 11643-1999, check character ISO 7064 MOD 11-2).

Layout: 6-digit region code, 8-digit birth date YYYYMMDD, 3-digit order code (odd = male, even = female),
check character 0-9 or X. RULES.md "Registration and eligibility": birth date and sex are checked against
what the roster says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from jlexam.domain._text import compact_half_width, shown
from jlexam.errors import ValidationError

ID_LENGTH = 18
# Weights 2^(18-i) mod 11 for positions i = 1..17 from the left: 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, ...
_WEIGHTS = tuple(pow(2, 18 - i, 11) for i in range(1, 18))
# Check character indexed by (weighted sum mod 11): it makes the full weighted sum ≡ 1 (mod 11).
_CHECK_CHARS = "10X98765432"
_DIGITS = frozenset("0123456789")
# Nobody born before 1900 applies for a skill level; such a date is a typing error.
EARLIEST_BIRTH_DATE = date(1900, 1, 1)


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"

    @property
    def label(self) -> str:
        return "男" if self is Sex.MALE else "女"


_SEX_WORDS = {
    "男": Sex.MALE,
    "male": Sex.MALE,
    "m": Sex.MALE,
    "1": Sex.MALE,
    "女": Sex.FEMALE,
    "female": Sex.FEMALE,
    "f": Sex.FEMALE,
    "2": Sex.FEMALE,
}


def parse_sex(text: str | int | Sex) -> Sex:
    """男/女, male/female, M/F or 1/2 (GB/T 2261.1: 1 male, 2 female), any case, spaces ignored."""
    if isinstance(text, Sex):
        return text
    key = compact_half_width(str(text)).lower()
    try:
        return _SEX_WORDS[key]
    except KeyError:
        raise ValidationError(
            f"性别“{text}”无法识别：请填写“男”或“女”（也可填写 male/female、M/F、1/2）。"
        ) from None


def normalize_id_number(raw: str) -> str:
    """Half-width, without any whitespace or invisible character, lower x as X. Does not validate."""
    return compact_half_width(raw).replace("x", "X")


def id_check_character(first17: str) -> str:
    """The check character (0-9 or X) for the first 17 digits of an ID number."""
    if len(first17) != ID_LENGTH - 1 or not set(first17) <= _DIGITS:
        raise ValidationError(f"计算身份证校验位需要17位数字，实际为“{first17}”，请核对前17位。")
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


@dataclass(frozen=True)
class ResidentId:
    number: str
    region: str
    birth_date: date
    sex: Sex


def _check_length(number: str) -> None:
    if not number:
        raise ValidationError("身份证号码为空，请填写18位居民身份证号码。")
    if len(number) == 15 and set(number) <= _DIGITS:
        raise ValidationError(
            "身份证号码为15位旧号码，请填写现行的18位居民身份证号码（可在证件或户口簿上查到）。"
        )
    if len(number) != ID_LENGTH:
        raise ValidationError(f"身份证号码应为18位，实际为{len(number)}位，请核对证件后重新填写。")


def _check_characters(number: str) -> None:
    for position, char in enumerate(number, start=1):
        allowed = _DIGITS | {"X"} if position == ID_LENGTH else _DIGITS
        if char not in allowed:
            raise ValidationError(
                f"身份证号码第{position}位含有非法字符“{shown(char)}”：前17位只能是数字，"
                "第18位只能是数字或X，请核对证件。"
            )


def _birth_date(number: str, today: date | None) -> date:
    text = number[6:14]
    try:
        born = date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise ValidationError(
            f"身份证号码第7至14位的出生日期“{text}”不是真实存在的日期，请核对证件。"
        ) from None
    if born < EARLIEST_BIRTH_DATE:
        raise ValidationError(
            f"身份证号码中的出生日期 {born.isoformat()} 早于1900年，不可能是参评人员的出生日期，请核对证件。"
        )
    if today is not None and born > today:
        raise ValidationError(
            f"身份证号码中的出生日期 {born.isoformat()} 晚于今天（{today.isoformat()}），请核对证件。"
        )
    return born


def parse_id_number(raw: str, today: date | None = None) -> ResidentId:
    """Normalize and validate an ID number; each failure raises ValidationError with its own message."""
    number = normalize_id_number(raw)
    _check_length(number)
    _check_characters(number)
    if number[:6] == "000000":
        raise ValidationError("身份证号码前6位地区码不能是000000，请核对证件。")
    born = _birth_date(number, today)
    expected = id_check_character(number[:17])
    if number[17] != expected:
        raise ValidationError(f"身份证号码校验位错误：应为 {expected}，实际为 {number[17]}，请核对证件。")
    # The order code's last digit (position 17) encodes sex: odd male, even female.
    sex = Sex.MALE if int(number[16]) % 2 else Sex.FEMALE
    return ResidentId(number=number, region=number[:6], birth_date=born, sex=sex)


def is_valid_id_number(raw: str) -> bool:
    try:
        parse_id_number(raw)
    except ValidationError:
        return False
    return True


def build_id_number(region: str, birth_date: date, sequence: int) -> str:
    """A valid ID number; ``sequence`` 0..999 is the order code (odd = male, even = female)."""
    if len(region) != 6 or not set(region) <= _DIGITS or region == "000000":
        raise ValidationError(f"地区码“{region}”应为6位数字且不能是000000。")
    if not 0 <= sequence <= 999:
        raise ValidationError(f"顺序码应在0到999之间，实际为{sequence}。")
    first17 = f"{region}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + id_check_character(first17)


def check_id_matches(resident: ResidentId, *, birth_date: date | None, sex: Sex | None) -> list[str]:
    """Disagreements between the ID number and the roster; a roster value of None is not checked."""
    problems: list[str] = []
    if birth_date is not None and birth_date != resident.birth_date:
        problems.append(
            f"出生日期不一致：身份证号码为 {resident.birth_date.isoformat()}，"
            f"名单填写为 {birth_date.isoformat()}，请核对证件后更正。"
        )
    if sex is not None and sex != resident.sex:
        problems.append(
            f"性别不一致：身份证号码为{resident.sex.label}，名单填写为{sex.label}，请核对证件后更正。"
        )
    return problems
