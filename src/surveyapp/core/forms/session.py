"""FormSession: one filling of a form, re-evaluating only what an answer change touches.

Paths are a question's name, or ``repeat[i]/question`` (``i`` from 0) inside a repeat.
The session keeps what was typed even while a question is not relevant (so it comes
back when the question does), but a non-relevant question reads as ``""`` in every
expression and is left out of :meth:`FormSession.submission`.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
from collections.abc import Iterator, Mapping
from typing import Any

from surveyapp.core.forms.codes import FormCode
from surveyapp.core.forms.coerce import coerce, export
from surveyapp.core.forms.evaluate import Ctx
from surveyapp.core.forms.graph import Key, Program
from surveyapp.core.forms.model import Choice, Form, Group, Node, Question, Repeat, text_in
from surveyapp.core.forms.values import to_bool, to_number, to_string
from surveyapp.errors import SurveyError

_MISSING = object()
_PATH = re.compile(r"^([^\[\]/]+)\[(\d+)\]/([^\[\]/]+)\Z")
_INTERP = re.compile(r"\$\{([^}]+)\}")
Slot = tuple[str, int | None]  # (name, repeat instance or None)
ErrorState = tuple[FormCode, dict[str, Any]] | None


class FormSession:
    """Answers to one form, with relevance, calculations and errors kept up to date.

    :param form: a loaded form.
    :param answers: question name → value; a repeat is a list of ``{name: value}``.
    :param today: the date ``today()`` returns (default: the real today).
    :param last_saved: the previous submission, for ``${last-saved#name}`` defaults.
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
        self.answers: dict[str, Any] = {}
        self.vals: dict[str, Any] = {}
        self.inst: dict[str, list[dict[str, Any]]] = {r.name: [] for r in form.repeats()}
        self.inst_answers: dict[str, list[dict[str, Any]]] = {r: [] for r in self.inst}
        self.rel: dict[Slot, bool] = {}
        self.err: dict[Slot, ErrorState] = {}
        self.bad: dict[Slot, FormCode] = {}
        self.cf: dict[Slot, tuple[str, ...]] = {}
        self.cnt: dict[str, int] = {}
        self.evaluated: list[tuple[str, str, int | None]] = []  # the last run's nodes
        given = dict(answers or {})
        for name, value in given.items():
            node = form.nodes.get(name)
            if isinstance(node, Repeat):
                self._load_repeat(node, value)
            elif isinstance(node, Question) and node.type not in ("calculate", "note"):
                self._store(node, None, value)
        for q in form.questions():
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
        old = store.get(q.name, _MISSING)
        store[q.name] = typed
        slot = (q.name, idx)
        if bad is None:
            self.bad.pop(slot, None)
        else:
            self.bad[slot] = bad
        return old is _MISSING or old != typed or type(old) is not type(typed)

    def _default(self, q: Question, idx: int | None, *, early: bool) -> bool:
        prog = self.program
        if early and q.name in prog.literal_defaults:
            return self._store(q, idx, prog.literal_defaults[q.name])
        if (early and q.name in prog.early_defaults) or (
            not early and q.name in prog.late_defaults
        ):
            value = prog.fns[("default", q.name)](Ctx(self, idx))
            if q.type in ("text", "select_one", "select_multiple", "acknowledge"):
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

    # --- evaluation --------------------------------------------------------------------
    def _instances(self, name: str) -> Iterator[int | None]:
        rep = self.program.repeat_of.get(name, "")
        if not rep or rep == name:
            yield None
        else:
            yield from range(len(self.inst[rep]))

    def _full(self) -> None:
        self.evaluated = []
        for kind, name in self.program.order:
            for idx in self._instances(name):
                self._eval(kind, name, idx)

    def _eval(self, kind: str, name: str, idx: int | None) -> bool:
        """Evaluate one node; true when its result changed."""
        self.evaluated.append((kind, name, idx))
        node = self.form.nodes[name]
        fns = self.program.fns
        slot = (name, idx)
        if kind == "rel":
            own = True
            fn = fns.get(("relevant", name))
            if fn is not None:
                own = to_bool(fn(Ctx(self, idx)))
            if own and node.parent:
                parent = self.form.nodes[node.parent]
                pidx = None if isinstance(parent, Repeat) else idx
                own = self.rel.get((node.parent, pidx), True)
            old = self.rel.get(slot)
            self.rel[slot] = own
            return old is not own
        if kind == "val":
            if not isinstance(node, Question):
                return False
            value: Any = ""
            if self.rel.get(slot, True):
                if node.type == "calculate":
                    fn = fns.get(("calculation", name))
                    value = to_string(fn(Ctx(self, idx))) if fn is not None else ""
                elif node.type != "note":
                    store = self.answers if idx is None else self.inst_answers[node.repeat][idx]
                    value = store.get(name, "")
            target = self.vals if idx is None else self.inst[node.repeat][idx]
            old = target.get(name, _MISSING)
            target[name] = value
            return old is _MISSING or old != value or type(old) is not type(value)
        if kind == "err":
            if not isinstance(node, Question):
                return False
            state = self._error_state(node, idx)
            old_state = self.err.get(slot, _MISSING)
            self.err[slot] = state
            return old_state is _MISSING or old_state != state
        if kind == "cf":
            if not isinstance(node, Question):
                return False
            fn = fns[("choice_filter", name)]
            cur = self._value(name, idx)
            names = tuple(
                c.name
                for c in self.form.choices.get(node.choices, ())
                if to_bool(fn(Ctx(self, idx, cur, c)))
            )
            old_names = self.cf.get(slot)
            self.cf[slot] = names
            return old_names != names
        count = len(self.inst[name])
        old_count = self.cnt.get(name)
        self.cnt[name] = count
        return old_count != count

    def _value(self, name: str, idx: int | None) -> Any:
        rep = self.program.repeat_of.get(name, "")
        if idx is None or not rep:
            return self.vals.get(name, "")
        return self.inst[rep][idx].get(name, "")

    def _error_state(self, q: Question, idx: int | None) -> ErrorState:
        slot = (q.name, idx)
        if not self.rel.get(slot, True):
            return None
        bad = self.bad.get(slot)
        value = self._value(q.name, idx)
        if bad is not None:
            return (bad, {"value": to_string(value)})
        fns = self.program.fns
        if value == "":
            fn = fns.get(("required_if", q.name))
            if fn is not None and to_bool(fn(Ctx(self, idx, value))):
                return (FormCode.FORM_101, {})
            return None
        fn = fns.get(("constraint", q.name))
        if fn is not None and not to_bool(fn(Ctx(self, idx, value))):
            return (FormCode.FORM_102, {})
        if q.choices:
            names = {c.name for c in self.form.choices.get(q.choices, ())}
            picked = to_string(value).split() if q.type == "select_multiple" else [value]
            for one in picked:
                if one not in names:
                    return (FormCode.FORM_106, {"value": one})
        return None

    def _targets(self, source: Key, idx: int | None, target: Key) -> Iterator[int | None]:
        prog = self.program
        trep = prog.repeat_of.get(target[1], "")
        if not trep or trep == target[1]:
            yield None
            return
        srep = prog.repeat_of.get(source[1], "")
        if idx is not None and srep == trep and source[0] != "cnt":
            yield idx
        else:
            yield from range(len(self.inst[trep]))

    def _run(self, seeds: list[tuple[str, str, int | None]]) -> set[str]:
        """Evaluate ``seeds``, then whatever depends on a node whose result changed."""
        prog = self.program
        self.evaluated = []
        changed: set[str] = set()
        heap: list[tuple[int, int, str, str, int | None]] = []
        queued: set[tuple[str, str, int | None]] = set()
        for kind, name, idx in seeds:
            if (kind, name) in prog.rank and (kind, name, idx) not in queued:
                queued.add((kind, name, idx))
                heapq.heappush(
                    heap, (prog.rank[(kind, name)], -1 if idx is None else idx, kind, name, idx)
                )
        while heap:
            _, _, kind, name, idx = heapq.heappop(heap)
            if not self._eval(kind, name, idx):
                continue
            changed.add(self.path_of(name, idx))
            for target in prog.dependents.get((kind, name), ()):
                for tidx in self._targets((kind, name), idx, target):
                    key = (target[0], target[1], tidx)
                    if key not in queued:
                        queued.add(key)
                        heapq.heappush(
                            heap, (prog.rank[target], -1 if tidx is None else tidx, *key)
                        )
        return changed

    # --- paths -------------------------------------------------------------------------
    def path_of(self, name: str, idx: int | None) -> str:
        rep = self.program.repeat_of.get(name, "")
        if idx is None or not rep or rep == name:
            return name
        return f"{rep}[{idx}]/{name}"

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
        for (name, idx), state in self.err.items():
            if state is not None:
                path = self.path_of(name, idx)
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
        names = set(kept)
        return [c for c in every if c.name in names]

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
        text = text_in(node.label, lang, self.form.default_language)

        def sub(m: re.Match[str]) -> str:
            name = m.group(1).strip()
            if name not in self.form.nodes:
                return m.group(0)
            rep = self.program.repeat_of.get(name, "")
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
        idx = len(self.inst[name])
        self.inst_answers[name].append({})
        self.inst[name].append({})
        members = self.program.members.get(name, ())
        for member in members:
            q = self.form.nodes[member]
            if isinstance(q, Question) and q.type not in ("calculate", "note"):
                self._default(q, idx, early=True)
                self._default(q, idx, early=False)
        inside = set(members)
        seeds: list[tuple[str, str, int | None]] = [
            (k, n, idx) for k, n in self.program.order if n in inside
        ]
        seeds.append(("cnt", name, None))
        self._run(seeds)
        return idx

    def remove_repeat(self, name: str, index: int) -> None:
        """Remove instance ``index``; later instances move down by one."""
        self._repeat(name)
        if not 0 <= index < len(self.inst[name]):
            raise SurveyError(FormCode.FORM_201, path=f"{name}[{index}]")
        del self.inst[name][index]
        del self.inst_answers[name][index]
        members = set(self.program.members.get(name, ()))
        for store in (self.rel, self.err, self.bad, self.cf):
            for key in [k for k in store if k[0] in members and k[1] is not None]:
                del store[key]
        self._full()

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
