"""`monitor run`'s schedule: a job per watch, no overlapping runs, misfires folded."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

from monitor.config import load
from monitor.service.app import open_app
from monitor.service.scheduler import DIGEST_GRACE, Service
from notifier.channels.console import ConsoleChannel

CONFIG = """
[monitor]
every = "30m"
[telegram]
digest_at = "08:15"
[[peers]]
name = "A"
url = "http://127.0.0.1:9/a"
platform = "shopify"
every = "2h"
[[peers]]
name = "B"
url = "http://127.0.0.1:9/b"
platform = "woocommerce"
"""


def test_each_watch_is_one_job_that_never_overlaps_itself(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG, encoding="utf-8")

    async def jobs() -> dict[str, object]:
        async with open_app(load(path)) as app:
            service = Service(app, ConsoleChannel(io.StringIO()))
            service.schedule()
            return {job.id: job for job in service.scheduler.get_jobs()}

    found = asyncio.run(jobs())
    assert set(found) == {"peer:A", "peer:B", "season", "digest"}
    for job_id in ("peer:A", "peer:B", "season"):
        job = found[job_id]
        assert job.max_instances == 1 and job.coalesce is True  # type: ignore[attr-defined]
    assert found["peer:A"].trigger.interval.total_seconds() == 7200  # type: ignore[attr-defined]
    assert found["peer:B"].trigger.interval.total_seconds() == 1800  # type: ignore[attr-defined]
    assert found["peer:A"].trigger.jitter  # type: ignore[attr-defined]
    digest = found["digest"]
    assert digest.misfire_grace_time == DIGEST_GRACE.total_seconds()  # type: ignore[attr-defined]
    assert "hour='8'" in str(digest.trigger) and "minute='15'" in str(digest.trigger)  # type: ignore[attr-defined]
