"""Skill levels (002 §10): 五级/初级工 = 5 up to 一级/高级技师 = 1; a smaller number is a higher level."""

from __future__ import annotations

import re
from enum import IntEnum

from jlexam.domain._text import compact_half_width
from jlexam.errors import ValidationError


class SkillLevel(IntEnum):
    LEVEL_1 = 1
    LEVEL_2 = 2
    LEVEL_3 = 3
    LEVEL_4 = 4
    LEVEL_5 = 5

    @property
    def grade_name(self) -> str:
        return _GRADE_NAMES[self.value]

    @property
    def rank_name(self) -> str:
        return _RANK_NAMES[self.value]

    @property
    def written(self) -> str:
        """The form documents print (RULES.md "Levels and parts"), e.g. 三级/高级工."""
        return f"{self.grade_name}/{self.rank_name}"


# 002 §10
_GRADE_NAMES = {1: "一级", 2: "二级", 3: "三级", 4: "四级", 5: "五级"}
_RANK_NAMES = {1: "高级技师", 2: "技师", 3: "高级工", 4: "中级工", 5: "初级工"}

# Every spelling of one part ("3", "3级", "三级", "高级工") mapped to its level number.
_WORDS: dict[str, int] = {
    word: number
    for number in range(1, 6)
    for word in (str(number), f"{number}级", _GRADE_NAMES[number], _RANK_NAMES[number])
}

# "三级/高级工", "三级(高级工)" (full-width brackets become half-width before this split).
_SEPARATORS = re.compile(r"[/()]")

ACCEPTED_FORMS = "1-5 的数字、“3级”、“三级”、“高级工”、“三级/高级工”或“三级（高级工）”"

# 003 三(三): university students up to 高级工 only.
UNIVERSITY_MAX_LEVEL = SkillLevel.LEVEL_3


def _unknown(text: object) -> ValidationError:
    return ValidationError(
        f"技能等级“{text}”无法识别：请填写{ACCEPTED_FORMS}"
        "（五级/初级工、四级/中级工、三级/高级工、二级/技师、一级/高级技师）。"
    )


def _from_number(value: int | float) -> SkillLevel:
    # Spreadsheet cells hold 3.0 for 3; bool is an int but never a level.
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise _unknown(value)
    if not 1 <= value <= 5:
        raise _unknown(value)
    return SkillLevel(int(value))


def parse_level(text: str | int | float | SkillLevel) -> SkillLevel:
    """A level from any form people write; the parts of a two-part form must name the same level."""
    if isinstance(text, SkillLevel):
        return text
    if isinstance(text, int | float):
        return _from_number(text)
    parts = [part for part in _SEPARATORS.split(compact_half_width(str(text))) if part]
    numbers = {_WORDS.get(part) for part in parts}
    if not 1 <= len(parts) <= 2 or None in numbers:
        raise _unknown(text)
    if len(numbers) != 1:
        raise ValidationError(
            f"技能等级“{text}”前后矛盾：{'与'.join(parts)}不是同一个等级，请按“三级/高级工”的形式填写一个等级。"
        )
    return SkillLevel(numbers.pop())


def is_level_allowed_for_student(level: SkillLevel | int | str) -> bool:
    """True for 三级/高级工 and below (003 三(三)); a larger number is a lower level."""
    return parse_level(level) >= UNIVERSITY_MAX_LEVEL
