"""Conflicts screen: list, side-by-side diff with Chinese labels, resolution by version or
field by field into a merge revision with both heads as parents."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShortcut

from surveyapp.ops import review
from surveyapp.ui.review.conflicts import DIFF_BRUSH, ConflictsWidget


def _widget(qtbot: Any, world: Any) -> ConflictsWidget:
    w = ConflictsWidget(world.town)
    qtbot.addWidget(w)
    w.refresh()
    return w


def test_conflict_list_and_diff__labels_and_models_valid(
    app: Any, qtbot: Any, qtmodeltester: Any, world: Any
) -> None:
    w = _widget(qtbot, world)
    qtmodeltester.check(w.list_model)
    qtmodeltester.check(w.diff_model)
    assert w.list_model.rowCount() == 1
    assert w.list_model.data(w.list_model.index(0, 1)) == "箐口村"
    fields = [w.diff_model.data(w.diff_model.index(r, 0)) for r in range(w.diff_model.rowCount())]
    assert {"儿童姓名", "风险等级", "性别"} <= set(fields)
    sex = fields.index("性别")
    values = {w.diff_model.data(w.diff_model.index(sex, c)) for c in (1, 2)}
    assert values == {"男", "女"}
    assert (
        w.diff_model.data(w.diff_model.index(sex, 2), Qt.ItemDataRole.BackgroundRole) == DIFF_BRUSH
    )
    assert len(w.take_buttons) == 2
    # Provenance: the township's own version is named after the township.
    titles = [w.diff_model.headerData(c, Qt.Orientation.Horizontal) for c in (1, 2)]
    assert any("羊场镇" in t for t in titles)


def test_take_version__merge_revision_with_both_parents(app: Any, qtbot: Any, world: Any) -> None:
    w = _widget(qtbot, world)
    heads = w.diff_model.conflict.heads
    qtbot.mouseClick(w.take_buttons[1], Qt.MouseButton.LeftButton)
    [merged] = world.town.heads(world.child_id)
    assert set(merged.parents) == {h.id for h in heads}
    assert merged.data["child_name"] == heads[1].data["child_name"]
    assert w.list_model.rowCount() == 0 and w.empty.isVisibleTo(w)
    assert review.conflicts(world.town) == []


def test_field_by_field_choice__keyboard_merge(app: Any, qtbot: Any, world: Any) -> None:
    w = _widget(qtbot, world)
    m = w.diff_model
    heads = m.conflict.heads
    names = [d.name for d in m.conflict.diff]
    # Take the name from the second version, the rest from the first.
    row = names.index("child_name")
    assert m.setData(m.index(row, 2), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert m.data(m.index(row, 1), Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    # Ctrl+Enter (offscreen windows are never active, so the shortcut is fired directly).
    w.findChild(QShortcut, "shortcut:Ctrl+Return").activated.emit()
    [merged] = world.town.heads(world.child_id)
    assert merged.data["child_name"] == heads[1].data["child_name"]
    assert merged.data["risk_level"] == heads[0].data["risk_level"]
    assert set(merged.parents) == {h.id for h in heads}
