"""The command-line front end: argparse over ``surveyapp.ops``; no Qt.

Each area registers its subcommands in its own module ``surveyapp/cli/cmd_<area>.py``,
which defines ``register(subparsers)``; every subcommand sets ``func(args) -> int``.
Exit codes: 0 ok, 1 user error (a SurveyError, printed in the chosen language, or a usage
error such as a missing argument), 2 a bug (a short message; the traceback goes to the log,
not the screen). When the reader of standard output goes away (``… | head``) the command
stops quietly with 0.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import pkgutil
import sys
import tempfile
from collections.abc import Sequence
from typing import NoReturn

from surveyapp import __version__
from surveyapp.crashlog import crash_report
from surveyapp.errors import SurveyError

__all__ = ["EXIT_BUG", "EXIT_OK", "EXIT_USER", "build_parser", "crash_report", "main"]

EXIT_OK, EXIT_USER, EXIT_BUG = 0, 1, 2
log = logging.getLogger("surveyapp.cli")


def default_lang() -> str:
    env = os.environ.get("SURVEYAPP_LANG") or os.environ.get("LANG", "")
    return "en" if env.startswith("en") else "zh"


class Parser(argparse.ArgumentParser):
    """argparse with usage errors (unknown command, missing argument) exiting 1, a user
    error, instead of argparse's 2, which this CLI keeps for bugs. Subcommand parsers are
    made with the same class."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USER, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="surveyapp",
        description="surveyapp: 农村留守儿童和困境儿童摸底排查 / child screening (command line)",
    )
    parser.add_argument("--version", action="version", version=f"surveyapp {__version__}")
    parser.add_argument(
        "--lang", choices=("zh", "en"), default=default_lang(), help="message language"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    import surveyapp.cli as pkg

    for mod in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        if mod.name.startswith("cmd_"):
            importlib.import_module(f"surveyapp.cli.{mod.name}").register(sub)
    return parser


def print_error(err: SurveyError, args: argparse.Namespace) -> None:
    if getattr(args, "json", False):
        print(json.dumps({"error": err.to_dict()}, ensure_ascii=False), file=sys.stderr)
    else:
        print(f"[{err.code.name}] {err.message(args.lang)}", file=sys.stderr)


def _reader_gone() -> int:
    """The program reading our output has ended (``surveyapp … --json | head``): stop
    quietly, as a pipe citizen does, with no message and no crash log. Standard output is
    pointed at the null device so that the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no real file descriptor (tests capture stdout)
        pass
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = int(args.func(args))
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit
        return code
    except BrokenPipeError:
        return _reader_gone()
    except SurveyError as err:
        print_error(err, args)
        return EXIT_USER
    except KeyboardInterrupt:
        print("已取消 / cancelled", file=sys.stderr)
        return EXIT_USER
    except Exception as err:  # a bug: keep the traceback off the screen, in a log file
        fd, path = tempfile.mkstemp(prefix="surveyapp-crash-", suffix=".log")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(crash_report(err))
        print(
            f"内部错误，详情已写入 {path}。请将该文件交给技术支持。\n"
            f"Internal error; details were written to {path}.",
            file=sys.stderr,
        )
        return EXIT_BUG


if __name__ == "__main__":
    sys.exit(main())
