"""The registration page: roster preview and import, the form, eligibility decisions, override, graduating filter."""

import dataclasses
from datetime import date
from pathlib import Path

import openpyxl
import pytest
import shiboken6

from jlexam.domain.idcard import build_id_number
from jlexam.exchange.roster import COLUMNS, column_letter, template_header
from jlexam.security.roles import Role
from jlexam.services import eligibility, registration
from tests.services.helpers import ELECTRICIAN, open_sitting, person

CODE = "S2026-12"
LETTER = {c.key: column_letter(i) for i, c in enumerate(COLUMNS)}


@pytest.fixture
def office(gui_actor_for):  # type: ignore[no-untyped-def]
    return gui_actor_for(Role.EXAM_OFFICE)


@pytest.fixture
def supervisor(gui_actor_for):  # type: ignore[no-untyped-def]
    return gui_actor_for(Role.SUPERVISOR)


def _closed(dialog) -> bool:  # type: ignore[no-untyped-def]
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def _open(qtbot, make_window, actor):  # type: ignore[no-untyped-def]
    window = make_window(actor)
    qtbot.waitUntil(lambda: window.ctx.sitting is not None, timeout=5_000)
    window.navigation.select("registration")
    page = window.current_page()
    qtbot.waitUntil(lambda: page.loaded is not None and page.loaded.sitting is not None, timeout=5_000)
    return window, page


def _row(seq: int, **changes: object) -> list[object]:
    born = date(1990, 3, 7)
    values = {
        "name": ("张", "李", "王", "赵")[seq] + "某", "sex": "男", "id_type": "居民身份证", "id_number": build_id_number("220102", born, 2 * seq + 1),
        "birth_date": born, "phone": "13812345678", "education": "高中/中专", "employer": "长春市宏达机械有限公司",
        "occupation_code": ELECTRICIAN, "occupation_name": "电工", "work_type": None, "level": "四级/中级工",
        "years_in_occupation": 6, "prior_level": None, "prior_certificate_date": None, "professional_title": None,
        "student_number": None, "major": None, "graduation_year": None,
    }
    values.update(changes)
    return [values[c.key] for c in COLUMNS]


def _roster(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "报名名单"
    sheet.append([template_header(c) for c in COLUMNS])
    for values in rows:
        sheet.append(values)
    book.save(path)
    return path


def test_roster_preview_shows_bad_cells_and_imports_nothing_then_valid_rows(
        qtbot, gui_admin, office, make_window, tmp_path, shown_errors):
    from ui.pages.registration import RosterDialog

    open_sitting(gui_admin, office)
    good = _row(1)
    bad_id = build_id_number("220102", date(1990, 3, 7), 5)
    bad_id = bad_id[:-1] + ("0" if bad_id[-1] != "0" else "1")  # wrong check character
    bad = _row(2, id_number=bad_id)
    path = _roster(tmp_path / "名册.xlsx", [good, bad])
    _window, page = _open(qtbot, make_window, office)
    assert page.import_button.isEnabled()

    dialog = page.import_roster(path)
    assert isinstance(dialog, RosterDialog)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=10_000)
    text = dialog.summary.label.text()
    assert "共 2 行" in text and "有效 1 行" in text and "有错误 1 行" in text
    (error,) = [dialog.errors.model.row(i) for i in range(dialog.errors.model.rowCount())]
    assert (error.row, error.column) == (3, LETTER["id_number"])
    texts = dialog.errors.model._texts[0]
    assert texts[1] == "3" and texts[2] == LETTER["id_number"] and "校验" in texts[5]
    assert dialog.options.isVisible() and dialog.nothing.isChecked()
    errors_out = tmp_path / "改正" / "错误说明.xlsx"
    errors_out.parent.mkdir()
    dialog.errors_path.setText(str(errors_out))

    dialog.import_button.click()  # default: nothing while errors exist
    qtbot.waitUntil(lambda: dialog.message.isVisible(), timeout=10_000)
    assert "未导入任何数据" in dialog.message.text()
    assert eligibility.list_applications(office, CODE) == []
    assert errors_out.is_file()

    dialog.valid_only.setChecked(True)
    dialog.import_button.click()
    qtbot.waitUntil(lambda: _closed(dialog), timeout=10_000)
    (app,) = eligibility.list_applications(office, CODE)
    assert app.name == "李某"
    qtbot.waitUntil(lambda: page.table.model.rowCount() == 1, timeout=5_000)
    assert "导入 1 人" in page.notice.label.text() and "未导入 1 行" in page.notice.label.text()
    assert shown_errors == []


def test_register_one_application_by_form(qtbot, gui_admin, office, make_window, shown_errors):
    from ui.pages.registration import ApplicationDialog

    open_sitting(gui_admin, office)
    _window, page = _open(qtbot, make_window, office)
    page.add_application()
    dialog = page.dialog
    assert isinstance(dialog, ApplicationDialog)
    dialog.name.setText("张三")
    number = build_id_number("220102", date(1988, 5, 1), 124)  # even sequence: female
    qtbot.keyClicks(dialog.id_number, number)
    assert dialog.sex.currentText() == "女" and dialog.birth_date.value() == date(1988, 5, 1)
    dialog.ok.click()
    qtbot.waitUntil(lambda: _closed(dialog) or dialog.error.isVisible() or bool(shown_errors), timeout=5_000)
    assert shown_errors == []
    assert _closed(dialog), dialog.error.text()
    qtbot.waitUntil(lambda: page.table.model.rowCount() == 1, timeout=5_000)
    assert page.table.model.row(0).name == "张三"
    assert page.table.model._texts[0][1].endswith(number[-1]) and "*" in page.table.model._texts[0][1]


def test_approve_reject_and_override(qtbot, gui_admin, office, supervisor, make_window, shown_errors):
    from ui.pages.registration import OverrideDialog, ReasonDialog

    open_sitting(gui_admin, office)
    ok = registration.register_application(office, CODE, person(1, years=6))
    short = registration.register_application(office, CODE, person(2, years=2))
    other = registration.register_application(office, CODE, person(3, years=7))
    _window, page = _open(qtbot, make_window, office)
    assert page.override_button.isHidden()  # only a supervisor may override
    page.evaluate_button.click()
    qtbot.waitUntil(lambda: all(r.eligibility != "pending" for r in page.rows) and len(page.rows) == 3, timeout=5_000)
    assert "符合申报条件 2 份" in page.notice.label.text()

    page.select_ids([ok])
    assert page.approve_button.isEnabled()
    page.approve_button.click()
    qtbot.waitUntil(lambda: any(r.id == ok and r.decision == "approved" for r in page.rows), timeout=5_000)

    page.select_ids([short])
    assert not page.approve_button.isEnabled()  # not eligible: only an override can approve it
    page.select_ids([other])
    page.reject_button.click()
    dialog = page.dialog
    assert isinstance(dialog, ReasonDialog)
    dialog.ok.click()
    assert "须写明理由" in dialog.error.text()
    dialog.reason.setPlainText("未提供工作年限证明")
    dialog.ok.click()
    qtbot.waitUntil(lambda: _closed(dialog), timeout=5_000)
    qtbot.waitUntil(lambda: any(r.id == other and r.decision == "rejected" for r in page.rows), timeout=5_000)
    row = next(r for r in page.rows if r.id == other)
    assert row.decision_reason == "未提供工作年限证明"

    # the supervisor overrides the short one, with a written reason of at least 10 characters
    _window2, sup_page = _open(qtbot, make_window, supervisor)
    qtbot.waitUntil(lambda: len(sup_page.rows) == 3, timeout=5_000)
    assert sup_page.override_button.isVisible() and sup_page.add_button.isHidden()
    sup_page.select_ids([short])
    assert sup_page.override_button.isEnabled()
    sup_page.override_button.click()
    dialog = sup_page.dialog
    assert isinstance(dialog, OverrideDialog)
    assert "未满足的申报条件" in dialog.failed.label.text()
    assert next(r for r in sup_page.rows if r.id == short).eligibility_summary in dialog.failed.label.text()
    dialog.reason.setPlainText("同意破格")
    assert not dialog.ok.isEnabled() and "至少 10 字" in dialog.count.text()
    dialog.submit()  # the shortcut cannot get around it either
    assert "不少于 10 个字" in dialog.error.text()
    dialog.reason.setPlainText("单位出具了十年工作证明，原件已核验")
    assert dialog.ok.isEnabled()
    dialog.ok.click()
    qtbot.waitUntil(lambda: _closed(dialog), timeout=5_000)
    qtbot.waitUntil(lambda: any(r.id == short and r.override for r in sup_page.rows), timeout=5_000)
    sup_page.filter.setCurrentIndex(sup_page.filter.findData("override"))
    assert sup_page.table.model.rowCount() == 1 and sup_page.table.model._texts[0][6] == "破格通过"
    assert shown_errors == []


def test_graduating_filter(qtbot, gui_admin, office, make_window):
    open_sitting(gui_admin, office)
    graduating = person(1, student=True)
    graduating = dataclasses.replace(graduating, candidate=dataclasses.replace(graduating.candidate, graduation_year=2026))
    registration.register_application(office, CODE, graduating)
    registration.register_application(office, CODE, person(2, student=True))  # graduates in 2027
    registration.register_application(office, CODE, person(3))
    _window, page = _open(qtbot, make_window, office)
    qtbot.waitUntil(lambda: len(page.rows) == 3, timeout=5_000)
    assert page.graduating.isVisible()
    page.graduating.setChecked(True)
    qtbot.waitUntil(lambda: len(page.rows) == 1, timeout=5_000)
    assert page.table.model.row(0).name == "考生1"
    assert "共 1 份毕业年度学生" in page.counts.text()


def test_no_sitting_empty_state(qtbot, gui_actor_for, make_window):
    window = make_window(gui_actor_for(Role.EXAM_OFFICE))
    window.navigation.select("registration")
    page = window.current_page()
    qtbot.waitUntil(lambda: page.loaded is not None, timeout=5_000)
    assert "尚无认定批次" in page.status.label.text()
    assert page.table.stack.currentWidget() is page.table.empty
