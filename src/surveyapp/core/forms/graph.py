"""Compile a form's expressions and order them in a dependency graph.

Graph nodes are ``(kind, name)`` pairs, one per question (or per repeat instance at run
time):

- ``rel``: the effective relevance (own ``relevant`` and every enclosing group's);
- ``val``: the effective value (the answer or the calculation; ``""`` when not relevant);
- ``err``: the answer's error (type, required, constraint, choice);
- ``cf``: the choices left by ``choice_filter``;
- ``cnt``: the number of instances of a repeat.

Edges run from what an expression reads to the node it computes. ``order`` is a
topological order (a cycle is a FORM_012 error); ``dependents`` lists, per node, the
nodes to revisit when it changes.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from surveyapp.core.forms.codes import FormCode
from surveyapp.core.forms.evaluate import Fn, analyze, compile_expr, references, uses_position
from surveyapp.core.forms.lexer import ExprError, straight_quotes
from surveyapp.core.forms.model import Form, Node, Question, Repeat
from surveyapp.core.forms.parser import Expr, parse
from surveyapp.errors import SurveyError

Key = tuple[str, str]

# Which survey column an expression slot is written in.
SLOT_COLUMN = {
    "relevant": "relevant",
    "calculation": "calculation",
    "constraint": "constraint",
    "required_if": "required",
    "default": "default",
    "choice_filter": "choice_filter",
    "repeat_count": "repeat_count",
}
_KIND_SLOT = {"rel": "relevant", "val": "calculation", "err": "constraint", "cf": "choice_filter"}


def is_dynamic_default(text: str) -> bool:
    """A default that is an expression (``today()``, ``${x}``) rather than a value."""
    return "${" in text or "(" in text


@dataclass(slots=True)
class Program:
    """Everything the session needs, computed once per form."""

    fns: dict[tuple[str, str], Fn] = field(default_factory=dict)  # (slot, name) → closure
    order: tuple[Key, ...] = ()
    rank: dict[Key, int] = field(default_factory=dict)
    dependents: dict[Key, tuple[Key, ...]] = field(default_factory=dict)
    repeat_of: dict[str, str] = field(default_factory=dict)  # member → its repeat
    members: dict[str, tuple[str, ...]] = field(default_factory=dict)  # repeat → names
    literal_defaults: dict[str, str] = field(default_factory=dict)
    early_defaults: tuple[str, ...] = ()  # dynamic defaults that read no other answer
    late_defaults: tuple[str, ...] = ()  # dynamic defaults that read other answers
    uses_position: frozenset[str] = frozenset()
    choice_names: dict[str, frozenset[str]] = field(default_factory=dict)  # list → names
    questions: tuple[Question, ...] = ()  # form.questions(), walked once
    repeats: tuple[str, ...] = ()  # the names of form.repeats()


def _value_key(name: str, form: Form) -> Key | None:
    node = form.nodes.get(name)
    if node is None:
        return None
    if isinstance(node, Repeat):
        return ("cnt", name)
    if isinstance(node, Question):
        return ("val", name)
    return ("rel", name)


def build_program(
    form: Form, letters: Mapping[str, str], *, known_only: bool = False
) -> tuple[Program | None, list[SurveyError]]:
    """Parse, check and compile every expression of ``form`` and order the graph.

    :param form: the parsed form (its structure already checked).
    :param letters: survey column → column letter, for error locations.
    :param known_only: only collect expression errors (the structure had errors).
    """
    errors: list[SurveyError] = []
    names = {n: type(node).__name__ for n, node in form.nodes.items()}
    prog = Program()
    for node in form.walk():
        if isinstance(node, Repeat):
            prog.repeat_of[node.name] = node.name
        elif node.repeat:
            prog.repeat_of[node.name] = node.repeat
    members: dict[str, list[str]] = {}
    for node in form.walk():
        if not isinstance(node, Repeat) and node.repeat:
            members.setdefault(node.repeat, []).append(node.name)
    prog.members = {k: tuple(v) for k, v in members.items()}

    trees: dict[tuple[str, str], Expr] = {}
    parsed: dict[str, Expr] = {}  # many cells repeat the same expression; trees are immutable

    def where(node: Node, slot: str) -> dict[str, Any]:
        column = SLOT_COLUMN[slot]
        return {"sheet": "survey", "row": node.row, "column": letters.get(column, column)}

    errors.extend(_text_references(form, letters))
    for node in form.walk():
        slots: dict[str, str] = {"relevant": node.relevant}
        if isinstance(node, Question):
            slots.update(
                calculation=node.calculation if node.type == "calculate" else "",
                constraint=node.constraint,
                required_if=node.required_if,
                choice_filter=node.choice_filter,
            )
            if node.default and is_dynamic_default(node.default):
                slots["default"] = node.default
            elif node.default:
                prog.literal_defaults[node.name] = node.default
        elif isinstance(node, Repeat):
            slots["repeat_count"] = node.repeat_count
        for slot, text in slots.items():
            if not text.strip():
                continue
            try:
                tree = parsed[text] if text in parsed else parsed.setdefault(text, parse(text))
            except ExprError as err:
                fixed = straight_quotes(text)
                if fixed != text:
                    errors.append(
                        SurveyError(
                            FormCode.FORM_025, expression=text, fixed=fixed, **where(node, slot)
                        )
                    )
                    continue
                errors.append(
                    SurveyError(
                        FormCode.FORM_009,
                        expression=text,
                        position=err.position,
                        reason=err.reason,
                        **where(node, slot),
                    )
                )
                continue
            issues = analyze(tree, names, allow_steps=slot == "choice_filter")
            for code, ctx in issues:
                errors.append(SurveyError(code, expression=text, **ctx, **where(node, slot)))
            if not issues:
                trees[(slot, node.name)] = tree
    if errors or known_only:
        return None, errors

    for (slot, name), tree in trees.items():
        node = form.nodes[name]
        here = prog.repeat_of.get(name, "") if not isinstance(node, Repeat) else node.repeat
        prog.fns[(slot, name)] = compile_expr(tree, prog.repeat_of, here)
    prog.uses_position = frozenset(
        name for (slot, name), tree in trees.items() if uses_position(tree)
    )
    early: list[str] = []
    late: list[str] = []
    for question in form.questions():
        default_tree = trees.get(("default", question.name))
        if default_tree is not None:
            (late if references(default_tree) else early).append(question.name)
    prog.early_defaults, prog.late_defaults = tuple(early), tuple(late)

    graph, order_hint = _edges(form, trees)
    order, cycle = _toposort(graph, order_hint)
    if cycle:
        # Point at the first cell in the loop that holds an expression.
        at = next((k for k in cycle if (_KIND_SLOT.get(k[0], ""), k[1]) in trees), cycle[0])
        first = form.nodes[at[1]]
        slot = _KIND_SLOT.get(at[0], "calculation")
        shown = " → ".join(dict.fromkeys(n for _k, n in cycle))
        return None, [SurveyError(FormCode.FORM_012, names=shown, **where(first, slot))]
    prog.order = tuple(order)
    prog.questions = tuple(form.questions())
    prog.repeats = tuple(r.name for r in form.repeats())
    prog.choice_names = {
        name: frozenset(c.name for c in items) for name, items in form.choices.items()
    }
    prog.rank = {key: i for i, key in enumerate(order)}
    deps: dict[Key, list[Key]] = {}
    for target, sources in graph.items():
        for source in sources:
            deps.setdefault(source, []).append(target)
    prog.dependents = {k: tuple(sorted(v, key=prog.rank.__getitem__)) for k, v in deps.items()}
    return prog, []


_TEXT_REF = re.compile(r"\$\{([^}]*)\}")


def _text_references(form: Form, letters: Mapping[str, str]) -> list[SurveyError]:
    """FORM_011 for ``${name}`` in a label, hint or message naming no question."""
    errors: list[SurveyError] = []
    for node in form.walk():
        texts: dict[str, Mapping[str, str]] = {"label": node.label}
        if isinstance(node, Question):
            texts.update(
                hint=node.hint,
                required_message=node.required_message,
                constraint_message=node.constraint_message,
            )
        for column, by_lang in texts.items():
            for lang, text in by_lang.items():
                for m in _TEXT_REF.finditer(text):
                    name = m.group(1).strip()
                    if name not in form.nodes:
                        letter = letters.get(f"{column}::{lang}", letters.get(column, column))
                        errors.append(
                            SurveyError(
                                FormCode.FORM_011,
                                name=name,
                                expression=text,
                                position=m.start() + 1,
                                sheet="survey",
                                row=node.row,
                                column=letter,
                            )
                        )
    return errors


def _edges(
    form: Form, trees: Mapping[tuple[str, str], Expr]
) -> tuple[dict[Key, set[Key]], list[Key]]:
    """``graph[target]`` = the nodes ``target`` reads; plus every node in form order."""
    graph: dict[Key, set[Key]] = {}
    hint: list[Key] = []

    def reads(slot: str, name: str) -> set[Key]:
        tree = trees.get((slot, name))
        if tree is None:
            return set()
        here = form.nodes[name].repeat
        keys: set[Key | None] = set()
        for ref in references(tree):
            keys.add(_value_key(ref, form))
            target = form.nodes.get(ref)
            if target is not None and not isinstance(target, Repeat) and target.repeat:
                if target.repeat != here:  # a node-set: it changes with the instances
                    keys.add(("cnt", target.repeat))
        return {k for k in keys if k is not None}

    for node in form.walk():
        rel: Key = ("rel", node.name)
        graph[rel] = reads("relevant", node.name)
        if node.parent:
            graph[rel].add(("rel", node.parent))
        hint.append(rel)
        if isinstance(node, Repeat):
            cnt: Key = ("cnt", node.name)
            graph[cnt] = reads("repeat_count", node.name)
            hint.append(cnt)
            continue
        if not isinstance(node, Question):
            continue
        val: Key = ("val", node.name)
        graph[val] = {rel} | reads("calculation", node.name)
        hint.append(val)
        if node.type not in ("calculate", "note"):
            err: Key = ("err", node.name)
            graph[err] = (
                {val, rel} | reads("constraint", node.name) | reads("required_if", node.name)
            )
            hint.append(err)
        if node.choice_filter:
            cf: Key = ("cf", node.name)
            graph[cf] = reads("choice_filter", node.name)
            hint.append(cf)
            if node.type not in ("calculate", "note"):
                # An answer the filter no longer allows is an error: check it again when
                # the allowed choices change (a village after its township changed).
                graph[("err", node.name)].add(cf)
    return graph, hint


def _toposort(graph: Mapping[Key, set[Key]], hint: list[Key]) -> tuple[list[Key], list[Key]]:
    """Kahn's algorithm in form order; returns ``(order, cycle)`` (cycle empty if none)."""
    indeg = {k: len(v) for k, v in graph.items()}
    users: dict[Key, list[Key]] = {}
    for target, sources in graph.items():
        for source in sources:
            users.setdefault(source, []).append(target)
    position = {k: i for i, k in enumerate(hint)}
    ready = [(position[k], k) for k, d in indeg.items() if d == 0]
    heapq.heapify(ready)
    order: list[Key] = []
    while ready:
        _, key = heapq.heappop(ready)
        order.append(key)
        for user in users.get(key, ()):
            indeg[user] -= 1
            if indeg[user] == 0:
                heapq.heappush(ready, (position[user], user))
    if len(order) == len(graph):
        return order, []
    left = {k for k, d in indeg.items() if d > 0}
    # Walk back along unfinished inputs until a node repeats: that loop is the cycle.
    start = min(left, key=position.__getitem__)
    path: list[Key] = []
    seen: dict[Key, int] = {}
    key = start
    while key not in seen:
        seen[key] = len(path)
        path.append(key)
        key = min((s for s in graph[key] if s in left), key=position.__getitem__)
    loop = path[seen[key] :]
    loop.reverse()
    return order, loop
