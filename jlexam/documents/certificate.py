"""The certificate (职业技能等级证书, 002 §26): A4, one page per holder, full or onto pre-printed blanks.

RULES.md "Certificates": the title 职业技能等级证书, the institution's filed name, issue date, name, ID document
type and number (in full: the certificate is the holder's own document), occupation, work type (``--`` when
none), level as ``一级/高级技师``, certificate number, photo, QR code and the query sites.

Two modes share one layout (:data:`FIELDS`, positions in millimetres from the paper's top-left corner):

- ``"full"`` draws the whole certificate on plain paper: frame, title, labels, values, photo, QR code;
- ``"blank"`` draws only what varies (values, photo, QR code, the institution's name) for blank forms whose
  frame, title and labels are pre-printed (002 §27), at the same positions.

Printers do not place a page exactly: ``offset_mm = (right, down)`` shifts everything printed by that many
millimetres (negative values shift left or up). :func:`render_calibration_page` prints crosshairs, a
millimetre grid and the field positions so the office can measure a printer's offset and check it against a
blank form held up to the light.

The QR code holds the signed token (DESIGN.md "QR token", type ``jlexam-cert``) that the caller made with
``jlexam.security.tokens.encode_token``; :func:`certificate_token_payload` gives its payload. The modules are
drawn as one path of raw PDF operators (zxing-cpp encoder, ~1 ms per code).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from reportlab.lib.colors import Color, black, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from jlexam.documents.drawing import draw_photo, draw_qr
from jlexam.documents.fonts import BODY, HEADING, Align, draw_text, register_pdf_fonts, text_width
from jlexam.domain.idcard import Sex, parse_sex
from jlexam.domain.levels import SkillLevel, parse_level
from jlexam.domain.masking import mask_id_number
from jlexam.errors import ValidationError
from jlexam.fileio import atomic_path

Mode = Literal["full", "blank"]

PAGE_W_MM, PAGE_H_MM = 210.0, 297.0

# 技能人才评价工作网 is the national query site (the ministry's 职业技能鉴定指导中心); the province's site is where
# Jilin's institutions are filed. An institution may set other lines.
DEFAULT_QUERY_SITES: tuple[str, ...] = (
    "技能人才评价工作网  http://www.osta.org.cn",
    "吉林省人力资源和社会保障厅  http://hrss.jl.gov.cn",
)

_RED = Color(0.62, 0.09, 0.09)
_GOLD = Color(0.72, 0.55, 0.25)
_TINT = Color(0.97, 0.93, 0.86)
_ROSETTE = Color(0.93, 0.86, 0.78)
_GUIDE = Color(0.15, 0.45, 0.85)
_GRID = Color(0.80, 0.80, 0.80)


@dataclass(frozen=True)
class CertificateData:
    institution: str  # the institution's filed name
    issue_date: date
    name: str
    id_type: str  # 居民身份证, 护照 ...
    id_number: str  # printed in full
    sex: Sex | str
    occupation: str  # 电工
    work_type: str  # "" or "--" when none
    level: SkillLevel | int | str  # printed as 三级/高级工
    certificate_number: str
    photo_jpeg: bytes | None
    qr_token: str
    query_sites: tuple[str, ...] = DEFAULT_QUERY_SITES


def certificate_token_payload(
    *,
    certificate_number: str,
    name: str,
    id_number: str,
    occupation_code: str,
    level: SkillLevel | int | str,
    issue_date: date,
) -> dict:
    """The ``jlexam-cert`` token's payload (sign it with ``encode_token(key, CERT, payload)``).

    What a checker needs to match the person and the certificate; the ID number masked (first 6, last 4).
    """
    return {
        "v": 1,
        "no": certificate_number,
        "name": name,
        "id": mask_id_number(id_number),
        "occ": occupation_code,
        "lvl": int(parse_level(level)),
        "date": issue_date.isoformat(),
    }


# ----------------------------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # as pre-printed on the blank; "" for none
    x: float  # left end of the value, mm from the left edge
    baseline: float  # mm from the top edge
    width: float  # the value's room, mm


_LABEL_X = 26.0  # the left end of the label column, mm
_VALUE_X = 64.0
_NARROW = 143.0 - _VALUE_X  # beside the photo
_WIDE = 182.0 - _VALUE_X

FIELDS: tuple[Field, ...] = (
    Field("name", "姓　　名", _VALUE_X, 84.0, _NARROW),
    Field("sex", "性　　别", _VALUE_X, 97.0, _NARROW),
    Field("id_type", "证件类型", _VALUE_X, 110.0, _NARROW),
    Field("id_number", "证件号码", _VALUE_X, 123.0, _NARROW),
    Field("occupation", "职业名称", _VALUE_X, 136.0, _WIDE),
    Field("work_type", "工　　种", _VALUE_X, 149.0, _WIDE),
    Field("level", "职业技能等级", _VALUE_X, 162.0, _WIDE),
    Field("certificate_number", "证书编号", _VALUE_X, 175.0, _WIDE),
    Field("issue_date", "发证日期", _VALUE_X, 188.0, _WIDE),
)
INSTITUTION = Field("institution", "评价机构（盖章）", 96.0, 231.0, 86.0)  # centred on x + width / 2
PHOTO = (152.0, 72.0, 26.0, 36.0)  # x, top, width, height in mm: a 1-inch photo with a 0.5 mm margin
QR = (30.0, 205.0, 34.0)  # x, top, size in mm
_VALUE_SIZE = 14.0
# Every label in one size, its characters spread over the whole label column (两端对齐, as forms print
# them): the column is wide enough that the longest label, 职业技能等级, keeps a clear gap between characters.
_LABEL_SIZE = 12.0
_LABEL_END = _VALUE_X - 4.0  # the right end of the label column, mm
_MIN_SIZE = 8.0


def label_glyphs(label: str) -> list[tuple[float, str]]:
    """Where each character of a field's label goes: (x in mm from the page's left edge, character), spread
    from ``_LABEL_X`` to ``_LABEL_END`` at ``_LABEL_SIZE``, the same for every label."""
    register_pdf_fonts()
    chars = label.replace("　", "").strip()
    if len(chars) < 2:
        return [(_LABEL_X, chars)] if chars else []
    pitch = (_LABEL_END - _LABEL_X - text_width(chars[-1], HEADING, _LABEL_SIZE) / mm) / (len(chars) - 1)
    return [(_LABEL_X + pitch * i, ch) for i, ch in enumerate(chars)]


def _pt(x_mm: float, y_top_mm: float) -> tuple[float, float]:
    """A point given in mm from the top-left corner, in PDF points from the bottom-left."""
    return x_mm * mm, (PAGE_H_MM - y_top_mm) * mm


def _date_text(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _values(item: CertificateData) -> dict[str, str]:
    work_type = item.work_type.strip()
    return {
        "name": item.name.strip(),
        "sex": parse_sex(item.sex).label,
        "id_type": item.id_type.strip(),
        "id_number": item.id_number.strip(),
        "occupation": item.occupation.strip(),
        "work_type": work_type if work_type else "--",
        "level": parse_level(item.level).written,
        "certificate_number": item.certificate_number.strip(),
        "issue_date": _date_text(item.issue_date),
        "institution": item.institution.strip(),
    }


def _fit(text: str, font: str, size: float, width_mm: float) -> float:
    """The largest size up to ``size`` at which ``text`` fits ``width_mm`` (never below the minimum)."""
    width = text_width(text, font, size)
    room = width_mm * mm
    if width <= room:
        return size
    return max(_MIN_SIZE, math.floor(size * room / width * 10) / 10)


# ----------------------------------------------------------------------------------------------- drawing


def _frame(c: Canvas) -> None:
    """The border: a tinted band between a heavy outer and a thin inner rule, corner ornaments, a rosette."""
    w, h = PAGE_W_MM, PAGE_H_MM
    c.saveState()
    outer, inner = 10.0, 15.0
    c.setFillColor(_TINT)
    c.setStrokeColor(_TINT)
    x0, y0 = _pt(outer, h - outer)
    c.rect(x0, y0, (w - 2 * outer) * mm, (h - 2 * outer) * mm, stroke=0, fill=1)
    c.setFillColor(white)
    x1, y1 = _pt(inner, h - inner)
    c.rect(x1, y1, (w - 2 * inner) * mm, (h - 2 * inner) * mm, stroke=0, fill=1)
    # a fine lattice in the band
    c.setStrokeColor(_GOLD)
    c.setLineWidth(0.35)
    step = 2.5
    for edge in ("top", "bottom"):
        yt = outer if edge == "top" else h - inner
        k = outer
        while k < w - outer - 0.01:
            a, b = _pt(k, yt), _pt(k + step, yt + (inner - outer))
            c.line(a[0], a[1], b[0], b[1])
            a, b = _pt(k + step, yt), _pt(k, yt + (inner - outer))
            c.line(a[0], a[1], b[0], b[1])
            k += step
    for edge in ("left", "right"):
        xl = outer if edge == "left" else w - inner
        k = inner
        while k < h - inner - 0.01:
            a, b = _pt(xl, k), _pt(xl + (inner - outer), k + step)
            c.line(a[0], a[1], b[0], b[1])
            a, b = _pt(xl + (inner - outer), k), _pt(xl, k + step)
            c.line(a[0], a[1], b[0], b[1])
            k += step
    c.setStrokeColor(_RED)
    c.setLineWidth(2.4)
    c.rect(x0, y0, (w - 2 * outer) * mm, (h - 2 * outer) * mm, stroke=1, fill=0)
    c.setLineWidth(0.9)
    c.rect(x1, y1, (w - 2 * inner) * mm, (h - 2 * inner) * mm, stroke=1, fill=0)
    in2 = inner + 2.2
    c.setLineWidth(0.4)
    x2, y2 = _pt(in2, h - in2)
    c.rect(x2, y2, (w - 2 * in2) * mm, (h - 2 * in2) * mm, stroke=1, fill=0)
    # corner ornaments: a red square with a gold lozenge on each corner of the band
    for cx, cy in ((outer, outer), (w - inner, outer), (outer, h - inner), (w - inner, h - inner)):
        side = inner - outer
        px, py = _pt(cx, cy + side)
        c.setFillColor(_RED)
        c.rect(px, py, side * mm, side * mm, stroke=0, fill=1)
        mx, my = _pt(cx + side / 2, cy + side / 2)
        d = side * 0.36 * mm
        path = c.beginPath()
        path.moveTo(mx, my + d)
        path.lineTo(mx + d, my)
        path.lineTo(mx, my - d)
        path.lineTo(mx - d, my)
        path.close()
        c.setFillColor(_GOLD)
        c.drawPath(path, stroke=0, fill=1)
    c.restoreState()


def _rosette(c: Canvas, cx_mm: float, cy_mm: float, radius_mm: float) -> None:
    """A guilloche rosette in a light tint behind the fields, the usual mark of an issued document."""
    c.saveState()
    c.setStrokeColor(_ROSETTE)
    c.setLineWidth(0.3)
    cx, cy = _pt(cx_mm, cy_mm)
    r = radius_mm * mm
    for k in range(48):
        angle = math.pi * k / 48
        path = c.beginPath()
        steps = 72
        for s in range(steps + 1):
            t = 2 * math.pi * s / steps
            # an epitrochoid-like petal: an ellipse rotated about the centre
            ex, ey = r * math.cos(t), r * 0.38 * math.sin(t)
            px = cx + ex * math.cos(angle) - ey * math.sin(angle)
            py = cy + ex * math.sin(angle) + ey * math.cos(angle)
            if s == 0:
                path.moveTo(px, py)
            else:
                path.lineTo(px, py)
        c.drawPath(path, stroke=1, fill=0)
    c.circle(cx, cy, r * 1.02, stroke=1, fill=0)
    c.circle(cx, cy, r * 0.3, stroke=1, fill=0)
    c.restoreState()


def _title(c: Canvas) -> None:
    c.saveState()
    title = "职业技能等级证书"
    size, pitch = 30.0, 15.5  # points, mm between character centres
    first = PAGE_W_MM / 2 - pitch * (len(title) - 1) / 2
    c.setFillColor(_RED)
    for i, ch in enumerate(title):
        x, y = _pt(first + pitch * i, 44.0)
        draw_text(c, x, y, ch, HEADING, size, align="center")
    subtitle = "VOCATIONAL  SKILL  LEVEL  CERTIFICATE"
    x, y = _pt(PAGE_W_MM / 2, 53.0)
    draw_text(c, x, y, subtitle, BODY, 9.5, align="center")
    # a rule with a lozenge in the middle
    c.setStrokeColor(_GOLD)
    c.setLineWidth(0.8)
    left, right, yy = 45.0, 165.0, 58.5
    a, b = _pt(left, yy), _pt(PAGE_W_MM / 2 - 3, yy)
    c.line(a[0], a[1], b[0], b[1])
    a, b = _pt(PAGE_W_MM / 2 + 3, yy), _pt(right, yy)
    c.line(a[0], a[1], b[0], b[1])
    mx, my = _pt(PAGE_W_MM / 2, yy)
    d = 2.0 * mm
    path = c.beginPath()
    path.moveTo(mx, my + d)
    path.lineTo(mx + d, my)
    path.lineTo(mx, my - d)
    path.lineTo(mx - d, my)
    path.close()
    c.setFillColor(_RED)
    c.drawPath(path, stroke=0, fill=1)
    c.restoreState()


def _labels(c: Canvas) -> None:
    """The pre-printed part of the fields: labels, the rules the values sit on, the photo frame, the foot."""
    c.saveState()
    c.setFillColor(black)
    c.setStrokeColor(Color(0.45, 0.45, 0.45))
    c.setLineWidth(0.5)
    for f in FIELDS:
        y = _pt(0, f.baseline)[1]
        for x_mm, ch in label_glyphs(f.label):
            draw_text(c, x_mm * mm, y, ch, HEADING, _LABEL_SIZE)
        a, b = _pt(f.x - 1, f.baseline + 2.2), _pt(f.x + f.width, f.baseline + 2.2)
        c.line(a[0], a[1], b[0], b[1])
    # the institution's signature block and the seal's place
    inst_x = INSTITUTION.x + INSTITUTION.width / 2
    x, y = _pt(inst_x, INSTITUTION.baseline - 13.0)
    draw_text(c, x, y, "评价机构（盖章）", HEADING, 12, align="center")
    a, b = (
        _pt(INSTITUTION.x, INSTITUTION.baseline + 2.2),
        _pt(INSTITUTION.x + INSTITUTION.width, INSTITUTION.baseline + 2.2),
    )
    c.line(a[0], a[1], b[0], b[1])
    # photo frame
    px, ptop, pw, ph = PHOTO
    x, y = _pt(px - 1.0, ptop + ph + 1.0)
    c.setStrokeColor(_GOLD)
    c.setLineWidth(0.8)
    c.rect(x, y, (pw + 2.0) * mm, (ph + 2.0) * mm, stroke=1, fill=0)
    # QR caption
    qx, qtop, qsize = QR
    x, y = _pt(qx + qsize / 2, qtop + qsize + 5.0)
    draw_text(c, x, y, "扫码查验证书", BODY, 9, align="center")
    c.restoreState()


def _foot(c: Canvas, sites: Sequence[str]) -> None:
    c.saveState()
    c.setStrokeColor(_GOLD)
    c.setLineWidth(0.5)
    a, b = _pt(30.0, 253.0), _pt(180.0, 253.0)
    c.line(a[0], a[1], b[0], b[1])
    c.setFillColor(Color(0.2, 0.2, 0.2))
    x, y = _pt(PAGE_W_MM / 2, 259.5)
    draw_text(c, x, y, "证书查询", HEADING, 9.5, align="center")
    for i, site in enumerate(sites[:3]):
        x, y = _pt(PAGE_W_MM / 2, 265.0 + 4.6 * i)
        draw_text(c, x, y, site, BODY, 9, align="center")
    x, y = _pt(PAGE_W_MM / 2, 265.0 + 4.6 * min(len(sites), 3) + 1.5)
    draw_text(c, x, y, "纸质证书与电子证书具有同等效力", BODY, 8.5, align="center")
    c.restoreState()


def _photo(c: Canvas, jpeg: bytes | None, *, placeholder: bool) -> None:
    px, ptop, pw, ph = PHOTO
    x, y = _pt(px, ptop + ph)
    if jpeg:
        if jpeg[:2] != b"\xff\xd8":  # a corrupt photo must not stop the print run silently: say which one
            raise ValidationError(
                "证书照片无法读取（不是有效的 JPEG 图片）：请重新导入该考生的照片后再打印。"
            )
        draw_photo(c, jpeg, x, y, pw * mm, ph * mm)  # the JPEG as it is: re-encoding made pages ~50 KB each
    elif placeholder:
        c.saveState()
        c.setFillColor(Color(0.6, 0.6, 0.6))
        cx, cy = _pt(px + pw / 2, ptop + ph / 2)
        draw_text(c, cx, cy, "照片", BODY, 10, align="center")
        c.restoreState()


def _draw_value(c: Canvas, text: str, field: Field, align: Align = "left") -> None:
    """One value on its line: shrunk to fit, and when even the smallest size is too wide, two lines (Chinese
    breaks between any two characters) with the second on the line's baseline."""
    x_mm = field.x + field.width / 2 if align == "center" else field.x
    size = _fit(text, BODY, _VALUE_SIZE, field.width)
    if text_width(text, BODY, size) <= field.width * mm:
        x, y = _pt(x_mm, field.baseline)
        draw_text(c, x, y, text, BODY, size, align=align)
        return
    cut = (len(text) + 1) // 2
    lines = (text[:cut], text[cut:])
    size = min(_fit(line, BODY, _VALUE_SIZE - 2, field.width) for line in lines)
    leading = size * 1.2 / mm
    for i, line in enumerate(lines):
        x, y = _pt(x_mm, field.baseline - leading * (1 - i))
        draw_text(c, x, y, line, BODY, size, align=align)


def _variable(c: Canvas, item: CertificateData) -> None:
    """What differs between certificates: the same in both modes."""
    values = _values(item)
    c.saveState()
    c.setFillColor(black)
    for f in FIELDS:
        _draw_value(c, values[f.key], f)
    _draw_value(c, values["institution"], INSTITUTION, align="center")
    c.restoreState()
    qx, qtop, qsize = QR
    x, y = _pt(qx, qtop + qsize)
    draw_qr(c, item.qr_token, x, y, qsize * mm, quiet_modules=0)


def _check(item: CertificateData) -> None:
    missing = [
        label
        for label, value in (
            ("姓名", item.name),
            ("证件号码", item.id_number),
            ("证书编号", item.certificate_number),
            ("评价机构名称", item.institution),
            ("二维码", item.qr_token),
        )
        if not str(value).strip()
    ]
    if missing:
        who = item.name or item.certificate_number or "（未知）"
        raise ValidationError(f"证书（{who}）缺少{'、'.join(missing)}，不能打印：请补全证书数据后再打印。")


def _offset(c: Canvas, offset_mm: tuple[float, float]) -> None:
    dx, dy = offset_mm
    if abs(dx) > 30 or abs(dy) > 30:
        raise ValidationError(
            f"打印偏移（向右 {dx} mm，向下 {dy} mm）过大：应在 ±30 mm 以内，请重新测量校准页后再设置。"
        )
    c.translate(dx * mm, -dy * mm)


def _canvas(path: Path, title: str) -> Canvas:
    register_pdf_fonts()
    c = Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
    c.setTitle(title)
    c.setAuthor("jlexam")
    c.setCreator("jlexam")
    return c


def _static_form(c: Canvas, forms: dict[tuple[str, ...], str], sites: tuple[str, ...]) -> str:
    """The printed frame, title, labels and foot, drawn once per document as a form and placed on every page
    (drawn per page they made each page ~50 KB)."""
    name = forms.get(tuple(sites))
    if name is None:
        name = f"jlexamCertificate{len(forms)}"
        c.beginForm(name)
        _frame(c)
        _rosette(c, PAGE_W_MM / 2, 140.0, 44.0)
        _title(c)
        _labels(c)
        _foot(c, sites)
        c.endForm()
        forms[tuple(sites)] = name
    return name


def render_certificates(
    items: Iterable[CertificateData],
    path: Path,
    *,
    mode: Mode = "full",
    offset_mm: tuple[float, float] = (0.0, 0.0),
) -> int:
    """Write one A4 page per certificate to ``path`` (atomically); returns the number of pages.

    ``mode="full"`` prints the whole certificate on plain paper; ``"blank"`` only the variable parts, for
    pre-printed blank forms. ``offset_mm`` = (right, down) is the printer's calibration offset.
    """
    if mode not in ("full", "blank"):
        raise ValueError(f"mode must be 'full' or 'blank', not {mode!r}")
    pages = 0
    static_forms: dict[tuple[str, ...], str] = {}
    with atomic_path(Path(path)) as partial:
        c = _canvas(partial, "职业技能等级证书")
        for item in items:
            _check(item)
            c.saveState()
            _offset(c, offset_mm)
            if mode == "full":
                c.doForm(_static_form(c, static_forms, item.query_sites))
            _photo(c, item.photo_jpeg, placeholder=mode == "full")
            _variable(c, item)
            c.restoreState()
            c.showPage()
            pages += 1
        if not pages:
            raise ValidationError("没有要打印的证书：请先选择证书。")
        c.save()
    return pages


# ----------------------------------------------------------------------------------------------- calibration

CALIBRATION_TARGETS: tuple[tuple[float, float], ...] = (
    (30.0, 30.0),
    (180.0, 30.0),
    (105.0, 148.5),
    (30.0, 267.0),
    (180.0, 267.0),
)


def _crosshair(c: Canvas, x_mm: float, y_mm: float) -> None:
    x, y = _pt(x_mm, y_mm)
    arm = 8 * mm
    c.setLineWidth(0.3)
    c.line(x - arm, y, x + arm, y)
    c.line(x, y - arm, x, y + arm)
    c.circle(x, y, 2 * mm, stroke=1, fill=0)
    c.circle(x, y, 5 * mm, stroke=1, fill=0)
    label = f"距左边 {x_mm:g} mm，距上边 {y_mm:g} mm"
    ly = y + 6.5 * mm if y_mm > 50 else y - 8.5 * mm  # clear of the ruler at the top
    if x_mm > PAGE_W_MM / 2 + 1:
        draw_text(c, x - 6 * mm, ly, label, BODY, 7, align="right")
    else:
        draw_text(c, x + 6 * mm, ly, label, BODY, 7)


def _grid_and_rulers(c: Canvas) -> None:
    c.saveState()
    c.setStrokeColor(_GRID)
    c.setLineWidth(0.25)
    for x in range(10, 210, 10):
        a, b = _pt(x, 0), _pt(x, PAGE_H_MM)
        c.line(a[0], a[1], b[0], b[1])
    for y in range(10, 297, 10):
        a, b = _pt(0, y), _pt(PAGE_W_MM, y)
        c.line(a[0], a[1], b[0], b[1])
    # rulers along the top (reading from the left edge) and the left (reading from the top edge)
    c.setStrokeColor(black)
    c.setFillColor(black)
    c.setLineWidth(0.3)
    band = 18.0
    for x in range(0, 211):
        length = 4.0 if x % 10 == 0 else 2.5 if x % 5 == 0 else 1.5
        a, b = _pt(x, band), _pt(x, band - length)
        c.line(a[0], a[1], b[0], b[1])
        if x % 10 == 0 and 25 < x < 210:
            tx, ty = _pt(x, band + 3.2)
            draw_text(c, tx, ty, str(x), BODY, 6.5, align="center")
    for y in range(0, 298):
        length = 4.0 if y % 10 == 0 else 2.5 if y % 5 == 0 else 1.5
        a, b = _pt(band, y), _pt(band - length, y)
        c.line(a[0], a[1], b[0], b[1])
        if y % 10 == 0 and 25 < y < 297:
            tx, ty = _pt(band + 1.5, y + 1.0)
            draw_text(c, tx, ty, str(y), BODY, 6.5)
    a, b = _pt(0, band), _pt(PAGE_W_MM, band)
    c.line(a[0], a[1], b[0], b[1])
    a, b = _pt(band, 0), _pt(band, PAGE_H_MM)
    c.line(a[0], a[1], b[0], b[1])
    c.restoreState()


def _field_guides(c: Canvas) -> None:
    """Where the blank mode prints, as dashed boxes: hold the page over a blank form against the light."""
    c.saveState()
    c.setStrokeColor(_GUIDE)
    c.setFillColor(_GUIDE)
    c.setLineWidth(0.4)
    c.setDash(2, 1.5)
    boxes = [(f.label.replace("　", ""), f.x, f.baseline - 5.0, f.width, 6.5) for f in FIELDS]
    boxes.append(("评价机构", INSTITUTION.x, INSTITUTION.baseline - 5.0, INSTITUTION.width, 6.5))
    px, ptop, pw, ph = PHOTO
    boxes.append(("照片", px, ptop, pw, ph))
    qx, qtop, qsize = QR
    boxes.append(("二维码", qx, qtop, qsize, qsize))
    for label, x, top, w, h in boxes:
        bx, by = _pt(x, top + h)
        c.rect(bx, by, w * mm, h * mm, stroke=1, fill=0)
        tx, ty = _pt(x + 1.0, top + h - 1.6)
        draw_text(c, tx, ty, label, BODY, 6.5)
    c.restoreState()


def render_calibration_page(path: Path, offset_mm: tuple[float, float] = (0.0, 0.0)) -> None:
    """One A4 page to measure a printer's offset: grid, rulers, crosshairs and the blank form's fields.

    Print it at 100 % ("实际大小", no fit-to-page), then measure with a ruler from the paper's left and top
    edges to the centre of a crosshair. The offset to set is (current offset) + (intended − measured) in each
    direction; print again with the new offset and the crosshairs fall where their labels say.
    """
    dx, dy = offset_mm
    with atomic_path(Path(path)) as partial:
        c = _canvas(partial, "证书打印校准页")
        c.saveState()
        _offset(c, offset_mm)
        _grid_and_rulers(c)
        _field_guides(c)
        c.setStrokeColor(_RED)
        c.setFillColor(_RED)
        for x, y in CALIBRATION_TARGETS:
            _crosshair(c, x, y)
        c.setFillColor(black)
        x, y = _pt(PAGE_W_MM / 2, 42.0)
        draw_text(c, x, y, "证书打印校准页", HEADING, 16, align="center")
        lines = (
            f"当前偏移：向右 {dx:+.1f} mm，向下 {dy:+.1f} mm（负数为向左、向上）。",
            "1. 以“实际大小 / 100%”打印本页，不要选择“适合页面”或缩放。",
            "2. 用直尺量出中间十字中心到纸张左边缘和上边缘的距离（应为 105 mm 和 148.5 mm）。",
            "3. 新偏移 = 当前偏移 +（应有距离 − 实测距离），向右、向下分别计算，填入本打印机的设置。",
            "4. 用新偏移再打印本页核对；也可将本页叠在空白证书上对光查看虚线框是否落在各栏位置。",
        )
        for i, line in enumerate(lines):
            x, y = _pt(30.0, 49.0 + 4.6 * i)
            draw_text(c, x, y, line, BODY, 8.5)
        c.restoreState()
        c.showPage()
        c.save()
