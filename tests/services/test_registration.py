"""Sittings, sessions, registration, eligibility review and evidence (issue 4) on both databases."""

from datetime import UTC, date, datetime, timedelta

import pytest

from jlexam.domain.levels import SkillLevel
from jlexam.errors import PermissionDenied, StateError, ValidationError
from jlexam.security.roles import Role
from jlexam.services import eligibility, registration, sittings
from tests.services.helpers import ELECTRICIAN, START, open_sitting, person, setup_institution


@pytest.fixture
def office(actor_for):
    return actor_for(Role.EXAM_OFFICE)


@pytest.fixture
def supervisor(actor_for):
    return actor_for(Role.SUPERVISOR)


def test_sitting_outside_scope_is_refused(admin, office):
    setup_institution(admin)
    with pytest.raises(ValidationError, match="不在机构备案的认定范围内") as info:
        sittings.create_sitting(
            office, "X1", "越范围", START, START, [sittings.OfferInput(ELECTRICIAN, "", SkillLevel.LEVEL_1)]
        )
    assert info.value.rule == "002 §16"


def test_sitting_after_filing_expiry_is_refused(admin, office):
    setup_institution(admin)
    with pytest.raises(StateError, match="备案"):
        sittings.create_sitting(
            office,
            "X2",
            "过期",
            date(2028, 5, 1),
            date(2028, 5, 2),
            [sittings.OfferInput(ELECTRICIAN, "", SkillLevel.LEVEL_4)],
        )


def test_session_shorter_than_the_standard_is_refused(admin, office):
    setup_institution(admin)
    sittings.create_sitting(
        office, "S1", "短场次", START, START, [sittings.OfferInput(ELECTRICIAN, "", SkillLevel.LEVEL_4)]
    )
    at = datetime(2026, 12, 12, 1, tzinfo=UTC)
    with pytest.raises(ValidationError, match="少于国家职业标准规定的 90 分钟"):
        sittings.add_session(office, "S1", "theory", at, at + timedelta(minutes=60))


def test_registration_needs_sessions_and_an_open_sitting(admin, office):
    setup_institution(admin)
    sittings.create_sitting(
        office, "S1", "无场次", START, START, [sittings.OfferInput(ELECTRICIAN, "", SkillLevel.LEVEL_4)]
    )
    with pytest.raises(StateError, match="002 第十五条"):
        sittings.open_registration(office, "S1", date(2026, 11, 1), date(2026, 11, 30))
    with pytest.raises(StateError, match="只能在报名中时"):
        registration.register_application(office, "S1", person(1))


def test_register_application_and_duplicates(admin, office):
    open_sitting(admin, office)
    app_id = registration.register_application(office, "S2026-12", person(1))
    assert app_id > 0
    with pytest.raises(ValidationError, match="已报名本批次"):
        registration.register_application(office, "S2026-12", person(1))
    # the same person may apply for another level of the same occupation
    assert registration.register_application(office, "S2026-12", person(1, level=3, years=12)) > app_id


def test_student_capped_at_level_three(admin, office):
    setup_institution(admin)
    from jlexam.services import institution

    institution.set_scope(
        admin, [institution.ScopeItem(ELECTRICIAN, "", SkillLevel(lv)) for lv in (5, 4, 3, 2)]
    )
    offers = [sittings.OfferInput(ELECTRICIAN, "", SkillLevel(lv)) for lv in (4, 2)]
    sittings.create_sitting(office, "U1", "学生批次", START, START, offers)
    at = datetime(2026, 12, 12, 1, tzinfo=UTC)
    sittings.add_session(office, "U1", "theory", at, at + timedelta(minutes=90))
    sittings.add_session(office, "U1", "practical", at + timedelta(hours=3), at + timedelta(hours=5))
    sittings.add_session(office, "U1", "review", at + timedelta(hours=6), at + timedelta(hours=7))
    sittings.open_registration(office, "U1", date(2026, 11, 1), date(2026, 11, 30))
    with pytest.raises(ValidationError, match="三级/高级工") as info:
        registration.register_application(office, "U1", person(3, level=2, student=True))
    assert info.value.rule == "003"


def test_eligibility_names_the_condition_and_override_needs_a_supervisor(admin, office, supervisor):
    open_sitting(admin, office)
    ok = registration.register_application(office, "S2026-12", person(1, level=4, years=6))
    short = registration.register_application(office, "S2026-12", person(2, level=4, years=2))
    assert eligibility.evaluate_sitting(office, "S2026-12") == (1, 1)
    rows = {r.id: r for r in eligibility.list_applications(office, "S2026-12")}
    assert rows[ok].eligibility == "eligible" and "5" in rows[ok].eligibility_summary
    assert rows[short].eligibility == "ineligible" and rows[short].eligibility_summary
    eligibility.decide(office, ok, True)
    with pytest.raises(StateError, match="破格"):
        eligibility.decide(office, short, True)
    with pytest.raises(PermissionDenied):
        eligibility.approve_with_override(office, short, "单位出具了十年工作证明，原件已核验")
    with pytest.raises(ValidationError, match="书面理由"):
        eligibility.approve_with_override(supervisor, short, "同意")
    eligibility.approve_with_override(supervisor, short, "单位出具了十年工作证明，原件已核验")
    rows = {r.id: r for r in eligibility.list_applications(office, "S2026-12")}
    assert rows[short].decision == "approved" and rows[short].override
    from jlexam.services.audit import search_events

    assert any(e.action == "eligibility.override" for e in search_events(supervisor, "破格"))


def test_rejection_needs_a_reason(admin, office):
    open_sitting(admin, office)
    app_id = registration.register_application(office, "S2026-12", person(1))
    eligibility.evaluate_sitting(office, "S2026-12")
    with pytest.raises(ValidationError, match="理由"):
        eligibility.decide(office, app_id, False)
    eligibility.decide(office, app_id, False, "材料不全")


def test_evidence_is_kept_with_the_application(admin, office, tmp_path):
    open_sitting(admin, office)
    app_id = registration.register_application(office, "S2026-12", person(1))
    scan = tmp_path / "毕业证.pdf"
    scan.write_bytes(b"%PDF-1.4 scanned diploma")
    assert eligibility.attach_evidence(office, app_id, "diploma", scan) > 0
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(ValidationError, match="是空的"):
        eligibility.attach_evidence(office, app_id, "diploma", empty)
    with pytest.raises(ValidationError, match="材料类型"):
        eligibility.attach_evidence(office, app_id, "selfie", scan)


def test_next_step_blockers_follow_the_sitting(admin, office):
    from jlexam.services.sittings import close_registration, next_step_blockers

    open_sitting(admin, office)
    messages = [b.message for b in next_step_blockers(office, "S2026-12")]
    assert "尚无报名。" in messages and "报名尚未截止。" in messages
    app_id = registration.register_application(office, "S2026-12", person(1))
    close_registration(office, "S2026-12")
    blockers = next_step_blockers(office, "S2026-12")
    assert any("未完成资格审核" in b.message and b.level == "error" for b in blockers)
    assert any("没有照片" in b.message and b.level == "warning" for b in blockers)
    eligibility.evaluate_sitting(office, "S2026-12")
    eligibility.decide(office, app_id, True)
    assert not any("资格审核" in b.message for b in next_step_blockers(office, "S2026-12"))


def test_sessions_stay_within_the_announced_dates(db, admin, actor_for):
    """002 §15: the announcement publishes the sitting's dates; a session outside them is refused."""

    office = actor_for(Role.EXAM_OFFICE)
    open_sitting(admin, office)  # 2026-12-12 to 2026-12-13
    late = datetime(2026, 12, 14, 1, 0, tzinfo=UTC)  # 09:00 Beijing, the day after
    with pytest.raises(ValidationError) as info:
        sittings.add_session(office, "S2026-12", "theory", late, late + timedelta(minutes=90))
    assert info.value.rule == "002 §15" and "2026-12-14" in info.value.message
    evening = datetime(2026, 12, 13, 1, 0, tzinfo=UTC)  # the second day is announced
    assert sittings.add_session(office, "S2026-12", "theory", evening, evening + timedelta(minutes=90)).id
