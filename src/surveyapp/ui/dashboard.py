"""The county dashboard: QtCharts views of the statistics (no logic; counting is in
``surveyapp.core.stats``).

``DashboardWidget(source=None)``: ``source`` is a ``Stats`` (shown at once) or an open
workspace (counted on ``refresh()``, which the widget calls once when first shown; a
county with many children should instead count on a worker with
``surveyapp.ops.ledger.workspace_stats(ws)`` and call ``set_stats``). Shows the key
figures, bars by township (留守 / 困境 / 强制报告), the category shares, risk levels by
township and the trend by screening round. Every figure counts persons, not entries; while
possible duplicates wait for review, a line says how many, with a link that emits
``duplicates_requested`` (the main window opens the 疑似重复 tab).

For a workspace, "统计截至" (Alt+D) picks the report's date (today by default): ages and the
age-bound categories are counted as of that date, as ``surveyapp stats --as-of`` does
(``ops.ledger.workspace_stats(ws, as_of=...)``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QPieSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QShowEvent
from PySide6.QtWidgets import (
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from surveyapp.core.stats import Stats

SERIES_COLOURS = ("#4F81BD", "#C0504D", "#9BBB59", "#8064A2", "#F79646")
RISK_COLOURS = {"high": "#C0504D", "medium": "#F79646", "low": "#9BBB59"}


def _chart(title: str) -> tuple[QChart, QChartView]:
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumSize(360, 260)
    return chart, view


def _axes(chart: QChart, series: Any, categories: list[str], top: int) -> None:
    x_axis = QBarCategoryAxis()
    x_axis.append(categories)
    y_axis = QValueAxis()
    y_axis.setRange(0, max(top, 1) * 1.1)
    y_axis.setLabelFormat("%d")
    y_axis.applyNiceNumbers()
    if y_axis.max() <= 4:
        # Whole numbers only: with small counts the nice ticks would read "0 0 1 1".
        y_axis.setRange(0, 4)
        y_axis.setTickCount(5)
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(x_axis)
    series.attachAxis(y_axis)


class DashboardWidget(QWidget):
    """Key figures and four charts of a ``Stats``."""

    duplicates_requested = Signal()

    def __init__(self, source: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboard")
        self._source = None if isinstance(source, Stats) else source
        self.stats: Stats | None = None
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.as_of = QDateEdit(QDate.currentDate())
        self.as_of.setObjectName("asOf")
        self.as_of.setDisplayFormat("yyyy-MM-dd")
        self.as_of.setCalendarPopup(True)
        self.as_of.setMinimumDate(QDate(2000, 1, 1))
        as_of_label = QLabel(self.tr("统计截至(&D)："))
        as_of_label.setBuddy(self.as_of)
        self.today_button = QPushButton(self.tr("今天(&T)"))
        self.today_button.setObjectName("asOfToday")
        self.today_button.clicked.connect(lambda: self.as_of.setDate(QDate.currentDate()))
        self.as_of_note = QLabel(self.tr("年龄及与年龄有关的类别按此日期计算。"))
        for widget in (as_of_label, self.as_of, self.today_button, self.as_of_note):
            bar.addWidget(widget)
        bar.addStretch(1)
        self.as_of_bar = QWidget()
        self.as_of_bar.setLayout(bar)
        self.as_of_bar.setVisible(self._source is not None)
        layout.addWidget(self.as_of_bar)
        # Counted again once the date has settled (half a second after the last change, or
        # at once on Enter), not at every digit typed: a county's count takes a moment.
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(500)
        self._settle.timeout.connect(self._date_changed)
        self.as_of.dateChanged.connect(lambda _d: self._settle.start())
        self.as_of.editingFinished.connect(self._date_changed)
        self._counted_for: QDate | None = None
        self.figures = QHBoxLayout()
        layout.addLayout(self.figures)
        self.duplicates_notice = QLabel()
        self.duplicates_notice.setObjectName("duplicatesNotice")
        self.duplicates_notice.setTextFormat(Qt.TextFormat.RichText)
        self.duplicates_notice.setStyleSheet(
            "background: #fff3c4; border: 1px solid #e0b400; padding: 6px;")
        self.duplicates_notice.linkActivated.connect(lambda _: self.duplicates_requested.emit())
        self.duplicates_notice.setVisible(False)
        layout.addWidget(self.duplicates_notice)
        grid = QGridLayout()
        layout.addLayout(grid, 1)
        self.township_chart, view1 = _chart(self.tr("各乡镇留守、困境与强制报告人数"))
        self.share_chart, view2 = _chart(self.tr("儿童类别构成"))
        self.risk_chart, view3 = _chart(self.tr("各乡镇风险等级"))
        self.trend_chart, view4 = _chart(self.tr("各轮排查趋势"))
        for index, view in enumerate((view1, view2, view3, view4)):
            grid.addWidget(view, index // 2, index % 2)
        self.views = (view1, view2, view3, view4)
        if isinstance(source, Stats):
            self.set_stats(source)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.stats is None and self._source is not None:
            self.refresh()

    def _date_changed(self) -> None:
        self._settle.stop()
        if self._source is not None and self.as_of.date() != self._counted_for:
            self.refresh()

    def report_date(self) -> dt.date:
        """The date the figures are counted as of (the picker's)."""
        d = self.as_of.date()
        return dt.date(d.year(), d.month(), d.day())

    def refresh(self) -> None:
        """Count the workspace's children again (in this thread), as of the picked date,
        and redraw."""
        if self._source is None:
            return
        self._counted_for = self.as_of.date()
        from dataclasses import replace

        from surveyapp.ops.ledger import workspace_labels, workspace_stats

        labels = workspace_labels(self._source)
        org = str(getattr(self._source, "org_code", "") or "")
        if len(org) > 6:
            # A township or a village counts its own villages only: the rest of the county
            # would show as "未报送" here, which is not its to send.
            key = labels.lists.get("village_code", "village")
            mine = {v: n for v, n in labels.choices.get(key, {}).items() if v.startswith(org)}
            labels = replace(labels, choices={**labels.choices, key: mine})
        self.set_stats(workspace_stats(self._source, labels=labels, as_of=self.report_date()))

    def set_stats(self, stats: Stats) -> None:
        """Show ``stats``."""
        self.stats = stats
        n = stats.possible_duplicates
        self.duplicates_notice.setVisible(n > 0)
        self.duplicates_notice.setText(
            self.tr("{0} 对疑似重复尚未审核：以上人数按儿童计，审核前同一儿童可能被计两次。"
                    "<a href='duplicates'>查看名单</a>").format(n))
        self._figures(stats)
        self._townships(stats)
        self._shares(stats)
        self._risk(stats)
        self._trend(stats)

    def _figures(self, stats: Stats) -> None:
        while self.figures.count():
            item = self.figures.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # not drawn at the corner until the event loop deletes it
                widget.deleteLater()
        cat = stats.table("category_by_township")
        cov = stats.table("coverage_by_township")
        gaps = stats.table("gaps_by_township")
        items = (
            (self.tr("在册儿童"), stats.children),
            (self.tr("留守儿童"), cat.column_total("left_behind")),
            (self.tr("困境儿童"), cat.column_total("in_difficulty")),
            (self.tr("强制报告"), cat.column_total("urgent")),
            (self.tr("未报送村"), cov.column_total("not_reported")),
            (self.tr("应保未保"), sum(gaps.column_total(k) for k, _ in gaps.columns)),
        )
        for label, value in items:
            box = QLabel(
                f"<div style='font-size:20pt; font-weight:bold'>{value}</div><div>{label}</div>"
            )
            box.setAlignment(Qt.AlignmentFlag.AlignCenter)
            box.setObjectName("figure")
            box.setStyleSheet(
                "QLabel#figure { border: 1px solid #BBB; border-radius: 4px;"
                " padding: 6px; background: #F7F9FC; }"
            )
            self.figures.addWidget(box)

    def _townships(self, stats: Stats) -> None:
        table = stats.table("category_by_township")
        chart = self.township_chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        series = QBarSeries()
        top = 0
        for colour, (key, label) in zip(
            SERIES_COLOURS,
            (
                ("left_behind", self.tr("留守儿童")),
                ("in_difficulty", self.tr("困境儿童")),
                ("urgent", self.tr("强制报告")),
            ),
            strict=False,
        ):
            bar = QBarSet(label)
            bar.setColor(QColor(colour))
            for row, _ in table.rows:
                bar.append(table.value(row, key))
                top = max(top, table.value(row, key))
            series.append(bar)
        chart.addSeries(series)
        _axes(chart, series, [label for _, label in table.rows], top)

    def _shares(self, stats: Stats) -> None:
        table = stats.table("category_by_township")
        lb, dk = table.column_total("left_behind"), table.column_total("in_difficulty")
        both = table.column_total("both")
        other = max(stats.children - lb - dk + both, 0)
        chart = self.share_chart
        chart.removeAllSeries()
        pie = QPieSeries()
        for colour, (label, value) in zip(
            SERIES_COLOURS,
            (
                (self.tr("仅留守"), lb - both),
                (self.tr("仅困境"), dk - both),
                (self.tr("既留守又困境"), both),
                (self.tr("其他儿童"), other),
            ),
            strict=False,
        ):
            part = pie.append(f"{label} {value}", value)
            part.setColor(QColor(colour))
        chart.addSeries(pie)

    def _risk(self, stats: Stats) -> None:
        table = stats.table("risk_by_township")
        chart = self.risk_chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        series = QStackedBarSeries()
        totals = [0] * len(table.rows)
        for key, label in table.columns:
            bar = QBarSet(label)
            bar.setColor(QColor(RISK_COLOURS.get(key, "#888888")))
            for index, (row, _) in enumerate(table.rows):
                bar.append(table.value(row, key))
                totals[index] += table.value(row, key)
            series.append(bar)
        chart.addSeries(series)
        _axes(chart, series, [label for _, label in table.rows], max(totals, default=0))

    def _trend(self, stats: Stats) -> None:
        table = stats.table("trend_by_round")
        chart = self.trend_chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        x_axis = QBarCategoryAxis()
        x_axis.append([label for _, label in table.rows] or [""])
        y_axis = QValueAxis()
        y_axis.setLabelFormat("%d")
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        top = 0
        for colour, (key, label) in zip(SERIES_COLOURS, table.columns, strict=False):
            line = QLineSeries()
            line.setName(label)
            pen = line.pen()
            pen.setColor(QColor(colour))
            pen.setWidth(2)
            line.setPen(pen)
            line.setPointsVisible(True)  # one round is one point, no line to see
            for index, (row, _) in enumerate(table.rows):
                line.append(index, table.value(row, key))
                top = max(top, table.value(row, key))
            chart.addSeries(line)
            line.attachAxis(x_axis)
            line.attachAxis(y_axis)
        y_axis.setRange(0, max(top, 1) * 1.1)
        y_axis.applyNiceNumbers()
