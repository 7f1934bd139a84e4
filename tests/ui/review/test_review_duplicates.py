"""Duplicates screen: evidence side by side, each decision a revision, nothing merged."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from surveyapp.ops import review
from surveyapp.ui.review.duplicates import DIFF_BRUSH, SAME_BRUSH, DuplicatesWidget


def test_candidates_and_evidence__side_by_side(
    app: Any, qtbot: Any, qtmodeltester: Any, world: Any
) -> None:
    w = DuplicatesWidget(world.town)
    qtbot.addWidget(w)
    w.refresh()
    qtmodeltester.check(w.list_model)
    qtmodeltester.check(w.evidence_model)
    assert w.list_model.rowCount() == 1
    assert w.list_model.data(w.list_model.index(0, 0)).startswith("可能迁移")
    ev = w.evidence_model
    rows = {ev.data(ev.index(r, 0)): r for r in range(ev.rowCount())}
    name, village = rows["姓名"], rows["村"]
    assert ev.data(ev.index(name, 1)) == ev.data(ev.index(name, 2)) == "王丽"
    assert ev.data(ev.index(name, 1), Qt.ItemDataRole.BackgroundRole) == SAME_BRUSH
    assert {ev.data(ev.index(village, c)) for c in (1, 2)} >= {"箐口村"}
    assert ev.data(ev.index(village, 1), Qt.ItemDataRole.BackgroundRole) == DIFF_BRUSH
    # More facts from each record's current view: sex, risk, last visit, status.
    assert {ev.data(ev.index(rows["状态"], c)) for c in (1, 2)} == {"在册"}
    assert {ev.data(ev.index(rows["性别"], c)) for c in (1, 2)} == {"男"}
    assert ev.data(ev.index(rows["最近走访"], 1)) == "2026-07-01"


def test_mark_moved__link_revision_and_both_records_kept(app: Any, qtbot: Any, world: Any) -> None:
    w = DuplicatesWidget(world.town)
    qtbot.addWidget(w)
    w.refresh()
    before = world.town.count_children()
    cand = w.evidence_model.candidate
    with qtbot.waitSignal(w.decided) as blocker:
        w.note.setText("随父母迁居")
        qtbot.mouseClick(w.moved_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [cand.a, cand.b, "moved"]
    [link] = world.town.heads(review.pair_id(cand.a, cand.b))
    assert link.data["decision"] == "moved" and link.data["note"] == "随父母迁居"
    assert world.town.count_children() == before  # nothing merged or dropped
    assert w.list_model.rowCount() == 0 and not w.link_button.isEnabled()
    w.refresh()
    assert w.list_model.rowCount() == 0  # a decided pair is not proposed again


def test_link__survivor_and_a_field_kept_from_the_other_record(
    app: Any, qtbot: Any, tmp_path: Any
) -> None:  # issue 13: surviving answers chosen field by field, one person afterwards
    import datetime as dt

    from reviewworld import make_ws
    from uihelpers import FORM, answers

    from surveyapp.core.forms import FormSession, load_form
    from surveyapp.core.store import ChildFilter
    from surveyapp.ui.review.duplicates import EVIDENCE

    town = make_ws(tmp_path, "township", "522422102")
    form = load_form(FORM)

    def save(**changes: Any) -> str:
        sub = FormSession(form, answers(**changes), today=dt.date(2026, 7, 1)).submission()
        return town.save_visit(None, sub, form_id=form.form_id,
                               form_version=form.version).child_id

    right = save(child_name="张小明", survey_date="2026-06-01")
    typo = save(child_name="张晓明", survey_date="2026-07-01", school_name="新学校")
    w = DuplicatesWidget(town)
    qtbot.addWidget(w)
    w.refresh()
    cand = w.evidence_model.candidate
    assert {cand.a, cand.b} == {right, typo}
    assert w.survivor.currentData() == typo  # visited last
    persons = ChildFilter(include_exited=True, persons=True)
    # Keep the later file, but the name as the other record has it.
    row = EVIDENCE.index("name")
    side = 1 if right == cand.a else 2
    w.evidence_view.clicked.emit(w.evidence_model.index(row, side))
    assert str(w.evidence_model.data(w.evidence_model.index(row, side))).startswith("✓")
    with qtbot.waitSignal(w.decided):
        qtbot.mouseClick(w.link_button, Qt.MouseButton.LeftButton)
    [link] = town.heads(review.pair_id(cand.a, cand.b))
    assert link.data["survivor"] == typo
    person = town.get_child(typo)
    assert person.child_name == "张小明" and person.data["school_name"] == "新学校"
    assert town.count_children(persons) == 1
    assert town.count_children() == 2  # both files stay
    town.close()
