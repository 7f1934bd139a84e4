"""A realistic demo county for the app, tests and benchmarks: pure data, no Qt, no store.

Public API (``from surveyapp.core.demo import ...``):

- ``generate_demo(seed=2016, children=2000, today=None) -> DemoCounty``: deterministic for
  a given ``seed`` and ``today`` (``date.today()`` when None). About 2,000 children in
  3 townships and 12 villages of Dafang County (522422), in households of 1-3 children.
- ``DemoCounty``: ``county``, ``townships``, ``villages`` (``OrgUnit``: ``code``, ``name``,
  ``name_en``, ``level``, ``parent``, ``urban``), ``households`` (``DemoHousehold``),
  ``children`` (``DemoChild``) and ``visits()`` yielding ``(child, visit)`` pairs.
- ``DemoChild``: ``key`` (``C00001``…), ``household_key``, ``township_code``,
  ``village_code``, ``profile`` (one of ``PROFILES``: the category aimed at on the first
  visit; ``PROFILE_FLAG`` names the form flag that is then 'yes'), ``visits`` (oldest
  first, ``DemoVisit(survey_date, answers)``), ``exit`` (``DemoExit(date, reason, note)``,
  reasons ``aged_out``, ``parents_returned``, ``moved_away``, ``deceased``), ``conflict``
  (answers of a concurrent edit of the last visit, to be stored as a sibling revision),
  ``duplicate_of`` / ``duplicate_kind`` (``same_id``: the same ID number registered in a
  second village; ``moved``: the original exited ``moved_away`` and reappears elsewhere;
  ``same_name_birth``: the same child without an ID number).
- ``answers`` are keyed by FORM-SPEC question names: strings (select_multiple
  space-separated, dates ``YYYY-MM-DD``), ints for integer questions, a list of dicts for
  the ``siblings`` repeat. Only relevant answers are present; the classification is left
  to the form's calculates. ID numbers are valid and agree with birth date and sex; a
  few children have none.
- ``COUNTY``, ``TOWNSHIPS``, ``VILLAGES``: the org units, shared with the form's choices.
"""

from surveyapp.core.demo.county import COUNTY, TOWNSHIPS, VILLAGES, OrgUnit
from surveyapp.core.demo.generate import generate_demo
from surveyapp.core.demo.model import (
    PROFILE_FLAG,
    PROFILES,
    DemoChild,
    DemoCounty,
    DemoExit,
    DemoHousehold,
    DemoVisit,
    Profile,
)

__all__ = [
    "COUNTY",
    "PROFILES",
    "PROFILE_FLAG",
    "TOWNSHIPS",
    "VILLAGES",
    "DemoChild",
    "DemoCounty",
    "DemoExit",
    "DemoHousehold",
    "DemoVisit",
    "OrgUnit",
    "Profile",
    "generate_demo",
]
