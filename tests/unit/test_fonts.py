"""The bundled CJK fonts: embedding, and per-character fallback for rare name characters (𠇔, 𡈼)."""

from __future__ import annotations

import io
import itertools
import re

import pypdfium2 as pdfium
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, ImageChops
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from jlexam.documents import fonts
from jlexam.documents.fonts import BODY, FALLBACK, HEADING

RARE = "\U000201d4\U0002123c"  # 𠇔 𡈼, Extension B characters found in personal names
PUA = "\ue000"  # in none of the fonts: drawn as the .notdef box
DPI = 150
SCALE = DPI / 72
BIG = 96  # point size of the characters whose ink is measured


def cmap(font: str) -> dict[int, int]:
    fonts.register_pdf_fonts()
    return pdfmetrics.getFont(font).face.charToGlyph


def test_font_files_are_truetype() -> None:
    files = fonts.font_files()
    assert [f.name for f in files] == [
        "NotoSerifSC-Regular.ttf",
        "NotoSansSC-Regular.ttf",
        "JlexamExtB-Regular.ttf",
    ]
    for f in files:
        with f.open("rb") as fh:
            assert fh.read(4) == b"\x00\x01\x00\x00", f"{f.name} must have TrueType (glyf) outlines"


def test_register_is_idempotent() -> None:
    fonts.register_pdf_fonts()
    fonts.register_pdf_fonts()
    assert {BODY, HEADING, FALLBACK} <= set(pdfmetrics.getRegisteredFontNames())


def test_coverage() -> None:
    gb2312 = []
    for cp in range(0x80, 0x10000):
        try:
            chr(cp).encode("gb2312")
        except UnicodeEncodeError:
            continue
        gb2312.append(cp)
    for font in (BODY, HEADING):
        assert set(gb2312) <= set(cmap(font))
        assert set(range(0x4E00, 0x9FA6)) <= set(cmap(font))  # every ideograph of GBK / GB 18030 two-byte
    for ch in RARE:
        assert ord(ch) not in cmap(BODY)
        assert ord(ch) not in cmap(HEADING)
        assert ord(ch) in cmap(FALLBACK)
    # Extension B as of Unicode 12 (HanaMin predates the nine characters U+2A6D7..2A6DF added since).
    assert set(range(0x20000, 0x2A6D7)) <= set(cmap(FALLBACK)) | set(cmap(BODY))


def test_common_text_is_one_run() -> None:
    assert fonts.split_runs("吉林省职业技能等级认定 2024", BODY) == [(BODY, "吉林省职业技能等级认定 2024")]
    assert fonts.split_runs("准考证", HEADING) == [(HEADING, "准考证")]
    assert fonts.split_runs("", BODY) == []


def test_rare_characters_go_to_the_fallback() -> None:
    assert fonts.split_runs("王𠇔李𡈼", BODY) == [
        (BODY, "王"),
        (FALLBACK, "𠇔"),
        (BODY, "李"),
        (FALLBACK, "𡈼"),
    ]
    assert fonts.split_runs("𠇔𡈼", HEADING) == [(FALLBACK, "𠇔𡈼")]


def test_character_no_font_has_stays_with_the_main_font() -> None:
    assert fonts.split_runs(f"王{PUA}", BODY) == [(BODY, f"王{PUA}")]


def test_invisible_characters_the_font_lacks_are_dropped() -> None:
    assert 0xFE00 not in cmap(BODY)
    assert fonts.split_runs("王\ufe00李\u200b", BODY) == [(BODY, "王李")]


def test_standard_font_falls_back_to_the_chinese_fonts() -> None:
    assert fonts.split_runs("No. 王𠇔", "Helvetica") == [
        ("Helvetica", "No. "),
        (BODY, "王"),
        (FALLBACK, "𠇔"),
    ]


@given(st.text(alphabet=st.sampled_from("王李 a1，𠇔𡈼㐀﨑≒\ue000")))
def test_runs_rebuild_the_text_with_fonts_that_have_the_glyphs(text: str) -> None:
    for font in (BODY, HEADING):
        runs = fonts.split_runs(text, font)
        assert "".join(run for _, run in runs) == text
        assert all(run for _, run in runs)
        assert all(a[0] != b[0] for a, b in itertools.pairwise(runs))
        for name, run in runs:
            for ch in run:
                assert ord(ch) in cmap(name) or (name == font and ch == "\ue000")


def test_text_width() -> None:
    assert fonts.text_width("王𠇔", BODY, 10) == pytest.approx(20)
    assert fonts.text_width("", BODY, 10) == 0
    assert fonts.text_width("ab 王", HEADING, 12) == pytest.approx(
        pdfmetrics.stringWidth("ab 王", HEADING, 12)
    )


def test_para_markup_escapes_and_wraps_fallback_runs() -> None:
    assert fonts.para_markup("<王𠇔> & 李", BODY) == f'&lt;王<font name="{FALLBACK}">𠇔</font>&gt; &amp; 李'
    assert fonts.para_markup("准考证", HEADING) == "准考证"


def test_draw_text_alignment_and_bad_align() -> None:
    canvas = Canvas(io.BytesIO())
    width = fonts.text_width("王𠇔 No.1", BODY, 12)
    for align in ("left", "center", "right"):
        assert fonts.draw_text(canvas, 100, 100, "王𠇔 No.1", BODY, 12, align) == pytest.approx(width)
    assert fonts.draw_text(canvas, 100, 100, "", BODY, 12) == 0
    with pytest.raises(ValueError):
        fonts.draw_text(canvas, 100, 100, "王", BODY, 12, "justify")  # type: ignore[arg-type]


def test_draw_text_leaves_the_canvas_font_alone() -> None:
    canvas = Canvas(io.BytesIO())
    canvas.setFont("Helvetica", 9)
    fonts.draw_text(canvas, 10, 10, "王𠇔", HEADING, 20)
    assert (canvas._fontname, canvas._fontsize) == ("Helvetica", 9)


# ---- a real page, rendered ------------------------------------------------------------------------------

# Boxes (left x, baseline y in PDF points) of characters drawn alone at BIG points.
# Multiples of 12 pt land on whole pixels at 150 dpi, so equal glyphs give equal pixels in every slot.
SLOTS = {
    "rare0": (36, 564),
    "rare1": (156, 564),
    "common": (276, 564),
    "notdef": (396, 564),
    "main_only": (36, 420),  # 𠇔 drawn with the main font alone: what a broken fallback gives
    "heading_rare": (156, 420),
    "para_rare": (276, 420),
}


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    fonts.register_pdf_fonts()
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=A4)
    _, height = A4
    fonts.draw_text(canvas, 297, height - 60, "吉林省职业技能等级认定准考证", HEADING, 22, "center")
    fonts.draw_text(canvas, 40, height - 100, "姓名：王𠇔　李𡈼　职业（工种）：电工　等级：四级", BODY, 12)
    style = ParagraphStyle("body", fontName=BODY, fontSize=12, leading=18, wordWrap="CJK")
    para = Paragraph(
        fonts.para_markup("考生王𠇔、李𡈼须持本准考证和身份证件按时到达考场 <第1考场> & 签到。"), style
    )
    _, h = para.wrap(500, 200)
    para.drawOn(canvas, 40, height - 130 - h)

    fonts.draw_text(canvas, *SLOTS["rare0"], RARE[0], BODY, BIG)
    fonts.draw_text(canvas, *SLOTS["rare1"], RARE[1], BODY, BIG)
    fonts.draw_text(canvas, *SLOTS["common"], "中", BODY, BIG)
    fonts.draw_text(canvas, *SLOTS["notdef"], PUA, BODY, BIG)
    canvas.setFont(BODY, BIG)
    canvas.drawString(*SLOTS["main_only"], RARE[0])
    fonts.draw_text(canvas, *SLOTS["heading_rare"], RARE[0], HEADING, BIG)
    big = ParagraphStyle("big", fontName=BODY, fontSize=BIG, leading=BIG)
    para = Paragraph(fonts.para_markup(RARE[0]), big)
    para.wrap(BIG * 2, BIG * 2)
    # One line with leading == fontSize: the baseline is fontSize below the top, i.e. at the bottom edge.
    para.drawOn(canvas, *SLOTS["para_rare"])
    canvas.showPage()
    canvas.save()
    return buf.getvalue()


@pytest.fixture(scope="module")
def page_image(sample_pdf: bytes) -> Image.Image:
    pdf = pdfium.PdfDocument(sample_pdf)
    try:
        return pdf[0].render(scale=SCALE).to_pil().convert("L")
    finally:
        pdf.close()


def box(image: Image.Image, slot: str) -> Image.Image:
    x, y = SLOTS[slot]
    top = A4[1] - (y + 0.9 * BIG)
    bottom = A4[1] - (y - 0.15 * BIG)
    return image.crop((round(x * SCALE), round(top * SCALE), round((x + BIG) * SCALE), round(bottom * SCALE)))


def ink(image: Image.Image) -> float:
    """Share of dark pixels."""
    dark = image.point(lambda v: 255 if v < 128 else 0).histogram()[255]
    return dark / (image.width * image.height)


def difference(a: Image.Image, b: Image.Image) -> float:
    """Share of pixels where two same-sized images differ clearly."""
    return ink(ImageChops.invert(ImageChops.difference(a, b)))


def test_pdf_embeds_the_fonts(sample_pdf: bytes) -> None:
    for base in (b"NotoSerifSC-Regular", b"NotoSansSC-Regular", b"JlexamExtB-Regular"):
        assert b"+" + base in sample_pdf, f"{base.decode()} is not embedded as a subset"
    assert sample_pdf.count(b"/FontFile2") >= 3
    assert sample_pdf.count(b"/FontFile2") == sample_pdf.count(b"/Type /FontDescriptor")
    # Every font is an embedded subset ("ABCDEF+Name"), but the Helvetica every reportlab canvas starts with.
    base_fonts = set(re.findall(rb"/BaseFont /([^\s/>\]]+)", sample_pdf))
    assert {f for f in base_fonts if b"+" not in f} <= {b"Helvetica"}
    assert b"STSong" not in sample_pdf
    assert b"/Type0" not in sample_pdf  # no CID font


def test_pdf_text_can_be_extracted(sample_pdf: bytes) -> None:
    pdf = pdfium.PdfDocument(sample_pdf)
    try:
        text = pdf[0].get_textpage().get_text_range()
    finally:
        pdf.close()
    assert "王𠇔" in text
    assert "李𡈼" in text
    assert "准考证" in text


def test_rare_characters_have_real_ink(page_image: Image.Image) -> None:
    # Measured: the same glyph in two slots differs in under 2% of the box, two different glyphs in over 25%.
    same, other = 0.05, 0.15
    notdef = box(page_image, "notdef")
    # The check can tell a missing glyph: the main font alone draws 𠇔 as its .notdef box, with much ink.
    assert ink(notdef) > 0.1
    assert difference(box(page_image, "main_only"), notdef) < same
    common = box(page_image, "common")
    assert ink(common) > 0.05 and difference(common, notdef) > other
    for slot in ("rare0", "rare1", "heading_rare", "para_rare"):
        glyph = box(page_image, slot)
        assert ink(glyph) > 0.05, f"{slot}: no ink"
        assert difference(glyph, notdef) > other, f"{slot}: drawn as the missing-glyph box"
    rare0 = box(page_image, "rare0")
    assert difference(rare0, box(page_image, "rare1")) > other
    assert difference(rare0, box(page_image, "heading_rare")) < same
    assert difference(rare0, box(page_image, "para_rare")) < same


def test_chinese_punctuation_never_starts_a_line() -> None:
    from reportlab.platypus import Paragraph

    from jlexam.documents.base import styles
    from jlexam.documents.fonts import NO_LINE_START, register_pdf_fonts, text_width

    register_pdf_fonts()
    style = styles()["body"]
    plain = "考生对成绩有异议的，可在公示期内提出；评价机构在五个工作日内答复：逾期不予受理！" * 3
    marked = plain.replace("公示期", "<b>公示期</b>")  # markup takes reportlab's other wrapping path
    starts = []
    # Every width from 8 to 30 characters: some of them would put a mark first on a line without the rule.
    for text in (plain, marked):
        for chars in range(8, 31):
            width = text_width("测" * chars, style.fontName, style.fontSize) + 0.5
            para = Paragraph(text, style)
            para.wrap(width, 10_000)
            lines = para.blPara.lines
            assert len(lines) > 1
            starts += [_line_text(line)[:1] for line in lines[1:]]
    assert len(starts) > 100
    assert not [c for c in starts if c in NO_LINE_START]


def _line_text(line: object) -> str:
    """The text of one wrapped line: (space, [words]) for plain text, a line of glyphs for markup."""
    if isinstance(line, tuple):
        return "".join(line[1])
    return "".join(str(w) for w in line.words)
