"""What the bundled desktop program sees, for tests/e2e/test_bundle.py; inactive unless asked for.

When ``JLEXAM_BUNDLE_PROBE=<file>`` is set, installer/jlexam_gui.py calls :func:`install` before
``ui.app.main``: once the QApplication exists, a timer writes a JSON report to the file twice a second:

- ``windows``: the visible top-level windows (class, object name, title), e.g. the login dialog, or an error
  box that would otherwise sit silently on an offscreen screen;
- ``fonts``: the bundled font families Qt registered; ``image_formats``: the image plugins Qt found;
- ``qt_translation``: Qt's own Chinese translation (qtbase_zh_CN.qm) loads from the bundle;
- ``app_translation``: jlexam's English translation (resources/translations/jlexam_en.qm) loads;
- ``pdf_pages``: the pages QtPdf reads in ``JLEXAM_BUNDLE_PROBE_PDF`` (the preview's library), if set.

Nothing of this runs in normal use, and the program's behaviour is the same with it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

ENV = "JLEXAM_BUNDLE_PROBE"
ENV_PDF = "JLEXAM_BUNDLE_PROBE_PDF"


def install() -> None:
    path = os.environ.get(ENV)
    if not path:
        return
    import ui.app

    create_application = ui.app.create_application

    def create_and_probe(argv=None):  # type: ignore[no-untyped-def]
        from PySide6.QtCore import QTimer

        app = create_application(argv)
        timer = QTimer(app)
        timer.setInterval(500)
        timer.timeout.connect(lambda: _write(Path(path)))
        timer.start()
        return app

    ui.app.create_application = create_and_probe


def _write(path: Path) -> None:
    from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator
    from PySide6.QtGui import QFontDatabase, QImageReader
    from PySide6.QtWidgets import QApplication

    from jlexam.documents.fonts import QT_FAMILIES
    from jlexam.paths import resource

    report = {
        "windows": [
            {"class": type(w).__name__, "name": w.objectName(), "title": w.windowTitle()}
            for w in QApplication.topLevelWidgets()
            if w.isVisible()
        ],
        "fonts": sorted(set(QT_FAMILIES.values()) & set(QFontDatabase.families())),
        "image_formats": sorted(bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()),
        "qt_translation": QTranslator(QCoreApplication.instance()).load(
            "qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
        "app_translation": QTranslator(QCoreApplication.instance()).load(
            str(resource("translations", "jlexam_en.qm"))),
        "pdf_pages": _pdf_pages(os.environ.get(ENV_PDF)),
    }
    partial = path.with_name(path.name + ".part")
    partial.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    partial.replace(path)


def _pdf_pages(pdf: str | None) -> int | None:
    if not pdf:
        return None
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument()
    document.load(pdf)
    pages = document.pageCount()
    document.close()
    return pages
