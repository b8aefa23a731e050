"""Sittings (认定批次): created within the institution's filed scope while its filing is valid (002 §16)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from jlexam.domain.filing import filing_status
from jlexam.domain.levels import SkillLevel
from jlexam.domain.sitting_state import SittingState
from jlexam.errors import StateError, ValidationError
from jlexam.services.base import Actor, UnitOfWork, query, use_case
from jlexam.store.models import Institution, Occupation, Sitting, SittingOffer


@dataclass(frozen=True)
class OfferInput:
    occupation_code: str
    work_type: str
    level: SkillLevel
    fee_cents: int = 0


@dataclass(frozen=True)
class SittingView:
    id: int
    code: str
    name: str
    state: SittingState
    starts_on: date | None
    ends_on: date | None
    offers: tuple[OfferInput, ...]

    @property
    def state_label(self) -> str:
        return self.state.label


def _view(s: Sitting) -> SittingView:
    offers = tuple(
        OfferInput(o.occupation_code, o.work_type, SkillLevel(o.level), o.fee_cents) for o in s.offers
    )
    return SittingView(s.id, s.code, s.name, SittingState(s.state), s.starts_on, s.ends_on, offers)


@query("sitting.view")
def list_sittings(s: Session, actor: Actor) -> list[SittingView]:
    return [_view(x) for x in s.scalars(select(Sitting).order_by(Sitting.created_at.desc()))]


@use_case("sitting.manage")
def create_sitting(
    uow: UnitOfWork, code: str, name: str, starts_on: date, ends_on: date, offers: list[OfferInput]
) -> SittingView:
    """A new sitting in draft; every offer must lie in the filed scope and the filing must be valid then."""
    s = uow.session
    inst = s.scalar(select(Institution))
    if inst is None:
        raise StateError("尚未登记机构信息，不能创建认定批次。请先在“机构”页面填写备案信息。")
    status = filing_status(inst.filing_valid_until, starts_on)
    if not status.allows_certification:  # 001 §7(五): certify only while the filing is valid
        raise StateError(
            f"认定批次开始日期 {starts_on:%Y-%m-%d} 不在备案有效期内：{status.message}", rule="001 §7"
        )
    if not code.strip() or not name.strip():
        raise ValidationError("批次编号和名称不能为空。")
    if ends_on < starts_on:
        raise ValidationError("结束日期不能早于开始日期。")
    if not offers:
        raise ValidationError("认定批次至少要包含一个职业（工种）等级。")
    if s.scalar(select(Sitting).where(Sitting.code == code.strip())):
        raise ValidationError(f"批次编号 {code} 已存在，请换一个。")
    scope = {(e.occupation_code, e.work_type, e.level) for e in inst.scope}
    names = {o.code: o.name for o in s.scalars(select(Occupation))}
    for offer in offers:
        if (offer.occupation_code, offer.work_type, int(offer.level)) not in scope:  # 002 §16
            what = f"{names.get(offer.occupation_code, offer.occupation_code)}{offer.work_type and '（' + offer.work_type + '）'}"
            raise ValidationError(
                f"{what} {SkillLevel(offer.level).written} 不在机构备案的认定范围内，不能开考（002 第十六条）。",
                rule="002 §16",
            )
    sitting = Sitting(
        code=code.strip(),
        name=name.strip(),
        state=SittingState.DRAFT.value,
        starts_on=starts_on,
        ends_on=ends_on,
        created_at=uow.now,
    )
    sitting.offers = [
        SittingOffer(
            occupation_code=o.occupation_code,
            work_type=o.work_type,
            level=int(o.level),
            fee_cents=o.fee_cents,
        )
        for o in offers
    ]
    s.add(sitting)
    s.flush()
    uow.audit(
        "sitting.create",
        "sitting",
        sitting.code,
        f"创建认定批次 {sitting.code} {sitting.name}，{len(offers)} 个等级",
    )
    return _view(sitting)
