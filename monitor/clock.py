"""The clock: real time, or the instant in MONITOR_NOW (backfills, tests)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def now(tz: str = "UTC") -> datetime:
    """The current instant in `tz`; MONITOR_NOW (ISO-8601) wins when set."""
    zone = ZoneInfo(tz)
    fixed = os.environ.get("MONITOR_NOW")
    if fixed:
        instant = datetime.fromisoformat(fixed.replace("Z", "+00:00"))
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=zone)
        return instant.astimezone(zone)
    return datetime.now(UTC).astimezone(zone)
