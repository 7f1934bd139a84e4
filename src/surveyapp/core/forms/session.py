"""FormSession: one filling of a form, re-evaluating only what an answer change touches.

Paths are a question's name, or ``repeat[i]/question`` (``i`` from 0) inside a repeat.
The session keeps what was typed even while a question is not relevant (so it comes
back when the question does), but a non-relevant question reads as ``""`` in every
expression and is left out of :meth:`FormSession.submission`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from surveyapp.core.forms.codes import FormCode
from surveyapp.core.forms.coerce import coerce, export
from surveyapp.core.forms.engine import MISSING, Engine
from surveyapp.core.forms.evaluate import Ctx
from surveyapp.core.forms.graph import Program
from surveyapp.core.forms.model import Choice, Form, Group, Node, Question, Repeat, text_in
from surveyapp.core.forms.values import to_number, to_string
from surveyapp.errors import SurveyError

_PATH = re.compile(r"^([^\[\]/]+)\[(\d+)\]/([^\[\]/]+)\Z")
_INTERP = re.compile(r"\$\{([^}]+)\}")


class FormSession(Engine):
    """Answers to one form, with relevance, calculations and errors kept up to date.

    :param form: a loaded form.
    :param answers: question name → value; a repeat is a list of ``{name: value}``.
    :param today: the date ``today()`` returns (default: the real today).
    :param last_saved: the previous submission, for ``${last-saved#name}`` defaults.
    :param lang: the language of ``jr:choice-name()`` (default: the form's default).
    :raises SurveyError: FORM_202 when a repeat's answers are not a list of objects.
    """

    def __init__(
        self,
        form: Form,
        answers: Mapping[str, Any] | None = None,
        *,
        today: dt.date | None = None,
        last_saved: Mapping[str, Any] | None = None,
        lang: str | None = None,
    ) -> None:
        self.form = form
        self.program: Program = form.program
        self.today = today or dt.date.today()
        self.now = dt.datetime.combine(self.today, dt.datetime.now().time())
        self.lang = lang or form.default_language
        self.last_saved = dict(last_saved or {})
        self.repeat_base = 0
        # Raw (typed) answers, and effective values that expressions read.
        self._init_state(form)
        given = dict(answers or {})
        for name, value in given.items():
            node = form.nodes.get(name)
            if isinstance(node, Repeat):
                self._load_repeat(node, value)
            elif isinstance(node, Question) and not node.repeat and node.has_answer:
                self._store(node, None, value)
        for q in self.program.questions or form.questions():
            if not q.repeat and q.name not in given:
                self._default(q, None, early=True)
        self._full()
        for late in self.program.late_defaults:
            lq = self.form.nodes[late]
            if isinstance(lq, Question) and not lq.repeat and lq.name not in given:
                if self._default(lq, None, early=False):
                    self._run([("val", lq.name, None), ("err", lq.name, None)])

    # --- loading -----------------------------------------------------------------------
    def _load_repeat(self, rep: Repeat, items: Any) -> None:
        if not isinstance(items, list) or not all(isinstance(i, Mapping) for i in items):
            raise SurveyError(
                FormCode.FORM_202, path=rep.name, reason="a repeat is a list of objects"
            )
        for item in items:
            idx = len(self.inst_answers[rep.name])
            self.inst_answers[rep.name].append({})
            self.inst[rep.name].append({})
            for name in self.program.members.get(rep.name, ()):
                q = self.form.nodes[name]
                if not isinstance(q, Question) or q.type in ("calculate", "note"):
                    continue
                if name in item:
                    self._store(q, idx, item[name])
                else:
                    self._default(q, idx, early=True)

    def _store(self, q: Question, idx: int | None, value: Any) -> bool:
        typed, bad = coerce(q, value)
        store = self.answers if idx is None else self.inst_answers[q.repeat][idx]
        old = store.get(q.name, MISSING)
        store[q.name] = typed
        slot = (q.name, idx)
        if bad is None:
            self.bad.pop(slot, None)
        else:
            self.bad[slot] = bad
        return old is MISSING or old != typed or type(old) is not type(typed)

    def _default(self, q: Question, idx: int | None, *, early: bool) -> bool:
        prog = self.program
        if early and q.name in prog.literal_defaults:
            return self._store(q, idx, prog.literal_defaults[q.name])
        if (early and q.name in prog.early_defaults) or (
            not early and q.name in prog.late_defaults
        ):
            value = prog.fns[("default", q.name)](Ctx(self, idx))
            if q.type in ("text", "select_one", "select_multiple", "acknowledge", "calculate"):
                value = to_string(value)
            return self._store(q, idx, value)
        return False

    def last_saved_value(self, name: str) -> Any:
        """``${last-saved#name}``: the previous submission's value, typed, or ``""``."""
        node = self.form.nodes.get(name)
        value = self.last_saved.get(name, "")
        if isinstance(node, Question):
            return coerce(node, value)[0]
        return to_string(value)

    # --- paths -------------------------------------------------------------------------
    def _resolve(self, path: str) -> tuple[Node, int | None]:
        m = _PATH.match(path)
        if m:
            rep, index, name = m.group(1), int(m.group(2)), m.group(3)
            node = self.form.nodes.get(name)
            if (
                node is not None
                and self.program.repeat_of.get(name) == rep
                and rep != name
                and 0 <= index < len(self.inst.get(rep, ()))
            ):
                return node, index
            raise SurveyError(FormCode.FORM_201, path=path)
        node = self.form.nodes.get(path)
        if node is None or (self.program.repeat_of.get(path, path) != path):
            raise SurveyError(FormCode.FORM_201, path=path)
        return node, None

    # --- the public API ----------------------------------------------------------------
    def set(self, path: str, value: Any) -> set[str]:
        """Answer ``path`` and re-evaluate what depends on it.

        :returns: the paths whose value, relevance, error or choices changed.
        :raises SurveyError: FORM_201 for an unknown path or a calculate/note.
        """
        node, idx = self._resolve(path)
        if not isinstance(node, Question) or node.type in ("calculate", "note"):
            raise SurveyError(FormCode.FORM_201, path=path)
        moved = self._store(node, idx, value)
        changed = self._run([("val", node.name, idx), ("err", node.name, idx)])
        if moved:
            changed.add(path)
        return changed

    def value(self, path: str) -> Any:
        """The effective value (``""`` when empty or not relevant; typed answers)."""
        node, idx = self._resolve(path)
        return self._value(node.name, idx)

    def answer(self, path: str) -> Any:
        """What was answered, even while the question is not relevant."""
        node, idx = self._resolve(path)
        store = self.answers if idx is None else self.inst_answers[node.repeat][idx]
        return store.get(node.name, "")

    def is_relevant(self, path: str) -> bool:
        node, idx = self._resolve(path)
        return self.rel.get((node.name, idx), True)

    def error(self, path: str, lang: str = "zh") -> str | None:
        """The message for the answer at ``path``, or None when it is fine."""
        node, idx = self._resolve(path)
        state = self.err.get((node.name, idx))
        if not state or not isinstance(node, Question):
            return None
        code, ctx = state
        fallback = self.form.default_language
        if code is FormCode.FORM_101 and node.required_message:
            return text_in(node.required_message, lang, fallback)
        if code is FormCode.FORM_102 and node.constraint_message:
            return text_in(node.constraint_message, lang, fallback)
        return code.text(lang, **ctx)

    def errors(self, lang: str = "zh") -> dict[str, str]:
        """Every current error, path → message, in form order."""
        out: dict[str, str] = {}
        for q in self.form.questions():
            for idx in self._instances(q.name):
                if self.err.get((q.name, idx)) is not None:
                    path = self.path_of(q.name, idx)
                    out[path] = self.error(path, lang) or ""
        return out

    @property
    def complete(self) -> bool:
        """True when no relevant question has an error (required ones are answered)."""
        return not any(state is not None for state in self.err.values())

    def choices_for(self, path: str) -> list[Choice]:
        """The choices of a select question, after its ``choice_filter``."""
        node, idx = self._resolve(path)
        if not isinstance(node, Question) or not node.choices:
            return []
        every = self.form.choices.get(node.choices, ())
        kept = self.cf.get((node.name, idx))
        if kept is None:
            return list(every)
        return [every[i] for i in kept]

    def choice_label(self, question: str, value: str, lang: str | None = None) -> str:
        node = self.form.nodes.get(question)
        if not isinstance(node, Question):
            return ""
        for c in self.form.choices.get(node.choices, ()):
            if c.name == value:
                return c.text(lang or self.lang, self.form.default_language)
        return ""

    def label(self, path: str, lang: str = "zh") -> str:
        """The label in ``lang`` with ``${name}`` replaced by current values (notes)."""
        node, idx = self._resolve(path)
        return self._interpolate(text_in(node.label, lang, self.form.default_language), idx)

    def hint(self, path: str, lang: str = "zh") -> str:
        """The hint in ``lang`` with ``${name}`` replaced by current values."""
        node, idx = self._resolve(path)
        if not isinstance(node, Question):
            return ""
        return self._interpolate(text_in(node.hint, lang, self.form.default_language), idx)

    def _interpolate(self, text: str, idx: int | None) -> str:
        def sub(m: re.Match[str]) -> str:
            name = m.group(1).strip()
            if name not in self.form.nodes:
                return m.group(0)
            rep = self.program.repeat_of.get(name, "")
            if rep and rep != name and idx is None:
                return to_string(self._value(name, 0)) if self.inst[rep] else ""
            return to_string(self._value(name, idx if rep and rep != name else None))

        return _INTERP.sub(sub, text)

    # --- repeats -----------------------------------------------------------------------
    def repeat_count(self, name: str) -> int:
        self._repeat(name)
        return len(self.inst[name])

    def _repeat(self, name: str) -> Repeat:
        node = self.form.nodes.get(name)
        if not isinstance(node, Repeat):
            raise SurveyError(FormCode.FORM_201, path=name)
        return node

    def add_repeat(self, name: str) -> int:
        """Add an instance (defaults applied) and return its index (from 0)."""
        self._repeat(name)
        idx = self._append_instance(name)
        inside = set(self.program.members.get(name, ()))
        seeds: list[tuple[str, str, int | None]] = [
            (k, n, idx) for k, n in self.program.order if n in inside
        ]
        seeds.append(("cnt", name, None))
        self._run(seeds)
        return idx

    def _append_instance(self, name: str) -> int:
        idx = len(self.inst[name])
        self.inst_answers[name].append({})
        self.inst[name].append({})
        for member in self.program.members.get(name, ()):
            q = self.form.nodes[member]
            if isinstance(q, Question) and q.type not in ("calculate", "note"):
                self._default(q, idx, early=True)
                self._default(q, idx, early=False)
        return idx

    def remove_repeat(self, name: str, index: int) -> None:
        """Remove instance ``index``; later instances move down by one."""
        self._repeat(name)
        if not 0 <= index < len(self.inst[name]):
            raise SurveyError(FormCode.FORM_201, path=f"{name}[{index}]")
        self._drop_instance(name, index)
        inside = set(self.program.members.get(name, ()))
        seeds: list[tuple[str, str, int | None]] = [
            (k, n, i)
            for k, n in self.program.order
            if n in inside
            for i in range(index, len(self.inst[name]))
        ]
        seeds.append(("cnt", name, None))
        self._run(seeds)

    # --- results -----------------------------------------------------------------------
    def _export_nodes(self, nodes: tuple[Node, ...], idx: int | None, out: dict[str, Any]) -> None:
        for node in nodes:
            if not self.rel.get((node.name, None if isinstance(node, Repeat) else idx), True):
                continue
            if isinstance(node, Group):
                self._export_nodes(node.children, idx, out)
            elif isinstance(node, Repeat):
                items: list[dict[str, Any]] = []
                for i in range(len(self.inst[node.name])):
                    item: dict[str, Any] = {}
                    self._export_nodes(node.children, i, item)
                    items.append(item)
                out[node.name] = items
            elif node.type != "note":
                out[node.name] = export(self._value(node.name, idx))

    def submission(self) -> dict[str, Any]:
        """Answers and calculations of relevant questions; a repeat is a list of dicts."""
        out: dict[str, Any] = {}
        self._export_nodes(self.form.children, None, out)
        return out

    def relevance(self) -> dict[str, bool]:
        """Every path → whether it is relevant now."""
        return {self.path_of(name, idx): rel for (name, idx), rel in self.rel.items()}

    def number(self, path: str) -> float:
        """The value at ``path`` as a number (NaN when empty or not numeric)."""
        return to_number(self.value(path))
