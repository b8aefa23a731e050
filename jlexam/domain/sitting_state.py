"""The life of a sitting (DESIGN.md "A sitting's life"): its states, their Chinese names and their order."""

from __future__ import annotations

from enum import StrEnum


class SittingState(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    ARRANGED = "arranged"
    TICKETED = "ticketed"
    HELD = "held"
    MARKED = "marked"
    PUBLICISED = "publicised"
    FINAL = "final"
    CERTIFIED = "certified"
    REPORTED = "reported"
    ARCHIVED = "archived"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def next(self) -> SittingState | None:
        order = list(SittingState)
        index = order.index(self)
        return order[index + 1] if index + 1 < len(order) else None

    def and_later(self) -> frozenset[SittingState]:
        """This state and every later one of a sitting's life."""
        order = list(SittingState)
        return frozenset(order[order.index(self) :])


_LABELS = {
    SittingState.DRAFT: "草稿",
    SittingState.OPEN: "报名中",
    SittingState.CLOSED: "报名截止",
    SittingState.ARRANGED: "已编排",
    SittingState.TICKETED: "已发准考证",
    SittingState.HELD: "已考试",
    SittingState.MARKED: "已评分",
    SittingState.PUBLICISED: "公示中",
    SittingState.FINAL: "成绩确定",
    SittingState.CERTIFIED: "已发证",
    SittingState.REPORTED: "已上报",
    SittingState.ARCHIVED: "已归档",
}


def can_advance(current: SittingState, target: SittingState) -> bool:
    """A sitting moves one step forward at a time; the guards of each step live with its service."""
    return current.next is target
