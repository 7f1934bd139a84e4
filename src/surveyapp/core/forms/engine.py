"""The evaluation core of a form session: storage, node evaluation and propagation.

:class:`Engine` holds the typed answers and the derived state (effective values,
relevance, errors, filtered choices, repeat counts), evaluates one graph node at a
time, and propagates a change through the dependency graph in topological order,
visiting a dependent only when something it reads actually changed.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
from collections.abc import Iterator
from typing import Any

from surveyapp.core.forms.codes import FormCode
from surveyapp.core.forms.coerce import range_context
from surveyapp.core.forms.evaluate import Ctx
from surveyapp.core.forms.graph import Key, Program
from surveyapp.core.forms.model import Form, Question, Repeat
from surveyapp.core.forms.values import calculated, to_bool, to_number, to_string

MISSING = object()
MAX_INSTANCES = 500  # a repeat_count beyond this is taken as this
Slot = tuple[str, int | None]  # (name, repeat instance or None)
ErrorState = tuple[FormCode, dict[str, Any]] | None


class Engine:
    """State and evaluation shared by :class:`~surveyapp.core.forms.session.FormSession`."""

    form: Form
    program: Program
    today: dt.date
    now: dt.datetime
    answers: dict[str, Any]
    vals: dict[str, Any]
    inst: dict[str, list[dict[str, Any]]]
    inst_answers: dict[str, list[dict[str, Any]]]
    rel: dict[Slot, bool]
    err: dict[Slot, ErrorState]
    bad: dict[Slot, FormCode]
    cf: dict[Slot, tuple[int, ...]]  # the choices a choice_filter keeps, by position
    cnt: dict[str, int]
    evaluated: list[tuple[str, str, int | None]]
    grown: list[tuple[str, int]]  # instances that repeat_count just added

    def _init_state(self, form: Form) -> None:
        self.answers = {}
        self.vals = {}
        repeats = form.program.repeats if form.program is not None else ()
        self.inst = {name: [] for name in repeats or (r.name for r in form.repeats())}
        self.inst_answers = {r: [] for r in self.inst}
        self.rel = {}
        self.err = {}
        self.bad = {}
        self.cf = {}
        self.cnt = {}
        self.evaluated = []
        self.grown = []

    def path_of(self, name: str, idx: int | None) -> str:
        """The path of question ``name`` in instance ``idx`` (None outside repeats)."""
        rep = self.program.repeat_of.get(name, "")
        if idx is None or not rep or rep == name:
            return name
        return f"{rep}[{idx}]/{name}"

    def _instances(self, name: str) -> Iterator[int | None]:
        rep = self.program.repeat_of.get(name, "")
        if not rep or rep == name:
            yield None
        else:
            yield from range(len(self.inst[rep]))

    def _full(self) -> None:
        self.evaluated = []
        prog = self.program
        repeat_of, inst, evaluate = prog.repeat_of, self.inst, self._eval
        for kind, name in prog.order:
            rep = repeat_of.get(name, "")
            if rep and rep != name:
                for idx in range(len(inst[rep])):
                    evaluate(kind, name, idx)
            elif kind in ("rel", "val", "err"):
                self._first(kind, name)
            else:
                evaluate(kind, name, None)
            if not self.grown:
                continue
            for rep, new in self._take_grown():
                # Instances added by repeat_count: catch up on the nodes already passed.
                inside = set(prog.members.get(rep, ()))
                for k, n in prog.order[: prog.rank[(kind, name)]]:
                    if n in inside:
                        self._eval(k, n, new)

    def _first(self, kind: str, name: str) -> None:
        """``_eval(kind, name, None)`` for a node outside any repeat, in the first full
        evaluation (where what changed is not asked): the same state, fewer steps."""
        self.evaluated.append((kind, name, None))
        node = self.form.nodes[name]
        fns = self.program.fns
        if kind == "rel":
            own = True
            fn = fns.get(("relevant", name))
            if fn is not None:
                got = fn(Ctx(self, None))
                own = got if type(got) is bool else to_bool(got)
            if own and node.parent:
                own = self.rel.get((node.parent, None), True)
            self.rel[(name, None)] = own
        elif not isinstance(node, Question):
            return
        elif kind == "val":
            value: Any = ""
            if self.rel.get((name, None), True):
                qtype = node.type
                fn = fns.get(("calculation", name)) if qtype == "calculate" else None
                if fn is not None:
                    value = calculated(fn(Ctx(self, None, self.vals.get(name, ""))))
                elif qtype != "note":
                    value = self.answers.get(name, "")
            self.vals[name] = value
        else:
            self.err[(name, None)] = self._error_state(node, None)

    def _take_grown(self) -> list[tuple[str, int]]:
        grown, self.grown = self.grown, []
        return grown

    def _append_instance(self, name: str) -> int:
        """Add an empty instance of repeat ``name`` with its defaults; its index."""
        raise NotImplementedError

    def _fit_instances(self, name: str, wanted: float) -> None:
        """Add or drop instances at the end so that there are ``wanted`` (repeat_count)."""
        n = 0 if math.isnan(wanted) or wanted < 0 else int(min(wanted, MAX_INSTANCES))
        while len(self.inst[name]) < n:
            self.grown.append((name, self._append_instance(name)))
        while len(self.inst[name]) > n:
            self._drop_instance(name, len(self.inst[name]) - 1)

    def _drop_instance(self, name: str, index: int) -> None:
        """Remove instance ``index``; the state of later instances moves down by one."""
        del self.inst[name][index]
        del self.inst_answers[name][index]
        members = set(self.program.members.get(name, ()))
        stores: tuple[dict[Slot, Any], ...] = (self.rel, self.err, self.bad, self.cf)
        for store in stores:
            moved: dict[Slot, Any] = {}
            for key in [k for k in store if k[0] in members and k[1] is not None]:
                value = store.pop(key)
                i = key[1]
                if i is not None and i != index:
                    moved[(key[0], i - 1 if i > index else i)] = value
            store.update(moved)

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
                got = fn(Ctx(self, idx))
                own = got if type(got) is bool else to_bool(got)
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
            target = self.vals if idx is None else self.inst[node.repeat][idx]
            if self.rel.get(slot, True):
                fn = fns.get(("calculation", name)) if node.type == "calculate" else None
                if fn is not None:
                    value = calculated(fn(Ctx(self, idx, target.get(name, ""))))
                elif node.type != "note":
                    store = self.answers if idx is None else self.inst_answers[node.repeat][idx]
                    value = store.get(name, "")
            old = target.get(name, MISSING)
            target[name] = value
            return old is MISSING or old != value or type(old) is not type(value)
        if kind == "err":
            if not isinstance(node, Question):
                return False
            state = self._error_state(node, idx)
            old_state = self.err.get(slot, MISSING)
            self.err[slot] = state
            return old_state is MISSING or old_state != state
        if kind == "cf":
            if not isinstance(node, Question):
                return False
            fn = fns[("choice_filter", name)]
            cur = self._value(name, idx)
            names = tuple(
                i
                for i, c in enumerate(self.form.choices.get(node.choices, ()))
                if to_bool(fn(Ctx(self, idx, cur, c)))
            )
            old_names = self.cf.get(slot)
            self.cf[slot] = names
            return old_names != names
        fn = fns.get(("repeat_count", name))
        if fn is not None:
            self._fit_instances(name, to_number(fn(Ctx(self, None))))
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
            if bad is FormCode.FORM_111:
                return (bad, {"value": to_string(value), **range_context(q)})
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
            names = self.program.choice_names.get(q.choices)
            if names is None:
                names = frozenset(c.name for c in self.form.choices.get(q.choices, ()))
            multi = q.type in ("select_multiple", "rank")
            picked = to_string(value).split() if multi else [value]
            for one in picked:
                if one not in names:
                    return (FormCode.FORM_106, {"value": one})
            if q.type == "rank" and len(set(picked)) != len(picked):
                dup = next(p for p in picked if picked.count(p) > 1)
                return (FormCode.FORM_106, {"value": dup})
            kept = self.cf.get(slot)
            if kept is not None:
                every = self.form.choices.get(q.choices, ())
                allowed = {every[i].name for i in kept}
                for one in picked:
                    if one not in allowed:
                        return (FormCode.FORM_107, {"value": one})
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
            for rep, new in self._take_grown():
                for k, n in prog.order:
                    if n in prog.members.get(rep, ()) and (k, n, new) not in queued:
                        queued.add((k, n, new))
                        heapq.heappush(heap, (prog.rank[(k, n)], new, k, n, new))
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
