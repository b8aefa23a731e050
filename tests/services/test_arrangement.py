"""Sites, rooms and seat plans: the rooms a sitting needs (002 §18-19), plans that seat every approved
application and come out the same from their seed, manual moves, and the lock by a supervisor."""

from __future__ import annotations

import pytest

from jlexam.errors import PermissionDenied, StateError, ValidationError
from jlexam.security.roles import Role
from jlexam.services import arrangement, sittings, staffing
from jlexam.services.arrangement import RoomInput
from tests.services.arrangement_helpers import CODE, approved, arranged, build_site, sessions
from tests.services.helpers import open_sitting


@pytest.fixture
def team(actor_for):
    return {"office": actor_for(Role.EXAM_OFFICE), "sup": actor_for(Role.SUPERVISOR)}


# --- tests --------------------------------------------------------------------------------------------------
def test_rooms_are_checked_when_added(db, team):
    office = team["office"]
    arrangement.add_site(office, "一号考点")
    with pytest.raises(ValidationError, match="停用座位"):
        arrangement.add_room(office, "一号考点", RoomInput("坏", "theory", 2, 2, seats_out_of_use="3-1"))
    with pytest.raises(ValidationError, match="类型"):
        arrangement.add_room(office, "一号考点", RoomInput("坏", "gym", 2, 2))
    with pytest.raises(ValidationError) as info:
        arrangement.add_room(office, "一号考点", RoomInput("小", "theory", 2, 2, capacity=5))
    assert info.value.rule == "002 §18"
    view = arrangement.add_room(
        office,
        "一号考点",
        RoomInput("理论", "theory", 3, 3, seats_out_of_use="1-1, 2-2", video_surveillance=True),
    )
    assert view.capacity == 7 and view.seats_out_of_use == "1-1,2-2"
    assert [r.name for r in arrangement.list_rooms(team["sup"], kind="theory")] == ["理论"]


def test_missing_room_kinds_refuse_arranging(db, admin, team):
    approved(admin, team)
    rooms = build_site(team["office"], skip=("候考室", "评分室"))
    theory, _ = sessions(team["office"])
    with pytest.raises(ValidationError) as info:
        arrangement.make_seat_plan(team["office"], theory.id, [rooms["理论一"], rooms["理论二"]], seed=1)
    assert info.value.rule == "002 §19"
    assert "候考室" in info.value.message and "评分室" in info.value.message


def test_rooms_without_surveillance_or_of_the_wrong_kind_refuse_arranging(db, admin, team):
    approved(admin, team)
    rooms = build_site(team["office"], unwatched=("理论二",))
    theory, _ = sessions(team["office"])
    with pytest.raises(ValidationError) as info:
        arrangement.make_seat_plan(team["office"], theory.id, [rooms["理论一"], rooms["理论二"]], seed=1)
    assert info.value.rule == "002 §18" and "视频监控" in info.value.message
    with pytest.raises(ValidationError, match="不能用于理论知识考试"):
        arrangement.make_seat_plan(team["office"], theory.id, [rooms["实操一"], rooms["理论一"]], seed=1)


def test_seat_plan_places_every_approved_application_and_reproduces(db, admin, team):
    ids = approved(admin, team, levels=(4,) * 10 + (3,) * 4)
    rooms = build_site(team["office"])
    theory, practical = sessions(team["office"])
    view = arrangement.make_seat_plan(
        team["office"], theory.id, [rooms["理论一"], rooms["理论二"]], seed=42, strategy="balanced"
    )
    assert sorted(x.application_id for x in view.seats) == sorted(ids)
    assert view.seed == 42 and sorted(r.seated for r in view.rooms) == [4, 10]
    seats = {(x.room_id, x.row, x.column) for x in view.seats}
    assert len(seats) == len(ids)
    check = arrangement.reproduce_seat_plan(team["sup"], theory.id)
    assert check.same and check.seed == 42
    again = arrangement.make_seat_plan(
        team["office"], theory.id, [rooms["理论一"], rooms["理论二"]], seed=42, strategy="balanced"
    )
    assert again.seats == view.seats
    # Too few seats for the practical session: refused with the count missing.
    with pytest.raises(ValidationError, match="还缺 4 个座位"):
        arrangement.make_seat_plan(team["office"], practical.id, [rooms["实操一"]], seed=1)


def test_manual_move(db, admin, team):
    approved(admin, team)
    rooms = build_site(team["office"])
    theory, _ = sessions(team["office"])
    view = arrangement.make_seat_plan(team["office"], theory.id, [rooms["理论一"], rooms["理论二"]], seed=3)
    first, second = view.seats[0], view.seats[1]
    with pytest.raises(ValidationError, match="已有考生"):
        arrangement.move_seat(
            team["office"], theory.id, first.application_id, rooms["理论一"], second.row, second.column
        )
    moved = arrangement.move_seat(team["office"], theory.id, first.application_id, rooms["理论二"], 3, 4)
    seat = next(x for x in moved.seats if x.application_id == first.application_id)
    assert (seat.room_name, seat.seat_number) == ("理论二", 12)
    assert arrangement.reproduce_seat_plan(team["office"], theory.id).moved == (first.application_id,)


def test_plan_needs_a_closed_sitting(db, admin, team):
    open_sitting(admin, team["office"])
    rooms = build_site(team["office"])
    theory, _ = sessions(team["office"])
    with pytest.raises(StateError, match="报名截止后"):
        arrangement.make_seat_plan(team["office"], theory.id, [rooms["理论一"]], seed=1)


def test_lock_by_supervisor_only_then_plan_is_fixed(db, admin, team):
    rooms = arranged(admin, team)
    with pytest.raises(PermissionDenied):
        staffing.lock_arrangement(team["office"], CODE)
    staffing.lock_arrangement(team["sup"], CODE)
    assert sittings.list_sittings(team["sup"])[0].state.value == "arranged"
    theory, _ = sessions(team["office"])
    view = arrangement.seat_plan(team["sup"], theory.id)
    assert view.locked and view.locked_by == team["sup"].username
    with pytest.raises(StateError) as info:
        arrangement.move_seat(team["office"], theory.id, view.seats[0].application_id, rooms["理论二"], 3, 4)
    assert info.value.rule == "002 §21"
    with pytest.raises(StateError):
        arrangement.make_seat_plan(team["office"], theory.id, [rooms["理论一"], rooms["理论二"]], seed=9)
