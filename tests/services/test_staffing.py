"""Staff: the registry, assignments with their checks, the ratios of the standard, the lock, changes after
it (002 §21) and the briefing (002 §23)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from jlexam.errors import StateError, ValidationError
from jlexam.security.roles import Role
from jlexam.services import staffing
from jlexam.services.audit import search_events
from jlexam.services.staffing import StaffInput
from tests.services.arrangement_helpers import (
    CODE,
    approved,
    arranged,
    assessor,
    build_site,
    plan_all,
    sessions,
    staff_all,
)


@pytest.fixture
def team(actor_for):
    return {"office": actor_for(Role.EXAM_OFFICE), "sup": actor_for(Role.SUPERVISOR)}


def _lock_error(team) -> StateError:
    with pytest.raises(StateError) as info:
        staffing.lock_arrangement(team["sup"], CODE)
    return info.value


def _planned(admin, team):
    approved(admin, team)
    rooms = build_site(team["office"])
    plan_all(team["office"], rooms)
    return rooms


def test_registry_checks_qualifications(db, team):
    office = team["office"]
    with pytest.raises(ValidationError) as info:
        staffing.add_staff(office, StaffInput("赵考评", ("assessor",)))
    assert info.value.rule == "002 §38" and "考评员证书编号" in info.value.message
    with pytest.raises(ValidationError, match="超过 3 年"):
        staffing.add_staff(
            office,
            StaffInput(
                "钱督导",
                ("internal_supervisor",),
                appointed_on=date(2024, 1, 1),
                valid_until=date(2027, 6, 1),
            ),
        )
    with pytest.raises(ValidationError) as info:
        staffing.add_staff(
            office,
            StaffInput("孙督导", ("internal_supervisor",), internal=False, valid_until=date(2027, 1, 1)),
        )
    assert info.value.rule == "002 §44"
    view = staffing.add_staff(office, StaffInput("李监考", ("invigilator", "clerk")))
    assert view.roles_label == "监考员、工作人员"
    assert [s.name for s in staffing.list_staff(team["sup"], role="clerk")] == ["李监考"]


def test_a_complete_arrangement_locks(db, admin, team):
    arranged(admin, team)
    assert staffing.arrangement_problems(team["sup"], CODE) == []
    staffing.lock_arrangement(team["sup"], CODE)
    with pytest.raises(StateError) as info:
        staffing.assign_staff(team["office"], sessions(team["office"])[0].id, 1, "invigilator", "理论一")
    assert info.value.rule == "002 §21"


def test_too_few_invigilators_block_locking(db, admin, team):
    _planned(admin, team)
    staff_all(team["office"])
    theory, _ = sessions(team["office"])
    (one,) = [a for a in staffing.list_assignments(team["office"], CODE) if a.session_id == theory.id][:1]
    staffing.unassign_staff(team["office"], one.id)
    error = _lock_error(team)
    assert error.rule == "002 §21"
    assert "监考员 1 人，至少需要 2 人" in error.message and "每 15 名考生" in error.message


def test_an_even_number_of_assessors_blocks_locking(db, admin, team):
    _planned(admin, team)
    staff_all(team["office"])
    _, practical = sessions(team["office"])
    extra = staffing.add_staff(team["office"], assessor("周考评"))
    staffing.assign_staff(team["office"], practical.id, extra.id, "assessor", "实操一")
    error = _lock_error(team)
    assert error.rule == "002 §21" and "是偶数" in error.message and "奇数" in error.message


def test_an_expired_appointment_cannot_be_assigned_and_blocks_locking(db, admin, team):
    _planned(admin, team)
    _, practical = sessions(team["office"])
    old = staffing.add_staff(team["office"], assessor("吴考评", valid_until=date(2026, 6, 30)))
    with pytest.raises(ValidationError) as info:
        staffing.assign_staff(team["office"], practical.id, old.id, "assessor", "实操一")
    assert info.value.rule == "002 §38" and "有效期" in info.value.message
    made = staff_all(team["office"])
    name = next(n for n in made if n.startswith("考评"))
    staffing.update_staff(team["office"], made[name], assessor(name, valid_until=date(2026, 12, 1)))
    error = _lock_error(team)
    assert error.rule == "002 §38" and name in error.message and "有效期" in error.message


def test_an_assessor_outside_their_occupation_or_level_blocks_locking(db, admin, team):
    _planned(admin, team)
    _, practical = sessions(team["office"])
    junior = staffing.add_staff(team["office"], assessor("郑考评", max_level=5))
    with pytest.raises(ValidationError) as info:
        staffing.assign_staff(team["office"], practical.id, junior.id, "assessor", "实操一")
    assert info.value.rule == "002 §38" and "四级/中级工" in info.value.message
    made = staff_all(team["office"])
    name = next(n for n in made if n.startswith("考评"))
    staffing.update_staff(team["office"], made[name], assessor(name, occupations=("6-18-02-04",)))
    error = _lock_error(team)
    assert error.rule == "002 §38" and "聘用范围" in error.message


def test_one_person_cannot_be_in_two_rooms_at_once(db, admin, team):
    _planned(admin, team)
    theory, _ = sessions(team["office"])
    person = staffing.add_staff(team["office"], StaffInput("冯监考", ("invigilator",)))
    staffing.assign_staff(team["office"], theory.id, person.id, "invigilator", "理论一")
    with pytest.raises(ValidationError) as info:
        staffing.assign_staff(team["office"], theory.id, person.id, "invigilator", "理论二")
    assert info.value.rule == "002 §21" and "同一时间一人只能在一处" in info.value.message
    with pytest.raises(ValidationError, match="未登记为考评员"):
        staffing.assign_staff(team["office"], sessions(team["office"])[1].id, person.id, "assessor", "实操一")


def test_a_change_after_the_lock_needs_a_reason_and_a_supervisor(db, admin, team):
    arranged(admin, team)
    staffing.lock_arrangement(team["sup"], CODE)
    theory, _ = sessions(team["office"])
    target = next(a for a in staffing.list_assignments(team["sup"], CODE) if a.session_id == theory.id)
    substitute = staffing.add_staff(team["office"], StaffInput("陈监考", ("invigilator",)))
    from jlexam.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        staffing.change_staff(team["office"], CODE, "因病不能到场", remove=target.id)
    with pytest.raises(ValidationError) as info:
        staffing.change_staff(
            team["sup"],
            CODE,
            "",
            remove=target.id,
            add=(theory.id, substitute.id, "invigilator", target.room_id),
        )
    assert info.value.rule == "002 §21"
    with pytest.raises(StateError, match="至少需要 2 人"):  # removing alone would break the ratio
        staffing.change_staff(team["sup"], CODE, "监考员因病不能到场", remove=target.id)
    change = staffing.change_staff(
        team["sup"],
        CODE,
        f"{target.name} 因病不能到场",
        remove=target.id,
        add=(theory.id, substitute.id, "invigilator", target.room_id),
    )
    assert change.approved_by == team["sup"].username and "陈监考" in change.description
    assert [c.id for c in staffing.list_changes(team["office"], CODE)] == [change.id]
    names = {a.name for a in staffing.list_assignments(team["office"], CODE)}
    assert "陈监考" in names and target.name not in names
    assert any("因病不能到场" in e.summary for e in search_events(team["sup"], "调整已锁定"))


def test_briefing_with_attendance(db, admin, team):
    arranged(admin, team)
    people = staffing.list_assignments(team["office"], CODE)
    ids = sorted({a.staff_id for a in people})
    at = datetime(2026, 12, 11, 6, 0, tzinfo=UTC)
    view = staffing.record_briefing(team["office"], CODE, at, "考务办公室", ids[1:], "明确考场纪律")
    assert len(view.attendees) == len(ids) - 1 and len(view.absent) == 1
    with pytest.raises(ValidationError) as info:
        staffing.record_briefing(
            team["office"], CODE, datetime(2026, 12, 12, 2, tzinfo=UTC), "考务办公室", ids
        )
    assert info.value.rule == "002 §23"
    assert staffing.list_briefings(team["sup"], CODE)[0].place == "考务办公室"


def _free_seat(plan, room_id, rows, columns):
    taken = {(x.row, x.column) for x in plan.seats if x.room_id == room_id}
    return next((r, c) for r in range(1, rows + 1) for c in range(1, columns + 1) if (r, c) not in taken)


def test_a_seat_move_after_the_lock_needs_a_supervisor_a_reason_and_keeps_the_staff_checks(db, admin, team):
    from jlexam.errors import PermissionDenied
    from jlexam.services import arrangement

    rooms = arranged(admin, team)
    theory, practical = sessions(team["office"])
    staffing.lock_arrangement(team["sup"], CODE)
    plan = arrangement.seat_plan(team["office"], practical.id)
    mover = next(x for x in plan.seats if x.room_name == "实操二")
    row, column = _free_seat(plan, rooms["实操二"], 2, 5)
    # Before the lock the office moves; after it the plain move is refused and names the supervised one.
    with pytest.raises(StateError, match="调整座位（锁定后）"):
        arrangement.move_seat(
            team["office"], practical.id, mover.application_id, rooms["实操二"], row, column
        )
    with pytest.raises(PermissionDenied):
        staffing.change_seat(
            team["office"],
            practical.id,
            mover.application_id,
            rooms["实操二"],
            row,
            column,
            "课桌损坏需要调换",
        )
    for empty in ("", "调整", "。。。。", "aaaa", "需要调整"):
        with pytest.raises(ValidationError) as info:
            staffing.change_seat(
                team["sup"], practical.id, mover.application_id, rooms["实操二"], row, column, empty
            )
        assert info.value.rule == "002 §21"
    taken = next(x for x in plan.seats if x.application_id != mover.application_id)
    with pytest.raises(ValidationError, match="已有考生"):
        staffing.change_seat(
            team["sup"],
            practical.id,
            mover.application_id,
            taken.room_id,
            taken.row,
            taken.column,
            "工位设备故障",
        )
    # Into an unstaffed room: the staff check of the standard refuses and nothing changes.
    with pytest.raises(StateError, match="考务人员不符合要求"):
        staffing.change_seat(
            team["sup"],
            theory.id,
            plan.seats[0].application_id,
            rooms["理论二"],
            1,
            1,
            "考生视力原因需坐前排",
        )
    view = staffing.change_seat(
        team["sup"],
        practical.id,
        mover.application_id,
        rooms["实操二"],
        row,
        column,
        "原工位设备故障，调到空工位",
    )
    assert not view.reprint and view.ticket_number == ""  # no tickets yet
    seat = next(x for x in view.plan.seats if x.application_id == mover.application_id)
    assert (seat.row, seat.column) == (row, column)
    assert view.change.kind == "seat" and view.change.approved_by == team["sup"].username
    assert "实操二" in view.change.description and mover.name in view.change.description
    changes = staffing.list_changes(team["office"], CODE)
    assert [(c.kind, c.kind_label) for c in changes] == [("seat", "座位")]
    assert staffing.list_changes(team["office"], CODE, kind="staff") == []
    assert any("设备故障" in e.summary for e in search_events(team["sup"], "调整已锁定的座位"))
    assert arrangement.reproduce_seat_plan(team["office"], practical.id).moved == (mover.application_id,)


def test_staff_changes_are_of_kind_staff(db, admin, team):
    arranged(admin, team)
    staffing.lock_arrangement(team["sup"], CODE)
    theory, _ = sessions(team["office"])
    extra = staffing.add_staff(team["office"], StaffInput("备用监考", ("invigilator",)))
    room = next(n.room_id for n in staffing.staff_needs(team["office"], CODE) if n.session_id == theory.id)
    change = staffing.change_staff(
        team["sup"], CODE, "考生较多，增加一名监考员", add=(theory.id, extra.id, "invigilator", room)
    )
    assert change.kind == "staff" and change.kind_label == "考务人员"
    assert [c.kind for c in staffing.list_changes(team["office"], CODE)] == ["staff"]


def test_who_worked_a_session_that_has_begun_stays_on_record(db, admin, team):
    """002 §21: once a session has begun its staff assignments are not removed (an absence goes into the
    room record), and nobody is added to a session that has ended."""
    from datetime import timedelta

    from sqlalchemy import update

    from jlexam.services.base import utcnow
    from jlexam.store.models import ExamSession

    arranged(admin, team)
    staffing.lock_arrangement(team["sup"], CODE)
    theory, _ = sessions(team["office"])
    target = next(a for a in staffing.list_assignments(team["sup"], CODE) if a.session_id == theory.id)
    substitute = staffing.add_staff(team["office"], StaffInput("陈监考", ("invigilator",)))
    swap = {"remove": target.id, "add": (theory.id, substitute.id, "invigilator", target.room_id)}
    now = utcnow()
    with db.transaction() as s:  # the theory session began ten minutes ago
        s.execute(
            update(ExamSession)
            .where(ExamSession.id == theory.id)
            .values(starts_at=now - timedelta(minutes=10), ends_at=now + timedelta(minutes=80))
        )
    with pytest.raises(StateError, match="已开始") as info:
        staffing.change_staff(team["sup"], CODE, "监考员因病不能到场", **swap)
    assert info.value.rule == "002 §21"
    with db.transaction() as s:  # and ended an hour ago
        s.execute(
            update(ExamSession)
            .where(ExamSession.id == theory.id)
            .values(starts_at=now - timedelta(hours=3), ends_at=now - timedelta(hours=1))
        )
    with pytest.raises(StateError, match="已结束"):
        staffing.change_staff(
            team["sup"], CODE, "补记一名监考员", add=(theory.id, substitute.id, "invigilator", target.room_id)
        )
    assert target.name in {a.name for a in staffing.list_assignments(team["office"], CODE)}
