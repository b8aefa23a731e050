"""The archive page: archiving a reported sitting, the index, the signed package, destruction refused within
retention and done after it by an administrator; the oversight and termination reports exported; who sees what."""

from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import QItemSelectionModel
from sqlalchemy import select

from jlexam.domain.retention import Medium
from jlexam.exchange.archive_package import verify_package
from jlexam.security.roles import Role
from jlexam.services import archives, uploads
from jlexam.store.models import AuditEvent
from tests.ui.test_scores_page import CODE, decided, scored, team  # noqa: F401  (fixtures)
from tests.ui.test_uploads_page import issued  # noqa: F401  (fixture)

SHELF = "档案室 2 号柜第 3 层"


@pytest.fixture
def reported(team, issued, tmp_path):  # type: ignore[no-untyped-def]  # noqa: F811
    clerk = team["clerk2"]
    uploads.export_batch(clerk, issued, tmp_path / "batch.zip")
    (batch,) = uploads.dashboard(clerk, date(2026, 10, 15))
    uploads.mark_uploaded(clerk, batch.batch_id, "HZ-2026-0001", date(2026, 10, 20))
    archives.mark_reported(clerk, CODE)
    return team


def open_archive(qtbot, make_window, actor):  # type: ignore[no-untyped-def]
    window = make_window(actor)
    qtbot.waitUntil(lambda: window.ctx.sitting is not None, timeout=5_000)
    assert window.navigation.select("archive")
    page = window.current_page()
    if page.archive_tab is not None:
        qtbot.waitUntil(lambda: page.loaded is not None, timeout=5_000)
    return window, page


def _reloaded(qtbot, page, check):  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: page.task is not None and not page.task.is_running and page.loaded is not None
                    and check(), timeout=10_000)


def _select_items(page, seqs):  # type: ignore[no-untyped-def]
    view, proxy = page.index.view, page.index.proxy
    view.clearSelection()
    for r in range(proxy.rowCount()):
        if proxy.source_row_object(proxy.index(r, 0)).seq in seqs:
            view.selectionModel().select(proxy.index(r, 0), QItemSelectionModel.SelectionFlag.Select
                                         | QItemSelectionModel.SelectionFlag.Rows)
    page._update_buttons()


def test_archive_package_and_retention(qtbot, reported, make_window, gui_admin, gui_actor_for, tmp_path,
                                       monkeypatch, shown_errors):
    sup = reported["supervisor"]
    _w, page = open_archive(qtbot, make_window, sup)
    assert page.archive_button.isEnabled() and "可以归档" in page.sitting_hint.text()
    assert "已上报，请归档" in page.status.label.text()
    page.archive_button.click()
    dialog = page.dialog
    dialog.ok.click()  # no location: refused inside the dialog
    assert "存放位置" in dialog.error.text() and dialog.isVisible()
    dialog.location.setText(SHELF)
    dialog.ok.click()
    qtbot.waitUntil(lambda: "已归档" in page.notice.label.text(), timeout=10_000)
    qtbot.waitUntil(lambda: page.index.model.rowCount() > 10, timeout=10_000)
    view = page.selected_archive()
    assert view is not None and view.paper_location == SHELF
    assert not page.archive_button.isEnabled()
    paper = next(i for i in view.items if i.medium is Medium.PAPER)
    row = [page.index.model._texts[r] for r in range(page.index.model.rowCount())][paper.seq - 1]
    assert row[3] == "纸质" and SHELF in row[6] and row[5] == f"{paper.retain_until:%Y-%m-%d}"

    # the supervisor writes the package; it verifies
    out = tmp_path / "archive.zip"
    page.write_package(out)
    qtbot.waitUntil(lambda: "已生成档案包" in page.notice.label.text(), timeout=20_000)
    assert verify_package(out).ok
    # ...but may not destroy anything, and is told why
    assert not page.destroy_button.isEnabled()
    assert "只有系统管理员" in page.destroy_hint.text()

    # a data clerk sees the archive, but the package is not for that role
    _w2, clerk_page = open_archive(qtbot, make_window, gui_actor_for(Role.DATA_CLERK))
    _reloaded(qtbot, clerk_page, lambda: clerk_page.index.model.rowCount() > 10)
    assert clerk_page.tabs.count() == 1 and clerk_page.reports_tab is None
    assert not clerk_page.package_button.isEnabled()
    assert "只有主考/质量督导可以导出" in clerk_page.destroy_hint.text()

    # the administrator: within retention nothing can be destroyed, and the page says until when
    _w3, admin_page = open_archive(qtbot, make_window, gui_admin)
    _reloaded(qtbot, admin_page, lambda: admin_page.index.model.rowCount() > 10)
    _select_items(admin_page, {paper.seq})
    assert not admin_page.destroy_button.isEnabled()
    assert "保管期内任何人都不能销毁" in admin_page.destroy_hint.text()
    # after the paper retention period, the paper line is destroyed with a reason, audited
    after = datetime.combine(paper.retain_until + timedelta(days=1), datetime.min.time(), UTC) + timedelta(hours=4)
    monkeypatch.setattr(archives, "clock", lambda: after)
    monkeypatch.setattr(admin_page.ctx, "today", lambda: after.date())
    admin_page.refresh()
    _reloaded(qtbot, admin_page, lambda: any(not i.in_retention for i in admin_page.index.model.rows()))
    _select_items(admin_page, {paper.seq})
    assert admin_page.destroy_button.isEnabled(), admin_page.destroy_hint.text()
    admin_page.destroy_button.click()
    dialog = admin_page.dialog
    dialog.reason.setPlainText("保管期满，经档案室主任批准销毁")
    dialog.ok.click()
    qtbot.waitUntil(lambda: "已销毁 1 项" in admin_page.notice.label.text(), timeout=10_000)
    item = next(i for i in archives.archive_index(gui_admin, CODE).items if i.seq == paper.seq)
    assert item.destroyed_on == after.date() and item.destroyed_by == gui_admin.username
    with gui_admin.db.reading() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "archive.destroy")).one()
    assert "经档案室主任批准" in event.summary
    assert shown_errors == []


def test_reports_exported_and_roles(qtbot, reported, make_window, gui_admin, gui_actor_for, tmp_path,
                                    shown_errors):
    archives.archive_sitting(reported["supervisor"], CODE, SHELF)
    _w, page = open_archive(qtbot, make_window, gui_admin)
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == ["认定批次档案", "监管统计报表", "终止备案报告"]
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: page.oversight is not None, timeout=10_000)
    facts = page.oversight_facts.values
    assert facts["认定批次"] == "1" and facts["发证"] == "1" and facts["最近一次认定"] != "尚未开展"
    assert page.sitting_table.model.rowCount() == 1
    pdf, xlsx = tmp_path / "oversight.pdf", tmp_path / "oversight.xlsx"
    page.export_oversight("pdf", pdf)
    qtbot.waitUntil(lambda: pdf.exists(), timeout=20_000)
    page.export_oversight("xlsx", xlsx)
    qtbot.waitUntil(lambda: xlsx.exists(), timeout=20_000)
    assert pdf.read_bytes().startswith(b"%PDF")

    page.tabs.setCurrentIndex(2)
    qtbot.waitUntil(lambda: page.termination is not None, timeout=10_000)
    assert page.termination_facts.values["已发证书"] == "1" and page.term_certs.model.rowCount() == 1
    assert "*" in page.term_certs.model._texts[0][2]  # masked ID numbers only
    end = tmp_path / "termination.pdf"
    page.export_termination("pdf", end)
    qtbot.waitUntil(lambda: "已导出终止备案收尾工作报告" in page.notice.label.text(), timeout=20_000)
    assert end.read_bytes().startswith(b"%PDF")
    with gui_admin.db.reading() as s:
        actions = list(s.scalars(select(AuditEvent.action).where(AuditEvent.action.like("report.%"))))
    assert actions.count("report.oversight") == 2 and actions.count("report.termination") == 1

    # exam office staff hold neither archive.view nor reports.view: no archive page for them
    office = make_window(reported["clerk1"])
    assert not office.navigation.select("archive")
    assert shown_errors == []
