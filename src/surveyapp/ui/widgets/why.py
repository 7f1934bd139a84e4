"""Why a child is in a category: the flags that are yes, and the answers behind them.

The inputs of a flag are found by following ``${name}`` references through the form's
``calculate`` rows down to answered questions, so a county that edits its rules in Excel
gets explanations that follow its own rules, with no code change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from surveyapp.errors import SurveyError
from surveyapp.ui.formview.tree import text_in

FLAGS = (
    "is_left_behind",
    "is_orphan",
    "is_unsupported",
    "dk_poverty",
    "dk_disability",
    "dk_guardianship",
    "urgent_report",
)
_REF = re.compile(r"\$\{([A-Za-z_][\w.-]*)\}")
_SWITCHES = ("lb_", "dk_count_")


@dataclass(frozen=True, slots=True)
class Reason:
    flag: str
    label: str
    inputs: tuple[tuple[str, str], ...]  # (question label, answer text)


def _question(form: Any, name: str) -> Any:
    try:
        return form.question(name)
    except (LookupError, AttributeError, SurveyError):
        return None


def inputs_of(form: Any, name: str, seen: set[str] | None = None) -> list[str]:
    """Answered questions that ``name``'s calculation depends on, in first-use order."""
    seen = set() if seen is None else seen
    q = _question(form, name)
    calc = str(getattr(q, "calculation", "") or "") if q is not None else ""
    out: list[str] = []
    for ref in _REF.findall(calc):
        if ref in seen or ref.startswith(_SWITCHES):
            continue
        seen.add(ref)
        rq = _question(form, ref)
        if rq is not None and str(getattr(rq, "type", "")).startswith("calculate"):
            if ref == "age_years":
                out.append(ref)
            else:
                out.extend(inputs_of(form, ref, seen))
        else:
            out.append(ref)
    return out


def answer_text(form: Any, name: str, value: Any, lang: str) -> str:
    """An answer as a person reads it: choice labels instead of names."""
    text = "" if value is None else str(value)
    q = _question(form, name)
    list_name = getattr(q, "choices", None) or getattr(q, "list_name", None)
    if q is None or not list_name or not text:
        return text
    try:
        choices = {str(c.name): c for c in form.choices[list_name]}
    except (KeyError, TypeError, AttributeError):
        return text
    parts = [text_in(choices[v].label, lang) if v in choices else v for v in text.split()]
    return "、".join(parts)


def label_of(form: Any, name: str, lang: str) -> str:
    q = _question(form, name)
    return text_in(getattr(q, "label", ""), lang) or name if q is not None else name


def reasons(form: Any, answers: dict[str, Any], lang: str) -> list[Reason]:
    """The flags that are 'yes' in ``answers``, each with the non-empty answers behind it."""
    out = []
    for flag in FLAGS:
        if str(answers.get(flag, "")) != "yes":
            continue
        inputs = []
        for name in inputs_of(form, flag):
            value = answers.get(name)
            if value in (None, "", "no") or (isinstance(value, str) and value == "none"):
                continue
            inputs.append((label_of(form, name, lang), answer_text(form, name, value, lang)))
        out.append(Reason(flag, label_of(form, flag, lang), tuple(inputs)))
    return out
