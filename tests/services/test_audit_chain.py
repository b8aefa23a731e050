"""The audit chain detects edits, deletions and insertions made behind the application's back."""

import pytest
from sqlalchemy import text

from jlexam.errors import ValidationError
from jlexam.security.roles import Role
from jlexam.services import users
from jlexam.services.audit import search_events, verify_chains
from jlexam.services.base import mask_full_ids
from tests.conftest import PASSWORD


@pytest.fixture
def busy(db, admin):
    """A database with a dozen audit events."""
    for i in range(4):
        users.create_user(admin, f"user{i}", f"用户{i}", PASSWORD, frozenset({Role.EXAM_OFFICE}))
        users.set_active(admin, f"user{i}", False)
    return admin


def _report(actor):
    (report,) = verify_chains(actor)
    return report


def _raw(db, sql, **params):
    with db.engine.begin() as conn:
        conn.execute(text(sql), params)


def test_intact_chain_verifies(busy):
    report = _report(busy)
    assert report.intact and report.links >= 9


def test_edited_summary_is_detected(db, busy):
    _raw(db, "UPDATE audit_event SET summary = '篡改' WHERE seq = 4")
    report = _report(busy)
    assert not report.intact
    assert report.problems[0].seq == 4 and "被修改" in report.problems[0].message


def test_edited_user_is_detected(db, busy):
    _raw(db, "UPDATE audit_event SET username = 'someone' WHERE seq = 2")
    assert _report(busy).problems[0].seq == 2


def test_deleted_middle_event_is_detected(db, busy):
    _raw(db, "DELETE FROM audit_event WHERE seq = 5")
    problems = _report(busy).problems
    assert problems[0].seq == 5 and "缺失" in problems[0].message


def test_deleted_last_event_is_detected(db, busy):
    _raw(db, "DELETE FROM audit_event WHERE seq = (SELECT MAX(seq) FROM audit_event)")
    problems = _report(busy).problems
    assert problems and "末尾" in problems[0].message


def test_inserted_event_is_detected(db, busy):
    _raw(
        db,
        "INSERT INTO audit_event (seq, at, username, action, entity, entity_id, summary, prev_hash, hash) "
        "SELECT MAX(seq) + 1, MAX(at), 'ghost', 'user.create', 'user', '99', '伪造', MAX(hash), MAX(hash) "
        "FROM audit_event",
    )
    assert not _report(busy).intact


def test_rewritten_hash_is_detected_by_the_next_link(db, busy):
    # Someone edits a row and also recomputes its own hash: the next link's prev_hash no longer matches.
    from jlexam.services.audit import verify_audit_chain
    from jlexam.services.base import audit_fields
    from jlexam.store import chain
    from jlexam.store.models import AuditEvent

    with db.transaction() as s:
        event = s.query(AuditEvent).filter_by(seq=3).one()
        event.summary = "改过的摘要"
        event.hash = chain.link_hash(event.seq, event.prev_hash, audit_fields(event))
    problems = _report(busy).problems
    assert problems[0].seq == 4 and "前一条" in problems[0].message
    with db.reading() as s:
        assert not verify_audit_chain(s).intact


def test_failed_use_case_leaves_no_event(db, busy):
    before = _report(busy).links
    with pytest.raises(ValidationError, match="已存在"):
        users.create_user(busy, "user0", "重复", PASSWORD, frozenset({Role.EXAM_OFFICE}))
    after = _report(busy).links
    assert after == before  # only login events of _report itself would add; verify writes none


def test_summary_never_holds_a_full_id_number():
    assert mask_full_ids("为 22010219900307123X 登记") == "为 220102********123X 登记"
    assert mask_full_ids("订单 1234567") == "订单 1234567"


def test_search_events(db, busy):
    rows = search_events(busy, "user2")
    assert rows and all("user2" in (r.summary + r.entity_id + r.username) for r in rows)
    assert rows[0].seq > rows[-1].seq
