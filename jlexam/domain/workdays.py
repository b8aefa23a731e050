"""Working days (RULES.md "Working days") and the periods counted in them (002 §25, §28).

A day's answer comes, in order, from the admin's overrides, from the bundled State Council schedule
(``chinese_calendar``), or from Mon-Fri. Mon-Fri is final only in a year the admin declared complete;
anywhere else it is marked provisional, and every result built on such a day names the uncovered years.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import chinese_calendar

from jlexam.errors import ValidationError

MIN_PUBLICITY_DAYS = 5  # 002 §25
_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class DayAnswer:
    working: bool
    provisional: bool  # the year is covered by no schedule, so Mon-Fri was assumed


@dataclass(frozen=True)
class Deadline:
    date: dt.date
    provisional: bool
    uncovered_years: tuple[int, ...]


@dataclass(frozen=True)
class Period:
    """From the publication day ``start`` to the last day ``end`` of the period, both included."""

    start: dt.date
    end: dt.date
    provisional: bool
    uncovered_years: tuple[int, ...]


@functools.lru_cache(maxsize=4096)  # the bundle is fixed data; each lookup costs ~30 µs
def _bundled_answer(day: dt.date) -> bool | None:
    """The bundled schedule's answer, or None for a year it does not cover."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None


class WorkingDayCalendar:
    def __init__(
        self, overrides: Mapping[dt.date, bool] | None = None, covered_years: Iterable[int] = ()
    ) -> None:
        # Overrides are the admin's entries (True = working day, False = day off); they win over the bundle.
        self._overrides = dict(overrides or {})
        self._declared_years = frozenset(covered_years)

    def covered(self, year: int) -> bool:
        """Whether the year's schedule is known: bundled, or declared complete by the admin."""
        return year in self._declared_years or _bundled_answer(dt.date(year, 1, 1)) is not None

    def is_working_day(self, d: dt.date) -> DayAnswer:
        if d in self._overrides:
            return DayAnswer(working=self._overrides[d], provisional=False)
        bundled = _bundled_answer(d)
        if bundled is not None:
            return DayAnswer(working=bundled, provisional=False)
        weekday = d.weekday() < 5
        return DayAnswer(working=weekday, provisional=d.year not in self._declared_years)

    def add_working_days(self, start: dt.date, n: int, *, count_start: bool) -> Deadline:
        """The n-th working day from ``start``; with ``count_start`` the start itself can be day 1."""
        if n < 1:
            raise ValidationError(f"工作日天数应至少为1天，实际为{n}天。")
        uncovered: set[int] = set()
        day = start if count_start else start + _ONE_DAY
        counted = 0
        while True:
            answer = self.is_working_day(day)
            if answer.provisional:
                uncovered.add(day.year)
            if answer.working:
                counted += 1
                if counted == n:
                    return Deadline(day, bool(uncovered), tuple(sorted(uncovered)))
            day += _ONE_DAY

    def publicity_period(self, start: dt.date, days: int = MIN_PUBLICITY_DAYS) -> Period:
        """002 §25: the publication day is day 1 when it is a working day, else the next working day is."""
        if days < MIN_PUBLICITY_DAYS:
            raise ValidationError(
                f"成绩公示期不得少于{MIN_PUBLICITY_DAYS}个工作日，当前设置为{days}个工作日，"
                f"请改为{MIN_PUBLICITY_DAYS}个或更多工作日。",
                rule="002 §25",
            )
        last = self.add_working_days(start, days, count_start=True)
        return Period(start, last.date, last.provisional, last.uncovered_years)

    def deadline_after(self, d: dt.date, n: int) -> Deadline:
        """n working days after d, d not counted: objection answers (002 §25), uploads (002 §28)."""
        return self.add_working_days(d, n, count_start=False)

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """Working days in (a, b], negative when b is before a; ``deadline_after(a, n).date`` gives n.

        The count alone cannot say it is provisional: ask ``uncovered_years_between`` before relying on it.
        """
        if b < a:
            return -self.working_days_between(b, a)
        return sum(self.is_working_day(day).working for day in _days(a + _ONE_DAY, b))

    def uncovered_years_between(self, a: dt.date, b: dt.date) -> tuple[int, ...]:
        """The years of (a, b] whose days were assumed Mon-Fri, i.e. what makes a count provisional."""
        low, high = min(a, b), max(a, b)
        years = {day.year for day in _days(low + _ONE_DAY, high) if self.is_working_day(day).provisional}
        return tuple(sorted(years))


def _days(first: dt.date, last: dt.date) -> Iterable[dt.date]:
    day = first
    while day <= last:
        yield day
        day += _ONE_DAY
