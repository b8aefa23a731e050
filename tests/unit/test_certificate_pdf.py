"""The certificate PDF: the QR token survives a 300 dpi print, fonts are embedded, blank mode prints the same
fields at the same places, shifted by the printer's offset."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image, ImageChops

from jlexam.demo.photos import make_photo
from jlexam.documents.certificate import (
    CertificateData,
    certificate_token_payload,
    render_calibration_page,
    render_certificates,
)
from jlexam.domain.idcard import Sex
from jlexam.errors import ValidationError
from jlexam.security.signing import generate_signing_key, key_id
from jlexam.security.tokens import CERT, decode_token, encode_token

DPI = 300
PX_PER_MM = DPI / 25.4
ID_NUMBER = "22010219900101001X"
NUMBER = "S000022000123253000001"


@pytest.fixture(scope="module")
def key():
    return generate_signing_key()


@pytest.fixture(scope="module")
def item(key) -> CertificateData:
    payload = certificate_token_payload(
        certificate_number=NUMBER,
        name="王𠇔明",
        id_number=ID_NUMBER,
        occupation_code="6-31-01-03",
        level=3,
        issue_date=date(2025, 6, 3),
    )
    return CertificateData(
        institution="长春市测试职业技能培训学校",
        issue_date=date(2025, 6, 3),
        name="王𠇔明",
        id_type="居民身份证",
        id_number=ID_NUMBER,
        sex=Sex.MALE,
        occupation="电工（6-31-01-03）",
        work_type="",
        level=3,
        certificate_number=NUMBER,
        photo_jpeg=make_photo(7, Sex.MALE),
        qr_token=encode_token(key, CERT, payload),
    )


def rasterise(path: Path, page: int = 0) -> Image.Image:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return pdf[page].render(scale=DPI / 72).to_pil().convert("RGB")
    finally:
        pdf.close()


def page_text(path: Path, page: int = 0) -> str:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return pdf[page].get_textpage().get_text_range()
    finally:
        pdf.close()


def ink(image: Image.Image) -> Image.Image:
    """1 where the page is darker than light grey, as a mode-L mask."""
    return image.convert("L").point(lambda v: 255 if v < 160 else 0)


def test_full_certificate_qr_decodes_at_300_dpi(tmp_path, item, key):
    path = tmp_path / "full.pdf"
    assert render_certificates([item], path, mode="full") == 1
    image = rasterise(path)
    assert abs(image.size[0] - 210 * PX_PER_MM) <= 1 and abs(image.size[1] - 297 * PX_PER_MM) <= 1
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(found) == 1
    assert found[0].text == item.qr_token
    payload = decode_token(found[0].text, {key_id(key.public_key()): key.public_key()}, CERT)
    assert payload == {
        "v": 1,
        "no": NUMBER,
        "name": "王𠇔明",
        "id": "220102********001X",
        "occ": "6-31-01-03",
        "lvl": 3,
        "date": "2025-06-03",
    }


def test_full_certificate_shows_every_field(tmp_path, item):
    path = tmp_path / "full.pdf"
    render_certificates([item], path, mode="full")
    text = page_text(path).replace("\r", "").replace("\n", "")
    for expected in (
        "王",
        ID_NUMBER,  # the holder's own document shows the full number
        "居民身份证",
        "电工（6-31-01-03）",
        "三级/高级工",
        NUMBER,
        "2025年6月3日",
        "长春市测试职业技能培训学校",
        "http://www.osta.org.cn",
        "评价机构（盖章）",
        "证书查询",
    ):
        assert expected in text, expected
    assert "--" in text  # no work type
    for ch in "职业技能等级证书":
        assert ch in text


def test_fonts_are_embedded(tmp_path, item):
    path = tmp_path / "full.pdf"
    render_certificates([item], path, mode="full")
    raw = path.read_bytes()
    assert raw.count(b"/FontFile2") >= 3  # body, heading and the Extension B fallback for 𠇔
    for name in (b"+NotoSerifSC", b"+NotoSansSC", b"+JlexamExtB"):  # subsets: AAAAAA+<PostScript name>
        assert b"/BaseFont /" in raw and name in raw
    assert b"STSong-Light" not in raw


def test_blank_mode_prints_only_the_variable_parts_at_the_same_places(tmp_path, item):
    full, blank = tmp_path / "full.pdf", tmp_path / "blank.pdf"
    render_certificates([item], full, mode="full")
    render_certificates([item], blank, mode="blank")
    text = page_text(blank)
    assert NUMBER in text and ID_NUMBER in text
    assert "证书查询" not in text and "评价机构（盖章）" not in text and "姓" not in text.replace("王", "")
    # every dark pixel of the blank print is dark on the full certificate too: same positions
    blank_ink = ink(rasterise(blank))
    full_ink = ink(rasterise(full))
    outside = ImageChops.subtract(blank_ink, full_ink)
    blank_count = blank_ink.histogram()[255]
    outside_count = outside.histogram()[255]
    assert blank_count > 10_000
    assert outside_count / blank_count < 0.01


@pytest.mark.parametrize("offset", [(4.0, 2.5), (-3.0, -1.5), (0.0, 6.0)])
def test_blank_mode_shifts_by_the_offset(tmp_path, item, offset):
    base, moved = tmp_path / "a.pdf", tmp_path / "b.pdf"
    render_certificates([item], base, mode="blank")
    render_certificates([item], moved, mode="blank", offset_mm=offset)
    box0 = ink(rasterise(base)).getbbox()
    box1 = ink(rasterise(moved)).getbbox()
    dx, dy = offset[0] * PX_PER_MM, offset[1] * PX_PER_MM  # right and down
    for a, b, d in zip(box0, box1, (dx, dy, dx, dy), strict=True):
        assert abs((b - a) - d) <= 2, (box0, box1, offset)
    # the QR code still decodes after the shift
    assert (
        zxingcpp.read_barcodes(rasterise(moved), formats=zxingcpp.BarcodeFormat.QRCode)[0].text
        == item.qr_token
    )


def test_several_certificates_one_page_each(tmp_path, item):
    others = [replace(item, name=n, photo_jpeg=None) for n in ("李四", "欧阳娜娜")]
    path = tmp_path / "many.pdf"
    assert render_certificates([item, *others], path, mode="full") == 3
    assert "欧阳娜娜" in page_text(path, 2)
    assert "照片" in page_text(path, 1)  # a missing photo leaves its frame marked on plain paper


def test_long_values_are_shrunk_or_wrapped_to_fit(tmp_path, item):
    institution = "吉林省长春市某某区某某街道某某职业技能培训学校有限责任公司第二分校"
    occupation = "工业机器人系统运维员（6-31-07-03）智能制造装备安装调试与维护方向"
    long = replace(item, institution=institution, occupation=occupation)
    path = tmp_path / "long.pdf"
    render_certificates([long], path, mode="full")
    text = page_text(path).replace("\r", "").replace("\n", "")
    assert institution in text and occupation in text
    pdf = pdfium.PdfDocument(str(path))
    page = pdf[0]
    textpage = page.get_textpage()
    limit = 182.5 * 72 / 25.4  # the right end of the value lines
    for i in range(textpage.count_chars()):
        _left, _bottom, right, _top = textpage.get_charbox(i)
        assert right <= limit, "a value runs past its line"
    pdf.close()


def test_refusals(tmp_path, item):
    with pytest.raises(ValidationError, match="二维码"):
        render_certificates([replace(item, qr_token="")], tmp_path / "x.pdf")
    with pytest.raises(ValidationError, match="偏移"):
        render_certificates([item], tmp_path / "x.pdf", mode="blank", offset_mm=(40, 0))
    with pytest.raises(ValidationError, match="没有要打印"):
        render_certificates([], tmp_path / "x.pdf")
    with pytest.raises(ValueError):
        render_certificates([item], tmp_path / "x.pdf", mode="draft")  # type: ignore[arg-type]
    assert not (tmp_path / "x.pdf").exists()


def _red_near(image: Image.Image, x_mm: float, y_mm: float, radius_px: int = 3) -> bool:
    cx, cy = round(x_mm * PX_PER_MM), round(y_mm * PX_PER_MM)
    for x in range(cx - radius_px, cx + radius_px + 1):
        for y in range(cy - radius_px, cy + radius_px + 1):
            r, g, b = image.getpixel((x, y))
            if r - g > 60 and r - b > 60:
                return True
    return False


def test_calibration_page_crosshairs_at_known_positions(tmp_path):
    path = tmp_path / "cal.pdf"
    render_calibration_page(path)
    image = rasterise(path)
    for x, y in ((30, 30), (180, 30), (105, 148.5), (30, 267), (180, 267)):
        assert _red_near(image, x, y), (x, y)
    assert not _red_near(image, 99, 142.5)  # off the crosshair's arms
    assert "证书打印校准页" in page_text(path)

    render_calibration_page(path, (3.0, 2.0))
    shifted = rasterise(path)
    assert _red_near(shifted, 108, 150.5)
    assert "向右 +3.0 mm，向下 +2.0 mm" in page_text(path)
