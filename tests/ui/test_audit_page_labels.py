"""The audit page names actions and objects (not codes), shows users by name and Beijing time; labels put
service-built names (rooms, sessions, levels) into English; the row count says "1 row"; today is China's date."""

from __future__ import annotations

import ast
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from jlexam.domain.china_time import CHINA_TZ, china_time
from jlexam.domain.levels import SkillLevel
from jlexam.domain.stock_ledger import EntryKind
from jlexam.services import checkin
from tests.ui.english_stub import install_english, remove
from ui.labels import AUDIT_ACTIONS, AUDIT_ENTITIES, audit_action, audit_entity, label

JLEXAM = Path(__file__).resolve().parents[2] / "jlexam"
ENGLISH = {
    ("Labels", "登录"): "Log in",
    ("Labels", "用户"): "User",
    ("Labels", "%1（%2）"): "%1 (%2)",
    ("Labels", "第%1考场"): "Room %1",
    ("Labels", "第%1考场（%2）"): "Room %1 (%2)",
    ("Labels", "三级/高级工"): "Level 3 / Senior worker",
    ("Tables", "共 1 条"): "1 row",
}


def _audit_calls() -> tuple[set[str], set[str]]:
    """The action codes and object kinds jlexam writes (uow.audit / write_audit), literal or built."""
    actions, entities = set(), set()

    def texts(node: ast.expr | None) -> list[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, ast.IfExp):
            return texts(node.body) + texts(node.orelse)
        if isinstance(node, ast.BinOp) and isinstance(node.left, ast.Constant) and node.left.value == "stock.":
            return [f"stock.{k.value}" for k in EntryKind]  # stock.py: "stock." + entry.kind.value
        if isinstance(node, ast.JoinedStr) and ast.unparse(node) == "f'checkin.{kind}'":
            return [f"checkin.{k}" for k in checkin.EVENT_KINDS]  # checkin.py: record_event
        return []

    for path in JLEXAM.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", None))
            if name == "audit" and len(node.args) >= 2:
                action, entity = node.args[0], node.args[1]
            elif name == "write_audit" and len(node.args) >= 4:
                action, entity = node.args[2], node.args[3]
            else:
                continue
            if isinstance(action, ast.Name):  # UnitOfWork.audit passing its argument on
                continue
            found = texts(action)
            assert found, f"{path}:{node.lineno}: an audit action this test cannot read: {ast.unparse(action)}"
            actions.update(found)
            entities.update(texts(entity))
    return actions, entities


def test_every_audit_action_and_object_is_named():
    actions, entities = _audit_calls()
    assert len(actions) > 80
    assert not actions - AUDIT_ACTIONS.keys(), f"name these in ui/labels.py AUDIT_ACTIONS: {sorted(actions - AUDIT_ACTIONS.keys())}"
    assert not entities - AUDIT_ENTITIES.keys(), f"name these in AUDIT_ENTITIES: {sorted(entities - AUDIT_ENTITIES.keys())}"
    assert len(set(AUDIT_ACTIONS.values())) == len(AUDIT_ACTIONS), "two actions share a name"
    assert audit_action("auth.login") == "登录" and audit_entity("user") == "用户"
    assert audit_action("made.up") == "made.up" and audit_entity("thing") == "thing"  # unknown: the code


@pytest.fixture
def new_york(monkeypatch):  # type: ignore[no-untyped-def]
    """A PC whose clock is not set to China time."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _audit_page(qtbot, make_window, actor):  # type: ignore[no-untyped-def]
    window = make_window(actor)
    window.navigation.select("audit")
    page = window.current_page()
    qtbot.waitUntil(lambda: page.table.model.rowCount() >= 2, timeout=5_000)  # create admin + login
    return page


def _login_row(page) -> int:  # type: ignore[no-untyped-def]
    return next(i for i, r in enumerate(page.table.model.rows()) if r.action == "auth.login")


def test_audit_page_shows_names_and_beijing_time(qtbot, gui_admin, make_window, new_york):
    page = _audit_page(qtbot, make_window, gui_admin)
    i = _login_row(page)
    row, texts = page.table.model.rows()[i], page.table.model._texts[i]
    assert texts[3] == "登录"
    assert texts[2] == "王建国（admin）"
    assert texts[4].startswith("用户 ")
    assert texts[1] == f"{china_time(row.at):%Y-%m-%d %H:%M:%S}"
    # the search days are whole Beijing days
    page.since.setDate(date(2026, 3, 1))
    assert page._range()[0] == datetime(2026, 3, 1, tzinfo=CHINA_TZ).astimezone(UTC)


def test_audit_page_in_english(qtbot, gui_admin, make_window):
    stub = install_english(ENGLISH)
    try:
        page = _audit_page(qtbot, make_window, gui_admin)
        texts = page.table.model._texts[_login_row(page)]
        assert texts[3] == "Log in"
        assert texts[2] == "王建国 (admin)"
        assert texts[4].startswith("User ")
    finally:
        remove(stub)


def test_labels_translate_built_names(qapp):
    session = "理论知识考试（2026-10-25 09:00）"
    for text in ("第01考场", "第01考场（理论一）", session, SkillLevel.LEVEL_3.written):
        assert label(text) == text  # Chinese: as is
    stub = install_english(ENGLISH)
    try:
        assert label("第01考场") == "Room 01"
        assert label("第01考场（理论一）") == "Room 01 (理论一)"
        assert label(session) == f"{label('理论知识考试')} (2026-10-25 09:00)" != session
        assert label(SkillLevel.LEVEL_3.written) == "Level 3 / Senior worker"
        assert label("第01考场%2") == "第01考场%2"  # no pattern: as is
    finally:
        remove(stub)


def test_row_count_says_one_row(qtbot):
    from ui.tables import Column, TableView

    table = TableView([Column("姓名", lambda r: r)])
    qtbot.addWidget(table)
    table.set_rows(["张三"])
    assert table.count.text() == "共 1 条"
    stub = install_english(ENGLISH)
    try:
        table.set_rows(["张三"])
        assert table.count.text() == "1 row"
        table.set_rows(["张三", "李四"])
        assert table.count.text() == "2 rows"
    finally:
        remove(stub)


def test_today_is_china_date(monkeypatch, gui_admin):
    from ui import context

    # 17:30 UTC on 1 January is 01:30 on 2 January in Beijing (and still 1 January on a PC set to UTC)
    monkeypatch.setattr(context, "utcnow", lambda: datetime(2026, 1, 1, 17, 30, tzinfo=UTC))
    assert context.AppContext(gui_admin).today() == date(2026, 1, 2)
