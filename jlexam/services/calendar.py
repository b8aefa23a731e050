"""The working-day calendar: the bundled State Council schedule plus the admin's overrides."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from jlexam.domain.workdays import WorkingDayCalendar
from jlexam.errors import ValidationError
from jlexam.services.base import Actor, UnitOfWork, query, use_case
from jlexam.store.database import Database
from jlexam.store.models import CalendarOverride, CalendarYear


@dataclass(frozen=True)
class OverrideRow:
    day: date
    working: bool
    note: str


def calendar_in(s: Session) -> WorkingDayCalendar:
    overrides = {o.day: o.working for o in s.scalars(select(CalendarOverride))}
    years = [y.year for y in s.scalars(select(CalendarYear))]
    return WorkingDayCalendar(overrides, covered_years=years)


def working_calendar(db: Database) -> WorkingDayCalendar:
    """The calendar every deadline of the services is computed with."""
    with db.reading() as s:
        return calendar_in(s)


@query("calendar.view")
def list_overrides(s: Session, actor: Actor) -> list[OverrideRow]:
    return [
        OverrideRow(o.day, o.working, o.note)
        for o in s.scalars(select(CalendarOverride).order_by(CalendarOverride.day))
    ]


@query("calendar.view")
def covered_years(s: Session, actor: Actor) -> list[int]:
    return sorted(y.year for y in s.scalars(select(CalendarYear)))


@use_case("calendar.manage")
def set_override(uow: UnitOfWork, day: date, working: bool, note: str = "") -> None:
    row = uow.session.get(CalendarOverride, day) or CalendarOverride(day=day)
    row.working, row.note = working, note.strip()
    uow.session.add(row)
    kind = "工作日" if working else "休息日"
    uow.audit("calendar.override", "calendar", day.isoformat(), f"{day:%Y-%m-%d} 设为{kind}：{note}")


@use_case("calendar.manage")
def remove_override(uow: UnitOfWork, day: date) -> None:
    row = uow.session.get(CalendarOverride, day)
    if row is None:
        raise ValidationError(f"{day:%Y-%m-%d} 没有调整记录。")
    uow.session.delete(row)
    uow.audit("calendar.override_removed", "calendar", day.isoformat(), f"删除 {day:%Y-%m-%d} 的调整")


@use_case("calendar.manage")
def declare_year(
    uow: UnitOfWork, year: int, days_off: list[date], extra_working_days: list[date], source: str
) -> None:
    """Enter a new year's State Council schedule: its holidays and its adjusted working weekends."""
    for d in [*days_off, *extra_working_days]:
        if d.year != year:
            raise ValidationError(f"{d:%Y-%m-%d} 不在 {year} 年内，请核对。")
    for d in days_off:
        uow.session.merge(CalendarOverride(day=d, working=False, note=source))
    for d in extra_working_days:
        uow.session.merge(CalendarOverride(day=d, working=True, note=f"{source}（调休上班）"))
    uow.session.merge(CalendarYear(year=year, source=source))
    uow.audit(
        "calendar.year",
        "calendar",
        str(year),
        f"录入 {year} 年节假日安排：放假 {len(days_off)} 天，调休上班 {len(extra_working_days)} 天（{source}）",
    )
