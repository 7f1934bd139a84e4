"""The demo county as plain data: org units, households, children, visits and exits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from surveyapp.core.demo.county import OrgUnit

Profile = Literal[
    "left_behind",
    "orphan",
    "unsupported",
    "poverty",
    "disability",
    "guardianship",
    "urgent",
    "none",
]
PROFILES: tuple[Profile, ...] = (
    "left_behind",
    "orphan",
    "unsupported",
    "poverty",
    "disability",
    "guardianship",
    "urgent",
    "none",
)
# The form's flag that a child of each profile has set to 'yes' on their first visit.
PROFILE_FLAG: Mapping[Profile, str | None] = {
    "left_behind": "is_left_behind",
    "orphan": "is_orphan",
    "unsupported": "is_unsupported",
    "poverty": "dk_poverty",
    "disability": "dk_disability",
    "guardianship": "dk_guardianship",
    "urgent": "urgent_report",
    "none": None,
}
ExitReason = Literal["aged_out", "parents_returned", "moved_away", "deceased"]
DuplicateKind = Literal["same_id", "moved", "same_name_birth"]


@dataclass(frozen=True, slots=True)
class DemoVisit:
    """One filled screening form: ``answers`` keyed by FORM-SPEC question names.

    Values are strings (select_multiple space-separated, dates ``YYYY-MM-DD``), ints for
    integer questions, and a list of dicts for the ``siblings`` repeat. Only answers
    relevant under the form's rules are present; calculates are left to the engine.
    """

    survey_date: dt.date
    answers: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class DemoExit:
    """A child leaving the list (an exit revision): when, why, and a remark in Chinese."""

    date: dt.date
    reason: ExitReason
    note: str


@dataclass(frozen=True, slots=True)
class DemoChild:
    """A per-child file (一人一档).

    :param profile: the category the generator aimed at for the first visit; the form's
        flag in ``PROFILE_FLAG`` is 'yes' there (``none``: no category and no report).
    :param visits: oldest first; the first is the screening, the rest follow-ups.
    :param conflict: answers of a concurrent edit of the last visit made on another
        device (e.g. a township correction); write it as a second revision with the
        same parent as the last visit so that the child shows a conflict.
    :param duplicate_of: the key of an earlier record this one may duplicate, and how.
    """

    key: str
    household_key: str
    township_code: str
    village_code: str
    profile: Profile
    visits: tuple[DemoVisit, ...]
    exit: DemoExit | None = None
    conflict: Mapping[str, Any] | None = None
    duplicate_of: str | None = None
    duplicate_kind: DuplicateKind | None = None

    @property
    def latest(self) -> DemoVisit:
        return self.visits[-1]


@dataclass(frozen=True, slots=True)
class DemoHousehold:
    key: str
    township_code: str
    village_code: str
    head_name: str
    address: str
    child_keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DemoCounty:
    """Everything ``generate_demo`` makes; see the package docstring."""

    seed: int
    today: dt.date
    county: OrgUnit
    townships: tuple[OrgUnit, ...]
    villages: tuple[OrgUnit, ...]
    households: tuple[DemoHousehold, ...]
    children: tuple[DemoChild, ...]

    def visits(self) -> Iterator[tuple[DemoChild, DemoVisit]]:
        """Every visit with its child, child by child, oldest visit first."""
        for child in self.children:
            for visit in child.visits:
                yield child, visit

    def villages_of(self, township_code: str) -> tuple[OrgUnit, ...]:
        return tuple(v for v in self.villages if v.parent == township_code)
