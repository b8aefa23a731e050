"""The same commands against a PostgreSQL server, as several PCs of one site would use it."""

import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import PG_URL


@pytest.fixture
def pg_url(request):
    request.getfixturevalue("_pg_template")  # skips (or fails in CI) when no server is reachable
    name = f"jlexam_e2e_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name)
    yield url.set(drivername="postgresql").render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_init_and_verify_on_postgres(jlexam, pg_url):
    r = jlexam("--db", pg_url, "init")
    assert r.code == 0, r.err
    assert jlexam("--db", pg_url, "--user", "admin", "audit", "verify").code == 0
    r = jlexam("--db", pg_url, "backup", "list")
    assert r.code == 1 and "pg_dump" in r.err
