"""Builders for the tests of later stages: approved applications, a site with every room kind, seat plans,
staff by the standard, and a sitting taken through its exam day (002 §18-24) so that scores may be entered."""

from __future__ import annotations

from datetime import date, timedelta

from jlexam.services import arrangement, checkin, eligibility, registration, sittings, staffing, tickets
from jlexam.services.arrangement import RoomInput
from jlexam.services.base import Actor
from jlexam.services.staffing import StaffInput
from tests.services.helpers import ELECTRICIAN, open_sitting, person

CODE = "S2026-12"


def approved(admin, team, levels=(4,) * 12) -> list[int]:
    """A closed sitting (theory + practical for everyone) with one approved application per level given."""
    office, sup = team["office"], team["sup"]
    open_sitting(admin, office)
    ids = [
        registration.register_application(office, CODE, person(2 * i + 1, level=lv, years=12))
        for i, lv in enumerate(levels)
    ]
    sittings.close_registration(office, CODE)
    eligibility.evaluate_sitting(office, CODE)
    for app_id in ids:
        eligibility.decide(sup, app_id, True)
    return ids


ROOMS = {
    "理论一": ("theory", 3, 4),
    "理论二": ("theory", 3, 4),
    "实操一": ("practical", 2, 5),
    "实操二": ("practical", 2, 5),
    "考务办公室": ("exam_office", 2, 2),
    "候考室": ("waiting", 2, 2),
    "评分室": ("marking", 2, 2),
}


def build_site(office, *, skip=(), unwatched=()) -> dict[str, int]:
    arrangement.add_site(office, "一号考点", "长春市")
    ids = {}
    for name, (kind, rows, columns) in ROOMS.items():
        if name in skip:
            continue
        view = arrangement.add_room(
            office, "一号考点", RoomInput(name, kind, rows, columns, video_surveillance=name not in unwatched)
        )
        ids[name] = view.id
    return ids


def sessions(actor, code: str = CODE):
    found = {s.part: s for s in sittings.list_sessions(actor, code)}
    return found["theory"], found["practical"]


def plan_all(office, rooms, seed=7, code: str = CODE) -> None:
    for s in sittings.list_sessions(office, code):
        names = ("理论一", "理论二") if s.part == "theory" else ("实操一", "实操二")
        arrangement.make_seat_plan(office, s.id, [rooms[n] for n in names], seed=seed)


def assessor(name: str, *, max_level=3, valid_until=date(2027, 12, 31), occupations=(ELECTRICIAN,)):
    return StaffInput(
        name,
        ("assessor",),
        certificate_number=f"KP-{name}",
        occupations=occupations,
        max_level=max_level,
        appointed_on=date(2025, 1, 1),
        valid_until=valid_until,
    )


def staff_all(office, code: str = CODE) -> dict[str, int]:
    """Exactly the staff each room needs by the standard; returns name -> staff id."""
    made: dict[str, int] = {}
    for need in staffing.staff_needs(office, code):
        for k in range(need.needed):
            if need.duty == "invigilator":
                item = StaffInput(f"监考{need.session_id}-{need.room_id}-{k}", ("invigilator",))
            else:
                item = assessor(f"考评{need.session_id}-{need.room_id}-{k}")
            view = staffing.add_staff(office, item)
            made[view.name] = view.id
            staffing.assign_staff(office, need.session_id, view.id, need.duty, need.room_id)
    return made


def arranged(admin, team, levels=(4,) * 12) -> dict[str, int]:
    """Approved applications, a site, seat plans and staff, ready for the supervisor's lock."""
    approved(admin, team, levels)
    rooms = build_site(team["office"])
    plan_all(team["office"], rooms)
    staff_all(team["office"])
    return rooms


def hold(
    office: Actor,
    sup: Actor,
    code: str = CODE,
    *,
    absent: frozenset[int] = frozenset(),
    misconduct: frozenset[int] = frozenset(),
) -> None:
    """Take a sitting whose applications are decided through its exam day: rooms, seat plans, staff, the
    supervisor's lock, tickets, the briefing, every candidate scanned in (except ``absent`` application ids,
    recorded absent), and the sitting marked held, so that scores may be entered (002 §25)."""
    rooms = build_site(office)
    plan_all(office, rooms, code=code)
    staff_all(office, code)
    staffing.lock_arrangement(sup, code)
    tickets.issue_tickets(office, code)
    exam_day(office, code, absent=absent, misconduct=misconduct)


def exam_day(
    office: Actor,
    code: str = CODE,
    *,
    absent: frozenset[int] = frozenset(),
    misconduct: frozenset[int] = frozenset(),
) -> None:
    """The exam day of a ticketed sitting: the briefing, every candidate but ``absent`` scanned in before
    each session, the rest recorded absent, misconduct recorded in the theory session for the application
    ids in ``misconduct``, and the sitting marked held after its last session."""
    tokens = tickets.ticket_tokens(office, code)
    found = sittings.list_sessions(office, code)
    ids = sorted({a.staff_id for a in staffing.list_assignments(office, code)})
    first = min(x.starts_at for x in found)
    staffing.record_briefing(office, code, first - timedelta(days=1), "考务办公室", ids)
    for session in found:
        scans = [(t, session.starts_at - timedelta(minutes=10)) for a, t in tokens.items() if a not in absent]
        checkin.check_in_batch(office, session.id, scans)
        if absent:
            checkin.record_absences(office, session.id, now=session.ends_at)
        if session.part == "theory":
            rooms = {r.application_id: r.room.split("（")[-1].rstrip("）") for r in tickets.list_tickets(office, code)}
            for app_id in misconduct:
                checkin.record_room_event(
                    office, session.id, rooms[app_id], "misconduct", "携带手机进入考场", application_id=app_id
                )
    checkin.mark_held(office, code, now=max(x.ends_at for x in found) + timedelta(minutes=1))
