"""Shared fixtures: a fresh, migrated database per test on SQLite and on PostgreSQL, and a file keyring.

PostgreSQL tests use the server named by JLEXAM_TEST_PG_URL (scripts/test.sh starts one). Where none can be
reached they are skipped with the reason, unless JLEXAM_REQUIRE_PG=1 (CI), where that is a failure.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text, update
from sqlalchemy.engine import make_url

from jlexam.security.roles import Role
from jlexam.services import base
from jlexam.services.auth import login
from jlexam.services.base import Actor
from jlexam.services.users import create_first_admin, create_user
from jlexam.store.database import Database
from jlexam.store.models import Setting

PASSWORD = "Passw0rd-test"
PG_URL = os.environ.get("JLEXAM_TEST_PG_URL", "postgresql+psycopg://jlexam@127.0.0.1:55432/postgres")


@pytest.fixture(scope="session", autouse=True)
def _file_keyring(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keys live in an encrypted file keyring for the tests (no OS keyring on a CI machine)."""
    from keyrings.cryptfile.cryptfile import ArgonAESEncryption

    from jlexam.security.keystore import configure_keyring

    # The file keyring's KDF costs ~0.4 s per read at its production cost; the tests' throw-away keyring
    # files use a cheap one (subprocess tests of the real command keep the production cost).
    ArgonAESEncryption.time_cost, ArgonAESEncryption.memory_cost = 1, 8 * 1024
    path = tmp_path_factory.mktemp("keyring") / "keyring.cfg"
    configure_keyring(f"file:{path}", "test-keyring-passphrase")
    yield


# The services' "now" in tests: the test sittings are dated in December 2026 and the rules that compare with
# now (a session has begun, entry has closed) must not change with the day the suite runs.
TEST_NOW = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)  # 10:00 Beijing time


@pytest.fixture(autouse=True)
def _services_clock() -> Iterator[None]:
    base.set_simulated_time(None)
    base.set_simulated_time(TEST_NOW)
    yield
    base.set_simulated_time(None)


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    db = Database(str(path))
    db.upgrade()
    db.dispose()
    return path


def _pg_admin_engine():  # type: ignore[no-untyped-def]
    return create_engine(PG_URL, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def _pg_template(worker_id: str) -> Iterator[str]:
    try:
        engine = _pg_admin_engine()
        with engine.connect() as conn:
            conn.execute(text("select 1"))
    except Exception as exc:  # any reason the server cannot be reached
        if os.environ.get("JLEXAM_REQUIRE_PG") == "1":
            pytest.fail(f"PostgreSQL required but unreachable at {PG_URL}: {exc}")
        pytest.skip(f"PostgreSQL not reachable at {PG_URL} ({type(exc).__name__}); PostgreSQL tests skipped")
    name = f"jlexam_tpl_{worker_id}_{uuid.uuid4().hex[:8]}"
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    db = Database(url)
    db.upgrade()
    db.dispose()
    yield name
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def _database(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if kind == "sqlite":
        path = tmp_path / "jlexam.sqlite"
        shutil.copy(request.getfixturevalue("_sqlite_template"), path)
        database = Database(str(path))
        drop = None
    else:
        template = request.getfixturevalue("_pg_template")
        drop = f"jlexam_t_{uuid.uuid4().hex[:12]}"
        with _pg_admin_engine().connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{drop}" TEMPLATE "{template}"'))
        database = Database(make_url(PG_URL).set(database=drop).render_as_string(hide_password=False))
    _new_identity(database)
    yield database
    database.dispose()
    if drop:
        engine = _pg_admin_engine()
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{drop}" WITH (FORCE)'))
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A fresh database at the code's schema head, with its own identity (and so its own keys)."""
    yield from _database(request.param, request, tmp_path)


@pytest.fixture
def pg_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A PostgreSQL database only, for what only a server has (pg_dump, concurrent PCs)."""
    yield from _database("postgresql", request, tmp_path)


@pytest.fixture
def sqlite_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A SQLite database only, for what only SQLite has (backups of the file)."""
    yield from _database("sqlite", request, tmp_path)


def _new_identity(database: Database) -> None:
    """Each test database gets its own identity and keys, as `jlexam init` gives a new one."""
    from jlexam.security.keystore import KeyStore

    with database.transaction() as s:
        s.execute(update(Setting).where(Setting.key == "database_id").values(value=str(uuid.uuid4())))
    KeyStore(database.database_id).ensure_keys()


@pytest.fixture
def admin(db: Database) -> Actor:
    create_first_admin(db, "admin", PASSWORD)
    return login(db, "admin", PASSWORD)


@pytest.fixture
def actor_for(db: Database, admin: Actor):  # type: ignore[no-untyped-def]
    """``actor_for(Role.SUPERVISOR, ...)`` creates a user holding those roles and logs them in."""
    made: dict[frozenset[Role], Actor] = {}

    def make(*roles: Role) -> Actor:
        key = frozenset(roles)
        if key not in made:
            name = "u_" + "_".join(sorted(r.value for r in roles))
            create_user(admin, name, name, PASSWORD, key)
            made[key] = login(db, name, PASSWORD)
        return made[key]

    return make


@pytest.fixture(autouse=True)
def _forget_keys() -> Iterator[None]:
    yield
    base.forget_keystores()
