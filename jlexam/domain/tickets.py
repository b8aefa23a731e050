"""Admission ticket numbers (准考证号) and the payload of the ticket's QR token (002 §20).

**Ticket number**: ten digits, ``SSSS RR NNN C``, printed without spaces:

- ``SSSS`` the sitting number: two digits of the year and the sitting's sequence in that year
  (``2503`` = the third sitting of 2025); any 4-digit number the institution gives its sittings works;
- ``RR`` the room number (考场号, 01-99) of the application's seat in its first session;
- ``NNN`` the seat number in that room (001-999, the number on the desk);
- ``C`` a check digit by the Damm algorithm over the nine digits before it.

A candidate reads room and seat straight from the number, and the number stays short enough to type at a
scanner that failed. The Damm check digit catches every single mistyped digit and every swap of two
neighbouring digits, the check digit included (ISO 7064 MOD 11,10 misses some swaps, Luhn misses 09/90), so
a wrong manual entry is refused instead of finding another candidate. Unique within a sitting because one
seat of a session holds one application; the caller numbers rooms so that two sessions' rooms with the same
考场号 never both seat someone's first session (in practice: 考场号 counts over the sitting).

**QR payload** (DESIGN.md "QR token"): compact keys, ``"v":1``, the ticket number, what a checker needs to
match the person, and the sessions (start, room number, seat); never a full ID number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from jlexam.domain.levels import SkillLevel, parse_level
from jlexam.errors import ValidationError

TICKET_NUMBER_LENGTH = 10
_BODY = re.compile(r"\d{9}")
_SEPARATORS = re.compile(r"[\s\-]")


# The Damm algorithm's quasigroup of order 10 (H. M. Damm, 2004), as published.
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)


def damm_check_digit(digits: str) -> int:
    """The Damm check digit of a string of digits (a whole number with its check digit gives 0)."""
    interim = 0
    for ch in digits:
        interim = _DAMM[interim][ord(ch) - 48]
    return interim


def make_ticket_number(sitting_no: int, room_no: int, seat_no: int) -> str:
    """``SSSSRRNNNC`` (see the module docstring), e.g. ``make_ticket_number(2503, 7, 15)`` -> ``'2503070152'``."""
    if not 0 <= sitting_no <= 9999:
        raise ValidationError(
            f"认定批次序号 {sitting_no} 超出范围：准考证号中的批次序号应为 0-9999（如 2503）。"
        )
    if not 1 <= room_no <= 99:
        raise ValidationError(
            f"考场号 {room_no} 超出范围：准考证号中的考场号应为 01-99，一个批次的考场超过 99 个时请分批编排。"
        )
    if not 1 <= seat_no <= 999:
        raise ValidationError(f"座位号 {seat_no} 超出范围：准考证号中的座位号应为 001-999。")
    body = f"{sitting_no:04d}{room_no:02d}{seat_no:03d}"
    return f"{body}{damm_check_digit(body)}"


def normalize_ticket_number(text: str) -> str:
    """The ticket number as typed, without spaces or hyphens and with full-width digits made half-width."""
    text = text.translate({0xFF10 + i: 0x30 + i for i in range(10)})
    return _SEPARATORS.sub("", text)


def check_ticket_number(text: str) -> bool:
    """True when ``text`` (spaces and hyphens allowed) is a well-formed ticket number with a right check digit."""
    digits = normalize_ticket_number(text)
    if len(digits) != TICKET_NUMBER_LENGTH or not digits.isascii() or not digits.isdigit():
        return False
    return damm_check_digit(digits[:-1]) == int(digits[-1])


def split_ticket_number(text: str) -> tuple[int, int, int]:
    """(sitting number, room number, seat number) of a valid ticket number; ValidationError otherwise."""
    if not check_ticket_number(text):
        raise ValidationError(f"准考证号“{text}”无效：应为 10 位数字且校验位正确，请核对后重新输入。")
    digits = normalize_ticket_number(text)
    return int(digits[:4]), int(digits[4:6]), int(digits[6:9])


def ticket_payload(
    ticket_number: str,
    name: str,
    masked_id: str,
    occupation_code: str,
    level: SkillLevel | int | str,
    sitting_code: str,
    sessions: Sequence[tuple[datetime | str, str, int]],
) -> dict:
    """The payload signed into the ticket's QR token.

    ``sessions``: (start as a datetime or ``YYYY-MM-DDTHH:MM``, room number or short room code, seat number)
    for every session of the application. ``masked_id`` must already be masked (it must contain ``*``).
    """
    if not check_ticket_number(ticket_number):
        raise ValidationError(f"准考证号“{ticket_number}”无效，不能签发二维码：请先生成正确的准考证号。")
    if "*" not in masked_id:
        raise ValidationError(
            "准考证二维码只能放入遮盖后的证件号码（如 220102********123X），不能放入完整号码。"
        )
    return {
        "v": 1,
        "no": normalize_ticket_number(ticket_number),
        "name": name,
        "id": masked_id,
        "occ": occupation_code,
        "level": int(parse_level(level)),
        "sitting": sitting_code,
        "ses": [
            [
                start.strftime("%Y-%m-%dT%H:%M") if isinstance(start, datetime) else str(start),
                str(room),
                int(seat),
            ]
            for start, room, seat in sessions
        ],
    }
