"""Compile an expression AST into a closure, and check it against the form.

``analyze`` lists the problems of one expression (unknown function, wrong number of
arguments, reference to a missing question, unsupported path) without raising, so that
``check_form`` reports them all. ``compile_expr`` turns a checked AST into a closure
``fn(ctx) -> value``; evaluation is then a walk over a few nested closures.

References resolve statically: ``${q}`` outside any repeat is one value; inside the
same repeat as the expression it is the same instance's value; a repeated question seen
from outside its repeat is a :class:`NodeSet` (for ``count``/``sum``); ``${rep}`` (a
repeat's own name) is a node-set with one node per instance.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from surveyapp.core.forms.codes import FormCode
from surveyapp.core.forms.functions import FUNCTIONS, UNSUPPORTED_FUNCTIONS
from surveyapp.core.forms.parser import (
    Binary,
    Call,
    Current,
    Expr,
    Neg,
    Num,
    Parent,
    Ref,
    Step,
    Str,
    walk,
)
from surveyapp.core.forms.values import (
    NodeSet,
    arithmetic,
    equals,
    not_equals,
    relational,
    to_bool,
    to_number,
)

Fn = Callable[["Ctx"], Any]
Issue = tuple[FormCode, dict[str, Any]]


class Ctx:
    """What an expression sees: the session's values, the instance, ``.``, a choice."""

    __slots__ = ("choice", "cur", "idx", "now", "s", "today")

    def __init__(self, s: Any, idx: int | None, cur: Any = "", choice: Any = None) -> None:
        self.s = s
        self.idx = idx
        self.cur = cur
        self.choice = choice
        self.today: dt.date = s.today
        self.now: dt.datetime = s.now

    def choice_name(self, question: str, value: str) -> str:
        return str(self.s.choice_label(question, value))


def analyze(
    tree: Expr,
    names: Mapping[str, str],
    *,
    allow_steps: bool = False,
) -> list[Issue]:
    """The problems of ``tree``; ``names`` maps every node name to its type.

    :param tree: a parsed expression.
    :param names: the form's question/group/repeat names.
    :param allow_steps: true in ``choice_filter``, where bare names are choice columns.
    """
    issues: list[Issue] = []
    for node in walk(tree):
        if isinstance(node, Ref) and node.name not in names:
            issues.append((FormCode.FORM_011, {"name": node.name, "position": node.pos}))
        elif isinstance(node, Call):
            spec = FUNCTIONS.get(node.name)
            if spec is None and node.name in UNSUPPORTED_FUNCTIONS:
                if UNSUPPORTED_FUNCTIONS[node.name]:
                    issues.append((FormCode.FORM_028, {"feature": f"{node.name}()"}))
                else:
                    issues.append((FormCode.FORM_026, {"function": node.name}))
                continue
            if spec is None:
                issues.append((FormCode.FORM_010, {"function": node.name, "position": node.pos}))
                continue
            low, high = spec[0], spec[1]
            got = len(node.args)
            if node.name == "indexed-repeat" and not (
                got == 3
                and isinstance(node.args[0], Ref)
                and isinstance(node.args[1], Ref)
                and names.get(node.args[1].name) == "Repeat"
                and names.get(node.args[0].name) == "Question"
            ):
                expected = "3 (${question}, ${repeat}, position)"
                issues.append(
                    (FormCode.FORM_013, {"function": node.name, "expected": expected, "got": got})
                )
                continue
            if got < low or (high is not None and got > high):
                expected = str(low) if low == high else f"{low}-{'' if high is None else high}"
                issues.append(
                    (FormCode.FORM_013, {"function": node.name, "expected": expected, "got": got})
                )
        elif isinstance(node, Step) and not allow_steps:
            issues.append((FormCode.FORM_016, {"path": node.name, "position": node.pos}))
    return issues


def references(tree: Expr) -> set[str]:
    """The names referenced as ``${name}`` (not ``${last-saved#name}``)."""
    return {n.name for n in walk(tree) if isinstance(n, Ref) and not n.last_saved}


def uses_position(tree: Expr) -> bool:
    return any(isinstance(n, Call) and n.name == "position" for n in walk(tree))


def compile_expr(tree: Expr, repeat_of: Mapping[str, str], here: str) -> Fn:
    """A closure evaluating ``tree`` for an expression in repeat ``here`` (``""``: none).

    :param tree: a checked AST.
    :param repeat_of: node name → the repeat enclosing it (a repeat maps to itself).
    :param here: the repeat enclosing the expression's question.
    """

    def ref(name: str) -> Fn:
        rep = repeat_of.get(name, "")
        if rep and rep == name:  # ${repeat}: one node per instance
            return lambda c: NodeSet(("",) * len(c.s.inst[name]))
        if not rep:
            return lambda c: c.s.vals.get(name, "")
        if rep == here:
            return lambda c: c.s.inst[rep][c.idx].get(name, "")
        return lambda c: NodeSet(d.get(name, "") for d in c.s.inst[rep])

    def comp(node: Expr) -> Fn:
        if isinstance(node, Num):
            value = node.value
            return lambda c: value
        if isinstance(node, Str):
            text = node.value
            return lambda c: text
        if isinstance(node, Ref):
            if node.last_saved:
                name = node.name
                return lambda c: c.s.last_saved_value(name)
            return ref(node.name)
        if isinstance(node, Current):
            return lambda c: c.cur
        if isinstance(node, Parent):
            return lambda c: ""
        if isinstance(node, Step):
            column = node.name
            return lambda c: c.choice.get(column) if c.choice is not None else ""
        if isinstance(node, Neg):
            inner = comp(node.operand)
            return lambda c: -to_number(inner(c))
        if isinstance(node, Binary):
            return binary(node)
        return call(node)

    def binary(node: Binary) -> Fn:
        left, right, op = comp(node.left), comp(node.right), node.op
        if op == "and":
            return lambda c: _truth(left(c)) and _truth(right(c))
        if op == "or":
            return lambda c: _truth(left(c)) or _truth(right(c))
        if op in ("=", "!=") and (isinstance(node.left, Str) or isinstance(node.right, Str)):
            return text_compare(node, op)
        if op == "=":
            return lambda c: equals(left(c), right(c))
        if op == "!=":
            return lambda c: not_equals(left(c), right(c))
        if op in ("<", "<=", ">", ">="):
            return lambda c: relational(op, left(c), right(c))
        return lambda c: arithmetic(op, left(c), right(c))

    def text_compare(node: Binary, op: str) -> Fn:
        """``${q} = 'text'`` (and ``!=``, either side): a text answer compares as text,
        without ``equals``'s checks for node-sets, booleans, numbers and dates; any other
        value goes through ``equals`` / ``not_equals`` as before."""
        literal, other = (node.right, node.left) if isinstance(node.right, Str) else (
            node.left, node.right)
        assert isinstance(literal, Str)  # noqa: S101 - checked by the caller
        text, value = literal.value, comp(other)
        if op == "=":
            def eq(c: Ctx) -> Any:
                v = value(c)
                return v == text if type(v) is str else equals(v, text)

            return eq

        def ne(c: Ctx) -> Any:
            v = value(c)
            return v != text if type(v) is str else not_equals(v, text)

        return ne

    def call(node: Call) -> Fn:
        args = [comp(a) for a in node.args]
        if node.name == "if":
            cond, yes, no = args
            return lambda c: yes(c) if _truth(cond(c)) else no(c)
        if node.name == "indexed-repeat":
            return indexed(node)
        impl = FUNCTIONS[node.name][2]
        if not args:
            return lambda c: impl(c, ())
        if len(args) == 1:
            only = args[0]
            return lambda c: impl(c, (only(c),))
        if len(args) == 2:
            one, two = args
            return lambda c: impl(c, (one(c), two(c)))
        return lambda c: impl(c, [f(c) for f in args])

    def indexed(node: Call) -> Fn:
        """``indexed-repeat(${q}, ${rep}, n)``: ``q`` in instance ``n`` (from 1; below 1
        is the first, as JavaRosa), ``""`` past the last."""
        first, second = node.args[0], node.args[1]
        assert isinstance(first, Ref) and isinstance(second, Ref)  # noqa: S101 - analyze()
        name, rep, position = first.name, second.name, comp(node.args[2])
        if repeat_of.get(name) != rep:
            return lambda c: ""

        def get(c: Ctx) -> Any:
            n = to_number(position(c))
            at = 0 if n != n or n < 1 else int(n) - 1  # NaN or < 1: the first instance
            items = c.s.inst[rep]
            return items[at].get(name, "") if at < len(items) else ""

        return get

    return comp(tree)


def _truth(value: Any) -> bool:
    """``to_bool``, with a boolean (what comparisons and most functions return) as is."""
    return value if type(value) is bool else to_bool(value)
