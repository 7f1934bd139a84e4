"""The full export (``ledger export --all-fields``): every question of every form version.

The 台账 has fixed columns. The full export has one column per question name that any
form version the workspace has seen asks: the current version's questions in its order
first, then those only older versions asked (newest version first), then any other name
found in the data. Each header is the question's label with its name, under a header
group naming the version it comes from. A value is shown with the labels of the version
that wrote it: the child's last visit for its answers, the version kept with each of its
earlier answers (``previous_answers``) for the answers the current form no longer asks.

    all_field_columns(forms, extra=()) -> tuple[Column, ...]
    all_field_rows(rows, forms, current) -> Iterator[dict]   # display text per column
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from surveyapp.core.forms.model import Form, Question, Repeat, text_in
from surveyapp.core.ledger.columns import Column

VERSION_KEY = "form_version_label"  # "form_id@version" of the row's last save
PREVIOUS = "previous_answers"
META = (
    Column("seq", "序号", "档案", 5, "seq"),
    Column("record_id", "档案编号", "档案", 12),
    Column("township_code", "乡镇（街道）", "档案", 10, "township"),
    Column("village_code", "村（居）", "档案", 9, "village"),
    Column(VERSION_KEY, "表单版本", "档案", 14),
    Column("status", "状态", "档案", 5, "status"),
)
_SKIP = frozenset({"status", "exit_reason", "exit_date", "exit_note", "delete_reason", "visit",
                   "household_id", PREVIOUS, "review_status", "review_comment", VERSION_KEY,
                   "record_id", "head_rev", "conflict", "pinyin_initials", "name_pinyin",
                   "updated_at", "last_visit_date", "follow_up_due", "township_name",
                   "village_name"})


def label_of(form: Form) -> str:
    return f"{form.form_id}@{form.version}"


def _names(form: Form) -> list[str]:
    out = []
    for node in form.walk():
        if isinstance(node, Repeat) or (
            isinstance(node, Question) and node.type != "note" and not node.repeat
        ):
            out.append(node.name)
    return out


def all_field_columns(forms: Sequence[Form], extra: Iterable[str] = ()) -> tuple[Column, ...]:
    """The columns: ``forms[0]`` is the current version, the others older, newest first;
    ``extra`` names found in the data that no known version asks."""
    seen: set[str] = set()
    cols: list[Column] = list(META)
    for index, form in enumerate(forms):
        group = ("当前版本 " if index == 0 else "早前版本 ") + label_of(form)
        for name in _names(form):
            if name in seen:
                continue
            seen.add(name)
            node = form.nodes[name]
            text = text_in(node.label, "zh", form.default_language) or name
            cols.append(Column(name, f"{text}（{name}）", group, 14))
    for name in extra:
        if name not in seen and name not in _SKIP:
            seen.add(name)
            cols.append(Column(name, name, "其他（版本未知）", 14))
    return tuple(cols)


def _show(form: Form | None, name: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    text = str(value)
    node = form.nodes.get(name) if form is not None else None
    if isinstance(node, Question) and node.choices and text:
        choices = {c.name: c.text("zh", form.default_language)
                   for c in form.choices.get(node.choices, ())} if form else {}
        parts = text.split() if node.type == "select_multiple" else [text]
        return "、".join(choices.get(p, p) for p in parts)
    return text


def all_field_rows(rows: Iterable[Mapping[str, Any]], forms: Mapping[str, Form],
                   current: Form, columns: Sequence[Column]) -> Iterator[dict[str, Any]]:
    """Each row as display text per column (the metadata columns kept as they are)."""
    names = [c.source for c in columns if c not in META]
    for row in rows:
        version = str(row.get(VERSION_KEY) or "")
        own = forms.get(version, current)
        earlier = row.get(PREVIOUS)
        earlier = earlier if isinstance(earlier, Mapping) else {}
        out: dict[str, Any] = {c.source: row.get(c.source) for c in META}
        for name in names:
            if name in row and name not in _SKIP:
                out[name] = _show(own, name, row[name])
            elif isinstance(entry := earlier.get(name), Mapping):
                at = f"{entry.get('form_id', '')}@{entry.get('form_version', '')}"
                shown = _show(forms.get(at), name, entry.get("value"))
                out[name] = f"{shown}（{at}）" if shown else ""
            else:
                out[name] = ""
        yield out
