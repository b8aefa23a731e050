"""Working days and the periods counted in them (002 §25, §28; RULES.md "Working days").

The 2026 schedule (国务院办公厅关于2026年部分节假日安排的通知, as bundled in chinese_calendar 1.11):
holidays 1/1-1/3, 2/15-2/23, 4/4-4/6, 5/1-5/5, 6/19-6/21, 9/25-9/27, 10/1-10/7;
adjusted working weekends (调休) Sun 1/4, Sat 2/14, Sat 2/28, Sat 5/9, Sun 9/20, Sat 10/10.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jlexam.domain.workdays import DayAnswer, Deadline, Period, WorkingDayCalendar
from jlexam.errors import ValidationError

CAL = WorkingDayCalendar()


def bundle_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def period(start: date, end: date) -> Period:
    return Period(start, end, provisional=False, uncovered_years=())


# --- single days -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 1, 4), True),  # Sunday, 调休 for New Year
        (date(2026, 2, 14), True),  # Saturday, 调休 for the Spring Festival
        (date(2026, 2, 28), True),  # Saturday, 调休 for the Spring Festival
        (date(2026, 5, 9), True),  # Saturday, 调休 for Labour Day
        (date(2026, 9, 20), True),  # Sunday, 调休 for National Day
        (date(2026, 10, 10), True),  # Saturday, 调休 for National Day
        (date(2026, 1, 2), False),  # Friday, New Year
        (date(2026, 2, 16), False),  # Monday, Spring Festival
        (date(2026, 2, 23), False),  # Monday, last day of the Spring Festival
        (date(2026, 9, 25), False),  # Friday, Mid-autumn
        (date(2026, 10, 5), False),  # Monday, National Day
        (date(2026, 10, 11), False),  # an ordinary Sunday
        (date(2026, 10, 8), True),  # an ordinary Thursday
    ],
)
def test_2026_days(day: date, working: bool) -> None:
    assert CAL.is_working_day(day) == DayAnswer(working=working, provisional=False)


# --- publicity periods: 002 §25, day 1 is the publication day when it is a working day ---------------------


@pytest.mark.parametrize(
    ("published", "end"),
    [
        # National Day 2026 (10/1-10/7, 调休 Sat 10/10)
        (date(2026, 9, 30), date(2026, 10, 12)),  # 9/30, 10/8, 10/9, 10/10 (Sat), 10/12
        (date(2026, 9, 28), date(2026, 10, 9)),  # 9/28, 9/29, 9/30, 10/8, 10/9
        (date(2026, 10, 1), date(2026, 10, 13)),  # published on a holiday: 10/8, 10/9, 10/10, 10/12, 10/13
        (date(2026, 9, 24), date(2026, 10, 8)),  # Mid-autumn too: 9/24, 9/28, 9/29, 9/30, 10/8
        # Spring Festival 2026 (2/15-2/23, 调休 Sat 2/14 and Sat 2/28)
        (date(2026, 2, 12), date(2026, 2, 25)),  # 2/12, 2/13, 2/14 (Sat), 2/24, 2/25
        (date(2026, 2, 15), date(2026, 2, 28)),  # published on a holiday: 2/24, 2/25, 2/26, 2/27, 2/28 (Sat)
        # Adjusted working weekends
        (date(2026, 1, 2), date(2026, 1, 8)),  # 1/4 (Sun), 1/5, 1/6, 1/7, 1/8
        (date(2026, 4, 30), date(2026, 5, 9)),  # 4/30, 5/6, 5/7, 5/8, 5/9 (Sat)
        (date(2026, 9, 17), date(2026, 9, 22)),  # 9/17, 9/18, 9/20 (Sun), 9/21, 9/22
        # An ordinary week: published on a Saturday, day 1 is Monday
        (date(2026, 3, 7), date(2026, 3, 13)),
    ],
)
def test_2026_publicity_periods(published: date, end: date) -> None:
    assert CAL.publicity_period(published) == period(published, end)


def test_longer_publicity_period() -> None:
    # 7 working days from Wed 9/30: 9/30, 10/8, 10/9, 10/10, 10/12, 10/13, 10/14
    assert CAL.publicity_period(date(2026, 9, 30), days=7).end == date(2026, 10, 14)


def test_publicity_period_under_5_days_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        CAL.publicity_period(date(2026, 9, 30), days=4)
    assert caught.value.rule == "002 §25"
    assert "不得少于5个工作日" in caught.value.message


# --- deadlines: the starting day not counted ---------------------------------------------------------------


def test_objection_answer_across_national_day() -> None:
    # Received Wed 9/30 (not counted): 10/8, 10/9, 10/10 (Sat), 10/12, 10/13
    assert CAL.deadline_after(date(2026, 9, 30), 5) == Deadline(date(2026, 10, 13), False, ())


def test_objection_answer_across_spring_festival() -> None:
    # Received Fri 2/13 (not counted): 2/14 (Sat), 2/24, 2/25, 2/26, 2/27
    assert CAL.deadline_after(date(2026, 2, 13), 5) == Deadline(date(2026, 2, 27), False, ())


def test_upload_within_30_working_days() -> None:
    # 002 §28, issued Tue 9/1: Sept 2-4 (3), 7-11 (8), 14-18 (13), Sun 20 (14), 21-24 (18), 28-30 (21),
    # Oct 8-9 (23), Sat 10 (24), 12-16 (29), Mon 19 (30)
    deadline = CAL.deadline_after(date(2026, 9, 1), 30)
    assert deadline == Deadline(date(2026, 10, 19), False, ())
    assert CAL.working_days_between(date(2026, 9, 1), date(2026, 10, 19)) == 30
    assert CAL.working_days_between(date(2026, 10, 19), date(2026, 9, 1)) == -30
    assert CAL.working_days_between(date(2026, 9, 1), date(2026, 9, 1)) == 0


def test_add_working_days_counting_the_start() -> None:
    assert CAL.add_working_days(date(2026, 10, 10), 1, count_start=True).date == date(2026, 10, 10)
    assert CAL.add_working_days(date(2026, 10, 10), 1, count_start=False).date == date(2026, 10, 12)
    assert CAL.add_working_days(date(2026, 10, 3), 1, count_start=True).date == date(2026, 10, 8)


def test_zero_days_is_refused() -> None:
    with pytest.raises(ValidationError, match="至少为1天"):
        CAL.add_working_days(date(2026, 10, 10), 0, count_start=True)


# --- years nobody covers: provisional, never silent ---------------------------------------------------------


def test_2027_is_provisional() -> None:
    assert not bundle_covers(2027), (
        "chinese_calendar now covers 2027: move these tests to the first uncovered year"
    )
    assert not CAL.covered(2027)
    assert CAL.covered(2026)
    assert CAL.is_working_day(date(2027, 3, 1)) == DayAnswer(working=True, provisional=True)
    assert CAL.is_working_day(date(2027, 3, 6)) == DayAnswer(working=False, provisional=True)
    # Fri 2027-01-01 is surely New Year's Day, but nobody has said so: Mon-Fri counts it, flagged.
    assert CAL.publicity_period(date(2026, 12, 28)) == Period(
        date(2026, 12, 28), date(2027, 1, 1), provisional=True, uncovered_years=(2027,)
    )
    assert CAL.deadline_after(date(2027, 3, 1), 5) == Deadline(date(2027, 3, 8), True, (2027,))
    assert CAL.uncovered_years_between(date(2026, 12, 1), date(2027, 1, 5)) == (2027,)
    assert CAL.uncovered_years_between(date(2026, 12, 1), date(2026, 12, 31)) == ()


def test_years_outside_the_bundle_both_ways() -> None:
    assert CAL.is_working_day(date(2100, 3, 1)) == DayAnswer(working=True, provisional=True)
    assert CAL.is_working_day(date(2003, 6, 2)) == DayAnswer(working=True, provisional=True)
    assert not CAL.covered(2003)
    assert CAL.covered(2004)


def test_period_inside_covered_year_ignores_later_gap() -> None:
    # Ending on 12/31 never looks at 2027.
    assert CAL.publicity_period(date(2026, 12, 25)).provisional is False


def test_override_turns_a_weekday_into_a_holiday() -> None:
    # A provincial day off on Mon 2026-06-01 (admin entry) moves the end from Wed 6/3 to Thu 6/4.
    assert CAL.publicity_period(date(2026, 5, 28)).end == date(2026, 6, 3)
    cal = WorkingDayCalendar({date(2026, 6, 1): False})
    assert cal.is_working_day(date(2026, 6, 1)) == DayAnswer(working=False, provisional=False)
    assert cal.publicity_period(date(2026, 5, 28)) == period(date(2026, 5, 28), date(2026, 6, 4))


def test_override_can_undo_the_bundle() -> None:
    cal = WorkingDayCalendar({date(2026, 10, 10): False, date(2026, 10, 11): True})
    assert cal.is_working_day(date(2026, 10, 10)).working is False
    assert cal.is_working_day(date(2026, 10, 11)).working is True


def test_admin_entered_2027() -> None:
    overrides = {date(2027, 1, 1): False}
    # One entered day is certain, the rest of 2027 is still assumed.
    partial = WorkingDayCalendar(overrides)
    assert partial.is_working_day(date(2027, 1, 1)) == DayAnswer(working=False, provisional=False)
    assert partial.publicity_period(date(2026, 12, 28)) == Period(
        date(2026, 12, 28), date(2027, 1, 4), provisional=True, uncovered_years=(2027,)
    )
    # Once the admin declares 2027 complete, the same answer is final.
    complete = WorkingDayCalendar(overrides, covered_years=[2027])
    assert complete.covered(2027)
    assert complete.publicity_period(date(2026, 12, 28)) == period(date(2026, 12, 28), date(2027, 1, 4))
    assert complete.is_working_day(date(2027, 1, 2)) == DayAnswer(working=False, provisional=False)


# --- properties ---------------------------------------------------------------------------------------------

any_dates = st.dates(min_value=date(2002, 1, 1), max_value=date(2028, 12, 31))
overrides = st.dictionaries(
    st.dates(min_value=date(2025, 6, 1), max_value=date(2027, 6, 30)), st.booleans(), max_size=12
)


@given(any_dates, st.integers(min_value=5, max_value=30), overrides, st.sets(st.integers(2025, 2028)))
def test_publicity_period_end_is_a_working_day_with_exactly_n(
    start: date, days: int, entered: dict[date, bool], declared: set[int]
) -> None:
    cal = WorkingDayCalendar(entered, covered_years=declared)
    result = cal.publicity_period(start, days)
    assert result.start == start
    assert cal.is_working_day(result.end).working
    inside = [start + timedelta(n) for n in range((result.end - start).days + 1)]
    assert sum(cal.is_working_day(day).working for day in inside) == days
    assumed = sorted({day.year for day in inside if cal.is_working_day(day).provisional})
    assert result.uncovered_years == tuple(assumed)
    assert result.provisional == bool(assumed)


covered_dates = st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 6, 30))


@given(covered_dates, st.integers(min_value=1, max_value=60))
def test_deadline_agrees_with_the_bundle(start: date, n: int) -> None:
    # Independent oracle: chinese_calendar's own list of working days.
    last = min(start + timedelta(200), date(2026, 12, 31))
    expected = chinese_calendar.get_workdays(start + timedelta(1), last)[n - 1]
    assert CAL.deadline_after(start, n) == Deadline(expected, False, ())
    assert CAL.working_days_between(start, expected) == n


@given(any_dates, st.integers(min_value=-400, max_value=400), overrides)
def test_working_days_between_is_antisymmetric(a: date, offset: int, entered: dict[date, bool]) -> None:
    cal = WorkingDayCalendar(entered)
    b = a + timedelta(offset)
    assert cal.working_days_between(a, b) == -cal.working_days_between(b, a)
    if offset > 0 and cal.working_days_between(a, b) > 0:
        assert cal.deadline_after(a, cal.working_days_between(a, b)).date <= b
