"""The database itself: schema version, migrations matching the models, encryption at rest, backups."""

import glob
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import make_url

from jlexam.domain.idcard import Sex, build_id_number
from jlexam.errors import StorageError, ValidationError
from jlexam.security.roles import Role
from jlexam.services import candidates
from jlexam.services.backups import create_backup, list_backups, restore
from jlexam.store import backup
from jlexam.store.database import Database
from jlexam.store.models import Base
from tests.conftest import PASSWORD

KNOWN_ID = build_id_number("220102", date(1990, 3, 7), 123)


def test_migrations_match_the_models(db):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], "models changed without a migration: add one in jlexam/store/migrations/versions"


def test_database_from_a_newer_version_is_refused(db):
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff_from_the_future'"))
    with pytest.raises(StorageError, match="更新版本"):
        db.check_schema()
    with pytest.raises(StorageError, match="更新版本"):
        db.upgrade()


def test_empty_database_asks_for_init(tmp_path):
    fresh = Database(str(tmp_path / "new.sqlite"))
    with pytest.raises(StorageError, match="jlexam init"):
        fresh.check_schema()


def test_sqlite_runs_in_wal_with_foreign_keys(sqlite_db):
    with sqlite_db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def _register(actor, number=KNOWN_ID, name="张𠇔"):
    return candidates.register_candidates(
        actor, [candidates.CandidateInput(name=name, sex=Sex.MALE, id_number=number, phone="13912345678")]
    )


def test_id_number_is_encrypted_and_found_by_index(db, actor_for):
    office = actor_for(Role.EXAM_OFFICE)
    (cid,) = _register(office)
    found = candidates.find_by_id_number(office, KNOWN_ID.lower())
    assert (
        found is not None and found.id == cid and found.id_number_masked == "220102********" + KNOWN_ID[-4:]
    )
    assert candidates.reveal_id_number(office, cid, "核对证件") == KNOWN_ID
    with db.engine.connect() as conn:
        stored = conn.execute(text("SELECT id_number_enc, id_number_index FROM candidate")).one()
    assert KNOWN_ID.encode() not in bytes(stored[0]) and KNOWN_ID not in stored[1]


def test_raw_sqlite_file_never_holds_an_id_or_phone_number(sqlite_db):
    from jlexam.services.auth import login
    from jlexam.services.users import create_first_admin, create_user

    create_first_admin(sqlite_db, "admin", PASSWORD)
    admin = login(sqlite_db, "admin", PASSWORD)
    create_user(admin, "office", "考务", PASSWORD, frozenset({Role.EXAM_OFFICE}))
    _register(login(sqlite_db, "office", PASSWORD))
    sqlite_db.dispose()
    raw = b"".join(p.read_bytes() for p in sqlite_db.sqlite_path.parent.glob("jlexam.sqlite*"))
    for secret in (KNOWN_ID, KNOWN_ID[6:14], "13912345678"):
        assert secret.encode() not in raw and secret.encode("utf-16-le") not in raw
    assert "张𠇔".encode() in raw  # the name is there in clear: the search itself works


def _pg_dump() -> str:
    found = shutil.which("pg_dump") or next(
        iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"))), None
    )
    assert found, "pg_dump is part of the postgresql package scripts/setup.sh installs"
    return found


def test_postgres_dump_never_holds_an_id_number(pg_db):
    from jlexam.services.auth import login
    from jlexam.services.users import create_first_admin, create_user

    create_first_admin(pg_db, "admin", PASSWORD)
    create_user(login(pg_db, "admin", PASSWORD), "office", "考务", PASSWORD, frozenset({Role.EXAM_OFFICE}))
    _register(login(pg_db, "office", PASSWORD))
    url = make_url(pg_db.url)
    dump = subprocess.run(
        [_pg_dump(), "-h", url.host, "-p", str(url.port), "-U", url.username, url.database],
        capture_output=True,
        check=True,
    ).stdout
    assert b"candidate" in dump and "张𠇔".encode() in dump
    assert KNOWN_ID.encode() not in dump and b"13912345678" not in dump


def test_bad_id_number_registers_nothing(db, actor_for):
    office = actor_for(Role.EXAM_OFFICE)
    good = candidates.CandidateInput(name="甲", sex=Sex.MALE, id_number=KNOWN_ID)
    bad = candidates.CandidateInput(name="乙", sex=Sex.FEMALE, id_number=KNOWN_ID[:-1] + "0")
    with pytest.raises(ValidationError, match="校验位"):
        candidates.register_candidates(office, [good, bad])
    assert candidates.list_candidates(office) == []


def test_duplicate_candidate_is_refused(db, actor_for):
    office = actor_for(Role.EXAM_OFFICE)
    _register(office)
    with pytest.raises(ValidationError, match="已登记过"):
        _register(office, name="张三")


# --- backups -----------------------------------------------------------------------------------------------
def test_rolling_rule_keeps_last_twenty_and_one_per_day():
    now = datetime(2026, 11, 22, 12, tzinfo=UTC)
    moments = [now - timedelta(hours=6 * i) for i in range(200)]  # four a day for 50 days
    keep = backup.select_to_keep(moments, now)
    assert set(moments[:20]) <= keep
    days = {m.date() for m in keep}
    assert all((now.date() - timedelta(days=d)) in days for d in range(30))
    assert all(now - m <= timedelta(days=30) or m in moments[:20] for m in keep)
    # the 20 newest span 6 days (22 Nov back to 17 Nov 18:00); 31 days lie within 30 days of noon on 22 Nov
    assert len(keep) == 20 + (31 - 6)


def test_backup_prunes_old_files(sqlite_db):
    base = datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(25):
        backup.create_backup(sqlite_db, "test", now=base + timedelta(minutes=i))
    assert len(backup.list_backups(sqlite_db.sqlite_path)) == 20


def test_corrupt_database_is_restored_from_backup(sqlite_db):
    from jlexam.services.auth import login
    from jlexam.services.users import create_first_admin, create_user

    create_first_admin(sqlite_db, "admin", PASSWORD)
    admin = login(sqlite_db, "admin", PASSWORD)
    create_user(admin, "keep_me", "保留", PASSWORD, frozenset({Role.SUPERVISOR}))
    saved = create_backup(admin)
    sqlite_db.dispose()
    path = sqlite_db.sqlite_path
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    data = bytearray(path.read_bytes())
    data[:100] = b"\x00garbage" * 12 + b"\x00" * 4  # the header is gone: not a database any more
    path.write_bytes(bytes(data))
    broken = Database(str(path))
    with pytest.raises(StorageError, match="已损坏"):
        broken.check_schema()
    assert list_backups(broken)[0].path == saved
    with pytest.raises(Exception, match="用户名或密码错误"):
        restore(broken, saved, "admin", "wrong-password")
    result = restore(broken, saved, "admin", PASSWORD)
    assert result.kept is not None and result.kept.exists()
    assert result.warning and "无法确认" in result.message  # the broken file could not tell what was issued
    revived = Database(str(path))
    revived.check_schema()
    assert login(revived, "keep_me", PASSWORD).username == "keep_me"
    revived.dispose()


def test_only_an_admin_of_the_backup_may_restore(sqlite_db):
    from jlexam.errors import PermissionDenied
    from jlexam.services.auth import login
    from jlexam.services.users import create_first_admin, create_user

    create_first_admin(sqlite_db, "admin", PASSWORD)
    admin = login(sqlite_db, "admin", PASSWORD)
    create_user(admin, "office", "考务", PASSWORD, frozenset({Role.EXAM_OFFICE}))
    saved = create_backup(admin)
    with pytest.raises(PermissionDenied):
        restore(sqlite_db, saved, "office", PASSWORD)


def test_postgres_has_no_file_backups(pg_db):
    from jlexam.services.auth import login
    from jlexam.services.users import create_first_admin

    create_first_admin(pg_db, "admin", PASSWORD)
    with pytest.raises(StorageError, match="pg_dump"):
        create_backup(login(pg_db, "admin", PASSWORD))
