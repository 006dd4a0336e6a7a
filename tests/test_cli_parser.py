"""The parser declares only the options of the command being run, and still helps with every command."""

from __future__ import annotations

import pytest

from factcheck.cli import COMMANDS, main


def test_the_top_level_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    out = capsys.readouterr().out
    assert done.value.code == 0
    assert all(f"\n    {name} " in out for name in COMMANDS), out


def test_a_command_help_shows_its_own_options(capsys):
    with pytest.raises(SystemExit):
        main(["extract", "--help"])
    out = capsys.readouterr().out
    assert "--format {jsonl,table}" in out and "--no-default-rules" in out


def test_an_unknown_command_names_the_known_ones(capsys):
    with pytest.raises(SystemExit) as done:
        main(["extrakt", "x.txt"])
    err = capsys.readouterr().err
    assert done.value.code == 2
    assert "invalid choice: 'extrakt' (choose from 'check', 'extract', 'rules', 'facts', 'schema', 'eval')" in err


@pytest.mark.parametrize("columns", [60, 160])
def test_help_is_wrapped_at_the_terminal_width(capsys, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    lines = capsys.readouterr().out.splitlines()
    assert max(map(len, lines)) <= columns
    assert max(map(len, lines)) > min(columns, 100) - 20  # the width is used, not a fixed 80
