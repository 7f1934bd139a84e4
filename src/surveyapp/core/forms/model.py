"""The form model: frozen dataclasses that both readers (xlsx, markdown) produce.

``Form.children`` is a tree of :class:`Group`, :class:`Repeat` and :class:`Question`.
Texts that may be translated (``label``, ``hint``, messages) are ``{lang: text}``
mappings; a column without a language is stored under ``"default"``. Expressions are
kept as written (``relevant``, ``constraint``, ``calculation``, ``default``,
``choice_filter``, ``required_if``); :mod:`surveyapp.core.forms.graph` compiles them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from surveyapp.core.forms.codes import FormCode
from surveyapp.errors import SurveyError

DEFAULT = "default"


def text_in(texts: Mapping[str, str], lang: str, fallback: str = "") -> str:
    """The text in ``lang``, else in ``fallback``, else the untranslated or any text.

    :param texts: a ``{lang: text}`` mapping.
    :param lang: the wanted language.
    :param fallback: the form's default language.
    """
    for key in (lang, fallback, DEFAULT):
        if key and texts.get(key):
            return texts[key]
    return next((t for t in texts.values() if t), "")


@dataclass(frozen=True, slots=True)
class Choice:
    """One choice: ``extra`` holds the other columns (``township`` for a filter…)."""

    name: str
    label: Mapping[str, str]
    extra: Mapping[str, str] = field(default_factory=dict)
    row: int = 0

    def get(self, column: str, default: str = "") -> str:
        """A column of this choice's row (``name`` or an extra column)."""
        if column == "name":
            return self.name
        return self.extra.get(column, default)

    def text(self, lang: str, fallback: str = "") -> str:
        return text_in(self.label, lang, fallback) or self.name


@dataclass(frozen=True, slots=True)
class Question:
    """A question, a note or a calculate.

    ``type`` is the base type (``select_one``), ``choices`` the list name or ``""``.
    ``required`` is true when the question is always or conditionally required;
    ``required_if`` is then the condition (``"true()"`` for a plain *yes*).
    """

    name: str
    type: str
    label: Mapping[str, str] = field(default_factory=dict)
    hint: Mapping[str, str] = field(default_factory=dict)
    choices: str = ""
    appearance: str = ""
    required: bool = False
    required_if: str = ""
    required_message: Mapping[str, str] = field(default_factory=dict)
    read_only: bool = False
    relevant: str = ""
    constraint: str = ""
    constraint_message: Mapping[str, str] = field(default_factory=dict)
    calculation: str = ""
    default: str = ""
    choice_filter: str = ""
    parameters: str = ""
    repeat: str = ""  # the enclosing repeat, or ""
    parent: str = ""  # the enclosing group or repeat, or ""
    row: int = 0
    previous_name: tuple[str, ...] = ()  # names this question had in earlier versions

    @property
    def list_name(self) -> str:
        return self.choices

    @property
    def has_value(self) -> bool:
        """False for notes, which hold no answer."""
        return self.type != "note"

    @property
    def has_answer(self) -> bool:
        """True for questions the user answers (not notes, not calculates)."""
        return self.type not in ("note", "calculate")


@dataclass(frozen=True, slots=True)
class Group:
    name: str
    label: Mapping[str, str] = field(default_factory=dict)
    relevant: str = ""
    appearance: str = ""
    children: tuple[Node, ...] = ()
    repeat: str = ""
    parent: str = ""
    row: int = 0
    type: str = "group"


@dataclass(frozen=True, slots=True)
class Repeat:
    name: str
    label: Mapping[str, str] = field(default_factory=dict)
    relevant: str = ""
    appearance: str = ""
    repeat_count: str = ""
    children: tuple[Node, ...] = ()
    repeat: str = ""  # the enclosing repeat (always "": nesting is refused)
    parent: str = ""
    row: int = 0
    type: str = "repeat"


Node: TypeAlias = Question | Group | Repeat


@dataclass(frozen=True, slots=True)
class Form:
    """A parsed form; ``program`` is the compiled expressions and dependency graph.

    ``attachments`` (file name → SHA-256) lists the files beside the form that it reads
    (``select_one_from_file``, ``pulldata``); a new form version must carry them.
    """

    form_id: str
    version: str
    title: str
    default_language: str
    languages: tuple[str, ...]
    children: tuple[Node, ...]
    choices: Mapping[str, tuple[Choice, ...]]
    nodes: Mapping[str, Node] = field(default_factory=dict, repr=False, compare=False)
    program: Any = field(default=None, repr=False, compare=False)
    # Files beside the form: pulldata() tables by file stem, and file name → SHA-256 of
    # every file the form reads (choice lists too); they travel with the form.
    tables: Mapping[str, tuple[Mapping[str, str], ...]] = field(
        default_factory=dict, repr=False, compare=False
    )
    attachments: Mapping[str, str] = field(default_factory=dict)

    def question(self, name: str) -> Node:
        """The question, group or repeat called ``name``.

        :raises SurveyError: FORM_201 when there is none.
        """
        try:
            return self.nodes[name]
        except KeyError:
            raise SurveyError(FormCode.FORM_201, path=name) from None

    def walk(self) -> Iterator[Node]:
        """Every node in form order (depth first)."""

        def rec(nodes: tuple[Node, ...]) -> Iterator[Node]:
            for node in nodes:
                yield node
                if not isinstance(node, Question):
                    yield from rec(node.children)

        return rec(self.children)

    def questions(self) -> Iterator[Question]:
        return (n for n in self.walk() if isinstance(n, Question))

    def repeats(self) -> Iterator[Repeat]:
        return (n for n in self.walk() if isinstance(n, Repeat))
