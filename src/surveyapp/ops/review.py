"""Township and county review: merge planning, conflicts, possible duplicates, returns.

Every decision a person takes here is a revision (so it travels up and down in batches like
any other) plus an audit entry. Nothing is merged or dropped without a decision.

- :func:`plan_import` — the dry-run: what importing these revisions would add, skip,
  update or put in conflict (pure planning over the store's current graph).
- :func:`conflicts`, :func:`field_diff`, :func:`resolve` — the side-by-side view of a
  conflict's heads and its resolution as a merge revision with every head as parent
  (take one version, or pick field by field).
- :func:`duplicate_candidates`, :func:`decide_duplicate` — possible duplicates with their
  evidence, and the reviewer's decision (link / separate / moved) as a ``link`` revision.
- :func:`return_to_village`, :func:`returned_children` — send a record back with a comment;
  the comment rides on a new child revision and shows on the child and in the village's
  "returned" list until the village saves a new visit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from surveyapp.core.forms import load_form
from surveyapp.core.forms.model import Form
from surveyapp.core.forms.session import FormSession
from surveyapp.core.merge.duplicates import Candidate, ChildKey, find_candidates
from surveyapp.core.merge.graph import RevisionRef
from surveyapp.core.merge.plan import MergePlan, plan
from surveyapp.core.store import Workspace
from surveyapp.core.store.revisions import Revision, utc_now
from surveyapp.core.store.views import ChildFilter, ChildRow
from surveyapp.errors import SurveyError
from surveyapp.ops.codes import ReviewCode
from surveyapp.paths import FORM_PATH

DECISIONS = ("link", "separate", "moved")
REVIEW_FIELDS = ("review_status", "review_comment", "review_by", "review_org", "review_at")
# Keys of a child revision that describe the record rather than an answer; left out of diffs.
_META_KEYS = frozenset({"status", "updated_at", *REVIEW_FIELDS})


def ref(rev: Revision) -> RevisionRef:
    return RevisionRef(rev.id, rev.record_id, tuple(rev.parents), rev.created_at)


def plan_import(ws: Workspace, incoming: Iterable[Revision]) -> MergePlan:
    """Plan the union of ``incoming`` with the workspace (nothing is written)."""

    def lookup(record_ids: set[str]) -> Mapping[str, Sequence[RevisionRef]]:
        stored = ws.revisions_of(sorted(record_ids))
        return {rid: [ref(r) for r in revs] for rid, revs in stored.items()}

    return plan((ref(r) for r in incoming), lookup)


# ---- conflicts ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldDiff:
    name: str
    values: tuple[Any, ...]  # one per head, in the order of Conflict.heads


@dataclass(frozen=True, slots=True)
class Conflict:
    record_id: str
    child_name: str
    village_code: str
    heads: tuple[Revision, ...]  # the deterministic pick first
    diff: tuple[FieldDiff, ...]


def field_diff(datas: Sequence[Mapping[str, Any]]) -> tuple[FieldDiff, ...]:
    """The fields whose values differ between the versions, in a stable order."""
    names = sorted({k for d in datas for k in d} - _META_KEYS)
    out = []
    for name in names:
        values = tuple(d.get(name, "") for d in datas)
        if len({repr(v) for v in values}) > 1:
            out.append(FieldDiff(name, values))
    return tuple(out)


def conflicts(ws: Workspace) -> list[Conflict]:
    """Every child record with several heads, with a field-level diff of its heads."""
    flt = ChildFilter(conflict=True, include_exited=True)
    rows = ws.query_children(flt, 0, max(ws.count_children(flt), 1))
    out = []
    for row in rows:
        heads = tuple(ws.heads(row.record_id))
        if len(heads) > 1:
            diff = field_diff([h.data for h in heads])
            out.append(Conflict(row.record_id, row.child_name, row.village_code, heads, diff))
    return out


def _recomputed(data: dict[str, Any], form_id: str, form: Form | None) -> dict[str, Any]:
    """Field-by-field merged answers with the form's calculates (category, risk, derived
    flags) computed again, so that a merge never mixes one version's answers with another's
    conclusions. Keys that are not form questions (record status, review fields) are kept.
    Answers of another form (or when the form cannot be read) are returned unchanged.
    """
    if form is None:
        try:
            form = load_form(FORM_PATH)
        except SurveyError:
            return data
    if form.form_id != form_id:
        return data
    try:
        today = dt.date.fromisoformat(str(data.get("survey_date", "")))
    except ValueError:
        today = None
    answers = {k: v for k, v in data.items() if k in form.nodes}
    out = {k: v for k, v in data.items() if k not in form.nodes}
    out.update(FormSession(form, answers, today=today).submission())
    return out


def resolve(
    ws: Workspace, record_id: str, *, take: str | None = None,
    fields: Mapping[str, str] | None = None, form: Form | None = None,
) -> str:
    """Resolve a conflict into one merge revision whose parents are every current head.

    :param take: the head revision id whose data wins as a whole; or
    :param fields: per differing field, the head revision id whose value to keep (fields not
        named come from the deterministic pick); the form's calculates are then computed
        again from the merged answers.
    :param form: the form the answers belong to (default: the shipped screening form).
    :returns: the merge revision id.
    :raises SurveyError: REVIEW_001 when the record has no conflict or a named revision is
        not one of its heads.
    """
    heads = {h.id: h for h in ws.heads(record_id)}
    if len(heads) < 2:
        raise SurveyError(ReviewCode.REVIEW_001, record=record_id)
    chosen = [take] if take else list((fields or {}).values())
    if any(c not in heads for c in chosen):
        raise SurveyError(ReviewCode.REVIEW_001, record=record_id)
    pick = next(iter(heads.values()))  # ws.heads lists the deterministic pick first
    data = dict(heads[take].data if take else pick.data)
    for name, rev_id in (fields or {}).items():
        value = heads[rev_id].data.get(name)
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    if fields:
        data = _recomputed(data, pick.form_id, form)
    return ws.resolve_conflict(record_id, data)


# ---- duplicates ---------------------------------------------------------------------------


def _key(row: ChildRow) -> ChildKey:
    d = row.data
    guardian = str(d.get("mother_name") or d.get("father_name") or d.get("carer_name") or "")
    return ChildKey(row.record_id, row.child_name, row.name_pinyin, row.birth_date,
                    row.id_number, guardian, row.village_code)


def pair_id(a: str, b: str) -> str:
    """The record id of the decision about a pair: the same on every tier."""
    lo, hi = sorted((a, b))
    return "pair-" + hashlib.sha256(f"{lo}\n{hi}".encode()).hexdigest()[:32]


def decided_pairs(ws: Workspace) -> dict[frozenset[str], str]:
    """Pairs a person has decided, with the latest decision."""
    out: dict[frozenset[str], tuple[str, str]] = {}
    for _, rev in ws.iter_revisions():
        if rev.kind == "link":
            pair = frozenset(rev.data.get("records", ()))
            prev = out.get(pair)
            if prev is None or rev.created_at > prev[1]:
                out[pair] = (str(rev.data.get("decision", "")), rev.created_at)
    return {p: d for p, (d, _) in out.items()}


def duplicate_candidates(ws: Workspace) -> list[Candidate]:
    """Possible duplicates among the children on file that nobody has decided yet."""
    rows = (_key(r) for r in ws.iter_children(ChildFilter(include_exited=True), 5000))
    return find_candidates(rows, decided_pairs(ws))


def decide_duplicate(ws: Workspace, a: str, b: str, decision: str, note: str = "") -> str:
    """Record a person's decision about a pair as a ``link`` revision (and audit it).

    :raises SurveyError: REVIEW_002 for an unknown decision or the same record twice.
    """
    if decision not in DECISIONS or a == b:
        raise SurveyError(ReviewCode.REVIEW_002, decision=decision, allowed="/".join(DECISIONS))
    rid = pair_id(a, b)
    parents = [h.id for h in ws.heads(rid)]
    rev = Revision.make(
        kind="link", record_id=rid, parents=parents, author=ws.user, device_id=ws.device_id,
        data={"records": sorted((a, b)), "decision": decision, "note": note,
              "org_code": ws.org_code},
    )
    ws.insert_revisions([rev])
    ws.audit("review", decision=f"duplicate_{decision}", revision=rev.id)
    return rev.id


# ---- return to village --------------------------------------------------------------------


def return_to_village(ws: Workspace, child_id: str, comment: str) -> str:
    """Send a child's record back to its village with a comment.

    :raises SurveyError: REVIEW_003 unknown child; REVIEW_004 the record is in conflict
        (resolve it first, so the village gets one clear version back).
    """
    heads = ws.heads(child_id)
    if not heads or heads[0].kind != "child":
        raise SurveyError(ReviewCode.REVIEW_003, record=child_id)
    if len(heads) > 1:
        raise SurveyError(ReviewCode.REVIEW_004, record=child_id)
    head = heads[0]
    data = dict(head.data)
    data.update(review_status="returned", review_comment=comment, review_by=ws.user,
                review_org=ws.org_code, review_at=utc_now())
    rev = Revision.make(
        kind="child", record_id=child_id, parents=[head.id], form_id=head.form_id,
        form_version=head.form_version, author=ws.user, device_id=ws.device_id, data=data,
    )
    ws.insert_revisions([rev])
    ws.audit("review", decision="return_to_village", revision=rev.id)
    return rev.id


def returned_children(ws: Workspace) -> list[ChildRow]:
    """Children whose current version carries a township's return comment."""
    return [r for r in ws.iter_children(ChildFilter(include_exited=True), 5000)
            if r.data.get("review_status") == "returned"]
