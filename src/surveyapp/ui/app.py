"""The desktop app: QApplication, translators, the crash hook and the start-up flow.

``main(args) -> int`` is what ``surveyapp``, ``surveyapp gui [WORKSPACE]``,
``surveyapp demo [--rebuild]`` and ``surveyapp --self-test`` run (see ``launcher.py``).

Start-up: ``demo`` builds the demo county in the user data folder when missing and shows its
login (the demo password is printed on the login screen); ``gui WORKSPACE`` logs in to that
file; plain ``surveyapp`` logs in to the last workspace, or runs the first-run wizard.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QDialog

from surveyapp import __version__
from surveyapp.ui import crash
from surveyapp.ui.i18n import install_translators
from surveyapp.ui.mnemonics import install_dialog_mnemonics
from surveyapp.ui.settings import Settings, data_dir, log_dir


def parse_args(args: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="surveyapp", description="surveyapp desktop app")
    parser.add_argument("--self-test", action="store_true", help="open, fill, save, exit 0")
    parser.add_argument("--lang", choices=["zh_CN", "en"], help="UI language for this run")
    sub = parser.add_subparsers(dest="command")
    gui = sub.add_parser("gui", help="open the desktop app")
    gui.add_argument("workspace", nargs="?", help="a workspace file (.sdb)")
    gui.add_argument("--user", default="", help="the user name to log in as")
    demo = sub.add_parser("demo", help="open the demo county (built on first use)")
    demo.add_argument("--rebuild", action="store_true", help="build the demo workspace again")
    demo.add_argument("--children", type=int, default=2000, help="children in the demo county")
    return parser.parse_args(args)


# The focus mark (issue 21): every style marks a focused line edit or combo clearly, but
# radios, check boxes and buttons only with a faint outline; they get a tinted frame.
FOCUS_STYLE = (
    "QRadioButton:focus, QCheckBox:focus {"
    " background: #fff3c4; border: 1px solid #f9a825; border-radius: 3px; }"
    "QPushButton:focus { background: #fff3c4; border: 2px solid #f9a825;"
    " border-radius: 3px; padding: 0px 4px; }"  # no wider than the unfocused button
)


def make_app(language: str | None = None) -> tuple[QApplication, Settings]:
    """Create (or reuse) the QApplication with translators, font and crash hook installed."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)  # noqa: S101 - a QCoreApplication here is a bug
    app.setApplicationName("surveyapp")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("surveyapp")
    settings = Settings.load()
    lang = language or settings.language
    install_translators(app, lang, data_dir() / "i18n")
    font = QFont(app.font())
    font.setFamilies(["Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", font.family()])
    font.setPointSize(max(font.pointSize(), 10))
    app.setFont(font)
    install_dialog_mnemonics(app)
    app.setStyleSheet(FOCUS_STYLE)
    return app, settings


def main(args: list[str]) -> int:
    """Run the desktop app; returns the process exit code."""
    opts = parse_args([a for a in args if a != "--"])
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    if opts.lang:
        os.environ["SURVEYAPP_LANG"] = opts.lang
    if opts.self_test:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app, settings = make_app()
    log_file = log_dir() / "surveyapp.log"
    crash.setup_logging(log_file)
    crash.install_excepthook(log_file)
    if opts.self_test:
        from surveyapp.ui.selftest import run_self_test

        return run_self_test()
    from surveyapp.ui.startup import Startup

    start = Startup(settings)
    if opts.command == "demo":
        window = start.open_demo(rebuild=opts.rebuild, children=opts.children)
    elif opts.command == "gui" and opts.workspace:
        window = start.login(Path(opts.workspace), opts.user or str(settings.get("last_user")))
    else:
        window = start.default()
    if window is None:
        return 0
    window.show()
    return app.exec()


def exec_dialog(dialog: QDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted
