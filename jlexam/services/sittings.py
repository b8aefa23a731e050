"""Sittings (认定批次): created within the institution's filed scope while its filing is valid (002 §16)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jlexam.domain.china_time import china_date
from jlexam.domain.filing import filing_status
from jlexam.domain.levels import SkillLevel
from jlexam.domain.sitting_state import SittingState
from jlexam.errors import NotFound, StateError, ValidationError
from jlexam.services.base import Actor, UnitOfWork, query, use_case
from jlexam.store.models import ExamSession, Institution, Occupation, Sitting, SittingOffer


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
    registration_opens_on: date | None = None
    registration_closes_on: date | None = None
    announced_on: date | None = None
    announcement_notes: str = ""

    @property
    def state_label(self) -> str:
        return self.state.label


def _view(s: Sitting) -> SittingView:
    offers = tuple(
        OfferInput(o.occupation_code, o.work_type, SkillLevel(o.level), o.fee_cents) for o in s.offers
    )
    return SittingView(
        s.id,
        s.code,
        s.name,
        SittingState(s.state),
        s.starts_on,
        s.ends_on,
        offers,
        s.registration_opens_on,
        s.registration_closes_on,
        s.announced_on,
        s.announcement_notes,
    )


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


# --- sessions and registration ---------------------------------------------------------------------------
PART_LABELS = {"theory": "理论知识考试", "practical": "操作技能考核", "review": "综合评审"}


@dataclass(frozen=True)
class SessionView:
    id: int
    part: str
    occupation_code: str | None
    level: SkillLevel | None
    starts_at: datetime
    ends_at: datetime

    @property
    def part_label(self) -> str:
        return PART_LABELS[self.part]


def get_sitting(s: Session, code: str) -> Sitting:
    sitting = s.scalar(select(Sitting).where(Sitting.code == code))
    if sitting is None:
        raise NotFound(f"没有编号为 {code} 的认定批次。请用认定批次页面或 `jlexam sittings list` 查看编号。")
    return sitting


def _require_state(sitting: Sitting, *states: SittingState, doing: str) -> None:
    if SittingState(sitting.state) not in states:
        allowed = "、".join(s.label for s in states)
        raise StateError(
            f"认定批次 {sitting.code} 当前为“{SittingState(sitting.state).label}”，不能{doing}（只能在{allowed}时进行）。"
        )


@use_case("sitting.manage")
def add_session(
    uow: UnitOfWork,
    sitting_code: str,
    part: str,
    starts_at: datetime,
    ends_at: datetime,
    occupation_code: str | None = None,
    level: SkillLevel | None = None,
) -> SessionView:
    """A timed part of the sitting; its length must reach the standard's minimum (RULES.md, *standard*)."""
    s = uow.session
    sitting = get_sitting(s, sitting_code)
    _require_state(sitting, SittingState.DRAFT, SittingState.OPEN, SittingState.CLOSED, doing="安排场次")
    if part not in PART_LABELS:
        raise ValidationError(f"场次类型“{part}”无效，应为：{'、'.join(PART_LABELS.values())}。")
    if ends_at <= starts_at:
        raise ValidationError("场次结束时间必须晚于开始时间。")
    first, last = china_date(starts_at), china_date(ends_at)
    if sitting.starts_on and sitting.ends_on and not (sitting.starts_on <= first and last <= sitting.ends_on):
        # the announcement publishes the sitting's dates; a session outside them was never announced (002 §15)
        raise ValidationError(
            f"场次日期 {first:%Y-%m-%d} 不在认定批次 {sitting.code} 的认定日期"
            f"（{sitting.starts_on:%Y-%m-%d} 至 {sitting.ends_on:%Y-%m-%d}）内：公告公布的认定时间不含该日，请改场次时间。",
            rule="002 §15",
        )
    minutes = int((ends_at - starts_at).total_seconds() // 60)
    minimum = min_minutes(s, part, occupation_code, level, sitting)
    if minutes < minimum:
        raise ValidationError(
            f"{PART_LABELS[part]}时长 {minutes} 分钟，少于国家职业标准规定的 {minimum} 分钟，请延长场次。"
        )
    row = ExamSession(
        sitting_id=sitting.id,
        part=part,
        occupation_code=occupation_code,
        level=int(level) if level is not None else None,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    s.add(row)
    s.flush()
    uow.audit(
        "sitting.session",
        "sitting",
        sitting.code,
        f"安排{PART_LABELS[part]} {starts_at:%Y-%m-%d %H:%M}–{ends_at:%H:%M}",
    )
    return _session_view(row)


def min_minutes(
    s: Session, part: str, occupation_code: str | None, level: SkillLevel | None, sitting: Sitting
) -> int:
    """The longest minimum among the standards the session serves (all the sitting's offers when unspecified)."""
    from jlexam.services.standards import standard_for

    offers = [
        o
        for o in sitting.offers
        if occupation_code in (None, o.occupation_code) and (level is None or o.level == int(level))
    ]
    minimum = 0
    for offer in offers:
        standard = standard_for(s, offer.occupation_code)
        for rule in standard.parts.get(SkillLevel(offer.level), ()):
            if rule.part.value == part:
                minimum = max(minimum, rule.min_minutes)
    return minimum


def _session_view(row: ExamSession) -> SessionView:
    level = SkillLevel(row.level) if row.level is not None else None
    return SessionView(row.id, row.part, row.occupation_code, level, row.starts_at, row.ends_at)


@query("sitting.view")
def list_sessions(s: Session, actor: Actor, sitting_code: str) -> list[SessionView]:
    sitting = get_sitting(s, sitting_code)
    rows = s.scalars(
        select(ExamSession).where(ExamSession.sitting_id == sitting.id).order_by(ExamSession.starts_at)
    )
    return [_session_view(r) for r in rows]


@use_case("registration.manage")
def open_registration(
    uow: UnitOfWork, sitting_code: str, opens_on: date, closes_on: date, notes: str = ""
) -> SittingView:
    """Publish the announcement and open registration (002 §15: time, occupations, levels, conditions, fees)."""
    s = uow.session
    sitting = get_sitting(s, sitting_code)
    _require_state(sitting, SittingState.DRAFT, doing="开放报名")
    if closes_on < opens_on:
        raise ValidationError("报名截止日期不能早于开始日期。")
    if sitting.starts_on and closes_on >= sitting.starts_on:
        raise ValidationError(f"报名须在考试开始（{sitting.starts_on:%Y-%m-%d}）之前截止。")
    if not s.scalar(select(ExamSession.id).where(ExamSession.sitting_id == sitting.id).limit(1)):
        raise StateError(
            "尚未安排任何场次：公告须写明考试时间（002 第十五条）。请先安排场次。", rule="002 §15"
        )
    sitting.registration_opens_on, sitting.registration_closes_on = opens_on, closes_on
    sitting.announced_on, sitting.announcement_notes = opens_on, notes.strip()
    sitting.state = SittingState.OPEN.value
    uow.audit(
        "sitting.open",
        "sitting",
        sitting.code,
        f"发布认定公告并开放报名 {opens_on:%Y-%m-%d} 至 {closes_on:%Y-%m-%d}",
    )
    return _view(sitting)


@use_case("registration.manage")
def close_registration(uow: UnitOfWork, sitting_code: str) -> SittingView:
    s = uow.session
    sitting = get_sitting(s, sitting_code)
    _require_state(sitting, SittingState.OPEN, doing="截止报名")
    sitting.state = SittingState.CLOSED.value
    uow.audit("sitting.close", "sitting", sitting.code, "报名截止")
    return _view(sitting)


# --- what blocks the next step ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Blocker:
    message: str  # Chinese: what is missing and where to fix it
    stage: str  # the navigation stage that fixes it, e.g. "registration"
    level: str = "error"  # "error" blocks the next step; "warning" does not


@query("sitting.view")
def next_step_blockers(s: Session, actor: Actor, sitting_code: str) -> list[Blocker]:
    """What stands between the sitting and its next state (the guards of DESIGN.md "A sitting's life")."""
    from sqlalchemy import func

    from jlexam.store.models import Application, CandidatePhoto

    sitting = get_sitting(s, sitting_code)
    state = SittingState(sitting.state)
    found: list[Blocker] = []
    inst = s.scalar(select(Institution))
    if inst is not None:
        status = filing_status(inst.filing_valid_until, sitting.starts_on or date.today())
        if not status.allows_certification:
            found.append(Blocker(status.message, "institution"))
    sessions = select(func.count()).select_from(ExamSession).where(ExamSession.sitting_id == sitting.id)
    if state is SittingState.DRAFT and not s.scalar(sessions):
        found.append(Blocker("尚未安排场次：公告须写明考试时间（002 第十五条）。", "sittings"))
    apps = select(func.count()).select_from(Application).where(Application.sitting_id == sitting.id)
    if state in (SittingState.OPEN, SittingState.CLOSED):
        if not s.scalar(apps):
            found.append(Blocker("尚无报名。", "registration"))
        pending = s.scalar(apps.where(Application.decision.is_(None)))
        if pending:
            found.append(Blocker(f"还有 {pending} 份报名未完成资格审核（002 第十七条）。", "registration"))
        missing = s.scalar(
            apps.outerjoin(CandidatePhoto, CandidatePhoto.candidate_id == Application.candidate_id).where(
                CandidatePhoto.candidate_id.is_(None)
            )
        )
        if missing:
            found.append(
                Blocker(f"还有 {missing} 名考生没有照片，准考证需要照片。", "registration", "warning")
            )
    if state is SittingState.OPEN:
        found.append(Blocker("报名尚未截止。", "sittings", "warning"))
    return found
