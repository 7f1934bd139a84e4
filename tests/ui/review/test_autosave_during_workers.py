"""Issue #18: the form's autosave on the GUI thread while a worker runs an import preview,
a batch export, a ledger export or a review load. The worker is held in the middle of its
work (inside the preview's trial import; with a read cursor open for the others) while the
autosave timer fires; afterwards the draft is in the store.

Before one connection per thread, the preview's draft was saved as a savepoint inside the
preview's transaction and rolled back with it ("草稿已自动保存", and nothing saved)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from reviewworld import V1, child, enrolled_tiers
from uihelpers import type_text

from surveyapp.ops import batches, importplan, ledger, review
from surveyapp.ui.backend import Backend
from surveyapp.ui.formview.view import FormView

FORM = Path(__file__).resolve().parents[3] / "forms" / "child_screening.xlsx"
SAVE = {"form_id": "child_screening", "form_version": "1"}


class Gate:
    """Holds the first worker-thread call that reaches :meth:`hold` until :attr:`go`."""

    def __init__(self) -> None:
        self.gui = threading.get_ident()
        self.started = threading.Event()
        self.go = threading.Event()

    def hold(self) -> None:
        if threading.get_ident() != self.gui and not self.started.is_set():
            self.started.set()
            assert self.go.wait(30)

    def after(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            out = fn(*args, **kwargs)
            self.hold()
            return out
        return wrapped

    def inside(self, gen: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
        def wrapped(*args: Any, **kwargs: Any) -> Iterator[Any]:
            for i, item in enumerate(gen(*args, **kwargs)):
                yield item
                if i == 0:
                    self.hold()
        return wrapped


@pytest.fixture
def tiers(tmp_path: Path) -> Any:
    county, town, v1, v2 = enrolled_tiers(tmp_path)
    yield county, town, v1, v2
    for ws in (county, town, v1, v2):
        ws.close()


def _form(qtbot: Any, ws: Any) -> FormView:
    view = FormView(Backend(ws, lang="zh_CN", form_path=FORM))
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    qtbot.waitExposed(view)
    view._autosave.setInterval(20)
    return view


def _type_and_autosave_while_held(qtbot: Any, view: FormView, gate: Gate,
                                  start_job: Callable[[], None],
                                  done: Callable[[], bool]) -> None:
    """Start the job; once the worker is held, type into the form and let the autosave
    timer fire, then let the worker go on. Driven by a GUI timer, because a job behind
    ``run_with_progress`` runs in that function's own event loop."""
    steps: list[str] = []
    editor = view.rows["child_name"].editor

    def step() -> None:
        if not steps and gate.started.is_set():
            type_text(qtbot, editor, "张小明")  # typed through the input method
            assert view.dirty and view.answers["child_name"] == "张小明"
            steps.append("typed")
        elif steps == ["typed"] and not view.dirty:  # the autosave timer fired
            steps.append(view.state.text())
            gate.go.set()

    ticker = QTimer()
    ticker.setInterval(10)
    ticker.timeout.connect(step)
    ticker.start()
    QTimer.singleShot(0, start_job)
    qtbot.waitUntil(lambda: gate.go.is_set() and done(), timeout=60_000)
    ticker.stop()
    assert "草稿已自动保存" in steps[1]
    draft = view.backend.load_draft(view.draft_key)
    assert draft is not None and draft["answers"]["child_name"] == "张小明"
    # and from another connection (committed, not only visible inside a transaction)
    seen: list[Any] = []
    t = threading.Thread(target=lambda: seen.append(
        [d.key for d in view.backend.ws.load_drafts()]))
    t.start()
    t.join(30)
    assert seen == [[view.draft_key]]


def test_autosave_during_import_preview__draft_kept(app: Any, qtbot: Any, tiers: Any,
                                                     tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from surveyapp.ui.review.imports import ImportDialog

    _county, town, v1, _v2 = tiers
    folder = tmp_path / "usb"
    folder.mkdir()
    v1.save_visit(None, child(), **SAVE)
    batches.export_batch(v1, folder)
    gate = Gate()
    monkeypatch.setattr(importplan, "_classify", gate.after(importplan._classify))
    view = _form(qtbot, town)
    dialog = ImportDialog(town, (folder,))
    qtbot.addWidget(dialog)
    _type_and_autosave_while_held(qtbot, view, gate, dialog.start_dry_run,
                                  lambda: dialog.report is not None and not dialog.busy())
    assert [c.child_name for c in dialog.report.new] == ["张小明"]
    assert town.count_children() == 0  # the preview imported nothing


def test_autosave_during_batch_export__draft_kept(app: Any, qtbot: Any, tiers: Any,
                                                  tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from surveyapp.core.store import Workspace
    from surveyapp.ui.workers import run_with_progress

    v1 = tiers[2]
    for name in ("张一", "张二"):
        v1.save_visit(None, child(name=name), **SAVE)
    gate = Gate()
    monkeypatch.setattr(Workspace, "iter_revisions", gate.inside(Workspace.iter_revisions))
    view = _form(qtbot, v1)
    out: list[Any] = []
    _type_and_autosave_while_held(
        qtbot, view, gate,
        lambda: out.append(run_with_progress(view, "export", lambda p, c: batches.export_batch(
            v1, tmp_path, progress=p, cancel=c))),
        lambda: bool(out))
    assert out[0].revisions >= 2 and out[0].path.exists()


def test_autosave_during_ledger_export__draft_kept(app: Any, qtbot: Any, tiers: Any,
                                                   tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from surveyapp.core.store import Workspace
    from surveyapp.ui.workers import run_with_progress

    v1 = tiers[2]
    v1.save_visit(None, child(), **SAVE)
    gate = Gate()
    # the ledger reads the list page by page (iter_children: keyset paging)
    monkeypatch.setattr(Workspace, "query_children_from",
                        gate.after(Workspace.query_children_from))
    view = _form(qtbot, v1)
    out: list[Any] = []
    target = tmp_path / "ledger.xlsx"
    _type_and_autosave_while_held(
        qtbot, view, gate,
        lambda: out.append(run_with_progress(view, "ledger", lambda p, c: (
            ledger.export_ledger_file(ledger.iter_workspace_rows(v1), target,
                                      county_name="测试县", progress=p, cancel=c)))),
        lambda: bool(out))
    assert target.exists()


def test_autosave_during_review_load__draft_kept(app: Any, qtbot: Any, tiers: Any,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from surveyapp.core.store import Workspace
    from surveyapp.ui.review.conflicts import ConflictsWidget

    town = tiers[1]
    town.save_visit(None, child(village=V1), **SAVE)
    gate = Gate()
    monkeypatch.setattr(Workspace, "query_children", gate.after(Workspace.query_children))
    view = _form(qtbot, town)
    pane = ConflictsWidget(town)
    qtbot.addWidget(pane)
    loaded: list[Any] = []
    real = review.conflicts
    monkeypatch.setattr(review, "conflicts", lambda ws: loaded.append(real(ws)) or loaded[-1])
    finished: list[bool] = []
    _type_and_autosave_while_held(qtbot, view, gate,
                                  lambda: (pane.refresh(), finished.append(True)),
                                  lambda: bool(finished))
    assert loaded == [[]]
