"""The certificates page (证书, 002 §26-30): issue once the results are final (or see what blocks it), print the
certificates in full or on pre-printed blanks with the printer's calibration offset, reissue, correct and void
with a reason; and the blank-stock ledger (空白证书专人专账, 002 §27) with its balance and stock-takes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QDateTime
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from jlexam.domain.china_time import CHINA_TZ
from jlexam.domain.stock_ledger import EntryKind, LedgerEntry
from jlexam.services import certificates, publicity, stock
from jlexam.services.settings import list_printer_offsets, printer_offset
from ui.context import AppContext
from ui.labels import label
from ui.navigation import Stage
from ui.pages.base import gate
from ui.pages.sittings import RIGHT, TaskDialog, date_edit, offer_text
from ui.pages.work import WorkPage, preview, temp_pdf
from ui.tables import Column, TableView
from ui.tasks import Progress, run_task
from ui.widgets import Banner, Card, confirm, danger, primary

KIND_TEXT = {"original": "首次发证", "reissue": "补发", "correction": "更正"}
STATUS_TEXT = {"valid": "有效", "replaced": "已替换", "voided": "已作废"}
STATUS_COLOR = {"valid": "#1f7a4d", "replaced": "#7a8699", "voided": "#b42318"}
ISSUABLE = tuple(s.value for s in certificates.ISSUE_STATES)


@dataclass(frozen=True)
class Loaded:
    code: str | None
    state: str
    certificates: list[certificates.CertificateView]
    blockers: list[str]
    entries: list[LedgerEntry]
    balance: int
    printers: list[str]


def _load(actor, code: str | None, state: str, today: date, local: list[str]) -> Loaded:  # type: ignore[no-untyped-def]
    """Runs on the thread pool; ``local`` are this PC's printers (asked on the UI thread)."""
    entries, left = stock.ledger(actor)
    printers = sorted({*local, *(p.printer for p in list_printer_offsets(actor))})
    if code is None:
        return Loaded(None, "", [], [], entries, left, printers)
    certs = certificates.list_certificates(actor, code)
    blockers = [] if state in ISSUABLE or state in ("reported", "archived") else publicity.certification_blockers(actor, code, today)
    return Loaded(code, state, certs, blockers, entries, left, printers)


# --- dialogs ---------------------------------------------------------------------------------------------
class ReasonDialog(TaskDialog):
    """补发 / 作废: one certificate, a written reason, and for a reissue the new issue date."""

    def __init__(self, actor, cert: certificates.CertificateView, kind: str, today: date,  # type: ignore[no-untyped-def]
                 parent: QWidget | None = None) -> None:
        title = {"reissue": self.tr("补发证书"), "void": self.tr("作废证书")}[kind]
        super().__init__(title, title, parent)
        if kind == "void":
            danger(self.ok)
        self.actor, self.cert, self.kind = actor, cert, kind
        self.form.addRow(self.tr("证书"), QLabel(f"{cert.number}  {cert.name}"))
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(self.tr("例如：持证人遗失，本人申请补发") if kind == "reissue"
                                       else self.tr("例如：打印错误"))
        self.reason.setFixedHeight(80)
        self.form.addRow(self.tr("理由 *"), self.reason)
        self.issue_date = date_edit(today)
        if kind == "reissue":
            self.form.addRow(self.tr("发证日期"), self.issue_date)
        note = QLabel(self.tr("补发的证书使用新编号，原证书标记为已替换（002 第二十九条）。") if kind == "reissue"
                      else self.tr("作废的证书编号不再使用。"))
        note.setObjectName("Hint")
        note.setWordWrap(True)
        self.outer.addWidget(note)
        self.finish_layout()
        self.resize(520, 280)

    def work(self) -> Callable[[Progress], Any] | None:
        reason = self.reason.toPlainText().strip()
        if not reason:
            self.show_message(self.tr("补发须写明持证人的申请理由（如：遗失）。") if self.kind == "reissue"
                              else self.tr("作废证书须写明理由。"))
            return None
        actor, number, on = self.actor, self.cert.number, self.issue_date.date().toPython()
        if self.kind == "reissue":
            return lambda _p: certificates.reissue(actor, number, reason, on)
        return lambda _p: certificates.void(actor, number, reason)


class CorrectDialog(TaskDialog):
    """更正 (002 §30): the corrected name and/or ID number, with the reason and evidence."""

    def __init__(self, actor, cert: certificates.CertificateView, today: date, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(self.tr("更正证书"), self.tr("更正"), parent)
        self.actor, self.cert = actor, cert
        self.form.addRow(self.tr("证书"), QLabel(f"{cert.number}  {cert.name}  {cert.id_number_masked}"))
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("不更正则留空"))
        self.id_number = QLineEdit()
        self.id_number.setPlaceholderText(self.tr("不更正则留空"))
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(self.tr("例如：姓名录入错误，附户口簿复印件"))
        self.reason.setFixedHeight(70)
        self.issue_date = date_edit(today)
        self.form.addRow(self.tr("更正后姓名"), self.name)
        self.form.addRow(self.tr("更正后证件号码"), self.id_number)
        self.form.addRow(self.tr("理由和证明材料 *"), self.reason)
        self.form.addRow(self.tr("发证日期"), self.issue_date)
        self.finish_layout()
        self.resize(540, 320)

    def work(self) -> Callable[[Progress], Any] | None:
        actor, number = self.actor, self.cert.number
        name, id_number = self.name.text().strip() or None, self.id_number.text().strip() or None
        reason, on = self.reason.toPlainText().strip(), self.issue_date.date().toPython()
        return lambda _p: certificates.correct(actor, number, reason, on, name=name, id_number=id_number)


# --- the page --------------------------------------------------------------------------------------------
class CertificatesPage(WorkPage):
    def __init__(self, ctx: AppContext, stage: Stage, parent: QWidget | None = None) -> None:
        super().__init__(ctx, stage, parent)
        actor = ctx.actor
        self.can_issue = actor.can("certificates.issue")
        self.can_custody = actor.can("stock.custody")
        self.loaded: Loaded | None = None
        self.preview = None
        self.local_printers: list[str] | None = None
        self.tabs = QTabWidget()
        self.tabs.addTab(self._certificates_tab(), self.tr("证书"))
        self.tabs.addTab(self._ledger_tab(), self.tr("空白证书台账"))
        self.content.addWidget(self.tabs, 1)
        ctx.sitting_changed.connect(self.refresh)

    # --- building ---------------------------------------------------------------------------------------
    def _certificates_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 10, 0, 0)
        issue = Card(self.tr("发放证书"))
        self.issue_notes = QVBoxLayout()
        self.issue_notes.setSpacing(6)
        issue.body.addLayout(self.issue_notes)
        self.cert_banners: list[Banner] = []
        row = QHBoxLayout()
        self.issue_date_label = QLabel(self.tr("发证日期"))
        row.addWidget(self.issue_date_label)
        self.issue_date = date_edit(self.ctx.today())
        row.addWidget(self.issue_date)
        self.issue_button = primary(QPushButton(self.tr("为合格考生发放证书")))
        self.issue_button.setToolTip(self.tr("为成绩合格、尚无证书的考生生成证书编号（序号不重复使用）"))
        self.issue_button.clicked.connect(self.issue)
        row.addWidget(self.issue_button)
        row.addStretch(1)
        for w in (self.issue_date_label, self.issue_date, self.issue_button):  # the label goes with its field
            w.setVisible(self.can_issue)
        issue.body.addLayout(row)
        layout.addWidget(issue)

        card = Card(self.tr("本批次证书"))
        self.table = TableView(
            [
                Column(self.tr("证书编号"), lambda c: c.number, width=210),
                Column(self.tr("姓名"), lambda c: c.name, width=90),
                Column(self.tr("证件号码"), lambda c: c.id_number_masked, width=170),
                Column(self.tr("职业等级"), lambda c: offer_text(c.occupation_code, "", c.level), width=230),
                Column(self.tr("发证日期"), lambda c: c.issue_date, width=100),
                Column(self.tr("类别"), lambda c: label(KIND_TEXT.get(c.kind, c.kind)), width=80),
                Column(self.tr("状态"), lambda c: label(STATUS_TEXT.get(c.status, c.status)),
                       color=lambda c: STATUS_COLOR.get(c.status)),
            ],
            empty_text=self.tr("本批次尚未发证。"),
            placeholder=self.tr("按编号、姓名、状态筛选（Ctrl+F）"),
        )
        self.table.selection_changed.connect(self._update_buttons)
        card.body.addWidget(self.table, 1)
        printing = QHBoxLayout()
        self.print_full = QPushButton(self.tr("打印（整页）…"))
        self.print_full.setToolTip(self.tr("在白纸上打印完整的证书（含边框和二维码）"))
        printing.addWidget(self.print_full)
        printing.addSpacing(12)
        printing.addWidget(QLabel(self.tr("套打打印机")))
        self.printer = QComboBox()
        self.printer.setMinimumWidth(160)
        self.printer.currentIndexChanged.connect(lambda _i: self._show_offset())
        printing.addWidget(self.printer)
        self.offset_label = QLabel()
        self.offset_label.setObjectName("Hint")
        printing.addWidget(self.offset_label)
        self.print_blank = QPushButton(self.tr("套打空白证书…"))
        self.print_blank.setToolTip(self.tr("只打印可变内容，按打印机校准偏移对准预印的空白证书"))
        self.calibration = QPushButton(self.tr("校准页…"))
        self.calibration.setToolTip(self.tr("打印校准页，量出偏移后在“设置 → 打印机校准”中填写"))
        printing.addWidget(self.print_blank)
        printing.addWidget(self.calibration)
        printing.addStretch(1)
        self.reissue_button = QPushButton(self.tr("补发…"))
        self.correct_button = QPushButton(self.tr("更正…"))
        self.void_button = danger(QPushButton(self.tr("作废…")))
        for b in (self.reissue_button, self.correct_button, self.void_button):
            printing.addWidget(b)
        card.body.addLayout(printing)
        self.print_full.clicked.connect(lambda: self.print_certificates("full"))
        self.print_blank.clicked.connect(lambda: self.print_certificates("blank"))
        self.calibration.clicked.connect(self.calibration_page)
        self.reissue_button.clicked.connect(lambda: self.reason_dialog("reissue"))
        self.void_button.clicked.connect(lambda: self.reason_dialog("void"))
        self.correct_button.clicked.connect(self.correct)
        for b in (self.print_full, self.print_blank, self.reissue_button, self.correct_button, self.void_button):
            b.setVisible(self.can_issue)
        layout.addWidget(card, 1)
        return tab

    def _ledger_tab(self) -> QWidget:
        tab = QWidget()
        layout = QHBoxLayout(tab)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.setSpacing(14)
        form_card = Card(self.tr("登记台账"))
        form_card.setFixedWidth(380)
        self.balance = QLabel()
        self.balance.setObjectName("Balance")
        self.balance.setStyleSheet("font-size: 15pt; font-weight: 600; color: #16324f;")
        form_card.body.addWidget(self.balance)
        form = QFormLayout()
        form.setLabelAlignment(RIGHT)
        self.kind = QComboBox()
        for kind in EntryKind:
            self.kind.addItem(label(kind.label), kind.value)
        self.kind.currentIndexChanged.connect(lambda _i: self._show_kind_fields())
        self.at = QDateTimeEdit(QDateTime.currentDateTime())
        self.at.setCalendarPopup(True)
        self.at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.custodian = QLineEdit()
        self.custodian.setPlaceholderText(self.tr("空白证书保管人"))
        self.handler = QLineEdit()
        self.handler_label = QLabel(self.tr("经办人 *"))
        self.first = QSpinBox()
        self.last = QSpinBox()
        for spin in (self.first, self.last):
            spin.setRange(0, 999_999_999)
            spin.setGroupSeparatorShown(False)
        self.first.valueChanged.connect(lambda v: self.last.setValue(max(self.last.value(), v)))
        serials = QHBoxLayout()
        serials.addWidget(self.first, 1)
        serials.addWidget(QLabel(self.tr("至")))
        serials.addWidget(self.last, 1)
        self.serials_row = QWidget()
        self.serials_row.setLayout(serials)
        serials.setContentsMargins(0, 0, 0, 0)
        self.counted = QSpinBox()
        self.counted.setRange(0, 999_999)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("印废、作废须写明原因"))
        form.addRow(self.tr("类别 *"), self.kind)
        form.addRow(self.tr("时间 *"), self.at)
        form.addRow(self.tr("保管人 *"), self.custodian)
        form.addRow(self.handler_label, self.handler)
        form.addRow(self.tr("序号"), self.serials_row)
        form.addRow(self.tr("实点数量"), self.counted)
        form.addRow(self.tr("原因/备注"), self.reason)
        self.ledger_form = form
        form_card.body.addLayout(form)
        self.ledger_error = QLabel()
        self.ledger_error.setObjectName("FieldError")
        self.ledger_error.setWordWrap(True)
        self.ledger_error.setVisible(False)
        form_card.body.addWidget(self.ledger_error)
        buttons = QHBoxLayout()
        self.compare_button = QPushButton(self.tr("与账面核对"))
        self.compare_button.clicked.connect(self.compare)
        self.record_button = primary(QPushButton(self.tr("登记")))
        self.record_button.clicked.connect(self.record)
        buttons.addWidget(self.compare_button)
        buttons.addStretch(1)
        buttons.addWidget(self.record_button)
        form_card.body.addLayout(buttons)
        note = QLabel(self.tr("专人专账（002 第二十七条）：领用人不能是保管人；序号只能使用一次，印废、作废的序号不再使用。"
                              "盘点短缺须登记作废并写明原因。"))
        note.setObjectName("Hint")
        note.setWordWrap(True)
        form_card.body.addWidget(note)
        form_card.body.addStretch(1)
        for w in (self.kind, self.at, self.custodian, self.handler, self.first, self.last, self.counted, self.reason,
                  self.record_button, self.compare_button):
            w.setEnabled(self.can_custody)
        layout.addWidget(form_card)

        entries = Card(self.tr("台账"))
        self.ledger_table = TableView(
            [
                Column(self.tr("时间"), lambda e: e.at, width=130,
                       format=lambda t: t.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")),
                Column(self.tr("类别"), lambda e: label(e.kind.label), width=60),
                Column(self.tr("起始序号"), lambda e: e.first or None, width=80),
                Column(self.tr("终止序号"), lambda e: e.last or None, width=80),
                Column(self.tr("数量"), lambda e: (e.last - e.first + 1) if e.first else e.counted, width=60),
                Column(self.tr("保管人"), lambda e: e.custodian, width=80),
                Column(self.tr("经办人"), lambda e: e.handler, width=90),
                Column(self.tr("原因/备注"), lambda e: e.reason),
            ],
            empty_text=self.tr("台账尚无记录。空白证书入库时请登记“入库”。"),
        )
        entries.body.addWidget(self.ledger_table, 1)
        layout.addWidget(entries, 1)
        self._show_kind_fields()
        return tab

    # --- data -------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        sitting = self.ctx.sitting
        actor, code, state, today = self.ctx.actor, self.code, sitting.state if sitting else "", self.ctx.today()
        if self.local_printers is None:
            self.local_printers = list(QPrinterInfo.availablePrinterNames())
        local = self.local_printers
        self.load(lambda _p: _load(actor, code, state, today, local), self._loaded, self.tr("读取证书"))

    def _loaded(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.set_status(self.tr("尚无认定批次。") if loaded.code is None else "", "info")
        for banner in self.cert_banners:
            banner.deleteLater()
        self.cert_banners = []
        items: list[tuple[str, str]] = []
        if loaded.code is not None:
            issued = sum(1 for c in loaded.certificates if c.kind == "original")
            if loaded.state in ISSUABLE:
                items.append((self.tr("成绩已确定，可以发证。本批次已发证 %1 本。").replace("%1", str(issued)), "ok"))
            elif loaded.state in ("reported", "archived"):
                items.append((self.tr("本批次已发证 %1 本，证书数据已上报，不再发放新证书；补发、更正和作废仍可办理。")
                              .replace("%1", str(issued)), "ok"))
            else:
                items.append((self.tr("成绩尚未确定，暂不能发证："), "error"))
                items.extend((b, "error") for b in loaded.blockers or [self.tr("请先完成成绩公示并确定成绩。")])
        for text, level in items:
            banner = Banner(text, level)
            self.cert_banners.append(banner)
            self.issue_notes.addWidget(banner)
        if loaded.code is None:
            issue_block = self.tr("尚无认定批次。")
        elif loaded.state in ("reported", "archived"):
            issue_block = self.tr("证书数据已上报，不能再为本批次发放新证书。")
        elif loaded.state not in ISSUABLE:
            issue_block = self.tr("成绩尚未确定，暂不能发证。")
        else:
            issue_block = ""
        gate(self.issue_button, issue_block,
             tip=self.tr("为成绩合格、尚无证书的考生生成证书编号（序号不重复使用）"))
        self.issue_date.setEnabled(not issue_block)
        self.table.set_rows(loaded.certificates)
        current = self.printer.currentText()
        self.printer.blockSignals(True)
        self.printer.clear()
        self.printer.addItems(loaded.printers or [self.tr("（未找到打印机）")])
        if current in loaded.printers:
            self.printer.setCurrentText(current)
        self.printer.blockSignals(False)
        self._show_offset()
        self.ledger_table.set_rows(loaded.entries)
        self.balance.setText(self.tr("账面结存 %1 张").replace("%1", f"{loaded.balance:,}"))
        self._update_buttons()

    def blocker_texts(self) -> list[str]:
        return [b.label.text() for b in self.cert_banners]

    def printer_name(self) -> str:
        return self.printer.currentText() if self.loaded and self.loaded.printers else ""

    def _offset(self) -> tuple[float, float]:
        name = self.printer_name()
        if not name:
            return 0.0, 0.0
        offset = printer_offset(self.ctx.actor, name)
        return offset.x_mm, offset.y_mm

    def _show_offset(self) -> None:
        x, y = self._offset()
        self.offset_label.setText(self.tr("偏移 右 %1 mm，下 %2 mm").replace("%1", f"{x:+.1f}").replace("%2", f"{y:+.1f}"))

    def _update_buttons(self) -> None:
        chosen = self.table.selected_rows()
        valid = [c for c in chosen if c.status == "valid"]
        self.print_full.setEnabled(bool(valid))
        self.print_blank.setEnabled(bool(valid))
        one = len(chosen) == 1 and chosen[0].status == "valid"
        if len(chosen) == 1 and not one:
            unready = self.tr("所选证书%1，已不是有效证书。").replace(
                "%1", label(STATUS_TEXT.get(chosen[0].status, chosen[0].status)))
        else:
            unready = self.tr("请先选择一本有效的证书。")
        for button, tip in (
            (self.reissue_button, self.tr("持证人遗失证书时补发：新证书使用新编号，原证书标记为已替换")),
            (self.correct_button, self.tr("更正持证人的姓名或证件号码：须写明理由并附证明材料")),
            (self.void_button, self.tr("作废所选证书：编号不再使用")),
        ):
            gate(button, ready=one, tip=tip, unready=unready)

    def select_numbers(self, numbers: list[str]) -> None:
        from PySide6.QtCore import QItemSelectionModel

        view, proxy = self.table.view, self.table.proxy
        view.clearSelection()
        for r in range(proxy.rowCount()):
            if proxy.source_row_object(proxy.index(r, 0)).number in numbers:
                view.selectionModel().select(proxy.index(r, 0), QItemSelectionModel.SelectionFlag.Select
                                             | QItemSelectionModel.SelectionFlag.Rows)
        self._update_buttons()

    # --- certificates -----------------------------------------------------------------------------------
    def issue(self) -> None:
        if not self.can_issue or self.code is None:
            return
        actor, code, on = self.ctx.actor, self.code, self.issue_date.date().toPython()
        run_task(self, lambda _p: certificates.issue_certificates(actor, code, on), title=self.tr("发放证书"),
                 label=self.tr("正在生成证书编号……"),
                 on_done=lambda numbers: self.changed(self.tr("已发放证书 %1 本（发证日期 %2）。请在 30 个工作日内上报。")
                                                      .replace("%1", str(len(numbers))).replace("%2", f"{on:%Y-%m-%d}"),
                                                      sittings=True),
                 on_error=self.refused)

    def print_certificates(self, mode: str) -> None:
        numbers = [c.number for c in self.table.selected_rows() if c.status == "valid"]
        if not numbers or not self.can_issue:
            return
        offset = self._offset() if mode == "blank" else (0.0, 0.0)
        actor, out = self.ctx.actor, temp_pdf("证书-套打" if mode == "blank" else "证书")
        title = (self.tr("套打空白证书（%1，偏移 %2 / %3 mm）").replace("%1", self.printer_name())
                 .replace("%2", f"{offset[0]:+.1f}").replace("%3", f"{offset[1]:+.1f}")
                 if mode == "blank" else self.tr("证书"))
        run_task(self, lambda _p: certificates.write_certificates(actor, numbers, out, mode=mode, offset_mm=offset),
                 title=self.tr("生成证书"), on_done=lambda _n: preview(self, out, None if mode == "blank" else actor, title),
                 on_error=self.refused)
        # blank mode: the offset is already in the PDF, so the preview prints without adding it again

    def calibration_page(self) -> None:
        from jlexam.documents.certificate import render_calibration_page

        offset, out = self._offset(), temp_pdf("证书打印校准页")
        run_task(self, lambda _p: render_calibration_page(out, offset), title=self.tr("校准页"),
                 on_done=lambda _r: preview(self, out, None, self.tr("证书打印校准页（按实际大小打印）")),
                 on_error=self.refused)

    def reason_dialog(self, kind: str) -> None:
        chosen = self.table.selected_rows()
        if len(chosen) != 1 or not self.can_issue:
            return
        cert = chosen[0]
        if kind == "void" and not confirm(self, self.tr("作废证书"), self.tr("作废证书 %1？").replace("%1", cert.number),
                                          self.tr("继续")):
            return
        done = {
            "reissue": lambda new: self.changed(self.tr("已补发证书 %1，原证书 %2 已替换。须重新上报。")
                                                .replace("%1", new).replace("%2", cert.number)),
            "void": lambda _r: self.changed(self.tr("证书 %1 已作废，编号不再使用。").replace("%1", cert.number), "warn"),
        }[kind]
        self.open_dialog(ReasonDialog(self.ctx.actor, cert, kind, self.ctx.today(), self), done)

    def correct(self) -> None:
        chosen = self.table.selected_rows()
        if len(chosen) != 1 or not self.can_issue:
            return
        cert = chosen[0]
        self.open_dialog(CorrectDialog(self.ctx.actor, cert, self.ctx.today(), self),
                         lambda new: self.changed(self.tr("已更正，新证书 %1，原证书 %2 已替换。须重新上报。")
                                                  .replace("%1", new).replace("%2", cert.number)))

    # --- ledger -----------------------------------------------------------------------------------------
    def _show_kind_fields(self) -> None:
        kind = EntryKind(self.kind.currentData())
        take = kind is EntryKind.STOCK_TAKE
        self.serials_row.setEnabled(not take and self.can_custody)
        self.counted.setEnabled(take and self.can_custody)
        self.compare_button.setVisible(take)
        self.handler_label.setText({EntryKind.RECEIPT: self.tr("交付人 *"), EntryKind.ISSUE: self.tr("领用人 *"),
                                    EntryKind.STOCK_TAKE: self.tr("盘点人 *")}.get(kind, self.tr("报告人 *")))

    def _ledger_message(self, text: str, level: str = "error") -> None:
        colour = {"error": "#b42318", "ok": "#1f7a4d", "warn": "#9a6700"}[level]
        self.ledger_error.setStyleSheet(f"color: {colour};")
        self.ledger_error.setText(text)
        self.ledger_error.setVisible(bool(text))

    def record(self) -> None:
        if not self.can_custody:
            return
        kind = EntryKind(self.kind.currentData())
        take = kind is EntryKind.STOCK_TAKE
        at: datetime = self.at.dateTime().toPython().astimezone()
        actor = self.ctx.actor
        custodian, handler, reason = self.custodian.text(), self.handler.text(), self.reason.text()
        first, last = (0, 0) if take else (self.first.value(), self.last.value())
        counted = self.counted.value() if take else None
        if not custodian.strip() or not handler.strip():
            self._ledger_message(self.tr("请填写保管人和经办人。"))
            return
        self._ledger_message("")
        self.record_button.setEnabled(False)

        def failed(exc: BaseException) -> None:
            from jlexam.errors import JlexamError

            if isinstance(exc, JlexamError):
                self._ledger_message(exc.message)
            else:
                self.refused(exc)

        handle = run_task(self, lambda _p: stock.record(actor, kind, at, custodian, handler, first, last, reason, counted),
                          title=self.tr("登记台账"),
                          on_done=lambda _id: (self._ledger_message(self.tr("已登记%1。").replace("%1", label(kind.label)), "ok"),
                                               self.refresh()),
                          on_error=failed)
        handle.finished.connect(lambda: self.record_button.setEnabled(True))

    def compare(self) -> None:
        actor, counted = self.ctx.actor, self.counted.value()

        def done(d: Any) -> None:
            if d.ok:
                self._ledger_message(self.tr("实点 %1 张，与账面一致。").replace("%1", str(d.counted)), "ok")
            else:
                self._ledger_message(self.tr("实点 %1 张，账面 %2 张，相差 %3 张：短缺的须查明原因并登记作废。")
                                     .replace("%1", str(d.counted)).replace("%2", str(d.expected))
                                     .replace("%3", f"{d.difference:+d}"), "warn")

        run_task(self, lambda _p: stock.compare_count(actor, counted), title=self.tr("与账面核对"), on_done=done,
                 on_error=self.refused)

