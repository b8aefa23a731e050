"""The bundled occupation standards: RULES.md's defaults merged with ``resources/standards/overrides.json``.

The overrides file is a JSON object keyed by occupation code; each entry holds only what differs from
:func:`~jlexam.domain.standards.default_standard` for the levels the catalogue lists:

- ``source`` (required): where the values come from; ``verified`` (required): whether they were checked
  against the official text of the national standard; ``name`` (optional): the occupation's name, checked
  against the catalogue so that a mistyped code is caught;
- ``parts`` / ``conditions``: ``{"level": [...]}`` replacing the whole list of each level named, in the form
  of :func:`~jlexam.domain.standards.standard_to_dict`;
- ``ratios``: the staff-ratio fields that differ.

Keys starting with ``_`` are comments. Bad data raises :class:`~jlexam.errors.ValidationError` naming the
file, the occupation code and the field.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from jlexam.domain.standards import (
    OCCUPATION_CODE,
    Standard,
    StandardDataError,
    condition_from_dict,
    default_standard,
    levels_from_dict,
    part_rule_from_dict,
    ratios_from_dict,
)
from jlexam.errors import ValidationError
from jlexam.exchange.catalogue import Occupation, load_occupations
from jlexam.paths import resource

OVERRIDE_KEYS = ("name", "source", "verified", "parts", "conditions", "ratios")


def overrides_path() -> Path:
    return resource("standards", "overrides.json")


def read_overrides(path: Path | None = None) -> dict[str, Any]:
    """The overrides file as data (comment keys removed); checks only that it is a JSON object."""
    path = path or overrides_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValidationError(
            f"无法读取职业标准覆盖文件 {path}：{exc}。请重新安装程序或恢复该文件。"
        ) from exc
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"职业标准覆盖文件 {path.name} 不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列，{exc.msg}。"
        ) from exc
    if not isinstance(data, dict):
        raise ValidationError(f"职业标准覆盖文件 {path.name} 应为以职业编码为键的 JSON 对象。")
    return {key: value for key, value in data.items() if not key.startswith("_")}


def apply_override(base: Standard, entry: object, *, occupation: Occupation | None = None) -> Standard:
    """``base`` with one override entry applied; StandardDataError names the field within the entry."""
    if not isinstance(entry, Mapping):
        raise StandardDataError("(条目)", "应为对象，含 source、verified 以及 parts、conditions、ratios。")
    for key in entry:
        if key not in OVERRIDE_KEYS:
            raise StandardDataError(str(key), f"不是可用的字段。可用字段：{'、'.join(OVERRIDE_KEYS)}。")
    source = entry.get("source")
    if not isinstance(source, str) or not source.strip():
        raise StandardDataError(
            "source", "缺失或为空：请写明数值的出处（标准名称与版本，未核对原文的须注明）。"
        )
    verified = entry.get("verified")
    if not isinstance(verified, bool):
        raise StandardDataError("verified", "缺失或不是 true/false：请注明是否已与标准原文核对。")
    name = entry.get("name")
    if name is not None and occupation is not None and name != occupation.name:
        raise StandardDataError(
            "name", f"为“{name}”，与目录中该编码的职业名称“{occupation.name}”不一致：请核对职业编码。"
        )
    parts = dict(base.parts)
    conditions = dict(base.conditions)
    for key, target, item, what in (
        ("parts", parts, part_rule_from_dict, "考核部分"),
        ("conditions", conditions, condition_from_dict, "申报条件"),
    ):
        if key not in entry:
            continue
        for level, values in levels_from_dict(entry[key], key, item, what).items():
            if level not in base.parts:
                defined = "、".join(lv.written for lv in base.levels)
                raise StandardDataError(
                    f"{key}.{level.value}",
                    f"所指的{level.written}不在该职业的等级（{defined}）之中：请核对目录或删除该等级。",
                )
            target[level] = values
    ratios = ratios_from_dict(entry["ratios"], base=base.ratios) if "ratios" in entry else base.ratios
    marked = source if verified else f"{source}（未核实）"
    return Standard(
        occupation_code=base.occupation_code, parts=parts, ratios=ratios, conditions=conditions, source=marked
    )


def load_standards(
    occupations: Iterable[Occupation] | None = None, path: Path | None = None
) -> dict[str, Standard]:
    """Each occupation's standard keyed by code: defaults for its catalogue levels, then its override.

    ``occupations`` defaults to the bundled catalogue; ``path`` to the bundled overrides file. Entries for
    occupations not in ``occupations`` are checked for a well-formed code only.
    """
    path = path or overrides_path()
    chosen = list(load_occupations() if occupations is None else occupations)
    overrides = read_overrides(path)
    for code in overrides:
        if not OCCUPATION_CODE.fullmatch(code):
            raise ValidationError(
                f"职业标准覆盖文件 {path.name} 中的键“{code}”不是职业编码：应形如 6-31-01-03。"
            )
    standards: dict[str, Standard] = {}
    for occupation in chosen:
        standard = default_standard(occupation.code, occupation.levels)
        if occupation.code in overrides:
            try:
                standard = apply_override(standard, overrides[occupation.code], occupation=occupation)
            except StandardDataError as exc:
                raise exc.within(prefix=f"职业标准覆盖文件 {path.name}，职业 {occupation.code}") from None
        standards[occupation.code] = standard
    return standards
