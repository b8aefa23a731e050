"""The sittings page (认定批次): create a sitting within the filed scope, arrange its timed sessions, publish the
announcement and open registration (002 §15-16), close registration.

Every rule is the services' (``jlexam.services.sittings``): the page collects the values, runs the call on
the thread pool and shows a refusal's Chinese message inside the dialog that asked for it. Times are entered
and shown in Beijing time (``CHINA_TZ``); fees are entered in 元 and stored in 分.

The small dialog base (``TaskDialog``) and the occupation names are shared with the registration and custody
pages.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QSettings, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from jlexam.domain.china_time import CHINA_TZ, china_time
from jlexam.domain.levels import SkillLevel
from jlexam.errors import JlexamError
from jlexam.services import sittings as service
from jlexam.services.institution import get_institution
from ui import errors
from ui.context import AppContext, china_today
from ui.labels import label
from ui.navigation import Stage
from ui.pages.base import Page
from ui.sittings import STATE_COLORS, state_name
from ui.tables import Column, TableView
from ui.tasks import Progress, run_task
from ui.widgets import Banner, Card, info, primary

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


# --- shared with the other pages ---------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _catalogue_names() -> dict[str, str]:
    from jlexam.exchange.catalogue import load_occupations

    return {o.code: o.name for o in load_occupations()}


def occupation_name(code: str | None) -> str:
    """The occupation's name from the bundled catalogue (the code itself when unknown)."""
    if not code:
        return ""
    return _catalogue_names().get(code, code)


def offer_text(occupation_code: str, work_type: str, level: SkillLevel | int | None) -> str:
    text = occupation_name(occupation_code)
    if work_type:
        text += f"（{work_type}）"
    if level is not None:
        text += " " + label(SkillLevel(level).written)
    return text


def yuan(cents: int) -> str:
    return f"{cents / 100:,.2f}"


def beijing(moment: datetime | None) -> str:
    return china_time(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def main_window(widget: QWidget) -> Any | None:
    """The main window when the page lives in one (tests may build a page alone)."""
    window = widget.window()
    return window if hasattr(window, "load_sittings") else None


def reload_shell(page: Page, code: str | None = None) -> bool:
    """After a change of a sitting: reload the header's sittings (state chip) and the blockers.

    The header keeps the current sitting while only its state changed (``_sittings_loaded`` compares codes),
    so the current reference is dropped first and the fresh one is set again: every page then refreshes on
    ``sitting_changed``. Returns False when there is no main window (the caller refreshes itself).
    """
    ctx = page.ctx
    if code:
        QSettings().setValue(ctx.settings_key("sitting"), code)
    window = main_window(page)
    if window is None:
        return False
    ctx.sitting = None
    window.load_sittings()
    return True


class TaskDialog(QDialog):
    """A form whose accept button runs a service call on the thread pool.

    Subclasses fill ``self.form`` and implement ``work()``, which returns the function to run (or ``None``
    after showing what is missing with ``show_message``). A refusal (JlexamError) is shown in red inside
    the dialog, which stays open; success emits ``done(result)`` and closes it.
    """

    done = Signal(object)

    def __init__(self, title: str, accept_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.outer = QVBoxLayout(self)
        self.outer.setSpacing(10)
        self.form = QFormLayout()
        self.form.setLabelAlignment(RIGHT)
        self.form.setHorizontalSpacing(12)
        self.form.setVerticalSpacing(8)
        self.outer.addLayout(self.form)
        self.error = QLabel()
        self.error.setObjectName("FieldError")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.setVisible(False)
        self.buttons = QDialogButtonBox()
        self.ok = primary(self.buttons.addButton(accept_text, QDialogButtonBox.ButtonRole.AcceptRole))
        self.cancel = self.buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.result_value: Any = None
        self.task = None

    def finish_layout(self) -> None:
        self.outer.addWidget(self.error)
        self.outer.addWidget(self.buttons)

    def work(self) -> Callable[[Progress], Any] | None:
        raise NotImplementedError

    def show_message(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def submit(self) -> None:
        if self.task is not None and self.task.is_running:
            return
        self.show_message("")
        fn = self.work()
        if fn is None:
            return
        self.ok.setEnabled(False)
        self.task = run_task(self, fn, title=self.windowTitle(), on_done=self._succeeded, on_error=self._failed)
        self.task.finished.connect(lambda: self.ok.setEnabled(True))

    def _succeeded(self, result: Any) -> None:
        self.result_value = result
        self.done.emit(result)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, JlexamError):
            self.show_message(exc.message + (self.tr("（依据：%1）").replace("%1", exc.rule) if exc.rule else ""))
        else:
            errors.show_error(self, exc)


def date_edit(value: date | None = None) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setDate(QDate(value or china_today()))
    return edit


# --- rows ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScopeRow:
    occupation_code: str
    work_type: str
    level: SkillLevel


@dataclass(frozen=True)
class Loaded:
    sittings: list[service.SittingView]
    sessions: list[service.SessionView]
    current: str | None


def _load(actor, code: str | None) -> Loaded:  # type: ignore[no-untyped-def]
    """Runs on the thread pool."""
    _catalogue_names()  # read the catalogue off the UI thread
    sittings = service.list_sittings(actor)
    codes = {s.code for s in sittings}
    current = code if code in codes else None
    sessions = service.list_sessions(actor, current) if current else []
    return Loaded(sittings, sessions, current)


# --- dialogs ---------------------------------------------------------------------------------------------
class CreateSittingDialog(TaskDialog):
    """Code, name, dates and the offers: each item of the filed scope, ticked, with its fee in 元."""

    def __init__(self, actor, scope: list[ScopeRow], parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(self.tr("新建认定批次"), self.tr("创建"), parent)
        self.actor = actor
        self.scope = scope
        today = china_today()
        start = today + timedelta(days=45)
        self.code = QLineEdit(f"JL{start:%Y%m}-01")
        self.code.setPlaceholderText(self.tr("例如 JL202612-01"))
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("例如 2026年12月职业技能等级认定"))
        self.starts_on = date_edit(start)
        self.ends_on = date_edit(start + timedelta(days=1))
        dates = QHBoxLayout()
        dates.addWidget(self.starts_on)
        dates.addWidget(QLabel(self.tr("至")))
        dates.addWidget(self.ends_on)
        dates.addStretch(1)
        self.form.addRow(self.tr("批次编号 *"), self.code)
        self.form.addRow(self.tr("批次名称 *"), self.name)
        self.form.addRow(self.tr("考试日期 *"), dates)

        head = QHBoxLayout()
        caption = QLabel(self.tr("开考职业（工种）等级：只能在机构备案的认定范围内选择（002 第十六条）。"
                                 "收费须公示，不以营利为目的（001 第六条）；0 元即免费。"))
        caption.setObjectName("Hint")
        caption.setWordWrap(True)
        head.addWidget(caption, 1)
        all_button = QPushButton(self.tr("全选"))
        none_button = QPushButton(self.tr("全不选"))
        head.addWidget(all_button)
        head.addWidget(none_button)
        self.outer.addLayout(head)
        self.offers = QTableWidget(len(scope), 5)
        self.offers.setHorizontalHeaderLabels([self.tr("开考"), self.tr("职业编码"), self.tr("职业"),
                                               self.tr("等级"), self.tr("收费（元）")])
        self.offers.verticalHeader().setVisible(False)
        self.offers.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.offers.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.offers.verticalHeader().setDefaultSectionSize(32)
        self.fees: list[QDoubleSpinBox] = []
        for row, item in enumerate(scope):
            check = QTableWidgetItem()
            check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            check.setCheckState(Qt.CheckState.Unchecked)
            self.offers.setItem(row, 0, check)
            self.offers.setItem(row, 1, QTableWidgetItem(item.occupation_code))
            name = occupation_name(item.occupation_code) + (f"（{item.work_type}）" if item.work_type else "")
            self.offers.setItem(row, 2, QTableWidgetItem(name))
            self.offers.setItem(row, 3, QTableWidgetItem(label(item.level.written)))
            fee = QDoubleSpinBox()
            fee.setRange(0, 99_999.99)
            fee.setDecimals(2)
            fee.setSingleStep(10)
            fee.setAlignment(RIGHT)
            fee.setFrame(False)
            self.fees.append(fee)
            self.offers.setCellWidget(row, 4, fee)
        header = self.offers.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Fixed)
        self.offers.setColumnWidth(4, 130)
        self.offers.setMinimumHeight(min(420, 60 + 32 * max(3, len(scope))))
        self.outer.addWidget(self.offers, 1)
        all_button.clicked.connect(lambda: self.check_all(True))
        none_button.clicked.connect(lambda: self.check_all(False))
        self.finish_layout()
        self.resize(760, 620)

    def check_all(self, on: bool) -> None:
        for row in range(self.offers.rowCount()):
            self.offers.item(row, 0).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def choose(self, occupation_code: str, level: SkillLevel, fee_yuan: float, work_type: str = "") -> None:
        """Tick one scope item and set its fee (used by tests and keyboard users alike)."""
        for row, item in enumerate(self.scope):
            if (item.occupation_code, item.work_type, item.level) == (occupation_code, work_type, level):
                self.offers.item(row, 0).setCheckState(Qt.CheckState.Checked)
                self.fees[row].setValue(fee_yuan)

    def chosen_offers(self) -> list[service.OfferInput]:
        return [
            service.OfferInput(item.occupation_code, item.work_type, item.level, round(self.fees[row].value() * 100))
            for row, item in enumerate(self.scope)
            if self.offers.item(row, 0).checkState() == Qt.CheckState.Checked
        ]

    def work(self) -> Callable[[Progress], Any] | None:
        offers = self.chosen_offers()
        if not offers:
            self.show_message(self.tr("请至少勾选一个开考的职业（工种）等级。"))
            return None
        actor, code, name = self.actor, self.code.text().strip(), self.name.text().strip()
        starts, ends = self.starts_on.date().toPython(), self.ends_on.date().toPython()
        return lambda _p: service.create_sitting(actor, code, name, starts, ends, offers)


PARTS = ("theory", "practical", "review")


class SessionDialog(TaskDialog):
    """One timed part of the sitting, in Beijing time, for all offers or one occupation (and level)."""

    def __init__(self, actor, sitting: service.SittingView, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(self.tr("安排场次 — %1").replace("%1", sitting.name), self.tr("安排"), parent)
        self.actor, self.sitting = actor, sitting
        self.part = QComboBox()
        for part in PARTS:
            self.part.addItem(label(service.PART_LABELS[part]), part)
        self.applies = QComboBox()
        self.applies.addItem(self.tr("本批次全部开考等级"), (None, None))
        codes = sorted({o.occupation_code for o in sitting.offers})
        for code in codes:
            levels = sorted((o for o in sitting.offers if o.occupation_code == code), key=lambda o: -int(o.level))
            if len(levels) > 1:
                self.applies.addItem(self.tr("%1（全部等级）").replace("%1", occupation_name(code)), (code, None))
            for offer in levels:
                self.applies.addItem(offer_text(code, offer.work_type, offer.level), (code, offer.level))
        self.day = date_edit(sitting.starts_on)
        self.start = QTimeEdit(QTime(9, 0))
        self.end = QTimeEdit(QTime(10, 30))
        for edit in (self.start, self.end):
            edit.setDisplayFormat("HH:mm")
        times = QHBoxLayout()
        times.addWidget(self.start)
        times.addWidget(QLabel("—"))
        times.addWidget(self.end)
        self.length = QLabel()
        self.length.setObjectName("Hint")
        times.addWidget(self.length)
        times.addStretch(1)
        self.form.addRow(self.tr("场次类型"), self.part)
        self.form.addRow(self.tr("适用于"), self.applies)
        self.form.addRow(self.tr("日期"), self.day)
        self.form.addRow(self.tr("时间（北京时间）"), times)
        note = QLabel(self.tr("时长不得少于国家职业标准的规定：理论知识考试一般不少于 90 分钟，操作技能考核不少于 60 分钟，"
                              "综合评审不少于 15 分钟。"))
        note.setObjectName("Hint")
        note.setWordWrap(True)
        self.outer.addWidget(note)
        self.start.timeChanged.connect(self._show_length)
        self.end.timeChanged.connect(self._show_length)
        self._show_length()
        self.finish_layout()
        self.resize(560, 320)

    def _show_length(self, *_args: object) -> None:
        minutes = self.start.time().secsTo(self.end.time()) // 60
        self.length.setText(self.tr("共 %1 分钟").replace("%1", str(minutes)) if minutes > 0 else "")

    def set_times(self, day: date, start: QTime, end: QTime, part: str = "theory") -> None:
        self.part.setCurrentIndex(self.part.findData(part))
        self.day.setDate(QDate(day))
        self.start.setTime(start)
        self.end.setTime(end)

    def moments(self) -> tuple[datetime, datetime]:
        day = self.day.date().toPython()
        start = datetime.combine(day, self.start.time().toPython(), tzinfo=CHINA_TZ)
        end = datetime.combine(day, self.end.time().toPython(), tzinfo=CHINA_TZ)
        return start, end

    def work(self) -> Callable[[Progress], Any] | None:
        start, end = self.moments()
        occupation, level = self.applies.currentData()
        level = SkillLevel(level) if level is not None else None
        actor, code, part = self.actor, self.sitting.code, self.part.currentData()
        return lambda _p: service.add_session(actor, code, part, start, end, occupation_code=occupation, level=level)


class OpenRegistrationDialog(TaskDialog):
    """Publish the announcement: the registration period and remarks (002 §15)."""

    def __init__(self, actor, sitting: service.SittingView, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(self.tr("发布公告并开放报名 — %1").replace("%1", sitting.name), self.tr("开放报名"), parent)
        self.actor, self.sitting = actor, sitting
        today = china_today()
        closes = (sitting.starts_on - timedelta(days=7)) if sitting.starts_on else today + timedelta(days=30)
        self.opens_on = date_edit(today)
        self.closes_on = date_edit(max(today, closes))
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText(self.tr("公告中的其他说明，例如报名地点、需携带的材料、缴费方式……"))
        self.notes.setFixedHeight(110)
        self.form.addRow(self.tr("报名开始"), self.opens_on)
        self.form.addRow(self.tr("报名截止"), self.closes_on)
        self.form.addRow(self.tr("公告说明"), self.notes)
        note = QLabel(self.tr("公告写明认定时间、职业、等级、申报条件和收费标准（002 第十五条），由本批次的场次和开考等级生成。"
                              "报名须在考试开始前截止。"))
        note.setObjectName("Hint")
        note.setWordWrap(True)
        self.outer.addWidget(note)
        self.finish_layout()
        self.resize(560, 360)

    def work(self) -> Callable[[Progress], Any] | None:
        actor, code = self.actor, self.sitting.code
        opens, closes = self.opens_on.date().toPython(), self.closes_on.date().toPython()
        notes = self.notes.toPlainText()
        return lambda _p: service.open_registration(actor, code, opens, closes, notes)


# --- the page --------------------------------------------------------------------------------------------
class SittingsPage(Page):
    scrollable = False

    def __init__(self, ctx: AppContext, stage: Stage, parent: QWidget | None = None) -> None:
        super().__init__(ctx, stage, parent)
        actor = ctx.actor
        self.can_manage = actor.can("sitting.manage")
        self.can_register = actor.can("registration.manage")
        self.sittings: list[service.SittingView] = []
        self.sessions: list[service.SessionView] = []
        self.current: service.SittingView | None = None
        self.dialog: TaskDialog | None = None
        self.preview = None

        self.create_button = primary(QPushButton(self.tr("新建认定批次…")))
        self.create_button.clicked.connect(self.create_sitting)
        self.create_button.setVisible(self.can_manage)
        self.actions.addWidget(self.create_button)

        self.status = Banner(self.tr("正在读取认定批次……"), "info")
        self.content.addWidget(self.status)

        list_card = Card(self.tr("全部认定批次"))
        self.table = TableView(
            [
                Column(self.tr("批次编号"), lambda s: s.code, width=130),
                Column(self.tr("名称"), lambda s: s.name, width=260),
                Column(self.tr("状态"), lambda s: state_name(s.state.value), width=90,
                       color=lambda s: STATE_COLORS.get(s.state.value)),
                Column(self.tr("考试日期"), lambda s: (s.starts_on, s.ends_on), format=lambda v: self._period(*v),
                       width=200),
                Column(self.tr("开考等级"), lambda s: len(s.offers), width=80, align=RIGHT),
                Column(self.tr("当前"), lambda s: "●" if self.ctx.sitting and s.code == self.ctx.sitting.code else ""),
            ],
            empty_text=self.tr("尚无认定批次。点击右上角“新建认定批次…”，在备案的认定范围内选择开考的职业和等级。"),
            search=False,
        )
        self.table.setFixedHeight(self._list_height(0))
        self.table.activated_row.connect(lambda s: self.make_current(s.code))
        hint = QLabel(self.tr("双击一行设为当前批次；其他页面都按页首选择的当前批次工作。"))
        hint.setObjectName("Hint")
        list_card.body.addWidget(self.table)
        list_card.body.addWidget(hint)
        self.content.addWidget(list_card)

        self.detail = Card(self.tr("当前批次"))
        self.session_button = QPushButton(self.tr("安排场次…"))
        self.open_button = primary(QPushButton(self.tr("发布公告并开放报名…")))
        self.close_button = QPushButton(self.tr("截止报名"))
        self.announce_button = QPushButton(self.tr("认定公告 PDF"))
        self.announce_button.setToolTip(self.tr("生成认定公告并预览、打印（002 第十五条）"))
        for button in (self.announce_button, self.session_button, self.close_button, self.open_button):
            self.detail.header.addWidget(button)
        self.session_button.clicked.connect(self.add_session)
        self.open_button.clicked.connect(self.open_registration)
        self.close_button.clicked.connect(self.close_registration)
        self.announce_button.clicked.connect(self.announcement)
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.body.addWidget(self.facts)
        row = QHBoxLayout()
        row.setSpacing(14)
        offers_box = QVBoxLayout()
        offers_title = QLabel(self.tr("开考职业（工种）等级与收费"))
        offers_title.setObjectName("Hint")
        self.offers = TableView(
            [
                Column(self.tr("职业编码"), lambda o: o.occupation_code, width=84),
                Column(self.tr("职业（工种）"), lambda o: offer_text(o.occupation_code, o.work_type, None), width=180),
                Column(self.tr("等级"), lambda o: int(o.level), format=lambda v: label(SkillLevel(v).written), width=96),
                Column(self.tr("收费（元）"), lambda o: o.fee_cents, format=lambda v: yuan(v) if v else self.tr("免费"),
                       align=RIGHT),
            ],
            empty_text=self.tr("没有开考等级。"),
            search=False,
        )
        offers_box.addWidget(offers_title)
        offers_box.addWidget(self.offers, 1)
        sessions_box = QVBoxLayout()
        sessions_title = QLabel(self.tr("场次（北京时间）"))
        sessions_title.setObjectName("Hint")
        self.sessions_table = TableView(
            [
                Column(self.tr("类型"), lambda x: label(x.part_label), width=100),
                Column(self.tr("适用于"), lambda x: offer_text(x.occupation_code, "", x.level) if x.occupation_code
                       else self.tr("全部"), width=100),
                Column(self.tr("开始"), lambda x: x.starts_at, format=beijing, width=124),
                Column(self.tr("结束"), lambda x: x.ends_at, format=beijing, width=124),
                Column(self.tr("分钟"), lambda x: int((x.ends_at - x.starts_at).total_seconds() // 60),
                       align=RIGHT),
            ],
            empty_text=self.tr("尚未安排场次。公告须写明考试时间（002 第十五条）：点击“安排场次…”。"),
            search=False,
        )
        # The right-aligned minutes stay in view at 1366×768: "applies to" takes the spare width, not the last column.
        header = self.sessions_table.view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Fixed)
        self.sessions_table.view.setColumnWidth(4, 64)
        sessions_box.addWidget(sessions_title)
        sessions_box.addWidget(self.sessions_table, 1)
        row.addLayout(offers_box, 1)
        row.addLayout(sessions_box, 1)
        self.detail.body.addLayout(row)
        self.offers.setMinimumHeight(150)
        self.sessions_table.setMinimumHeight(150)
        self.content.addWidget(self.detail, 1)
        self.filler = QWidget()  # takes the space while no sitting is shown
        self.content.addWidget(self.filler, 1)
        self.detail.setVisible(False)
        ctx.sitting_changed.connect(self.refresh)

    # --- data ------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        actor = self.ctx.actor
        code = self.ctx.sitting.code if self.ctx.sitting else None
        run_task(self, lambda _p: _load(actor, code), title=self.tr("读取认定批次"), dialog=False,
                 on_done=self._loaded)

    def _loaded(self, loaded: Loaded) -> None:
        self.sittings = loaded.sittings
        self.sessions = loaded.sessions
        self.current = next((s for s in loaded.sittings if s.code == loaded.current), None)
        rows = sorted(loaded.sittings, key=lambda s: s.starts_on or date.min, reverse=True)
        self.table.set_rows(rows)
        self.table.setFixedHeight(self._list_height(len(rows)))
        if not loaded.sittings:
            self.status.set(self.tr("尚无认定批次。") + (self.tr("点击右上角“新建认定批次…”开始。") if self.can_manage
                                                        else self.tr("认定批次由考务人员创建。")), "info")
            self.status.setVisible(True)
        elif self.current is None:
            self.status.set(self.tr("请在页首选择当前认定批次，或在下表中双击一个批次。"), "info")
            self.status.setVisible(True)
        else:
            self.status.setVisible(False)
        self._show_current()

    @staticmethod
    def _list_height(rows: int) -> int:
        return 100 if rows == 0 else 36 + 30 * min(rows, 5)

    @staticmethod
    def _period(starts: date | None, ends: date | None) -> str:
        if starts is None:
            return ""
        if ends is None or ends == starts:
            return f"{starts:%Y-%m-%d}"
        return (
            QCoreApplication.translate("SittingsPage", "%1 至 %2")
            .replace("%1", f"{starts:%Y-%m-%d}")
            .replace("%2", f"{ends:%Y-%m-%d}")
        )

    def _show_current(self) -> None:
        sitting = self.current
        self.detail.setVisible(sitting is not None)
        self.filler.setVisible(sitting is None)
        if sitting is None:
            return
        self.detail.title_label.setText(self.tr("当前批次：%1（%2）").replace("%1", sitting.name)
                                        .replace("%2", sitting.code))
        fees = [o.fee_cents for o in sitting.offers]
        fee_text = (self.tr("免费") if not any(fees) else
                    self.tr("%1 – %2 元").replace("%1", yuan(min(fees))).replace("%2", yuan(max(fees))))
        colour = STATE_COLORS.get(sitting.state.value, "#5f6b7a")
        self.facts.setText(
            self.tr("状态：%1 %6 考试日期：%2 %6 开考等级：%3 个 %6 场次：%4 个 %6 收费：%5")
            .replace("%6", "&nbsp;&nbsp;&nbsp;")
            .replace("%1", f"<b style='color:{colour}'>{label(sitting.state_label)}</b>")
            .replace("%2", self._period(sitting.starts_on, sitting.ends_on))
            .replace("%3", str(len(sitting.offers)))
            .replace("%4", str(len(self.sessions)))
            .replace("%5", fee_text))
        self.offers.set_rows(list(sitting.offers))
        self.sessions_table.set_rows(self.sessions)
        state = sitting.state.value
        self.session_button.setVisible(self.can_manage and state in ("draft", "open", "closed"))
        self.open_button.setVisible(self.can_register and state == "draft")
        self.open_button.setEnabled(bool(self.sessions))
        self.open_button.setToolTip("" if self.sessions else self.tr("请先安排场次：公告须写明考试时间（002 第十五条）。"))
        self.close_button.setVisible(self.can_register and state == "open")
        self.announce_button.setVisible(state != "draft")

    def make_current(self, code: str) -> None:
        window = main_window(self)
        if window is not None:
            combo = window.header.sitting
            index = combo.findData(code)
            if index >= 0:
                combo.setCurrentIndex(index)
                return
        self.ctx.set_sitting(code)

    # --- actions -----------------------------------------------------------------------------------------
    def _show_dialog(self, dialog: TaskDialog, on_done: Callable[[Any], None]) -> TaskDialog:
        self.dialog = dialog
        dialog.done.connect(on_done)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def create_sitting(self) -> None:
        if not self.can_manage:
            return
        actor = self.ctx.actor

        def scope(_p: Progress) -> list[ScopeRow]:
            view = get_institution(actor)
            return [ScopeRow(i.occupation_code, i.work_type, SkillLevel(i.level)) for i in (view.scope if view else [])]

        run_task(self, scope, title=self.tr("读取认定范围"), on_done=self._create_with_scope)

    def _create_with_scope(self, scope: list[ScopeRow]) -> None:
        if not scope:
            info(self, self.tr("尚未设置认定范围"),
                 self.tr("认定批次只能在机构备案的认定范围内开考（002 第十六条）。请先在“机构”页面设置认定范围。"))
            return
        scope.sort(key=lambda i: (i.occupation_code, i.work_type, -int(i.level)))
        self._show_dialog(CreateSittingDialog(self.ctx.actor, scope, self), self._created)

    def _created(self, view: service.SittingView) -> None:
        self.window().statusBar().showMessage(self.tr("已创建认定批次 %1。").replace("%1", view.code), 5000) \
            if main_window(self) else None
        if not reload_shell(self, view.code):
            self.refresh()

    def add_session(self) -> None:
        if self.current is None or not self.can_manage:
            return
        self._show_dialog(SessionDialog(self.ctx.actor, self.current, self), lambda _v: self._changed())

    def open_registration(self) -> None:
        if self.current is None or not self.can_register:
            return
        self._show_dialog(OpenRegistrationDialog(self.ctx.actor, self.current, self), lambda _v: self._changed())

    def close_registration(self) -> None:
        if self.current is None or not self.can_register:
            return
        from ui.widgets import confirm

        if not confirm(self, self.tr("截止报名"),
                       self.tr("截止 %1 的报名？截止后不能再登记或导入报名。").replace("%1", self.current.name),
                       self.tr("截止报名"), irreversible=True):
            return
        actor, code = self.ctx.actor, self.current.code
        run_task(self, lambda _p: service.close_registration(actor, code), title=self.tr("截止报名"),
                 on_done=lambda _v: self._changed())

    def _changed(self) -> None:
        if not reload_shell(self, self.current.code if self.current else None):
            self.refresh()

    def announcement(self) -> None:
        if self.current is None:
            return
        from jlexam.services.announcement import write_announcement

        actor, code = self.ctx.actor, self.current.code
        out = Path(tempfile.mkdtemp(prefix="jlexam-")) / f"认定公告-{code}.pdf"
        run_task(self, lambda _p: write_announcement(actor, code, out), title=self.tr("生成认定公告"),
                 label=self.tr("正在生成认定公告……"), on_done=self._show_pdf)

    def _show_pdf(self, path: Path) -> None:
        from ui.pdf_preview import PdfPreview

        self.preview = PdfPreview(path, actor=self.ctx.actor, title=self.tr("认定公告 — %1").replace("%1", path.name),
                                  parent=self)
        self.preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.preview.show()
