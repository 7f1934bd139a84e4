"""Writing an export safely: to a temporary file in the target folder, then renamed.

``atomic_output(path, overwrite=False)`` is a context manager yielding the temporary
path; when the block ends without an exception the file is renamed over ``path``
(``os.replace``), otherwise it is removed, so a cancelled or failed export never leaves a
half-written file behind. An existing ``path`` is refused unless ``overwrite`` is true.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from surveyapp.core.ledger.codes import LedgerCode
from surveyapp.errors import CommonCode, SurveyError

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


@contextmanager
def atomic_output(path: str | Path, *, overwrite: bool = False) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; rename it over ``path`` on success.

    :param path: the final file.
    :param overwrite: replace an existing file.
    :raises SurveyError: LEDGER_001 when ``path`` exists and ``overwrite`` is false;
        IO_001 when the disk is full; IO_003 for other write failures.
    """
    target = Path(path)
    if target.exists() and not overwrite:
        raise SurveyError(LedgerCode.LEDGER_001, path=str(target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.stem}.", suffix=target.suffix + ".tmp"
        )
        os.close(fd)
    except OSError as err:
        raise _io_error(target, err) from err
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.replace(tmp, target)
    except OSError as err:
        raise _io_error(target, err) from err
    finally:
        if tmp.exists():
            tmp.unlink()


def _io_error(target: Path, err: OSError) -> SurveyError:
    if err.errno == errno.ENOSPC:
        return SurveyError(CommonCode.IO_001, path=str(target))
    return SurveyError(CommonCode.IO_003, path=str(target), reason=err.strerror or str(err))


def check_cancel(cancel: Cancelled | None) -> None:
    """Raise the CANCELLED error when ``cancel()`` says so.

    :raises SurveyError: CANCELLED.
    """
    if cancel is not None and cancel():
        raise SurveyError(CommonCode.CANCELLED)
