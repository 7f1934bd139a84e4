"""Nothing personal on disk in the clear: the raw bytes of the workspace, its WAL and its key
file never contain a child's name or ID number (in UTF-8 or UTF-16, as written or upper-case)."""

from __future__ import annotations

from pathlib import Path

from store_helpers import answers

from surveyapp.core.store import Workspace

NAME = "欧阳娜娜"
ID_NUMBER = "11010120120506004X"
GUARDIAN = "欧阳国强"


def needles() -> list[bytes]:
    out = []
    for text in (NAME, ID_NUMBER, GUARDIAN, ID_NUMBER[:12]):
        out += [text.encode("utf-8"), text.encode("utf-16-le"), text.encode("utf-16-be")]
    return out


def leaks(folder: Path) -> list[str]:
    found = []
    for path in sorted(folder.iterdir()):
        raw = path.read_bytes()
        found += [f"{path.name}: {n!r}" for n in needles() if n in raw]
    return found


def test_no_plaintext__db_wal_and_key_file(fresh_store: Workspace) -> None:
    folder = fresh_store.path.parent
    saved = fresh_store.save_visit(None, answers(NAME, ID_NUMBER, carer_name=GUARDIAN),
                                   form_id="f", form_version="1")
    fresh_store.save_draft("form:x", f'{{"child_name": "{NAME}", "id": "{ID_NUMBER}"}}')
    # While open, the WAL holds the new pages: check it before the checkpoint on close.
    assert (folder / (fresh_store.path.name + "-wal")).stat().st_size > 0
    assert leaks(folder) == []
    fresh_store.record_exit(saved.child_id, reason="moved_away", date="2026-09-01")
    fresh_store.close()
    assert leaks(folder) == []
    # The check itself works: the same bytes are found in a plain file.
    (folder / "control.txt").write_text(NAME, encoding="utf-8")
    assert leaks(folder) == [f"control.txt: {NAME.encode('utf-8')!r}"]
