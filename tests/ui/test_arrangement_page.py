"""The arrangement page: a seat plan made from the checked rooms fills the table; the lock is the
supervisor's, and is refused while a rule is broken, naming the rule."""

import pytest

from jlexam.security.roles import Role
from tests.services.arrangement_helpers import CODE, approved, build_site, plan_all, sessions


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
    qtbot.waitUntil(
        lambda: page.plan_loaded is not None and page.plan_loaded.session_id == theory.id, timeout=5_000
    )
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


def _locked(gui_admin, team):  # type: ignore[no-untyped-def]
    from jlexam.services import staffing
    from tests.services.arrangement_helpers import arranged

    rooms = arranged(gui_admin, team)
    staffing.lock_arrangement(team["sup"], CODE)
    return rooms


def _choose(qtbot, page, session_id, name):  # type: ignore[no-untyped-def]
    page.tabs.setCurrentIndex(1)
    page.session.setCurrentIndex(page.session.findData(session_id))
    qtbot.waitUntil(
        lambda: page.plan_loaded is not None and page.plan_loaded.session_id == session_id, timeout=5_000
    )
    assert page.seats.model.rowCount() > 0  # the plan shows once loaded
    rows = page.seats.model.rows()
    index = next(i for i, s in enumerate(rows) if s.name == name)
    page.seats.view.selectRow(page.seats.proxy.mapFromSource(page.seats.model.index(index, 0)).row())
    return rows[index]


def test_supervisor_moves_a_seat_after_the_lock_with_a_reason(
    qtbot, gui_admin, team, make_window, shown_errors
):
    from jlexam.services import arrangement, staffing

    rooms = _locked(gui_admin, team)
    _, practical = sessions(team["office"])
    plan = arrangement.seat_plan(team["office"], practical.id)
    mover = next(x for x in plan.seats if x.room_name == "实操二")
    taken = {(x.row, x.column) for x in plan.seats if x.room_name == "实操二"}
    row, column = next((r, c) for r in (1, 2) for c in range(1, 6) if (r, c) not in taken)

    office = _open(qtbot, make_window, team["office"])
    _choose(qtbot, office, practical.id, mover.name)
    assert not office.change_button.isVisible() or not office.change_button.isEnabled()
    assert not office.move_button.isEnabled() and "锁定" in office.move_button.toolTip()
    assert not office.make_button.isEnabled() and "锁定" in office.make_button.toolTip()

    page = _open(qtbot, make_window, team["sup"])
    _choose(qtbot, page, practical.id, mover.name)
    assert page.change_button.isEnabled() and not page.lock_button.isEnabled()
    page.change_selected()
    dialog = page.dialog
    assert dialog is not None and dialog.windowTitle() == "调整座位（锁定后）"
    dialog.room.setCurrentIndex(dialog.room.findData(rooms["实操二"]))
    dialog.row.setValue(row)
    dialog.column.setValue(column)
    dialog.submit()  # no reason: the dialog says so and stays
    assert dialog.isVisible() and "理由" in dialog.error.text()
    dialog.reason.setPlainText("原工位设备故障，调到空工位")
    dialog.submit()
    qtbot.waitUntil(lambda: page.notice.isVisible(), timeout=5_000)
    assert "调整记录已保存" in page.notice.label.text()
    seat = next(
        x
        for x in arrangement.seat_plan(team["sup"], practical.id).seats
        if x.application_id == mover.application_id
    )
    assert (seat.row, seat.column) == (row, column)
    assert [c.kind for c in staffing.list_changes(team["sup"], CODE)] == ["seat"]
    assert shown_errors == []


def test_actions_are_disabled_with_the_reason_once_the_exam_is_held(
    qtbot, gui_admin, gui_db, team, make_window, shown_errors
):
    from sqlalchemy import update

    from jlexam.store.models import Sitting

    _locked(gui_admin, team)
    _, practical = sessions(team["office"])
    with gui_db.transaction() as s:
        s.execute(update(Sitting).where(Sitting.code == CODE).values(state="archived"))
    page = _open(qtbot, make_window, team["sup"])
    page.session.setCurrentIndex(page.session.findData(practical.id))
    qtbot.waitUntil(
        lambda: page.plan_loaded is not None and page.plan_loaded.session_id == practical.id, timeout=5_000
    )
    page.seats.view.selectRow(0)
    for button in (page.change_button, page.make_button, page.move_button, page.lock_button):
        assert not button.isEnabled()
        assert "已归档" in button.toolTip() or "考试已举行" in button.toolTip(), button.text()
    assert shown_errors == []
