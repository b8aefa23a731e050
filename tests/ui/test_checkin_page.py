"""The check-in page: a simulated scanner types the ticket's token and Enter; the answer is green or red."""

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from jlexam.security.roles import Role
from jlexam.services import checkin, staffing, tickets
from tests.services.arrangement_helpers import CODE, arranged, sessions


@pytest.fixture
def team(gui_actor_for):  # type: ignore[no-untyped-def]
    return {"office": gui_actor_for(Role.EXAM_OFFICE), "sup": gui_actor_for(Role.SUPERVISOR)}


@pytest.fixture
def tokens(gui_admin, team):  # type: ignore[no-untyped-def]
    arranged(gui_admin, team)
    staffing.lock_arrangement(team["sup"], CODE)
    tickets.issue_tickets(team["office"], CODE)
    return tickets.ticket_tokens(team["office"], CODE)


@pytest.fixture
def page(qtbot, team, tokens, make_window):  # type: ignore[no-untyped-def]
    window = make_window(team["office"])
    qtbot.waitUntil(lambda: window.ctx.sitting is not None, timeout=5_000)
    window.navigation.select("tickets")
    page = window.current_page()
    theory, _ = sessions(team["office"])
    page.clock = lambda: theory.starts_at - timedelta(minutes=10)  # before the entry cut-off
    qtbot.waitUntil(lambda: page.loaded is not None and page.session.count() == 2, timeout=5_000)
    page.session.setCurrentIndex(page.session.findData(theory.id))
    qtbot.waitUntil(
        lambda: page.session_loaded is not None and page.session_loaded.session_id == theory.id, timeout=5_000
    )
    return page


def _scan(qtbot, page, token: str) -> None:  # type: ignore[no-untyped-def]
    """What a USB scanner does: type the code's text into the focused field, then Enter."""
    page.scan.setFocus()
    qtbot.keyClicks(page.scan, token)
    qtbot.keyClick(page.scan, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.scan_task is not None and not page.scan_task.is_running, timeout=5_000)


def _summary(page, team):  # type: ignore[no-untyped-def]
    return checkin.checkin_summary(team["sup"], page.session_id)


def test_good_scan_is_green_then_repeat_is_red(qtbot, page, team, tokens, shown_errors):
    assert (
        page.scan.isEnabled() and page.scan.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled) is False
    )
    token = next(iter(tokens.values()))
    _scan(qtbot, page, token)
    result = page.last_result
    assert result is not None and result.ok
    assert page.answer.colour == "green" and "准予入场" in page.answer.verdict.text()
    assert page.answer.name.text() == result.name and result.name
    assert f"{result.seat:02d} 号座位" in page.answer.place.text() and result.room in page.answer.place.text()
    assert page.scan.text() == ""  # ready for the next candidate
    qtbot.waitUntil(lambda: "已签到 1 人" in page.counts.text(), timeout=5_000)

    _scan(qtbot, page, token)
    assert page.answer.colour == "red" and "拒绝" in page.answer.verdict.text()
    assert "已签到" in page.answer.message.text() and "不能重复签到" in page.answer.message.text()
    assert _summary(page, team).checked_in == 1
    assert shown_errors == []


def test_forged_token_is_red_and_nothing_recorded(qtbot, page, team, tokens, shown_errors):
    token = next(iter(tokens.values()))
    forged = token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:]  # one character changed
    _scan(qtbot, page, forged)
    assert page.answer.colour == "red" and not page.last_result.ok
    assert "拒绝" in page.answer.message.text()
    assert _summary(page, team).checked_in == 0
    assert shown_errors == []


def test_manual_check_in_needs_a_reason(qtbot, page, team, tokens, shown_errors):
    number = tickets.list_tickets(team["office"], CODE)[0].number
    page.manual_value.setText(number)
    page.manual_button.click()
    assert page.manual_error.isVisibleTo(page) and "理由" in page.manual_error.text()
    assert _summary(page, team).checked_in == 0

    page.manual_reason.setPlainText("准考证遗失，已核验身份证件原件")
    page.manual_button.click()
    qtbot.waitUntil(lambda: page.last_result is not None, timeout=5_000)
    assert page.last_result.ok and page.answer.colour == "green"
    summary = _summary(page, team)
    assert (summary.checked_in, summary.manual) == (1, 1)
    assert shown_errors == []
