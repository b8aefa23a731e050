"""Retention of archived records (002 §36): paper >= 3 years, electronic >= 5 years from the archive date."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jlexam.domain.retention import (
    ELECTRONIC_YEARS,
    PAPER_YEARS,
    Medium,
    add_years,
    check_destruction,
    destroyable_from,
    in_retention,
    retain_until,
    retention_status,
    retention_years,
)
from jlexam.errors import PermissionDenied, StateError, ValidationError

DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


def test_minimum_periods():
    assert (PAPER_YEARS, ELECTRONIC_YEARS) == (3, 5)
    on = date(2026, 10, 20)
    assert retain_until(on, Medium.PAPER) == date(2029, 10, 20)
    assert retain_until(on, "electronic") == date(2031, 10, 20)
    assert retain_until(on, Medium.PAPER, 10) == date(2036, 10, 20)


def test_leap_day():
    assert add_years(date(2028, 2, 29), 3) == date(2031, 2, 28)
    assert add_years(date(2028, 2, 29), 4) == date(2032, 2, 29)


@pytest.mark.parametrize(("medium", "years"), [("paper", 2), ("electronic", 4), ("electronic", 0)])
def test_shorter_than_the_minimum_is_refused(medium, years):
    with pytest.raises(ValidationError) as info:
        retention_years(medium, years)
    assert info.value.rule == "002 §36"


@given(DAYS, st.sampled_from(list(Medium)), st.integers(0, 5))
def test_retention_is_never_shorter_than_the_minimum(on, medium, extra):
    until = retain_until(on, medium, medium.minimum_years + extra)
    assert until >= add_years(on, medium.minimum_years)
    assert (until - on).days >= 365 * medium.minimum_years
    assert in_retention(until, until) and not in_retention(until, destroyable_from(until))


@given(DAYS, st.sampled_from(list(Medium)), st.integers(-4000, 0), st.booleans())
def test_nobody_destroys_within_retention(on, medium, offset, admin):
    until = retain_until(on, medium)
    day = until + timedelta(days=offset)
    with pytest.raises(StateError):
        check_destruction(
            title="x", medium=medium, until=until, today=day, is_admin=admin, reason="经批准销毁"
        )


def test_after_retention_an_admin_with_a_reason():
    until = date(2029, 10, 20)
    after = date(2029, 10, 21)
    with pytest.raises(PermissionDenied):
        check_destruction(
            title="x", medium="paper", until=until, today=after, is_admin=False, reason="经批准销毁"
        )
    with pytest.raises(ValidationError):
        check_destruction(title="x", medium="paper", until=until, today=after, is_admin=True, reason="  ")
    reason = check_destruction(
        title="x", medium="paper", until=until, today=after, is_admin=True, reason=" 保管期满，\n经批准销毁 "
    )
    assert reason == "保管期满， 经批准销毁"


def test_status_labels():
    s = retention_status(date(2029, 10, 20), date(2029, 10, 20))
    assert s.in_retention and s.days_left == 1 and "保管期内" in s.label
    s = retention_status(date(2029, 10, 20), date(2029, 10, 21))
    assert not s.in_retention and s.days_left == 0 and "届满" in s.label
