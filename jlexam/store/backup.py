"""Rolling backups of a SQLite database with SQLite's online backup API, and their restore.

Backups are taken on start, on close and before every bulk or irreversible operation; the newest 20 are kept,
plus the newest of each day for the last 30 days. A PostgreSQL server is backed up by its own administrator
(pg_dump); jlexam says so instead of pretending. A restore carries forward the numbers the outside world has
seen (certificate serials, ticket sitting numbers), so going back in time never issues one of them again.
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

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jlexam.errors import StorageError
from jlexam.store.database import Database
from jlexam.store.models import Application, CertificateCounter, Setting, Ticket

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


# --- numbers the outside world has seen: carried forward over a restore ----------------------------------
# A restore moves the database back in time, but a certificate serial or a ticket number issued after the
# backup was taken has been printed and handed out (and perhaps uploaded): it must never be given again
# (RULES.md "Certificates"). Before the file is replaced, the high-water marks are read from the live file and
# from every other backup of the same database; after the restore the restored counters are raised to them.

RESERVED_TICKET_SITTINGS = "reserved_ticket_sitting_numbers"  # Setting key: "2502,2503"
_CERT_KEY_SQL = "substr(number, 1, 13) || '-' || substr(number, 14, 2)"


@dataclass
class HighWater:
    """The highest numbers one or more database files have used."""

    certificate_serials: dict[str, int]  # certificate counter key ("Y000022000187-26") -> highest serial
    ticket_sittings: set[int]  # the 4-digit sitting numbers (SSSS) on tickets, reserved ones included
    certificate_numbers: set[str]  # every certificate number (live file only: names what a restore loses)
    upload_batches: set[str]  # every upload batch id (live file only)

    @classmethod
    def empty(cls) -> HighWater:
        return cls({}, set(), set(), set())

    def absorb(self, other: HighWater) -> None:
        for key, serial in other.certificate_serials.items():
            self.certificate_serials[key] = max(serial, self.certificate_serials.get(key, 0))
        self.ticket_sittings |= other.ticket_sittings
        self.certificate_numbers |= other.certificate_numbers
        self.upload_batches |= other.upload_batches


@dataclass(frozen=True)
class Raised:
    """One counter a restore carried forward: ``kind`` is "certificate_serial" or "ticket_sitting"."""

    kind: str
    key: str
    restored: int  # what the restored database had (0: nothing)
    raised_to: int

    @property
    def label(self) -> str:
        if self.kind == "certificate_serial":
            prefix, _, year = self.key.partition("-")
            return f"证书序号（编号前缀 {prefix}，20{year} 年）由 {self.restored} 提高到 {self.raised_to}"
        return f"准考证批次序号 {self.raised_to:04d} 已保留（备份之后已使用），不再分配"


def read_high_water(path: Path, *, records: bool = False) -> tuple[HighWater, str | None]:
    """The high-water marks of the database file ``path`` and its database_id, read-only.

    ``records`` also reads every certificate number and upload batch id. Raises sqlite3.DatabaseError when the
    file cannot be read (corrupt, not a database).
    """
    marks = HighWater.empty()
    conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        database_id = None
        if "setting" in tables:
            for key, value in conn.execute(
                "SELECT key, value FROM setting WHERE key IN ('database_id', ?)", (RESERVED_TICKET_SITTINGS,)
            ):
                if key == "database_id":
                    database_id = value
                else:
                    marks.ticket_sittings |= _parse_reserved(value)
        serials = marks.certificate_serials
        if "certificate_counter" in tables:
            for key, last in conn.execute("SELECT key, last_serial FROM certificate_counter"):
                serials[key] = max(int(last or 0), serials.get(key, 0))
        if "certificate" in tables:
            for key, last in conn.execute(
                f"SELECT {_CERT_KEY_SQL}, max(CAST(substr(number, 17, 6) AS INTEGER)) FROM certificate"
                f" WHERE length(number) = 22 GROUP BY {_CERT_KEY_SQL}"
            ):
                serials[key] = max(int(last or 0), serials.get(key, 0))
            if records:
                marks.certificate_numbers = {row[0] for row in conn.execute("SELECT number FROM certificate")}
        if "ticket" in tables:
            for (prefix,) in conn.execute("SELECT DISTINCT substr(number, 1, 4) FROM ticket"):
                if prefix and prefix.isdigit():
                    marks.ticket_sittings.add(int(prefix))
        if records and "upload_batch" in tables:
            marks.upload_batches = {row[0] for row in conn.execute("SELECT batch_id FROM upload_batch")}
    finally:
        conn.close()
    return marks, database_id


def _parse_reserved(text: str | None) -> set[int]:
    return {int(part) for part in (text or "").split(",") if part.strip().isdigit()}


@dataclass(frozen=True)
class Marks:
    """What a restore carries forward: the marks, and whether the live file could be read."""

    high_water: HighWater
    live_readable: bool  # False: the live file was missing or unreadable; the marks come from other backups
    live_problem: str  # Chinese, empty when the live file was read
    sources: int  # how many files the marks were read from


def collect_marks(db_path: Path, restoring: Path, database_id: str | None) -> Marks:
    """The marks of the live file ``db_path`` and of every other backup (and replaced file) of the same database.

    Backups whose database_id differs from ``database_id`` (the backup being restored) are left out; the live
    file always counts. Call it after every connection to ``db_path`` was closed, before replacing it.
    """
    marks = HighWater.empty()
    sources, problem = 0, ""
    if db_path.exists():
        try:
            live, _ = read_high_water(db_path, records=True)
        except sqlite3.DatabaseError as exc:
            problem = f"当前数据库文件 {db_path.name} 无法读取（{exc}）"
        else:
            marks.absorb(live)
            sources += 1
    else:
        problem = f"当前数据库文件 {db_path.name} 不存在"
    for path in _other_copies(db_path, restoring):
        try:
            other, other_id = read_high_water(path)
        except sqlite3.DatabaseError:
            continue  # a damaged old backup adds nothing it could be trusted for
        if database_id is None or other_id == database_id:
            marks.absorb(other)
            sources += 1
    return Marks(marks, not problem, problem, sources)


def _other_copies(db_path: Path, restoring: Path) -> list[Path]:
    found = [b.path for b in list_backups(db_path)]
    folder = backup_dir(db_path)
    if folder.exists():
        found += sorted(folder.glob(f"{db_path.stem}-replaced-*.sqlite.old"))
    skip = restoring.resolve()
    return [p for p in found if p.resolve() != skip]


def reserved_ticket_sitting_numbers(s: Session) -> set[int]:
    """The 4-digit ticket sitting numbers a restore reserved (used after the restored backup was taken)."""
    return _parse_reserved(s.scalar(select(Setting.value).where(Setting.key == RESERVED_TICKET_SITTINGS)))


def _ticket_sitting_numbers(s: Session, *, except_sitting: int | None = None) -> set[int]:
    """The 4-digit sitting numbers (SSSS) on the tickets, leaving out one sitting's own."""
    query = select(func.substr(Ticket.number, 1, 4)).join(Application, Application.id == Ticket.application_id)
    if except_sitting is not None:
        query = query.where(Application.sitting_id != except_sitting)
    return {int(p) for p in s.scalars(query.distinct()) if p and p.isdigit()}


def taken_ticket_sitting_numbers(s: Session, sitting_id: int) -> set[int]:
    """Sitting numbers a new sitting may not take: reserved ones, and those on other sittings' tickets."""
    return reserved_ticket_sitting_numbers(s) | _ticket_sitting_numbers(s, except_sitting=sitting_id)


def carry_forward(s: Session, marks: HighWater) -> list[Raised]:
    """Raise the restored database's counters to ``marks``; returns what was raised (nothing ever goes down)."""
    raised = []
    for key, serial in sorted(marks.certificate_serials.items()):
        row = s.get(CertificateCounter, key)
        have = row.last_serial if row is not None else 0
        if serial > have:
            if row is None:
                s.add(CertificateCounter(key=key, last_serial=serial))
            else:
                row.last_serial = serial
            raised.append(Raised("certificate_serial", key, have, serial))
    own = _ticket_sitting_numbers(s)
    reserved = reserved_ticket_sitting_numbers(s)
    new = sorted(marks.ticket_sittings - own - reserved)
    if new:
        value = ",".join(f"{n:04d}" for n in sorted(reserved | set(new)))
        row = s.get(Setting, RESERVED_TICKET_SITTINGS)
        if row is None:
            s.add(Setting(key=RESERVED_TICKET_SITTINGS, value=value))
        else:
            row.value = value
        raised += [Raised("ticket_sitting", f"{n:04d}", 0, n) for n in new]
    return raised
