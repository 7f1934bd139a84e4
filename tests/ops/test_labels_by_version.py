"""Which form labels a revision's answers (``ops.forms.FormResolver``): the version the
revision was saved under when the workspace holds it, else the workspace's current form,
else the shipped one; each version loaded once however many children name it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from surveyapp.ops import forms as forms_ops
from surveyapp.ops.forms import FormResolver, revision_form
from versionforms import FORM_ID, county_with_versions


@pytest.fixture
def county(tmp_path: Path) -> Any:
    ws, ids = county_with_versions(tmp_path)
    yield ws, ids
    ws.close()


def test_each_revision_labelled_by_its_own_version(county: Any) -> None:
    ws, ids = county
    forms = FormResolver(ws)
    one, two, gone = (forms.for_record(ids[k]) for k in ("v1", "v2", "gone"))
    assert (one.source, one.named, one.used) == ("version", "kids@1", "kids@1")
    assert (two.source, two.named, two.used) == ("version", "kids@2", "kids@2")
    # A version this workspace does not hold: the current form (v2), and it says so.
    assert (gone.source, gone.named, gone.used, gone.fallback) == (
        "current", "kids@9", "kids@2", True)

    v1 = forms.labels_of(one)
    assert v1.form == "kids@1"
    assert v1.label("carer_type", "grandparents") == "祖父母"
    assert [q for s in v1.sections for q in s.questions] == [
        ("child_name", "儿童姓名"), ("carer_type", "照料人类型"), ("father_phone", "父亲电话")]
    v2 = forms.labels_of(two)
    assert v2.label("carer_type", "grandparents") == "祖辈照料"
    assert v2.label("carer_type", "other_relative") == "其他亲属"
    assert ("carer_type", "主要照料人") in [q for s in v2.sections for q in s.questions]
    assert "father_phone" not in [q for s in v2.sections for q, _ in s.questions]
    assert forms.labels_of(gone) is v2  # the same form: the same labels
    # The one-shot function gives the same answer.
    assert revision_form(ws, FORM_ID, "1").form.version == one.form.version


def test_without_any_county_form__the_shipped_form(tmp_path: Path) -> None:
    from surveyapp.core.store import Workspace
    from surveyapp.paths import FORM_PATH

    ws = Workspace.create_with_key(tmp_path / "v.sdb", bytes(32), role="village",
                                   org_code="522422102201", org_name="箐口村", user="u")
    try:
        shipped = forms_ops.load_cached(FORM_PATH)
        got = revision_form(ws, "kids", "1")
        assert (got.source, got.used) == ("current", f"{shipped.form_id}@{shipped.version}")
        own = revision_form(ws, shipped.form_id, str(shipped.version))
        assert own.source == "version" and own.form is shipped
    finally:
        ws.close()


def test_each_version_loaded_once_for_many_children(county: Any,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    ws, _ = county
    for n in range(40):
        ws.save_visit(None, {"child_name": f"孩子{n}", "carer_type": "parents"},
                      form_id=FORM_ID, form_version="1" if n % 2 else "2")
    calls: list[tuple[str, str]] = []
    real = forms_ops.version_form

    def counted(w: Any, form_id: str, version: str) -> Any:
        calls.append((form_id, version))
        return real(w, form_id, version)

    monkeypatch.setattr(forms_ops, "version_form", counted)
    forms = FormResolver(ws)
    forms.load_heads()
    from surveyapp.ops.ledger import iter_workspace_rows

    seen = {forms.record_labels(str(row["record_id"]))[0].form
            for row in iter_workspace_rows(ws)}
    assert seen == {"kids@1", "kids@2"}
    # v2 is the current form (no look-up); v1 and the unheld v9 are looked up once each.
    assert sorted(calls) == [(FORM_ID, "1"), (FORM_ID, "9")]
