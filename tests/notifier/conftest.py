"""Fixtures of the Telegram end-to-end tests."""

from tests.notifier.tgkit import api, env

__all__ = ["api", "env"]
