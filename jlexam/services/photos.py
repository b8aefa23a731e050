"""Candidates' photos: imported from a folder or ZIP named by ID number, checked, and who still lacks one."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from jlexam.domain.idcard import normalize_id_number
from jlexam.domain.locked_records import PRINTED_STATES, sitting_list
from jlexam.domain.sitting_state import SittingState
from jlexam.domain.tickets import check_ticket_number, normalize_ticket_number
from jlexam.errors import NotFound, StateError, ValidationError
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


def _printed_sittings(s: Session, candidate_ids: set[int]) -> dict[int, dict[str, str]]:
    """Candidate id -> {sitting code: state} of their sittings from ticket issue on (archived included)."""
    found: dict[int, dict[str, str]] = {}
    if not candidate_ids:
        return found
    rows = s.execute(
        select(Application.candidate_id, Sitting.code, Sitting.state)
        .join(Sitting, Sitting.id == Application.sitting_id)
        .where(
            Application.candidate_id.in_(sorted(candidate_ids)),
            Sitting.state.in_([state.value for state in PRINTED_STATES]),
        )
    )
    for candidate_id, code, state in rows:
        found.setdefault(candidate_id, {})[code] = state
    return found


def _replacement_refused(sittings: dict[str, str], supervised: bool) -> str | None:
    """Why a candidate's photo may not be replaced (Chinese), or None when it may."""
    archived = [code for code, state in sittings.items() if state == SittingState.ARCHIVED.value]
    if archived:  # 002 §36
        return (
            f"该考生参加的认定批次 {sitting_list(archived)} 已归档，照片是档案记录的一部分，不能再更换"
            "（002 第三十六条）"
        )
    if sittings and not supervised:  # 002 §20
        return (
            f"该考生参加的认定批次 {sitting_list(sittings)} 已发放准考证，准考证和签到表上印有原照片，"
            "不能直接更换（002 第二十条）：确需更换的，须由主考/督导批准并写明理由后更换，"
            "再重新打印准考证和签到表"
        )
    return None


def _import(uow: UnitOfWork, sitting_code: str, source: Path, reason: str | None) -> PhotoImportReport:
    """Match each file to a candidate of the sitting and add or replace their photo.

    ``reason`` None: the exam office's import (adds; replaces only where no sitting has printed the photo).
    ``reason`` given: a supervisor's replacement of photos already printed (never once archived).
    """
    s = uow.session
    supervised = reason is not None
    sitting = _sitting(s, sitting_code)
    if sitting.state == SittingState.ARCHIVED.value:  # 002 §36: the archive is closed, photos included
        raise StateError(
            f"认定批次 {sitting.code} 已归档：照片是档案记录的一部分，不能再导入或更换（002 第三十六条）。",
            rule="002 §36",
        )
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
    printed = _printed_sittings(s, set(by_id))
    replaced: list[str] = []
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
        if existing is not None and existing.sha256 == digest:
            continue  # the same photo again
        sittings = printed.get(candidate.id, {})
        if supervised and (existing is None or not sittings):
            report.problems.append(
                (
                    photo.name,
                    f"{candidate.name} 的照片尚未印在准考证上，无需主考/督导办理，请由考务人员用“导入照片”导入",
                )
            )
            continue
        refused = _replacement_refused(sittings, supervised) if existing is not None else None
        if refused:
            report.problems.append((photo.name, f"{candidate.name}：{refused}"))
            continue
        if existing is None:
            s.add(CandidatePhoto(candidate_id=candidate.id, jpeg=jpeg, sha256=digest))
            report.imported += 1
        else:
            replaced.append(
                f"{candidate.name}（{candidate.id_number_masked}，原照片 {existing.sha256[:12]}）"
            )
            existing.jpeg, existing.sha256 = jpeg, digest
            report.replaced += 1
    summary = f"导入照片：新增 {report.imported}，替换 {report.replaced}，未导入 {len(report.problems)}"
    if supervised:
        summary = (
            f"主考/督导更换已印在准考证上的照片 {report.replaced} 张：{'、'.join(replaced)}。理由：{reason}"
        )
    uow.audit("photo.replace" if supervised else "photo.import", "sitting", sitting.code, summary)
    return report


@use_case("candidates.edit", backup="import-photos")
def import_photos(uow: UnitOfWork, sitting_code: str, source: Path) -> PhotoImportReport:
    """Each file named by the candidate's ID number (e.g. 22010219900307123X.jpg) becomes their photo.

    Files that match nobody in the sitting or break the photo rules are reported, not imported. A photo is
    one per person, shared by all their applications: once any sitting of the candidate has issued tickets
    (ticketed or later), tickets and sign-in sheets printed it, so it is not replaced here but reported with
    the sitting and why (002 §20); a supervisor replaces it with a reason (:func:`replace_printed_photos`),
    and never once such a sitting is archived (002 §36). A photo for a candidate who has none is still
    added (nothing printed showed one); the rest of the files are imported.
    """
    return _import(uow, sitting_code, source, None)


@use_case("arrangement.lock", backup="replace-photos")
def replace_printed_photos(
    uow: UnitOfWork, sitting_code: str, source: Path, reason: str
) -> PhotoImportReport:
    """A supervisor's replacement of photos already printed on tickets and sign-in sheets, with its reason.

    Like the arrangement after its lock (002 §20-21), a printed photo changes only with a supervisor's
    approval and a written reason, audited with the candidates and the replaced photos' hashes; the tickets
    and sign-in sheets are then printed again. Refused for candidates in an archived sitting (002 §36);
    photos not yet printed are left to the exam office's import.
    """
    text = " ".join((reason or "").split())
    meaningful = [ch for ch in text if ch.isalnum()]
    if len(meaningful) < 4 or len(set(meaningful)) < 3:
        raise ValidationError(
            "更换已印在准考证上的照片须写明具体理由（如“考生提交的原照片非本人近照，经核对身份证后更换”），"
            "理由至少 4 个字（002 第二十条）。",
            rule="002 §20",
        )
    return _import(uow, sitting_code, source, text)


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
