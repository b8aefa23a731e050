"""Drawing shared by the printed documents: photos embedded as they are (a JPEG is stored once, not
re-encoded) and QR codes drawn as one vector path (crisp at any print resolution)."""

from __future__ import annotations

import hashlib
import io

import zxingcpp
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas


def draw_photo(canvas: Canvas, data: bytes, x: float, y: float, w: float, h: float) -> None:
    """Place a JPEG as it is (DCTDecode, stored once per distinct photo); other formats go through PIL."""
    name = "ph" + hashlib.sha1(data, usedforsecurity=False).hexdigest()[:24]
    doc = canvas._doc
    reg_name = doc.getXObjectName(name)
    if reg_name not in doc.idToObject:
        obj = pdfdoc.PDFImageXObject(name)
        if (
            data[:2] != b"\xff\xd8"
            or not obj.loadImageFromJPEG(io.BytesIO(data))
            or obj.colorSpace != "DeviceRGB"
        ):
            from reportlab.lib.utils import ImageReader

            canvas.drawImage(ImageReader(io.BytesIO(data)), x, y, w, h, preserveAspectRatio=True)
            return
        obj.name = name
        canvas._setXObjects(obj)
        doc.Reference(obj, reg_name)
        doc.addForm(name, obj)
    canvas._currentPageHasImages = 1
    canvas._formsinuse.append(name)
    canvas._code.append(f"q {w:.3f} 0 0 {h:.3f} {x:.3f} {y:.3f} cm /{reg_name} Do Q")


# --- QR codes ----------------------------------------------------------------------------------------------
def qr_matrix(text: str, ec_level: str = "M") -> tuple[int, int, bytes]:
    """(full size, quiet zone, modules) of the QR code of ``text`` (zxing-cpp: ~1 ms a code with its own
    mask choice, against ~25 ms for a pure-Python encoder trying all eight masks).

    ``modules`` holds full x full bytes row by row, 0 for a dark module; the symbol is full - 2 * quiet
    modules wide, inside a quiet zone of ``quiet`` modules.
    """
    image = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level=ec_level).to_image(
        scale=1, add_quiet_zones=True
    )
    full = image.shape[0]
    modules = bytes(memoryview(image))
    quiet = modules.index(b"\x00") // full  # the first dark module is the finder's corner
    return full, quiet, modules


_NUMBERS = tuple(str(i) for i in range(512))


def qr_path_ops(full: int, quiet: int, modules: bytes) -> str:
    """One PDF path filling the dark modules, one ``re`` per horizontal run, in module units with the
    origin at the symbol's bottom-left module. ``modules`` is a ``full`` x ``full`` matrix with a quiet zone
    (so no dark run crosses from one row into the next). One path filled once leaves no hairline seams
    between modules in any viewer."""
    numbers = _NUMBERS
    ops = []
    append = ops.append
    top = full - 1 - quiet
    position = 0
    for piece in modules.split(b"\xff"):
        if piece:
            row, column = divmod(position, full)
            append(f"{numbers[column - quiet]} {numbers[top - row]} {numbers[len(piece)]} 1 re")
            position += len(piece) + 1
        else:
            position += 1
    return "\n".join(ops)


def draw_qr(
    canvas: Canvas, text: str, x: float, y: float, side: float, *, quiet_modules: int = 4, ec_level: str = "M"
) -> None:
    """The QR code of ``text`` in the square (x, y, side) in points, bottom-left at (x, y).

    ``quiet_modules`` of white are kept inside the square on every side (4 is the standard's quiet zone);
    with 0 the symbol fills the square and the caller keeps the white around it.
    """
    full, quiet, modules = qr_matrix(text, ec_level)
    size = full - 2 * quiet
    unit = side / (size + 2 * quiet_modules)
    ox, oy = x + quiet_modules * unit, y + quiet_modules * unit
    canvas.addLiteral(
        f"q 0 g {unit:.5f} 0 0 {unit:.5f} {ox:.3f} {oy:.3f} cm\n{qr_path_ops(full, quiet, modules)}\nf Q"
    )
