"""The scores page: blind double entry through the page, the mismatch list, settling and locking."""

from datetime import date

import pytest
import shiboken6

from jlexam.security.roles import Role
from jlexam.services import eligibility, registration, scoring, sittings
from tests.services.arrangement_helpers import hold
from tests.services.helpers import open_sitting, person
from tests.services.marking_helpers import choose_markers

CODE = "S2026-12"
EXAM_DAY = date(2026, 1, 10)  # early in 2026, so results can be published across its holidays


@pytest.fixture
def team(gui_actor_for):  # type: ignore[no-untyped-def]
    return {
        "clerk1": gui_actor_for(Role.EXAM_OFFICE),
        "clerk2": gui_actor_for(Role.EXAM_OFFICE, Role.DATA_CLERK),
        "supervisor": gui_actor_for(Role.SUPERVISOR),
    }


@pytest.fixture
def decided(gui_admin, team):  # type: ignore[no-untyped-def]
    """Three approved level-4 applications (theory + practical), markers chosen, registration closed."""
    clerk, sup = team["clerk1"], team["supervisor"]
    open_sitting(gui_admin, clerk, start=EXAM_DAY)
    ids = [registration.register_application(clerk, CODE, person(i)) for i in (1, 3, 5)]
    sittings.close_registration(clerk, CODE)
    eligibility.evaluate_sitting(clerk, CODE)
    for app_id in ids:
        eligibility.decide(sup, app_id, True)
    choose_markers(clerk, CODE)  # 002 §25: theory scores lock only once markers are chosen
    return ids


@pytest.fixture
def scored(team, decided):  # type: ignore[no-untyped-def]
    """The same sitting held: scores are entered after the exam day."""
    hold(team["clerk1"], team["supervisor"])
    return decided


def open_page(qtbot, make_window, actor, key="scores"):  # type: ignore[no-untyped-def]
    window = make_window(actor)
    qtbot.waitUntil(lambda: window.ctx.sitting is not None, timeout=5_000)
    window.navigation.select(key)
    page = window.current_page()
    qtbot.waitUntil(lambda: page.loaded is not None and page.loaded.code is not None, timeout=5_000)
    return window, page


def _closed(dialog) -> bool:  # type: ignore[no-untyped-def]
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def _wait_loaded(qtbot, page, check):  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: page.task is not None and not page.task.is_running and check(), timeout=5_000)


def test_double_blind_entry_mismatch_settle_and_lock(qtbot, team, scored, make_window, shown_errors):
    from ui.pages.scores import SettleDialog

    _w1, page1 = open_page(qtbot, make_window, team["clerk1"])
    assert page1.entry_card.isVisible() and not page1.check_card.isVisible()  # a clerk never sees both rounds
    assert page1.sheet.rowCount() == 3
    for app_id, mark in zip(scored, ("80", "55", "缺考"), strict=True):
        page1.set_mark(app_id, mark)
    page1.save_button.click()
    qtbot.waitUntil(lambda: "已保存第 1 轮" in page1.notice.label.text(), timeout=5_000)
    assert "3 条" in page1.notice.label.text()
    _wait_loaded(qtbot, page1, lambda: page1.sheet.item(0, 4).text() == "80")

    # the same clerk may not enter the second round
    page1.round.setCurrentIndex(page1.round.findData(2))
    _wait_loaded(qtbot, page1, lambda: page1.loaded.round_no == 2)
    page1.set_mark(scored[0], "80")
    page1.save_button.click()
    qtbot.waitUntil(lambda: page1.notice.property("level") == "error", timeout=5_000)
    assert "另一位工作人员" in page1.notice.label.text()

    # clerk 2 sees none of clerk 1's marks
    _w2, page2 = open_page(qtbot, make_window, team["clerk2"])
    page2.round.setCurrentIndex(page2.round.findData(2))
    _wait_loaded(qtbot, page2, lambda: page2.loaded.round_no == 2)
    assert [page2.sheet.item(r, 4).text() for r in range(3)] == ["", "", ""]
    assert "互不可见" in page2.blind_hint.text()
    for app_id, mark in zip(scored, ("80", "59", "缺考"), strict=True):
        page2.set_mark(app_id, mark)
    page2.save_button.click()
    qtbot.waitUntil(lambda: "已保存第 2 轮" in page2.notice.label.text(), timeout=5_000)

    # the supervisor sees the mismatch, cannot lock yet, settles, then locks
    _w3, sup = open_page(qtbot, make_window, team["supervisor"])
    assert sup.check_card.isVisible() and not sup.entry_card.isVisible()
    _wait_loaded(qtbot, sup, lambda: sup.mismatch_table.model.rowCount() == 1)
    assert sup.mismatch_table.model._texts[0][1:] == ("考生3", "55", "59")
    assert "两轮一致 2 条，不一致 1 条" in sup.summary.text()
    sup.lock_button.click()
    qtbot.waitUntil(lambda: sup.notice.property("level") == "error", timeout=5_000)
    assert "不一致" in sup.notice.label.text()

    sup.select_mismatch(scored[1])
    assert sup.settle_button.isEnabled()
    sup.settle_button.click()
    dialog = sup.dialog
    assert isinstance(dialog, SettleDialog)
    dialog.mark.setText("59")
    dialog.ok.click()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=5_000)
    assert "依据" in dialog.error.text()
    dialog.reason.setPlainText("复核原始答卷")
    dialog.ok.click()
    qtbot.waitUntil(lambda: _closed(dialog), timeout=5_000)
    _wait_loaded(qtbot, sup, lambda: sup.mismatch_table.model.rowCount() == 0)
    sup.lock_button.click()
    qtbot.waitUntil(lambda: "已锁定理论知识考试成绩 2 条" in sup.notice.label.text(), timeout=5_000)
    assert scoring.reconciliation(team["supervisor"], CODE, "theory").locked == 3
    _wait_loaded(qtbot, sup, lambda: "3 条成绩已经两轮核对并锁定" in sup.summary.text())
    assert "两轮一致 0 条" not in sup.summary.text()
    assert shown_errors == []


def test_actions_close_once_results_are_final(qtbot, team, scored, make_window, shown_errors):
    from datetime import date

    from jlexam.services import publicity

    sup = team["supervisor"]
    for part in ("theory", "practical"):
        for clerk, round_no in (("clerk1", 1), ("clerk2", 2)):
            scoring.enter_scores(team[clerk], CODE, part, round_no, dict.fromkeys(scored, "80"))
        scoring.lock_scores(sup, CODE, part)
    scoring.compute_results(sup, CODE)
    _w, page = open_page(qtbot, make_window, sup)
    _wait_loaded(qtbot, page, lambda: True)
    assert page.lock_button.isEnabled() and page.change_button.isEnabled()  # judged, not yet published

    publicity.publish_results(sup, CODE, date(2026, 9, 30))
    publicity.finalize_results(sup, CODE, date(2026, 10, 13))
    _w2, final = open_page(qtbot, make_window, sup)
    _wait_loaded(qtbot, final, lambda: final.ctx.sitting.state == "final")
    for button in (final.lock_button, final.results_button, final.change_button, final.assign_button):
        assert not button.isEnabled()
        assert "不能再做此操作" in button.toolTip()

    # the eligibility review is over as well: nothing on the registration page may change a decision
    window = make_window(sup)
    qtbot.waitUntil(lambda: window.ctx.sitting is not None, timeout=5_000)
    window.navigation.select("registration")
    reg = window.current_page()
    qtbot.waitUntil(lambda: reg.loaded is not None and len(reg.rows) == 3, timeout=5_000)
    reg.select_ids(scored)
    assert not reg.evaluate_button.isEnabled()
    assert not any(b.isEnabled() for b in (reg.approve_button, reg.reject_button, reg.override_button))
    reg.select_ids(scored[:1])
    assert reg.evidence_button.isEnabled()  # a scanned original may still be filed for the archive
    assert not reg.override_button.isEnabled() and not reg.reject_button.isEnabled()
    assert "只能查看" in reg.status.label.text()
    assert shown_errors == []


def test_entry_waits_for_the_exam_day(qtbot, team, decided, make_window):
    """Before the sitting is held the sheet can be printed and markers chosen, but nothing entered or locked."""
    _w, page = open_page(qtbot, make_window, team["supervisor"])
    _wait_loaded(qtbot, page, lambda: page.sheet.rowCount() == 3)
    assert page.export_button.isEnabled() and page.assign_button.isEnabled()
    for button in (page.save_button, page.import_button, page.lock_button, page.results_button):
        assert not button.isEnabled() and "考试尚未结束" in button.toolTip()
    assert "标记为已考试" in page.status.label.text() and page.status.isVisibleTo(page)
