"""The sittings the header can switch between, through ``jlexam.services.sittings`` once it exists."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from jlexam.services.base import Actor

# A sitting's life (DESIGN.md "A sitting's life") with the Chinese name of each state.
STATE_NAMES = {
    "draft": QT_TRANSLATE_NOOP("SittingState", "草稿"),
    "open": QT_TRANSLATE_NOOP("SittingState", "报名中"),
    "closed": QT_TRANSLATE_NOOP("SittingState", "报名截止"),
    "arranged": QT_TRANSLATE_NOOP("SittingState", "已编排"),
    "ticketed": QT_TRANSLATE_NOOP("SittingState", "已发准考证"),
    "held": QT_TRANSLATE_NOOP("SittingState", "已考试"),
    "marked": QT_TRANSLATE_NOOP("SittingState", "已评分"),
    "publicised": QT_TRANSLATE_NOOP("SittingState", "公示中"),
    "final": QT_TRANSLATE_NOOP("SittingState", "成绩确定"),
    "certified": QT_TRANSLATE_NOOP("SittingState", "已发证"),
    "reported": QT_TRANSLATE_NOOP("SittingState", "已上报"),
    "archived": QT_TRANSLATE_NOOP("SittingState", "已归档"),
}
STATE_COLORS = {
    "draft": "#7a8699", "open": "#1f7a4d", "closed": "#9a6700", "arranged": "#1f5fbf", "ticketed": "#1f5fbf",
    "held": "#5b4bb7", "marked": "#5b4bb7", "publicised": "#b45309", "final": "#0f766e",
    "certified": "#0f766e", "reported": "#334155", "archived": "#475467",
}


def state_name(state: str) -> str:
    text = STATE_NAMES.get(str(state))
    return QCoreApplication.translate("SittingState", text) if text else str(state)


@dataclass(frozen=True)
class SittingRef:
    code: str
    name: str
    state: str

    @property
    def state_label(self) -> str:
        return state_name(self.state)


def sittings_available() -> bool:
    try:
        import jlexam.services.sittings  # noqa: F401
    except ImportError:
        return False
    return True


def list_sittings(actor: Actor) -> list[SittingRef]:
    """Every sitting the actor may see, or an empty list while the sittings stage is not built yet."""
    try:
        from jlexam.services import sittings
    except ImportError:
        return []
    lister = getattr(sittings, "list_sittings", None)
    if lister is None:
        return []
    return [SittingRef(str(s.code), str(s.name), str(getattr(s.state, "value", s.state))) for s in lister(actor)]
