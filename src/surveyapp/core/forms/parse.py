"""Turn sheets into a :class:`Form`, collecting every form error on the way.

``load_form(path)`` and ``parse_markdown(md)`` raise the first error; ``check_form`` and
``check_markdown`` return a :class:`CheckResult` with all of them. Each error carries
``sheet``, ``row`` (1-based spreadsheet row) and ``column`` (letter, or header name).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from surveyapp.core.forms.aliases import (
    ATTACHMENT_TYPES,
    COLUMN_ALIASES,
    FALSE_WORDS,
    FILE_EXTENSIONS,
    IMPLIED,
    META_TYPES,
    SELECT_TYPES,
    SETTING_ALIASES,
    TRANSLATABLE,
    TRUE_WORDS,
    TypeSpec,
    read_type,
    split_header,
)
from surveyapp.core.forms.codes import FormCode
from surveyapp.core.forms.files import FileProblem, locate, read_table
from surveyapp.core.forms.graph import is_dynamic_default
from surveyapp.core.forms.model import DEFAULT, Choice, Form, Group, Node, Question, Repeat
from surveyapp.core.forms.sheets import Sheet, Sheets, read_markdown, read_xlsx
from surveyapp.errors import SurveyError

KNOWN_COLUMNS = frozenset(COLUMN_ALIASES.values()) | TRANSLATABLE
_NAME = re.compile(r"^[^\W\d][\w.\-]*\Z")
_PULLDATA = re.compile(r"pulldata\s*\(\s*['\"]([^'\"]+)['\"]")
OTHER = "other"  # the choice that or_other adds, as pyxform does
_OTHER_LABEL = "其他 / Other"
_SPECIFY_LABEL = "请注明其他 / Specify other."
_EXPRESSION_COLUMNS = ("relevant", "constraint", "calculation", "default", "required_if")


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome of checking a form: ``form`` is None when there are errors."""

    form: Form | None
    errors: list[SurveyError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(slots=True)
class _Row:
    """One sheet row split into plain columns and ``{lang: text}`` columns."""

    number: int
    plain: dict[str, str]
    texts: dict[str, dict[str, str]]


@dataclass(slots=True)
class _Open:
    kind: str  # "group" | "repeat"
    row: _Row
    name: str
    children: list[Node] = field(default_factory=list)


class _Builder:
    def __init__(self, sheets: Sheets, folder: Path | None = None) -> None:
        self.sheets = sheets
        self.folder = folder
        self.allow_duplicates = False
        self.tables: dict[str, tuple[Mapping[str, str], ...]] = {}
        self.attachments: dict[str, str] = {}
        self.external: dict[str, tuple[Choice, ...]] = {}
        self.errors: list[SurveyError] = []
        self.warnings: list[str] = []
        self.languages: list[str] = []
        self.letters: dict[str, dict[str, str]] = {}
        self.reported: set[tuple[str, str]] = set()

    # --- helpers -------------------------------------------------------------------------
    def error(self, code: FormCode, sheet: str, row: int, column: str, **ctx: Any) -> None:
        letter = self.letters.get(sheet, {}).get(column, column)
        self.errors.append(SurveyError(code, sheet=sheet, row=row, column=letter, **ctx))

    def rows(self, sheet: Sheet, key: str) -> list[_Row]:
        letters: dict[str, str] = {}
        split = {h: split_header(h) for h in sheet.headers}
        for header, (canon, lang) in split.items():
            letters.setdefault(canon, sheet.letter(header))
            if lang:
                letters.setdefault(f"{canon}::{lang}", sheet.letter(header))
            elif canon in TRANSLATABLE:
                letters.setdefault(f"{canon}::{DEFAULT}", sheet.letter(header))
        self.letters[key] = letters
        out: list[_Row] = []
        for row in sheet.rows:
            plain: dict[str, str] = {}
            texts: dict[str, dict[str, str]] = {}
            for header, value in row.values.items():
                canon, lang = split[header]
                if canon in TRANSLATABLE:
                    lang = lang or DEFAULT
                    texts.setdefault(canon, {})[lang] = value
                    if lang != DEFAULT and lang not in self.languages:
                        self.languages.append(lang)
                else:
                    plain[canon] = value
            out.append(_Row(row.number, plain, texts))
        return out

    # --- choices and settings ------------------------------------------------------------
    def choices(self, sheet_name: str = "choices") -> dict[str, tuple[Choice, ...]]:
        sheet = self.sheets.get(sheet_name)
        if sheet is None:
            return {}
        lists: dict[str, list[Choice]] = {}
        seen: dict[tuple[str, str], int] = {}
        for row in self.rows(sheet, sheet_name):
            list_name = row.plain.get("list_name", "")
            if not list_name:
                continue
            name = row.plain.get("name", "")
            if not name:
                self.error(FormCode.FORM_004, sheet_name, row.number, "name")
                continue
            if (list_name, name) in seen and not self.allow_duplicates:
                self.error(
                    FormCode.FORM_007,
                    sheet_name,
                    row.number,
                    "name",
                    name=name,
                    list_name=list_name,
                    first_row=seen[(list_name, name)],
                )
                continue
            seen[(list_name, name)] = row.number
            extra = {k: v for k, v in row.plain.items() if k not in ("list_name", "name")}
            choice = Choice(name, row.texts.get("label", {}), extra, row.number)
            lists.setdefault(list_name, []).append(choice)
        return {k: tuple(v) for k, v in lists.items()}

    def settings(self) -> dict[str, str]:
        sheet = self.sheets.get("settings")
        if sheet is None or not sheet.rows:
            return {}
        out: dict[str, str] = {}
        for header, value in sheet.rows[0].values.items():
            key = SETTING_ALIASES.get(header.strip().lower())
            if key:
                out[key] = value
        self.allow_duplicates = out.get("allow_choice_duplicates", "").lower() in TRUE_WORDS
        return out

    # --- files beside the form -----------------------------------------------------------
    def table(
        self, file: str, sheet: str, row: int, column: str
    ) -> tuple[Mapping[str, str], ...] | None:
        """The rows of ``file`` beside the form (hashed into ``attachments``), or None
        after reporting FORM_023/FORM_024."""
        try:
            path = locate(self.folder, file)
            rows, digest = read_table(path)
        except FileProblem as err:
            if err.missing:
                self.error(FormCode.FORM_023, sheet, row, column, file=file)
            else:
                self.error(FormCode.FORM_024, sheet, row, column, file=file, reason=err.reason)
            return None
        self.attachments[file] = digest
        return tuple(rows)

    def file_choices(self, file: str, row: _Row) -> tuple[Choice, ...] | None:
        """The choices of ``select_one_from_file FILE``: columns ``name`` and ``label``
        (``label::zh``…), or those the ``parameters`` column names (``value=… label=…``)."""
        if not file.lower().endswith(FILE_EXTENSIONS):
            planned = file.lower().endswith(".geojson")
            self.refuse(row.number, "type", f"select_one_from_file {file}", planned=planned)
            return None
        rows = self.table(file, "survey", row.number, "type")
        if rows is None:
            return None
        params = dict(
            p.split("=", 1) for p in row.plain.get("parameters", "").split() if "=" in p
        )
        value_col = params.get("value", "name")
        label_col = params.get("label", "label")
        if rows and value_col not in rows[0]:
            self.error(
                FormCode.FORM_024,
                "survey",
                row.number,
                "type",
                file=file,
                reason=f"no '{value_col}' column / 缺少“{value_col}”列",
            )
            return None
        out: list[Choice] = []
        for number, item in enumerate(rows, start=2):
            labels = {
                (k.split("::", 1)[1] if "::" in k else DEFAULT): v
                for k, v in item.items()
                if k == label_col or k.startswith(label_col + "::")
            }
            extra = {k: v for k, v in item.items() if k != value_col}
            out.append(Choice(item.get(value_col, ""), labels, extra, number))
        return tuple(out)

    def refuse(self, row: int, column: str, feature: str, *, planned: bool) -> None:
        """A named XLSForm feature that is not supported: FORM_028 when it is planned,
        else FORM_022."""
        code = FormCode.FORM_028 if planned else FormCode.FORM_022
        self.error(code, "survey", row, column, feature=feature)

    # --- survey --------------------------------------------------------------------------
    def survey(self, lists: dict[str, tuple[Choice, ...]]) -> tuple[Node, ...]:
        sheet = self.sheets.get("survey")
        if sheet is None:
            return ()
        top: list[Node] = []
        stack: list[_Open] = []
        first_row: dict[str, int] = {}
        for header in sheet.headers:
            canon, _lang = split_header(header)
            if canon not in KNOWN_COLUMNS and "::" not in canon:
                self.warnings.append(
                    f"survey {sheet.letter(header)}1: 未识别的列“{header}”，已忽略 / "
                    f"unknown column '{header}' is ignored"
                )
        for row in self.rows(sheet, "survey"):
            type_text = row.plain.get("type", "")
            name = row.plain.get("name", "")
            if not type_text:
                if name or row.texts:
                    self.error(FormCode.FORM_003, "survey", row.number, "type", type="")
                continue
            spec = read_type(type_text)
            qtype, list_name = spec.type, spec.list_name
            lowered = " ".join(type_text.split()).lower()
            if lowered.startswith(("begin loop", "begin_loop")):
                self.refuse(row.number, "type", "begin loop", planned=False)
                stack.append(_Open("loop", row, name))
                continue
            if lowered in ("end loop", "end_loop"):
                if stack and stack[-1].kind == "loop":
                    stack.pop()
                continue
            if qtype in ATTACHMENT_TYPES:
                self.error(FormCode.FORM_021, "survey", row.number, "type", type=type_text)
                continue
            if qtype in ("end group", "end repeat"):
                kind = qtype.split()[1]
                if not stack or stack[-1].kind != kind:
                    self.error(FormCode.FORM_008, "survey", row.number, "type", kind=qtype)
                    continue
                self.close(stack, top)
                continue
            known = qtype in ("begin group", "begin repeat") or _is_known(qtype)
            if not known:
                self.error(FormCode.FORM_003, "survey", row.number, "type", type=type_text)
                continue
            if not name:
                self.error(FormCode.FORM_004, "survey", row.number, "name")
                continue
            if not _NAME.match(name):
                self.error(FormCode.FORM_018, "survey", row.number, "name", name=name)
                continue
            if name in first_row:
                self.error(
                    FormCode.FORM_005,
                    "survey",
                    row.number,
                    "name",
                    name=name,
                    first_row=first_row[name],
                )
                continue
            first_row[name] = row.number
            if qtype in ("begin group", "begin repeat"):
                kind = qtype.split()[1]
                if kind == "repeat" and any(o.kind == "repeat" for o in stack):
                    self.error(FormCode.FORM_014, "survey", row.number, "type", name=name)
                stack.append(_Open(kind, row, name))
                continue
            if qtype in SELECT_TYPES:
                self.select_list(spec, type_text, row, lists)
            question = self.question(row, qtype, list_name, name, stack, spec)
            if qtype == "select_multiple" and list_name in lists and spec.source != "file":
                self.spaced_choices(lists[list_name], list_name)
            if qtype == "csv-external":
                table = self.table(f"{name}.csv", "survey", row.number, "name")
                if table is not None:
                    self.tables[name] = table
            if (
                qtype == "calculate"
                and not question.calculation
                and not (question.default and is_dynamic_default(question.default))
            ):
                self.error(FormCode.FORM_020, "survey", row.number, "calculation", name=name)
            if not question.label and qtype not in ("calculate", *META_TYPES):
                self.warnings.append(
                    f"survey row {row.number}: “{name}”没有题目文字 / '{name}' has no label"
                )
            (stack[-1].children if stack else top).append(question)
            if spec.or_other and list_name in lists:
                self.or_other(question, lists, first_row, stack, top)
        stack = [o for o in stack if o.kind != "loop"]
        for still_open in reversed(stack):
            self.error(
                FormCode.FORM_008,
                "survey",
                still_open.row.number,
                "type",
                kind=f"begin {still_open.kind}",
            )
        while stack:
            self.close(stack, top)
        return tuple(top)

    def select_list(
        self, spec: TypeSpec, type_text: str, row: _Row, lists: dict[str, tuple[Choice, ...]]
    ) -> None:
        """Check (and for files, read) the choice list of a select, rank or external."""
        list_name = spec.list_name
        if spec.extra:
            self.error(
                FormCode.FORM_027, "survey", row.number, "type", type=type_text, extra=spec.extra
            )
        if not list_name:
            self.error(FormCode.FORM_017, "survey", row.number, "type", type=type_text)
        elif spec.source == "file":
            if list_name not in lists:
                choices = self.file_choices(list_name, row)
                if choices is not None:
                    lists[list_name] = choices
        elif spec.source == "external" and list_name in self.external:
            lists.setdefault(list_name, self.external[list_name])
        elif list_name not in lists:
            self.error(FormCode.FORM_006, "survey", row.number, "type", list_name=list_name)

    def or_other(
        self,
        question: Question,
        lists: dict[str, tuple[Choice, ...]],
        first_row: dict[str, int],
        stack: list[_Open],
        top: list[Node],
    ) -> None:
        """``select_one LIST or_other``: an ``other`` choice and a ``NAME_other`` text
        question shown when it is picked, as pyxform builds them."""
        choices = lists[question.choices]
        if not any(c.name == OTHER for c in choices):
            lists[question.choices] = (*choices, Choice(OTHER, {DEFAULT: _OTHER_LABEL}))
        name = f"{question.name}_other"
        if name in first_row:
            self.error(
                FormCode.FORM_005,
                "survey",
                question.row,
                "type",
                name=name,
                first_row=first_row[name],
            )
            return
        first_row[name] = question.row
        other = Question(
            name=name,
            type="text",
            label={DEFAULT: _SPECIFY_LABEL},
            relevant=f"selected(${{{question.name}}}, '{OTHER}')",
            repeat=question.repeat,
            parent=question.parent,
            row=question.row,
        )
        (stack[-1].children if stack else top).append(other)

    def pulldata_files(self, children: tuple[Node, ...]) -> None:
        """Read the CSV of every ``pulldata('file', …)`` (FORM_023 when it is missing)."""
        stack = list(children)
        while stack:
            node = stack.pop()
            if not isinstance(node, Question):
                stack.extend(node.children)
                continue
            for column in _EXPRESSION_COLUMNS:
                text = getattr(node, column, "")
                for stem in _PULLDATA.findall(text) if "pulldata" in text else ():
                    if stem in self.tables:
                        continue
                    where = "required" if column == "required_if" else column
                    table = self.table(f"{stem}.csv", "survey", node.row, where)
                    if table is not None:
                        self.tables[stem] = table

    def spaced_choices(self, choices: tuple[Choice, ...], list_name: str) -> None:
        """FORM_019 once per choice whose name has a space (select_multiple lists only)."""
        for choice in choices:
            key = (list_name, choice.name)
            if " " in choice.name and key not in self.reported:
                self.reported.add(key)
                self.error(
                    FormCode.FORM_019,
                    "choices",
                    choice.row,
                    "name",
                    name=choice.name,
                    list_name=list_name,
                )

    def close(self, stack: list[_Open], top: list[Node]) -> None:
        done = stack.pop()
        p = done.row.plain
        parent = stack[-1].name if stack else ""
        repeat = next((o.name for o in reversed(stack) if o.kind == "repeat"), "")
        node: Node
        if done.kind == "group":
            node = Group(
                done.name,
                done.row.texts.get("label", {}),
                p.get("relevant", ""),
                p.get("appearance", ""),
                tuple(done.children),
                repeat,
                parent,
                done.row.number,
            )
        else:
            node = Repeat(
                done.name,
                done.row.texts.get("label", {}),
                p.get("relevant", ""),
                p.get("appearance", ""),
                p.get("repeat_count", ""),
                tuple(done.children),
                repeat,
                parent,
                done.row.number,
            )
        (stack[-1].children if stack else top).append(node)

    def question(
        self,
        row: _Row,
        qtype: str,
        list_name: str,
        name: str,
        stack: list[_Open],
        spec: TypeSpec | None = None,
    ) -> Question:
        p, t = row.plain, row.texts
        constraint, hint = p.get("constraint", ""), t.get("hint", {})
        implied = IMPLIED.get(spec.spelling) if spec is not None else None
        if implied is not None:
            constraint = f"({constraint}) and ({implied[0]})" if constraint else implied[0]
            if implied[1] and not hint:
                hint = {DEFAULT: implied[1]}
        required_text = p.get("required", "").strip()
        if required_text.lower() in TRUE_WORDS:
            required_if = "true()"
        elif required_text.lower() in FALSE_WORDS:
            required_if = ""
        else:
            required_if = required_text
        read_only = p.get("read_only", "").strip().lower() not in FALSE_WORDS
        return Question(
            name=name,
            type=qtype,
            label=t.get("label", {}),
            hint=hint,
            choices=list_name,
            appearance=p.get("appearance", ""),
            required=bool(required_if),
            required_if=required_if,
            required_message=t.get("required_message", {}),
            read_only=read_only or qtype in ("calculate", "note"),
            relevant=p.get("relevant", ""),
            constraint=constraint,
            constraint_message=t.get("constraint_message", {}),
            calculation=p.get("calculation", ""),
            default=p.get("default", ""),
            choice_filter=p.get("choice_filter", ""),
            parameters=p.get("parameters", ""),
            repeat=next((o.name for o in reversed(stack) if o.kind == "repeat"), ""),
            parent=stack[-1].name if stack else "",
            row=row.number,
            previous_name=tuple(
                n.strip() for n in p.get("previous_name", "").split(",") if n.strip()),
        )


def _is_known(qtype: str) -> bool:
    from surveyapp.core.forms.aliases import TYPE_ALIASES

    return qtype in TYPE_ALIASES.values() or qtype in META_TYPES


def build(sheets: Sheets, folder: Path | None = None) -> CheckResult:
    """Check ``sheets`` and build the form; collects as many errors as it can.

    :param sheets: the workbook's rows.
    :param folder: where files the form reads lie (CSV/XML lists, pulldata tables);
        the form's own folder for an .xlsx.
    """
    from surveyapp.core.forms.graph import build_program

    only = set(sheets.sheets)
    if len(only) == 1 and not only & {"choices", "settings", "external_choices", "entities"}:
        # pyxform reads a workbook's only sheet as the survey, whatever its name.
        sheets = Sheets(sheets.source, {"survey": next(iter(sheets.sheets.values()))})
    if sheets.get("survey") is None:
        err = SurveyError(FormCode.FORM_002, path=sheets.source, sheet="survey", row=1, column="A")
        return CheckResult(None, [err])
    b = _Builder(sheets, folder)
    settings = b.settings()
    lists = b.choices()
    b.external = b.choices("external_choices")
    children = b.survey(lists)
    b.pulldata_files(children)
    nodes: dict[str, Node] = {}
    stack = list(children)
    while stack:
        node = stack.pop()
        nodes.setdefault(node.name, node)
        if not isinstance(node, Question):
            stack.extend(node.children)
    languages = tuple(b.languages) or (DEFAULT,)
    default_language = settings.get("default_language", "") or languages[0]
    stem = Path(sheets.source).stem if sheets.source != "<markdown>" else "data"
    form_id = settings.get("form_id", "") or stem
    form = Form(
        form_id=form_id,
        version=settings.get("version", ""),
        title=settings.get("form_title", "") or form_id,
        default_language=default_language,
        languages=languages,
        children=children,
        choices=lists,
        nodes=nodes,
        tables=b.tables,
        attachments=dict(sorted(b.attachments.items())),
    )
    if b.errors:
        # Expressions are still checked, so that one run reports every problem.
        _program, more = build_program(form, b.letters.get("survey", {}), known_only=True)
        return CheckResult(None, b.errors + more, b.warnings)
    program, more = build_program(form, b.letters.get("survey", {}))
    if more:
        return CheckResult(None, more, b.warnings)
    object.__setattr__(form, "program", program)
    return CheckResult(form, [], b.warnings)


def _first(result: CheckResult) -> Form:
    if result.errors or result.form is None:
        raise result.errors[0]
    return result.form


def check_form(path: str | Path) -> CheckResult:
    """Check an .xlsx form and report every error found.

    :param path: the workbook.
    An unreadable file is reported as a FORM_001 error in the result.
    """
    try:
        sheets = read_xlsx(path)
    except SurveyError as err:
        return CheckResult(None, [err])
    return build(sheets, Path(path).resolve().parent)


def check_markdown(md: str, folder: str | Path | None = None) -> CheckResult:
    """Check a form written as pyxform-style markdown tables.

    :param folder: where the files it reads lie (none by default).
    """
    return build(read_markdown(md), Path(folder) if folder is not None else None)


def load_form(path: str | Path) -> Form:
    """Load an .xlsx form.

    :param path: the workbook.
    :raises SurveyError: the first form error (with ``sheet``, ``row``, ``column``).
    """
    return _first(check_form(path))


def parse_markdown(md: str, folder: str | Path | None = None) -> Form:
    """Load a form written as pyxform-style markdown tables (used by tests).

    :param folder: where the files it reads lie (none by default).
    :raises SurveyError: the first form error (with ``sheet``, ``row``, ``column``).
    """
    return _first(check_markdown(md, folder))
