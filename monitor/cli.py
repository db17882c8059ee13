"""The `monitor` command: check, run, digest, status, demo, config, login."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from monitor import logs
from monitor.config import ConfigError, load, resolve_path
from monitor.settings import Settings
from watchers.registry import KINDS

log = logging.getLogger("monitor")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="monitor", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--config", help="config file (default: $MONITOR_CONFIG or ./config.toml)")
        p.add_argument("-v", "--verbose", action="store_true", help="debug logs on stderr")
        return p

    check = command("check", "run every configured watch once, now")
    check.add_argument("--only", nargs="+", choices=KINDS)
    check.add_argument("--json", action="store_true", help="one JSON object per new event")
    check.add_argument("--no-send", action="store_true", help="do not deliver the events")
    command("run", "the service: watches on their schedules, the digest, the chat bot")
    digest = command("digest", "print today's digest")
    digest.add_argument("--send", action="store_true", help="send it to the chats")
    status = command("status", "the answer the bot gives to /status")
    status.add_argument("peer", nargs="?")
    demo = command("demo", "the built-in sample world on loopback: two checks a week apart, "
                           "every watch's alerts and the digest")
    demo.add_argument("--language", choices=("en", "zh"), default="en")
    command("config", "validate the config and print the effective settings")
    init = command("init", "write a commented starter config.toml in the current folder")
    init.add_argument("--language", choices=("en", "zh"), default="en")
    login = command("login", "open a visible browser on the profile folder to log in once")
    login.add_argument("url")
    return parser


def load_settings(arg: str | None) -> Settings:
    """Load the config named by --config / $MONITOR_CONFIG / ./config.toml."""
    return load(resolve_path(arg, dict(os.environ)))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    args = _parser().parse_args(argv)
    logs.setup(args.verbose)
    if args.command == "demo":
        from monitor.demo import run_demo

        return run_demo(sys.stdout, args.language)
    if args.command == "init":
        from monitor.init import write_starter

        return write_starter(Path.cwd(), args.language, sys.stdout)
    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        return 2
    from monitor.service.channels import channel_secrets

    logs.redact([os.environ.get(settings.telegram.token_env, ""), *channel_secrets(settings)])
    from monitor import commands

    try:
        if args.command == "check":
            return asyncio.run(commands.check(settings, only=args.only, as_json=args.json,
                                              send=not args.no_send, out=sys.stdout))
        if args.command == "digest":
            return asyncio.run(commands.digest(settings, send=args.send, out=sys.stdout))
        if args.command == "status":
            return commands.status(settings, args.peer, out=sys.stdout)
        if args.command == "config":
            return commands.show_config(settings, out=sys.stdout)
        if args.command == "run":
            from monitor.service.scheduler import serve

            return asyncio.run(serve(settings))
        if args.command == "login":
            from monitor.fetch.login import login

            return login(settings, args.url)
    except KeyboardInterrupt:
        return 0
    except sqlite3.OperationalError as exc:
        # Locked by another process past busy_timeout, or the disk is full: the write of the
        # check was one transaction and rolled back, so the next check reports the same events.
        print(f"monitor: the database {settings.monitor.database} could not be used ({exc}); "
              "nothing of this run was saved, try again later", file=sys.stderr)
        return 1
    raise AssertionError(f"unhandled command {args.command}")


if __name__ == "__main__":
    sys.exit(main())
