"""How long a sitting's archived records are kept, and when one may be destroyed (002 §34-36).

002 第三十六条: paper records are kept at least 3 years, electronic records at least 5 years, so that the
process and the results can be traced. jlexam counts from the archive date (the day the sitting is archived,
Beijing time): a record is *in retention* up to and including the anniversary ``retain_until``, and may be
destroyed from the day after — by an administrator, with a written reason (checked here), audited (by the
service). An institution may keep records longer, never shorter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from jlexam.errors import PermissionDenied, StateError, ValidationError

RULE = "002 §36"
PAPER_YEARS = 3  # 002 第三十六条: 纸质材料保管不少于3年
ELECTRONIC_YEARS = 5  # 002 第三十六条: 电子材料不少于5年
MIN_REASON_CHARS = 4


class Medium(StrEnum):
    PAPER = "paper"
    ELECTRONIC = "electronic"

    @property
    def label(self) -> str:
        return "纸质" if self is Medium.PAPER else "电子"

    @property
    def minimum_years(self) -> int:
        return PAPER_YEARS if self is Medium.PAPER else ELECTRONIC_YEARS


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def retention_years(medium: Medium | str, years: int | None = None) -> int:
    """The years to keep ``medium``: the legal minimum, or the institution's longer choice."""
    medium = Medium(medium)
    if years is None:
        return medium.minimum_years
    if type(years) is not int or years < medium.minimum_years:
        raise ValidationError(
            f"{medium.label}档案的保管期限不能少于 {medium.minimum_years} 年（002 第三十六条），"
            f"填写的是 {years} 年：请改为 {medium.minimum_years} 年或更长。",
            rule=RULE,
        )
    return years


def retain_until(archived_on: date, medium: Medium | str, years: int | None = None) -> date:
    """The last day of the retention period: the anniversary ``years`` after the archive date."""
    return add_years(archived_on, retention_years(medium, years))


def in_retention(until: date, today: date) -> bool:
    return today <= until


def destroyable_from(until: date) -> date:
    return until + timedelta(days=1)


@dataclass(frozen=True)
class RetentionStatus:
    in_retention: bool
    retain_until: date
    days_left: int  # 0 once the period is over
    label: str  # Chinese, for lists


def retention_status(until: date, today: date) -> RetentionStatus:
    keep = in_retention(until, today)
    left = (until - today).days + 1 if keep else 0
    label = (
        f"保管期内（至 {until:%Y-%m-%d}，剩 {left} 天）" if keep else f"保管期已满（{until:%Y-%m-%d} 届满）"
    )
    return RetentionStatus(keep, until, left, label)


def check_destruction(
    *, title: str, medium: Medium | str, until: date, today: date, is_admin: bool, reason: str
) -> str:
    """Refuse a destruction the rules forbid; return the cleaned reason when it may go ahead.

    Inside the retention period nobody may destroy a record, whatever their roles (002 §36). After it, only an
    administrator may, and only with a written reason.
    """
    medium = Medium(medium)
    if in_retention(until, today):
        raise StateError(
            f"“{title}”为{medium.label}档案，保管期至 {until:%Y-%m-%d}，保管期内任何人都不能删除或销毁"
            f"（002 第三十六条：纸质不少于 {PAPER_YEARS} 年，电子不少于 {ELECTRONIC_YEARS} 年）。"
            f"最早可于 {destroyable_from(until):%Y-%m-%d} 起由系统管理员办理销毁。",
            rule=RULE,
        )
    if not is_admin:
        raise PermissionDenied(
            f"“{title}”的保管期已满，但销毁档案只能由系统管理员办理：请联系系统管理员。", rule=RULE
        )
    cleaned = " ".join(reason.split())
    if len(cleaned) < MIN_REASON_CHARS:
        raise ValidationError(
            f"销毁“{title}”须写明原因（至少 {MIN_REASON_CHARS} 个字），例如依据的档案管理制度条款和审批人。",
            rule=RULE,
        )
    return cleaned
