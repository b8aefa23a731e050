"""Replaces PyInstaller's own hook for PySide6.QtGui (installer/jlexam.spec puts this folder first).

The same collection, less two plugins the program does not need and whose dependencies are large or fragile:
- the Qt Virtual Keyboard input context, which pulls in QtQuick and QtQml (about 17 MB) for an on-screen
  keyboard an exam office PC does not use (ibus, fcitx and compose input contexts stay, for typing Chinese);
- the GTK 3 platform theme, which would bundle cairo, pango and friends beside the desktop's own GTK (a known
  source of crashes when the two differ); the xdg-desktop-portal theme stays, and Qt's own dialogs are used.
"""

from pathlib import Path

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

DROPPED = ("qtvirtualkeyboardplugin", "qgtk3")

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(src, dest) for src, dest in binaries if not any(name in Path(src).stem for name in DROPPED)]
