"""The read-only list tables of the review screens, set up one way."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView


def list_table(model: QAbstractItemModel, name: str = "", *, rows: bool = True,
               single: bool = True) -> QTableView:
    """A table over ``model``: columns sized to their contents with the last one stretching,
    no row numbers; ``rows`` selects whole rows, ``single`` one row at a time."""
    view = QTableView(objectName=name) if name else QTableView()
    view.setModel(model)
    if rows:
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single:
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    view.verticalHeader().hide()
    return view
