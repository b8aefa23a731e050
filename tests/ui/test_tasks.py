"""The background helper: results through signals, progress, cancel that really stops, errors."""

import threading
import time

import pytest
from PySide6.QtWidgets import QWidget

from jlexam.errors import ValidationError
from ui.tasks import run_task


def test_result_comes_back_on_the_ui_thread(qtbot):
    main = threading.get_ident()
    seen = {}

    def work(progress):  # type: ignore[no-untyped-def]
        seen["worker"] = threading.get_ident()
        return 42

    handle = run_task(None, work, dialog=False, on_done=lambda r: seen.update(result=r, ui=threading.get_ident()))
    with qtbot.waitSignal(handle.finished, timeout=5_000):
        pass
    assert seen["result"] == 42 and handle.outcome == "done"
    assert seen["worker"] != main and seen["ui"] == main


def test_progress_dialog_and_cancel_stop_the_work(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    steps = []
    started = threading.Event()

    def work(progress):  # type: ignore[no-untyped-def]
        for i in range(1000):
            progress(i, 1000, f"第 {i} 步")
            steps.append(i)
            started.set()
            time.sleep(0.005)
        return "finished"

    results = []
    handle = run_task(parent, work, title="测试", delay_ms=0, on_done=results.append)
    started.wait(5)
    qtbot.waitUntil(lambda: handle.dialog is not None and handle.dialog.isVisible(), timeout=5_000)
    assert handle.dialog.maximum() == 1000
    with qtbot.waitSignal(handle.cancelled, timeout=5_000):
        handle.dialog.canceled.emit()  # what the 取消 button does
    stopped_at = len(steps)
    time.sleep(0.1)
    assert len(steps) == stopped_at < 1000  # the function really stopped
    assert handle.outcome == "cancelled" and results == []
    assert handle.dialog is None


def test_errors_reach_the_handler(qtbot, shown_errors):
    def fail(progress):  # type: ignore[no-untyped-def]
        raise ValidationError("统一社会信用代码应为18位。")

    handle = run_task(None, fail, dialog=False)
    with qtbot.waitSignal(handle.finished, timeout=5_000):
        pass
    assert handle.outcome == "error"
    assert [e.message for e in shown_errors] == ["统一社会信用代码应为18位。"]


def test_unexpected_error_dialog_offers_details(qtbot):
    from ui.errors import error_box

    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        box = error_box(None, exc)
    qtbot.addWidget(box)
    assert "意外错误" in box.text()
    assert "RuntimeError: boom" in box.detailedText()
    assert any(b.text() == "复制详情" for b in box.buttons())


@pytest.mark.parametrize("jlexam_error", [True])
def test_jlexam_error_dialog_shows_the_message(qtbot, jlexam_error):
    from ui.errors import error_box

    box = error_box(None, ValidationError("机构名称不能为空。", rule="001 §7"))
    qtbot.addWidget(box)
    assert box.text() == "机构名称不能为空。" and "001 §7" in box.informativeText()
