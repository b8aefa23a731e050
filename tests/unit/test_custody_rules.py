"""The order of custody steps and the anomalies an auditor must see (002 §22, §32)."""

from datetime import UTC, datetime, timedelta

import pytest

from jlexam.domain.custody import Event, EventKind, anomalies, check_next, replay
from jlexam.errors import StateError, ValidationError

T0 = datetime(2026, 12, 12, 0, 0, tzinfo=UTC)
TWO = ("张保管", "李保管")


def ev(kind, minutes, **kw):
    defaults = {"place": "保密室", "persons": TWO}
    defaults.update(kw)
    return Event(EventKind(kind), T0 + timedelta(minutes=minutes), **defaults)


def full_log():
    return [
        ev("print", 0, place="印刷厂", copies=30),
        ev("seal", 10, seal_number="F-001"),
        ev("store", 20),
        ev("take_out", 60),
        ev("transport", 70, place="A201 考场", from_place="保密室", persons=("甲", "乙", "丙")),
        ev(
            "open",
            100,
            place="A201 考场",
            seal_number="F-001",
            persons=("监考甲", "监考乙"),
            witnesses=("考生甲", "考生乙"),
        ),
        ev("collect", 200, place="A201 考场", copies=30),
        ev("reseal", 210, place="A201 考场", seal_number="R-001"),
        ev("return", 240),
        ev("archive", 300),
    ]


def test_a_clean_log_has_no_anomalies_and_each_step_is_allowed():
    log = full_log()
    for i in range(1, len(log)):
        check_next(log[:i], log[i])
    assert replay(log).state == "archived"
    assert (
        anomalies(
            log,
            session_start=T0 + timedelta(minutes=110),
            session_end=T0 + timedelta(minutes=200),
            now=T0 + timedelta(days=3),
        )
        == []
    )


@pytest.mark.parametrize(
    ("prefix", "new", "message"),
    [
        (2, ev("open", 30, seal_number="F-001"), None),  # sealed: may be opened (allowed)
        (1, ev("open", 30), "不能启封"),  # printed, not sealed
        (0, ev("seal", 5, seal_number="X"), "不能封装"),  # nothing printed yet
        (4, ev("transport", 65, from_place="别处", place="考场"), "不能从“别处”运出"),
        (3, ev("transport", 65, from_place="保密室", place="考场"), "不能运送"),
        (6, ev("open", 150, seal_number="F-001"), "已经启封过"),
        (2, ev("store", 5), "早于上一环节"),
        (1, ev("seal", 20, seal_number=""), "封条编号"),
        (2, ev("store", 30, persons=()), "责任人"),
        (0, ev("print", 1, copies=0), "份数"),
        (8, ev("archive", 260), "不能归档"),
    ],
)
def test_order_is_enforced(prefix, new, message):
    log = full_log()[:prefix]
    if message is None:
        check_next(log, new)
        return
    with pytest.raises((StateError, ValidationError), match=message):
        check_next(log, new)


def _codes(log, **kw):
    args = {
        "session_start": T0 + timedelta(minutes=110),
        "session_end": T0 + timedelta(minutes=200),
        "now": T0 + timedelta(hours=5),
    }
    args.update(kw)
    return [a.code for a in anomalies(log, **args)]


def test_seal_mismatch_at_opening():
    log = full_log()
    log[5] = ev(
        "open",
        100,
        place="A201 考场",
        seal_number="F-999",
        persons=("监考甲", "监考乙"),
        witnesses=("甲", "乙"),
    )
    assert _codes(log) == ["seal_mismatch"]


def test_opening_too_early():
    assert _codes(full_log(), session_start=T0 + timedelta(minutes=200)) == ["early_open"]


def test_packet_not_returned():
    log = full_log()[:7]
    assert _codes(log, now=T0 + timedelta(days=2)) == ["not_returned"]
    assert _codes(log, now=T0 + timedelta(hours=5)) == []


def test_copies_do_not_add_up():
    log = full_log()
    log[6] = ev("collect", 200, place="A201 考场", copies=29)
    assert _codes(log) == ["copies"]


def test_too_few_people_and_witnesses():
    log = full_log()
    log[1] = ev("seal", 10, seal_number="F-001", persons=("张保管",))
    log[5] = ev(
        "open",
        100,
        place="A201 考场",
        seal_number="F-001",
        persons=("监考甲", "监考乙"),
        witnesses=("考生甲",),
    )
    assert sorted(_codes(log)) == ["too_few_people", "too_few_people"]


def test_events_out_of_order_in_a_recorded_log():
    log = full_log()
    log[3], log[2] = log[2], log[3]
    assert "out_of_order" in _codes(log)
