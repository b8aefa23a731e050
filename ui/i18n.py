"""Translations of the windows: Chinese is the source language (zh_CN, the default), English is translated.

Every visible string is written in Chinese inside ``self.tr()`` or ``QCoreApplication.translate()``.
``resources/translations/jlexam_en.ts`` holds the English translations (edit it with
``.venv/bin/pyside6-linguist``); the compiled ``jlexam_en.qm`` is what the program loads.

Rebuild both from source after changing any window string::

    scripts/build-translations.sh

which runs (from the repository root)::

    .venv/bin/pyside6-lupdate ui/*.py ui/pages/*.py -no-obsolete -source-language zh_CN \
        -target-language en -ts resources/translations/jlexam_en.ts
    .venv/bin/pyside6-lrelease resources/translations/jlexam_en.ts -qm resources/translations/jlexam_en.qm

Messages from the services (``JlexamError.message``) are Chinese in every language: they quote the
regulations and are what the exam office files.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

from jlexam.paths import resource

DEFAULT_LANGUAGE = "zh_CN"
LANGUAGES = {"zh_CN": "简体中文", "en": "English"}
SETTINGS_KEY = "ui/language"

_installed: list[QTranslator] = []


def translations_dir():  # type: ignore[no-untyped-def]
    return resource("translations")


def normalize(lang: str | None) -> str:
    if not lang:
        return DEFAULT_LANGUAGE
    lang = lang.replace("-", "_")
    if lang in LANGUAGES:
        return lang
    if lang.lower().startswith("en"):
        return "en"
    return DEFAULT_LANGUAGE


def saved_language() -> str:
    return normalize(str(QSettings().value(SETTINGS_KEY, DEFAULT_LANGUAGE)))


def save_language(lang: str) -> None:
    QSettings().setValue(SETTINGS_KEY, normalize(lang))


def current_language() -> str:
    return _current[0]


_current = [DEFAULT_LANGUAGE]


def install(lang: str | None) -> str:
    """Install the translators for ``lang`` (replacing earlier ones); returns the language in force."""
    app = QCoreApplication.instance()
    lang = normalize(lang)
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if lang == "en":
        ours = QTranslator(app)
        if ours.load(str(translations_dir() / "jlexam_en.qm")):
            _installed.append(ours)
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    else:
        qt = QTranslator(app)  # Qt's own dialogs (print dialog, file dialog buttons) in Chinese
        if qt.load("qtbase_zh_CN", qt_dir):
            _installed.append(qt)
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    for translator in _installed:
        app.installTranslator(translator)
    _current[0] = lang
    return lang
