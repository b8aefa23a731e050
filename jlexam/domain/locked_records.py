"""Records a sitting relies on once they are locked, printed or archived, and what may still change in them.

Records of a sitting must not change under an auditor after the fact (002 §21, §36):

- from the lock of the arrangement ("arranged") on, the seat plans and the staff are fixed; the rooms a locked
  seat plan uses and the people a locked sitting assigned are part of that record;
- from ticket issue ("ticketed") on, the candidates' photos are printed on tickets and sign-in sheets;
- once archived, nothing of the sitting changes.

The services find which sittings rely on a record; these rules say which states count and, for a person on
the staff registry, which edits would rewrite what a locked sitting relied on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from jlexam.domain.sitting_state import SittingState

LOCKED_STATES = SittingState.ARRANGED.and_later()  # seat plans and staff locked (002 §21)
PRINTED_STATES = SittingState.TICKETED.and_later()  # tickets and sign-in sheets printed (002 §20)


def sitting_list(codes: Iterable[str]) -> str:
    """Sitting codes for a message: sorted, each once, joined with 、."""
    return "、".join(sorted(set(codes)))


@dataclass(frozen=True)
class StaffQualification:
    """What a staff record says about a person that a locked sitting's arrangement relied on (002 §21, §38,
    §44): who they are and what they were appointed to do."""

    name: str
    certificate_number: str
    roles: frozenset[str]
    internal: bool
    occupations: frozenset[str]
    max_level: int | None  # the highest level (lowest number) they may assess
    appointed_on: date | None
    valid_until: date | None  # None: no end recorded


def rewritten_fields(before: StaffQualification, after: StaffQualification) -> list[str]:
    """The edits (Chinese, for the message) that would rewrite the record a locked sitting relied on.

    Identity and appointment stay as they were: name, certificate number, occupations, level, appointment
    date and whether the person is the institution's own staff. Roles may be added but none removed. The
    appointment's recorded end may only move later (a validity entered too short is corrected, within the
    3 years the registry allows); ending an appointment early is done by marking the person inactive. An
    empty list means the edit keeps every fact the locked sittings relied on.
    """
    found: list[str] = []
    if after.name != before.name:
        found.append(f"姓名（{before.name} → {after.name}）")
    if after.certificate_number != before.certificate_number:
        found.append(f"证书编号（{before.certificate_number or '无'} → {after.certificate_number or '无'}）")
    removed = before.roles - after.roles
    if removed:
        found.append("岗位（不能去掉已有岗位）")
    if after.internal != before.internal:
        found.append("是否本机构职工")
    if after.occupations != before.occupations:
        found.append("可考评的职业")
    if after.max_level != before.max_level:
        found.append("可考评的最高等级")
    if after.appointed_on != before.appointed_on:
        found.append("聘用日期")
    extended = (
        before.valid_until is not None
        and after.valid_until is not None
        and after.valid_until > before.valid_until
    )
    if after.valid_until != before.valid_until and not extended:
        found.append("聘用有效期（只能延长，不能缩短、删除或补填）")
    return found
