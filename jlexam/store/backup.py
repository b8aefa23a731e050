"""Rolling backups of a SQLite database with SQLite's online backup API, and their restore.

Backups are taken on start, on close and before every bulk or irreversible operation; the newest 20 are kept,
plus the newest of each day for the last 30 days. A PostgreSQL server is backed up by its own administrator
(pg_dump); jlexam says so instead of pretending.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from jlexam.errors import StorageError
from jlexam.store.database import Database

KEEP_LAST = 20
KEEP_DAILY_DAYS = 30
_NAME = re.compile(r"^(?P<stem>.+)-(?P<ts>\d{8}-\d{6}-\d{6})-(?P<reason>[a-z0-9_-]+)\.sqlite$")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: datetime
    reason: str
    size: int


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def _require_sqlite(db: Database) -> Path:
    if db.sqlite_path is None:
        raise StorageError(
            "PostgreSQL 数据库由服务器管理员用 pg_dump 备份；jlexam 的自动备份只适用于本机 SQLite 数据库。"
        )
    return db.sqlite_path


def _slug(reason: str) -> str:
    return re.sub(r"[^a-z0-9_-]+", "-", reason.lower()).strip("-") or "manual"


def create_backup(db: Database, reason: str, now: datetime | None = None) -> Path:
    """Copy the live database consistently (online backup API), written under a temporary name first."""
    source = _require_sqlite(db)
    if not source.exists():
        raise StorageError(f"数据库文件 {source} 不存在，无法备份。")
    now = now or datetime.now(UTC)
    folder = backup_dir(source)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{source.stem}-{now.strftime('%Y%m%d-%H%M%S-%f')}-{_slug(reason)}.sqlite"
    partial = target.with_suffix(".partial")
    try:
        src = sqlite3.connect(str(source))
        dst = sqlite3.connect(str(partial))
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        os.replace(partial, target)
    except sqlite3.DatabaseError as exc:
        partial.unlink(missing_ok=True)
        raise StorageError(_backup_failure(source, exc)) from exc
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise StorageError(f"无法写入备份文件夹 {folder}：{exc.strerror}。请检查磁盘空间和权限。") from exc
    prune(folder, source.stem, now)
    return target


def _backup_failure(source: Path, exc: Exception) -> str:
    text = str(exc)
    if "not a database" in text or "malformed" in text:
        return f"数据库文件 {source} 已损坏，无法备份。请用 `jlexam backup restore` 从较早的备份恢复。"
    if "full" in text:
        return "磁盘已满，备份未完成。请清理磁盘空间后重试。"
    return f"备份 {source} 失败：{text}"


def backup_before(db: Database, operation: str) -> Path | None:
    """The automatic backup before a bulk or irreversible operation (SQLite only; PostgreSQL is the server's)."""
    if db.sqlite_path is None or not db.sqlite_path.exists():
        return None
    return create_backup(db, f"before-{operation}")


def list_backups(db_path: Path) -> list[BackupInfo]:
    """The backups of ``db_path``, newest first."""
    folder = backup_dir(db_path)
    if not folder.exists():
        return []
    found = []
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if match and match["stem"] == db_path.stem:
            created = datetime.strptime(match["ts"], "%Y%m%d-%H%M%S-%f").replace(tzinfo=UTC)
            found.append(BackupInfo(path, created, match["reason"], path.stat().st_size))
    return sorted(found, key=lambda b: b.created_at, reverse=True)


def select_to_keep(created: Iterable[datetime], now: datetime) -> set[datetime]:
    """The rolling rule: the newest KEEP_LAST, and the newest of each day within KEEP_DAILY_DAYS."""
    ordered = sorted(created, reverse=True)
    keep = set(ordered[:KEEP_LAST])
    seen_days: set[object] = set()
    for moment in ordered:
        day = moment.date()
        if now - moment <= timedelta(days=KEEP_DAILY_DAYS) and day not in seen_days:
            keep.add(moment)
            seen_days.add(day)
    return keep


def prune(folder: Path, stem: str, now: datetime) -> list[Path]:
    backups = list_backups(folder.parent / f"{stem}.sqlite")
    keep = select_to_keep((b.created_at for b in backups), now)
    removed = []
    for b in backups:
        if b.created_at not in keep:
            b.path.unlink(missing_ok=True)
            removed.append(b.path)
    return removed


def check_backup(path: Path) -> None:
    """A backup must be an intact jlexam database before it may replace the live one."""
    if not path.exists():
        raise StorageError(f"备份文件 {path} 不存在。请用 `jlexam backup list` 查看可用的备份。")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()
            conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"备份文件 {path} 已损坏或不是 jlexam 数据库，不能用于恢复：{exc}") from exc
    if result is None or result[0] != "ok":
        raise StorageError(f"备份文件 {path} 未通过完整性检查，不能用于恢复。请选择另一个备份。")


def restore_backup(db_path: Path, backup: Path, now: datetime | None = None) -> Path | None:
    """Replace the database file with ``backup``; the replaced file is kept beside the backups first.

    The caller must have closed every connection to ``db_path``. Returns where the old file was kept.
    """
    check_backup(backup)
    now = now or datetime.now(UTC)
    kept: Path | None = None
    if db_path.exists():
        folder = backup_dir(db_path)
        folder.mkdir(parents=True, exist_ok=True)
        kept = folder / f"{db_path.stem}-replaced-{now.strftime('%Y%m%d-%H%M%S-%f')}.sqlite.old"
        shutil.copy2(db_path, kept)
    partial = db_path.with_name(db_path.name + ".restoring")
    try:
        shutil.copy2(backup, partial)
        for suffix in ("-wal", "-shm"):
            Path(str(db_path) + suffix).unlink(missing_ok=True)
        os.replace(partial, db_path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise StorageError(f"恢复失败：{exc.strerror}。原数据库未被改动。") from exc
    return kept
