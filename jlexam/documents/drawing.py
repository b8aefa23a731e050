"""Drawing shared by the printed documents: photos embedded as they are (a JPEG is stored once, not re-encoded)."""

from __future__ import annotations

import hashlib
import io

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
