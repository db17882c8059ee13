"""The check step's side of `bestseller`: read the kept figures, rank, and write them back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from watchers.model import Event, Listing
from watchers.peers.bestseller import figure_rows, load_figures, sales_step
from watchers.watch import WatchStore


@dataclass
class Sales:
    """This read's bestseller events and the `peer_sales` rows to write with the snapshot."""

    events: list[Event] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)

    def save(self, store: WatchStore) -> None:
        """Write the changed figures and ranks (inside the check's transaction)."""
        if self.rows:
            store.upsert("peer_sales", self.rows, pk=("source", "key"))


def rank_sales(store: WatchStore, name: str, source: str, current: Mapping[str, Listing], *,
               now: datetime, complete: bool, baseline: bool) -> Sales:
    """Advance the peer's sales figures by this read and say who entered its top 10."""
    rows = list(store.query("select * from peer_sales where source = ?", [source]))
    known, ranks = load_figures(rows)
    # The first ranking of a peer (its baseline, or a database older than this feature)
    # is silent: every item would otherwise "enter" the top 10 at once.
    step = sales_step(name, source, known, ranks, current, now=now, complete=complete,
                      silent=baseline or not rows)
    return Sales(step.events, figure_rows(source, step, known, ranks))
