"""The store's types the desktop app needs, handed through ops: the UI never imports
``surveyapp.core.store`` (import-linter contract "ui writes through ops")."""

from surveyapp.core.store.views import ChildFilter, ChildRow

__all__ = ["ChildFilter", "ChildRow"]
