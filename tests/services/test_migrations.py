"""Upgrading a database keeps its data: a database at the first revision, with rows, migrates to head."""

import uuid
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from jlexam.store.database import Database, _alembic_config
from tests.conftest import PG_URL


def _upgrade_to(db: Database, revision: str) -> None:
    cfg = _alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db(request, tmp_path):
    if request.param == "sqlite":
        db = Database(str(tmp_path / "old.sqlite"))
        yield db
        db.dispose()
        return
    request.getfixturevalue("_pg_template")  # skip or fail as the other PostgreSQL tests do
    name = f"jlexam_mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    db = Database(make_url(PG_URL).set(database=name).render_as_string(hide_password=False))
    yield db
    db.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_from_first_revision_keeps_rows(empty_db):
    _upgrade_to(empty_db, "0001")
    now = datetime(2026, 1, 5, 8, tzinfo=UTC)
    with empty_db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO occupation (code, name, work_types, levels) VALUES ('6-31-01-03', '电工', '', '5|4|3')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO sitting (code, name, state, created_at) VALUES ('S1', '一月批次', 'draft', :now)"
            ),
            {"now": now},
        )
        conn.execute(
            text(
                "INSERT INTO candidate (name, sex, id_type, id_number_enc, id_number_index, id_number_masked, "
                "phone_masked, education, employer, created_at) VALUES ('张三', 'male', 'resident_id', :blob, 'idx', "
                "'220102********1234', '', '', '', :now)"
            ),
            {"blob": b"\x01secret", "now": now},
        )
        conn.execute(
            text(
                "INSERT INTO application (sitting_id, candidate_id, occupation_code, work_type, level, status, created_at) "
                "SELECT s.id, c.id, '6-31-01-03', '', 4, 'submitted', :now FROM sitting s, candidate c"
            ),
            {"now": now},
        )
    assert empty_db.schema_state().status == "older"
    empty_db.upgrade()
    assert empty_db.schema_state().status == "current"
    with empty_db.engine.connect() as conn:
        row = conn.execute(text("SELECT level, eligibility, fee_cents, decision FROM application")).one()
        assert tuple(row) == (4, "pending", 0, None)
        assert conn.execute(text("SELECT announcement_notes FROM sitting")).scalar() == ""
        assert bytes(conn.execute(text("SELECT id_number_enc FROM candidate")).scalar()) == b"\x01secret"


def test_upgrade_moves_the_room_order_of_seat_plans_into_the_plan_record(empty_db):
    """0007: the setting ``seat_plan_rooms:<session id>`` becomes ``seat_plan.room_ids``; earlier staff
    changes are of kind "staff"."""
    _upgrade_to(empty_db, "0006")
    now = datetime(2026, 12, 1, 8, tzinfo=UTC)
    with empty_db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO sitting (code, name, state, created_at) VALUES ('S1', '十二月批次', 'arranged', :now)"
            ),
            {"now": now},
        )
        for part in ("theory", "practical"):
            conn.execute(
                text(
                    "INSERT INTO exam_session (sitting_id, part, starts_at, ends_at) "
                    "SELECT id, :part, :now, :now FROM sitting"
                ),
                {"part": part, "now": now},
            )
        first, second = conn.execute(text("SELECT id FROM exam_session ORDER BY id")).scalars().all()
        for session_id in (first, second):
            conn.execute(
                text(
                    "INSERT INTO seat_plan (session_id, seed, strategy, created_by, created_at) "
                    "VALUES (:s, 7, 'fill', 'office', :now)"
                ),
                {"s": session_id, "now": now},
            )
        conn.execute(
            text(
                "INSERT INTO setting (key, value) VALUES (:k, '3|1|2'), ('checkin.entry_cutoff_minutes', '20')"
            ),
            {"k": f"seat_plan_rooms:{first}"},
        )
        conn.execute(
            text(
                "INSERT INTO staff_change (sitting_id, description, reason, approved_by, at) "
                "SELECT id, '取消 张三 的监考员', '因病不能到场', 'sup', :now FROM sitting"
            ),
            {"now": now},
        )
    empty_db.upgrade()
    assert empty_db.schema_state().status == "current"
    with empty_db.engine.connect() as conn:
        plans = dict(conn.execute(text("SELECT session_id, room_ids FROM seat_plan")).all())
        assert plans == {first: "3|1|2", second: ""}
        keys = set(conn.execute(text("SELECT key FROM setting")).scalars())
        assert not any(k.startswith("seat_plan_rooms:") for k in keys)
        assert "checkin.entry_cutoff_minutes" in keys  # only the room orders are gone
        assert conn.execute(text("SELECT kind FROM staff_change")).scalar() == "staff"


def test_upgrade_keeps_on_each_certificate_the_institution_name_it_was_issued_under(empty_db):
    """0008: a certificate keeps the institution's filed name it was issued under; existing ones get the
    name of their issue (the old value of a later recorded rename) or, when not renamed since, the current
    one."""
    _upgrade_to(empty_db, "0007")
    before, renamed, after = (datetime(2026, 10, d, 8, tzinfo=UTC) for d in (14, 20, 26))
    with empty_db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO institution (name, credit_code, kind, address, legal_representative, "
                "contact_person, contact_phone, filing_number, cert_category, cert_institution_code, "
                "cert_province, cert_site_serial, refiling_due) VALUES ('吉林新名职业学院', "
                "'12220000MB0000000X', 'vocational_school', '', '', '', '', '', 'Y', '0000', '22', '000000', "
                ":no)"
            ),
            {"no": False},
        )
        conn.execute(
            text(
                "INSERT INTO institution_change (at, field, old_value, new_value, requires_refiling) "
                "VALUES (:at, 'name', '吉林旧名职业学院', '吉林新名职业学院', :no), "
                "(:at, 'address', '旧址', '新址', :yes)"
            ),
            {"at": renamed, "no": False, "yes": True},
        )
        conn.execute(
            text(
                "INSERT INTO occupation (code, name, work_types, levels) VALUES ('6-31-01-03', '电工', '', '5|4|3')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO sitting (code, name, state, created_at) VALUES ('S1', '十月批次', 'certified', :now)"
            ),
            {"now": before},
        )
        conn.execute(
            text(
                "INSERT INTO candidate (name, sex, id_type, id_number_enc, id_number_index, id_number_masked, "
                "phone_masked, education, employer, created_at) VALUES ('张三', 'male', 'resident_id', :blob, "
                "'idx', '220102********1234', '', '', '', :now)"
            ),
            {"blob": b"\x01secret", "now": before},
        )
        conn.execute(
            text(
                "INSERT INTO application (sitting_id, candidate_id, occupation_code, work_type, level, status, "
                "created_at) SELECT s.id, c.id, '6-31-01-03', '', 4, 'submitted', :now FROM sitting s, candidate c"
            ),
            {"now": before},
        )
        for number, kind, at in (
            ("Y00002200000026400001", "original", before),
            ("Y00002200000026400002", "reissue", after),
        ):
            conn.execute(
                text(
                    "INSERT INTO certificate (number, application_id, kind, status, issue_date, name, id_type, "
                    "id_number_enc, id_number_masked, occupation_code, work_type, level, reason, created_by, "
                    "created_at) SELECT :number, id, :kind, 'valid', :day, '张三', 'resident_id', :blob, "
                    "'220102********1234', '6-31-01-03', '', 4, '', 'sup', :at FROM application"
                ),
                {"number": number, "kind": kind, "day": at.date(), "blob": b"\x01secret", "at": at},
            )
    empty_db.upgrade()
    assert empty_db.schema_state().status == "current"
    with empty_db.engine.connect() as conn:
        names = dict(conn.execute(text("SELECT kind, institution_name FROM certificate")).all())
    assert names == {"original": "吉林旧名职业学院", "reissue": "吉林新名职业学院"}
