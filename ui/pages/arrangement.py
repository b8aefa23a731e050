"""The arrangement page (考场编排, 002 §18-20): sites and rooms with what makes a room unusable, a seat plan per
session (made from a recorded strategy and seed, so it can be made again; single candidates moved by hand),
everything that blocks the lock listed with its rule, and the supervisor's lock.

Every rule is the services'. The page only flags, for the room registry, what the services check when a
plan is made: a room without video surveillance (002 §18) and a site without an exam office, a waiting
room or a marking room under surveillance (002 §19) — ``arrangement`` has no query for a room's problems
outside a plan, so ``room_flags``/``site_flags`` below restate those two checks for display only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QWidget,
)

from jlexam.errors import JlexamError
from jlexam.services import arrangement as service
from jlexam.services import sittings as sitting_service
from jlexam.services import staffing
from jlexam.services.arrangement import ROOM_KINDS, STRATEGY_LABELS, RoomInput
from jlexam.services.base import utcnow
from ui.context import AppContext
from ui.labels import joined, label
from ui.navigation import Stage
from ui.pages.base import LOCKED_CHANGES, LOCKED_STATES, RED, arrangement_block, gate
from ui.pages.sittings import RIGHT, TaskDialog, beijing, occupation_name
from ui.pages.work import WorkPage
from ui.sittings import state_name
from ui.tables import Column, TableView
from ui.tasks import Progress, run_task
from ui.widgets import Card, primary

SUPPORT_KINDS = ("exam_office", "waiting", "marking")


def room_flags(room: service.RoomView) -> list[str]:
    if room.video_surveillance:
        return []
    return [QCoreApplication.translate("ArrangementPage", "无视频监控，不能使用（002 §18）")]


def site_flags(site: service.SiteView) -> list[str]:
    watched = {r.kind for r in site.rooms if r.video_surveillance}
    missing = [ROOM_KINDS[k] for k in SUPPORT_KINDS if k not in watched]
    if not missing:
        return []
    text = QCoreApplication.translate("ArrangementPage", "考点“%1”缺少有视频监控的%2（002 §19；评分室仅有实操时需要）")
    return [text.replace("%1", site.name).replace("%2", joined(missing))]


def short_site_name(name: str, limit: int = 8) -> str:
    """A site's name short enough to precede a room's: the part after the school or centre's name
    (“吉林松辽职业技术学院主校区考点” -> “主校区考点”), elided when still long."""
    for marker in ("学院", "学校", "大学", "中心", "公司", "协会"):
        _head, found, rest = name.rpartition(marker)
        if found and rest.strip():
            name = rest.strip()
            break
    return name if len(name) <= limit else name[: limit - 1] + "…"


def room_choice_text(room: service.RoomView, site_name: str, with_site: bool, seats: str) -> str:
    """A room in the plan's checklist: its own name first; the site (shortened) only when rooms of several
    sites are listed. The full names are in the item's tooltip."""
    prefix = f"{short_site_name(site_name)} / " if with_site else ""
    return f"{prefix}{room.name}（{room.capacity} {seats}）"


@dataclass(frozen=True)
class SessionChoice:
    id: int
    label: str
    part: str
    candidates: int
    starts_at: datetime | None = None


@dataclass(frozen=True)
class Loaded:
    code: str | None
    sites: list[service.SiteView]
    sessions: list[SessionChoice]
    problems: list[service.Problem]


@dataclass(frozen=True)
class PlanLoaded:
    session_id: int
    plan: service.SeatPlanView | None
    tickets: dict[int, str]
    message: str


def _load(actor, code: str | None) -> Loaded:  # type: ignore[no-untyped-def]
    sites = service.list_sites(actor)
    if code is None:
        return Loaded(None, sites, [], [])
    known = {s.id: s for s in sitting_service.list_sessions(actor, code)}
    sessions = [
        SessionChoice(
            sid,
            text,
            known[sid].part if sid in known else "",
            n,
            known[sid].starts_at if sid in known else None,
        )
        for sid, text, n in service.sessions_for(actor, code)
    ]
    return Loaded(code, sites, sessions, staffing.arrangement_problems(actor, code))


def _load_plan(actor, code: str | None, session_id: int) -> PlanLoaded:  # type: ignore[no-untyped-def]
    try:
        plan = service.seat_plan(actor, session_id)
    except JlexamError as exc:
        return PlanLoaded(session_id, None, {}, exc.message)
    numbers: dict[int, str] = {}
    if code is not None and actor.can("tickets.view"):
        try:
            from jlexam.services import tickets

            numbers = {t.application_id: t.number for t in tickets.list_tickets(actor, code)}
        except JlexamError:
            numbers = {}
    return PlanLoaded(session_id, plan, numbers, "")


# --- dialogs ---------------------------------------------------------------------------------------------
class SiteDialog(TaskDialog):
    def __init__(self, actor, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(self.tr("添加考点"), self.tr("添加"), parent)
        self.actor = actor
        self.name = QLineEdit()
        self.address = QLineEdit()
        self.form.addRow(self.tr("考点名称 *"), self.name)
        self.form.addRow(self.tr("地址"), self.address)
        self.finish_layout()
        self.resize(460, 160)

    def work(self) -> Callable[[Progress], Any] | None:
        actor, name, address = self.actor, self.name.text(), self.address.text()
        return lambda _p: service.add_site(actor, name, address)


class RoomDialog(TaskDialog):
    """Add a room to a site, or change one (``room`` given)."""

    def __init__(
        self,
        actor,
        sites: list[service.SiteView],
        room: service.RoomView | None = None,  # type: ignore[no-untyped-def]
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("修改考场") if room else self.tr("添加考场"), self.tr("保存"), parent)
        self.actor, self.room = actor, room
        self.site = QComboBox()
        for site in sites:
            self.site.addItem(site.name, site.id)
        self.name = QLineEdit()
        self.kind = QComboBox()
        for key, name in ROOM_KINDS.items():
            self.kind.addItem(label(name), key)
        self.rows = QSpinBox()
        self.rows.setRange(1, 50)
        self.rows.setValue(6)
        self.rows.setSuffix(self.tr(" 排"))
        self.columns = QSpinBox()
        self.columns.setRange(1, 50)
        self.columns.setValue(5)
        self.columns.setSuffix(self.tr(" 列"))
        self.capacity = QSpinBox()
        self.capacity.setRange(0, 2500)
        self.capacity.setSpecialValueText(self.tr("全部可用座位"))
        self.out_of_use = QLineEdit()
        self.out_of_use.setPlaceholderText(self.tr("排-列，逗号分隔，例如 1-1, 3-5"))
        self.video = QCheckBox(self.tr("已安装视频监控并全程录像"))
        self.form.addRow(self.tr("考点 *"), self.site)
        self.form.addRow(self.tr("考场名称 *"), self.name)
        self.form.addRow(self.tr("类型 *"), self.kind)
        layout = QHBoxLayout()
        layout.addWidget(self.rows)
        layout.addWidget(QLabel("×"))
        layout.addWidget(self.columns)
        self.form.addRow(self.tr("座位布局"), layout)
        self.form.addRow(self.tr("容量"), self.capacity)
        self.form.addRow(self.tr("停用座位"), self.out_of_use)
        self.form.addRow(self.tr("视频监控"), self.video)
        note = QLabel(self.tr("没有视频监控的考场不能使用（002 第十八条）。"))
        note.setObjectName("Hint")
        self.outer.addWidget(note)
        if room is not None:
            self.site.setCurrentIndex(self.site.findData(room.site_id))
            self.site.setEnabled(False)
            self.name.setText(room.name)
            self.kind.setCurrentIndex(self.kind.findData(room.kind))
            self.rows.setValue(room.rows)
            self.columns.setValue(room.columns)
            self.capacity.setValue(room.capacity)
            self.out_of_use.setText(room.seats_out_of_use)
            self.video.setChecked(room.video_surveillance)
        self.finish_layout()
        self.resize(500, 360)

    def work(self) -> Callable[[Progress], Any] | None:
        if self.site.currentData() is None:
            self.show_message(self.tr("请先添加考点。"))
            return None
        item = RoomInput(
            self.name.text(),
            self.kind.currentData(),
            self.rows.value(),
            self.columns.value(),
            self.capacity.value() or None,
            self.out_of_use.text().strip(),
            self.video.isChecked(),
        )
        actor, site, room = self.actor, self.site.currentData(), self.room
        if room is not None:
            return lambda _p: service.update_room(actor, room.id, item)
        return lambda _p: service.add_room(actor, site, item)


class MoveDialog(TaskDialog):
    """Move one candidate to a free seat of one of the plan's rooms (before the lock)."""

    def __init__(
        self,
        actor,
        plan: service.SeatPlanView,
        seat: service.SeatRow,  # type: ignore[no-untyped-def]
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("调整座位"), self.tr("调整"), parent)
        self.actor, self.plan, self.seat = actor, plan, seat
        self.form.addRow(self.tr("考生"), QLabel(f"{seat.name}（{self.tr('报名号')} {seat.application_id}）"))
        self.form.addRow(
            self.tr("现座位"),
            QLabel(
                self.tr("%1 第 %2 排第 %3 列（%4 号）")
                .replace("%1", seat.room_name)
                .replace("%2", str(seat.row))
                .replace("%3", str(seat.column))
                .replace("%4", str(seat.seat_number))
            ),
        )
        self.room = QComboBox()
        for load in plan.rooms:
            self.room.addItem(label(f"第{load.number:02d}考场（{load.name}）"), load.room_id)
        self.room.setCurrentIndex(max(0, self.room.findData(seat.room_id)))
        self.row = QSpinBox()
        self.row.setRange(1, 50)
        self.row.setValue(seat.row)
        self.column = QSpinBox()
        self.column.setRange(1, 50)
        self.column.setValue(seat.column)
        self.form.addRow(self.tr("目标考场 *"), self.room)
        self.form.addRow(self.tr("排 *"), self.row)
        self.form.addRow(self.tr("列 *"), self.column)
        self.finish_layout()
        self.resize(440, 240)

    def work(self) -> Callable[[Progress], Any] | None:
        actor, sid, app = self.actor, self.plan.session_id, self.seat.application_id
        room, row, column = self.room.currentData(), self.row.value(), self.column.value()
        return lambda _p: service.move_seat(actor, sid, app, room, row, column)


class SeatChangeDialog(MoveDialog):
    """A supervisor moves one candidate after the lock (002 §21): a reason, recorded and audited; the ticket
    (once issued) is printed again."""

    def __init__(
        self,
        actor,
        plan: service.SeatPlanView,
        seat: service.SeatRow,  # type: ignore[no-untyped-def]
        ticket: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(actor, plan, seat, parent)
        self.setWindowTitle(self.tr("调整座位（锁定后）"))
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(self.tr("写明谁、因为什么，例如：原座位课桌损坏，调到空座"))
        self.reason.setFixedHeight(70)
        self.form.addRow(self.tr("理由 *"), self.reason)
        text = self.tr(
            "编排已锁定：调整须由主考/质量督导写明理由，记入调整记录和审计日志（002 第二十一条），开考前办理。"
        )
        if ticket:
            text += self.tr("准考证 %1 须重新打印并收回旧证，该场次的座位表和签到表也须重新打印。").replace(
                "%1", ticket
            )
        note = QLabel(text)
        note.setObjectName("Hint")
        note.setWordWrap(True)
        self.outer.insertWidget(self.outer.count() - 2, note)
        self.resize(500, 400)

    def work(self) -> Callable[[Progress], Any] | None:
        reason = self.reason.toPlainText().strip()
        if not reason:
            self.show_message(self.tr("请写明调整理由（002 第二十一条）。"))
            return None
        actor, sid, app = self.actor, self.plan.session_id, self.seat.application_id
        room, row, column = self.room.currentData(), self.row.value(), self.column.value()
        return lambda _p: staffing.change_seat(actor, sid, app, room, row, column, reason)


# --- the page --------------------------------------------------------------------------------------------
class ArrangementPage(WorkPage):
    def __init__(self, ctx: AppContext, stage: Stage, parent: QWidget | None = None) -> None:
        super().__init__(ctx, stage, parent)
        actor = ctx.actor
        self.can_manage = actor.can("arrangement.manage")
        self.can_lock = actor.can("arrangement.lock")
        self.loaded: Loaded | None = None
        self.plan_loaded: PlanLoaded | None = None
        self.plan_task = None

        self.lock_button = primary(QPushButton(self.tr("审定并锁定编排")))
        self.lock_button.clicked.connect(self.lock)
        self.actions.addWidget(self.lock_button)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._rooms_tab(), self.tr("考点与考场"))
        self.tabs.addTab(self._plan_tab(), self.tr("座位编排"))
        self.tabs.addTab(self._problems_tab(), self.tr("锁定前检查"))
        self.content.addWidget(self.tabs, 1)
        ctx.sitting_changed.connect(self.refresh)

    # --- building -------------------------------------------------------------------------------------
    def _rooms_tab(self) -> QWidget:
        card = Card()
        self.add_site_button = QPushButton(self.tr("添加考点…"))
        self.add_room_button = primary(QPushButton(self.tr("添加考场…")))
        self.edit_room_button = QPushButton(self.tr("修改考场…"))
        self.add_site_button.clicked.connect(self.add_site)
        self.add_room_button.clicked.connect(lambda: self.edit_room(None))
        self.edit_room_button.clicked.connect(lambda: self.edit_room(self.rooms.current_row()))
        bar = QHBoxLayout()
        self.site_hint = QLabel()
        self.site_hint.setObjectName("FieldError")
        self.site_hint.setWordWrap(True)
        bar.addWidget(self.site_hint, 1)
        bar.addStretch(0)
        for b in (self.add_site_button, self.edit_room_button, self.add_room_button):
            b.setVisible(self.can_manage)
            b.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            bar.addWidget(b)
        card.body.addLayout(bar)

        def red(r: service.RoomView) -> str | None:
            return RED if room_flags(r) else None

        self.rooms = TableView(
            [
                Column(self.tr("考点"), lambda r: r.site_name, width=230, color=red),
                Column(self.tr("考场"), lambda r: r.name, width=160, color=red),
                Column(self.tr("类型"), lambda r: label(r.kind_label), width=90, color=red),
                Column(self.tr("容量"), lambda r: r.capacity, width=56, align=RIGHT, color=red),
                Column(
                    self.tr("布局"),
                    lambda r: (
                        self.tr("%1 排 × %2 列").replace("%1", str(r.rows)).replace("%2", str(r.columns))
                    ),
                    width=100,
                    color=red,
                ),
                Column(self.tr("停用座位"), lambda r: r.seats_out_of_use, width=110, color=red),
                Column(
                    self.tr("视频监控"),
                    lambda r: self.tr("有") if r.video_surveillance else self.tr("无"),
                    width=70,
                    color=red,
                ),
                Column(self.tr("问题"), lambda r: "；".join(room_flags(r)), color=red),
            ],
            empty_text=self.tr(
                "尚未登记考场。先添加考点，再添加理论考场、实操考场、考务办公室、候考室和评分室。"
            ),
            placeholder=self.tr("按考点、考场、类型筛选（Ctrl+F）"),
        )
        self.rooms.activated_row.connect(lambda r: self.edit_room(r) if self.can_manage else None)
        self.rooms.selection_changed.connect(self._update_buttons)
        card.body.addWidget(self.rooms, 1)
        return card

    def _plan_tab(self) -> QWidget:
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        left = Card(self.tr("编排"))
        left.setMinimumWidth(280)
        left.setMaximumWidth(360)
        self.session = QComboBox()
        self.session.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.session.setMinimumContentsLength(12)
        self.session.view().setMinimumWidth(360)  # the list shows the whole label
        self.session.currentIndexChanged.connect(lambda _i: self._session_changed())
        self.session.currentTextChanged.connect(self.session.setToolTip)
        left.body.addWidget(QLabel(self.tr("场次")))
        left.body.addWidget(self.session)
        left.body.addWidget(QLabel(self.tr("考场（按勾选顺序依次编排）")))
        self.room_list = QListWidget()
        self.room_list.setMinimumHeight(110)
        left.body.addWidget(self.room_list, 1)
        self.strategy = QComboBox()
        for key, name in STRATEGY_LABELS.items():
            self.strategy.addItem(label(name), key)
        self.seed = QLineEdit()
        self.seed.setValidator(QIntValidator(0, 2**31 - 1, self))
        self.seed.setPlaceholderText(self.tr("留空则随机抽取并记录"))
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("方式")))
        row.addWidget(self.strategy, 1)
        left.body.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("随机种子")))
        row.addWidget(self.seed, 1)
        left.body.addLayout(row)
        self.make_button = primary(QPushButton(self.tr("编排座位")))
        self.make_button.setToolTip(self.tr("重新编排会替换本场次未锁定的座位"))
        self.make_button.clicked.connect(self.make_plan)
        self.make_button.setVisible(self.can_manage)
        left.body.addWidget(self.make_button)
        splitter.addWidget(left)

        right = Card(self.tr("座位表"))
        self.plan_card = right
        self.move_button = QPushButton(self.tr("调整座位…"))
        self.move_button.clicked.connect(self.move_selected)
        self.move_button.setVisible(self.can_manage)
        right.header.addWidget(self.move_button)
        self.change_button = QPushButton(self.tr("调整座位（锁定后）…"))
        self.change_button.clicked.connect(self.change_selected)
        self.change_button.setVisible(self.can_lock)
        right.header.addWidget(self.change_button)
        self.plan_info = QLabel()
        self.plan_info.setWordWrap(True)
        self.plan_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        right.body.addWidget(self.plan_info)
        self.seats = TableView(
            [
                Column(self.tr("考场"), lambda s: label(f"第{s.room_number:02d}考场（{s.room_name}）"), width=215),
                Column(self.tr("座位号"), lambda s: s.seat_number, width=60, align=RIGHT),
                Column(self.tr("排-列"), lambda s: f"{s.row}-{s.column}", width=56),
                Column(self.tr("姓名"), lambda s: s.name, width=90),
                Column(self.tr("准考证号"), lambda s: self._ticket(s.application_id), width=110),
                Column(self.tr("报名号"), lambda s: s.application_id, width=64, align=RIGHT),
                Column(
                    self.tr("职业（等级）"),
                    lambda s: f"{occupation_name(s.occupation_code)}（{s.level} 级）",
                    width=170,
                ),
                Column(self.tr("工作单位"), lambda s: s.employer),
            ],
            empty_text=self.tr("本场次尚未编排座位。"),
            placeholder=self.tr("按姓名、考场、报名号筛选（Ctrl+F）"),
        )
        self.seats.selection_changed.connect(self._update_buttons)
        self.seats.activated_row.connect(
            lambda _r: self.change_selected() if self.locked else self.move_selected()
        )
        right.body.addWidget(self.seats, 1)
        splitter.addWidget(right)
        splitter.setSizes([330, 800])
        return splitter

    def _problems_tab(self) -> QWidget:
        card = Card()
        self.problem_summary = QLabel()
        self.problem_summary.setWordWrap(True)
        card.body.addWidget(self.problem_summary)
        self.problems = TableView(
            [
                Column(self.tr("依据"), lambda p: p.rule, width=90, color=lambda _p: RED),
                Column(self.tr("问题"), lambda p: p.message, color=lambda _p: RED),
            ],
            empty_text=self.tr("没有阻碍锁定的问题。"),
            search=False,
        )
        self.problems.view.setWordWrap(True)
        card.body.addWidget(self.problems, 1)
        return card

    # --- data ------------------------------------------------------------------------------------------
    @property
    def locked(self) -> bool:
        return self.ctx.sitting is not None and self.ctx.sitting.state in LOCKED_STATES

    def _ticket(self, application_id: int) -> str:
        return self.plan_loaded.tickets.get(application_id, "") if self.plan_loaded else ""

    def refresh(self) -> None:
        actor, code = self.ctx.actor, self.code
        self.load(lambda _p: _load(actor, code), self._loaded, self.tr("读取考场编排"))

    def _loaded(self, loaded: Loaded) -> None:
        self.loaded = loaded
        rooms = [r for site in loaded.sites for r in site.rooms]
        self.rooms.set_rows(rooms)
        flags = [f for site in loaded.sites for f in site_flags(site)]
        self.site_hint.setText("\n".join(flags))
        self.site_hint.setVisible(bool(flags))
        if loaded.code is None:
            self.set_status(self.tr("尚无认定批次。请先在“认定批次”页面创建认定批次。"), "info")
        elif self.locked:
            self.set_status(arrangement_block(self.ctx.sitting.state), "info")
        else:
            self.set_status("", "info")
        current = self.session.currentData()
        self.session.blockSignals(True)
        self.session.clear()
        for s in loaded.sessions:
            self.session.addItem(
                self.tr("%1 · %2 人").replace("%1", label(s.label)).replace("%2", str(s.candidates)), s.id
            )
        index = self.session.findData(current)
        self.session.setCurrentIndex(index if index >= 0 else 0)
        self.session.blockSignals(False)
        self._session_changed()
        self.problems.set_rows(loaded.problems)
        state = self._state()
        if loaded.code is None:
            self.problem_summary.setText("")
        elif self.locked and state is not None:
            self.problem_summary.setText(self._locked_summary(state, len(loaded.problems)))
            self.problem_summary.setStyleSheet(
                f"color: {RED}; font-weight: 600;" if loaded.problems and state in LOCKED_CHANGES
                else "color: #1f7a4d; font-weight: 600;" if not loaded.problems else "font-weight: 600;"
            )
        elif loaded.problems:
            self.problem_summary.setText(
                self.tr("还有 %1 处问题，解决后才能锁定（规则依据见左列）。").replace(
                    "%1", str(len(loaded.problems))
                )
            )
            self.problem_summary.setStyleSheet(f"color: {RED}; font-weight: 600;")
        else:
            self.problem_summary.setText(self.tr("座位编排和考务人员安排符合要求，可由主考/质量督导锁定。"))
            self.problem_summary.setStyleSheet("color: #1f7a4d; font-weight: 600;")
        self.tabs.setTabText(
            2,
            self.tr("锁定前检查（%1）").replace("%1", str(len(loaded.problems)))
            if loaded.problems
            else self.tr("锁定前检查"),
        )
        self._update_buttons()

    def _session(self) -> SessionChoice | None:
        sid = self.session.currentData()
        return next((s for s in self.loaded.sessions if s.id == sid), None) if self.loaded else None

    def _session_changed(self) -> None:
        session = self._session()
        self.room_list.clear()
        if session is None or self.loaded is None:
            self.plan_loaded = None
            self.seats.set_rows([])
            self.plan_info.setText(self.tr("本批次尚无场次。") if self.loaded and self.loaded.code else "")
            self._update_buttons()
            return
        kind = service.EXAM_ROOM_KIND.get(session.part)
        several = sum(1 for site in self.loaded.sites if any(r.kind == kind for r in site.rooms)) > 1
        for site in self.loaded.sites:
            for room in site.rooms:
                if room.kind != kind:
                    continue
                item = QListWidgetItem(
                    room_choice_text(room, site.name, several, self.tr("座"))
                    + ("" if room.video_surveillance else self.tr(" 无监控"))
                )
                item.setToolTip(f"{site.name} / {room.name}")
                item.setData(Qt.ItemDataRole.UserRole, room.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                if not room.video_surveillance:
                    item.setForeground(Qt.GlobalColor.red)
                self.room_list.addItem(item)
        actor, code, sid = self.ctx.actor, self.code, session.id
        if self.plan_task is not None and self.plan_task.is_running:
            self.plan_task.cancel()
        self.plan_task = run_task(
            self,
            lambda _p: _load_plan(actor, code, sid),
            dialog=False,
            on_done=self._plan_loaded,
            on_error=self.refused,
        )

    def _plan_loaded(self, loaded: PlanLoaded) -> None:
        if loaded.session_id != self.session.currentData():
            return
        self.plan_loaded = loaded
        plan = loaded.plan
        self.seats.set_rows(list(plan.seats) if plan else [])
        if plan is None:
            self.plan_info.setText(loaded.message + self.tr(" 勾选考场，选择方式后点击“编排座位”。"))
            self.plan_info.setStyleSheet("")
        else:
            used = {r.room_id for r in plan.rooms}
            for i in range(self.room_list.count()):
                item = self.room_list.item(i)
                item.setCheckState(
                    Qt.CheckState.Checked
                    if item.data(Qt.ItemDataRole.UserRole) in used
                    else Qt.CheckState.Unchecked
                )
            loads = "；".join(f"{r.name} {r.seated}/{r.capacity}" for r in plan.rooms)
            state = (
                self.tr("已由 %1 于 %2 锁定")
                .replace("%1", plan.locked_by or "")
                .replace("%2", beijing(plan.locked_at))
                if plan.locked
                else self.tr("未锁定")
            )
            self.plan_info.setText(
                self.tr(
                    "%1：%2 人，方式“%3”，随机种子 %4（用同一种子和考场可重新得到同样的编排），编排人 %5，%6。\n考场：%7"
                )
                .replace("%1", plan.session)
                .replace("%2", str(len(plan.seats)))
                .replace("%3", label(STRATEGY_LABELS.get(plan.strategy, plan.strategy)))
                .replace("%4", str(plan.seed))
                .replace("%5", plan.created_by)
                .replace("%6", state)
                .replace("%7", loads)
            )
            self.strategy.setCurrentIndex(max(0, self.strategy.findData(plan.strategy)))
        self._update_buttons()

    def _locked_summary(self, state: str, problems: int) -> str:
        """What the check says once the arrangement is locked (the lock itself is done)."""
        name = state_name(state)
        if not problems:
            return self.tr("编排已锁定（%1）：座位编排和考务人员安排符合要求。").replace("%1", name)
        if state in LOCKED_CHANGES:
            return (
                self.tr("编排已锁定（%1），但现有 %2 处问题：须由主考/质量督导用“…（锁定后）”操作调整。")
                .replace("%1", name)
                .replace("%2", str(problems))
            )
        return (
            self.tr("编排已锁定（%1），考试已举行：下列 %2 处问题仅供查阅，编排不能再调整。")
            .replace("%1", name)
            .replace("%2", str(problems))
        )

    def _state(self) -> str | None:
        return str(self.ctx.sitting.state) if self.ctx.sitting is not None else None

    def _update_buttons(self) -> None:
        has_code = self.loaded is not None and self.loaded.code is not None
        plan = self.plan_loaded.plan if self.plan_loaded else None
        one = len(self.seats.selected_rows()) == 1
        block = arrangement_block(self._state())
        gate(
            self.lock_button,
            block if self.can_lock else self.tr("锁定须由主考/质量督导操作"),
            ready=has_code,
            tip=self.tr("主考/质量督导审定座位编排和考务人员安排后锁定；有问题时不能锁定"),
        )
        gate(
            self.make_button,
            block,
            ready=has_code and self._session() is not None,
            tip=self.tr("重新编排会替换本场次未锁定的座位"),
        )
        gate(
            self.move_button,
            block or ("" if plan is not None else self.tr("本场次尚未编排座位")),
            ready=one,
            tip=self.tr("选择一名考生后调整其座位"),
        )
        after = arrangement_block(self._state(), after_lock=True)
        if not after and plan is None:
            after = self.tr("本场次没有座位编排")
        if not after:
            session = self._session()
            if (
                session is not None
                and session.starts_at is not None
                and session.starts_at <= utcnow()  # the services' clock, as the rule reads it
            ):
                after = self.tr("本场次已开考，不能再调整座位")
        gate(
            self.change_button,
            after,
            ready=one,
            tip=self.tr("主考/质量督导调整已锁定编排中一名考生的座位（须写明理由，002 第二十一条）"),
        )
        gate(
            self.edit_room_button,
            ready=len(self.rooms.selected_rows()) == 1,
            tip=self.tr("修改所选考场的名称、类型、座位布局和视频监控"),
            unready=self.tr("请先在列表中选择一个考场。"),
        )
        gate(
            self.add_room_button,
            ready=bool(self.loaded and self.loaded.sites),
            unready=self.tr("请先添加考点，再添加考场。"),
        )

    # --- actions ---------------------------------------------------------------------------------------
    def checked_rooms(self) -> list[int]:
        return [
            self.room_list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.room_list.count())
            if self.room_list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def check_rooms(self, room_ids: list[int]) -> None:
        for i in range(self.room_list.count()):
            item = self.room_list.item(i)
            item.setCheckState(
                Qt.CheckState.Checked
                if item.data(Qt.ItemDataRole.UserRole) in room_ids
                else Qt.CheckState.Unchecked
            )

    def make_plan(self) -> None:
        session = self._session()
        if session is None or not self.can_manage:
            return
        rooms = self.checked_rooms()
        if not rooms:
            self.show_notice(self.tr("请至少勾选一个考场。"), "warn")
            return
        seed = int(self.seed.text()) if self.seed.text().strip() else None
        actor, strategy = self.ctx.actor, self.strategy.currentData()
        self.make_button.setEnabled(False)

        def done(plan: service.SeatPlanView) -> None:
            self.changed(
                self.tr("已编排 %1：%2 人，随机种子 %3。")
                .replace("%1", plan.session)
                .replace("%2", str(len(plan.seats)))
                .replace("%3", str(plan.seed))
            )

        handle = run_task(
            self,
            lambda _p: service.make_seat_plan(actor, session.id, rooms, seed=seed, strategy=strategy),
            title=self.tr("编排座位"),
            on_done=done,
            on_error=self.refused,
        )
        handle.finished.connect(self._update_buttons)

    def move_selected(self) -> None:
        plan = self.plan_loaded.plan if self.plan_loaded else None
        chosen = self.seats.selected_rows()
        if plan is None or len(chosen) != 1 or not self.move_button.isEnabled():
            return
        seat = chosen[0]
        self.open_dialog(
            MoveDialog(self.ctx.actor, plan, seat, self),
            lambda _v: self.changed(self.tr("已调整 %1 的座位，调整记入审计日志。").replace("%1", seat.name)),
        )

    def change_selected(self) -> None:
        plan = self.plan_loaded.plan if self.plan_loaded else None
        chosen = self.seats.selected_rows()
        if plan is None or len(chosen) != 1 or not self.change_button.isEnabled():
            return
        seat = chosen[0]

        def done(view: staffing.SeatChangeView) -> None:
            self.changed(view.message, "warn" if view.reprint else "ok")

        self.open_dialog(
            SeatChangeDialog(self.ctx.actor, plan, seat, self._ticket(seat.application_id), self), done
        )

    def add_site(self) -> None:
        if self.can_manage:
            self.open_dialog(
                SiteDialog(self.ctx.actor, self),
                lambda v: self.changed(self.tr("已添加考点 %1。").replace("%1", v.name)),
            )

    def edit_room(self, room: service.RoomView | None) -> None:
        if not self.can_manage or self.loaded is None:
            return
        self.open_dialog(
            RoomDialog(self.ctx.actor, self.loaded.sites, room, self),
            lambda v: self.changed(self.tr("已保存考场 %1。").replace("%1", v.name)),
        )

    def lock(self) -> None:
        if self.code is None:
            return
        actor, code = self.ctx.actor, self.code
        run_task(
            self,
            lambda _p: staffing.lock_arrangement(actor, code),
            title=self.tr("锁定考场编排"),
            on_done=lambda _r: self.changed(
                self.tr("已锁定考场编排和考务人员安排，批次进入“已编排”，可以制发准考证。"), sittings=True
            ),
            on_error=self._lock_refused,
        )

    def _lock_refused(self, exc: BaseException) -> None:
        self.refused(exc)
        if isinstance(exc, JlexamError) and exc.rule:
            self.tabs.setCurrentIndex(2)
