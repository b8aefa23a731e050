"""The uploads page (数据上报, 002 §28): certificates not yet reported, signed batches exported for the national
platform, each batch's deadline (30 working days after issue) with warnings, receipts and acknowledgements,
and the verification of a batch file as a third party would do it (every check shown, green or red).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from jlexam.exchange.batch import BatchReport, verify_batch
from jlexam.services import certificates, uploads
from ui.context import AppContext
from ui.labels import label
from ui.navigation import Stage
from ui.pages.sittings import TaskDialog, date_edit, offer_text
from ui.pages.work import WorkPage, documents_folder
from ui.tables import Column, TableView
from ui.tasks import Progress, run_task
from ui.widgets import Banner, Card, primary

STATUS_TEXT = {"exported": "已生成、待上报", "uploaded": "已上报", "acknowledged": "平台已确认"}
GREEN, RED, AMBER = "#1f7a4d", "#b42318", "#b45309"


@dataclass(frozen=True)
class Pending:
    number: str
    name: str
    id_number_masked: str
    offer: str
    issue_date: date | None


@dataclass(frozen=True)
class Loaded:
    pending: list[Pending]
    batches: list[uploads.BatchView]


def _load(actor, today: date) -> Loaded:  # type: ignore[no-untyped-def]
    """Runs on the thread pool."""
    numbers = uploads.unreported(actor)
    views = {c.number: c for c in certificates.list_certificates(actor)} if numbers else {}
    pending = []
    for n in numbers:
        c = views.get(n)
        pending.append(Pending(n, c.name if c else "", c.id_number_masked if c else "",
                               offer_text(c.occupation_code, "", c.level) if c else "", c.issue_date if c else None))
    return Loaded(pending, uploads.dashboard(actor, today))


def batch_color(b: uploads.BatchView) -> str | None:
    if b.status != "exported":
        return GREEN
    if b.working_days_left < 0:
        return RED
    return AMBER if b.warning else None


class ReceiptDialog(TaskDialog):
    """登记已上报: the platform's receipt number and the upload date."""

    def __init__(self, actor, batch: uploads.BatchView, today: date, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(self.tr("登记已上报"), self.tr("登记"), parent)
        self.actor, self.batch = actor, batch
        self.form.addRow(self.tr("批次"), QLabel(batch.file_name))
        self.receipt = QLineEdit()
        self.receipt.setPlaceholderText(self.tr("国家平台给出的回执编号"))
        self.on = date_edit(today)
        self.form.addRow(self.tr("回执编号 *"), self.receipt)
        self.form.addRow(self.tr("上报日期 *"), self.on)
        self.finish_layout()
        self.resize(480, 200)

    def work(self) -> Callable[[Progress], Any] | None:
        actor, batch_id, receipt, on = self.actor, self.batch.batch_id, self.receipt.text(), self.on.date().toPython()
        return lambda _p: uploads.mark_uploaded(actor, batch_id, receipt, on)


class UploadsPage(WorkPage):
    def __init__(self, ctx: AppContext, stage: Stage, parent: QWidget | None = None) -> None:
        super().__init__(ctx, stage, parent)
        self.can_manage = ctx.actor.can("upload.manage")
        self.loaded: Loaded | None = None
        self.report: BatchReport | None = None
        self.warnings = QVBoxLayout()
        self.warnings.setSpacing(6)
        self.warning_banners: list[Banner] = []
        self.content.addLayout(self.warnings)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        top = QWidget()
        row = QHBoxLayout(top)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(14)
        row.addWidget(self._pending_card(), 2)
        row.addWidget(self._verify_card(), 3)
        splitter.addWidget(top)
        splitter.addWidget(self._batches_card())
        splitter.setSizes([330, 300])
        self.content.addWidget(splitter, 1)
        ctx.sitting_changed.connect(self.refresh)

    # --- building ---------------------------------------------------------------------------------------
    def _pending_card(self) -> Card:
        card = Card(self.tr("待上报证书"))
        self.export_button = primary(QPushButton(self.tr("生成上报批次…")))
        self.export_button.setToolTip(self.tr("按平台模板导出所选证书（未选则全部），签名打包为 ZIP"))
        self.export_button.clicked.connect(lambda: self.export())
        self.export_button.setVisible(self.can_manage)
        card.header.addWidget(self.export_button)
        self.pending = TableView(
            [
                Column(self.tr("证书编号"), lambda p: p.number, width=200),
                Column(self.tr("姓名"), lambda p: p.name, width=80),
                Column(self.tr("发证日期"), lambda p: p.issue_date, width=100),
                Column(self.tr("职业等级"), lambda p: p.offer),
            ],
            empty_text=self.tr("没有待上报的证书。"),
        )
        card.body.addWidget(self.pending, 1)
        return card

    def _verify_card(self) -> Card:
        card = Card(self.tr("校验上报数据包"))
        self.verify_button = QPushButton(self.tr("选择数据包并校验…"))
        self.verify_button.clicked.connect(lambda: self.verify())
        card.header.addWidget(self.verify_button)
        self.verdict = Banner(self.tr("选择一个上报数据包（.zip），按第三方的方式逐项校验：完整性、签名、清单和数据文件。"),
                              "info")
        card.body.addWidget(self.verdict)
        self.checks = TableView(
            [
                Column("", lambda c: "✔" if c.ok else "✘", width=30, color=lambda c: GREEN if c.ok else RED),
                Column(self.tr("校验项"), lambda c: c.label, width=150, color=lambda c: None if c.ok else RED),
                Column(self.tr("结果"), lambda c: c.detail, color=lambda c: GREEN if c.ok else RED),
            ],
            empty_text=self.tr("尚未校验。"),
            search=False,
        )
        card.body.addWidget(self.checks, 1)
        return card

    def _batches_card(self) -> Card:
        card = Card(self.tr("上报批次与期限"))
        self.uploaded_button = primary(QPushButton(self.tr("登记已上报…")))
        self.ack_button = QPushButton(self.tr("登记平台已确认"))
        self.uploaded_button.clicked.connect(self.mark_uploaded)
        self.ack_button.clicked.connect(self.mark_acknowledged)
        for b in (self.ack_button, self.uploaded_button):
            b.setVisible(self.can_manage)
            card.header.addWidget(b)
        self.batches = TableView(
            [
                Column(self.tr("数据包"), lambda b: b.file_name, width=260),
                Column(self.tr("证书数"), lambda b: b.count, width=60),
                Column(self.tr("上报期限"), lambda b: f"{b.deadline:%Y-%m-%d}" + (self.tr("（暂定）") if b.deadline_provisional else ""),
                       width=130, color=batch_color),
                Column(self.tr("剩余工作日"), lambda b: b.working_days_left if b.status == "exported" else None,
                       width=90, color=batch_color),
                Column(self.tr("状态"), lambda b: label(STATUS_TEXT.get(b.status, b.status)), width=110,
                       color=batch_color),
                Column(self.tr("回执编号"), lambda b: b.receipt_number, width=130),
                Column(self.tr("提示"), lambda b: b.warning, color=batch_color),
            ],
            empty_text=self.tr("尚未生成上报批次。"),
        )
        self.batches.selection_changed.connect(self._update_buttons)
        card.body.addWidget(self.batches, 1)
        return card

    # --- data -------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        actor, today = self.ctx.actor, self.ctx.today()
        self.load(lambda _p: _load(actor, today), self._loaded, self.tr("读取上报"))

    def _loaded(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.pending.set_rows(loaded.pending)
        self.export_button.setEnabled(bool(loaded.pending))
        self.batches.set_rows(loaded.batches)
        for banner in self.warning_banners:
            banner.deleteLater()
        self.warning_banners = []
        for b in loaded.batches:
            if b.warning:
                level = "error" if b.working_days_left < 0 else "warn"
                text = (self.tr("上报批次 %1（%2 本证书，期限 %3）：%4").replace("%1", b.file_name)
                        .replace("%2", str(b.count)).replace("%3", f"{b.deadline:%Y-%m-%d}").replace("%4", b.warning))
                banner = Banner(text, level)
                self.warning_banners.append(banner)
                self.warnings.addWidget(banner)
        if loaded.pending:
            earliest = min((p.issue_date for p in loaded.pending if p.issue_date), default=None)
            text = self.tr("%1 本证书尚未上报").replace("%1", str(len(loaded.pending)))
            if earliest:
                text += self.tr("（最早发证 %1）：发证后 30 个工作日内须上报（002 第二十八条）。").replace("%1", f"{earliest:%Y-%m-%d}")
            self.set_status(text, "warn")
        else:
            self.set_status("", "info")
        self._update_buttons()

    def warning_texts(self) -> list[str]:
        return [b.label.text() for b in self.warning_banners]

    def _update_buttons(self) -> None:
        chosen = self.batches.selected_rows()
        one = chosen[0] if len(chosen) == 1 else None
        self.uploaded_button.setEnabled(one is not None and one.status == "exported")
        self.ack_button.setEnabled(one is not None and one.status == "uploaded")

    def select_batch(self, batch_id: str) -> None:
        from PySide6.QtCore import QItemSelectionModel

        view, proxy = self.batches.view, self.batches.proxy
        view.clearSelection()
        for r in range(proxy.rowCount()):
            if proxy.source_row_object(proxy.index(r, 0)).batch_id == batch_id:
                view.selectionModel().select(proxy.index(r, 0), QItemSelectionModel.SelectionFlag.Select
                                             | QItemSelectionModel.SelectionFlag.Rows)
        self._update_buttons()

    # --- actions ----------------------------------------------------------------------------------------
    def export(self, path: Path | None = None) -> None:
        if not self.can_manage or self.loaded is None or not self.loaded.pending:
            return
        numbers = [p.number for p in self.pending.selected_rows()] or [p.number for p in self.loaded.pending]
        if path is None:
            name = f"上报批次-{self.ctx.today():%Y%m%d}.zip"
            chosen, _f = QFileDialog.getSaveFileName(self, self.tr("保存上报数据包"), str(documents_folder() / name),
                                                     self.tr("ZIP 压缩包 (*.zip)"))
            if not chosen:
                return
            path = Path(chosen if chosen.lower().endswith(".zip") else chosen + ".zip")
        actor, out = self.ctx.actor, Path(path)
        run_task(self, lambda _p: uploads.export_batch(actor, numbers, out), title=self.tr("生成上报批次"),
                 label=self.tr("正在导出、签名并打包……"),
                 on_done=lambda info: self.changed(self.tr("已生成上报批次 %1：%2 本证书，已签名（密钥 %3）。请上传到国家平台后登记回执。")
                                                   .replace("%1", str(info.path)).replace("%2", str(info.count))
                                                   .replace("%3", info.kid)),
                 on_error=self.refused)

    def verify(self, path: Path | None = None) -> None:
        if path is None:
            chosen, _f = QFileDialog.getOpenFileName(self, self.tr("选择上报数据包"), str(documents_folder()),
                                                     self.tr("ZIP 压缩包 (*.zip)"))
            if not chosen:
                return
            path = Path(chosen)
        source = Path(path)
        self.verify_button.setEnabled(False)
        handle = run_task(self, lambda _p: verify_batch(source), title=self.tr("校验上报数据包"),
                          on_done=self._verified, on_error=self._verify_failed)
        handle.finished.connect(lambda: self.verify_button.setEnabled(True))

    def _verified(self, report: BatchReport) -> None:
        self.report = report
        self.checks.set_rows(report.checks)
        bad = [c for c in report.checks if not c.ok]
        if report.ok:
            self.verdict.set(self.tr("%1：全部 %2 项校验通过。数据包完整、签名有效。")
                             .replace("%1", report.path.name).replace("%2", str(len(report.checks))), "ok")
        else:
            self.verdict.set(self.tr("%1：%2 项未通过，数据包可能被改动或损坏，不能上报。")
                             .replace("%1", report.path.name).replace("%2", str(len(bad))), "error")

    def _verify_failed(self, exc: BaseException) -> None:
        from jlexam.errors import JlexamError

        if isinstance(exc, JlexamError):
            self.verdict.set(exc.message, "error")
            self.checks.set_rows([])
        else:
            self.refused(exc)

    def mark_uploaded(self) -> None:
        chosen = self.batches.selected_rows()
        if len(chosen) != 1 or not self.can_manage:
            return
        self.open_dialog(ReceiptDialog(self.ctx.actor, chosen[0], self.ctx.today(), self),
                         lambda _r: self.changed(self.tr("已登记上报回执。")))

    def mark_acknowledged(self) -> None:
        chosen = self.batches.selected_rows()
        if len(chosen) != 1 or not self.can_manage:
            return
        actor, batch_id, today = self.ctx.actor, chosen[0].batch_id, self.ctx.today()
        run_task(self, lambda _p: uploads.mark_acknowledged(actor, batch_id, today), title=self.tr("登记平台已确认"),
                 on_done=lambda _r: self.changed(self.tr("已登记国家平台确认接收。")), on_error=self.refused)
