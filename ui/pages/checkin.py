"""Admission tickets and the exam day (准考证与签到, 002 §20, attachment 9).

The upper bar issues the tickets and writes the tickets PDF and the room documents (door lists, seat charts,
sign-in sheets, room records), each opened in the PDF preview.

The check-in panel is built for the door of the exam building: choose the session, keep the cursor in the
big scan field, and a USB scanner types the ticket's signed QR token and presses Enter. Within a second the
answer is shown — photo, name, room and seat on a large GREEN panel, or a large RED panel with the reason
(already checked in, forged or altered code, another sitting's ticket, not in this session, too late). The
services verify and record; a refused scan records nothing. Manual check-in (ticket number or name) needs a
reason. The running counts, the absences after the entry cut-off and the room records (misconduct,
incidents) are on the right.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
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

from jlexam.domain.china_time import china_time
from jlexam.errors import JlexamError
from jlexam.services import arrangement, checkin, tickets
from jlexam.services import sittings as sitting_service
from ui.context import AppContext
from ui.labels import label
from ui.navigation import Stage
from ui.pages.base import gate
from ui.pages.sittings import RIGHT, beijing
from ui.pages.work import WorkPage, documents_folder, preview, temp_pdf
from ui.tables import Column, TableView
from ui.tasks import run_task
from ui.widgets import Card, confirm, primary

GREEN, RED = "#1f7a4d", "#b42318"
GREEN_BG, RED_BG, IDLE_BG = "#e3f4ea", "#fde8e6", "#f3f5f8"
EVENT_KINDS = {"misconduct": "违纪", "incident": "突发事件"}
TICKETED = "ticketed"
AFTER_EXAM = frozenset({"held", "marked", "publicised", "final", "certified", "reported", "archived"})


@dataclass(frozen=True)
class Loaded:
    code: str | None
    sessions: list[sitting_service.SessionView]
    tickets: int


@dataclass(frozen=True)
class SessionLoaded:
    session_id: int
    summary: checkin.CheckInSummary | None
    rooms: list[arrangement.RoomLoad]
    events: list[checkin.RoomEventView]
    cutoff_minutes: int


def _load(actor, code: str | None) -> Loaded:  # type: ignore[no-untyped-def]
    if code is None:
        return Loaded(None, [], 0)
    return Loaded(code, sitting_service.list_sessions(actor, code), len(tickets.list_tickets(actor, code)))


def _load_session(actor, session_id: int) -> SessionLoaded:  # type: ignore[no-untyped-def]
    try:
        rooms = list(arrangement.seat_plan(actor, session_id).rooms)
    except JlexamError:
        rooms = []
    return SessionLoaded(session_id, checkin.checkin_summary(actor, session_id), rooms,
                         checkin.room_events(actor, session_id), checkin.entry_cutoff_minutes(actor))


def session_text(s: sitting_service.SessionView) -> str:
    return f"{label(s.part_label)}  {china_time(s.starts_at):%Y-%m-%d %H:%M}–{china_time(s.ends_at):%H:%M}"


class AnswerPanel(QFrame):
    """The large green or red answer to a scan: verdict, photo, name, room and seat, the message."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AnswerPanel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(22, 18, 22, 18)
        layout.setSpacing(22)
        self.photo = QLabel()
        self.photo.setFixedSize(132, 176)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo.setStyleSheet("background: #ffffff; border: 1px solid #c9d2dc; color: #8a96a3;")
        layout.addWidget(self.photo, 0, Qt.AlignmentFlag.AlignTop)
        texts = QVBoxLayout()
        texts.setSpacing(6)
        self.verdict = QLabel()
        self.verdict.setObjectName("Verdict")
        self.name = QLabel()
        self.name.setObjectName("AnswerName")
        self.place = QLabel()
        self.place.setObjectName("AnswerPlace")
        self.message = QLabel()
        self.message.setObjectName("AnswerMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for w in (self.verdict, self.name, self.place, self.message):
            texts.addWidget(w)
        texts.addStretch(1)
        layout.addLayout(texts, 1)
        self.colour = "idle"
        self.idle(self.tr("等待扫描"))

    def _paint(self, colour: str) -> None:
        self.colour = colour
        fg, bg = {"green": (GREEN, GREEN_BG), "red": (RED, RED_BG)}.get(colour, ("#3b4a5a", IDLE_BG))
        self.setStyleSheet(
            f"QFrame#AnswerPanel {{ background: {bg}; border: 3px solid {fg}; border-radius: 10px; }}"
            f"QLabel#Verdict {{ color: {fg}; font-size: 30pt; font-weight: 700; }}"
            f"QLabel#AnswerName {{ color: #1d2733; font-size: 24pt; font-weight: 700; }}"
            f"QLabel#AnswerPlace {{ color: {fg}; font-size: 18pt; font-weight: 600; }}"
            f"QLabel#AnswerMessage {{ color: {fg if colour != 'idle' else '#3b4a5a'}; font-size: 12pt; }}")

    def idle(self, text: str) -> None:
        self._paint("idle")
        self.verdict.setText(text)
        self.name.setText("")
        self.place.setText("")
        self.message.setText("")
        self.photo.setPixmap(QPixmap())
        self.photo.setText("")

    def show_result(self, result: checkin.CheckInResult, ok_text: str, refused_text: str, seat_text: str) -> None:
        green = result.ok and result.colour == "green"
        self._paint("green" if green else "red")
        self.verdict.setText(("✔ " + ok_text) if green else ("✖ " + refused_text))
        self.name.setText(result.name)
        place = result.room
        if result.seat:
            place += "  " + seat_text.replace("%1", f"{result.seat:02d}")
        self.place.setText(place)
        self.message.setText(result.message)
        pixmap = QPixmap()
        if result.photo_jpeg and pixmap.loadFromData(result.photo_jpeg):
            self.photo.setPixmap(pixmap.scaled(self.photo.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                               Qt.TransformationMode.SmoothTransformation))
        else:
            self.photo.setPixmap(QPixmap())
            self.photo.setText(self.tr("无照片") if result.name else "")

    def show_refusal(self, message: str, refused_text: str) -> None:
        self._paint("red")
        self.verdict.setText("✖ " + refused_text)
        self.name.setText("")
        self.place.setText("")
        self.message.setText(message)
        self.photo.setPixmap(QPixmap())
        self.photo.setText("")


class CheckInPage(WorkPage):
    def __init__(self, ctx: AppContext, stage: Stage, parent: QWidget | None = None) -> None:
        super().__init__(ctx, stage, parent)
        actor = ctx.actor
        self.can_print = actor.can("tickets.print")
        self.can_record = actor.can("checkin.record")
        self.loaded: Loaded | None = None
        self.session_loaded: SessionLoaded | None = None
        self.scan_task = None
        self.session_task = None
        self.last_result: checkin.CheckInResult | None = None
        # The moment a check-in is recorded at: None = now (the services' clock). Tests may set a callable.
        self.clock: Callable[[], datetime | None] = lambda: None

        self.issue_button = primary(QPushButton(self.tr("制发准考证")))
        self.issue_button.setToolTip(self.tr("为已编排座位的考生编准考证号；须先锁定考场编排"))
        self.tickets_button = QPushButton(self.tr("准考证 PDF…"))
        self.documents_button = QPushButton(self.tr("考场文书…"))
        self.documents_button.setToolTip(self.tr("门贴、座位表、带照片的签到表和考场记录表"))
        self.issue_button.clicked.connect(self.issue)
        self.tickets_button.clicked.connect(self.tickets_pdf)
        self.documents_button.clicked.connect(lambda: self.room_documents())
        for b in (self.documents_button, self.tickets_button, self.issue_button):
            b.setVisible(self.can_print)
            self.actions.addWidget(b)

        row = QHBoxLayout()
        row.setSpacing(14)
        row.addWidget(self._scan_card(), 1)
        side = QTabWidget()
        side.setFixedWidth(400)
        side.addTab(self._manual_tab(), self.tr("人工签到"))
        side.addTab(self._events_tab(), self.tr("缺考与考场记录"))
        self.side = side
        row.addWidget(side)
        self.content.addLayout(row, 1)
        ctx.sitting_changed.connect(self.refresh)

    # --- building -------------------------------------------------------------------------------------
    def _scan_card(self) -> Card:
        card = Card(self.tr("扫码签到"))
        self.session = QComboBox()
        self.session.setMinimumWidth(300)
        self.session.currentIndexChanged.connect(lambda _i: self._session_changed())
        card.header.addWidget(QLabel(self.tr("场次")))
        card.header.addWidget(self.session)
        self.counts = QLabel()
        self.counts.setObjectName("Counts")
        self.counts.setStyleSheet("font-size: 12pt; font-weight: 600; color: #1d2733;")
        self.counts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        card.body.addWidget(self.counts)
        self.scan = QLineEdit()
        self.scan.setObjectName("ScanField")
        self.scan.setPlaceholderText(self.tr("光标置于此处，用扫码枪扫描准考证上的二维码"))
        self.scan.setAccessibleName(self.tr("扫描准考证二维码"))
        self.scan.setMaxLength(4096)
        self.scan.setMinimumHeight(52)
        self.scan.setStyleSheet("QLineEdit#ScanField { font-size: 16pt; border: 3px solid #1f5fbf; "
                                "border-radius: 6px; padding: 4px 10px; }"
                                "QLineEdit#ScanField:disabled { border-color: #c5ccd6; background: #f5f6f8; }")
        # a scanner types Latin characters: an active Chinese input method must not swallow them
        self.scan.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.scan.returnPressed.connect(self.scan_entered)
        card.body.addWidget(self.scan)
        self.answer = AnswerPanel()
        self.answer.idle(self.tr("等待扫描"))
        card.body.addWidget(self.answer, 1)
        if not self.can_record:
            self.scan.setEnabled(False)
            self.scan.setPlaceholderText(self.tr("您的角色只能查看签到情况"))
        return card

    def _manual_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(12, 12, 12, 12)
        hint = QLabel(self.tr("扫码枪故障、二维码无法识别或准考证遗失时，核验身份证件原件后人工签到。须写明理由，记入审计日志。"))
        hint.setObjectName("Hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        form = QFormLayout()
        form.setLabelAlignment(RIGHT)
        self.manual_by = QComboBox()
        self.manual_by.addItem(self.tr("准考证号"), "ticket")
        self.manual_by.addItem(self.tr("姓名"), "name")
        self.manual_value = QLineEdit()
        self.manual_value.setPlaceholderText(self.tr("10 位准考证号或考生姓名"))
        self.manual_reason = QPlainTextEdit()
        self.manual_reason.setPlaceholderText(self.tr("例如：准考证遗失，已核验身份证件原件"))
        self.manual_reason.setFixedHeight(72)
        form.addRow(self.tr("按"), self.manual_by)
        form.addRow(self.tr("准考证号/姓名 *"), self.manual_value)
        form.addRow(self.tr("理由 *"), self.manual_reason)
        layout.addLayout(form)
        self.manual_error = QLabel()
        self.manual_error.setObjectName("FieldError")
        self.manual_error.setWordWrap(True)
        self.manual_error.setVisible(False)
        layout.addWidget(self.manual_error)
        self.manual_button = primary(QPushButton(self.tr("人工签到")))
        self.manual_button.clicked.connect(self.manual_check_in)
        self.manual_button.setEnabled(self.can_record)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.manual_button)
        layout.addLayout(buttons)
        layout.addStretch(1)
        return tab

    def _events_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(12, 12, 12, 12)
        self.absence_hint = QLabel()
        self.absence_hint.setObjectName("Hint")
        self.absence_hint.setWordWrap(True)
        layout.addWidget(self.absence_hint)
        self.absent_button = QPushButton(self.tr("登记缺考"))
        self.absent_button.setToolTip(self.tr("停止入场后，把本场次未签到的考生按考场登记为缺考"))
        self.absent_button.clicked.connect(self.record_absences)
        self.absent_button.setEnabled(self.can_record)
        layout.addWidget(self.absent_button)
        form = QFormLayout()
        form.setLabelAlignment(RIGHT)
        self.event_room = QComboBox()
        self.event_kind = QComboBox()
        for key, name in EVENT_KINDS.items():
            self.event_kind.addItem(label(name), key)
        self.event_ticket = QLineEdit()
        self.event_ticket.setPlaceholderText(self.tr("违纪须填写考生准考证号"))
        self.event_text = QPlainTextEdit()
        self.event_text.setPlaceholderText(self.tr("经过和处理情况"))
        self.event_text.setFixedHeight(60)
        self.event_signers = QLineEdit()
        self.event_signers.setPlaceholderText(self.tr("留空则为该考场的监考员"))
        form.addRow(self.tr("考场 *"), self.event_room)
        form.addRow(self.tr("类型 *"), self.event_kind)
        form.addRow(self.tr("准考证号"), self.event_ticket)
        form.addRow(self.tr("情况 *"), self.event_text)
        form.addRow(self.tr("签名监考员"), self.event_signers)
        layout.addLayout(form)
        self.event_button = QPushButton(self.tr("登记考场记录"))
        self.event_button.clicked.connect(self.record_event)
        self.event_button.setEnabled(self.can_record)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.event_button)
        layout.addLayout(buttons)
        self.events = TableView(
            [
                Column(self.tr("时间"), lambda e: beijing(e.at)[11:], width=50),
                Column(self.tr("考场"), lambda e: label(e.room), width=70),
                Column(self.tr("类型"), lambda e: label(e.kind_label), width=60,
                       color=lambda e: RED if e.kind == "misconduct" else None),
                Column(self.tr("考生"), lambda e: e.name, width=60),
                Column(self.tr("情况"), lambda e: e.description),
            ],
            empty_text=self.tr("本场次尚无考场记录。"),
            search=False,
        )
        layout.addWidget(self.events, 1)
        return tab

    # --- data ------------------------------------------------------------------------------------------
    @property
    def session_id(self) -> int | None:
        return self.session.currentData()

    @property
    def ticketed(self) -> bool:
        return self.ctx.sitting is not None and self.ctx.sitting.state == TICKETED

    def refresh(self) -> None:
        actor, code = self.ctx.actor, self.code
        self.load(lambda _p: _load(actor, code), self._loaded, self.tr("读取准考证与签到"))

    def _loaded(self, loaded: Loaded) -> None:
        self.loaded = loaded
        state = self.ctx.sitting.state if self.ctx.sitting else None
        if loaded.code is None:
            self.set_status(self.tr("尚无认定批次。"), "info")
        elif state in ("draft", "open", "closed"):
            self.set_status(self.tr("本批次尚未锁定考场编排：准考证按考场编排制发，须先由主考/质量督导锁定编排（002 第二十条）。"),
                            "warn")
        elif state == "arranged":
            self.set_status(self.tr("考场编排已锁定，可以制发准考证。"), "info")
        elif state == TICKETED:
            self.set_status(self.tr("已制发准考证 %1 张。考试当天在此扫码签到。").replace("%1", str(loaded.tickets)), "ok")
        else:
            self.set_status(self.tr("本批次考试已结束（%1），签到记录只能查看。")
                            .replace("%1", self.ctx.sitting.state_label if self.ctx.sitting else ""), "info")
        current = self.session.currentData()
        self.session.blockSignals(True)
        self.session.clear()
        for s in loaded.sessions:
            self.session.addItem(session_text(s), s.id)
        index = self.session.findData(current)
        self.session.setCurrentIndex(index if index >= 0 else 0)
        self.session.blockSignals(False)
        if state == "arranged":
            issue_block = ""
        elif state in (None, "draft", "open", "closed"):
            issue_block = self.tr("须先由主考/质量督导锁定考场编排，才能制发准考证（002 第二十条）。")
        else:
            issue_block = self.tr("本批次已制发准考证 %1 张。").replace("%1", str(loaded.tickets))
        gate(self.issue_button, issue_block, tip=self.tr("为已编排座位的考生编准考证号；须先锁定考场编排"))
        self.tickets_button.setEnabled(loaded.tickets > 0)
        self.documents_button.setEnabled(loaded.tickets > 0)
        block = self.record_block()
        can_scan = not block
        self.scan.setEnabled(can_scan)
        if self.can_record:
            self.scan.setPlaceholderText(self.tr("光标置于此处，用扫码枪扫描准考证上的二维码") if can_scan
                                         else self.tr("当前不能扫码签到：见上方说明"))
        self.scan.setToolTip(block)
        gate(self.manual_button, block, tip=self.tr("核验身份证件原件后人工签到，须写明理由"))
        gate(self.absent_button, block, tip=self.tr("停止入场后，把本场次未签到的考生按考场登记为缺考"))
        gate(self.event_button, block, tip=self.tr("登记违纪或突发事件，记入考场记录"))
        for w in (self.manual_by, self.manual_value, self.manual_reason, self.event_room, self.event_kind,
                  self.event_ticket, self.event_text, self.event_signers):
            w.setEnabled(can_scan)  # nothing to fill in where nothing can be recorded
        self._session_changed()
        if can_scan:
            self.scan.setFocus()

    def record_block(self) -> str:
        """Why no check-in or room record can be made now; "" when they can (the services' rule: only while
        the sitting is ticketed, 002 §20)."""
        sitting = self.ctx.sitting
        if not self.can_record:
            return self.tr("您的角色只能查看签到情况")
        if sitting is None or self.loaded is None or self.loaded.code is None:
            return self.tr("尚无认定批次。")
        state = str(sitting.state)
        if state == "archived":
            return self.tr("认定批次已归档：签到和考场记录只能查看。")
        if state in AFTER_EXAM:
            return self.tr("考试已举行（%1）：签到已结束，签到和考场记录只能查看。").replace("%1", sitting.state_label)
        if state != TICKETED:
            return self.tr("尚未制发准考证：制发准考证后才能签到（002 第二十条）。")
        if self.session_id is None:
            return self.tr("本批次尚无场次。")
        return ""

    def _idle_text(self) -> str:
        """The answer panel's word while nothing is scanned."""
        if self.scan.isEnabled():
            return self.tr("等待扫描")
        state = str(self.ctx.sitting.state) if self.ctx.sitting is not None else ""
        if state == "archived":
            return self.tr("已归档")
        if state in AFTER_EXAM:
            return self.tr("签到已结束")
        return self.tr("未开放签到")

    def _session_changed(self) -> None:
        sid = self.session_id
        if sid is None:
            self.session_loaded = None
            self.counts.setText("")
            self.events.set_rows([])
            self.event_room.clear()
            return
        self.load_session()
        self.answer.idle(self._idle_text())
        if not self.scan.isEnabled():
            self.answer.message.setText(self.record_block())
        if self.scan.isEnabled():
            self.scan.setFocus()

    def load_session(self) -> None:
        sid = self.session_id
        if sid is None:
            return
        actor = self.ctx.actor
        if self.session_task is not None and self.session_task.is_running:
            self.session_task.cancel()
        self.session_task = run_task(self, lambda _p: _load_session(actor, sid), dialog=False,
                                     on_done=self._session_loaded, on_error=self._load_failed)

    def _session_loaded(self, loaded: SessionLoaded) -> None:
        if loaded.session_id != self.session_id:
            return
        self.session_loaded = loaded
        s = loaded.summary
        if s is not None:
            self.counts.setText(self.tr("应到 %1 人　已签到 %2 人（其中人工 %3）　缺考 %4 人　未到 %5 人")
                                .replace("%1", str(s.expected)).replace("%2", str(s.checked_in))
                                .replace("%3", str(s.manual)).replace("%4", str(s.absent))
                                .replace("%5", str(s.outstanding)))
        current = self.event_room.currentData()
        self.event_room.clear()
        for r in loaded.rooms:
            self.event_room.addItem(label(f"第{r.number:02d}考场（{r.name}）"), r.room_id)
        index = self.event_room.findData(current)
        self.event_room.setCurrentIndex(max(0, index))
        self.events.set_rows(loaded.events)
        self.absence_hint.setText(self.tr("开考 %1 分钟后停止入场；停止入场后点击“登记缺考”，未签到的考生按缺考登记。")
                                  .replace("%1", str(loaded.cutoff_minutes)))

    # --- scanning ----------------------------------------------------------------------------------------
    def scan_entered(self) -> None:
        text = self.scan.text().strip()
        self.scan.clear()
        sid = self.session_id
        if not text or not self.can_record or sid is None:
            return
        actor, now = self.ctx.actor, self.clock()
        self.scan_task = run_task(self, lambda _p: checkin.check_in_scan(actor, sid, text, now=now), dialog=False,
                                  on_done=self._scanned, on_error=self._scan_failed)

    def _scanned(self, result: checkin.CheckInResult) -> None:
        self.last_result = result
        self.answer.show_result(result, self.tr("准予入场"), self.tr("拒绝入场"), self.tr("%1 号座位"))
        self.scan.setFocus()
        self.load_session()

    def _scan_failed(self, exc: BaseException) -> None:
        self.last_result = None
        if isinstance(exc, JlexamError):
            self.answer.show_refusal(exc.message, self.tr("不能签到"))
        else:
            self.refused(exc)
        self.scan.setFocus()

    # --- manual check-in, absences, room records ---------------------------------------------------------
    def _manual_say(self, text: str) -> None:
        self.manual_error.setText(text)
        self.manual_error.setVisible(bool(text))

    def manual_check_in(self) -> None:
        sid = self.session_id
        if sid is None or not self.can_record:
            return
        value, reason = self.manual_value.text().strip(), self.manual_reason.toPlainText().strip()
        if not value:
            self._manual_say(self.tr("请输入准考证号或姓名。"))
            return
        if not reason:
            self._manual_say(self.tr("人工签到须写明理由（如“二维码无法识别”“准考证遗失，已核验身份证件”）。"))
            self.manual_reason.setFocus()
            return
        self._manual_say("")
        by_ticket = self.manual_by.currentData() == "ticket"
        actor, now = self.ctx.actor, self.clock()

        def work(_p):  # type: ignore[no-untyped-def]
            if by_ticket:
                return checkin.check_in_manual(actor, sid, reason, ticket_number=value, now=now)
            return checkin.check_in_manual(actor, sid, reason, name=value, now=now)

        def done(result: checkin.CheckInResult) -> None:
            self._scanned(result)
            if result.ok:
                self.manual_value.clear()
                self.manual_reason.clear()
            else:
                self._manual_say(result.message)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, JlexamError):
                self._manual_say(exc.message)
            else:
                self.refused(exc)

        self.scan_task = run_task(self, work, title=self.tr("人工签到"), on_done=done, on_error=failed)

    def record_absences(self) -> None:
        sid = self.session_id
        if sid is None or not self.can_record:
            return
        if not confirm(self, self.tr("登记缺考"), self.tr("把本场次尚未签到的考生全部登记为缺考？"), self.tr("登记缺考")):
            return
        actor, now = self.ctx.actor, self.clock()
        run_task(self, lambda _p: checkin.record_absences(actor, sid, now=now), title=self.tr("登记缺考"),
                 on_done=lambda n: (self.show_notice(self.tr("已登记缺考 %1 人。").replace("%1", str(n))),
                                    self.load_session()),
                 on_error=self.refused)

    def record_event(self) -> None:
        sid, room = self.session_id, self.event_room.currentData()
        if sid is None or room is None or not self.can_record:
            return
        kind, text = self.event_kind.currentData(), self.event_text.toPlainText().strip()
        ticket = self.event_ticket.text().strip() or None
        signers = [x for x in self.event_signers.text().replace("，", ",").replace("、", ",").split(",") if x.strip()]
        actor = self.ctx.actor

        def done(_id: int) -> None:
            self.show_notice(self.tr("已登记%1，记入考场记录和审计日志。").replace("%1", label(EVENT_KINDS[kind])))
            self.event_text.clear()
            self.event_ticket.clear()
            self.load_session()

        run_task(self, lambda _p: checkin.record_room_event(actor, sid, room, kind, text, ticket_number=ticket,
                                                            signed_by=signers or None),
                 title=self.tr("登记考场记录"), on_done=done, on_error=self.refused)

    # --- tickets and documents -------------------------------------------------------------------------
    def issue(self) -> None:
        if self.code is None or not self.can_print:
            return
        actor, code = self.ctx.actor, self.code
        run_task(self, lambda _p: tickets.issue_tickets(actor, code), title=self.tr("制发准考证"),
                 on_done=lambda n: self.changed(self.tr("已制发准考证 %1 张。可以打印准考证和考场文书。").replace("%1", str(n)),
                                                sittings=True),
                 on_error=self.refused)

    def tickets_pdf(self, out: Path | None = None) -> None:
        if self.code is None or not self.can_print:
            return
        actor, code = self.ctx.actor, self.code
        target = out or temp_pdf(f"{code}-准考证")
        run_task(self, lambda _p: (tickets.write_tickets(actor, code, target, workers=1), target)[1],
                 title=self.tr("生成准考证"), on_done=lambda p: preview(self, p, actor, self.tr("准考证")),
                 on_error=self.refused)

    def room_documents(self, out_dir: Path | None = None) -> None:
        if self.code is None or not self.can_print:
            return
        if out_dir is None:
            chosen = QFileDialog.getExistingDirectory(self, self.tr("选择保存考场文书的文件夹"), str(documents_folder()))
            if not chosen:
                return
            out_dir = Path(chosen)
        actor, code, sid, folder = self.ctx.actor, self.code, self.session_id, out_dir

        def done(files: list[Path]) -> None:
            self.show_notice(self.tr("考场文书已保存到 %1：%2").replace("%1", str(folder))
                             .replace("%2", "、".join(f.name for f in files)))
            sign_in = next((f for f in files if f.name.startswith("sign-in")), files[0] if files else None)
            if sign_in is not None:
                preview(self, sign_in, actor, self.tr("签到表"))

        run_task(self, lambda _p: tickets.write_room_documents(actor, code, folder, session_id=sid),
                 title=self.tr("生成考场文书"), on_done=done, on_error=self.refused)
