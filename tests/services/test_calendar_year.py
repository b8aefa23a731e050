"""A new year's State Council schedule entered as pasted lines: parsed with errors naming the line, saved whole
or not at all, and used by the working-day calendar (RULES "Working days")."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from jlexam.errors import PermissionDenied, ValidationError
from jlexam.security.roles import Role
from jlexam.services import calendar
from jlexam.services.audit import search_events
from jlexam.store.models import AuditEvent, CalendarOverride, CalendarYear

SCHEDULE_2027 = """\
# 国务院办公厅关于2027年部分节假日安排的通知（示例）
2027-01-01~2027-01-03 元旦

2027-02-06 调休上班
2027年2月10日 至 2027年2月16日 春节
2027/02/20, 补班
2027-04-05 清明节
"""


def _counts(db) -> tuple[int, int, int]:
    with db.reading() as s:
        return (
            s.scalar(select(func.count()).select_from(CalendarOverride)),
            s.scalar(select(func.count()).select_from(CalendarYear)),
            s.scalar(select(func.count()).select_from(AuditEvent)),
        )


def test_parse_schedule_reads_ranges_single_days_and_working_weekends():
    schedule = calendar.parse_schedule(2027, SCHEDULE_2027)
    assert schedule.days_off[:3] == [date(2027, 1, 1), date(2027, 1, 2), date(2027, 1, 3)]
    assert len(schedule.days_off) == 3 + 7 + 1
    assert schedule.working_days == [date(2027, 2, 6), date(2027, 2, 20)]
    assert {d.note for d in schedule.days} == {"元旦", "调休上班", "春节", "补班", "清明节"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027-01-01 元旦\n2027-02-30 春节", "第 2 行：2027 年 2 月没有 30 日"),
        ("2027-01-01 元旦\n明天 放假", "第 2 行：“明天”不是日期"),
        ("2027-01-03~2027-01-01 元旦", "第 1 行：结束日期 2027-01-01 早于开始日期"),
        ("2026-12-31~2027-01-02 元旦", "第 1 行：2026-12-31 不在 2027 年内"),
        ("2027-01-01~2027-01-03 元旦\n2027-01-03 春节", "第 2 行：2027-01-03 与第 1 行（元旦）重复或重叠"),
        ("2027-02-06 春节\n2027-02-06 调休上班", "第 2 行：2027-02-06 与第 1 行（春节）重复或重叠"),
        ("2027-01-01 元旦\n2027-02-08 调休上班", "第 2 行：2027-02-08 是星期一，本来就是工作日"),
        ("2027-01-01 元旦\n2027-02-06~2027-02-07 调休上班", "调休上班请每天写一行"),
        ("2027-01-01~2027-03-01 放假", "超过 20 天"),
        ("# 只有注释\n\n", "没有读到 2027 年的放假日期"),
    ],
)
def test_bad_schedules_name_the_line(text, expected):
    with pytest.raises(ValidationError) as info:
        calendar.parse_schedule(2027, text)
    assert expected in info.value.message


def test_declare_year_saves_all_and_the_calendar_uses_it(db, admin):
    schedule = calendar.declare_year_schedule(admin, 2027, SCHEDULE_2027, "国办发明电〔2026〕1号")
    assert len(schedule.days) == 13
    assert calendar.covered_years(admin) == [2027]
    cal = calendar.working_calendar(db)
    assert cal.covered(2027)
    assert not cal.is_working_day(date(2027, 2, 10)).working  # 春节, a Wednesday
    saturday = cal.is_working_day(date(2027, 2, 6))
    assert saturday.working and not saturday.provisional  # 调休上班
    plain = cal.is_working_day(date(2027, 3, 3))
    assert plain.working and not plain.provisional
    notes = {o.day: o.note for o in calendar.list_overrides(admin)}
    assert notes[date(2027, 2, 10)] == "春节（国办发明电〔2026〕1号）"
    assert any("2027 年节假日安排" in e.summary for e in search_events(admin, "节假日"))


def test_bad_input_saves_nothing(db, admin):
    before = _counts(db)
    bad = SCHEDULE_2027 + "2027-05-01~2027-05-05 劳动节\n2027-05-03 调休上班\n"
    with pytest.raises(ValidationError, match="第 9 行"):
        calendar.declare_year_schedule(admin, 2027, bad, "国办发明电〔2026〕1号")
    with pytest.raises(ValidationError, match="请填写依据"):
        calendar.declare_year_schedule(admin, 2027, SCHEDULE_2027, "  ")
    with pytest.raises(ValidationError, match="年份"):
        calendar.declare_year_schedule(admin, 27, SCHEDULE_2027, "通知")
    assert _counts(db) == before


def test_a_declared_year_is_replaced_only_when_asked(db, admin, actor_for):
    calendar.declare_year_schedule(admin, 2027, SCHEDULE_2027, "第一次")
    calendar.set_override(admin, date(2027, 10, 1), False, "国庆")
    before = _counts(db)
    with pytest.raises(ValidationError, match="替换该年已录入的安排"):
        calendar.declare_year_schedule(admin, 2027, "2027-10-01~2027-10-07 国庆节", "第二次")
    assert _counts(db) == before
    calendar.declare_year_schedule(admin, 2027, "2027-10-01~2027-10-07 国庆节", "更正", replace=True)
    days = {o.day for o in calendar.list_overrides(admin)}
    assert date(2027, 2, 10) not in days and date(2027, 10, 7) in days and len(days) == 7
    with pytest.raises(PermissionDenied):
        calendar.declare_year_schedule(actor_for(Role.EXAM_OFFICE), 2028, "2028-01-01 元旦", "通知")


def test_bundled_years_are_listed(db, admin):
    years = calendar.bundled_years(admin)
    assert 2026 in years and 2004 in years and 2099 not in years


def test_schedule_from_a_small_workbook_names_the_row(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in (
        ("开始日期", "结束日期", "说明"),
        (date(2027, 1, 1), date(2027, 1, 3), "元旦"),
        (date(2027, 2, 6), None, "调休上班"),
        ("2027-13-01", None, "春节"),
    ):
        sheet.append(row)
    path = tmp_path / "2027.xlsx"
    book.save(path)
    text = calendar.schedule_text_from_file(path)
    with pytest.raises(ValidationError, match="第 4 行"):
        calendar.parse_schedule(2027, text)
    schedule = calendar.parse_schedule(2027, "\n".join(text.splitlines()[:3]))
    assert len(schedule.days_off) == 3 and schedule.working_days == [date(2027, 2, 6)]
    with pytest.raises(ValidationError, match="找不到文件"):
        calendar.schedule_text_from_file(tmp_path / "missing.txt")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\xff\xfe\x00\x81\xff" * 10)
    with pytest.raises(ValidationError, match="不是文本文件"):
        calendar.schedule_text_from_file(binary)
