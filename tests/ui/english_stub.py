"""An English translator for window strings that jlexam_en.ts does not hold yet (the lead translates new strings
after a change): installed over the real English one, it answers only the strings it knows."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

from ui import i18n


class StubTranslator(QTranslator):
    def __init__(self, table: dict[tuple[str, str], str]) -> None:
        super().__init__()
        self.table = table

    def translate(self, context, source, disambiguation=None, n=-1):  # type: ignore[no-untyped-def, override]
        return self.table.get((context, source))  # None: ask the next translator

    def isEmpty(self) -> bool:  # type: ignore[override]
        return False


def install_english(table: dict[tuple[str, str], str]) -> StubTranslator:
    """The real English translation, with ``table`` over it; undo with ``remove``."""
    i18n.install("en")
    stub = StubTranslator(table)
    QCoreApplication.installTranslator(stub)
    return stub


def remove(stub: StubTranslator) -> None:
    QCoreApplication.removeTranslator(stub)
    i18n.install("zh_CN")
