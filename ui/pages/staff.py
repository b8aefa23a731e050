"""The staff page (考务人员, 002 §21, §23, §38, §44): the registry with each person's roles and qualification,
the duties per session and room against what the occupation's standard asks (red when short), everything that
blocks the lock, changes after the lock (with a reason, by a supervisor) and the briefing with who attended.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QWidget,
)

from jlexam.domain.china_time import CHINA_TZ
from jlexam.services import sittings as sitting_service
from jlexam.services import staffing
from jlexam.services.staffing import STAFF_ROLES, StaffInput
from ui.context import AppContext
from ui.labels import joined, label
from ui.navigation import Stage
from ui.pages.base import BEFORE_CLOSE, LOCKED_CHANGES, LOCKED_STATES, RED, arrangement_block, gate
from ui.pages.checkin import session_text
from ui.pages.sittings import RIGHT, TaskDialog, beijing, date_edit, occupation_name
from ui.pages.work import WorkPage
from ui.tables import Column, TableView
from ui.tasks import Progress
from ui.widgets import Card, primary

BRIEFING_STATES = frozenset({"closed", "arranged", "ticketed"})
DUTIES = (
    "invigilator",
    "assessor",
    "chief_examiner",
    "exam_lead",
    "clerk",
    "internal_supervisor",
    "external_supervisor",
    "safety_officer",
)


@dataclass(frozen=True)
class Loaded:
    code: str | None
    staff: list[staffing.StaffView]
    sessions: list[sitting_service.SessionView]
    needs: list[staffing.RoomNeed]
    assignments: list[staffing.AssignmentView]
    problems: list[staffing.Problem]
    changes: list[staffing.ChangeView]
    briefings: list[staffing.BriefingView]


def _load(actor, code: str | None) -> Loaded:  # type: ignore[no-untyped-def]
    people = staffing.list_staff(actor)
    if code is None:
        return Loaded(None, people, [], [], [], [], [], [])
    return Loaded(
        code,
        people,
        sitting_service.list_sessions(actor, code),
        staffing.staff_needs(actor, code),
        staffing.list_assignments(actor, code),
        staffing.arrangement_problems(actor, code),
        staffing.list_changes(actor, code),
        staffing.list_briefings(actor, code),
    )


def _names(text: str) -> list[str]:
    return [x.strip() for x in text.replace("，", ",").replace("、", ",").split(",") if x.strip()]


# --- dialogs ---------------------------------------------------------------------------------------------
class StaffDialog(TaskDialog):
    """Add a person to the registry, or change one (``person`` given)."""

    def __init__(
        self,
        actor,
        person: staffing.StaffView | None = None,  # type: ignore[no-untyped-def]
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            self.tr("修改考务人员") if person else self.tr("添加考务人员"), self.tr("保存"), parent
        )
        self.actor, self.person = actor, person
        self.name = QLineEdit()
        self.employer = QLineEdit()
        self.internal = QCheckBox(self.tr("本机构正式职工"))
        self.internal.setChecked(True)
        self.roles: dict[str, QCheckBox] = {}
        grid = QHBoxLayout()
        box1, box2 = QWidget(), QWidget()
        from PySide6.QtWidgets import QVBoxLayout

        col1, col2 = QVBoxLayout(box1), QVBoxLayout(box2)
        for i, (key, name) in enumerate(STAFF_ROLES.items()):
            check = QCheckBox(label(name))
            self.roles[key] = check
            (col1 if i % 2 == 0 else col2).addWidget(check)
        grid.addWidget(box1)
        grid.addWidget(box2)
        self.certificate = QLineEdit()
        self.certificate.setPlaceholderText(self.tr("考评员证书编号"))
        self.occupations = QLineEdit()
        self.occupations.setPlaceholderText(self.tr("职业编码，逗号分隔，例如 6-31-01-03"))
        self.max_level = QSpinBox()
        self.max_level.setRange(0, 5)
        self.max_level.setSpecialValueText(self.tr("（不适用）"))
        self.max_level.setPrefix(self.tr("最高 "))
        self.max_level.setSuffix(self.tr(" 级"))
        self.use_dates = QCheckBox(self.tr("登记聘用期"))
        self.appointed = date_edit()
        self.valid_until = date_edit()
        self.valid_until.setDate(self.appointed.date().addYears(3).addDays(-1))
        self.use_dates.toggled.connect(
            lambda on: (self.appointed.setEnabled(on), self.valid_until.setEnabled(on))
        )
        self.active = QCheckBox(self.tr("在岗"))
        self.active.setChecked(True)
        self.form.addRow(self.tr("姓名 *"), self.name)
        self.form.addRow(self.tr("工作单位"), self.employer)
        self.form.addRow("", self.internal)
        self.form.addRow(self.tr("岗位 *"), grid)
        self.form.addRow(self.tr("证书编号"), self.certificate)
        self.form.addRow(self.tr("可考评职业"), self.occupations)
        self.form.addRow(self.tr("可考评等级"), self.max_level)
        self.form.addRow("", self.use_dates)
        self.form.addRow(self.tr("聘用日期"), self.appointed)
        self.form.addRow(self.tr("有效期至"), self.valid_until)
        self.form.addRow("", self.active)
        note = QLabel(
            self.tr(
                "考评员须登记证书编号、可考评的职业和等级及聘用有效期（3 年，002 第三十八条）；"
                "内部质量督导员须为本机构正式职工（002 第四十四条）。"
            )
        )
        note.setObjectName("Hint")
        note.setWordWrap(True)
        self.outer.addWidget(note)
        self.use_dates.setChecked(True)
        if person is not None:
            self.name.setText(person.name)
            self.employer.setText(person.employer)
            self.internal.setChecked(person.internal)
            for r in person.roles:
                if r in self.roles:
                    self.roles[r].setChecked(True)
            self.certificate.setText(person.certificate_number)
            self.occupations.setText(", ".join(person.occupations))
            self.max_level.setValue(person.max_level or 0)
            self.use_dates.setChecked(bool(person.appointed_on or person.valid_until))
            if person.appointed_on:
                self.appointed.setDate(person.appointed_on)
            if person.valid_until:
                self.valid_until.setDate(person.valid_until)
            self.active.setChecked(person.active)
        self.finish_layout()
        self.resize(560, 560)

    def item(self) -> StaffInput:
        dated = self.use_dates.isChecked()
        return StaffInput(
            self.name.text(),
            tuple(k for k, c in self.roles.items() if c.isChecked()),
            self.employer.text().strip(),
            self.internal.isChecked(),
            self.certificate.text().strip(),
            tuple(_names(self.occupations.text())),
            self.max_level.value() or None,
            self.appointed.date().toPython() if dated else None,
            self.valid_until.date().toPython() if dated else None,
            self.active.isChecked(),
        )

    def work(self) -> Callable[[Progress], Any] | None:
        actor, item, person = self.actor, self.item(), self.person
        if person is not None:
            return lambda _p: staffing.update_staff(actor, person.id, item)
        return lambda _p: staffing.add_staff(actor, item)


class AssignDialog(TaskDialog):
    """Give a person a duty in a session and room. After the lock it is a change: reason, supervisor."""

    def __init__(
        self,
        actor,
        code: str,
        loaded: Loaded,
        session_id: int,
        room_id: int | None,  # type: ignore[no-untyped-def]
        locked: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            self.tr("调整考务人员（锁定后）") if locked else self.tr("安排考务人员"),
            self.tr("调整") if locked else self.tr("安排"),
            parent,
        )
        self.actor, self.code, self.locked = actor, code, locked
        self.session = QComboBox()
        for s in loaded.sessions:
            self.session.addItem(session_text(s), s.id)
        self.session.setCurrentIndex(max(0, self.session.findData(session_id)))
        self.person = QComboBox()
        for p in loaded.staff:
            if p.active:
                self.person.addItem(f"{p.name}（{joined(STAFF_ROLES.get(r, r) for r in p.roles)}）", p.id)
        self.duty = QComboBox()
        for key in DUTIES:
            self.duty.addItem(label(STAFF_ROLES[key]), key)
        self.room = QComboBox()
        self.room.addItem(self.tr("（不分考场）"), None)
        rooms: dict[int, str] = {}
        for need in loaded.needs:
            rooms.setdefault(need.room_id, need.room_name)
        for rid, name in rooms.items():
            self.room.addItem(label(name), rid)
        self.room.setCurrentIndex(max(0, self.room.findData(room_id)))
        self.form.addRow(self.tr("场次 *"), self.session)
        self.form.addRow(self.tr("人员 *"), self.person)
        self.form.addRow(self.tr("岗位 *"), self.duty)
        self.form.addRow(self.tr("考场"), self.room)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(self.tr("例如：监考员张某因病不能到场"))
        self.reason.setFixedHeight(70)
        if locked:
            self.form.addRow(self.tr("理由 *"), self.reason)
            note = QLabel(
                self.tr("编排已锁定：调整须由主考/质量督导写明理由，记入审计日志（002 第二十一条）。")
            )
            note.setObjectName("Hint")
            note.setWordWrap(True)
            self.outer.addWidget(note)
        self.finish_layout()
        self.resize(500, 320 if locked else 240)

    def work(self) -> Callable[[Progress], Any] | None:
        sid, person, duty, room = (
            self.session.currentData(),
            self.person.currentData(),
            self.duty.currentData(),
            self.room.currentData(),
        )
        if sid is None or person is None:
            self.show_message(self.tr("请选择场次和人员。"))
            return None
        actor, code = self.actor, self.code
        if self.locked:
            reason = self.reason.toPlainText().strip()
            return lambda _p: staffing.change_staff(actor, code, reason, add=(sid, person, duty, room))
        return lambda _p: staffing.assign_staff(actor, sid, person, duty, room)


class RemoveAfterLockDialog(TaskDialog):
    def __init__(
        self,
        actor,
        code: str,
        assignment: staffing.AssignmentView,  # type: ignore[no-untyped-def]
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("取消考务安排（锁定后）"), self.tr("取消安排"), parent)
        self.actor, self.code, self.assignment = actor, code, assignment
        self.form.addRow(
            self.tr("安排"),
            QLabel(
                f"{assignment.name} {assignment.session} {assignment.room_name} "
                f"{label(assignment.duty_label)}"
            ),
        )
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(self.tr("写明理由，例如：监考员张某因病不能到场"))
        self.reason.setFixedHeight(70)
        self.form.addRow(self.tr("理由 *"), self.reason)
        note = QLabel(
            self.tr("取消后该考场仍须满足配比，否则不会改动；需要换人时请用“调整（锁定后）…”先增加再取消。")
        )
        note.setObjectName("Hint")
        note.setWordWrap(True)
        self.outer.addWidget(note)
        self.finish_layout()
        self.resize(480, 240)

    def work(self) -> Callable[[Progress], Any] | None:
        actor, code, aid, reason = (
            self.actor,
            self.code,
            self.assignment.id,
            self.reason.toPlainText().strip(),
        )
        return lambda _p: staffing.change_staff(actor, code, reason, remove=aid)


class BriefingDialog(TaskDialog):
    """The briefing before the sitting (002 §23) and who attended."""

    def __init__(self, actor, code: str, loaded: Loaded, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(self.tr("登记考务会"), self.tr("登记"), parent)
        self.actor, self.code = actor, code
        self.held_at = QDateTimeEdit()
        self.held_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.held_at.setCalendarPopup(True)
        first = min((s.starts_at for s in loaded.sessions), default=None)
        moment = first.astimezone(CHINA_TZ).replace(tzinfo=None) if first else datetime.now()
        self.held_at.setDateTime(
            QDateTime(moment.replace(hour=15, minute=0, second=0, microsecond=0)).addDays(-1 if first else 0)
        )
        self.place = QLineEdit()
        self.place.setPlaceholderText(self.tr("例如 考务办公室"))
        self.attendees = QListWidget()
        assigned = {a.staff_id for a in loaded.assignments}
        for p in loaded.staff:
            if not (p.active or p.id in assigned):
                continue
            item = QListWidgetItem(
                f"{p.name}（{joined(STAFF_ROLES.get(r, r) for r in p.roles)}）" + (self.tr("  已安排") if p.id in assigned else "")
            )
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if p.id in assigned else Qt.CheckState.Unchecked)
            self.attendees.addItem(item)
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(60)
        self.notes.setPlaceholderText(self.tr("会议内容，例如 通报考场安排，学习考场规则和应急预案"))
        self.form.addRow(self.tr("时间（北京）*"), self.held_at)
        self.form.addRow(self.tr("地点 *"), self.place)
        self.form.addRow(self.tr("到会人员 *"), self.attendees)
        self.form.addRow(self.tr("内容"), self.notes)
        self.finish_layout()
        self.resize(520, 480)

    def work(self) -> Callable[[Progress], Any] | None:
        ids = [
            self.attendees.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.attendees.count())
            if self.attendees.item(i).checkState() == Qt.CheckState.Checked
        ]
        at = self.held_at.dateTime().toPython().replace(tzinfo=CHINA_TZ, second=0, microsecond=0)
        actor, code, place, notes = self.actor, self.code, self.place.text(), self.notes.toPlainText()
        return lambda _p: staffing.record_briefing(actor, code, at, place, ids, notes)


# --- the page --------------------------------------------------------------------------------------------
class StaffPage(WorkPage):
    def __init__(self, ctx: AppContext, stage: Stage, parent: QWidget | None = None) -> None:
        super().__init__(ctx, stage, parent)
        actor = ctx.actor
        self.can_manage = actor.can("arrangement.manage")
        self.can_lock = actor.can("arrangement.lock")
        self.loaded: Loaded | None = None
        self.tabs = QTabWidget()
        self.tabs.addTab(self._registry_tab(), self.tr("人员名册"))
        self.tabs.addTab(self._duties_tab(), self.tr("场次与考场安排"))
        self.tabs.addTab(self._problems_tab(), self.tr("问题与调整记录"))
        self.tabs.addTab(self._briefing_tab(), self.tr("考务会"))
        self.content.addWidget(self.tabs, 1)
        ctx.sitting_changed.connect(self.refresh)

    # --- building -------------------------------------------------------------------------------------
    def _registry_tab(self) -> QWidget:
        card = Card()
        bar = QHBoxLayout()
        hint = QLabel(self.tr("有效期已过或不在岗的人员以红色显示。"))
        hint.setObjectName("Hint")
        bar.addWidget(hint, 1)
        self.edit_button = QPushButton(self.tr("修改…"))
        self.add_button = primary(QPushButton(self.tr("添加人员…")))
        self.edit_button.clicked.connect(lambda: self.edit_person(self.staff.current_row()))
        self.add_button.clicked.connect(lambda: self.edit_person(None))
        for b in (self.edit_button, self.add_button):
            b.setVisible(self.can_manage)
            bar.addWidget(b)
        card.body.addLayout(bar)

        def red(p: staffing.StaffView) -> str | None:
            expired = p.valid_until is not None and p.valid_until < self.ctx.today()
            return RED if expired or not p.active else None

        self.staff = TableView(
            [
                Column(self.tr("姓名"), lambda p: p.name, width=80, color=red),
                Column(
                    self.tr("岗位"),
                    lambda p: joined(STAFF_ROLES.get(r, r) for r in p.roles),
                    width=150,
                    color=red,
                ),
                Column(
                    self.tr("工作单位"),
                    lambda p: p.employer + ("" if p.internal else self.tr("（外聘）")),
                    width=130,
                    color=red,
                ),
                Column(self.tr("证书编号"), lambda p: p.certificate_number, width=110, color=red),
                Column(
                    self.tr("可考评职业"),
                    lambda p: "、".join(occupation_name(o) for o in p.occupations),
                    width=150,
                    color=red,
                ),
                Column(
                    self.tr("最高等级"),
                    lambda p: self.tr("%1 级").replace("%1", str(p.max_level)) if p.max_level else "",
                    width=76,
                    color=red,
                ),
                Column(self.tr("有效期至"), lambda p: p.valid_until, width=90, color=red),
                Column(
                    self.tr("状态"), lambda p: self.tr("在岗") if p.active else self.tr("停用"), color=red
                ),
            ],
            empty_text=self.tr("尚未登记考务人员。"),
            placeholder=self.tr("按姓名、岗位、证书编号筛选（Ctrl+F）"),
        )
        self.staff.activated_row.connect(lambda p: self.edit_person(p) if self.can_manage else None)
        self.staff.selection_changed.connect(self._update_buttons)
        card.body.addWidget(self.staff, 1)
        return card

    def _duties_tab(self) -> QWidget:
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        top = Card(self.tr("各考场需要与已安排"))
        self.session = QComboBox()
        self.session.setMinimumWidth(280)
        self.session.currentIndexChanged.connect(lambda _i: self._show_session())
        top.header.addWidget(QLabel(self.tr("场次")))
        top.header.addWidget(self.session)

        def short(n: staffing.RoomNeed) -> str | None:
            return None if n.satisfied else RED

        self.needs = TableView(
            [
                Column(self.tr("考场"), lambda n: label(n.room_name), width=170, color=short),
                Column(self.tr("考生"), lambda n: n.candidates, width=50, align=RIGHT, color=short),
                Column(
                    self.tr("岗位"), lambda n: label(STAFF_ROLES.get(n.duty, n.duty)), width=70, color=short
                ),
                Column(self.tr("需要"), lambda n: n.needed, width=50, align=RIGHT, color=short),
                Column(self.tr("已安排"), lambda n: n.have, width=56, align=RIGHT, color=short),
                Column(
                    self.tr("状态"),
                    lambda n: (
                        self.tr("符合")
                        if n.satisfied
                        else (
                            self.tr("缺 %1 人").replace("%1", str(n.needed - n.have))
                            if n.have < n.needed
                            else self.tr("须为奇数")
                        )
                    ),
                    width=70,
                    color=short,
                ),
                Column(self.tr("配比依据"), lambda n: n.rule_text, color=short),
            ],
            empty_text=self.tr("本场次尚未编排座位，编排后这里显示各考场需要的监考员和考评员。"),
            search=False,
        )
        self.needs.selection_changed.connect(self._update_buttons)
        top.body.addWidget(self.needs, 1)
        splitter.addWidget(top)

        bottom = Card(self.tr("本场次的安排"))
        self.assign_button = primary(QPushButton(self.tr("安排…")))
        self.assign_button.clicked.connect(self.assign)
        self.unassign_button = QPushButton(self.tr("取消安排"))
        self.unassign_button.clicked.connect(self.unassign)
        for b in (self.unassign_button, self.assign_button):
            bottom.header.addWidget(b)
        self.assignments = TableView(
            [
                Column(self.tr("考场"), lambda a: label(a.room_name) or self.tr("（不分考场）"), width=170),
                Column(self.tr("岗位"), lambda a: label(a.duty_label), width=110),
                Column(self.tr("姓名"), lambda a: a.name, width=90),
                Column(self.tr("场次"), lambda a: label(a.session)),
            ],
            empty_text=self.tr("本场次尚未安排考务人员。"),
            search=False,
        )
        self.assignments.selection_changed.connect(self._update_buttons)
        bottom.body.addWidget(self.assignments, 1)
        splitter.addWidget(bottom)
        splitter.setSizes([260, 240])
        return splitter

    def _problems_tab(self) -> QWidget:
        splitter = QSplitter(Qt.Orientation.Vertical)
        card = Card(self.tr("阻碍锁定的问题"))
        self.problems = TableView(
            [
                Column(self.tr("依据"), lambda p: p.rule, width=90, color=lambda _p: RED),
                Column(self.tr("问题"), lambda p: p.message, color=lambda _p: RED),
            ],
            empty_text=self.tr("没有阻碍锁定的问题。"),
            search=False,
        )
        card.body.addWidget(self.problems, 1)
        splitter.addWidget(card)
        changes = Card(self.tr("锁定后的调整记录：考务人员和座位（002 第二十一条）"))
        self.changes = TableView(
            [
                Column(self.tr("时间"), lambda c: beijing(c.at), width=130),
                Column(self.tr("类别"), lambda c: label(c.kind_label), width=72),
                Column(self.tr("调整"), lambda c: c.description, width=330),
                Column(self.tr("理由"), lambda c: c.reason, width=200),
                Column(self.tr("批准人"), lambda c: c.approved_by),
            ],
            empty_text=self.tr("没有调整记录。"),
            search=False,
        )
        changes.body.addWidget(self.changes, 1)
        splitter.addWidget(changes)
        return splitter

    def _briefing_tab(self) -> QWidget:
        card = Card(self.tr("考务会（认定实施前召开，002 第二十三条）"))
        self.briefing_button = primary(QPushButton(self.tr("登记考务会…")))
        self.briefing_button.clicked.connect(self.record_briefing)
        self.briefing_button.setVisible(self.can_manage)
        card.header.addWidget(self.briefing_button)
        self.briefings = TableView(
            [
                Column(self.tr("时间"), lambda b: beijing(b.held_at), width=130),
                Column(self.tr("地点"), lambda b: b.place, width=120),
                Column(self.tr("到会"), lambda b: "、".join(b.attendees), width=300),
                Column(
                    self.tr("未到"),
                    lambda b: "、".join(b.absent),
                    width=120,
                    color=lambda b: RED if b.absent else None,
                ),
                Column(self.tr("内容"), lambda b: b.notes),
            ],
            empty_text=self.tr("尚未登记考务会。考试结束前须有考务会记录。"),
            search=False,
        )
        card.body.addWidget(self.briefings, 1)
        return card

    # --- data ------------------------------------------------------------------------------------------
    @property
    def locked(self) -> bool:
        return self.ctx.sitting is not None and self.ctx.sitting.state in LOCKED_STATES

    def refresh(self) -> None:
        actor, code = self.ctx.actor, self.code
        self.load(lambda _p: _load(actor, code), self._loaded, self.tr("读取考务人员"))

    def _loaded(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.staff.set_rows(loaded.staff)
        if loaded.code is None:
            self.set_status(self.tr("尚无认定批次；可以先登记考务人员名册。"), "info")
        elif self.locked and str(self.ctx.sitting.state) in LOCKED_CHANGES:
            self.set_status(
                self.tr("考务人员安排已随考场编排锁定。调整须由主考/质量督导写明理由（002 第二十一条）。"),
                "info",
            )
        elif self.locked:  # held and later: nobody changes the staff any more
            self.set_status(arrangement_block(str(self.ctx.sitting.state), after_lock=True), "info")
        else:
            short = sum(1 for n in loaded.needs if not n.satisfied)
            self.set_status(
                self.tr("%1 个考场的考务人员不足或不符合配比（红色）。").replace("%1", str(short))
                if short
                else "",
                "warn",
            )
        current = self.session.currentData()
        self.session.blockSignals(True)
        self.session.clear()
        for s in loaded.sessions:
            self.session.addItem(session_text(s), s.id)
        index = self.session.findData(current)
        self.session.setCurrentIndex(index if index >= 0 else 0)
        self.session.blockSignals(False)
        self._show_session()
        self.problems.set_rows(loaded.problems)
        self.changes.set_rows(loaded.changes)
        self.briefings.set_rows(loaded.briefings)
        self.tabs.setTabText(
            2,
            self.tr("问题与调整记录（%1）").replace("%1", str(len(loaded.problems)))
            if loaded.problems
            else self.tr("问题与调整记录"),
        )
        self._update_buttons()

    def _show_session(self) -> None:
        sid = self.session.currentData()
        loaded = self.loaded
        self.needs.set_rows([n for n in loaded.needs if n.session_id == sid] if loaded else [])
        self.assignments.set_rows([a for a in loaded.assignments if a.session_id == sid] if loaded else [])
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = (
            self.loaded is not None
            and self.loaded.code is not None
            and self.session.currentData() is not None
        )
        state = str(self.ctx.sitting.state) if self.ctx.sitting is not None else None
        if self.locked:
            block = arrangement_block(state, after_lock=True)
            if not block and not self.can_lock:
                block = self.tr("编排已锁定：调整须由主考/质量督导操作并写明理由（002 第二十一条）")
            tip = self.tr("编排已锁定：调整须由主考/质量督导写明理由，记入调整记录（002 第二十一条）")
        else:
            block = arrangement_block(state)
            if not block and not self.can_manage:
                block = self.tr("安排考务人员须由考务人员操作")
            tip = ""
        self.assign_button.setText(self.tr("调整（锁定后）…") if self.locked else self.tr("安排…"))
        self.unassign_button.setText(self.tr("取消安排（锁定后）…") if self.locked else self.tr("取消安排"))
        gate(self.assign_button, block, ready=has, tip=tip)
        gate(
            self.unassign_button,
            block,
            ready=has and len(self.assignments.selected_rows()) == 1,
            tip=tip or self.tr("选择一项安排后取消"),
        )
        gate(
            self.edit_button,
            ready=len(self.staff.selected_rows()) == 1,
            tip=self.tr("修改所选考务人员的资料"),
            unready=self.tr("请先在名册中选择一名考务人员。"),
        )
        briefing_block = ""
        if state is None or state in BEFORE_CLOSE:
            briefing_block = self.tr("报名截止、考务人员确定后才能登记考务会（002 第二十三条）")
        elif state not in BRIEFING_STATES:
            briefing_block = self.tr("考试已举行：考务会记录已不能再补登")
        gate(
            self.briefing_button,
            briefing_block,
            ready=self.loaded is not None and self.loaded.code is not None,
            tip=self.tr("登记认定实施前召开的考务会及到会人员（002 第二十三条）"),
        )

    # --- actions ---------------------------------------------------------------------------------------
    def edit_person(self, person: staffing.StaffView | None) -> None:
        if self.can_manage:
            self.open_dialog(
                StaffDialog(self.ctx.actor, person, self),
                lambda v: self.changed(self.tr("已保存考务人员 %1。").replace("%1", v.name)),
            )

    def assign(self) -> None:
        if self.loaded is None or self.code is None or not self.assign_button.isEnabled():
            return
        need = self.needs.current_row()
        dialog = AssignDialog(
            self.ctx.actor,
            self.code,
            self.loaded,
            self.session.currentData(),
            need.room_id if need else None,
            self.locked,
            self,
        )
        if need is not None:
            dialog.duty.setCurrentIndex(max(0, dialog.duty.findData(need.duty)))
        self.open_dialog(dialog, lambda _v: self.changed(self.tr("考务人员安排已保存，记入审计日志。")))

    def unassign(self) -> None:
        chosen = self.assignments.selected_rows()
        if len(chosen) != 1 or self.code is None or not self.unassign_button.isEnabled():
            return
        a = chosen[0]
        if self.locked:
            self.open_dialog(
                RemoveAfterLockDialog(self.ctx.actor, self.code, a, self),
                lambda _v: self.changed(self.tr("已取消 %1 的安排，调整记录已保存。").replace("%1", a.name)),
            )
            return
        from ui.tasks import run_task

        actor = self.ctx.actor
        run_task(
            self,
            lambda _p: staffing.unassign_staff(actor, a.id),
            title=self.tr("取消安排"),
            on_done=lambda _r: self.changed(
                self.tr("已取消 %1 的%2安排。").replace("%1", a.name).replace("%2", label(a.duty_label))
            ),
            on_error=self.refused,
        )

    def record_briefing(self) -> None:
        if (
            self.loaded is None
            or self.code is None
            or not self.can_manage
            or not self.briefing_button.isEnabled()
        ):
            return
        self.open_dialog(
            BriefingDialog(self.ctx.actor, self.code, self.loaded, self),
            lambda v: self.changed(
                self.tr("已登记考务会：到会 %1 人%2。")
                .replace("%1", str(len(v.attendees)))
                .replace("%2", self.tr("，未到 %1 人").replace("%1", str(len(v.absent))) if v.absent else "")
            ),
        )
