"""The institution's filing: 3-year validity (001 §7(五)), renewal 3 months before expiry (001 §9), and the
changes that require re-filing (001 §8)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

FILING_YEARS = 3  # 001 §7(五)
RENEWAL_MONTHS = 3  # 001 §9
INSTITUTION_KINDS = {
    "employer": "用人单位",
    "vocational_school": "职业院校",
    "university": "高等学校",
    "social_org": "社会培训评价组织",
}
# 001 §8: a change of these requires re-filing ("sites" and "scope" are changed through their own forms).
REFILING_FIELDS = {
    "address": "注册地址",
    "legal_representative": "法定代表人",
    "sites": "认定考点",
    "scope": "职业（工种）及等级",
}


def add_months(d: date, months: int) -> date:
    """The same day ``months`` later (or earlier), clamped to the month's last day."""
    month_index = d.year * 12 + d.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def default_valid_until(filed_on: date) -> date:
    """Three years from the filing date, the day before the anniversary (001 §7(五))."""
    return date.fromordinal(add_months(filed_on, FILING_YEARS * 12).toordinal() - 1)


class FilingState(StrEnum):
    MISSING = "missing"
    VALID = "valid"
    RENEWAL_DUE = "renewal_due"
    EXPIRED = "expired"


@dataclass(frozen=True)
class FilingStatus:
    state: FilingState
    valid_until: date | None
    renewal_due_on: date | None
    message: str  # Chinese, for the institution page and guards

    @property
    def allows_certification(self) -> bool:
        return self.state in (FilingState.VALID, FilingState.RENEWAL_DUE)


def filing_status(valid_until: date | None, today: date) -> FilingStatus:
    """Where the filing stands today; warns from 3 months before expiry (001 §9)."""
    if valid_until is None:
        return FilingStatus(
            FilingState.MISSING, None, None, "尚未登记备案有效期。请在机构页面填写备案日期和有效期。"
        )
    renewal = add_months(valid_until, -RENEWAL_MONTHS)
    if today > valid_until:
        return FilingStatus(
            FilingState.EXPIRED,
            valid_until,
            renewal,
            f"备案已于 {valid_until:%Y年%m月%d日} 到期，不能开展认定（001 第七条）。请向省人社厅重新备案。",
        )
    if today >= renewal:
        days = (valid_until - today).days
        return FilingStatus(
            FilingState.RENEWAL_DUE,
            valid_until,
            renewal,
            f"备案将于 {valid_until:%Y年%m月%d日} 到期（剩 {days} 天），应在到期前 3 个月申请续期（001 第九条）。",
        )
    return FilingStatus(
        FilingState.VALID,
        valid_until,
        renewal,
        f"备案有效期至 {valid_until:%Y年%m月%d日}；请于 {renewal:%Y年%m月%d日} 起申请续期。",
    )
