"""The engine's form tree, flattened into what the view lays out: sections, repeats, fields.

The only module of the form view that knows the shape of ``surveyapp.core.forms.model``.
Top-level groups become sections; questions outside any group go into a first section;
nested groups inside a section are flattened (their label becomes a sub-heading).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication

from surveyapp.core.forms.aliases import META_TYPES


@dataclass(slots=True)
class FieldSpec:
    name: str
    type: str  # the base type: text, integer, decimal, date, select_one, ...
    label: str
    hint: str
    list_name: str
    appearance: str
    required: bool
    read_only: bool
    repeat: str = ""  # the enclosing repeat's name


@dataclass(slots=True)
class RepeatSpec:
    name: str
    label: str
    fields: list[FieldSpec] = field(default_factory=list)


@dataclass(slots=True)
class SectionSpec:
    name: str
    label: str
    items: list[FieldSpec | RepeatSpec | str] = field(default_factory=list)  # str = sub-heading

    def fields(self) -> list[FieldSpec]:
        out: list[FieldSpec] = []
        for item in self.items:
            if isinstance(item, FieldSpec):
                out.append(item)
            elif isinstance(item, RepeatSpec):
                out.extend(item.fields)
        return out


def text_in(value: Any, lang: str) -> str:
    """A label/hint in ``lang``: engine labels are ``{lang: text}`` mappings or plain text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        for key in (lang, "zh", "en", "default", ""):
            if value.get(key):
                return str(value[key])
        return next((str(v) for v in value.values() if v), "")
    return str(value)


def _kind(node: Any) -> str:
    cls = type(node).__name__.lower()
    if "repeat" in cls:
        return "repeat"
    if "group" in cls:
        return "group"
    return "question"


def _children(node: Any) -> list[Any]:
    for attr in ("children", "items", "nodes", "questions"):
        value = getattr(node, attr, None)
        if value is not None:
            return list(value)
    return []


def base_type(qtype: str) -> str:
    return qtype.split()[0] if qtype else "text"


def _field(node: Any, lang: str, repeat: str) -> FieldSpec:
    qtype = str(getattr(node, "type", "text"))
    list_name = getattr(node, "choices", None) or getattr(node, "list_name", None) or ""
    if not list_name and " " in qtype:
        list_name = qtype.split()[1]
    required = getattr(node, "required", False)
    return FieldSpec(
        name=str(node.name),
        type=base_type(qtype),
        label=text_in(getattr(node, "label", ""), lang) or str(node.name),
        hint=text_in(getattr(node, "hint", ""), lang),
        list_name=str(list_name),
        appearance=str(getattr(node, "appearance", "") or ""),
        required=bool(required) and str(required).lower() not in ("no", "false", "false()"),
        read_only=bool(getattr(node, "read_only", False)),
        repeat=repeat,
    )


def build_sections(form: Any, lang: str) -> list[SectionSpec]:
    """Sections in form order; calculates without a label are left out of the layout."""
    sections: list[SectionSpec] = []

    def add_items(target: SectionSpec, nodes: list[Any], repeat: RepeatSpec | None) -> None:
        for node in nodes:
            kind = _kind(node)
            if kind == "group":
                label = text_in(getattr(node, "label", ""), lang)
                if label and repeat is None:
                    target.items.append(label)
                add_items(target, _children(node), repeat)
            elif kind == "repeat":
                rep = RepeatSpec(str(node.name), text_in(getattr(node, "label", ""), lang))
                target.items.append(rep)
                add_items(target, _children(node), rep)
            else:
                spec = _field(node, lang, repeat.name if repeat else "")
                if spec.type == "calculate" and not text_in(getattr(node, "label", ""), lang):
                    continue
                if spec.type in META_TYPES:  # filled by ODK itself, never shown
                    continue
                (repeat.fields if repeat is not None else target.items).append(spec)

    loose: SectionSpec | None = None
    for node in _children(form):
        if _kind(node) == "group":
            section = SectionSpec(str(node.name), text_in(getattr(node, "label", ""), lang))
            add_items(section, _children(node), None)
            sections.append(section)
            loose = None
            continue
        if loose is None:
            label = text_in(getattr(node, "label", ""), lang) if _kind(node) == "repeat" else ""
            loose = SectionSpec(
                f"_loose{len(sections)}",
                label or QCoreApplication.translate("FormView", "其他"),
            )
            sections.append(loose)
        add_items(loose, [node], None)
    return [s for s in sections if s.items]
