"""Spellings that XLSForm (and pyxform) accept for the same column, type or setting."""

from __future__ import annotations

# Column header (lower case, without a ``::lang`` suffix) → our canonical column.
COLUMN_ALIASES: dict[str, str] = {
    "type": "type",
    "name": "name",
    "label": "label",
    "hint": "hint",
    "required": "required",
    "bind::required": "required",
    "required_message": "required_message",
    "required message": "required_message",
    "jr:requiredmsg": "required_message",
    "bind::jr:requiredmsg": "required_message",
    "relevant": "relevant",
    "relevance": "relevant",
    "bind::relevant": "relevant",
    "constraint": "constraint",
    "bind::constraint": "constraint",
    "constraint_message": "constraint_message",
    "constraint message": "constraint_message",
    "jr:constraintmsg": "constraint_message",
    "bind::jr:constraintmsg": "constraint_message",
    "calculation": "calculation",
    "calculate": "calculation",
    "bind::calculate": "calculation",
    "default": "default",
    "read_only": "read_only",
    "readonly": "read_only",
    "read only": "read_only",
    "bind::readonly": "read_only",
    "choice_filter": "choice_filter",
    "choice filter": "choice_filter",
    "appearance": "appearance",
    "control::appearance": "appearance",
    "repeat_count": "repeat_count",
    "jr:count": "repeat_count",
    "control::jr:count": "repeat_count",
    "list_name": "list_name",
    "list name": "list_name",
    "parameters": "parameters",
    "previous_name": "previous_name",
    "media::image": "image",
    "image": "image",
}

# Columns that may carry a language: ``label::zh``.
TRANSLATABLE = frozenset({"label", "hint", "required_message", "constraint_message", "image"})

# Type spellings → canonical type.
TYPE_ALIASES: dict[str, str] = {
    "text": "text",
    "string": "text",
    "integer": "integer",
    "int": "integer",
    "decimal": "decimal",
    "date": "date",
    "select_one": "select_one",
    "select one": "select_one",
    "select1": "select_one",
    "select_multiple": "select_multiple",
    "select multiple": "select_multiple",
    "select all that apply": "select_multiple",
    "note": "note",
    "calculate": "calculate",
    "acknowledge": "acknowledge",
    "trigger": "acknowledge",
    "begin group": "begin group",
    "begin_group": "begin group",
    "end group": "end group",
    "end_group": "end group",
    "begin repeat": "begin repeat",
    "begin_repeat": "begin repeat",
    "end repeat": "end repeat",
    "end_repeat": "end repeat",
    # Metadata that ODK fills in itself; kept so that real-world forms load.
    "start": "start",
    "end": "end",
    "today": "today",
    "deviceid": "deviceid",
    "username": "username",
}

SELECT_TYPES = frozenset({"select_one", "select_multiple"})
META_TYPES = frozenset({"start", "end", "today", "deviceid", "username"})

SETTING_ALIASES: dict[str, str] = {
    "form_id": "form_id",
    "id_string": "form_id",
    "form id": "form_id",
    "version": "version",
    "default_language": "default_language",
    "default language": "default_language",
    "form_title": "form_title",
    "title": "form_title",
    "form title": "form_title",
}

TRUE_WORDS = frozenset({"yes", "true", "true()", "1", "y"})
FALSE_WORDS = frozenset({"", "no", "false", "false()", "0", "n"})


def split_header(header: str) -> tuple[str, str | None]:
    """``"label::zh"`` → ``("label", "zh")``; unknown headers pass through lower-cased.

    :param header: a header cell as written.
    """
    text = header.strip()
    lang: str | None = None
    base = text
    lowered = text.lower()
    for sep in ("::", ":"):
        head, found, tail = text.partition(sep)
        if found and head.strip().lower() in TRANSLATABLE and tail.strip():
            base, lang = head, tail.strip()
            break
    else:
        base = lowered
    canonical = COLUMN_ALIASES.get(base.strip().lower(), base.strip().lower())
    return canonical, lang


def canonical_type(text: str) -> tuple[str, str]:
    """``"select_one  yes_no"`` → ``("select_one", "yes_no")``; unknown → ``(text, "")``.

    :param text: a type cell.
    """
    words = text.split()
    if not words:
        return "", ""
    lowered = " ".join(words).lower()
    if lowered in TYPE_ALIASES:
        return TYPE_ALIASES[lowered], ""
    for width in (3, 2, 1):
        head = " ".join(words[:width]).lower()
        if head in TYPE_ALIASES and TYPE_ALIASES[head] in SELECT_TYPES:
            rest = words[width:]
            return TYPE_ALIASES[head], rest[0] if rest else ""
    return text.strip(), ""
