"""Eligibility review (资格审核, 002 §17): the rules engine's finding, the reviewer's decision, the evidence.

The engine (jlexam.domain.eligibility) says which condition of the occupation's standard is met, or why none
is; a reviewer approves or rejects. Approving an application that meets no condition is an override: only a
supervisor may, only with a written reason, and it is audited.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from jlexam.domain.eligibility import ApplicantFacts, evaluate
from jlexam.domain.levels import SkillLevel
from jlexam.domain.sitting_state import SittingState
from jlexam.errors import NotFound, StateError, ValidationError
from jlexam.services.base import Actor, UnitOfWork, query, use_case
from jlexam.services.sittings import get_sitting
from jlexam.services.standards import standard_for
from jlexam.store.models import (
    Application,
    ApplicationEvidence,
    Candidate,
    Institution,
    MajorMapping,
    Sitting,
)

MIN_OVERRIDE_REASON = 10  # characters: a written reason, not a tick
EVIDENCE_KINDS = {
    "diploma": "学历证书",
    "certificate": "职业资格/技能等级证书",
    "work_proof": "工作年限证明",
    "title": "职称证书",
    "other": "其他材料",
}
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class ApplicationRow:
    id: int
    name: str
    id_number_masked: str
    occupation_code: str
    work_type: str
    level: SkillLevel
    eligibility: str
    eligibility_summary: str
    decision: str | None
    decision_reason: str
    override: bool
    student_number: str | None
    major: str | None
    graduation_year: int | None
    fee_waived: bool


def _reference_date(sitting: Sitting, fallback: date) -> date:
    return sitting.registration_closes_on or sitting.starts_on or fallback


def applicant_facts(app: Application, cand: Candidate, majors: set[tuple[str, str]]) -> ApplicantFacts:
    has_mapping = any(m == cand.major for m, _ in majors) if cand.major else False
    return ApplicantFacts(
        birth_date=cand.birth_date,
        education=cand.education,
        years_in_occupation=app.years_in_occupation,
        prior_level=SkillLevel(app.prior_level) if app.prior_level else None,
        prior_certificate_date=app.prior_certificate_date,
        professional_title=app.professional_title,
        title_date=app.title_date,
        is_student=cand.student_number is not None,
        graduation_year=cand.graduation_year,
        major_matches=((cand.major, app.occupation_code) in majors) if has_mapping else None,
    )


@use_case("eligibility.review")
def evaluate_sitting(uow: UnitOfWork, sitting_code: str) -> tuple[int, int]:
    """Run the engine over every undecided application; returns (eligible, ineligible)."""
    s = uow.session
    sitting = get_sitting(s, sitting_code)
    require_review_open(sitting)
    on = _reference_date(sitting, uow.now.date())
    majors = {(m.major, m.occupation_code) for m in s.scalars(select(MajorMapping))}
    inst = s.scalar(select(Institution))
    university = inst is not None and inst.kind == "university"  # 003 applies to universities' own students
    counts = [0, 0]
    rows = s.execute(
        select(Application, Candidate)
        .join(Candidate, Application.candidate_id == Candidate.id)
        .where(Application.sitting_id == sitting.id, Application.decision.is_(None))
    )
    for app, cand in rows:
        try:
            result = evaluate(
                standard_for(s, app.occupation_code),
                SkillLevel(app.level),
                applicant_facts(app, cand, majors),
                on,
                university_student=university and cand.student_number is not None,
            )
            eligible, summary = result.eligible, result.summary
        except ValidationError as exc:  # facts missing or malformed: the reviewer must complete them
            eligible, summary = False, f"无法核查：{exc.message}"
        app.eligibility = "eligible" if eligible else "ineligible"
        app.eligibility_summary = summary
        counts[0 if eligible else 1] += 1
    uow.audit(
        "eligibility.evaluate",
        "sitting",
        sitting.code,
        f"按申报条件核查：符合 {counts[0]}，不符合 {counts[1]}（参照日 {on:%Y-%m-%d}）",
    )
    return counts[0], counts[1]


# Review runs while registration is open and after it closes, until the arrangement is locked: the seat plans,
# tickets, scores and certificates that follow rest on the decisions (002 §17-21).
REVIEW_STATES = frozenset({SittingState.OPEN, SittingState.CLOSED})


def require_review_open(sitting: Sitting) -> None:
    state = SittingState(sitting.state)
    if state not in REVIEW_STATES:
        raise StateError(
            f"认定批次 {sitting.code} 当前为“{state.label}”：资格审核在报名期间和报名截止后、锁定考场编排前进行，"
            "现在不能再核查或改变审核结论。已发证书确属不符合条件的，请在“证书”页作废该证书（001 第十二条）。",
            rule="002 §17",
        )


def _application(s: Session, application_id: int, *, deciding: bool = True) -> Application:
    """The application; when ``deciding``, only while the review is open. Evidence may still be filed with it
    afterwards (a scanned original kept for the archive), until the sitting is archived."""
    app = s.get(Application, application_id)
    if app is None:
        raise NotFound(f"报名记录 {application_id} 不存在。")
    sitting = s.get(Sitting, app.sitting_id)
    assert sitting is not None
    if deciding:
        require_review_open(sitting)
    elif sitting.state == SittingState.ARCHIVED.value:
        raise StateError(
            f"认定批次 {sitting.code} 已归档：档案目录已确定，不能再补充证明材料（002 第三十四条）。",
            rule="002 §34",
        )
    return app


@use_case("eligibility.review")
def decide(uow: UnitOfWork, application_id: int, approve: bool, reason: str = "") -> None:
    """Approve an eligible application, or reject one with a reason (002 §17)."""
    app = _application(uow.session, application_id)
    if app.eligibility == "pending":
        raise StateError("请先按申报条件核查（资格审核），再作决定。")
    if approve and app.eligibility != "eligible":
        raise StateError(
            f"该报名不符合申报条件：{app.eligibility_summary}。如需破格通过，须由主考填写书面理由。",
            rule="002 §17",
        )
    if not approve and not reason.strip():
        raise ValidationError("不予通过须写明理由。")
    app.decision = "approved" if approve else "rejected"
    app.decision_reason, app.decision_override = reason.strip(), False
    app.decided_by, app.decided_at = uow.actor.username, uow.now
    app.status = "eligible" if approve else "rejected"
    uow.audit(
        "eligibility.decide",
        "application",
        app.id,
        ("审核通过" if approve else f"审核不通过：{reason.strip()}") + f"（{app.eligibility_summary}）",
    )


@use_case("eligibility.override")
def approve_with_override(uow: UnitOfWork, application_id: int, reason: str) -> None:
    """Approve despite a failed check: a supervisor's written reason, audited (RULES.md)."""
    app = _application(uow.session, application_id)
    if len(reason.strip()) < MIN_OVERRIDE_REASON:
        raise ValidationError(f"破格通过须写明不少于 {MIN_OVERRIDE_REASON} 个字的书面理由。")
    if app.eligibility == "eligible":
        raise StateError("该报名已符合申报条件，直接审核通过即可，无需破格。")
    app.decision, app.decision_reason, app.decision_override = "approved", reason.strip(), True
    app.decided_by, app.decided_at, app.status = uow.actor.username, uow.now, "eligible"
    uow.audit(
        "eligibility.override",
        "application",
        app.id,
        f"破格通过：{reason.strip()}（核查结论：{app.eligibility_summary}）",
    )


@use_case("eligibility.review")
def attach_evidence(uow: UnitOfWork, application_id: int, kind: str, path: Path) -> int:
    """Keep a file as evidence with the application (002 §17)."""
    app = _application(uow.session, application_id, deciding=False)
    if kind not in EVIDENCE_KINDS:
        raise ValidationError(f"材料类型“{kind}”无效，应为：{'、'.join(EVIDENCE_KINDS.values())}。")
    path = Path(path)
    if not path.is_file():
        raise ValidationError(f"找不到文件 {path}。")
    data = path.read_bytes()
    if not data:
        raise ValidationError(f"文件 {path.name} 是空的。")
    if len(data) > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            f"文件 {path.name} 超过 {MAX_EVIDENCE_BYTES // 1024 // 1024} MB，请压缩或扫描为较小的 PDF。"
        )
    row = ApplicationEvidence(
        application_id=app.id,
        kind=kind,
        filename=path.name,
        content=data,
        sha256=hashlib.sha256(data).hexdigest(),
        added_at=uow.now,
        added_by=uow.actor.username,
    )
    uow.session.add(row)
    uow.session.flush()
    uow.audit(
        "eligibility.evidence", "application", app.id, f"附证明材料 {EVIDENCE_KINDS[kind]}：{path.name}"
    )
    return row.id


@query("candidates.view")
def list_applications(
    s: Session, actor: Actor, sitting_code: str, *, graduating_only: bool = False, today: date | None = None
) -> list[ApplicationRow]:
    """The sitting's applications; ``graduating_only`` keeps the graduating-year students (003)."""
    sitting = get_sitting(s, sitting_code)
    stmt = (
        select(Application, Candidate)
        .join(Candidate, Application.candidate_id == Candidate.id)
        .where(Application.sitting_id == sitting.id)
        .order_by(Application.id)
    )
    if graduating_only:
        year = _reference_date(sitting, today or date.today()).year
        stmt = stmt.where(Candidate.student_number.is_not(None), Candidate.graduation_year == year)
    return [
        ApplicationRow(
            a.id,
            c.name,
            c.id_number_masked,
            a.occupation_code,
            a.work_type,
            SkillLevel(a.level),
            a.eligibility,
            a.eligibility_summary,
            a.decision,
            a.decision_reason,
            a.decision_override,
            c.student_number,
            c.major,
            c.graduation_year,
            a.fee_waived,
        )
        for a, c in s.execute(stmt)
    ]


@use_case("catalogue.edit")
def map_major(uow: UnitOfWork, major: str, occupation_code: str) -> None:
    """Match a university major to an occupation it may certify (003)."""
    if not major.strip():
        raise ValidationError("专业名称不能为空。")
    exists = uow.session.scalar(
        select(MajorMapping).where(
            MajorMapping.major == major.strip(), MajorMapping.occupation_code == occupation_code
        )
    )
    if exists is None:
        uow.session.add(MajorMapping(major=major.strip(), occupation_code=occupation_code))
        uow.audit("major.map", "major", major.strip(), f"专业“{major.strip()}”对应职业 {occupation_code}")
