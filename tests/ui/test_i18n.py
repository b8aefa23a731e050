"""Chinese by default; English from the compiled .qm; the settings page switches the language."""

from jlexam.paths import resource
from tests.conftest import PASSWORD
from ui import i18n
from ui.login import LoginDialog


def test_compiled_translation_exists():
    assert resource("translations", "jlexam_en.qm").is_file()
    assert resource("translations", "jlexam_en.ts").is_file()


def test_login_in_both_languages(qtbot, gui_db):
    zh = LoginDialog(gui_db)
    qtbot.addWidget(zh)
    assert zh.login_button.text() == "登录"
    assert i18n.install("en") == "en"
    en = LoginDialog(gui_db)
    qtbot.addWidget(en)
    assert en.login_button.text() == "Log in"
    assert "User name" in [en.form.labelForField(en.username).text()]


def test_settings_page_switches_the_window_language(qtbot, gui_admin, make_window):
    window = make_window(gui_admin)
    window.navigation.select("settings")
    page = window.current_page()
    page.language.setCurrentIndex(page.language.findData("en"))
    with qtbot.waitSignal(window.rebuild_requested, timeout=2_000):
        page.apply_language()
    assert i18n.current_language() == "en" and i18n.saved_language() == "en"
    english = make_window(gui_admin)  # what the application does on rebuild_requested
    labels = [english.navigation.list.item(i).text().strip() for i in range(english.navigation.list.count())]
    assert any(label.endswith("Institution") for label in labels)
    assert "Settings" in " ".join(labels)
    assert english.header.logout_button.text() == "Log out"
    assert PASSWORD  # the same user stays logged in
