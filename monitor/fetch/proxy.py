"""The browser's only way out: a SOCKS5 proxy on loopback that applies the address policy.

Playwright's `route` sees the requests a page makes, but not the redirect hops Chromium's
network stack follows by itself (as designed upstream: interception sits above that stack),
nor a page's workers' requests in every case. Every TCP connection Chromium opens does go
through its proxy, though, hops and workers and WebSockets included, and with `socks5://`
it hands over the host *name*: so the check is made here, on each connection, before it
leaves the machine, and the connection goes to the very address that was checked
(`AddressPolicy.address_for`, the same rule as the HTTP fetcher's connections). Playwright
adds `<-loopback>` to the bypass list, so loopback addresses are proxied too.

Only what Chromium needs of RFC 1928 is spoken: no authentication, CONNECT, replies. The
listener is on 127.0.0.1; a local process that used it would only reach what it may reach
anyway.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import struct

from monitor.fetch.addresses import AddressPolicy, AddressRefused, Origin, ascii_host

log = logging.getLogger(__name__)

HANDSHAKE_TIMEOUT = 10.0  # a client that does not finish its greeting is dropped
CHUNK = 65536
# RFC 1928 replies
SUCCEEDED, FAILURE, NOT_ALLOWED, HOST_UNREACHABLE, REFUSED, NO_COMMAND, NO_ADDRESS_TYPE = (
    0, 1, 2, 4, 5, 7, 8)


class _Bad(Exception):
    def __init__(self, reply: int | None) -> None:
        self.reply = reply


class PolicyProxy:
    """A SOCKS5 CONNECT proxy on 127.0.0.1 that connects only where `policy` allows.

    `refused` holds the origins it turned away (each also counted and logged by the
    policy), so that a read can tell an address refusal from a network failure.
    """

    def __init__(self, policy: AddressPolicy, *, connect_timeout: float = 10.0) -> None:
        self.policy = policy
        self.connect_timeout = connect_timeout
        self.refused: set[Origin] = set()
        self.connections = 0
        self._server: asyncio.Server | None = None
        self._open: set[asyncio.StreamWriter] = set()

    async def start(self) -> str:
        """Listen on a free loopback port; the proxy URL to hand to Chromium."""
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        return f"socks5://127.0.0.1:{port}"

    async def aclose(self) -> None:
        """Stop listening and cut the connections still open."""
        server, self._server = self._server, None
        if server is not None:
            server.close()
        for writer in list(self._open):
            writer.close()
        if server is not None:
            with contextlib.suppress(Exception):
                await server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._open.add(writer)
        try:
            try:
                async with asyncio.timeout(HANDSHAKE_TIMEOUT):
                    host, port = await _handshake(reader, writer)
            except _Bad as bad:
                if bad.reply is not None:
                    await _reply(writer, bad.reply)
                return
            upstream = await self._connect(host, port)
            if isinstance(upstream, int):
                await _reply(writer, upstream)
                return
            try:
                await _reply(writer, SUCCEEDED)
                self.connections += 1
                await _splice(reader, writer, *upstream)
            finally:  # cancelled before the splice took it over: close it here
                upstream[1].close()
        except (OSError, asyncio.IncompleteReadError, TimeoutError):
            pass  # the browser went away mid-way: nothing to tell it
        finally:
            self._open.discard(writer)
            writer.close()

    async def _connect(self, host: str, port: int
                       ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | int:
        """The upstream connection, or the SOCKS reply that says why there is none."""
        try:
            async with asyncio.timeout(self.connect_timeout):
                target = await self.policy.address_for(host, port, self.connect_timeout)
                return await asyncio.open_connection(target, port)
        except AddressRefused:
            self.refused.add((ascii_host(host), port))
            return NOT_ALLOWED
        except ConnectionRefusedError:
            return REFUSED
        except (OSError, TimeoutError, ValueError):  # ValueError: a name idna refuses
            return HOST_UNREACHABLE


async def _handshake(reader: asyncio.StreamReader, writer: asyncio.StreamWriter
                     ) -> tuple[str, int]:
    """Greeting and request of RFC 1928 without authentication: the (host, port) asked."""
    version, count = await reader.readexactly(2)
    methods = await reader.readexactly(count)
    if version != 5:
        raise _Bad(None)
    if 0 not in methods:
        writer.write(b"\x05\xff")
        raise _Bad(None)
    writer.write(b"\x05\x00")
    await writer.drain()
    version, command, _, kind = await reader.readexactly(4)
    if kind == 1:
        host = str(ipaddress.IPv4Address(await reader.readexactly(4)))
    elif kind == 4:
        host = str(ipaddress.IPv6Address(await reader.readexactly(16)))
    elif kind == 3:
        size = (await reader.readexactly(1))[0]
        host = (await reader.readexactly(size)).decode("utf-8", "replace")
    else:
        raise _Bad(NO_ADDRESS_TYPE)
    (port,) = struct.unpack("!H", await reader.readexactly(2))
    if version != 5 or command != 1:  # only CONNECT: no BIND, no UDP ASSOCIATE
        raise _Bad(NO_COMMAND)
    return host, port


async def _reply(writer: asyncio.StreamWriter, code: int) -> None:
    writer.write(bytes([5, code, 0, 1, 0, 0, 0, 0, 0, 0]))
    with contextlib.suppress(OSError):
        await writer.drain()


async def _splice(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                  up_reader: asyncio.StreamReader, up_writer: asyncio.StreamWriter) -> None:
    """Copy both ways until either side closes, then close both."""
    async def copy(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        while data := await source.read(CHUNK):
            sink.write(data)
            await sink.drain()

    tasks = [asyncio.create_task(copy(reader, up_writer)),
             asyncio.create_task(copy(up_reader, writer))]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        up_writer.close()
