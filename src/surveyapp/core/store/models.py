"""Small result types of the workspace API (drafts, import counts, history entries)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Draft:
    key: str
    data: str
    updated_at: str


@dataclass(frozen=True, slots=True)
class InsertCounts:
    """What a bulk insert did: revisions added, already known, and records touched."""

    inserted: int
    known: int
    records: int


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One revision of a child's file, for the history panel."""

    revision: str
    created_at: str
    author: str
    status: str
    survey_date: str
    is_head: bool
    device_id: str = ""  # the device that wrote it (its unit qualifies the author's name)
    #: the ledger file and row a ledger import (ops.ledgerin) made this revision from.
    import_file: str = ""
    import_row: int = 0
    #: the sheet, when the ledger's table was on several sheets (the 台账's townships).
    import_sheet: str = ""

    @property
    def note(self) -> str:
        """"imported from FILE, row N" (``FILE, sheet S, row N`` when the import read
        several sheets) for an imported revision, else ""."""
        if not self.import_file:
            return ""
        sheet = f", sheet {self.import_sheet}" if self.import_sheet else ""
        return f"imported from {self.import_file}{sheet}, row {self.import_row}"

    def __str__(self) -> str:
        what = self.status if self.status != "active" else f"visit {self.survey_date}"
        note = f" ({self.note})" if self.note else ""
        return f"{self.created_at[:19].replace('T', ' ')} {self.author}: {what}{note}"
