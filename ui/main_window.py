"""The main window: header (institution, sitting and its state, user and roles), workflow navigation down the
side, one page per stage, and the lock after 15 idle minutes."""

from __future__ import annotations

import importlib

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from jlexam.errors import JlexamError
from jlexam.services.base import Actor
from ui import blockers as blocker_rules
from ui.context import AppContext
from ui.login import LockDialog
from ui.navigation import Navigation, Stage, role_label, visible_stages
from ui.pages.base import Page
from ui.pages.placeholder import PlaceholderPage
from ui.sittings import STATE_COLORS, list_sittings
from ui.style import app_icon
from ui.tasks import run_task

IDLE_LOCK_MS = 15 * 60 * 1000  # 15 minutes without keyboard or mouse


class IdleWatcher(QObject):
    """Restarts a timer on every key press, click or wheel anywhere in the application."""

    timeout = Signal()
    _ACTIVITY = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                           QEvent.Type.Wheel, QEvent.Type.TouchBegin})

    def __init__(self, interval_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.timeout)
        QApplication.instance().installEventFilter(self)
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self._ACTIVITY and self.timer.isActive():
            self.timer.start()
        return False

    def pause(self) -> None:
        self.timer.stop()

    def resume(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


class HeaderBar(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("HeaderBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(18, 8, 14, 8)
        layout.setSpacing(14)
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(34, 34))
        layout.addWidget(icon)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        self.app_title = QLabel(self.tr("职业技能等级认定考务管理系统"))
        self.app_title.setObjectName("AppTitle")
        self.institution = QLabel(self.tr("尚未登记机构信息"))
        self.institution.setObjectName("InstitutionName")
        titles.addWidget(self.app_title)
        titles.addWidget(self.institution)
        layout.addLayout(titles)
        layout.addStretch(1)

        sitting_caption = QLabel(self.tr("当前认定批次"))
        sitting_caption.setObjectName("HeaderCaption")
        self.sitting = QComboBox()
        self.sitting.setObjectName("SittingSwitcher")
        self.sitting.setMinimumWidth(220)
        self.sitting.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.sitting.setToolTip(self.tr("切换当前认定批次（Ctrl+B）"))
        self.state = QLabel()
        self.state.setObjectName("StateChip")
        layout.addWidget(sitting_caption)
        layout.addWidget(self.sitting)
        layout.addWidget(self.state)

        sep = QFrame()
        sep.setFrameShape(QFrame.Shape.VLine)
        sep.setStyleSheet("color: #d8dee6;")
        layout.addWidget(sep)
        users = QVBoxLayout()
        users.setSpacing(0)
        self.user = QLabel()
        self.user.setObjectName("UserBadge")
        self.roles = QLabel()
        self.roles.setObjectName("RoleBadge")
        users.addWidget(self.user)
        users.addWidget(self.roles)
        layout.addLayout(users)
        self.lock_button = QPushButton(self.tr("锁定"))
        self.lock_button.setObjectName("HeaderButton")
        self.lock_button.setToolTip(self.tr("锁定屏幕（Ctrl+L）"))
        self.logout_button = QPushButton(self.tr("退出登录"))
        self.logout_button.setObjectName("HeaderButton")
        layout.addWidget(self.lock_button)
        layout.addWidget(self.logout_button)


class MainWindow(QMainWindow):
    logout_requested = Signal()
    rebuild_requested = Signal()  # e.g. after the language changed
    restore_requested = Signal(object)  # a backup path: the application closes the database, restores, logs in

    def __init__(self, actor: Actor, *, idle_ms: int = IDLE_LOCK_MS, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("职业技能等级认定考务管理系统"))
        self.setWindowIcon(app_icon())
        self.ctx = AppContext(actor, self)
        self.stages: list[Stage] = visible_stages(actor)
        self.pages: dict[str, Page] = {}
        self.lock_dialog: LockDialog | None = None
        self._closing_for_logout = False

        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.header = HeaderBar()
        column.addWidget(self.header)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.navigation = Navigation(self.stages)
        self.stack = QStackedWidget()
        self.stack.setObjectName("PageArea")
        self.splitter.addWidget(self.navigation)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([196, 1100])
        column.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.body = central

        roles = "、".join(role_label(r) for r in sorted(actor.roles))
        self.header.user.setText(f"{actor.display_name}（{actor.username}）")
        self.header.roles.setText(roles)
        self.header.lock_button.clicked.connect(self.lock)
        self.header.logout_button.clicked.connect(self.logout)
        self.header.sitting.currentIndexChanged.connect(self._sitting_chosen)
        self.navigation.stage_selected.connect(self.show_stage)
        self.ctx.sitting_changed.connect(self._show_sitting)
        self.ctx.sitting_changed.connect(self.refresh_blockers)
        self.ctx.institution_changed.connect(self.refresh_blockers)
        self.statusBar().showMessage(self.tr("数据库：%1").replace("%1", actor.db.display_name))
        self._shortcuts()
        self._show_sitting()

        self.idle = IdleWatcher(idle_ms, self)
        self.idle.timeout.connect(self.lock)
        self._restore_layout()
        QTimer.singleShot(0, self.load_sittings)

    # --- layout memory ----------------------------------------------------------------------------------
    def _restore_layout(self) -> None:
        settings = QSettings()
        geometry = settings.value("main/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            screen = QApplication.primaryScreen().availableGeometry()
            self.resize(min(1440, screen.width()), min(900, screen.height()))
        splitter = settings.value("main/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        last = str(settings.value("main/page", "") or "")
        if not (last and self.navigation.select(last)) and self.stages:
            self.navigation.select(self.stages[0].key)

    def save_layout(self) -> None:
        settings = QSettings()
        settings.setValue("main/geometry", self.saveGeometry())
        settings.setValue("main/splitter", self.splitter.saveState())
        key = self.navigation.current_key()
        if key:
            settings.setValue("main/page", key)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self.idle.stop()
        super().closeEvent(event)

    # --- shortcuts ----------------------------------------------------------------------------------------
    def _shortcuts(self) -> None:
        def bind(sequence: QKeySequence | str, slot) -> None:  # type: ignore[no-untyped-def]
            shortcut = QShortcut(QKeySequence(sequence), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)

        bind("Ctrl+PgDown", lambda: self.navigation.step(1))
        bind("Ctrl+PgUp", lambda: self.navigation.step(-1))
        bind("F5", self.refresh_current)
        bind("Ctrl+L", self.lock)
        bind("Ctrl+B", lambda: (self.header.sitting.setFocus(), self.header.sitting.showPopup()))
        bind("Ctrl+Shift+Q", self.logout)
        for number, stage in enumerate(self.stages[:9], start=1):
            bind(f"Ctrl+{number}", lambda key=stage.key: self.navigation.select(key))

    # --- pages ----------------------------------------------------------------------------------------------
    def page_for(self, key: str) -> Page:
        if key not in self.pages:
            stage = next(s for s in self.stages if s.key == key)
            if stage.page:
                module_name, class_name = stage.page.split(":")
                cls = getattr(importlib.import_module(module_name), class_name)
                page = cls(self.ctx, stage)
            else:
                page = PlaceholderPage(self.ctx, stage)
            if hasattr(page, "restore_requested"):
                page.restore_requested.connect(self.restore_requested)
            if hasattr(page, "rebuild_requested"):
                page.rebuild_requested.connect(self.rebuild_requested)
            self.pages[key] = page
            self.stack.addWidget(page)
            page.refresh()
        return self.pages[key]

    def show_stage(self, key: str) -> None:
        page = self.page_for(key)
        self.stack.setCurrentWidget(page)

    def current_page(self) -> Page | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, Page) else None

    def refresh_current(self) -> None:
        page = self.current_page()
        if page is not None:
            page.refresh()
        self.load_sittings()

    # --- sitting and blockers ----------------------------------------------------------------------------
    def load_sittings(self) -> None:
        actor = self.ctx.actor
        run_task(self, lambda _p: list_sittings(actor), dialog=False, on_done=self._sittings_loaded,
                 on_error=self._sittings_failed)

    def _sittings_failed(self, exc: BaseException) -> None:
        """Not a pop-up at every start: the switcher says it, the status bar gives the reason."""
        message = exc.message if isinstance(exc, JlexamError) else str(exc)
        combo = self.header.sitting
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(self.tr("无法读取认定批次"), "")
        combo.setToolTip(message)
        combo.setEnabled(False)
        combo.blockSignals(False)
        self.ctx.sittings = []
        self.ctx.set_sitting(None)
        self.statusBar().showMessage(self.tr("无法读取认定批次：%1").replace("%1", message))
        self.refresh_blockers()

    def _sittings_loaded(self, sittings: list) -> None:
        self.ctx.sittings = sittings
        combo = self.header.sitting
        combo.blockSignals(True)
        combo.clear()
        if not sittings:
            combo.addItem(self.tr("无认定批次"), "")
            combo.setEnabled(False)
        else:
            combo.setEnabled(True)
            for s in sittings:
                combo.addItem(f"{s.name}（{s.code}）", s.code)
        saved = str(QSettings().value(self.ctx.settings_key("sitting"), "") or "")
        codes = [s.code for s in sittings]
        chosen = saved if saved in codes else (codes[0] if codes else "")  # newest first
        combo.setCurrentIndex(max(0, combo.findData(chosen)))
        combo.blockSignals(False)
        self.ctx.set_sitting(chosen or None)  # emits when anything of it changed, its state included
        self._show_sitting()
        self.refresh_blockers()

    def _sitting_chosen(self, index: int) -> None:
        code = self.header.sitting.itemData(index)
        self.ctx.set_sitting(code or None)

    def _show_sitting(self) -> None:
        sitting = self.ctx.sitting
        chip = self.header.state
        chip.setVisible(sitting is not None)
        if sitting is not None:
            chip.setText(sitting.state_label)
            chip.setStyleSheet(f"background: {STATE_COLORS.get(sitting.state, '#5f6b7a')};")
            chip.setToolTip(self.tr("批次状态"))

    def refresh_blockers(self) -> None:
        actor, sitting, today = self.ctx.actor, self.ctx.sitting, self.ctx.today()
        run_task(self, lambda _p: blocker_rules.collect(actor, sitting, today), dialog=False,
                 on_done=self._blockers_loaded, on_error=lambda _exc: None)

    def _blockers_loaded(self, result: tuple) -> None:
        name, blockers = result
        self.ctx.institution_name = name
        self.header.institution.setText(name or self.tr("尚未登记机构信息"))
        self.ctx.set_blockers(blockers)

    # --- lock and logout -----------------------------------------------------------------------------------
    def lock(self) -> None:
        if self.lock_dialog is not None:
            return
        self.idle.pause()
        self.body.setVisible(False)  # nothing of the candidates' data stays on screen
        self.lock_dialog = LockDialog(self.ctx.actor, self)
        self.lock_dialog.finished.connect(self._lock_finished)
        self.lock_dialog.open()

    @property
    def is_locked(self) -> bool:
        return self.lock_dialog is not None

    def _lock_finished(self, _result: int) -> None:
        dialog, self.lock_dialog = self.lock_dialog, None
        if dialog is not None and dialog.switch_user:
            self.logout()
            return
        self.body.setVisible(True)
        self.idle.resume()

    def logout(self) -> None:
        self.save_layout()
        self.idle.stop()
        self.logout_requested.emit()
