"""The institution as filed (001 §7-9): its data, scope, certificate-number parts and re-filing flags."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from jlexam.domain.certno import CertificateNumberParts
from jlexam.domain.credit_code import parse_credit_code
from jlexam.domain.filing import (
    INSTITUTION_KINDS,
    REFILING_FIELDS,
    FilingStatus,
    default_valid_until,
    filing_status,
)
from jlexam.domain.levels import SkillLevel
from jlexam.errors import NotFound, ValidationError
from jlexam.exchange.catalogue import Occupation as CatalogueOccupation
from jlexam.services.base import Actor, UnitOfWork, query, use_case
from jlexam.store.models import Institution, InstitutionChange, Occupation, ScopeEntry


@dataclass
class InstitutionForm:
    """What the institution page edits; names follow the filing form."""

    name: str
    credit_code: str
    kind: str
    address: str = ""
    legal_representative: str = ""
    contact_person: str = ""
    contact_phone: str = ""
    filing_number: str = ""
    filed_on: date | None = None
    filing_valid_until: date | None = None
    cert_category: str = "Y"
    cert_institution_code: str = "0000"
    cert_province: str = "22"
    cert_site_serial: str = "000000"


@dataclass(frozen=True)
class ScopeItem:
    occupation_code: str
    work_type: str
    level: SkillLevel


@dataclass
class InstitutionView:
    form: InstitutionForm
    scope: list[ScopeItem]
    refiling_due: bool
    pending_changes: list[str] = field(default_factory=list)  # Chinese, one per change awaiting re-filing

    def filing(self, today: date) -> FilingStatus:
        return filing_status(self.form.filing_valid_until, today)


def _validate(form: InstitutionForm) -> InstitutionForm:
    """Normalise and check the form; every problem names its field."""
    if not form.name.strip():
        raise ValidationError("机构名称不能为空，请填写备案时的机构全称。")
    if form.kind not in INSTITUTION_KINDS:
        raise ValidationError(f"机构类型“{form.kind}”无效，应为：{'、'.join(INSTITUTION_KINDS.values())}。")
    try:
        code = parse_credit_code(form.credit_code)
    except ValidationError as exc:
        raise ValidationError(f"统一社会信用代码：{exc.message}") from exc
    CertificateNumberParts(
        form.cert_category, form.cert_institution_code, form.cert_province, form.cert_site_serial
    )
    valid_until = form.filing_valid_until
    if form.filed_on and valid_until is None:
        valid_until = default_valid_until(form.filed_on)
    if form.filed_on and valid_until and valid_until <= form.filed_on:
        raise ValidationError("备案有效期截止日期必须晚于备案日期。")
    clean = {f.name: getattr(form, f.name) for f in fields(form)}
    clean.update(name=form.name.strip(), credit_code=code, filing_valid_until=valid_until)
    return InstitutionForm(**clean)


def _to_form(inst: Institution) -> InstitutionForm:
    return InstitutionForm(**{f.name: getattr(inst, f.name) for f in fields(InstitutionForm)})


def _view(s: Session, inst: Institution) -> InstitutionView:
    changes = s.scalars(
        select(InstitutionChange).where(
            InstitutionChange.requires_refiling, InstitutionChange.refiled_on.is_(None)
        )
    )
    pending = [
        f"{REFILING_FIELDS.get(c.field, c.field)}：{c.old_value or '（空）'} → {c.new_value}" for c in changes
    ]
    scope = [ScopeItem(e.occupation_code, e.work_type, SkillLevel(e.level)) for e in inst.scope]
    return InstitutionView(
        _to_form(inst),
        sorted(scope, key=lambda i: (i.occupation_code, i.work_type, -i.level)),
        inst.refiling_due,
        pending,
    )


@query("institution.view")
def get_institution(s: Session, actor: Actor) -> InstitutionView | None:
    inst = s.scalar(select(Institution))
    return _view(s, inst) if inst else None


@use_case("institution.edit")
def save_institution(uow: UnitOfWork, form: InstitutionForm) -> InstitutionView:
    """Create or update the institution; changes 001 §8 lists are recorded and flag re-filing."""
    form = _validate(form)
    s = uow.session
    inst = s.scalar(select(Institution))
    if inst is None:
        inst = Institution(**{f.name: getattr(form, f.name) for f in fields(form)})
        s.add(inst)
        s.flush()
        uow.audit("institution.create", "institution", inst.id, f"登记机构 {inst.name}（{inst.credit_code}）")
        return _view(s, inst)
    changed = []
    for f in fields(form):
        old, new = getattr(inst, f.name), getattr(form, f.name)
        if old != new:
            changed.append(f.name)
            refile = f.name in REFILING_FIELDS
            s.add(
                InstitutionChange(
                    at=uow.now,
                    field=f.name,
                    old_value=_text(old),
                    new_value=_text(new),
                    requires_refiling=refile,
                )
            )
            inst.refiling_due = inst.refiling_due or refile
            setattr(inst, f.name, new)
    if changed:
        uow.audit("institution.update", "institution", inst.id, "修改机构信息：" + "、".join(changed))
    return _view(s, inst)


def _text(value: object) -> str:
    return "" if value is None else str(value)


@use_case("institution.edit")
def set_scope(uow: UnitOfWork, items: list[ScopeItem]) -> InstitutionView:
    """Replace the filed scope; every item must be a catalogue occupation, work type and level (002 §16)."""
    s = uow.session
    inst = s.scalar(select(Institution))
    if inst is None:
        raise NotFound("尚未登记机构信息，请先填写机构页面。")
    occupations = {o.code: o for o in s.scalars(select(Occupation))}
    for item in items:
        _check_scope_item(item, occupations)
    old = {(e.occupation_code, e.work_type, e.level) for e in inst.scope}
    new = {(i.occupation_code, i.work_type, int(i.level)) for i in items}
    if old == new:
        return _view(s, inst)
    # Change only what changed: replacing every row would insert before the old rows are deleted.
    for entry in [e for e in inst.scope if (e.occupation_code, e.work_type, e.level) not in new]:
        inst.scope.remove(entry)
    s.flush()
    for c, w, lv in sorted(new - old):
        inst.scope.append(ScopeEntry(occupation_code=c, work_type=w, level=lv))
    if old:  # the first scope is part of the filing itself; later changes need re-filing (001 §8)
        s.add(
            InstitutionChange(
                at=uow.now,
                field="scope",
                old_value=f"{len(old)} 项",
                new_value=f"{len(new)} 项",
                requires_refiling=True,
            )
        )
        inst.refiling_due = True
    uow.audit("institution.scope", "institution", inst.id, f"认定范围改为 {len(new)} 项（原 {len(old)} 项）")
    return _view(s, inst)


def _check_scope_item(item: ScopeItem, occupations: dict[str, Occupation]) -> None:
    occ = occupations.get(item.occupation_code)
    if occ is None:
        raise ValidationError(f"职业编码 {item.occupation_code} 不在职业目录中，请先导入或核对编码。")
    work_types = [w for w in occ.work_types.split("|") if w]
    if item.work_type and item.work_type not in work_types:
        raise ValidationError(
            f"{occ.name}（{occ.code}）没有工种“{item.work_type}”。可选：{'、'.join(work_types) or '无工种'}。"
        )
    if str(int(item.level)) not in occ.levels.split("|"):
        raise ValidationError(
            f"{occ.name}（{occ.code}）的国家职业标准未设 {SkillLevel(item.level).written}。"
        )


@use_case("institution.edit")
def mark_refiled(uow: UnitOfWork, refiled_on: date) -> InstitutionView:
    s = uow.session
    inst = s.scalar(select(Institution))
    if inst is None:
        raise NotFound("尚未登记机构信息。")
    for change in s.scalars(select(InstitutionChange).where(InstitutionChange.refiled_on.is_(None))):
        change.refiled_on = refiled_on
    inst.refiling_due = False
    uow.audit("institution.refiled", "institution", inst.id, f"已于 {refiled_on:%Y-%m-%d} 重新备案")
    return _view(s, inst)


@use_case("catalogue.edit")
def load_catalogue(uow: UnitOfWork, occupations: list[CatalogueOccupation]) -> int:
    """Add or update occupations from the bundled catalogue or a workbook; returns how many changed."""
    s = uow.session
    existing = {o.code: o for o in s.scalars(select(Occupation))}
    changed = 0
    for occ in occupations:
        row = existing.get(occ.code) or Occupation(code=occ.code)
        values = ("|".join(occ.work_types), "|".join(str(int(lv)) for lv in occ.levels))
        if occ.code not in existing:
            s.add(row)
        elif (row.name, row.work_types, row.levels) == (occ.name, *values):
            continue
        row.name, row.work_types, row.levels = occ.name, *values
        changed += 1
    if changed:
        uow.audit("catalogue.load", "occupation", "", f"职业目录更新 {changed} 项")
    return changed


@query("institution.view")
def list_occupations(s: Session, actor: Actor) -> list[Occupation]:
    return list(s.scalars(select(Occupation).order_by(Occupation.code)))
