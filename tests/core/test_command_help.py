"""Every CivicDesk command answers `--help` (an operator's first step), its subcommands too."""

import argparse

import pytest
from django.core.management import get_commands, load_command_class


def _ours():
    return sorted(name for name, app in get_commands().items() if app.startswith("civicdesk"))


def _parsers(parser):
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _parsers(sub)


def test_the_project_has_its_commands():
    assert {"demo", "backup", "restore", "secondment", "assistant", "handbook"} <= set(_ours())


@pytest.mark.parametrize("name", _ours())
def test_help_prints(name):
    command = load_command_class(get_commands()[name], name)
    for parser in _parsers(command.create_parser("civicdesk", name)):
        assert parser.format_help().strip()
