"""A village or township device: its own keys, the enrollment request, accepting the
enrollment file and later signed trust updates.

Public API::

    enroll_request(ws) -> bytes          # makes the device keys on first use
    accept_enrollment(ws, data, path="?") -> Applied
    apply_update(ws, data, path="?") -> Applied
    form_package(ws) -> FormPackage | None
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from surveyapp.core.crypto import age, minisign
from surveyapp.core.store.revisions import utc_now
from surveyapp.core.trust import forms as trust_forms
from surveyapp.core.trust import keystore
from surveyapp.core.trust.authority import ENROLLMENT, REQUEST, UPDATE, FormPackage
from surveyapp.core.trust.codes import TrustCode
from surveyapp.core.trust.keystore import CountyKeys, DeviceEntry, TrustWorkspace
from surveyapp.core.trust.sealed import peek, seal, unseal
from surveyapp.errors import SurveyError


@dataclass(frozen=True, slots=True)
class Applied:
    """What an enrollment or update changed on this device."""

    serial: int
    devices: int
    revoked: tuple[str, ...]
    recipients: tuple[str, ...]
    form: str  # "form_id@version" or ""


def _own_keys(ws: TrustWorkspace) -> tuple[minisign.SigningKey, str]:
    key = keystore.signing_key(ws)
    if key is None:
        key = minisign.generate_key()
        ws.put_secret(keystore.SIGN_KEY, minisign.secret_key_text(key).encode("ascii"))
    recipient = ""
    # Townships read their villages' batches; villages read the return files their township
    # sends down (ops.relay). Both therefore hold an age identity.
    if ws.role in ("township", "village"):
        ids = keystore.age_identities(ws)
        if not ids:
            ident, _ = age.generate_identity()
            ws.put_secret(keystore.AGE_IDENTITY, ident.encode("ascii"))
            ids = [ident]
        recipient = age.recipient_of(ids[0])
    return key, recipient


def enroll_request(ws: TrustWorkspace) -> bytes:
    """The enrollment request of this device, self-signed (keys made on first use)."""
    if ws.role not in ("village", "township"):
        raise SurveyError(TrustCode.TRUST_006, org=ws.org_code, role=ws.role,
                          county="-")
    key, recipient = _own_keys(ws)
    body = {"device_id": ws.device_id, "org_code": ws.org_code, "org_name": ws.org_name,
            "role": ws.role, "sign_key": key.public_key().to_base64(),
            "age_recipient": recipient, "created_at": utc_now()}
    ws.audit("export", what="enroll_request", key_id=key.public_key().id_hex)
    return seal(REQUEST, body, key)


def _apply(ws: TrustWorkspace, body: dict[str, Any], path: str) -> Applied:
    try:
        serial = int(body["serial"])
        entries = {d["device_id"]: DeviceEntry.from_json(d) for d in body["devices"]}
        recipients = [str(r) for r in body["recipients"]]
        for r in recipients:
            age.parse_recipient(r)
        form = body["form"]
        package = None if form is None else FormPackage(
            str(form["form_id"]), str(form["version"]), base64.b64decode(form["xlsx"]))
    except (KeyError, TypeError, ValueError, SurveyError) as err:
        raise SurveyError(TrustCode.TRUST_001, path=path, kind="trust",
                          reason="missing or bad field") from err
    current = int(ws.get_meta("trust.serial") or "0")
    if serial <= current:
        raise SurveyError(TrustCode.TRUST_010, path=path, serial=serial, current=current)
    if package is not None:
        trust_forms.check_successor(ws, package, path)
    revoked = set(body.get("revoked", []))
    known = keystore.devices(ws)
    for dev_id in revoked:
        if dev_id in known and not known[dev_id].revoked:
            old = known[dev_id]
            entries.setdefault(dev_id, DeviceEntry(old.device_id, old.org_code, old.org_name,
                                                   old.role, old.sign_key, old.age_recipient,
                                                   True, old.enrolled_at))
    keystore.set_devices(ws, entries)
    ws.set_meta("trust.recipients", json.dumps(sorted(recipients)))
    ws.set_meta("trust.serial", str(serial))
    label = ""
    if package is not None:
        trust_forms.keep(ws, package)
        label = f"{package.form_id}@{package.version}"
    return Applied(serial, len(entries), tuple(sorted(revoked)), tuple(sorted(recipients)),
                   label)


def accept_enrollment(ws: TrustWorkspace, data: bytes, path: str = "?") -> Applied:
    """Check the county's enrollment file for this device and store what it carries.

    :raises SurveyError: TRUST_001/002 bad file or signature; TRUST_007 another device's.
    """
    body = peek(data, ENROLLMENT, path)
    try:
        county = CountyKeys(**body["county"])
        device = DeviceEntry.from_json(body["device"])
        county_pk = county.public_key()
    except (KeyError, TypeError, SurveyError) as err:
        raise SurveyError(TrustCode.TRUST_001, path=path, kind=ENROLLMENT,
                          reason="missing or bad field") from err
    known = keystore.county_keys(ws)
    if known is not None and known.sign_key != county.sign_key:
        raise SurveyError(TrustCode.TRUST_002, path=path, kind=ENROLLMENT)
    unseal(data, ENROLLMENT, county_pk, path)
    own = keystore.signing_key(ws)
    if device.device_id != ws.device_id or own is None or (
        own.public_key().to_base64() != device.sign_key
    ):
        raise SurveyError(TrustCode.TRUST_007, path=path, device=device.device_id)
    keystore.set_county_keys(ws, county)
    applied = _apply(ws, body, path)
    ws.audit("import", what="enrollment", serial=applied.serial)
    return applied


def apply_update(ws: TrustWorkspace, data: bytes, path: str = "?") -> Applied:
    """Verify a county trust update with the county key stored at enrollment and apply it.

    :raises SurveyError: TRUST_008 not enrolled; TRUST_001/002; TRUST_010 an older update;
        TRUST_014 a form that is not a newer version of the current one.
    """
    county = keystore.county_keys(ws)
    if county is None:
        raise SurveyError(TrustCode.TRUST_008)
    body = unseal(data, UPDATE, county.public_key(), path)
    applied = _apply(ws, body, path)
    ws.audit("import", what="trust_update", serial=applied.serial)
    return applied


def form_package(ws: TrustWorkspace) -> FormPackage | None:
    """The form package the county sent with the last enrollment or update."""
    meta, xlsx = ws.get_meta("trust.form"), ws.get_secret(keystore.FORM_PACKAGE)
    if meta is None or xlsx is None:
        return None
    obj = json.loads(meta)
    return FormPackage(obj["form_id"], obj["version"], xlsx)
