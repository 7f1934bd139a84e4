"""SHA-256 and CRC-32 of a payload read in blocks, optionally on a worker thread.

hashlib and zlib release the GIL while they work on a large buffer, and so does the
ChaCha20-Poly1305 that decrypts the same blocks, so on two cores digesting a block on a
worker thread runs at the same time as decrypting it: one pass over a batch costs about the
slower of the two instead of their sum. At most ``depth`` blocks wait for the worker, so
memory stays bounded.
"""

from __future__ import annotations

import hashlib
import zlib
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor


class BlockDigests:
    """``update`` blocks in order, then ``hexdigest`` (SHA-256) and ``crc32``; ``close``
    stops the worker."""

    def __init__(self, *, threaded: bool, depth: int = 3) -> None:
        """:param threaded: digest on a worker thread (worth it for payloads of megabytes).
        :param depth: the most blocks handed over and not yet digested."""
        self._sha = hashlib.sha256()
        self._crc = 0
        self._depth = depth
        self._pool = ThreadPoolExecutor(1, "batch-digest") if threaded else None
        self._pending: deque[Future[None]] = deque()

    def _digest(self, block: bytes) -> None:
        self._sha.update(block)
        self._crc = zlib.crc32(block, self._crc)

    def update(self, block: bytes) -> None:
        """Digest ``block`` (an immutable ``bytes``: the worker may read it later)."""
        if self._pool is None:
            self._digest(block)
            return
        while len(self._pending) >= self._depth:
            self._pending.popleft().result()
        self._pending.append(self._pool.submit(self._digest, block))

    def _wait(self) -> None:
        while self._pending:
            self._pending.popleft().result()

    def hexdigest(self) -> str:
        """The SHA-256 of every block so far (waits for the worker)."""
        self._wait()
        return self._sha.hexdigest()

    def crc32(self) -> int:
        """The CRC-32 of every block so far (waits for the worker)."""
        self._wait()
        return self._crc

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pending.clear()

    def __enter__(self) -> BlockDigests:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
