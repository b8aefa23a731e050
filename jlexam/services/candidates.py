"""Candidates (参评人员): personal data stored encrypted, found by an HMAC index, shown masked (002 §31).

The roster workbook import of issue 4 builds on ``register_candidates``; this module keeps the one place
where a candidate's ID and phone numbers are encrypted, indexed and masked.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from jlexam.domain.idcard import Sex, check_id_matches, normalize_id_number, parse_id_number
from jlexam.domain.masking import mask_id_number, mask_phone
from jlexam.errors import NotFound, ValidationError
from jlexam.security.fieldcrypto import FieldCipher
from jlexam.services.base import Actor, UnitOfWork, cipher_for, query, use_case
from jlexam.store.models import Candidate, CandidatePhoto

ID_CONTEXT = "candidate.id_number"
PHONE_CONTEXT = "candidate.phone"
RESIDENT_ID = "resident_id"
ID_TYPES = {
    RESIDENT_ID: "居民身份证",
    "passport": "护照",
    "hk_macao_permit": "港澳居民居住证",
    "taiwan_permit": "台湾居民居住证",
}


@dataclass(frozen=True)
class CandidateInput:
    name: str
    sex: Sex
    id_number: str
    id_type: str = RESIDENT_ID
    birth_date: date | None = None
    phone: str = ""
    education: str = ""
    employer: str = ""
    student_number: str | None = None
    major: str | None = None
    graduation_year: int | None = None
    photo_jpeg: bytes | None = None


@dataclass(frozen=True)
class CandidateView:
    id: int
    name: str
    sex: Sex
    id_type: str
    id_number_masked: str
    birth_date: date | None
    phone_masked: str
    education: str
    employer: str


def validated_id_number(item: CandidateInput) -> str:
    """The normalised ID number; the check character, birth date and sex apply to resident IDs only (RULES.md)."""
    if not item.name.strip():
        raise ValidationError("姓名不能为空。")
    if item.id_type not in ID_TYPES:
        raise ValidationError(f"证件类型“{item.id_type}”无效，应为：{'、'.join(ID_TYPES.values())}。")
    number = normalize_id_number(item.id_number)
    if item.id_type == RESIDENT_ID:
        resident = parse_id_number(number)
        problems = check_id_matches(resident, birth_date=item.birth_date, sex=item.sex)
        if problems:
            raise ValidationError(f"{item.name}：" + "；".join(problems))
    elif not number:
        raise ValidationError(f"{item.name}：证件号码不能为空。")
    return number


def new_candidate(cipher: FieldCipher, item: CandidateInput, number: str, now) -> Candidate:  # type: ignore[no-untyped-def]
    birth = parse_id_number(number).birth_date if item.id_type == RESIDENT_ID else item.birth_date
    phone = "".join(ch for ch in item.phone if ch.isdigit())
    return Candidate(
        name=item.name.strip(),
        sex=item.sex.value,
        id_type=item.id_type,
        id_number_enc=cipher.encrypt(number, ID_CONTEXT),
        id_number_index=cipher.index(number, ID_CONTEXT),
        id_number_masked=mask_id_number(number),
        birth_date=birth,
        phone_enc=cipher.encrypt(phone, PHONE_CONTEXT) if phone else None,
        phone_masked=mask_phone(phone) if phone else "",
        education=item.education,
        employer=item.employer,
        student_number=item.student_number,
        major=item.major,
        graduation_year=item.graduation_year,
        created_at=now,
    )


@use_case("candidates.edit", backup="register-candidates")
def register_candidates(uow: UnitOfWork, items: list[CandidateInput]) -> list[int]:
    """Register candidates in one transaction: all or none. Duplicates (in the list or the database) refused."""
    cipher = uow.crypto
    seen: dict[str, str] = {}
    prepared = []
    for item in items:
        number = validated_id_number(item)
        key = cipher.index(number, ID_CONTEXT)
        if key in seen:
            raise ValidationError(f"{item.name} 与 {seen[key]} 的证件号码相同，同一人只能登记一次。")
        seen[key] = item.name
        prepared.append((item, number, key))
    existing = _existing_indexes(uow.session, list(seen))
    ids = []
    for item, number, key in prepared:
        if key in existing:
            raise ValidationError(f"{item.name}（{mask_id_number(number)}）已登记过，不能重复登记。")
        cand = new_candidate(cipher, item, number, uow.now)
        uow.session.add(cand)
        uow.session.flush()
        if item.photo_jpeg:
            add_photo(uow.session, cand.id, item.photo_jpeg)
        ids.append(cand.id)
    uow.audit("candidate.register", "candidate", "", f"登记考生 {len(ids)} 人")
    return ids


def add_photo(s: Session, candidate_id: int, jpeg: bytes) -> None:
    s.add(CandidatePhoto(candidate_id=candidate_id, jpeg=jpeg, sha256=hashlib.sha256(jpeg).hexdigest()))


def _existing_indexes(s: Session, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        found.update(s.scalars(select(Candidate.id_number_index).where(Candidate.id_number_index.in_(chunk))))
    return found


def _view(c: Candidate) -> CandidateView:
    return CandidateView(
        c.id,
        c.name,
        Sex(c.sex),
        c.id_type,
        c.id_number_masked,
        c.birth_date,
        c.phone_masked,
        c.education,
        c.employer,
    )


@query("candidates.view")
def find_by_id_number(s: Session, actor: Actor, id_number: str) -> CandidateView | None:
    """Exact look-up through the HMAC index; the number itself is never searched in clear."""
    index = cipher_for(actor.db).index(normalize_id_number(id_number), ID_CONTEXT)
    cand = s.scalar(select(Candidate).where(Candidate.id_number_index == index))
    return _view(cand) if cand else None


@query("candidates.view")
def list_candidates(s: Session, actor: Actor) -> list[CandidateView]:
    return [_view(c) for c in s.scalars(select(Candidate).order_by(Candidate.id))]


@use_case("personal_data.reveal")
def reveal_id_number(uow: UnitOfWork, candidate_id: int, reason: str) -> str:
    """The full ID number, for a reason; every view is audited (002 §31)."""
    if not reason.strip():
        raise ValidationError("查看完整证件号码须填写原因。")
    cand = uow.session.get(Candidate, candidate_id)
    if cand is None:
        raise NotFound(f"考生 {candidate_id} 不存在。")
    number = uow.crypto.decrypt(cand.id_number_enc, ID_CONTEXT)
    uow.audit(
        "candidate.reveal_id", "candidate", cand.id, f"查看 {cand.name} 的完整证件号码：{reason.strip()}"
    )
    return number
