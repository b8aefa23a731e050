"""The paper custody page (试卷流转, 002 §22, §32): every step of a sealed packet is recorded by scanning its
label, checked against the order by the services, and chained; anomalies are shown in red.

A USB scanner types the label's signed token and presses Enter into the focused scan field. The page asks the
services which packet it names (a forged or altered label is refused with the reason), suggests the next step
from the packet's state, and records the step with the people, place, seal and copies. Recording needs a
fresh scan each time: the label in hand is what proves the packet is there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QWidget,
)

from jlexam.domain.china_time import CHINA_TZ, china_time
from jlexam.domain.custody import TRANSITIONS, EventKind
from jlexam.errors import JlexamError
from jlexam.services import custody as service
from jlexam.services import sittings as sitting_service
from ui import errors
from ui.context import AppContext
from ui.labels import label
from ui.navigation import Stage
from ui.pages.base import Page, gate
from ui.pages.sittings import RIGHT, TaskDialog, date_edit, offer_text
from ui.style import repolish
from ui.tables import Column, TableView
from ui.tasks import Progress, run_task
from ui.widgets import Banner, Card, primary

ANOMALY_RED = "#b42318"
# The usual next step from each state (the order itself is the domain's; this only preselects the choice).
NEXT_KIND = {
    "new": EventKind.PRINT,
    "printed": EventKind.SEAL,
    "sealed": EventKind.STORE,
    "stored": EventKind.TAKE_OUT,
    "taken_out": EventKind.OPEN,
    "opened": EventKind.COLLECT,
    "collected": EventKind.RESEAL,
    "resealed": EventKind.HAND_TO_MARKERS,
    "with_markers": EventKind.RETURN,
    "returned": EventKind.ARCHIVE,
}
SEAL_KINDS = {EventKind.SEAL, EventKind.RESEAL, EventKind.OPEN}
COPY_KINDS = {EventKind.PRINT, EventKind.COLLECT}
_SPLIT = re.compile(r"[、,，;；\s]+")


def names(text: str) -> list[str]:
    return [n for n in _SPLIT.split(text) if n]


def when(moment: datetime | None) -> str:
    return china_time(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


@dataclass(frozen=True)
class Loaded:
    code: str | None
    packets: list[service.PacketView]
    sessions: list[sitting_service.SessionView]


@dataclass(frozen=True)
class Scanned:
    packet: service.PacketView


def _load(actor, code: str | None) -> Loaded:  # type: ignore[no-untyped-def]
    if code is None:
        return Loaded(None, [], [])
    return Loaded(code, service.list_packets(actor, code), sitting_service.list_sessions(actor, code))


def _scan(actor, code: str | None, token: str) -> Scanned:  # type: ignore[no-untyped-def]
    """Runs on the thread pool: the packet the label names, in the current sitting."""
    packet_code = service.packet_from_scan(actor, token)  # TokenError for a forged or altered label
    found = next((p for p in service.list_packets(actor, code) if p.code == packet_code), None) if code else None
    if found is None:
        raise JlexamError(f"试卷袋 {packet_code} 不属于当前认定批次。请在页首切换到它所属的认定批次后再扫描。")
    return Scanned(found)


# --- dialogs ---------------------------------------------------------------------------------------------
class PacketDialog(TaskDialog):
    """Register a packet: its code, the paper code and version from the item bank, copies, the session."""

    def __init__(self, actor, code: str, sessions: list[sitting_service.SessionView],  # type: ignore[no-untyped-def]
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("登记试卷袋"), self.tr("登记"), parent)
        self.actor, self.code = actor, code
        self.packet = QLineEdit()
        self.packet.setPlaceholderText(self.tr("例如 P-A201-T"))
        self.paper = QLineEdit()
        self.paper.setPlaceholderText(self.tr("题库下发的试卷代码，不得改动"))
        self.version = QLineEdit()
        self.version.setPlaceholderText(self.tr("例如 A 卷"))
        self.copies = QSpinBox()
        self.copies.setRange(1, 10_000)
        self.copies.setValue(30)
        self.copies.setSuffix(self.tr(" 份"))
        self.session = QComboBox()
        self.session.addItem(self.tr("（不指定场次）"), None)
        for s in sessions:
            applies = offer_text(s.occupation_code, "", s.level) if s.occupation_code else self.tr("全部")
            self.session.addItem(f"{label(s.part_label)}  {applies}  {china_time(s.starts_at):%Y-%m-%d %H:%M}", s.id)
        self.form.addRow(self.tr("试卷袋编号 *"), self.packet)
        self.form.addRow(self.tr("试卷代码 *"), self.paper)
        self.form.addRow(self.tr("版本"), self.version)
        self.form.addRow(self.tr("份数 *"), self.copies)
        self.form.addRow(self.tr("场次"), self.session)
        note = QLabel(self.tr("指定场次后，启封时间早于开考前规定时间、考后未按时归还都会被标为异常。"))
        note.setObjectName("Hint")
        note.setWordWrap(True)
        self.outer.addWidget(note)
        self.finish_layout()
        self.resize(520, 300)

    def work(self) -> Callable[[Progress], Any] | None:
        actor, code = self.actor, self.code
        packet, paper, version = self.packet.text(), self.paper.text(), self.version.text()
        copies, session = self.copies.value(), self.session.currentData()
        return lambda _p: service.create_packet(actor, code, packet, paper, version, copies, session_id=session)


class KeyHoldersDialog(TaskDialog):
    """The strong room's key holders: two keys, two different people."""

    def __init__(self, actor, holders: list[tuple[str, str, date]], parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(self.tr("保密室钥匙保管人"), self.tr("登记保管人"), parent)
        self.actor = actor
        self.table = TableView(
            [Column(self.tr("保管人"), lambda h: h[0], width=120), Column(self.tr("钥匙"), lambda h: h[1], width=160),
             Column(self.tr("任命日期"), lambda h: h[2])],
            empty_text=self.tr("尚未登记钥匙保管人。保密室应由两人分别保管钥匙。"), search=False)
        self.table.set_rows(holders)
        self.table.setMinimumHeight(160)
        self.outer.insertWidget(0, self.table)
        self.name = QLineEdit()
        self.key_label = QLineEdit()
        self.key_label.setPlaceholderText(self.tr("例如 保密室钥匙 A"))
        self.appointed = date_edit()
        self.form.addRow(self.tr("保管人 *"), self.name)
        self.form.addRow(self.tr("钥匙 *"), self.key_label)
        self.form.addRow(self.tr("任命日期"), self.appointed)
        self.can_add = actor.can("custody.keys")
        if not self.can_add:
            for widget in (self.name, self.key_label, self.appointed):
                widget.setEnabled(False)
            self.ok.setVisible(False)
        self.cancel.setText(self.tr("关闭"))
        self.finish_layout()
        self.resize(520, 420)

    def work(self) -> Callable[[Progress], Any] | None:
        actor, name, key, day = self.actor, self.name.text(), self.key_label.text(), self.appointed.date().toPython()

        def run(_p: Progress) -> list[tuple[str, str, date]]:
            service.add_key_holder(actor, name, key, day)
            return service.key_holders(actor)

        return run

    def _succeeded(self, result: Any) -> None:
        """Stay open: show the holders now registered and clear the form for the second key."""
        self.table.set_rows(result)
        self.name.clear()
        self.key_label.clear()
        self.done.emit(result)


# --- the page --------------------------------------------------------------------------------------------
class CustodyPage(Page):
    scrollable = False

    def __init__(self, ctx: AppContext, stage: Stage, parent: QWidget | None = None) -> None:
        super().__init__(ctx, stage, parent)
        actor = ctx.actor
        self.can_record = actor.can("custody.record")
        self.loaded: Loaded | None = None
        self.scanned: service.PacketView | None = None
        self.dialog: TaskDialog | None = None
        self.task = None
        self.scan_task = None

        self.create_button = primary(QPushButton(self.tr("登记试卷袋…")))
        self.create_button.clicked.connect(self.create_packet)
        self.create_button.setVisible(self.can_record)
        self.keys_button = QPushButton(self.tr("钥匙保管人…"))
        self.keys_button.clicked.connect(self.show_key_holders)
        self.actions.addWidget(self.keys_button)
        self.actions.addWidget(self.create_button)

        self.status = Banner(self.tr("正在读取试卷袋……"), "info")
        self.status.setVisible(False)
        self.content.addWidget(self.status)

        row = QHBoxLayout()
        row.setSpacing(14)
        row.addWidget(self._scan_card(), 0)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._packets_card())
        splitter.addWidget(self._log_card())
        splitter.setSizes([320, 260])
        row.addWidget(splitter, 1)
        self.content.addLayout(row, 1)
        self._show_kind_fields()
        self._set_scanned(None)
        ctx.sitting_changed.connect(self.refresh)

    # --- building -------------------------------------------------------------------------------------
    def _scan_card(self) -> Card:
        card = Card(self.tr("扫码登记流转环节"))
        card.setFixedWidth(390)
        self.scan = QLineEdit()
        self.scan.setObjectName("ScanField")
        self.scan.setPlaceholderText(self.tr("光标置于此处，用扫码枪扫描试卷袋标签"))
        self.scan.setAccessibleName(self.tr("扫描试卷袋标签"))
        self.scan.setMaxLength(4096)
        self.scan.setMinimumHeight(38)
        self.scan.setStyleSheet("QLineEdit#ScanField { font-size: 12pt; border: 2px solid #1f5fbf; }"
                                "QLineEdit#ScanField:disabled { border-color: #c5ccd6; background: #f5f6f8; }")
        # a scanner types Latin characters: an active Chinese input method must not swallow them
        self.scan.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.scan.returnPressed.connect(self.scan_entered)
        card.body.addWidget(self.scan)
        self.scan_result = QLabel()
        self.scan_result.setWordWrap(True)
        self.scan_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.scan_result.setMinimumHeight(40)
        card.body.addWidget(self.scan_result)

        form = QFormLayout()
        form.setLabelAlignment(RIGHT)
        form.setVerticalSpacing(7)
        self.kind = QComboBox()
        for kind in EventKind:
            self.kind.addItem(label(kind.label), kind.value)
        self.kind.currentIndexChanged.connect(lambda _i: self._show_kind_fields())
        self.use_now = QCheckBox(self.tr("当前时间"))
        self.use_now.setChecked(True)
        self.at = QDateTimeEdit()
        self.at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.at.setCalendarPopup(True)
        self.at.setDateTime(QDateTime(datetime.now(CHINA_TZ).replace(tzinfo=None, second=0, microsecond=0)))
        self.at.setEnabled(False)
        self.use_now.toggled.connect(lambda on: self.at.setEnabled(not on))
        time_row = QHBoxLayout()
        time_row.addWidget(self.use_now)
        time_row.addWidget(self.at, 1)
        self.place = QComboBox()
        self.place.setEditable(True)
        self.place.lineEdit().setPlaceholderText(self.tr("例如 保密室、A201 考场"))
        self.from_place = QLineEdit()
        self.persons = QLineEdit()
        self.persons.setPlaceholderText(self.tr("姓名，用顿号或逗号分隔"))
        self.witnesses = QLineEdit()
        self.witnesses.setPlaceholderText(self.tr("两名考生，核验封条完好后签名"))
        self.seal = QLineEdit()
        self.copies = QSpinBox()
        self.copies.setRange(0, 10_000)
        self.copies.setSpecialValueText(self.tr("未填写"))
        self.copies.setSuffix(self.tr(" 份"))
        self.note = QLineEdit()
        self.rows: dict[str, tuple[QLabel, QWidget]] = {}
        for key, caption_text, widget in (
            ("kind", self.tr("环节"), self.kind),
            ("at", self.tr("时间（北京）"), time_row),
            ("from", self.tr("运出地点"), self.from_place),
            ("place", self.tr("地点"), self.place),
            ("persons", self.tr("责任人 *"), self.persons),
            ("witnesses", self.tr("见证考生"), self.witnesses),
            ("seal", self.tr("封条编号"), self.seal),
            ("copies", self.tr("份数"), self.copies),
            ("note", self.tr("备注"), self.note),
        ):
            caption = QLabel(caption_text)
            form.addRow(caption, widget)
            self.rows[key] = (caption, widget)
        card.body.addLayout(form)
        self.record_error = QLabel()
        self.record_error.setObjectName("FieldError")
        self.record_error.setWordWrap(True)
        self.record_error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.record_error.setVisible(False)
        card.body.addWidget(self.record_error)
        buttons = QHBoxLayout()
        self.clear_button = QPushButton(self.tr("取消"))
        self.clear_button.clicked.connect(lambda: self._set_scanned(None))
        self.record_button = primary(QPushButton(self.tr("登记此环节")))
        self.record_button.setToolTip(self.tr("登记（Ctrl+Enter）"))
        self.record_button.clicked.connect(self.record)
        buttons.addStretch(1)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.record_button)
        card.body.addLayout(buttons)
        card.body.addStretch(1)
        for sequence in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(sequence), card)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.record)
        if not self.can_record:
            self.scan.setEnabled(False)
            self.scan.setPlaceholderText(self.tr("您的角色只能查看流转记录"))
        return card

    def _packets_card(self) -> Card:
        card = Card(self.tr("试卷袋"))
        self.copy_label = QPushButton(self.tr("复制标签内容"))
        self.copy_label.setToolTip(self.tr("复制所选试卷袋标签二维码的内容（签名令牌），用于打印标签"))
        self.copy_label.clicked.connect(self.copy_label_token)
        card.header.addWidget(self.copy_label)

        def red(p: service.PacketView) -> str | None:
            return ANOMALY_RED if p.anomalies else None

        self.packets = TableView(
            [
                Column(self.tr("试卷袋"), lambda p: p.code, width=140, color=red),
                Column(self.tr("试卷代码"), lambda p: p.paper_code, width=150, color=red),
                Column(self.tr("版本"), lambda p: p.paper_version, width=48, color=red),
                Column(self.tr("份数"), lambda p: p.copies, width=48, align=RIGHT, color=red),
                Column(self.tr("状态"), lambda p: label(p.state_label), width=84, color=red),
                Column(self.tr("当前地点"), lambda p: p.place, width=90, color=red),
                Column(self.tr("封条"), lambda p: p.seal_number, width=70, color=red),
                Column(self.tr("环节"), lambda p: p.events, width=48, align=RIGHT, color=red),
                Column(self.tr("异常"), lambda p: "；".join(a.message for a in p.anomalies), color=red),
            ],
            empty_text=self.tr("尚无试卷袋。"),
            placeholder=self.tr("按编号、试卷代码、状态、地点筛选（Ctrl+F）"),
        )
        self.packets.selection_changed.connect(self.load_log)
        card.body.addWidget(self.packets, 1)
        self.anomaly_hint = QLabel()
        self.anomaly_hint.setObjectName("FieldError")
        self.anomaly_hint.setWordWrap(True)
        card.body.addWidget(self.anomaly_hint)
        return card

    def _log_card(self) -> Card:
        self.log_card = Card(self.tr("流转记录"))
        self.log = TableView(
            [
                Column(self.tr("序号"), lambda e: e.seq, width=50, align=RIGHT),
                Column(self.tr("环节"), lambda e: label(e.kind_label), width=80),
                Column(self.tr("时间（北京）"), lambda e: e.at, format=when, width=150),
                Column(self.tr("地点"), lambda e: e.place, width=100),
                Column(self.tr("责任人"), lambda e: e.persons, width=130),
                Column(self.tr("见证考生"), lambda e: e.witnesses, width=100),
                Column(self.tr("封条"), lambda e: e.seal_number, width=80),
                Column(self.tr("份数"), lambda e: e.copies, width=50, align=RIGHT),
                Column(self.tr("登记人"), lambda e: e.recorded_by, width=90),
                Column(self.tr("备注"), lambda e: e.note),
            ],
            empty_text=self.tr("选择一个试卷袋查看它的流转记录。"),
            search=False,
        )
        self.log_card.body.addWidget(self.log, 1)
        return self.log_card

    # --- data ------------------------------------------------------------------------------------------
    @property
    def code(self) -> str | None:
        return self.ctx.sitting.code if self.ctx.sitting else None

    def refresh(self) -> None:
        actor, code = self.ctx.actor, self.code
        if self.task is not None and self.task.is_running:
            self.task.cancel()
        self.task = run_task(self, lambda _p: _load(actor, code), title=self.tr("读取试卷袋"), dialog=False,
                             on_done=self._loaded)

    def _loaded(self, loaded: Loaded) -> None:
        selected = self.packets.current_row()
        self.loaded = loaded
        self.packets.set_rows(loaded.packets)
        if loaded.code is None:
            self.status.set(self.tr("尚无认定批次。请先在“认定批次”页面创建认定批次。"), "info")
            self.status.setVisible(True)
            self.packets.set_empty_text(self.tr("尚无认定批次。"))
        else:
            self.status.setVisible(False)
            self.packets.set_empty_text(self.tr("本批次尚无试卷袋。点击右上角“登记试卷袋…”，登记后打印标签贴在袋上。")
                                        if self.can_record else self.tr("本批次尚无试卷袋。"))
        block = self._record_block(loaded)
        gate(self.create_button, block, tip=self.tr("登记一个试卷袋，登记后打印标签贴在袋上"))
        if self.can_record:
            self.scan.setEnabled(not block)
            self.scan.setPlaceholderText(self.tr("不能扫码登记：见上方说明") if block
                                         else self.tr("光标置于此处，用扫码枪扫描试卷袋标签"))
            self.scan.setToolTip(block)
            if block:
                self._set_scanned(None)
                self._say("")
        if loaded.code is not None and self.ctx.sitting is not None and self.ctx.sitting.state == "archived":
            self.status.set(block, "info")
            self.status.setVisible(True)
        flagged = [p for p in loaded.packets if p.anomalies]
        self.anomaly_hint.setText(self.tr("%1 个试卷袋有异常（红色），请主考核查：%2")
                                  .replace("%1", str(len(flagged))).replace("%2", "、".join(p.code for p in flagged[:6]))
                                  if flagged else "")
        self.anomaly_hint.setVisible(bool(flagged))
        places = {p.place for p in loaded.packets if p.place}
        current = self.place.currentText()
        self.place.clear()
        self.place.addItems(sorted(places))
        self.place.setEditText(current)
        code = self.scanned.code if self.scanned else (selected.code if selected else None)
        if code:
            self.select_packet(code)

    def _record_block(self, loaded: Loaded) -> str:
        """Why no packet can be registered or step recorded now; "" when they can (the service's rule)."""
        if loaded.code is None:
            return self.tr("尚无认定批次。")
        if self.ctx.sitting is not None and self.ctx.sitting.state == "archived":
            return self.tr("认定批次已归档：试卷流转记录已随档案确定，只能查看，不能再登记（002 第三十四条）。")
        return ""

    def select_packet(self, code: str) -> None:
        proxy = self.packets.proxy
        for r in range(proxy.rowCount()):
            if proxy.source_row_object(proxy.index(r, 0)).code == code:
                self.packets.view.selectRow(r)
                return

    def load_log(self) -> None:
        packet = self.packets.current_row()
        if packet is None:
            self.log_card.title_label.setText(self.tr("流转记录"))
            self.log.set_rows([])
            return
        self.log_card.title_label.setText(self.tr("流转记录 — %1").replace("%1", packet.code))
        actor, code = self.ctx.actor, packet.code
        run_task(self, lambda _p: service.packet_log(actor, code), title=self.tr("读取流转记录"), dialog=False,
                 on_done=self.log.set_rows)

    # --- scanning and recording ----------------------------------------------------------------------------
    def scan_entered(self) -> None:
        token = self.scan.text().strip()
        self.scan.clear()
        if not token or not self.can_record:
            return
        actor, code = self.ctx.actor, self.code
        self.scan_result.setText(self.tr("正在核验标签……"))
        self.scan_task = run_task(self, lambda _p: _scan(actor, code, token), dialog=False,
                                  on_done=self._scanned, on_error=self._scan_refused)

    def _scanned(self, result: Scanned) -> None:
        packet = result.packet
        self._set_scanned(packet)
        self.select_packet(packet.code)
        suggested = NEXT_KIND.get(packet.state)
        if suggested is not None:
            self.kind.setCurrentIndex(self.kind.findData(suggested.value))
        if packet.place and not self.place.currentText():
            self.place.setEditText(packet.place)
        self.from_place.setText(packet.place)
        if self.use_now.isChecked():
            self.at.setDateTime(QDateTime(datetime.now(CHINA_TZ).replace(tzinfo=None, second=0, microsecond=0)))
        self.persons.setFocus()

    def _scan_refused(self, exc: BaseException) -> None:
        self._set_scanned(None)
        if isinstance(exc, JlexamError):
            self._say(self.tr("标签无效，未登记任何内容：%1").replace("%1", exc.message), error=True)
        else:
            errors.show_error(self, exc)
        self.scan.setFocus()

    def _say(self, text: str, *, error: bool = False, ok: bool = False) -> None:
        self.scan_result.setText(text)
        self.scan_result.setObjectName("FieldError" if error else "ScanOk" if ok else "Hint")
        self.scan_result.setStyleSheet("color: #1f7a4d; font-weight: 600;" if ok else
                                       "color: #b42318; font-weight: 600;" if error else "")
        repolish(self.scan_result)

    def _set_scanned(self, packet: service.PacketView | None) -> None:
        self.scanned = packet
        self.record_error.setVisible(False)
        for widget in (self.kind, self.use_now, self.place, self.from_place, self.persons, self.witnesses,
                       self.seal, self.copies, self.note):
            widget.setEnabled(packet is not None)
        self.at.setEnabled(packet is not None and not self.use_now.isChecked())
        self.record_button.setEnabled(packet is not None)
        self.clear_button.setEnabled(packet is not None)
        waiting = "" if packet is not None else self.tr("请先扫描试卷袋标签。")
        self.use_now.setToolTip(waiting)
        self.clear_button.setToolTip(waiting)
        self.record_button.setToolTip(waiting or self.tr("登记（Ctrl+Enter）"))
        if packet is None:
            if not self.scan_result.text() or self.scan_result.objectName() != "FieldError":
                self._say(self.tr("等待扫描。每登记一个环节都要扫描一次标签。"))
        else:
            self._say(self.tr("试卷袋 %1：%2，%3%4").replace("%1", packet.code).replace("%2", label(packet.state_label))
                      .replace("%3", packet.place or self.tr("未登记地点"))
                      .replace("%4", self.tr("，封条 %1").replace("%1", packet.seal_number) if packet.seal_number else ""),
                      ok=True)

    def _show_kind_fields(self) -> None:
        kind = EventKind(self.kind.currentData())
        visible = {
            "from": kind is EventKind.TRANSPORT,
            "witnesses": kind is EventKind.OPEN,
            "seal": kind in SEAL_KINDS,
            "copies": kind in COPY_KINDS,
        }
        for key, shown in visible.items():
            caption, widget = self.rows[key]
            caption.setVisible(shown)
            widget.setVisible(shown)
        self.seal.setPlaceholderText(self.tr("核对封条上的编号后填写") if kind is EventKind.OPEN
                                     else self.tr("新封条的编号"))
        allowed = TRANSITIONS[kind][0]
        if self.scanned is not None and self.scanned.state not in allowed:
            self.kind.setToolTip(self.tr("试卷袋当前为“%1”，一般不能进行此环节。").replace("%1", self.scanned.state_label))
        else:
            self.kind.setToolTip("")

    def moment(self) -> datetime:
        if self.use_now.isChecked():
            return datetime.now(CHINA_TZ).replace(microsecond=0)
        return self.at.dateTime().toPython().replace(tzinfo=CHINA_TZ, second=0, microsecond=0)

    def record(self) -> None:
        packet = self.scanned
        if packet is None or not self.can_record:
            return
        kind = EventKind(self.kind.currentData())
        actor = self.ctx.actor
        args: dict[str, Any] = {
            "witnesses": names(self.witnesses.text()) if kind is EventKind.OPEN else [],
            "seal_number": self.seal.text().strip() if kind in SEAL_KINDS else "",
            "copies": (self.copies.value() or None) if kind in COPY_KINDS else None,
            "from_place": self.from_place.text().strip() if kind is EventKind.TRANSPORT else "",
            "note": self.note.text().strip(),
        }
        at, place, persons = self.moment(), self.place.currentText().strip(), names(self.persons.text())
        self.record_error.setVisible(False)
        self.record_button.setEnabled(False)
        handle = run_task(self, lambda _p: service.record_event(actor, packet.code, kind, at, place, persons, **args),
                          title=self.tr("登记流转环节"), on_done=lambda seq: self._recorded(packet.code, kind, seq),
                          on_error=self._record_refused)
        handle.finished.connect(lambda: self.record_button.setEnabled(self.scanned is not None))

    def _recorded(self, code: str, kind: EventKind, seq: int) -> None:
        self._set_scanned(None)
        self._say(self.tr("已登记：试卷袋 %1 %2（第 %3 个环节）。请扫描下一个标签。").replace("%1", code)
                  .replace("%2", label(kind.label)).replace("%3", str(seq)), ok=True)
        for edit in (self.seal, self.witnesses, self.note):
            edit.clear()
        self.copies.setValue(0)
        self.scan.setFocus()
        self.select_packet(code)
        self.refresh()
        self.load_log()

    def _record_refused(self, exc: BaseException) -> None:
        if isinstance(exc, JlexamError):
            text = exc.message + (self.tr("（依据：%1）").replace("%1", exc.rule) if exc.rule else "")
            self.record_error.setText(self.tr("未登记：%1").replace("%1", text))
            self.record_error.setVisible(True)
        else:
            errors.show_error(self, exc)

    # --- packets and keys --------------------------------------------------------------------------------
    def create_packet(self) -> None:
        if self.loaded is None or self.loaded.code is None or not self.can_record:
            return
        dialog = PacketDialog(self.ctx.actor, self.loaded.code, self.loaded.sessions, self)
        self.dialog = dialog
        dialog.done.connect(lambda code: (self.refresh(), self._say(
            self.tr("已登记试卷袋 %1。请打印标签贴在袋上，然后扫描标签登记“印制”。").replace("%1", code), ok=True)))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def copy_label_token(self) -> None:
        packet = self.packets.current_row()
        if packet is None:
            return
        actor, code = self.ctx.actor, packet.code

        def copied(token: str) -> None:
            QGuiApplication.clipboard().setText(token)
            self._say(self.tr("已复制试卷袋 %1 的标签内容。").replace("%1", code))

        run_task(self, lambda _p: service.label_token(actor, code), dialog=False, on_done=copied)

    def show_key_holders(self) -> None:
        actor = self.ctx.actor

        def opened(holders: list[tuple[str, str, date]]) -> None:
            dialog = KeyHoldersDialog(actor, holders, self)
            self.dialog = dialog
            dialog.done.connect(lambda _v: None)
            dialog.finished.connect(dialog.deleteLater)
            dialog.open()

        run_task(self, lambda _p: service.key_holders(actor), title=self.tr("读取钥匙保管人"), on_done=opened)
