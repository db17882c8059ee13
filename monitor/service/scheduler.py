"""`monitor run`: watches on their schedules, the daily digest and the chat bot, on one loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from monitor.service.actions import StoreActions
from monitor.service.app import App, open_app
from monitor.service.delivery import (
    chat_warnings,
    deliver_urgent,
    make_bot,
    make_channel,
    mark_digested,
)
from monitor.settings import Settings
from notifier.channel import Channel
from notifier.digest import shown_ids
from notifier.views import CheckOutcome
from watchers.watch import CheckResult

log = logging.getLogger(__name__)

JITTER_SHARE = 0.1  # spread watches so that they do not hit every store at the same second
DIGEST_GRACE = timedelta(hours=6)  # a digest due during a restart still goes out, once


class Service:
    """Owns the scheduler and, when a token is set, the bot; both share one asyncio loop."""

    def __init__(self, app: App, channel: Channel) -> None:
        self.app = app
        self.channel = channel
        self.scheduler = AsyncIOScheduler(timezone=app.settings.monitor.timezone)
        self._lock = asyncio.Lock()

    def schedule(self) -> None:
        """One job per watch (run once now, then every `every`), and the daily digest."""
        s = self.app.settings
        # The scheduler runs on the real clock; MONITOR_NOW only dates what is recorded
        # (a fixed instant in the past would make every first run a missed one).
        first = datetime.now(ZoneInfo(s.monitor.timezone))
        missed = self.digest_missed()
        for job in self.app.runner.jobs():
            every = job.every or s.monitor.every
            # With a catch-up digest due, its check is every watch's first run.
            self._add(job.id, partial(self.app.runner.run, job), every,
                      first + timedelta(seconds=every) if missed else first)
        at = s.telegram.digest_at
        self.scheduler.add_job(self.send_digest, CronTrigger(hour=at.hour, minute=at.minute,
                                                             timezone=s.monitor.timezone),
                               id="digest", coalesce=True, max_instances=1,
                               misfire_grace_time=int(DIGEST_GRACE.total_seconds()))
        if missed:
            # A digest missed during a restart goes out once every watch has run: sent
            # before, it would say "nothing changed" about what the first check finds.
            self.scheduler.add_job(self.catch_up, id="catch-up", next_run_time=first)

    def _add(self, job_id: str, run: Callable[[], Awaitable[CheckResult]], every: float,
             first: datetime) -> None:
        async def job() -> None:
            try:
                await run()
                await self.deliver()
            except Exception:  # one watch's crash must not stop the service
                log.exception("watch %s crashed", job_id)

        trigger = IntervalTrigger(seconds=every, jitter=max(1, int(every * JITTER_SHARE)))
        # max_instances=1: no overlapping runs of one watch; coalesce: missed runs fold.
        self.scheduler.add_job(job, trigger, id=job_id, next_run_time=first, max_instances=1,
                               coalesce=True, misfire_grace_time=int(every))

    async def catch_up(self) -> int:
        """The missed digest after a first check of every watch; chats sent to."""
        try:
            await self.check_now()
        except Exception:  # the digest still goes out with what is stored
            log.exception("the check before the catch-up digest crashed")
        return await self.send_digest()

    async def check_now(self) -> CheckOutcome:
        """Every watch now (the bot's /check): new events, alerts delivered, sources failed."""
        result = await self.app.runner.check()
        delivered = await self.deliver()
        return CheckOutcome(len(result.events), delivered, sorted(set(result.failed)))

    async def deliver(self) -> int:
        """Send what is urgent and undelivered; one delivery at a time; how many went out."""
        async with self._lock:
            return await deliver_urgent(self.app.store, self.channel, self.app.now,
                                        self.app.read_model.context)

    def digest_missed(self) -> bool:
        """True when today's digest was due less than DIGEST_GRACE ago (e.g. during a restart).

        The scheduler's jobs live in memory: a fire time that passed while the process was
        down is not a misfire it knows of, so the service looks at the clock itself.
        """
        now = self.app.now()
        at = self.app.settings.telegram.digest_at
        due = now.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
        return due <= now <= due + DIGEST_GRACE

    async def send_digest(self) -> int:
        """The daily digest, once per day and chat (remembered in the store); chats sent to."""
        store, now = self.app.store, self.app.now
        day = now().date().isoformat()
        done = {r["chat"] for r in store.query("select chat from digests where day = ?", [day])}
        todo = [chat for chat in self.channel.chats() if chat not in done]
        if not todo:
            return 0
        sent = 0
        for chat in todo:
            # Each chat's digest covers everything since the last one it actually got.
            model = self.app.read_model
            data = model.digest_data(model.last_digest([chat]))
            if not await self.channel.send_digest_to(chat, data):
                continue  # that chat gets it on the next try (a restart, /digest)
            # Remembered chat by chat: a stop half-way repeats no chat's digest. Only the
            # events the digest told count as delivered by it.
            with store.transaction():
                mark_digested(store, [chat], shown_ids(data), now)
                store.db.table("digests").insert(
                    {"day": day, "chat": chat, "at": now().isoformat()},
                    pk=("day", "chat"), ignore=True)
            sent += 1
        return sent


async def serve(settings: Settings) -> int:
    """Run until SIGINT/SIGTERM; exit 0."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with open_app(settings) as app:
        channel = make_channel(settings, app.read_model, console=sys.stdout)
        assert channel is not None
        service = Service(app, channel)
        bot = make_bot(channel)
        # The bot starts beside the scheduler, not before it: an unreachable Bot API
        # must not keep the watches from running.
        starting = (asyncio.create_task(bot.run(StoreActions(app,
                                                             service.check_now)))
                    if bot is not None else None)
        service.schedule()
        service.scheduler.start()
        for warning in chat_warnings(settings):
            log.warning(warning)
        log.info("monitor running: %d peers; Ctrl-C or SIGTERM stops it", len(settings.peers))
        await stop.wait()
        log.info("stopping")
        service.scheduler.shutdown(wait=False)
        if starting is not None:
            starting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await starting
        if bot is not None:
            await bot.stop()
        await channel.close()
    return 0
