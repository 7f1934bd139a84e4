"""Form operations shared by the CLI and the UI: check a form, fill it from answers, and
which form a workspace uses.

A workspace uses the form the county sent with its enrollment or last trust update
(``core.trust.forms``); before any arrives, the form shipped with the app. The stored form
is unpacked once into a cache folder (forms hold no personal data) so that everything
that takes a form path can read it:

    current_form_path(ws) -> Path;  current_form(ws) -> Form
    form_current(ws, out=None, overwrite=False) -> FormInfo   # surveyapp form current
    version_form(ws, form_id, version) -> Form | None          # a version kept by name

Which form turns a revision's stored answers into labels (the child file, the dossier
PDF, the review screens, the exports): the version the revision names when this
workspace holds it, else the workspace's current form, else the shipped one. One
:class:`FormResolver` per screen or export caches each version it has loaded:

    FormResolver(ws, current=None).resolve(form_id, version) -> RevisionForm
    FormResolver(ws).for_record(record_id) -> RevisionForm     # the head revision's form
    FormResolver(ws).labels(form_id, version, lang) -> FormLabels
    FormResolver(ws).record_labels(record_id, lang) -> (FormLabels, "form_id@version")
    revision_form(ws, form_id, version) -> RevisionForm        # one look-up
"""

from __future__ import annotations

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
from surveyapp.core.ledger.labels import FormLabels
from surveyapp.core.trust import forms as trust_forms
from surveyapp.core.trust.authority import FormPackage
from surveyapp.core.trust.device import form_package
from surveyapp.core.trust.keystore import TrustWorkspace
from surveyapp.errors import CommonCode, SurveyError
from surveyapp.ops.trust import unpack_form
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


def _unpacked(package: FormPackage) -> Path:
    """The form package as files in the cache folder: ``<digest>/form.xlsx`` and, beside
    it, the files it reads (choice lists, pulldata tables), in a folder named by the digest
    of the workbook and its files (docs/forms.md "Files beside the form")."""
    wanted = {"form.xlsx": package.xlsx, **package.files}
    key = f"{hashlib.sha256(package.xlsx).hexdigest()} {package.files_sha256}"
    target = _cache_dir() / hashlib.sha256(key.encode("ascii")).hexdigest()
    try:  # the files there are used only when they are exactly these bytes
        if all(hashlib.sha256((target / name).read_bytes()).digest()
               == hashlib.sha256(data).digest() for name, data in wanted.items()):
            return target / "form.xlsx"
    except OSError:
        pass
    try:
        _cache_dir().mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as err:
        raise SurveyError(CommonCode.IO_003, path=str(target), reason=str(err)) from err
    return unpack_form(package, target)


def current_form_path(ws: TrustWorkspace) -> Path:
    """The .xlsx of the form ``ws`` uses: the county's form package, else the shipped one."""
    package = form_package(ws)
    return FORM_PATH if package is None else _unpacked(package)


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
    """Which form ``ws`` uses; with ``out``, the form .xlsx is written there too, and the
    files it reads beside it.

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
        # The files the form reads go beside it, under their own names, as the county had
        # them (docs/forms.md "Files beside the form").
        files = {} if package is None else dict(package.files)
        for dest in (target, *(target.parent / name for name in files)):
            if dest.exists() and not overwrite:
                raise SurveyError(LedgerCode.LEDGER_001, path=str(dest))
        try:
            target.write_bytes(path.read_bytes())
            for name, data in files.items():
                (target.parent / name).write_bytes(data)
        except OSError as err:
            raise SurveyError(CommonCode.IO_003, path=str(target), reason=str(err)) from err
        written = target
    return FormInfo(form_id, version, source, path, written)


def version_form(ws: TrustWorkspace, form_id: str, version: str) -> Form | None:
    """A form version this workspace received or issued (or the shipped one), or None."""
    package = trust_forms.package(ws, form_id, version)
    if package is not None:
        try:
            return load_cached(_unpacked(package))
        except SurveyError:
            return None
    shipped = load_cached(FORM_PATH)
    if shipped.form_id == form_id and str(shipped.version) == version:
        return shipped
    return None


@dataclass(frozen=True, slots=True)
class RevisionForm:
    """The form whose labels show a revision's answers.

    :param form: the loaded form.
    :param named: ``form_id@version`` the revision names (``""`` when it names none).
    :param source: ``version`` (the version it names), ``current`` (that version is not
        held here: the workspace's current form) or ``shipped`` (the current form cannot
        be read either: the form shipped with the app).
    """

    form: Form
    named: str
    source: str

    @property
    def used(self) -> str:
        """``form_id@version`` of :attr:`form`."""
        return f"{self.form.form_id}@{self.form.version}"

    @property
    def fallback(self) -> bool:
        """True when the revision's own version is not the one used."""
        return self.source != "version"


class FormResolver:
    """Which form labels a revision's answers, for one workspace, with each form version
    loaded once however many revisions name it (an export of 10,000 children loads each
    version once).

    :param ws: the open workspace (its kept form versions and current form).
    :param current: the form to fall back to instead of the workspace's current form (the
        desktop app passes the form it fills).
    """

    def __init__(self, ws: Any, *, current: Form | None = None) -> None:
        self.ws = ws
        self._current = current
        self._forms: dict[tuple[str, str], RevisionForm] = {}
        self._labels: dict[tuple[int, str], FormLabels] = {}
        self._heads: dict[str, tuple[str, str]] | None = None

    def current(self) -> RevisionForm:
        """The workspace's current form, else the shipped one when it cannot be read."""
        if self._current is None:
            try:
                self._current = current_form(self.ws)
            except (SurveyError, AttributeError, TypeError, ValueError):
                return RevisionForm(load_cached(FORM_PATH), "", "shipped")
        return RevisionForm(self._current, "", "current")

    def resolve(self, form_id: str, version: str) -> RevisionForm:
        """The form for a revision that names ``form_id@version``: that version when this
        workspace holds it (received, issued, or the shipped one), else the current form,
        else the shipped one."""
        key = (str(form_id or ""), str(version or ""))
        found = self._forms.get(key)
        if found is None:
            found = self._find(*key)
            self._forms[key] = found
        return found

    def _find(self, form_id: str, version: str) -> RevisionForm:
        named = f"{form_id}@{version}" if form_id or version else ""
        current = self.current()
        if form_id and current.form.form_id == form_id and str(current.form.version) == version:
            return RevisionForm(current.form, named, "version")
        held = None
        if form_id and version:
            try:
                held = version_form(self.ws, form_id, version)
            except (SurveyError, AttributeError, TypeError, ValueError):
                held = None
        if held is not None:
            return RevisionForm(held, named, "version")
        return RevisionForm(current.form, named, current.source)

    def labels(self, form_id: str, version: str, lang: str = "zh") -> FormLabels:
        """The choice labels and sections of :meth:`resolve`'s form in ``lang``."""
        return self.labels_of(self.resolve(form_id, version), lang)

    def labels_of(self, found: RevisionForm, lang: str = "zh") -> FormLabels:
        """The labels of a resolved form in ``lang`` (built once per form and language)."""
        key = (id(found.form), lang)
        got = self._labels.get(key)
        if got is None:
            got = FormLabels.from_model(found.form, lang)
            self._labels[key] = got
        return got

    def head_version(self, record_id: str) -> tuple[str, str]:
        """``(form_id, version)`` of a child file's head revision (``("", "")`` when the
        record is not on file)."""
        if self._heads is not None:
            return self._heads.get(record_id, ("", ""))
        try:
            row = self.ws.conn.one(_HEADS + " WHERE c.rk = key64(?) AND c.record_id = ?",
                                   (record_id, record_id))
        except (SurveyError, AttributeError):
            return ("", "")
        return (str(row[1] or ""), str(row[2] or "")) if row else ("", "")

    def load_heads(self) -> None:
        """Read the head version of every child file at once (before an export: one
        query instead of one per child)."""
        heads: dict[str, tuple[str, str]] = {}
        try:
            for record_id, form_id, version in self.ws.conn.iterate(_HEADS):
                heads[str(record_id)] = (str(form_id or ""), str(version or ""))
        except (SurveyError, AttributeError):
            return
        self._heads = heads

    def for_record(self, record_id: str) -> RevisionForm:
        """The form for a child file's head revision."""
        return self.resolve(*self.head_version(record_id))

    def record_labels(self, record_id: str, lang: str = "zh") -> tuple[FormLabels, str]:
        """The labels for a child file's head revision and the ``form_id@version`` it was
        saved under (what a dossier prints; ``render.write_village_dossiers``'s
        ``labels_for``)."""
        found = self.for_record(record_id)
        return self.labels_of(found, lang), found.named


# The store has no call for the head revisions' form versions alone (read-only; the
# revisions table keeps form_id and form_version beside each body).
_HEADS = ("SELECT c.record_id, r.form_id, r.form_version FROM children c "
          "JOIN revisions r ON r.idk = key64(c.head_rev) AND r.id = c.head_rev")


def revision_form(ws: Any, form_id: str, version: str) -> RevisionForm:
    """The form whose labels show a revision saved under ``form_id@version`` (see
    :class:`FormResolver`; make one resolver for many look-ups)."""
    return FormResolver(ws).resolve(form_id, version)


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
