"""What every page shares while a user is logged in: the database, the actor, the current sitting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QObject, QSettings, Signal

from jlexam.domain.china_time import china_date
from jlexam.services.base import Actor, utcnow
from ui.sittings import SittingRef


def china_today() -> date:
    """Today in Beijing, whatever the PC's clock zone: every deadline and document date is China's (RULES.md)."""
    return china_date(utcnow())


@dataclass(frozen=True)
class Blocker:
    """Something that blocks the current sitting's next step; ``level`` is error or warn."""

    text: str
    level: str = "error"
    stage: str | None = None  # the page where it is fixed


class AppContext(QObject):
    sitting_changed = Signal()
    institution_changed = Signal()
    blockers_changed = Signal()

    def __init__(self, actor: Actor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.sittings: list[SittingRef] = []
        self.sitting: SittingRef | None = None
        self.blockers: list[Blocker] = []
        self.institution_name = ""

    @property
    def db(self):  # type: ignore[no-untyped-def]
        return self.actor.db

    def today(self) -> date:
        return china_today()

    def settings_key(self, name: str) -> str:
        """A QSettings key scoped to this database (the current sitting is per database)."""
        try:
            ident = self.actor.db.database_id
        except Exception:
            ident = "unknown"
        return f"db/{ident}/{name}"

    def set_sitting(self, code: str | None) -> None:
        found = next((s for s in self.sittings if s.code == code), None)
        if found == self.sitting:
            return
        self.sitting = found
        QSettings().setValue(self.settings_key("sitting"), found.code if found else "")
        self.sitting_changed.emit()

    def set_blockers(self, blockers: list[Blocker]) -> None:
        self.blockers = blockers
        self.blockers_changed.emit()
