"""Who may write what: the per-revision rule of an import (docs/batch-format.md §6 rule 11).

A batch's signature proves which device sent it, not that the device may write what it
carries. Every revision line is therefore checked against its signer before anything is
committed; one refused revision refuses the whole batch (:class:`Unauthorized`, BATCH_014,
naming the record and the reason).

- **Own revisions** (``device_id`` is the signer's device) must stay inside the signer's
  unit: every village code the revision names (``village_code`` of a child or household,
  ``answers.village_code`` of a visit), the unit of the revisions it descends from (its
  parents, as the importer holds them) or, for a record without a held parent, the record's
  current unit at the importer, and the units of the children a visit or a link names must
  be the signer's own code or lie inside it. A village device writes only its village, a
  township device the villages of its township, the county any record of the county.
  Child and visit revisions must name a village code.
- **Authors**: the author of an own revision must be a user of the signing device as the
  batch itself states it: the ``user`` of one of the batch's audit entries of that device
  (its creator, anyone who worked on it) or a user it added (``user_added``). Author names
  are local to a device; the importer shows them with the signing device and unit.
- **Copies** (``device_id`` is another device: a township's return that came down to a
  village, or, in a township's own batch, the village revisions it holds) change nothing
  the importer cannot check: each must already be held by the importer, or be carried as
  an own revision by another batch of the same relay (``vouched``). Anything else is a
  revision in another device's name and is refused.
- **Down files** (township → one village, docs/batch-format.md §10, rule 12): the same
  checks with the township as the signer (its audit entries in the file state its
  authors), and :meth:`Authorizer.down`: the township's own revisions are ``child`` and
  ``link`` revisions that concern a child of the receiving village (one it holds, or one a
  child revision of the file places in that village).

Public API::

    Authorizer(signer, holdings, path=..., vouched=frozenset(), copies=True)
        .revisions(lines)   # each slice of revision lines, before it is stored
        .checked(digests)   # the same, for lines already parsed: line_digest(id, obj) each
        .audit(line)        # each audit line
        .finish()           # after the last line: the author rule
        .down(lines, village)   # a down file's own revisions concern that village
        .own                # the ids of the signer's own revisions seen (for relays)
    StoreHoldings(conn)     # what the importer's workspace holds
    line_digest(rev_id, obj) -> Digest   # what the rule reads of one parsed line
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import orjson

from surveyapp.core.batch.codes import BadPayload, Unauthorized
from surveyapp.core.batch.reader import Signer
from surveyapp.core.ids import is_within
from surveyapp.core.store.revisions import known_ids
from surveyapp.core.store.rowkeys import keys

_IN = 500  # ids per IN (...) query
DOWN_KINDS = ("child", "link")  # what a down file's own revisions may be (§10)


class Holdings(Protocol):
    """What the importer already holds."""

    def known(self, ids: Collection[str]) -> set[str]:
        """The revision ids among ``ids`` that are stored."""
        ...

    def revision_units(self, ids: Collection[str]) -> dict[str, tuple[str, str]]:
        """Stored revision id → (its record id, the village code its data names or "")."""
        ...

    def record_units(self, children: Collection[str],
                     households: Collection[str] = ()) -> dict[str, str]:
        """Stored child (or household) record id → its current village code."""
        ...


class _Rows(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Any]: ...


def _chunks(items: Collection[str]) -> Iterator[list[str]]:
    items = list(items)
    for i in range(0, len(items), _IN):
        yield items[i:i + _IN]


def unit_of(kind: str, data: Any) -> str | None:
    """The village code a revision's data names, or None."""
    if not isinstance(data, dict):
        return None
    if kind == "visit":
        answers = data.get("answers")
        data = answers if isinstance(answers, dict) else {}
    code = data.get("village_code")
    return code if isinstance(code, str) and code else None


@dataclass(slots=True)
class StoreHoldings:
    """:class:`Holdings` read from a workspace connection (primary-key lookups only, so
    they stay cheap inside a bulk import whose other indexes are deferred)."""

    conn: _Rows

    # Revisions and view rows are found through the compact keys of their ids (schema 6,
    # core/store/rowkeys.py): the key picks the candidate rows, the text id decides.
    def known(self, ids: Collection[str]) -> set[str]:
        return known_ids(self.conn, ids)

    def revision_units(self, ids: Collection[str]) -> dict[str, tuple[str, str]]:
        out: dict[str, tuple[str, str]] = {}
        for part in _chunks(ids):
            marks = ",".join("?" * len(part))
            wanted = set(part)
            for rid, kind, record, body in self.conn.execute(
                f"SELECT id, kind, record_id, body FROM revisions "
                f"WHERE idk IN ({marks})", keys(part)
            ):
                if rid not in wanted:
                    continue
                text = body if isinstance(body, str | bytes) else str(body)
                out[rid] = (record, unit_of(kind, orjson.loads(text).get("data")) or "")
        return out

    def record_units(self, children: Collection[str],
                     households: Collection[str] = ()) -> dict[str, str]:
        out: dict[str, str] = {}
        for table, ids in (("children", children), ("households", households)):
            for part in _chunks(ids):
                marks = ",".join("?" * len(part))
                wanted = set(part)
                where = (f"rk IN ({marks})", keys(part)) if table == "children" else (
                    f"record_id IN ({marks})", part)
                for rid, code in self.conn.execute(
                    f"SELECT record_id, village_code FROM {table} WHERE {where[0]}", where[1]
                ):
                    if rid in wanted:
                        out[rid] = code or ""
        return out


# What rule 11 reads of one revision line: (its id = the SHA-256 of the line, device_id,
# kind, record_id, parents, author, the village code its data names, the other records it
# names). Built by :func:`line_digest` from the parsed line, here or where the line was
# parsed once for the store too (``ops.importlines``).
Digest = tuple[str, Any, Any, str, list[str], Any, str | None, list[str]]


def line_digest(rev_id: str, obj: Any) -> Digest:
    """The :data:`Digest` of a parsed revision line whose SHA-256 is ``rev_id``.

    :raises KeyError, TypeError: ``obj`` is not a revision (no device_id, kind, record_id).
    """
    device, kind, record, data = obj["device_id"], obj["kind"], str(obj["record_id"]), \
        obj.get("data")
    refs: list[str] = []
    if isinstance(data, dict):
        if kind == "visit" and isinstance(data.get("child_id"), str):
            refs.append(data["child_id"])
        if kind == "link" and isinstance(data.get("records"), list):
            refs.extend(str(r) for r in data["records"])
    raw = obj.get("parents")
    parents = [str(p) for p in raw] if isinstance(raw, list) else []
    return (rev_id, device, kind, record, parents, obj.get("author"), unit_of(kind, data),
            refs)


@dataclass(slots=True)
class _Own:
    rev_id: str
    record_id: str
    kind: str
    parents: list[str]
    named: str | None  # the village code its data names
    refs: list[str]  # other records it names (a visit's child, a link's children)
    author: Any


@dataclass(slots=True)
class Authorizer:
    """Checks the revisions of one batch against its signer (see the module docstring)."""

    signer: Signer
    holdings: Holdings
    path: str = "?"
    vouched: Collection[str] = frozenset()
    copies: bool = True  # False: copies are checked later by the caller (a relay's own batch)
    collect: bool = False  # keep the ids of the signer's own revisions in ``own`` (relays)
    own: set[str] = field(default_factory=set)
    _authors: dict[str, tuple[str, str]] = field(default_factory=dict)  # author → (rev, record)
    _users: set[str] = field(default_factory=set)
    # Children of another unit now, whose revision here passed on its parents (a move).
    _children: set[str] = field(default_factory=set)
    _visits: dict[str, str] = field(default_factory=dict)  # child → visit, settled at finish

    def _refuse(self, record: str, reason: str) -> Unauthorized:
        return Unauthorized(path=self.path, device=self.signer.device_id,
                            org=self.signer.org_code, record=record, reason=reason)

    def _inside(self, code: str) -> bool:
        org = self.signer.org_code
        return code == org or is_within(code, org)

    def _fields(self, line: bytes) -> tuple[Any, Any, Any, str, Any]:
        """(the parsed line, device_id, kind, record_id, data) of a revision line; BATCH_010
        if it is none."""
        try:
            obj = orjson.loads(line)
            return obj, obj["device_id"], obj["kind"], str(obj["record_id"]), obj.get("data")
        except (orjson.JSONDecodeError, KeyError, TypeError) as err:
            raise BadPayload(path=self.path, reason="a revision is not JSON") from err

    def digest(self, line: bytes) -> Digest:
        """The :data:`Digest` of one revision line; BATCH_010 if it is none."""
        return line_digest(hashlib.sha256(line).hexdigest(), self._fields(line)[0])

    def revisions(self, lines: Iterable[bytes]) -> None:
        """Check one slice of revision lines (before it is stored).

        :raises Unauthorized: a revision its signer may not write.
        :raises BatchError: BATCH_010 for a line that is not a revision.
        """
        self.checked([self.digest(line) for line in lines])

    def checked(self, digests: Iterable[Digest]) -> None:
        """:meth:`revisions` for lines parsed elsewhere (:func:`line_digest` of each, in
        the order of the batch).

        :raises Unauthorized: a revision its signer may not write.
        """
        own: list[_Own] = []
        copies: dict[str, str] = {}
        me = self.signer.device_id
        for rev_id, device, kind, record, parents, author, named, refs in digests:
            if device != me:
                copies[rev_id] = record
                continue
            if self.collect:
                self.own.add(rev_id)
            own.append(_Own(rev_id, record, kind, parents, named, refs, author))
        self._check_own(own)
        if self.copies:
            self._check_copies(copies)

    def _check_own(self, own: list[_Own]) -> None:
        failed: dict[str, tuple[str, str]] = {}  # rev id → (record, reason), first per rev
        org = self.signer.org_code
        for rev in own:
            if not isinstance(rev.author, str) or not rev.author:
                failed.setdefault(rev.rev_id, (rev.record_id, "it names no author"))
                continue
            self._authors.setdefault(rev.author, (rev.rev_id, rev.record_id))
            if rev.named is None and rev.kind in ("child", "visit"):
                failed.setdefault(rev.rev_id, (rev.record_id, "it names no village code"))
            elif rev.named is not None and not self._inside(rev.named):
                failed.setdefault(rev.rev_id, (rev.record_id,
                                               f"it names village {rev.named}, outside {org}"))
        parents = self.holdings.revision_units({p for r in own for p in r.parents})
        children = {x for r in own for x in r.refs}
        children.update(r.record_id for r in own if r.kind in ("child", "visit"))
        current = self.holdings.record_units(
            children, {r.record_id for r in own if r.kind == "household"})
        for rev in own:
            held = [parents[p] for p in rev.parents if p in parents]
            if any(record != rev.record_id for record, _ in held):
                failed.setdefault(rev.rev_id, (rev.record_id,
                                               "its parent is a revision of another record"))
            # The record as the device saw it (its parents), else as the importer holds it:
            # a concurrent move by the township stays a conflict, not a refusal.
            now = current.get(rev.record_id, "")
            for unit in [u for _, u in held] if held else [now]:
                if unit and not self._inside(unit):
                    failed.setdefault(rev.rev_id, (rev.record_id, f"the record belongs to "
                                                                  f"{unit}, outside {org}"))
            if rev.kind == "child" and now and not self._inside(now):
                self._children.add(rev.record_id)
            for x in rev.refs:
                unit = current.get(x, "")
                if not unit or self._inside(unit):
                    continue
                if rev.kind == "visit":
                    # A visit goes with its child's revision (save_visit): when that one is
                    # allowed (the child as this device saw it), so is the visit. Held ones
                    # are settled now, before this slice is stored.
                    if not self.holdings.known([rev.rev_id]):
                        self._visits.setdefault(x, rev.record_id)
                    continue
                failed.setdefault(rev.rev_id, (x, f"the record belongs to {unit}, outside "
                                                  f"{org}"))
        if failed:
            # A revision the importer already holds changes nothing (a batch re-sends what
            # the other tier has not acknowledged yet): only new ones are refused.
            held_ids = self.holdings.known(failed)
            for rev_id, (record, reason) in failed.items():
                if rev_id not in held_ids:
                    raise self._refuse(record, reason)

    def _check_copies(self, copies: dict[str, str]) -> None:
        if not copies:
            return
        missing = set(copies) - set(self.vouched)
        missing -= self.holdings.known(missing) if missing else set()
        if missing:
            rev = min(missing)
            raise self._refuse(copies[rev], f"revision {rev[:12]} was made by another device "
                                            "and is not held here")

    def audit(self, line: bytes) -> None:
        """Note the users an audit line of the signing device names."""
        try:
            entry = orjson.loads(line)["audit"]
        except (orjson.JSONDecodeError, KeyError, TypeError) as err:
            raise BadPayload(path=self.path, reason="an audit entry is not JSON") from err
        if not isinstance(entry, dict) or entry.get("device_id") != self.signer.device_id:
            return
        for name in (entry.get("user"), (entry.get("details") or {}).get("user_added")):
            if isinstance(name, str) and name:
                self._users.add(name)

    def finish(self) -> None:
        """After the last line: every author of an own revision is a user the batch names,
        and a visit of a child now in another unit came with its allowed child revision.

        :raises Unauthorized: an author the signing device's audit entries do not name.
        """
        for child in sorted(set(self._visits) - self._children):
            raise self._refuse(child, "a visit names a child of another unit")
        for author, (_, record) in sorted(self._authors.items()):
            if author not in self._users:
                raise self._refuse(record, f"its author {author!r} is not a user of the "
                                           "signing device")

    def down(self, lines: Sequence[bytes], village: str) -> None:
        """Rule 12 (docs/batch-format.md §10), for a down file sent to ``village``: each own
        revision the importer does not hold yet is a ``child`` or ``link`` revision, and the
        child it changes (a link: one of the children it names) is held by the importer or
        named in ``village`` by one of the file's own child revisions (a child the township
        entered there or moved into it). A child held here may be moved out of it.

        :raises Unauthorized: an own revision outside these.
        :raises BatchError: BATCH_010 for a line that is not a revision.
        """
        me = self.signer.device_id
        own: list[tuple[str, str, str, list[str]]] = []  # rev id, kind, record, children
        placed: set[str] = set()  # children the file's own revisions name in ``village``
        for line in lines:
            _, device, kind, record, data = self._fields(line)
            if device != me:
                continue  # a copy: checked by :meth:`revisions`
            refs = [record] if kind == "child" else []
            if kind == "link" and isinstance(data, dict) and isinstance(data.get("records"),
                                                                          list):
                refs = [str(r) for r in data["records"]]
            if kind == "child" and unit_of(kind, data) == village:
                placed.add(record)
            own.append((hashlib.sha256(line).hexdigest(), str(kind), record, refs))
        held = set(self.holdings.record_units({x for _, _, _, refs in own for x in refs}))
        failed: dict[str, tuple[str, str]] = {}
        for rev_id, kind, record, refs in own:
            if kind not in DOWN_KINDS:
                failed.setdefault(rev_id, (record, f"a down file carries no {kind} revision"))
            elif not any(x in held or x in placed for x in refs):
                failed.setdefault(rev_id, (refs[0] if refs else record,
                                           f"it is not about a child of village {village}"))
        if failed:
            held_ids = self.holdings.known(failed)  # held ones change nothing, as for batches
            for rev_id, (record, reason) in failed.items():
                if rev_id not in held_ids:
                    raise self._refuse(record, reason)
