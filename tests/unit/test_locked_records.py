"""What a locked sitting's record of a person allows to change (jlexam.domain.locked_records)."""

from dataclasses import replace
from datetime import date

from jlexam.domain.locked_records import (
    LOCKED_STATES,
    PRINTED_STATES,
    StaffQualification,
    rewritten_fields,
    sitting_list,
)
from jlexam.domain.sitting_state import SittingState

BEFORE = StaffQualification(
    "王考评",
    "KP-001",
    frozenset({"assessor"}),
    True,
    frozenset({"6-31-01-03"}),
    3,
    date(2025, 1, 1),
    date(2027, 12, 31),
)


def test_states():
    assert SittingState.CLOSED not in LOCKED_STATES and SittingState.ARRANGED in LOCKED_STATES
    assert SittingState.ARCHIVED in LOCKED_STATES and SittingState.ARCHIVED in PRINTED_STATES
    assert SittingState.ARRANGED not in PRINTED_STATES and SittingState.TICKETED in PRINTED_STATES
    assert sitting_list(["S2", "S1", "S2"]) == "S1、S2"


def test_identity_and_appointment_stay_and_validity_only_extends():
    assert rewritten_fields(BEFORE, BEFORE) == []
    assert rewritten_fields(BEFORE, replace(BEFORE, valid_until=date(2028, 1, 1))) == []
    assert rewritten_fields(BEFORE, replace(BEFORE, roles=frozenset({"assessor", "clerk"}))) == []
    changes = {
        "姓名": replace(BEFORE, name="王改名"),
        "证书编号": replace(BEFORE, certificate_number="KP-002"),
        "岗位": replace(BEFORE, roles=frozenset({"clerk"})),
        "是否本机构职工": replace(BEFORE, internal=False),
        "可考评的职业": replace(BEFORE, occupations=frozenset({"6-31-01-03", "6-18-02-04"})),
        "可考评的最高等级": replace(BEFORE, max_level=2),
        "聘用日期": replace(BEFORE, appointed_on=date(2024, 12, 1)),
    }
    for label, after in changes.items():
        (found,) = rewritten_fields(BEFORE, after)
        assert found.startswith(label)
    for valid_until in (date(2027, 6, 30), None):
        (found,) = rewritten_fields(BEFORE, replace(BEFORE, valid_until=valid_until))
        assert found.startswith("聘用有效期")
    (found,) = rewritten_fields(replace(BEFORE, valid_until=None), BEFORE)
    assert found.startswith("聘用有效期")
