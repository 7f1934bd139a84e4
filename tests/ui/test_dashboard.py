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


def test_dashboard_as_of__ages_and_categories_counted_as_of_the_picked_date(
        qtbot, tmp_path, monkeypatch, capsys):
    """Four disabled left-behind children visited 2026-07-01, born so that on 2027-07-01
    one is 15, one 16, one 17 and one 18 (tests/e2e/test_ageing.py works them out by hand):
    on 2026-07-01 two are 留守 (under 16) and four 困境 (under 18); on 2027-07-01 one and
    three. The dashboard's date picker (Alt+D, Enter) counts as of the date it shows."""
    import datetime as dt
    import json

    from PySide6.QtCore import QDate, Qt
    from PySide6.QtWidgets import QApplication

    from ageworld import BORN, VILLAGE, answers
    from surveyapp.cli.main import main
    from surveyapp.core.store import Workspace

    village = VILLAGE
    monkeypatch.setenv("SURVEYAPP_PASSWORD", "ageing-pass-1")
    path = tmp_path / "v.sdb"
    Workspace.create(path, role="village", org_code=village, org_name="测试村", user="wang",
                     password="ageing-pass-1", work_factor=10).close()  # noqa: S106
    for name, birth in BORN.items():
        data = answers(name, birth)
        file = tmp_path / f"{name}.json"
        file.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
        assert main(["children", "visit", str(path), "--user", "wang", "--answers", str(file),
                     "--json"]) == 0
    capsys.readouterr()

    def counted():
        table = widget.stats.table("category_by_township")
        return (widget.stats.children, table.column_total("left_behind"),
                table.column_total("in_difficulty"))

    with Workspace.open(path, "wang", "ageing-pass-1") as ws:
        widget = DashboardWidget(ws)
        qtbot.addWidget(widget)
        widget.show()
        widget.activateWindow()
        qtbot.waitUntil(widget.isActiveWindow)
        assert widget.as_of_bar.isVisible()
        assert widget.report_date() == dt.date.today()
        for day, expected in (("2026-07-01", (4, 2, 4)), ("2027-07-01", (4, 1, 3))):
            qtbot.keyClick(QApplication.focusWidget() or widget, Qt.Key.Key_D,
                           Qt.KeyboardModifier.AltModifier)
            assert QApplication.focusWidget() is widget.as_of
            widget.as_of.setDate(QDate.fromString(day, "yyyy-MM-dd"))
            qtbot.keyClick(widget.as_of, Qt.Key.Key_Return)
            qtbot.waitUntil(lambda d=day: str(widget.report_date()) == d
                            and widget._counted_for == widget.as_of.date())
            assert counted() == expected, day


def test_dashboard_of_given_stats__no_date_picker(qtbot):
    widget = DashboardWidget(_stats())
    qtbot.addWidget(widget)
    widget.show()
    assert not widget.as_of_bar.isVisible()
