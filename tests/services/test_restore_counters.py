"""A restore from an older backup never moves the numbers the outside world has seen back (RULES.md
"Certificates": never reuse a serial, a voided one included; ticket numbers likewise)."""

from datetime import date

import pytest
from sqlalchemy import select

from jlexam.domain.certno import parse_certificate_number
from jlexam.services import backups, certificates, tickets
from jlexam.services.base import forget_keystores
from jlexam.store import backup as store_backup
from jlexam.store.models import AuditEvent, CertificateCounter
from tests.conftest import PASSWORD
from tests.services.arrangement_helpers import hold
from tests.services.test_certificates import final  # noqa: F401  (fixture)
from tests.services.test_scoring_publicity import CODE, decided, scored, team  # noqa: F401  (fixtures)

ISSUED = date(2026, 10, 14)


@pytest.fixture
def db(sqlite_db):
    """Backups are copies of the SQLite file: these tests run on SQLite only."""
    return sqlite_db


def _restore(db, saved):
    result = backups.restore(db, saved, "admin", PASSWORD)
    forget_keystores()
    return result


def _serial(number: str) -> int:
    return parse_certificate_number(number).serial


def _issued_then_voided(sup):
    """Serial 1 issued, replaced by serial 2 (reissue), which is then voided: both seen outside."""
    (first,) = certificates.issue_certificates(sup, CODE, ISSUED)
    second = certificates.reissue(sup, first, "遗失补发", date(2026, 10, 20))
    certificates.void(sup, second, "打印错误")
    return first, second


def test_restore_carries_the_certificate_serial_forward(db, admin, final):  # noqa: F811
    sup = final["supervisor"]
    saved = backups.create_backup(admin)  # results final, no certificate yet
    first, second = _issued_then_voided(sup)
    assert (_serial(first), _serial(second)) == (1, 2)

    result = _restore(db, saved)
    assert result.live_readable and not result.warning
    (raised,) = result.raised
    assert (raised.kind, raised.restored, raised.raised_to) == ("certificate_serial", 0, 2)
    assert set(result.lost_certificates) == {first, second}
    assert "丢失" in result.message and "证书序号" in result.message and first in result.message

    (again,) = certificates.issue_certificates(sup, CODE, ISSUED)
    assert _serial(again) == 3 and again not in (first, second)  # neither the issued nor the voided serial
    with db.reading() as s:
        events = {e.action: e for e in s.scalars(select(AuditEvent))}
    carried = events["backup.carry_forward"]
    assert carried.entity_id == saved.name and saved.name in carried.summary
    assert "由 0 提高到 2" in carried.summary and first in carried.summary


def test_nothing_is_raised_when_the_backup_is_newest(db, admin, final):  # noqa: F811
    sup = final["supervisor"]
    _issued_then_voided(sup)
    saved = backups.create_backup(admin)
    result = _restore(db, saved)
    assert result.raised == () and result.lost_certificates == () and "无需结转" in result.message
    with db.reading() as s:
        counters = {c.key: c.last_serial for c in s.scalars(select(CertificateCounter))}
    assert list(counters.values()) == [2]
    assert certificates.issue_certificates(sup, CODE, ISSUED) == []  # all issued already


def _corrupt(db) -> None:
    db.dispose()
    path = db.sqlite_path
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    data = bytearray(path.read_bytes())
    data[:100] = b"\x00garbage" * 12 + b"\x00" * 4
    path.write_bytes(bytes(data))


def test_a_corrupt_live_file_is_reported_and_newer_backups_still_count(db, admin, final):  # noqa: F811
    sup = final["supervisor"]
    saved = backups.create_backup(admin)
    _issued_then_voided(sup)
    backups.create_backup(admin)  # a later routine backup knows serial 2
    _corrupt(db)

    result = _restore(db, saved)
    assert not result.live_readable and result.warning
    assert "警告" in result.message and "无法读取" in result.message and "核对" in result.message
    assert [(r.kind, r.raised_to) for r in result.raised] == [("certificate_serial", 2)]
    (again,) = certificates.issue_certificates(sup, CODE, ISSUED)
    assert _serial(again) == 3


def test_a_corrupt_live_file_without_other_backups_warns(db, admin, final):  # noqa: F811
    saved = backups.create_backup(admin)
    _issued_then_voided(final["supervisor"])
    _corrupt(db)
    result = _restore(db, saved)
    assert not result.live_readable and result.raised == ()
    assert "警告" in result.message and "证书序号" in result.message
    with db.reading() as s:
        summary = s.scalar(select(AuditEvent.summary).where(AuditEvent.action == "backup.carry_forward"))
    assert "警告" in summary and "无法读取" in summary


def test_backups_of_another_database_do_not_count(db, admin, final):  # noqa: F811
    saved = backups.create_backup(admin)
    _issued_then_voided(final["supervisor"])
    later = backups.create_backup(admin)
    marks, other_id = store_backup.read_high_water(later)
    assert marks.certificate_serials and other_id == db.database_id
    collected = store_backup.collect_marks(db.sqlite_path, saved, "some-other-database")
    assert collected.sources == 1  # the live file only: the later backup belongs to "another" database


def test_restore_keeps_ticket_sitting_numbers_issued_after_the_backup(db, admin, team, decided):  # noqa: F811
    office, sup = team["clerk1"], team["supervisor"]
    saved = backups.create_backup(admin)  # decided, not yet arranged or ticketed
    hold(office, sup)
    before = {t.number for t in tickets.list_tickets(office, CODE)}
    assert before and all(n.startswith("2601") for n in before)

    result = _restore(db, saved)
    assert [(r.kind, r.key) for r in result.raised] == [("ticket_sitting", "2601")]
    assert "准考证批次序号 2601" in result.message
    hold(office, sup)  # the sitting re-entered after the restore gets a new sitting number
    after = {t.number for t in tickets.list_tickets(office, CODE)}
    assert after and all(n.startswith("2602") for n in after) and not after & before


def test_an_older_backup_is_upgraded_so_its_counters_can_be_raised(db, admin, final):  # noqa: F811
    from alembic import command

    from jlexam.store.database import Database, _alembic_config

    saved = backups.create_backup(admin)
    _issued_then_voided(final["supervisor"])
    old = Database(str(saved))
    cfg = _alembic_config()
    with old.engine.begin() as conn:  # as written by the jlexam before certificates existed (0005)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0004")
    old.dispose()
    assert old.schema_state().status == "older"
    old.dispose()
    result = _restore(db, saved)
    assert result.upgraded and "升级" in result.message
    assert db.schema_state().status == "current"
    with db.reading() as s:
        counters = {c.key: c.last_serial for c in s.scalars(select(CertificateCounter))}
    assert list(counters.values()) == [2]  # the table the backup lacked holds the carried serial
