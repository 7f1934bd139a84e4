"""The county authority: its keys, enrolling devices, revoking them, signed updates.

Public API::

    init_county(ws) -> CountyKeys                         # signing, encryption, recovery keys
    enroll(ws, request_bytes, *, form=None, path="?") -> bytes      # the enrollment file
    neighbour_units(ws, org) -> [org]     # who needs a trust update after enrolling org
    revoke(ws, device_id) -> DeviceEntry                 # permanent (docs/store.md)
    readmit(ws, device_id, reason) -> DeviceEntry         # the one audited way back
    trust_update(ws, for_org, *, form=None) -> bytes      # revocations, devices, form package
    recovery_identity(ws) -> str

The county workspace keeps every private key with ``ws.put_secret`` and its trust store of
devices in meta (:mod:`.keystore`).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from surveyapp.core.crypto import age, minisign
from surveyapp.core.forms.files import MAX_FILE_BYTES
from surveyapp.core.ids import is_within
from surveyapp.core.store.revisions import utc_now
from surveyapp.core.trust import keystore
from surveyapp.core.trust.codes import TrustCode
from surveyapp.core.trust.keystore import CountyKeys, DeviceEntry, TrustWorkspace
from surveyapp.core.trust.sealed import peek, seal, unseal
from surveyapp.errors import SurveyError

REQUEST = "surveyapp.enroll-request/v1"
ENROLLMENT = "surveyapp.enrollment/v1"
UPDATE = "surveyapp.trust-update/v1"
ROLE_DIGITS = {"village": 12, "township": 9}


# The files a form package may carry beside the .xlsx (docs/batch-format.md §8): the CSV/XML
# lists and pulldata tables the form reads, each at most as large as the form reader reads
# (16 MB), and all of it together inside the trust file's own limit (ops.trust.MAX_TRUST_FILE,
# 64 MB of base64).
MAX_PACKAGE_FILES = 64
MAX_PACKAGE_FILE_BYTES = MAX_FILE_BYTES
MAX_PACKAGE_BYTES = 40 * 1024 * 1024
PACKAGE_FILE_SUFFIXES = (".csv", ".xml")


def package_file_name_ok(name: str) -> bool:
    """A bare file name the form reader reads (``villages.csv``): no folder, no ``..``."""
    return (bool(name) and len(name) <= 255 and "/" not in name and "\\" not in name
            and "\x00" not in name and name not in (".", "..") and not name.startswith(".")
            and name.lower().endswith(PACKAGE_FILE_SUFFIXES))


def files_digest(files: Mapping[str, bytes]) -> str:
    """The SHA-256 of the sorted ``<name> <sha256>`` lines of a package's files ("" when
    it has none): with the .xlsx's own SHA-256, the identity of a form version."""
    if not files:
        return ""
    lines = "".join(f"{name} {hashlib.sha256(data).hexdigest()}\n"
                    for name, data in sorted(files.items()))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def pack_files(files: Mapping[str, bytes]) -> bytes:
    """A package's files as one stored secret (``keystore.FORM_FILES``)."""
    return json.dumps({n: base64.b64encode(d).decode("ascii")
                       for n, d in sorted(files.items())}).encode("ascii")


def unpack_files(blob: bytes | None) -> dict[str, bytes]:
    """The files of :func:`pack_files` (none for a workspace that stored none)."""
    if not blob:
        return {}
    return {str(n): base64.b64decode(d) for n, d in json.loads(blob).items()}


@dataclass(frozen=True, slots=True)
class FormPackage:
    """A form travelling down to the devices: its xlsx bytes and identity, and the files
    beside it that it reads (``files``: name → bytes; choice lists, pulldata tables)."""

    form_id: str
    version: str
    xlsx: bytes
    files: Mapping[str, bytes] = field(default_factory=dict)

    @property
    def files_sha256(self) -> str:
        return files_digest(self.files)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "form_id": self.form_id, "version": self.version,
            "sha256": hashlib.sha256(self.xlsx).hexdigest(),
            "xlsx": base64.b64encode(self.xlsx).decode("ascii")}
        if self.files:  # absent when the form reads no file: old devices read it unchanged
            out["files"] = [{"name": name, "sha256": hashlib.sha256(data).hexdigest(),
                             "data": base64.b64encode(data).decode("ascii")}
                            for name, data in sorted(self.files.items())]
            out["files_sha256"] = self.files_sha256
        return out

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> FormPackage:
        """The package a trust file carries, every size, name and hash checked.

        :raises ValueError: (or KeyError/TypeError) for anything malformed.
        """
        xlsx = base64.b64decode(obj["xlsx"], validate=True)
        sha = obj.get("sha256")  # present since the first version
        if sha is not None and sha != hashlib.sha256(xlsx).hexdigest():
            raise ValueError("form sha256")
        entries = obj.get("files") or []
        if not isinstance(entries, list) or len(entries) > MAX_PACKAGE_FILES:
            raise ValueError("files")
        files: dict[str, bytes] = {}
        total = len(xlsx)
        for entry in entries:
            name = entry["name"]
            if not isinstance(name, str) or not package_file_name_ok(name) or name in files:
                raise ValueError("file name")
            text = entry["data"]
            if not isinstance(text, str) or len(text) > (MAX_PACKAGE_FILE_BYTES // 3 + 1) * 4:
                raise ValueError("file size")
            data = base64.b64decode(text, validate=True)
            total += len(data)
            if len(data) > MAX_PACKAGE_FILE_BYTES or total > MAX_PACKAGE_BYTES:
                raise ValueError("file size")
            if entry["sha256"] != hashlib.sha256(data).hexdigest():
                raise ValueError("file sha256")
            files[name] = data
        package = cls(str(obj["form_id"]), str(obj["version"]), xlsx, files)
        if "files_sha256" in obj and obj["files_sha256"] != package.files_sha256:
            raise ValueError("files_sha256")
        return package


def _county_only(ws: TrustWorkspace, action: str) -> tuple[CountyKeys, minisign.SigningKey]:
    if ws.role != "county":
        raise SurveyError(TrustCode.TRUST_004, action=action, role=ws.role)
    keys, key = keystore.county_keys(ws), keystore.signing_key(ws)
    if keys is None or key is None:
        raise SurveyError(TrustCode.TRUST_005)
    return keys, key


def init_county(ws: TrustWorkspace) -> CountyKeys:
    """Create the county authority's three keys inside the county workspace.

    :raises SurveyError: TRUST_004 outside a county workspace, TRUST_003 when they exist.
    """
    if ws.role != "county":
        raise SurveyError(TrustCode.TRUST_004, action="init-county", role=ws.role)
    if keystore.signing_key(ws) is not None:
        raise SurveyError(TrustCode.TRUST_003)
    key = minisign.generate_key()
    ident, recip = age.generate_identity()
    rec_ident, rec_recip = age.generate_identity()
    ws.put_secret(keystore.SIGN_KEY, minisign.secret_key_text(key).encode("ascii"))
    ws.put_secret(keystore.AGE_IDENTITY, ident.encode("ascii"))
    ws.put_secret(keystore.RECOVERY_IDENTITY, rec_ident.encode("ascii"))
    keys = CountyKeys(ws.org_code, key.public_key().to_base64(), recip, rec_recip)
    keystore.set_county_keys(ws, keys)
    ws.audit("create", what="county_authority", key_id=key.public_key().id_hex)
    return keys


def recovery_identity(ws: TrustWorkspace) -> str:
    _county_only(ws, "recovery")
    raw = ws.get_secret(keystore.RECOVERY_IDENTITY)
    if raw is None:
        raise SurveyError(TrustCode.TRUST_005)
    return raw.decode("ascii")


def _recipients_for(keys: CountyKeys, entries: dict[str, DeviceEntry], org: str) -> list[str]:
    readers = [keys.age_recipient]
    for e in entries.values():
        if e.role == "township" and not e.revoked and e.age_recipient and is_within(
            org, e.org_code
        ):
            readers.append(e.age_recipient)
    return sorted(set(readers))


def _scope_view(entries: dict[str, DeviceEntry], org: str) -> list[dict[str, Any]]:
    """The devices a unit must know: those inside it (a township imports its villages) and
    the townships above it (a village reads their receipts)."""
    return [e.to_json() for e in sorted(entries.values(), key=lambda e: e.device_id)
            if e.org_code == org or is_within(e.org_code, org) or is_within(org, e.org_code)]


def _next_serial(ws: TrustWorkspace) -> int:
    serial = int(ws.get_meta("trust.issued_serial") or "0") + 1
    ws.set_meta("trust.issued_serial", str(serial))
    return serial


def _update_body(ws: TrustWorkspace, keys: CountyKeys, org: str,
                 form: FormPackage | None) -> dict[str, Any]:
    entries = keystore.devices(ws)
    return {
        "county": {"org_code": keys.org_code, "sign_key": keys.sign_key,
                   "age_recipient": keys.age_recipient,
                   "recovery_recipient": keys.recovery_recipient},
        "for_org": org, "serial": _next_serial(ws), "issued_at": utc_now(),
        "devices": _scope_view(entries, org),
        "revoked": sorted(e.device_id for e in entries.values() if e.revoked),
        "recipients": _recipients_for(keys, entries, org),
        "form": None if form is None else form.to_json(),
        # The retention rule every tier applies to exited children's files (docs/store.md).
        "retention_days": retention_days(ws),
    }


def retention_days(ws: TrustWorkspace) -> int:
    """The county's retention period for exited children's files (days)."""
    from surveyapp.core.store.retention import DEFAULT_DAYS, META_KEY

    try:
        return int(ws.get_meta(META_KEY) or DEFAULT_DAYS)
    except ValueError:
        return DEFAULT_DAYS


def enroll(ws: TrustWorkspace, request: bytes, *, form: FormPackage | None = None,
           path: str = "?") -> bytes:
    """Check a device's enrollment request and return the signed enrollment file.

    :raises SurveyError: TRUST_001/002 for a bad or badly signed request, TRUST_006 for a
        device outside the county or with a role that does not fit its code.
    """
    keys, key = _county_only(ws, "enroll")
    body = peek(request, REQUEST, path)
    try:
        entry = DeviceEntry(str(body["device_id"]), str(body["org_code"]),
                            str(body["org_name"]), str(body["role"]), str(body["sign_key"]),
                            str(body["age_recipient"]), False, utc_now())
        device_pk = minisign.parse_public_key(entry.sign_key)
        if entry.age_recipient:
            age.parse_recipient(entry.age_recipient)
    except (KeyError, SurveyError) as err:
        raise SurveyError(TrustCode.TRUST_001, path=path, kind=REQUEST,
                          reason="missing or bad field") from err
    unseal(request, REQUEST, device_pk, path)  # proof that the device holds its key
    _refuse_revoked(ws, entry)
    if ROLE_DIGITS.get(entry.role) != len(entry.org_code) or not is_within(
        entry.org_code, keys.org_code
    ):
        raise SurveyError(TrustCode.TRUST_006, org=entry.org_code, role=entry.role,
                          county=keys.org_code)
    entries = keystore.devices(ws)
    entries[entry.device_id] = entry
    keystore.set_devices(ws, entries)
    out = _update_body(ws, keys, entry.org_code, form)
    out["device"] = entry.to_json()
    ws.audit("export", what="enrollment", device=entry.device_id, org=entry.org_code)
    return seal(ENROLLMENT, out, key)


def _refuse_revoked(ws: TrustWorkspace, entry: DeviceEntry) -> None:
    """A revoked device id or a revoked device's signing key is never enrolled again.

    :raises SurveyError: TRUST_015 with when and by whom it was revoked.
    """
    revs = keystore.revocations(ws)
    hit = revs.get(entry.device_id) or next(
        (r for r in revs.values() if r.sign_key == entry.sign_key), None)
    if hit is not None:
        raise SurveyError(TrustCode.TRUST_015, device=hit.device_id, org=hit.org_code,
                          at=hit.at[:19].replace("T", " "), by=hit.by)
    # Revoked before revocations were recorded: when and by whom are not known.
    for old in keystore.devices(ws).values():
        if old.revoked and (old.device_id == entry.device_id
                            or old.sign_key == entry.sign_key):
            raise SurveyError(TrustCode.TRUST_015, device=old.device_id, org=old.org_code)


def neighbour_units(ws: TrustWorkspace, org: str) -> list[str]:
    """The units that must learn about a device just enrolled for ``org``: for a village,
    its township (when a township device is enrolled: it imports the village's batches);
    for a township, each village below it with an enrolled device (their batches must be
    encrypted to the township, and they read its receipts and down files)."""
    entries = [e for e in keystore.devices(ws).values() if not e.revoked]
    if len(org) == ROLE_DIGITS["village"]:
        return sorted({e.org_code for e in entries
                       if e.role == "township" and e.org_code == org[:9]})
    return sorted({e.org_code for e in entries
                   if e.role == "village" and is_within(e.org_code, org)})


def revoke(ws: TrustWorkspace, device_id: str) -> DeviceEntry:
    """Mark a device revoked in the county's trust store (send ``trust_update`` files down).

    Permanent: the device id and its key are recorded (``keystore.revocations``) and
    :func:`enroll` refuses them from then on; only :func:`readmit` lifts it.

    :raises SurveyError: TRUST_009 for an unknown device id.
    """
    _county_only(ws, "revoke")
    entries = keystore.devices(ws)
    if device_id not in entries:
        raise SurveyError(TrustCode.TRUST_009, device=device_id)
    entry = entries[device_id] = replace(entries[device_id], revoked=True)
    revs = keystore.revocations(ws)
    revs.setdefault(device_id, keystore.Revocation(
        device_id, entry.org_code, entry.sign_key, utc_now(), str(getattr(ws, "user", ""))))
    keystore.set_devices(ws, entries)
    keystore.set_revocations(ws, revs)
    ws.audit("review", what="revoke", device=device_id)
    return entries[device_id]


def readmit(ws: TrustWorkspace, device_id: str, reason: str) -> DeviceEntry:
    """Lift a revocation: the county's explicit, audited decision to trust a revoked device
    (its id and key) again, e.g. a laptop reported stolen that was found sealed. The devices
    learn it from the next trust update.

    :raises SurveyError: TRUST_009 unknown device; TRUST_018 not revoked; TRUST_020 no
        reason.
    """
    _county_only(ws, "readmit")
    reason = " ".join(reason.split())
    entries = keystore.devices(ws)
    if device_id not in entries:
        raise SurveyError(TrustCode.TRUST_009, device=device_id)
    if not entries[device_id].revoked:
        raise SurveyError(TrustCode.TRUST_018, device=device_id)
    if not reason:
        raise SurveyError(TrustCode.TRUST_020, device=device_id)
    entries[device_id] = replace(entries[device_id], revoked=False)
    revs = keystore.revocations(ws)
    lifted = revs.pop(device_id, None)
    keystore.set_devices(ws, entries)
    keystore.set_revocations(ws, revs)
    ws.audit("review", what="readmit", device=device_id, reason=reason[:200],
             revoked_at=lifted.at if lifted else "", revoked_by=lifted.by if lifted else "")
    return entries[device_id]


def trust_update(ws: TrustWorkspace, for_org: str, *, form: FormPackage | None = None) -> bytes:
    """A signed update for the devices of ``for_org``: revocations, the devices inside it,
    the batch recipients and optionally a new form package."""
    keys, key = _county_only(ws, "trust update")
    body = _update_body(ws, keys, for_org, form)
    ws.audit("export", what="trust_update", org=for_org, serial=body["serial"])
    return seal(UPDATE, body, key)


def enrollment_json(data: bytes) -> dict[str, Any]:
    """The parsed outer JSON of a sealed file (for display)."""
    obj: dict[str, Any] = json.loads(data.decode("utf-8"))
    return obj
