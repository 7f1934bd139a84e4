"""The QtCharts dashboard shows the statistics it is given."""

from datetime import datetime
from pathlib import Path

from PySide6.QtCharts import QBarSeries, QLineSeries, QPieSeries, QStackedBarSeries

from surveyapp.core.ledger import FormLabels
from surveyapp.core.ledger.sample import sample_rows
from surveyapp.core.stats import compute_stats
from surveyapp.ui.dashboard import DashboardWidget

FORM = Path(__file__).resolve().parents[2] / "forms" / "child_screening.xlsx"


def _stats():
    labels = FormLabels.from_form(FORM)
    return compute_stats(
        sample_rows(300, seed=8),
        labels=labels,
        county_name="大方县",
        now=datetime(2026, 11, 23, 9, 0),
    )


def test_dashboard__charts_match_stats(qtbot):
    stats = _stats()
    widget = DashboardWidget(stats)
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    bars = widget.township_chart.series()[0]
    assert isinstance(bars, QBarSeries)
    table = stats.table("category_by_township")
    left = bars.barSets()[0]
    assert [left.at(i) for i in range(left.count())] == [
        table.value(r, "left_behind") for r, _ in table.rows
    ]
    pie = widget.share_chart.series()[0]
    assert isinstance(pie, QPieSeries)
    assert int(pie.sum()) == stats.children
    assert isinstance(widget.risk_chart.series()[0], QStackedBarSeries)
    lines = widget.trend_chart.series()
    assert all(isinstance(s, QLineSeries) for s in lines)
    assert lines[0].count() == len(stats.table("trend_by_round").rows)
    assert str(stats.children) in widget.figures.itemAt(0).widget().text()


def test_dashboard_set_stats__replaces_series(qtbot):
    widget = DashboardWidget()
    qtbot.addWidget(widget)
    stats = _stats()
    widget.set_stats(stats)
    widget.set_stats(stats)
    assert len(widget.township_chart.series()) == 1
    assert widget.figures.count() == 6


def test_dashboard_from_workspace__counts_on_show(qtbot, tmp_path):
    from surveyapp.core.store import Workspace

    rows = list(sample_rows(12, seed=3))
    with Workspace.create(tmp_path / "w.sdb", role="county", org_code="522422",
                          org_name="大方县", user="wang", password="county-pass-1",  # noqa: S106 - a test password
                          work_factor=10) as ws:
        for row in rows:
            ws.save_visit(None, {k: v for k, v in row.items() if k != "status"},
                          form_id="child_screening", form_version="2026.1")
        widget = DashboardWidget(ws)
        qtbot.addWidget(widget)
        widget.show()
        assert widget.stats is not None
        assert widget.stats.children + widget.stats.exited == len(rows)
