"""The children list: a lazy model over 100k children, filters and search, and the item-model
contract (issue 4: "the list with 100k generated rows staying responsive, and every item
model passing qtmodeltester")."""

from __future__ import annotations

from typing import Any

import pytest
from uihelpers import FORM, PASSWORD, bulk_children, submit

from surveyapp.ui.models.children import PAGE, ChildFilter, ChildrenTableModel
from surveyapp.ui.widgets.childlist import ChildListPage

N = 100_000


@pytest.fixture(scope="module")
def big_backend(tmp_path_factory: pytest.TempPathFactory, qapp: Any) -> Any:
    from surveyapp.core.store import Workspace
    from surveyapp.ui.backend import Backend

    path = tmp_path_factory.mktemp("big") / "county.sdb"
    ws = Workspace.create(
        path,
        role="county",
        org_code="522422",
        org_name="大方县",
        user="u",
        password=PASSWORD,
        work_factor=10,
    )
    bulk_children(ws, N)
    yield Backend(ws, lang="zh_CN", form_path=FORM)
    ws.close()


@pytest.mark.slow
def test_100k_children__open_at_once_and_scroll_lazily(qtbot: Any, big_backend: Any) -> None:
    page = ChildListPage(big_backend, big_backend.villages(), big_backend.village_name)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    model = page.model
    assert model.rowCount() == N
    assert "100000" in page.count_label.text()
    page.view.scrollToBottom()
    last = model.index(N - 1, 0).data()
    assert last
    assert model.cached_pages() <= 4  # the top, the bottom; never the whole list
    page.search.setText("王")
    page.apply_filter()
    found = model.rowCount()
    assert 0 < found < N
    assert all(str(model.index(r, 0).data()).startswith("王") for r in range(min(found, 50)))


@pytest.mark.slow
def test_100k_search_by_initials_and_id__filtered(qtbot: Any, big_backend: Any) -> None:
    model = ChildrenTableModel(big_backend)
    name = str(model.index(0, 0).data())
    from surveyapp.core.store.views import pinyin_of

    model.set_filter(ChildFilter(search=pinyin_of(name)[1]))
    assert 0 < model.rowCount() < N
    id_number = str(model.row_at(0).id_number)
    model.set_filter(ChildFilter(search=id_number[:14]))
    assert 1 <= model.rowCount() < 100
    model.set_filter(ChildFilter(risk="high", village="522422102201"))
    assert 0 < model.rowCount() < N / 4


def test_models__pass_qtmodeltester(qtmodeltester: Any, backend: Any) -> None:
    for i in range(PAGE + 5):  # more than one page
        submit(backend, child_name=f"张{i:03d}", risk_signs="abuse" if i % 50 == 0 else "none")
    model = ChildrenTableModel(backend, backend.village_name)
    assert model.rowCount() == PAGE + 5
    qtmodeltester.check(model, force_py=True)
    urgent = ChildrenTableModel(backend, backend.village_name)
    urgent.set_filter(ChildFilter(urgent=True))
    assert urgent.rowCount() == len(range(0, PAGE + 5, 50))
    qtmodeltester.check(urgent, force_py=True)


def test_filters__village_category_exited(qtbot: Any, backend: Any) -> None:
    submit(backend, child_name="李一")
    submit(backend, child_name="李二", village_code="522422102202")
    lb = submit(
        backend,
        child_name="王三",
        father_status="away_out_province",
        father_away_months=24,
        mother_status="away_in_province",
        mother_away_months=12,
        carer_type="grandparent",
    )
    page = ChildListPage(backend, backend.villages(), backend.village_name)
    qtbot.addWidget(page)
    assert page.model.rowCount() == 3
    page.village.setCurrentIndex(page.village.findData("522422102202"))
    assert page.model.rowCount() == 1
    page.village.setCurrentIndex(0)
    page.category.setCurrentIndex(page.category.findData("left_behind"))
    assert page.model.rowCount() == 1
    assert page.model.record_id(0) == lb
    with qtbot.waitSignal(page._debounce.timeout, timeout=2000):
        page.category.setCurrentIndex(0)
        page.search.setText("l")  # pinyin initials, after the debounce
    assert page.model.rowCount() == 2


class OffsetOnly:
    """The backend without keyset paging: the model falls back to OFFSET pages."""

    def __init__(self, backend: Any) -> None:
        self.count = backend.count
        self.fetch = backend.fetch


@pytest.mark.parametrize(
    "flt", [ChildFilter(), ChildFilter(exited=True), ChildFilter(search="王"),
            ChildFilter(village="522422102202")]
)
def test_keyset_pages__same_rows_as_offset_in_any_order(qtbot: Any, backend: Any,
                                                         flt: ChildFilter) -> None:
    """Jump to the last row, back to the top, into the middle and scroll up across pages:
    every row is the one OFFSET paging gives, across runs of equal names (3 names, 4
    villages: every page boundary falls inside a run of equal list keys)."""
    bulk_children(backend.ws, 10 * PAGE + 57, names="王李张")
    expected = [r.record_id for r in backend.fetch(flt, 0, 100_000)]
    n = len(expected)
    assert n == backend.count(flt) > PAGE
    model = ChildrenTableModel(backend)
    model.set_filter(flt)
    assert model.rowCount() == n
    jumps = [n - 1, 0, n // 2, n // 2 - 1, n // 2 + PAGE, n - PAGE - 1, PAGE * 3 + 7]
    order = [r % n for r in jumps] + list(range(n - 1, -1, -1))
    assert [model.record_id(r) for r in order] == [expected[r] for r in order]
    assert model.row_at(n) is None and model.row_at(-1) is None
    old = ChildrenTableModel(OffsetOnly(backend))
    old.set_filter(flt)
    assert [old.record_id(r) for r in order[:8]] == [expected[r] for r in order[:8]]


def test_keyset_jump_to_end__reads_one_page(qtbot: Any, backend: Any) -> None:
    bulk_children(backend.ws, 5 * PAGE + 3, names="王李")
    calls: list[tuple[Any, int, int, bool]] = []

    class Spy:
        count = backend.count
        fetch = backend.fetch
        list_key = backend.list_key

        def fetch_from(self, flt: Any, key: Any, limit: int, *, offset: int = 0,
                       backward: bool = False) -> list[Any]:
            calls.append((key, limit, offset, backward))
            return list(backend.fetch_from(flt, key, limit, offset=offset, backward=backward))

    model = ChildrenTableModel(Spy())
    last = model.row_at(5 * PAGE + 2)
    assert last is not None
    assert calls == [(None, 3, 0, True)]  # the last 3 rows, from the end, nothing skipped
    model.row_at(4 * PAGE + 5)  # the page before: backward from the cached page's first row
    assert calls[-1][1:] == (PAGE, 0, True)
    model.row_at(2 * PAGE)  # two pages up: from the nearest cached page, one page skipped
    assert calls[-1][1:] == (PAGE, PAGE, True)
