"""The address policy: page-supplied URLs never reach an address nobody configured."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from monitor.fetch.addresses import (
    AddressPolicy,
    AddressRefused,
    is_public,
    origin_of,
    parse_allowed,
)
from monitor.fetch.http import PoliteFetcher
from tests.fakes.http import LoopbackServer, Reply
from watchers.fetching import Document, FetchError


@pytest.fixture
def shop() -> Iterator[LoopbackServer]:
    with LoopbackServer({"/": Reply("<html>shop</html>"),
                         "/robots.txt": Reply("User-agent: *\nAllow: /\n",
                                              content_type="text/plain")}) as server:
        yield server


@pytest.fixture
def inside() -> Iterator[LoopbackServer]:
    """A service on another loopback port: an admin page nobody configured."""
    with LoopbackServer({"/admin": Reply("<html>secrets</html>"),
                         "/robots.txt": Reply("", content_type="text/plain")}) as server:
        yield server


def policy_for(*servers: LoopbackServer, extra: tuple[str, ...] = ()) -> AddressPolicy:
    allowed = {origin_of(s.url) for s in servers} | {parse_allowed(e) for e in extra}
    return AddressPolicy(frozenset(o for o in allowed if o is not None))


def fetch(policy: AddressPolicy, *urls: str, robots: bool = True,
          ) -> list[Document | BaseException]:
    async def go() -> list[Document | BaseException]:
        async with PoliteFetcher(host_interval=0.0, backoff=0.01, timeout=5.0,
                                 respect_robots=robots, addresses=policy) as f:
            return await asyncio.gather(*(f.fetch(u) for u in urls), return_exceptions=True)
    return asyncio.run(go())


def port(server: LoopbackServer) -> int:
    return int(server.url.rsplit(":", 1)[1])


def test_a_configured_loopback_origin_is_fetched(shop: LoopbackServer) -> None:
    [got] = fetch(policy_for(shop), shop.url + "/")
    assert isinstance(got, Document) and b"shop" in got.body


def test_another_port_on_our_own_host_is_never_asked_anything(
        shop: LoopbackServer, inside: LoopbackServer) -> None:
    policy = policy_for(shop)
    got = fetch(policy, inside.url + "/admin", inside.url + "/img.jpg")
    assert all(isinstance(g, AddressRefused) for g in got), got
    assert inside.requests == []  # not even its robots.txt
    assert policy.refused == 2 and policy.refused_hosts["127.0.0.1"] == 2


def test_a_redirect_from_a_configured_shop_to_an_inside_address_is_not_followed(
        shop: LoopbackServer, inside: LoopbackServer) -> None:
    shop.routes["/go"] = Reply("", 302, headers={"Location": inside.url + "/admin"})
    policy = policy_for(shop)
    [got] = fetch(policy, shop.url + "/go")
    assert isinstance(got, AddressRefused), got
    assert got.url == shop.url + "/go" and "address refused" in got.reason
    assert inside.requests == [] and policy.refused == 1


def test_a_name_that_resolves_to_loopback_is_refused_like_the_address(
        shop: LoopbackServer, inside: LoopbackServer) -> None:
    # "localhost" is not what was configured ("127.0.0.1:port"), and it resolves to loopback.
    policy = policy_for(shop)
    [got] = fetch(policy, f"http://localhost:{port(inside)}/admin")
    assert isinstance(got, AddressRefused) and "resolves to" in got.reason, got
    assert inside.requests == []


@pytest.mark.parametrize("url", [
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]:9/", "http://10.0.0.1/", "http://192.168.1.1/", "http://100.64.0.1/",
    "http://0.0.0.0/", "http://224.0.0.1/", "http://[fe80::1]/", "http://[::ffff:127.0.0.1]/",
    "http://2130706433/",  # 127.0.0.1 written as one decimal number
    "http://0x7f.1/",  # and in hex shorthand
    "file:///etc/passwd", "gopher://127.0.0.1:70/",
])
def test_private_loopback_link_local_and_odd_forms_are_refused(url: str) -> None:
    policy = AddressPolicy()
    [got] = fetch(policy, url, robots=False)
    assert isinstance(got, FetchError) and not isinstance(got, Document), got
    assert policy.refused == 1 or "http and https" in got.reason


def test_allow_hosts_opens_an_inside_origin(shop: LoopbackServer,
                                            inside: LoopbackServer) -> None:
    policy = policy_for(shop, extra=(f"127.0.0.1:{port(inside)}",))
    [got] = fetch(policy, inside.url + "/admin")
    assert isinstance(got, Document) and b"secrets" in got.body


def test_allow_hosts_without_a_port_opens_every_port_of_that_host(
        inside: LoopbackServer) -> None:
    policy = policy_for(extra=("localhost",))
    [got] = fetch(policy, f"http://localhost:{port(inside)}/admin")
    assert isinstance(got, Document)


@pytest.mark.parametrize("entry,origin", [
    ("127.0.0.1:8080", ("127.0.0.1", 8080)),
    ("intranet.local", ("intranet.local", None)),
    ("http://Shop.Local", ("shop.local", 80)),
    ("https://shop.local:8443/", ("shop.local", 8443)),
    ("[::1]:8080", ("::1", 8080)),
    ("bücher.example", ("xn--bcher-kva.example", None)),
    ("", None), ("host:notaport", None), ("http://host/path", None),
])
def test_allow_hosts_entries(entry: str, origin: tuple[str, int | None] | None) -> None:
    assert parse_allowed(entry) == origin


@pytest.mark.parametrize("address,public", [
    ("8.8.8.8", True), ("2606:4700::1111", True), ("127.0.0.1", False),
    ("169.254.169.254", False), ("10.1.2.3", False), ("172.16.0.1", False),
    ("192.168.0.1", False), ("100.64.0.1", False), ("224.0.0.1", False),
    ("255.255.255.255", False), ("::1", False), ("fe80::1%eth0", False),
    ("::ffff:10.0.0.1", False), ("64:ff9b::7f00:1", False), ("not an ip", False),
])
def test_which_addresses_are_public(address: str, public: bool) -> None:
    assert is_public(address) is public


def test_the_guarded_transport_verifies_tls_with_one_context(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import ssl

    import httpx

    from monitor.fetch.addresses import guarded_transport

    made: list[ssl.SSLContext] = []
    real = httpx.create_ssl_context

    def counted(*args: object, **kwargs: object) -> ssl.SSLContext:
        context = real(*args, **kwargs)  # type: ignore[arg-type]
        if context not in made:
            made.append(context)
        return context

    # Counting httpx's contexts (each loads certifi's CA bundle, ~55 ms of CPU per process).
    monkeypatch.setattr(httpx, "create_ssl_context", counted)
    monkeypatch.setattr("httpx._transports.default.create_ssl_context", counted)
    transport = guarded_transport(AddressPolicy(), httpx.Limits(max_connections=4))
    context = transport._pool._ssl_context
    assert made == [context]
    assert context is not None and context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
