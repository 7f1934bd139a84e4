"""Tokenizer for XLSForm expressions (the XPath 1.0 subset that forms use)."""

from __future__ import annotations

from dataclasses import dataclass

NUM, STR, REF, DOT, DOTDOT, NAME, OP, LP, RP, COMMA, EOF = (
    "num",
    "str",
    "ref",
    "dot",
    "dotdot",
    "name",
    "op",
    "(",
    ")",
    ",",
    "eof",
)
WORD_OPS = frozenset({"and", "or", "div", "mod"})
_OPERAND_END = frozenset({NUM, STR, REF, DOT, DOTDOT, NAME, RP})
_TWO = ("!=", "<=", ">=")
_ONE = "=<>+-*|"


class ExprError(Exception):
    """A syntax error at ``position`` (1-based character); ``reason`` is bilingual."""

    def __init__(self, position: int, reason: str) -> None:
        super().__init__(f"{reason} at {position}")
        self.position = position
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    text: str
    pos: int  # 1-based


def _is_name_start(ch: str) -> bool:
    return ch.isalpha() or ch == "_"


def _is_name_char(ch: str) -> bool:
    return ch.isalnum() or ch in "_-.:"


_CURLY = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "＇": "'", "＂": '"'})


def straight_quotes(src: str) -> str:
    """``src`` with Excel's autocorrected curly quotes (‘yes’, “yes”) made straight."""
    return src.translate(_CURLY)


def tokenize(src: str) -> list[Token]:
    """Split ``src`` into tokens; ``and or div mod`` become operators after an operand.

    :raises ExprError: on an unterminated string or ``${``, or a stray character.
    """
    out: list[Token] = []
    i, n = 0, len(src)
    while i < n:
        ch = src[i]
        if ch.isspace():
            i += 1
            continue
        start = i
        if ch in "'\"":
            end = src.find(ch, i + 1)
            if end < 0:
                raise ExprError(start + 1, "引号未闭合 / unterminated string")
            out.append(Token(STR, src[i + 1 : end], start + 1))
            i = end + 1
        elif src.startswith("${", i):
            end = src.find("}", i + 2)
            if end < 0:
                raise ExprError(start + 1, "“${”缺少“}” / '${' without '}'")
            name = src[i + 2 : end].strip()
            if not name:
                raise ExprError(start + 1, "“${}”中缺少题目名称 / empty '${}'")
            out.append(Token(REF, name, start + 1))
            i = end + 1
        elif ch.isdigit() or (ch == "." and i + 1 < n and src[i + 1].isdigit()):
            while i < n and src[i].isdigit():
                i += 1
            if i < n and src[i] == ".":
                i += 1
                while i < n and src[i].isdigit():
                    i += 1
            out.append(Token(NUM, src[start:i], start + 1))
        elif src.startswith("..", i):
            out.append(Token(DOTDOT, "..", start + 1))
            i += 2
        elif ch == ".":
            out.append(Token(DOT, ".", start + 1))
            i += 1
        elif _is_name_start(ch):
            while i < n and _is_name_char(src[i]):
                i += 1
            word = src[start:i]
            prev = out[-1].kind if out else None
            kind = OP if word in WORD_OPS and prev in _OPERAND_END else NAME
            out.append(Token(kind, word, start + 1))
        elif src.startswith(_TWO, i):
            out.append(Token(OP, src[i : i + 2], start + 1))
            i += 2
        elif ch in _ONE:
            out.append(Token(OP, ch, start + 1))
            i += 1
        elif ch == "(":
            out.append(Token(LP, ch, start + 1))
            i += 1
        elif ch == ")":
            out.append(Token(RP, ch, start + 1))
            i += 1
        elif ch == ",":
            out.append(Token(COMMA, ch, start + 1))
            i += 1
        elif ch == "/":
            raise ExprError(
                start + 1, "不支持路径写法，请用 ${名称} / paths are not supported, use ${name}"
            )
        else:
            raise ExprError(start + 1, f"无法识别的字符“{ch}” / unexpected character '{ch}'")
    out.append(Token(EOF, "", n + 1))
    return out
