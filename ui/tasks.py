"""Background work: run a function on QThreadPool, report progress, allow cancel, return through signals.

Anything that may take longer than ~200 ms (a login's password hash, a search, a backup, verifying the audit
chain, building a document) runs here, never on the UI thread. The function runs in a worker thread and
receives a ``Progress``; every service call it makes opens its own database session in that thread (the
services do that per call), so no session or ORM object crosses threads: return plain values (dataclasses).

    handle = run_task(self, lambda progress: audit.verify_chains(actor),
                      title=self.tr("校验审计链"), on_done=self.show_reports)

The result (or the error) comes back on the UI thread through Qt signals. A progress dialog with a
「取消」button appears when the work lasts longer than ``delay_ms``; cancelling sets a flag the function
checks by calling ``progress(...)`` or ``progress.check()``, and a cancelled task's result is discarded.
Errors are shown in Chinese (``ui.errors.show_error``), unexpected ones with details to copy.
"""

from __future__ import annotations

import contextlib
import threading
import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from ui.errors import show_error


class Cancelled(Exception):
    """Raised inside a task by ``Progress`` once the user has cancelled."""


class Progress:
    """Handed to the task function: ``progress(done, total, text)`` reports and checks for cancellation."""

    def __init__(self, signals: _Signals) -> None:
        self._signals = signals
        self._cancelled = threading.Event()

    def __call__(self, done: int = 0, total: int = 0, text: str = "") -> None:
        self.check()
        self._signals.progress.emit(int(done), int(total), text)

    def check(self) -> None:
        if self._cancelled.is_set():
            raise Cancelled

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def cancel(self) -> None:
        self._cancelled.set()


class _Signals(QObject):
    progress = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object, str)
    stopped = Signal()


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[Progress], Any], progress: Progress, signals: _Signals) -> None:
        super().__init__()
        self.fn, self.progress, self.signals = fn, progress, signals

    def run(self) -> None:
        with contextlib.suppress(RuntimeError):  # the receiver is gone (the application is closing)
            self._run()

    def _run(self) -> None:
        try:
            result = self.fn(self.progress)
        except Cancelled:
            self.signals.stopped.emit()
        except BaseException as exc:
            self.signals.failed.emit(exc, "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
        else:
            if self.progress.cancelled:
                self.signals.stopped.emit()
            else:
                self.signals.succeeded.emit(result)


_running: set[TaskHandle] = set()


def running_tasks() -> int:
    return len(_running)


class TaskHandle(QObject):
    """One running task, on the UI thread. ``finished`` is emitted last, whatever the outcome."""

    done = Signal(object)
    error = Signal(object)
    cancelled = Signal()
    progressed = Signal(int, int, str)
    finished = Signal()

    def __init__(self, parent_widget: QWidget | None, title: str, label: str, *, dialog: bool,
                 cancellable: bool, delay_ms: int) -> None:
        super().__init__()
        self.signals = _Signals()
        self.progress = Progress(self.signals)
        self.outcome: str | None = None  # "done", "error" or "cancelled"
        self.result: Any = None
        self.exception: BaseException | None = None
        self.dialog: QProgressDialog | None = None
        if dialog:
            self.dialog = QProgressDialog(label or title, "", 0, 0, parent_widget)
            self.dialog.setObjectName("TaskProgress")
            self.dialog.setWindowTitle(title)
            self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
            self.dialog.setMinimumDuration(delay_ms)
            self.dialog.setMinimumWidth(380)
            self.dialog.setAutoClose(False)
            self.dialog.setAutoReset(False)
            if cancellable:
                self.dialog.setCancelButtonText(QCoreApplication.translate("Tasks", "取消"))
                self.dialog.canceled.connect(self.cancel)
            else:
                self.dialog.setCancelButton(None)
        self.signals.progress.connect(self._on_progress)
        self.signals.succeeded.connect(self._on_succeeded)
        self.signals.failed.connect(self._on_failed)
        self.signals.stopped.connect(self._on_stopped)

    @Slot()
    def cancel(self) -> None:
        if self.outcome is None:
            self.progress.cancel()
            if self.dialog is not None and shiboken6.isValid(self.dialog):
                self.dialog.setLabelText(QCoreApplication.translate("Tasks", "正在取消……"))

    @property
    def is_running(self) -> bool:
        return self.outcome is None

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, text: str) -> None:
        if self.dialog is not None and shiboken6.isValid(self.dialog) and not self.progress.cancelled:
            if total > 0:
                self.dialog.setMaximum(total)
                self.dialog.setValue(min(done, total))
            if text:
                self.dialog.setLabelText(text)
        self.progressed.emit(done, total, text)

    def _close(self, outcome: str) -> None:
        self.outcome = outcome
        dialog, self.dialog = self.dialog, None
        if dialog is not None and shiboken6.isValid(dialog):  # its parent window may be gone already
            dialog.canceled.disconnect()
            dialog.close()
            dialog.deleteLater()
        _running.discard(self)

    @Slot(object)
    def _on_succeeded(self, result: object) -> None:
        if self.progress.cancelled:
            self._on_stopped()
            return
        self.result = result
        self._close("done")
        self.done.emit(result)
        self.finished.emit()

    @Slot(object, str)
    def _on_failed(self, exc: BaseException, tb: str) -> None:
        self.exception = exc
        self.traceback = tb
        self._close("error")
        self.error.emit(exc)
        self.finished.emit()

    @Slot()
    def _on_stopped(self) -> None:
        self._close("cancelled")
        self.cancelled.emit()
        self.finished.emit()


def run_task(
    parent: QWidget | None,
    fn: Callable[[Progress], Any],
    *,
    title: str = "",
    label: str = "",
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    dialog: bool = True,
    cancellable: bool = True,
    delay_ms: int = 400,
    pool: QThreadPool | None = None,
) -> TaskHandle:
    """Start ``fn(progress)`` on the thread pool; ``on_done(result)`` runs on the UI thread.

    Without ``on_error`` a failure is shown in a dialog (Chinese message, or details to copy).
    """
    title = title or QCoreApplication.translate("Tasks", "请稍候")
    handle = TaskHandle(parent, title, label, dialog=dialog, cancellable=cancellable, delay_ms=delay_ms)
    if on_done is not None:
        handle.done.connect(on_done)
    if on_error is not None:
        handle.error.connect(on_error)
    else:
        handle.error.connect(lambda exc: show_error(parent, exc, getattr(handle, "traceback", None)))
    _running.add(handle)
    (pool or QThreadPool.globalInstance()).start(_Runnable(fn, handle.progress, handle.signals))
    return handle
