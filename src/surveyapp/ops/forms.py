"""Form operations shared by the CLI and the UI: check a form, fill it from answers, and
which form a workspace uses.

A workspace uses the form the county sent with its enrollment or last trust update
(``core.trust.forms``); before any arrives, the form shipped with the app. The stored form
is unpacked once into a cache folder (forms hold no personal data) so that everything
that takes a form path can read it:

    current_form_path(ws) -> Path;  current_form(ws) -> Form
    form_current(ws, out=None, overwrite=False) -> FormInfo   # surveyapp form current
    version_form(ws, form_id, version) -> Form | None          # a version kept by name
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from surveyapp.core.forms import CheckResult, Form, FormSession, check_form, load_form
from surveyapp.core.ledger.codes import LedgerCode
from surveyapp.core.trust import forms as trust_forms
from surveyapp.core.trust.device import form_package
from surveyapp.core.trust.keystore import TrustWorkspace
from surveyapp.errors import CommonCode, SurveyError
from surveyapp.paths import FORM_PATH


@dataclass(frozen=True, slots=True)
class FormInfo:
    """The form a workspace uses: ``source`` is ``county`` (sent down) or ``shipped``."""

    form_id: str
    version: str
    source: str
    path: Path
    written: Path | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {"form_id": self.form_id, "version": self.version, "source": self.source}
        if self.written is not None:
            out["written"] = str(self.written)
        return out


def _cache_dir() -> Path:
    uid = getattr(os, "getuid", lambda: 0)()
    return Path(tempfile.gettempdir()) / f"surveyapp-forms-{uid}"


def _unpacked(xlsx: bytes) -> Path:
    """The form bytes as a file in the cache folder, named by their digest."""
    folder = _cache_dir()
    digest = hashlib.sha256(xlsx).hexdigest()
    target = folder / f"{digest}.xlsx"
    try:  # a file there is used only when it is exactly these bytes
        if hashlib.sha256(target.read_bytes()).hexdigest() == digest:
            return target
    except OSError:
        pass
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(xlsx)
            os.replace(tmp, target)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    except OSError as err:
        raise SurveyError(CommonCode.IO_003, path=str(target), reason=str(err)) from err
    return target


def current_form_path(ws: TrustWorkspace) -> Path:
    """The .xlsx of the form ``ws`` uses: the county's form package, else the shipped one."""
    package = form_package(ws)
    return FORM_PATH if package is None else _unpacked(package.xlsx)


@functools.lru_cache(maxsize=8)
def _load(path: str, size: int, mtime: int) -> Form:
    return load_form(path)


def load_cached(path: str | Path) -> Form:
    """``load_form`` once per file (and per change of it)."""
    st = Path(path).stat()
    return _load(str(path), st.st_size, st.st_mtime_ns)


def current_form(ws: TrustWorkspace) -> Form:
    """The form ``ws`` uses, loaded (see :func:`current_form_path`).

    :raises SurveyError: the form's first error when the stored form cannot be read.
    """
    return load_cached(current_form_path(ws))


def form_current(ws: TrustWorkspace, out: str | Path | None = None, *,
                 overwrite: bool = False) -> FormInfo:
    """Which form ``ws`` uses; with ``out``, the form .xlsx is written there too.

    :raises SurveyError: LEDGER_001 when ``out`` exists (without ``overwrite``); IO_003.
    """
    package = form_package(ws)
    path = current_form_path(ws)
    if package is None:
        form = load_cached(path)
        form_id, version, source = form.form_id, str(form.version), "shipped"
    else:
        form_id, version, source = package.form_id, package.version, "county"
    written = None
    if out is not None:
        target = Path(out)
        if target.exists() and not overwrite:
            raise SurveyError(LedgerCode.LEDGER_001, path=str(target))
        try:
            target.write_bytes(path.read_bytes())
        except OSError as err:
            raise SurveyError(CommonCode.IO_003, path=str(target), reason=str(err)) from err
        written = target
    return FormInfo(form_id, version, source, path, written)


def version_form(ws: TrustWorkspace, form_id: str, version: str) -> Form | None:
    """A form version this workspace received or issued (or the shipped one), or None."""
    package = trust_forms.package(ws, form_id, version)
    if package is not None:
        try:
            return load_cached(_unpacked(package.xlsx))
        except SurveyError:
            return None
    shipped = load_cached(FORM_PATH)
    if shipped.form_id == form_id and str(shipped.version) == version:
        return shipped
    return None


@dataclass(frozen=True, slots=True)
class FillResult:
    """What ``surveyapp form fill`` prints."""

    values: dict[str, Any] = field(default_factory=dict)
    relevant: dict[str, bool] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    complete: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "values": self.values,
            "relevant": self.relevant,
            "errors": self.errors,
            "complete": self.complete,
        }


def check(form_path: str | Path) -> CheckResult:
    """Check a form file, collecting every error.

    :param form_path: the .xlsx form.
    """
    return check_form(form_path)


def fill_form(
    form_path: str | Path,
    answers: dict[str, Any],
    *,
    lang: str = "zh",
    today: dt.date | None = None,
    last_saved: dict[str, Any] | None = None,
) -> FillResult:
    """Fill the form with ``answers`` and report values, relevance and errors.

    Names that are not questions of the form (and calculates) are ignored.

    :param form_path: the .xlsx form.
    :param answers: question name → value; a repeat is a list of objects.
    :param lang: the language of the error messages.
    :param today: the date ``today()`` returns.
    :raises SurveyError: when the form is broken or a repeat's answers are malformed.
    """
    form = load_form(form_path)
    known = {k: v for k, v in answers.items() if k in form.nodes}
    session = FormSession(form, known, today=today, last_saved=last_saved, lang=lang)
    return FillResult(
        values=session.submission(),
        relevant=session.relevance(),
        errors=session.errors(lang),
        complete=session.complete,
    )
