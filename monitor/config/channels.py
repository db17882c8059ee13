"""[[channels]] of config.toml -> ChannelSettings (monitor.config calls it).

The webhook URLs and signing secrets are read from the environment variables the config
names, never from the file; a variable that is named but not set is a config error here,
so that `monitor config` says so (exit 2) instead of a channel failing at its first alert.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Protocol, TypeVar
from urllib.parse import urlsplit

from monitor.settings import CHANNEL_KINDS, ChannelSettings

T = TypeVar("T")


class Reader(Protocol):
    """The part of monitor.config's reader used here."""

    def problem(self, key: str, message: str) -> None: ...

    def unknown(self, data: dict[str, Any], key: str, allowed: tuple[str, ...]) -> None: ...

    def get(self, data: dict[str, Any], key: str, name: str, kind: type[T], default: T
            ) -> T: ...

    def url(self, data: dict[str, Any], key: str, name: str, *, required: bool = True
            ) -> str: ...

    def entries(self, data: dict[str, Any], name: str) -> list[tuple[str, dict[str, Any]]]: ...


KEYS = ("kind", "webhook_env", "secret_env", "keyword", "language", "api_url")
SIGNED = ("dingtalk", "feishu")  # the robots with 加签 / 签名校验 and keywords


def channel_settings(r: Reader, raw: dict[str, Any], language: str,
                     env: Mapping[str, str] | None = None) -> tuple[ChannelSettings, ...]:
    """Every [[channels]] entry, its env vars checked; `language` is the default."""
    env = os.environ if env is None else env
    out: list[ChannelSettings] = []
    for key, t in r.entries(raw, "channels"):
        r.unknown(t, key, KEYS)
        kind = r.get(t, key, "kind", str, "")
        if kind not in CHANNEL_KINDS:
            r.problem(f"{key}.kind", f"{kind!r} is not one of {', '.join(CHANNEL_KINDS)}")
        hook = r.get(t, key, "webhook_env", str, "")
        if not hook.strip():
            r.problem(f"{key}.webhook_env", "is required: the name of the environment "
                                            "variable that holds the webhook URL")
        elif not env.get(hook, "").strip():
            r.problem(f"{key}.webhook_env", f"environment variable {hook} is not set")
        elif kind != "apprise" and urlsplit(env[hook].strip()).scheme not in ("http", "https"):
            r.problem(f"{key}.webhook_env", f"environment variable {hook} does not hold an "
                                            "http(s) URL")
        secret = r.get(t, key, "secret_env", str, "")
        if secret and not env.get(secret, "").strip():
            r.problem(f"{key}.secret_env", f"environment variable {secret} is not set")
        if secret and kind not in SIGNED:
            r.problem(f"{key}.secret_env", f"only {' and '.join(SIGNED)} robots are signed")
        keyword = r.get(t, key, "keyword", str, "")
        if keyword and kind not in SIGNED:
            r.problem(f"{key}.keyword", f"only {' and '.join(SIGNED)} robots have keywords")
        lang = r.get(t, key, "language", str, language)
        if lang not in ("en", "zh"):
            r.problem(f"{key}.language", f"{lang!r} is not one of en, zh")
            lang = language
        channel = ChannelSettings(kind=kind, webhook_env=hook, secret_env=secret,
                                  keyword=keyword, language=lang,
                                  api_url=r.url(t, key, "api_url", required=False).rstrip("/"))
        if any(c.chat == channel.chat for c in out):
            r.problem(f"{key}.webhook_env", f"a second {kind} channel on {hook}")
        out.append(channel)
    return tuple(out)
