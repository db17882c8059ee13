"""Where the monitor may connect: the address policy for URLs that pages hand us.

Images, links, sitemap locations, redirects and script-built URLs are written by strangers.
Any of them may point at the operator's own network: the router's admin page, a database on
127.0.0.1, the cloud's metadata service at 169.254.169.254. So the monitor connects only to
http(s) origins on public addresses, unless the origin (host and port) is one the operator
configured (a peer, a marketplace, a hero or top product, the Bot API) or listed in
`[monitor] allow_hosts` (tests, intranets).

The check sits where the connection is made, not where the URL is read: `GuardedBackend`
is httpcore's network backend, so every connection httpx opens (each redirect hop, each
robots.txt) resolves its host name here, is refused when no public address remains, and
connects to the very address that was checked (no second lookup a rebinding DNS server
could answer differently). TLS still verifies the certificate against the host name, which
httpcore passes on separately. The browser's connections pass the same rule
(`AddressPolicy.address_for`) in the SOCKS5 proxy Chromium is given (monitor/fetch/proxy.py),
redirect hops included. A URL whose host is a literal address is refused before any
slot, robots.txt or budget is spent (`AddressPolicy.check_url`).

A refused URL is never fetched, counted in `refused`, and logged once per host.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import socket
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import anyio
import httpcore
import httpx

from monitor.settings import Settings
from watchers.fetching import FetchError

log = logging.getLogger(__name__)

# (host, port); port None allows every port of the host. Hosts are lower-case ASCII (IDNA).
Origin = tuple[str, int | None]


class AddressRefused(FetchError):
    """A URL the address policy does not let the monitor fetch (never retried)."""


def is_public(address: str) -> bool:
    """True for a globally routable unicast address (not loopback, private, link-local,
    shared, multicast, reserved or unspecified); IPv4-mapped IPv6 is judged as IPv4."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved)


def _literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]").split("%")[0]))
    except ValueError:
        return None


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


@functools.lru_cache(maxsize=4096)
def ascii_host(host: str) -> str:
    """The host as connections see it: lower case, IDNA-encoded, no brackets."""
    host = host.strip("[]").lower()
    try:
        return httpx.URL(f"http://{host}/").raw_host.decode("ascii").strip("[]").lower()
    except (httpx.InvalidURL, UnicodeError):
        return host


def origin_of(url: str) -> Origin | None:
    """(host, port) of an http(s) URL; None for anything else."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    return ascii_host(parts.hostname), port or _default_port(scheme)


def parse_allowed(entry: str) -> Origin | None:
    """An `allow_hosts` entry: "host", "host:port", "[::1]:8080" or "http://host:port"."""
    entry = entry.strip()
    if not entry:
        return None
    try:
        parts = urlsplit(entry if "://" in entry else "//" + entry)
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname or parts.path not in ("", "/") or parts.query:
        return None
    if port is None and "://" in entry:
        port = _default_port(parts.scheme.lower())
    return ascii_host(parts.hostname), port


@dataclass
class AddressPolicy:
    """The origins that may be reached whatever their address, and what was refused."""

    allowed: frozenset[Origin] = frozenset()
    refused: int = 0
    refused_hosts: Counter[str] = field(default_factory=Counter)

    def allows_origin(self, host: str, port: int) -> bool:
        """True when (host, port) was configured or listed in `allow_hosts`."""
        host = ascii_host(host)
        return (host, port) in self.allowed or (host, None) in self.allowed

    def check_url(self, url: str) -> None:
        """Raise AddressRefused for a non-http(s) URL or a literal address that may not be
        reached; names are judged when they are resolved (`GuardedBackend`)."""
        origin = origin_of(url)
        if origin is None:
            raise self.refuse(url, urlsplit(url).hostname or url,
                              "only http and https URLs are fetched")
        host, port = origin
        literal = _literal(host)
        if literal is not None and not is_public(literal) and not self.allows_origin(
                host, port or 0):
            raise self.refuse(url, host, f"{literal} is not a public address")

    async def address_for(self, host: str, port: int, timeout: float | None = None) -> str:
        """What to connect to for (host, port): the host itself when the origin is allowed,
        else the first public address it resolves to (connect to that one, so a rebinding
        DNS server gets no second say). AddressRefused when no public address remains;
        OSError or TimeoutError when the name does not resolve."""
        if self.allows_origin(host, port):
            return host
        literal = _literal(host)
        if literal is not None:
            addresses = [literal]
        else:
            with anyio.fail_after(timeout):
                infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        public = [a for a in addresses if is_public(a)]
        if not public:
            url = f"http://{host}:{port}/"
            raise self.refuse(url, host, f"{host} resolves to {', '.join(addresses)}, "
                                         f"not a public address")
        return public[0]

    def refuse(self, url: str, host: str, why: str) -> AddressRefused:
        """Count a refusal (logged the first time for its host); the error to raise."""
        self.refused += 1
        self.refused_hosts[host] += 1
        if self.refused_hosts[host] == 1:
            log.warning("not fetching from %s: %s (configure the source, or add it to "
                        "[monitor] allow_hosts)", host, why)
        return AddressRefused(url, f"address refused: {why}; not a configured origin "
                                   f"(see [monitor] allow_hosts)")


def configured_origins(settings: Settings) -> frozenset[Origin]:
    """Every origin the operator named: sources, our own products, the Bot API, allow_hosts."""
    urls: list[str] = []
    for peer in settings.peers:
        urls += [peer.url, peer.catalog]
    urls += [m.search.replace("{query}", "q") for m in settings.marketplaces]
    urls += [h.url for h in settings.heroes]
    for top in settings.tops:
        urls += [top.url, top.reviews]
    urls.append(settings.telegram.api_url)
    found = {o for o in map(origin_of, urls) if o is not None}
    found |= {o for o in map(parse_allowed, settings.monitor.allow_hosts) if o is not None}
    return frozenset(found)


def policy_for(settings: Settings) -> AddressPolicy:
    """The address policy of a configured monitor."""
    return AddressPolicy(configured_origins(settings))


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend with the policy applied to each address connected to."""

    def __init__(self, policy: AddressPolicy,
                 inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self.policy = policy
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Iterable[Any] | None = None,
                          ) -> httpcore.AsyncNetworkStream:
        try:
            target = await self.policy.address_for(host, port, timeout)
        except (OSError, TimeoutError) as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        return await self.inner.connect_tcp(target, port, timeout=timeout,
                                            local_address=local_address,
                                            socket_options=socket_options)

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Iterable[Any] | None = None,
                                  ) -> httpcore.AsyncNetworkStream:
        raise self.policy.refuse(path, path, "unix sockets are not fetched")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def guarded_transport(policy: AddressPolicy, limits: httpx.Limits) -> httpx.AsyncHTTPTransport:
    """An httpx transport whose connections all go through `GuardedBackend`."""
    # One TLS context (certifi's CA bundle loaded once, ~55 ms of CPU) for the transport
    # and the pool that replaces its own.
    ssl_context = httpx.create_ssl_context()
    transport = httpx.AsyncHTTPTransport(verify=ssl_context, limits=limits)
    transport._pool = httpcore.AsyncConnectionPool(  # the one hook httpx leaves for this
        ssl_context=ssl_context,
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=GuardedBackend(policy),
    )
    return transport
