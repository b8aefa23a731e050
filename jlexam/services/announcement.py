"""The announcement PDF of a sitting (002 §15), from the sitting, its offers, sessions and standards."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from jlexam.documents.announcement import AnnouncementData, OfferLine, SessionLine, render_announcement
from jlexam.domain.china_time import china_time
from jlexam.domain.levels import SkillLevel
from jlexam.errors import StateError
from jlexam.services.base import UnitOfWork, use_case
from jlexam.services.sittings import PART_LABELS, get_sitting
from jlexam.services.standards import standard_for
from jlexam.store.models import ExamSession, Institution, Occupation, Site


def _fee(cents: int) -> str:
    return "免费" if cents == 0 else f"{cents / 100:.2f} 元"


@use_case("sitting.view")
def write_announcement(uow: UnitOfWork, sitting_code: str, out: Path) -> Path:
    s = uow.session
    sitting = get_sitting(s, sitting_code)
    inst = s.scalar(select(Institution))
    if inst is None:
        raise StateError("尚未登记机构信息，无法生成公告。")
    if sitting.registration_opens_on is None or sitting.registration_closes_on is None:
        raise StateError("尚未设定报名时间：请先开放报名（发布公告时填写报名起止日期）。")
    names = {o.code: o.name for o in s.scalars(select(Occupation))}
    offers = []
    for o in sorted(sitting.offers, key=lambda x: (x.occupation_code, x.work_type, -x.level)):
        level = SkillLevel(o.level)
        conditions = standard_for(s, o.occupation_code).conditions.get(level, ())
        offers.append(
            OfferLine(
                f"{names.get(o.occupation_code, '')}（{o.occupation_code}）",
                o.work_type or "--",
                level.written,
                _fee(o.fee_cents),
                tuple(c.description for c in conditions),
            )
        )
    sessions = []
    for row in s.scalars(
        select(ExamSession).where(ExamSession.sitting_id == sitting.id).order_by(ExamSession.starts_at)
    ):
        applies = "全部"
        if row.occupation_code:
            applies = names.get(row.occupation_code, row.occupation_code)
            if row.level:
                applies += " " + SkillLevel(row.level).written
        local = china_time(row.starts_at), china_time(row.ends_at)
        sessions.append(SessionLine(PART_LABELS[row.part], applies, *local))
    site = s.scalar(select(Site))
    data = AnnouncementData(
        institution=inst.name,
        sitting_code=sitting.code,
        sitting_name=sitting.name,
        opens_on=sitting.registration_opens_on,
        closes_on=sitting.registration_closes_on,
        offers=tuple(offers),
        sessions=tuple(sessions),
        site=f"{site.name}（{site.address}）" if site else inst.address,
        contact=f"{inst.contact_person} {inst.contact_phone}".strip(),
        notes=sitting.announcement_notes,
        published_on=sitting.announced_on or sitting.registration_opens_on,
        university=inst.kind == "university",
    )
    render_announcement(data, Path(out))
    uow.audit("sitting.announcement", "sitting", sitting.code, f"生成认定公告 {Path(out).name}")
    return Path(out)
