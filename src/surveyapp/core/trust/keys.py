"""Key sets of the county authority and of a device, and their serialisation.

The secret forms (``to_secret_bytes``/``*_from_secret_bytes``) are what the store keeps with
``ws.put_secret(name, data)``; they never leave the encrypted workspace. The public forms
travel inside signed trust files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from surveyapp.core.crypto import age, minisign
from surveyapp.core.store.canonical import canonical_json
from surveyapp.core.trust.codes import TrustCode
from surveyapp.errors import SurveyError


@dataclass(frozen=True, slots=True)
class CountyKeys:
    """The county authority's public keys, as every enrolled device holds them."""

    org_code: str
    org_name: str
    signing_key: minisign.PublicKey
    encryption_recipient: str
    recovery_recipient: str

    def to_json(self) -> dict[str, Any]:
        return {
            "org_code": self.org_code,
            "org_name": self.org_name,
            "signing_key": self.signing_key.to_base64(),
            "encryption_recipient": self.encryption_recipient,
            "recovery_recipient": self.recovery_recipient,
        }

    @classmethod
    def from_json(cls, obj: Any) -> CountyKeys:
        """:raises SurveyError: TRUST_008 (via :func:`_fields`) or CRYPTO_005/007."""
        f = _fields(obj, ("org_code", "org_name", "signing_key", "encryption_recipient",
                          "recovery_recipient"), "county keys")
        age.parse_recipient(f["encryption_recipient"])
        age.parse_recipient(f["recovery_recipient"])
        return cls(f["org_code"], f["org_name"], minisign.parse_public_key(f["signing_key"]),
                   f["encryption_recipient"], f["recovery_recipient"])


@dataclass(frozen=True, slots=True)
class CountyAuthority:
    """The county's private keys: signing (minisign), encryption and recovery (age)."""

    org_code: str
    org_name: str
    signing: minisign.SigningKey
    encryption_identity: str
    recovery_identity: str

    def public(self) -> CountyKeys:
        return CountyKeys(self.org_code, self.org_name, self.signing.public_key(),
                          age.recipient_of(self.encryption_identity),
                          age.recipient_of(self.recovery_identity))

    def to_secret_bytes(self) -> bytes:
        return canonical_json({
            "kind": "county-authority",
            "org_code": self.org_code,
            "org_name": self.org_name,
            "signing": minisign.secret_key_text(self.signing),
            "encryption_identity": self.encryption_identity,
            "recovery_identity": self.recovery_identity,
        })


@dataclass(frozen=True, slots=True)
class DeviceKeys:
    """A device's private keys: batch signing (minisign) and its own age identity."""

    device_id: str
    signing: minisign.SigningKey
    identity: str

    @property
    def recipient(self) -> str:
        return age.recipient_of(self.identity)

    def to_secret_bytes(self) -> bytes:
        return canonical_json({
            "kind": "device-keys",
            "device_id": self.device_id,
            "signing": minisign.secret_key_text(self.signing),
            "identity": self.identity,
        })


def _fields(obj: Any, names: tuple[str, ...], what: str) -> dict[str, str]:
    if not isinstance(obj, dict) or not all(isinstance(obj.get(n), str) for n in names):
        raise SurveyError(TrustCode.TRUST_008, what=what)
    return {n: obj[n] for n in names}


def _load(data: bytes, kind: str) -> dict[str, Any]:
    try:
        obj = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise SurveyError(TrustCode.TRUST_008, what=kind) from err
    if not isinstance(obj, dict) or obj.get("kind") != kind:
        raise SurveyError(TrustCode.TRUST_008, what=kind)
    return obj


def generate_county_authority(org_code: str, org_name: str) -> CountyAuthority:
    """New random keys for the county ``org_code`` (a 6-digit division code)."""
    return CountyAuthority(org_code, org_name, minisign.generate_key(),
                           age.generate_identity()[0], age.generate_identity()[0])


def generate_device_keys(device_id: str) -> DeviceKeys:
    """New random keys for the device ``device_id``."""
    return DeviceKeys(device_id, minisign.generate_key(), age.generate_identity()[0])


def authority_from_secret_bytes(data: bytes) -> CountyAuthority:
    """:raises SurveyError: TRUST_008 when the stored authority keys are damaged."""
    obj = _load(data, "county-authority")
    f = _fields(obj, ("org_code", "org_name", "signing", "encryption_identity",
                      "recovery_identity"), "county-authority")
    try:
        auth = CountyAuthority(f["org_code"], f["org_name"],
                               minisign.parse_secret_key(f["signing"]),
                               f["encryption_identity"], f["recovery_identity"])
        auth.public()
    except SurveyError as err:
        raise SurveyError(TrustCode.TRUST_008, what="county-authority") from err
    return auth


def device_keys_from_secret_bytes(data: bytes) -> DeviceKeys:
    """:raises SurveyError: TRUST_008 when the stored device keys are damaged."""
    obj = _load(data, "device-keys")
    f = _fields(obj, ("device_id", "signing", "identity"), "device-keys")
    try:
        keys = DeviceKeys(f["device_id"], minisign.parse_secret_key(f["signing"]), f["identity"])
        _ = keys.recipient
    except SurveyError as err:
        raise SurveyError(TrustCode.TRUST_008, what="device-keys") from err
    return keys
