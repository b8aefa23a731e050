"""Seat plans (002 §18-20): every constraint of ``allocate`` as a property, and manual moves."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jlexam.domain.seating import (
    RoomSpec,
    Seat,
    Seatee,
    SeatPlan,
    adjacent_same_employer,
    allocate,
    move,
)
from jlexam.errors import ValidationError

GROUPS = [("6-31-01-03", 3), ("6-31-01-03", 4), ("4-03-02-01", 5), ("4-01-06-02", 3)]
EMPLOYERS = [
    "",
    "长春宏达机械有限公司",
    "吉林瑞丰电力有限公司",
    "电气自动化技术23级1班",
    "电气自动化技术23级2班",
]


@st.composite
def rooms_st(draw, max_rooms: int = 5) -> list[RoomSpec]:
    count = draw(st.integers(1, max_rooms))
    rooms = []
    for i in range(count):
        rows, columns = draw(st.integers(1, 6)), draw(st.integers(1, 6))
        seats = [(r, c) for r in range(1, rows + 1) for c in range(1, columns + 1)]
        out = frozenset(draw(st.lists(st.sampled_from(seats), max_size=len(seats) // 3, unique=True)))
        capacity = draw(st.none() | st.integers(0, rows * columns))
        rooms.append(RoomSpec(100 + i * 7, f"第{i + 1:02d}考场", rows, columns, out, capacity))
    return rooms


@st.composite
def seatees_st(draw, max_size: int = 90) -> list[Seatee]:
    n = draw(st.integers(0, max_size))
    ids = draw(st.lists(st.integers(1, 10**6), min_size=n, max_size=n, unique=True))
    return [Seatee(i, draw(st.sampled_from(GROUPS)), draw(st.sampled_from(EMPLOYERS))) for i in ids]


def _capacity(rooms: list[RoomSpec]) -> int:
    return sum(r.effective_capacity for r in rooms)


def _naive(plan: SeatPlan, seatees: list[Seatee]) -> SeatPlan:
    """The same rooms and seats, candidates put in row-major order by application id (no separation)."""
    assignments = {}
    for room_seats in plan.by_room().values():
        apps = sorted(app for _, app in room_seats)
        for (seat, _), app in zip(room_seats, apps, strict=True):
            assignments[app] = seat
    return SeatPlan(assignments, plan.seed, "naive", [], plan.rooms)


def _check_plan(plan: SeatPlan, seatees: list[Seatee], rooms: list[RoomSpec]) -> None:
    by_id = {r.room_id: r for r in rooms}
    seats = [(s.room_id, s.row, s.column) for s in plan.assignments.values()]
    assert len(seats) == len(set(seats)), "two candidates in one seat"
    for seat in plan.assignments.values():
        room = by_id[seat.room_id]
        assert 1 <= seat.row <= room.rows and 1 <= seat.column <= room.columns
        assert (seat.row, seat.column) not in room.seats_out_of_use
        assert seat.number == (seat.row - 1) * room.columns + seat.column
    for room_id, placed in plan.by_room().items():
        assert len(placed) <= by_id[room_id].effective_capacity
    placed_ids = set(plan.assignments)
    assert placed_ids.isdisjoint(plan.unplaced)
    assert placed_ids | set(plan.unplaced) == {s.application_id for s in seatees}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rooms=rooms_st(),
    seatees=seatees_st(),
    seed=st.integers(0, 2**32),
    strategy=st.sampled_from(["fill", "balanced"]),
)
def test_every_constraint_holds(rooms, seatees, seed, strategy) -> None:
    if len(seatees) > _capacity(rooms):
        with pytest.raises(ValidationError) as error:
            allocate(seatees, rooms, seed=seed, strategy=strategy)
        assert f"还缺 {len(seatees) - _capacity(rooms)} 个座位" in error.value.message
        plan = allocate(seatees, rooms, seed=seed, strategy=strategy, allow_unplaced=True)
        assert len(plan.unplaced) == len(seatees) - _capacity(rooms)
        assert len(plan.assignments) == _capacity(rooms)
    else:
        plan = allocate(seatees, rooms, seed=seed, strategy=strategy)
        assert plan.unplaced == []
        assert len(plan.assignments) == len(seatees)  # every seatee placed exactly once
    _check_plan(plan, seatees, rooms)
    assert plan.seed == seed and plan.strategy == strategy

    # Reproducible from the recorded seed, whatever the order the seatees come in.
    shuffled = list(seatees)
    random.Random(seed).shuffle(shuffled)
    again = allocate(shuffled, rooms, seed=seed, strategy=strategy, allow_unplaced=True)
    assert again.assignments == plan.assignments

    # Keeping colleagues apart never does worse than seating them in application order.
    assert adjacent_same_employer(plan, seatees) <= adjacent_same_employer(_naive(plan, seatees), seatees)


@settings(max_examples=150, deadline=None)
@given(
    capacity_side=st.integers(2, 6),
    room_count=st.integers(1, 8),
    sizes=st.lists(st.integers(1, 40), min_size=1, max_size=4),
    seed=st.integers(0, 1000),
    strategy=st.sampled_from(["fill", "balanced"]),
)
def test_one_group_per_room_where_the_rooms_allow(capacity_side, room_count, sizes, seed, strategy) -> None:
    capacity = capacity_side * capacity_side
    rooms = [RoomSpec(i, f"R{i}", capacity_side, capacity_side) for i in range(room_count)]
    if sum(math.ceil(size / capacity) for size in sizes) > room_count:
        return  # the rooms do not allow it
    seatees = [Seatee(g * 1000 + k, GROUPS[g], "") for g, size in enumerate(sizes) for k in range(size)]
    plan = allocate(seatees, rooms, seed=seed, strategy=strategy)
    group = {s.application_id: s.group for s in seatees}
    for placed in plan.by_room().values():
        assert len({group[app] for _, app in placed}) <= 1


def test_groups_stay_contiguous_when_rooms_must_mix() -> None:
    rooms = [RoomSpec(i, f"R{i}", 5, 6) for i in range(3)]  # 30 seats each
    seatees = [Seatee(g * 100 + k, GROUPS[g], "") for g, size in enumerate([25, 25, 25]) for k in range(size)]
    plan = allocate(seatees, rooms, seed=1, strategy="fill")
    group = {s.application_id: s.group for s in seatees}
    groups_per_room = [sorted({group[a] for _, a in placed}) for placed in plan.by_room().values()]
    # 75 candidates in 90 seats: one mixed room at most, and each group in consecutive rooms.
    assert sum(len(g) > 1 for g in groups_per_room) <= 1
    for g in GROUPS[:3]:
        indexes = [i for i, groups in enumerate(groups_per_room) if g in groups]
        assert indexes == list(range(indexes[0], indexes[-1] + 1))


def test_fill_uses_rooms_in_order_and_balanced_spreads() -> None:
    rooms = [RoomSpec(i, f"R{i}", 5, 6) for i in range(4)]
    seatees = [Seatee(k, GROUPS[0], "") for k in range(70)]
    fill = allocate(seatees, rooms, seed=3, strategy="fill")
    assert [len(v) for v in fill.by_room().values()] == [30, 30, 10, 0]
    balanced = allocate(seatees, rooms, seed=3, strategy="balanced")
    loads = [len(v) for v in balanced.by_room().values()]
    assert sum(loads) == 70 and max(loads) - min(loads) <= 1


def test_half_empty_room_leaves_a_seat_between_candidates() -> None:
    room = RoomSpec(1, "R1", 6, 6)
    seatees = [Seatee(k, GROUPS[0], "") for k in range(18)]
    plan = allocate(seatees, [room], seed=9)
    taken = {(s.row, s.column) for s in plan.assignments.values()}
    assert all((r, c + 1) not in taken and (r + 1, c) not in taken for r, c in taken)


def test_same_employer_kept_apart_in_a_realistic_room() -> None:
    rng = random.Random(5)
    seatees = [Seatee(k, GROUPS[0], rng.choice(EMPLOYERS[1:])) for k in range(48)]
    plan = allocate(seatees, [RoomSpec(1, "R1", 8, 6)], seed=11)
    assert adjacent_same_employer(plan, seatees) == 0  # 4 employers of ~12 each can always be separated


def test_seed_changes_the_order_and_is_recorded() -> None:
    seatees = [Seatee(k, GROUPS[0], "") for k in range(30)]
    rooms = [RoomSpec(1, "R1", 5, 6)]
    a, b = allocate(seatees, rooms, seed=1), allocate(seatees, rooms, seed=2)
    assert a.assignments != b.assignments
    assert allocate(seatees, rooms, seed=1).assignments == a.assignments and a.seed == 1


def test_errors_are_chinese_and_say_what_is_missing() -> None:
    rooms = [RoomSpec(1, "第01考场", 2, 2, frozenset({(1, 1)}), 10)]  # 3 usable seats
    with pytest.raises(ValidationError, match="还缺 2 个座位"):
        allocate([Seatee(k, GROUPS[0], "") for k in range(5)], rooms, seed=0)
    with pytest.raises(ValidationError, match="出现了两次"):
        allocate([Seatee(1, GROUPS[0], ""), Seatee(1, GROUPS[1], "")], rooms, seed=0)
    with pytest.raises(ValueError):
        allocate([], rooms, seed=0, strategy="random")  # type: ignore[arg-type]


def test_manual_moves() -> None:
    room = RoomSpec(1, "第01考场", 2, 3, frozenset({(2, 3)}))
    seatees = [Seatee(k, GROUPS[0], "") for k in range(3)]
    plan = allocate(seatees, [room], seed=4)
    taken = {(s.row, s.column) for s in plan.assignments.values()}
    free = next((r, c) for r in (1, 2) for c in (1, 2, 3) if (r, c) not in taken and (r, c) != (2, 3))
    moved = move(plan, 0, Seat(1, free[0], free[1], 0))
    assert moved.assignments[0] == Seat(1, free[0], free[1], (free[0] - 1) * 3 + free[1])
    assert plan.assignments[0] != moved.assignments[0]  # the old plan is unchanged
    _check_plan(moved, seatees, [room])

    other = moved.assignments[1]
    with pytest.raises(ValidationError, match="已有考生"):
        move(moved, 0, other)
    with pytest.raises(ValidationError, match="已停用"):
        move(moved, 0, Seat(1, 2, 3, 0))
    with pytest.raises(ValidationError, match="没有第 3 排"):
        move(moved, 0, Seat(1, 3, 1, 0))
    with pytest.raises(ValidationError, match="不在本次编排的考场中"):
        move(moved, 0, Seat(99, 1, 1, 1))
    with pytest.raises(ValidationError, match="不在本次编排中"):
        move(moved, 42, Seat(1, 1, 1, 1))


def test_move_respects_capacity() -> None:
    rooms = [RoomSpec(1, "第01考场", 2, 2, capacity=1), RoomSpec(2, "第02考场", 2, 2)]
    seatees = [Seatee(k, GROUPS[0], "") for k in range(2)]
    plan = allocate(seatees, rooms, seed=0)
    in_second = next(a for a, s in plan.assignments.items() if s.room_id == 2)
    with pytest.raises(ValidationError, match="已满"):
        move(plan, in_second, Seat(1, 2, 2, 0))


def test_ten_thousand_seatees_in_35_rooms() -> None:
    rng = random.Random(0)
    rooms = [RoomSpec(i, f"第{i:02d}考场", 15, 20, frozenset({(15, 20)})) for i in range(1, 36)]
    seatees = [Seatee(k, rng.choice(GROUPS), rng.choice(EMPLOYERS)) for k in range(10_000)]
    plan = allocate(seatees, rooms, seed=2025, strategy="balanced")
    assert len(plan.assignments) == 10_000
    _check_plan(plan, seatees, rooms)
