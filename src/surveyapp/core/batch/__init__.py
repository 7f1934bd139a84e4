"""Signed, encrypted batch files (docs/batch-format.md).

- :mod:`.codec`: the zip container, no crypto (``open_container``, ``encode``, ``decode``).
- :mod:`.manifest`: :class:`Manifest`, ``parse_manifest``, ``batch_hash``.
- :mod:`.writer`: ``write_batch(out_dir, source, key, ...)``, ``encode_batch(...)``.
- :mod:`.reader`: ``open_batch(src, signers=, scope=)`` → ``OpenedBatch.lines(identities)``.
- :mod:`.codes`: ``BatchCode`` and one exception per rejection rule.
- :mod:`.authorize`: who may write what (rule 11): ``Authorizer``, ``StoreHoldings``.
- :mod:`.digests`: SHA-256 + CRC-32 of the payload blocks, on a worker thread while the
  reader decrypts (one pass over a batch).
"""

from surveyapp.core.batch.codes import (
    BadPayload,
    BatchCode,
    BatchError,
    DecryptionFailure,
    HeaderError,
    OutOfScope,
    PayloadMismatch,
    RevokedSigner,
    SignatureFailure,
    Truncated,
    Unauthorized,
    UnknownSigner,
    UnsupportedVersion,
)
from surveyapp.core.batch.manifest import Manifest, batch_hash
from surveyapp.core.batch.reader import OpenedBatch, Signer, open_batch, read_all
from surveyapp.core.batch.writer import BatchSource, WrittenBatch, encode_batch, write_batch

__all__ = [
    "BadPayload", "BatchCode", "BatchError", "BatchSource", "DecryptionFailure",
    "HeaderError", "Manifest", "OpenedBatch", "OutOfScope", "PayloadMismatch",
    "RevokedSigner", "SignatureFailure", "Signer", "Truncated", "Unauthorized", "UnknownSigner",
    "UnsupportedVersion", "WrittenBatch", "batch_hash", "encode_batch", "open_batch",
    "read_all", "write_batch",
]
