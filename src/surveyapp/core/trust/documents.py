"""The contents of trust files as frozen dataclasses, and their JSON bodies.

Bodies are parsed strictly: a missing key or a value of the wrong type is TRUST_001.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from typing import Any

from surveyapp.core.crypto import age, minisign
from surveyapp.core.trust.codes import TrustCode
from surveyapp.core.trust.keys import CountyKeys
from surveyapp.errors import SurveyError

ROLES = ("village", "township")


class _Body:
    """Typed access to a JSON object, raising TRUST_001 with ``path`` on any mismatch."""

    def __init__(self, obj: Any, path: str, where: str) -> None:
        if not isinstance(obj, dict):
            raise SurveyError(TrustCode.TRUST_001, path=path, reason=f"{where} is not an object")
        self.obj, self.path, self.where = obj, path, where

    def get(self, key: str, typ: type) -> Any:
        value = self.obj.get(key)
        if not isinstance(value, typ) or (typ is int and isinstance(value, bool)):
            raise SurveyError(TrustCode.TRUST_001, path=self.path,
                              reason=f"{self.where}.{key} is missing or of the wrong type")
        return value

    def sub(self, key: str) -> _Body:
        return _Body(self.get(key, dict), self.path, f"{self.where}.{key}")

    def items(self, key: str) -> list[_Body]:
        return [_Body(v, self.path, f"{self.where}.{key}[]") for v in self.get(key, list)]


def _public_key(text: str, path: str) -> minisign.PublicKey:
    try:
        return minisign.parse_public_key(text)
    except SurveyError as err:
        raise SurveyError(TrustCode.TRUST_001, path=path, reason="bad signing key") from err


def _recipient(text: str, path: str) -> str:
    try:
        age.parse_recipient(text)
    except SurveyError as err:
        raise SurveyError(TrustCode.TRUST_001, path=path, reason="bad age recipient") from err
    return text


@dataclass(frozen=True, slots=True)
class DeviceCert:
    """An enrolled device: who it is, where it works, and its public keys."""

    device_id: str
    org_code: str
    org_name: str
    role: str
    signing_key: minisign.PublicKey
    recipient: str
    enrolled_at: str

    def to_json(self) -> dict[str, Any]:
        return {"device_id": self.device_id, "org_code": self.org_code,
                "org_name": self.org_name, "role": self.role,
                "signing_key": self.signing_key.to_base64(), "recipient": self.recipient,
                "enrolled_at": self.enrolled_at}

    @classmethod
    def from_body(cls, b: _Body) -> DeviceCert:
        role = b.get("role", str)
        if role not in ROLES:
            raise SurveyError(TrustCode.TRUST_001, path=b.path, reason=f"unknown role {role}")
        return cls(b.get("device_id", str), b.get("org_code", str), b.get("org_name", str),
                   role, _public_key(b.get("signing_key", str), b.path),
                   _recipient(b.get("recipient", str), b.path), b.get("enrolled_at", str))


@dataclass(frozen=True, slots=True)
class Revoked:
    device_id: str
    key_id: str
    reason: str
    at: str

    def to_json(self) -> dict[str, Any]:
        return {"device_id": self.device_id, "key_id": self.key_id, "reason": self.reason,
                "at": self.at}


@dataclass(frozen=True, slots=True)
class RevocationList:
    """The county's revoked devices; ``serial`` grows by one with every new list."""

    serial: int
    issued_at: str
    entries: tuple[Revoked, ...] = ()

    def is_revoked(self, device_id: str) -> bool:
        return any(e.device_id == device_id for e in self.entries)

    def to_json(self) -> dict[str, Any]:
        return {"serial": self.serial, "issued_at": self.issued_at,
                "revoked": [e.to_json() for e in self.entries]}

    @classmethod
    def from_body(cls, b: _Body) -> RevocationList:
        entries = tuple(Revoked(e.get("device_id", str), e.get("key_id", str),
                                e.get("reason", str), e.get("at", str))
                        for e in b.items("revoked"))
        return cls(b.get("serial", int), b.get("issued_at", str), entries)


EMPTY_REVOCATIONS = RevocationList(0, "")


@dataclass(frozen=True, slots=True)
class FormPackage:
    """A form the county distributes: the XLSForm bytes and their identity."""

    form_id: str
    version: str
    xlsx: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.xlsx).hexdigest()

    def to_json(self) -> dict[str, Any]:
        return {"form_id": self.form_id, "version": self.version, "sha256": self.sha256,
                "xlsx": base64.b64encode(self.xlsx).decode("ascii")}

    @classmethod
    def from_body(cls, b: _Body) -> FormPackage:
        try:
            xlsx = base64.b64decode(b.get("xlsx", str), validate=True)
        except (binascii.Error, ValueError) as err:
            raise SurveyError(TrustCode.TRUST_001, path=b.path,
                              reason="form is not base64") from err
        pkg = cls(b.get("form_id", str), b.get("version", str), xlsx)
        if pkg.sha256 != b.get("sha256", str):
            raise SurveyError(TrustCode.TRUST_001, path=b.path, reason="form hash mismatch")
        return pkg


@dataclass(frozen=True, slots=True)
class EnrollmentRequest:
    """What a device asks the county to certify (self-signed: proof it holds the key)."""

    device_id: str
    org_code: str
    org_name: str
    role: str
    signing_key: minisign.PublicKey
    recipient: str
    created_at: str

    def to_json(self) -> dict[str, Any]:
        return {"device_id": self.device_id, "org_code": self.org_code,
                "org_name": self.org_name, "role": self.role,
                "signing_key": self.signing_key.to_base64(), "recipient": self.recipient,
                "created_at": self.created_at}

    @classmethod
    def from_body(cls, b: _Body) -> EnrollmentRequest:
        return cls(b.get("device_id", str), b.get("org_code", str), b.get("org_name", str),
                   b.get("role", str), _public_key(b.get("signing_key", str), b.path),
                   _recipient(b.get("recipient", str), b.path), b.get("created_at", str))


@dataclass(frozen=True, slots=True)
class Enrollment:
    """The county's answer: the device's certificate and everything it needs to work."""

    county: CountyKeys
    device: DeviceCert
    recipients: tuple[str, ...]
    directory: tuple[DeviceCert, ...]
    revocations: RevocationList
    form: FormPackage | None
    issued_at: str

    def to_json(self) -> dict[str, Any]:
        return {"county": self.county.to_json(), "device": self.device.to_json(),
                "recipients": list(self.recipients),
                "directory": [c.to_json() for c in self.directory],
                "revocations": self.revocations.to_json(),
                "form": None if self.form is None else self.form.to_json(),
                "issued_at": self.issued_at}

    @classmethod
    def from_body(cls, b: _Body) -> Enrollment:
        try:
            county = CountyKeys.from_json(b.get("county", dict))
        except SurveyError as err:
            raise SurveyError(TrustCode.TRUST_001, path=b.path, reason="bad county keys") from err
        raw = b.get("recipients", list)
        if not all(isinstance(r, str) for r in raw):
            raise SurveyError(TrustCode.TRUST_001, path=b.path, reason="bad recipients")
        recipients = tuple(_recipient(r, b.path) for r in raw)
        form = None if b.obj.get("form") is None else FormPackage.from_body(b.sub("form"))
        return cls(county, DeviceCert.from_body(b.sub("device")), recipients,
                   tuple(DeviceCert.from_body(c) for c in b.items("directory")),
                   RevocationList.from_body(b.sub("revocations")), form,
                   b.get("issued_at", str))
