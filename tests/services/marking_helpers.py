"""Markers for tests that lock theory scores: 002 §25 wants them chosen from qualified assessors first."""

from __future__ import annotations

from datetime import date

from jlexam.services import marking, sittings, staffing
from jlexam.services.base import Actor
from jlexam.services.staffing import StaffInput
from tests.services.helpers import ELECTRICIAN


def choose_markers(office: Actor, code: str, name: str = "阅卷考评员") -> int:
    """Register one assessor of electricians (levels 5-3) and make them marker of every theory session."""
    view = staffing.add_staff(
        office,
        StaffInput(
            name,
            ("assessor",),
            certificate_number=f"KP-{name}",
            occupations=(ELECTRICIAN,),
            max_level=3,
            appointed_on=date(2025, 1, 1),
            valid_until=date(2027, 12, 31),
        ),
    )
    for session in sittings.list_sessions(office, code):
        if session.part == "theory":
            marking.assign_marker(office, session.id, view.id)
    return view.id
