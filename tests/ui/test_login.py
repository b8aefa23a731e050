"""Login, the lockout after 5 wrong passwords, the first admin, the idle lock and logout."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from jlexam.services.users import has_users
from tests.conftest import PASSWORD
from ui.login import FirstAdminDialog, LoginDialog


def _submit(qtbot, dialog, username, password):  # type: ignore[no-untyped-def]
    dialog.username.setText(username)
    dialog.password.setText(password)
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.login_button.isEnabled(), timeout=10_000)


def test_login_succeeds(qtbot, gui_db):
    dialog = LoginDialog(gui_db)
    qtbot.addWidget(dialog)
    dialog.show()
    _submit(qtbot, dialog, "admin", PASSWORD)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor is not None and dialog.actor.username == "admin"


def test_empty_fields_are_refused_without_asking_the_database(qtbot, gui_db):
    dialog = LoginDialog(gui_db)
    qtbot.addWidget(dialog)
    dialog.try_login()
    assert "请输入用户名和密码" in dialog.error.text()
    assert dialog.task is None


def test_lockout_after_five_wrong_passwords(qtbot, gui_db):
    dialog = LoginDialog(gui_db)
    qtbot.addWidget(dialog)
    dialog.show()
    for attempt in range(1, 5):
        _submit(qtbot, dialog, "admin", "wrong-password-1")
        assert f"再输错 {5 - attempt} 次" in dialog.error.text()
        assert dialog.password.text() == ""
    _submit(qtbot, dialog, "admin", "wrong-password-1")
    assert "已被锁定 15 分钟" in dialog.error.text()
    # even the right password is refused while locked
    _submit(qtbot, dialog, "admin", PASSWORD)
    assert "锁定" in dialog.error.text()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.actor is None


def test_first_admin_dialog(qtbot, sqlite_db):
    assert not has_users(sqlite_db)
    dialog = FirstAdminDialog(sqlite_db)
    qtbot.addWidget(dialog)
    dialog.password.setText(PASSWORD)
    dialog.repeat.setText(PASSWORD + "x")
    dialog.create()
    assert "不一致" in dialog.error.text()
    assert not has_users(sqlite_db)
    dialog.password.setText("short")
    dialog.repeat.setText("short")
    dialog.create()
    qtbot.waitUntil(lambda: dialog.create_button.isEnabled(), timeout=10_000)
    assert "密码" in dialog.error.text() and not has_users(sqlite_db)
    dialog.password.setText(PASSWORD)
    dialog.repeat.setText(PASSWORD)
    dialog.create()
    qtbot.waitUntil(lambda: dialog.actor is not None, timeout=10_000)
    assert dialog.actor.username == "admin" and has_users(sqlite_db)


def test_idle_lock_hides_the_window_and_unlocks_with_the_password(qtbot, gui_admin, make_window):
    window = make_window(gui_admin, idle_ms=300)
    qtbot.waitUntil(lambda: window.is_locked, timeout=5_000)
    assert not window.body.isVisible()
    lock = window.lock_dialog
    lock.password.setText("wrong-password-1")
    lock.unlock()
    qtbot.waitUntil(lambda: lock.unlock_button.isEnabled(), timeout=10_000)
    assert "再输错" in lock.error.text() and window.is_locked
    lock.password.setText(PASSWORD)
    lock.unlock()
    qtbot.waitUntil(lambda: not window.is_locked, timeout=10_000)
    assert window.body.isVisible()


def test_lock_then_switch_user_logs_out(qtbot, gui_admin, make_window):
    window = make_window(gui_admin)
    window.lock()
    assert window.is_locked
    with qtbot.waitSignal(window.logout_requested, timeout=2_000):
        window.lock_dialog._switch()


def test_header_shows_user_roles_and_no_sitting(qtbot, gui_admin, make_window):
    window = make_window(gui_admin)
    assert "王建国" in window.header.user.text() and "admin" in window.header.user.text()
    assert window.header.roles.text() == "系统管理员"
    qtbot.waitUntil(lambda: window.header.sitting.count() == 1, timeout=5_000)
    assert window.header.sitting.currentText() in ("无认定批次", "无法读取认定批次")
