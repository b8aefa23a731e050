"""The holiday calendar tab: a new year's schedule entered as lines, checked as typed, saved whole or not at all."""


import shiboken6

from jlexam.security.roles import Role
from jlexam.services import calendar

GOOD = "2027-01-01~2027-01-03 元旦\n2027-02-06 调休上班\n2027-02-10~2027-02-16 春节\n"


def _calendar_page(qtbot, window):  # type: ignore[no-untyped-def]
    window.navigation.select("settings")
    page = window.current_page()
    page.tabs.setCurrentIndex(page.tab_titles().index("节假日"))
    qtbot.waitUntil(lambda: "随程序附带" in page.years_label.text(), timeout=5_000)
    return page


def test_admin_enters_a_year_and_bad_lines_save_nothing(qtbot, gui_admin, gui_db, make_window, tmp_path):
    page = _calendar_page(qtbot, make_window(gui_admin))
    assert page.year_button.isVisible()
    assert "2027 年的安排尚未录入" in page.years_label.text()  # the suite's today is in 2026 (tests/conftest.py)
    dialog = page.declare_year()
    dialog.year.setValue(2027)
    dialog.source.setText("国办发明电〔2026〕1号")
    dialog.text.setPlainText(GOOD + "2027-02-30 补班\n")
    assert "第 4 行" in dialog.preview.text() and "没有 30 日" in dialog.preview.text()
    dialog.ok.click()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=5_000)
    assert "第 4 行" in dialog.error.text()
    assert calendar.covered_years(gui_admin) == [] and calendar.list_overrides(gui_admin) == []

    # the same lines read from a CSV file (as kept in a spreadsheet), then saved
    source = tmp_path / "2027.csv"
    source.write_text(
        "2027-01-01,2027-01-03,元旦\n2027-02-06,调休上班\n2027-02-10~2027-02-16,春节\n", encoding="gbk"
    )
    dialog.load_file(source)
    assert "放假 10 天，调休上班 1 天" in dialog.preview.text()
    dialog.ok.click()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible(), timeout=5_000)
    assert calendar.covered_years(gui_admin) == [2027]
    qtbot.waitUntil(lambda: page.overrides.model.rowCount() == 11, timeout=5_000)
    assert "管理员录入的年份：2027" in page.years_label.text()

    # entering it again without "replace" is refused in the dialog
    again = page.declare_year()
    again.year.setValue(2027)
    again.source.setText("再次录入")
    again.text.setPlainText(GOOD)
    again.ok.click()
    qtbot.waitUntil(lambda: again.error.isVisible(), timeout=5_000)
    assert "替换该年已录入的安排" in again.error.text()
    again.reject()


def test_others_see_the_calendar_but_cannot_enter_a_year(qtbot, gui_actor_for, make_window):
    page = _calendar_page(qtbot, make_window(gui_actor_for(Role.EXAM_OFFICE)))
    assert not page.year_button.isVisible()
