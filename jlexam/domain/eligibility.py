"""The eligibility rules engine: does an applicant meet one of a level's conditions (申报条件)?

002 §17: the institution checks applicants against the conditions of the national standard and keeps the
evidence. :func:`evaluate` tries every route of the level in the standard's order and keeps, for each, a
Chinese reason (why it is met or which requirement fails), so that the finding can be stored with the
application and shown to the reviewer. A reviewer may override a failed check only with a written reason
(RULES.md "Registration and eligibility"); that decision belongs to the service layer, not here.

Dates are arguments: ``on`` is the reference date (the sitting's registration close). Years are whole years
between two dates: an anniversary is reached on the same month and day (a 29 February date reaches it on
1 March in other years).

Universities (003 三): their students apply for 三级/高级工 and below only, for occupations related to their
major (三(三)); graduating-year students (毕业年度毕业生) are the main candidates (三(二)). 003 does not
define 毕业年度; jlexam takes the calendar year of graduation (as national employment policy does) and also
the final school year from 1 September before it (``FINAL_SCHOOL_YEAR_STARTS``), because a sitting in the
autumn term is held for the class leaving next summer. Being a graduating student decides priority, not
eligibility, and the 含在读应届毕业生 clause of the diploma routes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jlexam.domain.levels import UNIVERSITY_MAX_LEVEL, SkillLevel, parse_level
from jlexam.domain.standards import EDUCATION_LEVELS, PROFESSIONAL_TITLES, Condition, Standard
from jlexam.errors import ValidationError

# The month and day the final school year before graduation begins (Chinese school years start in September).
FINAL_SCHOOL_YEAR_STARTS = (9, 1)


def whole_years(start: date, end: date) -> int:
    """Completed years from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


@dataclass(frozen=True)
class ApplicantFacts:
    """What the applicant states and the evidence shows, as the rules engine needs it.

    ``education`` is the highest diploma held or, for a student, the school being attended (one of
    ``EDUCATION_LEVELS``); ``major_matches`` says whether that major is the occupation's or a related one
    (None: not checked). ``prior_level`` is the highest skill level certificate held (of this or a related
    occupation) and ``prior_certificate_date`` its issue date. ``years_in_occupation`` is the whole years
    worked in this or a related occupation (None: not stated).
    """

    birth_date: date
    education: str
    years_in_occupation: int | None = None
    prior_level: SkillLevel | None = None
    prior_certificate_date: date | None = None
    professional_title: str | None = None
    title_date: date | None = None
    is_student: bool = False
    graduation_year: int | None = None
    major_matches: bool | None = None

    def __post_init__(self) -> None:
        if self.education not in EDUCATION_LEVELS:
            raise ValidationError(
                f"学历“{self.education}”无法识别：请填写{'、'.join(EDUCATION_LEVELS)}之一。"
            )
        if self.professional_title is not None and self.professional_title not in PROFESSIONAL_TITLES:
            raise ValidationError(
                f"职称“{self.professional_title}”无法识别：请填写{'、'.join(PROFESSIONAL_TITLES)}之一，没有职称请留空。"
            )
        years = self.years_in_occupation
        if years is not None and (isinstance(years, bool) or not isinstance(years, int) or years < 0):
            raise ValidationError(f"从事本职业年限应为不小于 0 的整数（年），实际为“{years}”。")
        if self.prior_level is not None and not isinstance(self.prior_level, SkillLevel):
            object.__setattr__(self, "prior_level", parse_level(self.prior_level))
        if self.graduation_year is not None and not 1900 <= self.graduation_year <= 2200:
            raise ValidationError(
                f"毕业年份“{self.graduation_year}”不是有效的年份，请填写四位年份，如 2026。"
            )


@dataclass(frozen=True)
class ConditionResult:
    """One route checked: met or not, and the Chinese reason (each requirement's finding)."""

    condition: Condition
    met: bool
    reason: str


@dataclass(frozen=True)
class EligibilityResult:
    """The finding for one application (002 §17); ``met`` is the first route met when eligible.

    ``graduating_student`` is set for university students only (003 三(二)): True for a 毕业年度毕业生.
    """

    level: SkillLevel
    eligible: bool
    met: ConditionResult | None
    results: tuple[ConditionResult, ...]
    summary: str
    graduating_student: bool | None = None


def is_graduating_student(facts: ApplicantFacts, on: date) -> bool:
    """A student of the graduating year on ``on`` (see the module docstring for 毕业年度)."""
    if not facts.is_student or facts.graduation_year is None:
        return False
    if facts.graduation_year == on.year:
        return True
    final_year_started = (on.month, on.day) >= FINAL_SCHOOL_YEAR_STARTS
    return facts.graduation_year == on.year + 1 and final_year_started


# --- the requirements a route combines ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Check:
    ok: bool
    text: str


def _age(facts: ApplicantFacts, min_age: int, on: date) -> _Check:
    age = whole_years(facts.birth_date, on)
    born = facts.birth_date.isoformat()
    if age >= min_age:
        return _Check(True, f"年满{min_age}周岁（{born} 出生）")
    return _Check(False, f"未满{min_age}周岁（{born} 出生，至 {on.isoformat()} 为 {age} 周岁）")


def _work_years(facts: ApplicantFacts, years: int) -> _Check:
    stated = facts.years_in_occupation
    if stated is None:
        return _Check(False, "未填写从事本职业年限")
    if stated >= years:
        return _Check(True, f"从事本职业年限 {stated} 年，满 {years} 年")
    return _Check(False, f"从事本职业年限 {stated} 年，不足 {years} 年")


def _dated(what: str, when: date | None, years: int, on: date) -> _Check:
    """``what`` (a certificate or title) held for ``years`` whole years by ``on``."""
    if when is None:
        return _Check(False, f"{what}，但未填写取得日期")
    if when > on:
        return _Check(False, f"{what}取得日期 {when.isoformat()} 晚于参照日期 {on.isoformat()}")
    held = whole_years(when, on)
    if held >= years:
        return _Check(True, f"{what}满{years}年（{when.isoformat()} 取得）")
    return _Check(False, f"{what} {held} 年（{when.isoformat()} 取得），不足 {years} 年")


def _level(facts: ApplicantFacts, required: SkillLevel, years: int | None, on: date) -> list[_Check]:
    # A higher certificate (smaller number) counts for a lower one: it is issued later, so the years counted
    # from its date never overstate the years since the lower one.
    held = facts.prior_level
    if held is None:
        return [_Check(False, f"未持有{required.written}或更高等级证书")]
    if held > required:
        return [_Check(False, f"所持{held.written}证书低于{required.written}")]
    what = f"持{held.written}证书"
    if years is None:
        return [_Check(True, what)]
    return [_dated(what, facts.prior_certificate_date, years, on)]


def _title(facts: ApplicantFacts, required: str, years: int, on: date) -> _Check:
    held = facts.professional_title
    if held is None:
        return _Check(False, f"未取得{required}或更高职称")
    if PROFESSIONAL_TITLES.index(held) < PROFESSIONAL_TITLES.index(required):
        return _Check(False, f"所持{held}低于{required}")
    return _dated(f"取得{held}", facts.title_date, years, on)


def _major(facts: ApplicantFacts) -> str | None:
    if facts.major_matches is None:
        return "未确认所学专业与本职业对应"
    if not facts.major_matches:
        return "所学专业与本职业不对应"
    return None


def _diploma(facts: ApplicantFacts, diplomas: tuple[str, ...], on: date) -> _Check:
    problems: list[str] = []
    if facts.education not in diplomas:
        problems.append(f"学历为{facts.education}，不属于{'、'.join(diplomas)}")
    if (major := _major(facts)) is not None:
        problems.append(major)
    # 含在读应届毕业生: a student counts as holding the diploma in the graduating year only.
    student = ""
    if facts.is_student:
        if facts.graduation_year is None:
            problems.append("在读学生未填写毕业年份，无法确认是否为应届毕业生")
        elif not is_graduating_student(facts, on):
            problems.append(f"在读学生（{facts.graduation_year}年毕业）不是应届毕业生，尚未取得毕业证书")
        else:
            student = f"（在读应届毕业生，{facts.graduation_year}年毕业）"
    if problems:
        return _Check(False, "，".join(problems))
    return _Check(True, f"学历为{facts.education}{student}，专业对应")


def _enrolled(facts: ApplicantFacts, diplomas: tuple[str, ...]) -> _Check:
    problems: list[str] = []
    if not facts.is_student:
        problems.append("不是在校生")
    if facts.education not in diplomas:
        problems.append(f"就读学历为{facts.education}，不属于{'、'.join(diplomas)}")
    if (major := _major(facts)) is not None:
        problems.append(major)
    if problems:
        return _Check(False, "，".join(problems))
    return _Check(True, f"{facts.education}在校生，专业对应")


def _checks(condition: Condition, facts: ApplicantFacts, on: date) -> list[_Check]:
    c = condition
    checks: list[_Check] = []
    if c.min_age is not None:
        checks.append(_age(facts, c.min_age, on))
    if c.diplomas:
        checks.append(
            _enrolled(facts, c.diplomas) if c.kind == "enrolled_student" else _diploma(facts, c.diplomas, on)
        )
    if c.prior_level is not None:
        checks += _level(facts, c.prior_level, c.years, on)
    if c.title is not None and c.years is not None:
        checks.append(_title(facts, c.title, c.years, on))
    if c.years is not None:
        # Every route counting years also counts years of work (取得…后，累计从事本职业或相关职业工作满N年).
        checks.append(_work_years(facts, c.years))
    return checks


def check_condition(condition: Condition, facts: ApplicantFacts, on: date) -> ConditionResult:
    """One route: met when every requirement holds; the reason lists the findings (failures when unmet)."""
    checks = _checks(condition, facts, on)
    met = all(check.ok for check in checks)
    shown = checks if met else [check for check in checks if not check.ok]
    return ConditionResult(condition=condition, met=met, reason="；".join(check.text for check in shown))


# --- the finding -------------------------------------------------------------------------------------------


def _university_refusal(level: SkillLevel, facts: ApplicantFacts) -> str | None:
    # 003 三(三): 本专业相关职业（工种）高级工及以下.
    if level < UNIVERSITY_MAX_LEVEL:
        return (
            f"高等学校学生只能报考{UNIVERSITY_MAX_LEVEL.written}及以下等级（003 三(三)），"
            f"不能报考{level.written}。"
        )
    if (major := _major(facts)) is not None:
        return f"高等学校学生只能报考本专业相关职业（003 三(三)）：{major}。"
    return None


def _graduating_note(graduating: bool, facts: ApplicantFacts) -> str:
    # 003 三(二): 以毕业年度毕业生为主要认定对象.
    if graduating:
        return f"该生为毕业年度毕业生（{facts.graduation_year}年毕业），属于主要认定对象（003 三(二)）。"
    return "该生不是毕业年度毕业生，按 003 三(二) 依申请扩面受理。"


def evaluate(
    standard: Standard,
    level: SkillLevel | int,
    facts: ApplicantFacts,
    on: date,
    *,
    university_student: bool = False,
) -> EligibilityResult:
    """Check ``facts`` against every route of ``level`` in ``standard`` on the reference date ``on``.

    Raises ValidationError when the standard does not define the level or the birth date is after ``on``.
    """
    level = parse_level(level)
    routes = standard.conditions_for(level)  # 002 §16: only the levels the standard defines
    if facts.birth_date > on:
        raise ValidationError(
            f"出生日期 {facts.birth_date.isoformat()} 晚于参照日期 {on.isoformat()}，请核对证件后更正。"
        )
    # 002 §17: every route is checked and its finding kept as evidence.
    results = tuple(check_condition(route, facts, on) for route in routes)
    met = next((result for result in results if result.met), None)
    graduating = is_graduating_student(facts, on) if university_student else None

    refusal = _university_refusal(level, facts) if university_student else None
    if refusal is not None:
        return EligibilityResult(
            level=level,
            eligible=False,
            met=None,
            results=results,
            summary=refusal,
            graduating_student=graduating,
        )
    if met is not None:
        summary = f"符合报考{level.written}的申报条件“{met.condition.description}”：{met.reason}。"
    else:
        failures = "".join(
            f"（{n}）“{r.condition.description}”——{r.reason}。" for n, r in enumerate(results, start=1)
        )
        summary = f"不符合报考{level.written}的申报条件（002 §17），以下条件均未满足：{failures}"
    if graduating is not None:
        summary += _graduating_note(graduating, facts)
    return EligibilityResult(
        level=level,
        eligible=met is not None,
        met=met,
        results=results,
        summary=summary,
        graduating_student=graduating,
    )
