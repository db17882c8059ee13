"""Prints the fault suite's table (cases, alerts invented, lost, repeated) after the run."""

from __future__ import annotations

import pytest

from tests.faults.table import TABLE, render


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The figures of every fault case that ran in this session."""
    if TABLE:
        terminalreporter.section("fault injection: alerts invented / lost / repeated")
        terminalreporter.write_line(render(TABLE))
