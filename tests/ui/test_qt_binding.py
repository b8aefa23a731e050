"""The Qt binding in use keeps Python's reference counts straight where the window relies on it.

PySide6 6.12.0 drops a reference to ``True`` each time a signal reaches a Python slot. On Python 3.11 the
count of ``True`` is finite, so after a working day of clicks the interpreter aborts while the window closes
("Fatal Python error: bool_dealloc"). pyproject.toml keeps the binding below 6.12 for that reason; this test
fails on any version with the fault.
"""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QObject, Signal


class _Sender(QObject):
    fired = Signal(str)


class _Receiver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.seen = 0

    def take(self, _key: str) -> None:
        self.seen += 1


def _counts() -> tuple[int, int, int]:
    gc.collect()
    return sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None)


def test_signals_to_python_slots_keep_reference_counts(qapp) -> None:
    sender, receiver = _Sender(), _Receiver()
    sender.fired.connect(receiver.take)
    sender.fired.connect(lambda _key: None)
    before = _counts()
    for _ in range(500):
        sender.fired.emit("archive")
    after = _counts()
    assert receiver.seen == 500
    drift = [a - b for a, b in zip(after, before, strict=True)]
    assert all(abs(d) < 50 for d in drift), f"True/False/None reference counts drifted by {drift}"
