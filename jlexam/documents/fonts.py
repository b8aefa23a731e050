"""The bundled Chinese fonts, and drawing text with them so that rare name characters still show.

Three TrueType fonts ship in ``resources/fonts`` (sources and licences in ``resources/fonts/LICENSES.md``):

- ``BODY`` (NotoSerifSC-Regular.ttf): 宋体 for body text and names; all of GB 18030's two-byte set, the
  whole URO and Extension A, with Simplified Chinese glyph shapes;
- ``HEADING`` (NotoSansSC-Regular.ttf): 黑体 for titles and table heads; 26 rare URO and Extension A
  characters short of ``BODY``, which fills them in;
- ``FALLBACK`` (JlexamExtB-Regular.ttf): CJK Extension B (all of it up to Unicode 12, U+2A6D6) and the
  compatibility ideographs the other two lack, e.g. 𠇔 U+201D4 and 𡈼 U+2123C in names; Japanese Mincho
  shapes (HanaMin), the closest free match for these characters.

PDFs embed them as subsets (reportlab's default for TrueType), so a document prints the same on a PC without
any Chinese font. reportlab has no font fallback of its own: a character missing from the font is drawn as an
empty box. :func:`split_runs` cuts text into runs that each font can draw; :func:`draw_text`,
:func:`text_width` and :func:`para_markup` use it, and every renderer should draw user data through them,
never with ``canvas.drawString`` directly.

This module must not import Qt: the windows register :func:`font_files` with ``QFontDatabase`` themselves
(families :data:`QT_FAMILIES`).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from jlexam.errors import StorageError
from jlexam.paths import resource

BODY = "JlexamSong"
HEADING = "JlexamHei"
FALLBACK = "JlexamExtB"

_FILES: dict[str, str] = {
    BODY: "NotoSerifSC-Regular.ttf",
    HEADING: "NotoSansSC-Regular.ttf",
    FALLBACK: "JlexamExtB-Regular.ttf",
}

# The family names the files carry, as QFontDatabase reports them.
QT_FAMILIES: Mapping[str, str] = {
    BODY: "Noto Serif SC",
    HEADING: "Noto Sans SC",
    FALLBACK: "Jlexam ExtB",
}

# Fonts tried after the requested one, in order: the Chinese fonts before the Japanese-shaped fallback.
_CHAIN = (BODY, HEADING, FALLBACK)

# Characters with no visible form. When the run's font lacks them they are left out rather than drawn as a
# box: variation selectors (also the ideographic ones, U+E0100..E01EF), zero-width space and joiners, BOM.
_INVISIBLE = frozenset(
    [*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0), 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF]
)

_lock = threading.Lock()
_registered = False

Align = Literal["left", "center", "right"]


def font_files() -> list[Path]:
    """The bundled font files: body, heading, fallback."""
    return [resource("fonts", name) for name in _FILES.values()]


def register_pdf_fonts() -> None:
    """Register the three fonts with reportlab under ``BODY``, ``HEADING`` and ``FALLBACK``; idempotent.

    Each is also registered as a font family for Paragraph's ``<b>`` and ``<i>``: the fonts have one weight
    and Chinese has no italics, so bold 宋体 becomes 黑体 (the usual Chinese emphasis) and everything
    else stays in its own face. Raises StorageError when a font file is missing from the installation.
    """
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        registered = set(pdfmetrics.getRegisteredFontNames())
        for name, filename in _FILES.items():
            if name in registered:
                continue
            path = resource("fonts", filename)
            if not path.is_file():
                raise StorageError(
                    f"找不到字体文件 {path}：打印文书需要随程序安装的字体。请重新安装本程序后再打印。"
                )
            pdfmetrics.registerFont(TTFont(name, str(path)))
        for name in _FILES:
            bold = HEADING if name == BODY else name
            pdfmetrics.registerFontFamily(name, normal=name, bold=bold, italic=name, boldItalic=bold)
        _fix_to_unicode()
        _forbid_line_start_punctuation()
        _registered = True


# Chinese punctuation that must not begin a line (GB/T 15834 and common 避头 practice); reportlab's list is
# Japanese and lacks the full-width comma, semicolon, colon, marks and closing quotes.
NO_LINE_START = "，。、；：！？）》〉】」』”’…％·"


def _forbid_line_start_punctuation() -> None:
    """Let Chinese punctuation hang at the end of a line instead of starting the next (避头点).

    ``Paragraph`` with ``wordWrap="CJK"`` keeps a character of ``ALL_CANNOT_START`` on the line it ends:
    reportlab.lib.textsplit uses its own copy for plain text, and reportlab.platypus.paragraph binds another
    at import for text with markup, so both are extended.
    """
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    for module in (textsplit, paragraph):
        missing = "".join(c for c in NO_LINE_START if c not in module.ALL_CANNOT_START)
        if missing:
            module.ALL_CANNOT_START += missing


def _fix_to_unicode() -> None:
    """Make the text of Extension B characters copyable and searchable in our PDFs.

    reportlab (up to 5.1 at least) writes a character beyond U+FFFF into a subset's ToUnicode CMap as five
    hex digits (``<201D4>``), which readers take as U+201D, so 𠇔 would be copied and found as ”. The PDF
    format wants UTF-16BE there (``<D840DDD4>``). Replace the function while reportlab still has the fault.
    """
    if "<201D4>" not in ttfonts.makeToUnicodeCMap("probe", [0x201D4]):
        return
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's makeToUnicodeCMap with each code point written as UTF-16BE."""
    pairs = [f"<{i:02X}> <{chr(cp).encode('utf-16-be').hex().upper()}>" for i, cp in enumerate(subset)]
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({fontname})",
            f"/Ordering ({fontname})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{fontname} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            f"{len(subset)} beginbfchar",
            *pairs,
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


@cache
def _charset(font: str) -> Mapping[int, object] | frozenset[int]:
    """Code points ``font`` can draw: the cmap of a TrueType font, Latin-1 for reportlab's standard fonts."""
    register_pdf_fonts()
    face = getattr(pdfmetrics.getFont(font), "face", None)
    char_to_glyph = getattr(face, "charToGlyph", None)
    if isinstance(char_to_glyph, dict):
        return char_to_glyph
    return frozenset(range(0x20, 0x7F)) | frozenset(range(0xA0, 0x100))


def _chain(font: str) -> tuple[str, ...]:
    return (font, *(f for f in _CHAIN if f != font))


def split_runs(text: str, font: str = BODY) -> list[tuple[str, str]]:
    """Cut ``text`` into ``(font name, run)`` pairs: each character goes to ``font`` if it has the glyph, else
    to the first of ``BODY``, ``HEADING``, ``FALLBACK`` that has it; one that none has stays with ``font``
    (and prints as its empty box). Invisible characters the font lacks are dropped. Adjacent characters of
    one font form one run; empty text gives ``[]``.
    """
    main = _charset(font)
    if all(ord(ch) in main for ch in text):  # the usual case: one run
        return [(font, text)] if text else []
    chain = [(name, _charset(name)) for name in _chain(font)]
    runs: list[tuple[str, list[str]]] = []
    for ch in text:
        cp = ord(ch)
        if cp in main:
            chosen = font
        elif cp in _INVISIBLE:
            continue
        else:
            chosen = next((name for name, chars in chain if cp in chars), font)
        if runs and runs[-1][0] == chosen:
            runs[-1][1].append(ch)
        else:
            runs.append((chosen, [ch]))
    return [(name, "".join(chars)) for name, chars in runs]


def text_width(text: str, font: str = BODY, size: float = 12) -> float:
    """Width in points of ``text`` as :func:`draw_text` draws it."""
    return sum(pdfmetrics.stringWidth(run, name, size) for name, run in split_runs(text, font))


def draw_text(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    font: str = BODY,
    size: float = 12,
    align: Align = "left",
) -> float:
    """Draw one line of ``text`` with its baseline at ``y``, falling back per character; return its width.

    ``align`` says what ``x`` is: the left end, the centre or the right end of the line. The canvas's current
    font, and everything else in its graphics state, is left as it was.
    """
    if align not in ("left", "center", "right"):
        raise ValueError(f"align must be 'left', 'center' or 'right', not {align!r}")
    runs = split_runs(text, font)
    if not runs:
        return 0.0
    total = sum(pdfmetrics.stringWidth(run, name, size) for name, run in runs)
    if align == "center":
        x -= total / 2
    elif align == "right":
        x -= total
    canvas.saveState()  # the Tf operators below would otherwise outlive the text object
    obj = canvas.beginText(x, y)
    for name, run in runs:
        obj.setFont(name, size)
        obj.textOut(run)
    canvas.drawText(obj)
    canvas.restoreState()
    return total


def para_markup(text: str, font: str = BODY) -> str:
    """``text`` as reportlab Paragraph markup, escaped, with runs ``font`` lacks wrapped in ``<font name=..>``.

    The Paragraph's style must use ``font`` as its ``fontName``; Chinese text also wants
    ``wordWrap="CJK"`` there so lines may break between any two characters.
    """
    parts = []
    for name, run in split_runs(text, font):
        escaped = escape(run)
        parts.append(escaped if name == font else f'<font name="{name}">{escaped}</font>')
    return "".join(parts)
