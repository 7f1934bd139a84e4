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

    def __str__(self) -> str:
        what = self.status if self.status != "active" else f"visit {self.survey_date}"
        return f"{self.created_at[:19].replace('T', ' ')} {self.author}: {what}"
