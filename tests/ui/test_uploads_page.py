"""The uploads page: export a batch, its deadline and warning on the dashboard, verifying a good and a tampered
batch file."""

import zipfile
from datetime import date

import pytest

from jlexam.services import certificates, publicity
from tests.ui.test_publicity_page import results
from tests.ui.test_scores_page import CODE, decided, open_page, scored, team  # noqa: F401  (fixtures)


def _loaded(qtbot, page, check=lambda: True):  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: page.task is not None and not page.task.is_running and page.loaded is not None
                    and check(), timeout=5_000)


@pytest.fixture
def issued(team, scored):  # type: ignore[no-untyped-def]  # noqa: F811
    results(team, scored)
    publicity.publish_results(team["supervisor"], CODE, date(2026, 9, 30))
    publicity.finalize_results(team["supervisor"], CODE, date(2026, 10, 13))
    return certificates.issue_certificates(team["supervisor"], CODE, date(2026, 10, 14))


def test_export_dashboard_and_verify(qtbot, team, issued, make_window, monkeypatch, tmp_path, shown_errors):  # noqa: F811
    window, page = open_page_uploads(qtbot, make_window, team["clerk2"])  # clerk2 holds the data clerk role
    monkeypatch.setattr(window.ctx, "today", lambda: date(2026, 11, 16))
    page.refresh()
    _loaded(qtbot, page, lambda: page.pending.model.rowCount() == 1)
    assert "1 本证书尚未上报" in page.status.label.text()
    out = tmp_path / "batch.zip"
    page.export(out)
    qtbot.waitUntil(lambda: "已生成上报批次" in page.notice.label.text(), timeout=10_000)
    _loaded(qtbot, page, lambda: page.batches.model.rowCount() == 1)
    assert page.pending.model.rowCount() == 0
    texts = page.batches.model._texts[0]
    assert texts[2] == "2026-11-25" and texts[3] == "7" and texts[6].startswith("距上报期限还有")
    (warning,) = page.warning_texts()
    assert "期限 2026-11-25" in warning and "距上报期限还有 7 个工作日" in warning

    page.verify(out)
    qtbot.waitUntil(lambda: page.report is not None, timeout=10_000)
    assert page.report.ok and page.verdict.property("level") == "ok"
    n = page.checks.model.rowCount()
    assert n >= 4 and all(page.checks.model._texts[i][0] == "✔" for i in range(n))

    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(tampered, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.endswith(".csv"):
                data = data.replace("合格".encode(), "不合格".encode())
            dst.writestr(item, data)
    page.report = None
    page.verify(tampered)
    qtbot.waitUntil(lambda: page.report is not None, timeout=10_000)
    assert not page.report.ok and page.verdict.property("level") == "error"
    marks = [page.checks.model._texts[i][0] for i in range(page.checks.model.rowCount())]
    assert "✘" in marks
    assert shown_errors == []

    # the receipt: the warning goes away
    page.select_batch(page.batches.model.row(0).batch_id)
    page.uploaded_button.click()
    dialog = page.dialog
    dialog.receipt.setText("HZ-2026-0001")
    dialog.ok.click()
    qtbot.waitUntil(lambda: "已登记上报回执" in page.notice.label.text(), timeout=5_000)
    _loaded(qtbot, page, lambda: page.batches.model._texts[0][4] == "已上报")
    assert page.warning_texts() == []


def open_page_uploads(qtbot, make_window, actor):  # type: ignore[no-untyped-def]
    window = make_window(actor)
    qtbot.waitUntil(lambda: window.ctx.sitting is not None, timeout=5_000)
    window.navigation.select("upload")
    page = window.current_page()
    qtbot.waitUntil(lambda: page.loaded is not None, timeout=5_000)
    return window, page
