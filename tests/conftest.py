"""Shared test fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.http import LoopbackServer

# The captured real-world pages belong to others: read in place, never copied here.
REALWORLD = Path(__file__).resolve().parents[1].parent / "shared" / "realworld"


@pytest.fixture
def realworld() -> Path:
    """The ../shared/realworld folder; tests using it skip only where it is absent."""
    if not REALWORLD.is_dir():
        pytest.skip("../shared/realworld is absent on this machine")
    return REALWORLD


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    """A started loopback HTTP server with no routes yet."""
    with LoopbackServer() as srv:
        yield srv
