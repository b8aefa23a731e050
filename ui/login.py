"""Logging in, the first admin of a new database, and the lock screen after 15 idle minutes.

The password check (argon2, a few hundred milliseconds by design) runs on the thread pool, so the window
never freezes; the lockout after 5 wrong passwords is the service's (``jlexam.services.auth``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jlexam.errors import JlexamError
from jlexam.services.auth import login
from jlexam.services.base import Actor
from jlexam.services.users import create_first_admin
from jlexam.store.database import Database
from ui.style import app_icon
from ui.tasks import TaskHandle, run_task
from ui.widgets import primary


class _BrandPanel(QFrame):
    """The blue panel on the left of the login: the product and what it is for."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("BrandPanel")
        self.setStyleSheet(
            "QFrame#BrandPanel { background: qlineargradient(x1:0, y1:0, x2:0.4, y2:1, stop:0 #1f5fbf, stop:1 #16324f); }"
            "QFrame#BrandPanel QLabel { color: #ffffff; background: transparent; }"
        )
        self.setMinimumWidth(300)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 40, 32, 28)
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(56, 56))
        title = QLabel(self.tr("职业技能等级认定\n考务管理系统"))
        title.setStyleSheet("font-size: 19pt; font-weight: 600;")
        subtitle = QLabel(self.tr("报名审核 · 考场编排 · 成绩公示 · 证书发放 · 数据上报"))
        subtitle.setWordWrap(True)
        subtitle.setStyleSheet("color: #cfe0f7;")
        footer = QLabel(self.tr("吉林省职业技能等级认定 · 离线单机版"))
        footer.setStyleSheet("color: #9fb8d8; font-size: 9pt;")
        layout.addWidget(icon)
        layout.addSpacing(18)
        layout.addWidget(title)
        layout.addSpacing(8)
        layout.addWidget(subtitle)
        layout.addStretch(1)
        layout.addWidget(footer)


class _FormDialog(QDialog):
    """Brand panel on the left, a form on the right, an error line, one primary button."""

    def __init__(self, title: str, heading: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LoginDialog")
        self.setWindowTitle(title)
        self.setWindowIcon(app_icon())
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(_BrandPanel())
        right = QFrame()
        right.setStyleSheet("QFrame { background: #ffffff; }")
        outer.addWidget(right, 1)
        self.body = QVBoxLayout(right)
        self.body.setContentsMargins(40, 40, 40, 28)
        self.body.setSpacing(12)
        head = QLabel(heading)
        head.setStyleSheet("font-size: 16pt; font-weight: 600; color: #1f2933;")
        self.body.addWidget(head)
        self.intro = QLabel()
        self.intro.setObjectName("Hint")
        self.intro.setWordWrap(True)
        self.body.addWidget(self.intro)
        self.form = QFormLayout()
        self.form.setSpacing(10)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.body.addLayout(self.form)
        self.error = QLabel()
        self.error.setObjectName("FieldError")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.setMinimumHeight(40)
        self.error.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.body.addWidget(self.error)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        self.body.addLayout(self.buttons)
        self.body.addStretch(1)
        self.footer = QLabel()
        self.footer.setObjectName("Hint")
        self.footer.setWordWrap(True)
        self.footer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.addWidget(self.footer)
        self.actor: Actor | None = None
        self.task: TaskHandle | None = None
        self.resize(760, 440)

    def _field(self, label: str, *, password: bool = False, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setMinimumWidth(240)
        edit.setPlaceholderText(placeholder)
        if password:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow(label, edit)
        return edit

    def _busy(self, busy: bool, button: QPushButton, busy_text: str, idle_text: str) -> None:
        button.setEnabled(not busy)
        button.setText(busy_text if busy else idle_text)
        if busy:
            self.error.clear()

    def _failed(self, exc: BaseException) -> None:
        self.error.setText(exc.message if isinstance(exc, JlexamError) else self.tr("出现意外错误：%1").replace("%1", str(exc)))


class LoginDialog(_FormDialog):
    """``exec()`` returns Accepted with ``actor`` set once the password is right."""

    def __init__(self, db: Database, username: str = "", parent: QWidget | None = None) -> None:
        super().__init__(self.tr("登录 — 职业技能等级认定考务管理系统"), self.tr("用户登录"), parent)
        self.db = db
        self.intro.setText(self.tr("请使用系统管理员为您开设的账户登录。连续输错 5 次密码，账户将被锁定 15 分钟。"))
        self.username = self._field(self.tr("用户名"), placeholder=self.tr("例如：zhangsan"))
        self.password = self._field(self.tr("密码"), password=True)
        self.username.setText(username)
        self.login_button = primary(QPushButton(self.tr("登录")))
        self.login_button.setDefault(True)
        self.login_button.setMinimumWidth(120)
        self.cancel_button = QPushButton(self.tr("退出"))
        self.buttons.addWidget(self.cancel_button)
        self.buttons.addWidget(self.login_button)
        self.footer.setText(self.tr("数据库：%1").replace("%1", db.display_name))
        self.login_button.clicked.connect(self.try_login)
        self.cancel_button.clicked.connect(self.reject)
        (self.password if username else self.username).setFocus()

    def try_login(self) -> None:
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            self.error.setText(self.tr("请输入用户名和密码。"))
            (self.username if not username else self.password).setFocus()
            return
        self._busy(True, self.login_button, self.tr("正在登录……"), self.tr("登录"))
        db = self.db
        self.task = run_task(self, lambda _p: login(db, username, password), dialog=False,
                             on_done=self._logged_in, on_error=self._login_failed)

    def _logged_in(self, actor: Actor) -> None:
        self._busy(False, self.login_button, "", self.tr("登录"))
        self.actor = actor
        self.accept()

    def _login_failed(self, exc: BaseException) -> None:
        self._busy(False, self.login_button, "", self.tr("登录"))
        self._failed(exc)
        self.password.clear()
        self.password.setFocus()


class FirstAdminDialog(_FormDialog):
    """On an empty database: the first admin's user name and password, then logged in as that admin."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("初始设置 — 创建系统管理员"), self.tr("创建系统管理员"), parent)
        self.db = db
        self.intro.setText(self.tr("这是一个新的数据库，还没有任何用户。请为系统管理员设置用户名和密码；"
                                   "其他人员的账户由管理员登录后在“设置 → 用户与角色”中添加。"))
        self.username = self._field(self.tr("用户名"))
        self.username.setText("admin")
        self.display_name = self._field(self.tr("姓名"))
        self.display_name.setText(self.tr("系统管理员"))
        self.password = self._field(self.tr("密码"), password=True, placeholder=self.tr("至少 8 位，含字母和数字"))
        self.repeat = self._field(self.tr("再次输入密码"), password=True)
        self.create_button = primary(QPushButton(self.tr("创建并登录")))
        self.create_button.setDefault(True)
        cancel = QPushButton(self.tr("退出"))
        cancel.clicked.connect(self.reject)
        self.buttons.addWidget(cancel)
        self.buttons.addWidget(self.create_button)
        self.footer.setText(self.tr("数据库：%1").replace("%1", db.display_name))
        self.create_button.clicked.connect(self.create)
        self.password.setFocus()

    def create(self) -> None:
        if self.password.text() != self.repeat.text():
            self.error.setText(self.tr("两次输入的密码不一致，请重新输入。"))
            self.repeat.clear()
            self.repeat.setFocus()
            return
        db, username, password = self.db, self.username.text().strip(), self.password.text()
        display = self.display_name.text().strip()

        def work(_progress) -> Actor:  # type: ignore[no-untyped-def]
            create_first_admin(db, username, password, display)
            return login(db, username, password)

        self._busy(True, self.create_button, self.tr("正在创建……"), self.tr("创建并登录"))
        self.task = run_task(self, work, dialog=False, on_done=self._created, on_error=self._create_failed)

    def _created(self, actor: Actor) -> None:
        self.actor = actor
        self.accept()

    def _create_failed(self, exc: BaseException) -> None:
        self._busy(False, self.create_button, "", self.tr("创建并登录"))
        self._failed(exc)


class LockDialog(_FormDialog):
    """Shown after 15 idle minutes: the same user unlocks with the password, or someone else logs in.

    ``exec()`` returns Accepted when unlocked; ``switch_user`` is True when 切换用户 was chosen.
    """

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("已锁定 — 职业技能等级认定考务管理系统"), self.tr("屏幕已锁定"), parent)
        self.locked_actor = actor
        self.switch_user = False
        self.intro.setText(self.tr("超过 15 分钟没有操作，为保护考生信息，程序已锁定。请输入 %1（%2）的密码解锁。")
                           .replace("%1", actor.display_name).replace("%2", actor.username))
        self.password = self._field(self.tr("密码"), password=True)
        self.unlock_button = primary(QPushButton(self.tr("解锁")))
        self.unlock_button.setDefault(True)
        switch = QPushButton(self.tr("切换用户"))
        switch.clicked.connect(self._switch)
        self.buttons.addWidget(switch)
        self.buttons.addWidget(self.unlock_button)
        self.unlock_button.clicked.connect(self.unlock)
        self.footer.setText(self.tr("数据库：%1").replace("%1", actor.db.display_name))
        self.password.setFocus()

    def reject(self) -> None:  # Esc does not unlock
        pass

    def _switch(self) -> None:
        self.switch_user = True
        self.done(QDialog.DialogCode.Rejected)

    def unlock(self) -> None:
        password = self.password.text()
        if not password:
            self.error.setText(self.tr("请输入密码。"))
            return
        actor = self.locked_actor
        self._busy(True, self.unlock_button, self.tr("正在验证……"), self.tr("解锁"))
        self.task = run_task(self, lambda _p: login(actor.db, actor.username, password), dialog=False,
                             on_done=self._unlocked, on_error=self._unlock_failed)

    def _unlocked(self, actor: Actor) -> None:
        self.actor = actor
        self.done(QDialog.DialogCode.Accepted)

    def _unlock_failed(self, exc: BaseException) -> None:
        self._busy(False, self.unlock_button, "", self.tr("解锁"))
        self._failed(exc)
        self.password.clear()
