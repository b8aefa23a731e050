"""Certificates (002 §26-30): issued to those who passed once results are final, numbered with the national
22-character number from serials that are never reused, reissued when lost and corrected on request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from jlexam.documents.certificate import CertificateData, certificate_token_payload, render_certificates
from jlexam.domain.certno import CertificateNumberParts, build_certificate_number
from jlexam.domain.eligibility import evaluate, whole_years
from jlexam.domain.idcard import Sex, normalize_id_number, parse_id_number
from jlexam.domain.levels import SkillLevel
from jlexam.domain.masking import mask_id_number
from jlexam.domain.sitting_state import SittingState
from jlexam.errors import NotFound, StateError, ValidationError
from jlexam.security.tokens import CERT, encode_token
from jlexam.services.base import Actor, UnitOfWork, query, use_case
from jlexam.services.candidates import ID_CONTEXT, ID_TYPES, RESIDENT_ID
from jlexam.services.eligibility import applicant_facts
from jlexam.services.publicity import blockers_to_certify
from jlexam.services.sittings import get_sitting
from jlexam.services.standards import standard_for
from jlexam.store.models import (
    Application,
    Candidate,
    CandidatePhoto,
    Certificate,
    CertificateCounter,
    Institution,
    MajorMapping,
    Occupation,
)

MAX_SERIAL = 999_999
MIN_WORKING_AGE = 16  # 劳动法 第十五条: no employment below 16


def _parts(inst: Institution) -> CertificateNumberParts:
    return CertificateNumberParts(
        inst.cert_category, inst.cert_institution_code, inst.cert_province, inst.cert_site_serial
    )


def allocate_serial(s: Session, prefix: str, year: int) -> int:
    """The next serial under ``prefix`` and ``year``; the counter row is locked, so two PCs never share one.

    A serial once allocated is never given again, even when its certificate is voided (RULES.md).
    """
    key = f"{prefix}-{year % 100:02d}"
    # Create the counter if missing without failing when another PC creates it at the same moment, then lock it.
    insert = pg_insert if s.get_bind().dialect.name == "postgresql" else sqlite_insert
    s.execute(insert(CertificateCounter).values(key=key, last_serial=0).on_conflict_do_nothing())
    counter = s.scalars(
        select(CertificateCounter).where(CertificateCounter.key == key).with_for_update()
    ).one()
    if counter.last_serial >= MAX_SERIAL:
        raise StateError(f"{year} 年证书序号已用尽（{MAX_SERIAL}），请联系省级主管部门。")
    counter.last_serial += 1
    return counter.last_serial


def _new_certificate(
    uow: UnitOfWork,
    inst: Institution,
    app: Application,
    cand: Candidate,
    issue_date: date,
    kind: str,
    reason: str = "",
    replaces: Certificate | None = None,
    name: str | None = None,
    id_enc: bytes | None = None,
    id_masked: str | None = None,
) -> Certificate:
    parts = _parts(inst)
    serial = allocate_serial(uow.session, parts.prefix, issue_date.year)
    number = build_certificate_number(parts, issue_date.year, SkillLevel(app.level), serial)
    cert = Certificate(
        number=number,
        application_id=app.id,
        kind=kind,
        status="valid",
        replaces_id=replaces.id if replaces else None,
        issue_date=issue_date,
        name=name or cand.name,
        id_type=cand.id_type,
        id_number_enc=id_enc or cand.id_number_enc,
        id_number_masked=id_masked or cand.id_number_masked,
        occupation_code=app.occupation_code,
        work_type=app.work_type,
        level=app.level,
        institution_name=inst.name,
        reason=reason,
        created_by=uow.actor.username,
        created_at=uow.now,
    )
    uow.session.add(cert)
    uow.session.flush()
    return cert


def _institution(s: Session) -> Institution:
    inst = s.scalar(select(Institution))
    if inst is None:
        raise StateError("尚未登记机构信息，不能发证。")
    return inst


# Certificates are issued once results are final, and again for any left out until the sitting is reported.
ISSUE_STATES = frozenset({SittingState.FINAL, SittingState.CERTIFIED})


@use_case("certificates.issue", backup="issue-certificates")
def issue_certificates(uow: UnitOfWork, sitting_code: str, issue_date: date) -> list[str]:
    """Certificates for everyone who passed, once results are final (002 §25-26); returns their numbers."""
    s = uow.session
    sitting = get_sitting(s, sitting_code)
    state = SittingState(sitting.state)
    if state in (SittingState.REPORTED, SittingState.ARCHIVED):
        raise StateError(
            f"认定批次 {sitting.code} 当前为“{state.label}”：证书数据已上报，不能再为本批次发放新证书；"
            "遗失补发、更正和作废仍可办理。"
        )
    if state not in ISSUE_STATES:
        blockers = blockers_to_certify(s, sitting_code, issue_date)
        raise StateError(
            "成绩尚未确定，不能发证：" + ("；".join(blockers) or "请先确定成绩。"), rule="002 §25"
        )
    inst = _institution(s)
    have = set(
        s.scalars(
            select(Certificate.application_id).join(Application).where(Application.sitting_id == sitting.id)
        )
    )
    rows = s.execute(
        select(Application, Candidate)
        .join(Candidate, Application.candidate_id == Candidate.id)
        .where(Application.sitting_id == sitting.id, Application.result == "passed")
        .order_by(Application.id)
    )
    numbers = [
        _new_certificate(uow, inst, app, cand, issue_date, "original").number
        for app, cand in rows
        if app.id not in have
    ]
    sitting.state = SittingState.CERTIFIED.value
    uow.audit(
        "certificate.issue",
        "sitting",
        sitting.code,
        f"发放证书 {len(numbers)} 本（发证日期 {issue_date:%Y-%m-%d}）",
    )
    return numbers


def _by_number(s: Session, number: str) -> Certificate:
    cert = s.scalar(select(Certificate).where(Certificate.number == number.strip().upper()))
    if cert is None:
        raise NotFound(f"没有编号为 {number} 的证书。")
    return cert


@use_case("certificates.issue")
def reissue(uow: UnitOfWork, number: str, reason: str, issue_date: date) -> str:
    """A new certificate for a lost one, on the holder's request (002 §29); the old one is marked replaced."""
    s = uow.session
    old = _by_number(s, number)
    if old.status != "valid":
        raise StateError(
            f"证书 {old.number} 已{'被替换' if old.status == 'replaced' else '作废'}，不能补发。"
        )
    if not reason.strip():
        raise ValidationError("补发须写明持证人的申请理由（如：遗失）。")
    app = s.get(Application, old.application_id)
    cand = s.get(Candidate, app.candidate_id)
    new = _new_certificate(
        uow,
        _institution(s),
        app,
        cand,
        issue_date,
        "reissue",
        reason.strip(),
        old,
        old.name,
        old.id_number_enc,
        old.id_number_masked,
    )
    old.status = "replaced"
    uow.audit(
        "certificate.reissue",
        "certificate",
        new.number,
        f"补发证书，原证书 {old.number} 作废：{reason.strip()}",
    )
    return new.number


@use_case("certificates.issue")
def correct(
    uow: UnitOfWork,
    number: str,
    reason: str,
    issue_date: date,
    *,
    name: str | None = None,
    id_number: str | None = None,
) -> str:
    """A corrected certificate on the holder's request with evidence (002 §30).

    Refused when the corrected data would contradict the eligibility conditions (e.g. a birth date that makes
    the holder too young for the level).
    """
    s = uow.session
    old = _by_number(s, number)
    if old.status != "valid":
        raise StateError(f"证书 {old.number} 已不是有效证书，不能更正。")
    if len(reason.strip()) < 4:
        raise ValidationError("更正须写明理由并附持证人提供的证明材料。")
    if name is None and id_number is None:
        raise ValidationError("请填写要更正的姓名或证件号码。")
    app = s.get(Application, old.application_id)
    cand = s.get(Candidate, app.candidate_id)
    enc, masked = old.id_number_enc, old.id_number_masked
    if id_number is not None:
        fixed = normalize_id_number(id_number)
        if cand.id_type == RESIDENT_ID:
            resident = parse_id_number(fixed)
            _check_still_eligible(s, app, cand, resident.birth_date)
        enc, masked = uow.crypto.encrypt(fixed, ID_CONTEXT), mask_id_number(fixed)
    new = _new_certificate(
        uow,
        _institution(s),
        app,
        cand,
        issue_date,
        "correction",
        reason.strip(),
        old,
        (name or old.name).strip(),
        enc,
        masked,
    )
    old.status = "replaced"
    uow.audit(
        "certificate.correct",
        "certificate",
        new.number,
        f"更正证书 {old.number}（{'姓名' if name else ''}{'证件号码' if id_number else ''}）：{reason.strip()}，须重新上报",
    )
    return new.number


def _check_still_eligible(s: Session, app: Application, cand: Candidate, birth_date: date) -> None:
    majors = {(m.major, m.occupation_code) for m in s.scalars(select(MajorMapping))}
    facts = applicant_facts(app, cand, majors)
    facts = type(facts)(**{**facts.__dict__, "birth_date": birth_date})
    on = app.created_at.date()
    age = whole_years(birth_date, on)
    if app.years_in_occupation and app.years_in_occupation > age - MIN_WORKING_AGE:
        raise ValidationError(
            f"按更正后的出生日期，持证人报名时 {age} 岁，不可能已从事本职业 {app.years_in_occupation} 年"
            f"（最低就业年龄 {MIN_WORKING_AGE} 周岁），与申报条件矛盾，不予更正（002 第三十条）。",
            rule="002 §30",
        )
    result = evaluate(standard_for(s, app.occupation_code), SkillLevel(app.level), facts, on)
    if not result.eligible and app.eligibility == "eligible":
        raise ValidationError(
            f"按更正后的出生日期，持证人不符合申报条件：{result.summary}。不予更正（002 第三十条）。",
            rule="002 §30",
        )


@use_case("certificates.issue")
def void(uow: UnitOfWork, number: str, reason: str) -> None:
    cert = _by_number(uow.session, number)
    if cert.status != "valid":  # a replaced or voided certificate keeps why it stopped being valid
        raise StateError(
            f"证书 {cert.number} 已{'被替换' if cert.status == 'replaced' else '作废'}，不能再作废（原因：{cert.reason}）。"
        )
    if not reason.strip():
        raise ValidationError("作废证书须写明理由。")
    cert.status, cert.reason = "voided", reason.strip()
    uow.audit("certificate.void", "certificate", cert.number, f"作废证书：{reason.strip()}（序号不再使用）")


@dataclass(frozen=True)
class CertificateView:
    number: str
    name: str
    id_number_masked: str
    occupation_code: str
    level: SkillLevel
    issue_date: date
    kind: str
    status: str


@query("certificates.view")
def list_certificates(s: Session, actor: Actor, sitting_code: str | None = None) -> list[CertificateView]:
    stmt = select(Certificate).order_by(Certificate.number)
    if sitting_code:
        sitting = get_sitting(s, sitting_code)
        stmt = stmt.join(Application, Certificate.application_id == Application.id).where(
            Application.sitting_id == sitting.id
        )
    return [
        CertificateView(
            c.number,
            c.name,
            c.id_number_masked,
            c.occupation_code,
            SkillLevel(c.level),
            c.issue_date,
            c.kind,
            c.status,
        )
        for c in s.scalars(stmt)
    ]


@use_case("certificates.issue")
def write_certificates(
    uow: UnitOfWork,
    numbers: list[str],
    out: Path,
    *,
    mode: str = "full",
    offset_mm: tuple[float, float] = (0.0, 0.0),
) -> int:
    """The certificates as PDF (full A4, or only the fields for pre-printed blanks), each with its signed QR.

    Each shows the institution's filed name it was issued under (kept on the certificate), so a reprint after
    the institution is renamed prints the certificate as issued; a reissue or correction is a new certificate
    and carries the name at its own issue.
    """
    s = uow.session
    key = uow.keys.signing_key()
    names = {o.code: o.name for o in s.scalars(select(Occupation))}
    items = []
    for number in numbers:
        cert = _by_number(s, number)
        if cert.status != "valid":
            raise StateError(f"证书 {cert.number} 已不是有效证书，不能打印。")
        app = s.get(Application, cert.application_id)
        cand = s.get(Candidate, app.candidate_id)
        photo = s.get(CandidatePhoto, cand.id)
        full_id = uow.crypto.decrypt(cert.id_number_enc, ID_CONTEXT)
        token = encode_token(
            key,
            CERT,
            certificate_token_payload(
                certificate_number=cert.number,
                name=cert.name,
                id_number=full_id,
                occupation_code=cert.occupation_code,
                level=cert.level,
                issue_date=cert.issue_date,
            ),
        )
        items.append(
            CertificateData(
                institution=cert.institution_name,
                issue_date=cert.issue_date,
                name=cert.name,
                id_type=ID_TYPES[cert.id_type],
                id_number=full_id,
                sex=Sex(cand.sex),
                occupation=names.get(cert.occupation_code, cert.occupation_code),
                work_type=cert.work_type or "--",
                level=SkillLevel(cert.level),
                certificate_number=cert.number,
                photo_jpeg=photo.jpeg if photo else None,
                qr_token=token,
            )
        )
    render_certificates(items, Path(out), mode=mode, offset_mm=offset_mm)
    uow.audit(
        "certificate.print",
        "certificate",
        numbers[0] if numbers else "",
        f"打印证书 {len(items)} 本（{'套打' if mode == 'blank' else '整页'}）到 {Path(out).name}",
    )
    return len(items)
