"""The archive package of a sitting (档案包, 002 §34-36): one signed ZIP, in the envelope of the upload batch.

The package is a public contract like the upload batch (:mod:`jlexam.exchange.batch`) and is checked the same
way — by ``jlexam batch verify`` (through :func:`verify_package`) or by OpenSSL and ``sha256sum`` alone::

    unzip archive.zip -d a && cd a
    openssl pkeyutl -verify -pubin -inkey public_key.pem -rawin -in manifest.json -sigfile manifest.sig
    sha256sum public_key.pem index.csv documents/announcement.pdf ...   # compare with manifest.json

``manifest.json``
    UTF-8 JSON, schema :data:`FORMAT` version :data:`FORMAT_VERSION`: the archive id, created time, the
    ``kid`` of the signing key, the institution, the sitting, the archive date and the retention periods
    (paper 3 and electronic 5 years at least, 002 §36, with the dates they end), the name of the index file,
    and the SHA-256, size, format and Chinese title of ``public_key.pem`` and of every file.
``manifest.sig`` / ``public_key.pem``
    Exactly as in the upload batch: the raw 64-byte Ed25519 signature of ``manifest.json``'s bytes and the
    signing key's SubjectPublicKeyInfo PEM.
files
    ``index.csv`` (the archive index: every document and record, paper or electronic, its retention date and
    where the paper original is kept) and every electronic document, at most one folder deep
    (``documents/``, ``records/``, ``evidence/``). Names are ASCII so that every unzip tool agrees on them; each
    file's Chinese title is in the manifest and the index. The manifest itself never holds an ID number.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from jlexam.domain.china_time import china_time
from jlexam.domain.credit_code import parse_credit_code
from jlexam.domain.retention import ELECTRONIC_YEARS, PAPER_YEARS, RULE, add_years
from jlexam.errors import ValidationError
from jlexam.exchange.batch import (
    MANIFEST,
    PUBLIC_KEY,
    RESERVED,
    SIGNATURE,
    BatchReport,
    Check,
    _exact_keys,
    _is_count,
    _is_date,
    _manifest_bytes,
    _reject_duplicates,
    _zip_info,
    envelope_problems,
    public_key_problems,
    verify_batch,
)
from jlexam.fileio import atomic_path
from jlexam.security.signing import key_id, public_key_pem, sign

FORMAT = "jlexam-sitting-archive"
FORMAT_VERSION = 1
INDEX = "index.csv"
MANIFEST_CHECK = "清单格式"  # the label verify_batch gives its schema check; replaced here for an archive

_SEGMENT = r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}"
_NAME = re.compile(rf"(?:{_SEGMENT}/)?{_SEGMENT}")
_ARCHIVE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_HEX16 = re.compile(r"[0-9a-f]{16}")
_FORMAT_RE = re.compile(r"[a-z0-9]{1,8}")
_MAX_MANIFEST = 8 << 20
_BATCH_MANIFEST_LIMIT = 1 << 20  # jlexam.exchange.batch._MAX_MANIFEST: about 4,000 files
_TOP_KEYS = {
    "format", "format_version", "archive_id", "created_at", "kid", "institution", "sitting", "archived_on",
    "retention", "index", "public_key", "files",
}  # fmt: skip
_FILE_KEYS = {"name", "format", "sha256", "size", "title"}
_RETENTION_KEYS = {"rule", "paper_years", "electronic_years", "paper_until", "electronic_until"}


@dataclass(frozen=True)
class PackageFile:
    """A file to put in the package: its name there, where it is on disk, and its Chinese title."""

    name: str
    path: Path
    title: str

    @property
    def format(self) -> str:
        return file_format(self.name)


@dataclass(frozen=True)
class PackageEntry:
    name: str
    format: str
    sha256: str
    size: int
    title: str


@dataclass(frozen=True)
class ArchiveInfo:
    path: Path
    archive_id: str
    kid: str
    sha256: str  # of the whole ZIP
    size: int
    manifest_sha256: str
    files: tuple[PackageEntry, ...]


def file_format(name: str) -> str:
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return suffix if _FORMAT_RE.fullmatch(suffix) else "bin"


def safe_name(text: str, fallback: str = "file") -> str:
    """An ASCII file name segment made from ``text`` (Chinese and other characters dropped)."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-._")
    cleaned = re.sub(r"-{2,}", "-", cleaned)[:80]
    return cleaned if cleaned and cleaned[0].isalnum() else fallback


def _hash_file(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with Path(path).open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def build_archive_package(
    files: Sequence[PackageFile],
    *,
    archive_id: str,
    institution_name: str,
    credit_code: str,
    sitting: dict[str, Any],
    archived_on: date,
    paper_years: int = PAPER_YEARS,
    electronic_years: int = ELECTRONIC_YEARS,
    private_key: Ed25519PrivateKey,
    out: Path,
    created_at: datetime,
) -> ArchiveInfo:
    """Sign and write the package to ``out`` atomically; ``files`` must include :data:`INDEX`.

    ``sitting`` holds ``code``, ``name``, ``starts_on`` and ``ends_on`` (ISO dates or None).
    """
    if not _ARCHIVE_ID.fullmatch(archive_id):
        raise ValidationError(f"档案包编号“{archive_id}”无效：只能使用字母、数字、点、下划线和连字符。")
    if not institution_name.strip():
        raise ValidationError("评价机构名称为空：请在机构设置中填写备案名称后再生成档案包。")
    code = parse_credit_code(credit_code)
    names = [f.name for f in files]
    if INDEX not in names:
        raise ValidationError("档案包缺少档案目录 index.csv。")
    for f in files:
        if not _NAME.fullmatch(f.name) or f.name in RESERVED:
            raise ValidationError(
                f"档案包中的文件名“{f.name}”无效（字母、数字、点、下划线、连字符，最多一层文件夹）。"
            )
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValidationError(f"档案包中的文件名重复：{'、'.join(duplicates)}。")
    moment = china_time(created_at).replace(microsecond=0)
    if moment.year < 1980:
        raise ValidationError("生成时间早于1980年，ZIP 文件无法记录：请检查本机时钟。")
    date_time = moment.timetuple()[:6]

    entries = []
    for f in files:
        sha, size = _hash_file(f.path)
        entries.append(PackageEntry(f.name, f.format, sha, size, f.title))
    pub = private_key.public_key()
    pem = public_key_pem(pub)
    kid = key_id(pub)
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "archive_id": archive_id,
        "created_at": moment.isoformat(),
        "kid": kid,
        "institution": {"name": institution_name.strip(), "credit_code": code},
        "sitting": {
            "code": str(sitting["code"]),
            "name": str(sitting.get("name", "")),
            "starts_on": sitting.get("starts_on"),
            "ends_on": sitting.get("ends_on"),
        },
        "archived_on": archived_on.isoformat(),
        "retention": {
            "rule": RULE,
            "paper_years": paper_years,
            "electronic_years": electronic_years,
            "paper_until": add_years(archived_on, paper_years).isoformat(),
            "electronic_until": add_years(archived_on, electronic_years).isoformat(),
        },
        "index": INDEX,
        "public_key": {"name": PUBLIC_KEY, "sha256": hashlib.sha256(pem).hexdigest(), "size": len(pem)},
        "files": [
            {"name": e.name, "format": e.format, "sha256": e.sha256, "size": e.size, "title": e.title}
            for e in entries
        ],
    }
    problems = archive_manifest_problems(manifest)
    if problems:
        raise ValidationError("档案包清单有误：" + "；".join(problems))
    manifest_data = _manifest_bytes(manifest)
    if len(manifest_data) > _BATCH_MANIFEST_LIMIT:  # verify_batch reads at most this much of a manifest
        raise ValidationError(
            f"档案包清单过大（{len(manifest_data)} 字节，{len(files)} 个文件）：请分批导出资格证明材料，或联系技术支持。"
        )
    signature = sign(private_key, manifest_data)
    out = Path(out)
    with atomic_path(out) as partial:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            for name, data in ((MANIFEST, manifest_data), (SIGNATURE, signature), (PUBLIC_KEY, pem)):
                zf.writestr(_zip_info(name, date_time), data)
            for f in files:
                with Path(f.path).open("rb") as src, zf.open(_zip_info(f.name, date_time), "w") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
        sha, size = _hash_file(partial)
    return ArchiveInfo(
        path=out,
        archive_id=archive_id,
        kid=kid,
        sha256=sha,
        size=size,
        manifest_sha256=hashlib.sha256(manifest_data).hexdigest(),
        files=tuple(entries),
    )


# --------------------------------------------------------------------------------------------- verifying


def archive_manifest_problems(m: Any) -> list[str]:
    """What is wrong with a parsed archive manifest against the version-1 schema; [] when it conforms."""
    problems: list[str] = []
    if not _exact_keys(m, _TOP_KEYS, "清单", problems):
        return problems
    envelope_problems(m, problems, FORMAT, FORMAT_VERSION, ("archive_id", _ARCHIVE_ID, "档案包编号"))
    sit = m["sitting"]
    if _exact_keys(sit, {"code", "name", "starts_on", "ends_on"}, "sitting", problems):
        if not isinstance(sit["code"], str) or not sit["code"].strip() or not isinstance(sit["name"], str):
            problems.append("认定批次编号或名称无效")
        for key in ("starts_on", "ends_on"):
            if sit[key] is not None and not _is_date(sit[key]):
                problems.append(f"认定批次的 {key} 应为 YYYY-MM-DD 格式或 null")
    archived_ok = _is_date(m["archived_on"])
    if not archived_ok:
        problems.append("归档日期应为 YYYY-MM-DD 格式")
    ret = m["retention"]
    if _exact_keys(ret, _RETENTION_KEYS, "retention", problems):
        for key, minimum, label in (
            ("paper_years", PAPER_YEARS, "纸质"),
            ("electronic_years", ELECTRONIC_YEARS, "电子"),
        ):
            years = ret[key]
            if not _is_count(years, minimum):
                problems.append(f"{label}档案保管期限应为不少于 {minimum} 年的整数（{RULE}）")
            elif archived_ok:
                until = add_years(date.fromisoformat(m["archived_on"]), years).isoformat()
                if ret[key.replace("years", "until")] != until:
                    problems.append(f"{label}档案保管期限的届满日期应为 {until}")
    files = m["files"]
    if not isinstance(files, list) or not files:
        problems.append("“files”应列出至少一个文件")
        return problems
    names: set[str] = set()
    for i, entry in enumerate(files, start=1):
        if not _exact_keys(entry, _FILE_KEYS, f"files 第{i}项", problems):
            continue
        name = entry["name"]
        if not isinstance(name, str) or not _NAME.fullmatch(name) or name in RESERVED:
            problems.append(f"第{i}个文件的文件名无效")
            continue
        if name in names:
            problems.append(f"文件 {name} 重复列出")
        names.add(name)
        if entry["format"] != file_format(name):
            problems.append(f"文件 {name} 的格式应为 {file_format(name)}")
        if not isinstance(entry["sha256"], str) or not _HEX64.fullmatch(entry["sha256"]):
            problems.append(f"文件 {name} 的 SHA-256 应为64位小写十六进制数")
        if not _is_count(entry["size"]):
            problems.append(f"文件 {name} 的大小无效")
        if not isinstance(entry["title"], str):
            problems.append(f"文件 {name} 的标题应为文本")
    if m["index"] != INDEX or INDEX not in names:
        problems.append(f"档案目录应为 {INDEX} 且在文件清单中")
    public_key_problems(m, problems)
    return problems


def _read_manifest(path: Path) -> Any:
    """The parsed manifest.json of the ZIP at ``path``, or None where it cannot be read."""
    try:
        with zipfile.ZipFile(path) as zf, zf.open(MANIFEST) as stream:
            data = stream.read(_MAX_MANIFEST + 1)
        if len(data) > _MAX_MANIFEST:
            return None
        return json.loads(data.decode("utf-8"), object_pairs_hook=_reject_duplicates)
    except (KeyError, OSError, ValueError, EOFError, RuntimeError, NotImplementedError, zipfile.BadZipFile):
        return None
    except RecursionError:
        return None


def verify_archive(path: Path, public_key_pem: bytes | None = None) -> BatchReport:
    """Check an archive package as a third party would; never raises for a bad package.

    The envelope (ZIP, signature, embedded or trusted key, every listed file's SHA-256 and size, no unlisted
    entries) is checked by :func:`jlexam.exchange.batch.verify_batch` itself; only its schema check is replaced
    by the archive schema.
    """
    report = verify_batch(path, public_key_pem)
    manifest = _read_manifest(Path(path))
    if not isinstance(manifest, dict):
        return report  # verify_batch has already said why the manifest cannot be read
    problems = archive_manifest_problems(manifest)
    if problems:
        check = Check(MANIFEST_CHECK, False, "；".join(problems))
        report.manifest = None
    else:
        check = Check(
            MANIFEST_CHECK,
            True,
            f"档案包格式版本 {FORMAT_VERSION}，认定批次 {manifest['sitting']['code']}，"
            f"{len(manifest['files'])} 个文件，归档日期 {manifest['archived_on']}，"
            f"纸质档案保管至 {manifest['retention']['paper_until']}，"
            f"电子档案保管至 {manifest['retention']['electronic_until']}",
        )
        report.manifest = manifest
    replaced = [i for i, c in enumerate(report.checks) if c.label == MANIFEST_CHECK]
    if replaced:
        report.checks[replaced[0]] = check
    else:
        report.checks.append(check)
    return report


def is_archive(path: Path) -> bool:
    manifest = _read_manifest(Path(path))
    return isinstance(manifest, dict) and manifest.get("format") == FORMAT


def verify_package(path: Path, public_key_pem: bytes | None = None) -> BatchReport:
    """Verify an upload batch or an archive package, whichever ``path`` is (for ``jlexam batch verify``)."""
    if Path(path).is_file() and is_archive(Path(path)):
        return verify_archive(path, public_key_pem)
    return verify_batch(path, public_key_pem)


def read_index(path: Path) -> list[dict[str, str]]:
    """The rows of the index inside a package (for display; verify the package first)."""
    import csv

    with zipfile.ZipFile(path) as zf:
        text = zf.read(INDEX).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))
