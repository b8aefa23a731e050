"""Small building blocks every page uses: cards, banners, empty states, confirmations."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.style import repolish


class Card(QFrame):
    """A white panel with an optional title; ``body`` is its layout."""

    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 14, 18, 16)
        outer.setSpacing(10)
        self.header = QHBoxLayout()
        self.title_label = QLabel(title)
        self.title_label.setObjectName("CardTitle")
        self.header.addWidget(self.title_label)
        self.header.addStretch(1)
        if title:
            outer.addLayout(self.header)
        self.body = QVBoxLayout()
        self.body.setSpacing(8)
        outer.addLayout(self.body, 1)


class Banner(QFrame):
    """A coloured notice: level is info, ok, warn or error."""

    def __init__(self, text: str = "", level: str = "info", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Banner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        self.icon = QLabel()
        self.icon.setFixedWidth(18)
        self.icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.label = QLabel(text)
        self.label.setObjectName("BannerText")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.icon)
        layout.addWidget(self.label, 1)
        self.set(text, level)

    def set(self, text: str, level: str = "info") -> None:
        self.label.setText(text)
        self.icon.setText({"ok": "✔", "warn": "⚠", "error": "⛔"}.get(level, "ℹ"))
        self.setProperty("level", level)
        repolish(self)


def empty_state(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("EmptyState")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    return label


def primary(button: QPushButton) -> QPushButton:
    button.setProperty("primary", True)
    return button


def danger(button: QPushButton) -> QPushButton:
    button.setProperty("danger", True)
    return button


def confirm(parent: QWidget | None, title: str, text: str, action: str, *, irreversible: bool = True) -> bool:
    """Ask before an irreversible action; the safe answer (取消) is the default."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning if irreversible else QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    if irreversible:
        box.setInformativeText(QCoreApplication.translate("Widgets", "此操作无法撤销。"))
    ok = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole if irreversible
                       else QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QCoreApplication.translate("Widgets", "取消"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is ok


def info(parent: QWidget | None, title: str, text: str) -> None:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(title)
    box.setText(text)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.addButton(QCoreApplication.translate("Widgets", "确定"), QMessageBox.ButtonRole.AcceptRole)
    box.exec()
