"""Chinese by default; English from the compiled .qm; the settings page switches the language."""

import re
import xml.etree.ElementTree as ET

from PySide6.QtWidgets import QPushButton

from jlexam.paths import resource
from jlexam.security.roles import Role
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


# Every context of jlexam_en.ts is fully translated, and every one must stay so: no message may have an
# unfinished (or empty) translation. After changing a window string, run scripts/build-translations.sh and
# translate the new messages. The contexts below are the ones known today; each must still be in the .ts (a
# renamed class or a deleted page is noticed here: update the list).
COMPLETED_CONTEXTS = {
    # sittings, registration, custody, publicity, certificates, uploads (ui/pages/sittings.py, registration.py,
    # custody.py, publicity.py, certificates.py, uploads.py)
    "AnswerDialog", "ApplicationDialog", "CertificatesPage", "CorrectDialog", "CreateSittingDialog", "CustodyPage",
    "EvidenceDialog", "KeyHoldersDialog", "LetterDialog", "ListDialog", "ObjectionDialog", "OpenRegistrationDialog",
    "PacketDialog", "PublicityPage", "ReasonDialog", "ReceiptDialog", "RegistrationPage", "RosterDialog",
    "SessionDialog", "SittingsPage", "TaskDialog", "UploadsPage",
    # arrangement, staff, check-in, archive (ui/pages/arrangement.py, staff.py, checkin.py, archive.py) and
    # registration's OverrideDialog
    "AnswerPanel", "ArchiveDialog", "ArchivePage", "ArrangementPage", "AssignDialog", "BriefingDialog",
    "CheckInPage", "DestroyDialog", "MoveDialog", "OverrideDialog", "RemoveAfterLockDialog", "RoomDialog",
    "SeatChangeDialog", "SiteDialog", "StaffDialog", "StaffPage",
    # institution, audit (ui/pages/institution.py, audit.py)
    "AuditPage", "InstitutionPage", "ScopeDialog",
    # scores and settings (ui/pages/scores.py, settings.py)
    "ChangeDialog", "MarkerDialog", "ScoresPage", "SettleDialog", "WorkPage", "SettingsPage", "UserDialog",
    "YearScheduleDialog", "_PassphraseDialog",
    # shared (ui/*.py, ui/pages/base.py …) and the domain labels of ui/labels.py
    "App", "Blockers", "DateField", "Errors", "FirstAdminDialog", "HeaderBar", "Labels", "LockDialog",
    "LoginDialog", "MainWindow", "Navigation", "Page", "PdfPreview", "PlaceholderPage", "Roles",
    "SittingState", "Tables", "Tasks", "Widgets", "_BrandPanel", "_FormDialog",
}


def _messages():  # type: ignore[no-untyped-def]
    root = ET.parse(resource("translations", "jlexam_en.ts")).getroot()
    for context in root.iter("context"):
        for message in context.iter("message"):
            yield context.findtext("name"), message


def test_every_context_is_fully_translated():
    seen, untranslated = set(), []
    for name, message in _messages():  # every context, listed or not
        seen.add(name)
        translation = message.find("translation")
        forms = [f.text for f in translation.iter("numerusform")] if message.get("numerus") == "yes" \
            else [translation.text]
        if translation.get("type") in ("unfinished", "vanished", "obsolete") or not all(f and f.strip() for f in forms):
            untranslated.append(f"{name}: {message.findtext('source')}")
    assert not untranslated, "untranslated messages (translate them in jlexam_en.ts):\n" + "\n".join(untranslated)
    assert not COMPLETED_CONTEXTS - seen, f"contexts missing from jlexam_en.ts: {sorted(COMPLETED_CONTEXTS - seen)}"


def test_translations_keep_placeholders():
    marks = re.compile(r"%\d+|%n|\{[^}]*\}|</?[A-Za-z][^>]*>")
    wrong = []
    for name, message in _messages():
        source = message.findtext("source") or ""
        translation = message.find("translation")
        for text in [f.text for f in translation.iter("numerusform")] or [translation.text]:
            if text and sorted(marks.findall(source)) != sorted(marks.findall(text)):
                wrong.append(f"{name}: {source} -> {text}")
    assert not wrong, "translations that lose or add placeholders or tags:\n" + "\n".join(wrong)


def test_a_completed_page_shows_english(qtbot, gui_actor_for, make_window):
    assert i18n.install("en") == "en"
    window = make_window(gui_actor_for(Role.EXAM_OFFICE))
    assert window.navigation.select("registration")
    page = window.current_page()
    assert type(page).__name__ == "RegistrationPage"
    buttons = {b.text() for b in page.findChildren(QPushButton)}
    assert {"Import roster…", "Record application…", "Check eligibility", "Approve"} <= buttons


def test_service_built_names_show_in_english(qtbot, gui_admin, gui_actor_for, make_window):
    """Levels and rooms the services write in Chinese reach the English window translated (ui.labels)."""
    from jlexam.services import registration
    from tests.services.helpers import open_sitting, person

    office = gui_actor_for(Role.EXAM_OFFICE)
    open_sitting(gui_admin, office)
    registration.register_application(office, "S2026-12", person(1, level=4))
    assert i18n.install("en") == "en"
    window = make_window(office)
    qtbot.waitUntil(lambda: window.ctx.sitting is not None, timeout=5_000)
    window.navigation.select("registration")
    page = window.current_page()
    qtbot.waitUntil(lambda: page.table.model.rowCount() == 1, timeout=5_000)
    texts = [page.table.model.index(0, c).data() for c in range(page.table.model.columnCount())]
    assert "Level 4 / Intermediate worker" in texts and "四级/中级工" not in texts
