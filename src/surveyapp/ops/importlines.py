"""The per-revision work of a batch import, done once per line (docs/store.md, "Issue 16").

A revision line of a batch is parsed and checked once: canonical JSON and its id (the
SHA-256 of the line, ``Revision.parsed``), and what rule 11 reads of it
(``core.batch.authorize.line_digest``); the importer then checks the slice against its
signer (``Authorizer.checked``) and stores the revisions (``Workspace.insert_revisions``).

    prepare(lines) -> Slice   # here, in this process

A line that is not a canonical revision gets no revision and no digest (``None``): the
importer reads it again its own way (``Authorizer.digest``: BATCH_010 when it is not JSON)
and, when the slice passes rule 11, refuses the batch as damaged, as the store would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from surveyapp.core.batch.authorize import Digest, line_digest
from surveyapp.core.store.revisions import Revision
from surveyapp.errors import SurveyError


@dataclass(slots=True)
class Slice:
    """One slice of revision lines, parsed: per line its revision and rule-11 digest (None
    for a line that is not a canonical revision), and the view rows worked out already."""

    lines: list[bytes]
    revs: list[Revision | None]
    digests: list[Digest | None]
    #: child revision id → its view row (``views.row_values`` with conflict 0)
    rows: dict[str, tuple[Any, ...]] = field(default_factory=dict)


def prepare(lines: list[bytes]) -> Slice:
    """Parse and check each line once, in this process."""
    revs: list[Revision | None] = []
    digests: list[Digest | None] = []
    for line in lines:
        try:
            rev, content = Revision.parsed(line)
            digest = line_digest(rev.id, content)
        except (SurveyError, KeyError, TypeError):
            revs.append(None)
            digests.append(None)
            continue
        revs.append(rev)
        digests.append(digest)
    return Slice(lines, revs, digests)
