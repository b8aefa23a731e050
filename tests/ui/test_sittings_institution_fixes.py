"""Sittings page: the state in the window's language, levels through label(), every sessions column in view at
1366×768. Institution page: the filing standing shown once and translatable; save and delete act only when
they can."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QItemSelectionModel

from jlexam.security.roles import Role
from jlexam.services.institution import get_institution
from tests.services.helpers import open_sitting, setup_institution
from tests.ui.english_stub import install_english, remove
from ui.sittings import state_name

ENGLISH = {
    ("Labels", "五级/初级工"): "Level 5 / Entry-level worker",
    ("InstitutionPage", "%1年%2月%3日"): "%1-%2-%3",
    ("InstitutionPage", "备案有效期至 %1；请于 %2 起申请续期。"): "Filing valid until %1; apply for renewal from %2.",
}


def _sittings_page(qtbot, make_window, actor, size=None):  # type: ignore[no-untyped-def]
    window = make_window(actor)
    if size:
        window.resize(*size)
    window.navigation.select("sittings")
    page = window.current_page()
    qtbot.waitUntil(lambda: page.current is not None and page.sessions_table.model.rowCount() == 2, timeout=5_000)
    return window, page


def test_sittings_state_and_level_in_english(qtbot, gui_admin, gui_actor_for, make_window):
    office = gui_actor_for(Role.EXAM_OFFICE)
    open_sitting(gui_admin, office)
    stub = install_english(ENGLISH)
    try:
        _window, page = _sittings_page(qtbot, make_window, office)
        state = page.table.model._texts[0][2]
        assert state == state_name("open") and state != "报名中"
        levels = {page.offers.model._texts[i][2] for i in range(page.offers.model.rowCount())}
        assert "Level 5 / Entry-level worker" in levels
    finally:
        remove(stub)


def test_sessions_minutes_visible_at_1366(qtbot, gui_admin, gui_actor_for, make_window):
    office = gui_actor_for(Role.EXAM_OFFICE)
    open_sitting(gui_admin, office)
    window, page = _sittings_page(qtbot, make_window, office, size=(1366, 768))
    qtbot.wait(100)
    view = page.sessions_table.view
    header = view.horizontalHeader()
    width = view.viewport().width()
    assert window.width() <= 1366
    for column in range(header.count()):
        right = header.sectionViewportPosition(column) + header.sectionSize(column)
        assert right <= width, f"column {column} ends at {right}, past the view ({width})"
    assert header.sectionSize(4) >= 50  # the minutes themselves fit
    assert page.sessions_table.model._texts[0][4] == "90"


def _institution_page(qtbot, make_window, actor):  # type: ignore[no-untyped-def]
    window = make_window(actor)
    window.navigation.select("institution")
    page = window.current_page()
    qtbot.waitUntil(lambda: page.view is not None and page.scope_table.model.rowCount() == 3, timeout=5_000)
    return page


def test_filing_standing_shown_once(qtbot, gui_admin, make_window):
    setup_institution(gui_admin)  # valid until 2028-04-09
    page = _institution_page(qtbot, make_window, gui_admin)
    assert "备案有效期至 2028年04月09日" in page.status.label.text()
    assert "2028年04月09日" not in page.filing_hint.text()
    assert "001 第七条" in page.filing_hint.text()  # the rule instead
    page.valid_until.set_value(date(2029, 1, 31))  # an edit: its standing is previewed under the dates
    assert "2029年01月31日" in page.filing_hint.text() and "2029" not in page.status.label.text()


def test_filing_standing_in_english(qtbot, gui_admin, make_window):
    setup_institution(gui_admin)
    stub = install_english(ENGLISH)
    try:
        page = _institution_page(qtbot, make_window, gui_admin)
        assert page.status.label.text() == "Filing valid until 2028-04-09; apply for renewal from 2028-01-09."
    finally:
        remove(stub)


def test_save_and_delete_act_only_when_they_can(qtbot, gui_admin, make_window):
    setup_institution(gui_admin)
    page = _institution_page(qtbot, make_window, gui_admin)
    assert not page.save_button.isEnabled() and page.save_button.toolTip() == "没有要保存的修改。"
    assert not page.remove_scope.isEnabled() and "选择" in page.remove_scope.toolTip()
    assert not page.save_scope.isEnabled() and page.save_scope.toolTip()

    page.contact.setText("于晓楠")
    assert page.save_button.isEnabled()
    page.contact.setText("")  # back as loaded
    assert not page.save_button.isEnabled()

    view = page.scope_table.view
    view.selectionModel().select(view.model().index(0, 0), QItemSelectionModel.SelectionFlag.Select
                                 | QItemSelectionModel.SelectionFlag.Rows)
    assert page.remove_scope.isEnabled()
    page.remove_scope.click()
    assert page.scope_table.model.rowCount() == 2
    assert not page.remove_scope.isEnabled()  # the selection went with the row
    assert page.save_scope.isEnabled()

    page.contact.setText("于晓楠")
    page.save_button.click()
    qtbot.waitUntil(lambda: get_institution(gui_admin).form.contact_person == "于晓楠", timeout=5_000)
    qtbot.waitUntil(lambda: not page.save_button.isEnabled(), timeout=5_000)


def test_tables_show_beijing_time_whatever_the_pc_zone(monkeypatch):
    """A timestamp reads the same on a PC set to another zone: lists show Beijing time (UTC+8)."""
    import os
    import time
    from datetime import UTC, datetime

    from ui.tables import _text

    monkeypatch.setenv("TZ", "America/New_York")
    if hasattr(time, "tzset"):
        time.tzset()
    try:
        assert _text(datetime(2026, 12, 4, 17, 15, tzinfo=UTC)) == "2026-12-05 01:15:00"
    finally:
        monkeypatch.setenv("TZ", os.environ.get("TZ", "UTC"))
        monkeypatch.undo()
        if hasattr(time, "tzset"):
            time.tzset()
