"""The archive package: the upload batch's signed envelope with the archive's own manifest (issue 9)."""

from __future__ import annotations

import json
import zipfile
from datetime import date, datetime

import pytest

from jlexam.domain.credit_code import build_credit_code
from jlexam.errors import ValidationError
from jlexam.exchange.archive_package import (
    INDEX,
    PackageFile,
    archive_manifest_problems,
    build_archive_package,
    is_archive,
    read_index,
    verify_archive,
    verify_package,
)
from jlexam.exchange.batch import MANIFEST, verify_batch
from jlexam.security.signing import generate_signing_key, public_key_pem
from tests.unit.test_batch import OPENSSL, flip, third_party_verifies

CREDIT_CODE = build_credit_code("52220101MJ0000000")
ON = date(2026, 11, 20)


@pytest.fixture(scope="module")
def key():
    return generate_signing_key()


@pytest.fixture
def files(tmp_path):
    src = tmp_path / "src"
    (src / "documents").mkdir(parents=True)
    (src / "evidence").mkdir()
    (src / INDEX).write_bytes("\ufeff序号,名称,载体\r\n1,认定公告,电子\r\n".encode())
    (src / "documents/announcement.pdf").write_bytes(b"%PDF-1.4 announcement")
    (src / "evidence/A1-E1-diploma.pdf").write_bytes(b"%PDF-1.4 diploma")
    return [
        PackageFile(INDEX, src / INDEX, "档案目录"),
        PackageFile("documents/announcement.pdf", src / "documents/announcement.pdf", "认定公告"),
        PackageFile("evidence/A1-E1-diploma.pdf", src / "evidence/A1-E1-diploma.pdf", "学历证书"),
    ]


def _build(files, key, out, **kw):
    args = dict(
        archive_id="A-1",
        institution_name="长春市测试职业技能培训学校",
        credit_code=CREDIT_CODE,
        sitting={
            "code": "S2026-12",
            "name": "2026年12月电工认定",
            "starts_on": "2026-12-12",
            "ends_on": None,
        },
        archived_on=ON,
        private_key=key,
        out=out,
        created_at=datetime(2026, 11, 20, 9, 30),
    )
    args.update(kw)
    return build_archive_package(files, **args)


@pytest.fixture
def package(files, key, tmp_path):
    out = tmp_path / "archive.zip"
    _build(files, key, out)
    return out


def test_intact_package_verifies_with_the_trusted_key(package, key):
    report = verify_package(package, public_key_pem(key.public_key()))
    assert report.ok, report.problems
    assert is_archive(package)
    m = report.manifest
    assert m["retention"] == {
        "rule": "002 §36",
        "paper_years": 3,
        "electronic_years": 5,
        "paper_until": "2029-11-20",
        "electronic_until": "2031-11-20",
    }
    assert [f["name"] for f in m["files"]] == [
        INDEX,
        "documents/announcement.pdf",
        "evidence/A1-E1-diploma.pdf",
    ]
    assert read_index(package)[0]["名称"] == "认定公告"
    # verify_batch alone accepts every envelope check and refuses only the schema it does not know
    plain = verify_batch(package)
    assert [c.label for c in plain.checks if not c.ok] == ["清单格式"]


def test_same_input_same_bytes(files, key, tmp_path):
    a, b = tmp_path / "a.zip", tmp_path / "b.zip"
    assert _build(files, key, a).sha256 == _build(files, key, b).sha256


@pytest.mark.skipif(OPENSSL is None, reason="the openssl command line is not installed")
def test_openssl_and_sha256sum_alone(package, tmp_path):
    assert third_party_verifies(package, tmp_path / "x")


def _rewrite(src, dst, change):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, change(info.filename, zin.read(info)))


def test_a_changed_document_is_detected(package, tmp_path):
    bad = tmp_path / "bad.zip"
    _rewrite(package, bad, lambda n, d: flip(d, 10) if n == "evidence/A1-E1-diploma.pdf" else d)
    report = verify_archive(bad)
    assert not report.ok
    assert any("evidence/A1-E1-diploma.pdf" in p and "被改动" in p for p in report.problems)
    if OPENSSL:
        assert not third_party_verifies(bad, tmp_path / "y")


def test_a_changed_manifest_or_an_extra_file_is_detected(package, tmp_path):
    bad = tmp_path / "bad.zip"

    def shorten(name, data):
        if name != MANIFEST:
            return data
        m = json.loads(data)
        m["retention"]["electronic_until"] = "2027-01-01"
        return json.dumps(m, ensure_ascii=False, indent=2).encode() + b"\n"

    _rewrite(package, bad, shorten)
    report = verify_package(bad)
    assert not report.ok
    assert any(p.startswith("签名") for p in report.problems)
    assert any(p.startswith("清单格式") and "2031-11-20" in p for p in report.problems)
    extra = tmp_path / "extra.zip"
    _rewrite(package, extra, lambda n, d: d)
    with zipfile.ZipFile(extra, "a") as z:
        z.writestr("evidence/planted.pdf", b"x")
    assert any(p.startswith("多余条目") for p in verify_package(extra).problems)


def test_a_wrong_trusted_key_is_detected(package):
    other = generate_signing_key()
    report = verify_package(package, public_key_pem(other.public_key()))
    assert not report.ok and any(p.startswith("受信任公钥") for p in report.problems)


def test_bad_names_and_a_missing_index_are_refused(files, key, tmp_path):
    with pytest.raises(ValidationError, match=r"index\.csv"):
        _build(files[1:], key, tmp_path / "a.zip")
    bad = PackageFile("../escape.pdf", files[1].path, "x")
    with pytest.raises(ValidationError, match="文件名"):
        _build([*files, bad], key, tmp_path / "a.zip")
    with pytest.raises(ValidationError, match="文件名"):
        _build([*files, PackageFile("a/b/c.pdf", files[1].path, "x")], key, tmp_path / "a.zip")
    assert not (tmp_path / "a.zip").exists()


def test_schema_problems():
    assert archive_manifest_problems([]) == ["“清单”应为 JSON 对象"]
    assert any("缺少字段" in p for p in archive_manifest_problems({"format": "jlexam-sitting-archive"}))


def test_a_batch_still_verifies_through_verify_package(tmp_path):
    from jlexam.exchange.batch import build_batch, load_profile
    from tests.unit.test_batch import CREATED, DEADLINE, INSTITUTION, ISSUE, make_records

    key = generate_signing_key()
    out = tmp_path / "batch.zip"
    records = make_records(3)
    build_batch(
        records, profile=load_profile(), institution_name=INSTITUTION, credit_code=build_credit_code("52220101MJ0000000"),
        issue_dates=[ISSUE], deadline=DEADLINE, deadline_provisional=False, private_key=key, out=out,
        batch_id="B-1", created_at=CREATED,
    )  # fmt: skip
    assert not is_archive(out)
    assert verify_package(out).ok
