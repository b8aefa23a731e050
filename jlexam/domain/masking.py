"""Masks for personal data on public lists (002 §25 publicity, 002 §31 confidentiality).

Every mask keeps the length of what it hides, so columns stay aligned, and never reveals more than its
rule allows.
"""

from __future__ import annotations

import unicodedata

MASK = "*"
_ID_LENGTH = 18
# RULES.md "Scoring and publicity": an 18-character ID number shows at most its first 6 and last 4.
_ID_MAX_REVEALED = 10
_ZWJ = "\u200d"


def _revealed_counts(length: int, keep_start: int, keep_end: int) -> tuple[int, int]:
    if length == _ID_LENGTH:
        limit = _ID_MAX_REVEALED
    else:
        # Other documents (passports, permits, old 15-digit numbers) keep proportionally less, never more
        # than asked for and never more than half of their characters.
        keep_start = min(keep_start, keep_start * length // _ID_LENGTH)
        keep_end = min(keep_end, keep_end * length // _ID_LENGTH)
        limit = length // 2
    while keep_start + keep_end > limit:
        if keep_start >= keep_end:
            keep_start -= 1
        else:
            keep_end -= 1
    return keep_start, keep_end


def mask_id_number(number: str, keep_start: int = 6, keep_end: int = 4) -> str:
    """``220102********123X``; a stricter mask (smaller keep values) may be chosen, a looser one not."""
    if keep_start < 0 or keep_end < 0:
        raise ValueError("keep_start and keep_end must not be negative")
    start, end = _revealed_counts(len(number), keep_start, keep_end)
    hidden = len(number) - start - end
    return number[:start] + MASK * hidden + number[len(number) - end :]


def mask_phone(phone: str) -> str:
    """``138****5678``: only digits are masked, so separators and ``+`` stay where they were."""
    digits = [index for index, char in enumerate(phone) if char.isdigit()]
    count = len(digits)
    # A mobile number shows its 3-digit network prefix and last 4 digits; a shorter number at most half.
    keep_start = 3 if count >= 11 else 0
    keep_end = min(4, count // 2)
    hidden = set(digits[keep_start : count - keep_end])
    return "".join(MASK if index in hidden else char for index, char in enumerate(phone))


def _is_attached(char: str, previous: str) -> bool:
    # Combining marks and variation selectors (category M*) belong to the character before them, and so
    # does whatever follows a zero-width joiner.
    return unicodedata.category(char).startswith("M") or char == _ZWJ or previous == _ZWJ


def _characters(text: str) -> list[str]:
    """User-perceived characters: code points outside the BMP (𠇔) count as one, marks join their base."""
    clusters: list[str] = []
    for char in text:
        if clusters and _is_attached(char, clusters[-1][-1]):
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters


def mask_name(name: str) -> str:
    """张*三 for three or more characters, 张* for two, * for one; surrounding spaces are dropped."""
    chars = _characters(name.strip())
    if len(chars) <= 1:
        return MASK * len(chars)
    if len(chars) == 2:
        return chars[0] + MASK
    return chars[0] + MASK * (len(chars) - 2) + chars[-1]
