"""Trust operations for the UI and the CLI: county keys, enrollment, revocation, updates.

    init_county(ws) -> CountyInfo
    write_enroll_request(ws, out) -> Path
    enroll_device(ws, request, out, *, form=None) -> EnrollResult   # + neighbours' updates
    enrollment_fingerprint(path) -> str          # the county key code a file carries
    accept_enrollment(ws, path, *, fingerprint=None) -> Applied
    county_fingerprint(ws) -> str | None         # the code of the county key this one trusts
    revoke_device(ws, device_id) -> DeviceEntry  # permanent
    readmit_device(ws, device_id, reason) -> DeviceEntry   # county, audited
    write_update(ws, for_org, out, *, form=None) -> Path
    apply_update(ws, path) -> Applied
    list_devices(ws) -> list[DeviceEntry]
    public_key_text(ws, device_id=None) -> str   # minisign .pub of a device (or this one)
    export_identity(ws, "batches"|"recovery", out) -> Path   # county: a secret key, 0600

    unpack_form(package, folder) -> Path   # form.xlsx + the files it reads, for load_form
    load_package(package) -> Form          # a stored form package, with its files

``form`` is the path of a form .xlsx to send down as the current form package, with every
file beside it that the form reads (``Form.attachments``: CSV/XML choice lists, pulldata
tables); a device stores them with the form (docs/batch-format.md §8). The county records
it as issued and uses it itself (``core.trust.forms``). A form that is not a newer version
of the county's current one is refused (TRUST_019), so is the same version with another
workbook or other files.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from surveyapp.core import trust
from surveyapp.core.crypto import minisign
from surveyapp.core.files import read_input
from surveyapp.core.store import Workspace
from surveyapp.core.trust import forms as trust_forms
from surveyapp.core.trust import keystore
from surveyapp.core.trust.authority import (
    MAX_PACKAGE_BYTES,
    MAX_PACKAGE_FILE_BYTES,
    package_file_name_ok,
)
from surveyapp.core.trust.codes import TrustCode
from surveyapp.core.trust.device import enrollment_county
from surveyapp.core.trust.keystore import DeviceEntry
from surveyapp.errors import CommonCode, SurveyError

if TYPE_CHECKING:
    from surveyapp.core.forms import Form

MAX_TRUST_FILE = 64 << 20  # a form package (≤ 40 MB with its files) in base64, and the rest


@dataclass(frozen=True, slots=True)
class CountyInfo:
    org_code: str
    key_id: str
    sign_key: str
    age_recipient: str
    recovery_recipient: str
    fingerprint: str  # the check code read out to the devices (docs/store.md)


@dataclass(frozen=True, slots=True)
class EnrollResult:
    path: Path
    device_id: str
    org_code: str
    role: str
    # Trust updates written at the same time for the units that must learn the new device
    # (its township; or, for a township, its enrolled villages): ``<org>_trust_update.json``
    # beside the enrollment file.
    updates: tuple[Path, ...] = ()


def _write(out: str | Path, data: bytes) -> Path:
    target = Path(out)
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".surveyapp-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    except OSError as err:
        raise SurveyError(CommonCode.IO_003, path=str(target), reason=str(err)) from err
    return target


def _read(path: str | Path) -> bytes:
    """A trust file (request, enrollment, update: a form package inside at most) or a form.

    :raises SurveyError: IO_002, INPUT_005 (not a regular file), IO_004, INPUT_002.
    """
    return read_input(path, MAX_TRUST_FILE)


def _package(form: str | Path | None) -> trust.FormPackage | None:
    if form is None:
        return None
    from surveyapp.core.forms import load_form

    loaded = load_form(form)
    xlsx = _read(form)
    folder = Path(form).resolve().parent
    files: dict[str, bytes] = {}
    for name, sha in loaded.attachments.items():
        data = read_input(folder / name, MAX_PACKAGE_FILE_BYTES)
        if hashlib.sha256(data).hexdigest() != sha:  # changed since the form was read
            raise SurveyError(CommonCode.IO_004, path=str(folder / name),
                              reason="the file changed while it was read; try again")
        files[name] = data
    total = len(xlsx) + sum(map(len, files.values()))
    if total > MAX_PACKAGE_BYTES:
        raise SurveyError(CommonCode.INPUT_002, path=str(form), size=total,
                          limit=MAX_PACKAGE_BYTES)
    return trust.FormPackage(loaded.form_id, str(loaded.version), xlsx, files)


def unpack_form(package: trust.FormPackage, folder: str | Path) -> Path:
    """Write a stored form package as the form reader reads it: ``form.xlsx`` and, beside
    it, every file it reads (choice lists, pulldata tables). Returns the .xlsx path.

    :raises SurveyError: IO_003 when the folder cannot be written.
    """
    target = Path(folder)
    try:
        target.mkdir(mode=0o700, parents=True, exist_ok=True)
        for name, data in package.files.items():
            if package_file_name_ok(name):  # checked on the way in; never a path
                _write(target / name, data)
    except OSError as err:
        raise SurveyError(CommonCode.IO_003, path=str(target), reason=str(err)) from err
    return _write(target / "form.xlsx", package.xlsx)


def load_package(package: trust.FormPackage) -> Form:
    """A stored form package loaded with its files (from a private temporary folder).

    :raises SurveyError: the form's first error.
    """
    from surveyapp.core.forms import load_form

    with tempfile.TemporaryDirectory(prefix="surveyapp-form-") as tmp:
        return load_form(unpack_form(package, tmp))


def init_county(ws: Workspace) -> CountyInfo:
    """:raises SurveyError: TRUST_003 keys exist; TRUST_004 not a county workspace."""
    keys = trust.init_county(ws)
    return CountyInfo(keys.org_code, keys.public_key().id_hex, keys.sign_key,
                      keys.age_recipient, keys.recovery_recipient, keys.fingerprint())


def write_enroll_request(ws: Workspace, out: str | Path) -> Path:
    return _write(out, trust.enroll_request(ws))


def enroll_device(ws: Workspace, request: str | Path, out: str | Path, *,
                  form: str | Path | None = None) -> EnrollResult:
    package = _package(form)
    if package is not None:
        trust_forms.record_issued(ws, package)
    data = trust.enroll(ws, _read(request), form=package, path=str(request))
    path = _write(out, data)
    body = trust.authority.enrollment_json(data)["body"]["device"]
    updates = tuple(
        _write(path.parent / f"{org}_trust_update.json", trust.trust_update(ws, org))
        for org in trust.authority.neighbour_units(ws, body["org_code"]))
    return EnrollResult(path, body["device_id"], body["org_code"], body["role"], updates)


def enrollment_fingerprint(path: str | Path) -> str:
    """The check code of the county key an enrollment file carries (nothing is stored).

    :raises SurveyError: TRUST_001/002 not an enrollment file or a bad signature.
    """
    return enrollment_county(_read(path), str(path)).fingerprint()


def accept_enrollment(ws: Workspace, path: str | Path, *,
                      fingerprint: str | None = None) -> trust.Applied:
    return trust.accept_enrollment(ws, _read(path), str(path), fingerprint=fingerprint)


def county_fingerprint(ws: Workspace) -> str | None:
    """The check code of the county key this workspace holds (its own, at the county)."""
    keys = keystore.county_keys(ws)
    return None if keys is None else keys.fingerprint()


def revoke_device(ws: Workspace, device_id: str) -> DeviceEntry:
    return trust.revoke(ws, device_id)


def readmit_device(ws: Workspace, device_id: str, reason: str) -> DeviceEntry:
    """:raises SurveyError: TRUST_004 not the county; TRUST_009 unknown; TRUST_018 not
    revoked; TRUST_020 no reason."""
    return trust.readmit(ws, device_id, reason)


def write_update(ws: Workspace, for_org: str, out: str | Path, *,
                 form: str | Path | None = None) -> Path:
    package = _package(form)
    if package is not None:
        trust_forms.record_issued(ws, package)
    return _write(out, trust.trust_update(ws, for_org, form=package))


def apply_update(ws: Workspace, path: str | Path) -> trust.Applied:
    return trust.apply_update(ws, _read(path), str(path))


IDENTITIES = {"batches": keystore.AGE_IDENTITY, "recovery": keystore.RECOVERY_IDENTITY}


def export_identity(ws: Workspace, which: str, out: str | Path) -> Path:
    """County: write one of its age identities to a new file, mode 0600, as ``age-keygen``
    writes it (comment lines, then ``AGE-SECRET-KEY-1…``), for the outside tools:
    ``batches`` decrypts every batch sent to the county (``age -d -i FILE``), ``recovery``
    is what ``surveyapp recovery issue --identity FILE`` needs. Audited.

    :raises SurveyError: TRUST_004 outside the county; TRUST_005 no county keys; TRUST_013
        the file exists; IO_003 it cannot be written.
    """
    from surveyapp.core.crypto import age
    from surveyapp.core.store.revisions import utc_now

    if ws.role != "county":
        raise SurveyError(TrustCode.TRUST_004, action="export-identity", role=ws.role)
    raw = ws.get_secret(IDENTITIES[which])
    if raw is None:
        raise SurveyError(TrustCode.TRUST_005)
    identity = raw.decode("ascii")
    text = (f"# surveyapp county {which} identity of {ws.org_code}, exported {utc_now()}\n"
            "# SECRET: anyone holding this file can "
            + ("read every batch sent to the county" if which == "batches"
               else "reset the password of every workspace") + "; delete it after use\n"
            f"# public key: {age.recipient_of(identity)}\n{identity}\n")
    target = Path(out)
    with ws.conn.atomic():  # audited, or not written at all
        ws.audit("export", what="identity", which=which)
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError as err:
            raise SurveyError(TrustCode.TRUST_013, path=str(target)) from err
        except OSError as err:
            raise SurveyError(CommonCode.IO_003, path=str(target), reason=str(err)) from err
        try:
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as err:
            with contextlib.suppress(OSError):
                target.unlink()
            raise SurveyError(CommonCode.IO_003, path=str(target), reason=str(err)) from err
    return target


def list_devices(ws: Workspace) -> list[DeviceEntry]:
    return sorted(keystore.devices(ws).values(), key=lambda d: (d.org_code, d.device_id))


def public_key_text(ws: Workspace, device_id: str | None = None) -> str:
    """The minisign public key file of ``device_id`` (or of this workspace's own key).

    :raises SurveyError: TRUST_009 unknown device; TRUST_008 no own key yet.
    """
    if device_id is None:
        key = keystore.signing_key(ws)
        if key is None:
            raise SurveyError(TrustCode.TRUST_008)
        return minisign.public_key_text(key.public_key())
    entry = keystore.devices(ws).get(device_id)
    if entry is None:
        raise SurveyError(TrustCode.TRUST_009, device=device_id)
    return minisign.public_key_text(minisign.parse_public_key(entry.sign_key))
