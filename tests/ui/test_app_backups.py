"""The window backs the SQLite database up when it starts and when it closes (issue 2, backups)."""

from jlexam.store.backup import list_backups
from ui.app import routine_backup


def test_routine_backups_on_start_and_close(sqlite_db):
    routine_backup(sqlite_db, "start").join()
    routine_backup(sqlite_db, "close").join()
    reasons = sorted(b.reason for b in list_backups(sqlite_db.sqlite_path))
    assert reasons == ["before-close", "before-start"]


def test_a_failed_routine_backup_does_not_raise(tmp_path):
    from jlexam.store.database import Database

    missing = Database(str(tmp_path / "gone.sqlite"))  # no file: nothing to back up, nothing raised
    routine_backup(missing, "start").join()
    assert list_backups(tmp_path / "gone.sqlite") == []


def test_upgrade_question_is_honest_about_backups(qtbot, db, monkeypatch):
    """SQLite is backed up before an upgrade; for PostgreSQL the user is told to pg_dump first."""
    from alembic import command

    import ui.app as app
    from jlexam.store.backup import list_backups
    from jlexam.store.database import _alembic_config

    cfg = _alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0006")
    db.dispose()
    asked: list[tuple[str, str]] = []

    def answer(parent, title, text, yes):  # type: ignore[no-untyped-def]
        asked.append((text, yes))
        return True

    monkeypatch.setattr(app, "_ask", answer)
    opened = app.open_database(db.url)
    assert opened is not None and opened.schema_state().status == "current"
    (text, yes), = asked
    if db.is_sqlite:
        assert "升级前会自动备份" in text and yes == "备份并升级"
        assert [b.reason for b in list_backups(db.sqlite_path)] == ["before-upgrade"]
    else:
        assert "pg_dump" in text and "自动备份" not in text and yes == "已备份，升级"
    opened.dispose()


def test_restore_tells_what_was_lost_and_carried_forward(qtbot, gui_db, gui_admin, monkeypatch):
    """The window's restore shows the service's account: records after the backup are lost, the numbers are
    carried forward (or that none needed to be), and the replaced file is kept."""
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    import ui.app as app
    from jlexam.services import backups
    from tests.conftest import PASSWORD

    saved = backups.create_backup(gui_admin)
    answers = iter([(gui_admin.username, True), (PASSWORD, True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(answers))
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text: shown.append((title, text)))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text: shown.append(("warning:" + title, text)))
    controller = app.Application(gui_db)
    monkeypatch.setattr(controller, "login", lambda: gui_admin)  # logged in again after the restore
    monkeypatch.setattr(controller, "show_window", lambda actor: None)
    controller.restore(saved)
    ((title, text),) = shown
    assert title == "恢复完成" and saved.name in text
    assert "已丢失" in text and "无需结转编号" in text and "请重新登录" in text


def test_keys_are_opened_after_the_login_and_problems_explained(gui_db, monkeypatch):
    """The keyring is opened after someone logged in (the login needs no key), and a bad keyring setting is
    explained in Chinese instead of stopping the program."""
    import ui.app as app

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(app, "show_error", lambda _p, exc, title: shown.append((title, exc.message)))
    app.open_keys(gui_db, "vault:somewhere")
    ((title, message),) = shown
    assert title == "密钥库不可用" and "无法识别" in message

    order: list[str] = []
    controller = app.Application(gui_db, "file:/nowhere")
    monkeypatch.setattr(controller, "_first_actor", lambda: order.append("login") or object())
    monkeypatch.setattr(app, "open_keys", lambda db, spec: order.append(f"keys {spec}"))
    monkeypatch.setattr(controller, "show_window", lambda actor: order.append("window"))
    assert controller.start()
    assert order == ["login", "keys file:/nowhere", "window"]
