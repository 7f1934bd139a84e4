"""Which form version a workspace uses, and which versions a county has issued.

The county sends a form down with an enrollment or a trust update (``FormPackage``); the
device keeps it (``keystore.FORM_PACKAGE`` and the ``trust.form`` meta) and from then on
fills that form. Every version a workspace received or issued is also kept by name
(``trust.form:<form_id>@<version>``), so that exports can label an old answer with the
version that asked it. A form update must keep the form id and carry a newer version.

    version_key(version) -> tuple      # "2026.10" sorts after "2026.9"
    check_successor(ws, package, path) # TRUST_019 for another form id or an older version
    keep(ws, package)                  # store it as the current form and by name
    record_issued(ws, package)         # county: remember an issued version, keep it
    issued(ws) -> list[str]            # "form_id@version" the county issued
    package(ws, form_id, version) -> FormPackage | None
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from surveyapp.core.trust import keystore
from surveyapp.core.trust.authority import FormPackage
from surveyapp.core.trust.codes import TrustCode
from surveyapp.core.trust.keystore import TrustWorkspace
from surveyapp.errors import SurveyError

ISSUED = "trust.issued_forms"
CURRENT = "trust.form"
PREFIX = "trust.form:"
VERSIONS = "trust.form_versions"


def version_key(version: str) -> tuple[Any, ...]:
    """A sort key for a form version: its numbers in order (``2026.10`` > ``2026.9``),
    then the text."""
    return (tuple(int(n) for n in re.findall(r"\d+", version)), version)


def current(ws: TrustWorkspace) -> dict[str, str] | None:
    """``{"form_id", "version", "sha256"}`` of the stored current form, or None."""
    meta = ws.get_meta(CURRENT)
    if not meta:
        return None
    obj = json.loads(meta)
    return {k: str(v) for k, v in obj.items()}


def check_successor(ws: TrustWorkspace, new: FormPackage, path: str = "?") -> None:
    """Refuse a form that is not the same form in a newer (or the same) version.

    :raises SurveyError: TRUST_019 for another form id, an older version, or the same
        version with other content.
    """
    cur = current(ws)
    if cur is None:
        return
    sha = hashlib.sha256(new.xlsx).hexdigest()
    same_id = cur["form_id"] == new.form_id
    older = version_key(new.version) < version_key(cur["version"])
    same_version = version_key(new.version) == version_key(cur["version"])
    changed = same_version and cur.get("sha256", sha) != sha
    if not same_id or older or changed:
        raise SurveyError(TrustCode.TRUST_019, path=path,
                          new=f"{new.form_id}@{new.version}",
                          current=f"{cur['form_id']}@{cur['version']}")


def keep(ws: TrustWorkspace, new: FormPackage) -> None:
    """Store ``new`` as the workspace's current form (and by its name)."""
    ws.put_secret(keystore.FORM_PACKAGE, new.xlsx)
    ws.put_secret(f"{PREFIX}{new.form_id}@{new.version}", new.xlsx)
    ws.set_meta(CURRENT, json.dumps({"form_id": new.form_id, "version": new.version,
                                     "sha256": hashlib.sha256(new.xlsx).hexdigest()}))
    label = f"{new.form_id}@{new.version}"
    known = kept_versions(ws)
    if label not in known:
        ws.set_meta(VERSIONS, json.dumps([*known, label]))


def issued(ws: TrustWorkspace) -> list[str]:
    """The ``form_id@version`` labels this county has sent down, oldest first."""
    return list(json.loads(ws.get_meta(ISSUED) or "[]"))


def record_issued(ws: TrustWorkspace, new: FormPackage) -> None:
    """County: remember that ``new`` was sent down, and use it as the county's own form.

    :raises SurveyError: TRUST_019 when it would replace a newer form.
    """
    check_successor(ws, new, f"{new.form_id}@{new.version}")
    label = f"{new.form_id}@{new.version}"
    known = issued(ws)
    if label not in known:
        ws.set_meta(ISSUED, json.dumps([*known, label]))
    keep(ws, new)


def package(ws: TrustWorkspace, form_id: str, version: str) -> FormPackage | None:
    """A form version this workspace received or issued, or None."""
    data = ws.get_secret(f"{PREFIX}{form_id}@{version}")
    return None if data is None else FormPackage(form_id, version, data)


def kept_versions(ws: TrustWorkspace) -> list[str]:
    """Every ``form_id@version`` kept by name (meta ``trust.form_versions``)."""
    return list(json.loads(ws.get_meta(VERSIONS) or "[]"))
