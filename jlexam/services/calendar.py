"""The working-day calendar: the bundled State Council schedule plus the admin's overrides."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

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


# --- a new year's State Council schedule ----------------------------------------------------------------
WORKING_WORDS = ("上班", "补班", "工作日")
MAX_HOLIDAY_SPAN = 20  # days; a longer range is almost surely a typo
_RANGE = re.compile(r"\s*(?:~|～|〜|—|–|至|到|－－|--)\s*")
_DATE = re.compile(r"^(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*(?:[-/.月])\s*(\d{1,2})\s*日?$")
SCHEDULE_EXAMPLE = "2027-01-01~2027-01-03 元旦\n2027-02-07 调休上班\n2027-02-10~2027-02-17 春节"


@dataclass(frozen=True)
class ScheduleDay:
    day: date
    working: bool  # True: an adjusted working weekend (调休上班); False: a day off
    note: str
    line: int


@dataclass(frozen=True)
class Schedule:
    year: int
    days: tuple[ScheduleDay, ...]

    @property
    def days_off(self) -> list[date]:
        return [d.day for d in self.days if not d.working]

    @property
    def working_days(self) -> list[date]:
        return [d.day for d in self.days if d.working]


def _parse_date(text: str, line: int) -> date:
    match = _DATE.match(text.strip())
    if not match:
        raise ValidationError(
            f"第 {line} 行：“{text.strip()}”不是日期，请写成 2027-01-01 的形式（年-月-日）。"
        )
    y, m, d = (int(x) for x in match.groups())
    try:
        return date(y, m, d)
    except ValueError:
        raise ValidationError(f"第 {line} 行：{y} 年 {m} 月没有 {d} 日，请核对日期。") from None


def parse_schedule(year: int, text: str) -> Schedule:
    """The schedule as an exam office copies it from the State Council's notice, one line each:

    ``2027-01-01~2027-01-03 元旦`` (days off, a range or one day) and ``2027-02-07 调休上班`` (an adjusted
    working weekend: the note says 上班 or 补班). Blank lines and lines starting with # are skipped; commas
    and tabs (pasted from a spreadsheet) separate like spaces. Every problem names its line.
    """
    if not 2000 <= year <= 2100:
        raise ValidationError(f"年份 {year} 无效，请填写 4 位年份，例如 2027。")
    days: dict[date, ScheduleDay] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip().replace("，", ",").replace("\t", " ")
        if not line or line.startswith("#"):
            continue
        line = _RANGE.sub("~", line.replace(",", " ").strip())
        head, _, note = line.partition(" ")
        note = note.strip() or "放假"
        first, _, last = head.partition("~")
        token, _, rest = note.partition(" ")
        if not last and _DATE.match(token):  # start and end in two columns: "2027-01-01,2027-01-03,元旦"
            last, note = token, rest.strip() or "放假"
        start = _parse_date(first, number)
        end = _parse_date(last, number) if last else start
        if end < start:
            raise ValidationError(
                f"第 {number} 行：结束日期 {end:%Y-%m-%d} 早于开始日期 {start:%Y-%m-%d}，请核对。"
            )
        span = (end - start).days + 1
        for d in (start, end):
            if d.year != year:
                raise ValidationError(
                    f"第 {number} 行：{d:%Y-%m-%d} 不在 {year} 年内。每次只录入一年的安排；"
                    f"跨年的假期（如元旦）请在各自的年份中分别录入。"
                )
        working = any(w in note for w in WORKING_WORDS)
        if working and span > 1:
            raise ValidationError(
                f"第 {number} 行：调休上班请每天写一行（{start:%Y-%m-%d} 至 {end:%Y-%m-%d} 共 {span} 天）。"
            )
        if not working and span > MAX_HOLIDAY_SPAN:
            raise ValidationError(
                f"第 {number} 行：放假 {span} 天（{start:%Y-%m-%d} 至 {end:%Y-%m-%d}），超过 {MAX_HOLIDAY_SPAN} 天，"
                "请核对是否写错了日期。"
            )
        if working and start.weekday() < 5:
            raise ValidationError(
                f"第 {number} 行：{start:%Y-%m-%d} 是星期{'一二三四五六日'[start.weekday()]}，本来就是工作日，"
                "调休上班只会安排在周六或周日，请核对通知。"
            )
        day = start
        while day <= end:
            if day in days:
                other = days[day]
                raise ValidationError(
                    f"第 {number} 行：{day:%Y-%m-%d} 与第 {other.line} 行（{other.note}）重复或重叠，"
                    "同一天只能是放假或调休上班之一，请核对。"
                )
            days[day] = ScheduleDay(day, working, note, number)
            day += timedelta(days=1)
    if not any(not d.working for d in days.values()):
        raise ValidationError(f"没有读到 {year} 年的放假日期：请按行填写，例如：\n{SCHEDULE_EXAMPLE}")
    return Schedule(year, tuple(sorted(days.values(), key=lambda d: d.day)))


def _declare(uow: UnitOfWork, schedule: Schedule, source: str, replace: bool, *, merge: bool = False) -> None:
    """Save a year's schedule. ``replace``: the year's earlier overrides go first; ``merge``: laid over them."""
    s = uow.session
    source = source.strip()
    if not source:
        raise ValidationError(
            "请填写依据（如：国务院办公厅关于 2027 年部分节假日安排的通知 国办发明电〔2026〕X号）。"
        )
    year = schedule.year
    first, last = date(year, 1, 1), date(year, 12, 31)
    existing = s.get(CalendarYear, year)
    if existing is not None and not (replace or merge):
        raise ValidationError(
            f"{year} 年的节假日安排已于此前录入（{existing.source}）。如需更正，请勾选“替换该年已录入的安排”后重新录入。"
        )
    if replace:
        for row in s.scalars(
            select(CalendarOverride).where(CalendarOverride.day >= first, CalendarOverride.day <= last)
        ):
            s.delete(row)
        s.flush()
    for d in schedule.days:
        note = f"{d.note}（{source}）"
        s.merge(CalendarOverride(day=d.day, working=d.working, note=note[:200]))
    s.merge(CalendarYear(year=year, source=source[:200]))
    uow.audit(
        "calendar.year",
        "calendar",
        str(year),
        f"录入 {year} 年节假日安排：放假 {len(schedule.days_off)} 天，调休上班 {len(schedule.working_days)} 天"
        f"（{source}）" + ("，替换此前的安排" if replace and existing is not None else ""),
    )


@use_case("calendar.manage")
def declare_year(
    uow: UnitOfWork, year: int, days_off: list[date], extra_working_days: list[date], source: str
) -> None:
    """Enter a new year's State Council schedule: its holidays and its adjusted working weekends."""
    for d in [*days_off, *extra_working_days]:
        if d.year != year:
            raise ValidationError(f"{d:%Y-%m-%d} 不在 {year} 年内，请核对。")
    both = sorted(set(days_off) & set(extra_working_days))
    if both:
        raise ValidationError(f"{both[0]:%Y-%m-%d} 既是放假又是调休上班，请核对。")
    days = [ScheduleDay(d, False, "放假", 0) for d in sorted(set(days_off))]
    days += [ScheduleDay(d, True, "调休上班", 0) for d in sorted(set(extra_working_days))]
    _declare(uow, Schedule(year, tuple(sorted(days, key=lambda d: d.day))), source, False, merge=True)


@use_case("calendar.manage")
def declare_year_schedule(
    uow: UnitOfWork, year: int, text: str, source: str, replace: bool = False
) -> Schedule:
    """The year's schedule as pasted lines (see ``parse_schedule``); all of it is saved, or none."""
    schedule = parse_schedule(year, text)
    _declare(uow, schedule, source, replace)
    return schedule


@query("calendar.view")
def bundled_years(s: Session, actor: Actor) -> list[int]:
    """The years the calendar bundled with the program covers."""
    bare = WorkingDayCalendar()
    return [y for y in range(2004, 2101) if bare.covered(y)]


def schedule_text_from_file(path: Path) -> str:
    """The lines of a schedule kept in a small file: text or CSV (UTF-8 or GBK), or the first sheet of an
    xlsx whose rows hold a date or range, an optional end date and a note. Parse with ``parse_schedule``."""
    from jlexam.exchange.files import read_user_file

    path = Path(path)
    data = read_user_file(path, "节假日安排文件（.txt、.csv 或 .xlsx）")
    if path.suffix.lower() == ".xlsx":
        import io

        import python_calamine

        try:
            book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
            rows = book.get_sheet_by_index(0).to_python()
        except Exception as exc:  # a damaged or foreign workbook
            raise ValidationError(
                f"无法读取 {path.name}（{type(exc).__name__}）：请另存为 .xlsx 后重试。"
            ) from None

        def cell(value: object) -> str:
            if isinstance(value, datetime):
                value = value.date()
            if isinstance(value, date):
                return value.isoformat()
            return str(value).strip()

        lines = []
        for row in rows:
            cells = [cell(v) for v in row if cell(v)]
            if len(cells) >= 2 and _DATE.match(cells[0]) and _DATE.match(cells[1]):
                cells = [f"{cells[0]}~{cells[1]}", *cells[2:]]
            header = bool(cells) and not cells[0][:1].isdigit()  # a title or header row: kept as a comment
            lines.append(("# " if header else "") + " ".join(cells))
        return "\n".join(lines)  # line n is row n, so errors name the row
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(f"{path.name} 不是文本文件：请保存为 UTF-8 或 GBK 编码的 .txt / .csv。")
