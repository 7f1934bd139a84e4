"""Helpers shared by CLI commands: opening a workspace, JSON output, progress on stderr."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from typing import Any

from surveyapp.core.store import Workspace


def workspace_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("workspace", help="workspace file (工作区文件)")
    parser.add_argument("--user", required=True, help="user name (用户名)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def open_workspace(args: argparse.Namespace) -> Workspace:
    """Open ``args.workspace`` as ``args.user``; the password comes from SURVEYAPP_PASSWORD
    (for scripts) or a prompt that does not echo."""
    password = os.environ.get("SURVEYAPP_PASSWORD") or getpass.getpass("工作区密码 / password: ")
    return Workspace.open(args.workspace, args.user, password)


def emit(args: argparse.Namespace, data: Any, text: str) -> None:
    """Print ``data`` as JSON with --json, else the human-readable ``text``."""
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print(text)


def progress_printer(args: argparse.Namespace) -> Any:
    def progress(done: int, total: int) -> None:
        if not getattr(args, "json", False) and sys.stderr.isatty():
            print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)

    return progress
