"""The encrypted workspace store (SQLCipher 4): see ``workspace.py`` for the public API."""

from surveyapp.core.store.models import Draft, HistoryEntry, InsertCounts
from surveyapp.core.store.records import SaveResult
from surveyapp.core.store.revisions import EXIT_REASONS, Revision
from surveyapp.core.store.views import ChildFilter, ChildRow
from surveyapp.core.store.workspace import Workspace

__all__ = [
    "EXIT_REASONS",
    "ChildFilter",
    "ChildRow",
    "Draft",
    "HistoryEntry",
    "InsertCounts",
    "Revision",
    "SaveResult",
    "Workspace",
]
