"""Backups for the admin: list, create, and restore (which must also work when the live file is corrupt)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from jlexam.errors import PermissionDenied, StorageError
from jlexam.security.roles import Role
from jlexam.services.auth import login
from jlexam.services.base import Actor, UnitOfWork, use_case, utcnow, write_audit
from jlexam.store import backup
from jlexam.store.database import Database


@use_case("backup.manage")
def create_backup(uow: UnitOfWork, reason: str = "manual") -> Path:
    # The backup is taken before this use case's own audit event is committed, so it records the act.
    path = backup.create_backup(uow.actor.db, reason)
    uow.audit("backup.create", "backup", path.name, f"手动备份到 {path.name}")
    return path


def list_backups(db: Database) -> list[backup.BackupInfo]:
    if db.sqlite_path is None:
        raise StorageError("PostgreSQL 数据库由服务器管理员用 pg_dump 备份；这里没有本机备份。")
    return backup.list_backups(db.sqlite_path)


def find_backup(db: Database, name: str) -> Path:
    candidate = Path(name)
    if candidate.exists():
        return candidate
    for info in list_backups(db):
        if info.path.name == name or info.path.name.startswith(name):
            return info.path
    raise StorageError(f"找不到备份 {name}。请用 `jlexam backup list` 查看可用的备份。")


def restore(db: Database, backup_path: Path, username: str, password: str) -> Path | None:
    """Restore ``backup_path`` over the live SQLite file.

    The live file may be unreadable, so the user proves to be an admin *in the backup* (on a scratch copy,
    which the login's audit event may change freely). The restore itself is audited in the restored file.
    """
    if db.sqlite_path is None:
        raise StorageError("PostgreSQL 数据库请由服务器管理员用 pg_restore 恢复。")
    backup.check_backup(backup_path)
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "check.sqlite"
        shutil.copy2(backup_path, copy)
        probe = Database(str(copy))
        try:
            actor: Actor = login(probe, username, password)
        finally:
            probe.dispose()
        if Role.ADMIN not in actor.roles:
            raise PermissionDenied(f"用户 {username} 不是系统管理员，不能恢复备份。")
    db.dispose()
    kept = backup.restore_backup(db.sqlite_path, backup_path)
    with db.transaction() as s:
        note = f"从备份 {backup_path.name} 恢复" + (f"，原文件保存为 {kept.name}" if kept else "")
        write_audit(s, username, "backup.restore", "backup", backup_path.name, note, utcnow())
    return kept
