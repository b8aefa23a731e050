"""The national 22-character certificate number (002 §26 unified coding; RULES.md "Certificates").

Positions: 1 category (Y employer or school, S social organisation) · 2-5 institution code (``0000`` when
filed with the province) · 6-7 province (``22`` Jilin) · 8-13 site serial · 14-15 issue year · 16 level ·
17-22 serial assigned by the institution.
"""

from __future__ import annotations

from dataclasses import dataclass

from jlexam.domain._text import ascii_upper, compact_half_width, shown
from jlexam.domain.levels import SkillLevel, parse_level
from jlexam.errors import ValidationError

NUMBER_LENGTH = 22
CATEGORIES = ("Y", "S")
JILIN_PROVINCE = "22"
MAX_SERIAL = 999_999
_RULE = "002 §26"
_DIGITS = frozenset("0123456789")

# (first position, length, name) of the digit fields after the category letter.
_FIELDS = (
    (2, 4, "机构代码"),
    (6, 2, "省份代码"),
    (8, 6, "考点序号"),
    (14, 2, "发证年份"),
    (16, 1, "等级"),
    (17, 6, "证书序号"),
)


def _error(message: str) -> ValidationError:
    return ValidationError(message, rule=_RULE)


def _check_category(category: str) -> None:
    if category not in CATEGORIES:
        raise _error(
            f"证书编号第1位（机构类别）应为Y（用人单位、院校）或S（社会培训评价组织），"
            f"实际为“{shown(category) if category else '空'}”，请核对机构类别设置。"
        )


def _check_digits(value: str, length: int, first: int, name: str) -> None:
    if len(value) != length or not set(value) <= _DIGITS:
        last = first + length - 1
        raise _error(
            f"证书编号第{first}至{last}位（{name}）应为{length}位数字，实际为“{value}”，请核对{name}。"
        )


@dataclass(frozen=True)
class CertificateNumberParts:
    """Positions 1-13: the institution's configuration, fixed for all its certificates."""

    category: str
    institution_code: str
    province: str
    site_serial: str

    def __post_init__(self) -> None:
        _check_category(self.category)
        _check_digits(self.institution_code, 4, 2, "机构代码")
        _check_digits(self.province, 2, 6, "省份代码")
        _check_digits(self.site_serial, 6, 8, "考点序号")

    @property
    def prefix(self) -> str:
        return f"{self.category}{self.institution_code}{self.province}{self.site_serial}"


def _year_2d(issue_year: int) -> int:
    # Certificates under the unified coding are issued this century; a two-digit year would be ambiguous.
    if not 2000 <= issue_year <= 2099:
        raise _error(f"发证年份应为2000至2099之间的四位年份，实际为{issue_year}，请核对发证日期。")
    return issue_year % 100


def _check_serial(serial: int) -> None:
    if not 1 <= serial <= MAX_SERIAL:
        raise _error(f"证书序号应在1至{MAX_SERIAL}之间，实际为{serial}，请核对证书序号设置。")


def build_certificate_number(
    parts: CertificateNumberParts, issue_year: int, level: SkillLevel | int, serial: int
) -> str:
    """The 22-character number; ``issue_year`` is the full year (2026), written as its last 2 digits."""
    year = _year_2d(issue_year)
    _check_serial(serial)
    return f"{parts.prefix}{year:02d}{int(parse_level(level))}{serial:06d}"


@dataclass(frozen=True)
class ParsedCertificateNumber:
    parts: CertificateNumberParts
    issue_year_2d: int
    level: SkillLevel
    serial: int


def _check_shape(number: str) -> None:
    if len(number) != NUMBER_LENGTH:
        raise _error(f"证书编号应为22位（1位字母加21位数字），实际为{len(number)}位，请核对证书编号。")
    _check_category(number[0])
    for position, char in enumerate(number[1:], start=2):
        if char not in _DIGITS:
            name = next(name for first, length, name in _FIELDS if first <= position < first + length)
            raise _error(f"证书编号第{position}位（{name}）应为数字，实际为“{shown(char)}”，请核对证书编号。")


def parse_certificate_number(text: str) -> ParsedCertificateNumber:
    """Split a certificate number into its fields; ValidationError names the wrong position."""
    number = ascii_upper(compact_half_width(text))
    _check_shape(number)
    level = int(number[15])
    if not 1 <= level <= 5:
        raise _error(f"证书编号第16位（等级）应为1至5，实际为{level}，请核对证书编号。")
    serial = int(number[16:])
    if serial == 0:
        raise _error("证书编号第17至22位（证书序号）不能是000000，请核对证书编号。")
    parts = CertificateNumberParts(number[0], number[1:5], number[5:7], number[7:13])
    return ParsedCertificateNumber(parts, int(number[13:15]), SkillLevel(level), serial)
