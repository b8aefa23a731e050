"""Builders for service tests: an institution with a scope, a sitting with sessions, applications."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from jlexam.demo.institution import demo_institution
from jlexam.domain.idcard import Sex, build_id_number
from jlexam.domain.levels import SkillLevel
from jlexam.exchange.catalogue import load_occupations
from jlexam.services import institution, registration, sittings
from jlexam.services.base import Actor
from jlexam.services.candidates import CandidateInput

ELECTRICIAN = "6-31-01-03"
START = date(2026, 12, 12)


def setup_institution(admin: Actor, kind: str = "vocational_school") -> None:
    data = demo_institution()
    institution.load_catalogue(admin, load_occupations())
    institution.save_institution(
        admin,
        institution.InstitutionForm(
            name=data["filed_name"],
            credit_code=data["unified_social_credit_code"],
            kind=kind,
            filed_on=date(2025, 4, 10),
            filing_valid_until=date(2028, 4, 9),
        ),
    )
    institution.set_scope(admin, [institution.ScopeItem(ELECTRICIAN, "", SkillLevel(lv)) for lv in (5, 4, 3)])


def open_sitting(
    admin: Actor, office: Actor, code: str = "S2026-12", fee_cents: int = 30000, start: date = START
) -> sittings.SittingView:
    """A sitting on ``start`` (theory at 09:00, practical at 14:00 Beijing time), registration open for the
    30 days ending 12 days before it."""
    setup_institution(admin)
    offers = [sittings.OfferInput(ELECTRICIAN, "", SkillLevel(lv), fee_cents) for lv in (5, 4, 3)]
    view = sittings.create_sitting(
        office, code, f"{start.year}年{start.month}月电工认定", start, start + timedelta(days=1), offers
    )
    at = datetime.combine(start, time(1, 0), tzinfo=UTC)  # 09:00 Beijing time
    sittings.add_session(office, code, "theory", at, at + timedelta(minutes=90))
    sittings.add_session(office, code, "practical", at + timedelta(hours=5), at + timedelta(hours=7))
    sittings.open_registration(office, code, start - timedelta(days=41), start - timedelta(days=12))
    return view


def person(
    seq: int,
    *,
    level: int = 4,
    years: int | None = 6,
    education: str = "高中/中专",
    birth: date = date(1990, 3, 7),
    student: bool = False,
) -> registration.ApplicationInput:
    number = build_id_number("220102", birth, seq)
    sex = Sex.MALE if seq % 2 else Sex.FEMALE
    candidate = CandidateInput(
        name=f"考生{seq}",
        sex=sex,
        id_number=number,
        phone="13912345678",
        education=education,
        student_number=f"S{seq}" if student else None,
        graduation_year=2027 if student else None,
    )
    return registration.ApplicationInput(
        candidate=candidate, occupation_code=ELECTRICIAN, level=SkillLevel(level), years_in_occupation=years
    )
