"""Which spreadsheet column feeds which form question: the layout of a ledger.

``ledger_layout(form)`` is the layout of the 台账 this app exports, *derived* from
``surveyapp.core.ledger.columns.LEDGER_COLUMNS`` and the form: a column whose source is
a question the form asks is imported; a column the form calculates (留守儿童, 风险等级…)
is only compared with what the form computes; row numbers and due dates are skipped. So
a column added to the ledger is imported (or checked) without a change here.

``mapping_layout(data, form)`` reads a mapping file for any other layout::

    {"format": "surveyapp-ledger-mapping", "version": 1,
     "columns": {"儿童姓名": "child_name", "身份证号": "id_number", ...},
     "values": {"sex": {"男孩": "male"}},
     "defaults": {"survey_date": "2016-06-30", "surveyor_name": "县民政局"},
     "header_row": null}

``template(form, headers=None)`` is such a file to edit: every header of the given
spreadsheet (or of the 台账) with the question it maps to, if any.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from surveyapp.core.forms.model import Form, Question, text_in
from surveyapp.core.ledger.columns import LEDGER_COLUMNS, Column
from surveyapp.core.ledgerin.codes import LedgerInCode
from surveyapp.errors import CommonCode, SurveyError

Kind = Literal["text", "choice", "multi", "date", "int", "id", "phone", "township",
               "village", "parent", "health", "status", "exit_reason", "derived"]
MAPPING_FORMAT = "surveyapp-ledger-mapping"
#: Metadata a ledger may carry that is not a form question.
META_FIELDS: Mapping[str, Kind] = {"status": "status", "exit_reason": "exit_reason",
                                   "exit_date": "date"}


def norm_header(text: Any) -> str:
    """A header as compared: NFKC (full-width brackets and digits), no spaces or breaks."""
    if text is None:
        return ""
    return "".join(unicodedata.normalize("NFKC", str(text)).split())


@dataclass(frozen=True, slots=True)
class Target:
    """One imported column.

    :param header: the header as the spreadsheet writes it.
    :param field: the form question (or ``status``/``exit_reason``/``exit_date``).
    :param kind: how the cell is read.
    :param column: the ledger column, for a ``derived`` one (to compare what the form
        computes with the cell).
    """

    header: str
    field: str
    kind: Kind
    column: Column | None = None


@dataclass(frozen=True, slots=True)
class Layout:
    """The columns of one spreadsheet layout, keyed by normalised header."""

    name: str
    targets: Mapping[str, Target]
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    defaults: Mapping[str, str] = field(default_factory=dict)
    header_row: int | None = None

    def target(self, header: Any) -> Target | None:
        return self.targets.get(norm_header(header))


def question_kind(question: Question, column_kind: str = "text") -> Kind:
    """How an answer to ``question`` is read from a cell."""
    if question.type == "select_one":
        return "choice"
    if question.type == "select_multiple":
        return "multi"
    if question.type in ("date", "datetime"):
        return "date"
    if question.type in ("integer", "decimal"):
        return "int"
    if column_kind == "id" or question.name.endswith("id_number"):
        return "id"
    if column_kind == "phone" or question.name.endswith("_phone"):
        return "phone"
    return "text"


def _asked(form: Form, name: str) -> Question | None:
    node = form.nodes.get(name)
    if isinstance(node, Question) and not node.repeat and node.has_answer:
        return node
    return None


def ledger_layout(form: Form, columns: Iterable[Column] = LEDGER_COLUMNS) -> Layout:
    """The layout of the app's own 台账 export, derived from its columns and the form."""
    targets: dict[str, Target] = {}
    fed: set[str] = set()
    for col in columns:
        kind = _ledger_kind(form, col)
        if kind is not None and kind != "derived" and col.source in fed:
            kind = "derived"  # a second column shown from the same answer: only compared
        if kind is not None:
            targets[norm_header(col.header)] = Target(col.header, col.source, kind, col)
            if kind != "derived":
                fed.add(col.source)
    return Layout("台账", targets)


#: Column kinds whose cell holds the answer itself (the others are computed for display).
INPUT_KINDS = frozenset({"text", "choice", "date", "int", "id", "phone"})


def _ledger_kind(form: Form, col: Column) -> Kind | None:
    if col.kind == "exit":
        return "exit_reason"
    if col.kind not in INPUT_KINDS | {"township", "village", "parent", "health", "status",
                                      "difficulty"}:
        return None  # a row number, a due date, or a kind this import does not know
    if col.kind in ("township", "village", "parent", "health", "status"):
        return col.kind
    if col.kind == "difficulty":
        return "derived"
    node = form.nodes.get(col.source)
    if isinstance(node, Question) and node.type == "calculate":
        return "derived"
    question = _asked(form, col.source)
    if question is not None:
        return question_kind(question, col.kind)
    return META_FIELDS.get(col.source)


def field_kind(form: Form, name: str) -> Kind:
    """The kind of a mapped field name.

    :raises ValueError: for a name that is neither a question nor ledger metadata.
    """
    if name in ("township_code", "village_code"):
        return "township" if name == "township_code" else "village"
    question = _asked(form, name)
    if question is not None:
        return question_kind(question)
    if name in META_FIELDS:
        return META_FIELDS[name]
    node = form.nodes.get(name)
    if isinstance(node, Question) and node.type == "calculate" and not node.repeat:
        return "derived"  # compared with what the form computes, never imported
    raise ValueError(name)


def mapping_layout(data: Any, form: Form, source: str = "mapping") -> Layout:
    """The layout a mapping file describes (see the module docstring).

    :raises SurveyError: LEDIN_022 naming what is wrong.
    """
    def bad(reason: str) -> SurveyError:
        return SurveyError(LedgerInCode.LEDIN_022, path=source, reason=reason)

    if not isinstance(data, dict) or data.get("format") != MAPPING_FORMAT:
        raise bad(f'not a mapping file (its "format" must be "{MAPPING_FORMAT}")')
    columns = data.get("columns")
    if not isinstance(columns, dict) or not columns:
        raise bad('"columns" must map column headers to question names')
    targets: dict[str, Target] = {}
    for header, name in columns.items():
        if name in (None, ""):
            continue  # a column left unmapped in the template
        if not isinstance(name, str):
            raise bad(f"the column {header!r} must map to a question name")
        try:
            kind = field_kind(form, name)
        except ValueError:
            raise bad(f"{name!r} (column {header!r}) is not a question of the form") from None
        column = Column(name, str(header), "", 5, "choice") if kind == "derived" else None
        targets[norm_header(header)] = Target(str(header), name, kind, column)
    if not targets:
        raise bad("no column is mapped to a question")
    values = data.get("values") or {}
    defaults = data.get("defaults") or {}
    if not isinstance(values, dict) or not all(
            isinstance(v, dict) and all(isinstance(x, str) for x in v.values())
            for v in values.values()):
        raise bad('"values" must map a question name to {"cell text": "choice name"}')
    if not isinstance(defaults, dict) or not all(isinstance(v, str) for v in defaults.values()):
        raise bad('"defaults" must map question names to text')
    for name in defaults:
        if _asked(form, name) is None:
            raise bad(f"the default {name!r} is not a question of the form")
    header_row = data.get("header_row")
    if header_row is not None and (not isinstance(header_row, int) or header_row < 1):
        raise bad('"header_row" must be a row number (1 is the first row) or null')
    return Layout(
        Path(source).name,
        targets,
        {str(k): {norm_value(t): c for t, c in v.items()} for k, v in values.items()},
        {str(k): v for k, v in defaults.items()},
        header_row,
    )


def norm_value(text: str) -> str:
    """A choice label or cell text as compared (NFKC, no spaces)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def read_mapping(path: str | Path, form: Form) -> Layout:
    """Load a mapping file (UTF-8 JSON).

    :raises SurveyError: IO_002 missing; LEDIN_022 not a valid mapping.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except FileNotFoundError as err:
        raise SurveyError(CommonCode.IO_002, path=str(path)) from err
    except OSError as err:
        raise SurveyError(CommonCode.IO_004, path=str(path), reason=err.strerror) from err
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise SurveyError(LedgerInCode.LEDIN_022, path=str(path),
                          reason=f"not UTF-8 JSON ({err})") from err
    return mapping_layout(data, form, str(path))


def template(form: Form, headers: Iterable[Any] | None = None) -> dict[str, Any]:
    """A mapping file to edit: each header with the question it maps to ("" when none
    was recognised), the choice lists to map values onto, and the required questions the
    layout does not hold, as defaults to fill in."""
    known = {norm_header(t.header): t.field for t in ledger_layout(form).targets.values()}
    labels: dict[str, str] = {}
    for q in form.questions():
        if _asked(form, q.name) is not None:
            label = text_in(q.label, "zh", form.default_language)
            if label:
                labels.setdefault(norm_header(label), q.name)
            labels.setdefault(norm_header(q.name), q.name)
    if headers is None:
        headers = [t.header for t in ledger_layout(form).targets.values()]
    columns: dict[str, str] = {}
    for header in headers:
        if header is None or not str(header).strip():
            continue
        key = norm_header(header)
        columns[str(header).strip()] = known.get(key) or labels.get(key, "")
    mapped = set(columns.values())
    required = [q.name for q in form.questions()
                if _asked(form, q.name) is not None and q.required
                and q.required_if in ("", "true()") and q.name not in mapped]
    return {
        "format": MAPPING_FORMAT,
        "version": 1,
        "_help": ("columns: spreadsheet header -> question name (\"\" = not imported); "
                  "values: question -> {cell text: choice name}; defaults: question -> "
                  "value for every row; header_row: the header's row number or null. "
                  "对照表：columns 为表头到题目名；values 为单元格文字到选项名；"
                  "defaults 为每行默认值。"),
        "columns": columns,
        "values": {},
        "defaults": dict.fromkeys(required, ""),
        "header_row": None,
    }
