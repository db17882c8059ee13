"""Browser reads never reach an address nobody configured, not even through a redirect hop
that Chromium follows by itself: every connection it opens passes the address policy first
(through real headless Chromium; the inside server listens on 127.0.0.2, another machine
as far as the policy knows)."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.fetch.addresses import AddressPolicy, AddressRefused, origin_of
from monitor.fetch.browser import BrowserFetcher
from tests.fakes.http import LoopbackServer, Reply
from watchers.fetching import Document, FetchError

CHROMIUM = "/usr/bin/chromium"
SECRET = "<p>secrets</p>"


@pytest.fixture(autouse=True)
def _chromium() -> None:
    assert shutil.which(CHROMIUM), "the project's set-up installs Debian's chromium"


@pytest.fixture
def inside() -> Iterator[LoopbackServer]:
    """An address on the operator's own network: what a hostile page would like us to ask."""
    routes: dict[str, Reply] = {"/admin": Reply(SECRET),
                                "/x.js": Reply("document.body.dataset.x = 1;",
                                               content_type="text/javascript"),
                                "/pixel.png": Reply(b"\x89PNG", content_type="image/png")}
    with LoopbackServer(routes, host="127.0.0.2") as server:
        yield server


def policy_for(*servers: LoopbackServer) -> AddressPolicy:
    origins = {origin_of(s.url) for s in servers}
    return AddressPolicy(frozenset(o for o in origins if o is not None))


def read(tmp_path: Path, url: str, policy: AddressPolicy) -> Document | FetchError:
    async def go() -> Document | FetchError:
        async with BrowserFetcher(executable=CHROMIUM, screenshots=tmp_path,
                                  addresses=policy) as browser:
            try:
                return await browser.fetch(url)
            except FetchError as exc:
                return exc
    return asyncio.run(go())


def hop(to: str) -> Reply:
    return Reply("", 302, headers={"Location": to})


def test_a_page_that_redirects_inside_fails_and_the_inside_is_never_asked(
        tmp_path: Path, inside: LoopbackServer) -> None:
    with LoopbackServer({"/": hop(inside.url + "/admin")}) as shop:
        policy = policy_for(shop)
        got = read(tmp_path, shop.url + "/", policy)
    assert isinstance(got, AddressRefused)
    assert got.reason.startswith("address refused") and inside.url + "/admin" in got.reason
    assert inside.requests == []  # Chromium's own hop never left the machine
    assert policy.refused == 1 and policy.refused_hosts["127.0.0.2"] == 1


def test_a_chain_of_hops_through_an_allowed_origin_is_still_checked_at_its_end(
        tmp_path: Path, inside: LoopbackServer) -> None:
    with LoopbackServer({"/": hop("/next"), "/next": hop(inside.url + "/admin")}) as shop:
        got = read(tmp_path, shop.url + "/", policy_for(shop))
    assert isinstance(got, AddressRefused) and inside.requests == []


def test_a_script_that_sends_the_page_inside_fails_the_read(
        tmp_path: Path, inside: LoopbackServer) -> None:
    page = f"<p>shop</p><script>location.href = '{inside.url}/admin';</script>"
    with LoopbackServer({"/": Reply(page)}) as shop:
        got = read(tmp_path, shop.url + "/", policy_for(shop))
    assert isinstance(got, AddressRefused) and inside.requests == []


@pytest.mark.parametrize("tag", [
    "<script src='/r/x.js'></script>",
    "<img src='/r/pixel.png'>",
    "<iframe src='/r/admin'></iframe>",
    "<script>fetch('/r/admin').catch(() => 0);</script>",
], ids=["script", "img", "iframe", "fetch"])
def test_a_subresource_that_redirects_inside_is_never_fetched_there(
        tmp_path: Path, inside: LoopbackServer, tag: str) -> None:
    routes = {"/": Reply(f"<html><body><p>shop</p>{tag}</body></html>"),
              "/r/x.js": hop(inside.url + "/x.js"), "/r/pixel.png": hop(inside.url + "/pixel.png"),
              "/r/admin": hop(inside.url + "/admin")}
    with LoopbackServer(routes) as shop:
        got = read(tmp_path, shop.url + "/", policy_for(shop))
    # The page itself is what was asked for: it is read, without what the policy refused
    # (a marketplace's anti-fraud script probing local ports must not make it unreadable).
    assert isinstance(got, Document) and "<p>shop</p>" in got.text
    assert SECRET not in got.text and "data-x" not in got.text
    assert inside.requests == []


def test_an_allowed_inside_origin_is_read_through_the_same_hop(
        tmp_path: Path, inside: LoopbackServer) -> None:
    with LoopbackServer({"/": hop(inside.url + "/admin")}) as shop:
        policy = policy_for(shop, inside)  # `[monitor] allow_hosts = ["127.0.0.2:PORT"]`
        got = read(tmp_path, shop.url + "/", policy)
    assert isinstance(got, Document) and SECRET in got.text
    assert [r.path for r in inside.requests] == ["/admin"] and policy.refused == 0


def test_a_closed_port_is_a_network_failure_not_an_address_refusal(
        tmp_path: Path, inside: LoopbackServer) -> None:
    with LoopbackServer() as gone:
        closed = gone.url
    with LoopbackServer({"/": hop(closed + "/")}) as shop:
        policy = AddressPolicy(frozenset(o for o in (origin_of(shop.url), origin_of(closed))
                                         if o is not None))
        got = read(tmp_path, shop.url + "/", policy)
    assert isinstance(got, FetchError) and not isinstance(got, AddressRefused)
    assert policy.refused == 0


def test_a_hop_to_the_cloud_metadata_service_is_refused_before_it_is_tried(
        tmp_path: Path) -> None:
    metadata = "http://169.254.169.254/latest/meta-data/iam/security-credentials/"
    with LoopbackServer({"/": hop(metadata)}) as shop:
        policy = policy_for(shop)
        got = read(tmp_path, shop.url + "/", policy)
    assert isinstance(got, AddressRefused) and metadata in got.reason
    assert policy.refused_hosts["169.254.169.254"] == 1
