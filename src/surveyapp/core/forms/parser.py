"""Parse an expression into a small AST (no ``eval``/``exec`` anywhere).

Precedence, loosest first, as in XPath 1.0: ``or``; ``and``; ``= !=``; ``< <= > >=``;
``+ -``; ``* div mod``; unary ``-``; then literals, ``${name}``, ``.``, ``..``, calls,
bare names (a choice's column inside ``choice_filter``) and parentheses.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from surveyapp.core.forms.lexer import (
    COMMA,
    DOT,
    DOTDOT,
    EOF,
    LP,
    NAME,
    NUM,
    OP,
    REF,
    RP,
    STR,
    ExprError,
    Token,
    tokenize,
)


@dataclass(frozen=True, slots=True)
class Num:
    value: float


@dataclass(frozen=True, slots=True)
class Str:
    value: str


@dataclass(frozen=True, slots=True)
class Ref:
    name: str
    pos: int
    last_saved: bool = False


@dataclass(frozen=True, slots=True)
class Current:
    pass


@dataclass(frozen=True, slots=True)
class Parent:
    pass


@dataclass(frozen=True, slots=True)
class Step:
    """A bare name: a column of the choice being filtered."""

    name: str
    pos: int


@dataclass(frozen=True, slots=True)
class Call:
    name: str
    args: tuple[Expr, ...]
    pos: int


@dataclass(frozen=True, slots=True)
class Binary:
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Neg:
    operand: Expr


Expr = Num | Str | Ref | Current | Parent | Step | Call | Binary | Neg

_LEVELS: tuple[frozenset[str], ...] = (
    frozenset({"or"}),
    frozenset({"and"}),
    frozenset({"=", "!="}),
    frozenset({"<", "<=", ">", ">="}),
    frozenset({"+", "-"}),
    frozenset({"*", "div", "mod"}),
)
LAST_SAVED = "last-saved#"


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect(self, kind: str, what: str) -> Token:
        tok = self.peek()
        if tok.kind != kind:
            raise ExprError(tok.pos, f"缺少“{what}” / expected '{what}'")
        return self.take()

    def binary(self, level: int) -> Expr:
        if level == len(_LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        ops = _LEVELS[level]
        while self.peek().kind == OP and self.peek().text in ops:
            op = self.take().text
            right = self.binary(level + 1)
            left = Binary(op, left, right)
        return left

    def unary(self) -> Expr:
        tok = self.peek()
        if tok.kind == OP and tok.text == "-":
            self.take()
            return Neg(self.unary())
        return self.primary()

    def primary(self) -> Expr:
        tok = self.take()
        if tok.kind == NUM:
            return Num(float(tok.text))
        if tok.kind == STR:
            return Str(tok.text)
        if tok.kind == REF:
            if tok.text.startswith(LAST_SAVED):
                return Ref(tok.text[len(LAST_SAVED) :].strip(), tok.pos, last_saved=True)
            return Ref(tok.text, tok.pos)
        if tok.kind == DOT:
            return Current()
        if tok.kind == DOTDOT:
            return Parent()
        if tok.kind == LP:
            inner = self.binary(0)
            self.expect(RP, ")")
            return inner
        if tok.kind == NAME:
            if self.peek().kind == LP:
                self.take()
                args: list[Expr] = []
                if self.peek().kind != RP:
                    args.append(self.binary(0))
                    while self.peek().kind == COMMA:
                        self.take()
                        args.append(self.binary(0))
                self.expect(RP, ")")
                return Call(tok.text, tuple(args), tok.pos)
            return Step(tok.text, tok.pos)
        if tok.kind == EOF:
            raise ExprError(tok.pos, "表达式不完整 / the expression ends too early")
        raise ExprError(tok.pos, f"此处不应出现“{tok.text}” / unexpected '{tok.text}'")


def parse(src: str) -> Expr:
    """The AST of ``src``.

    :param src: an expression as written in the form.
    :raises ExprError: with the 1-based position of the problem.
    """
    parser = _Parser(tokenize(src))
    if parser.peek().kind == EOF:
        raise ExprError(1, "表达式为空 / the expression is empty")
    tree = parser.binary(0)
    tok = parser.peek()
    if tok.kind != EOF:
        raise ExprError(tok.pos, f"此处不应出现“{tok.text}” / unexpected '{tok.text}'")
    return tree


def walk(node: Expr) -> Iterator[Expr]:
    """Every node of the tree, parents first."""
    yield node
    if isinstance(node, Call):
        for arg in node.args:
            yield from walk(arg)
    elif isinstance(node, Binary):
        yield from walk(node.left)
        yield from walk(node.right)
    elif isinstance(node, Neg):
        yield from walk(node.operand)
