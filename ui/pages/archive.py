"""The archive page (档案, 002 §31-36; 000; 001 §9, §12-13; 003): a reported sitting is archived with its index
(every document and record, paper or electronic, its retention date and where the paper original is kept);
the signed archive package; destruction of what is past its retention period (administrator, reason, audited);
the institution's oversight report and the termination report, each exported as PDF and xlsx.

Every button the user's roles or the sitting's state do not allow stays visible but disabled, with the reason
next to it, so nobody has to guess why nothing happens.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QGridLayout,
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

from jlexam.domain.retention import ELECTRONIC_YEARS, PAPER_YEARS, Medium, destroyable_from
from jlexam.security.roles import roles_holding
from jlexam.services import archives, reports
from ui.context import AppContext
from ui.labels import label
from ui.navigation import Stage, role_label
from ui.pages.sittings import TaskDialog, date_edit
from ui.pages.work import WorkPage, documents_folder
from ui.tables import Column, TableView
from ui.tasks import Progress, run_task
from ui.widgets import Banner, Card, danger, primary

GREEN, RED, AMBER, GREY = "#1f7a4d", "#b42318", "#b45309", "#7a8699"


@dataclass(frozen=True)
class Loaded:
    status: archives.SittingArchiveStatus | None
    archives: list[archives.ArchiveView]


def _load(actor, code: str | None) -> Loaded:  # type: ignore[no-untyped-def]
    """Runs on the thread pool."""
    status = archives.archive_status(actor, code) if code else None
    return Loaded(status, archives.list_archives(actor))


def holders(permission: str) -> str:
    return "、".join(role_label(r) for r in sorted(roles_holding(permission)))


def item_color(i: archives.ArchiveItemView) -> str | None:
    if i.destroyed_on is not None:
        return GREY
    return None if i.in_retention else AMBER


def _grid_label(text: str, *, value: bool = False) -> QLabel:
    label = QLabel(text)
    label.setObjectName("FactValue" if value else "Hint")
    label.setWordWrap(True)
    if value:
        label.setStyleSheet("color: #16324f; font-weight: 600;")
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class Facts(QWidget):
    """Label-value pairs in columns, for a report's key figures."""

    def __init__(self, columns: int = 3, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = columns
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(6)
        self.values: dict[str, str] = {}

    def set_facts(self, facts: list[tuple[str, str]]) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.values = dict(facts)
        for n, (caption, value) in enumerate(facts):
            row, col = divmod(n, self.columns)
            self.grid.addWidget(_grid_label(caption), row, col * 2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(_grid_label(value, value=True), row, col * 2 + 1, Qt.AlignmentFlag.AlignTop)
        for col in range(self.columns):
            self.grid.setColumnStretch(col * 2 + 1, 1)


# --- dialogs ---------------------------------------------------------------------------------------------
class ArchiveDialog(TaskDialog):
    """归档: where the paper originals are kept, and the retention years (never below the legal minimum)."""

    def __init__(self, actor, status: archives.SittingArchiveStatus, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(self.tr("归档认定批次"), self.tr("归档"), parent)
        self.actor, self.code = actor, status.code
        self.form.addRow(self.tr("认定批次"), QLabel(f"{status.name}（{status.code}）"))
        self.location = QLineEdit()
        self.location.setPlaceholderText(self.tr("例如：档案室 2 号柜第 3 层"))
        self.paper_years = QSpinBox()
        self.paper_years.setRange(PAPER_YEARS, 100)
        self.paper_years.setSuffix(self.tr(" 年"))
        self.electronic_years = QSpinBox()
        self.electronic_years.setRange(ELECTRONIC_YEARS, 100)
        self.electronic_years.setSuffix(self.tr(" 年"))
        self.form.addRow(self.tr("纸质原件存放位置 *"), self.location)
        self.form.addRow(self.tr("纸质档案保管"), self.paper_years)
        self.form.addRow(self.tr("电子档案保管"), self.electronic_years)
        note = QLabel(self.tr("归档后生成档案目录：每项资料注明纸质或电子、保管期限和存放位置。保管期自归档之日起算，"
                              "纸质不少于 3 年、电子不少于 5 年（002 第三十六条）；保管期内任何人都不能删除。"))
        note.setObjectName("Hint")
        note.setWordWrap(True)
        self.outer.addWidget(note)
        self.finish_layout()
        self.resize(560, 280)

    def work(self) -> Callable[[Progress], Any] | None:
        location = self.location.text().strip()
        if not location:
            self.show_message(self.tr("请填写纸质档案原件的存放位置，以便日后查找（002 第三十五条）。"))
            return None
        actor, code, paper, electronic = self.actor, self.code, self.paper_years.value(), self.electronic_years.value()
        return lambda _p: archives.archive_sitting(actor, code, location, paper, electronic)


class DestroyDialog(TaskDialog):
    """销毁: index lines past their retention period, with the written reason (administrator only)."""

    def __init__(self, actor, code: str, items: list[archives.ArchiveItemView], parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(self.tr("销毁保管期满的档案"), self.tr("销毁"), parent)
        danger(self.ok)
        self.actor, self.code, self.seqs = actor, code, [i.seq for i in items]
        line = self.tr("%1. %2（%3，保管期至 %4）")
        lines = [line.replace("%1", str(i.seq)).replace("%2", i.title).replace("%3", label(i.medium.label))
                 .replace("%4", f"{i.retain_until:%Y-%m-%d}") for i in items[:8]]
        if len(items) > 8:
            lines.append(self.tr("… 共 %1 项").replace("%1", str(len(items))))
        listing = QLabel("\n".join(lines))
        listing.setWordWrap(True)
        self.form.addRow(self.tr("条目"), listing)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(self.tr("例如：保管期满，依据本机构档案管理制度第 5 条，经档案室主任批准销毁"))
        self.reason.setFixedHeight(80)
        self.form.addRow(self.tr("原因 *"), self.reason)
        note = QLabel(self.tr("纸质条目登记原件已销毁；电子资格证明材料从数据库中删除。每一项销毁都记入审计日志，无法撤销。"))
        note.setObjectName("Hint")
        note.setWordWrap(True)
        self.outer.addWidget(note)
        self.finish_layout()
        self.resize(580, 320)

    def work(self) -> Callable[[Progress], Any] | None:
        reason = self.reason.toPlainText().strip()
        if len(reason) < 4:
            self.show_message(self.tr("请写明销毁原因（至少 4 个字），例如依据的档案管理制度条款和审批人。"))
            return None
        actor, code, seqs = self.actor, self.code, list(self.seqs)
        return lambda _p: archives.destroy_items(actor, code, seqs, reason)


# --- the page --------------------------------------------------------------------------------------------
class ArchivePage(WorkPage):
    def __init__(self, ctx: AppContext, stage: Stage, parent: QWidget | None = None) -> None:
        super().__init__(ctx, stage, parent)
        actor = ctx.actor
        self.can_view = actor.can("archive.view")
        self.can_manage = actor.can("archive.manage")
        self.can_report = actor.can("upload.manage")
        self.can_export = actor.can("archive.export")
        self.can_destroy = actor.can("archive.destroy")
        self.can_reports = actor.can("reports.view")
        self.can_terminate = actor.can("reports.termination")
        self.loaded: Loaded | None = None
        self.oversight: reports.OversightReport | None = None
        self.termination: reports.TerminationReport | None = None
        self.report_task = None
        self.termination_task = None
        self.tabs = QTabWidget()
        self.archive_tab = self._archive_tab() if self.can_view else None
        self.reports_tab = self._reports_tab() if self.can_reports else None
        self.termination_tab = self._termination_tab() if self.can_terminate else None
        for tab, title in ((self.archive_tab, self.tr("认定批次档案")), (self.reports_tab, self.tr("监管统计报表")),
                           (self.termination_tab, self.tr("终止备案报告"))):
            if tab is not None:
                self.tabs.addTab(tab, title)
        self.tabs.currentChanged.connect(lambda _i: self._tab_shown())
        self.content.addWidget(self.tabs, 1)
        ctx.sitting_changed.connect(self.refresh)

    # --- building: archives -----------------------------------------------------------------------------
    def _archive_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.setSpacing(10)
        current = QHBoxLayout()
        current.setSpacing(8)
        self.report_button = QPushButton(self.tr("登记上报完成"))
        self.report_button.setToolTip(self.tr("全部有效证书都在已登记回执的上报批次中后，登记本批次为“已上报”（002 第二十八条）"))
        self.report_button.clicked.connect(lambda: self.mark_reported())
        self.archive_button = primary(QPushButton(self.tr("归档…")))
        self.archive_button.setToolTip(self.tr("为已上报的认定批次生成档案目录，登记纸质原件存放位置"))
        self.archive_button.clicked.connect(lambda: self.archive())
        self.sitting_hint = QLabel()
        self.sitting_hint.setObjectName("Hint")
        self.sitting_hint.setWordWrap(True)
        current.addWidget(self.sitting_hint, 1)
        current.addWidget(self.report_button)
        current.addWidget(self.archive_button)
        layout.addLayout(current)

        listing = Card(self.tr("已归档的认定批次与档案目录"))
        self.package_button = QPushButton(self.tr("生成档案包…"))
        self.package_button.setToolTip(self.tr("一个批次一个 ZIP：档案目录、全部电子文件、SHA-256 清单和 Ed25519 签名，"
                                               "可用 jlexam batch verify 或 OpenSSL 校验"))
        self.package_button.clicked.connect(lambda: self.write_package())
        listing.header.addWidget(self.package_button)
        self.archives = TableView(
            [
                Column(self.tr("认定批次"), lambda a: a.sitting_code, width=110),
                Column(self.tr("名称"), lambda a: a.sitting_name, width=220),
                Column(self.tr("归档日期"), lambda a: a.archived_on, width=90),
                Column(self.tr("纸质保管至"), lambda a: a.paper_until, width=95),
                Column(self.tr("电子保管至"), lambda a: a.electronic_until, width=95),
                Column(self.tr("纸质原件存放位置"), lambda a: a.paper_location, width=170),
                Column(self.tr("条目"), lambda a: len(a.items), width=50),
                Column(self.tr("状态"), self._archive_state, color=self._archive_color, width=120),
                Column(self.tr("最近档案包"), lambda a: a.package_file or self.tr("（尚未生成）")),
            ],
            empty_text=self.tr("尚无已归档的认定批次。证书数据全部上报并登记回执后，可将批次登记为“已上报”并归档。"),
            search=False,
        )
        self.archives.selection_changed.connect(self._archive_selected)
        self.archives.setFixedHeight(96)
        listing.body.addWidget(self.archives)
        index = listing
        self.destroy_button = danger(QPushButton(self.tr("销毁所选条目…")))
        self.destroy_button.clicked.connect(lambda: self.destroy())
        index.header.addWidget(self.destroy_button)
        self.index = TableView(
            [
                Column(self.tr("序号"), lambda i: i.seq, width=44),
                Column(self.tr("类别"), lambda i: label(i.category_label), width=112),
                Column(self.tr("名称"), lambda i: i.title, width=214),
                Column(self.tr("载体"), lambda i: label(i.medium.label), width=70),
                Column(self.tr("数量"), lambda i: i.records, width=50),
                Column(self.tr("保管期至"), lambda i: i.retain_until, width=90, color=item_color),
                Column(self.tr("存放位置 / 档案包内文件"), lambda i: i.location if i.medium is Medium.PAPER
                       else (i.file_name or i.location), width=200),
                Column(self.tr("状态"), self._item_status, color=item_color),
            ],
            empty_text=self.tr("选择上面的一个已归档批次，查看它的档案目录。"),
            search=False,
        )
        self.index.selection_changed.connect(self._update_buttons)
        index.body.addWidget(self.index, 1)
        self.destroy_hint = QLabel()
        self.destroy_hint.setObjectName("Hint")
        self.destroy_hint.setWordWrap(True)
        index.body.addWidget(self.destroy_hint)
        layout.addWidget(listing, 1)
        return tab

    def _item_status(self, i: archives.ArchiveItemView) -> str:
        if i.destroyed_on is not None:
            return self.tr("已销毁（%1）").replace("%1", f"{i.destroyed_on:%Y-%m-%d}")
        until = f"{i.retain_until:%Y-%m-%d}"
        left = (i.retain_until - self.ctx.today()).days + 1
        if left > 0:
            return self.tr("保管期内（至 %1，剩 %2 天）").replace("%1", until).replace("%2", str(left))
        return self.tr("保管期已满（%1 届满）").replace("%1", until)

    def _archive_state(self, a: archives.ArchiveView) -> str:
        today = self.ctx.today()
        if all(i.destroyed_on is not None for i in a.items):
            return self.tr("已全部销毁")
        if today <= a.paper_until or today <= a.electronic_until:
            return self.tr("保管期内")
        return self.tr("保管期已满")

    def _archive_color(self, a: archives.ArchiveView) -> str | None:
        state = self._archive_state(a)
        return GREEN if state == self.tr("保管期内") else AMBER

    # --- building: reports ------------------------------------------------------------------------------
    def _reports_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.setSpacing(10)
        top = Card(self.tr("认定工作统计报表"))
        self.export_pdf = primary(QPushButton(self.tr("导出 PDF…")))
        self.export_xlsx = QPushButton(self.tr("导出 Excel…"))
        self.export_pdf.clicked.connect(lambda: self.export_oversight("pdf"))
        self.export_xlsx.clicked.connect(lambda: self.export_oversight("xlsx"))
        top.header.addWidget(self.export_xlsx)
        top.header.addWidget(self.export_pdf)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("统计范围")))
        self.all_sittings = QCheckBox(self.tr("全部认定批次"))
        self.all_sittings.setChecked(True)
        today = self.ctx.today()
        self.period_from = date_edit(date(today.year, 1, 1))
        self.period_to = date_edit(today)
        self.all_sittings.toggled.connect(lambda on: (self.period_from.setEnabled(not on),
                                                      self.period_to.setEnabled(not on)))
        self.period_from.setEnabled(False)
        self.period_to.setEnabled(False)
        row.addWidget(self.all_sittings)
        row.addSpacing(8)
        row.addWidget(QLabel(self.tr("认定开始日期")))
        row.addWidget(self.period_from)
        row.addWidget(QLabel(self.tr("至")))
        row.addWidget(self.period_to)
        self.compute_button = QPushButton(self.tr("统计"))
        self.compute_button.clicked.connect(lambda: self.load_oversight())
        row.addWidget(self.compute_button)
        row.addStretch(1)
        top.body.addLayout(row)
        self.oversight_facts = Facts(3)
        top.body.addWidget(self.oversight_facts)
        layout.addWidget(top)

        self.report_tabs = QTabWidget()
        self.sitting_table = TableView(
            [
                Column(self.tr("认定批次"), lambda x: x.code, width=100),
                Column(self.tr("名称"), lambda x: x.name, width=230),
                Column(self.tr("开始日期"), lambda x: x.starts_on, width=90),
                Column(self.tr("状态"), lambda x: label(x.state), width=70),
                Column(self.tr("报名"), lambda x: x.applicants, width=50),
                Column(self.tr("审核通过"), lambda x: x.approved, width=70),
                Column(self.tr("参考"), lambda x: x.sat, width=50),
                Column(self.tr("合格"), lambda x: x.passed, width=50),
                Column(self.tr("缺考"), lambda x: x.absent, width=50),
                Column(self.tr("合格率"), lambda x: x.pass_rate, width=70),
                Column(self.tr("发证"), lambda x: x.certificates),
            ],
            empty_text=self.tr("统计范围内没有认定批次。"),
            search=False,
        )
        self.rate_table = TableView(
            [
                Column(self.tr("职业（工种）"), lambda x: x.occupation, width=260),
                Column(self.tr("等级"), lambda x: x.level, width=110),
                Column(self.tr("参考"), lambda x: x.sat, width=60),
                Column(self.tr("合格"), lambda x: x.passed, width=60),
                Column(self.tr("缺考"), lambda x: x.absent, width=60),
                Column(self.tr("合格率"), lambda x: x.pass_rate),
            ],
            empty_text=self.tr("尚无考试结果。"),
            search=False,
        )
        self.star_table = TableView(
            [
                Column("", lambda f: {True: "✔", False: "✘", None: "ℹ"}[f.ok], width=30,
                       color=lambda f: {True: GREEN, False: RED, None: None}[f.ok]),
                Column(self.tr("星级评定材料（000）"), lambda f: f.label, width=300),
                Column(self.tr("情况"), lambda f: f.value, color=lambda f: RED if f.ok is False else None),
            ],
            empty_text="",
            search=False,
        )
        self.event_table = TableView(
            [
                Column(self.tr("认定批次"), lambda x: x[0], width=110),
                Column(self.tr("类别"), lambda x: x[1], width=110),
                Column(self.tr("情况"), lambda x: x[2], color=lambda x: RED if x[3] else None),
            ],
            empty_text=self.tr("没有缺考、违纪、突发事件或试卷流转异常。"),
            search=False,
        )
        self.upload_table = TableView(
            [
                Column(self.tr("上报批次"), lambda u: u.batch_id, width=200),
                Column(self.tr("认定批次"), lambda u: u.sittings, width=110),
                Column(self.tr("证书数"), lambda u: u.count, width=60),
                Column(self.tr("上报期限"), lambda u: f"{u.deadline:%Y-%m-%d}" + (self.tr("（暂定）") if u.provisional else ""),
                       width=120),
                Column(self.tr("上报日期"), lambda u: u.uploaded_on, width=90),
                Column(self.tr("及时性"), lambda u: u.label,
                       color=lambda u: {"on_time": GREEN, "late": RED, "overdue": RED}.get(u.status, AMBER)),
            ],
            empty_text=self.tr("尚未生成上报批次。"),
            search=False,
        )
        self.coverage_table = TableView(
            [
                Column(self.tr("专业"), lambda c: c.major, width=180),
                Column(self.tr("毕业年份"), lambda c: c.graduation_year, width=70),
                Column(self.tr("应届"), lambda c: c.graduating, width=50),
                Column(self.tr("报名"), lambda c: c.applicants, width=50),
                Column(self.tr("审核通过"), lambda c: c.approved, width=70),
                Column(self.tr("合格"), lambda c: c.passed, width=50),
                Column(self.tr("发证"), lambda c: c.certified, width=50),
                Column(self.tr("对应职业"), lambda c: c.occupations or self.tr("（未对应职业）"),
                       color=lambda c: None if c.occupations else AMBER),
            ],
            empty_text=self.tr("没有在校生报名。"),
            search=False,
        )
        self.report_tabs.addTab(self.sitting_table, self.tr("认定批次"))
        self.report_tabs.addTab(self.rate_table, self.tr("职业等级合格率"))
        self.report_tabs.addTab(self.star_table, self.tr("星级评定材料"))
        self.report_tabs.addTab(self.event_table, self.tr("考场与试卷流转"))
        self.report_tabs.addTab(self.upload_table, self.tr("数据上报及时性"))
        self.coverage_index = self.report_tabs.addTab(self.coverage_table, self.tr("专业覆盖（院校）"))
        self.report_tabs.setTabVisible(self.coverage_index, False)
        layout.addWidget(self.report_tabs, 1)
        return tab

    def _termination_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.setSpacing(10)
        top = Card(self.tr("终止备案收尾工作报告（001 第十二、十三条）"))
        self.term_pdf = primary(QPushButton(self.tr("导出 PDF…")))
        self.term_xlsx = QPushButton(self.tr("导出 Excel…"))
        self.term_pdf.clicked.connect(lambda: self.export_termination("pdf"))
        self.term_xlsx.clicked.connect(lambda: self.export_termination("xlsx"))
        top.header.addWidget(self.term_xlsx)
        top.header.addWidget(self.term_pdf)
        note = Banner(self.tr("机构终止备案时，应将已发证书数据上报、退还未提供评价服务的费用，并继续保管认定档案。"
                              "报告列出持证人姓名和脱敏的证件号码，属于个人信息：仅限有权角色导出，每次导出都记入审计日志"
                              "（002 第三十一条）。"), "info")
        top.body.addWidget(note)
        self.termination_facts = Facts(3)
        top.body.addWidget(self.termination_facts)
        layout.addWidget(top)
        self.term_tabs = QTabWidget()
        self.term_certs = TableView(
            [
                Column(self.tr("证书编号"), lambda c: c.number, width=200),
                Column(self.tr("姓名"), lambda c: c.name, width=80),
                Column(self.tr("证件号码"), lambda c: c.id_number_masked, width=160),
                Column(self.tr("职业"), lambda c: c.occupation, width=160),
                Column(self.tr("等级"), lambda c: c.level, width=90),
                Column(self.tr("发证日期"), lambda c: c.issue_date, width=90),
                Column(self.tr("状态"), lambda c: label(c.status), width=60),
                Column(self.tr("上报情况"), lambda c: c.upload,
                       color=lambda c: None if c.upload.startswith("已上报") or c.status != "有效" else RED),
            ],
            empty_text=self.tr("尚未发放证书。"),
        )
        self.term_refunds = TableView(
            [
                Column(self.tr("认定批次"), lambda r: r.sitting_code, width=110),
                Column(self.tr("批次状态"), lambda r: label(r.sitting_state), width=90),
                Column(self.tr("报名号"), lambda r: r.application_id, width=70),
                Column(self.tr("姓名"), lambda r: r.name, width=90),
                Column(self.tr("已收费用（元）"), lambda r: f"{r.fee_cents / 100:.2f}"),
            ],
            empty_text=self.tr("没有需要退还的费用。"),
            search=False,
        )
        self.term_archives = TableView(
            [
                Column(self.tr("认定批次"), lambda a: a.sitting_code, width=110),
                Column(self.tr("归档日期"), lambda a: a.archived_on, width=90),
                Column(self.tr("纸质保管至"), lambda a: a.paper_until, width=95),
                Column(self.tr("电子保管至"), lambda a: a.electronic_until, width=95),
                Column(self.tr("纸质原件存放位置"), lambda a: a.paper_location),
            ],
            empty_text=self.tr("尚无已归档的认定批次。"),
            search=False,
        )
        self.term_tabs.addTab(self.term_certs, self.tr("已发证书"))
        self.term_tabs.addTab(self.term_refunds, self.tr("待退费用"))
        self.term_tabs.addTab(self.term_archives, self.tr("档案保管"))
        layout.addWidget(self.term_tabs, 1)
        return tab

    # --- data -------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        if self.archive_tab is not None:
            actor, code = self.ctx.actor, self.code
            self.load(lambda _p: _load(actor, code), self._loaded, self.tr("读取档案"))
        self._tab_shown(force=True)

    def _tab_shown(self, force: bool = False) -> None:
        current = self.tabs.currentWidget()
        if current is self.reports_tab and self.reports_tab is not None and (force or self.oversight is None):
            self.load_oversight()
        elif current is self.termination_tab and self.termination_tab is not None and (force or self.termination is None):
            self.load_termination()

    def _loaded(self, loaded: Loaded) -> None:
        previous = self.selected_archive()
        self.loaded = loaded
        self.archives.set_rows(loaded.archives)
        code = previous.sitting_code if previous else (loaded.status.code if loaded.status else None)
        if loaded.archives and not (code and self.select_archive(code)):
            self.select_archive(loaded.archives[-1].sitting_code)
        self._archive_selected()
        status = loaded.status
        if status is not None and status.state == "reported" and not status.archived:
            self.set_status(self.tr("认定批次 %1 已上报，请归档：登记纸质原件的存放位置，生成档案目录（002 第三十四至三十六条）。")
                            .replace("%1", status.name), "warn")
        else:
            self.set_status("", "info")

    def selected_archive(self) -> archives.ArchiveView | None:
        if self.archive_tab is None:
            return None
        rows = self.archives.selected_rows()
        return rows[0] if len(rows) == 1 else None

    def select_archive(self, code: str) -> bool:
        from PySide6.QtCore import QItemSelectionModel

        view, proxy = self.archives.view, self.archives.proxy
        for r in range(proxy.rowCount()):
            if proxy.source_row_object(proxy.index(r, 0)).sitting_code == code:
                view.selectionModel().select(proxy.index(r, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                                             | QItemSelectionModel.SelectionFlag.Rows)
                return True
        return False

    def _archive_selected(self) -> None:
        chosen = self.selected_archive()
        self.index.set_rows(list(chosen.items) if chosen else [])
        self._update_buttons()

    def _update_buttons(self) -> None:
        if self.archive_tab is None:
            return
        status = self.loaded.status if self.loaded else None
        # 登记上报完成 / 归档: the current sitting
        hints: list[str] = []
        if status is None:
            hints.append(self.tr("请先在顶部选择一个认定批次。"))
            can_report = can_archive = False
        else:
            can_report = status.state == "certified" and not status.report_blockers
            can_archive = status.state == "reported"
            line = self.tr("认定批次 %1（%2）：当前为“%3”。").replace("%1", status.name).replace("%2", status.code) \
                .replace("%3", label(status.state_label))
            if status.archived:
                line += self.tr("已归档，档案目录见下方。")
            elif status.state == "certified":
                line += (self.tr("证书数据全部上报后，可登记上报完成：") + "；".join(status.report_blockers)
                         if status.report_blockers else self.tr("证书数据均已上报，可以登记上报完成，然后归档。"))
            elif status.state == "reported":
                line += self.tr("可以归档。")
            else:
                line += self.tr("发证并将证书数据全部上报（已上报）后才能归档（002 第二十八、三十四条）。")
            hints.append(line)
            if not self.can_report and status.state == "certified":
                hints.append(self.tr("登记上报完成需要以下角色之一：%1。").replace("%1", holders("upload.manage")))
            if not self.can_manage and status.state == "reported":
                hints.append(self.tr("归档需要以下角色之一：%1。").replace("%1", holders("archive.manage")))
        self.report_button.setEnabled(self.can_report and can_report)
        self.report_button.setVisible(status is not None and status.state == "certified")
        self.archive_button.setEnabled(self.can_manage and can_archive)
        self.sitting_hint.setText("\n".join(hints))
        # 档案包
        chosen = self.selected_archive()
        self.package_button.setEnabled(self.can_export and chosen is not None)
        self.package_button.setToolTip(
            self.tr("档案包含考生个人信息和考务编排，只有以下角色可以导出：%1。").replace("%1", holders("archive.export"))
            if not self.can_export else self.tr("一个批次一个 ZIP：档案目录、全部电子文件、SHA-256 清单和 Ed25519 签名，"
                                                "可用 jlexam batch verify 或 OpenSSL 校验"))
        # 销毁
        items = self.index.selected_rows()
        kept = [i for i in items if i.destroyed_on is None and i.in_retention]
        done = [i for i in items if i.destroyed_on is not None]
        if chosen is None:
            why = ""
        elif not self.can_destroy:
            why = self.tr("保管期内的档案任何人都不能销毁；保管期满后，只有%1可以写明原因办理销毁（002 第三十六条）。") \
                .replace("%1", holders("archive.destroy"))
        elif not items:
            until = max((i.retain_until for i in chosen.items if i.destroyed_on is None), default=None)
            why = (self.tr("选择保管期已满的条目后可办理销毁。本批次最晚的保管期至 %1，%2 起全部可以销毁。")
                   .replace("%1", f"{until:%Y-%m-%d}").replace("%2", f"{destroyable_from(until):%Y-%m-%d}")
                   if until else self.tr("本批次的档案已全部销毁。"))
        elif kept:
            first = min(kept, key=lambda i: i.retain_until)
            why = (self.tr("所选第 %1 项在保管期内（至 %2），保管期内任何人都不能销毁（002 第三十六条），最早可于 %3 起销毁。")
                   .replace("%1", str(first.seq)).replace("%2", f"{first.retain_until:%Y-%m-%d}")
                   .replace("%3", f"{destroyable_from(first.retain_until):%Y-%m-%d}"))
        elif done:
            why = self.tr("所选第 %1 项已于 %2 销毁。").replace("%1", str(done[0].seq)) \
                .replace("%2", f"{done[0].destroyed_on:%Y-%m-%d}")
        else:
            why = self.tr("所选 %1 项保管期已满，可以写明原因办理销毁。").replace("%1", str(len(items)))
        self.destroy_button.setEnabled(self.can_destroy and bool(items) and not kept and not done)
        lines = [why] if why else []
        if chosen is not None and not self.can_export:
            lines.insert(0, self.tr("档案包含考生个人信息和考务编排，只有%1可以导出（002 第三十一条）。")
                         .replace("%1", holders("archive.export")))
        self.destroy_hint.setText("\n".join(lines))
        self.destroy_hint.setVisible(bool(lines))

    def load_oversight(self) -> None:
        if self.reports_tab is None:
            return
        actor, today = self.ctx.actor, self.ctx.today()
        start, end = self.period()
        if self.report_task is not None and self.report_task.is_running:
            self.report_task.cancel()
        self.report_task = run_task(self, lambda _p: reports.oversight(actor, today, start, end),
                                    title=self.tr("统计"), dialog=False, on_done=self._oversight_loaded,
                                    on_error=self.refused)

    def period(self) -> tuple[date | None, date | None]:
        if self.all_sittings.isChecked():
            return None, None
        return self.period_from.date().toPython(), self.period_to.date().toPython()

    def _oversight_loaded(self, r: reports.OversightReport) -> None:
        self.oversight = r
        on_time = r.uploads_on_time
        facts = [
            (self.tr("机构"), r.institution),
            (self.tr("机构类别"), r.kind),
            (self.tr("统一社会信用代码"), r.credit_code),
            (self.tr("备案有效期至"), f"{r.filing_valid_until:%Y-%m-%d}" if r.filing_valid_until else "--"),
            (self.tr("续期申请日"), f"{r.renewal_due_on:%Y-%m-%d}" if r.renewal_due_on else "--"),
            (self.tr("最近一次认定"), f"{r.last_sitting_on:%Y-%m-%d}" if r.last_sitting_on else self.tr("尚未开展")),
            (self.tr("认定批次"), str(len(r.sittings))),
            (self.tr("报名人数"), str(r.candidates)),
            (self.tr("参考 / 合格"), f"{r.sat} / {r.passed}（{reports.percent(r.passed, r.sat)}）"),
            (self.tr("发证"), str(r.certificates)),
            (self.tr("上报批次按期"), f"{on_time} / {len(r.uploads)}"),
            (self.tr("尚未上报证书"), str(r.unreported_certificates)),
        ]
        self.oversight_facts.set_facts(facts)
        self.oversight_facts.setToolTip(r.filing_message + "\n" + r.last_sitting_message)
        self.sitting_table.set_rows(r.sittings)
        self.rate_table.set_rows(r.rates)
        self.star_table.set_rows(r.star)
        events = []
        for i in r.incidents:
            if i.absent or i.misconduct or i.incident:
                events.append((i.sitting_code, self.tr("考场记录"),
                               self.tr("缺考 %1 人次，违纪 %2 起，突发事件 %3 起").replace("%1", str(i.absent))
                               .replace("%2", str(i.misconduct)).replace("%3", str(i.incident)), bool(i.misconduct)))
        for c in r.custody:
            bad = bool(c.anomalies or c.broken_chains)
            events.append((c.sitting_code, self.tr("试卷流转"),
                           self.tr("试卷袋 %1 个，异常 %2 个（%3 处），哈希链断裂 %4 条").replace("%1", str(c.packets))
                           .replace("%2", str(c.anomalous_packets)).replace("%3", str(c.anomalies))
                           .replace("%4", str(c.broken_chains)) + (f"：{c.details}" if c.details else ""), bad))
        self.event_table.set_rows(events)
        self.upload_table.set_rows(r.uploads)
        self.report_tabs.setTabVisible(self.coverage_index, r.coverage is not None)
        self.coverage_table.set_rows(r.coverage or [])

    def load_termination(self) -> None:
        if self.termination_tab is None:
            return
        actor, today = self.ctx.actor, self.ctx.today()
        if self.termination_task is not None and self.termination_task.is_running:
            self.termination_task.cancel()
        self.termination_task = run_task(self, lambda _p: reports.termination(actor, today), title=self.tr("终止备案报告"),
                                         dialog=False, on_done=self._termination_loaded, on_error=self.refused)

    def _termination_loaded(self, r: reports.TerminationReport) -> None:
        self.termination = r
        self.termination_facts.set_facts([
            (self.tr("已发证书"), str(len(r.certificates))),
            (self.tr("其中有效"), str(r.valid_certificates)),
            (self.tr("有效但未上报"), str(r.not_uploaded)),
            (self.tr("待退费用"), self.tr("%1 笔，%2 元").replace("%1", str(len(r.refunds)))
             .replace("%2", f"{r.refund_cents / 100:.2f}")),
            (self.tr("已归档批次"), str(len(r.archives))),
            (self.tr("尚未归档批次"), "、".join(r.unarchived_sittings) or self.tr("无")),
        ])
        self.term_certs.set_rows(r.certificates)
        self.term_refunds.set_rows(r.refunds)
        self.term_archives.set_rows(r.archives)

    # --- actions: archives ------------------------------------------------------------------------------
    def mark_reported(self) -> None:
        status = self.loaded.status if self.loaded else None
        if status is None or not self.can_report:
            return
        actor, code = self.ctx.actor, status.code
        run_task(self, lambda _p: archives.mark_reported(actor, code), title=self.tr("登记上报完成"),
                 on_done=lambda _r: self.changed(self.tr("认定批次已登记为“已上报”，可以归档。"), sittings=True),
                 on_error=self.refused)

    def archive(self) -> None:
        status = self.loaded.status if self.loaded else None
        if status is None or not self.can_manage or status.state != "reported":
            return
        self.open_dialog(ArchiveDialog(self.ctx.actor, status, self),
                         lambda view: self.changed(self.tr("已归档 %1 项：纸质保管至 %2，电子保管至 %3，纸质原件存放于 %4。")
                                                   .replace("%1", str(len(view.items)))
                                                   .replace("%2", f"{view.paper_until:%Y-%m-%d}")
                                                   .replace("%3", f"{view.electronic_until:%Y-%m-%d}")
                                                   .replace("%4", view.paper_location), sittings=True))

    def write_package(self, path: Path | None = None) -> None:
        chosen = self.selected_archive()
        if chosen is None or not self.can_export:
            return
        if path is None:
            name = f"档案包-{chosen.sitting_code}-{self.ctx.today():%Y%m%d}.zip"
            picked, _f = QFileDialog.getSaveFileName(self, self.tr("保存档案包"), str(documents_folder() / name),
                                                     self.tr("ZIP 压缩包 (*.zip)"))
            if not picked:
                return
            path = Path(picked if picked.lower().endswith(".zip") else picked + ".zip")
        actor, code, out = self.ctx.actor, chosen.sitting_code, Path(path)
        run_task(self, lambda _p: archives.write_package(actor, code, out), title=self.tr("生成档案包"),
                 label=self.tr("正在整理档案、签名并打包……"),
                 on_done=lambda info: self.changed(
                     self.tr("已生成档案包 %1（SHA-256 %2…）。它含考生个人信息，请妥善保管；可用 jlexam batch verify 校验。")
                     .replace("%1", str(out)).replace("%2", info.sha256[:16])),
                 on_error=self.refused)

    def destroy(self) -> None:
        chosen = self.selected_archive()
        items = self.index.selected_rows()
        if chosen is None or not items or not self.destroy_button.isEnabled():
            return
        self.open_dialog(DestroyDialog(self.ctx.actor, chosen.sitting_code, items, self),
                         lambda n: self.changed(self.tr("已销毁 %1 项档案，已记入审计日志。").replace("%1", str(n))))

    # --- actions: reports -------------------------------------------------------------------------------
    def _save_path(self, stem: str, kind: str) -> Path | None:
        suffix = ".pdf" if kind == "pdf" else ".xlsx"
        filt = self.tr("PDF 文件 (*.pdf)") if kind == "pdf" else self.tr("Excel 工作簿 (*.xlsx)")
        picked, _f = QFileDialog.getSaveFileName(self, self.tr("保存报表"),
                                                 str(documents_folder() / f"{stem}-{self.ctx.today():%Y%m%d}{suffix}"), filt)
        if not picked:
            return None
        return Path(picked if picked.lower().endswith(suffix) else picked + suffix)

    def export_oversight(self, kind: str, path: Path | None = None) -> None:
        if not self.can_reports:
            return
        path = path or self._save_path("认定工作统计报表", kind)
        if path is None:
            return
        actor, (start, end), out = self.ctx.actor, self.period(), Path(path)
        pdf, xlsx = (out, None) if kind == "pdf" else (None, out)
        run_task(self, lambda _p: reports.write_oversight(actor, pdf, xlsx, start, end), title=self.tr("导出统计报表"),
                 on_done=lambda _r: self.show_notice(self.tr("已导出认定工作统计报表：%1").replace("%1", str(out))),
                 on_error=self.refused)

    def export_termination(self, kind: str, path: Path | None = None) -> None:
        if not self.can_terminate:
            return
        path = path or self._save_path("终止备案收尾工作报告", kind)
        if path is None:
            return
        actor, out = self.ctx.actor, Path(path)
        pdf, xlsx = (out, None) if kind == "pdf" else (None, out)
        run_task(self, lambda _p: reports.write_termination(actor, pdf, xlsx), title=self.tr("导出终止备案报告"),
                 on_done=lambda _r: self.show_notice(
                     self.tr("已导出终止备案收尾工作报告：%1（含持证人个人信息，已记入审计日志）").replace("%1", str(out))),
                 on_error=self.refused)
