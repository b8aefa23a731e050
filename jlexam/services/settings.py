"""Settings kept in the database: per-printer calibration offsets for pre-printed blanks.

Certificates are printed on pre-printed blank forms (空白证书); every printer feeds paper a little off, so each
printer has an offset in millimetres (x to the right, y downwards) that the print path adds to every page.
The offsets live in the ``setting`` table under one key as compact JSON, so a printer's name may be as long
as the operating system makes it. Any logged-in user reads them (whoever prints needs them); only
``settings.manage`` changes them, and every change is audited.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from jlexam.errors import NotFound, ValidationError
from jlexam.services.base import Actor, UnitOfWork, use_case
from jlexam.store.models import Setting

PRINTER_OFFSETS_KEY = "printer_offsets"
MAX_OFFSET_MM = 20.0
MAX_PRINTER_NAME = 200
# The audit event names the printer in full in its summary; its entity id holds at most 80 characters.


@dataclass(frozen=True)
class PrinterOffset:
    printer: str
    x_mm: float  # positive moves the print to the right
    y_mm: float  # positive moves the print down


def _load(s: Session, *, for_update: bool = False) -> dict[str, list[float]]:
    stmt = select(Setting).where(Setting.key == PRINTER_OFFSETS_KEY)
    if for_update:
        stmt = stmt.with_for_update()
    row = s.scalar(stmt)
    if row is None:
        return {}
    try:
        data = json.loads(row.value)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        str(k): [float(v[0]), float(v[1])] for k, v in data.items() if isinstance(v, list) and len(v) == 2
    }


def _store(s: Session, offsets: dict[str, list[float]]) -> None:
    value = json.dumps(dict(sorted(offsets.items())), ensure_ascii=False, separators=(",", ":"))
    row = s.get(Setting, PRINTER_OFFSETS_KEY)
    if row is None:
        s.add(Setting(key=PRINTER_OFFSETS_KEY, value=value))
    else:
        row.value = value


def _check_printer(printer: str) -> str:
    name = (printer or "").strip()
    if not name:
        raise ValidationError("打印机名称不能为空，请选择要校准的打印机。")
    if len(name) > MAX_PRINTER_NAME:
        raise ValidationError(f"打印机名称过长（{len(name)} 个字符，最多 {MAX_PRINTER_NAME} 个），请核对。")
    return name


def _check_offset(value: float, axis: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError(
            f"{axis}偏移“{value}”不是数字，请填写以毫米为单位的数值，例如 1.5 或 -2。"
        ) from None
    if not math.isfinite(number) or abs(number) > MAX_OFFSET_MM:
        raise ValidationError(
            f"{axis}偏移 {value} 毫米超出范围：应在 -{MAX_OFFSET_MM:g} 到 +{MAX_OFFSET_MM:g} 毫米之间。"
            "偏移过大通常说明纸张放错了方向或用错了纸盒，请先检查送纸。"
        )
    return round(number, 1)


def list_printer_offsets(actor: Actor) -> list[PrinterOffset]:
    """Every calibrated printer, by name. Any logged-in user may read them."""
    with actor.db.reading() as s:
        return [PrinterOffset(name, x, y) for name, (x, y) in sorted(_load(s).items())]


def printer_offset(actor: Actor, printer: str) -> PrinterOffset:
    """The offset of ``printer``; 0/0 for a printer never calibrated."""
    name = (printer or "").strip()
    with actor.db.reading() as s:
        x, y = _load(s).get(name, [0.0, 0.0])
    return PrinterOffset(name, x, y)


@use_case("settings.manage")
def set_printer_offset(uow: UnitOfWork, printer: str, x_mm: float, y_mm: float) -> PrinterOffset:
    """Record the calibration offset of one printer (each axis within ±20 mm)."""
    name = _check_printer(printer)
    x = _check_offset(x_mm, "水平（X）")
    y = _check_offset(y_mm, "垂直（Y）")
    offsets = _load(uow.session, for_update=True)
    old = offsets.get(name)
    if old == [x, y]:
        return PrinterOffset(name, x, y)
    offsets[name] = [x, y]
    _store(uow.session, offsets)
    before = f"（原 X {old[0]:+.1f}、Y {old[1]:+.1f}）" if old else ""
    uow.audit(
        "settings.printer_offset",
        "printer",
        name[:80],
        f"打印机 {name} 的校准偏移设为 X {x:+.1f} 毫米、Y {y:+.1f} 毫米{before}",
    )
    return PrinterOffset(name, x, y)


@use_case("settings.manage")
def remove_printer_offset(uow: UnitOfWork, printer: str) -> None:
    """Forget a printer's calibration (it prints without offset again)."""
    name = _check_printer(printer)
    offsets = _load(uow.session, for_update=True)
    if name not in offsets:
        raise NotFound(f"打印机 {name} 没有校准记录。")
    x, y = offsets.pop(name)
    _store(uow.session, offsets)
    uow.audit(
        "settings.printer_offset_removed",
        "printer",
        name[:80],
        f"删除打印机 {name} 的校准偏移（原 X {x:+.1f}、Y {y:+.1f} 毫米）",
    )
