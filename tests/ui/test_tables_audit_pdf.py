"""Tables filter and sort; the audit page searches and verifies; the PDF preview loads and prints."""

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter

from ui.tables import Column, TableView


@dataclass(frozen=True)
class Row:
    name: str
    level: int


def test_table_filters_by_all_words_and_sorts(qtbot):
    table = TableView([Column("姓名", lambda r: r.name), Column("等级", lambda r: r.level)])
    qtbot.addWidget(table)
    table.set_rows([Row("张三", 3), Row("李四", 5), Row("张四", 10)])
    table._on_search("张 四")
    table._apply_filter()
    assert table.proxy.rowCount() == 1
    assert table.count.text() == "显示 1 / 共 3 条"
    table._on_search("")
    table._apply_filter()
    table.proxy.sort(1, Qt.SortOrder.DescendingOrder)
    assert [table.proxy.index(r, 0).data() for r in range(3)] == ["张四", "李四", "张三"]  # 10 > 5 > 3 as numbers
    table.set_rows([])
    assert table.stack.currentWidget() is table.empty


def test_audit_page_search_and_verify(qtbot, gui_admin, make_window):
    window = make_window(gui_admin)
    window.navigation.select("audit")
    page = window.current_page()
    qtbot.waitUntil(lambda: page.table.model.rowCount() >= 2, timeout=5_000)  # create admin + login
    page.text.setText("登录成功")
    page.refresh()
    qtbot.waitUntil(lambda: page.table.model.rowCount() >= 1 and all(
        r.summary == "登录成功" for r in page.table.model.rows()), timeout=5_000)
    page.verify()
    qtbot.waitUntil(lambda: "完整无误" in page.result.label.text(), timeout=10_000)


def test_pdf_preview_loads_and_prints(qtbot, tmp_path, gui_admin):
    from ui.pdf_preview import PdfPreview, print_document, write_calibration_page

    pdf = write_calibration_page(tmp_path / "cal.pdf", "测试打印机", (1.5, -2.0))
    preview = PdfPreview(pdf, actor=gui_admin)
    qtbot.addWidget(preview)
    assert preview.document.pageCount() == 1
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert print_document(preview.document, printer, (1.5, -2.0)) == 1
    assert (tmp_path / "printed.pdf").stat().st_size > 1000
