"""Run one reader on one hostile file in a fresh process and report how it ended.

    python hardening_probe.py form|answers PATH

Prints one JSON object: ``code`` (the SurveyError code, or null), ``error`` (the type of any
other exception), ``causes`` (the exception types in the ``__cause__`` chain), ``grown_kb``
(peak resident memory growth over the baseline taken after the imports), ``traced_peak_kb``
(the peak of Python allocations during the read, by ``tracemalloc``) and ``exit`` (the
CLI's exit code for ``answers``). A fresh process each time, so that one input's peak does
not hide another's.
"""

from __future__ import annotations

import contextlib
import io
import json
import resource
import sys
import tracemalloc
from typing import Any


def peak_kb() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def causes(err: BaseException) -> list[str]:
    out: list[str] = []
    cur: BaseException | None = err
    while cur is not None:
        out.append(type(cur).__name__)
        cur = cur.__cause__ or cur.__context__
    return out


def probe_form(path: str, result: dict[str, Any]) -> None:
    from surveyapp.core.forms import load_form

    load_form(path)


def probe_answers(path: str, result: dict[str, Any]) -> None:
    from surveyapp.cli.main import main

    form = sys.argv[3]
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        result["exit"] = main(["--lang", "en", "form", "fill", form, "--answers", path,
                               "--today", "2026-07-01"])
    text = err.getvalue()
    if text.startswith("["):
        result["code"] = text[1:text.index("]")]


def main() -> None:
    kind, path = sys.argv[1], sys.argv[2]
    import openpyxl  # noqa: F401 - the baseline includes the libraries

    import surveyapp.cli.main
    import surveyapp.core.forms  # noqa: F401
    from surveyapp.errors import SurveyError

    base = peak_kb()
    tracemalloc.start()
    result: dict[str, Any] = {"code": None, "error": None, "causes": []}
    try:
        {"form": probe_form, "answers": probe_answers}[kind](path, result)
    except SurveyError as err:
        result["code"] = err.code.name
        result["causes"] = causes(err)
        result["context"] = {k: str(v)[:200] for k, v in err.context.items()}
    except BaseException as err:
        result["error"] = type(err).__name__
        result["causes"] = causes(err)
    result["grown_kb"] = peak_kb() - base
    result["traced_peak_kb"] = tracemalloc.get_traced_memory()[1] // 1024
    tracemalloc.stop()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
