"""Form operations shared by the CLI and the UI: check a form, fill it from answers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from surveyapp.core.forms import CheckResult, FormSession, check_form, load_form


@dataclass(frozen=True, slots=True)
class FillResult:
    """What ``surveyapp form fill`` prints."""

    values: dict[str, Any] = field(default_factory=dict)
    relevant: dict[str, bool] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    complete: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "values": self.values,
            "relevant": self.relevant,
            "errors": self.errors,
            "complete": self.complete,
        }


def check(form_path: str | Path) -> CheckResult:
    """Check a form file, collecting every error.

    :param form_path: the .xlsx form.
    """
    return check_form(form_path)


def fill_form(
    form_path: str | Path,
    answers: dict[str, Any],
    *,
    lang: str = "zh",
    today: dt.date | None = None,
    last_saved: dict[str, Any] | None = None,
) -> FillResult:
    """Fill the form with ``answers`` and report values, relevance and errors.

    Names that are not questions of the form (and calculates) are ignored.

    :param form_path: the .xlsx form.
    :param answers: question name → value; a repeat is a list of objects.
    :param lang: the language of the error messages.
    :param today: the date ``today()`` returns.
    :raises SurveyError: when the form is broken or a repeat's answers are malformed.
    """
    form = load_form(form_path)
    known = {k: v for k, v in answers.items() if k in form.nodes}
    session = FormSession(form, known, today=today, last_saved=last_saved, lang=lang)
    return FillResult(
        values=session.submission(),
        relevant=session.relevance(),
        errors=session.errors(lang),
        complete=session.complete,
    )
