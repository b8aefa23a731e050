"""Window tests run offscreen on a fresh SQLite database with their own QSettings."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt is imported

import pytest
from PySide6.QtCore import QCoreApplication, QSettings

from jlexam.security.roles import Role
from jlexam.services.auth import login
from jlexam.services.users import create_first_admin, create_user
from tests.conftest import PASSWORD


@pytest.fixture(scope="session")
def qapp_args():  # type: ignore[no-untyped-def]
    return ["jlexam-test"]


@pytest.fixture(scope="session", autouse=True)
def _styled(qapp):  # type: ignore[no-untyped-def]
    from ui.style import apply_style

    QCoreApplication.setOrganizationName("jlexam-tests")
    QCoreApplication.setApplicationName("jlexam-tests")
    apply_style(qapp)
    return qapp


@pytest.fixture(autouse=True)
def _own_settings(tmp_path, qapp):  # type: ignore[no-untyped-def]
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))
    QSettings().clear()
    from ui import i18n

    i18n.install("zh_CN")
    yield
    i18n.install("zh_CN")


@pytest.fixture(autouse=True)
def shown_errors(monkeypatch):  # type: ignore[no-untyped-def]
    """Error dialogs are recorded instead of blocking the test; a test asserts on them."""
    shown: list[BaseException] = []

    def record(parent, exc, tb=None, title=None):  # type: ignore[no-untyped-def]
        shown.append(exc)

    monkeypatch.setattr("ui.errors.show_error", record)
    monkeypatch.setattr("ui.tasks.show_error", record)
    return shown


@pytest.fixture
def gui_db(sqlite_db):  # type: ignore[no-untyped-def]
    create_first_admin(sqlite_db, "admin", PASSWORD, "王建国")
    return sqlite_db


@pytest.fixture
def gui_admin(gui_db):  # type: ignore[no-untyped-def]
    return login(gui_db, "admin", PASSWORD)


@pytest.fixture
def gui_actor_for(gui_db, gui_admin):  # type: ignore[no-untyped-def]
    def make(*roles: Role):  # type: ignore[no-untyped-def]
        name = "u_" + "_".join(sorted(r.value for r in roles))
        create_user(gui_admin, name, name, PASSWORD, frozenset(roles))
        return login(gui_db, name, PASSWORD)

    return make


@pytest.fixture
def make_window(qtbot):  # type: ignore[no-untyped-def]
    from ui.main_window import MainWindow

    made = []

    def make(actor, **kwargs):  # type: ignore[no-untyped-def]
        window = MainWindow(actor, **kwargs)
        qtbot.addWidget(window)
        window.show()
        made.append(window)
        return window

    yield make
    for window in made:
        window.idle.stop()
