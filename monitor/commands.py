"""What each CLI command does, given valid settings."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

from monitor.service.app import open_app
from monitor.service.delivery import (
    CONSOLE_CHAT,
    chat_warnings,
    deliver_urgent,
    make_channel,
    mark_digested,
    telegram_token,
)
from monitor.settings import Settings
from monitor.store.context import EventContext
from monitor.store.database import Store, detected_platforms
from notifier.channels.console import print_events
from notifier.digest import digest_text, shown_ids
from notifier.status import render_status

log = logging.getLogger(__name__)


async def check(settings: Settings, *, only: Sequence[str] | None, as_json: bool, send: bool,
                out: TextIO) -> int:
    """Run every watch once, print the new events, deliver them; 1 if a source failed."""
    async with open_app(settings) as app:
        started = app.now().isoformat()
        before = {r["source"] for r in app.store.sources() if r["baseline_done"]}
        result = await app.runner.check(only)
        # --json keeps the events as recorded; the lines get what their alerts show.
        shown = result.events if as_json else app.read_model.context.add(result.events)
        print_events(shown, out, as_json=as_json, lang=settings.monitor.language)
        report_sources(app.store, app.read_model.context, started, before)
        if send:
            channel = make_channel(settings, app.read_model, console=None)
            if not telegram_token(settings):
                # The events were just printed: that was their delivery to the console.
                app.store.mark_delivered([e.id for e in result.events if e.urgent],
                                         CONSOLE_CHAT, app.now())
            if channel is not None:
                try:
                    await deliver_urgent(app.store, channel, app.now, app.read_model.context)
                except Exception as exc:  # the chat API is down: the outbox keeps the alerts
                    log.error("delivery failed (%s: %s); the alerts stay undelivered and go "
                              "out with the next delivery", type(exc).__name__, exc)
                    return 1
                finally:
                    await channel.close()
    return 1 if result.failed else 0


async def digest(settings: Settings, *, send: bool, out: TextIO) -> int:
    """Print today's digest, or send it to the chats."""
    async with open_app(settings) as app:
        data = app.read_model.digest_data()
        if send:
            channel = make_channel(settings, app.read_model, console=out)
            assert channel is not None
            try:
                failed = 0
                for chat in channel.chats():  # each chat (each channel) marked on its own
                    if not await channel.send_digest_to(chat, data):
                        failed += 1
                        continue
                    with app.store.transaction():
                        mark_digested(app.store, [chat], shown_ids(data), app.now)
                        app.store.db.table("digests").insert(  # the service sends no second
                            {"day": app.now().date().isoformat(), "chat": chat,
                             "at": app.now().isoformat()},
                            pk=("day", "chat"), ignore=True)
                if failed:
                    log.error("the digest could not go to %d of the chats; it goes again "
                              "with the next `monitor digest --send` or the daily one", failed)
                    return 1
            except Exception as exc:  # the chat API is down: nothing is marked as sent
                log.error("the digest could not be sent (%s: %s)", type(exc).__name__, exc)
                return 1
            finally:
                await channel.close()
        else:
            out.write(digest_text(data, settings.monitor.language))
    return 0


def report_sources(store: Store, context: EventContext, started: str,
                   baselined: set[str]) -> None:
    """One stderr line per source that failed in this check, and what the baseline recorded.

    A failing source says which URL and why, so that exit 1 never comes with nothing said;
    a first read says how much it recorded, since it reports no events by design.
    """
    first: list[str] = []
    for row in store.sources():
        if (row["last_try"] or "") < started:
            continue
        url, _ = context.source_info(row["source"])
        if row["state"] == "failing":
            print(f"monitor: {row['name'] or row['source']} could not be read"
                  f"{f' ({url})' if url else ''}: {row['last_error'] or 'unknown error'}",
                  file=sys.stderr)
        elif row["baseline_done"] and row["source"] not in baselined:
            count = next(store.db.execute(
                "select count(*) from items where source = ? and gone_at is null",
                [row["source"]]))[0]
            first.append(f"{row['name'] or row['source']} ({count} items)" if count
                         else str(row["name"] or row["source"]))
    if first:
        print(f"monitor: first read, recorded as the baseline without alerts: "
              f"{', '.join(first)}", file=sys.stderr)


def status(settings: Settings, peer: str | None, *, out: TextIO) -> int:
    """The /status answer on stdout."""
    from functools import partial

    from monitor import clock
    from monitor.store.queries import StoreReadModel

    store = Store(settings.monitor.database)
    try:
        model = StoreReadModel(settings, store, partial(clock.now, settings.monitor.timezone))
        out.write(render_status(model, peer, settings.monitor.language) + "\n")
    finally:
        store.close()
    return 0


def show_config(settings: Settings, *, out: TextIO) -> int:
    """The effective settings as JSON, the token masked."""
    data = _plain(dataclasses.asdict(settings))
    token = os.environ.get(settings.telegram.token_env)
    data["telegram"]["token"] = "***" if token else None
    for entry, shown in zip(settings.channels, data["channels"], strict=True):
        # Which robot, never its token: a robot's host (Apprise URLs may hold a token in
        # theirs: only their schemes), and whether a secret is set.
        hooks = [urlsplit(url) for url in os.environ.get(entry.webhook_env, "").split()]
        shown["webhook"] = " ".join(
            f"{h.scheme}://***" if entry.kind == "apprise" else f"{h.scheme}://{h.hostname}/***"
            for h in hooks) or None
        shown["secret"] = "***" if entry.secret_env else None
    detected = detected_platforms(settings.monitor.database)
    for peer, shown in zip(settings.peers, data["peers"], strict=True):
        if not peer.platform:  # by its address alone: what the first read found, if any
            shown["platform"] = detected.get(peer.source, "auto (detected at the first read)")
    out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    for warning in chat_warnings(settings):
        print(f"monitor: warning: {warning}", file=sys.stderr)
    return 0


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
