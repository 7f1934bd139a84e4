"""Spellings that XLSForm (and pyxform) accept for the same column, type or setting."""

from __future__ import annotations

from dataclasses import dataclass

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
    "requiredmsg": "required_message",
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

# Type spellings → canonical type (pyxform's question_type_dictionary and aliases).
TYPE_ALIASES: dict[str, str] = {
    "text": "text",
    "string": "text",
    "q string": "text",
    "add text prompt": "text",
    "phone number": "text",  # with the constraint and hint of IMPLIED below
    "integer": "integer",
    "int": "integer",
    "q int": "integer",
    "add integer prompt": "integer",
    "percentage": "integer",
    "number of days in last month": "integer",
    "number of days in last six months": "integer",
    "number of days in last year": "integer",
    "decimal": "decimal",
    "q decimal": "decimal",
    "add decimal prompt": "decimal",
    "date": "date",
    "q date": "date",
    "add date prompt": "date",
    "time": "time",
    "datetime": "datetime",
    "date time": "datetime",
    "q date time": "datetime",
    "q datetime": "datetime",
    "add date time prompt": "datetime",
    "add datetime prompt": "datetime",
    "geopoint": "geopoint",
    "gps": "geopoint",
    "location": "geopoint",
    "q location": "geopoint",
    "q geopoint": "geopoint",
    "add location prompt": "geopoint",
    "geotrace": "geotrace",
    "q geotrace": "geotrace",
    "geoshape": "geoshape",
    "q geoshape": "geoshape",
    "barcode": "barcode",
    "q barcode": "barcode",
    "add barcode prompt": "barcode",
    "range": "range",
    "select_one": "select_one",
    "select one": "select_one",
    "select1": "select_one",
    "q select1": "select_one",
    "select one from": "select_one",
    "select one using": "select_one",
    "add select one prompt using": "select_one",
    "select_one_external": "select_one",
    "select one external": "select_one",
    "select_one_from_file": "select_one",
    "select one from file": "select_one",
    "select_multiple": "select_multiple",
    "select multiple": "select_multiple",
    "select all that apply": "select_multiple",
    "select all that apply from": "select_multiple",
    "select multiple from": "select_multiple",
    "select multiple using": "select_multiple",
    "q select": "select_multiple",
    "add select multiple prompt using": "select_multiple",
    "select_multiple_from_file": "select_multiple",
    "select multiple from file": "select_multiple",
    "rank": "rank",
    "note": "note",
    "q note": "note",
    "add note prompt": "note",
    "calculate": "calculate",
    "q calculate": "calculate",
    "add calculate prompt": "calculate",
    "acknowledge": "acknowledge",
    "q acknowledge": "acknowledge",
    "add acknowledge prompt": "acknowledge",
    "trigger": "acknowledge",
    "begin group": "begin group",
    "begin_group": "begin group",
    "end group": "end group",
    "end_group": "end group",
    "begin repeat": "begin repeat",
    "begin_repeat": "begin repeat",
    "end repeat": "end repeat",
    "end_repeat": "end repeat",
    # Metadata that ODK fills in itself; kept so that real-world forms load, never shown.
    "start": "start",
    "start time": "start",
    "get start time": "start",
    "end": "end",
    "end time": "end",
    "get end time": "end",
    "today": "today",
    "get today": "today",
    "deviceid": "deviceid",
    "device id": "deviceid",
    "get device id": "deviceid",
    "imei": "deviceid",
    "uri:deviceid": "deviceid",
    "username": "username",
    "uri:username": "username",
    "phonenumber": "phonenumber",
    "get phone number": "phonenumber",
    "uri:phonenumber": "phonenumber",
    "simserial": "simserial",
    "sim id": "simserial",
    "get sim id": "simserial",
    "uri:simserial": "simserial",
    "subscriberid": "subscriberid",
    "subscriber id": "subscriberid",
    "get subscriber id": "subscriberid",
    "uri:subscriberid": "subscriberid",
    "email": "email",
    "uri:email": "email",
    "audit": "audit",
    "start-geopoint": "start-geopoint",
    "background-geopoint": "background-geopoint",
    "hidden": "hidden",
    "csv-external": "csv-external",
    "xml-external": "xml-external",
}

SELECT_TYPES = frozenset({"select_one", "select_multiple", "rank"})
META_TYPES = frozenset(
    {
        "start",
        "end",
        "today",
        "deviceid",
        "username",
        "phonenumber",
        "simserial",
        "subscriberid",
        "email",
        "audit",
        "start-geopoint",
        "background-geopoint",
        "hidden",
        "csv-external",
        "xml-external",
    }
)

# Types whose answer is a file (photo, recording, video, file): refused with FORM_021.
ATTACHMENT_TYPES = frozenset(
    {
        "image",
        "photo",
        "q picture",
        "q image",
        "add image prompt",
        "add photo prompt",
        "audio",
        "q audio",
        "add audio prompt",
        "background-audio",
        "video",
        "q video",
        "add video prompt",
        "file",
        "add file prompt",
        "osm",
    }
)

# A spelling that also adds a constraint and a hint, as pyxform does.
IMPLIED: dict[str, tuple[str, str]] = {
    "phone number": ("regex(., '^\\d*$')", "Enter numbers only."),
    "percentage": ("0 <= . and . <= 100", ""),
    "number of days in last month": ("0 <= . and . <= 31", "Enter a number 0-31."),
    "number of days in last six months": ("0 <= . and . <= 183", "Enter a number 0-183."),
    "number of days in last year": ("0 <= . and . <= 365", "Enter a number 0-365."),
}
_EXTERNAL = frozenset({"select_one_external", "select one external"})
_FROM_FILE = frozenset(
    {
        "select_one_from_file",
        "select one from file",
        "select_multiple_from_file",
        "select multiple from file",
    }
)
_OR_OTHER = ("or specify other", "or_other", "or other")
FILE_EXTENSIONS = (".csv", ".xml")  # choice lists read from a file beside the form

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
    "set_form_title": "form_title",
    "set_form_id": "form_id",
    "allow_choice_duplicates": "allow_choice_duplicates",
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


@dataclass(frozen=True, slots=True)
class TypeSpec:
    """A type cell as pyxform reads it.

    ``source`` is ``"file"`` for ``select_one_from_file x.csv``, ``"external"`` for
    ``select_one_external LIST`` (the ``external_choices`` sheet), else ``""``.
    ``extra`` is what follows the list name when it is not ``or_other`` (an error).
    """

    type: str
    list_name: str = ""
    source: str = ""
    or_other: bool = False
    spelling: str = ""
    extra: str = ""


def read_type(text: str) -> TypeSpec:
    """``"select_one  yes_no or_other"`` → ``TypeSpec("select_one", "yes_no", or_other=True)``.

    An unknown type keeps the cell's text as ``type``.

    :param text: a type cell.
    """
    words = text.split()
    if not words:
        return TypeSpec("")
    lowered = " ".join(words).lower()
    if lowered in TYPE_ALIASES:
        return TypeSpec(TYPE_ALIASES[lowered], spelling=lowered)
    if words[0].lower() == "osm":  # osm LIST: an OpenStreetMap file
        return TypeSpec("osm", spelling=lowered)
    if lowered in ATTACHMENT_TYPES:
        return TypeSpec(lowered, spelling=lowered)
    for width in (5, 4, 3, 2, 1):
        head = " ".join(words[:width]).lower()
        if head in TYPE_ALIASES and TYPE_ALIASES[head] in SELECT_TYPES:
            rest = words[width:]
            tail = " ".join(rest[1:]).lower()
            source = "external" if head in _EXTERNAL else "file" if head in _FROM_FILE else ""
            return TypeSpec(
                TYPE_ALIASES[head],
                rest[0] if rest else "",
                source,
                tail in _OR_OTHER,
                head,
                "" if tail in _OR_OTHER or not tail else " ".join(rest[1:]),
            )
    return TypeSpec(text.strip(), spelling=lowered)


def canonical_type(text: str) -> tuple[str, str]:
    """``"select_one  yes_no"`` → ``("select_one", "yes_no")``; unknown → ``(text, "")``.

    :param text: a type cell.
    """
    spec = read_type(text)
    return spec.type, spec.list_name
