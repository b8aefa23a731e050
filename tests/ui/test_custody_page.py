"""The custody page: steps recorded by scanning the packet label; forged labels and wrong order refused."""

import pytest
from PySide6.QtCore import Qt

from jlexam.domain.custody import EventKind
from jlexam.security.roles import Role
from jlexam.services import custody
from tests.services.helpers import open_sitting

CODE = "S2026-12"
PACKET = "P-A201-T"


@pytest.fixture
def office(gui_actor_for):  # type: ignore[no-untyped-def]
    return gui_actor_for(Role.EXAM_OFFICE)


@pytest.fixture
def page(qtbot, gui_admin, office, make_window):  # type: ignore[no-untyped-def]
    open_sitting(gui_admin, office)
    custody.create_packet(office, CODE, PACKET, "DG-2026-电工-4-A", "v1", 30)
    window = make_window(office)
    qtbot.waitUntil(lambda: window.ctx.sitting is not None, timeout=5_000)
    window.navigation.select("papers")
    page = window.current_page()
    qtbot.waitUntil(lambda: page.loaded is not None and page.packets.model.rowCount() == 1, timeout=5_000)
    return page


def _scan(qtbot, page, token: str) -> None:  # type: ignore[no-untyped-def]
    """What a USB scanner does: type the label's text into the focused field, then Enter."""
    page.scan.setFocus()
    qtbot.keyClicks(page.scan, token)
    qtbot.keyClick(page.scan, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.scan_task is not None and not page.scan_task.is_running, timeout=5_000)


def _record(qtbot, page, kind: EventKind, place: str, persons: str, **fields: object) -> None:  # type: ignore[no-untyped-def]
    page.kind.setCurrentIndex(page.kind.findData(kind.value))
    page.place.setEditText(place)
    page.persons.setText(persons)
    if "seal" in fields:
        page.seal.setText(str(fields["seal"]))
    if "copies" in fields:
        page.copies.setValue(int(fields["copies"]))  # type: ignore[call-overload]
    page.record_button.click()
    qtbot.waitUntil(lambda: page.scanned is None or page.record_error.isVisible(), timeout=5_000)


def test_steps_are_recorded_by_scans(qtbot, page, office, shown_errors):
    token = custody.label_token(office, PACKET)
    assert page.scan.isEnabled() and not page.record_button.isEnabled()  # nothing to record before a scan

    _scan(qtbot, page, token)
    assert page.scanned is not None and page.scanned.code == PACKET
    assert page.kind.currentData() == EventKind.PRINT.value  # suggested from the state
    assert page.rows["copies"][1].isVisibleTo(page) and not page.rows["seal"][1].isVisibleTo(page)
    _record(qtbot, page, EventKind.PRINT, "印刷室", "印刷甲、印刷乙", copies=30)
    assert not page.record_error.isVisible(), page.record_error.text()
    assert "已登记" in page.scan_result.text() and not page.record_button.isEnabled()  # the next step needs a scan

    _scan(qtbot, page, token)
    assert page.kind.currentData() == EventKind.SEAL.value
    _record(qtbot, page, EventKind.SEAL, "印刷室", "张保管，李保管", seal="F-001")
    _scan(qtbot, page, token)
    assert page.kind.currentData() == EventKind.STORE.value
    _record(qtbot, page, EventKind.STORE, "保密室", "张保管 李保管")

    log = custody.packet_log(office, PACKET)
    assert [e.kind_label for e in log] == ["印制", "封装", "入库保管"]
    assert log[1].seal_number == "F-001" and log[0].copies == 30 and log[2].persons == "张保管、李保管"
    qtbot.waitUntil(lambda: page.packets.model.row(0).state == "stored", timeout=5_000)
    assert page.packets.model._texts[0][4] == "在库" and page.packets.model._texts[0][5] == "保密室"
    qtbot.waitUntil(lambda: page.log.model.rowCount() == 3, timeout=5_000)
    assert shown_errors == []


def test_forged_label_is_refused_and_nothing_recorded(qtbot, page, office, shown_errors):
    token = custody.label_token(office, PACKET)
    header, payload, signature = token.split(".")
    i = len(signature) // 2
    forged = ".".join([header, payload, signature[:i] + ("A" if signature[i] != "A" else "B") + signature[i + 1:]])
    _scan(qtbot, page, forged)
    assert page.scanned is None and not page.record_button.isEnabled()
    assert "标签无效" in page.scan_result.text()
    assert "b42318" in page.scan_result.styleSheet()  # in red
    page.record()  # a shortcut cannot record without a valid scan
    qtbot.wait(100)
    assert custody.packet_log(office, PACKET) == []
    assert shown_errors == []


def test_out_of_order_step_is_refused(qtbot, page, office):
    token = custody.label_token(office, PACKET)
    _scan(qtbot, page, token)
    _record(qtbot, page, EventKind.PRINT, "印刷室", "印刷甲、印刷乙", copies=30)
    _scan(qtbot, page, token)
    _record(qtbot, page, EventKind.OPEN, "A201", "监考甲、监考乙")  # printed, not sealed: cannot be opened
    assert page.record_error.isVisible()
    assert "不能启封" in page.record_error.text() and "未登记" in page.record_error.text()
    assert page.scanned is not None  # still in hand: correct the step and record again
    assert len(custody.packet_log(office, PACKET)) == 1


def test_supervisor_without_packets_sees_empty_state(qtbot, gui_admin, gui_actor_for, make_window):
    supervisor = gui_actor_for(Role.SUPERVISOR)
    window = make_window(supervisor)
    window.navigation.select("papers")
    page = window.current_page()
    qtbot.waitUntil(lambda: page.loaded is not None, timeout=5_000)
    assert "尚无认定批次" in page.status.label.text()
    assert page.packets.stack.currentWidget() is page.packets.empty
