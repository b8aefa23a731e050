"""Backups for the admin: list, create, and restore (which must also work when the live file is corrupt).

A restore carries forward the numbers issued after the backup was taken (certificate serials, ticket sitting
numbers) and tells the user, in Chinese, what was lost and what was carried forward.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from jlexam.errors import PermissionDenied, StorageError
from jlexam.security.roles import Role
from jlexam.services.auth import login
from jlexam.services.base import Actor, UnitOfWork, use_case, utcnow, write_audit
from jlexam.store import backup
from jlexam.store.database import Database
from jlexam.store.models import Certificate, UploadBatch


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


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did, for the user: ``message`` (Chinese) says what was lost and what was carried forward."""

    backup: Path
    kept: Path | None  # where the replaced file was kept (None: there was none)
    raised: tuple[backup.Raised, ...]  # counters carried forward past the backup's values
    lost_certificates: tuple[str, ...]  # certificates of the replaced file the restored one does not hold
    lost_batches: tuple[str, ...]  # upload batches likewise
    live_readable: bool  # False: the replaced file could not be read; warn the user (see ``message``)
    upgraded: bool  # the backup was written by an older jlexam and was upgraded after the restore
    message: str

    @property
    def warning(self) -> bool:
        """True when the user must check something by hand (the replaced file could not be read)."""
        return not self.live_readable


def restore(db: Database, backup_path: Path, username: str, password: str) -> RestoreResult:
    """Restore ``backup_path`` over the live SQLite file, carrying forward the numbers issued since.

    The live file may be unreadable, so the user proves to be an admin *in the backup* (on a scratch copy,
    which the login's audit event may change freely). Before the file is replaced, the highest certificate
    serials and ticket sitting numbers are read from it (and from the other backups of the same database);
    after the restore the restored counters are raised to them, so a serial issued or voided after the backup
    is never given again (RULES.md "Certificates"). The restore and the carry-forward are audited in the
    restored file.
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
            state = probe.schema_state()
            database_id = probe.database_id
        finally:
            probe.dispose()
        if Role.ADMIN not in actor.roles:
            raise PermissionDenied(f"用户 {username} 不是系统管理员，不能恢复备份。")
    if state.status == "newer":
        raise StorageError(
            f"备份 {backup_path.name} 由更新版本的 jlexam 创建（结构版本 {state.current}），本程序无法使用它。"
            "请先把 jlexam 升级到最新版本，再恢复该备份。当前数据库未被改动。"
        )
    db.dispose()
    marks = backup.collect_marks(db.sqlite_path, backup_path, database_id)
    kept = backup.restore_backup(db.sqlite_path, backup_path)
    upgraded = state.status == "older"
    if upgraded:  # the counters' tables must exist before they can be raised; the backup file stays as it was
        db.upgrade()
    with db.transaction() as s:
        note = f"从备份 {backup_path.name} 恢复" + (f"，原文件保存为 {kept.name}" if kept else "")
        now = utcnow()
        write_audit(s, username, "backup.restore", "backup", backup_path.name, note, now)
        raised = tuple(backup.carry_forward(s, marks.high_water))
        lost_certs = _missing(s, Certificate.number, marks.high_water.certificate_numbers)
        lost_batches = _missing(s, UploadBatch.batch_id, marks.high_water.upload_batches)
        write_audit(
            s, username, "backup.carry_forward", "backup", backup_path.name,
            _carry_summary(backup_path, raised, lost_certs, lost_batches, marks), now,
        )
    db.dispose()
    message = _message(backup_path, kept, raised, lost_certs, lost_batches, marks, upgraded)
    return RestoreResult(
        backup_path, kept, raised, lost_certs, lost_batches, marks.live_readable, upgraded, message
    )


def _missing(s: Session, column: InstrumentedAttribute[str], known: set[str]) -> tuple[str, ...]:
    if not known:
        return ()
    present = set(s.scalars(select(column)))
    return tuple(sorted(known - present))


def _listed(items: tuple[str, ...], limit: int = 20) -> str:
    shown = "、".join(items[:limit])
    return shown + (f" 等共 {len(items)} 个" if len(items) > limit else "")


def _carry_summary(
    backup_path: Path,
    raised: tuple[backup.Raised, ...],
    lost_certs: tuple[str, ...],
    lost_batches: tuple[str, ...],
    marks: backup.Marks,
) -> str:
    parts = [f"从备份 {backup_path.name} 恢复后结转编号（读取 {marks.sources} 个数据库文件）："]
    parts.append("；".join(r.label for r in raised) if raised else "无需结转，备份中的编号已是最大")
    if lost_certs:
        parts.append(f"。恢复后不在库中的证书：{_listed(lost_certs)}")
    if lost_batches:
        parts.append(f"。恢复后不在库中的上报批次：{_listed(lost_batches)}")
    if not marks.live_readable:
        parts.append(f"。警告：{marks.live_problem}，其中的编号未能结转")
    return "".join(parts)


def _message(
    backup_path: Path,
    kept: Path | None,
    raised: tuple[backup.Raised, ...],
    lost_certs: tuple[str, ...],
    lost_batches: tuple[str, ...],
    marks: backup.Marks,
    upgraded: bool,
) -> str:
    lines = [
        f"已从备份 {backup_path.name} 恢复数据库。"
        "该备份之后录入的所有记录（报名、审核、编排、成绩、证书、空白证书台账、上报登记等）都已丢失，"
        "请按纸质材料和已发出的文件核对并补录。"
        + (f"被替换的数据库文件保存为 {kept.name}，可供核对。" if kept else "")
    ]
    if upgraded:
        lines.append("该备份由较早版本的 jlexam 创建，已自动升级到当前的数据库结构。")
    if raised:
        lines.append("为避免重复使用已发出的编号，以下编号已结转（不会回退）：" + "；".join(r.label for r in raised) + "。")
    else:
        lines.append("无需结转编号：备份之后没有发出新的证书序号或准考证批次序号。")
    if lost_certs:
        lines.append(
            f"备份之后发放的证书 {_listed(lost_certs)} 已不在恢复后的数据库中；这些编号不会再分配，"
            "如证书已交给持证人或已上报，请核对后补录或作废处理。"
        )
    if lost_batches:
        lines.append(f"备份之后的上报批次 {_listed(lost_batches)} 的记录已丢失，请核对国家平台的上报回执。")
    if not marks.live_readable:
        lines.append(
            f"警告：{marks.live_problem}，无法确认备份之后发出的编号"
            + (f"（已按其他 {marks.sources} 个备份中的最大编号结转）" if marks.sources else "")
            + "。发放下一本证书或制发准考证之前，请核对已发出的最大证书序号和准考证号，"
            "必要时联系维护人员调整。"
        )
    return "\n".join(lines)
