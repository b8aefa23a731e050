"""The publicity page: the computed period, objections inside the period only, answers that require republishing."""

from datetime import date

import pytest
import shiboken6
from PySide6.QtCore import Qt

from jlexam.services import publicity, scoring
from tests.ui.test_scores_page import CODE, decided, open_page, scored, team  # noqa: F401  (fixtures)


def _closed(dialog) -> bool:  # type: ignore[no-untyped-def]
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def results(team, ids):  # type: ignore[no-untyped-def]  # noqa: F811
    """Passed, failed and absent: theory + practical entered twice, locked, results computed."""
    for part, marks in (("theory", ["80", "59", "缺考"]), ("practical", ["75", "90", "缺考"])):
        scoring.enter_scores(team["clerk1"], CODE, part, 1, dict(zip(ids, marks, strict=True)))
        scoring.enter_scores(team["clerk2"], CODE, part, 2, dict(zip(ids, marks, strict=True)))
        scoring.lock_scores(team["supervisor"], CODE, part)
    scoring.compute_results(team["supervisor"], CODE)


@pytest.fixture
def marked(team, scored):  # type: ignore[no-untyped-def]  # noqa: F811
    results(team, scored)
    return scored


def _loaded(qtbot, page, check=lambda: True):  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: page.task is not None and not page.task.is_running and page.loaded is not None
                    and check(), timeout=10_000)


def test_publish_objection_answer_and_finalize(qtbot, team, marked, make_window, monkeypatch, shown_errors):  # noqa: F811
    from ui.pages.publicity import AnswerDialog, ObjectionDialog

    window, page = open_page(qtbot, make_window, team["supervisor"], "publicity")
    monkeypatch.setattr(window.ctx, "today", lambda: date(2026, 10, 9))
    _loaded(qtbot, page)
    assert "尚未发布公示" in page.period_label.text()
    assert any("尚未公示" in t for t in page.blocker_texts())
    page.start_on.setDate(date(2026, 9, 30))
    page.publish_button.click()
    qtbot.waitUntil(lambda: "已发布第 1 次公示" in page.notice.label.text(), timeout=5_000)
    assert "2026-09-30 至 2026-10-12" in page.notice.label.text()
    _loaded(qtbot, page, lambda: page.loaded.period is not None
            and any("公示期至 2026-10-12" in t for t in page.blocker_texts()))
    assert "2026-09-30 至 2026-10-12" in page.period_label.text() and "公示中" in page.period_label.text()
    assert not page.provisional.isVisible()

    # an objection outside the period is refused, inside the dialog
    page.record_button.click()
    dialog = page.dialog
    assert isinstance(dialog, ObjectionDialog)
    dialog.raised_by.setText("考生3")
    dialog.subject.setPlainText("理论成绩偏低")
    dialog.select_candidate(marked[1])
    dialog.received_on.setDate(date(2026, 10, 13))
    dialog.ok.click()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=5_000)
    assert "异议须在公示期内（2026-09-30 至 2026-10-12）提出" in dialog.error.text()
    dialog.received_on.setDate(date(2026, 9, 30))
    dialog.ok.click()
    qtbot.waitUntil(lambda: _closed(dialog), timeout=5_000)
    _loaded(qtbot, page, lambda: page.objections.model.rowCount() == 1)
    texts = page.objections.model._texts[0]
    assert texts[3] == "2026-10-13" and texts[4] == "待答复"
    assert "1 件异议待答复" in page.overdue.text()

    # answered with a changed score: the page says the list must be published again
    (objection,) = publicity.list_objections(team["supervisor"], CODE)
    page.select_objection(objection.id)
    page.answer_button.click()
    dialog = page.dialog
    assert isinstance(dialog, AnswerDialog)
    dialog.recheck.setPlainText("复核答卷，漏计一题 2 分")
    dialog.outcome.setText("理论成绩更正为 61 分")
    dialog.answered_on.setDate(date(2026, 10, 9))
    dialog.set_new_mark("theory", "61")
    dialog.ok.click()
    qtbot.waitUntil(lambda: _closed(dialog), timeout=5_000)
    qtbot.waitUntil(lambda: "重新发布公示" in page.notice.label.text(), timeout=5_000)
    assert page.notice.property("level") == "warn"
    _loaded(qtbot, page, lambda: any("重新公示" in t for t in page.blocker_texts()))
    assert page.objections.model._texts[0][4] == "已答复"
    assert not page.finalize_button.isEnabled()
    assert shown_errors == []


def test_overdue_objection_is_red(qtbot, team, marked, make_window, monkeypatch):  # noqa: F811
    publicity.publish_results(team["supervisor"], CODE, date(2026, 9, 30))
    publicity.record_objection(team["clerk1"], CODE, "考生3", date(2026, 9, 30), "理论成绩偏低", marked[1])
    window, page = open_page(qtbot, make_window, team["clerk1"], "publicity")
    monkeypatch.setattr(window.ctx, "today", lambda: date(2026, 10, 20))
    page.refresh()
    _loaded(qtbot, page, lambda: page.objections.model.rowCount() == 1)
    assert page.objections.model._texts[0][4] == "已逾期未答复"
    assert "超过答复期限" in page.overdue.text()
    assert page.answer_button.isHidden() and page.record_button.isVisible()  # a clerk records, never answers


def test_results_are_listed_with_every_part(qtbot, team, marked, make_window):  # noqa: F811
    """The exam office sees each candidate's locked marks and result before publishing, and a corrected mark
    is pointed out."""
    scoring.change_score(team["supervisor"], marked[1], "theory", "61", "复核答卷，漏计一题 2 分")
    _w, page = open_page(qtbot, make_window, team["supervisor"], "publicity")
    _loaded(qtbot, page, lambda: page.results.model.rowCount() == 3)
    model = page.results.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    theory, result, note = headers.index("理论知识考试"), headers.index("结果"), headers.index("说明")
    rows = {model.index(r, 0).data(): r for r in range(3)}
    cell = lambda app_id, col: model.index(rows[str(app_id)], col).data()  # noqa: E731
    assert [cell(a, theory) for a in marked] == ["80", "61", "缺考"]
    assert [cell(a, result) for a in marked] == ["合格", "合格", "缺考"]
    assert "已更正" in cell(marked[1], note) and cell(marked[0], note) == ""
