"""The staff page: after the lock only a supervisor changes the staff (with a reason); once the exam is held
every change is disabled and the tooltip says why; the change record shows whether staff or a seat moved."""

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import update

from jlexam.security.roles import Role
from jlexam.services import arrangement, staffing
from jlexam.store.models import Sitting
from tests.services.arrangement_helpers import CODE, arranged, sessions


@pytest.fixture
def team(gui_actor_for):  # type: ignore[no-untyped-def]
    return {"office": gui_actor_for(Role.EXAM_OFFICE), "sup": gui_actor_for(Role.SUPERVISOR)}


def _open(qtbot, make_window, actor):  # type: ignore[no-untyped-def]
    window = make_window(actor)
    qtbot.waitUntil(lambda: window.ctx.sitting is not None, timeout=5_000)
    window.navigation.select("staff")
    page = window.current_page()
    qtbot.waitUntil(lambda: page.loaded is not None and page.loaded.code == CODE, timeout=5_000)
    return page


def test_changes_after_the_lock_are_the_supervisors(qtbot, gui_admin, team, make_window, shown_errors):
    rooms = arranged(gui_admin, team)
    staffing.lock_arrangement(team["sup"], CODE)
    _, practical = sessions(team["office"])
    plan = arrangement.seat_plan(team["sup"], practical.id)
    mover = next(x for x in plan.seats if x.room_name == "实操二")
    taken = {(x.row, x.column) for x in plan.seats if x.room_name == "实操二"}
    row, column = next((r, c) for r in (1, 2) for c in range(1, 6) if (r, c) not in taken)
    staffing.change_seat(
        team["sup"],
        practical.id,
        mover.application_id,
        rooms["实操二"],
        row,
        column,
        "原工位设备故障，调到空工位",
    )

    office = _open(qtbot, make_window, team["office"])
    assert office.assign_button.text() == "调整（锁定后）…"
    assert not office.assign_button.isEnabled() and "主考" in office.assign_button.toolTip()

    page = _open(qtbot, make_window, team["sup"])
    assert page.assign_button.isEnabled() and page.assign_button.text() == "调整（锁定后）…"
    page.tabs.setCurrentIndex(2)
    rows = page.changes.model.rows()
    assert [c.kind_label for c in rows] == ["座位"]
    assert page.changes.model.headerData(1, Qt.Orientation.Horizontal) == "类别"
    assert shown_errors == []


@pytest.mark.parametrize("state", ["held", "archived"])
def test_everything_is_disabled_once_the_exam_is_held(qtbot, gui_admin, gui_db, team, make_window, shown_errors,
                                                      state):  # fmt: skip
    arranged(gui_admin, team)
    staffing.lock_arrangement(team["sup"], CODE)
    with gui_db.transaction() as s:
        s.execute(update(Sitting).where(Sitting.code == CODE).values(state=state))
    page = _open(qtbot, make_window, team["sup"])
    page.assignments.view.selectRow(0)
    for button in (page.assign_button, page.unassign_button):
        assert not button.isEnabled()
        assert "考试已举行" in button.toolTip()
    if state == "archived":
        assert not page.briefing_button.isEnabled() and "考试已举行" in page.briefing_button.toolTip()
    assert shown_errors == []
