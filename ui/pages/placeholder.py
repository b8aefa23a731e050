"""The page of a stage that is not built yet: it says so plainly and what the stage will do."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from ui.context import AppContext
from ui.navigation import Stage
from ui.pages.base import Page
from ui.widgets import Card


class PlaceholderPage(Page):
    def __init__(self, ctx: AppContext, stage: Stage, parent: QWidget | None = None) -> None:
        super().__init__(ctx, stage, parent)
        card = Card(self.tr("本阶段尚未开发"))
        card.setObjectName("Card")
        text = QLabel(self.tr("“%1”功能将在后续版本中提供。届时本页面将用于：%2")
                      .replace("%1", stage.title).replace("%2", stage.summary))
        text.setObjectName("PlaceholderText")
        text.setWordWrap(True)
        hint = QLabel(self.tr("在此之前，请按现行纸质流程办理本阶段的工作；已登记的机构信息、用户和审计记录不受影响。"))
        hint.setObjectName("Hint")
        hint.setWordWrap(True)
        card.body.addWidget(text)
        card.body.addWidget(hint)
        self.content.addWidget(card)
        self.content.addStretch(1)
        text.setAlignment(Qt.AlignmentFlag.AlignLeft)
