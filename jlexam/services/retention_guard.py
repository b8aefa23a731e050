"""The retention guard (002 §36): nothing of an archived sitting can be deleted while its records are kept.

Installed on every SQLAlchemy session of the process when imported (jlexam.services.base imports it, and every
use case imports base), so no use case can bypass it by skipping a call.
"""

from __future__ import annotations

import re

from sqlalchemy import Delete, Select, TextClause, Update, and_, event, inspect, or_, select
from sqlalchemy.orm import ORMExecuteState, Session

from jlexam.errors import StateError
from jlexam.store.models import (
    Application,
    ArchiveItem,
    Certificate,
    ExamSession,
    PaperPacket,
    Score,
    Sitting,
    SittingArchive,
    UploadBatchItem,
)

# --- the retention guard (002 §36) --------------------------------------------------------------------------
# Nothing of an archived sitting can be deleted while its electronic records are kept, by any role and by any
# path: ORM deletes (``before_flush``), bulk ``delete()`` statements and raw SQL ``DELETE`` sent through a
# session (``do_orm_execute``). After the period, only ``archives.destroy_items`` — an administrator, with a
# reason, audited — may delete; it says so by putting ``DESTRUCTION`` in the session's ``info``. Working
# changes of a sitting that is not archived (a new seat plan, unassigning staff, calendar overrides) are not
# affected. The guard is installed on every SQLAlchemy session of the process when this module is imported,
# which every use case does, so a use case cannot bypass it by skipping a call.
DESTRUCTION = "jlexam.retention.destruction"  # session.info key: the admin's username and written reason
RETENTION_RULE = "002 §36"


def _sittings_of_rows(table_name: str, rows):  # type: ignore[no-untyped-def]
    """A SELECT of the sitting ids owning ``rows`` (a subquery of the table's rows), or None: not a sitting
    record."""
    c = rows.c
    if table_name == "sitting":
        return select(c.id)
    if table_name in (
        "sitting_offer",
        "exam_session",
        "application",
        "paper_packet",
        "publicity",
        "objection",
        "staff_change",
        "briefing",
        "sitting_archive",
    ):
        return select(c.sitting_id)
    if table_name in (
        "seat_plan",
        "seat_assignment",
        "staff_assignment",
        "marker_assignment",
        "check_in",
        "room_event",
    ):
        return select(ExamSession.sitting_id).where(ExamSession.id.in_(select(c.session_id)))
    if table_name in ("application_evidence", "score_entry", "score", "ticket", "certificate"):
        return select(Application.sitting_id).where(Application.id.in_(select(c.application_id)))
    if table_name == "custody_event":
        return select(PaperPacket.sitting_id).where(PaperPacket.id.in_(select(c.packet_id)))
    if table_name == "score_change":
        return (
            select(Application.sitting_id)
            .join(Score, Score.application_id == Application.id)
            .where(Score.id.in_(select(c.score_id)))
        )
    if table_name == "upload_batch_item":
        return (
            select(Application.sitting_id)
            .join(Certificate, Certificate.application_id == Application.id)
            .where(Certificate.id.in_(select(c.certificate_id)))
        )
    if table_name == "upload_batch":
        return (
            select(Application.sitting_id)
            .join(Certificate, Certificate.application_id == Application.id)
            .join(UploadBatchItem, UploadBatchItem.certificate_id == Certificate.id)
            .where(UploadBatchItem.batch_id.in_(select(c.id)))
        )
    if table_name == "archive_item":
        return select(SittingArchive.sitting_id).where(SittingArchive.id.in_(select(c.archive_id)))
    if table_name == "candidate":
        return select(Application.sitting_id).where(Application.candidate_id.in_(select(c.id)))
    if table_name == "candidate_photo":
        return select(Application.sitting_id).where(Application.candidate_id.in_(select(c.candidate_id)))
    return None


# The institution's blank-certificate ledger and the audit log are archived with every sitting (the ledger for
# the sitting's period, the log as extracts) and are append-only: no deletion while any archive is kept.
_WHOLE_LOG_TABLES = {"stock_ledger_entry": "空白证书台账", "audit_event": "审计日志", "chain_head": "审计链"}
_TABLE_LABELS = {
    "sitting": "认定批次", "sitting_offer": "认定职业等级", "exam_session": "考试场次", "application": "报名记录",
    "paper_packet": "试卷袋", "publicity": "成绩公示", "objection": "异议记录", "staff_change": "考务人员变更记录",
    "briefing": "考务培训记录", "sitting_archive": "档案", "seat_plan": "考场编排", "seat_assignment": "座位编排",
    "staff_assignment": "考务人员安排", "marker_assignment": "考评员安排", "check_in": "签到记录",
    "room_event": "考场记录", "application_evidence": "资格证明材料", "score_entry": "成绩录入记录", "score": "成绩",
    "ticket": "准考证", "certificate": "证书", "custody_event": "试卷流转记录", "score_change": "成绩更正记录",
    "upload_batch_item": "上报批次明细", "upload_batch": "上报批次", "archive_item": "档案目录",
    "candidate": "考生信息", "candidate_photo": "考生照片",
}  # fmt: skip


def _retention_today():  # type: ignore[no-untyped-def]
    from jlexam.services.archives import today  # the archive's clock, which tests move

    return today()


def check_retention(session: Session, sitting_ids: set[int], what: str) -> None:
    """Refuse when any of the sittings is archived and its records are kept (or kept no longer but the
    deletion is not an administrator's recorded destruction)."""
    if not sitting_ids:
        return
    archives = session.execute(
        select(Sitting.code, SittingArchive.archived_on, SittingArchive.electronic_years, SittingArchive.id)
        .join(SittingArchive, SittingArchive.sitting_id == Sitting.id)
        .where(Sitting.id.in_(sorted(sitting_ids)))
        .order_by(Sitting.code)
    ).all()
    if not archives:
        return
    from jlexam.domain.retention import Medium, destroyable_from, retain_until

    day = _retention_today()
    for code, archived_on, electronic_years, archive_id in archives:
        until = retain_until(archived_on, Medium.ELECTRONIC, electronic_years)
        kept = session.scalar(
            select(ArchiveItem.retain_until)
            .where(ArchiveItem.archive_id == archive_id, ArchiveItem.destroyed_on.is_(None))
            .order_by(ArchiveItem.retain_until.desc())
            .limit(1)
        )
        until = max(until, kept) if kept else until
        if day <= until:
            raise StateError(
                f"{what}属于认定批次 {code} 的档案，保管期至 {until:%Y-%m-%d}，保管期内任何人都不能删除"
                f"（002 第三十六条：纸质不少于 3 年，电子不少于 5 年）。最早可于 {destroyable_from(until):%Y-%m-%d} "
                "起由系统管理员在档案页面写明原因办理销毁。",
                rule=RETENTION_RULE,
            )
        if not session.info.get(DESTRUCTION):
            raise StateError(
                f"{what}属于认定批次 {code} 的档案，保管期已于 {until:%Y-%m-%d} 届满，但档案只能由系统管理员"
                "在档案页面写明原因办理销毁（留有审计记录），不能直接删除（002 第三十六条）。",
                rule=RETENTION_RULE,
            )


def _check_logs(session: Session, table_name: str) -> None:
    ids = set(session.scalars(select(SittingArchive.sitting_id)))
    check_retention(session, ids, _WHOLE_LOG_TABLES[table_name])


def _guard_rows(session: Session, table, where) -> None:  # type: ignore[no-untyped-def]
    name = table.name
    if name in _WHOLE_LOG_TABLES:
        _check_logs(session, name)
        return
    rows = select(table).where(where).subquery() if where is not None else select(table).subquery()
    owners = _sittings_of_rows(name, rows)
    if owners is None:
        return
    with session.no_autoflush:
        ids = {i for i in session.scalars(owners) if i is not None}
        check_retention(session, ids, _TABLE_LABELS.get(name, name))


def _retention_before_flush(session: Session, _context, _instances) -> None:  # type: ignore[no-untyped-def]
    _guard_archive_changes(session)
    if not session.deleted:
        return
    by_table: dict[object, list[object]] = {}
    for obj in list(session.deleted):
        state = inspect(obj)
        if state.identity is None:
            continue
        mapper = state.mapper
        table = mapper.local_table
        if table.name not in _TABLE_LABELS and table.name not in _WHOLE_LOG_TABLES:
            continue
        cols = mapper.primary_key
        by_table.setdefault(table, []).append(
            and_(*(col == v for col, v in zip(cols, state.identity, strict=True)))
        )
    for table, conditions in by_table.items():
        _guard_rows(session, table, or_(*conditions))


def _guard_archive_changes(session: Session) -> None:
    """An archive's retention cannot be shortened, nor a sitting taken out of the archived state."""
    for obj in list(session.dirty):
        if isinstance(obj, SittingArchive):
            state = inspect(obj)
            for key in ("archived_on", "paper_years", "electronic_years", "sitting_id"):
                hist = state.attrs[key].history
                if hist.deleted and hist.added and hist.deleted[0] != hist.added[0]:
                    raise StateError(
                        "档案的归档日期和保管年限归档后不能更改（002 第三十六条）。", rule=RETENTION_RULE
                    )
        elif isinstance(obj, ArchiveItem):
            hist = inspect(obj).attrs["retain_until"].history
            if hist.deleted and hist.added and hist.added[0] < hist.deleted[0]:
                raise StateError(
                    f"档案第 {obj.seq} 项的保管期不能缩短（002 第三十六条）。", rule=RETENTION_RULE
                )
            if inspect(obj).attrs["destroyed_on"].history.added and not session.info.get(DESTRUCTION):
                raise StateError(
                    "档案只能由系统管理员在档案页面写明原因办理销毁（002 第三十六条）。", rule=RETENTION_RULE
                )
        elif isinstance(obj, Sitting):
            hist = inspect(obj).attrs["state"].history
            if hist.deleted and hist.deleted[0] == "archived" and hist.added and hist.added[0] != "archived":
                raise StateError(
                    f"认定批次 {obj.code} 已归档，不能退回之前的状态（002 第三十六条）。", rule=RETENTION_RULE
                )


_SQL_DELETE = re.compile(r"^\s*(delete\s+from|truncate(\s+table)?|drop\s+table)\s+[\"`]?(\w+)", re.IGNORECASE)
_PROTECTED_UPDATES = {"sitting_archive", "archive_item"}


def _retention_orm_execute(state: ORMExecuteState) -> None:
    stmt = state.statement
    if isinstance(stmt, Select):
        return
    session = state.session
    if isinstance(stmt, Delete):
        _guard_rows(session, stmt.table, stmt.whereclause)
    elif isinstance(stmt, Update):
        if stmt.table.name in _PROTECTED_UPDATES:
            raise StateError(
                "档案目录只能通过归档和销毁办理，不能批量修改（002 第三十六条）。", rule=RETENTION_RULE
            )
    elif isinstance(stmt, TextClause):
        match = _SQL_DELETE.match(stmt.text)
        if match:
            from jlexam.store.models import Base

            name = match.group(3).lower()
            table = Base.metadata.tables.get(name)
            if table is not None:
                _guard_rows(session, table, None)  # every row of the table: refused if any is kept


if not event.contains(Session, "before_flush", _retention_before_flush):
    event.listen(Session, "before_flush", _retention_before_flush)
    event.listen(Session, "do_orm_execute", _retention_orm_execute)
