"""A village or township device: its own keys, the enrollment request, accepting the
enrollment file and later signed trust updates.

Public API::

    enroll_request(ws) -> bytes          # makes the device keys on first use
    enrollment_county(data, path="?") -> CountyKeys   # the county keys a file carries
                                                    # (show .fingerprint() before accepting)
    accept_enrollment(ws, data, path="?", *, fingerprint=None) -> Applied
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


def _for_this_unit(ws: TrustWorkspace, body: dict[str, Any], path: str) -> None:
    """:raises SurveyError: TRUST_014 when the file was made for another unit."""
    if body.get("for_org") != ws.org_code:
        raise SurveyError(TrustCode.TRUST_014, path=path, for_org=body.get("for_org"),
                          org=ws.org_code)


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
    days = body.get("retention_days")  # absent from updates issued before it existed
    if isinstance(days, int) and not isinstance(days, bool) and 30 <= days <= 3650:
        from surveyapp.core.store.retention import META_KEY

        ws.set_meta(META_KEY, str(days))
    label = ""
    if package is not None:
        trust_forms.keep(ws, package)
        label = f"{package.form_id}@{package.version}"
    return Applied(serial, len(entries), tuple(sorted(revoked)), tuple(sorted(recipients)),
                   label)


def _county_of(data: bytes, path: str) -> tuple[dict[str, Any], CountyKeys, DeviceEntry]:
    body = peek(data, ENROLLMENT, path)
    try:
        county = CountyKeys(**body["county"])
        device = DeviceEntry.from_json(body["device"])
        county.public_key()
    except (KeyError, TypeError, SurveyError) as err:
        raise SurveyError(TrustCode.TRUST_001, path=path, kind=ENROLLMENT,
                          reason="missing or bad field") from err
    return body, county, device


def enrollment_county(data: bytes, path: str = "?") -> CountyKeys:
    """The county keys an enrollment file carries, checked only against themselves (the
    file is signed by the key it carries): show ``.fingerprint()`` to the user, who compares
    it with the code the county gives on paper or by phone, before accepting.

    :raises SurveyError: TRUST_001/002 not an enrollment file or a bad signature.
    """
    _, county, _ = _county_of(data, path)
    unseal(data, ENROLLMENT, county.public_key(), path)
    return county


def normal_fingerprint(code: str) -> str:
    """A check code as typed (spaces, dashes or none) in the ``1234-5678-…`` form."""
    digits = "".join(ch for ch in code if ch.isdigit())
    return "-".join(digits[i:i + 4] for i in range(0, len(digits), 4))


def accept_enrollment(ws: TrustWorkspace, data: bytes, path: str = "?", *,
                      fingerprint: str | None = None) -> Applied:
    """Check the county's enrollment file for this device and store what it carries.

    :param fingerprint: the county key's check code as the county gave it (paper, phone);
        when given, a file whose county key has another code is refused before anything
        is stored.
    :raises SurveyError: TRUST_001/002 bad file or signature; TRUST_007 another device's;
        TRUST_014 made for another unit; TRUST_016 a county key other than the one this
        workspace already trusts; TRUST_017 the code differs from ``fingerprint``.
    """
    body, county, device = _county_of(data, path)
    known = keystore.county_keys(ws)
    if known is not None and known.sign_key != county.sign_key:
        raise SurveyError(TrustCode.TRUST_016, path=path, org=known.org_code,
                          known=known.fingerprint(), other=county.fingerprint())
    unseal(data, ENROLLMENT, county.public_key(), path)
    if fingerprint is not None and normal_fingerprint(fingerprint) != county.fingerprint():
        raise SurveyError(TrustCode.TRUST_017, path=path, actual=county.fingerprint(),
                          expected=fingerprint)
    own = keystore.signing_key(ws)
    if device.device_id != ws.device_id or own is None or (
        own.public_key().to_base64() != device.sign_key
    ):
        raise SurveyError(TrustCode.TRUST_007, path=path, device=device.device_id)
    _for_this_unit(ws, body, path)
    keystore.set_county_keys(ws, county)
    applied = _apply(ws, body, path)
    ws.audit("import", what="enrollment", serial=applied.serial)
    return applied


def apply_update(ws: TrustWorkspace, data: bytes, path: str = "?") -> Applied:
    """Verify a county trust update with the county key stored at enrollment and apply it.

    :raises SurveyError: TRUST_008 not enrolled; TRUST_001/002; TRUST_010 an older update;
        TRUST_014 an update made for another unit (``for_org`` is not this workspace's);
        TRUST_019 a form that is not a newer version of the current one.
    """
    county = keystore.county_keys(ws)
    if county is None:
        raise SurveyError(TrustCode.TRUST_008)
    body = unseal(data, UPDATE, county.public_key(), path)
    _for_this_unit(ws, body, path)
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
