"""The sittings page: create a sitting with offers, arrange sessions, open registration; refusals in Chinese."""

from datetime import date

import shiboken6
from PySide6.QtCore import QTime

from jlexam.domain.levels import SkillLevel
from jlexam.domain.sitting_state import SittingState
from jlexam.security.roles import Role
from jlexam.services import sittings
from tests.services.helpers import ELECTRICIAN, START, setup_institution


def _open(qtbot, make_window, actor):  # type: ignore[no-untyped-def]
    window = make_window(actor)
    window.navigation.select("sittings")
    page = window.current_page()
    qtbot.waitUntil(lambda: "尚无认定批次" in page.status.label.text(), timeout=5_000)
    return window, page


def _closed(dialog) -> bool:  # type: ignore[no-untyped-def]
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def _wait_dialog(qtbot, page, cls):  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: isinstance(page.dialog, cls) and page.dialog.isVisible(), timeout=5_000)
    return page.dialog


def test_create_sitting_sessions_and_open_registration(qtbot, gui_admin, gui_actor_for, make_window, shown_errors):
    from ui.pages.sittings import CreateSittingDialog, OpenRegistrationDialog, SessionDialog

    setup_institution(gui_admin)
    office = gui_actor_for(Role.EXAM_OFFICE)
    window, page = _open(qtbot, make_window, office)
    assert page.create_button.isVisible()

    page.create_sitting()
    dialog = _wait_dialog(qtbot, page, CreateSittingDialog)
    dialog.code.setText("S2026-12")
    dialog.name.setText("2026年12月电工认定")
    dialog.starts_on.setDate(START)
    dialog.ends_on.setDate(START)
    dialog.ok.click()  # nothing ticked
    assert "至少勾选一个" in dialog.error.text() and dialog.isVisible()
    dialog.choose(ELECTRICIAN, SkillLevel.LEVEL_4, 300.5)
    dialog.choose(ELECTRICIAN, SkillLevel.LEVEL_3, 0)
    dialog.ok.click()
    qtbot.waitUntil(lambda: _closed(dialog), timeout=5_000)
    (view,) = sittings.list_sittings(office)
    assert view.code == "S2026-12"
    assert {(int(o.level), o.fee_cents) for o in view.offers} == {(4, 30050), (3, 0)}
    # the header follows: the new sitting is the current one, and the page shows it
    qtbot.waitUntil(lambda: window.ctx.sitting is not None and window.ctx.sitting.code == "S2026-12", timeout=5_000)
    qtbot.waitUntil(lambda: page.current is not None and page.detail.isVisible(), timeout=5_000)
    assert "300.50" in " ".join(page.offers.model._texts[i][3] for i in range(page.offers.model.rowCount()))
    assert not page.open_button.isEnabled()  # no session yet (002 §15)

    # a theory session of 60 minutes is refused with the standard's minimum, in Chinese
    page.add_session()
    dialog = _wait_dialog(qtbot, page, SessionDialog)
    dialog.set_times(START, QTime(9, 0), QTime(10, 0), "theory")
    dialog.ok.click()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=5_000)
    assert "少于国家职业标准规定的 90 分钟" in dialog.error.text()
    assert sittings.list_sessions(office, "S2026-12") == []
    dialog.set_times(START, QTime(9, 0), QTime(10, 30), "theory")
    dialog.ok.click()
    qtbot.waitUntil(lambda: _closed(dialog), timeout=5_000)
    (session,) = sittings.list_sessions(office, "S2026-12")
    assert session.part == "theory" and session.starts_at.hour == 1  # 09:00 Beijing = 01:00 UTC
    qtbot.waitUntil(lambda: page.sessions_table.model.rowCount() == 1, timeout=5_000)
    assert page.sessions_table.model._texts[0][2] == f"{START:%Y-%m-%d} 09:00"

    page.add_session()
    dialog = _wait_dialog(qtbot, page, SessionDialog)
    dialog.set_times(START, QTime(13, 0), QTime(15, 0), "practical")
    dialog.ok.click()
    qtbot.waitUntil(lambda: _closed(dialog), timeout=5_000)
    qtbot.waitUntil(lambda: page.open_button.isEnabled(), timeout=5_000)

    page.open_registration()
    dialog = _wait_dialog(qtbot, page, OpenRegistrationDialog)
    dialog.opens_on.setDate(date(2026, 11, 1))
    dialog.closes_on.setDate(START)  # must close before the exam
    dialog.ok.click()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=5_000)
    assert "之前截止" in dialog.error.text()
    dialog.closes_on.setDate(date(2026, 11, 30))
    dialog.notes.setPlainText("请携带身份证原件。")
    dialog.ok.click()
    qtbot.waitUntil(lambda: _closed(dialog), timeout=5_000)
    assert sittings.list_sittings(office)[0].state is SittingState.OPEN
    # the header's state chip and the page follow the new state
    qtbot.waitUntil(lambda: window.header.state.text() == "报名中", timeout=5_000)
    qtbot.waitUntil(lambda: page.close_button.isVisible() and not page.open_button.isVisible(), timeout=5_000)
    qtbot.waitUntil(lambda: any("报名尚未截止" in b.text for b in window.ctx.blockers), timeout=5_000)
    assert shown_errors == []


def test_supervisor_sees_but_cannot_create(qtbot, gui_admin, gui_actor_for, make_window):
    setup_institution(gui_admin)
    _window, page = _open(qtbot, make_window, gui_actor_for(Role.SUPERVISOR))
    assert page.create_button.isHidden()
    assert "认定批次由考务人员创建" in page.status.label.text()
