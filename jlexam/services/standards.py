"""The standard (国家职业标准) each occupation is assessed by: the bundled record, or the institution's override.

Ratios, durations, pass marks and eligibility conditions are data (RULES.md *standard*): an override is kept
as JSON on the occupation row and wins over the bundled record.
"""

from __future__ import annotations

import json
from functools import lru_cache

from sqlalchemy.orm import Session

from jlexam.domain.standards import Standard, standard_from_dict, standard_to_dict
from jlexam.errors import NotFound, ValidationError
from jlexam.exchange.catalogue import load_occupations
from jlexam.exchange.standards import load_standards
from jlexam.services.base import Actor, UnitOfWork, query, use_case
from jlexam.store.models import Occupation


@lru_cache(maxsize=1)
def _bundled() -> dict[str, Standard]:
    return load_standards(load_occupations())


def standard_for(s: Session, occupation_code: str) -> Standard:
    occupation = s.get(Occupation, occupation_code)
    if occupation is None:
        raise NotFound(f"职业编码 {occupation_code} 不在职业目录中。")
    if occupation.standard:
        return standard_from_dict(json.loads(occupation.standard))
    bundled = _bundled().get(occupation_code)
    if bundled is not None:
        return bundled
    from jlexam.domain.levels import SkillLevel
    from jlexam.domain.standards import default_standard

    return default_standard(occupation_code, [SkillLevel(int(x)) for x in occupation.levels.split("|") if x])


@query("sitting.view")
def get_standard(s: Session, actor: Actor, occupation_code: str) -> Standard:
    return standard_for(s, occupation_code)


@use_case("catalogue.edit")
def override_standard(uow: UnitOfWork, occupation_code: str, data: dict) -> Standard:
    """Keep the institution's reading of an occupation's standard (validated as a whole first)."""
    occupation = uow.session.get(Occupation, occupation_code)
    if occupation is None:
        raise NotFound(f"职业编码 {occupation_code} 不在职业目录中。")
    standard = standard_from_dict(data)
    if standard.occupation_code != occupation_code:
        raise ValidationError(
            f"标准中的职业编码 {standard.occupation_code} 与所选职业 {occupation_code} 不符。"
        )
    occupation.standard = json.dumps(standard_to_dict(standard), ensure_ascii=False, sort_keys=True)
    uow.audit(
        "standard.override", "occupation", occupation_code, f"修改 {occupation.name} 的国家职业标准参数"
    )
    return standard


@use_case("catalogue.edit")
def reset_standard(uow: UnitOfWork, occupation_code: str) -> None:
    occupation = uow.session.get(Occupation, occupation_code)
    if occupation is None:
        raise NotFound(f"职业编码 {occupation_code} 不在职业目录中。")
    occupation.standard = None
    uow.audit(
        "standard.reset", "occupation", occupation_code, f"{occupation.name} 恢复使用内置国家职业标准参数"
    )
