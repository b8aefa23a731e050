"""Seat plans (考场编排): a session's applications allocated to rooms and seats (002 §18-20).

002 §18 sizes the rooms to the candidates, 002 §19 asks for the rooms a sitting needs, and 002 §20 issues the
admission tickets by the room arrangement, so the arrangement made here is what the tickets print.

How :func:`allocate` works, step by step (every step is deterministic for one ``seed``):

1. **Seats of a room.** A room's usable seats are its rows x columns less the seats out of use; it takes at
   most ``min(capacity, usable seats)`` candidates. Seat numbers are physical and row-major, 1-based:
   ``(row - 1) * columns + column``, so the number on a desk never changes when another seat goes out of use.
2. **Groups to rooms.** Seatees are sorted by group (occupation code, level) and application id, so one
   group forms one contiguous block. Each group first gets the fewest consecutive rooms (in the order given)
   that hold it, so a room holds one group only. When the rooms are too few for that, the two neighbouring
   blocks with the smallest sum are merged into one block (a room then holds two contiguous group blocks)
   until the blocks fit; a room holds several groups only where the rooms do not allow otherwise.
3. **Strategy.** ``"fill"`` fills the rooms of a block in order up to capacity and leaves the last rooms
   empty; ``"balanced"`` hands the rooms left over to the blocks whose rooms are fullest, then spreads each
   block over its rooms in proportion to their capacity, so rooms are evenly loaded.
4. **Seats used.** A room that is not full uses the seats of one colour of a checkerboard first (front row
   first), so candidates sit with an empty seat beside them where space allows.
5. **Shuffle and keep employers apart.** Seats of one colour of the checkerboard never touch (left, right,
   front, back), so the room's seats are listed colour by colour, each colour in random order, and the
   seatees are laid along that list by the size of their employer or class, largest first, members
   together; those alone in the room come last. Only the one employer that straddles the two colours can
   end up with members side by side. A repair pass then swaps any seatee still next to a colleague with
   the first seatee elsewhere whose swap lowers the room's count of such pairs, until no swap helps (at most
   8 passes). The same repair is run on the seats taken in application order, and the better of the two
   layouts is kept (so a plan never has more colleagues side by side than seating in application order
   would); finally each employer's members are shuffled among that employer's seats. Every random choice
   comes from ``random.Random(f"{seed}/{room_id}")`` (string seeds are stable across Python runs and
   platforms). Candidates with no employer recorded never count as colleagues.

Seeds are recorded in the plan, so the same seatees, rooms and seed give the same plan again.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from jlexam.errors import ValidationError

Strategy = Literal["fill", "balanced"]
STRATEGIES: tuple[str, ...] = ("fill", "balanced")

_REPAIR_PASSES = 8
_RULE = "002 §20"


@dataclass(frozen=True)
class RoomSpec:
    """An exam room: ``rows`` x ``columns`` seats, some out of use, holding at most ``capacity``."""

    room_id: int
    name: str
    rows: int
    columns: int
    seats_out_of_use: frozenset[tuple[int, int]] = frozenset()  # (row, column), both 1-based
    capacity: int | None = None  # None: every usable seat

    @property
    def usable_seats(self) -> list[tuple[int, int]]:
        """The seats in use, row-major."""
        return [
            (r, c)
            for r in range(1, self.rows + 1)
            for c in range(1, self.columns + 1)
            if (r, c) not in self.seats_out_of_use
        ]

    @property
    def effective_capacity(self) -> int:
        """How many candidates the room takes: the smaller of its capacity and its usable seats."""
        usable = self.rows * self.columns - sum(
            1 for r, c in self.seats_out_of_use if 1 <= r <= self.rows and 1 <= c <= self.columns
        )
        return usable if self.capacity is None else max(0, min(self.capacity, usable))

    def seat_number(self, row: int, column: int) -> int:
        return (row - 1) * self.columns + column


@dataclass(frozen=True, order=True)
class Seat:
    room_id: int
    row: int
    column: int
    number: int  # (row - 1) * columns + column: the number on the desk


@dataclass(frozen=True)
class Seatee:
    """One application to be seated; ``employer`` is the employer or the class ('' when unknown)."""

    application_id: int
    group: tuple[str, int]  # (occupation code, level)
    employer: str = ""


@dataclass(frozen=True)
class SeatPlan:
    assignments: dict[int, Seat]  # application id -> seat
    seed: int
    strategy: str
    unplaced: list[int] = field(default_factory=list)
    rooms: tuple[RoomSpec, ...] = ()  # the rooms the plan was made for (for moves and checks)

    def room_of(self, application_id: int) -> int | None:
        seat = self.assignments.get(application_id)
        return None if seat is None else seat.room_id

    def by_room(self) -> dict[int, list[tuple[Seat, int]]]:
        """Room id -> [(seat, application id)] in seat order; rooms in the plan's order, empty ones too."""
        result: dict[int, list[tuple[Seat, int]]] = {room.room_id: [] for room in self.rooms}
        for app_id, seat in self.assignments.items():
            result.setdefault(seat.room_id, []).append((seat, app_id))
        for seats in result.values():
            seats.sort()
        return result


# --- step 2 and 3: blocks of seatees to rooms ------------------------------------------------------------
def _consecutive_rooms(sizes: list[int], counts: list[int], caps: list[int]) -> list[list[int]] | None:
    """Room indexes for each block taking ``counts[j]`` consecutive rooms, or None when a block won't fit."""
    result, start = [], 0
    for size, count in zip(sizes, counts, strict=True):
        rooms = list(range(start, start + count))
        if start + count > len(caps) or sum(caps[i] for i in rooms) < size:
            return None
        result.append(rooms)
        start += count
    return result


def _rooms_needed(sizes: list[int], caps: list[int]) -> tuple[list[int], int]:
    """For each block the fewest consecutive rooms holding it, rooms taken in order, and how many rooms that
    makes in all; when the rooms run out, the rest is counted in rooms of the largest capacity."""
    counts, index, biggest = [], 0, max(caps, default=0) or 1
    for size in sizes:
        taken, count = 0, 0
        while taken < size:
            taken += caps[index] if index < len(caps) else biggest
            index += 1
            count += 1
        counts.append(count)
    return counts, index


def _blocks(sizes: list[int], caps: list[int]) -> tuple[list[list[int]], list[int]]:
    """Merge neighbouring blocks until each fits in consecutive rooms; returns blocks and their room counts.

    Each merge joins the neighbouring pair that saves the most rooms, the smaller pair on a tie (mixing as
    few candidates as possible). Needs ``sum(sizes) <= sum(caps)``.
    """
    blocks = [[i] for i in range(len(sizes))]
    while True:
        block_sizes = [sum(sizes[i] for i in b) for b in blocks]
        counts, needed = _rooms_needed(block_sizes, caps)
        if needed <= len(caps):
            return blocks, counts

        def score(j: int, block_sizes: list[int] = block_sizes) -> tuple[int, int, int]:
            merged = [*block_sizes[:j], block_sizes[j] + block_sizes[j + 1], *block_sizes[j + 2 :]]
            return _rooms_needed(merged, caps)[1], block_sizes[j] + block_sizes[j + 1], j

        pair = min(range(len(blocks) - 1), key=score)
        blocks[pair : pair + 2] = [blocks[pair] + blocks[pair + 1]]


def _share_rooms(block_sizes: list[int], counts: list[int], caps: list[int]) -> list[int]:
    """Hand the rooms no block needs to the blocks whose rooms are fullest ("balanced")."""
    counts = list(counts)
    while sum(counts) < len(caps):
        layout = _consecutive_rooms(block_sizes, counts, caps)
        assert layout is not None
        loads = [
            (size / max(1, sum(caps[i] for i in rooms)), -j)
            for j, (size, rooms) in enumerate(zip(block_sizes, layout, strict=True))
        ]
        for _, neg_j in sorted(loads, reverse=True):
            trial = counts[:]
            trial[-neg_j] += 1
            if _consecutive_rooms(block_sizes, trial, caps) is not None:
                counts = trial
                break
        else:
            break
    return counts


def _spread(size: int, caps: list[int], strategy: str) -> list[int]:
    """How many of a block's ``size`` seatees each of its rooms takes."""
    if strategy == "fill":
        loads, left = [], size
        for cap in caps:
            loads.append(min(cap, left))
            left -= loads[-1]
        return loads
    total = sum(caps)
    if total == 0:
        return [0] * len(caps)
    exact = [size * cap / total for cap in caps]
    loads = [int(x) for x in exact]
    order = sorted(range(len(caps)), key=lambda i: (-(exact[i] - loads[i]), i))
    for i in order[: size - sum(loads)]:
        loads[i] += 1
    return loads


# --- step 4 and 5: seats within a room ---------------------------------------------------------------------
def _seats_used(room: RoomSpec, count: int) -> list[tuple[int, int]]:
    """``count`` usable seats, one checkerboard colour first, returned in row-major order."""
    usable = room.usable_seats
    if count >= len(usable):
        return usable
    first = [s for s in usable if (s[0] + s[1]) % 2 == 0]
    second = [s for s in usable if (s[0] + s[1]) % 2 == 1]
    if len(first) < len(second):
        first, second = second, first
    return sorted((first + second)[:count])


def _neighbours(seats: list[tuple[int, int]]) -> list[list[int]]:
    index = {s: i for i, s in enumerate(seats)}
    return [
        [index[n] for n in ((r, c - 1), (r, c + 1), (r - 1, c), (r + 1, c)) if n in index] for r, c in seats
    ]


def _conflicts_at(i: int, employers: list[str], neighbours: list[list[int]]) -> int:
    mine = employers[i]
    if not mine:
        return 0
    return sum(1 for j in neighbours[i] if employers[j] == mine)


def _arrange(seatees: list[Seatee], seats: list[tuple[int, int]], rng: random.Random) -> list[Seatee]:
    """The seatee for each seat (row-major seats): shuffled, colleagues kept apart where possible."""
    neighbours = _neighbours(seats)
    count = Counter(s.employer for s in seatees if s.employer)
    # Checkerboard by employer: the seats of one colour, then the other, each colour in random order; the
    # seatees by the size of their employer (largest first, each employer's members together, ties and
    # members in random order), those alone in the room last. Seats of one colour never touch, so only the
    # one employer straddling the two colours can end up with members side by side.
    colours = ([i for i, (r, c) in enumerate(seats) if (r + c) % 2 == k] for k in (0, 1))
    first, second = sorted(colours, key=len, reverse=True)
    rng.shuffle(first)
    rng.shuffle(second)
    tiebreak = {e: rng.random() for e in sorted(count)}
    people = list(seatees)
    rng.shuffle(people)
    people.sort(
        key=lambda s: (-count[s.employer], tiebreak[s.employer]) if count[s.employer] > 1 else (0, 0.0)
    )
    spread: list[Seatee] = [None] * len(seats)  # type: ignore[list-item]
    for index, person in zip(first + second, people, strict=True):
        spread[index] = person
    # Application order (what an office would do by hand), repaired too: the plan is never worse than it.
    plain = sorted(seatees, key=lambda s: s.application_id)
    best, best_conflicts = None, -1
    for candidate in (spread, plain):
        employers = [s.employer for s in candidate]
        _repair(candidate, employers, neighbours)
        conflicts = sum(_conflicts_at(i, employers, neighbours) for i in range(len(seats)))
        if best is None or conflicts < best_conflicts:
            best, best_conflicts = candidate, conflicts
    assert best is not None
    # Shuffle each employer's members among that employer's seats (and those with none among theirs): the
    # pairs side by side stay as few, and who sits where is random.
    by_employer: dict[str, list[int]] = {}
    for i, person in enumerate(best):
        key = person.employer if count[person.employer] > 1 else ""
        by_employer.setdefault(key, []).append(i)
    result = list(best)
    for employer in sorted(by_employer):
        places = by_employer[employer]
        members = [best[i] for i in places]
        rng.shuffle(members)
        for i, person in zip(places, members, strict=True):
            result[i] = person
    return result


def _repair(placed: list[Seatee], employers: list[str], neighbours: list[list[int]]) -> None:
    """Swap seatees next to a colleague with others while that lowers the count of such pairs."""
    n = len(placed)
    for _ in range(_REPAIR_PASSES):
        improved = False
        for i in range(n):
            if _conflicts_at(i, employers, neighbours) == 0:
                continue
            for j in range(n):
                if j == i or employers[j] == employers[i]:
                    continue
                before = _conflicts_at(i, employers, neighbours) + _conflicts_at(j, employers, neighbours)
                employers[i], employers[j] = employers[j], employers[i]
                after = _conflicts_at(i, employers, neighbours) + _conflicts_at(j, employers, neighbours)
                if after < before:
                    placed[i], placed[j] = placed[j], placed[i]
                    improved = True
                    break
                employers[i], employers[j] = employers[j], employers[i]
        if not improved:
            return


# --- the public functions ----------------------------------------------------------------------------------
def _check_rooms(rooms: Sequence[RoomSpec]) -> None:
    seen: set[int] = set()
    for room in rooms:
        if room.room_id in seen:
            raise ValidationError(f"考场“{room.name}”在编排中出现了两次：每个考场只能列出一次。")
        seen.add(room.room_id)
        if room.rows < 1 or room.columns < 1:
            raise ValidationError(f"考场“{room.name}”的座位行数和列数必须至少为 1，请修改考场的座位布局。")
        if room.capacity is not None and room.capacity < 0:
            raise ValidationError(f"考场“{room.name}”的容量不能为负数，请修改考场容量。")


def allocate(
    seatees: Iterable[Seatee],
    rooms: Sequence[RoomSpec],
    *,
    seed: int,
    strategy: Strategy = "fill",
    allow_unplaced: bool = False,
) -> SeatPlan:
    """Seat every seatee (see the module docstring); the same arguments always give the same plan.

    When the seats are too few, raises ValidationError saying how many are missing; with
    ``allow_unplaced=True`` it seats as many as fit instead and lists the rest (the last in group order) in
    ``unplaced``.
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {STRATEGIES}, not {strategy!r}")
    rooms = tuple(rooms)
    _check_rooms(rooms)
    people = sorted(seatees, key=lambda s: (s.group, s.application_id))
    ids = [s.application_id for s in people]
    if len(set(ids)) != len(ids):
        raise ValidationError("同一报名在编排名单中出现了两次：每条报名只能编排一个座位，请检查名单。")
    caps = [room.effective_capacity for room in rooms]
    unplaced: list[int] = []
    if len(people) > sum(caps):
        missing = len(people) - sum(caps)
        if not allow_unplaced:
            raise ValidationError(
                f"考场座位不足：需编排 {len(people)} 人，{len(rooms)} 个考场可用座位共 {sum(caps)} 个，"
                f"还缺 {missing} 个座位。请增加考场或调整考场容量后重新编排。",
                rule=_RULE,
            )
        unplaced = [s.application_id for s in people[len(people) - missing :]]
        people = people[: len(people) - missing]

    # Step 2: contiguous group blocks, each on consecutive rooms.
    group_keys: list[tuple[str, int]] = []
    members: list[list[Seatee]] = []
    for person in people:
        if not group_keys or group_keys[-1] != person.group:
            group_keys.append(person.group)
            members.append([])
        members[-1].append(person)
    sizes = [len(m) for m in members]
    blocks, counts = _blocks(sizes, caps) if sizes else ([], [])
    block_sizes = [sum(sizes[i] for i in b) for b in blocks]
    if strategy == "balanced" and blocks:
        counts = _share_rooms(block_sizes, counts, caps)
    layout = _consecutive_rooms(block_sizes, counts, caps) or []

    # Step 3: seatees of each block to its rooms, in group order.
    room_members: list[list[Seatee]] = [[] for _ in rooms]
    for block, room_indexes in zip(blocks, layout, strict=True):
        queue = [p for g in block for p in members[g]]
        loads = _spread(len(queue), [caps[i] for i in room_indexes], strategy)
        start = 0
        for room_index, load in zip(room_indexes, loads, strict=True):
            room_members[room_index] = queue[start : start + load]
            start += load

    # Steps 4 and 5: seats.
    assignments: dict[int, Seat] = {}
    for room, group in zip(rooms, room_members, strict=True):
        if not group:
            continue
        seats = _seats_used(room, len(group))
        rng = random.Random(f"{seed}/{room.room_id}")
        for (row, column), person in zip(seats, _arrange(group, seats, rng), strict=True):
            assignments[person.application_id] = Seat(
                room.room_id, row, column, room.seat_number(row, column)
            )
    return SeatPlan(assignments, seed, strategy, unplaced, rooms)


def move(plan: SeatPlan, application_id: int, seat: Seat) -> SeatPlan:
    """A new plan with ``application_id`` moved to ``seat`` (a manual move); refuses a taken or unusable seat."""
    rooms = {room.room_id: room for room in plan.rooms}
    room = rooms.get(seat.room_id)
    if room is None:
        raise ValidationError(f"考场编号 {seat.room_id} 不在本次编排的考场中：请选择本场次的考场。")
    if not (1 <= seat.row <= room.rows and 1 <= seat.column <= room.columns):
        raise ValidationError(
            f"{room.name}没有第 {seat.row} 排第 {seat.column} 列的座位（共 {room.rows} 排 {room.columns} 列），"
            "请选择考场内的座位。"
        )
    number = room.seat_number(seat.row, seat.column)
    seat = replace(seat, number=number)
    if (seat.row, seat.column) in room.seats_out_of_use:
        raise ValidationError(f"{room.name} {number} 号座位已停用，不能安排考生：请选择其他座位。")
    if application_id not in plan.assignments and application_id not in plan.unplaced:
        raise ValidationError(f"报名 {application_id} 不在本次编排中，无法调整座位。")
    current = plan.assignments.get(application_id)
    if current == seat:
        return plan
    for other, taken in plan.assignments.items():
        if other != application_id and (taken.room_id, taken.row, taken.column) == (
            seat.room_id,
            seat.row,
            seat.column,
        ):
            raise ValidationError(
                f"{room.name} {number} 号座位已有考生（报名 {other}）：请先把该考生调到别的座位，或选择空座位。"
            )
    in_room = sum(1 for a, s in plan.assignments.items() if s.room_id == room.room_id and a != application_id)
    if in_room + 1 > room.effective_capacity:
        raise ValidationError(
            f"{room.name}已满（容量 {room.effective_capacity} 人）：请选择其他考场，或先调整考场容量。"
        )
    assignments = dict(plan.assignments)
    assignments[application_id] = seat
    unplaced = [a for a in plan.unplaced if a != application_id]
    return replace(plan, assignments=assignments, unplaced=unplaced)


def adjacent_same_employer(plan: SeatPlan, seatees: Iterable[Seatee]) -> int:
    """Pairs of seated candidates of one employer or class sitting side by side or one behind the other."""
    employer = {s.application_id: s.employer for s in seatees}
    at = {
        (seat.room_id, seat.row, seat.column): employer.get(app, "") for app, seat in plan.assignments.items()
    }
    pairs = 0
    for (room, row, column), mine in at.items():
        if not mine:
            continue
        for neighbour in ((room, row, column + 1), (room, row + 1, column)):
            if at.get(neighbour) == mine:
                pairs += 1
    return pairs
