"""The XLSForm engine: read a form, check it, and fill it in. Pure Python, no Qt.

Public API (see docs/forms.md):

- ``load_form(path) -> Form`` (.xlsx), ``parse_markdown(md) -> Form``: raise
  ``SurveyError`` (codes in :mod:`.codes`) with ``sheet``, ``row``, ``column``.
- ``check_form(path) -> CheckResult(form | None, errors, warnings)``,
  ``check_markdown(md)``: every error found, not just the first.
- ``Form`` (``form_id``, ``version``, ``title``, ``default_language``, ``languages``,
  ``children``: a tree of ``Group``/``Repeat``/``Question``, ``choices[list] ->
  tuple[Choice]``, ``question(name)``, ``walk()``).
- ``FormSession(form, answers=None, *, today=None, last_saved=None, lang=None)``:
  ``set(path, value) -> set[str]``, ``value``, ``answer``, ``is_relevant``, ``error``,
  ``errors``, ``choices_for``, ``label``, ``hint``, ``add_repeat``, ``remove_repeat``,
  ``repeat_count``, ``submission()``, ``relevance()``, ``complete``; ``evaluated`` lists
  the nodes the last change re-evaluated.
"""

from surveyapp.core.forms.codes import FormCode
from surveyapp.core.forms.model import Choice, Form, Group, Node, Question, Repeat, text_in
from surveyapp.core.forms.parse import (
    CheckResult,
    check_form,
    check_markdown,
    load_form,
    parse_markdown,
)
from surveyapp.core.forms.session import FormSession

__all__ = [
    "CheckResult",
    "Choice",
    "Form",
    "FormCode",
    "FormSession",
    "Group",
    "Node",
    "Question",
    "Repeat",
    "check_form",
    "check_markdown",
    "load_form",
    "parse_markdown",
    "text_in",
]
