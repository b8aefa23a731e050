"""The publicity page (公示, 002 §25): publish the results for at least 5 working days, print the public list,
record and answer objections within their due dates, see what still blocks the certificates, and make the
results final.

The period and due dates come from the services' working-day calendar; the page shows them, highlights
objections that are unanswered (orange) or overdue (red), and says when an answer changed a score so that the
list must be published again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from jlexam.domain.standards import ExamPart
from jlexam.services import eligibility, publicity
from ui.context import AppContext
from ui.labels import label
from ui.navigation import Stage
from ui.pages.base import gate
from ui.pages.scores import MARK_HINT
from ui.pages.sittings import TaskDialog, date_edit
from ui.pages.work import WorkPage, preview, temp_pdf
from ui.sittings import state_name
from ui.tables import Column, TableView
from ui.tasks import Progress, run_task
from ui.widgets import Banner, Card, confirm, primary


@dataclass(frozen=True)
class Period:
    version: int
    start_on: date
    end_on: date
    provisional: bool


def current_period(actor, code: str) -> Period | None:  # type: ignore[no-untyped-def]
    """The latest publication of the sitting's results."""
    from jlexam.services.publicity import current_publicity

    view = current_publicity(actor, code)
    return None if view is None else Period(view.version, view.start_on, view.end_on, view.provisional)


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    id_number_masked: str


@dataclass(frozen=True)
class Loaded:
    code: str | None
    state: str
    period: Period | None
    objections: list[publicity.ObjectionView]
    blockers: list[str]
    candidates: list[Candidate]
    results: list[publicity.ResultRow]


def _load(actor, code: str | None, state: str, today: date) -> Loaded:  # type: ignore[no-untyped-def]
    """Runs on the thread pool."""
    if code is None:
        return Loaded(None, "", None, [], [], [], [])
    period = current_period(actor, code)
    objections = publicity.list_objections(actor, code)
    blockers = publicity.certification_blockers(actor, code, today)
    candidates = []
    if actor.can("candidates.view"):
        candidates = [Candidate(r.id, r.name, r.id_number_masked)
                      for r in eligibility.list_applications(actor, code) if r.decision == "approved"]
    results = publicity.result_rows(actor, code)
    return Loaded(code, state, period, objections, blockers, candidates, results)


def objection_state(o: publicity.ObjectionView, today: date) -> str:
    if o.answered_on is not None:
        return "late" if o.answered_on > o.due_on else "answered"
    return "overdue" if today > o.due_on else "open"


AFTER_FINAL = ("final", "certified", "reported", "archived")  # the results are final: no publicity, no objection
STATE_TEXT = {"answered": "已答复", "late": "已答复（逾期）", "open": "待答复", "overdue": "已逾期未答复"}
RESULT_COLOR = {"合格": "#1f7a4d", "不合格": "#b42318", "缺考": "#5f6b7a"}
STATE_COLOR = {"answered": "#1f7a4d", "late": "#b45309", "open": "#b45309", "overdue": "#b42318"}


# --- dialogs ---------------------------------------------------------------------------------------------
class ObjectionDialog(TaskDialog):
    """登记异议: who raised it, when it was received (within the period), what about, which candidate."""

    def __init__(self, actor, code: str, candidates: list[Candidate], today: date,  # type: ignore[no-untyped-def]
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("登记异议"), self.tr("登记"), parent)
        self.actor, self.code = actor, code
        self.raised_by = QLineEdit()
        self.raised_by.setPlaceholderText(self.tr("异议人姓名"))
        self.received_on = date_edit(today)
        self.candidate = QComboBox()
        self.candidate.addItem(self.tr("（不针对具体考生）"), None)
        for c in candidates:
            self.candidate.addItem(f"{c.name}  {c.id_number_masked}", c.id)
        self.subject = QPlainTextEdit()
        self.subject.setPlaceholderText(self.tr("例如：理论知识考试成绩偏低，申请复核"))
        self.subject.setFixedHeight(90)
        self.form.addRow(self.tr("异议人 *"), self.raised_by)
        self.form.addRow(self.tr("收到日期 *"), self.received_on)
        self.form.addRow(self.tr("涉及考生"), self.candidate)
        self.form.addRow(self.tr("异议内容 *"), self.subject)
        note = QLabel(self.tr("异议须在公示期内提出，自收到之日起 5 个工作日内答复（002 第二十五条）。"))
        note.setObjectName("Hint")
        note.setWordWrap(True)
        self.outer.addWidget(note)
        self.finish_layout()
        self.resize(540, 360)

    def select_candidate(self, application_id: int) -> None:
        self.candidate.setCurrentIndex(self.candidate.findData(application_id))

    def work(self) -> Callable[[Progress], Any] | None:
        actor, code = self.actor, self.code
        raised_by, subject = self.raised_by.text().strip(), self.subject.toPlainText().strip()
        received, app_id = self.received_on.date().toPython(), self.candidate.currentData()
        return lambda _p: publicity.record_objection(actor, code, raised_by, received, subject, app_id)


class AnswerDialog(TaskDialog):
    """答复异议: the re-check, the outcome, and any corrected marks (which require publishing again)."""

    def __init__(self, actor, objection: publicity.ObjectionView, today: date,  # type: ignore[no-untyped-def]
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("答复异议"), self.tr("答复"), parent)
        self.actor, self.objection = actor, objection
        about = QLabel(f"{objection.raised_by}：{objection.subject}")
        about.setWordWrap(True)
        self.form.addRow(self.tr("异议"), about)
        self.form.addRow(self.tr("答复期限"), QLabel(f"{objection.due_on:%Y-%m-%d}"))
        self.recheck = QPlainTextEdit()
        self.recheck.setPlaceholderText(self.tr("例如：复核原始答卷，漏计一题 2 分"))
        self.recheck.setFixedHeight(70)
        self.outcome = QLineEdit()
        self.outcome.setPlaceholderText(self.tr("例如：维持原成绩 / 理论成绩更正为 61 分"))
        self.answered_on = date_edit(today)
        self.form.addRow(self.tr("复核情况 *"), self.recheck)
        self.form.addRow(self.tr("答复结论 *"), self.outcome)
        self.form.addRow(self.tr("答复日期 *"), self.answered_on)
        # one row per part: the check box and its mark side by side, in their own widget so that the form
        # gives the rows their full height (a nested grid was squeezed, the fields overlapped)
        corrections = QWidget()
        grid = QGridLayout(corrections)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)
        grid.setColumnStretch(1, 1)
        self.change: dict[str, tuple[QCheckBox, QLineEdit]] = {}
        for row, part in enumerate(ExamPart):
            box = QCheckBox(self.tr("更正%1成绩").replace("%1", label(part.label)))
            mark = QLineEdit()
            mark.setPlaceholderText(label(MARK_HINT))
            mark.setToolTip(label(MARK_HINT))
            # wide enough for the whole hint (longer in English), within reason
            mark.setMinimumWidth(min(440, max(260, mark.fontMetrics().horizontalAdvance(label(MARK_HINT)) + 24)))
            mark.setEnabled(False)
            box.toggled.connect(mark.setEnabled)
            grid.addWidget(box, row, 0)
            grid.addWidget(mark, row, 1)
            self.change[part.value] = (box, mark)
        corrections.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.form.addRow(self.tr("成绩更正"), corrections)
        note = QLabel(self.tr("只有关联了考生的异议才能更正成绩；更正后须重新发布公示。"))
        note.setObjectName("Hint")
        note.setWordWrap(True)
        self.form.addRow("", note)
        self.finish_layout()
        self.setMinimumWidth(620)
        self.resize(self.sizeHint().expandedTo(QSize(620, 0)))  # its natural height: nothing squeezed

    def set_new_mark(self, part: str, mark: str) -> None:
        box, edit = self.change[part]
        box.setChecked(True)
        edit.setText(mark)

    def work(self) -> Callable[[Progress], Any] | None:
        new_marks = {part: edit.text().strip() for part, (box, edit) in self.change.items() if box.isChecked()}
        if any(not m for m in new_marks.values()):
            self.show_message(self.tr("请填写更正后的成绩。"))
            return None
        actor, oid = self.actor, self.objection.id
        recheck, outcome, on = self.recheck.toPlainText().strip(), self.outcome.text().strip(), \
            self.answered_on.date().toPython()
        return lambda _p: publicity.answer_objection(actor, oid, recheck, outcome, on, new_marks or None)


class LetterDialog(TaskDialog):
    def __init__(self, actor, objection: publicity.ObjectionView, out: Path, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(self.tr("异议答复书"), self.tr("生成并预览"), parent)
        self.actor, self.objection, self.out = actor, objection, out
        self.signer = QLineEdit(actor.display_name)
        self.form.addRow(self.tr("签发人 *"), self.signer)
        self.finish_layout()
        self.resize(420, 150)

    def work(self) -> Callable[[Progress], Any] | None:
        signer = self.signer.text().strip()
        if not signer:
            self.show_message(self.tr("请填写签发人。"))
            return None
        actor, oid, out = self.actor, self.objection.id, self.out
        return lambda _p: publicity.write_answer_letter(actor, oid, out, signer)


# --- the page --------------------------------------------------------------------------------------------
class PublicityPage(WorkPage):
    def __init__(self, ctx: AppContext, stage: Stage, parent: QWidget | None = None) -> None:
        super().__init__(ctx, stage, parent)
        actor = ctx.actor
        self.can_manage = actor.can("publicity.manage")
        self.can_object = actor.can("publicity.objection")
        self.loaded: Loaded | None = None
        self.preview = None

        self.list_button = QPushButton(self.tr("生成公示名单…"))
        self.list_button.setToolTip(self.tr("公示名单（PDF 和 Excel）：证件号码遮挡，不含电话和照片"))
        self.list_button.clicked.connect(self.write_list)
        self.list_button.setVisible(self.can_manage)
        self.actions.addWidget(self.list_button)

        top = QHBoxLayout()
        top.setSpacing(14)
        top.addWidget(self._publish_card(), 3)
        top.addWidget(self._final_card(), 2)
        self.content.addLayout(top)
        # objections and the results list share the lower half: both are long lists
        self.lists = QTabWidget()
        self.lists.addTab(self._objections_card(), self.tr("异议与复核"))
        self.lists.addTab(self._results_card(), self.tr("成绩结果"))
        self.content.addWidget(self.lists, 1)
        ctx.sitting_changed.connect(self.refresh)

    def _publish_card(self) -> Card:
        card = Card(self.tr("成绩公示"))
        self.period_label = QLabel()
        self.period_label.setObjectName("PeriodLabel")
        self.period_label.setWordWrap(True)
        self.period_label.setStyleSheet("font-size: 12pt;")
        self.period_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        card.body.addWidget(self.period_label)
        self.provisional = Banner("", "warn")
        self.provisional.setVisible(False)
        card.body.addWidget(self.provisional)
        row = QHBoxLayout()
        self.start_label = QLabel(self.tr("公示开始日期"))
        row.addWidget(self.start_label)
        self.start_on = date_edit(self.ctx.today())
        row.addWidget(self.start_on)
        self.publish_button = primary(QPushButton(self.tr("发布公示")))
        self.publish_button.clicked.connect(self.publish)
        row.addWidget(self.publish_button)
        row.addStretch(1)
        for w in (self.start_label, self.start_on, self.publish_button):  # the label goes with its field
            w.setVisible(self.can_manage)
        card.body.addLayout(row)
        note = QLabel(self.tr("公示不少于 5 个工作日（发布当日为工作日时计为第 1 日），按节假日安排计算（002 第二十五条）。"))
        note.setObjectName("Hint")
        note.setWordWrap(True)
        card.body.addWidget(note)
        return card

    def _final_card(self) -> Card:
        card = Card(self.tr("确定成绩、发证前检查"))
        self.final_list = QVBoxLayout()
        self.final_list.setSpacing(6)
        card.body.addLayout(self.final_list)
        self.final_banners: list[Banner] = []
        card.body.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.finalize_button = primary(QPushButton(self.tr("确定成绩")))
        self.finalize_button.setToolTip(self.tr("公示期满、异议均已答复后确定成绩，之后可以发证"))
        self.finalize_button.clicked.connect(self.finalize)
        self.finalize_button.setVisible(self.can_manage)
        row.addWidget(self.finalize_button)
        card.body.addLayout(row)
        return card

    def _objections_card(self) -> Card:
        card = Card(self.tr("异议与复核"))
        self.record_button = QPushButton(self.tr("登记异议…"))
        self.answer_button = primary(QPushButton(self.tr("答复…")))
        self.letter_button = QPushButton(self.tr("答复书…"))
        self.record_button.clicked.connect(self.record_objection)
        self.answer_button.clicked.connect(self.answer)
        self.letter_button.clicked.connect(self.letter)
        self.record_button.setVisible(self.can_object)
        self.answer_button.setVisible(self.can_manage)
        self.letter_button.setVisible(self.can_manage)
        for b in (self.record_button, self.letter_button, self.answer_button):
            card.header.addWidget(b)
        def today() -> date:
            return self.ctx.today()

        self.objections = TableView(
            [
                Column(self.tr("编号"), lambda o: o.id, width=50),
                Column(self.tr("异议人"), lambda o: o.raised_by, width=90),
                Column(self.tr("收到日期"), lambda o: o.received_on, width=100),
                Column(self.tr("答复期限"), lambda o: o.due_on, width=110,
                       format=lambda d: f"{d:%Y-%m-%d}"),
                Column(self.tr("状态"), lambda o: label(STATE_TEXT[objection_state(o, today())]), width=110,
                       color=lambda o: STATE_COLOR[objection_state(o, today())]),
                Column(self.tr("答复日期"), lambda o: o.answered_on, width=100),
                Column(self.tr("异议内容"), lambda o: o.subject, width=260),
                Column(self.tr("答复结论"), lambda o: o.outcome),
            ],
            empty_text=self.tr("没有异议。"),
            placeholder=self.tr("按异议人、内容、状态筛选（Ctrl+F）"),
        )
        self.objections.selection_changed.connect(self._update_buttons)
        card.body.addWidget(self.objections, 1)
        self.overdue = QLabel()
        self.overdue.setStyleSheet("color: #b42318; font-weight: 600;")
        card.body.addWidget(self.overdue)
        return card

    def _results_card(self) -> Card:
        card = Card(self.tr("成绩结果"))
        parts = [(p.value, label(p.label)) for p in ExamPart]
        columns = [
            Column(self.tr("报名号"), lambda r: r.application_id, width=70),
            Column(self.tr("姓名"), lambda r: r.name, width=90),
            Column(self.tr("证件号码"), lambda r: r.id_number_masked, width=170),
            Column(self.tr("职业"), lambda r: r.occupation, width=120),
            Column(self.tr("等级"), lambda r: label(r.level_written), width=120),
        ]
        for value, title in parts:
            columns.append(Column(title, lambda r, v=value: label(r.marks.get(v, "")), width=112))
        columns += [
            Column(self.tr("结果"), lambda r: label(r.result), width=80,
                   color=lambda r: RESULT_COLOR.get(r.result, "#b45309")),
            Column(self.tr("说明"), lambda r: self.tr("成绩已更正（见审计记录）") if r.changed else r.reason),
        ]
        self.results = TableView(
            columns,
            empty_text=self.tr("尚无成绩结果：在“成绩”页面锁定各部分成绩并判定结果后显示。"),
            placeholder=self.tr("按姓名、证件号码、职业、结果筛选（Ctrl+F）"),
        )
        card.body.addWidget(self.results, 1)
        return card

    # --- data -------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        sitting = self.ctx.sitting
        actor, code, state, today = self.ctx.actor, self.code, sitting.state if sitting else "", self.ctx.today()
        self.load(lambda _p: _load(actor, code, state, today), self._loaded, self.tr("读取公示"))

    def _loaded(self, loaded: Loaded) -> None:
        self.loaded = loaded
        today = self.ctx.today()
        if loaded.code is None:
            self.set_status(self.tr("尚无认定批次。"), "info")
        elif loaded.state in ("draft", "open", "closed", "arranged", "ticketed", "held"):
            self.set_status(self.tr("本批次成绩结果尚未判定：请先在“成绩”页面锁定各部分成绩并判定结果，再发布公示。"), "info")
        else:
            self.set_status("", "info")
        period = loaded.period
        if period is None:
            self.period_label.setText(self.tr("尚未发布公示。"))
            self.provisional.setVisible(False)
        else:
            self.show_period(period, today)
        self.publish_button.setText(self.tr("重新发布公示") if period else self.tr("发布公示"))
        publish_block = self._publish_block(loaded)
        gate(self.publish_button, publish_block,
             tip=self.tr("按公示开始日期发布（或重新发布）成绩公示，公示期按工作日计算"))
        self.start_on.setEnabled(not publish_block)
        self.list_button.setEnabled(period is not None)
        self.objections.set_rows(loaded.objections)
        self.results.set_rows(loaded.results)
        late = [o for o in loaded.objections if objection_state(o, today) == "overdue"]
        waiting = [o for o in loaded.objections if objection_state(o, today) == "open"]
        texts = []
        if late:
            texts.append(self.tr("%1 件异议已超过答复期限仍未答复！").replace("%1", str(len(late))))
        if waiting:
            texts.append(self.tr("%1 件异议待答复，最早一件的答复期限至 %2（含当日）。").replace("%1", str(len(waiting)))
                         .replace("%2", f"{min(o.due_on for o in waiting):%Y-%m-%d}"))
        self.overdue.setText("  ".join(texts))
        self.overdue.setVisible(bool(texts))
        if loaded.state in AFTER_FINAL:
            record_block = self.tr("成绩已确定，不能再登记异议：公示期内收到的异议须在确定成绩前登记并答复。")
        elif period is None or loaded.state != "publicised":
            record_block = self.tr("尚未发布公示：异议在公示期内登记。")
        else:
            record_block = ""
        gate(self.record_button, record_block)
        self._show_blockers(loaded)
        self._update_buttons()

    def _publish_block(self, loaded: Loaded) -> str:
        """Why the results cannot be published (again) now; "" when they can (the service's rule)."""
        if loaded.code is None:
            return self.tr("尚无认定批次。")
        if loaded.state in ("marked", "publicised"):
            return ""
        if loaded.state in AFTER_FINAL:
            return self.tr("成绩已确定（%1），不能再发布公示。").replace("%1", state_name(loaded.state))
        return self.tr("本批次成绩结果尚未判定（%1）：请先在“成绩”页面判定结果。").replace("%1", state_name(loaded.state))

    def show_period(self, period: Period, today: date) -> None:
        text = (self.tr("第 %1 次公示：%2 至 %3").replace("%1", str(period.version))
                .replace("%2", f"{period.start_on:%Y-%m-%d}").replace("%3", f"{period.end_on:%Y-%m-%d}"))
        if today < period.start_on:
            text += self.tr("（尚未开始）")
        elif today <= period.end_on:
            text += self.tr("（公示中）")
        else:
            text += self.tr("（已期满）")
        self.period_label.setText(text)
        self.provisional.set(self.tr("公示期按暂定日历计算：所跨年份的节假日安排尚未录入（设置 → 节假日），录入后请重新确认公示期。"),
                             "warn")
        self.provisional.setVisible(period.provisional)

    def _show_blockers(self, loaded: Loaded) -> None:
        for banner in self.final_banners:
            banner.deleteLater()
        self.final_banners = []
        if loaded.code is None:
            return
        if loaded.state == "final":
            items = [(self.tr("成绩已确定，可以发证。"), "ok")]
        elif loaded.state == "certified":
            items = [(self.tr("成绩已确定，证书已发放（见“证书”页面）。"), "ok")]
        elif loaded.state == "reported":
            items = [(self.tr("成绩已确定，证书已发放，证书数据已上报。"), "ok")]
        elif loaded.state == "archived":
            items = [(self.tr("成绩已确定，证书已发放；本批次已归档，公示和异议记录只能查看。"), "ok")]
        elif not loaded.blockers:
            items = [(self.tr("公示期已满、异议均已答复：可以确定成绩。"), "ok")]
        else:
            items = [(b, "error") for b in loaded.blockers]
        for text, level in items:
            banner = Banner(text, level)
            self.final_banners.append(banner)
            self.final_list.addWidget(banner)
        if loaded.state in AFTER_FINAL:
            finalize_block = self.tr("成绩已确定（%1）。").replace("%1", state_name(loaded.state))
        elif loaded.state != "publicised":
            finalize_block = self.tr("只能在成绩公示阶段确定成绩：请先发布公示。")
        else:
            finalize_block = self.tr("还不能确定成绩：见上方所列问题。") if loaded.blockers else ""
        gate(self.finalize_button, finalize_block,
             tip=self.tr("公示期满、异议均已答复后确定成绩，之后可以发证"))

    def blocker_texts(self) -> list[str]:
        return [b.label.text() for b in self.final_banners]

    def _update_buttons(self) -> None:
        chosen = self.objections.selected_rows()
        one = len(chosen) == 1
        state = self.loaded.state if self.loaded is not None else ""
        if self.loaded is None or self.loaded.code is None:
            answer_block = self.tr("尚无认定批次。")
        elif state != "publicised":
            answer_block = self.tr("认定批次当前为“%1”：只能在成绩公示阶段答复异议（002 第二十五条）。").replace(
                "%1", state_name(state))
        else:
            answer_block = ""
        gate(self.answer_button, answer_block, ready=one and chosen[0].answered_on is None,
             unready=self.tr("请先选择一件尚未答复的异议。"))
        gate(self.letter_button, "", ready=one and chosen[0].answered_on is not None,
             tip=self.tr("生成所选异议的答复书（PDF）"), unready=self.tr("请先选择一件已答复的异议。"))

    def select_objection(self, objection_id: int) -> None:
        from PySide6.QtCore import QItemSelectionModel

        view, proxy = self.objections.view, self.objections.proxy
        view.clearSelection()
        for r in range(proxy.rowCount()):
            if proxy.source_row_object(proxy.index(r, 0)).id == objection_id:
                view.selectionModel().select(proxy.index(r, 0), QItemSelectionModel.SelectionFlag.Select
                                             | QItemSelectionModel.SelectionFlag.Rows)
        self._update_buttons()

    # --- actions ----------------------------------------------------------------------------------------
    def publish(self) -> None:
        if not self.can_manage or self.code is None:
            return
        actor, code, start = self.ctx.actor, self.code, self.start_on.date().toPython()

        def done(view: publicity.PublicityView) -> None:
            text = (self.tr("已发布第 %1 次公示：%2 至 %3。").replace("%1", str(view.version))
                    .replace("%2", f"{view.start_on:%Y-%m-%d}").replace("%3", f"{view.end_on:%Y-%m-%d}"))
            if view.provisional:
                text += self.tr("公示期为暂定（日历未覆盖），请录入节假日安排后确认。")
            self.changed(text, "warn" if view.provisional else "ok", sittings=True)

        run_task(self, lambda _p: publicity.publish_results(actor, code, start), title=self.tr("发布公示"),
                 on_done=done, on_error=self.refused)

    def write_list(self) -> None:
        if self.code is None or self.ctx.sitting is None:
            return
        actor, code = self.ctx.actor, self.code
        pdf = temp_pdf(f"{code}-成绩公示名单")
        xlsx = pdf.with_suffix(".xlsx")
        run_task(self, lambda _p: publicity.write_publicity_list(actor, code, pdf, xlsx),
                 title=self.tr("生成公示名单"),
                 on_done=lambda _r: (self.show_notice(self.tr("公示名单已生成；Excel 版保存在 %1。").replace("%1", str(xlsx))),
                                     preview(self, pdf, actor, self.tr("成绩公示名单"))),
                 on_error=self.refused)

    def record_objection(self) -> None:
        if not self.can_object or self.loaded is None or self.code is None:
            return
        self.open_dialog(ObjectionDialog(self.ctx.actor, self.code, self.loaded.candidates, self.ctx.today(), self),
                         lambda _id: self.changed(self.tr("异议已登记；请在答复期限内复核并答复。")))

    def answer(self) -> None:
        chosen = self.objections.selected_rows()
        if len(chosen) != 1 or not self.can_manage:
            return

        def done(republish: bool) -> None:
            if republish:
                self.changed(self.tr("异议已答复，成绩已更正并记入审计日志。成绩有变更：须重新发布公示名单（点击“重新发布公示”）。"),
                             "warn")
            else:
                self.changed(self.tr("异议已答复，成绩未变更。"))

        self.open_dialog(AnswerDialog(self.ctx.actor, chosen[0], self.ctx.today(), self), done)

    def letter(self) -> None:
        chosen = self.objections.selected_rows()
        if len(chosen) != 1 or not self.can_manage:
            return
        out = temp_pdf(f"异议答复书-{chosen[0].id}")
        self.open_dialog(LetterDialog(self.ctx.actor, chosen[0], out, self),
                         lambda _p: preview(self, out, self.ctx.actor, self.tr("异议答复书")))

    def finalize(self) -> None:
        if not self.can_manage or self.code is None:
            return
        if not confirm(self, self.tr("确定成绩"), self.tr("确定后成绩不再公示，可以发放证书。"), self.tr("确定成绩")):
            return
        self.run_finalize()

    def run_finalize(self) -> None:
        actor, code, today = self.ctx.actor, self.code, self.ctx.today()
        run_task(self, lambda _p: publicity.finalize_results(actor, code, today), title=self.tr("确定成绩"),
                 on_done=lambda _r: self.changed(self.tr("成绩已确定，可以在“证书”页面发证。"), sittings=True),
                 on_error=self.refused)

