"""The upload batch (数据上报, 002 §28): one signed ZIP of a sitting's results and certificates.

The format is a public contract (DESIGN.md "Upload batch"): a third party verifies a batch with OpenSSL
alone, so everything here is plain files in a plain ZIP:

``manifest.json``
    UTF-8 JSON (schema :data:`FORMAT`, version :data:`FORMAT_VERSION`): batch id, created time, the ``kid``
    of the signing key, the institution (name, unified social credit code), the column profile, the
    certificates' count and issue dates, the upload deadline (30 working days after the issue date, the
    issue date not counted, 002 §28, with its ``provisional`` flag), the SHA-256 and size of
    ``public_key.pem`` and of every data file. It never holds an ID number.
``manifest.sig``
    The raw 64-byte Ed25519 signature of the exact bytes of ``manifest.json``.
``public_key.pem``
    The signing key's SubjectPublicKeyInfo PEM. Its hash is in the signed manifest, so a changed byte in
    it is caught even where the PEM still decodes to the same key.
data files
    As the column profile says (``resources/profiles/<name>.json``): xlsx and/or csv (UTF-8 with BOM and
    CRLF, as Excel opens it), one row per certificate, every value written as text. These hold the full
    ID number: the national platform needs it.

Checking a batch by hand::

    unzip batch.zip -d b && cd b
    openssl pkeyutl -verify -pubin -inkey public_key.pem -rawin -in manifest.json -sigfile manifest.sig
    sha256sum public_key.pem certificates.xlsx certificates.csv   # compare with manifest.json

The same input gives the same bytes: entries in a fixed order, every timestamp taken from ``created_at``,
fixed permissions and compression level, and the xlsx file's own ZIP and document properties normalised.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from jlexam.domain.certno import parse_certificate_number
from jlexam.domain.china_time import china_time
from jlexam.domain.credit_code import is_valid_credit_code, parse_credit_code
from jlexam.domain.idcard import Sex, parse_sex
from jlexam.domain.levels import SkillLevel, parse_level
from jlexam.errors import ValidationError
from jlexam.fileio import write_atomic
from jlexam.paths import resource
from jlexam.security.signing import (
    key_id,
    load_public_key_pem,
    public_key_bytes,
    public_key_pem,
    sign,
    verify,
)

FORMAT = "jlexam-upload-batch"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
PUBLIC_KEY = "public_key.pem"
RESERVED = (MANIFEST, SIGNATURE, PUBLIC_KEY)
UPLOAD_WORKING_DAYS = 30  # 002 §28
UPLOAD_RULE = "002 §28"
SIGNATURE_LENGTH = 64

_ZIP_LEVEL = 6
_ZIP_MODE = 0o100644 << 16  # a regular file, rw-r--r--
_ZIP_SYSTEM = 3  # "Unix", so a batch built on Windows has the same bytes as one built on Linux
_MAX_MANIFEST = 1 << 20
_MAX_PEM = 16 << 10
_MAX_DATA = 1 << 30
_CHUNK = 1 << 20
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_BATCH_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_HEX16 = re.compile(r"[0-9a-f]{16}")
_DATA_FORMATS = ("xlsx", "csv")


# --------------------------------------------------------------------------------------------- records


@dataclass
class CertificateRecord:
    """One certificate as uploaded: the holder, the occupation and level, the scores and the certificate."""

    name: str
    id_type: str  # 居民身份证, 护照, 港澳居民来往内地通行证 ...
    id_number: str  # the full number: the platform needs it (never in the manifest)
    sex: Sex | str
    education: str
    occupation_code: str  # 6-31-01-03
    occupation_name: str
    work_type: str  # "" when the occupation has none (the default profile writes "--")
    level: SkillLevel | int | str
    theory_score: Decimal | float | int | None
    practical_score: Decimal | float | int | None
    review_score: Decimal | float | int | None  # None where the level has no review
    result: str  # 合格
    certificate_number: str
    issue_date: date
    institution: str  # the institution's filed name


FIELDS = tuple(CertificateRecord.__dataclass_fields__)


# --------------------------------------------------------------------------------------------- profiles


@dataclass(frozen=True)
class ProfileColumn:
    header: str
    field: str | None  # None for a constant column
    format: str = "text"  # text | date | level | score | sex
    style: str = ""  # level: digit | written | grade | rank; sex: label | code
    pattern: str = "YYYY-MM-DD"  # date
    decimals: int = 1  # score
    empty: str = ""  # written for a missing value
    value: str = ""  # a constant column's text
    width: float | None = None  # xlsx column width in characters


@dataclass(frozen=True)
class ProfileFile:
    name: str
    format: str  # xlsx | csv
    sheet: str = "Sheet1"


@dataclass(frozen=True)
class ColumnProfile:
    """A platform template: which data files a batch holds and which columns, in which form, they have."""

    name: str
    version: int
    title: str
    files: tuple[ProfileFile, ...]
    columns: tuple[ProfileColumn, ...]

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


_FORMATS = {
    "text": (),
    "date": (),
    "level": ("digit", "written", "grade", "rank"),
    "score": (),
    "sex": ("label", "code"),
}
_DEFAULT_STYLE = {"level": "digit", "sex": "label"}


def profiles_dir() -> Path:
    return resource("profiles")


def load_profile(name: str = "default", path: Path | None = None) -> ColumnProfile:
    """The column profile ``resources/profiles/<name>.json`` (or the file ``path``), checked in full."""
    if path is None:
        if not _SAFE_NAME.fullmatch(name):
            raise ValidationError(f"上报模板名称“{name}”无效：只能使用字母、数字、点、下划线和连字符。")
        path = profiles_dir() / f"{name}.json"
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValidationError(
            f"找不到上报模板 {path}：请检查模板名称，或把模板文件放入 resources/profiles 文件夹。"
        ) from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ValidationError(
            f"上报模板 {path} 无法读取（{exc}）：请检查它是 UTF-8 编码的 JSON 文件。"
        ) from None
    return parse_profile(raw, where=str(path))


def parse_profile(raw: Any, where: str = "上报模板") -> ColumnProfile:
    def bad(what: str) -> ValidationError:
        return ValidationError(
            f"上报模板 {where} 有误：{what}。请按 resources/profiles/default.json 的格式修改。"
        )

    if not isinstance(raw, dict):
        raise bad("文件内容应为一个 JSON 对象")
    name, version, title = raw.get("profile"), raw.get("version", 1), raw.get("title", "")
    if not isinstance(name, str) or not _SAFE_NAME.fullmatch(name):
        raise bad("“profile”应为模板名称（字母、数字、点、下划线、连字符）")
    if type(version) is not int or version < 1:
        raise bad("“version”应为正整数")
    files = _profile_files(raw.get("files"), bad)
    columns = _profile_columns(raw.get("columns"), bad)
    return ColumnProfile(name, version, str(title), files, columns)


def _profile_files(items: Any, bad: Callable[[str], ValidationError]) -> tuple[ProfileFile, ...]:
    if not isinstance(items, list) or not items:
        raise bad("“files”应列出至少一个数据文件")
    files = []
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise bad(f"第{i}个数据文件应为 JSON 对象")
        fname, fmt, sheet = item.get("name"), item.get("format"), item.get("sheet", "Sheet1")
        if fmt not in _DATA_FORMATS:
            raise bad(f"第{i}个数据文件的格式“{fmt}”不受支持，应为 xlsx 或 csv")
        if not isinstance(fname, str) or not _SAFE_NAME.fullmatch(fname) or fname in RESERVED:
            raise bad(
                f"第{i}个数据文件的文件名“{fname}”无效（字母、数字、点、下划线、连字符，且不能与清单文件同名）"
            )
        if not fname.lower().endswith("." + fmt):
            raise bad(f"数据文件 {fname} 的扩展名应为 .{fmt}")
        if not isinstance(sheet, str) or not sheet or len(sheet) > 31 or set(sheet) & set("[]:*?/\\"):
            raise bad(f"数据文件 {fname} 的工作表名“{sheet}”无效（1-31 个字符，不含 []:*?/\\）")
        files.append(ProfileFile(fname, fmt, sheet))
    names = [f.name.lower() for f in files]
    if len(set(names)) != len(names):
        raise bad("数据文件名重复")
    return tuple(files)


def _profile_columns(items: Any, bad: Callable[[str], ValidationError]) -> tuple[ProfileColumn, ...]:
    if not isinstance(items, list) or not items:
        raise bad("“columns”应列出至少一列")
    columns = []
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise bad(f"第{i}列应为 JSON 对象")
        header = item.get("header")
        if not isinstance(header, str) or not header.strip():
            raise bad(f"第{i}列缺少表头文字“header”")
        source, const = item.get("field"), item.get("value")
        if (source is None) == (const is None):
            raise bad(f"第{i}列（{header}）应给出“field”（数据字段）或“value”（固定文字）之一")
        if source is not None and source not in FIELDS:
            raise bad(f"第{i}列（{header}）的字段“{source}”不存在，可用字段：{'、'.join(FIELDS)}")
        fmt = item.get("format", "text")
        if fmt not in _FORMATS:
            raise bad(f"第{i}列（{header}）的格式“{fmt}”不受支持，应为 {'、'.join(_FORMATS)} 之一")
        style = item.get("style", _DEFAULT_STYLE.get(fmt, ""))
        if _FORMATS[fmt] and style not in _FORMATS[fmt]:
            raise bad(f"第{i}列（{header}）的样式“{style}”不受支持，应为 {'、'.join(_FORMATS[fmt])} 之一")
        pattern = item.get("pattern", "YYYY-MM-DD")
        if fmt == "date" and (not isinstance(pattern, str) or "YYYY" not in pattern):
            raise bad(f"第{i}列（{header}）的日期格式“{pattern}”应含 YYYY（如 YYYY-MM-DD 或 YYYY年M月D日）")
        decimals = item.get("decimals", 1)
        if type(decimals) is not int or not 0 <= decimals <= 4:
            raise bad(f"第{i}列（{header}）的小数位数“decimals”应为0至4的整数")
        width = item.get("width")
        if width is not None and (not isinstance(width, int | float) or not 1 <= width <= 255):
            raise bad(f"第{i}列（{header}）的列宽“width”应为1至255的数字")
        empty, value = item.get("empty", ""), const or ""
        if not isinstance(empty, str) or not isinstance(value, str):
            raise bad(f"第{i}列（{header}）的“empty”和“value”应为文字")
        columns.append(
            ProfileColumn(header.strip(), source, fmt, style, pattern, decimals, empty, value, width)
        )
    headers = [c.header for c in columns]
    if len(set(headers)) != len(headers):
        raise bad("表头文字重复")
    return tuple(columns)


def _format_date(d: date, pattern: str) -> str:
    out = (
        pattern.replace("YYYY", f"{d.year:04d}").replace("MM", f"{d.month:02d}").replace("DD", f"{d.day:02d}")
    )
    return out.replace("M", str(d.month)).replace("D", str(d.day))


def _formatter(column: ProfileColumn) -> Callable[[CertificateRecord], str]:
    if column.field is None:
        return lambda _record, text=column.value: text
    name, empty = column.field, column.empty

    def plain(value: Any) -> str:
        return str(value).strip()

    convert: Callable[[Any], str]
    if column.format == "date":
        convert = lambda v: _format_date(v, column.pattern)  # noqa: E731
    elif column.format == "level":
        styles = {
            "digit": lambda lv: str(int(lv)),
            "written": lambda lv: lv.written,
            "grade": lambda lv: lv.grade_name,
            "rank": lambda lv: lv.rank_name,
        }
        style = styles[column.style]
        convert = lambda v: style(parse_level(v))  # noqa: E731
    elif column.format == "score":
        quantum = Decimal(1).scaleb(-column.decimals)
        convert = lambda v: str(Decimal(str(v)).quantize(quantum, rounding=ROUND_HALF_UP))  # noqa: E731  四舍五入
    elif column.format == "sex":
        by_style = (
            (lambda s: s.label) if column.style == "label" else (lambda s: "1" if s is Sex.MALE else "2")
        )
        convert = lambda v: by_style(parse_sex(v))  # noqa: E731
    else:
        convert = plain

    def get(record: CertificateRecord) -> str:
        value = getattr(record, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            return empty
        return convert(value)

    return get


def table_rows(records: Sequence[CertificateRecord], profile: ColumnProfile) -> list[list[str]]:
    """The data rows of ``records`` under ``profile`` (headers not included), every value as text."""
    getters = [_formatter(c) for c in profile.columns]
    return [[get(r) for get in getters] for r in records]


# --------------------------------------------------------------------------------------------- building


@dataclass(frozen=True)
class FileEntry:
    name: str
    format: str
    sha256: str
    size: int
    rows: int


@dataclass(frozen=True)
class BatchInfo:
    path: Path
    batch_id: str
    kid: str
    count: int
    sha256: str  # of the whole ZIP file
    size: int
    manifest_sha256: str
    files: tuple[FileEntry, ...]


def _check_inputs(
    records: Sequence[CertificateRecord],
    issue_dates: Iterable[date],
    deadline: date,
    batch_id: str,
    created_at: datetime,
) -> list[date]:
    if not records:
        raise ValidationError("上报批次中没有证书：请先选定要上报的证书后再生成数据包。")
    if not _BATCH_ID.fullmatch(batch_id):
        raise ValidationError(
            f"批次编号“{batch_id}”无效：只能使用字母、数字、点、下划线和连字符，最多64个字符。"
        )
    if china_time(created_at).year < 1980:
        raise ValidationError("生成时间早于1980年，ZIP 文件无法记录：请检查本机时钟。")
    dates = sorted(set(issue_dates))
    found = {r.issue_date for r in records}
    if set(dates) != found:
        missing = "、".join(d.isoformat() for d in sorted(found - set(dates))) or "无"
        extra = "、".join(d.isoformat() for d in sorted(set(dates) - found)) or "无"
        raise ValidationError(
            f"上报批次的发证日期与证书不一致：证书中有而未列出的日期 {missing}，列出而证书中没有的日期 {extra}。"
            "请按证书的发证日期重新生成。"
        )
    if not dates or deadline <= dates[0]:
        raise ValidationError(
            f"上报截止日期 {deadline.isoformat()} 不在发证日期之后：应为发证日期后第30个工作日（002 §28）。",
            rule=UPLOAD_RULE,
        )
    seen: dict[str, int] = {}
    for row, r in enumerate(records, start=1):
        number = r.certificate_number
        if number in seen:
            raise ValidationError(
                f"第{row}张证书的编号 {number} 与第{seen[number]}张重复：证书编号不得重复使用，请核对证书编号。",
                rule="002 §26",
            )
        seen[number] = row
        try:
            parsed = parse_certificate_number(number)
            level = parse_level(r.level)
        except ValidationError as exc:
            raise ValidationError(f"第{row}张证书（{r.name}）：{exc.message}", rule=exc.rule) from None
        if parsed.level != level:
            raise ValidationError(
                f"第{row}张证书（{r.name}）的编号 {number} 第16位为等级 {int(parsed.level)}，"
                f"与证书等级 {level.written} 不符：请核对证书编号或等级。",
                rule="002 §26",
            )
        if parsed.issue_year_2d != r.issue_date.year % 100:
            raise ValidationError(
                f"第{row}张证书（{r.name}）的编号 {number} 第14-15位年份与发证日期 {r.issue_date.isoformat()} 不符：请核对。",
                rule="002 §26",
            )
    return dates


def _zip_info(name: str, date_time: tuple[int, ...]) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=date_time[:6])  # type: ignore[arg-type]
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = _ZIP_SYSTEM
    info.external_attr = _ZIP_MODE
    return info


def _write_entries(entries: Iterable[tuple[str, bytes]], date_time: tuple[int, ...]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in entries:
            zf.writestr(_zip_info(name, date_time), data, compresslevel=_ZIP_LEVEL)
    return out.getvalue()


def _csv_bytes(headers: list[str], rows: list[list[str]]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return text.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


_CORE_TIMES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def _xlsx_bytes(profile: ColumnProfile, sheet: str, rows: list[list[str]], moment: datetime) -> bytes:
    from openpyxl import Workbook  # only when a workbook is written
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    for index, column in enumerate(profile.columns, start=1):
        if column.width:
            ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.append(profile.headers)
    for row in rows:
        ws.append(row)
    raw = io.BytesIO()
    wb.save(raw)
    # openpyxl stamps the document properties and its own ZIP entries with the current time; normalise both
    # so the same certificates give the same bytes.
    stamp = china_time(moment).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ").encode("ascii")
    date_time = china_time(moment).timetuple()[:6]
    entries = []
    with zipfile.ZipFile(raw) as zin:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "docProps/core.xml":
                data = _CORE_TIMES.sub(lambda m: m.group(1) + stamp + m.group(3), data)
            entries.append((info.filename, data))
    return _write_entries(entries, date_time)


def _manifest_bytes(manifest: dict) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def build_batch(
    records: Sequence[CertificateRecord],
    *,
    profile: ColumnProfile,
    institution_name: str,
    credit_code: str,
    issue_dates: Iterable[date],
    deadline: date,
    deadline_provisional: bool,
    private_key: Ed25519PrivateKey,
    out: Path,
    batch_id: str,
    created_at: datetime,
) -> BatchInfo:
    """Write the signed batch ZIP to ``out`` (atomically) and describe it.

    ``deadline`` is the upload deadline the caller computed with ``WorkingDayCalendar.deadline_after(earliest
    issue date, 30)`` (002 §28); ``deadline_provisional`` is that result's ``provisional`` flag, recorded so
    that the platform and the office see when it rests on an assumed calendar.
    """
    dates = _check_inputs(records, issue_dates, deadline, batch_id, created_at)
    if not institution_name.strip():
        raise ValidationError("评价机构名称为空：请在机构设置中填写备案名称后再生成上报数据包。")
    code = parse_credit_code(credit_code)
    moment = china_time(created_at).replace(microsecond=0)
    date_time = moment.timetuple()[:6]

    rows = table_rows(records, profile)
    data_files: list[tuple[str, bytes]] = []
    entries: list[FileEntry] = []
    for spec in profile.files:
        if spec.format == "csv":
            data = _csv_bytes(profile.headers, rows)
        else:
            data = _xlsx_bytes(profile, spec.sheet, rows, moment)
        data_files.append((spec.name, data))
        entries.append(
            FileEntry(spec.name, spec.format, hashlib.sha256(data).hexdigest(), len(data), len(rows))
        )

    pub = private_key.public_key()
    pem = public_key_pem(pub)
    kid = key_id(pub)
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "batch_id": batch_id,
        "created_at": moment.isoformat(),
        "kid": kid,
        "institution": {"name": institution_name.strip(), "credit_code": code},
        "profile": {"name": profile.name, "version": profile.version},
        "certificates": {"count": len(records), "issue_dates": [d.isoformat() for d in dates]},
        "upload_deadline": {
            "date": deadline.isoformat(),
            "working_days": UPLOAD_WORKING_DAYS,
            "rule": UPLOAD_RULE,
            "provisional": bool(deadline_provisional),
        },
        "public_key": {"name": PUBLIC_KEY, "sha256": hashlib.sha256(pem).hexdigest(), "size": len(pem)},
        "files": [
            {"name": e.name, "format": e.format, "sha256": e.sha256, "size": e.size, "rows": e.rows}
            for e in entries
        ],
    }
    manifest_data = _manifest_bytes(manifest)
    signature = sign(private_key, manifest_data)
    archive = _write_entries(
        [(MANIFEST, manifest_data), (SIGNATURE, signature), (PUBLIC_KEY, pem), *data_files], date_time
    )
    out = Path(out)
    write_atomic(out, archive)
    return BatchInfo(
        path=out,
        batch_id=batch_id,
        kid=kid,
        count=len(records),
        sha256=hashlib.sha256(archive).hexdigest(),
        size=len(archive),
        manifest_sha256=hashlib.sha256(manifest_data).hexdigest(),
        files=tuple(entries),
    )


# --------------------------------------------------------------------------------------------- verifying


@dataclass(frozen=True)
class Check:
    label: str  # what was checked, in Chinese
    ok: bool
    detail: str  # the finding, in Chinese


@dataclass
class BatchReport:
    """The outcome of :func:`verify_batch`: every check made, in order; ``ok`` only when all passed."""

    path: Path
    checks: list[Check] = field(default_factory=list)
    manifest: dict | None = None
    kid: str | None = None
    trusted_key_given: bool = False
    embedded_key_is_trusted: bool | None = None  # None when no trusted key was given or none is embedded

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)

    @property
    def problems(self) -> list[str]:
        return [f"{c.label}：{c.detail}" for c in self.checks if not c.ok]

    def add(self, label: str, ok: bool, detail: str) -> bool:
        self.checks.append(Check(label, ok, detail))
        return ok


class _TooLarge(Exception):
    pass


def _read_entry(zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """The entry's bytes, read at most ``limit`` + 1 so that a hostile entry cannot exhaust memory."""
    with zf.open(name) as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise _TooLarge
    return data


def _hash_entry(zf: zipfile.ZipFile, name: str, limit: int) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with zf.open(name) as stream:
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise _TooLarge
            digest.update(chunk)
    return digest.hexdigest(), size


_ENTRY_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    OSError,
)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, _TooLarge):
        return "内容超出允许的大小"
    if isinstance(exc, RuntimeError):
        return "条目已加密，无法读取"
    if isinstance(exc, NotImplementedError):
        return "条目使用了不支持的压缩方式"
    return f"条目已损坏，无法解压（{exc or type(exc).__name__}）"


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("duplicate member")
    return result


def _is_date(text: Any) -> bool:
    if not isinstance(text, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _is_count(value: Any, minimum: int = 0) -> bool:
    return type(value) is int and value >= minimum


def _exact_keys(obj: Any, keys: set[str], where: str, problems: list[str]) -> bool:
    if not isinstance(obj, dict):
        problems.append(f"“{where}”应为 JSON 对象")
        return False
    missing, extra = keys - obj.keys(), obj.keys() - keys
    if missing:
        problems.append(f"“{where}”缺少字段 {'、'.join(sorted(missing))}")
    if extra:
        problems.append(f"“{where}”含有未知字段 {'、'.join(sorted(extra))}")
    return not missing


_TOP_KEYS = {
    "format", "format_version", "batch_id", "created_at", "kid", "institution", "profile", "certificates",
    "upload_deadline", "public_key", "files",
}  # fmt: skip
_FILE_KEYS = {"name", "format", "sha256", "size", "rows"}


def envelope_problems(
    m: dict, problems: list[str], fmt: str, version: int, ident: tuple[str, re.Pattern[str], str]
) -> None:
    """The parts every signed jlexam package's manifest shares (upload batch, sitting archive): format and
    version, its id (key, pattern, label), created time with a zone, key id and the institution."""
    if m["format"] != fmt:
        problems.append(f"格式标识应为“{fmt}”，实际为“{m['format']}”")
    if m["format_version"] != version or type(m["format_version"]) is not int:
        problems.append(f"格式版本应为 {version}，实际为 {m['format_version']!r}（请升级 jlexam）")
    key, pattern, label = ident
    if not isinstance(m[key], str) or not pattern.fullmatch(m[key]):
        problems.append(f"{label}无效")
    try:
        if datetime.fromisoformat(m["created_at"]).tzinfo is None:
            problems.append("生成时间缺少时区")
    except (TypeError, ValueError):
        problems.append("生成时间不是 ISO 8601 格式")
    if not isinstance(m["kid"], str) or not _HEX16.fullmatch(m["kid"]):
        problems.append("密钥标识 kid 应为16位小写十六进制数")
    inst = m["institution"]
    if _exact_keys(inst, {"name", "credit_code"}, "institution", problems):
        if not isinstance(inst["name"], str) or not inst["name"].strip():
            problems.append("评价机构名称为空")
        if not isinstance(inst["credit_code"], str) or not is_valid_credit_code(inst["credit_code"]):
            problems.append("评价机构的统一社会信用代码无效")


def public_key_problems(m: dict, problems: list[str]) -> None:
    """The manifest's entry for the public key file shipped beside it."""
    pk = m["public_key"]
    if _exact_keys(pk, {"name", "sha256", "size"}, "public_key", problems) and (
        pk["name"] != PUBLIC_KEY or not isinstance(pk["sha256"], str) or not _HEX64.fullmatch(pk["sha256"])
        or not _is_count(pk["size"])
    ):  # fmt: skip
        problems.append("公钥文件的名称、SHA-256 或大小无效")


def manifest_problems(m: Any) -> list[str]:
    """What is wrong with a parsed manifest against the version-1 schema; [] when it conforms."""
    problems: list[str] = []
    if not _exact_keys(m, _TOP_KEYS, "清单", problems):
        return problems
    envelope_problems(m, problems, FORMAT, FORMAT_VERSION, ("batch_id", _BATCH_ID, "批次编号"))
    prof = m["profile"]
    if _exact_keys(prof, {"name", "version"}, "profile", problems) and (
        not isinstance(prof["name"], str) or not _is_count(prof["version"], 1)
    ):
        problems.append("上报模板名称或版本无效")
    certs = m["certificates"]
    if _exact_keys(certs, {"count", "issue_dates"}, "certificates", problems):
        if not _is_count(certs["count"], 1):
            problems.append("证书数量应为正整数")
        dates = certs["issue_dates"]
        if not isinstance(dates, list) or not dates or not all(_is_date(d) for d in dates):
            problems.append("发证日期应为 YYYY-MM-DD 格式的日期列表")
        elif dates != sorted(set(dates)):
            problems.append("发证日期应按先后排列且不重复")
    due = m["upload_deadline"]
    if _exact_keys(due, {"date", "working_days", "rule", "provisional"}, "upload_deadline", problems):
        if not _is_date(due["date"]):
            problems.append("上报截止日期应为 YYYY-MM-DD 格式")
        if due["working_days"] != UPLOAD_WORKING_DAYS or type(due["working_days"]) is not int:
            problems.append(f"上报期限应为{UPLOAD_WORKING_DAYS}个工作日（{UPLOAD_RULE}）")
        if not isinstance(due["provisional"], bool):
            problems.append("截止日期的 provisional 标志应为 true 或 false")
        certs_dates = certs.get("issue_dates") if isinstance(certs, dict) else None
        first = certs_dates[0] if isinstance(certs_dates, list) and certs_dates else None
        if _is_date(due["date"]) and _is_date(first) and due["date"] <= first:
            problems.append("上报截止日期不在发证日期之后")
    public_key_problems(m, problems)
    files = m["files"]
    if not isinstance(files, list) or not files:
        problems.append("“files”应列出至少一个数据文件")
        return problems
    names: set[str] = set()
    for i, entry in enumerate(files, start=1):
        if not _exact_keys(entry, _FILE_KEYS, f"files 第{i}项", problems):
            continue
        name = entry["name"]
        if not isinstance(name, str) or not _SAFE_NAME.fullmatch(name) or name in RESERVED:
            problems.append(f"第{i}个数据文件的文件名无效")
        elif name in names:
            problems.append(f"数据文件 {name} 重复列出")
        else:
            names.add(name)
        if entry["format"] not in _DATA_FORMATS:
            problems.append(f"第{i}个数据文件的格式应为 xlsx 或 csv")
        if not isinstance(entry["sha256"], str) or not _HEX64.fullmatch(entry["sha256"]):
            problems.append(f"第{i}个数据文件的 SHA-256 应为64位小写十六进制数")
        if not _is_count(entry["size"]) or not _is_count(entry["rows"]):
            problems.append(f"第{i}个数据文件的大小或行数无效")
        elif isinstance(certs, dict) and entry["rows"] != certs.get("count"):
            problems.append(f"数据文件 {name} 的行数 {entry['rows']} 与证书数量 {certs.get('count')} 不符")
    return problems


def verify_batch(path: Path, public_key_pem: bytes | None = None) -> BatchReport:
    """Check a batch as a third party would; never raises for a bad batch, only for an unreadable path.

    ``public_key_pem`` is the institution's key as the verifier already trusts it (``jlexam keys
    export-public``); without it the signature is checked with the key inside the batch, which shows only
    that the batch is intact, not who made it.
    """
    path = Path(path)
    trusted = load_public_key_pem(public_key_pem) if public_key_pem is not None else None
    if not path.exists():
        raise ValidationError(f"找不到上报数据包 {path}：请检查文件路径。")
    if path.is_dir():
        raise ValidationError(f"{path} 是文件夹，不是上报数据包：请选择 .zip 文件。")
    try:
        with path.open("rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise ValidationError(f"无法读取上报数据包 {path}：{exc.strerror}。请检查文件权限。") from None
    report = BatchReport(path=path, trusted_key_given=trusted is not None)
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        report.add("压缩包", False, f"文件不是可读取的 ZIP 压缩包（{exc}）")
        return report
    with zf:
        _verify_open(zf, report, trusted)
    return report


def _verify_open(zf: zipfile.ZipFile, report: BatchReport, trusted: Ed25519PublicKey | None) -> None:
    names = zf.namelist()
    report.add("压缩包", True, f"ZIP 压缩包可读取，共 {len(names)} 个条目")
    duplicates = sorted({n for n in names if names.count(n) > 1})
    missing = [n for n in RESERVED if n not in names]
    if duplicates or missing:
        detail = "；".join(
            part
            for part in (
                f"缺少 {'、'.join(missing)}" if missing else "",
                f"条目重复 {'、'.join(duplicates)}（同名条目可被不同程序读成不同内容）" if duplicates else "",
            )
            if part
        )
        report.add("必需条目", False, detail)
        if missing:
            return
    else:
        report.add("必需条目", True, "manifest.json、manifest.sig、public_key.pem 齐全")

    # The three signed-envelope files, each read with a cap.
    try:
        manifest_data = _read_entry(zf, MANIFEST, _MAX_MANIFEST)
        signature = _read_entry(zf, SIGNATURE, SIGNATURE_LENGTH * 4)
        pem = _read_entry(zf, PUBLIC_KEY, _MAX_PEM)
    except (_TooLarge, *_ENTRY_ERRORS) as exc:
        report.add("清单文件", False, f"清单、签名或公钥文件无法读取：{_describe(exc)}")
        return

    embedded: Ed25519PublicKey | None
    try:
        embedded = load_public_key_pem(pem)
    except ValidationError:
        embedded = None
    if embedded is None:
        report.add("内嵌公钥", False, "public_key.pem 不是有效的 Ed25519 公钥（PEM, SubjectPublicKeyInfo）")
    else:
        report.kid = key_id(embedded)
        report.add("内嵌公钥", True, f"Ed25519 公钥，密钥标识 {report.kid}")

    if trusted is not None:
        same = embedded is not None and public_key_bytes(embedded) == public_key_bytes(trusted)
        report.embedded_key_is_trusted = same if embedded is not None else None
        report.add(
            "受信任公钥",
            same,
            f"内嵌公钥与受信任公钥一致（{key_id(trusted)}）"
            if same
            else f"内嵌公钥与受信任公钥（{key_id(trusted)}）不一致：数据包不是用该机构的密钥签发的",
        )
    key = trusted if trusted is not None else embedded
    source = "受信任公钥" if trusted is not None else "内嵌公钥"
    if len(signature) != SIGNATURE_LENGTH:
        report.add("签名", False, f"manifest.sig 应为 64 字节的 Ed25519 签名，实际为 {len(signature)} 字节")
    elif key is None:
        report.add("签名", False, "没有可用的公钥，无法验证签名")
    elif verify(key, manifest_data, signature):
        report.add("签名", True, f"manifest.json 的签名用{source}验证通过")
    else:
        report.add("签名", False, f"manifest.json 的签名用{source}验证失败：清单被改动，或不是用该密钥签发的")

    try:
        manifest = json.loads(manifest_data.decode("utf-8"), object_pairs_hook=_reject_duplicates)
    except (UnicodeDecodeError, ValueError, RecursionError):
        report.add("清单格式", False, "manifest.json 不是有效的 UTF-8 JSON（或含有重复字段）")
        return
    problems = manifest_problems(manifest)
    if problems:
        report.add("清单格式", False, "；".join(problems))
        if not isinstance(manifest, dict):
            return
    else:
        report.manifest = manifest
        count = manifest["certificates"]["count"]
        report.add(
            "清单格式",
            True,
            f"格式版本 {FORMAT_VERSION}，批次 {manifest['batch_id']}，{count} 张证书，"
            f"上报截止 {manifest['upload_deadline']['date']}"
            + ("（暂定，日历未覆盖）" if manifest["upload_deadline"]["provisional"] else ""),
        )
    if embedded is not None and isinstance(manifest.get("kid"), str) and manifest["kid"] != report.kid:
        report.add("密钥标识", False, f"清单中的密钥标识 {manifest['kid']} 与内嵌公钥 {report.kid} 不符")

    listed = _listed_files(manifest)
    for name, want_sha, want_size, limit in listed:
        _check_file(zf, report, name, want_sha, want_size, limit)
    listed_names = {item[0] for item in listed} | {MANIFEST, SIGNATURE}
    extras = sorted({n for n in names if n not in listed_names})
    if extras:
        report.add("多余条目", False, f"压缩包中有清单未列出的条目：{'、'.join(extras)}")
    else:
        report.add("多余条目", True, "没有清单未列出的条目")


def _listed_files(manifest: Any) -> list[tuple[str, Any, Any, int]]:
    """(name, sha256, size, read limit) of every file the manifest vouches for, as far as it can be read."""
    listed: list[tuple[str, Any, Any, int]] = []
    if not isinstance(manifest, dict):
        return listed
    pk = manifest.get("public_key")
    if isinstance(pk, dict):
        listed.append((PUBLIC_KEY, pk.get("sha256"), pk.get("size"), _MAX_PEM))
    files = manifest.get("files")
    for entry in files if isinstance(files, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("name"), str) and entry["name"] not in RESERVED:
            size = entry.get("size")
            limit = size if _is_count(size) and size <= _MAX_DATA else _MAX_DATA
            listed.append((entry["name"], entry.get("sha256"), size, limit))
    return listed


def _check_file(zf: zipfile.ZipFile, report: BatchReport, name: str, sha: Any, size: Any, limit: int) -> None:
    label = f"文件 {name}"
    try:
        zf.getinfo(name)
    except KeyError:
        report.add(label, False, "清单列出的文件不在压缩包中")
        return
    try:
        actual_sha, actual_size = _hash_entry(zf, name, limit)
    except _TooLarge:
        report.add(label, False, f"文件比清单记载的 {size} 字节大")
        return
    except _ENTRY_ERRORS as exc:
        report.add(label, False, _describe(exc))
        return
    if actual_size != size:
        report.add(label, False, f"大小 {actual_size} 字节与清单记载的 {size} 字节不符")
    elif actual_sha != sha:
        report.add(label, False, f"SHA-256 {actual_sha[:16]}… 与清单记载的 {str(sha)[:16]}… 不符：文件被改动")
    else:
        report.add(label, True, f"SHA-256 与大小（{actual_size} 字节）与清单一致")
