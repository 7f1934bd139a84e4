"""Cryptography for everybody: the ONLY package that imports ``cryptography``.

- :mod:`.age`: age v1 files (X25519 and scrypt recipients, streaming; ``decrypt_blocks``
  takes the file in pieces of any size).
- :mod:`.stream`: the age payload (STREAM chunks), decrypted in runs of chunks.
- :mod:`.bech32`: the key string encoding.
- Key wrapping for the store (the workspace key under a password, and to the county's
  recovery key), built on age so that a county IT person can check it with ``age -d``.
"""

from __future__ import annotations

from surveyapp.core.crypto import age


def generate_age_identity() -> tuple[str, str]:
    """A new X25519 identity: (``AGE-SECRET-KEY-1…``, ``age1…``)."""
    return age.generate_identity()


def wrap_with_passphrase(secret: bytes, passphrase: str, *, work_factor: int) -> bytes:
    """An age file holding ``secret``, with one scrypt stanza of ``work_factor`` (log2 N)."""
    return age.encrypt(secret, passphrase=passphrase, work_factor=work_factor)


def unwrap_with_passphrase(blob: bytes, passphrase: str, *, max_work_factor: int = 22) -> bytes:
    """:raises SurveyError: CRYPTO_002 for a wrong passphrase, CRYPTO_001/004 when damaged."""
    return age.decrypt(blob, passphrase=passphrase, max_work_factor=max_work_factor)


def wrap_to_recipients(secret: bytes, recipients: list[str]) -> bytes:
    """An age file holding ``secret`` for the X25519 ``age1…`` recipients."""
    return age.encrypt(secret, recipients=recipients)


def unwrap_with_identity(blob: bytes, identity: str) -> bytes:
    """:raises SurveyError: CRYPTO_003 when ``blob`` is not for this identity."""
    return age.decrypt(blob, identities=[identity])


__all__ = [
    "age",
    "generate_age_identity",
    "unwrap_with_identity",
    "unwrap_with_passphrase",
    "wrap_to_recipients",
    "wrap_with_passphrase",
]
