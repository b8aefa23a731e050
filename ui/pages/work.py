"""The base of the workflow pages: a status banner, a notice banner for the last action's outcome, dialogs,
refusals shown where the user is looking, loading off the UI thread; and the folders and preview they share."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QDialog, QWidget

from jlexam.errors import JlexamError
from ui import errors
from ui.context import AppContext
from ui.navigation import Stage
from ui.pages.base import Page
from ui.pages.sittings import TaskDialog, main_window
from ui.tasks import Progress, run_task
from ui.widgets import Banner


class WorkPage(Page):
    """A page with a status banner, a notice banner for the last action's outcome, and dialogs."""

    scrollable = False

    def __init__(self, ctx: AppContext, stage: Stage, parent: QWidget | None = None) -> None:
        super().__init__(ctx, stage, parent)
        self.dialog: QDialog | None = None
        self.task = None
        self.status = Banner("", "info")
        self.status.setVisible(False)
        self.content.addWidget(self.status)
        self.notice = Banner("", "ok")
        self.notice.setVisible(False)
        self.content.addWidget(self.notice)

    @property
    def code(self) -> str | None:
        return self.ctx.sitting.code if self.ctx.sitting else None

    def set_status(self, text: str, level: str = "info") -> None:
        self.status.set(text, level)
        self.status.setVisible(bool(text))

    def show_notice(self, message: str, level: str = "ok") -> None:
        self.notice.set(message, level)
        self.notice.setVisible(bool(message))

    def changed(self, message: str = "", level: str = "ok", *, sittings: bool = False) -> None:
        """After a change: say what happened, reload, and refresh the shell (state chip, blockers)."""
        if message:
            self.show_notice(message, level)
        window = main_window(self)
        if sittings and window is not None:
            from ui.pages.sittings import reload_shell

            reload_shell(self, self.code)  # the sitting's state changed: every page refreshes
            return
        self.refresh()
        if window is not None:
            window.refresh_blockers()

    def refused(self, exc: BaseException) -> None:
        if isinstance(exc, JlexamError):
            self.show_notice(
                exc.message + (self.tr("（依据：%1）").replace("%1", exc.rule) if exc.rule else ""), "error"
            )
        else:
            errors.show_error(self, exc)

    def open_dialog(self, dialog: QDialog, on_done: Callable[[Any], None]) -> QDialog:
        return open_page_dialog(self, dialog, on_done)

    def load(self, fn: Callable[[Progress], Any], on_done: Callable[[Any], None], title: str) -> None:
        if self.task is not None and self.task.is_running:
            self.task.cancel()
        self.task = run_task(self, fn, title=title, dialog=False, on_done=on_done, on_error=self._load_failed)

    def _load_failed(self, exc: BaseException) -> None:
        if isinstance(exc, JlexamError):
            self.set_status(exc.message, "error")
        else:
            errors.show_error(self, exc)


def open_page_dialog(page: QWidget, dialog: QDialog, on_done: Callable[[Any], None]) -> QDialog:
    """Open ``dialog`` window-modal for ``page`` (kept as ``page.dialog`` for tests); ``on_done`` gets a task
    dialog's result, or the dialog itself when a plain one is accepted."""
    page.dialog = dialog  # type: ignore[attr-defined]
    if isinstance(dialog, TaskDialog):
        dialog.done.connect(on_done)
    else:
        dialog.accepted.connect(lambda: on_done(dialog))
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def documents_folder() -> Path:
    return Path(
        QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or Path.home()
    )


def temp_pdf(stem: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="jlexam-"))
    return folder / f"{stem}.pdf"


def preview(page: QWidget, path: Path, actor, title: str) -> QDialog:  # type: ignore[no-untyped-def]
    from ui.pdf_preview import PdfPreview

    dialog = PdfPreview(path, actor=actor, title=title, parent=page)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    page.preview = dialog  # type: ignore[attr-defined]
    return dialog
