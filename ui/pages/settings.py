"""The settings page: database and backups, keys, holiday calendar, printer calibration, language, users.

Each tab is shown only to the roles that may use it (the services refuse anyway); the language and one's own
password are for everyone.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QSettings, Qt, Signal
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from jlexam.errors import JlexamError
from jlexam.security.roles import Role
from jlexam.services import backups, calendar, keys, users
from jlexam.services import settings as settings_service
from ui import i18n
from ui.context import AppContext, china_today
from ui.errors import show_error
from ui.labels import SEPARATOR, label
from ui.navigation import Stage, role_label
from ui.pages.base import Page
from ui.tables import Column, TableView
from ui.tasks import run_task
from ui.widgets import Banner, Card, confirm, danger, info, primary

DB_URL_KEY = "database/url"


def _tab(*widgets: QWidget, stretch: bool = True) -> QWidget:
    page = QWidget()
    page.setObjectName("PageBody")
    layout = QVBoxLayout(page)
    layout.setContentsMargins(16, 16, 16, 16)
    layout.setSpacing(14)
    for widget in widgets:
        layout.addWidget(widget, 0 if stretch else 1)
    if stretch:
        layout.addStretch(1)
    return page


def _hint(text: str) -> QLabel:
    hint = QLabel(text)
    hint.setObjectName("Hint")
    hint.setWordWrap(True)
    return hint


class _PassphraseDialog(QDialog):
    def __init__(self, title: str, text: str, *, confirm_twice: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QFormLayout(self)
        message = QLabel(text)
        message.setWordWrap(True)
        layout.addRow(message)
        self.first = QLineEdit()
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        layout.addRow(self.tr("口令"), self.first)
        self.second = QLineEdit()
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        if confirm_twice:
            layout.addRow(self.tr("再次输入"), self.second)
        self.error = QLabel()
        self.error.setObjectName("FieldError")
        layout.addRow(self.error)
        buttons = QDialogButtonBox()
        buttons.addButton(self.tr("确定"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)
        self.confirm_twice = confirm_twice

    def _accept(self) -> None:
        if self.confirm_twice and self.first.text() != self.second.text():
            self.error.setText(self.tr("两次输入的口令不一致。"))
            return
        self.accept()


class UserDialog(QDialog):
    """A new user (name, display name, password, roles) or the roles of an existing one."""

    def __init__(self, existing: users.UserView | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(
            self.tr("新建用户")
            if existing is None
            else self.tr("修改角色 — %1").replace("%1", existing.username)
        )
        layout = QFormLayout(self)
        self.username = QLineEdit(existing.username if existing else "")
        self.display_name = QLineEdit(existing.display_name if existing else "")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("至少 8 位，含字母和数字"))
        if existing is None:
            layout.addRow(self.tr("用户名"), self.username)
            layout.addRow(self.tr("姓名"), self.display_name)
            layout.addRow(self.tr("初始密码"), self.password)
        self.role_checks: dict[Role, QCheckBox] = {}
        roles_box = QVBoxLayout()
        for role in Role:
            check = QCheckBox(role_label(role))
            check.setChecked(existing is not None and role in existing.roles)
            self.role_checks[role] = check
            roles_box.addWidget(check)
        holder = QWidget()
        holder.setLayout(roles_box)
        roles_box.setContentsMargins(0, 0, 0, 0)
        layout.addRow(self.tr("角色"), holder)
        buttons = QDialogButtonBox()
        buttons.addButton(self.tr("保存"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)

    def roles(self) -> frozenset[Role]:
        return frozenset(r for r, c in self.role_checks.items() if c.isChecked())


class YearScheduleDialog(QDialog):
    """录入全年节假日安排: a new year's State Council schedule pasted line by line (or read from a small
    file), checked by ``calendar.parse_schedule`` as it is typed, and saved whole or not at all."""

    def __init__(self, actor, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.actor = actor
        self.task = None
        self.setWindowTitle(self.tr("录入全年节假日安排"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        form = QFormLayout()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(china_today().year + 1)
        self.source = QLineEdit()
        self.source.setPlaceholderText(
            self.tr("例如：国务院办公厅关于2027年部分节假日安排的通知 国办发明电〔2026〕X号")
        )
        form.addRow(self.tr("年份 *"), self.year)
        form.addRow(self.tr("依据 *"), self.source)
        layout.addLayout(form)
        layout.addWidget(
            _hint(
                self.tr(
                    "按通知逐行填写：放假写“开始日期~结束日期 节日”，单日写“日期 节日”；调休上班的周六、周日每天一行，"
                    "说明中写“上班”或“补班”。以 # 开头的行不读取。也可从 .txt、.csv 或 .xlsx 文件读取。"
                )
            )
        )
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(calendar.SCHEDULE_EXAMPLE)
        self.text.setMinimumHeight(220)
        layout.addWidget(self.text, 1)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.preview)
        self.replace = QCheckBox(self.tr("替换该年已录入的安排（该年原有的全部调整将被删除）"))
        layout.addWidget(self.replace)
        self.error = QLabel()
        self.error.setObjectName("FieldError")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.load_button = buttons.addButton(self.tr("从文件读取…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.ok = primary(buttons.addButton(self.tr("保存"), QDialogButtonBox.ButtonRole.AcceptRole))
        buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        self.load_button.clicked.connect(lambda: self.load_file())
        layout.addWidget(buttons)
        self.text.textChanged.connect(self.check)
        self.year.valueChanged.connect(lambda _v: self.check())
        self.resize(640, 520)
        self.check()

    def check(self) -> bool:
        """Parse as typed: the counts, or the first problem with its line."""
        text = self.text.toPlainText()
        if not text.strip():
            self.preview.setText(self.tr("尚未填写。"))
            self.preview.setStyleSheet("")
            return False
        try:
            schedule = calendar.parse_schedule(self.year.value(), text)
        except JlexamError as exc:
            self.preview.setText(exc.message)
            self.preview.setStyleSheet("color: #b42318;")
            return False
        self.preview.setText(
            self.tr("%1 年：放假 %2 天，调休上班 %3 天。")
            .replace("%1", str(schedule.year))
            .replace("%2", str(len(schedule.days_off)))
            .replace("%3", str(len(schedule.working_days)))
        )
        self.preview.setStyleSheet("color: #067647;")
        return True

    def load_file(self, path: Path | None = None) -> None:
        if path is None:
            chosen, _f = QFileDialog.getOpenFileName(
                self, self.tr("读取节假日安排"), "", self.tr("节假日安排 (*.txt *.csv *.xlsx)")
            )
            if not chosen:
                return
            path = Path(chosen)
        try:
            self.text.setPlainText(calendar.schedule_text_from_file(path))
        except JlexamError as exc:
            self._show_error(exc.message)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def submit(self) -> None:
        if self.task is not None and self.task.is_running:
            return
        self._show_error("")
        actor, year, text = self.actor, self.year.value(), self.text.toPlainText()
        source, replace = self.source.text(), self.replace.isChecked()
        self.ok.setEnabled(False)
        self.task = run_task(
            self,
            lambda _p: calendar.declare_year_schedule(actor, year, text, source, replace),
            title=self.windowTitle(),
            on_done=lambda _s: self.accept(),
            on_error=lambda exc: self._show_error(exc.message if isinstance(exc, JlexamError) else str(exc)),
        )
        self.task.finished.connect(lambda: self.ok.setEnabled(True))


class SettingsPage(Page):
    restore_requested = Signal(object)
    rebuild_requested = Signal()
    scrollable = False

    def __init__(self, ctx: AppContext, stage: Stage, parent: QWidget | None = None) -> None:
        super().__init__(ctx, stage, parent)
        self.blocker_box.setVisible(False)  # settings do not advance a sitting
        actor = ctx.actor
        self.tabs = QTabWidget()
        self.tabs.setObjectName("SettingsTabs")
        self.content.addWidget(self.tabs, 1)
        self.tabs.addTab(self._database_tab(), self.tr("数据库与备份"))
        self.tabs.addTab(self._keys_tab(), self.tr("密钥"))
        if actor.can("calendar.view"):
            self.tabs.addTab(self._calendar_tab(), self.tr("节假日"))
        self.tabs.addTab(self._printer_tab(), self.tr("打印机校准"))
        self.tabs.addTab(self._personal_tab(), self.tr("语言与密码"))
        if actor.can("users.manage"):
            self.tabs.addTab(self._users_tab(), self.tr("用户与角色"))

    def tab_titles(self) -> list[str]:
        return [self.tabs.tabText(i) for i in range(self.tabs.count())]

    # --- database and backups ----------------------------------------------------------------------------
    def _database_tab(self) -> QWidget:
        db = self.ctx.db
        card = Card(self.tr("数据库位置"))
        form = QFormLayout()
        self.db_location = QLineEdit(db.display_name)
        self.db_location.setReadOnly(True)
        self.db_location.setMaximumWidth(720)
        kind = (
            self.tr("本机 SQLite 数据库文件")
            if db.sqlite_path
            else self.tr("PostgreSQL 数据库服务器（多台电脑共用）")
        )
        form.addRow(self.tr("当前数据库"), self.db_location)
        form.addRow(self.tr("类型"), QLabel(kind))
        card.body.addLayout(form)
        change = QPushButton(self.tr("更换数据库…"))
        change.setToolTip(self.tr("选择另一个 SQLite 文件，或填写 PostgreSQL 服务器地址；下次启动时生效"))
        change.clicked.connect(self.change_database)
        change.setVisible(self.ctx.actor.can("settings.manage"))
        card.header.addWidget(change)
        card.body.addWidget(
            _hint(
                self.tr(
                    "多台电脑共用时，请使用 PostgreSQL 服务器，地址形如 "
                    "postgresql://用户名:密码@服务器:5432/jlexam。更换后需要重新启动程序。"
                )
            )
        )
        widgets: list[QWidget] = [card]
        if self.ctx.actor.can("backup.manage"):
            widgets.append(self._backups_card())
        return _tab(*widgets, stretch=False)

    def _backups_card(self) -> Card:
        card = Card(self.tr("备份"))
        self.backup_now = primary(QPushButton(self.tr("立即备份")))
        self.restore_button = danger(QPushButton(self.tr("从所选备份恢复…")))
        card.header.addWidget(self.backup_now)
        card.header.addWidget(self.restore_button)
        card.body.addWidget(
            _hint(
                self.tr(
                    "程序在启动、退出以及每次批量或不可撤销的操作之前自动备份；保留最近 20 份，"
                    "以及最近 30 天每天最新的一份。"
                )
            )
        )
        self.backups = TableView(
            [
                Column(self.tr("备份时间"), lambda b: b.created_at, width=170),
                Column(self.tr("原因"), lambda b: _reason(b.reason), width=190),
                Column(
                    self.tr("大小"),
                    lambda b: b.size,
                    format=lambda v: f"{v / 1024 / 1024:.1f} MB",
                    width=90,
                    align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                ),
                Column(self.tr("文件"), lambda b: b.path.name),
            ],
            empty_text=self.tr("还没有备份。"),
            search=False,
        )
        self.backups.setMinimumHeight(160)  # the window fits a 1366×768 screen
        card.body.addWidget(self.backups, 1)
        if self.ctx.db.sqlite_path is None:
            self.backups.set_empty_text(
                self.tr("PostgreSQL 数据库由服务器管理员用 pg_dump 备份；这里没有本机备份。")
            )
            self.backup_now.setEnabled(False)
            self.restore_button.setEnabled(False)
        self.backup_now.clicked.connect(self.create_backup)
        self.restore_button.clicked.connect(self.restore_backup)
        return card

    def change_database(self) -> None:
        current = str(QSettings().value(DB_URL_KEY, "") or self.ctx.db.display_name)
        choice, ok = QInputDialog.getItem(
            self,
            self.tr("更换数据库"),
            self.tr("新的数据库在哪里？"),
            [self.tr("本机文件（SQLite）"), self.tr("数据库服务器（PostgreSQL）")],
            0,
            False,
        )
        if not ok:
            return
        if choice.startswith(self.tr("本机文件（SQLite）")[:2]):
            target, _f = QFileDialog.getSaveFileName(
                self,
                self.tr("选择数据库文件"),
                current,
                self.tr("jlexam 数据库 (*.sqlite)"),
                options=QFileDialog.Option.DontConfirmOverwrite,
            )
        else:
            target, ok = QInputDialog.getText(
                self,
                self.tr("数据库服务器"),
                self.tr("PostgreSQL 地址："),
                text="postgresql://jlexam@127.0.0.1:5432/jlexam",
            )
            if not ok:
                return
        if not target:
            return
        QSettings().setValue(DB_URL_KEY, target)
        info(self, self.tr("更换数据库"), self.tr("下次启动时将使用：%1").replace("%1", target))

    def refresh(self) -> None:
        if self.ctx.actor.can("backup.manage") and self.ctx.db.sqlite_path is not None:
            db = self.ctx.db
            run_task(
                self,
                lambda _p: backups.list_backups(db),
                dialog=False,
                on_done=lambda rows: self.backups.set_rows(rows),
            )
        self._refresh_keys()
        if hasattr(self, "overrides"):
            self._refresh_calendar()
        self._refresh_printers()
        if hasattr(self, "users_table"):
            self._refresh_users()

    def create_backup(self) -> None:
        actor = self.ctx.actor
        run_task(
            self,
            lambda _p: settings_backup(actor),
            title=self.tr("备份数据库"),
            label=self.tr("正在备份数据库……"),
            cancellable=False,
            on_done=lambda path: (
                self.refresh(),
                self._status(self.tr("已备份到 %1").replace("%1", path.name)),
            ),
        )

    def restore_backup(self) -> None:
        chosen = self.backups.current_row()
        if chosen is None:
            info(self, self.tr("从备份恢复"), self.tr("请先在列表中选择一份备份。"))
            return
        if confirm(
            self,
            self.tr("从备份恢复"),
            self.tr(
                "将用 %1 的备份替换当前数据库。备份之后所做的全部更改都会丢失（当前文件会另存一份）。"
                "恢复后需要重新登录。"
            ).replace("%1", f"{chosen.created_at.astimezone():%Y-%m-%d %H:%M}"),
            self.tr("恢复"),
        ):
            self.restore_requested.emit(chosen.path)

    def _status(self, text: str) -> None:
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(text, 6000)

    # --- keys ------------------------------------------------------------------------------------------------
    def _keys_tab(self) -> QWidget:
        card = Card(self.tr("密钥环"))
        self.keyring_banner = Banner(self.tr("正在检查……"), "info")
        card.body.addWidget(self.keyring_banner)
        card.body.addWidget(
            _hint(
                self.tr(
                    "考生证件号码等个人信息加密保存，数据密钥保存在本机密钥环中；"
                    "准考证和证书上的二维码用签名密钥签名。重装电脑前请导出密钥恢复文件并妥善保管，"
                    "否则加密的个人信息将无法读取。"
                )
            )
        )
        buttons = QHBoxLayout()
        self.export_public = QPushButton(self.tr("导出签名公钥…"))
        self.export_recovery = primary(QPushButton(self.tr("导出密钥恢复文件…")))
        self.import_recovery = danger(QPushButton(self.tr("导入密钥恢复文件…")))
        self.export_public.setVisible(self.ctx.actor.can("keys.export_public"))
        for b in (self.export_recovery, self.import_recovery):
            b.setVisible(self.ctx.actor.can("keys.manage"))
        buttons.addWidget(self.export_public)
        buttons.addWidget(self.export_recovery)
        buttons.addWidget(self.import_recovery)
        buttons.addStretch(1)
        card.body.addLayout(buttons)
        self.export_public.clicked.connect(self.do_export_public)
        self.export_recovery.clicked.connect(self.do_export_recovery)
        self.import_recovery.clicked.connect(self.do_import_recovery)
        return _tab(card)

    def _refresh_keys(self) -> None:
        run_task(self, lambda _p: keys.keyring_status(), dialog=False, on_done=self._keys_loaded)

    def _keys_loaded(self, status) -> None:  # type: ignore[no-untyped-def]
        self.keyring_banner.set(status.message, "ok" if status.usable else "error")

    def do_export_public(self) -> None:
        target, _f = QFileDialog.getSaveFileName(
            self, self.tr("导出签名公钥"), "jlexam-public-key.pem", self.tr("PEM 文件 (*.pem)")
        )
        if not target:
            return
        actor = self.ctx.actor
        run_task(
            self,
            lambda _p: keys.export_public_key(actor, Path(target)),
            title=self.tr("导出签名公钥"),
            on_done=lambda kid: info(
                self,
                self.tr("导出签名公钥"),
                self.tr("已导出公钥（密钥编号 %1）到 %2。").replace("%1", kid).replace("%2", target),
            ),
        )

    def do_export_recovery(self) -> None:
        dialog = _PassphraseDialog(
            self.tr("导出密钥恢复文件"),
            self.tr(
                "请设定保护恢复文件的口令（至少 8 个字符）。没有这个口令，恢复文件无法使用；"
                "请把口令和文件分开保管。"
            ),
            confirm_twice=True,
            parent=self,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        target, _f = QFileDialog.getSaveFileName(
            self, self.tr("保存密钥恢复文件"), "jlexam-keys.recovery", self.tr("密钥恢复文件 (*.recovery)")
        )
        if not target:
            return
        actor, passphrase = self.ctx.actor, dialog.first.text()
        run_task(
            self,
            lambda _p: keys.export_recovery(actor, Path(target), passphrase),
            title=self.tr("导出密钥恢复文件"),
            cancellable=False,
            on_done=lambda _r: info(
                self, self.tr("导出密钥恢复文件"), self.tr("已保存到 %1。").replace("%1", target)
            ),
        )

    def do_import_recovery(self) -> None:
        source, _f = QFileDialog.getOpenFileName(
            self, self.tr("选择密钥恢复文件"), "", self.tr("密钥恢复文件 (*.recovery);;所有文件 (*)")
        )
        if not source:
            return
        dialog = _PassphraseDialog(
            self.tr("导入密钥恢复文件"), self.tr("请输入导出时设定的口令。"), confirm_twice=False, parent=self
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        actor, passphrase = self.ctx.actor, dialog.first.text()

        def failed(exc: BaseException) -> None:
            if (
                isinstance(exc, JlexamError)
                and "已有" in exc.message
                and confirm(
                    self,
                    self.tr("覆盖现有密钥"),
                    exc.message + "\n\n" + self.tr("覆盖后，用现有密钥加密的数据将无法读取。确定要覆盖吗？"),
                    self.tr("覆盖"),
                )
            ):
                run_task(
                    self,
                    lambda _p: keys.import_recovery(actor, Path(source), passphrase, overwrite=True),
                    title=self.tr("导入密钥"),
                    cancellable=False,
                    on_done=lambda _r: self._refresh_keys(),
                )
            else:
                show_error(self, exc)

        run_task(
            self,
            lambda _p: keys.import_recovery(actor, Path(source), passphrase),
            title=self.tr("导入密钥"),
            cancellable=False,
            on_done=lambda _r: (
                self._refresh_keys(),
                info(self, self.tr("导入密钥"), self.tr("密钥已导入。")),
            ),
            on_error=failed,
        )

    # --- calendar --------------------------------------------------------------------------------------------
    def _calendar_tab(self) -> QWidget:
        card = Card(self.tr("节假日调整"))
        self.years_label = _hint("")
        card.body.addWidget(self.years_label)
        editable = self.ctx.actor.can("calendar.manage")
        row = QHBoxLayout()
        self.override_day = QDateEdit(QDate.currentDate())
        self.override_day.setCalendarPopup(True)
        self.override_day.setDisplayFormat("yyyy-MM-dd")
        self.override_kind = QComboBox()
        self.override_kind.addItem(self.tr("休息日"), False)
        self.override_kind.addItem(self.tr("工作日（调休上班）"), True)
        self.override_note = QLineEdit()
        self.override_note.setPlaceholderText(self.tr("说明，例如：国务院办公厅通知 国办发明电〔2025〕7号"))
        add = primary(QPushButton(self.tr("添加调整")))
        remove = danger(QPushButton(self.tr("删除所选")))
        self.year_button = primary(QPushButton(self.tr("录入全年安排…")))
        self.year_button.setToolTip(
            self.tr("国务院公布新一年的节假日安排后，在这里录入全年的放假和调休上班日期")
        )
        self.year_button.setVisible(editable)
        self.year_button.clicked.connect(lambda: self.declare_year())
        for w in (QLabel(self.tr("日期")), self.override_day, self.override_kind, self.override_note, add):
            row.addWidget(w)
        row.setStretch(3, 1)
        holder = QWidget()
        holder.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        holder.setVisible(editable)
        card.body.addWidget(holder)
        self.overrides = TableView(
            [
                Column(self.tr("日期"), lambda o: o.day, width=120),
                Column(self.tr("星期"), lambda o: label(WEEKDAYS[o.day.weekday()]), width=60),
                Column(
                    self.tr("调整为"),
                    lambda o: self.tr("工作日") if o.working else self.tr("休息日"),
                    width=100,
                ),
                Column(self.tr("说明"), lambda o: o.note),
            ],
            empty_text=self.tr("没有调整。工作日按随程序附带的国务院节假日安排计算。"),
        )
        self.overrides.setMinimumHeight(280)
        card.body.addWidget(self.overrides, 1)
        card.header.addWidget(self.year_button)
        card.header.addWidget(remove)
        remove.setVisible(editable)
        add.clicked.connect(self.add_override)
        remove.clicked.connect(self.remove_override)
        return _tab(card, stretch=False)

    def _refresh_calendar(self) -> None:
        actor = self.ctx.actor
        run_task(
            self,
            lambda _p: (
                calendar.list_overrides(actor),
                calendar.covered_years(actor),
                calendar.bundled_years(actor),
            ),
            dialog=False,
            on_done=self._calendar_loaded,
        )

    def _calendar_loaded(self, result: tuple) -> None:
        rows, years, bundled = result
        self.overrides.set_rows(rows)
        text = label(SEPARATOR).join(str(y) for y in years) if years else self.tr("无")
        span = f"{bundled[0]}–{bundled[-1]}" if bundled else self.tr("无")
        next_year = china_today().year + 1
        missing = next_year not in years and next_year not in bundled
        self.years_label.setText(
            self.tr(
                "随程序附带的国务院节假日安排：%1 年；管理员录入的年份：%2。调整优先于附带的安排，用于计算公示期、"
                "上报期限等工作日。"
            )
            .replace("%1", span)
            .replace("%2", text)
            + (
                self.tr(
                    "\n%1 年的安排尚未录入：国务院公布后请点“录入全年安排…”；未录入前该年的期限按周一至周五暂定计算。"
                ).replace("%1", str(next_year))
                if missing
                else ""
            )
        )

    def declare_year(self) -> YearScheduleDialog:
        dialog = YearScheduleDialog(self.ctx.actor, self)
        self.year_dialog = dialog
        dialog.accepted.connect(self._refresh_calendar)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def add_override(self) -> None:
        actor = self.ctx.actor
        day: date = self.override_day.date().toPython()
        working, note = self.override_kind.currentData(), self.override_note.text()
        run_task(
            self,
            lambda _p: calendar.set_override(actor, day, working, note),
            title=self.tr("保存节假日调整"),
            dialog=False,
            on_done=lambda _r: (self.override_note.clear(), self._refresh_calendar()),
        )

    def remove_override(self) -> None:
        chosen = self.overrides.selected_rows()
        if not chosen:
            return
        days = label(SEPARATOR).join(f"{o.day:%Y-%m-%d}" for o in chosen)
        if not confirm(
            self, self.tr("删除调整"), self.tr("删除 %1 的调整？").replace("%1", days), self.tr("删除")
        ):
            return
        actor = self.ctx.actor

        def work(_p):  # type: ignore[no-untyped-def]
            for o in chosen:
                calendar.remove_override(actor, o.day)

        run_task(
            self, work, title=self.tr("删除调整"), dialog=False, on_done=lambda _r: self._refresh_calendar()
        )

    # --- printers --------------------------------------------------------------------------------------------
    def _printer_tab(self) -> QWidget:
        card = Card(self.tr("打印机校准偏移"))
        card.body.addWidget(
            _hint(
                self.tr(
                    "在空白证书等预印纸张上套打时，每台打印机的进纸位置略有不同。"
                    "先打印校准页，量出红色十字到纸边的实际距离，与 20 毫米的差值就是偏移："
                    "向右、向下为正，范围 ±20 毫米。"
                )
            )
        )
        editable = self.ctx.actor.can("settings.manage")
        form = QFormLayout()
        self.printer = QComboBox()
        self.printer.setEditable(True)
        self.printer.addItems(QPrinterInfo.availablePrinterNames())
        self.printer.lineEdit().setPlaceholderText(self.tr("选择或输入打印机名称"))
        self.printer.setMinimumWidth(320)
        self.printer.setMaximumWidth(520)
        self.offset_x = QDoubleSpinBox()
        self.offset_y = QDoubleSpinBox()
        for spin in (self.offset_x, self.offset_y):
            spin.setRange(-settings_service.MAX_OFFSET_MM, settings_service.MAX_OFFSET_MM)
            spin.setSingleStep(0.1)
            spin.setDecimals(1)
            spin.setSuffix(self.tr(" 毫米"))
            spin.setEnabled(editable)
            spin.setMinimumWidth(140)
            spin.setMaximumWidth(180)
        form.addRow(self.tr("打印机"), self.printer)
        form.addRow(self.tr("水平偏移（X，向右为正）"), self.offset_x)
        form.addRow(self.tr("垂直偏移（Y，向下为正）"), self.offset_y)
        card.body.addLayout(form)
        buttons = QHBoxLayout()
        self.save_offset = primary(QPushButton(self.tr("保存偏移")))
        self.remove_offset = danger(QPushButton(self.tr("删除所选校准")))
        test_page = QPushButton(self.tr("打印校准页…"))
        self.save_offset.setVisible(editable)
        self.remove_offset.setVisible(editable)
        buttons.addWidget(test_page)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_offset)
        buttons.addWidget(self.save_offset)
        card.body.addLayout(buttons)
        self.offsets = TableView(
            [
                Column(self.tr("打印机"), lambda o: o.printer, width=320),
                Column(
                    self.tr("水平偏移（毫米）"), lambda o: o.x_mm, format=lambda v: f"{v:+.1f}", width=140
                ),
                Column(self.tr("垂直偏移（毫米）"), lambda o: o.y_mm, format=lambda v: f"{v:+.1f}"),
            ],
            empty_text=self.tr("还没有校准过的打印机。未校准的打印机按零偏移打印。"),
            search=False,
        )
        self.offsets.setMinimumHeight(200)
        card.body.addWidget(self.offsets, 1)
        self.offsets.selection_changed.connect(self._offset_chosen)
        self.save_offset.clicked.connect(self.save_printer_offset)
        self.remove_offset.clicked.connect(self.remove_printer_offset)
        test_page.clicked.connect(self.print_test_page)
        self.printer.currentTextChanged.connect(self._printer_chosen)
        self._offsets: list[settings_service.PrinterOffset] = []
        return _tab(card, stretch=False)

    def _refresh_printers(self) -> None:
        actor = self.ctx.actor
        run_task(
            self,
            lambda _p: settings_service.list_printer_offsets(actor),
            dialog=False,
            on_done=self._printers_loaded,
        )

    def _printers_loaded(self, offsets: list) -> None:
        self._offsets = offsets
        self.offsets.set_rows(offsets)
        self._printer_chosen(self.printer.currentText())

    def _printer_chosen(self, name: str) -> None:
        found = next((o for o in self._offsets if o.printer == name.strip()), None)
        self.offset_x.setValue(found.x_mm if found else 0.0)
        self.offset_y.setValue(found.y_mm if found else 0.0)

    def _offset_chosen(self) -> None:
        row = self.offsets.current_row()
        if row is not None:
            self.printer.setCurrentText(row.printer)

    def save_printer_offset(self) -> None:
        actor, name = self.ctx.actor, self.printer.currentText()
        x, y = self.offset_x.value(), self.offset_y.value()
        run_task(
            self,
            lambda _p: settings_service.set_printer_offset(actor, name, x, y),
            title=self.tr("保存偏移"),
            dialog=False,
            on_done=lambda _r: self._refresh_printers(),
        )

    def remove_printer_offset(self) -> None:
        row = self.offsets.current_row()
        if row is None:
            return
        if not confirm(
            self,
            self.tr("删除校准"),
            self.tr("删除打印机 %1 的校准偏移？").replace("%1", row.printer),
            self.tr("删除"),
        ):
            return
        actor = self.ctx.actor
        run_task(
            self,
            lambda _p: settings_service.remove_printer_offset(actor, row.printer),
            title=self.tr("删除校准"),
            dialog=False,
            on_done=lambda _r: self._refresh_printers(),
        )

    def print_test_page(self) -> None:
        from ui.pdf_preview import PdfPreview, write_calibration_page

        name = self.printer.currentText().strip()
        folder = Path(tempfile.mkdtemp(prefix="jlexam-"))
        path = write_calibration_page(
            folder / "calibration.pdf", name or "-", (self.offset_x.value(), self.offset_y.value())
        )
        PdfPreview(path, actor=self.ctx.actor, title=self.tr("打印机校准页"), parent=self).exec()

    # --- language and own password ------------------------------------------------------------------------
    def _personal_tab(self) -> QWidget:
        lang_card = Card(self.tr("界面语言"))
        row = QHBoxLayout()
        self.language = QComboBox()
        self.language.setObjectName("LanguageChoice")
        for code, name in i18n.LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(i18n.current_language())))
        apply = primary(QPushButton(self.tr("应用")))
        apply.setObjectName("ApplyLanguage")
        apply.clicked.connect(self.apply_language)
        row.addWidget(self.language)
        row.addWidget(apply)
        row.addStretch(1)
        lang_card.body.addLayout(row)
        lang_card.body.addWidget(_hint(self.tr("规则检查给出的提示信息始终使用中文，以便与法规原文一致。")))

        pw_card = Card(self.tr("修改我的密码"))
        form = QFormLayout()
        self.old_password = QLineEdit()
        self.new_password = QLineEdit()
        self.new_password2 = QLineEdit()
        for edit in (self.old_password, self.new_password, self.new_password2):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setMaximumWidth(320)
        form.addRow(self.tr("原密码"), self.old_password)
        form.addRow(self.tr("新密码"), self.new_password)
        form.addRow(self.tr("再次输入新密码"), self.new_password2)
        pw_card.body.addLayout(form)
        self.password_error = QLabel()
        self.password_error.setObjectName("FieldError")
        pw_card.body.addWidget(self.password_error)
        change = primary(QPushButton(self.tr("修改密码")))
        change.clicked.connect(self.change_password)
        pw_row = QHBoxLayout()
        pw_row.addWidget(change)
        pw_row.addStretch(1)
        pw_card.body.addLayout(pw_row)
        return _tab(lang_card, pw_card)

    def apply_language(self) -> None:
        lang = self.language.currentData()
        i18n.save_language(lang)
        i18n.install(lang)
        self.rebuild_requested.emit()

    def change_password(self) -> None:
        if self.new_password.text() != self.new_password2.text():
            self.password_error.setText(self.tr("两次输入的新密码不一致。"))
            return
        actor, old, new = self.ctx.actor, self.old_password.text(), self.new_password.text()

        def done(_r: object) -> None:
            for edit in (self.old_password, self.new_password, self.new_password2):
                edit.clear()
            self.password_error.clear()
            info(self, self.tr("修改密码"), self.tr("密码已修改，下次登录时请使用新密码。"))

        def failed(exc: BaseException) -> None:
            if isinstance(exc, JlexamError):
                self.password_error.setText(exc.message)
            else:
                show_error(self, exc)

        run_task(
            self,
            lambda _p: users.change_own_password(actor, old, new),
            dialog=False,
            on_done=done,
            on_error=failed,
        )

    # --- users and roles (admin) ------------------------------------------------------------------------------
    def _users_tab(self) -> QWidget:
        card = Card(self.tr("用户与角色"))
        new = primary(QPushButton(self.tr("新建用户…")))
        roles = QPushButton(self.tr("修改角色…"))
        toggle = QPushButton(self.tr("停用/启用"))
        unlock = QPushButton(self.tr("解锁"))
        reset = QPushButton(self.tr("重置密码…"))
        for b in (new, roles, toggle, unlock, reset):
            card.header.addWidget(b)
        self.users_table = TableView(
            [
                Column(self.tr("用户名"), lambda u: u.username, width=130),
                Column(self.tr("姓名"), lambda u: u.display_name, width=120),
                Column(
                    self.tr("角色"),
                    lambda u: label(SEPARATOR).join(role_label(r) for r in sorted(u.roles)),
                    width=240,
                ),
                Column(
                    self.tr("状态"),
                    lambda u: self.tr("正常") if u.active else self.tr("已停用"),
                    width=80,
                    color=lambda u: None if u.active else "#b42318",
                ),
                Column(self.tr("锁定至"), lambda u: u.locked_until, width=160),
                Column(self.tr("最近登录"), lambda u: u.last_login_at),
            ],
            empty_text=self.tr("没有用户。"),
        )
        self.users_table.setMinimumHeight(300)
        card.body.addWidget(self.users_table, 1)
        card.body.addWidget(
            _hint(
                self.tr(
                    "系统管理员：用户、密钥、设置、备份；考务人员：批次、报名、编排、考务、录分；"
                    "主考/质量督导：审批、锁定、启封见证、发证、公示与异议；数据员：数据上报与档案导出。"
                )
            )
        )
        new.clicked.connect(self.new_user)
        roles.clicked.connect(self.edit_roles)
        toggle.clicked.connect(self.toggle_user)
        unlock.clicked.connect(self.unlock_user)
        reset.clicked.connect(self.reset_password)
        self.users_table.activated_row.connect(lambda _u: self.edit_roles())
        return _tab(card, stretch=False)

    def _refresh_users(self) -> None:
        actor = self.ctx.actor
        run_task(self, lambda _p: users.list_users(actor), dialog=False, on_done=self.users_table.set_rows)

    def _user_task(self, fn, title: str) -> None:  # type: ignore[no-untyped-def]
        run_task(self, lambda _p: fn(), title=title, dialog=False, on_done=lambda _r: self._refresh_users())

    def _chosen_user(self) -> users.UserView | None:
        user = self.users_table.current_row()
        if user is None:
            info(self, self.tr("用户与角色"), self.tr("请先在列表中选择一位用户。"))
        return user

    def new_user(self) -> None:
        dialog = UserDialog(parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        actor = self.ctx.actor
        name, display, pw, roles = (
            dialog.username.text(),
            dialog.display_name.text(),
            dialog.password.text(),
            dialog.roles(),
        )
        self._user_task(lambda: users.create_user(actor, name, display, pw, roles), self.tr("新建用户"))

    def edit_roles(self) -> None:
        user = self._chosen_user()
        if user is None:
            return
        dialog = UserDialog(user, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        actor, roles = self.ctx.actor, dialog.roles()
        self._user_task(lambda: users.set_roles(actor, user.username, roles), self.tr("修改角色"))

    def toggle_user(self) -> None:
        user = self._chosen_user()
        if user is None:
            return
        if user.active and not confirm(
            self,
            self.tr("停用用户"),
            self.tr("停用 %1 后，该用户将不能登录。").replace("%1", user.username),
            self.tr("停用"),
            irreversible=False,
        ):
            return
        actor = self.ctx.actor
        self._user_task(lambda: users.set_active(actor, user.username, not user.active), self.tr("停用/启用"))

    def unlock_user(self) -> None:
        user = self._chosen_user()
        if user is not None:
            actor = self.ctx.actor
            self._user_task(lambda: users.unlock_user(actor, user.username), self.tr("解锁"))

    def reset_password(self) -> None:
        user = self._chosen_user()
        if user is None:
            return
        password, ok = QInputDialog.getText(
            self,
            self.tr("重置密码"),
            self.tr("为 %1 设置新密码（至少 8 位，含字母和数字）：").replace("%1", user.username),
            QLineEdit.EchoMode.Password,
        )
        if ok and password:
            actor = self.ctx.actor
            self._user_task(lambda: users.reset_password(actor, user.username, password), self.tr("重置密码"))


def settings_backup(actor) -> Path:  # type: ignore[no-untyped-def]
    return backups.create_backup(actor)


# why a backup was made (the file name's last part, jlexam.store.backup); the names are in ui/labels.py
REASONS = {
    "manual": "手动备份",
    "before-start": "启动时",
    "before-close": "退出时",
    "before-upgrade": "升级前",
    "before-import-roster": "导入名册前",
    "before-import-photos": "导入照片前",
    "before-register-candidates": "登记考生前",
    "before-register-applications": "登记报名前",
    "before-issue-certificates": "发证前",
}
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")  # ui/labels.py


def _reason(reason: str) -> str:
    return label(REASONS.get(reason, reason))
