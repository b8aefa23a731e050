"""Certificates, numbering, reissue and correction, the blank-stock ledger and upload batches (issue 8)."""

import subprocess
import sys
import zipfile
from datetime import UTC, date, datetime

import pytest

from jlexam.domain.certno import parse_certificate_number
from jlexam.errors import StateError, ValidationError
from jlexam.exchange.batch import verify_batch
from jlexam.services import certificates, publicity, stock, uploads
from tests.services.test_scoring_publicity import CODE, _results, decided, scored, team  # noqa: F401  (fixtures)


@pytest.fixture
def final(db, team, scored):  # noqa: F811
    _results(team, scored)
    publicity.publish_results(team["supervisor"], CODE, date(2026, 9, 30))
    publicity.finalize_results(team["supervisor"], CODE, date(2026, 10, 13))
    return team


def test_no_certificates_before_results_are_final(db, team, scored):  # noqa: F811
    _results(team, scored)
    publicity.publish_results(team["supervisor"], CODE, date(2026, 9, 30))
    with pytest.raises(StateError, match="公示期至 2026-10-12"):
        certificates.issue_certificates(team["supervisor"], CODE, date(2026, 10, 10))


def test_issue_numbers_and_never_reuse(db, final):
    sup = final["supervisor"]
    (number,) = certificates.issue_certificates(sup, CODE, date(2026, 10, 14))
    parsed = parse_certificate_number(number)
    assert parsed.serial == 1 and parsed.issue_year_2d == 26 and int(parsed.level) == 4
    assert number.startswith("Y00002")
    certificates.void(sup, number, "打印错误")
    with pytest.raises(StateError):
        certificates.reissue(sup, number, "遗失", date(2026, 10, 15))
    with pytest.raises(StateError, match="不能再作废"):  # the first reason stays on record
        certificates.void(sup, number, "另一理由")
    assert certificates.issue_certificates(sup, CODE, date(2026, 10, 14)) == []  # already issued (voided)


def test_reissue_and_correction(db, final, tmp_path):
    sup = final["supervisor"]
    (number,) = certificates.issue_certificates(sup, CODE, date(2026, 10, 14))
    new = certificates.reissue(sup, number, "持证人遗失，本人申请补发", date(2026, 10, 20))
    assert parse_certificate_number(new).serial == 2
    views = {v.number: v for v in certificates.list_certificates(sup, CODE)}
    assert views[number].status == "replaced" and views[new].kind == "reissue"
    fixed = certificates.correct(sup, new, "姓名录入错误，附户口簿", date(2026, 10, 21), name="王测试改")
    assert {v.number: v for v in certificates.list_certificates(sup, CODE)}[fixed].name == "王测试改"
    from jlexam.domain.idcard import build_id_number

    too_young = build_id_number("220102", date(2012, 1, 1), 11)
    with pytest.raises(ValidationError, match="不予更正"):
        certificates.correct(
            sup, fixed, "证件号码错误，附身份证复印件", date(2026, 10, 22), id_number=too_young
        )
    out = tmp_path / "cert.pdf"
    assert certificates.write_certificates(sup, [fixed], out) == 1 and out.read_bytes().startswith(b"%PDF")


def test_ledger_balances_and_separates_custody(db, final):
    keeper = final["supervisor"]
    t = datetime(2026, 10, 1, tzinfo=UTC)
    stock.record(keeper, "receipt", t, "孙保管", "印刷厂送货员", 1001, 1100)
    with pytest.raises(ValidationError):
        stock.record(
            keeper, "issue", t.replace(day=2), "孙保管", "孙保管", 1001, 1010
        )  # custodian is not the issuer
    stock.record(keeper, "issue", t.replace(day=2), "孙保管", "李主考", 1001, 1010)
    stock.record(keeper, "spoil", t.replace(day=3), "孙保管", "李主考", 1005, 1005, "套打错位")
    stock.record(keeper, "void", t.replace(day=3), "孙保管", "李主考", 1099, 1100, "受潮")
    with pytest.raises(ValidationError):
        stock.record(keeper, "issue", t.replace(day=4), "孙保管", "李主考", 1010, 1012)  # 1010 issued twice
    _entries, left = stock.ledger(keeper)
    assert left == 100 - 10 - 2
    assert stock.compare_count(keeper, 87).difference == -1


def test_upload_batch_verifies_and_the_dashboard_warns(db, final, tmp_path):
    sup, clerk = final["supervisor"], final["clerk2"]  # clerk2 holds the data clerk role
    numbers = certificates.issue_certificates(sup, CODE, date(2026, 10, 14))
    assert uploads.unreported(clerk) == numbers
    out = tmp_path / "batch.zip"
    info = uploads.export_batch(clerk, numbers, out)
    report = verify_batch(out)
    assert report.ok, report.problems
    assert uploads.unreported(clerk) == []
    (view,) = uploads.dashboard(clerk, date(2026, 11, 16))
    assert view.deadline == date(2026, 11, 25) and view.warning.startswith("距上报期限还有")
    with pytest.raises(ValidationError, match="晚于今天"):
        uploads.mark_uploaded(clerk, view.batch_id, "HZ-2026-0001", date(2099, 1, 4))
    uploads.mark_uploaded(clerk, view.batch_id, "HZ-2026-0001", date(2026, 11, 17))
    with pytest.raises(StateError, match="不能再次登记"):  # a receipt is never rewritten
        uploads.mark_uploaded(clerk, view.batch_id, "HZ-2026-0099", date(2026, 11, 18))
    assert uploads.dashboard(clerk, date(2026, 11, 30))[0].warning == ""
    with zipfile.ZipFile(out) as z:
        manifest = z.read("manifest.json").decode()
    assert (info.count == 1 and '"count"' in manifest) or "certificate" in manifest
    from jlexam.services import archives

    archives.mark_reported(clerk, CODE)  # every certificate uploaded with its receipt
    with pytest.raises(StateError, match="不能再为本批次发放新证书"):
        certificates.issue_certificates(sup, CODE, date(2026, 11, 30))


def test_two_processes_number_concurrently_on_postgres(pg_db, tmp_path):
    """Two PCs issuing at once against one server never get the same serial."""
    script = f"""
import sys
from jlexam.store.database import Database
from jlexam.services.certificates import allocate_serial
db = Database({pg_db.url!r})
got = []
for _ in range(60):
    with db.transaction() as s:
        got.append(allocate_serial(s, "Y000022000187", 2026))
print(" ".join(map(str, got)))
"""
    procs = [
        subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True) for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    serials = [int(x) for out in outputs for x in out.split()]
    assert sorted(serials) == list(range(1, 121))


def test_ledger_as_pdf_and_xlsx(db, final, tmp_path):
    import openpyxl
    import pypdfium2

    keeper = final["supervisor"]
    t = datetime(2026, 10, 1, tzinfo=UTC)
    stock.record(keeper, "receipt", t, "孙保管", "印刷厂送货员", 1001, 1100)
    stock.record(keeper, "issue", t.replace(day=2), "孙保管", "李主考", 1001, 1010)
    stock.record(keeper, "spoil", t.replace(day=3), "孙保管", "李主考", 1005, 1005, "套打错位")
    assert (
        stock.write_ledger(keeper, tmp_path / "ledger.pdf", tmp_path / "ledger.xlsx") == 90
    )  # the spoiled form was already issued
    text = "".join(
        p.get_textpage().get_text_range() for p in pypdfium2.PdfDocument(str(tmp_path / "ledger.pdf"))
    )
    assert "结存 90 份" in text and "套打错位" in text
    rows = list(openpyxl.load_workbook(tmp_path / "ledger.xlsx").active.values)
    assert (
        rows[1][1] == "事项"
        and rows[2][1] == "入库"
        and any("结存 90 份" in str(r[0]) for r in rows if r and r[0])
    )
