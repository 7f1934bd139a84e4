"""SHA-256 of a payload read in blocks, optionally on a worker thread.

hashlib releases the GIL while it hashes a large buffer, and so does the ChaCha20-Poly1305
that decrypts the same blocks, so on two cores hashing a block on a worker thread runs at the
same time as decrypting it: one pass over a batch costs about the slower of the two instead
of their sum. At most ``depth`` blocks wait for the worker, so memory stays bounded.
"""

from __future__ import annotations

import hashlib
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor


class BlockSha256:
    """``update`` blocks in order, then ``hexdigest``; ``close`` stops the worker."""

    def __init__(self, *, threaded: bool, depth: int = 3) -> None:
        """:param threaded: hash on a worker thread (worth it for payloads of megabytes).
        :param depth: the most blocks handed over and not yet hashed."""
        self._sha = hashlib.sha256()
        self._depth = depth
        self._pool = ThreadPoolExecutor(1, "batch-sha256") if threaded else None
        self._pending: deque[Future[None]] = deque()

    def update(self, block: bytes) -> None:
        """Hash ``block`` (an immutable ``bytes``: the worker may read it later)."""
        if self._pool is None:
            self._sha.update(block)
            return
        while len(self._pending) >= self._depth:
            self._pending.popleft().result()
        self._pending.append(self._pool.submit(self._sha.update, block))

    def hexdigest(self) -> str:
        """The digest of every block so far (waits for the worker)."""
        while self._pending:
            self._pending.popleft().result()
        return self._sha.hexdigest()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pending.clear()

    def __enter__(self) -> BlockSha256:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
