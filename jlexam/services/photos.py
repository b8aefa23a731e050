"""Candidates' photos: imported from a folder or ZIP named by ID number, checked, and who still lacks one."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from jlexam.domain.idcard import normalize_id_number
from jlexam.domain.tickets import check_ticket_number, normalize_ticket_number
from jlexam.errors import NotFound
from jlexam.exchange.photos import iter_photo_files, normalise_photo
from jlexam.services.base import Actor, UnitOfWork, query, use_case
from jlexam.services.candidates import ID_CONTEXT
from jlexam.store.models import Application, Candidate, CandidatePhoto, Sitting, Ticket


@dataclass
class PhotoImportReport:
    imported: int = 0
    replaced: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)  # (file, Chinese reason)


def _sitting(s: Session, code: str) -> Sitting:
    sitting = s.scalar(select(Sitting).where(Sitting.code == code))
    if sitting is None:
        raise NotFound(f"没有编号为 {code} 的认定批次。")
    return sitting


@use_case("candidates.edit", backup="import-photos")
def import_photos(uow: UnitOfWork, sitting_code: str, source: Path) -> PhotoImportReport:
    """Each file named by the candidate's ID number (e.g. 22010219900307123X.jpg) becomes their photo.

    Files that match nobody in the sitting or break the photo rules are reported, not imported.
    """
    s = uow.session
    sitting = _sitting(s, sitting_code)
    by_index = {
        c.id_number_index: c
        for c in s.scalars(
            select(Candidate)
            .join(Application, Application.candidate_id == Candidate.id)
            .where(Application.sitting_id == sitting.id)
        )
    }
    cipher = uow.crypto
    report = PhotoImportReport()
    by_ticket = {
        number: candidate_id
        for number, candidate_id in s.execute(
            select(Ticket.number, Application.candidate_id)
            .join(Application, Ticket.application_id == Application.id)
            .where(Application.sitting_id == sitting.id)
        )
    }
    by_id = {c.id: c for c in by_index.values()}
    for photo in iter_photo_files(source):
        # Named by ticket number (after tickets are issued) or by ID number.
        ticket = normalize_ticket_number(photo.stem) if check_ticket_number(photo.stem) else ""
        if ticket in by_ticket:
            candidate = by_id.get(by_ticket[ticket])
        else:
            candidate = by_index.get(cipher.index(normalize_id_number(photo.stem), ID_CONTEXT))
        if candidate is None:
            report.problems.append((photo.name, "文件名不是本批次考生的证件号码或准考证号"))
            continue
        jpeg, problems = normalise_photo(photo.data)
        if jpeg is None:
            report.problems.append((photo.name, "；".join(problems)))
            continue
        existing = s.get(CandidatePhoto, candidate.id)
        digest = hashlib.sha256(jpeg).hexdigest()
        if existing is None:
            s.add(CandidatePhoto(candidate_id=candidate.id, jpeg=jpeg, sha256=digest))
            report.imported += 1
        elif existing.sha256 != digest:
            existing.jpeg, existing.sha256 = jpeg, digest
            report.replaced += 1
    uow.audit(
        "photo.import",
        "sitting",
        sitting.code,
        f"导入照片：新增 {report.imported}，替换 {report.replaced}，未导入 {len(report.problems)}",
    )
    return report


@dataclass(frozen=True)
class MissingPhoto:
    application_id: int
    name: str
    id_number_masked: str


@query("candidates.view")
def applications_without_photo(s: Session, actor: Actor, sitting_code: str) -> list[MissingPhoto]:
    sitting = _sitting(s, sitting_code)
    rows = s.execute(
        select(Application.id, Candidate.name, Candidate.id_number_masked)
        .join(Candidate, Application.candidate_id == Candidate.id)
        .outerjoin(CandidatePhoto, CandidatePhoto.candidate_id == Candidate.id)
        .where(Application.sitting_id == sitting.id, CandidatePhoto.candidate_id.is_(None))
        .order_by(Application.id)
    )
    return [MissingPhoto(*row) for row in rows]
