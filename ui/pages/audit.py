"""The audit page: search the audit trail, and verify that no event was changed behind jlexam's back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from PySide6.QtCore import QCoreApplication, QDate, Qt, QTimer
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from jlexam.domain.china_time import CHINA_TZ, china_time
from jlexam.services import audit, users
from ui.context import AppContext
from ui.labels import CONTEXT as LABELS
from ui.labels import audit_action, audit_entity
from ui.navigation import Stage
from ui.pages.base import Page
from ui.tables import Column, TableView
from ui.tasks import run_task
from ui.widgets import Banner, Card, primary

SEARCH_LIMIT = 50_000


@dataclass(frozen=True)
class Found:
    rows: list[audit.AuditRow]
    names: dict[str, str]  # login name -> display name, where the actor may read them


def _search(actor, text: str, since: datetime, until: datetime) -> Found:  # type: ignore[no-untyped-def]
    """Runs on the thread pool: the events, and the users' display names (the list needs users.manage)."""
    rows = audit.search_events(actor, text, since=since, until=until, limit=SEARCH_LIMIT)
    names = {actor.username: actor.display_name}
    if actor.can("users.manage"):
        names.update({u.username: u.display_name for u in users.list_users(actor)})
    return Found(rows, names)


def user_text(username: str, names: dict[str, str]) -> str:
    """王建国（admin）when the display name is known and differs from the login name, else the login name."""
    name = names.get(username, "")
    if not name or name == username:
        return username
    return QCoreApplication.translate(LABELS, "%1（%2）").replace("%2", username).replace("%1", name)


def object_text(entity: str, entity_id: str) -> str:
    return f"{audit_entity(entity)} {entity_id}".strip() if entity else entity_id


class AuditPage(Page):
    scrollable = False

    def __init__(self, ctx: AppContext, stage: Stage, parent: QWidget | None = None) -> None:
        super().__init__(ctx, stage, parent)
        actor = ctx.actor
        self.verify_button = primary(QPushButton(self.tr("校验审计链")))
        self.verify_button.setToolTip(self.tr("重新计算每一条记录的哈希，检查是否有记录被改动或删除"))
        self.verify_button.clicked.connect(self.verify)
        self.verify_button.setVisible(actor.can("audit.verify"))
        self.actions.addWidget(self.verify_button)
        self.result = Banner(self.tr("尚未校验。点击“校验审计链”检查审计记录是否完整。"), "info")
        self.content.addWidget(self.result)

        card = Card(self.tr("审计记录"))
        self.content.addWidget(card, 1)
        self.can_view = actor.can("audit.view")
        filters = QHBoxLayout()
        self.text = QLineEdit()
        self.text.setObjectName("AuditSearch")
        self.text.setPlaceholderText(self.tr("按用户、操作、对象或摘要查询，例如：admin、登录、备份"))
        self.text.setClearButtonEnabled(True)
        self.since = QDateEdit()
        self.until = QDateEdit()
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        today = QDate(ctx.today())  # China's date, as on every other page
        self.since.setDate(today.addMonths(-3))
        self.until.setDate(today)
        search = QPushButton(self.tr("查询"))
        search.clicked.connect(self.refresh)
        filters.addWidget(self.text, 1)
        filters.addWidget(QLabel(self.tr("从")))
        filters.addWidget(self.since)
        filters.addWidget(QLabel(self.tr("至")))
        filters.addWidget(self.until)
        filters.addWidget(search)
        card.body.addLayout(filters)
        self.table = TableView(
            [
                Column(self.tr("序号"), lambda r: r.seq, width=70,
                       align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                Column(self.tr("时间（北京时间）"), lambda r: china_time(r.at), width=160,
                       format=lambda v: f"{v:%Y-%m-%d %H:%M:%S}"),
                Column(self.tr("用户"), lambda r: user_text(r.username, self.names), width=150),
                Column(self.tr("操作"), lambda r: audit_action(r.action), width=170),
                Column(self.tr("对象"), lambda r: object_text(r.entity, r.entity_id), width=150),
                Column(self.tr("摘要"), lambda r: r.summary),
            ],
            empty_text=self.tr("没有符合条件的审计记录。"),
            placeholder=self.tr("在结果中筛选（Ctrl+F）"),
        )
        card.body.addWidget(self.table, 1)
        if not self.can_view:
            self.table.set_empty_text(self.tr("您的角色可以校验审计链，但不能查看审计记录明细。"))
            for widget in (self.text, self.since, self.until, search):
                widget.setEnabled(False)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(350)
        self._debounce.timeout.connect(self.refresh)
        self.text.textChanged.connect(lambda _t: self._debounce.start())
        self.text.returnPressed.connect(self.refresh)
        self.since.dateChanged.connect(lambda _d: self._debounce.start())
        self.until.dateChanged.connect(lambda _d: self._debounce.start())
        self.task = None
        self.names: dict[str, str] = {}

    def _range(self) -> tuple[datetime, datetime]:
        """The chosen days, whole Beijing days, as UTC moments."""
        since = datetime.combine(self.since.date().toPython(), time.min, tzinfo=CHINA_TZ)
        until = datetime.combine(self.until.date().toPython() + timedelta(days=1), time.min, tzinfo=CHINA_TZ)
        return since.astimezone(UTC), until.astimezone(UTC)

    def refresh(self) -> None:
        if not self.can_view:
            return
        actor, text = self.ctx.actor, self.text.text()
        since, until = self._range()
        if self.task is not None and self.task.is_running:
            self.task.cancel()
        self.task = run_task(self, lambda _p: _search(actor, text, since, until),
                             title=self.tr("查询审计记录"), on_done=self._loaded)

    def _loaded(self, found: Found) -> None:
        self.names = found.names
        self.table.set_rows(found.rows)

    def verify(self) -> None:
        actor = self.ctx.actor
        self.verify_button.setEnabled(False)
        handle = run_task(self, lambda _p: audit.verify_chains(actor), title=self.tr("校验审计链"),
                          label=self.tr("正在重新计算每一条记录的哈希……"), on_done=self._verified)
        handle.finished.connect(lambda: self.verify_button.setEnabled(True))

    def _verified(self, reports: list) -> None:
        lines = []
        intact = all(r.intact for r in reports)
        for report in reports:
            if report.intact:
                lines.append(self.tr("%1：%2 条记录，完整无误。").replace("%1", report.label)
                             .replace("%2", f"{report.links:,}"))
            else:
                problems = "；".join(p.message for p in report.problems[:5])
                lines.append(self.tr("%1：发现 %2 处问题——%3").replace("%1", report.label)
                             .replace("%2", str(len(report.problems))).replace("%3", problems))
        stamp = china_time(datetime.now(UTC)).strftime("%Y-%m-%d %H:%M:%S")
        lines.append(self.tr("校验时间：%1").replace("%1", stamp))
        self.result.set("\n".join(lines), "ok" if intact else "error")
