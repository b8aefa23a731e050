"""The foundation's commands through the real command line: init, users, keys, audit, backups, errors."""

import sqlite3

from cryptography.hazmat.primitives.serialization import load_pem_public_key

from jlexam.security.signing import key_id
from tests.e2e.conftest import PASSWORD


def test_init_creates_database_admin_and_keys(jlexam):
    r = jlexam("init")
    assert r.code == 0, r.err
    assert "已创建初始管理员 admin" in r.out and "密钥已就绪" in r.out
    again = jlexam("init")  # idempotent: upgrades nothing, asks nothing
    assert again.code == 0 and "初始管理员" not in again.out


def test_init_without_a_password_says_how(jlexam):
    r = jlexam("init", password=None)
    assert r.code == 1
    assert "JLEXAM_PASSWORD" in r.err and "Traceback" not in r.err


def test_audit_verify_passes_then_detects_tampering(jlexam):
    assert jlexam("init").code == 0
    assert jlexam("--user", "admin", "users", "add", "kaowu", "--name", "王考务", "--roles", "exam_office",
                  JLEXAM_NEW_PASSWORD="Kaowu-2026x").code == 0
    ok = jlexam("--user", "admin", "audit", "verify")
    assert ok.code == 0 and "完好" in ok.out
    conn = sqlite3.connect(jlexam.home / "office.sqlite")
    conn.execute("UPDATE audit_event SET summary = '改过' WHERE seq = 2")
    conn.commit()
    conn.close()
    bad = jlexam("--user", "admin", "audit", "verify")
    assert bad.code == 3 and "第 2 条记录" in bad.out


def test_keys_export_public_gives_the_signing_key(jlexam):
    assert jlexam("init").code == 0
    r = jlexam("--user", "admin", "keys", "export-public", "--out", "pub.pem")
    assert r.code == 0, r.err
    public = load_pem_public_key((jlexam.home / "pub.pem").read_bytes())
    assert key_id(public) in r.out


def test_keys_recovery_round_trip_to_a_new_pc(jlexam, tmp_path):
    assert jlexam("init").code == 0
    assert jlexam("--user", "admin", "keys", "export-public", "--out", "before.pem").code == 0
    r = jlexam("--user", "admin", "keys", "export-recovery", "--out", "keys.recovery",
               JLEXAM_RECOVERY_PASSPHRASE="a long recovery passphrase")
    assert r.code == 0, r.err
    # A reinstalled PC: same database, empty keyring.
    new_pc = {"JLEXAM_KEYRING": f"file:{tmp_path / 'new-keyring.cfg'}"}
    missing = jlexam("--user", "admin", "keys", "export-public", "--out", "x.pem", **new_pc)
    assert missing.code == 1 and "恢复文件" in missing.err
    wrong = jlexam("--user", "admin", "keys", "import-recovery", "keys.recovery",
                   JLEXAM_RECOVERY_PASSPHRASE="not the passphrase", **new_pc)
    assert wrong.code == 1 and "口令" in wrong.err
    assert jlexam("--user", "admin", "keys", "import-recovery", "keys.recovery",
                  JLEXAM_RECOVERY_PASSPHRASE="a long recovery passphrase", **new_pc).code == 0
    assert jlexam("--user", "admin", "keys", "export-public", "--out", "after.pem", **new_pc).code == 0
    assert (jlexam.home / "after.pem").read_bytes() == (jlexam.home / "before.pem").read_bytes()


def test_wrong_password_is_one_line(jlexam):
    assert jlexam("init").code == 0
    r = jlexam("--user", "admin", "audit", "verify", password="not-it-123")
    assert r.code == 1 and r.err.strip().count("\n") == 0 and "用户名或密码错误" in r.err


def test_role_refusal_through_the_cli(jlexam):
    assert jlexam("init").code == 0
    assert jlexam("--user", "admin", "users", "add", "clerk", "--name", "数据员", "--roles", "data_clerk",
                  JLEXAM_NEW_PASSWORD=PASSWORD).code == 0
    r = jlexam("--user", "clerk", "users", "list")
    assert r.code == 1 and "无权管理用户和角色" in r.err


def test_backup_create_list_and_restore_a_corrupt_file(jlexam):
    assert jlexam("init").code == 0
    made = jlexam("--user", "admin", "backup", "create")
    assert made.code == 0, made.err
    listing = jlexam("backup", "list")
    name = listing.out.split()[-1]
    assert name.endswith(".sqlite") and "manual" in listing.out
    db = jlexam.home / "office.sqlite"
    for extra in ("office.sqlite-wal", "office.sqlite-shm"):
        (jlexam.home / extra).unlink(missing_ok=True)
    db.write_bytes(b"this is not a database at all" * 100)
    broken = jlexam("--user", "admin", "audit", "verify")
    assert broken.code == 1 and "已损坏" in broken.err and "backup restore" in broken.err
    restored = jlexam("--user", "admin", "backup", "restore", name)
    assert restored.code == 0, restored.err
    assert jlexam("--user", "admin", "audit", "verify").code == 0


def test_debug_shows_the_traceback(jlexam):
    r = jlexam("--debug", "--user", "admin", "audit", "verify")
    assert r.code == 1 and "Traceback" in r.err and "jlexam init" in r.err
