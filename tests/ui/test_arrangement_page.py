"""The arrangement page: a seat plan made from the checked rooms fills the table; the lock is the
supervisor's, and is refused while a rule is broken, naming the rule."""

import pytest

from jlexam.security.roles import Role
from tests.services.test_arrangement import CODE, approved, build_site, plan_all, sessions


@pytest.fixture
def team(gui_actor_for):  # type: ignore[no-untyped-def]
    return {"office": gui_actor_for(Role.EXAM_OFFICE), "sup": gui_actor_for(Role.SUPERVISOR)}


def _open(qtbot, make_window, actor):  # type: ignore[no-untyped-def]
    window = make_window(actor)
    qtbot.waitUntil(lambda: window.ctx.sitting is not None, timeout=5_000)
    window.navigation.select("arrangement")
    page = window.current_page()
    qtbot.waitUntil(lambda: page.loaded is not None and page.loaded.code == CODE, timeout=5_000)
    return page


def test_making_a_plan_fills_the_table(qtbot, gui_admin, team, make_window, shown_errors):
    approved(gui_admin, team)
    rooms = build_site(team["office"])
    theory, _ = sessions(team["office"])
    page = _open(qtbot, make_window, team["office"])
    assert page.rooms.model.rowCount() == 7
    page.session.setCurrentIndex(page.session.findData(theory.id))
    qtbot.waitUntil(lambda: page.plan_loaded is not None and page.plan_loaded.session_id == theory.id, timeout=5_000)
    assert page.seats.model.rowCount() == 0 and page.room_list.count() == 2  # the theory rooms only
    page.check_rooms([rooms["理论一"], rooms["理论二"]])
    page.seed.setText("12345")
    page.make_button.click()
    qtbot.waitUntil(lambda: page.seats.model.rowCount() == 12, timeout=5_000)
    assert "随机种子 12345" in page.plan_info.text()
    assert "随机种子 12345" in page.notice.label.text()
    assert all(s.name for s in page.seats.model.rows())
    assert shown_errors == []


def test_lock_refused_for_office_and_with_a_ratio_problem(qtbot, gui_admin, team, make_window, shown_errors):
    approved(gui_admin, team)
    plan_all(team["office"], build_site(team["office"]))  # seats, but no staff: the ratios are broken

    office_page = _open(qtbot, make_window, team["office"])
    assert not office_page.lock_button.isEnabled()  # the exam office does not lock
    office_page.lock()
    qtbot.waitUntil(lambda: office_page.notice.isVisible(), timeout=5_000)
    assert office_page.notice.property("level") == "error"

    page = _open(qtbot, make_window, team["sup"])
    qtbot.waitUntil(lambda: page.problems.model.rowCount() > 0, timeout=5_000)
    assert any(p.rule == "002 §21" for p in page.problems.model.rows())
    assert page.lock_button.isEnabled()
    page.lock_button.click()
    qtbot.waitUntil(lambda: page.notice.isVisible(), timeout=5_000)
    assert page.notice.property("level") == "error"
    text = page.notice.label.text()
    assert "不能锁定" in text and "002 §21" in text and "监考员" in text
    assert page.tabs.currentIndex() == 2  # the problems, with their rules
    assert shown_errors == []
