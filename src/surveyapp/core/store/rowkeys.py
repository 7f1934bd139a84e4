"""Compact lookup keys for long random ids (schema 6; docs/store.md, "Compact keys").

A revision id is 64 hex digits, a record id a UUID: random texts. A B-tree keyed on them
takes 50–100 bytes an entry and every new entry lands on a random page; past a few
hundred thousand entries such a tree outgrows the page cache and each insert costs a page
read, decryption, encryption and write. So the tables looked up by these ids are stored in
arrival order (their rowid) and keep, beside the text, ``key64(text)``: the first 8 bytes
of the text's BLAKE2b digest as a signed 64-bit integer, in a *non-unique* index of about a
fifth of the size, which stays in the cache.

Every lookup names both, ``WHERE idk = ? AND id = ?``: the integer finds the few candidate
rows, the text decides. Two texts with the same ``key64`` (a 1 in 2**64 chance a pair, and
not something an insider can aim for: BLAKE2b is a cryptographic hash) cost one more row
read, never a wrong answer. ``key64`` is also an SQL function of every workspace connection
(``connection.connect``) for joins and migrations.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from hashlib import blake2b


@functools.lru_cache(maxsize=16384)
def key64(text: str) -> int:
    """The compact key of ``text`` (deterministic, the same in every version).

    Cached: an import asks for a record's key four to six times within one chunk (its
    revision, head, view row, the checks), 40 ns a hit against 680 for the digest."""
    return int.from_bytes(blake2b(text.encode("utf-8"), digest_size=8).digest(), "big",
                          signed=True)


def key64_sql(text: object) -> int | None:
    """``key64`` as SQL calls it (NULL for NULL; anything else as its text)."""
    if text is None:
        return None
    return key64(text if isinstance(text, str) else str(text))


def keys(texts: Iterable[str]) -> list[int]:
    """``key64`` of each text, in order."""
    return [key64(t) for t in texts]
