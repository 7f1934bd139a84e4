"""CLI-DOC: every CLI command and subcommand is documented in docs/cli.md and has help text;
the exit-code contract is 0 ok / 1 user error / 2 bug."""

import argparse
from pathlib import Path

import pytest

from surveyapp.cli import main as cli_main

DOC = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text(encoding="utf-8")


def _commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()):
    for action in parser._actions:  # argparse offers no public walk of subparsers
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in action._choices_actions}
            for name, sub in action.choices.items():
                yield (*prefix, name), helps.get(name), sub
                yield from _commands(sub, (*prefix, name))


COMMANDS = list(_commands(cli_main.build_parser()))


def test_commands_found__sanity():
    names = {c for c, _, _ in COMMANDS}
    assert ("form", "check") in names and ("form", "fill") in names


@pytest.mark.parametrize("cmd", [c for c, _, _ in COMMANDS], ids=" ".join)
def test_command_documented__in_cli_md(cmd):
    assert "surveyapp " + " ".join(cmd) in DOC, f"document `surveyapp {' '.join(cmd)}`"


@pytest.mark.parametrize(("cmd", "help_text"), [(c, h) for c, h, _ in COMMANDS], ids=str)
def test_command_has_help__text(cmd, help_text):
    assert help_text, f"`surveyapp {' '.join(cmd)}` needs help= text"


def test_bug__exit_2_and_no_traceback(monkeypatch, capsys, tmp_path):
    import tempfile

    import surveyapp.cli.cmd_form as cmd_form

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def boom(args):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(cmd_form, "run_check", boom)
    assert cli_main.main(["form", "check", "x.xlsx"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "内部错误" in err
    logs = list(tmp_path.glob("surveyapp-crash-*.log"))
    assert logs and "simulated bug" in logs[0].read_text(encoding="utf-8")
