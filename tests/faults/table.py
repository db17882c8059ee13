"""The fault suite's figures: per case, alerts invented, lost and repeated."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# An alert as the operator tells it apart: its kind, its store and its product.
Sig = tuple[str, str | None, str | None]


@dataclass
class Row:
    """One case's figures."""

    case: str
    checks: int
    invented: int
    lost: int
    repeated: int


TABLE: list[Row] = []


def sig(event: dict[str, Any]) -> Sig:
    """What tells an alert apart from another (not its id: a repeat gets a new one)."""
    product = event.get("product") or {}
    return (str(event["kind"]), event.get("store"), product.get("title"))


@dataclass
class Ledger:
    """Every alert of one case, against the alerts the case should give exactly once."""

    case: str
    expected: set[Sig]
    seen: Counter[Sig] = field(default_factory=Counter)
    checks: int = 0

    def add(self, events: Iterable[dict[str, Any]]) -> None:
        """The events of one check (or one delivery)."""
        self.checks += 1
        self.seen.update(sig(e) for e in events)

    def close(self) -> Row:
        """Count, remember the row for the report, and return it."""
        row = Row(
            case=self.case, checks=self.checks,
            invented=sum(n for s, n in self.seen.items() if s not in self.expected),
            lost=sum(1 for s in self.expected if not self.seen[s]),
            repeated=sum(n - 1 for s, n in self.seen.items() if s in self.expected and n > 1),
        )
        TABLE.append(row)
        return row

    def assert_clean(self) -> None:
        """Close the ledger; fail unless nothing was invented, lost or repeated."""
        row = self.close()
        assert (row.invented, row.lost, row.repeated) == (0, 0, 0), dict(self.seen)


def render(rows: Iterable[Row]) -> str:
    """The table as text, with a total line."""
    rows = list(rows)
    lines = [f"{'case':<44} {'checks':>6} {'invented':>8} {'lost':>5} {'repeated':>8}"]
    lines += [f"{r.case:<44} {r.checks:>6} {r.invented:>8} {r.lost:>5} {r.repeated:>8}"
              for r in rows]
    lines.append(f"{f'{len(rows)} cases':<44} {sum(r.checks for r in rows):>6} "
                 f"{sum(r.invented for r in rows):>8} {sum(r.lost for r in rows):>5} "
                 f"{sum(r.repeated for r in rows):>8}")
    return "\n".join(lines)
