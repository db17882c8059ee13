"""The browser's policy proxy spoken to as Chromium does (SOCKS5 over a real loopback socket):
an allowed origin is connected and bytes pass both ways; an address nobody configured is
refused before anything is sent there; what Chromium never asks for is refused too."""

from __future__ import annotations

import asyncio
import struct
from collections.abc import Awaitable, Callable
from typing import TypeVar

from monitor.fetch.addresses import AddressPolicy, origin_of
from monitor.fetch.proxy import PolicyProxy
from tests.fakes.http import LoopbackServer, Reply

T = TypeVar("T")
Streams = tuple[asyncio.StreamReader, asyncio.StreamWriter]


def with_proxy(policy: AddressPolicy, job: Callable[[str, int], Awaitable[T]]) -> T:
    async def go() -> T:
        proxy = PolicyProxy(policy, connect_timeout=5.0)
        url = await proxy.start()
        try:
            return await job("127.0.0.1", int(url.rsplit(":", 1)[1]))
        finally:
            await proxy.aclose()
    return asyncio.run(go())


async def connect(host: str, port: int, target: bytes, target_port: int,
                  kind: int = 3, command: int = 1) -> tuple[int, Streams]:
    """Greet, ask for `target`; the proxy's reply code and the open streams."""
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(b"\x05\x01\x00")
    assert await reader.readexactly(2) == b"\x05\x00"
    address = bytes([len(target)]) + target if kind == 3 else target
    writer.write(bytes([5, command, 0, kind]) + address + struct.pack("!H", target_port))
    reply = await reader.readexactly(10)
    return reply[1], (reader, writer)


def test_an_allowed_origin_is_connected_and_answers_through_the_proxy() -> None:
    with LoopbackServer({"/p": Reply("<p>through</p>")}) as shop:
        origin = origin_of(shop.url)
        assert origin is not None
        policy = AddressPolicy(frozenset({origin}))

        async def job(host: str, port: int) -> tuple[int, bytes]:
            code, (reader, writer) = await connect(host, port, b"127.0.0.1", origin[1] or 80)
            writer.write(b"GET /p HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            body = await reader.read()
            writer.close()
            return code, body
        code, body = with_proxy(policy, job)
    assert code == 0 and body.startswith(b"HTTP/1.1 200") and body.endswith(b"<p>through</p>")
    assert shop.paths() == ["/p"] and policy.refused == 0


def test_an_inside_address_is_refused_by_name_and_by_number_and_never_asked() -> None:
    with LoopbackServer({"/": Reply("secret")}, host="127.0.0.2") as inside:
        port = int(inside.url.rsplit(":", 1)[1])
        policy = AddressPolicy(frozenset({("127.0.0.1", None)}))

        async def job(host: str, proxy_port: int) -> list[int]:
            codes = []
            for target, kind in ((b"127.0.0.2", 3), (bytes([127, 0, 0, 2]), 1),
                                 (b"localhost", 3)):
                code, (_, writer) = await connect(host, proxy_port, target, port, kind)
                writer.close()
                codes.append(code)
            return codes
        codes = with_proxy(policy, job)
    assert codes == [2, 2, 2]  # "connection not allowed by ruleset"
    assert inside.requests == [] and policy.refused == 3


def test_only_connect_is_spoken() -> None:
    policy = AddressPolicy(frozenset({("127.0.0.1", None)}))

    async def job(host: str, port: int) -> tuple[int, bytes]:
        code, (_, writer) = await connect(host, port, b"127.0.0.1", 9, command=3)  # UDP
        writer.close()
        reader, writer = await asyncio.open_connection(host, port)
        writer.write(b"\x05\x01\x02")  # offers only user/password
        answer = await reader.read()
        writer.close()
        return code, answer
    code, answer = with_proxy(policy, job)
    assert code == 7 and answer == b"\x05\xff"


def test_a_name_idna_refuses_gets_a_reply_not_a_traceback() -> None:
    policy = AddressPolicy(frozenset({("127.0.0.1", None)}))

    async def job(host: str, port: int) -> int:
        code, (_, writer) = await connect(host, port, "a\u200d.-bad-.例子".encode(), 80)
        writer.close()
        return code
    assert with_proxy(policy, job) in (2, 4)  # refused or unreachable, answered either way
