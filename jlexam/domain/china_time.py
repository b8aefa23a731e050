"""Beijing time: every date and time on a document or deadline is China Standard Time (UTC+8, no DST)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

CHINA_TZ = timezone(timedelta(hours=8), "CST")


def china_time(moment: datetime) -> datetime:
    """The moment as Beijing time (a naive moment is taken as already Beijing time)."""
    return moment.replace(tzinfo=CHINA_TZ) if moment.tzinfo is None else moment.astimezone(CHINA_TZ)


def china_date(moment: datetime) -> date:
    return china_time(moment).date()
