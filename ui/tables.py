"""Large tables: one generic row model, a proxy that sorts and filters, and a view with a search field.

``RowTableModel`` shows a list of plain objects (dataclasses) through ``Column`` descriptions. It computes
each row's display texts and one lower-case search text once, when the rows are set, so that

* filtering (``RowFilterProxy.set_filter_text``) is one substring test per row — well under 100 ms per
  keystroke for 50,000 rows — and
* sorting is a Python sort of the rows by a precomputed key, done by the source model when the header is
  clicked (QSortFilterProxyModel's own sort would call back into Python for every comparison).

``bench/bench_table.py`` measures both.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStackedLayout,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jlexam.domain.china_time import china_time
from ui.widgets import empty_state

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        # Beijing time everywhere, whatever the PC's own time zone (the records are China's)
        return china_time(value).strftime("%Y-%m-%d %H:%M:%S") if value.tzinfo else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool):
        return "✔" if value else ""
    return str(value)


def _sort_value(value: Any) -> Any:
    # Sort keys of one column must compare with each other: numbers stay numbers, everything else is text.
    if value is None:
        return (0, "")
    if isinstance(value, bool | int | float):
        return (1, value)
    if isinstance(value, datetime | date):
        return (1, value.isoformat())
    return (1, str(value))


@dataclass(frozen=True)
class Column:
    """One column: a title, how to get the value from a row, and optional formatting."""

    title: str
    value: Callable[[Any], Any]
    format: Callable[[Any], str] | None = None
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    width: int | None = None
    color: Callable[[Any], str | None] | None = None  # text colour per row, e.g. for a state


class RowTableModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[Column], rows: Sequence[Any] = (), parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[Any] = []
        self._texts: list[tuple[str, ...]] = []
        self.haystack: list[str] = []  # one lower-case search text per row, in the model's current order
        if rows:
            self.set_rows(rows)

    # --- content ------------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        cols = self.columns
        self._rows = list(rows)
        texts = []
        for row in self._rows:
            values = [c.value(row) for c in cols]
            texts.append(tuple((c.format(v) if c.format else _text(v)) for c, v in zip(cols, values, strict=True)))
        self._texts = texts
        self.haystack[:] = ["\t".join(t).casefold() for t in texts]
        self.endResetModel()

    def row(self, source_row: int) -> Any:
        return self._rows[source_row]

    def rows(self) -> list[Any]:
        return list(self._rows)

    # --- Qt model API -------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole or role == Qt.ItemDataRole.ToolTipRole:
            return self._texts[r][c]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(self.columns[c].align)
        if role == Qt.ItemDataRole.ForegroundRole and self.columns[c].color is not None:
            colour = self.columns[c].color(self._rows[r])
            return QColor(colour) if colour else None
        if role == SORT_ROLE:
            return _sort_value(self.columns[c].value(self._rows[r]))
        if role == ROW_ROLE:
            return self._rows[r]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].title
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Vertical:
            return section + 1
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        getter = self.columns[column].value
        self.layoutAboutToBeChanged.emit()
        old_persistent = self.persistentIndexList()
        old_rows = [self._rows[i.row()] for i in old_persistent]
        keys = [_sort_value(getter(r)) for r in self._rows]
        order_idx = sorted(range(len(self._rows)), key=keys.__getitem__,
                           reverse=order == Qt.SortOrder.DescendingOrder)
        self._rows = [self._rows[i] for i in order_idx]
        self._texts = [self._texts[i] for i in order_idx]
        self.haystack[:] = [self.haystack[i] for i in order_idx]
        if old_persistent:
            position = {id(r): i for i, r in enumerate(self._rows)}
            self.changePersistentIndexList(
                old_persistent,
                [self.index(position[id(r)], i.column()) for r, i in zip(old_rows, old_persistent, strict=True)],
            )
        self.layoutChanged.emit()


class RowFilterProxy(QSortFilterProxyModel):
    """Filters by words (all must occur, any column, case-insensitive); sorting is delegated to the source."""

    def __init__(self, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self._terms: tuple[str, ...] = ()
        self._hay: list[str] = []
        self.setDynamicSortFilter(False)

    def setSourceModel(self, model) -> None:  # type: ignore[no-untyped-def]
        super().setSourceModel(model)
        self._hay = model.haystack if isinstance(model, RowTableModel) else []

    def set_filter_text(self, text: str) -> None:
        terms = tuple(t for t in text.casefold().split() if t)
        if terms == self._terms:
            return
        self.beginFilterChange()
        self._terms = terms
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        terms = self._terms
        if not terms:
            return True
        hay = self._hay[source_row]
        for term in terms:  # noqa: SIM110 (a plain loop is faster than all() here)
            if term not in hay:
                return False
        return True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)

    def source_row_object(self, proxy_index: QModelIndex) -> Any:
        return self.sourceModel().row(self.mapToSource(proxy_index).row())


class TableView(QWidget):
    """A table with a search field above it, a row count and an empty state; Ctrl+F focuses the search."""

    activated_row = Signal(object)
    selection_changed = Signal()

    def __init__(self, columns: Sequence[Column], *, empty_text: str = "", search: bool = True,
                 placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RowTableModel(columns, parent=self)
        self.proxy = RowFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicatorShown(True)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.horizontalHeader().setHighlightSections(False)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(30)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.setWordWrap(False)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setTabKeyNavigation(False)
        for i, column in enumerate(columns):
            if column.width:
                self.view.setColumnWidth(i, column.width)
        self.view.doubleClicked.connect(lambda idx: self.activated_row.emit(self.proxy.source_row_object(idx)))
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.selection_changed.emit())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("TableSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(placeholder or QCoreApplication.translate("Tables", "输入关键字筛选（Ctrl+F）"))
        self.search.textChanged.connect(self._on_search)
        self.count = QLabel()
        self.count.setObjectName("Hint")
        bar.addWidget(self.search, 1)
        bar.addWidget(self.count)
        self.search_bar = QWidget()
        self.search_bar.setLayout(bar)
        bar.setContentsMargins(0, 0, 0, 0)
        self.search_bar.setVisible(search)
        layout.addWidget(self.search_bar)
        self.stack = QStackedLayout()
        self.empty = empty_state(empty_text or QCoreApplication.translate("Tables", "暂无数据"))
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty)
        layout.addLayout(self.stack, 1)
        shortcut = QShortcut(QKeySequence.StandardKey.Find, self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(lambda: (self.search.setFocus(), self.search.selectAll()))
        self._pending = ""
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(0)
        self._debounce.timeout.connect(self._apply_filter)
        self._update_count()

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.model.set_rows(rows)
        header = self.view.horizontalHeader()
        if header.sortIndicatorSection() >= 0:
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self._update_count()

    def set_empty_text(self, text: str) -> None:
        self.empty.setText(text)

    def _on_search(self, text: str) -> None:
        self._pending = text
        self._debounce.start()

    def _apply_filter(self) -> None:
        self.proxy.set_filter_text(self._pending)
        self._update_count()

    def _update_count(self) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        if total and shown != total:
            self.count.setText(QCoreApplication.translate("Tables", "显示 %1 / 共 %2 条")
                               .replace("%1", f"{shown:,}").replace("%2", f"{total:,}"))
        elif total == 1:  # English says "1 row", not "1 rows"
            self.count.setText(QCoreApplication.translate("Tables", "共 1 条"))
        else:
            self.count.setText(QCoreApplication.translate("Tables", "共 %1 条").replace("%1", f"{total:,}"))
        self.stack.setCurrentIndex(0 if total else 1)

    def selected_rows(self) -> list[Any]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [self.proxy.source_row_object(self.proxy.index(r, 0)) for r in rows]

    def current_row(self) -> Any | None:
        selected = self.selected_rows()
        return selected[0] if selected else None
