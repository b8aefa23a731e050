"""What every page has: its title and purpose, what blocks the sitting's next step, and its content."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QAbstractButton, QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from jlexam.domain import locked_records
from ui.context import AppContext
from ui.navigation import Stage
from ui.sittings import state_name
from ui.widgets import Banner

GREEN, RED = "#1f7a4d", "#b42318"

# The states of a sitting, as the arrangement and staff pages see them (DESIGN.md "A sitting's life").
BEFORE_CLOSE = frozenset({"draft", "open"})
ARRANGING = frozenset({"closed"})  # seat plans and staff are made and changed freely
LOCKED_CHANGES = frozenset({"arranged", "ticketed"})  # locked: a supervisor changes, with a reason (002 §21)
LOCKED_STATES = frozenset(state.value for state in locked_records.LOCKED_STATES)


def arrangement_block(state: str | None, *, after_lock: bool = False) -> str:
    """Why the arrangement (seats, staff) of a sitting in ``state`` cannot be changed now; "" when it can.

    ``after_lock``: a supervisor's change to the locked arrangement (arranged or ticketed) rather than an
    ordinary change (while registration is closed and nothing is locked).
    """
    if state is None:
        return QCoreApplication.translate("Page", "尚无认定批次：请先在“认定批次”页面创建并选择认定批次。")
    state = str(state)
    label = state_name(state)
    if state in BEFORE_CLOSE:
        return QCoreApplication.translate("Page", "认定批次当前为“%1”：报名截止后才能编排考场和安排考务人员。").replace("%1", label)
    if after_lock:
        if state in LOCKED_CHANGES:
            return ""
        if state in ARRANGING:
            return QCoreApplication.translate("Page", "编排尚未锁定（%1）：请直接调整，无需主考/质量督导批准。").replace("%1", label)
        return QCoreApplication.translate("Page", "认定批次当前为“%1”：考试已举行，编排和考务人员不能再调整（002 第二十一条）。").replace(
            "%1", label
        )
    if state in ARRANGING:
        return ""
    if state in LOCKED_CHANGES:
        return QCoreApplication.translate(
            "Page", "编排已锁定（%1）：调整须由主考/质量督导写明理由，用“…（锁定后）”操作（002 第二十一条）。"
        ).replace("%1", label)
    return QCoreApplication.translate("Page", "认定批次当前为“%1”：考试已举行，编排和考务人员不能再改动。").replace("%1", label)


def gate(button: QAbstractButton, block: str = "", *, ready: bool = True, tip: str = "", unready: str = "") -> None:
    """Enable ``button`` when nothing blocks it and it is ``ready`` (a row chosen...); a block is said in the
    tooltip, so a disabled action tells why. ``unready`` is the tooltip while only ``ready`` is missing (e.g.
    "select a row first"); ``tip`` otherwise."""
    button.setEnabled(not block and ready)
    button.setToolTip(block or (unready if not ready and unready else tip))


class Page(QWidget):
    """Subclasses fill ``self.content`` (a QVBoxLayout) and override ``refresh()``."""

    scrollable = True

    def __init__(self, ctx: AppContext, stage: Stage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.stage = stage
        self.setObjectName("PageArea")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(28, 20, 28, 16)
        outer.setSpacing(12)
        head = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(2)
        self.title = QLabel(stage.title)
        self.title.setObjectName("PageTitle")
        self.subtitle = QLabel(stage.summary)
        self.subtitle.setObjectName("PageSubtitle")
        self.subtitle.setWordWrap(True)
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        head.addLayout(titles, 1)
        self.actions = QHBoxLayout()
        self.actions.setSpacing(8)
        head.addLayout(self.actions)
        outer.addLayout(head)

        self.blocker_box = QFrame()
        blocker_layout = QVBoxLayout(self.blocker_box)
        blocker_layout.setContentsMargins(0, 0, 0, 0)
        blocker_layout.setSpacing(6)
        self.blocker_title = QLabel(QCoreApplication.translate("Page", "下一步的阻碍"))
        self.blocker_title.setObjectName("Hint")
        blocker_layout.addWidget(self.blocker_title)
        self.blocker_banners: list[Banner] = []
        self._blocker_layout = blocker_layout
        outer.addWidget(self.blocker_box)

        body = QWidget()
        body.setObjectName("PageBody")
        self.content = QVBoxLayout(body)
        self.content.setContentsMargins(0, 0, 0, 0)
        self.content.setSpacing(14)
        if self.scrollable:
            scroll = QScrollArea()
            scroll.setObjectName("PageScroll")
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidget(body)
            outer.addWidget(scroll, 1)
        else:
            outer.addWidget(body, 1)
        ctx.blockers_changed.connect(self.show_blockers)
        self.show_blockers()

    def show_blockers(self) -> None:
        for banner in self.blocker_banners:
            banner.deleteLater()
        self.blocker_banners = []
        blockers = self.ctx.blockers
        sitting = self.ctx.sitting
        if sitting is not None:
            self.blocker_title.setText(
                QCoreApplication.translate("Page", "认定批次 %1（%2）推进到下一步的阻碍")
                .replace("%1", sitting.name)
                .replace("%2", sitting.state_label)
            )
        else:
            self.blocker_title.setText(QCoreApplication.translate("Page", "下一步的阻碍"))
        if not blockers:
            banner = Banner(QCoreApplication.translate("Page", "没有阻碍下一步的问题。"), "ok")
            self.blocker_banners.append(banner)
            self._blocker_layout.addWidget(banner)
            return
        for blocker in blockers[:4]:
            banner = Banner(blocker.text, blocker.level)
            self.blocker_banners.append(banner)
            self._blocker_layout.addWidget(banner)
        if len(blockers) > 4:
            more = Banner(
                QCoreApplication.translate("Page", "另有 %1 项，请在相应页面查看。").replace(
                    "%1", str(len(blockers) - 4)
                ),
                "info",
            )
            self.blocker_banners.append(more)
            self._blocker_layout.addWidget(more)

    def refresh(self) -> None:
        """Reload the page's data (when shown, on F5, after a change elsewhere)."""
