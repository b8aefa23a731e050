"""What blocks the current sitting's next step, shown at the top of every page.

The rules are the services': when ``jlexam.services.sittings`` offers ``next_step_blockers(actor, code)``
its answer is shown as it is; until then the institution's own guards are shown (filing valid, scope set,
no re-filing pending), which block every sitting. Runs on the thread pool.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication

from jlexam.domain.filing import FilingState
from jlexam.services.base import Actor
from jlexam.services.institution import get_institution
from ui.context import Blocker
from ui.sittings import SittingRef


def collect(actor: Actor, sitting: SittingRef | None, today: date) -> tuple[str, list[Blocker]]:
    """(institution name, blockers); every message from the services is shown unchanged."""
    blockers: list[Blocker] = []
    name = ""
    if actor.can("institution.view"):
        view = get_institution(actor)
        if view is None:
            blockers.append(Blocker(QCoreApplication.translate("Blockers", "尚未登记机构信息：请先在“机构”页面填写备案信息。"), "error", "institution"))
        else:
            name = view.form.name
            filing = view.filing(today)
            if filing.state in (FilingState.MISSING, FilingState.EXPIRED):
                blockers.append(Blocker(filing.message, "error", "institution"))
            elif filing.state == FilingState.RENEWAL_DUE:
                blockers.append(Blocker(filing.message, "warn", "institution"))
            if not view.scope:
                blockers.append(Blocker(QCoreApplication.translate("Blockers", "尚未设置认定范围（职业、工种、等级）：报名只能在备案范围内进行（002 第十六条）。"),
                                        "error", "institution"))
            if view.refiling_due:
                blockers.append(Blocker(QCoreApplication.translate("Blockers", "机构信息有需要重新备案的变更（001 第八条）：完成重新备案后请在“机构”页面登记。"),
                                        "warn", "institution"))
    if sitting is None:
        blockers.append(Blocker(QCoreApplication.translate("Blockers", "尚无认定批次：创建认定批次后，这里会列出推进到下一步还缺少的事项。"), "warn", "sittings"))
    else:
        try:
            from jlexam.services import sittings as sitting_service
        except ImportError:
            sitting_service = None  # type: ignore[assignment]
        check = getattr(sitting_service, "next_step_blockers", None) if sitting_service else None
        if check is not None:
            for item in check(actor, sitting.code):
                text = getattr(item, "message", None) or str(item)
                level = {"warning": "warn"}.get(getattr(item, "level", "error"), getattr(item, "level", "error"))
                blockers.append(Blocker(text, level, getattr(item, "stage", None)))
    return name, blockers
