"""The bot token never reaches a log line, not even inside an exception."""

from __future__ import annotations

import io
import logging

from monitor.logs import Redact

TOKEN = "123456:AAH-secret-token"


def test_token_is_redacted_from_messages_args_and_tracebacks() -> None:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(Redact([TOKEN]))
    logger = logging.getLogger("test.redact")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("calling https://api.example/bot%s/getMe", TOKEN)
        try:
            raise RuntimeError(f"failed https://api.example/bot{TOKEN}/sendMessage")
        except RuntimeError:
            logger.exception("send failed")
    finally:
        logger.removeHandler(handler)
    text = out.getvalue()
    assert TOKEN not in text
    assert text.count("***") == 2 and "RuntimeError" in text
