"""The house rules that the import contracts do not cover: small rooms, one registry."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.cli import _parser
from watchers.registry import KINDS, WATCHES

ROOT = Path(__file__).resolve().parents[1]
MAX_MODULES = 14
MAX_LINES = 400


def _folders() -> list[Path]:
    return [p for top in ("monitor", "watchers", "notifier")
            for p in [ROOT / top, *(ROOT / top).rglob("*")]
            if p.is_dir() and p.name != "__pycache__"]


@pytest.mark.parametrize("folder", _folders(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_folder_holds_more_than_fourteen_modules(folder: Path) -> None:
    assert len(list(folder.glob("*.py"))) <= MAX_MODULES


@pytest.mark.parametrize("module", sorted(p for f in _folders() for p in f.glob("*.py")),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_is_over_four_hundred_lines(module: Path) -> None:
    assert len(module.read_text().splitlines()) <= MAX_LINES


@pytest.mark.parametrize("kind", KINDS)
def test_every_registered_watch_is_a_choice_of_only(kind: str) -> None:
    assert _parser().parse_args(["check", "--only", kind]).only == [kind]


def test_only_refuses_a_kind_nobody_registered() -> None:
    with pytest.raises(SystemExit):
        _parser().parse_args(["check", "--only", "weather"])
    assert len(set(KINDS)) == len(WATCHES)


def test_the_runner_names_no_watch() -> None:
    text = (ROOT / "monitor" / "service" / "runner.py").read_text()
    for kind in KINDS:
        assert f'"{kind}"' not in text
