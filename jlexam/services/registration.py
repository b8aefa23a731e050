"""Registration (报名): applications one by one or from the roster workbook, all-or-nothing (002 §16-17).

A candidate known from an earlier sitting is found by the HMAC index of their ID number and reused; an
application must lie in the sitting's offers (the filed scope, 002 §16), and students are capped at 三级 (003).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from jlexam.domain.idcard import normalize_id_number
from jlexam.domain.levels import SkillLevel, is_level_allowed_for_student
from jlexam.domain.masking import mask_id_number
from jlexam.domain.sitting_state import SittingState
from jlexam.errors import StateError, ValidationError
from jlexam.exchange.catalogue import Occupation as CatalogueOccupation
from jlexam.exchange.roster import RosterContext, RosterResult, RosterRow, read_roster, write_errors_workbook
from jlexam.security.fieldcrypto import FieldCipher
from jlexam.services.base import Actor, UnitOfWork, cipher_for, query, use_case
from jlexam.services.candidates import (
    ID_CONTEXT,
    CandidateInput,
    add_photo,
    new_candidate,
    validated_id_number,
)
from jlexam.services.sittings import get_sitting
from jlexam.store.models import Application, Candidate, Institution, Occupation, Sitting


@dataclass(frozen=True)
class ApplicationInput:
    candidate: CandidateInput
    occupation_code: str
    level: SkillLevel
    work_type: str = ""
    years_in_occupation: int | None = None
    prior_level: SkillLevel | None = None
    prior_certificate_date: date | None = None
    professional_title: str | None = None
    title_date: date | None = None


@dataclass
class ImportReport:
    total: int
    imported: int
    rejected: int
    errors_file: Path | None = None
    notices: list[str] = field(default_factory=list)


def _require_open(sitting: Sitting) -> None:
    if sitting.state != SittingState.OPEN.value:
        raise StateError(
            f"认定批次 {sitting.code} 当前为“{SittingState(sitting.state).label}”，只能在报名中时登记报名。"
        )


def _is_university(s: Session) -> bool:
    inst = s.scalar(select(Institution))
    return inst is not None and inst.kind == "university"


def _add_applications(uow: UnitOfWork, sitting: Sitting, items: list[ApplicationInput]) -> list[int]:
    """The shared path of the form and the roster: validate everything first, then write."""
    s, cipher = uow.session, uow.crypto
    offers = {(o.occupation_code, o.work_type, o.level): o for o in sitting.offers}
    names = {o.code: o.name for o in s.scalars(select(Occupation))}
    university = _is_university(s)
    known = _candidates_by_index(s, cipher, [normalize_id_number(i.candidate.id_number) for i in items])
    taken = {
        (a.candidate_id, a.occupation_code, a.level)
        for a in s.scalars(select(Application).where(Application.sitting_id == sitting.id))
    }
    seen: set[tuple[str, str, int]] = set()
    ids = []
    for item in items:
        number = validated_id_number(item.candidate)
        what = f"{item.candidate.name}（{mask_id_number(number)}）"
        offer = offers.get((item.occupation_code, item.work_type, int(item.level)))
        if offer is None:  # 002 §16
            raise ValidationError(
                f"{what}：{names.get(item.occupation_code, item.occupation_code)} {SkillLevel(item.level).written}"
                "不在本批次开考范围内。",
                rule="002 §16",
            )
        student = item.candidate.student_number is not None
        if student and not is_level_allowed_for_student(item.level):  # 003 三(三)
            raise ValidationError(f"{what}：在校学生最高只能申报三级/高级工（003 三(三)）。", rule="003")
        key = (cipher.index(number, ID_CONTEXT), item.occupation_code, int(item.level))
        if key in seen:
            raise ValidationError(f"{what}：同一人对同一职业等级只能报名一次。")
        seen.add(key)
        candidate = known.get(key[0])
        if candidate is None:
            candidate = new_candidate(cipher, item.candidate, number, uow.now)
            s.add(candidate)
            s.flush()
            if item.candidate.photo_jpeg:
                add_photo(s, candidate.id, item.candidate.photo_jpeg)
            known[key[0]] = candidate
        elif (candidate.id, key[1], key[2]) in taken:
            raise ValidationError(f"{what} 已报名本批次的该职业等级，不能重复报名。")
        app = Application(
            sitting_id=sitting.id,
            candidate_id=candidate.id,
            occupation_code=item.occupation_code,
            work_type=item.work_type,
            level=int(item.level),
            status="submitted",
            years_in_occupation=item.years_in_occupation,
            prior_level=int(item.prior_level) if item.prior_level else None,
            prior_certificate_date=item.prior_certificate_date,
            professional_title=item.professional_title,
            title_date=item.title_date,
            fee_cents=offer.fee_cents,
            fee_waived=university and student,  # 003 四(四): own students at cost price or free
            eligibility="pending",
            created_at=uow.now,
        )
        s.add(app)
        s.flush()
        ids.append(app.id)
    return ids


def _candidates_by_index(s: Session, cipher: FieldCipher, numbers: list[str]) -> dict[str, Candidate]:
    indexes = [cipher.index(n, ID_CONTEXT) for n in numbers]
    found: dict[str, Candidate] = {}
    for start in range(0, len(indexes), 500):
        chunk = indexes[start : start + 500]
        for c in s.scalars(select(Candidate).where(Candidate.id_number_index.in_(chunk))):
            found[c.id_number_index] = c
    return found


@use_case("registration.manage")
def register_application(uow: UnitOfWork, sitting_code: str, item: ApplicationInput) -> int:
    """One application from the form."""
    sitting = get_sitting(uow.session, sitting_code)
    _require_open(sitting)
    (app_id,) = _add_applications(uow, sitting, [item])
    uow.audit(
        "application.create",
        "application",
        app_id,
        f"{item.candidate.name} 报名 {item.occupation_code} {SkillLevel(item.level).written}",
    )
    return app_id


@use_case("registration.manage", backup="register-applications")
def register_applications(uow: UnitOfWork, sitting_code: str, items: list[ApplicationInput]) -> list[int]:
    """Many applications at once (all or none), e.g. from another system's export."""
    sitting = get_sitting(uow.session, sitting_code)
    _require_open(sitting)
    ids = _add_applications(uow, sitting, items)
    uow.audit("application.create", "sitting", sitting.code, f"登记报名 {len(ids)} 人")
    return ids


# --- the roster workbook --------------------------------------------------------------------------------
def roster_context(s: Session, sitting: Sitting, cipher: FieldCipher, today: date) -> RosterContext:
    occupations = {
        o.code: CatalogueOccupation(
            o.code,
            o.name,
            tuple(w for w in o.work_types.split("|") if w),
            tuple(sorted((SkillLevel(int(x)) for x in o.levels.split("|") if x), reverse=True)),
        )
        for o in s.scalars(select(Occupation))
    }
    scope = {(o.occupation_code, o.work_type, SkillLevel(o.level)) for o in sitting.offers}
    registered = set(
        s.scalars(
            select(Candidate.id_number_index)
            .join(Application, Application.candidate_id == Candidate.id)
            .where(Application.sitting_id == sitting.id)
        )
    )

    def existing(numbers: list[str]) -> set[str]:
        return {n for n in numbers if cipher.index(n, ID_CONTEXT) in registered}

    return RosterContext(
        occupations=occupations,
        scope=scope,
        existing_id_indexes=existing,
        today=today,
        university=_is_university(s),
    )


@query("registration.manage")
def preview_roster(
    s: Session, actor: Actor, sitting_code: str, path: Path, today: date | None = None
) -> RosterResult:
    """Read and check the roster without writing anything (the preview before an import)."""
    sitting = get_sitting(s, sitting_code)
    return read_roster(Path(path), roster_context(s, sitting, cipher_for(actor.db), today or date.today()))


def _row_input(row: RosterRow) -> ApplicationInput:
    return ApplicationInput(
        candidate=CandidateInput(**row.candidate_fields()),
        occupation_code=row.occupation_code,
        level=row.level,
        work_type=row.work_type or "",
        years_in_occupation=row.years_in_occupation,
        prior_level=row.prior_level,
        prior_certificate_date=row.prior_certificate_date,
        professional_title=row.professional_title,
    )


@use_case("registration.manage", backup="import-roster")
def import_roster(
    uow: UnitOfWork,
    sitting_code: str,
    path: Path,
    *,
    errors_out: Path | None = None,
    accept_valid: bool = False,
    today: date | None = None,
) -> ImportReport:
    """Import the roster in one transaction.

    With any rejected row nothing is imported (unless ``accept_valid``); the rejected rows go to the errors
    workbook with the reason beside each bad cell either way.
    """
    s = uow.session
    sitting = get_sitting(s, sitting_code)
    _require_open(sitting)
    result = read_roster(Path(path), roster_context(s, sitting, uow.crypto, today or uow.now.date()))
    rejected = len(result.rejected_rows)
    if rejected and errors_out is not None:
        write_errors_workbook(Path(errors_out), Path(path), result)
    if rejected and not accept_valid:
        where = (
            f"错误说明已写入 {errors_out}。" if errors_out else "请用 --errors 指定错误说明工作簿的保存位置。"
        )
        raise ValidationError(
            f"名单 {Path(path).name} 共 {result.total} 行，其中 {rejected} 行有错误，未导入任何数据。{where}"
            f"第一处错误：{result.errors[0].sheet} 表第 {result.errors[0].row} 行 {result.errors[0].column} 列"
            f"（{result.errors[0].header}）：{result.errors[0].message}"
        )
    ids = _add_applications(uow, sitting, [_row_input(r) for r in result.rows])
    uow.audit(
        "application.import",
        "sitting",
        sitting.code,
        f"导入名单 {Path(path).name}：{len(ids)} 人报名，{rejected} 行未导入",
    )
    return ImportReport(result.total, len(ids), rejected, errors_out if rejected else None, result.notices)
