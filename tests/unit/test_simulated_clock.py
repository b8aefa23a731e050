"""The demo's story clock: it moves on at each reading, never goes back, never runs ahead of the real one."""

from datetime import UTC, datetime, timedelta

from jlexam.services.base import set_simulated_time, utcnow


def test_simulated_clock_keeps_order_and_stays_behind_the_real_one() -> None:
    start = datetime(2026, 9, 1, 1, 0, tzinfo=UTC)
    try:
        set_simulated_time(None)  # the suite pins the clock (tests/conftest.py); start from the real one
        set_simulated_time(start)
        first, second = utcnow(), utcnow()
        assert first == start and second == start + timedelta(seconds=1)
        set_simulated_time(start - timedelta(days=1))  # never back
        assert utcnow() == start + timedelta(seconds=2)
        set_simulated_time(datetime.now(UTC) + timedelta(days=30))  # never ahead of the real clock
        assert utcnow() <= datetime.now(UTC)
    finally:
        set_simulated_time(None)
    assert abs(utcnow() - datetime.now(UTC)) < timedelta(seconds=5)  # the real clock again
