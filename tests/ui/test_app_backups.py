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
