"""Reading candidates' photos from a folder or a ZIP file, and normalising them to JPEG."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from PIL import Image, UnidentifiedImageError

from jlexam.domain.photos import DEFAULT_RULES, PhotoRules, photo_problems
from jlexam.errors import ValidationError

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png"}
MAX_FILES = 100_000


@dataclass(frozen=True)
class PhotoFile:
    name: str  # as the user sees it (path inside the folder or the ZIP)
    stem: str  # the file name without extension: an ID number or a ticket number
    data: bytes


def iter_photo_files(source: Path) -> Iterator[PhotoFile]:
    """The image files of a folder (recursively) or a ZIP; other files are skipped."""
    source = Path(source)
    if source.is_dir():
        for path in sorted(source.rglob("*")):
            if path.is_file() and path.suffix.lower() in IMAGE_SUFFIXES:
                yield PhotoFile(str(path.relative_to(source)), path.stem, path.read_bytes())
        return
    if not source.exists():
        raise ValidationError(f"找不到照片文件夹或压缩包 {source}。")
    try:
        archive = zipfile.ZipFile(source)
    except zipfile.BadZipFile as exc:
        raise ValidationError(f"{source.name} 不是有效的 ZIP 压缩包，请重新打包照片后再导入。") from exc
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > MAX_FILES:
            raise ValidationError(f"{source.name} 含 {len(members)} 个文件，超过上限 {MAX_FILES}。")
        for member in members:
            name = _decoded_name(member)
            path = PurePosixPath(name)
            if path.suffix.lower() in IMAGE_SUFFIXES and not path.name.startswith("."):
                yield PhotoFile(name, path.stem, archive.read(member))


def _decoded_name(member: zipfile.ZipInfo) -> str:
    """ZIPs made on Chinese Windows store names in GBK without the UTF-8 flag."""
    if member.flag_bits & 0x800:
        return member.filename
    try:
        return member.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return member.filename


def normalise_photo(data: bytes, rules: PhotoRules = DEFAULT_RULES) -> tuple[bytes | None, list[str]]:
    """The photo as JPEG, or None with the Chinese reasons it cannot be used."""
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError):
        return None, ["无法识别为图片，文件可能已损坏"]
    problems = photo_problems(image.format, image.width, image.height, len(data), rules)
    if problems:
        return None, problems
    if image.format == "JPEG" and image.mode == "RGB":
        return data, []
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=88)
    return out.getvalue(), []
