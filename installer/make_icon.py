"""Render resources/icons/jlexam.svg into a Windows .ico (16 to 256 pixels) for the executables and setup.

Usage: ``python installer/make_icon.py OUT.ico`` (installer/jlexam.spec runs it on Windows). Qt draws the SVG
(no display needed: the offscreen platform), Pillow writes the icon file with every size in it.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)


def render(svg: Path, size: int) -> bytes:
    """The SVG drawn on a transparent ``size`` x ``size`` image, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"make_icon: {svg} is not a valid SVG file")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: make_icon.py OUT.ico", file=sys.stderr)
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(["make_icon"])  # noqa: F841 - Qt needs it to draw
    svg = Path(__file__).resolve().parent.parent / "resources" / "icons" / "jlexam.svg"
    largest = Image.open(io.BytesIO(render(svg, max(SIZES))))
    out = Path(argv[0])
    out.parent.mkdir(parents=True, exist_ok=True)
    largest.save(out, format="ICO", sizes=[(s, s) for s in SIZES])
    print(f"make_icon: wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
