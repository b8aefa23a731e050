"""Pages in late states (held, archived...): labels hidden with their fields, actions the services refuse
disabled with a tooltip that says why, and texts that say what is true for the sitting's state."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtCore import QRect
from sqlalchemy import update

from jlexam.security.roles import Role
from jlexam.services import publicity, staffing
from jlexam.store.models import Sitting
from tests.services.arrangement_helpers import CODE, arranged


def _overlaps(rects: list[QRect]) -> bool:
    return any(a.intersects(b) for i, a in enumerate(rects) for b in rects[i + 1:])


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_answer_dialog_lays_out_the_corrections_without_overlap(qtbot, gui_admin, lang):  # type: ignore[no-untyped-def]
    from ui import i18n
    from ui.pages.publicity import AnswerDialog

    i18n.install(lang)
    objection = publicity.ObjectionView(1, "李栋华", date(2026, 11, 6), date(2026, 11, 13), False,
                                        "对理论知识考试成绩有异议，申请复核", None, "")
    dialog = AnswerDialog(gui_admin, objection, date(2026, 11, 7))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.height() >= dialog.sizeHint().height()
    boxes = [box for box, _mark in dialog.change.values()]
    marks = [mark for _box, mark in dialog.change.values()]
    for widget in (*boxes, *marks):  # nothing squeezed below the height it needs
        assert widget.height() >= widget.sizeHint().height(), widget
    assert not _overlaps([m.geometry() for m in marks])
    assert not _overlaps([b.geometry() for b in boxes])
    inside = dialog.rect()
    for widget in (*boxes, *marks, dialog.ok):
        top_left = widget.mapTo(dialog, widget.rect().topLeft())
        assert inside.contains(QRect(top_left, widget.size())), widget
    if lang == "en":
        assert "Correct Review" not in [b.text() for b in boxes]


# --- a locked sitting taken on to a later state -------------------------------------------------------------
@pytest.fixture
def team(gui_actor_for):  # type: ignore[no-untyped-def]
    return {"office": gui_actor_for(Role.EXAM_OFFICE), "sup": gui_actor_for(Role.SUPERVISOR)}


def locked_in(gui_admin, gui_db, team, state: str) -> None:  # type: ignore[no-untyped-def]
    """Approved applications, rooms, seats and staff, the supervisor's lock; then the sitting put in ``state``."""
    arranged(gui_admin, team)
    staffing.lock_arrangement(team["sup"], CODE)
    with gui_db.transaction() as s:
        s.execute(update(Sitting).where(Sitting.code == CODE).values(state=state))


def _idle(page) -> bool:  # type: ignore[no-untyped-def]
    tasks = [getattr(page, name, None) for name in ("task", "session_task", "plan_task")]
    return all(t is None or not t.is_running for t in tasks)


def show(qtbot, window, key: str):  # type: ignore[no-untyped-def]
    window.navigation.select(key)
    page = window.current_page()
    qtbot.waitUntil(lambda: page.loaded is not None and page.loaded.code == CODE and _idle(page), timeout=10_000)
    return page


def _window(qtbot, make_window, actor):  # type: ignore[no-untyped-def]
    window = make_window(actor)
    qtbot.waitUntil(lambda: window.ctx.sitting is not None, timeout=5_000)
    return window


def disabled_saying(button, *words: str) -> None:  # type: ignore[no-untyped-def]
    assert not button.isEnabled(), button.text()
    assert all(w in button.toolTip() for w in words), (button.text(), button.toolTip())


def test_an_archived_sitting_offers_nothing_the_services_refuse(qtbot, gui_admin, gui_db, team, make_window,
                                                                 shown_errors):  # fmt: skip
    locked_in(gui_admin, gui_db, team, "archived")
    window = _window(qtbot, make_window, team["office"])

    page = show(qtbot, window, "registration")
    assert page.loaded.missing_photos  # photos missing, yet none can be added to an archived sitting
    disabled_saying(page.photos_button, "归档")
    page.table.view.selectRow(0)
    for button in (page.approve_button, page.reject_button):
        disabled_saying(button, "已归档")
    disabled_saying(page.evidence_button, "归档")

    page = show(qtbot, window, "papers")
    disabled_saying(page.create_button, "归档")
    assert not page.scan.isEnabled() and "归档" in page.scan.toolTip()

    page = show(qtbot, window, "tickets")
    disabled_saying(page.manual_button, "归档")
    for button in (page.absent_button, page.event_button):
        disabled_saying(button, "归档")
    for field in (page.manual_value, page.manual_reason, page.manual_by, page.event_text, page.event_ticket):
        assert not field.isEnabled()
    assert page.answer.verdict.text() == "已归档"
    assert "归档" in page.answer.message.text()

    page = show(qtbot, window, "staff")
    assert "主考/质量督导写明理由" not in page.status.label.text()
    assert "考试已举行" in page.status.label.text()
    disabled_saying(page.edit_button, "请先")

    page = show(qtbot, window, "arrangement")
    assert "可由主考/质量督导锁定" not in page.problem_summary.text()
    assert "编排已锁定" in page.problem_summary.text()
    disabled_saying(page.edit_room_button, "请先")
    page.rooms.view.selectRow(0)
    assert page.edit_room_button.isEnabled()

    page = show(qtbot, window, "publicity")  # the exam office may not publish: no date label without its field
    assert page.start_label.isHidden() and page.start_on.isHidden()
    assert not any("可以发证" in t for t in page.blocker_texts())
    assert any("已归档" in t for t in page.blocker_texts())

    page = show(qtbot, window, "certificates")  # the exam office may not issue
    assert page.issue_date_label.isHidden() and page.issue_date.isHidden()
    assert not any("撤销" in t for t in page.blocker_texts())
    assert any("作废" in t for t in page.blocker_texts())
    assert shown_errors == []


def test_the_supervisor_is_told_why_on_an_archived_sitting(qtbot, gui_admin, gui_db, team, make_window,
                                                           shown_errors):  # fmt: skip
    from jlexam.domain.levels import SkillLevel
    from jlexam.services.certificates import CertificateView
    from ui.pages import certificates as certificates_page
    from ui.pages import publicity as publicity_page

    locked_in(gui_admin, gui_db, team, "archived")
    window = _window(qtbot, make_window, team["sup"])

    page = show(qtbot, window, "publicity")
    assert page.start_label.isVisible() and page.start_on.isVisible()
    disabled_saying(page.publish_button, "成绩已确定")
    disabled_saying(page.finalize_button, "成绩已确定")
    disabled_saying(page.answer_button, "只能在成绩公示阶段")
    disabled_saying(page.letter_button, "请先选择")
    answered = publicity.ObjectionView(7, "李栋华", date(2026, 11, 6), date(2026, 11, 13), False, "理论成绩偏低",
                                       date(2026, 11, 7), "维持原成绩")
    page._loaded(publicity_page.Loaded(CODE, "archived", None, [answered], [], [], []))
    page.select_objection(7)
    assert page.letter_button.isEnabled()
    disabled_saying(page.answer_button, "只能在成绩公示阶段")
    texts = {}
    for state in ("final", "certified", "reported", "archived"):
        page._loaded(publicity_page.Loaded(CODE, state, None, [], [], [], []))
        texts[state] = page.blocker_texts()
    assert texts["final"] == ["成绩已确定，可以发证。"]
    assert all("可以发证" not in t for state in ("certified", "reported", "archived") for t in texts[state])
    assert "上报" in texts["reported"][0] and "归档" in texts["archived"][0]

    page = show(qtbot, window, "certificates")
    assert page.issue_date_label.isVisible()
    disabled_saying(page.issue_button, "已上报")
    for button in (page.reissue_button, page.correct_button, page.void_button):
        disabled_saying(button, "请先选择")
    loaded = page.loaded
    cert = CertificateView("C1", "张三", "2201**********123X", "6-31-01-03", SkillLevel(4), date(2026, 12, 1),
                           "original", "voided")
    page._loaded(certificates_page.Loaded(CODE, "archived", [cert, replace(cert, number="C2", status="valid")],
                                          [], loaded.entries, loaded.balance, loaded.printers))
    page.select_numbers(["C1"])
    for button in (page.reissue_button, page.correct_button, page.void_button):
        disabled_saying(button, "已作废")
    page.select_numbers(["C2"])
    for button in (page.reissue_button, page.correct_button, page.void_button):  # the services allow these
        assert button.isEnabled() and button.toolTip()
    assert shown_errors == []


@pytest.mark.parametrize("state", ["arranged", "held"])
def test_locked_pages_say_what_the_state_allows(qtbot, gui_admin, gui_db, team, make_window, shown_errors,
                                                state):  # fmt: skip
    locked_in(gui_admin, gui_db, team, state)
    window = _window(qtbot, make_window, team["sup"])

    page = show(qtbot, window, "staff")
    status = page.status.label.text()
    if state == "arranged":
        assert "主考/质量督导写明理由" in status
    else:
        assert "考试已举行" in status and "主考/质量督导写明理由" not in status

    page = show(qtbot, window, "arrangement")
    assert "编排已锁定" in page.problem_summary.text()
    assert "可由主考/质量督导锁定" not in page.problem_summary.text()

    page = show(qtbot, window, "tickets")
    disabled_saying(page.manual_button, "准考证" if state == "arranged" else "考试已举行")
    assert not page.manual_value.isEnabled() and not page.event_text.isEnabled()
    assert page.answer.verdict.text() == ("未开放签到" if state == "arranged" else "签到已结束")

    page = show(qtbot, window, "registration")
    disabled_saying(page.approve_button, "资格审核")
    assert page.photos_button.isEnabled()  # missing photos may still be added (nothing printed showed them)
    assert shown_errors == []


def test_photos_after_the_tickets_only_where_one_is_missing(qtbot, gui_admin, gui_db, team, make_window):  # type: ignore[no-untyped-def]
    locked_in(gui_admin, gui_db, team, "ticketed")
    window = _window(qtbot, make_window, team["office"])
    page = show(qtbot, window, "registration")
    assert page.loaded.missing_photos and page.photos_button.isEnabled()
    page._loaded(replace(page.loaded, missing_photos=[]))
    disabled_saying(page.photos_button, "准考证", "主考/质量督导")
