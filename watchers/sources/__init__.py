"""Source adapters, one pure reader module per platform, and their registry.

Shared extraction helpers live in `watchers.extract`; a new platform is one module here
and one name in `PLATFORMS`.
"""

from __future__ import annotations

import importlib

from watchers.sources.base import Adapter, Layout, SourceSpec

PLATFORMS = ("shopify", "woocommerce", "jsonld", "html", "taobao", "jd")


def adapter_for(platform: str) -> Adapter:
    """The adapter of `platform` (each module exposes `ADAPTER`)."""
    if platform not in PLATFORMS:
        raise KeyError(platform)
    module = importlib.import_module(f"watchers.sources.{platform}")
    adapter: Adapter = module.ADAPTER
    return adapter


__all__ = ["PLATFORMS", "Adapter", "Layout", "SourceSpec", "adapter_for"]
