"""Keyset paging of the child list (``Workspace.query_children_from``, ``iter_children``):
the same rows in the same order as OFFSET paging, across runs of equal (village, name)
keys, at the last page, and walking back from the end."""

from __future__ import annotations

import uuid

import pytest
from store_helpers import answers

from surveyapp.core.store import ChildFilter, Revision, Workspace
from surveyapp.core.store.views import list_key

VILLAGES = ("522422102201", "522422102202")
NAMES = ("王芳", "李伟", "张小明")  # few names: long runs of equal (village, name)
N = 137


@pytest.fixture
def tied(raw_store: Workspace) -> Workspace:
    revs = []
    for i in range(N):
        data = answers(NAMES[i % 3], f"5224222010010{i:04d}X"[:18],
                       village_code=VILLAGES[i % 2])
        if i % 10 == 0:
            data["status"] = "exited"
            data["exit_reason"] = "moved_away"
        revs.append(Revision.make(kind="child", record_id=str(uuid.UUID(int=i * 7919 + 1)),
                                  author="wang", device_id="d", data=data))
    raw_store.insert_revisions(revs)
    return raw_store


def by_offset(ws: Workspace, flt: ChildFilter | None) -> list[str]:
    return [r.record_id for r in ws.query_children(flt, 0, 10_000)]


@pytest.mark.parametrize("flt", [None, ChildFilter(), ChildFilter(search="王"),
                                 ChildFilter(village_code=VILLAGES[1])])
@pytest.mark.parametrize("page", [1, 7, 10, 200])
def test_forward_pages__same_rows_as_offset_across_ties(tied: Workspace,
                                                        flt: ChildFilter | None,
                                                        page: int) -> None:
    expected = by_offset(tied, flt)
    assert len(expected) == tied.count_children(flt) > 0
    got: list[str] = []
    key = None
    while True:
        rows = tied.query_children_from(flt, key, page)
        got += [r.record_id for r in rows]
        if len(rows) < page:
            break
        key = list_key(rows[-1])
    assert got == expected
    assert [r.record_id for r in tied.iter_children(flt, page=page)] == expected


def test_last_page__from_the_end(tied: Workspace) -> None:
    expected = by_offset(tied, None)
    assert [r.record_id for r in tied.query_children_from(None, None, 10, backward=True)] \
        == expected[-10:]
    # a last page shorter than the page size, as the list model asks for it
    short = tied.query_children_from(None, None, N % 10, backward=True)
    assert [r.record_id for r in short] == expected[-(N % 10):]
    # skipping rows from the end
    rows = tied.query_children_from(None, None, 10, offset=25, backward=True)
    assert [r.record_id for r in rows] == expected[-35:-25]


def test_walking_back__pages_before_a_key_in_list_order(tied: Workspace) -> None:
    expected = by_offset(tied, ChildFilter())
    got: list[str] = []
    key = None
    while True:
        rows = tied.query_children_from(ChildFilter(), key, 9, backward=True)
        got = [r.record_id for r in rows] + got
        if len(rows) < 9:
            break
        key = list_key(rows[0])
    assert got == expected


def test_forward_then_back__the_same_page(tied: Workspace) -> None:
    expected = by_offset(tied, None)
    page3 = tied.query_children_from(None, list_key(tied.query_children(None, 29, 1)[0]), 10)
    assert [r.record_id for r in page3] == expected[30:40]
    back = tied.query_children_from(None, list_key(page3[0]), 10, backward=True)
    assert [r.record_id for r in back] == expected[20:30]
    skip = tied.query_children_from(None, list_key(page3[-1]), 10, offset=20)
    assert [r.record_id for r in skip] == expected[60:70]
    past_end = tied.query_children_from(None, list_key(tied.query_children(None, N - 1, 1)[0]),
                                        10)
    assert past_end == []
