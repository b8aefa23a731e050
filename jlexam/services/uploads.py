"""Upload batches (数据上报, 002 §28): built and signed per DESIGN.md, due within 30 working days of issue."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from jlexam.domain.china_time import china_date
from jlexam.domain.idcard import Sex
from jlexam.domain.levels import SkillLevel
from jlexam.domain.scoring import is_number, mark_from_text
from jlexam.domain.standards import ExamPart
from jlexam.errors import NotFound, StateError, ValidationError
from jlexam.exchange.batch import BatchInfo, CertificateRecord, build_batch, load_profile
from jlexam.services.base import Actor, UnitOfWork, query, use_case
from jlexam.services.calendar import calendar_in
from jlexam.services.candidates import ID_CONTEXT, ID_TYPES
from jlexam.store.models import (
    Application,
    Candidate,
    Certificate,
    Institution,
    Occupation,
    Score,
    UploadBatch,
    UploadBatchItem,
)

UPLOAD_WORKING_DAYS = 30  # 002 §28
WARN_WORKING_DAYS = 10  # RULES.md: warn from 10 working days before the deadline


def _score(marks: dict[str, str], part: ExamPart) -> Decimal | None:
    text = marks.get(part.value)
    mark = mark_from_text(text) if text else None
    return mark if is_number(mark) else None


def _records(uow: UnitOfWork, certs: list[Certificate], inst: Institution) -> list[CertificateRecord]:
    s = uow.session
    names = {o.code: o.name for o in s.scalars(select(Occupation))}
    records = []
    for cert in certs:
        app = s.get(Application, cert.application_id)
        cand = s.get(Candidate, app.candidate_id)
        marks = {sc.part: sc.mark for sc in s.scalars(select(Score).where(Score.application_id == app.id))}
        records.append(
            CertificateRecord(
                name=cert.name,
                id_type=ID_TYPES[cert.id_type],
                id_number=uow.crypto.decrypt(cert.id_number_enc, ID_CONTEXT),
                sex=Sex(cand.sex),
                education=cand.education,
                occupation_code=cert.occupation_code,
                occupation_name=names.get(cert.occupation_code, ""),
                work_type=cert.work_type,
                level=SkillLevel(cert.level),
                theory_score=_score(marks, ExamPart.THEORY),
                practical_score=_score(marks, ExamPart.PRACTICAL),
                review_score=_score(marks, ExamPart.REVIEW),
                result="合格",
                certificate_number=cert.number,
                issue_date=cert.issue_date,
                institution=cert.institution_name,  # the name printed on the certificate
            )
        )
    return records


@use_case("upload.manage")
def export_batch(uow: UnitOfWork, numbers: list[str], out: Path, profile: str = "default") -> BatchInfo:
    """Build and sign the batch of the given certificates (those not yet in a batch, or corrected ones)."""
    s = uow.session
    inst = s.scalar(select(Institution))
    if inst is None:
        raise StateError("尚未登记机构信息，不能生成上报批次。")
    certs = [c for n in numbers if (c := s.scalar(select(Certificate).where(Certificate.number == n)))]
    if len(certs) != len(numbers):
        raise NotFound("有证书编号不存在，请核对。")
    if not certs:
        raise ValidationError("没有要上报的证书。")
    invalid = [c.number for c in certs if c.status != "valid"]
    if invalid:
        raise StateError(f"证书 {invalid[0]} 已不是有效证书，不能上报。")
    earliest = min(c.issue_date for c in certs)
    deadline = calendar_in(s).deadline_after(earliest, UPLOAD_WORKING_DAYS)
    batch_id = f"{inst.credit_code}-{uow.now:%Y%m%d%H%M%S}-{uuid.uuid4().hex[:6]}"
    info = build_batch(
        _records(uow, certs, inst),
        profile=load_profile(profile),
        institution_name=inst.name,
        credit_code=inst.credit_code,
        issue_dates=sorted({c.issue_date for c in certs}),
        deadline=deadline.date,
        deadline_provisional=deadline.provisional,
        private_key=uow.keys.signing_key(),
        out=Path(out),
        batch_id=batch_id,
        created_at=uow.now,
    )
    superseded = _superseded(s, certs)
    row = UploadBatch(
        batch_id=batch_id,
        file_name=Path(out).name,
        sha256=info.sha256,
        count=len(certs),
        earliest_issue=earliest,
        deadline=deadline.date,
        deadline_provisional=deadline.provisional,
        status="exported",
        supersedes_id=superseded,
        created_by=uow.actor.username,
        created_at=uow.now,
    )
    s.add(row)
    s.flush()
    for cert in certs:
        s.add(UploadBatchItem(batch_id=row.id, certificate_id=cert.id))
    uow.audit(
        "upload.export",
        "upload_batch",
        batch_id,
        f"生成上报批次 {Path(out).name}：{len(certs)} 本证书，截止 {deadline.date:%Y-%m-%d}"
        + ("（暂定）" if deadline.provisional else ""),
    )
    return info


def _superseded(s: Session, certs: list[Certificate]) -> int | None:
    """A correction's batch names the batch that reported the certificate it replaces (002 §30)."""
    replaced = [c.replaces_id for c in certs if c.replaces_id]
    if not replaced:
        return None
    return s.scalar(
        select(UploadBatchItem.batch_id).where(UploadBatchItem.certificate_id.in_(replaced)).limit(1)
    )


@use_case("upload.manage")
def mark_uploaded(uow: UnitOfWork, batch_id: str, receipt_number: str, uploaded_on: date) -> None:
    row = _batch(uow.session, batch_id)
    if row.status != "exported":
        raise StateError(
            f"上报批次 {batch_id} 已登记上报（回执 {row.receipt_number}，{row.uploaded_on:%Y-%m-%d}），不能再次登记或改写回执。"
        )
    if not receipt_number.strip():
        raise ValidationError("请填写国家平台给出的回执编号。")
    if uploaded_on > china_date(uow.now):
        raise ValidationError(f"上报日期 {uploaded_on:%Y-%m-%d} 晚于今天，请填写实际上报的日期。")
    row.status, row.receipt_number, row.uploaded_on = "uploaded", receipt_number.strip(), uploaded_on
    late = "（已超过上报期限）" if uploaded_on > row.deadline else ""
    uow.audit("upload.uploaded", "upload_batch", batch_id, f"已上报，回执 {receipt_number.strip()}{late}")


@use_case("upload.manage")
def mark_acknowledged(uow: UnitOfWork, batch_id: str, acknowledged_on: date) -> None:
    row = _batch(uow.session, batch_id)
    if row.status != "uploaded":
        raise StateError("批次尚未登记上报，不能确认。")
    row.status, row.acknowledged_on = "acknowledged", acknowledged_on
    uow.audit("upload.acknowledged", "upload_batch", batch_id, "国家平台已确认接收")


def _batch(s: Session, batch_id: str) -> UploadBatch:
    row = s.scalar(select(UploadBatch).where(UploadBatch.batch_id == batch_id))
    if row is None:
        raise NotFound(f"没有编号为 {batch_id} 的上报批次。")
    return row


@dataclass(frozen=True)
class BatchView:
    batch_id: str
    file_name: str
    count: int
    deadline: date
    deadline_provisional: bool
    status: str
    receipt_number: str
    working_days_left: int
    warning: str  # Chinese, "" when nothing to say


@query("upload.view")
def dashboard(s: Session, actor: Actor, today: date) -> list[BatchView]:
    """Every batch with its deadline; warns from 10 working days before it (RULES.md)."""
    cal = calendar_in(s)
    views = []
    for b in s.scalars(select(UploadBatch).order_by(UploadBatch.deadline)):
        left = cal.working_days_between(today, b.deadline)
        warning = ""
        if b.status == "exported":
            if left < 0:
                warning = f"已超过上报期限 {-left} 个工作日，请立即上报并说明原因。"
            elif left <= WARN_WORKING_DAYS:
                warning = f"距上报期限还有 {left} 个工作日。"
        views.append(
            BatchView(
                b.batch_id,
                b.file_name,
                b.count,
                b.deadline,
                b.deadline_provisional,
                b.status,
                b.receipt_number,
                left,
                warning,
            )
        )
    return views


@query("upload.view")
def unreported(s: Session, actor: Actor) -> list[str]:
    """Valid certificates not yet in any batch (new ones and corrections to report again)."""
    reported = select(UploadBatchItem.certificate_id)
    return list(
        s.scalars(
            select(Certificate.number)
            .where(Certificate.status == "valid", Certificate.id.not_in(reported))
            .order_by(Certificate.number)
        )
    )
