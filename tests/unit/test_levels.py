"""Skill levels (002 §10) and the university limit (003 三(三))."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jlexam.domain.levels import (
    UNIVERSITY_MAX_LEVEL,
    SkillLevel,
    is_level_allowed_for_student,
    parse_level,
)
from jlexam.errors import ValidationError

# 002 §10, written out independently of the module's tables.
NAMES = {
    1: ("一级", "高级技师", "一级/高级技师"),
    2: ("二级", "技师", "二级/技师"),
    3: ("三级", "高级工", "三级/高级工"),
    4: ("四级", "中级工", "四级/中级工"),
    5: ("五级", "初级工", "五级/初级工"),
}


@pytest.mark.parametrize("number", range(1, 6))
def test_names(number: int) -> None:
    level = SkillLevel(number)
    assert (level.grade_name, level.rank_name, level.written) == NAMES[number]
    assert level == number
    assert level.name == f"LEVEL_{number}"


@pytest.mark.parametrize(
    "text",
    [3, 3.0, "3", "三级", "高级工", "三级/高级工", "三级（高级工）", "三级(高级工)", "3级", "３", "３级",
     " 三级 ", "三级 / 高级工", "高级工/三级", "\u3000三级（高级工）\t", SkillLevel.LEVEL_3],
)  # fmt: skip
def test_parse_level_forms(text: str | int) -> None:
    assert parse_level(text) is SkillLevel.LEVEL_3


@pytest.mark.parametrize("number", range(1, 6))
def test_parse_every_name(number: int) -> None:
    grade, rank, written = NAMES[number]
    for text in (grade, rank, written, f"{grade}（{rank}）", str(number), f"{number}级"):
        assert parse_level(text) == number


def test_rank_names_are_not_confused() -> None:
    # "技师" is contained in "高级技师" and "高级工" shares "高级" with it: whole-word matching only.
    assert parse_level("技师") is SkillLevel.LEVEL_2
    assert parse_level("高级技师") is SkillLevel.LEVEL_1
    assert parse_level("高级工") is SkillLevel.LEVEL_3


@pytest.mark.parametrize(
    "text", [0, 6, -1, 2.5, True, "", "六级", "高级", "三", "3/高级工/三级", "特级技师", "level 3", "三级工"]
)
def test_parse_level_rejects(text: object) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_level(text)  # type: ignore[arg-type]
    assert f"技能等级“{text}”无法识别" in caught.value.message
    assert "三级/高级工" in caught.value.message  # the accepted forms are listed


def test_parse_level_rejects_contradiction() -> None:
    with pytest.raises(ValidationError, match="前后矛盾：三级与技师不是同一个等级"):
        parse_level("三级/技师")


def test_university_limit() -> None:
    # 003 三(三): 高级工 and below.
    assert UNIVERSITY_MAX_LEVEL is SkillLevel.LEVEL_3
    allowed = {level for level in SkillLevel if is_level_allowed_for_student(level)}
    assert allowed == {SkillLevel.LEVEL_3, SkillLevel.LEVEL_4, SkillLevel.LEVEL_5}
    assert not is_level_allowed_for_student("技师")
    assert is_level_allowed_for_student(5)


@given(st.sampled_from(list(SkillLevel)))
def test_written_form_round_trips(level: SkillLevel) -> None:
    assert parse_level(level.written) is level
    assert parse_level(level.grade_name) is level
    assert parse_level(level.rank_name) is level
    assert parse_level(int(level)) is level
