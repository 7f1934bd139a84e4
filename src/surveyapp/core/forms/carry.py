"""A follow-up visit loses nothing: the last answers, carried into the current form.

A follow-up starts from the child's last answers. When the county has since sent a new
form version, each answer is carried by name; a question renamed in the new version
lists its earlier names in the survey column ``previous_name`` (comma-separated), so its
answer moves to the new name. An answer to a question the new form no longer asks is
kept apart, in the child's ``previous_answers`` (``{name: {"value", "form_id",
"form_version"}}``, the version that asked it), and shown as "earlier answers". A carried
answer that the new form refuses (a removed choice, a tightened constraint) is reported
with its old value by :func:`refused`, so that the worker answers it again.

    renames(form) -> {old name: new name}
    carry_over(form, data, form_id=..., form_version=..., old_form=None) -> Carried
    refused(session, carried, given, lang) -> [Refused]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from surveyapp.core.forms.model import Form, Question

PREVIOUS = "previous_answers"
#: Keys of a child's data that are the store's, not answers (see core/store/records.py).
NOT_ANSWERS = frozenset({"status", "exit_reason", "exit_date", "exit_note", "delete_reason",
                         "visit", "household_id", PREVIOUS})


@dataclass(frozen=True, slots=True)
class Carried:
    """The start of a follow-up in ``form``.

    :param start: answers the form asks, from the last visit (renamed ones moved).
    :param previous: answers the form no longer asks, with the version that asked them
        (earlier ones kept as they were).
    :param renamed: old name → new name, for the answers that moved.
    """

    start: dict[str, Any] = field(default_factory=dict)
    previous: dict[str, dict[str, Any]] = field(default_factory=dict)
    renamed: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Refused:
    """A carried answer the current form refuses: its name, old value and the message."""

    name: str
    value: Any
    message: str


def renames(form: Form) -> dict[str, str]:
    """Every earlier name (``previous_name``) of a question → its current name."""
    out: dict[str, str] = {}
    for q in form.questions():
        for old in q.previous_name:
            if old not in form.nodes:
                out.setdefault(old, q.name)
    return out


def _asked(form: Form, name: str) -> bool:
    """Whether ``form`` asks ``name`` (a question answered by hand, or a repeat)."""
    node = form.nodes.get(name)
    if isinstance(node, Question):
        return node.has_answer
    return node is not None


def carry_over(form: Form, data: Mapping[str, Any], *, form_id: str, form_version: str,
               old_form: Form | None = None) -> Carried:
    """Split a child's last data (``data``, saved with ``form_id@form_version``) into
    what ``form`` asks and what it no longer asks.

    :param old_form: the form that saved ``data``, when known: its calculates and notes
        are computed values, not answers, and are not kept as earlier answers.
    """
    moved = renames(form)
    start: dict[str, Any] = {}
    previous: dict[str, dict[str, Any]] = {}
    renamed: dict[str, str] = {}
    computed = set() if old_form is None else {
        q.name for q in old_form.questions() if not q.has_answer}
    for name, value in data.items():
        if name in NOT_ANSWERS:
            continue
        if name in form.nodes:
            if _asked(form, name):
                start[name] = value
            continue
        if name in moved:
            new = moved[name]
            if new not in data:
                start[new] = value
                renamed[name] = new
            continue
        if name in computed or value in ("", None, []):
            continue
        previous[name] = {"value": value, "form_id": form_id, "form_version": form_version}
    earlier = data.get(PREVIOUS)
    if isinstance(earlier, Mapping):
        for name, entry in earlier.items():
            if not isinstance(entry, Mapping):
                continue
            target = str(moved.get(name, name))
            if _asked(form, target) and target not in start:
                start[target] = entry.get("value")  # asked again: the answer comes back
                if target != name:
                    renamed[name] = target
            elif name not in previous and not _asked(form, target):
                previous[name] = dict(entry)
    return Carried(start, previous, renamed)


def refused(session: Any, carried: Carried, given: Mapping[str, Any],
            lang: str = "zh") -> list[Refused]:
    """The carried answers (not re-typed in ``given``) that ``session`` holds in error."""
    errors = session.errors(lang)
    out = []
    for name, value in carried.start.items():
        if name in given or value in ("", None) or name not in errors:
            continue
        out.append(Refused(name, value, errors[name]))
    return out
