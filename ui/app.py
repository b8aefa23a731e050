"""Start the desktop application: ``jlexam-gui [--db URL] [--keyring SPEC] [--lang zh_CN|en]``.

Order of events: high-DPI policy, QApplication, fonts and style, translations, the keyring, the database
(upgrade, create, or restore from a backup when needed), the login (or the first admin), the main window.
``--db`` and ``--keyring`` default to the environment variables the command line uses (JLEXAM_DB,
JLEXAM_KEYRING with JLEXAM_KEYRING_PASSPHRASE).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QSettings, QThreadPool
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from jlexam.errors import JlexamError, StorageError
from jlexam.services.base import Actor, forget_keystores
from jlexam.store.database import Database, default_url
from ui import i18n
from ui.errors import show_error
from ui.login import FirstAdminDialog, LoginDialog
from ui.main_window import MainWindow
from ui.style import apply_style, high_dpi

if TYPE_CHECKING:
    from jlexam.services.backups import RestoreResult

ORGANIZATION = "jlexam"
APPLICATION = "jlexam"



def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="jlexam-gui", description="职业技能等级认定考务管理系统")
    parser.add_argument("--db", default=os.environ.get("JLEXAM_DB"), help="数据库 URL 或 SQLite 文件路径")
    parser.add_argument("--keyring", default=os.environ.get("JLEXAM_KEYRING"),
                        help="密钥库：留空为系统密钥库；file:<路径> 为口令加密的文件密钥库")
    parser.add_argument("--lang", choices=sorted(i18n.LANGUAGES), default=None, help="界面语言")
    args, _unknown = parser.parse_known_args(argv)  # Qt's own options (-platform ...) pass through
    return args


def create_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if existing is not None:
        return existing  # type: ignore[return-value]
    high_dpi()
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    app = QApplication([sys.argv[0] if sys.argv else "jlexam-gui", *(argv or [])])
    app.setApplicationDisplayName(QCoreApplication.translate("App", "职业技能等级认定考务管理系统"))
    apply_style(app)
    return app


class Application(QObject):
    """Owns the database and the window; logs in again after logout, a restore or a language change."""

    def __init__(self, db: Database, keyring: str | None = None) -> None:
        super().__init__()
        self.db = db
        self.keyring = keyring
        self.window: MainWindow | None = None
        self.exit_code = 0
        self.last_username = ""

    def start(self) -> bool:
        actor = self._first_actor()
        if actor is None:
            return False
        # The keys are opened once someone has logged in: an encrypted key file costs two deliberate
        # key derivations (~0.7 s) that would otherwise delay the login dialog; logging in needs no key.
        open_keys(self.db, self.keyring)
        self.show_window(actor)
        return True

    def _first_actor(self) -> Actor | None:
        from jlexam.services.users import has_users

        if not has_users(self.db):
            dialog = FirstAdminDialog(self.db)
            return dialog.actor if dialog.exec() == QDialog.DialogCode.Accepted else None
        return self.login()

    def login(self) -> Actor | None:
        dialog = LoginDialog(self.db, self.last_username)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.actor

    def show_window(self, actor: Actor) -> None:
        self.last_username = actor.username
        window = MainWindow(actor)
        window.logout_requested.connect(self.logout)
        window.rebuild_requested.connect(self.rebuild)
        window.restore_requested.connect(self.restore)
        self.window = window
        window.show()

    def _close_window(self) -> Actor | None:
        window, self.window = self.window, None
        if window is None:
            return None
        actor = window.ctx.actor
        window.save_layout()
        window.idle.stop()
        window.hide()
        window.deleteLater()
        return actor

    def logout(self) -> None:
        self._close_window()
        actor = self.login()
        if actor is None:
            QApplication.instance().quit()
            return
        self.show_window(actor)

    def rebuild(self) -> None:
        """Re-create the window (after a language change) for the same user."""
        actor = self._close_window()
        if actor is not None:
            self.show_window(actor)

    def restore(self, backup_path: Path) -> None:
        """Close every connection, restore the backup as an admin of the backup, then log in again."""
        from jlexam.services import backups

        parent = self.window
        username, ok = QInputDialog.getText(parent, QCoreApplication.translate("App", "恢复备份"), QCoreApplication.translate("App", "请输入备份中系统管理员的用户名："),
                                            text=self.last_username)
        if not ok:
            return
        password, ok = QInputDialog.getText(parent, QCoreApplication.translate("App", "恢复备份"), QCoreApplication.translate("App", "请输入该管理员的密码："),
                                            QLineEdit.EchoMode.Password)
        if not ok:
            return
        QThreadPool.globalInstance().waitForDone(10_000)
        self._close_window()
        try:
            result = backups.restore(self.db, Path(backup_path), username, password)
        except JlexamError as exc:
            show_error(None, exc, title=QCoreApplication.translate("App", "恢复失败"))
        else:
            forget_keystores()
            show_restored(result)
        actor = self.login()
        if actor is None:
            QApplication.instance().quit()
            return
        self.show_window(actor)


def _ask(parent: QWidget | None, title: str, text: str, yes: str) -> bool:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    ok = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QCoreApplication.translate("App", "退出"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(ok)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is ok


def open_database(url: str) -> Database | None:
    """The database ready to use, or None when the user gave up (every problem explained in Chinese)."""
    from jlexam.store.backup import backup_before

    try:
        db = Database(url)
        state = db.schema_state()
    except StorageError as exc:
        return _offer_restore(url, exc)
    if state.status == "newer":
        try:
            db.check_schema()
        except StorageError as exc:
            show_error(None, exc, title=QCoreApplication.translate("App", "数据库版本过新"))
        return None
    if state.status == "empty":
        if not _ask(None, QCoreApplication.translate("App", "创建数据库"),
                    QCoreApplication.translate("App", "数据库 %1 尚未初始化。是否现在创建数据库，并设置系统管理员？").replace("%1", db.display_name),
                    QCoreApplication.translate("App", "创建数据库")):
            return None
        db.upgrade()
    elif state.status == "older":
        if db.is_sqlite:
            question = QCoreApplication.translate(
                "App", "数据库 %1 由较早版本的 jlexam 创建，需要升级结构后才能使用。升级前会自动备份。")
            accept = QCoreApplication.translate("App", "备份并升级")
        else:  # a server database is backed up by its administrator, not by jlexam
            question = QCoreApplication.translate(
                "App", "数据库 %1 由较早版本的 jlexam 创建，需要升级结构后才能使用。jlexam 不能备份 PostgreSQL "
                       "服务器上的数据库：请先请数据库管理员用 pg_dump 备份，备份完成后再升级。")
            accept = QCoreApplication.translate("App", "已备份，升级")
        if not _ask(None, QCoreApplication.translate("App", "升级数据库"), question.replace("%1", db.display_name),
                    accept):
            return None
        backup_before(db, "upgrade")
        db.upgrade()
    return db


def open_keys(db: Database, keyring: str | None) -> None:
    """Choose the keyring (``--keyring``; the OS keyring by default) and make sure this database's keys are
    there, creating them for a new database. A problem is explained; the window still opens, and the
    services that need a key refuse with the same explanation."""
    from jlexam.security.keystore import KeyStore, configure_keyring

    try:
        configure_keyring(keyring, os.environ.get("JLEXAM_KEYRING_PASSPHRASE"))
    except JlexamError as exc:
        show_error(None, exc, title=QCoreApplication.translate("App", "密钥库不可用"))
        return
    try:
        KeyStore(db.database_id).ensure_keys()
    except JlexamError as exc:
        show_error(None, exc, title=QCoreApplication.translate("App", "密钥不可用"))


def _offer_restore(url: str, exc: StorageError) -> Database | None:
    """The database cannot be opened: explain, and offer to restore the newest good backup."""
    from jlexam.services import backups

    show_error(None, exc, title=QCoreApplication.translate("App", "无法打开数据库"))
    try:
        db = Database(url)
        found = backups.list_backups(db)
    except JlexamError:
        return None
    if not found:
        return None
    names = [f"{b.created_at.astimezone():%Y-%m-%d %H:%M:%S}  {b.path.name}" for b in
             sorted(found, key=lambda b: b.created_at, reverse=True)]
    choice, ok = QInputDialog.getItem(None, QCoreApplication.translate("App", "从备份恢复"), QCoreApplication.translate("App", "选择要恢复的备份（最新的在最上面）："),
                                      names, 0, False)
    if not ok:
        return None
    path = next(b.path for b in found if b.path.name == choice.split()[-1])
    username, ok = QInputDialog.getText(None, QCoreApplication.translate("App", "从备份恢复"), QCoreApplication.translate("App", "备份中系统管理员的用户名："), text="admin")
    if not ok:
        return None
    password, ok = QInputDialog.getText(None, QCoreApplication.translate("App", "从备份恢复"), QCoreApplication.translate("App", "该管理员的密码："), QLineEdit.EchoMode.Password)
    if not ok:
        return None
    try:
        result = backups.restore(db, path, username, password)
    except JlexamError as error:
        show_error(None, error, title=QCoreApplication.translate("App", "恢复失败"))
        return None
    show_restored(result)
    return open_database(url)


def show_restored(result: RestoreResult) -> None:
    """What the restore did: what was lost since the backup and which numbers were carried forward."""
    box = QMessageBox.warning if result.warning else QMessageBox.information
    note = QCoreApplication.translate("App", "已从备份 %1 恢复。").replace("%1", result.backup.name)
    if result.kept:
        note += QCoreApplication.translate("App", "原数据库文件保存为 %1。").replace("%1", result.kept.name)
    box(None, QCoreApplication.translate("App", "恢复完成"),
        note + "\n\n" + result.message + "\n\n" + QCoreApplication.translate("App", "请重新登录。"))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    app = create_application()
    i18n.install(args.lang or i18n.saved_language())
    saved_url = str(QSettings().value("database/url", "") or "")  # 设置 → 更换数据库
    db = open_database(args.db or saved_url or default_url())
    if db is None:
        return 1
    starting = routine_backup(db, "start")  # a copy of the database as it was when the day began
    controller = Application(db, args.keyring)
    if not controller.start():
        starting.join()
        db.dispose()
        return 0
    app.setQuitOnLastWindowClosed(True)
    code = app.exec()
    QThreadPool.globalInstance().waitForDone(5000)
    starting.join()
    routine_backup(db, "close").join()
    db.dispose()
    return code


def routine_backup(db: Database, moment: str) -> threading.Thread:
    """The rolling SQLite backup on start and on close, off the UI thread (a large file takes seconds).

    A failed routine backup must not stop the program; it is logged, and the next one tries again.
    """
    from jlexam.store.backup import backup_before

    def run() -> None:
        try:
            backup_before(db, moment)
        except JlexamError as exc:
            logging.getLogger("jlexam").warning("routine backup on %s failed: %s", moment, exc.message)

    thread = threading.Thread(target=run, name=f"backup-{moment}")
    thread.start()
    return thread


if __name__ == "__main__":
    sys.exit(main())
