"""Occupation standards as data (RULES.md "Levels and parts", "Registration and eligibility", "Arrangement")."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jlexam.domain.levels import SkillLevel
from jlexam.domain.standards import (
    CONDITION_KINDS,
    EDUCATION_LEVELS,
    PROFESSIONAL_TITLES,
    Condition,
    ExamPart,
    PartRule,
    StaffRatio,
    Standard,
    StandardDataError,
    default_standard,
    standard_from_dict,
    standard_to_dict,
)
from jlexam.errors import ValidationError
from jlexam.exchange.catalogue import Occupation, load_occupations
from jlexam.exchange.standards import load_standards

ALL_LEVELS = tuple(SkillLevel)
L1, L2, L3, L4, L5 = (SkillLevel(n) for n in range(1, 6))


# --- defaults --------------------------------------------------------------------------------------------


def test_part_labels() -> None:
    assert [p.label for p in ExamPart] == ["理论知识考试", "操作技能考核", "综合评审"]
    assert [p.value for p in ExamPart] == ["theory", "practical", "review"]


@pytest.mark.parametrize("level", [L5, L4, L3])
def test_levels_5_to_3_have_theory_and_practical(level: SkillLevel) -> None:
    s = default_standard("6-31-01-03", ALL_LEVELS)
    assert s.parts_for(level) == (
        PartRule(ExamPart.THEORY, 90, Decimal(60)),
        PartRule(ExamPart.PRACTICAL, 60, Decimal(60)),
    )


@pytest.mark.parametrize("level", [L2, L1])
def test_levels_2_and_1_add_a_review(level: SkillLevel) -> None:
    s = default_standard("6-31-01-03", ALL_LEVELS)
    parts = s.parts_for(level)
    assert [p.part for p in parts] == [ExamPart.THEORY, ExamPart.PRACTICAL, ExamPart.REVIEW]
    assert [p.min_minutes for p in parts] == [90, 60, 15]
    assert {p.pass_mark for p in parts} == {Decimal(60)}


def test_pass_mark_is_inclusive() -> None:
    rule = PartRule(ExamPart.THEORY, 90)
    assert rule.passes(Decimal(60)) and not rule.passes(Decimal("59.5"))


def test_default_standard_only_has_the_given_levels() -> None:
    s = default_standard("4-04-05-01", [4, "三级", L2])
    assert s.levels == (L4, L3, L2)
    assert s.has_level(3) and not s.has_level(5)
    with pytest.raises(ValidationError, match="未设置五级/初级工"):
        s.parts_for(L5)
    with pytest.raises(ValidationError, match="未设置一级/高级技师"):
        s.conditions_for(1)


def test_default_conditions_follow_rules_md() -> None:
    s = default_standard("6-31-01-03", ALL_LEVELS)
    kinds = {level: [c.kind for c in s.conditions_for(level)] for level in ALL_LEVELS}
    assert kinds == {
        L5: ["age_and_work"],
        L4: ["years_in_occupation", "years_after_level", "diploma"],
        L3: ["years_in_occupation", "years_after_level", "diploma_plus_level", "diploma"],
        L2: ["years_after_level", "title_plus_years"],
        L1: ["years_after_level"],
    }
    descriptions = {level: [c.description for c in s.conditions_for(level)] for level in ALL_LEVELS}
    assert descriptions[L5] == ["年满16周岁，拟从事或正在从事本职业或相关职业工作"]
    assert descriptions[L4][:2] == [
        "累计从事本职业或相关职业工作满5年",
        "取得本职业或相关职业五级/初级工证书后，累计从事本职业或相关职业工作满3年",
    ]
    assert descriptions[L3][:2] == [
        "累计从事本职业或相关职业工作满10年",
        "取得本职业或相关职业四级/中级工证书后，累计从事本职业或相关职业工作满4年",
    ]
    assert descriptions[L2] == [
        "取得本职业或相关职业三级/高级工证书后，累计从事本职业或相关职业工作满5年",
        "取得中级职称（或更高职称）后，从事本职业或相关职业工作满1年",
    ]
    assert descriptions[L1] == ["取得本职业或相关职业二级/技师证书后，累计从事本职业或相关职业工作满4年"]
    level4_diploma = s.conditions_for(L4)[2]
    assert "技工院校" in level4_diploma.diplomas and "高中/中专" in level4_diploma.diplomas
    assert "初中" not in level4_diploma.diplomas
    level3 = s.conditions_for(L3)
    assert level3[2].prior_level == L4 and level3[2].diplomas == ("大专/高职", "本科", "研究生")
    assert level3[3].diplomas == ("技工院校高级工班",)


def test_description_is_filled_in_when_empty() -> None:
    c = Condition(kind="diploma_plus_years", diplomas=("本科",), years=2)
    assert c.description == "取得本专业或相关专业的本科毕业证书，累计从事本职业或相关职业工作满2年"
    assert Condition(kind="enrolled_student", diplomas=("本科",)).description == "本科本专业或相关专业在校生"


# --- staff ratios ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("candidates", "needed"), [(0, 0), (1, 2), (15, 2), (30, 2), (31, 3), (45, 3), (46, 4)]
)
def test_invigilators(candidates: int, needed: int) -> None:
    assert StaffRatio().invigilators_needed(candidates) == needed


@pytest.mark.parametrize(
    ("candidates", "needed"), [(0, 0), (1, 3), (15, 3), (16, 5), (20, 5), (25, 5), (26, 7)]
)
def test_assessors_are_at_least_three_and_odd(candidates: int, needed: int) -> None:
    assert StaffRatio().assessors_needed(candidates) == needed


def test_review_panel() -> None:
    assert StaffRatio().review_panel_needed() == 3
    assert StaffRatio(min_review_panel=4).review_panel_needed() == 5
    assert StaffRatio(min_review_panel=4, review_panel_odd=False).review_panel_needed() == 4
    assert StaffRatio(practical_assessors_odd=False).assessors_needed(16) == 4


def test_ratio_refuses_bad_values() -> None:
    with pytest.raises(StandardDataError, match="candidates_per_invigilator") as info:
        StaffRatio(candidates_per_invigilator=0)
    assert info.value.field == "candidates_per_invigilator"
    with pytest.raises(ValidationError, match="考生人数"):
        StaffRatio().invigilators_needed(-1)


# --- to and from data ------------------------------------------------------------------------------------


def test_to_dict_is_json_and_round_trips() -> None:
    s = default_standard("6-31-01-03", ALL_LEVELS)
    data = json.loads(json.dumps(standard_to_dict(s), ensure_ascii=False))
    assert data["parts"]["2"][2] == {"part": "review", "min_minutes": 15, "pass_mark": "60"}
    assert data["conditions"]["4"][1] == {
        "kind": "years_after_level",
        "years": 3,
        "prior_level": 5,
        "description": "取得本职业或相关职业五级/初级工证书后，累计从事本职业或相关职业工作满3年",
    }
    assert data["ratios"]["candidates_per_invigilator"] == 15
    assert standard_from_dict(data) == s


def test_from_dict_fills_defaults() -> None:
    data = {
        "occupation_code": "6-31-01-03",
        "parts": {"5": [{"part": "theory", "min_minutes": 120}]},
        "conditions": {"5": [{"kind": "age_and_work", "min_age": 18}]},
    }
    s = standard_from_dict(data)
    assert s.parts[L5] == (PartRule(ExamPart.THEORY, 120, Decimal(60)),)
    assert s.ratios == StaffRatio()
    assert s.conditions[L5][0].description == "年满18周岁，拟从事或正在从事本职业或相关职业工作"


def _good() -> dict:
    return standard_to_dict(default_standard("6-31-01-03", ALL_LEVELS))


def _set(data: dict, path: tuple, value: object) -> dict:
    data = copy.deepcopy(data)
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


_DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "field", "words"),
    [
        (("parts", "3", 0, "min_minutes"), 0, "parts.3[0].min_minutes", "正整数"),
        (("parts", "3", 0, "min_minutes"), "90", "parts.3[0].min_minutes", "整数"),
        (("parts", "3", 1, "pass_mark"), "abc", "parts.3[1].pass_mark", "数字"),
        (("parts", "3", 1, "pass_mark"), "120", "parts.3[1].pass_mark", "不超过 100"),
        (("parts", "3", 1, "pass_mark"), "NaN", "parts.3[1].pass_mark", "有限"),
        (("parts", "2", 2, "part"), "oral", "parts.2[2].part", "theory、practical 或 review"),
        (("parts", "2", 2, "part"), "theory", "parts.2[2].part", "重复"),
        (("parts", "2", 0, "minutes"), 90, "parts.2[0].minutes", "不是可用的字段"),
        (("parts", "6"), [], "parts.6", "不是等级"),
        (("parts", "4"), [], "parts.4", "为空"),
        (("parts", "4"), {}, "parts.4", "列表"),
        (("conditions", "4", 0, "kind"), "vibes", "conditions.4[0].kind", "不是已知的条件类型"),
        (("conditions", "4", 0, "years"), -1, "conditions.4[0].years", "1 至 100"),
        (("conditions", "4", 0, "years"), _DELETE, "conditions.4[0].years", "缺失"),
        (("conditions", "4", 0, "min_age"), 16, "conditions.4[0].min_age", "不适用"),
        (("conditions", "4", 1, "prior_level"), 4, "conditions.4[1].prior_level", "应低于所报等级"),
        (("conditions", "4", 1, "prior_level"), 9, "conditions.4[1].prior_level", "不是等级"),
        (("conditions", "4", 2, "diplomas"), ["博士后"], "conditions.4[2].diplomas[0]", "不是已知的学历"),
        (("conditions", "4", 2, "diplomas"), ["本科", "本科"], "conditions.4[2].diplomas", "重复"),
        (("conditions", "2", 1, "title"), "特级职称", "conditions.2[1].title", "不是已知的职称"),
        (("conditions", "1"), _DELETE, "conditions.1", "缺失"),
        (("ratios", "min_review_panel"), 0, "ratios.min_review_panel", "正整数"),
        (("ratios", "review_panel_odd"), "yes", "ratios.review_panel_odd", "true 或 false"),
        (("ratios", "panel"), 3, "ratios.panel", "不是可用的字段"),
        (("occupation_code",), "6-31-1-3", "occupation_code", "6-31-01-03"),
        (("occupation_code",), _DELETE, "occupation_code", "缺失"),
        (("extra",), 1, "extra", "不是可用的字段"),
    ],
)
def test_from_dict_names_the_bad_field(path: tuple, value: object, field: str, words: str) -> None:
    with pytest.raises(ValidationError) as info:
        standard_from_dict(_set(_good(), path, value))
    assert isinstance(info.value, StandardDataError)
    assert info.value.field == field
    assert f"字段“{field}”" in info.value.message
    assert words in info.value.message


def test_from_dict_refuses_a_non_object() -> None:
    with pytest.raises(ValidationError, match="对象"):
        standard_from_dict([1, 2])


# Any valid standard survives the trip through JSON.
_PASS_MARKS = st.decimals(min_value=Decimal("0.5"), max_value=Decimal(100), places=1)


@st.composite
def _conditions(draw: st.DrawFn, level: SkillLevel) -> Condition:
    lower = [lv for lv in SkillLevel if lv > level]
    kinds = [k for k in CONDITION_KINDS if lower or "prior_level" not in CONDITION_KINDS[k]]
    kind = draw(st.sampled_from(kinds))
    needs = CONDITION_KINDS[kind]
    return Condition(
        kind=kind,
        years=draw(st.integers(1, 30)) if "years" in needs else None,
        prior_level=draw(st.sampled_from(lower)) if "prior_level" in needs else None,
        diplomas=tuple(draw(st.lists(st.sampled_from(EDUCATION_LEVELS), min_size=1, max_size=3, unique=True)))
        if "diplomas" in needs
        else (),
        min_age=draw(st.integers(14, 60)) if "min_age" in needs else None,
        title=draw(st.sampled_from(PROFESSIONAL_TITLES)) if "title" in needs else None,
        description=draw(st.sampled_from(["", "自定义说明：满足标准原文所列条件"])),
    )


@st.composite
def standards(draw: st.DrawFn) -> Standard:
    levels = draw(st.lists(st.sampled_from(list(SkillLevel)), min_size=1, max_size=5, unique=True))
    parts = {}
    conditions = {}
    for level in levels:
        kinds = draw(st.lists(st.sampled_from(list(ExamPart)), min_size=1, max_size=3, unique=True))
        parts[level] = tuple(PartRule(kind, draw(st.integers(1, 600)), draw(_PASS_MARKS)) for kind in kinds)
        conditions[level] = tuple(draw(st.lists(_conditions(level), min_size=1, max_size=4)))
    ratios = StaffRatio(
        candidates_per_invigilator=draw(st.integers(1, 50)),
        min_invigilators_per_room=draw(st.integers(1, 5)),
        candidates_per_assessor=draw(st.integers(1, 20)),
        min_practical_assessors=draw(st.integers(1, 9)),
        practical_assessors_odd=draw(st.booleans()),
        min_review_panel=draw(st.integers(1, 9)),
        review_panel_odd=draw(st.booleans()),
    )
    code = draw(st.from_regex(r"\d-\d{2}-\d{2}-\d{2}", fullmatch=True))
    source = draw(st.text(max_size=20))
    return Standard(occupation_code=code, parts=parts, ratios=ratios, conditions=conditions, source=source)


@given(standards())
def test_round_trip(s: Standard) -> None:
    data = json.loads(json.dumps(standard_to_dict(s)))
    assert standard_from_dict(data) == s


# --- the bundled overrides -------------------------------------------------------------------------------


def test_bundled_overrides_apply() -> None:
    catalogue = {o.code: o for o in load_occupations()}
    standards = load_standards()
    assert set(standards) == set(catalogue)
    for code, s in standards.items():
        assert s.levels == catalogue[code].levels, code

    programmer = standards["4-04-05-01"]
    assert programmer.levels == (L4, L3, L2)
    assert [p.min_minutes for p in programmer.parts_for(L4)] == [90, 180]
    assert [(p.part, p.min_minutes) for p in programmer.parts_for(L2)][-1] == (ExamPart.REVIEW, 30)
    assert programmer.conditions_for(L4)[0].description == "连续从事本职业工作2年以上"
    # Level 2 conditions were not overridden: the default routes remain.
    assert programmer.conditions_for(L2) == default_standard("4-04-05-01", [4, 3, 2]).conditions[L2]
    assert "未核实" in programmer.source

    health = standards["4-14-02-02"]
    assert health.levels == (L3, L2, L1)
    assert [c.kind for c in health.conditions_for(L3)] == ["diploma"]
    assert health.parts == default_standard("4-14-02-02", [3, 2, 1]).parts

    hr = standards["4-07-03-04"]
    assert "enrolled_student" in [c.kind for c in hr.conditions_for(L4)]


def test_occupations_without_override_get_the_defaults() -> None:
    standards = load_standards()
    for code in ("6-31-01-03", "3-01-02-07", "4-10-01-06"):
        occupation = next(o for o in load_occupations() if o.code == code)
        assert standards[code] == default_standard(code, occupation.levels)
        assert standards[code].source == ""
    # 制图员 stops at 二级/技师: the catalogue's levels say so, no override needed.
    assert standards["3-01-02-07"].levels == (L5, L4, L3, L2)


def test_overrides_for_occupations_not_given_are_ignored() -> None:
    electrician = Occupation(code="6-31-01-03", name="电工", work_types=(), levels=ALL_LEVELS)
    assert set(load_standards([electrician])) == {"6-31-01-03"}


PROGRAMMER = Occupation(code="4-04-05-01", name="计算机程序设计员", work_types=(), levels=(L4, L3, L2))


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "overrides.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _entry(**extra: object) -> dict:
    return {"source": "测试", "verified": True, **extra}


def test_override_replaces_named_levels_and_ratio_fields(tmp_path: Path) -> None:
    entry = _entry(
        parts={"3": [{"part": "theory", "min_minutes": 120}, {"part": "practical", "min_minutes": 240}]},
        conditions={"4": [{"kind": "years_in_occupation", "years": 2}]},
        ratios={"candidates_per_invigilator": 20},
    )
    s = load_standards([PROGRAMMER], _write(tmp_path, {"_about": "comment", "4-04-05-01": entry}))[
        "4-04-05-01"
    ]
    base = default_standard("4-04-05-01", [4, 3, 2])
    assert [p.min_minutes for p in s.parts_for(L3)] == [120, 240]
    assert s.parts_for(L4) == base.parts_for(L4)
    assert s.conditions_for(L4) == (Condition(kind="years_in_occupation", years=2),)
    assert s.conditions_for(L3) == base.conditions_for(L3)
    assert s.ratios == StaffRatio(candidates_per_invigilator=20)
    assert s.source == "测试"


@pytest.mark.parametrize(
    ("entry", "field", "words"),
    [
        ({"verified": False}, "source", "出处"),
        ({"source": "x"}, "verified", "true/false"),
        (_entry(name="电工"), "name", "不一致"),
        (_entry(notes="x"), "notes", "不是可用的字段"),
        (_entry(parts={"5": [{"part": "theory", "min_minutes": 90}]}), "parts.5", "不在该职业的等级"),
        (_entry(parts={"4": [{"part": "theory", "min_minutes": 0}]}), "parts.4[0].min_minutes", "正整数"),
        (
            _entry(conditions={"3": [{"kind": "diploma", "diplomas": ["小学"]}]}),
            "conditions.3[0].diplomas[0]",
            "学历",
        ),
        (_entry(conditions={"3": []}), "conditions.3", "为空"),
        (_entry(ratios={"min_practical_assessors": -3}), "ratios.min_practical_assessors", "正整数"),
    ],
)
def test_bad_override_is_refused_naming_code_and_field(
    tmp_path: Path, entry: dict, field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as info:
        load_standards([PROGRAMMER], _write(tmp_path, {"4-04-05-01": entry}))
    message = info.value.message
    assert "overrides.json" in message and "4-04-05-01" in message
    assert f"字段“{field}”" in message
    assert words in message


def test_bad_override_file(tmp_path: Path) -> None:
    path = tmp_path / "overrides.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValidationError, match="不是有效的 JSON"):
        load_standards([PROGRAMMER], path)
    with pytest.raises(ValidationError, match="不是职业编码"):
        load_standards([PROGRAMMER], _write(tmp_path, {"电工": _entry()}))
    with pytest.raises(ValidationError, match="JSON 对象"):
        load_standards([PROGRAMMER], _write(tmp_path, [1]))
    with pytest.raises(ValidationError, match="无法读取"):
        load_standards([PROGRAMMER], tmp_path / "missing.json")
