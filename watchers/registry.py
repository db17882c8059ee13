"""Every watch, by kind: the one list the runner, `--only` and the scheduler iterate."""

from __future__ import annotations

from watchers.copies.check import WATCH as COPIES
from watchers.own.check import WATCH as OWN
from watchers.peers.check import WATCH as PEERS
from watchers.position.check import WATCH as POSITION
from watchers.reviews.check import WATCH as REVIEWS
from watchers.season.check import WATCH as SEASON
from watchers.watch import Watch

WATCHES: tuple[Watch, ...] = (PEERS, COPIES, REVIEWS, SEASON, OWN, POSITION)
KINDS: tuple[str, ...] = tuple(w.kind for w in WATCHES)
