"""Showing errors: a JlexamError's Chinese message as it is; anything else with details to copy."""

from __future__ import annotations

import traceback

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from jlexam.errors import JlexamError


def details_of(exc: BaseException, tb: str | None = None) -> str:
    return tb or "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


def error_box(parent: QWidget | None, exc: BaseException, tb: str | None = None,
              title: str | None = None) -> QMessageBox:
    """The dialog (not yet shown): tests look into it, ``show_error`` runs it."""
    box = QMessageBox(parent)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setObjectName("ErrorBox")
    if isinstance(exc, JlexamError):
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(title or QCoreApplication.translate("Errors", "无法完成操作"))
        box.setText(exc.message)
        if exc.rule:
            box.setInformativeText(QCoreApplication.translate("Errors", "依据：%1").replace("%1", exc.rule))
    else:
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(title or QCoreApplication.translate("Errors", "程序出错"))
        box.setText(QCoreApplication.translate("Errors", "发生了意外错误，本次操作没有完成。"))
        box.setInformativeText(QCoreApplication.translate("Errors", "请点击“复制详情”，把内容发给系统维护人员。已保存的数据不受影响。"))
        details = details_of(exc, tb)
        box.setDetailedText(details)
        copy = box.addButton(QCoreApplication.translate("Errors", "复制详情"), QMessageBox.ButtonRole.ActionRole)
        copy.clicked.disconnect()  # keep the dialog open after copying
        copy.clicked.connect(lambda: QApplication.clipboard().setText(details))
    box.addButton(QCoreApplication.translate("Errors", "确定"), QMessageBox.ButtonRole.AcceptRole)
    return box


def show_error(parent: QWidget | None, exc: BaseException, tb: str | None = None, title: str | None = None) -> None:
    error_box(parent, exc, tb, title).exec()
