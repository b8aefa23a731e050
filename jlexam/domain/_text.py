"""Text clean-up shared by the code checks (ID numbers, credit codes, certificate numbers)."""

from __future__ import annotations

import unicodedata

# Full-width ASCII forms U+FF01..U+FF5E map one-to-one onto U+0021..U+007E: Chinese input methods and
# spreadsheets produce "１１０１０５…Ｘ" that is the same number.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_ASCII_UPPER = {code: code - 32 for code in range(ord("a"), ord("z") + 1)}


def _is_invisible(char: str) -> bool:
    # Whitespace of any kind (U+3000, NBSP, tabs) and format characters (zero-width space, BOM, word joiner)
    # come with pasted data and are never part of a code.
    return char.isspace() or unicodedata.category(char) == "Cf"


def compact_half_width(raw: str) -> str:
    """Half-width characters with every space and invisible character removed; case is kept."""
    half = raw.translate(_HALF_WIDTH)
    return "".join(char for char in half if not _is_invisible(char))


def ascii_upper(text: str) -> str:
    """Upper-case ASCII letters only, so that non-ASCII text is never changed in surprising ways."""
    return text.translate(_ASCII_UPPER)


def shown(char: str) -> str:
    """A character as a message shows it: invisible or control characters by their code point."""
    if char.isprintable():
        return char
    return f"U+{ord(char):04X}"
