"""The institution form: the credit-code error beside the field, nothing saved; then a valid save."""

from datetime import date

from jlexam.domain.credit_code import build_credit_code
from jlexam.security.roles import Role
from jlexam.services.institution import get_institution


def _open(qtbot, make_window, actor):  # type: ignore[no-untyped-def]
    window = make_window(actor)
    window.navigation.select("institution")
    page = window.current_page()
    qtbot.waitUntil(lambda: "尚未登记机构信息" in page.status.label.text(), timeout=5_000)
    return page


def test_bad_credit_code_is_shown_and_nothing_saved(qtbot, gui_admin, make_window, shown_errors):
    page = _open(qtbot, make_window, gui_admin)
    page.name.setText("吉林省测试职业技能等级认定中心")
    good = build_credit_code("91220101MA0000001")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    qtbot.keyClicks(page.credit_code, bad)
    assert page.credit_error.isVisible()
    assert "校验位错误" in page.credit_error.text()
    assert page.credit_code.property("invalid") is True
    page.save()
    qtbot.wait(300)
    assert get_institution(gui_admin) is None
    assert shown_errors == []

    page.credit_code.clear()
    qtbot.keyClicks(page.credit_code, good)
    assert not page.credit_error.isVisible()
    page.filed_on.set_value(date(2025, 3, 18))
    page.save()
    qtbot.waitUntil(lambda: get_institution(gui_admin) is not None, timeout=5_000)
    saved = get_institution(gui_admin)
    assert saved.form.credit_code == good
    assert saved.form.filing_valid_until == date(2028, 3, 17)  # 3 years, computed by the service
    qtbot.waitUntil(lambda: "备案有效期至 2028年03月17日" in page.status.label.text(), timeout=5_000)


def test_service_validation_is_shown_beside_the_form(qtbot, gui_admin, make_window):
    page = _open(qtbot, make_window, gui_admin)
    page.credit_code.setText(build_credit_code("91220101MA0000001"))
    page.name.setText("   ")
    page.save()
    qtbot.waitUntil(lambda: page.form_error.isVisible(), timeout=5_000)
    assert "机构名称不能为空" in page.form_error.text()
    assert get_institution(gui_admin) is None


def test_data_clerk_reads_but_cannot_edit(qtbot, gui_actor_for, make_window):
    page = _open(qtbot, make_window, gui_actor_for(Role.DATA_CLERK))
    assert page.save_button.isHidden()
    assert page.name.isReadOnly() and page.credit_code.isReadOnly()
    page.save()  # a shortcut cannot get around it either
    qtbot.wait(200)


def test_certificate_number_preview(qtbot, gui_admin, make_window):
    page = _open(qtbot, make_window, gui_admin)
    page.cert_site.setText("010001")
    page._update_cert_preview()
    assert "Y00002201000" in page.cert_preview.text().replace(" ", "")
