"""The scores page (成绩, 002 §25): double blind entry by two clerks, reconciliation, settling, locking, audited
changes and the results.

A clerk sees only the marks they entered themselves in the chosen round (``scoring.entry_sheet`` is blind);
the reconciliation, which shows both rounds' marks where they differ, is shown only to the supervisor who
settles them. Every rule is the services'; refusals are shown in Chinese where the user is looking.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from jlexam.domain.sitting_state import SittingState
from jlexam.domain.standards import ExamPart
from jlexam.errors import JlexamError
from jlexam.services import marking, scoring
from ui.context import AppContext
from ui.labels import SEPARATOR, label
from ui.navigation import Stage
from ui.pages.base import RED, gate
from ui.pages.sittings import TaskDialog
from ui.pages.work import WorkPage, documents_folder
from ui.tables import Column, TableView
from ui.tasks import Progress, run_task
from ui.widgets import Banner, Card, confirm, primary

PARTS = tuple(ExamPart)
MARK_HINT = "分数 0–100（最多一位小数），或“缺考”“违纪”"


# --- data ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Loaded:
    code: str | None
    part: str
    round_no: int
    sheet: list[scoring.EntryRow]
    sheet_error: str
    reconciliation: scoring.ReconciliationView | None
    names: dict[int, str]
    marking: tuple[marking.SessionMarking, ...] = ()


def _load(actor, code: str | None, part: str, round_no: int, settle: bool) -> Loaded:  # type: ignore[no-untyped-def]
    """Runs on the thread pool."""
    if code is None:
        return Loaded(None, part, round_no, [], "", None, {})
    markers = tuple(marking.marking_overview(actor, code, part))
    try:
        sheet = scoring.entry_sheet(actor, code, part, round_no)
    except JlexamError as exc:  # e.g. past 已评分: entry is closed, corrections still go through 更正
        names: dict[int, str] = {}
        if actor.can("scores.change") and actor.can("candidates.view"):
            from jlexam.services import eligibility

            names = {
                r.id: r.name for r in eligibility.list_applications(actor, code) if r.decision == "approved"
            }
        return Loaded(code, part, round_no, [], exc.message, None, names, markers)
    rec = scoring.reconciliation(actor, code, part) if settle else None
    return Loaded(code, part, round_no, sheet, "", rec, {r.application_id: r.name for r in sheet}, markers)


@dataclass(frozen=True)
class Mismatch:
    application_id: int
    name: str
    first: str
    second: str


# --- dialogs ---------------------------------------------------------------------------------------------
class SettleDialog(TaskDialog):
    """核定: the supervisor checks the paper and settles the mark, with the basis (002 §25)."""

    def __init__(self, actor, part: str, row: Mismatch, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(self.tr("核定成绩"), self.tr("核定并锁定"), parent)
        self.actor, self.part, self.row = actor, part, row
        candidate = self.tr("%1（报名号 %2）").replace("%1", row.name).replace("%2", str(row.application_id))
        self.form.addRow(self.tr("考生"), QLabel(candidate))
        self.form.addRow(self.tr("考核部分"), QLabel(label(ExamPart(part).label)))
        self.form.addRow(
            self.tr("两轮录入"),
            QLabel(
                self.tr("第 1 轮 %1；第 2 轮 %2")
                .replace("%1", row.first or "—")
                .replace("%2", row.second or "—")
            ),
        )
        self.mark = QLineEdit()
        self.mark.setPlaceholderText(label(MARK_HINT))
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(self.tr("例如：复核原始答卷，第二轮录入有误"))
        self.reason.setFixedHeight(80)
        self.form.addRow(self.tr("核定成绩 *"), self.mark)
        self.form.addRow(self.tr("核定依据 *"), self.reason)
        self.finish_layout()
        self.resize(560, 300)

    def work(self) -> Callable[[Progress], Any] | None:
        actor, app_id, part = self.actor, self.row.application_id, self.part
        mark, reason = self.mark.text().strip(), self.reason.toPlainText().strip()
        if not mark:
            self.show_message(self.tr("请填写核定的成绩。"))
            return None
        return lambda _p: scoring.settle(actor, app_id, part, mark, reason)


class ChangeDialog(TaskDialog):
    """更正: a locked score changes only with a reason, and the change is audited."""

    def __init__(self, actor, part: str, names: dict[int, str], parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(self.tr("更正已锁定的成绩"), self.tr("更正"), parent)
        self.actor = actor
        self.candidate = QComboBox()
        self.candidate.setEditable(False)
        for app_id, name in sorted(names.items()):
            self.candidate.addItem(self.tr("%1（%2）").replace("%1", name).replace("%2", str(app_id)), app_id)
        self.part = QComboBox()
        for p in PARTS:
            self.part.addItem(label(p.label), p.value)
        self.part.setCurrentIndex(self.part.findData(part))
        self.mark = QLineEdit()
        self.mark.setPlaceholderText(label(MARK_HINT))
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(self.tr("写明更正的理由和依据"))
        self.reason.setFixedHeight(80)
        self.form.addRow(self.tr("考生 *"), self.candidate)
        self.form.addRow(self.tr("考核部分 *"), self.part)
        self.form.addRow(self.tr("更正后成绩 *"), self.mark)
        self.form.addRow(self.tr("理由 *"), self.reason)
        note = QLabel(self.tr("更正记入审计日志；公示后更正的成绩须重新公示。"))
        note.setObjectName("Hint")
        self.outer.addWidget(note)
        self.finish_layout()
        self.resize(520, 320)

    def work(self) -> Callable[[Progress], Any] | None:
        app_id = self.candidate.currentData()
        if app_id is None:
            self.show_message(self.tr("请选择考生。"))
            return None
        actor, part = self.actor, self.part.currentData()
        mark, reason = self.mark.text().strip(), self.reason.toPlainText().strip()
        return lambda _p: scoring.change_score(actor, app_id, part, mark, reason)


class MarkerDialog(TaskDialog):
    """安排阅卷人: choose a qualified assessor to mark a session, in one room or all (002 §25).

    The list offers the registry's assessors, the qualified first; one who is not qualified stays visible
    with the reason, and the service refuses them anyway, naming the rule."""

    def __init__(self, actor, sessions: list[marking.SessionMarking], parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(self.tr("安排阅卷人"), self.tr("选配"), parent)
        self.actor = actor
        self.choices: list[marking.MarkerChoice] = []
        self.session = QComboBox()
        for x in sessions:
            self.session.addItem(
                self.tr("%1（考生 %2 人）").replace("%1", x.session).replace("%2", str(x.candidates)), x.session_id
            )
        self.room = QComboBox()
        self.staff = QComboBox()
        self.staff.setMinimumWidth(380)
        self.reason = QLabel()
        self.reason.setObjectName("Hint")
        self.reason.setWordWrap(True)
        self.form.addRow(self.tr("场次 *"), self.session)
        self.form.addRow(self.tr("考场 *"), self.room)
        self.form.addRow(self.tr("考评员 *"), self.staff)
        self.form.addRow("", self.reason)
        note = QLabel(
            self.tr(
                "阅卷人须是考务人员名册中登记的考评员：在聘、聘用有效期覆盖考试日、聘用范围含所阅考生的"
                "职业和等级（002 第二十五条、第三十八条）。不在名册中的，请先在“考务人员”页登记。"
            )
        )
        note.setObjectName("Hint")
        note.setWordWrap(True)
        self.outer.addWidget(note)
        self.finish_layout()
        self.session.currentIndexChanged.connect(lambda _i: self._load_rooms())
        self.room.currentIndexChanged.connect(lambda _i: self._load_choices())
        self.staff.currentIndexChanged.connect(lambda _i: self._show_reason())
        self.outer.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)  # grow with the reasons shown
        self.resize(680, 420)
        self._load_rooms()

    def _load_rooms(self) -> None:
        session_id = self.session.currentData()
        if session_id is None:
            return
        actor = self.actor
        run_task(
            self,
            lambda _p: marking.session_rooms(actor, session_id),
            dialog=False,
            on_done=self._rooms_loaded,
            on_error=lambda exc: self.show_message(str(exc)),
        )

    def _rooms_loaded(self, rooms: list[tuple[int, str]]) -> None:
        self.room.blockSignals(True)
        self.room.clear()
        self.room.addItem(self.tr("本场次全部考场"), None)
        for room_id, room_label in rooms:
            self.room.addItem(label(room_label), room_id)
        self.room.blockSignals(False)
        self._load_choices()

    def _load_choices(self) -> None:
        session_id, room = self.session.currentData(), self.room.currentData()
        if session_id is None:
            return
        actor = self.actor
        run_task(
            self,
            lambda _p: marking.marker_choices(actor, session_id, room),
            dialog=False,
            on_done=self._choices_loaded,
            on_error=lambda exc: self.show_message(str(exc)),
        )

    def _choices_loaded(self, choices: list[marking.MarkerChoice]) -> None:
        self.choices = choices
        self.staff.blockSignals(True)
        self.staff.clear()
        for c in choices:
            suffix = "" if c.qualified else self.tr("（不符合条件）")
            self.staff.addItem(f"{c.name}　{c.certificate_number}{suffix}", c.staff_id)
            if not c.qualified:
                self.staff.setItemData(
                    self.staff.count() - 1, "\n".join(c.problems), Qt.ItemDataRole.ToolTipRole
                )
        self.staff.blockSignals(False)
        if not choices:
            self.reason.setText(self.tr("名册中还没有考评员：请先在“考务人员”页登记考评员。"))
        self._show_reason()

    def _show_reason(self) -> None:
        index = self.staff.currentIndex()
        if 0 <= index < len(self.choices):
            c = self.choices[index]
            self.reason.setText(self.tr("符合条件。") if c.qualified else "\n".join(c.problems))
            self.reason.setStyleSheet("" if c.qualified else "color: #b42318;")

    def choose(self, name: str, room_id: int | None = None) -> None:
        """Pick a person (and a room) by name; tests and keyboard users."""
        self.room.setCurrentIndex(self.room.findData(room_id))
        for i, c in enumerate(self.choices):
            if c.name == name:
                self.staff.setCurrentIndex(i)
                return
        raise KeyError(name)

    def work(self) -> Callable[[Progress], Any] | None:
        session_id, room, staff_id = (
            self.session.currentData(),
            self.room.currentData(),
            self.staff.currentData(),
        )
        if session_id is None or staff_id is None:
            self.show_message(self.tr("请选择场次和考评员。"))
            return None
        actor = self.actor
        return lambda _p: marking.assign_marker(actor, session_id, staff_id, room)


# --- the page --------------------------------------------------------------------------------------------
class ScoresPage(WorkPage):
    def __init__(self, ctx: AppContext, stage: Stage, parent: QWidget | None = None) -> None:
        super().__init__(ctx, stage, parent)
        actor = ctx.actor
        self.can_enter = actor.can("scores.enter")
        self.can_settle = actor.can("scores.settle")
        self.can_change = actor.can("scores.change")
        self.can_mark = actor.can("marking.manage")
        self.loaded: Loaded | None = None
        self.mismatches: list[Mismatch] = []

        self.part = QComboBox()
        for p in PARTS:
            self.part.addItem(label(p.label), p.value)
        self.round = QComboBox()
        self.round.addItem(self.tr("第 1 轮（第一人）"), 1)
        self.round.addItem(self.tr("第 2 轮（第二人）"), 2)
        self.round.setVisible(self.can_enter)
        self.actions.addWidget(QLabel(self.tr("考核部分")))
        self.actions.addWidget(self.part)
        self.actions.addWidget(self.round)
        self.part.currentIndexChanged.connect(lambda _i: self.refresh())
        self.round.currentIndexChanged.connect(lambda _i: self.refresh())
        self.content.addWidget(self._markers_card())

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        self.entry_card = self._entry_card()
        self.check_card = self._check_card()
        splitter.addWidget(self.entry_card)
        splitter.addWidget(self.check_card)
        self.entry_card.setVisible(self.can_enter)
        self.check_card.setVisible(self.can_settle)
        splitter.setSizes([620, 520])
        self.content.addWidget(splitter, 1)
        if not (self.can_enter or self.can_settle):
            self.content.addWidget(
                Banner(self.tr("您可以查看本页，录入成绩须考务人员，核定和锁定须主考/质量督导。"), "info")
            )
        ctx.sitting_changed.connect(self.refresh)

    def _markers_card(self) -> Card:
        card = Card(self.tr("阅卷人（002 第二十五条）"))
        self.assign_button = QPushButton(self.tr("安排阅卷人…"))
        self.assign_button.setToolTip(self.tr("从合格的考评员中为场次或考场选配阅卷人"))
        self.unassign_button = QPushButton(self.tr("取消选配"))
        self.list_button = QPushButton(self.tr("名单"))
        self.list_button.setCheckable(True)
        self.list_button.setToolTip(self.tr("显示或隐藏阅卷人名单（选中一行可取消选配）"))
        self.list_button.toggled.connect(lambda on: self.marker_table.setVisible(on))
        self.sheets_button = QPushButton(self.tr("写出评分记录表…"))
        self.sheets_button.setToolTip(
            self.tr("按场次和考场写出 Excel 录入表和打印用的 PDF 评分记录表（含阅卷人签字栏）")
        )
        self.assign_button.clicked.connect(lambda: self.assign_marker())
        self.unassign_button.clicked.connect(lambda: self.unassign_marker())
        self.sheets_button.clicked.connect(lambda: self.write_sheets())
        for b in (self.assign_button, self.unassign_button):
            b.setVisible(self.can_mark)
        for b in (self.list_button, self.assign_button, self.unassign_button, self.sheets_button):
            card.header.addWidget(b)
        self.marker_banner = Banner("", "warn")
        self.marker_banner.setVisible(False)
        card.body.addWidget(self.marker_banner)
        self.marker_table = TableView(
            [
                Column(self.tr("场次"), lambda m: label(m.session), width=230),
                Column(self.tr("考场"), lambda m: label(m.room), width=260),
                Column(self.tr("阅卷人"), lambda m: m.name, width=110),
                Column(self.tr("考评员证号"), lambda m: m.certificate_number, width=140),
                Column(self.tr("选配人"), lambda m: m.assigned_by),
            ],
            empty_text=self.tr("本部分尚未选配阅卷人。"),
            search=False,
        )
        self.marker_table.setMaximumHeight(130)
        self.marker_table.selection_changed.connect(self._update_buttons)
        self.marker_table.setVisible(False)  # the banner names the markers; the list is shown on demand
        card.body.addWidget(self.marker_table)
        return card

    # --- building ---------------------------------------------------------------------------------------
    def _entry_card(self) -> Card:
        card = Card(self.tr("录入成绩"))
        self.export_button = QPushButton(self.tr("导出录入表…"))
        self.export_button.setToolTip(self.tr("导出本轮的 Excel 成绩录入表，填好后再导入"))
        self.import_button = QPushButton(self.tr("导入录入表…"))
        self.export_button.clicked.connect(lambda: self.export_workbook())
        self.import_button.clicked.connect(lambda: self.import_workbook())
        card.header.addWidget(self.export_button)
        card.header.addWidget(self.import_button)
        self.blind_hint = QLabel()
        self.blind_hint.setObjectName("Hint")
        self.blind_hint.setWordWrap(True)
        card.body.addWidget(self.blind_hint)
        self.sheet = QTableWidget(0, 6)
        self.sheet.setHorizontalHeaderLabels(
            [self.tr("报名号"), self.tr("姓名"), self.tr("证件号码"), self.tr("等级"), self.tr("成绩"),
             self.tr("考场记录")]
        )
        self.sheet.horizontalHeaderItem(5).setToolTip(
            self.tr("监考人员在考场记录中登记的缺考或违纪：这些考生须录“缺考”或“违纪”（违纪者该部分成绩无效）")
        )
        self.sheet.verticalHeader().setVisible(False)
        self.sheet.verticalHeader().setDefaultSectionSize(30)
        self.sheet.setAlternatingRowColors(True)
        self.sheet.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.sheet.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        header = self.sheet.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate((70, 90, 170, 110, 120)):
            self.sheet.setColumnWidth(col, width)
        header.setStretchLastSection(True)
        card.body.addWidget(self.sheet, 1)
        row = QHBoxLayout()
        self.entry_count = QLabel()
        self.entry_count.setObjectName("Hint")
        row.addWidget(self.entry_count, 1)
        self.save_button = primary(QPushButton(self.tr("保存本轮录入")))
        self.save_button.setToolTip(self.tr("只保存填写了成绩的行；空白的行留待以后录入"))
        self.save_button.clicked.connect(self.save_marks)
        row.addWidget(self.save_button)
        card.body.addLayout(row)
        self.sheet.itemChanged.connect(lambda _i: self._count_entered())
        return card

    def _check_card(self) -> Card:
        card = Card(self.tr("核对、核定与锁定"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        card.body.addWidget(self.summary)
        caption = QLabel(self.tr("两轮录入不一致的成绩："))
        caption.setObjectName("Hint")
        card.body.addWidget(caption)
        self.mismatch_table = TableView(
            [
                Column(self.tr("报名号"), lambda m: m.application_id, width=70),
                Column(self.tr("姓名"), lambda m: m.name, width=90),
                Column(self.tr("第 1 轮"), lambda m: m.first, width=80, color=lambda _m: "#b42318"),
                Column(self.tr("第 2 轮"), lambda m: m.second, width=80, color=lambda _m: "#b42318"),
            ],
            empty_text=self.tr("没有不一致的成绩。"),
            search=False,
        )
        self.mismatch_table.selection_changed.connect(self._update_buttons)
        self.mismatch_table.activated_row.connect(lambda _r: self.settle_selected())
        card.body.addWidget(self.mismatch_table, 1)
        buttons = QHBoxLayout()
        self.settle_button = QPushButton(self.tr("核定…"))
        self.settle_button.setToolTip(self.tr("复核原始答卷后核定不一致的成绩"))
        self.lock_button = primary(QPushButton(self.tr("锁定本部分成绩")))
        self.change_button = QPushButton(self.tr("更正成绩…"))
        self.results_button = QPushButton(self.tr("判定成绩结果"))
        self.results_button.setToolTip(
            self.tr("按各职业标准的合格线判定全部考生是否合格；须各部分成绩均已锁定")
        )
        self.settle_button.clicked.connect(self.settle_selected)
        self.lock_button.clicked.connect(self.lock)
        self.change_button.clicked.connect(self.change)
        self.results_button.clicked.connect(self.compute_results)
        self.change_button.setVisible(self.can_change)
        buttons.addWidget(self.change_button)
        buttons.addStretch(1)
        for b in (self.settle_button, self.results_button, self.lock_button):
            buttons.addWidget(b)
        card.body.addLayout(buttons)
        return card

    # --- data -------------------------------------------------------------------------------------------
    @property
    def part_value(self) -> str:
        return self.part.currentData()

    @property
    def round_no(self) -> int:
        return int(self.round.currentData()) if self.can_enter else 1

    def refresh(self) -> None:
        actor, code, part, round_no, settle = (
            self.ctx.actor,
            self.code,
            self.part_value,
            self.round_no,
            self.can_settle,
        )
        self.load(lambda _p: _load(actor, code, part, round_no, settle), self._loaded, self.tr("读取成绩"))

    def _loaded(self, loaded: Loaded) -> None:
        self.loaded = loaded
        part_label = label(ExamPart(loaded.part).label)
        if loaded.code is None:
            self.set_status(self.tr("尚无认定批次。"), "info")
        elif loaded.sheet_error:
            closed = self.ctx.sitting is not None and self.ctx.sitting.state in (
                "marked",
                "publicised",
                "final",
                "certified",
                "reported",
                "archived",
            )
            self.set_status(
                loaded.sheet_error
                + (
                    self.tr("成绩已锁定并判定；如需修改，请由主考使用“更正成绩”并写明理由。")
                    if closed
                    else ""
                ),
                "info" if closed else "warn",
            )
        else:
            state = SittingState(self.ctx.sitting.state) if self.ctx.sitting is not None else None
            self.set_status(self._scoring_block(state), "info")
        self.blind_hint.setText(
            self.tr(
                "%1，第 %2 轮。这里只显示您本人在本轮录入的成绩；另一轮由另一位工作人员独立录入，"
                "两轮互不可见（002 第二十五条）。成绩填写：%3。"
            )
            .replace("%1", part_label)
            .replace("%2", str(loaded.round_no))
            .replace("%3", label(MARK_HINT))
        )
        self._fill_sheet(loaded.sheet)
        self._show_markers(loaded)
        usable = loaded.code is not None and not loaded.sheet_error
        self.export_button.setEnabled(usable and bool(loaded.sheet))
        rec = loaded.reconciliation
        self.mismatches = (
            [Mismatch(a, loaded.names.get(a, ""), r1, r2) for a, r1, r2 in rec.mismatches] if rec else []
        )
        self.mismatch_table.set_rows(self.mismatches)
        if rec is None:
            self.summary.setText(loaded.sheet_error or "")
        else:
            missing = len(rec.missing_first) + len(rec.missing_second)
            if rec.locked and not (rec.agreed or rec.mismatches or missing):
                # everything was reconciled and locked: say so rather than "0 agree, 0 differ"
                self.summary.setText(
                    self.tr("%1：%2 条成绩已经两轮核对并锁定；如需修改，请由主考使用“更正成绩”并写明理由。")
                    .replace("%1", part_label)
                    .replace("%2", str(rec.locked))
                )
                self._update_buttons()
                return
            text = (
                self.tr(
                    "%1：两轮一致 %2 条，不一致 %3 条，第 1 轮未录 %4 条，第 2 轮未录 %5 条；已锁定 %6 条。"
                )
                .replace("%1", part_label)
                .replace("%2", str(rec.agreed))
                .replace("%3", str(len(rec.mismatches)))
                .replace("%4", str(len(rec.missing_first)))
                .replace("%5", str(len(rec.missing_second)))
                .replace("%6", str(rec.locked))
            )
            if rec.mismatches or missing:
                text += self.tr("\n不一致的须复核原始答卷后核定，未录完的须补录，之后才能锁定。")
            self.summary.setText(text)
        self._update_buttons()

    def _show_markers(self, loaded: Loaded) -> None:
        rows = [m for x in loaded.marking for m in x.markers]
        self.marker_table.set_rows(rows)
        self.list_button.setText(self.tr("名单（%1）").replace("%1", str(len(rows))))
        problems = [p for x in loaded.marking for p in x.problems]
        on_spot = [(x.session, r) for x in loaded.marking for r in x.rooms if r.assessors and not r.markers]
        self.marker_banner.setToolTip("\n".join(problems))
        comma, semicolon = label(SEPARATOR), self.tr("；")
        if problems:
            places = []
            for x in loaded.marking:
                if not x.problems:
                    continue
                lacking = [label(r.room) for r in x.rooms if not r.markers]
                session = label(x.session)
                places.append(f"{session} {comma.join(lacking)}" if x.markers and lacking else session)
            text = self.tr(
                "锁定本部分成绩前，须从合格的考评员中选配阅卷人（002 第二十五条）。尚无阅卷人：%1"
            ).replace("%1", semicolon.join(places))
            self.marker_banner.set(text, "warn")
        elif on_spot:
            text = (
                self.tr("未另选阅卷人的考场由考场考评员现场评分：")
                + semicolon.join(f"{label(r.room)} {comma.join(r.assessors)}" for _s, r in on_spot[:4])
                + ("…" if len(on_spot) > 4 else "")
            )
            self.marker_banner.set(text, "info")
        elif loaded.marking and any(x.markers for x in loaded.marking):
            names = semicolon.join(
                f"{label(x.session)} "
                + comma.join(self.tr("%1（%2）").replace("%1", m.name).replace("%2", label(m.room)) for m in x.markers)
                for x in loaded.marking
                if x.markers
            )
            self.marker_banner.set(self.tr("各考场均已选配阅卷人：%1").replace("%1", names), "ok")
        else:
            self.marker_banner.set("", "info")
        self.marker_banner.setVisible(bool(self.marker_banner.label.text()))

    def _fill_sheet(self, rows: list[scoring.EntryRow]) -> None:
        self.sheet.blockSignals(True)
        self.sheet.setRowCount(len(rows))
        for r, row in enumerate(rows):
            values = (str(row.application_id), row.name, row.id_number_masked, label(row.level.written))
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                item.setData(Qt.ItemDataRole.UserRole, row.application_id)
                self.sheet.setItem(r, c, item)
            mark = QTableWidgetItem(row.my_mark)
            mark.setData(Qt.ItemDataRole.UserRole, row.application_id)
            self.sheet.setItem(r, 4, mark)
            recorded = QTableWidgetItem(label(row.recorded) if row.recorded else "")
            recorded.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            if row.recorded:
                recorded.setForeground(QColor(RED))
            self.sheet.setItem(r, 5, recorded)
        self.sheet.blockSignals(False)
        self._count_entered()

    def _count_entered(self) -> None:
        total = self.sheet.rowCount()
        filled = sum(
            1 for r in range(total) if (self.sheet.item(r, 4) and self.sheet.item(r, 4).text().strip())
        )
        self.entry_count.setText(
            self.tr("已填 %1 / 共 %2 人").replace("%1", str(filled)).replace("%2", str(total))
        )

    def _update_buttons(self) -> None:
        has_sitting = self.loaded is not None and self.loaded.code is not None and not self.loaded.sheet_error
        state = SittingState(self.ctx.sitting.state) if self.ctx.sitting is not None else None
        # the services refuse the rest; the page says so before anyone tries
        block = self._scoring_block(state)
        change_block = "" if state in scoring.CHANGEABLE_STATES else block
        choose_block = "" if state in marking.MARKER_STATES else block
        ready = bool(self.loaded and self.loaded.sheet)
        gate(self.save_button, block, ready=has_sitting and ready)
        gate(self.import_button, block, ready=has_sitting and ready)
        gate(self.settle_button, block, ready=len(self.mismatch_table.selected_rows()) == 1)
        gate(self.lock_button, block, ready=has_sitting)
        gate(self.results_button, block, ready=has_sitting)
        gate(self.change_button, change_block, ready=bool(self.loaded and self.loaded.names))
        has_sessions = bool(self.loaded and self.loaded.marking)
        gate(self.assign_button, choose_block, ready=has_sessions)
        gate(self.unassign_button, choose_block, ready=len(self.marker_table.selected_rows()) == 1)
        self.sheets_button.setEnabled(has_sessions)

    def _scoring_block(self, state: SittingState | None) -> str:
        if state is None or state in scoring.SCORING_STATES:
            return ""
        if state in (SittingState.CLOSED, SittingState.ARRANGED, SittingState.TICKETED):
            return self.tr("考试尚未结束：在“准考证与签到”页标记为已考试后，才能录入、核定和锁定成绩。")
        return self.tr("认定批次当前为“%1”：成绩已判定或已确定，不能再做此操作。").replace("%1", label(state.label))

    # --- entering ---------------------------------------------------------------------------------------
    def set_mark(self, application_id: int, text: str) -> None:
        """Type a mark into the sheet (keyboard users type into the cell; tests call this)."""
        for r in range(self.sheet.rowCount()):
            if self.sheet.item(r, 4).data(Qt.ItemDataRole.UserRole) == application_id:
                self.sheet.item(r, 4).setText(text)
                return
        raise KeyError(application_id)

    def entered_marks(self) -> dict[int, str]:
        marks = {}
        for r in range(self.sheet.rowCount()):
            item = self.sheet.item(r, 4)
            if item is not None and item.text().strip():
                marks[int(item.data(Qt.ItemDataRole.UserRole))] = item.text().strip()
        return marks

    def save_marks(self) -> None:
        if not self.can_enter or self.code is None:
            return
        marks = self.entered_marks()
        if not marks:
            self.show_notice(self.tr("还没有填写任何成绩。"), "warn")
            return
        actor, code, part, round_no = self.ctx.actor, self.code, self.part_value, self.round_no
        self.save_button.setEnabled(False)
        handle = run_task(
            self,
            lambda _p: scoring.enter_scores(actor, code, part, round_no, marks),
            title=self.tr("保存成绩"),
            on_done=lambda n: self.changed(
                self.tr("已保存第 %1 轮%2成绩 %3 条。")
                .replace("%1", str(round_no))
                .replace("%2", label(ExamPart(part).label))
                .replace("%3", str(n))
            ),
            on_error=self.refused,
        )
        handle.finished.connect(lambda: self.save_button.setEnabled(True))

    def export_workbook(self, path: Path | None = None) -> None:
        if self.loaded is None or not self.loaded.sheet or self.ctx.sitting is None:
            return
        part_label = label(ExamPart(self.part_value).label)
        if path is None:
            name = (
                self.tr("%1-%2-第%3轮录入表.xlsx")
                .replace("%1", self.ctx.sitting.code)
                .replace("%2", part_label)
                .replace("%3", str(self.round_no))
            )
            chosen, _f = QFileDialog.getSaveFileName(
                self,
                self.tr("导出成绩录入表"),
                str(documents_folder() / name),
                self.tr("Excel 工作簿 (*.xlsx)"),
            )
            if not chosen:
                return
            path = Path(chosen if chosen.lower().endswith(".xlsx") else chosen + ".xlsx")
        actor, code, part, round_no, target = (
            self.ctx.actor,
            self.ctx.sitting.code,
            self.part_value,
            self.round_no,
            Path(path),
        )

        def write(_p: Progress) -> Path:  # the whole part in one workbook, rows by room and seat
            scoring.write_score_sheets(actor, code, part, round_no, target, by_room=False, pdf=False)
            return target

        run_task(
            self,
            write,
            title=self.tr("导出成绩录入表"),
            on_done=lambda p: self.show_notice(self.tr("录入表已保存到 %1。").replace("%1", str(p))),
            on_error=self.refused,
        )

    def import_workbook(self, path: Path | None = None) -> None:
        if not self.can_enter or self.code is None:
            return
        if path is None:
            chosen, _f = QFileDialog.getOpenFileName(
                self, self.tr("导入成绩录入表"), str(documents_folder()), self.tr("Excel 工作簿 (*.xlsx)")
            )
            if not chosen:
                return
            path = Path(chosen)
        actor, code, part, round_no, source = (
            self.ctx.actor,
            self.code,
            self.part_value,
            self.round_no,
            Path(path),
        )
        run_task(
            self,
            lambda _p: scoring.import_score_workbook(actor, code, part, round_no, source),
            title=self.tr("导入成绩录入表"),
            on_done=lambda n: self.changed(
                self.tr("已从 %1 录入第 %2 轮成绩 %3 条。")
                .replace("%1", source.name)
                .replace("%2", str(round_no))
                .replace("%3", str(n))
            ),
            on_error=self.refused,
        )

    # --- settling, locking ------------------------------------------------------------------------------
    def select_mismatch(self, application_id: int) -> None:
        from PySide6.QtCore import QItemSelectionModel

        view, proxy = self.mismatch_table.view, self.mismatch_table.proxy
        view.clearSelection()
        for r in range(proxy.rowCount()):
            if proxy.source_row_object(proxy.index(r, 0)).application_id == application_id:
                view.selectionModel().select(
                    proxy.index(r, 0),
                    QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
                )
        self._update_buttons()

    def settle_selected(self) -> None:
        chosen = self.mismatch_table.selected_rows()
        if len(chosen) != 1 or not self.can_settle:
            return
        row = chosen[0]
        self.open_dialog(
            SettleDialog(self.ctx.actor, self.part_value, row, self),
            lambda _v: self.changed(
                self.tr("已核定 %1 的成绩并锁定，依据已记入审计日志。").replace("%1", row.name)
            ),
        )

    def lock(self) -> None:
        if not self.can_settle or self.code is None:
            return
        actor, code, part = self.ctx.actor, self.code, self.part_value
        run_task(
            self,
            lambda _p: scoring.lock_scores(actor, code, part),
            title=self.tr("锁定成绩"),
            on_done=lambda n: self.changed(
                self.tr("已锁定%1成绩 %2 条。锁定后只能由主考写明理由更正。")
                .replace("%1", label(ExamPart(part).label))
                .replace("%2", str(n))
            ),
            on_error=self.refused,
        )

    def change(self) -> None:
        if not self.can_change or self.loaded is None:
            return
        self.open_dialog(
            ChangeDialog(self.ctx.actor, self.part_value, self.loaded.names, self),
            lambda _v: self.changed(self.tr("成绩已更正，更正记录已记入审计日志。")),
        )

    def compute_results(self) -> None:
        if not self.can_settle or self.code is None:
            return
        if not confirm(
            self,
            self.tr("判定成绩结果"),
            self.tr("按已锁定的成绩判定全部考生是否合格，批次将变为“已评分”。"),
            self.tr("判定"),
            irreversible=False,
        ):
            return
        self.run_results()

    def run_results(self) -> None:
        actor, code = self.ctx.actor, self.code

        def done(counts: dict[str, int]) -> None:
            self.changed(
                self.tr("成绩结果已判定：合格 %1 人，不合格 %2 人，缺考 %3 人。可以发布公示。")
                .replace("%1", str(counts.get("passed", 0)))
                .replace("%2", str(counts.get("failed", 0)))
                .replace("%3", str(counts.get("absent", 0))),
                sittings=True,
            )

        run_task(
            self,
            lambda _p: scoring.compute_results(actor, code),
            title=self.tr("判定成绩结果"),
            on_done=done,
            on_error=self.refused,
        )

    # --- markers and score sheets -----------------------------------------------------------------------
    def assign_marker(self) -> None:
        if not self.can_mark or self.loaded is None or not self.loaded.marking:
            return
        dialog = MarkerDialog(self.ctx.actor, list(self.loaded.marking), self)
        self.open_dialog(
            dialog,
            lambda view: self.changed(
                self.tr("已选配 %1 为%2%3的阅卷人。")
                .replace("%1", view.name)
                .replace("%2", view.session)
                .replace("%3", view.room)
            ),
        )

    def select_marker(self, name: str) -> None:
        from PySide6.QtCore import QItemSelectionModel

        view, proxy = self.marker_table.view, self.marker_table.proxy
        view.clearSelection()
        for r in range(proxy.rowCount()):
            if proxy.source_row_object(proxy.index(r, 0)).name == name:
                view.selectionModel().select(
                    proxy.index(r, 0),
                    QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
                )
                break
        self._update_buttons()

    def unassign_marker(self) -> None:
        chosen = self.marker_table.selected_rows()
        if not self.can_mark or len(chosen) != 1:
            return
        m = chosen[0]
        if not confirm(
            self,
            self.tr("取消选配"),
            self.tr("取消 %1 在%2%3的阅卷安排？")
            .replace("%1", m.name)
            .replace("%2", label(m.session))
            .replace("%3", label(m.room)),
            self.tr("取消选配"),
            irreversible=False,
        ):
            return
        self.run_unassign(m)

    def run_unassign(self, m: marking.MarkerView) -> None:
        actor = self.ctx.actor
        run_task(
            self,
            lambda _p: marking.unassign_marker(actor, m.id),
            title=self.tr("取消选配"),
            on_done=lambda _r: self.changed(self.tr("已取消 %1 的阅卷安排。").replace("%1", m.name)),
            on_error=self.refused,
        )

    def write_sheets(self, folder: Path | None = None) -> None:
        """One Excel entry sheet (this round) and one printed marking sheet (PDF) per session and room."""
        if self.code is None or self.loaded is None:
            return
        if folder is None:
            chosen = QFileDialog.getExistingDirectory(
                self, self.tr("选择保存评分记录表的文件夹"), str(documents_folder())
            )
            if not chosen:
                return
            folder = Path(chosen)
        actor, code, part, round_no, target = (
            self.ctx.actor,
            self.code,
            self.part_value,
            self.round_no,
            Path(folder),
        )

        def done(files: list[scoring.SheetFile]) -> None:
            self.show_notice(
                self.tr("已写出%1的录入表和评分记录表 %2 份（第 %3 轮，共 %4 人）到 %5。")
                .replace("%1", label(ExamPart(part).label))
                .replace("%2", str(len(files)))
                .replace("%3", str(round_no))
                .replace("%4", str(sum(f.candidates for f in files)))
                .replace("%5", str(target))
            )

        run_task(
            self,
            lambda _p: scoring.write_score_sheets(actor, code, part, round_no, target),
            title=self.tr("写出评分记录表"),
            on_done=done,
            on_error=self.refused,
        )
