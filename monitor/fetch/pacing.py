"""Politeness defaults for Taobao/Tmall and JD sources: one request at a time per site, a long
gap with jitter, a daily request budget per site, and schedules of hours.

Why these values: both sites meet a reader they think is a robot with a slider check that
only a person can clear, and the operator's own logged-in session is what gets flagged. A
person browsing reads a page every several seconds, never two at once, so the monitor does
the same: one page in flight per site, 8 s plus up to 7 s of random jitter between starts
(an even beat is itself a robot's mark). A peer's shop list changes a few times a day, so a
read every 6 hours sees every launch within the day; and whatever the schedules add up to,
the daily budget (400 requests per site unless `[monitor] daily_budget` says otherwise:
5 peers x 4 reads x a few pages, plus copy searches, fits with room) caps what one day costs.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

from monitor.fetch.politeness import SiteRule
from monitor.settings import Settings
from watchers.settings import Peer

PLATFORMS = ("taobao", "jd")
# The sites' own domains: every host under them is one site (one slot, one gap, one budget),
# whichever source (or `fetch` mode) reads it. Image CDNs (alicdn.com, 360buyimg.com) are not
# the guarded sites and keep the defaults.
DOMAINS = {"taobao": ("taobao.com", "tmall.com", "tmall.hk"), "jd": ("jd.com", "jd.hk")}
GAP = 8.0
JITTER = 7.0
EVERY = 6 * 3600.0
DAILY_BUDGET = 400


def pace_peer(peer: Peer, default_every: float) -> Peer:
    """A Taobao/JD peer without its own `every` is read every 6 h (or the default, if longer)."""
    if peer.platform not in PLATFORMS or peer.every is not None:
        return peer
    return replace(peer, every=max(EVERY, default_every))


def _source_urls(settings: Settings) -> list[str]:
    urls: list[str] = []
    for peer in settings.peers:
        if peer.platform in PLATFORMS:
            urls += [peer.url, peer.catalog]
    for market in settings.marketplaces:
        if market.platform in PLATFORMS:
            urls.append(market.search)
    for hero in settings.heroes:
        if hero.platform in PLATFORMS:
            urls.append(hero.url)
    for top in settings.tops:
        if top.platform in PLATFORMS:
            urls += [top.url, top.reviews]
    return [u for u in urls if u]


def site_key(url: str) -> str:
    """The politeness site of a configured URL: "name:port" when a port is given, else name."""
    parts = urlsplit(url)
    name = (parts.hostname or "").lower()
    return f"{name}:{parts.port}" if parts.port else name


def site_rules(settings: Settings, *, gap: float = GAP,
               jitter: float = JITTER) -> dict[str, SiteRule]:
    """The sites read with marketplace manners: the known domains and every Taobao/JD
    source's host that lies outside them (a mirror, a proxy, a test server)."""
    rule = SiteRule(per_host=1, interval=gap, jitter=jitter,
                    daily_budget=settings.monitor.daily_budget)
    rules = {domain: rule for domains in DOMAINS.values() for domain in domains}
    for url in _source_urls(settings):
        key = site_key(url)
        name = key.split(":")[0]
        if key and not any(name == d or name.endswith("." + d) for d in rules):
            rules[key] = rule
    return rules
