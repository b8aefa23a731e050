"""A field the user may not change looks it: disabled inputs are greyed, not white like editable ones."""

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit


def _background(qtbot, widget) -> str:  # type: ignore[no-untyped-def]
    qtbot.addWidget(widget)
    widget.resize(160, 60)
    widget.show()
    qtbot.waitExposed(widget)
    image = widget.grab().toImage()
    return image.pixelColor(image.width() // 2, image.height() - 8).name()


def test_disabled_fields_are_greyed(qtbot):  # type: ignore[no-untyped-def]
    for make in (QLineEdit, QComboBox, QPlainTextEdit):
        editable, disabled = make(), make()
        disabled.setEnabled(False)
        assert _background(qtbot, editable) == "#ffffff", make.__name__
        assert _background(qtbot, disabled) == "#f2f4f7", make.__name__
