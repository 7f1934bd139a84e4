"""The ``surveyapp`` entry point: GUI commands go to the Qt app, everything else to the CLI.

Kept apart from ``cli`` so that the CLI never imports Qt (an import-linter contract).
"""

from __future__ import annotations

import sys

GUI_COMMANDS = {"gui", "demo"}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in GUI_COMMANDS or args[0] == "--self-test":
        from surveyapp.ui.app import main as gui_main

        return gui_main(args)
    from surveyapp.cli.main import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
