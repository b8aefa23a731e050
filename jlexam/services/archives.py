"""Archives of sittings (档案管理, 002 §34-36) and the confidential archive package (002 §31-33).

- ``mark_reported``: a certified sitting becomes *reported* once every valid certificate is in an upload
  batch registered as uploaded (002 §28).
- ``archive_sitting``: a reported sitting is archived: an index of every document and record, each paper or
  electronic, with its retention date (paper >= 3, electronic >= 5 years from the archive date, 002 §36) and
  where the paper original is kept.
- ``write_package``: one signed ZIP per sitting (``jlexam.exchange.archive_package``) with the index and every
  electronic document. It holds personal data and the pre-sitting arrangement, so only the roles holding
  ``archive.export`` may write it and every export is audited (002 §31). ID numbers in it are masked; item
  writers' identities are never in it (002 §33).
- ``destroy_items``: nothing in retention can be destroyed, by any role; after it, only an administrator with a
  reason, audited.

Dates are Beijing dates taken from the clock (``clock``), never from the caller: a caller could otherwise
shorten a retention period by naming a date.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jlexam.domain.china_time import china_date, china_time
from jlexam.domain.custody import EventKind
from jlexam.domain.levels import SkillLevel
from jlexam.domain.retention import (
    Medium,
    check_destruction,
    retain_until,
    retention_status,
    retention_years,
)
from jlexam.domain.sitting_state import SittingState
from jlexam.domain.stock_ledger import EntryKind
from jlexam.errors import NotFound, StateError, ValidationError
from jlexam.exchange.archive_package import (
    INDEX,
    ArchiveInfo,
    PackageFile,
    build_archive_package,
    safe_name,
)
from jlexam.security.roles import Role
from jlexam.services.base import Actor, UnitOfWork, query, require, use_case, utcnow
from jlexam.services.retention_guard import DESTRUCTION, check_retention
from jlexam.services.sittings import get_sitting
from jlexam.services.staffing import STAFF_ROLES
from jlexam.store.models import (
    Application,
    ApplicationEvidence,
    ArchiveItem,
    AuditEvent,
    Briefing,
    Candidate,
    Certificate,
    CheckIn,
    CustodyEvent,
    ExamSession,
    Institution,
    MarkerAssignment,
    Objection,
    Occupation,
    PaperPacket,
    Publicity,
    Room,
    RoomEvent,
    Score,
    ScoreChange,
    ScoreEntry,
    SeatAssignment,
    Sitting,
    SittingArchive,
    StaffAssignment,
    StaffChange,
    StaffMember,
    StockLedgerEntry,
    Ticket,
    UploadBatch,
    UploadBatchItem,
)

clock: Callable[[], datetime] = utcnow  # tests move it to show what happens after a retention period
ELECTRONIC_HOME = "jlexam 数据库及档案包"
# 002 §33: item writers' identities are never exported, whatever a registry may one day call them.
ITEM_WRITER_ROLES = frozenset({"item_writer", "question_writer", "命题专家", "命题人员"})
REPORTED_STATUSES = ("uploaded", "acknowledged")


def today() -> date:
    """Today's Beijing date by the clock."""
    return china_date(clock())


# --- reported -------------------------------------------------------------------------------------------
def _sitting_certificates(s: Session, sitting: Sitting) -> list[Certificate]:
    return list(
        s.scalars(
            select(Certificate)
            .join(Application, Certificate.application_id == Application.id)
            .where(Application.sitting_id == sitting.id)
            .order_by(Certificate.number)
        )
    )


def _sitting_batches(s: Session, certs: Sequence[Certificate]) -> list[UploadBatch]:
    ids = [c.id for c in certs]
    if not ids:
        return []
    return list(
        s.scalars(
            select(UploadBatch)
            .where(
                UploadBatch.id.in_(
                    select(UploadBatchItem.batch_id).where(UploadBatchItem.certificate_id.in_(ids))
                )
            )
            .order_by(UploadBatch.created_at)
        )
    )


def report_blockers(s: Session, sitting: Sitting) -> list[str]:
    """Why the sitting cannot be marked reported yet ([] when it can)."""
    if SittingState(sitting.state) is not SittingState.CERTIFIED:
        return [f"认定批次当前为“{SittingState(sitting.state).label}”，发证后才能登记上报完成。"]
    return unreported_problems(s, sitting)


def unreported_problems(s: Session, sitting: Sitting) -> list[str]:
    """Valid certificates of the sitting not in an uploaded batch, e.g. a correction made after the report
    (002 §28, §30: a corrected certificate is reported again)."""
    certs = [c for c in _sitting_certificates(s, sitting) if c.status == "valid"]
    if not certs:
        return ["本批次没有有效证书。"]
    uploaded = set(
        s.scalars(
            select(UploadBatchItem.certificate_id)
            .join(UploadBatch, UploadBatch.id == UploadBatchItem.batch_id)
            .where(UploadBatch.status.in_(REPORTED_STATUSES))
        )
    )
    missing = [c.number for c in certs if c.id not in uploaded]
    if missing:
        return [
            f"还有 {len(missing)} 本有效证书不在已上报的批次中（如 {missing[0]}）：请生成上报批次、上报并登记回执"
            "（002 第二十八条）。"
        ]
    return []


@use_case("upload.manage")
def mark_reported(uow: UnitOfWork, sitting_code: str) -> None:
    """The sitting's results and certificates are all on the national platform (002 §28)."""
    sitting = get_sitting(uow.session, sitting_code)
    blockers = report_blockers(uow.session, sitting)
    if blockers:
        raise StateError(
            f"认定批次 {sitting.code} 还不能登记为已上报：" + "；".join(blockers), rule="002 §28"
        )
    sitting.state = SittingState.REPORTED.value
    uow.audit("sitting.reported", "sitting", sitting.code, "证书数据均已上报并登记回执")


# --- the index ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Spec:
    category: str
    title: str
    medium: Medium
    records: int
    reference: str = ""
    file_name: str = ""


CATEGORY_LABELS = {
    "announcement": "认定公告",
    "roster": "报名与资格审核",
    "evidence": "资格证明材料",
    "seating": "考场编排",
    "staff": "考务人员与培训",
    "custody": "试卷流转",
    "checkin": "签到与考场记录",
    "scores": "成绩",
    "publicity": "公示与异议",
    "certificates": "证书与台账",
    "uploads": "数据上报",
    "audit": "审计日志",
}


def _count(s: Session, stmt) -> int:  # type: ignore[no-untyped-def]
    return int(s.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


def _app_ids(sitting: Sitting):  # type: ignore[no-untyped-def]
    return select(Application.id).where(Application.sitting_id == sitting.id)


def _session_ids(sitting: Sitting):  # type: ignore[no-untyped-def]
    return select(ExamSession.id).where(ExamSession.sitting_id == sitting.id)


def _evidence_name(ev: ApplicationEvidence) -> str:
    stem, _, ext = ev.filename.rpartition(".")
    ext = safe_name(ext, "bin")[:8].lower() if stem else "bin"
    return f"evidence/A{ev.application_id}-E{ev.id}-{safe_name(ev.kind, 'other')}.{ext}"


def _specs(s: Session, sitting: Sitting) -> list[_Spec]:
    """Every document and record of the sitting, as index lines (issue 9's list, in the sitting's order)."""
    apps, sessions = _app_ids(sitting), _session_ids(sitting)
    n_apps = _count(s, select(Application.id).where(Application.sitting_id == sitting.id))
    n_seats = _count(s, select(SeatAssignment.id).where(SeatAssignment.session_id.in_(sessions)))
    n_staff = _count(s, select(StaffAssignment.id).where(StaffAssignment.session_id.in_(sessions)))
    n_staff += _count(s, select(MarkerAssignment.id).where(MarkerAssignment.session_id.in_(sessions)))
    n_changes = _count(s, select(StaffChange.id).where(StaffChange.sitting_id == sitting.id))
    n_brief = _count(s, select(Briefing.id).where(Briefing.sitting_id == sitting.id))
    packets = select(PaperPacket.id).where(PaperPacket.sitting_id == sitting.id)
    n_packets = _count(s, packets)
    n_custody = _count(s, select(CustodyEvent.id).where(CustodyEvent.packet_id.in_(packets)))
    n_checkins = _count(s, select(CheckIn.id).where(CheckIn.session_id.in_(sessions)))
    n_events = _count(s, select(RoomEvent.id).where(RoomEvent.session_id.in_(sessions)))
    n_entries = _count(s, select(ScoreEntry.id).where(ScoreEntry.application_id.in_(apps)))
    n_scores = _count(s, select(Score.id).where(Score.application_id.in_(apps)))
    n_publicity = _count(s, select(Publicity.id).where(Publicity.sitting_id == sitting.id))
    n_objections = _count(s, select(Objection.id).where(Objection.sitting_id == sitting.id))
    certs = _sitting_certificates(s, sitting)
    batches = _sitting_batches(s, certs)
    n_ledger = len(_ledger(s, sitting))
    E, P = Medium.ELECTRONIC, Medium.PAPER
    specs = [
        _Spec("announcement", "认定公告（002 第十五条）", E, 1, "sitting", "documents/announcement.pdf"),
        _Spec("roster", "报名名单及资格审核记录", E, n_apps, "application", "records/applications.csv"),
        _Spec("roster", "报名表及资格证明材料原件", P, n_apps, "application"),
    ]
    for ev in s.scalars(
        select(ApplicationEvidence)
        .where(ApplicationEvidence.application_id.in_(apps))
        .order_by(ApplicationEvidence.application_id, ApplicationEvidence.id)
    ):
        specs.append(
            _Spec(
                "evidence",
                f"资格证明材料 {ev.filename}（报名 {ev.application_id}，{ev.kind}）"[:300],
                E,
                1,
                f"application_evidence:{ev.id}",
                _evidence_name(ev),
            )
        )
    specs += [
        _Spec("seating", "考场编排及准考证号", E, n_seats, "seat_assignment", "records/seat-plan.csv"),
        _Spec("seating", "考场座次表（张贴稿）", P, n_seats, "seat_assignment"),
        _Spec("staff", "考务人员安排及变更", E, n_staff + n_changes, "staff_assignment", "records/staff.csv"),
        _Spec("staff", "考务培训记录（002 第二十三条）", E, n_brief, "briefing", "records/briefings.csv"),
        _Spec("staff", "考务培训签到表", P, n_brief, "briefing"),
        _Spec("custody", "试卷流转记录（哈希链）", E, n_custody, "custody_event", "records/custody-log.csv"),
        _Spec("custody", "试卷交接登记表及密封签", P, n_packets, "paper_packet"),
        _Spec("checkin", "考生签到记录", E, n_checkins, "check_in", "records/check-ins.csv"),
        _Spec(
            "checkin",
            "考场记录（缺考、违纪、突发事件）",
            E,
            n_events,
            "room_event",
            "records/room-events.csv",
        ),
        _Spec("checkin", "考生签到表及考场记录表（监考员签字）", P, n_checkins + n_events, "check_in"),
        _Spec(
            "scores", "成绩双人录入、核对及更正记录", E, n_entries + n_scores, "score", "records/scores.csv"
        ),
        _Spec("scores", "答卷、评分记录表", P, n_scores, "score"),
        _Spec("publicity", "成绩公示名单", E, n_publicity, "publicity", "documents/publicity.pdf"),
        _Spec("publicity", "成绩公示名单（表格）", E, n_publicity, "publicity", "documents/publicity.xlsx"),
        _Spec("publicity", "异议登记及答复记录", E, n_objections, "objection", "records/objections.csv"),
        _Spec("publicity", "异议书面材料及答复书", P, n_objections, "objection"),
        _Spec("certificates", "证书发放记录", E, len(certs), "certificate", "records/certificates.csv"),
        _Spec(
            "certificates",
            "空白证书台账（本批次期间）",
            E,
            n_ledger,
            "stock_ledger",
            "records/stock-ledger.csv",
        ),
        _Spec("certificates", "证书领取签收表、空白证书台账原件", P, len(certs) + n_ledger, "certificate"),
        _Spec("uploads", "数据上报批次及回执", E, len(batches), "upload_batch", "records/upload-batches.csv"),
        _Spec(
            "audit", "审计日志摘录（本批次）", E, len(_audit(s, sitting)), "audit_event", "records/audit.csv"
        ),
    ]
    return specs


def _ledger(s: Session, sitting: Sitting) -> list[StockLedgerEntry]:
    """Ledger lines from the sitting's start to its archive (the ledger is the institution's, not the sitting's)."""
    start = sitting.starts_on or china_date(sitting.created_at)
    rows = s.scalars(select(StockLedgerEntry).order_by(StockLedgerEntry.at, StockLedgerEntry.id))
    return [r for r in rows if china_date(r.at) >= start]


@dataclass(frozen=True)
class ArchiveItemView:
    seq: int
    category: str
    category_label: str
    title: str
    medium: Medium
    records: int
    file_name: str
    location: str
    retain_until: date
    in_retention: bool
    status: str  # Chinese
    destroyed_on: date | None
    destroyed_by: str | None
    destruction_reason: str


@dataclass(frozen=True)
class ArchiveView:
    sitting_code: str
    sitting_name: str
    archived_on: date
    archived_by: str
    paper_location: str
    paper_until: date
    electronic_until: date
    package_file: str
    package_sha256: str
    items: tuple[ArchiveItemView, ...]


def _item_view(item: ArchiveItem, day: date) -> ArchiveItemView:
    status = retention_status(item.retain_until, day)
    label = f"已销毁（{item.destroyed_on:%Y-%m-%d}）" if item.destroyed_on else status.label
    return ArchiveItemView(
        item.seq,
        item.category,
        CATEGORY_LABELS.get(item.category, item.category),
        item.title,
        Medium(item.medium),
        item.records,
        item.file_name,
        item.location,
        item.retain_until,
        status.in_retention,
        label,
        item.destroyed_on,
        item.destroyed_by,
        item.destruction_reason,
    )


def _archive_view(s: Session, sitting: Sitting, archive: SittingArchive, day: date) -> ArchiveView:
    return ArchiveView(
        sitting.code,
        sitting.name,
        archive.archived_on,
        archive.archived_by,
        archive.paper_location,
        retain_until(archive.archived_on, Medium.PAPER, archive.paper_years),
        retain_until(archive.archived_on, Medium.ELECTRONIC, archive.electronic_years),
        archive.package_file,
        archive.package_sha256,
        tuple(_item_view(i, day) for i in archive.items),
    )


def _archive(s: Session, sitting: Sitting) -> SittingArchive:
    archive = s.scalar(select(SittingArchive).where(SittingArchive.sitting_id == sitting.id))
    if archive is None:
        raise NotFound(f"认定批次 {sitting.code} 尚未归档。")
    return archive


@use_case("archive.manage")
def archive_sitting(
    uow: UnitOfWork,
    sitting_code: str,
    paper_location: str,
    paper_years: int | None = None,
    electronic_years: int | None = None,
) -> ArchiveView:
    """Archive a reported sitting: its index, each line with its medium, retention date and location."""
    s = uow.session
    sitting = get_sitting(s, sitting_code)
    if SittingState(sitting.state) is not SittingState.REPORTED:
        raise StateError(
            f"认定批次 {sitting.code} 当前为“{SittingState(sitting.state).label}”：证书数据上报完成"
            "（已上报）后才能归档。",
            rule="002 §34",
        )
    unreported = unreported_problems(s, sitting)
    if unreported:  # a certificate corrected or reissued after the report is reported before archiving
        raise StateError("；".join(unreported), rule="002 §30")
    location = " ".join(paper_location.split())
    if not location:
        raise ValidationError(
            "请填写纸质档案的存放位置（如“档案室 2 号柜第 3 层”），以便查找原件（002 第三十五条）。"
        )
    p_years = retention_years(Medium.PAPER, paper_years)
    e_years = retention_years(Medium.ELECTRONIC, electronic_years)
    archived_on = today()
    archive = SittingArchive(
        sitting_id=sitting.id,
        archived_on=archived_on,
        archived_at=uow.now,
        archived_by=uow.actor.username,
        paper_location=location,
        paper_years=p_years,
        electronic_years=e_years,
    )
    s.add(archive)
    for seq, spec in enumerate(_specs(s, sitting), start=1):
        years = p_years if spec.medium is Medium.PAPER else e_years
        archive.items.append(
            ArchiveItem(
                seq=seq,
                category=spec.category,
                title=spec.title,
                medium=spec.medium.value,
                records=spec.records,
                reference=spec.reference,
                file_name=spec.file_name,
                location=location if spec.medium is Medium.PAPER else ELECTRONIC_HOME,
                retain_until=retain_until(archived_on, spec.medium, years),
            )
        )
    sitting.state = SittingState.ARCHIVED.value
    s.flush()
    uow.audit(
        "archive.create",
        "sitting",
        sitting.code,
        f"归档：{len(archive.items)} 项，纸质保管至 {retain_until(archived_on, Medium.PAPER, p_years):%Y-%m-%d}，"
        f"电子保管至 {retain_until(archived_on, Medium.ELECTRONIC, e_years):%Y-%m-%d}，纸质原件存放于 {location}",
    )
    return _archive_view(s, sitting, archive, archived_on)


@query("archive.view")
def archive_index(s: Session, actor: Actor, sitting_code: str) -> ArchiveView:
    sitting = get_sitting(s, sitting_code)
    return _archive_view(s, sitting, _archive(s, sitting), today())


@query("archive.view")
def list_archives(s: Session, actor: Actor) -> list[ArchiveView]:
    day = today()
    rows = s.execute(
        select(Sitting, SittingArchive)
        .join(SittingArchive, SittingArchive.sitting_id == Sitting.id)
        .order_by(SittingArchive.archived_on, Sitting.code)
    )
    return [_archive_view(s, sitting, archive, day) for sitting, archive in rows]


@dataclass(frozen=True)
class SittingArchiveStatus:
    """Where a sitting stands on the way to its archive, for the archive page."""

    code: str
    name: str
    state: str
    state_label: str
    report_blockers: tuple[str, ...]  # why it cannot be marked reported yet (certified sittings only)
    archived: bool


@query("archive.view")
def archive_status(s: Session, actor: Actor, sitting_code: str) -> SittingArchiveStatus:
    sitting = get_sitting(s, sitting_code)
    state = SittingState(sitting.state)
    blockers = tuple(report_blockers(s, sitting)) if state is SittingState.CERTIFIED else ()
    archived = s.scalar(select(SittingArchive.id).where(SittingArchive.sitting_id == sitting.id)) is not None
    return SittingArchiveStatus(sitting.code, sitting.name, state.value, state.label, blockers, archived)


def ensure_deletable(s: Session, sitting_id: int, what: str) -> None:
    """Refuse, with the reason, a deletion of a sitting's records that the retention guard would refuse.

    The guard itself (``jlexam.services.base``, on every session's flush and bulk delete) enforces this on every
    delete path; this lets a service or window ask first and explain.
    """
    check_retention(s, {sitting_id}, what)


@use_case("archive.destroy")
def destroy_items(uow: UnitOfWork, sitting_code: str, seqs: Sequence[int], reason: str) -> int:
    """Destroy index lines whose retention period is over: admin only, with a reason, each audited.

    Paper lines record that the originals were destroyed; electronic evidence files are deleted from the
    database. Other electronic records stay in the database (certificates must stay verifiable) and the line is
    marked destroyed, so later packages leave them out.
    """
    s = uow.session
    sitting = get_sitting(s, sitting_code)
    archive = _archive(s, sitting)
    by_seq = {i.seq: i for i in archive.items}
    wanted = list(dict.fromkeys(seqs))
    if not wanted:
        raise ValidationError("请选择要销毁的档案条目。")
    unknown = [n for n in wanted if n not in by_seq]
    if unknown:
        raise NotFound(f"认定批次 {sitting.code} 的档案目录中没有第 {unknown[0]} 项。")
    day = today()
    is_admin = Role.ADMIN in uow.actor.roles
    items = [by_seq[n] for n in wanted]
    cleaned = ""
    for item in items:  # every line is checked before any is destroyed
        if item.destroyed_on is not None:
            raise StateError(f"第 {item.seq} 项“{item.title}”已于 {item.destroyed_on:%Y-%m-%d} 销毁。")
        cleaned = check_destruction(
            title=f"第 {item.seq} 项 {item.title}",
            medium=item.medium,
            until=item.retain_until,
            today=day,
            is_admin=is_admin,
            reason=reason,
        )
    s.info[DESTRUCTION] = (uow.actor.username, cleaned)  # the retention guard lets this destruction through
    for item in items:
        if item.reference.startswith("application_evidence:"):
            evidence = s.get(ApplicationEvidence, int(item.reference.split(":", 1)[1]))
            if evidence is not None:
                s.delete(evidence)
        item.destroyed_on, item.destroyed_by, item.destruction_reason = day, uow.actor.username, cleaned
        uow.audit(
            "archive.destroy",
            "archive_item",
            f"{sitting.code}#{item.seq}",
            f"销毁{Medium(item.medium).label}档案第 {item.seq} 项“{item.title}”（保管期至 "
            f"{item.retain_until:%Y-%m-%d}）：{cleaned}",
        )
    return len(items)


# --- the package ----------------------------------------------------------------------------------------
def _csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else _cell(v) for v in row])
    return text.getvalue().encode("utf-8-sig")


def _cell(value: object) -> str:
    if isinstance(value, datetime):
        return china_time(value).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


# The records are for people reading the archive years later: stored codes are written in Chinese.
CODE_LABELS = {
    "male": "男",
    "female": "女",
    "eligible": "符合",
    "ineligible": "不符合",
    "pending": "待审核",
    "approved": "通过",
    "rejected": "不通过",
    "passed": "合格",
    "failed": "不合格",
    "absent": "缺考",
    "theory": "理论知识考试",
    "practical": "操作技能考核",
    "review": "综合评审",
    "scan": "扫码",
    "manual": "人工",
    "misconduct": "违纪",
    "incident": "突发事件",
    "original": "首次发证",
    "reissue": "补发",
    "correction": "更正",
    "valid": "有效",
    "replaced": "已替换",
    "voided": "已作废",
    "exported": "已生成、待上报",
    "uploaded": "已上报",
    "acknowledged": "平台已确认",
}


def _zh(value: object) -> object:
    """A stored code in Chinese (the code itself when it has no label)."""
    return CODE_LABELS.get(value, value) if isinstance(value, str) else value


def _label(enum, value: str) -> str:  # type: ignore[no-untyped-def]
    try:
        return enum(value).label
    except ValueError:
        return value


def _level(value: int | None) -> str:
    return SkillLevel(value).written if value else ""


def _records(s: Session, sitting: Sitting, archive: SittingArchive) -> dict[str, bytes]:
    """The CSV records of the package, by file name: masked ID numbers, no phone numbers, no item writers."""
    apps_q = _app_ids(sitting)
    sessions_q = _session_ids(sitting)
    names = {o.code: o.name for o in s.scalars(select(Occupation))}
    apps = {
        a.id: (a, c)
        for a, c in s.execute(
            select(Application, Candidate)
            .join(Candidate, Candidate.id == Application.candidate_id)
            .where(Application.sitting_id == sitting.id)
            .order_by(Application.id)
        )
    }
    sessions = {x.id: x for x in s.scalars(select(ExamSession).where(ExamSession.sitting_id == sitting.id))}
    rooms = {r.id: r.name for r in s.scalars(select(Room))}

    def who(app_id: int | None) -> tuple[str, str]:
        if app_id is None or app_id not in apps:
            return "", ""
        return apps[app_id][1].name, apps[app_id][1].id_number_masked

    def part_of(session_id: int) -> str:
        x = sessions.get(session_id)
        return f"{_zh(x.part)} {china_time(x.starts_at):%Y-%m-%d %H:%M}" if x else str(session_id)

    out: dict[str, bytes] = {}
    out["records/applications.csv"] = _csv_bytes(
        [
            "报名号",
            "姓名",
            "证件号码（脱敏）",
            "性别",
            "学历",
            "工作单位",
            "专业",
            "毕业年份",
            "职业编码",
            "职业",
            "工种",
            "等级",
            "从业年限",
            "原等级",
            "资格核验",
            "核验说明",
            "审核结论",
            "审核意见",
            "破格",
            "审核人",
            "审核时间",
            "收费（元）",
            "减免",
            "结果",
        ],
        [
            (
                a.id,
                c.name,
                c.id_number_masked,
                _zh(c.sex),
                c.education,
                c.employer,
                c.major,
                c.graduation_year,
                a.occupation_code,
                names.get(a.occupation_code, ""),
                a.work_type or "--",
                _level(a.level),
                a.years_in_occupation,
                _level(a.prior_level),
                _zh(a.eligibility),
                a.eligibility_summary,
                _zh(a.decision),
                a.decision_reason,
                a.decision_override,
                a.decided_by,
                a.decided_at,
                f"{a.fee_cents / 100:.2f}",
                a.fee_waived,
                _zh(a.result),
            )
            for a, c in apps.values()
        ],
    )
    tickets = {
        t.application_id: t.number for t in s.scalars(select(Ticket).where(Ticket.application_id.in_(apps_q)))
    }
    out["records/seat-plan.csv"] = _csv_bytes(
        ["场次", "考场", "座号", "行", "列", "报名号", "姓名", "证件号码（脱敏）", "准考证号"],
        [
            (
                part_of(a.session_id),
                rooms.get(a.room_id, ""),
                a.seat_number,
                a.seat_row,
                a.seat_column,
                a.application_id,
                *who(a.application_id),
                tickets.get(a.application_id, ""),
            )
            for a in s.scalars(
                select(SeatAssignment)
                .where(SeatAssignment.session_id.in_(sessions_q))
                .order_by(SeatAssignment.session_id, SeatAssignment.room_id, SeatAssignment.seat_number)
            )
        ],
    )
    staff = {m.id: m for m in s.scalars(select(StaffMember))}
    hidden = {i for i, m in staff.items() if set(m.roles.split("|")) & ITEM_WRITER_ROLES}
    staff_rows: list[Sequence[object]] = [
        (
            part_of(a.session_id),
            rooms.get(a.room_id or 0, ""),
            staff[a.staff_id].name,
            STAFF_ROLES.get(a.duty, a.duty),
            staff[a.staff_id].certificate_number,
            a.assigned_at,
            "",
        )
        for a in s.scalars(
            select(StaffAssignment)
            .where(StaffAssignment.session_id.in_(sessions_q))
            .order_by(StaffAssignment.session_id, StaffAssignment.id)
        )
        if a.staff_id not in hidden
    ]
    staff_rows += [  # the markers chosen for each session (002 §25)
        (
            part_of(m.session_id),
            rooms.get(m.room_id or 0, "全部考场"),
            staff[m.staff_id].name,
            "阅卷评分",
            staff[m.staff_id].certificate_number,
            m.assigned_at,
            f"选配人 {m.assigned_by}",
        )
        for m in s.scalars(
            select(MarkerAssignment)
            .where(MarkerAssignment.session_id.in_(sessions_q))
            .order_by(MarkerAssignment.session_id, MarkerAssignment.id)
        )
        if m.staff_id not in hidden
    ]
    staff_rows += [
        ("变更", "", c.description, "", "", c.at, f"{c.reason}（批准：{c.approved_by}）")
        for c in s.scalars(
            select(StaffChange).where(StaffChange.sitting_id == sitting.id).order_by(StaffChange.at)
        )
    ]
    out["records/staff.csv"] = _csv_bytes(
        ["场次", "考场", "姓名", "职责", "证书编号", "安排时间", "说明"], staff_rows
    )
    out["records/briefings.csv"] = _csv_bytes(
        ["时间", "地点", "内容", "参加人员"],
        [
            (
                b.held_at,
                b.place,
                b.notes,
                "、".join(
                    staff[int(i)].name
                    for i in b.attendees.split("|")
                    if i.isdigit() and int(i) in staff and int(i) not in hidden
                ),
            )
            for b in s.scalars(
                select(Briefing).where(Briefing.sitting_id == sitting.id).order_by(Briefing.held_at)
            )
        ],
    )
    packets = {p.id: p for p in s.scalars(select(PaperPacket).where(PaperPacket.sitting_id == sitting.id))}
    out["records/custody-log.csv"] = _csv_bytes(
        [
            "试卷袋",
            "试卷代码",
            "版本",
            "序号",
            "环节",
            "时间",
            "地点",
            "来自",
            "人员",
            "见证人",
            "封签号",
            "份数",
            "备注",
            "登记人",
            "登记时间",
            "前一哈希",
            "哈希",
        ],
        [
            (
                packets[e.packet_id].code,
                packets[e.packet_id].paper_code,
                packets[e.packet_id].paper_version,
                e.seq,
                _label(EventKind, e.kind),
                e.at,
                e.place,
                e.from_place,
                e.persons,
                e.witnesses,
                e.seal_number,
                e.copies,
                e.note,
                e.recorded_by,
                e.recorded_at,
                e.prev_hash,
                e.hash,
            )
            for e in s.scalars(
                select(CustodyEvent)
                .where(CustodyEvent.packet_id.in_(list(packets)))
                .order_by(CustodyEvent.packet_id, CustodyEvent.seq)
            )
        ],
    )
    out["records/check-ins.csv"] = _csv_bytes(
        ["场次", "报名号", "姓名", "证件号码（脱敏）", "签到时间", "方式", "人工签到原因", "登记人"],
        [
            (
                part_of(c.session_id),
                c.application_id,
                *who(c.application_id),
                c.at,
                _zh(c.method),
                c.reason,
                c.recorded_by,
            )
            for c in s.scalars(select(CheckIn).where(CheckIn.session_id.in_(sessions_q)).order_by(CheckIn.at))
        ],
    )
    out["records/room-events.csv"] = _csv_bytes(
        ["场次", "考场", "类别", "报名号", "姓名", "情况", "监考员签字", "时间", "登记人"],
        [
            (
                part_of(e.session_id),
                rooms.get(e.room_id, ""),
                _zh(e.kind),
                e.application_id,
                who(e.application_id)[0],
                e.description,
                e.signed_by,
                e.at,
                e.recorded_by,
            )
            for e in s.scalars(
                select(RoomEvent).where(RoomEvent.session_id.in_(sessions_q)).order_by(RoomEvent.at)
            )
        ],
    )
    score_rows: list[Sequence[object]] = [
        (
            "录入",
            e.application_id,
            who(e.application_id)[0],
            _zh(e.part),
            e.round,
            e.mark,
            "",
            e.entered_by,
            e.entered_at,
        )
        for e in s.scalars(
            select(ScoreEntry)
            .where(ScoreEntry.application_id.in_(apps_q))
            .order_by(ScoreEntry.application_id)
        )
    ]
    scores = list(
        s.scalars(select(Score).where(Score.application_id.in_(apps_q)).order_by(Score.application_id))
    )
    score_rows += [
        (
            "锁定",
            x.application_id,
            who(x.application_id)[0],
            _zh(x.part),
            "",
            x.mark,
            f"核定人 {x.settled_by}" if x.settled_by else "",
            "",
            x.locked_at,
        )
        for x in scores
    ]
    by_score = {x.id: x for x in scores}
    score_rows += [
        (
            "更正",
            by_score[c.score_id].application_id,
            who(by_score[c.score_id].application_id)[0],
            _zh(by_score[c.score_id].part),
            "",
            f"{c.old_mark} → {c.new_mark}",
            c.reason,
            c.changed_by,
            c.changed_at,
        )
        for c in s.scalars(select(ScoreChange).where(ScoreChange.score_id.in_(list(by_score))))
    ]
    out["records/scores.csv"] = _csv_bytes(
        ["类别", "报名号", "姓名", "科目", "轮次", "成绩", "说明", "操作人", "时间"], score_rows
    )
    out["records/objections.csv"] = _csv_bytes(
        [
            "编号",
            "提出人",
            "报名号",
            "收到日期",
            "答复期限",
            "事项",
            "复核情况",
            "答复结果",
            "答复日期",
            "答复人",
        ],
        [
            (
                o.id,
                o.raised_by,
                o.application_id,
                o.received_on,
                o.due_on,
                o.subject,
                o.recheck_summary,
                o.outcome,
                o.answered_on,
                o.answered_by,
            )
            for o in s.scalars(
                select(Objection).where(Objection.sitting_id == sitting.id).order_by(Objection.id)
            )
        ],
    )
    certs = _sitting_certificates(s, sitting)
    out["records/certificates.csv"] = _csv_bytes(
        [
            "证书编号",
            "姓名",
            "证件号码（脱敏）",
            "职业编码",
            "职业",
            "工种",
            "等级",
            "发证日期",
            "类别",
            "状态",
            "替代证书",
            "空白证书编号",
            "说明",
            "经办人",
        ],
        [
            (
                c.number,
                c.name,
                c.id_number_masked,
                c.occupation_code,
                names.get(c.occupation_code, ""),
                c.work_type or "--",
                _level(c.level),
                c.issue_date,
                _zh(c.kind),
                _zh(c.status),
                next((x.number for x in certs if x.id == c.replaces_id), ""),
                c.blank_serial,
                c.reason,
                c.created_by,
            )
            for c in certs
        ],
    )
    out["records/stock-ledger.csv"] = _csv_bytes(
        ["类别", "时间", "保管人", "经手人", "起始编号", "终止编号", "原因", "盘点数", "登记人"],
        [
            (
                _label(EntryKind, e.kind),
                e.at,
                e.custodian,
                e.handler,
                e.first_serial,
                e.last_serial,
                e.reason,
                e.counted,
                e.recorded_by,
            )
            for e in _ledger(s, sitting)
        ],
    )
    batches = _sitting_batches(s, certs)
    out["records/upload-batches.csv"] = _csv_bytes(
        [
            "批次编号",
            "文件名",
            "SHA-256",
            "证书数",
            "最早发证日期",
            "上报截止日期",
            "暂定",
            "状态",
            "回执编号",
            "上报日期",
            "确认日期",
            "生成人",
            "生成时间",
        ],
        [
            (
                b.batch_id,
                b.file_name,
                b.sha256,
                b.count,
                b.earliest_issue,
                b.deadline,
                b.deadline_provisional,
                _zh(b.status),
                b.receipt_number,
                b.uploaded_on,
                b.acknowledged_on,
                b.created_by,
                b.created_at,
            )
            for b in batches
        ],
    )
    out["records/audit.csv"] = _csv_bytes(
        ["序号", "时间", "用户", "操作", "对象", "对象编号", "摘要", "哈希"],
        [
            (e.seq, e.at, e.username, e.action, e.entity, e.entity_id, e.summary, e.hash)
            for e in _audit(s, sitting)
        ],
    )
    return out


def _audit(s: Session, sitting: Sitting) -> list[AuditEvent]:
    """The audit events about this sitting and its applications, candidates, packets, certificates, batches."""
    apps = s.execute(
        select(Application.id, Application.candidate_id).where(Application.sitting_id == sitting.id)
    )
    certs = _sitting_certificates(s, sitting)
    keys = {("sitting", sitting.code)}
    for app_id, candidate_id in apps:
        keys |= {("application", str(app_id)), ("candidate", str(candidate_id))}
    keys |= {
        ("paper_packet", code)
        for code in s.scalars(select(PaperPacket.code).where(PaperPacket.sitting_id == sitting.id))
    }
    keys |= {("certificate", c.number) for c in certs}
    keys |= {("upload_batch", b.batch_id) for b in _sitting_batches(s, certs)}
    keys |= {
        ("objection", str(o))
        for o in s.scalars(select(Objection.id).where(Objection.sitting_id == sitting.id))
    }
    keys |= {("exam_session", str(i)) for i in s.scalars(_session_ids(sitting))}
    events = s.scalars(select(AuditEvent).order_by(AuditEvent.seq)).yield_per(2000)
    return [
        e for e in events if (e.entity, e.entity_id) in keys or e.entity_id.startswith(f"{sitting.code}#")
    ]


INDEX_HEADERS = [
    "序号",
    "类别",
    "名称",
    "载体",
    "数量",
    "档案包内文件",
    "保管期至",
    "原件存放位置",
    "状态",
    "销毁原因",
]


def _index_bytes(view: ArchiveView, included: set[str]) -> bytes:
    return _csv_bytes(
        INDEX_HEADERS,
        [
            (
                i.seq,
                i.category_label,
                i.title,
                i.medium.label,
                i.records,
                i.file_name
                if i.file_name in included
                else ("" if i.medium is Medium.PAPER else "（未随包）"),
                i.retain_until,
                i.location,
                i.status,
                i.destruction_reason,
            )
            for i in view.items
        ],
    )


def write_package(actor: Actor, sitting_code: str, out: Path) -> ArchiveInfo:
    """Write the signed archive package of an archived sitting to ``out`` (atomically); audited as an export.

    The announcement and the publicity list are regenerated by their own use cases (each audited); the records
    are written from the database; the ZIP is built from a temporary folder and renamed into place.
    """
    require(actor, "archive.export")
    from jlexam.services import announcement, publicity

    with tempfile.TemporaryDirectory(prefix="jlexam-archive-") as tmp:
        folder = Path(tmp)
        for sub in ("documents", "records", "evidence"):
            (folder / sub).mkdir()
        with actor.db.reading() as s:
            sitting = get_sitting(s, sitting_code)
            _archive(s, sitting)  # refuses an unarchived sitting before anything is generated
            has_publicity = s.scalar(select(Publicity.id).where(Publicity.sitting_id == sitting.id).limit(1))
        generated: set[str] = set()
        announcement.write_announcement(actor, sitting_code, folder / "documents/announcement.pdf")
        generated.add("documents/announcement.pdf")
        if has_publicity:
            publicity.write_publicity_list(
                actor, sitting_code, folder / "documents/publicity.pdf", folder / "documents/publicity.xlsx"
            )
            generated |= {"documents/publicity.pdf", "documents/publicity.xlsx"}
        return _package(actor, sitting_code, Path(out), folder, generated)


@use_case("archive.export")
def _package(uow: UnitOfWork, sitting_code: str, out: Path, folder: Path, generated: set[str]) -> ArchiveInfo:
    s = uow.session
    sitting = get_sitting(s, sitting_code)
    archive = _archive(s, sitting)
    inst = s.scalar(select(Institution))
    if inst is None:
        raise StateError("尚未登记机构信息，不能生成档案包。")
    view = _archive_view(s, sitting, archive, today())
    for name, data in _records(s, sitting, archive).items():
        (folder / name).write_bytes(data)
        generated.add(name)
    for item in archive.items:
        if item.destroyed_on is None and item.reference.startswith("application_evidence:"):
            evidence = s.get(ApplicationEvidence, int(item.reference.split(":", 1)[1]))
            if evidence is not None:
                (folder / item.file_name).write_bytes(evidence.content)
                generated.add(item.file_name)
    included = {i.file_name for i in view.items if i.file_name and i.destroyed_on is None} & generated
    (folder / INDEX).write_bytes(_index_bytes(view, included))
    titles = {i.file_name: i.title for i in view.items if i.file_name}
    files = [PackageFile(INDEX, folder / INDEX, "档案目录")]
    files += [PackageFile(name, folder / name, titles.get(name, name)) for name in sorted(included)]
    moment = china_time(uow.now)
    archive_id = f"{inst.credit_code}-{safe_name(sitting.code, 'sitting')}-{moment:%Y%m%d%H%M%S}"
    info = build_archive_package(
        files,
        archive_id=archive_id,
        institution_name=inst.name,
        credit_code=inst.credit_code,
        sitting={
            "code": sitting.code,
            "name": sitting.name,
            "starts_on": sitting.starts_on.isoformat() if sitting.starts_on else None,
            "ends_on": sitting.ends_on.isoformat() if sitting.ends_on else None,
        },
        archived_on=archive.archived_on,
        paper_years=archive.paper_years,
        electronic_years=archive.electronic_years,
        private_key=uow.keys.signing_key(),
        out=out,
        created_at=uow.now,
    )
    archive.package_file, archive.package_sha256, archive.package_at = out.name, info.sha256, uow.now
    evidence = sum(1 for f in files if f.name.startswith("evidence/"))
    uow.audit(
        "archive.export",
        "sitting",
        sitting.code,
        f"导出档案包 {out.name}（含考生个人信息和考务编排，证件号码已脱敏）：{len(files)} 个文件，"
        f"其中资格证明材料 {evidence} 份，SHA-256 {info.sha256[:16]}…",
    )
    return info


__all__ = [
    "ArchiveItemView",
    "ArchiveView",
    "SittingArchiveStatus",
    "archive_index",
    "archive_sitting",
    "archive_status",
    "destroy_items",
    "ensure_deletable",
    "list_archives",
    "mark_reported",
    "report_blockers",
    "today",
    "write_package",
]
