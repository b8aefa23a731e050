"""``jlexam demo`` builds a fresh demo database and runs every stage built so far, headless."""

import json
import sqlite3
import zipfile

from jlexam.demo.names import has_non_bmp


def _names(db):
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM candidate ORDER BY id")]
    finally:
        conn.close()


def test_demo_runs_headless_and_its_records_verify(jlexam):
    out = jlexam.home / "demo"
    r = jlexam("demo", "--out", str(out), "--candidates", "300", "--seed", "7", password=None)
    assert r.code == 0, r.err
    assert "演示完成" in r.out
    summary = json.loads((out / "demo-summary.json").read_text(encoding="utf-8"))
    assert summary["candidates"] == 300
    written = {p.name for p in out.iterdir()}
    assert {
        "public_key.pem",
        "README.txt",
        "announcement.pdf",
        "roster-template.xlsx",
        "publicity.pdf",
        "publicity.xlsx",
        "objection-answer.pdf",
        "packet-labels.pdf",
        "custody-log.pdf",
        "certificates.pdf",
        "certificates-blank.pdf",
        "upload-batch.zip",
        "tickets.pdf",
        "door-list.pdf",
        "seat-chart.pdf",
        "sign-in.pdf",
        "room-record.pdf",
        "room-records-filled.pdf",
        "archive-package.zip",
        "oversight-report.pdf",
        "oversight-report.xlsx",
        "termination-report.pdf",
        "termination-report.xlsx",
    } <= written
    for pdf in (
        "announcement.pdf",
        "publicity.pdf",
        "objection-answer.pdf",
        "custody-log.pdf",
        "certificates.pdf",
        "oversight-report.pdf",
        "termination-report.pdf",
    ):
        assert (out / pdf).read_bytes().startswith(b"%PDF") and b"/FontFile2" in (out / pdf).read_bytes()
    sheets = sorted(
        (out / "score-sheets").glob("*评分记录表.pdf")
    )  # one per theory room, markers named (002 §25)
    assert sheets and all("第" in p.name and "考场" in p.name for p in sheets)
    first = sheets[0].read_bytes()
    assert first.startswith(b"%PDF") and b"/FontFile2" in first
    names = _names(out / "jlexam-demo.sqlite")
    assert len(names) == 300 and len(set(names)) == 300
    conn = sqlite3.connect(out / "jlexam-demo.sqlite")
    photos = conn.execute("SELECT COUNT(*) FROM candidate_photo").fetchone()[0]
    first_at = dict(conn.execute("SELECT action, MIN(at) FROM audit_event GROUP BY action").fetchall())
    times = [row[0] for row in conn.execute("SELECT at FROM audit_event ORDER BY id")]
    exam_start = conn.execute("SELECT MIN(starts_at) FROM exam_session").fetchone()[0]
    conn.close()
    assert photos == 300
    # The story reads like a real sitting: stamped in order, arranged before the exam, scored after it.
    assert times == sorted(times)
    assert first_at["sitting.open"] < first_at["application.create"] < first_at["arrangement.lock"] < exam_start
    assert exam_start < first_at["sitting.held"] < first_at["score.enter"] < first_at["publicity.publish"]
    assert first_at["publicity.publish"] < first_at["publicity.final"] < first_at["certificate.issue"]
    # The demo's own database verifies with the demo's keyring and users.
    env = {
        "JLEXAM_DB": str(out / "jlexam-demo.sqlite"),
        "JLEXAM_KEYRING": f"file:{out / 'keyring.cfg'}",
        "JLEXAM_KEYRING_PASSPHRASE": "jlexam-demo-keyring",
    }
    verify = jlexam("--user", "zhukao", "audit", "verify", password="Demo2026!", **env)
    assert verify.code == 0, verify.err
    # The archive package verifies like an upload batch, and a changed record inside it is caught (issue 9).
    package = out / "archive-package.zip"
    ok = jlexam("batch", "verify", str(package), "--public-key", str(out / "public_key.pem"), password=None)
    assert ok.code == 0, ok.out + ok.err
    tampered = jlexam.home / "tampered-archive.zip"
    with zipfile.ZipFile(package) as src, zipfile.ZipFile(tampered, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "records/certificates.csv":
                data = data.replace("有效".encode(), "作废".encode(), 1)
            dst.writestr(item, data)
    assert jlexam("batch", "verify", str(tampered), password=None).code == 3


def test_demo_is_reproducible_and_has_rare_names(jlexam):
    a, b = jlexam.home / "a", jlexam.home / "b"
    assert jlexam("demo", "--out", str(a), "--candidates", "2000", "--seed", "11", password=None).code == 0
    assert jlexam("demo", "--out", str(b), "--candidates", "2000", "--seed", "11", password=None).code == 0
    names_a, names_b = _names(a / "jlexam-demo.sqlite"), _names(b / "jlexam-demo.sqlite")
    assert names_a == names_b
    assert any(has_non_bmp(n) for n in names_a)
    again = jlexam("demo", "--out", str(a), "--candidates", "50", "--seed", "12", password=None)
    assert again.code == 0 and len(_names(a / "jlexam-demo.sqlite")) == 50  # a fresh database each run


def test_roster_option_says_plainly_it_is_not_built_yet(jlexam):
    roster = jlexam.home / "roster.xlsx"
    roster.write_bytes(b"x")
    r = jlexam("demo", "--out", str(jlexam.home / "d"), "--roster", str(roster), password=None)
    assert r.code == 1 and "尚未完成" in r.err
