"""Logging set-up: stderr, quiet libraries, and secrets redacted from every record."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable

QUIET = ("httpx", "httpcore", "apscheduler", "telegram", "asyncio")


class Redact(logging.Filter):
    """Replaces each secret in a record's message (after formatting) with ***."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s and len(s) >= 6]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            message += "\n" + logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
            record.exc_text = None
        for secret in self.secrets:
            message = message.replace(secret, "***")
        record.msg, record.args = message, None
        return True


def setup(verbose: bool) -> None:
    """Logs and progress go to stderr."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        stream=sys.stderr, force=True)
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)


def redact(secrets: Iterable[str]) -> None:
    """Keep `secrets` out of every log line from now on."""
    flt = Redact(secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(flt)
