"""Where trust material lives in a workspace: private keys only in ``ws.put_secret`` (inside
the encrypted file), public facts as JSON in ``ws.set_meta``.

Secrets: ``trust.sign_key`` (minisign secret key text), ``trust.age_identity`` (the county's
or a township's ``AGE-SECRET-KEY-1…``), ``trust.recovery_identity`` (county only),
``trust.form_package`` (xlsx bytes). Meta: ``trust.county`` (the county's public keys),
``trust.devices`` (device id → :class:`DeviceEntry` fields), ``trust.recipients`` (whom this
device's batches are encrypted to), ``trust.serial`` (last applied update), ``trust.form``,
``trust.revocations`` (county only: device id → when, by whom, which key; never removed except
by an audited re-admission).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from surveyapp.core.batch.reader import Signer
from surveyapp.core.crypto import minisign
from surveyapp.core.store.canonical import canonical_json
from surveyapp.core.trust.codes import TrustCode
from surveyapp.errors import SurveyError

SIGN_KEY = "trust.sign_key"
AGE_IDENTITY = "trust.age_identity"
RECOVERY_IDENTITY = "trust.recovery_identity"
FORM_PACKAGE = "trust.form_package"


class TrustWorkspace(Protocol):
    """The part of :class:`surveyapp.core.store.Workspace` trust needs."""

    role: str
    org_code: str
    org_name: str
    device_id: str

    def get_meta(self, key: str) -> str | None: ...
    def set_meta(self, key: str, value: str) -> None: ...
    def put_secret(self, name: str, data: bytes) -> None: ...
    def get_secret(self, name: str) -> bytes | None: ...
    def audit(self, action: str, **details: Any) -> None: ...


@dataclass(frozen=True, slots=True)
class DeviceEntry:
    """An enrolled device as the county (and the townships) know it."""

    device_id: str
    org_code: str
    org_name: str
    role: str
    sign_key: str  # minisign public key, base64
    age_recipient: str  # "" for a village
    revoked: bool = False
    enrolled_at: str = ""

    def signer(self) -> Signer:
        return Signer(self.device_id, self.org_code, self.role,
                      minisign.parse_public_key(self.sign_key), self.revoked)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, obj: Any) -> DeviceEntry:
        return cls(**{k: obj[k] for k in cls.__dataclass_fields__})


@dataclass(frozen=True, slots=True)
class CountyKeys:
    """The county authority's public keys, as every enrolled device keeps them."""

    org_code: str
    sign_key: str
    age_recipient: str
    recovery_recipient: str

    def public_key(self) -> minisign.PublicKey:
        return minisign.parse_public_key(self.sign_key)

    def fingerprint(self) -> str:
        """The county key's check code: 20 digits in groups of four (``1234-5678-…``).

        SHA-256 of the canonical JSON of the four public fields (county code, signing key,
        encryption and recovery recipients), its first 9 bytes as a number modulo 10^20
        (about 66 bits): short enough to read out by phone, and every key a device will
        trust is in it.
        """
        digest = hashlib.sha256(canonical_json(asdict(self))).digest()
        digits = f"{int.from_bytes(digest[:9], 'big') % 10**20:020d}"
        return "-".join(digits[i:i + 4] for i in range(0, 20, 4))


def _json_meta(ws: TrustWorkspace, key: str) -> Any:
    raw = ws.get_meta(key)
    return None if raw is None else json.loads(raw)


def county_keys(ws: TrustWorkspace) -> CountyKeys | None:
    obj = _json_meta(ws, "trust.county")
    return None if obj is None else CountyKeys(**obj)


def set_county_keys(ws: TrustWorkspace, keys: CountyKeys) -> None:
    ws.set_meta("trust.county", json.dumps(asdict(keys), sort_keys=True))


def devices(ws: TrustWorkspace) -> dict[str, DeviceEntry]:
    obj = _json_meta(ws, "trust.devices") or {}
    return {k: DeviceEntry.from_json(v) for k, v in obj.items()}


def set_devices(ws: TrustWorkspace, entries: dict[str, DeviceEntry]) -> None:
    ws.set_meta("trust.devices", json.dumps({k: v.to_json() for k, v in entries.items()},
                                            sort_keys=True, ensure_ascii=False))


@dataclass(frozen=True, slots=True)
class Revocation:
    """When and by whom the county revoked a device, and the key it had (county only)."""

    device_id: str
    org_code: str
    sign_key: str
    at: str
    by: str


def revocations(ws: TrustWorkspace) -> dict[str, Revocation]:
    obj = _json_meta(ws, "trust.revocations") or {}
    return {k: Revocation(**v) for k, v in obj.items()}


def set_revocations(ws: TrustWorkspace, entries: dict[str, Revocation]) -> None:
    ws.set_meta("trust.revocations", json.dumps({k: asdict(v) for k, v in entries.items()},
                                                sort_keys=True, ensure_ascii=False))


def signing_key(ws: TrustWorkspace) -> minisign.SigningKey | None:
    raw = ws.get_secret(SIGN_KEY)
    return None if raw is None else minisign.parse_secret_key(raw.decode("ascii"))


def age_identities(ws: TrustWorkspace) -> list[str]:
    """This workspace's age identities (to decrypt batches sent to it)."""
    raw = ws.get_secret(AGE_IDENTITY)
    return [] if raw is None else [raw.decode("ascii")]


def recipients(ws: TrustWorkspace) -> list[str]:
    """Whom this device's batches are encrypted to.

    :raises SurveyError: TRUST_008 when the device is not enrolled.
    """
    obj = _json_meta(ws, "trust.recipients")
    if not obj:
        raise SurveyError(TrustCode.TRUST_008)
    return [str(r) for r in obj]


def signers(ws: TrustWorkspace) -> dict[str, Signer]:
    """The trust store as the batch reader wants it: device id → :class:`Signer`."""
    return {k: v.signer() for k, v in devices(ws).items()}
