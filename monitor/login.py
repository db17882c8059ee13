"""`monitor login URL`: a visible Chromium on the profile folder, to log in once by hand."""

from __future__ import annotations

import asyncio
import os
import sys

from monitor.browser import CHROMIUM_ARGS
from monitor.settings import Settings


async def _login(settings: Settings, url: str) -> int:
    from playwright.async_api import async_playwright

    profile = settings.monitor.browser_profile
    assert profile is not None
    profile.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as pw:
        context = await pw.chromium.launch_persistent_context(
            str(profile), executable_path=settings.monitor.browser, headless=False,
            args=CHROMIUM_ARGS)
        page = context.pages[0] if context.pages else await context.new_page()
        await page.goto(url)
        print(f"Log in at {url} in the window, then close it. The session is kept in {profile}.",
              file=sys.stderr)
        closed = asyncio.Event()
        context.on("close", lambda _: closed.set())
        await closed.wait()
    return 0


def login(settings: Settings, url: str) -> int:
    """Open the profile in a visible browser; exit 2 when it cannot be done here."""
    if settings.monitor.browser_profile is None:
        print(f"{settings.path}: monitor.browser_profile: set a profile folder to log in to",
              file=sys.stderr)
        return 2
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        print("monitor login needs a screen (no DISPLAY): run it on a machine with one and "
              "copy the profile folder here", file=sys.stderr)
        return 2
    return asyncio.run(_login(settings, url))
