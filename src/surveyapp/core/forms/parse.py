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
    COLUMN_ALIASES,
    FALSE_WORDS,
    META_TYPES,
    SELECT_TYPES,
    SETTING_ALIASES,
    TRANSLATABLE,
    TRUE_WORDS,
    canonical_type,
    split_header,
)
from surveyapp.core.forms.codes import FormCode
from surveyapp.core.forms.graph import is_dynamic_default
from surveyapp.core.forms.model import DEFAULT, Choice, Form, Group, Node, Question, Repeat
from surveyapp.core.forms.sheets import Sheet, Sheets, read_markdown, read_xlsx
from surveyapp.errors import SurveyError

KNOWN_COLUMNS = frozenset(COLUMN_ALIASES.values()) | TRANSLATABLE
_NAME = re.compile(r"^[^\W\d][\w.\-]*\Z")


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
    def __init__(self, sheets: Sheets) -> None:
        self.sheets = sheets
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
    def choices(self) -> dict[str, tuple[Choice, ...]]:
        sheet = self.sheets.get("choices")
        if sheet is None:
            return {}
        lists: dict[str, list[Choice]] = {}
        seen: dict[tuple[str, str], int] = {}
        for row in self.rows(sheet, "choices"):
            list_name = row.plain.get("list_name", "")
            if not list_name:
                continue
            name = row.plain.get("name", "")
            if not name:
                self.error(FormCode.FORM_004, "choices", row.number, "name")
                continue
            if (list_name, name) in seen:
                self.error(
                    FormCode.FORM_007,
                    "choices",
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
        return out

    # --- survey --------------------------------------------------------------------------
    def survey(self, lists: Mapping[str, tuple[Choice, ...]]) -> tuple[Node, ...]:
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
            qtype, list_name = canonical_type(type_text)
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
                if not list_name:
                    self.error(FormCode.FORM_017, "survey", row.number, "type", type=type_text)
                elif list_name not in lists:
                    self.error(FormCode.FORM_006, "survey", row.number, "type", list_name=list_name)
            question = self.question(row, qtype, list_name, name, stack)
            if qtype == "select_multiple" and list_name in lists:
                self.spaced_choices(lists[list_name], list_name)
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
        self, row: _Row, qtype: str, list_name: str, name: str, stack: list[_Open]
    ) -> Question:
        p, t = row.plain, row.texts
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
            hint=t.get("hint", {}),
            choices=list_name,
            appearance=p.get("appearance", ""),
            required=bool(required_if),
            required_if=required_if,
            required_message=t.get("required_message", {}),
            read_only=read_only or qtype in ("calculate", "note"),
            relevant=p.get("relevant", ""),
            constraint=p.get("constraint", ""),
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


def build(sheets: Sheets) -> CheckResult:
    """Check ``sheets`` and build the form; collects as many errors as it can.

    :param sheets: the workbook's rows.
    """
    from surveyapp.core.forms.graph import build_program

    if sheets.get("survey") is None:
        err = SurveyError(FormCode.FORM_002, path=sheets.source, sheet="survey", row=1, column="A")
        return CheckResult(None, [err])
    b = _Builder(sheets)
    lists = b.choices()
    settings = b.settings()
    children = b.survey(lists)
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
    return build(sheets)


def check_markdown(md: str) -> CheckResult:
    """Check a form written as pyxform-style markdown tables."""
    return build(read_markdown(md))


def load_form(path: str | Path) -> Form:
    """Load an .xlsx form.

    :param path: the workbook.
    :raises SurveyError: the first form error (with ``sheet``, ``row``, ``column``).
    """
    return _first(check_form(path))


def parse_markdown(md: str) -> Form:
    """Load a form written as pyxform-style markdown tables (used by tests).

    :raises SurveyError: the first form error (with ``sheet``, ``row``, ``column``).
    """
    return _first(check_markdown(md))
