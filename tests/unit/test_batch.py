"""The upload batch (DESIGN.md "Upload batch"): built, signed and verified by jlexam and, independently, by
the openssl command line and sha256sum, as a third party would."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import sys
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jlexam.cli_batch import EXIT_CHECK_FAILED, EXIT_ERROR, batch
from jlexam.domain.certno import CertificateNumberParts, build_certificate_number
from jlexam.domain.credit_code import build_credit_code
from jlexam.domain.idcard import Sex, build_id_number
from jlexam.errors import ValidationError
from jlexam.exchange.batch import (
    MANIFEST,
    PUBLIC_KEY,
    SIGNATURE,
    CertificateRecord,
    build_batch,
    load_profile,
    parse_profile,
    table_rows,
    verify_batch,
)
from jlexam.security.signing import generate_signing_key, key_id, public_key_pem, sign

OPENSSL = shutil.which("openssl")
SHA256SUM = shutil.which("sha256sum")
needs_openssl = pytest.mark.skipif(OPENSSL is None, reason="the openssl command line is not installed")

ISSUE = date(2025, 6, 3)
DEADLINE = date(2025, 7, 15)
CREATED = datetime(2025, 6, 3, 10, 30, 15)
INSTITUTION = "长春市测试职业技能培训学校"
CREDIT_CODE = build_credit_code("52220101MJ0000000")
PARTS = CertificateNumberParts("S", "0000", "22", "000123")
SURNAMES = "王李张刘陈杨赵黄周吴"
GIVEN = ("伟", "芳", "秀英", "𠇔明", "静", "强", "磊", "丽")


def make_records(n: int = 50) -> list[CertificateRecord]:
    records = []
    for i in range(n):
        level = (3, 4, 5, 2)[i % 4]
        records.append(
            CertificateRecord(
                name=SURNAMES[i % 10] + GIVEN[i % len(GIVEN)],
                id_type="居民身份证",
                id_number=build_id_number("220102", date(1980 + i % 20, 1 + i % 12, 1 + i % 28), i),
                sex=Sex.MALE if i % 2 else Sex.FEMALE,
                education="大专",
                occupation_code="6-31-01-03",
                occupation_name="电工",
                work_type="",
                level=level,
                theory_score=Decimal("60") + i % 40,
                practical_score=75.25,
                review_score=88 if level <= 2 else None,
                result="合格",
                certificate_number=build_certificate_number(PARTS, ISSUE.year, level, i + 1),
                issue_date=ISSUE,
                institution=INSTITUTION,
            )
        )
    return records


@pytest.fixture(scope="module")
def key():
    return generate_signing_key()


@pytest.fixture(scope="module")
def records():
    return make_records()


def build(records, key, out: Path, **overrides):
    args = dict(
        profile=load_profile(),
        institution_name=INSTITUTION,
        credit_code=CREDIT_CODE,
        issue_dates=[ISSUE],
        deadline=DEADLINE,
        deadline_provisional=False,
        private_key=key,
        out=out,
        batch_id="S2025-0603-01",
        created_at=CREATED,
    )
    args.update(overrides)
    return build_batch(records, **args)


@pytest.fixture(scope="module")
def batch_path(tmp_path_factory, records, key) -> Path:
    path = tmp_path_factory.mktemp("batch") / "batch.zip"
    build(records, key, path)
    return path


def entries_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def write_zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def flip(data: bytes, position: int, mask: int = 0x01) -> bytes:
    changed = bytearray(data)
    changed[position] ^= mask
    return bytes(changed)


def third_party_verifies(path: Path, workdir: Path) -> bool:
    """What a verifier without jlexam does: unzip, openssl pkeyutl over manifest.json, sha256sum -c."""
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    with zipfile.ZipFile(path) as zf:
        zf.extractall(workdir)
    signature = subprocess.run(
        [
            OPENSSL,
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            PUBLIC_KEY,
            "-rawin",
            "-in",
            MANIFEST,
            "-sigfile",
            SIGNATURE,
        ],
        cwd=workdir,
        capture_output=True,
    )
    if signature.returncode != 0:
        return False
    manifest = json.loads((workdir / MANIFEST).read_text(encoding="utf-8"))
    listed = [manifest["public_key"], *manifest["files"]]
    lines = "".join(f"{item['sha256']}  {item['name']}\n" for item in listed)
    if SHA256SUM:
        (workdir / "SHA256SUMS").write_text(lines, encoding="utf-8")
        return (
            subprocess.run(
                [SHA256SUM, "-c", "--quiet", "SHA256SUMS"], cwd=workdir, capture_output=True
            ).returncode
            == 0
        )
    return all(
        hashlib.sha256((workdir / item["name"]).read_bytes()).hexdigest() == item["sha256"] for item in listed
    )


# ------------------------------------------------------------------------------------------------ building


def test_intact_batch_verifies(batch_path, key):
    report = verify_batch(batch_path)
    assert report.ok, report.problems
    assert report.problems == []
    assert report.kid == key_id(key.public_key())
    assert report.manifest["certificates"] == {"count": 50, "issue_dates": ["2025-06-03"]}
    assert report.manifest["upload_deadline"] == {
        "date": "2025-07-15",
        "working_days": 30,
        "rule": "002 §28",
        "provisional": False,
    }
    labels = [c.label for c in report.checks]
    assert labels[:3] == ["压缩包", "必需条目", "内嵌公钥"]
    assert "签名" in labels and "多余条目" in labels


@needs_openssl
def test_intact_batch_verifies_with_openssl_alone(batch_path, tmp_path):
    assert third_party_verifies(batch_path, tmp_path / "x")


def test_layout_and_contents(batch_path, records):
    entries = entries_of(batch_path)
    assert list(entries) == [MANIFEST, SIGNATURE, PUBLIC_KEY, "certificates.xlsx", "certificates.csv"]
    assert len(entries[SIGNATURE]) == 64
    assert entries[PUBLIC_KEY].startswith(b"-----BEGIN PUBLIC KEY-----")
    manifest = json.loads(entries[MANIFEST])
    assert manifest["institution"] == {"name": INSTITUTION, "credit_code": CREDIT_CODE}
    assert manifest["created_at"] == "2025-06-03T10:30:15+08:00"
    for item in manifest["files"]:
        assert item["sha256"] == hashlib.sha256(entries[item["name"]]).hexdigest()
        assert item["size"] == len(entries[item["name"]])
        assert item["rows"] == 50
    # the full ID numbers are in the data (the platform needs them) and never in the manifest
    csv_text = entries["certificates.csv"].decode("utf-8-sig")
    manifest_text = entries[MANIFEST].decode("utf-8")
    for r in records:
        assert r.id_number in csv_text
        assert r.id_number not in manifest_text
        assert r.id_number[:6] + "********" not in manifest_text
    assert entries["certificates.csv"].startswith(b"\xef\xbb\xbf")
    lines = csv_text.split("\r\n")
    assert lines[0].split(",") == load_profile().headers
    first = lines[1].split(",")
    assert first[3] == "女" and first[7] == "--" and first[8] == "3"
    assert first[9] == "60.0" and first[10] == "75.3" and first[11] == "" and first[14] == "2025-06-03"


def test_xlsx_holds_the_same_rows(batch_path, records):
    from openpyxl import load_workbook

    data = entries_of(batch_path)["certificates.xlsx"]
    wb = load_workbook(io.BytesIO(data), read_only=True)
    ws = wb["证书信息"]
    rows = [[("" if v is None else v) for v in row] for row in ws.iter_rows(values_only=True)]
    assert rows[0] == load_profile().headers
    assert rows[1:] == table_rows(records, load_profile())


def test_same_input_gives_the_same_bytes(tmp_path, records, key, batch_path):
    again = build(records, key, tmp_path / "again.zip")
    assert (tmp_path / "again.zip").read_bytes() == batch_path.read_bytes()
    assert again.sha256 == hashlib.sha256(batch_path.read_bytes()).hexdigest()
    with zipfile.ZipFile(batch_path) as zf:
        assert {info.date_time for info in zf.infolist()} == {(2025, 6, 3, 10, 30, 14)}  # even seconds in ZIP
        inner = zipfile.ZipFile(io.BytesIO(zf.read("certificates.xlsx")))
    core = inner.read("docProps/core.xml").decode()
    assert "2025-06-03T02:30:15Z" in core  # openpyxl's "now" replaced by the batch's time (UTC)


def test_provisional_deadline_is_recorded(tmp_path, records, key):
    build(records, key, tmp_path / "p.zip", deadline_provisional=True)
    report = verify_batch(tmp_path / "p.zip")
    assert report.ok
    assert report.manifest["upload_deadline"]["provisional"] is True
    assert any("暂定" in c.detail for c in report.checks)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"issue_dates": [date(2025, 6, 4)]}, "发证日期"),
        ({"deadline": ISSUE}, "截止日期"),
        ({"credit_code": "52220101MJ00000001"}, "统一社会信用代码"),
        ({"batch_id": "../evil"}, "批次编号"),
        ({"institution_name": "  "}, "机构名称"),
    ],
)
def test_build_refuses_bad_input(tmp_path, records, key, change, words):
    with pytest.raises(ValidationError, match=words):
        build(records, key, tmp_path / "x.zip", **change)
    assert not (tmp_path / "x.zip").exists()


def test_build_refuses_duplicate_and_inconsistent_numbers(tmp_path, key):
    records = make_records(3)
    records[2].certificate_number = records[0].certificate_number
    with pytest.raises(ValidationError, match="重复"):
        build(records, key, tmp_path / "x.zip")
    records = make_records(3)
    records[1].level = 1
    with pytest.raises(ValidationError, match="第16位"):
        build(records, key, tmp_path / "x.zip")
    with pytest.raises(ValidationError, match="没有证书"):
        build([], key, tmp_path / "x.zip", issue_dates=[])


# ------------------------------------------------------------------------------------------------ tampering


def _tampered_cases(batch_path: Path) -> list[tuple[str, int]]:
    """Every file of the batch, each at its first, middle and last byte and a few in between."""
    cases = []
    for name, data in entries_of(batch_path).items():
        n = len(data)
        for position in sorted({0, 1, n // 3, n // 2, (2 * n) // 3, n - 2, n - 1}):
            cases.append((name, position))
    return cases


@needs_openssl
def test_one_changed_byte_in_any_file_fails_both_verifiers(batch_path, tmp_path):
    original = entries_of(batch_path)
    assert set(original) == {MANIFEST, SIGNATURE, PUBLIC_KEY, "certificates.xlsx", "certificates.csv"}
    for name, position in _tampered_cases(batch_path):
        entries = dict(original)
        entries[name] = flip(original[name], position)
        path = write_zip(tmp_path / "t.zip", entries)
        report = verify_batch(path)
        assert not report.ok, (name, position)
        assert report.problems, (name, position)
        assert not third_party_verifies(path, tmp_path / "x"), (name, position)


@needs_openssl
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_one_byte_change_fails_both_verifiers(batch_path, tmp_path, data):
    original = entries_of(batch_path)
    name = data.draw(st.sampled_from(sorted(original)), label="file")
    position = data.draw(st.integers(0, len(original[name]) - 1), label="position")
    mask = data.draw(st.integers(1, 255), label="xor")
    entries = dict(original)
    entries[name] = flip(original[name], position, mask)
    path = write_zip(tmp_path / "h.zip", entries)
    assert not verify_batch(path).ok
    assert not third_party_verifies(path, tmp_path / "hx")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_changed_byte_of_the_zip_itself_never_passes_changed_content(batch_path, tmp_path, data):
    """Flipping any byte of the archive never raises; a batch still reported intact has the same contents
    (the byte was in a field no content depends on, e.g. a timestamp)."""
    raw = batch_path.read_bytes()
    position = data.draw(st.integers(0, len(raw) - 1), label="position")
    mask = data.draw(st.integers(1, 255), label="xor")
    path = tmp_path / "raw.zip"
    path.write_bytes(flip(raw, position, mask))
    report = verify_batch(path)
    assert report.checks
    if report.ok:
        assert entries_of(path) == entries_of(batch_path)


def test_truncated_and_foreign_files_are_reported_not_raised(batch_path, tmp_path):
    raw = batch_path.read_bytes()
    for content in (raw[: len(raw) // 2], b"", b"PK\x03\x04 not really", "证书".encode()):
        path = tmp_path / "bad.zip"
        path.write_bytes(content)
        report = verify_batch(path)
        assert not report.ok
        assert report.problems[0].startswith("压缩包")


def test_missing_entry_and_extra_entry(batch_path, tmp_path):
    original = entries_of(batch_path)
    for name in (MANIFEST, SIGNATURE, PUBLIC_KEY, "certificates.csv"):
        entries = {k: v for k, v in original.items() if k != name}
        report = verify_batch(write_zip(tmp_path / "m.zip", entries))
        assert not report.ok
        assert any(name in p for p in report.problems)
    for extra in ("readme.txt", "data/certificates.csv", "../escape.csv"):
        entries = {**original, extra: b"not listed"}
        report = verify_batch(write_zip(tmp_path / "e.zip", entries))
        assert not report.ok
        assert any("多余条目" in p and extra in p for p in report.problems)


def test_duplicate_entry_names_fail(batch_path, tmp_path):
    original = entries_of(batch_path)
    path = write_zip(tmp_path / "d.zip", original)
    with pytest.warns(UserWarning), zipfile.ZipFile(path, "a") as zf:
        zf.writestr("certificates.csv", b"second copy")
    report = verify_batch(path)
    assert not report.ok
    assert any("重复" in p for p in report.problems)


# ------------------------------------------------------------------------------------------------ keys


def test_trusted_key(batch_path, key):
    report = verify_batch(batch_path, public_key_pem(key.public_key()))
    assert report.ok
    assert report.embedded_key_is_trusted is True
    other = generate_signing_key()
    report = verify_batch(batch_path, public_key_pem(other.public_key()))
    assert not report.ok
    assert report.embedded_key_is_trusted is False
    assert any("受信任公钥" in p for p in report.problems)
    assert any(p.startswith("签名") for p in report.problems)


@needs_openssl
def test_a_batch_re_signed_with_another_key_fails_only_against_the_trusted_key(batch_path, key, tmp_path):
    """Someone changes a data file and re-signs with their own key: intact on its own, refused as ours."""
    entries = entries_of(batch_path)
    forged_csv = entries["certificates.csv"].replace("合格".encode(), "优秀".encode(), 1)
    manifest = json.loads(entries[MANIFEST])
    for item in manifest["files"]:
        if item["name"] == "certificates.csv":
            item["sha256"] = hashlib.sha256(forged_csv).hexdigest()
            item["size"] = len(forged_csv)
    forger = generate_signing_key()
    pem = public_key_pem(forger.public_key())
    manifest["kid"] = key_id(forger.public_key())
    manifest["public_key"] = {"name": PUBLIC_KEY, "sha256": hashlib.sha256(pem).hexdigest(), "size": len(pem)}
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
    forged = {
        MANIFEST: manifest_bytes,
        SIGNATURE: sign(forger, manifest_bytes),
        PUBLIC_KEY: pem,
        "certificates.xlsx": entries["certificates.xlsx"],
        "certificates.csv": forged_csv,
    }
    path = write_zip(tmp_path / "forged.zip", forged)
    assert verify_batch(path).ok
    assert third_party_verifies(path, tmp_path / "fx")
    report = verify_batch(path, public_key_pem(key.public_key()))
    assert not report.ok and report.embedded_key_is_trusted is False


def test_manifest_schema_is_checked_even_when_signed(batch_path, key, tmp_path):
    entries = entries_of(batch_path)
    for mutate, words in (
        (lambda m: m.update(format_version=2), "格式版本"),
        (lambda m: m["certificates"].update(count=49), "行数"),
        (lambda m: m.update(extra="x"), "未知字段"),
        (lambda m: m["upload_deadline"].update(working_days=20), "30个工作日"),
        (lambda m: m.update(kid="0" * 16), "密钥标识"),
    ):
        manifest = json.loads(entries[MANIFEST])
        mutate(manifest)
        data = json.dumps(manifest, ensure_ascii=False).encode()
        path = write_zip(tmp_path / "s.zip", {**entries, MANIFEST: data, SIGNATURE: sign(key, data)})
        report = verify_batch(path)
        assert not report.ok
        assert any(words in p for p in report.problems), (words, report.problems)


def test_unreadable_input_raises(tmp_path, batch_path):
    with pytest.raises(ValidationError, match="找不到"):
        verify_batch(tmp_path / "nope.zip")
    with pytest.raises(ValidationError, match="文件夹"):
        verify_batch(tmp_path)
    with pytest.raises(ValidationError, match="公钥"):
        verify_batch(batch_path, b"not a key")


# ------------------------------------------------------------------------------------------------ profiles


def test_a_new_template_is_a_profile_not_code(records):
    profile = parse_profile(
        {
            "profile": "platform-2026",
            "version": 3,
            "files": [{"name": "zs.csv", "format": "csv"}],
            "columns": [
                {"header": "证书编号", "field": "certificate_number"},
                {"header": "等级", "field": "level", "format": "level", "style": "written"},
                {"header": "性别代码", "field": "sex", "format": "sex", "style": "code"},
                {"header": "发证日期", "field": "issue_date", "format": "date", "pattern": "YYYY年M月D日"},
                {"header": "评审", "field": "review_score", "format": "score", "decimals": 0, "empty": "无"},
                {"header": "省份", "value": "吉林"},
            ],
        }
    )
    row = table_rows(records[:1], profile)[0]
    assert row == [records[0].certificate_number, "三级/高级工", "2", "2025年6月3日", "无", "吉林"]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"columns": [{"header": "x", "field": "phone"}]}, "字段“phone”不存在"),
        ({"files": [{"name": "manifest.json", "format": "csv"}]}, "文件名"),
        ({"files": [{"name": "a.csv", "format": "xls"}]}, "格式"),
        ({"columns": [{"header": "x", "field": "level", "format": "level", "style": "roman"}]}, "样式"),
        ({"columns": [{"header": "x", "field": "name"}, {"header": "x", "field": "sex"}]}, "重复"),
    ],
)
def test_bad_profiles_are_refused(change, words):
    base = {
        "profile": "p",
        "files": [{"name": "a.csv", "format": "csv"}],
        "columns": [{"header": "姓名", "field": "name"}],
    }
    with pytest.raises(ValidationError, match=words):
        parse_profile({**base, **change})


def test_unknown_profile_name():
    with pytest.raises(ValidationError, match="找不到上报模板"):
        load_profile("no-such-profile")
    with pytest.raises(ValidationError, match="名称"):
        load_profile("../default")


# ------------------------------------------------------------------------------------------------ command line


def test_cli_exit_codes(batch_path, key, tmp_path):
    runner = CliRunner()
    result = runner.invoke(batch, ["verify", str(batch_path)])
    assert result.exit_code == 0, result.output
    assert "通过  签名" in result.output and "结论：数据包完好" in result.output

    pem = tmp_path / "ours.pem"
    pem.write_bytes(public_key_pem(key.public_key()))
    assert runner.invoke(batch, ["verify", str(batch_path), "--public-key", str(pem)]).exit_code == 0
    other = tmp_path / "other.pem"
    other.write_bytes(public_key_pem(generate_signing_key().public_key()))
    result = runner.invoke(batch, ["verify", str(batch_path), "--public-key", str(other)])
    assert result.exit_code == EXIT_CHECK_FAILED
    assert "失败  受信任公钥" in result.output

    entries = entries_of(batch_path)
    entries["certificates.csv"] = flip(entries["certificates.csv"], 100)
    bad = write_zip(tmp_path / "bad.zip", entries)
    result = runner.invoke(batch, ["verify", str(bad)])
    assert result.exit_code == EXIT_CHECK_FAILED
    assert "失败  文件 certificates.csv" in result.output

    for args in (
        ["verify", str(tmp_path / "missing.zip")],
        ["verify", str(batch_path), "--public-key", str(tmp_path / "no.pem")],
    ):
        result = runner.invoke(batch, args)
        assert result.exit_code == EXIT_ERROR, result.output
        assert "错误：" in result.output
    (tmp_path / "junk.pem").write_text("junk")
    assert (
        runner.invoke(
            batch, ["verify", str(batch_path), "--public-key", str(tmp_path / "junk.pem")]
        ).exit_code
        == 1
    )


def _registered() -> bool:
    from jlexam import cli

    cli._register_more()
    return "batch" in cli.cli.commands


@pytest.mark.skipif(not _registered(), reason="jlexam.cli_batch.batch is not registered in jlexam/cli.py yet")
def test_jlexam_batch_verify_command(batch_path, tmp_path):
    entries = entries_of(batch_path)
    entries[MANIFEST] = flip(entries[MANIFEST], 10)
    bad = write_zip(tmp_path / "bad.zip", entries)
    env_free = {"JLEXAM_DB": str(tmp_path / "no-database-needed.sqlite")}
    for path, code in ((batch_path, 0), (bad, 3), (tmp_path / "missing.zip", 1)):
        run = subprocess.run(
            [sys.executable, "-m", "jlexam", "batch", "verify", str(path)],
            capture_output=True,
            text=True,
            env={**_base_env(), **env_free},
        )
        assert run.returncode == code, run.stdout + run.stderr
    assert not (tmp_path / "no-database-needed.sqlite").exists()


def _base_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("JLEXAM_")}
