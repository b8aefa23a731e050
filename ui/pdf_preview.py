"""Preview of a PDF document (QtPdf) with print through the Qt print dialog and save-as.

Every document jlexam produces (tickets, certificates, lists, reports) opens here first. Printing renders
each page with ``QPdfDocument.render`` at the printer's resolution and draws it at the paper's origin, shifted
by the printer's calibration offset (``jlexam.services.settings``), so pre-printed blanks line up.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QPointF, QSize, QStandardPaths
from PySide6.QtGui import QKeySequence, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from jlexam.services.base import Actor
from ui.errors import show_error
from ui.widgets import primary

MM_PER_INCH = 25.4


def calibration_for(actor: Actor | None, printer_name: str) -> tuple[float, float]:
    if actor is None or not printer_name:
        return 0.0, 0.0
    from jlexam.services.settings import printer_offset

    offset = printer_offset(actor, printer_name)
    return offset.x_mm, offset.y_mm


def print_document(document: QPdfDocument, printer: QPrinter, offset_mm: tuple[float, float] = (0.0, 0.0),
                   pages: list[int] | None = None) -> int:
    """Draw the pages on ``printer`` at true size, shifted by ``offset_mm``; returns the pages printed."""
    painter = QPainter()
    if not painter.begin(printer):
        raise RuntimeError("printer could not be started")
    try:
        dpi_x, dpi_y = printer.logicalDpiX(), printer.logicalDpiY()
        paper = printer.paperRect(QPrinter.Unit.DevicePixel)
        page_rect = printer.pageRect(QPrinter.Unit.DevicePixel)
        # Draw relative to the paper's edge, not to the printable area's, so positions are true to the PDF.
        origin = QPointF(paper.left() - page_rect.left() + offset_mm[0] / MM_PER_INCH * dpi_x,
                         paper.top() - page_rect.top() + offset_mm[1] / MM_PER_INCH * dpi_y)
        chosen = pages if pages is not None else list(range(document.pageCount()))
        for n, index in enumerate(chosen):
            if n:
                printer.newPage()
            size_pt = document.pagePointSize(index)
            size = QSize(round(size_pt.width() / 72 * dpi_x), round(size_pt.height() / 72 * dpi_y))
            image = document.render(index, size)
            painter.drawImage(origin, image)
        return len(chosen)
    finally:
        painter.end()


class PdfPreview(QDialog):
    """``PdfPreview(path, actor=..., title=...)``: zoom, page through, print, save as."""

    def __init__(self, path: Path | str, *, actor: Actor | None = None, title: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.actor = actor
        self.setWindowTitle(title or self.tr("预览 — %1").replace("%1", self.path.name))
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self.view.setStyleSheet("background: #6b7280;")

        bar = QHBoxLayout()
        self.print_button = primary(QPushButton(self.tr("打印…")))
        self.print_button.setToolTip(self.tr("打印（Ctrl+P）"))
        self.save_button = QPushButton(self.tr("另存为…"))
        self.save_button.setToolTip(self.tr("另存为（Ctrl+S）"))
        zoom_out = QPushButton("−")
        zoom_in = QPushButton("+")
        fit_width = QPushButton(self.tr("适合宽度"))
        fit_page = QPushButton(self.tr("整页"))
        for b in (zoom_out, zoom_in):
            b.setFixedWidth(36)
        self.page = QSpinBox()
        self.page.setMinimum(1)
        self.page_count = QLabel()
        bar.addWidget(QLabel(self.tr("页码")))
        bar.addWidget(self.page)
        bar.addWidget(self.page_count)
        bar.addSpacing(16)
        bar.addWidget(zoom_out)
        bar.addWidget(zoom_in)
        bar.addWidget(fit_width)
        bar.addWidget(fit_page)
        bar.addStretch(1)
        bar.addWidget(self.save_button)
        bar.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

        zoom_in.clicked.connect(lambda: self._zoom(1.25))
        zoom_out.clicked.connect(lambda: self._zoom(0.8))
        fit_width.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth))
        fit_page.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitInView))
        self.page.valueChanged.connect(lambda n: self.view.pageNavigator().jump(n - 1, QPointF(), 0))
        self.view.pageNavigator().currentPageChanged.connect(lambda n: self.page.setValue(n + 1))
        self.print_button.clicked.connect(self.print_)
        self.save_button.clicked.connect(self.save_as)
        QShortcut(QKeySequence.StandardKey.Print, self, self.print_)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save_as)
        QShortcut(QKeySequence.StandardKey.ZoomIn, self, lambda: self._zoom(1.25))
        QShortcut(QKeySequence.StandardKey.ZoomOut, self, lambda: self._zoom(0.8))

        error = self.document.load(str(self.path))
        if error != QPdfDocument.Error.None_:
            self.page_count.setText(self.tr("无法打开文件：%1").replace("%1", str(self.path)))
            self.print_button.setEnabled(False)
        self.page.setMaximum(max(1, self.document.pageCount()))
        self.page_count.setText(self.tr("/ 共 %1 页").replace("%1", str(self.document.pageCount())))
        self.resize(900, 1000)

    def _zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.2, min(5.0, self.view.zoomFactor() * factor)))

    def print_(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.path.stem)
        printer.setFullPage(True)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("打印 %1").replace("%1", self.path.name))
        dialog.setMinMax(1, max(1, self.document.pageCount()))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        pages = None
        if printer.printRange() == QPrinter.PrintRange.PageRange:
            pages = list(range(printer.fromPage() - 1, printer.toPage()))
        try:
            offset = calibration_for(self.actor, printer.printerName())
            print_document(self.document, printer, offset, pages)
        except Exception as exc:  # shown with details; the document itself is unchanged
            show_error(self, exc)

    def save_as(self) -> None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        target, _filter = QFileDialog.getSaveFileName(self, self.tr("另存为"), str(Path(folder) / self.path.name),
                                                      self.tr("PDF 文件 (*.pdf)"))
        if not target:
            return
        if not target.lower().endswith(".pdf"):
            target += ".pdf"
        try:
            shutil.copyfile(self.path, target)
        except OSError as exc:
            from jlexam.errors import StorageError

            show_error(self, StorageError(self.tr("无法保存到 %1：%2。请换一个文件夹或检查磁盘空间。")
                                          .replace("%1", target).replace("%2", exc.strerror or str(exc))))


def write_calibration_page(path: Path, printer: str, offset: tuple[float, float]) -> Path:
    """A one-page A4 test sheet: a 10 mm grid and crosses at 20 mm from the top left, to measure the offset."""
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QColor, QFont, QPageLayout, QPageSize, QPdfWriter, QPen

    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    writer.setResolution(300)
    writer.setTitle("jlexam calibration")
    painter = QPainter(writer)
    mm = 300 / MM_PER_INCH
    painter.setPen(QPen(QColor("#9aa5b1"), 1))
    for x in range(0, 211, 10):
        painter.drawLine(QPointF(x * mm, 0), QPointF(x * mm, 297 * mm))
    for y in range(0, 298, 10):
        painter.drawLine(QPointF(0, y * mm), QPointF(210 * mm, y * mm))
    painter.setPen(QPen(QColor("#b42318"), 4))
    for cx, cy in ((20, 20), (190, 20), (20, 277), (190, 277), (105, 148.5)):
        painter.drawLine(QPointF((cx - 5) * mm, cy * mm), QPointF((cx + 5) * mm, cy * mm))
        painter.drawLine(QPointF(cx * mm, (cy - 5) * mm), QPointF(cx * mm, (cy + 5) * mm))
    painter.setPen(QPen(QColor("#1f2933"), 1))
    font = QFont()
    font.setPointSizeF(11)
    painter.setFont(font)
    painter.drawText(QPointF(30 * mm, 40 * mm), f"Calibration / 打印机校准页  —  {printer}")
    painter.drawText(QPointF(30 * mm, 48 * mm), f"X {offset[0]:+.1f} mm   Y {offset[1]:+.1f} mm")
    painter.drawText(QPointF(30 * mm, 56 * mm),
                     "红色十字应距纸边 20 mm；量出实际距离，差值即为需要填写的偏移。")
    painter.end()
    return path
