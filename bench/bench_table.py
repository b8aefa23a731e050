"""Budget check (DESIGN.md "Budgets"): a 50,000-row list opens in <= 1 s and filters in <= 100 ms per keystroke.

Runs offscreen through the application's own table (ui.tables.TableView: RowTableModel + RowFilterProxy):

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_table.py [--rows 50000]

"open" is from handing the rows to the table until the first screen of rows is painted; each keystroke is
from the key press until the filtered view is painted again. Exits 1 when a budget is exceeded.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from ui.tables import Column, TableView

OPEN_BUDGET_S = 1.0
KEY_BUDGET_MS = 100.0
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英"
OCCUPATIONS = ["电工", "焊工", "育婴员", "保育师", "中式烹调师", "西式面点师", "汽车维修工", "美容师", "茶艺师", "养老护理员"]
STATES = ["待审核", "审核通过", "审核不通过", "已编排", "已发准考证"]


@dataclass(frozen=True)
class Row:
    ticket: str
    name: str
    id_masked: str
    occupation: str
    level: int
    applied_on: date
    state: str
    phone_masked: str


def make_rows(n: int) -> list[Row]:
    start = date(2025, 3, 1)
    rows = []
    for i in range(n):
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)] + GIVEN[(i * 13) % len(GIVEN)]
        rows.append(Row(
            ticket=f"2205{i:08d}", name=name, id_masked=f"220102********{i % 10000:04d}",
            occupation=OCCUPATIONS[i % len(OCCUPATIONS)], level=5 - i % 5,
            applied_on=start + timedelta(days=i % 60), state=STATES[i % len(STATES)],
            phone_masked=f"139****{i % 10000:04d}",
        ))
    return rows


COLUMNS = [
    Column("准考证号", lambda r: r.ticket, width=130),
    Column("姓名", lambda r: r.name, width=90),
    Column("证件号码", lambda r: r.id_masked, width=170),
    Column("职业", lambda r: r.occupation, width=120),
    Column("等级", lambda r: r.level, width=60),
    Column("报名日期", lambda r: r.applied_on, width=100),
    Column("状态", lambda r: r.state, width=90),
    Column("手机号", lambda r: r.phone_masked),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    rows = make_rows(args.rows)
    table = TableView(COLUMNS)
    table.resize(1366, 700)
    table.show()
    app.processEvents()

    t0 = time.perf_counter()
    table.set_rows(rows)
    table.view.viewport().repaint()
    app.processEvents()
    open_s = time.perf_counter() - t0
    print(f"open {args.rows:,} rows: {open_s * 1000:.0f} ms (budget {OPEN_BUDGET_S * 1000:.0f} ms)")

    worst = 0.0
    for text in ["王", "王伟", "王伟芳", "电", "电工", "电工 2", "电工 22", "2205000", "220500012", "139****01"]:
        table.search.clear()
        app.processEvents()
        typed = ""
        for char in text:
            typed += char
            t0 = time.perf_counter()
            # a key press as a keyboard or an input method delivers it (QTest cannot type Chinese)
            QApplication.sendEvent(table.search, QKeyEvent(QEvent.Type.KeyPress, 0, Qt.KeyboardModifier.NoModifier, char))
            app.processEvents()
            table.view.viewport().repaint()
            elapsed = (time.perf_counter() - t0) * 1000
            worst = max(worst, elapsed)
            print(f"  filter {typed!r:14} -> {table.proxy.rowCount():6,} rows  {elapsed:6.1f} ms")
    t0 = time.perf_counter()
    table.search.clear()
    app.processEvents()
    table.proxy.sort(1, Qt.SortOrder.DescendingOrder)
    table.view.viewport().repaint()
    app.processEvents()
    print(f"sort by name (all rows): {(time.perf_counter() - t0) * 1000:.0f} ms")
    print(f"worst keystroke: {worst:.1f} ms (budget {KEY_BUDGET_MS:.0f} ms)")
    ok = open_s <= OPEN_BUDGET_S and worst <= KEY_BUDGET_MS
    print("OK" if ok else "OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
