"""`monitor login URL`: a visible Chromium on the profile folder, to log in once by hand."""

from __future__ import annotations

import asyncio
import os
import sys
from urllib.parse import urlsplit

from monitor.fetch.browser import CHROMIUM_ARGS
from monitor.settings import Settings


async def _login(settings: Settings, url: str) -> int:
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import async_playwright

    profile = settings.monitor.browser_profile
    assert profile is not None
    profile.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as pw:
        try:
            context = await pw.chromium.launch_persistent_context(
                str(profile), executable_path=settings.monitor.browser, headless=False,
                args=CHROMIUM_ARGS)
        except PlaywrightError as exc:
            first = (str(exc).strip().splitlines() or ["no reason given"])[0]
            print(f"cannot open {settings.monitor.browser} on {profile}: {first}\n"
                  "Is the monitor (or another browser) using this profile right now? "
                  "Stop it and try again.", file=sys.stderr)
            return 1
        closed = asyncio.Event()
        context.on("close", lambda _: closed.set())
        page = context.pages[0] if context.pages else await context.new_page()
        try:
            await page.goto(url)
        except PlaywrightError as exc:  # the window stays open: the operator can go on
            print(f"{url} did not open ({str(exc).splitlines()[0]}); use the window",
                  file=sys.stderr)
        print(f"Log in at {url} in the window, then close it. The session is kept in {profile}.",
              file=sys.stderr)
        await closed.wait()
    print(f"Done. Copy {profile} to the monitor's machine if it runs elsewhere.",
          file=sys.stderr)
    return 0


def login(settings: Settings, url: str) -> int:
    """Open the profile in a visible browser; exit 2 when it cannot be done here."""
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        print(f"monitor login: {url!r} is not an http(s) URL", file=sys.stderr)
        return 2
    if settings.monitor.browser_profile is None:
        print(f"{settings.path}: monitor.browser_profile: set a profile folder to log in to",
              file=sys.stderr)
        return 2
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        print("monitor login needs a screen (no DISPLAY): run it on a machine with one and "
              "copy the profile folder here", file=sys.stderr)
        return 2
    return asyncio.run(_login(settings, url))
