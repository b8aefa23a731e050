"""The scores page's markers (002 §25): the warning, the choice among qualified assessors, the lock waiting
for them, and the score sheets written off the UI thread."""

from datetime import date

import pytest
import shiboken6

from jlexam.security.roles import Role
from jlexam.services import eligibility, marking, registration, scoring, sittings, staffing
from tests.services.arrangement_helpers import hold
from tests.services.helpers import ELECTRICIAN, open_sitting, person
from tests.ui.test_scores_page import CODE, open_page

pytestmark = pytest.mark.usefixtures("qapp")


def _assessor(name: str, valid_until: date = date(2027, 12, 31)) -> staffing.StaffInput:
    return staffing.StaffInput(
        name,
        ("assessor",),
        certificate_number=f"KP-{name}",
        occupations=(ELECTRICIAN,),
        max_level=3,
        appointed_on=date(2025, 1, 1),
        valid_until=valid_until,
    )


@pytest.fixture
def team(gui_actor_for):  # type: ignore[no-untyped-def]
    return {
        "clerk1": gui_actor_for(Role.EXAM_OFFICE),
        "clerk2": gui_actor_for(Role.EXAM_OFFICE, Role.DATA_CLERK),
        "supervisor": gui_actor_for(Role.SUPERVISOR),
    }


@pytest.fixture
def entered(gui_admin, team):  # type: ignore[no-untyped-def]
    """Three approved applications whose theory scores both clerks entered; no marker chosen yet."""
    clerk, sup = team["clerk1"], team["supervisor"]
    open_sitting(gui_admin, clerk)
    ids = [registration.register_application(clerk, CODE, person(i)) for i in (1, 3, 5)]
    sittings.close_registration(clerk, CODE)
    eligibility.evaluate_sitting(clerk, CODE)
    for app_id in ids:
        eligibility.decide(sup, app_id, True)
    hold(clerk, sup)
    for clerk_key, round_no in (("clerk1", 1), ("clerk2", 2)):
        scoring.enter_scores(team[clerk_key], CODE, "theory", round_no, dict.fromkeys(ids, "80"))
    staffing.add_staff(clerk, _assessor("何阅卷"))
    staffing.add_staff(clerk, _assessor("施过期", valid_until=date(2026, 6, 30)))
    return ids


def _closed(dialog) -> bool:  # type: ignore[no-untyped-def]
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def _idle(page) -> bool:  # type: ignore[no-untyped-def]
    return page.task is not None and not page.task.is_running


def test_markers_are_chosen_before_theory_scores_lock(
    qtbot, team, entered, make_window, shown_errors, tmp_path
):
    from ui.pages.scores import MarkerDialog

    # the supervisor cannot lock: no marker yet, and the page says so before anyone tries
    _w, sup = open_page(qtbot, make_window, team["supervisor"])
    qtbot.waitUntil(lambda: sup.marker_banner.isVisible(), timeout=5_000)
    assert "尚无阅卷人" in sup.marker_banner.label.text() and sup.marker_banner.property("level") == "warn"
    sup.lock_button.click()
    qtbot.waitUntil(lambda: sup.notice.property("level") == "error", timeout=5_000)
    assert "还没有阅卷人" in sup.notice.label.text() and "002 §25" in sup.notice.label.text()

    # the exam office chooses a marker; an expired assessor is listed with the reason and refused
    _w2, page = open_page(qtbot, make_window, team["clerk1"])
    assert page.assign_button.isVisible() and page.assign_button.isEnabled()
    page.assign_button.click()
    dialog = page.dialog
    assert isinstance(dialog, MarkerDialog)
    qtbot.waitUntil(lambda: {"何阅卷", "施过期"} <= {c.name for c in dialog.choices}, timeout=5_000)
    qualified = [c.qualified for c in dialog.choices]
    assert qualified == sorted(qualified, reverse=True) and qualified.count(False) == 1  # the qualified first
    assert "不符合条件" in dialog.staff.itemText(len(qualified) - 1) and "施过期" in dialog.staff.itemText(
        len(qualified) - 1
    )
    dialog.choose("施过期")
    assert "有效期" in dialog.reason.text()
    dialog.ok.click()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=5_000)
    assert "施过期" in dialog.error.text() and "有效期" in dialog.error.text()
    dialog.choose("何阅卷")
    dialog.ok.click()
    qtbot.waitUntil(lambda: _closed(dialog), timeout=5_000)
    qtbot.waitUntil(lambda: "已选配 何阅卷" in page.notice.label.text(), timeout=5_000)
    qtbot.waitUntil(lambda: _idle(page) and page.marker_table.model.rowCount() == 1, timeout=5_000)
    assert page.marker_banner.property("level") == "ok"

    # score sheets for this round, written off the UI thread
    page.write_sheets(tmp_path / "sheets")
    qtbot.waitUntil(lambda: "已写出" in page.notice.label.text(), timeout=10_000)
    assert sorted(p.suffix for p in (tmp_path / "sheets").iterdir()) == [".pdf", ".xlsx"]

    # a marker can be taken off before the lock
    page.select_marker("何阅卷")
    assert page.unassign_button.isEnabled()
    page.run_unassign(page.marker_table.selected_rows()[0])
    qtbot.waitUntil(lambda: _idle(page) and page.marker_table.model.rowCount() == 0, timeout=5_000)
    assert page.marker_banner.property("level") == "warn"
    staff_id = next(s.id for s in staffing.list_staff(team["clerk1"]) if s.name == "何阅卷")
    marking.assign_marker(team["clerk1"], sittings.list_sessions(team["clerk1"], CODE)[0].id, staff_id)

    sup.refresh()
    qtbot.waitUntil(lambda: _idle(sup) and sup.marker_table.model.rowCount() == 1, timeout=5_000)
    sup.lock_button.click()
    qtbot.waitUntil(lambda: "已锁定理论知识考试成绩 3 条" in sup.notice.label.text(), timeout=5_000)
    assert shown_errors == []
