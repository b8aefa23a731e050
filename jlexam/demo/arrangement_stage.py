"""The demo's arrangement and exam-day stage (issue 5): rooms, seat plans, staff, lock, briefing, tickets,
room documents, check-in by scanning, absences, an incident, and the sitting marked as held.

The demo institution's site (``demo_institution()["sites"]``) seats about a hundred; a larger demo adds
numbered extra rooms of the needed kinds to the same site, so every size of demo can be arranged.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

from jlexam.demo.institution import demo_institution
from jlexam.demo.names import make_name
from jlexam.domain.idcard import Sex
from jlexam.services import arrangement, checkin, sittings, staffing, tickets
from jlexam.services.base import Actor, set_simulated_time
from jlexam.services.staffing import StaffInput

_EXTRA = {  # kind -> (name pattern, rows, columns) of the extra rooms a large demo adds
    "theory": ("教学楼E{:03d} 理论考场", 8, 8),
    "practical": ("综合实训楼F{:03d} 实操考场", 5, 6),
    "review": ("综合评审室G{:03d}", 1, 8),
}


def _sites(office: Actor, sitting_code: str) -> dict[str, list[int]]:
    """Load the demo site, add extra rooms where the candidates need them; returns kind -> room ids."""
    data = demo_institution()["sites"]
    site = dict(data[0])
    rooms = list(site["rooms"])
    need: dict[str, int] = defaultdict(int)
    views = sittings.list_sessions(office, sitting_code)
    counts = {sid: n for sid, _, n in arrangement.sessions_for(office, sitting_code)}
    for view in views:
        need[view.part] = max(need[view.part], counts.get(view.id, 0))
    for kind, (pattern, rows, columns) in _EXTRA.items():
        have = sum(r["capacity"] for r in rooms if r["kind"] == kind)
        missing = int(need.get(kind, 0) * 1.1) + 1 - have  # a tenth spare keeps the groups apart
        extra = 0
        while missing > 0:
            extra += 1
            rooms.append(
                {
                    "name": pattern.format(extra),
                    "kind": kind,
                    "rows": rows,
                    "columns": columns,
                    "capacity": rows * columns,
                    "video_surveillance": True,
                }
            )
            missing -= rows * columns
    site["rooms"] = rooms
    arrangement.load_sites(office, [site, *data[1:]])
    by_kind: dict[str, list[int]] = defaultdict(list)
    for room in arrangement.list_rooms(office):
        by_kind[room.kind].append(room.id)
    return by_kind


def _staff(office: Actor, sitting_code: str, first_day: date, rng: random.Random) -> list[int]:
    """Exactly the invigilators and assessors the standards ask for, each qualified for their room, plus a
    chief examiner and an internal supervisor for every session; returns the staff ids."""
    appointed = first_day - timedelta(days=400)
    valid_until = appointed.replace(year=appointed.year + 3) - timedelta(days=1)
    made: list[int] = []

    def person(roles: tuple[str, ...], **extra: object) -> int:
        name = make_name(rng, Sex.MALE if rng.random() < 0.5 else Sex.FEMALE)
        view = staffing.add_staff(office, StaffInput(name, roles, **extra))  # type: ignore[arg-type]
        made.append(view.id)
        return view.id

    chief = person(("chief_examiner",))
    supervisor = person(
        ("internal_supervisor",),
        certificate_number="JLDD-2025-0018",
        appointed_on=appointed,
        valid_until=valid_until,
    )
    invigilators: list[int] = []
    for view in sittings.list_sessions(office, sitting_code):
        staffing.assign_staff(office, view.id, chief, "chief_examiner")
        staffing.assign_staff(office, view.id, supervisor, "internal_supervisor")
        used = 0
        for need in staffing.staff_needs(office, sitting_code):
            if need.session_id != view.id:
                continue
            for _ in range(need.needed):
                if need.duty == "invigilator":
                    # Invigilators are reused from one session to the next (sessions never overlap here).
                    if used == len(invigilators):
                        invigilators.append(person(("invigilator",)))
                    staff_id = invigilators[used]
                    used += 1
                else:
                    codes = tuple(sorted({code for code, _ in need.groups}))
                    staff_id = person(
                        ("assessor",),
                        certificate_number=f"JLKP-{first_day:%y}-{len(made):05d}",
                        occupations=codes,
                        max_level=min(level for _, level in need.groups),
                        appointed_on=appointed,
                        valid_until=valid_until,
                    )
                staffing.assign_staff(office, view.id, staff_id, need.duty, need.room_id)
    return made


def run(actors: dict[str, Actor], sitting_code: str, out: Path) -> list[Path]:
    """Arrange the sitting, issue its tickets and hold its exam day; returns the files written into ``out``."""
    office, supervisor = actors["kaowu"], actors["zhukao"]
    out = Path(out)
    rng = random.Random(f"arrangement/{sitting_code}")
    rooms = _sites(office, sitting_code)
    views = sittings.list_sessions(office, sitting_code)
    counts = {sid: n for sid, _, n in arrangement.sessions_for(office, sitting_code)}
    for index, view in enumerate(views):
        if counts.get(view.id):
            arrangement.make_seat_plan(
                office, view.id, rooms[view.part], seed=20260 + index, strategy="balanced"
            )
    first_day = views[0].starts_at.date()
    staff_ids = _staff(office, sitting_code, first_day, rng)
    staffing.lock_arrangement(supervisor, sitting_code)
    tickets.issue_tickets(office, sitting_code)
    files = [out / "tickets.pdf"]
    tickets.write_tickets(office, sitting_code, files[0])
    files += tickets.write_room_documents(office, sitting_code, out)
    briefing = views[0].starts_at - timedelta(days=1)
    set_simulated_time(briefing + timedelta(hours=2))  # the demo's clock: recorded after the meeting
    staffing.record_briefing(
        office,
        sitting_code,
        briefing,
        "考务办公室A101",
        staff_ids[:-1] if len(staff_ids) > 3 else staff_ids,
        "通报考场安排和考务要求，学习考场规则和突发事件应急处置预案。",
    )

    set_simulated_time(views[0].starts_at - timedelta(hours=1))  # the exam day
    tokens = tickets.ticket_tokens(office, sitting_code)
    rows = {t.application_id: t for t in tickets.list_tickets(office, sitting_code)}
    absent = set(rng.sample(sorted(tokens), k=max(1, len(tokens) // 50)))
    lost = next((a for a in sorted(tokens) if a not in absent), None)
    for view in views:
        if not counts.get(view.id):
            continue
        at = view.starts_at - timedelta(minutes=40)
        seated = {x.application_id for x in arrangement.seat_plan(office, view.id).seats}
        scans = []
        for app_id in sorted(seated):
            at += timedelta(seconds=1)
            if app_id not in absent and app_id != lost:
                scans.append((tokens[app_id], at))
        # The entrance scanners' records of the session, verified and recorded in one go.
        set_simulated_time(view.starts_at - timedelta(minutes=5))
        results = checkin.check_in_batch(office, view.id, scans)
        if not all(r.ok for r in results):
            raise RuntimeError(next(r.message for r in results if not r.ok))
        if lost in seated:  # a ticket left at home: checked by ID card, by hand, with the reason
            checkin.check_in_manual(
                office, view.id, "准考证遗失，已核验身份证件原件", ticket_number=rows[lost].number, now=at
            )
        set_simulated_time(view.starts_at + timedelta(minutes=21))
        checkin.record_absences(office, view.id, now=view.starts_at + timedelta(minutes=20))
    theory = next((v for v in views if v.part == "theory" and counts.get(v.id)), None)
    if theory is not None:
        plan = arrangement.seat_plan(office, theory.id)
        first_room = plan.seats[0].room_id
        checkin.record_room_event(
            office,
            theory.id,
            first_room,
            "incident",
            "开考后约 40 分钟考场照明短暂中断约 2 分钟，按应急预案启用应急照明，考试未受影响，已报告主考。",
            at=theory.starts_at + timedelta(minutes=40),
        )
        cheat = next(
            (x for x in plan.seats if x.room_id == first_room and x.application_id not in absent), None
        )
        if cheat is not None:
            checkin.record_room_event(
                office,
                theory.id,
                first_room,
                "misconduct",
                "考试中发现携带手机进入考场，已按考场规则收存并记录，考生签字确认。",
                application_id=cheat.application_id,
                at=theory.starts_at + timedelta(minutes=55),
            )
    set_simulated_time(max(v.ends_at for v in views) + timedelta(minutes=30))  # the day is over
    files.append(tickets.write_room_records(office, sitting_code, out / "room-records-filled.pdf"))
    checkin.mark_held(office, sitting_code)
    return files
