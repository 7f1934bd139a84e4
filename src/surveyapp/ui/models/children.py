"""The lazy children table: a ``QAbstractTableModel`` over ``ws.query_children``.

``rowCount`` is ``ws.count_children(filter)``; rows are fetched a page at a time when the
view first asks for them and kept in a small LRU page cache, so 100k children open at once
and scrolling to the end reads one page. ``set_filter`` resets the model.

Pages are fetched by keyset (``KeysetSource``) from the nearest known row: the first, the
last, or the first/last row of a cached page, so jumping to the end of 100k children reads
one page from the end instead of counting through all the rows before it (OFFSET).

Public API::

    model = ChildrenTableModel(source, labels)   # source: ChildSource (below)
    model.set_filter(ChildFilter(search="zs", urgent=True))
    model.row_at(i) -> row object (a store ChildRow)
    model.record_id(i) -> str
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

PAGE = 100  # rows per fetch: four screenfuls; a page of 200 costs twice as long
MAX_PAGES = 64
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class ChildFilter:
    """What the list shows; empty/None means "any"."""

    search: str = ""
    village: str = ""
    category: str = ""  # left_behind, in_difficulty, orphan, unsupported
    risk: str = ""  # high, medium, low
    urgent: bool = False
    follow_up_due: bool = False
    exited: bool = False  # True: show exited children too
    extra: dict[str, Any] = field(default_factory=dict)

    def with_(self, **changes: Any) -> ChildFilter:
        return replace(self, **changes)


class ChildSource(Protocol):
    def count(self, flt: ChildFilter) -> int: ...
    def fetch(self, flt: ChildFilter, offset: int, limit: int) -> list[Any]: ...


class KeysetSource(ChildSource, Protocol):
    """A source that can also page from a known row (keyset paging): the model uses it
    when the source has these methods, else ``fetch`` with an offset."""

    def list_key(self, row: Any) -> Any: ...
    def fetch_from(
        self, flt: ChildFilter, key: Any, limit: int, *, offset: int = 0, backward: bool = False
    ) -> list[Any]: ...


def field_of(row: Any, name: str, default: Any = "") -> Any:
    """A field of a store row (dataclass or mapping)."""
    if isinstance(row, Mapping):
        value = row.get(name, default)
    else:
        value = getattr(row, name, default)
    return default if value is None else value


def category_text(row: Any) -> str:
    """A short Chinese/English category summary from the row's flags."""
    parts = []
    if field_of(row, "is_left_behind") == "yes":
        parts.append(QCoreApplication.translate("ChildrenTableModel", "留守"))
    if field_of(row, "is_orphan") == "yes":
        parts.append(QCoreApplication.translate("ChildrenTableModel", "孤儿"))
    if field_of(row, "is_unsupported") == "yes":
        parts.append(QCoreApplication.translate("ChildrenTableModel", "事实无人抚养"))
    if field_of(row, "is_in_difficulty") == "yes":
        parts.append(QCoreApplication.translate("ChildrenTableModel", "困境"))
    sep = QCoreApplication.translate("ChildrenTableModel", "、")
    return sep.join(parts) if parts else QCoreApplication.translate("ChildrenTableModel", "一般")


def risk_text(risk: str) -> str:
    return {
        "high": QCoreApplication.translate("ChildrenTableModel", "高"),
        "medium": QCoreApplication.translate("ChildrenTableModel", "中"),
        "low": QCoreApplication.translate("ChildrenTableModel", "低"),
    }.get(risk, risk)


def status_text(status: str) -> str:
    if status in ("", "active", "open"):
        return QCoreApplication.translate("ChildrenTableModel", "在册")
    return QCoreApplication.translate("ChildrenTableModel", "已退出")


RISK_COLORS = {"high": "#fde2e1", "medium": "#fff4d6"}


class ChildrenTableModel(QAbstractTableModel):
    """Columns: name, sex, birth date, ID number, village, category, risk, urgent, status,
    last visit, follow-up due."""

    COLUMNS = (
        "child_name",
        "sex",
        "birth_date",
        "id_number",
        "village_code",
        "category",
        "risk_level",
        "urgent_report",
        "status",
        "last_visit_date",
        "follow_up_due",
    )

    def __init__(
        self,
        source: ChildSource,
        village_names: Callable[[str], str] | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._village_names = village_names or (lambda code: code)
        self._filter = ChildFilter()
        self._today = dt.date.today().isoformat()
        self._count = source.count(self._filter)
        self._pages: OrderedDict[int, list[Any]] = OrderedDict()
        self.headers = (
            QCoreApplication.translate("ChildrenTableModel", "姓名"),
            QCoreApplication.translate("ChildrenTableModel", "性别"),
            QCoreApplication.translate("ChildrenTableModel", "出生日期"),
            QCoreApplication.translate("ChildrenTableModel", "身份证号"),
            QCoreApplication.translate("ChildrenTableModel", "村（居）"),
            QCoreApplication.translate("ChildrenTableModel", "类别"),
            QCoreApplication.translate("ChildrenTableModel", "风险"),
            QCoreApplication.translate("ChildrenTableModel", "强制报告"),
            QCoreApplication.translate("ChildrenTableModel", "状态"),
            QCoreApplication.translate("ChildrenTableModel", "最近走访"),
            QCoreApplication.translate("ChildrenTableModel", "下次走访"),
        )

    @property
    def filter(self) -> ChildFilter:
        return self._filter

    def set_filter(self, flt: ChildFilter) -> None:
        self.beginResetModel()
        self._filter = flt
        self._pages.clear()
        self._count = self._source.count(flt)
        self.endResetModel()

    def refresh(self) -> None:
        self.set_filter(self._filter)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.headers):
            return self.headers[section]
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return None

    def row_at(self, row: int) -> Any:
        """The store row at ``row`` (fetching its page if needed), or None past the end."""
        if not 0 <= row < self._count:
            return None
        page_no = row // PAGE
        page = self._pages.get(page_no)
        if page is None:
            page = self._load(page_no)
            self._pages[page_no] = page
            if len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        offset = row - page_no * PAGE
        return page[offset] if offset < len(page) else None

    def _load(self, page_no: int) -> list[Any]:
        """Fetch one page from the nearest known place: the first row, the last row, or a
        cached page's first or last row (keyset paging), so that jumping to the end or
        scrolling from a cached page never counts through the rows before it."""
        start = page_no * PAGE
        end = min(self._count, start + PAGE)
        if not hasattr(self._source, "fetch_from"):
            return self._source.fetch(self._filter, start, PAGE)
        source = cast(KeysetSource, self._source)
        # (rows skipped, anchor key, backward); key None is the first / last row
        best: tuple[int, Any, bool] = (start, None, False)
        if self._count - end < best[0]:
            best = (self._count - end, None, True)
        for q, cached in self._pages.items():
            if not cached:
                continue
            if q < page_no and len(cached) == PAGE:
                skip = start - (q + 1) * PAGE
                if skip < best[0]:
                    best = (skip, source.list_key(cached[-1]), False)
            elif q > page_no:
                skip = q * PAGE - end
                if 0 <= skip < best[0]:
                    best = (skip, source.list_key(cached[0]), True)
        skip, key, backward = best
        if key is None and not backward:
            return source.fetch(self._filter, start, PAGE)
        return list(
            source.fetch_from(
                self._filter, key, max(end - start, 0) if backward else PAGE,
                offset=skip, backward=backward,
            )
        )

    def cached_pages(self) -> int:
        """How many pages are held (the model never loads the whole list)."""
        return len(self._pages)

    def record_id(self, row: int) -> str:
        return str(field_of(self.row_at(row), "record_id"))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.column() < len(self.COLUMNS):
            return None
        item = self.row_at(index.row())
        if item is None:
            return None
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, column)
        if role == Qt.ItemDataRole.BackgroundRole:
            color = RISK_COLORS.get(str(field_of(item, "risk_level")))
            return QBrush(QColor(color)) if color else None
        if role == Qt.ItemDataRole.ForegroundRole and column == "urgent_report":
            return QBrush(QColor("#b00020")) if field_of(item, "urgent_report") == "yes" else None
        if role == Qt.ItemDataRole.ForegroundRole and column == "follow_up_due":
            due = str(field_of(item, "follow_up_due"))
            overdue = due and due < self._today and field_of(item, "status") in ("", "active")
            return QBrush(QColor("#b00020")) if overdue else None
        if role == Qt.ItemDataRole.ToolTipRole and field_of(item, "conflict"):
            return QCoreApplication.translate(
                "ChildrenTableModel", "此档案有冲突的修改，待乡镇审核"
            )
        if role == Qt.ItemDataRole.UserRole:
            return str(field_of(item, "record_id"))
        return None

    def _display(self, item: Any, column: str) -> str:
        if column == "child_name":
            name = str(field_of(item, "child_name") or field_of(item, "name"))
            return name + (" ⚠" if field_of(item, "conflict") else "")
        if column == "sex":
            return {
                "male": QCoreApplication.translate("ChildrenTableModel", "男"),
                "female": QCoreApplication.translate("ChildrenTableModel", "女"),
            }.get(str(field_of(item, "sex")), "")
        if column == "village_code":
            return self._village_names(str(field_of(item, "village_code")))
        if column == "category":
            return category_text(item)
        if column == "risk_level":
            return risk_text(str(field_of(item, "risk_level")))
        if column == "urgent_report":
            return (
                QCoreApplication.translate("ChildrenTableModel", "是")
                if field_of(item, "urgent_report") == "yes"
                else ""
            )
        if column == "status":
            return status_text(str(field_of(item, "status")))
        if column == "follow_up_due":
            return str(field_of(item, "follow_up_due") or field_of(item, "follow_up_date"))
        return str(field_of(item, column))
