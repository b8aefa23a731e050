"""The bundled occupation catalogue and Jilin's administrative divisions.

``resources/catalogue/occupations.csv`` lists occupations of《中华人民共和国职业分类大典（2022年版）》with
the work types (工种) and skill levels their national standard defines; ``jilin_regions.csv`` lists Jilin's
6-digit administrative division codes (the first six characters of a resident ID number). Both are UTF-8
with a header row. A broken row raises :class:`~jlexam.errors.ValidationError` naming the file, the row
and the column, so a hand-edited catalogue fails loudly instead of silently losing an occupation.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from jlexam.domain.levels import SkillLevel
from jlexam.errors import ValidationError
from jlexam.paths import resource

OCCUPATION_CODE = re.compile(r"\d-\d{2}-\d{2}-\d{2}")
REGION_CODE = re.compile(r"\d{6}")

OCCUPATION_COLUMNS = ("code", "name", "work_types", "levels", "category_note")
REGION_COLUMNS = ("code", "name")


@dataclass(frozen=True, slots=True)
class Occupation:
    """One occupation (职业) of the 2022 classification with what its national standard defines."""

    code: str  # e.g. "6-31-01-03"
    name: str  # e.g. "电工"
    work_types: tuple[str, ...]  # 工种; empty when the catalogue lists none
    levels: tuple[SkillLevel, ...]  # levels the standard defines, lowest first (5 before 1)
    category_note: str = ""  # the 小类 and the standard the levels come from

    def has_level(self, level: SkillLevel | int) -> bool:
        return SkillLevel(level) in self.levels


@dataclass(frozen=True, slots=True)
class Region:
    """A county-level administrative division of Jilin (e.g. 220102 南关区)."""

    code: str
    name: str


def occupations_path() -> Path:
    return resource("catalogue", "occupations.csv")


def regions_path() -> Path:
    return resource("catalogue", "jilin_regions.csv")


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # calamine returns whole numbers as float
    return "" if value is None else str(value).strip()


def _xlsx_rows(path: Path, columns: tuple[str, ...]) -> Iterable[tuple[int, dict[str, str]]]:
    """Rows of the first sheet of a workbook, the same columns as the CSV form (so a catalogue can be updated
    from a workbook the ministry or the province hands out)."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        sheet = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, OSError, ValueError) as exc:
        raise ValidationError(
            f"无法读取工作簿 {path.name}：文件已损坏或不是 .xlsx 文件，请另存为 .xlsx 后重试。"
        ) from exc
    if not sheet:
        raise ValidationError(f"工作簿 {path.name} 是空的。")
    header = [_cell_text(v) for v in sheet[0]]
    missing = [c for c in columns if c not in header]
    if missing:
        raise ValidationError(
            f"工作簿 {path.name} 第 1 行表头缺少列：{'、'.join(missing)}。表头应为：{','.join(columns)}。"
        )
    index = {c: header.index(c) for c in columns}
    for number, row in enumerate(sheet[1:], start=2):
        values = {c: _cell_text(row[i]) if i < len(row) else "" for c, i in index.items()}
        if any(values.values()):
            yield number, values


def _rows(path: Path, columns: Iterable[str]) -> Iterable[tuple[int, dict[str, str]]]:
    """Rows of a UTF-8 CSV file (or an .xlsx workbook) as dicts, with 1-based line numbers; header checked first."""
    columns = tuple(columns)
    if path.suffix.lower() == ".xlsx":
        yield from _xlsx_rows(path, columns)
        return
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ValidationError(f"无法读取目录文件 {path}：{exc}。请重新安装程序或恢复该文件。") from exc
    with handle:
        reader = csv.DictReader(handle)
        header = tuple(reader.fieldnames or ())
        missing = [c for c in columns if c not in header]
        if missing:
            raise ValidationError(
                f"目录文件 {path.name} 的表头缺少列：{'、'.join(missing)}。表头应为：{','.join(columns)}。"
            )
        for row in reader:
            yield reader.line_num, {c: (row.get(c) or "").strip() for c in columns}


def _levels(text: str, where: str) -> tuple[SkillLevel, ...]:
    try:
        values = sorted({int(part) for part in text.split("|") if part.strip()}, reverse=True)
        levels = tuple(SkillLevel(v) for v in values)
    except ValueError as exc:
        raise ValidationError(
            f"{where}“levels”列的值“{text}”无效：应为 1 至 5 的数字，用 | 分隔，例如 5|4|3。"
        ) from exc
    if not levels:
        raise ValidationError(f"{where}“levels”列为空：请填写该职业标准设置的等级，例如 5|4|3|2|1。")
    return levels


def parse_occupations(path: Path) -> list[Occupation]:
    """Read an occupation catalogue file; see :func:`load_occupations`."""
    result: list[Occupation] = []
    seen: dict[str, int] = {}
    for line, row in _rows(path, OCCUPATION_COLUMNS):
        where = f"目录文件 {path.name} 第 {line} 行"
        code = row["code"]
        if not OCCUPATION_CODE.fullmatch(code):
            raise ValidationError(f"{where}“code”列的职业编码“{code}”格式不对：应形如 6-31-01-03。")
        if code in seen:
            raise ValidationError(
                f"{where}的职业编码 {code} 与第 {seen[code]} 行重复：每个职业只能出现一次。"
            )
        seen[code] = line
        if not row["name"]:
            raise ValidationError(f"{where}“name”列为空：请填写职业名称。")
        work_types = tuple(w.strip() for w in row["work_types"].split("|") if w.strip())
        result.append(
            Occupation(
                code=code,
                name=row["name"],
                work_types=work_types,
                levels=_levels(row["levels"], where),
                category_note=row["category_note"],
            )
        )
    return result


def parse_regions(path: Path) -> list[Region]:
    """Read a region file; see :func:`load_regions`."""
    result: list[Region] = []
    seen: set[str] = set()
    for line, row in _rows(path, REGION_COLUMNS):
        where = f"目录文件 {path.name} 第 {line} 行"
        code = row["code"]
        if not REGION_CODE.fullmatch(code):
            raise ValidationError(f"{where}的行政区划代码“{code}”无效：应为 6 位数字，例如 220102。")
        if code in seen:
            raise ValidationError(f"{where}的行政区划代码 {code} 重复。")
        if not row["name"]:
            raise ValidationError(f"{where}“name”列为空：请填写区县名称。")
        seen.add(code)
        result.append(Region(code=code, name=row["name"]))
    return result


def load_occupations(path: Path | None = None) -> list[Occupation]:
    """The bundled occupation catalogue (or the file at ``path``), in file order."""
    return parse_occupations(path or occupations_path())


def load_regions(path: Path | None = None) -> list[Region]:
    """Jilin's county-level division codes used as ID number regions (or those in the file at ``path``)."""
    return parse_regions(path or regions_path())


def occupations_by_code(occupations: Iterable[Occupation] | None = None) -> dict[str, Occupation]:
    """Occupations keyed by code, from ``occupations`` or the bundled catalogue."""
    return {o.code: o for o in (load_occupations() if occupations is None else occupations)}
