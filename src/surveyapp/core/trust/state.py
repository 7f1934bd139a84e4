"""What a workspace trusts: the county's public keys, its own certificate, the devices it
knows, the revocation list. Built from the enrollment file, updated by signed files.

``TrustState.to_bytes()``/``from_bytes()`` give the public state to keep in the store; the
importer asks ``state.lookup(device_id)`` for a signer of a batch.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from surveyapp.core.crypto import minisign
from surveyapp.core.ids import is_within
from surveyapp.core.store.canonical import canonical_json
from surveyapp.core.trust import envelope
from surveyapp.core.trust.codes import TrustCode
from surveyapp.core.trust.documents import (
    EMPTY_REVOCATIONS,
    DeviceCert,
    Enrollment,
    FormPackage,
    RevocationList,
    _Body,
)
from surveyapp.core.trust.keys import CountyAuthority, CountyKeys, DeviceKeys
from surveyapp.errors import SurveyError


@dataclass(frozen=True, slots=True)
class KnownSigner:
    """A device as the importer knows it (the fields of ``core.batch.reader.Signer``)."""

    device_id: str
    org_code: str
    role: str
    public_key: minisign.PublicKey
    revoked: bool


@dataclass(frozen=True, slots=True)
class TrustState:
    county: CountyKeys
    device: DeviceCert | None = None
    recipients: tuple[str, ...] = ()
    devices: Mapping[str, DeviceCert] = field(default_factory=dict)
    revocations: RevocationList = EMPTY_REVOCATIONS

    @property
    def scope(self) -> str:
        """The division this workspace imports from: its own, or the county's."""
        return self.device.org_code if self.device else self.county.org_code

    def lookup(self, device_id: str) -> KnownSigner | None:
        """The signer ``device_id`` as known here (revoked ones included, flagged)."""
        cert = self.devices.get(device_id)
        if cert is None:
            return None
        return KnownSigner(cert.device_id, cert.org_code, cert.role, cert.signing_key,
                           self.revocations.is_revoked(device_id))

    def in_scope(self, org_code: str) -> bool:
        return is_within(org_code, self.scope)

    def with_device(self, cert: DeviceCert) -> TrustState:
        return replace(self, devices={**self.devices, cert.device_id: cert})

    def to_bytes(self) -> bytes:
        return canonical_json({
            "county": self.county.to_json(),
            "device": None if self.device is None else self.device.to_json(),
            "recipients": list(self.recipients),
            "devices": [c.to_json() for c in sorted(self.devices.values(),
                                                     key=lambda c: c.device_id)],
            "revocations": self.revocations.to_json(),
        })

    @classmethod
    def from_bytes(cls, data: bytes) -> TrustState:
        """:raises SurveyError: TRUST_008 when the stored state is damaged."""
        try:
            b = _Body(json.loads(data.decode("utf-8")), "trust-state", "state")
            county = CountyKeys.from_json(b.get("county", dict))
            device = None if b.obj.get("device") is None else DeviceCert.from_body(b.sub("device"))
            devices = {c.device_id: c for c in map(DeviceCert.from_body, b.items("devices"))}
            recipients = tuple(str(r) for r in b.get("recipients", list))
            return cls(county, device, recipients, devices,
                       RevocationList.from_body(b.sub("revocations")))
        except (UnicodeDecodeError, ValueError, SurveyError) as err:
            raise SurveyError(TrustCode.TRUST_008, what="trust state") from err


def county_state(authority: CountyAuthority) -> TrustState:
    """The trust state of the county's own workspace (an empty registry)."""
    return TrustState(authority.public(), recipients=(authority.public().encryption_recipient,))


def read_enrollment(data: bytes, keys: DeviceKeys, *, expected_county_key: str | None = None,
                    path: str = "?") -> Enrollment:
    """Check an enrollment file on the device that asked for it.

    The county's key travels inside the file; pass ``expected_county_key`` (the key id the
    county read out, 16 hex digits) to pin it.

    :raises SurveyError: TRUST_001/002/003 for a malformed, other or forged file, TRUST_009
        for another county's key, TRUST_004 when it certifies another device or other keys.
    """
    body, _, _ = envelope.split(data, kind="enrollment", path=path)
    enrollment = Enrollment.from_body(_Body(body, path, "enrollment"))
    key = enrollment.county.signing_key
    if expected_county_key is not None and key.id_hex != expected_county_key.upper():
        raise SurveyError(TrustCode.TRUST_009, path=path, key_id=key.id_hex,
                          expected=expected_county_key.upper())
    envelope.open_sealed(data, kind="enrollment", key=key, path=path)
    cert = enrollment.device
    if (cert.device_id, cert.signing_key, cert.recipient) != (
            keys.device_id, keys.signing.public_key(), keys.recipient):
        raise SurveyError(TrustCode.TRUST_004, path=path, device=cert.device_id)
    return enrollment


def state_from_enrollment(enrollment: Enrollment) -> TrustState:
    devices = {c.device_id: c for c in (*enrollment.directory, enrollment.device)}
    return TrustState(enrollment.county, enrollment.device, enrollment.recipients, devices,
                      enrollment.revocations)


def apply_revocations(state: TrustState, data: bytes, *, path: str = "?") -> TrustState:
    """Install a newer signed revocation list; the same list again changes nothing.

    :raises SurveyError: TRUST_001/002/003/009 for a bad file, TRUST_005 for an older list.
    """
    body = envelope.open_sealed(data, kind="revocation-list", key=state.county.signing_key,
                                path=path)
    new = RevocationList.from_body(_Body(body, path, "revocations"))
    if new.serial < state.revocations.serial:
        raise SurveyError(TrustCode.TRUST_005, path=path, serial=new.serial,
                          current=state.revocations.serial)
    if new.serial == state.revocations.serial:
        return state
    return replace(state, revocations=new)


def apply_directory(state: TrustState, data: bytes, *, path: str = "?") -> TrustState:
    """Add the devices of a signed directory file (devices are never dropped here;
    revocation is what disables a device).

    :raises SurveyError: TRUST_001/002/003/009 for a bad file.
    """
    body = envelope.open_sealed(data, kind="directory", key=state.county.signing_key, path=path)
    b = _Body(body, path, "directory")
    certs = [DeviceCert.from_body(c) for c in b.items("devices")]
    return replace(state, devices={**state.devices, **{c.device_id: c for c in certs}})


def read_form_package(state: TrustState, data: bytes, *, path: str = "?") -> FormPackage:
    """Verify a signed form package from the county.

    :raises SurveyError: TRUST_001/002/003/009 for a bad file.
    """
    body = envelope.open_sealed(data, kind="form-package", key=state.county.signing_key,
                                path=path)
    return FormPackage.from_body(_Body(body, path, "form"))


def body_of(data: bytes) -> tuple[str, dict[str, Any]]:
    """(kind, body) of any trust file, unverified: for display only."""
    first = data.split(b"\n", 1)[0].decode("ascii", "replace")
    kind = first.partition(" ")[2]
    body, _, _ = envelope.split(data, kind=kind)
    return kind, body
