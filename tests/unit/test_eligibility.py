"""The eligibility rules engine (002 §17, RULES.md "Registration and eligibility", 003 三 for universities)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jlexam.domain.eligibility import (
    ApplicantFacts,
    check_condition,
    evaluate,
    is_graduating_student,
    whole_years,
)
from jlexam.domain.levels import SkillLevel
from jlexam.domain.standards import (
    EDUCATION_LEVELS,
    PROFESSIONAL_TITLES,
    Condition,
    Standard,
    default_standard,
)
from jlexam.errors import ValidationError
from jlexam.exchange.standards import load_standards

L1, L2, L3, L4, L5 = (SkillLevel(n) for n in range(1, 6))
ON = date(2026, 6, 30)  # the sitting's registration close
STANDARD = default_standard("6-31-01-03", list(SkillLevel))
BASE = ApplicantFacts(birth_date=date(1990, 1, 1), education="初中")


def facts(**changes: object) -> ApplicantFacts:
    return replace(BASE, **changes)


def route(level: SkillLevel, kind: str, standard: Standard = STANDARD) -> Condition:
    return next(c for c in standard.conditions_for(level) if c.kind == kind)


def reason(level: SkillLevel, kind: str, applicant: ApplicantFacts, on: date = ON) -> tuple[bool, str]:
    result = check_condition(route(level, kind), applicant, on)
    return result.met, result.reason


# --- whole years -----------------------------------------------------------------------------------------


def test_whole_years() -> None:
    assert whole_years(date(2021, 6, 30), date(2026, 6, 29)) == 4
    assert whole_years(date(2021, 6, 30), date(2026, 6, 30)) == 5
    assert whole_years(date(2026, 7, 1), date(2026, 6, 30)) == -1
    # 29 February reaches its anniversary on 1 March in other years.
    assert whole_years(date(2020, 2, 29), date(2023, 2, 28)) == 2
    assert whole_years(date(2020, 2, 29), date(2023, 3, 1)) == 3
    assert whole_years(date(2020, 2, 29), date(2024, 2, 29)) == 4


# --- level 5: age -----------------------------------------------------------------------------------------


def test_level_5_age_met_on_the_sixteenth_birthday() -> None:
    assert reason(L5, "age_and_work", facts(birth_date=date(2010, 6, 30))) == (
        True,
        "年满16周岁（2010-06-30 出生）",
    )


def test_level_5_age_not_met_the_day_before() -> None:
    assert reason(L5, "age_and_work", facts(birth_date=date(2010, 7, 1))) == (
        False,
        "未满16周岁（2010-07-01 出生，至 2026-06-30 为 15 周岁）",
    )


# --- years in the occupation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("years", "expected"),
    [
        (5, (True, "从事本职业年限 5 年，满 5 年")),
        (4, (False, "从事本职业年限 4 年，不足 5 年")),
        (None, (False, "未填写从事本职业年限")),
    ],
)
def test_level_4_years_in_occupation(years: int | None, expected: tuple[bool, str]) -> None:
    assert reason(L4, "years_in_occupation", facts(years_in_occupation=years)) == expected


def test_level_3_years_in_occupation() -> None:
    assert reason(L3, "years_in_occupation", facts(years_in_occupation=3)) == (
        False,
        "从事本职业年限 3 年，不足 10 年",
    )
    assert reason(L3, "years_in_occupation", facts(years_in_occupation=10))[0]


# --- years after a level -----------------------------------------------------------------------------------

HOLDS_5 = facts(prior_level=L5, prior_certificate_date=date(2023, 6, 30), years_in_occupation=3)


def test_years_after_level_met_on_the_anniversary() -> None:
    assert reason(L4, "years_after_level", HOLDS_5) == (
        True,
        "持五级/初级工证书满3年（2023-06-30 取得）；从事本职业年限 3 年，满 3 年",
    )


def test_years_after_level_not_met_the_day_before() -> None:
    assert reason(L4, "years_after_level", HOLDS_5, date(2026, 6, 29)) == (
        False,
        "持五级/初级工证书 2 年（2023-06-30 取得），不足 3 年",
    )


def test_years_after_level_counts_a_leap_day_certificate_from_1_march() -> None:
    leap = replace(HOLDS_5, prior_certificate_date=date(2020, 2, 29))
    assert not reason(L4, "years_after_level", leap, date(2023, 2, 28))[0]
    assert reason(L4, "years_after_level", leap, date(2023, 3, 1))[0]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"prior_level": None, "prior_certificate_date": None}, "未持有五级/初级工或更高等级证书"),
        ({"prior_certificate_date": None}, "持五级/初级工证书，但未填写取得日期"),
        (
            {"prior_certificate_date": date(2026, 7, 1)},
            "持五级/初级工证书取得日期 2026-07-01 晚于参照日期 2026-06-30",
        ),
        ({"years_in_occupation": 2}, "从事本职业年限 2 年，不足 3 年"),
        ({"years_in_occupation": None}, "未填写从事本职业年限"),
    ],
)
def test_years_after_level_not_met(changes: dict, expected: str) -> None:
    assert reason(L4, "years_after_level", replace(HOLDS_5, **changes)) == (False, expected)


def test_a_higher_certificate_counts_for_a_lower_one() -> None:
    holds_4 = replace(HOLDS_5, prior_level=L4)
    assert reason(L4, "years_after_level", holds_4) == (
        True,
        "持四级/中级工证书满3年（2023-06-30 取得）；从事本职业年限 3 年，满 3 年",
    )


def test_a_lower_certificate_does_not_count() -> None:
    assert reason(L3, "years_after_level", replace(HOLDS_5, years_in_occupation=9)) == (
        False,
        "所持五级/初级工证书低于四级/中级工",
    )


def test_level_3_four_years_after_level_4() -> None:
    applicant = facts(prior_level=L4, prior_certificate_date=date(2019, 6, 1), years_in_occupation=7)
    assert reason(L3, "years_after_level", applicant, date(2023, 6, 1)) == (
        True,
        "持四级/中级工证书满4年（2019-06-01 取得）；从事本职业年限 7 年，满 4 年",
    )
    assert reason(L3, "years_after_level", applicant, date(2023, 5, 31)) == (
        False,
        "持四级/中级工证书 3 年（2019-06-01 取得），不足 4 年",
    )


def test_level_2_five_years_after_level_3_and_level_1_four_years_after_level_2() -> None:
    l3 = facts(prior_level=L3, prior_certificate_date=date(2021, 6, 30), years_in_occupation=12)
    assert reason(L2, "years_after_level", l3)[0]
    assert reason(L2, "years_after_level", l3, date(2026, 6, 29)) == (
        False,
        "持三级/高级工证书 4 年（2021-06-30 取得），不足 5 年",
    )
    l2 = facts(prior_level=L2, prior_certificate_date=date(2022, 6, 30), years_in_occupation=20)
    assert reason(L1, "years_after_level", l2) == (
        True,
        "持二级/技师证书满4年（2022-06-30 取得）；从事本职业年限 20 年，满 4 年",
    )
    assert not reason(L1, "years_after_level", l2, date(2026, 6, 29))[0]


# --- diplomas --------------------------------------------------------------------------------------------


def test_level_4_diploma_met() -> None:
    assert reason(L4, "diploma", facts(education="技工院校", major_matches=True)) == (
        True,
        "学历为技工院校，专业对应",
    )
    assert reason(L4, "diploma", facts(education="高中/中专", major_matches=True))[0]
    assert reason(L4, "diploma", facts(education="本科", major_matches=True))[0]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"education": "初中", "major_matches": True},
            "学历为初中，不属于高中/中专、技工院校、技工院校高级工班、大专/高职、本科、研究生",
        ),
        ({"education": "技工院校", "major_matches": False}, "所学专业与本职业不对应"),
        # A 普通高中 diploma has no major, so it never matches: only 中专 passes with "高中/中专".
        ({"education": "高中/中专", "major_matches": None}, "未确认所学专业与本职业对应"),
        (
            {"education": "初中", "major_matches": False},
            "学历为初中，不属于高中/中专、技工院校、技工院校高级工班、大专/高职、本科、研究生，所学专业与本职业不对应",
        ),
    ],
)
def test_level_4_diploma_not_met(changes: dict, expected: str) -> None:
    assert reason(L4, "diploma", facts(**changes)) == (False, expected)


def test_a_student_counts_in_the_graduating_year_only() -> None:
    student = facts(education="技工院校", major_matches=True, is_student=True, graduation_year=2026)
    assert reason(L4, "diploma", student) == (True, "学历为技工院校（在读应届毕业生，2026年毕业），专业对应")
    assert reason(L4, "diploma", replace(student, graduation_year=2028)) == (
        False,
        "在读学生（2028年毕业）不是应届毕业生，尚未取得毕业证书",
    )
    assert reason(L4, "diploma", replace(student, graduation_year=None)) == (
        False,
        "在读学生未填写毕业年份，无法确认是否为应届毕业生",
    )


def test_level_3_level_4_plus_college_diploma() -> None:
    applicant = facts(
        education="大专/高职", major_matches=True, prior_level=L4, prior_certificate_date=date(2025, 1, 1)
    )
    assert reason(L3, "diploma_plus_level", applicant) == (
        True,
        "学历为大专/高职，专业对应；持四级/中级工证书",
    )
    assert reason(L3, "diploma_plus_level", replace(applicant, prior_level=None)) == (
        False,
        "未持有四级/中级工或更高等级证书",
    )
    assert reason(L3, "diploma_plus_level", replace(applicant, education="技工院校")) == (
        False,
        "学历为技工院校，不属于大专/高职、本科、研究生",
    )


def test_level_3_senior_class_diploma() -> None:
    assert reason(L3, "diploma", facts(education="技工院校高级工班", major_matches=True)) == (
        True,
        "学历为技工院校高级工班，专业对应",
    )
    assert reason(L3, "diploma", facts(education="技工院校", major_matches=True)) == (
        False,
        "学历为技工院校，不属于技工院校高级工班",
    )


# --- professional titles ---------------------------------------------------------------------------------

TITLED = facts(professional_title="中级职称", title_date=date(2025, 6, 30), years_in_occupation=1)


def test_level_2_title_plus_one_year_met_on_the_anniversary() -> None:
    assert reason(L2, "title_plus_years", TITLED) == (
        True,
        "取得中级职称满1年（2025-06-30 取得）；从事本职业年限 1 年，满 1 年",
    )
    assert reason(L2, "title_plus_years", replace(TITLED, professional_title="高级职称"))[0]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"title_date": date(2025, 7, 1)}, "取得中级职称 0 年（2025-07-01 取得），不足 1 年"),
        ({"professional_title": "初级职称"}, "所持初级职称低于中级职称"),
        ({"professional_title": None, "title_date": None}, "未取得中级职称或更高职称"),
        ({"title_date": None}, "取得中级职称，但未填写取得日期"),
        ({"years_in_occupation": 0}, "从事本职业年限 0 年，不足 1 年"),
    ],
)
def test_level_2_title_not_met(changes: dict, expected: str) -> None:
    assert reason(L2, "title_plus_years", replace(TITLED, **changes)) == (False, expected)


# --- other kinds of route (used by overrides) ------------------------------------------------------------


def test_enrolled_student_and_diploma_plus_years() -> None:
    enrolled = Condition(kind="enrolled_student", diplomas=("本科",))
    student = facts(education="本科", is_student=True, graduation_year=2029, major_matches=True)
    assert check_condition(enrolled, student, ON).reason == "本科在校生，专业对应"
    assert check_condition(enrolled, replace(student, is_student=False), ON).reason == "不是在校生"
    with_years = Condition(kind="diploma_plus_years", diplomas=("大专/高职",), years=2)
    graduate = facts(education="大专/高职", major_matches=True, years_in_occupation=2)
    assert (
        check_condition(with_years, graduate, ON).reason
        == "学历为大专/高职，专业对应；从事本职业年限 2 年，满 2 年"
    )
    both = Condition(kind="diploma_plus_years_after_level", diplomas=("本科",), prior_level=L4, years=1)
    holder = facts(
        education="本科",
        major_matches=True,
        prior_level=L4,
        prior_certificate_date=date(2025, 6, 30),
        years_in_occupation=1,
    )
    assert check_condition(both, holder, ON).reason == (
        "学历为本科，专业对应；持四级/中级工证书满1年（2025-06-30 取得）；从事本职业年限 1 年，满 1 年"
    )


# --- the finding -----------------------------------------------------------------------------------------


def test_eligible_names_the_first_route_met() -> None:
    applicant = facts(years_in_occupation=6, prior_level=L5, prior_certificate_date=date(2020, 1, 1))
    result = evaluate(STANDARD, L4, applicant, ON)
    assert result.eligible and result.level == L4
    assert result.met is result.results[0]
    assert [r.met for r in result.results] == [True, True, False]
    assert result.summary == (
        "符合报考四级/中级工的申报条件“累计从事本职业或相关职业工作满5年”：从事本职业年限 6 年，满 5 年。"
    )
    assert result.graduating_student is None


def test_ineligible_lists_every_route() -> None:
    result = evaluate(STANDARD, "二级", facts(years_in_occupation=3), ON)
    assert not result.eligible and result.met is None
    assert result.summary == (
        "不符合报考二级/技师的申报条件（002 §17），以下条件均未满足："
        "（1）“取得本职业或相关职业三级/高级工证书后，累计从事本职业或相关职业工作满5年”——未持有三级/高级工或更高等级证书；"
        "从事本职业年限 3 年，不足 5 年。"
        "（2）“取得中级职称（或更高职称）后，从事本职业或相关职业工作满1年”——未取得中级职称或更高职称。"
    )


def test_a_level_the_standard_lacks_is_refused() -> None:
    standard = default_standard("4-04-05-01", [4, 3, 2])
    with pytest.raises(ValidationError, match="未设置五级/初级工") as info:
        evaluate(standard, L5, BASE, ON)
    assert info.value.rule == "002 §16"


def test_birth_after_the_reference_date_is_refused() -> None:
    with pytest.raises(ValidationError, match="晚于参照日期"):
        evaluate(STANDARD, L5, facts(birth_date=date(2026, 7, 1)), ON)


def test_overrides_change_the_finding() -> None:
    standards = load_standards()
    applicant = facts(years_in_occupation=2)
    assert not evaluate(STANDARD, L4, applicant, ON).eligible
    programmer = evaluate(standards["4-04-05-01"], L4, applicant, ON)
    assert programmer.eligible
    assert programmer.met is not None and programmer.met.condition.description == "连续从事本职业工作2年以上"
    medical = facts(education="大专/高职", major_matches=True)
    assert evaluate(standards["4-14-02-02"], L3, medical, ON).eligible
    assert not evaluate(default_standard("4-14-02-02", [3, 2, 1]), L3, medical, ON).eligible


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("education", "小学", "学历“小学”无法识别"),
        ("professional_title", "正高", "职称“正高”无法识别"),
        ("years_in_occupation", -1, "不小于 0"),
        ("graduation_year", 26, "有效的年份"),
    ],
)
def test_facts_are_validated(field: str, value: object, words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        facts(**{field: value})


def test_prior_level_may_be_given_as_a_number() -> None:
    assert facts(prior_level=4).prior_level is L4


# --- universities (003) ----------------------------------------------------------------------------------

STUDENT = facts(
    birth_date=date(2004, 9, 1),
    education="大专/高职",
    is_student=True,
    graduation_year=2026,
    major_matches=True,
    prior_level=L4,
    prior_certificate_date=date(2025, 6, 1),
)


@pytest.mark.parametrize("level", [L2, L1])
def test_students_are_capped_at_level_3(level: SkillLevel) -> None:
    held = SkillLevel(level + 1)
    senior = replace(
        STUDENT, prior_level=held, prior_certificate_date=date(2015, 1, 1), years_in_occupation=15
    )
    assert evaluate(STANDARD, level, senior, ON).eligible  # not as a university student
    result = evaluate(STANDARD, level, senior, ON, university_student=True)
    assert not result.eligible and result.met is None
    assert (
        result.summary
        == f"高等学校学生只能报考三级/高级工及以下等级（003 三(三)），不能报考{level.written}。"
    )
    assert result.results  # the routes are still checked and kept as evidence (002 §17)


def test_graduating_student_may_apply_for_level_3() -> None:
    result = evaluate(STANDARD, L3, STUDENT, ON, university_student=True)
    assert result.eligible and result.graduating_student is True
    assert result.met is not None and result.met.condition.kind == "diploma_plus_level"
    assert result.summary.endswith("该生为毕业年度毕业生（2026年毕业），属于主要认定对象（003 三(二)）。")


def test_university_student_needs_a_matching_major() -> None:
    result = evaluate(STANDARD, L5, replace(STUDENT, major_matches=False), ON, university_student=True)
    assert not result.eligible
    assert result.summary == "高等学校学生只能报考本专业相关职业（003 三(三)）：所学专业与本职业不对应。"
    unchecked = evaluate(STANDARD, L5, replace(STUDENT, major_matches=None), ON, university_student=True)
    assert (
        unchecked.summary == "高等学校学生只能报考本专业相关职业（003 三(三)）：未确认所学专业与本职业对应。"
    )


def test_non_graduating_student_is_noted() -> None:
    result = evaluate(STANDARD, L5, replace(STUDENT, graduation_year=2028), ON, university_student=True)
    assert result.eligible and result.graduating_student is False
    assert result.summary.endswith("该生不是毕业年度毕业生，按 003 三(二) 依申请扩面受理。")


@pytest.mark.parametrize(
    ("graduation_year", "on", "graduating"),
    [
        (2026, date(2026, 1, 1), True),
        (2026, date(2026, 12, 31), True),
        (2027, date(2026, 8, 31), False),
        (2027, date(2026, 9, 1), True),  # the final school year has begun
        (2025, date(2026, 1, 1), False),
        (2028, date(2026, 12, 31), False),
    ],
)
def test_graduating_year(graduation_year: int, on: date, graduating: bool) -> None:
    assert is_graduating_student(replace(STUDENT, graduation_year=graduation_year), on) is graduating
    assert not is_graduating_student(replace(STUDENT, graduation_year=graduation_year, is_student=False), on)


# --- more experience never hurts -------------------------------------------------------------------------

_STANDARDS = list(load_standards().values())
_DATES = st.dates(min_value=date(1990, 1, 1), max_value=ON)


@st.composite
def applicants(draw: st.DrawFn) -> ApplicantFacts:
    titled = draw(st.sampled_from((None, *PROFESSIONAL_TITLES)))
    return ApplicantFacts(
        birth_date=draw(st.dates(min_value=date(1950, 1, 1), max_value=ON)),
        education=draw(st.sampled_from(EDUCATION_LEVELS)),
        years_in_occupation=None,
        prior_level=draw(st.none() | st.sampled_from(list(SkillLevel))),
        prior_certificate_date=draw(st.none() | _DATES),
        professional_title=titled,
        title_date=draw(st.none() | _DATES) if titled else None,
        is_student=draw(st.booleans()),
        graduation_year=draw(st.none() | st.integers(2020, 2030)),
        major_matches=draw(st.none() | st.booleans()),
    )


@given(
    standard=st.sampled_from(_STANDARDS),
    applicant=applicants(),
    years=st.tuples(st.integers(0, 40), st.integers(0, 40)).map(sorted),
    level_index=st.integers(0, 4),
    university=st.booleans(),
)
def test_more_years_never_turn_eligible_into_ineligible(
    standard: Standard, applicant: ApplicantFacts, years: list[int], level_index: int, university: bool
) -> None:
    level = standard.levels[level_index % len(standard.levels)]
    fewer, more = (
        evaluate(
            standard, level, replace(applicant, years_in_occupation=y), ON, university_student=university
        )
        for y in years
    )
    if fewer.eligible:
        assert more.eligible
    for before, after in zip(fewer.results, more.results, strict=True):
        assert after.met or not before.met
