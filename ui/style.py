"""The look of the application: Fusion style, a calm palette, the bundled CJK font, one style sheet."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from jlexam.paths import resource

# Brand colours, used by the style sheet and by widgets that paint themselves.
PRIMARY = "#1f5fbf"
PRIMARY_DARK = "#174a96"
NAV_BG = "#16324f"
NAV_ACTIVE = "#24507d"
PAGE_BG = "#f3f5f8"
BORDER = "#d8dee6"
TEXT = "#1f2933"
MUTED = "#5f6b7a"
OK = "#1e7b34"
WARN = "#9a6700"
ERROR = "#b42318"

# Fonts that render Chinese well, in order of preference, when no bundled font could be registered.
SYSTEM_CJK = ("Microsoft YaHei UI", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC",
              "WenQuanYi Micro Hei", "PingFang SC", "SimHei", "SimSun")

_QSS = """
QMainWindow, QDialog#LoginDialog { background: %(PAGE_BG)s; }
QWidget#PageArea, QScrollArea#PageScroll, QWidget#PageBody { background: %(PAGE_BG)s; }
QToolTip { color: %(TEXT)s; background: #ffffff; border: 1px solid %(BORDER)s; padding: 4px; }

/* header bar */
QFrame#HeaderBar { background: #ffffff; border: none; border-bottom: 1px solid %(BORDER)s; }
QLabel#AppTitle { font-size: 15pt; font-weight: 600; color: %(NAV_BG)s; }
QLabel#InstitutionName { font-size: 10.5pt; color: %(MUTED)s; }
QLabel#HeaderCaption { color: %(MUTED)s; }
QLabel#UserBadge { color: %(TEXT)s; font-weight: 600; }
QLabel#RoleBadge { color: %(MUTED)s; }
QLabel#StateChip { border-radius: 10px; padding: 2px 10px; color: #ffffff; background: %(MUTED)s; }
QLabel#StateChip[state="none"] { background: #98a2b3; }

/* side navigation */
QWidget#SideBar { background: %(NAV_BG)s; }
QLabel#SideBarTitle { color: #cfdbe8; padding: 14px 18px 6px 18px; font-size: 9pt; }
QListWidget#Navigation { background: %(NAV_BG)s; border: none; color: #e6edf5; outline: 0; font-size: 10.5pt; }
QListWidget#Navigation::item { padding: 9px 14px; border-left: 3px solid transparent; }
QListWidget#Navigation::item:hover { background: #1d3f63; }
QListWidget#Navigation::item:selected { background: %(NAV_ACTIVE)s; color: #ffffff; border-left: 3px solid #6fb1ff; }
QListWidget#Navigation::item:disabled { color: #8fa3b8; background: transparent; padding-top: 14px; font-size: 9pt; }

/* pages */
QLabel#PageTitle { font-size: 17pt; font-weight: 600; color: %(TEXT)s; }
QLabel#PageSubtitle { color: %(MUTED)s; }
QFrame#Card { background: #ffffff; border: 1px solid %(BORDER)s; border-radius: 6px; }
QLabel#CardTitle { font-size: 11.5pt; font-weight: 600; color: %(TEXT)s; }
QLabel#Hint { color: %(MUTED)s; }
QLabel#FieldError { color: %(ERROR)s; }
QLabel#EmptyState { color: %(MUTED)s; font-size: 11pt; padding: 24px; }
QFrame#Banner { border-radius: 6px; border: 1px solid #b7d3f5; background: #eaf3fe; }
QFrame#Banner[level="warn"] { border-color: #f1d48a; background: #fff8e6; }
QFrame#Banner[level="error"] { border-color: #f3b4ae; background: #fdeeed; }
QFrame#Banner[level="ok"] { border-color: #b5dfc0; background: #edf8f0; }
QLabel#BannerText { color: %(TEXT)s; }

QPushButton { padding: 5px 14px; border: 1px solid #c3ccd7; border-radius: 4px; background: #ffffff; min-height: 20px; }
QPushButton:hover { background: #f0f4f9; }
QPushButton:pressed { background: #e2e9f2; }
QPushButton:disabled { color: #a0a8b3; background: #f5f6f8; }
QPushButton:default, QPushButton[primary="true"] { background: %(PRIMARY)s; color: #ffffff; border-color: %(PRIMARY)s; }
QPushButton:default:hover, QPushButton[primary="true"]:hover { background: %(PRIMARY_DARK)s; }
QPushButton[primary="true"]:disabled { background: #9fb7dc; border-color: #9fb7dc; }
QPushButton[danger="true"] { color: %(ERROR)s; border-color: #e5a29b; }
QPushButton[danger="true"]:disabled { color: #c9a9a5; border-color: #e6dcdb; background: #f5f6f8; }
QPushButton#HeaderButton { padding: 4px 10px; }

QLineEdit, QComboBox, QDateEdit, QSpinBox, QDoubleSpinBox, QPlainTextEdit, QTextEdit {
    border: 1px solid #c3ccd7; border-radius: 4px; padding: 4px 6px; background: #ffffff; min-height: 20px;
    selection-background-color: %(PRIMARY)s;
}
QLineEdit:focus, QComboBox:focus, QDateEdit:focus, QSpinBox:focus, QDoubleSpinBox:focus { border-color: %(PRIMARY)s; }
QComboBox::drop-down, QDateEdit::drop-down { subcontrol-origin: padding; subcontrol-position: center right;
    width: 22px; border: none; }
QComboBox::down-arrow, QDateEdit::down-arrow { image: url(%(ICON_DOWN)s); width: 12px; height: 12px; }
QComboBox::down-arrow:disabled, QDateEdit::down-arrow:disabled { image: none; }
QSpinBox, QDoubleSpinBox { padding-right: 20px; }
QSpinBox::up-button, QDoubleSpinBox::up-button { subcontrol-origin: border; subcontrol-position: top right;
    width: 20px; border: none; border-left: 1px solid #e1e6ec; }
QSpinBox::down-button, QDoubleSpinBox::down-button { subcontrol-origin: border; subcontrol-position: bottom right;
    width: 20px; border: none; border-left: 1px solid #e1e6ec; }
QSpinBox::up-arrow, QDoubleSpinBox::up-arrow { image: url(%(ICON_UP)s); width: 10px; height: 10px; }
QSpinBox::down-arrow, QDoubleSpinBox::down-arrow { image: url(%(ICON_DOWN)s); width: 10px; height: 10px; }
QComboBox QAbstractItemView { border: 1px solid %(BORDER)s; selection-background-color: #d4e4fb;
    selection-color: %(TEXT)s; background: #ffffff; }
QLineEdit[invalid="true"] { border-color: %(ERROR)s; background: #fff6f5; }
QLineEdit:read-only { background: #f5f7fa; }
QLineEdit:disabled, QComboBox:disabled, QDateEdit:disabled, QSpinBox:disabled, QDoubleSpinBox:disabled,
QPlainTextEdit:disabled, QTextEdit:disabled, QPlainTextEdit:read-only, QTextEdit:read-only {
    color: #8a939e; background: #f2f4f7; border-color: #d9dee5;
}

QTableView, QTreeView, QListView#PlainList {
    background: #ffffff; border: 1px solid %(BORDER)s; gridline-color: #edf0f4;
    selection-background-color: #d4e4fb; selection-color: %(TEXT)s; alternate-background-color: #f8fafc;
}
QHeaderView::section { background: #f0f3f7; border: none; border-right: 1px solid #e1e6ec;
    border-bottom: 1px solid %(BORDER)s; padding: 5px 8px; font-weight: 600; color: #344054; }
QTabWidget::pane { border: 1px solid %(BORDER)s; background: #ffffff; border-radius: 4px; top: -1px; }
QTabBar::tab { padding: 7px 16px; border: 1px solid transparent; border-bottom: none; color: %(MUTED)s; }
QTabBar::tab:selected { background: #ffffff; border-color: %(BORDER)s; color: %(TEXT)s; font-weight: 600;
    border-top-left-radius: 4px; border-top-right-radius: 4px; }
QGroupBox { font-weight: 600; border: 1px solid %(BORDER)s; border-radius: 6px; margin-top: 12px; padding-top: 8px; background: #ffffff; }
QGroupBox::title { subcontrol-origin: margin; left: 10px; padding: 0 4px; }
QStatusBar { background: #ffffff; border-top: 1px solid %(BORDER)s; color: %(MUTED)s; }
QSplitter::handle { background: %(BORDER)s; }
QSplitter::handle:horizontal { width: 1px; }
QScrollArea { border: none; }
"""


def register_fonts() -> list[str]:
    """Register the bundled CJK fonts (they ship with jlexam, so Chinese renders on a bare PC).

    Returns the families to use in order: the bundled sans font, then the Extension B font for rare name
    characters such as 𠇔, then a system CJK font if one exists.
    """
    from jlexam.documents.fonts import FALLBACK, HEADING, QT_FAMILIES, font_files

    registered: set[str] = set()
    for path in font_files():
        font_id = QFontDatabase.addApplicationFont(str(Path(path)))
        if font_id >= 0:
            registered.update(QFontDatabase.applicationFontFamilies(font_id))
    families = [QT_FAMILIES[f] for f in (HEADING, FALLBACK) if QT_FAMILIES[f] in registered]
    available = set(QFontDatabase.families())
    families += [f for f in SYSTEM_CJK if f in available][:1]
    return families


def app_icon() -> QIcon:
    return QIcon(str(resource("icons", "jlexam.svg")))


def apply_style(app: QApplication) -> None:
    app.setStyle("Fusion")
    font = QFont(app.font())
    families = register_fonts()
    if families:
        font.setFamilies(families)  # setFamilies, not QFont(family): the fallback must be in the list
    font.setPointSizeF(10)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    app.setFont(font)
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor(PAGE_BG))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(TEXT))
    palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#f8fafc"))
    palette.setColor(QPalette.ColorRole.Text, QColor(TEXT))
    palette.setColor(QPalette.ColorRole.Button, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.ButtonText, QColor(TEXT))
    palette.setColor(QPalette.ColorRole.Highlight, QColor(PRIMARY))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor("#98a2b3"))
    palette.setColor(QPalette.ColorRole.ToolTipBase, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.ToolTipText, QColor(TEXT))
    app.setPalette(palette)
    values = {k: v for k, v in globals().items() if k.isupper() and isinstance(v, str)}
    values["ICON_DOWN"] = resource("icons", "chevron-down.svg").as_posix()
    values["ICON_UP"] = resource("icons", "chevron-up.svg").as_posix()
    app.setStyleSheet(_QSS % values)
    app.setWindowIcon(app_icon())


def repolish(widget) -> None:  # type: ignore[no-untyped-def]
    """Re-apply the style sheet after a dynamic property (``invalid``, ``level``) changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def high_dpi() -> None:
    """Called before the QApplication exists: crisp on 125 %/150 % Windows scaling."""
    from PySide6.QtCore import Qt

    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
