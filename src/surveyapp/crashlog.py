"""The one record of a bug, shared by the CLI, the desktop app and the store. No Qt.

``crash_report(err) -> str`` is the traceback without exception messages, which may quote
personal data (``invalid literal for int(): '<a child's name>'``): frames and exception
types only. ``log_bug(err, where) -> str`` writes that report to the ``surveyapp`` log (the
app's log file; the CLI's crash file) and returns it. Every face logs an unexpected error
through these two, so that the privacy filter is the same everywhere. ``set_log_file(path)``
records where the log goes (the app's ``surveyapp.log``, the CLI's crash file) so that a
message can say where to find it: ``log_file() -> Path | None``.
"""

from __future__ import annotations

import contextlib
import logging
import traceback
from pathlib import Path

from surveyapp import __version__

log = logging.getLogger("surveyapp")
_WHERE: dict[str, Path] = {}


def set_log_file(path: Path) -> None:
    """Remember the file the log is written to (for messages that point at it)."""
    _WHERE["log"] = Path(path)


def log_file() -> Path | None:
    """The file set by :func:`set_log_file`, if any."""
    return _WHERE.get("log")


def crash_report(err: BaseException) -> str:
    """Frames and exception types of ``err`` and its causes; messages withheld."""
    chain: list[BaseException] = []
    cur: BaseException | None = err
    while cur is not None and cur not in chain:
        chain.append(cur)
        cur = cur.__cause__ or cur.__context__
    parts = [f"surveyapp {__version__}\n"]
    for exc in reversed(chain):
        parts.append("Traceback (most recent call last):\n")
        parts += traceback.format_tb(exc.__traceback__)
        parts.append(f"{type(exc).__module__}.{type(exc).__qualname__} (message withheld)\n")
    return "".join(parts)


def log_bug(err: BaseException, where: str) -> str:
    """Log ``err`` as a bug found in ``where`` (a fixed label, never user data), once: an
    error logged where it happened (a worker) is not logged again where it is shown."""
    details = crash_report(err)
    if not getattr(err, "_surveyapp_logged", False):
        log.error("unexpected error in %s\n%s", where, details)
        with contextlib.suppress(AttributeError, TypeError):
            err._surveyapp_logged = True  # type: ignore[attr-defined]
    return details
