"""A small HTTP/1.1 load client on asyncio: one connection per request
(``Connection: close``, as gunicorn's sync workers answer anyway), so the
client spends little CPU of the two cores it shares with the server.

No third-party client: httpx or aiohttp would cost more CPU per request
than the server's ``/healthz`` and blur the ratio this benchmark reports.
"""

from __future__ import annotations

import asyncio
import json
import math
import time
from collections import Counter
from dataclasses import dataclass, field

# A reverse proxy gives up on the upstream after 60 s (nginx's default), so a
# client waiting longer would be talking to nobody.
TIMEOUT = 60.0


@dataclass
class Reply:
    status: int  # 0 when the request failed (connection error or timeout)
    body: bytes
    ms: float

    def code(self) -> str:
        """The API error's ``code``, or the status when there is none."""
        try:
            return str(json.loads(self.body).get("code") or self.status)
        except (ValueError, AttributeError):
            return str(self.status)


def build_request(method: str, path: str, *, host: str, headers: dict | None = None, body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Connection: close", f"Content-Length: {len(body)}"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def parse_response(raw: bytes) -> tuple[int, bytes]:
    """Status and body of a complete HTTP/1.x response read until the
    server closed the connection."""
    head, sep, body = raw.partition(b"\r\n\r\n")
    if not sep or not head.startswith(b"HTTP/1."):
        raise ValueError("not an HTTP/1.x response")
    status = int(head.split(b" ", 2)[1])
    headers = head.split(b"\r\n")[1:]
    if any(h.lower().replace(b" ", b"") == b"transfer-encoding:chunked" for h in headers):
        body = _unchunk(body)
    return status, body


def _unchunk(data: bytes) -> bytes:
    out, pos = bytearray(), 0
    while True:
        line_end = data.index(b"\r\n", pos)
        size = int(data[pos:line_end].split(b";")[0], 16)
        if size == 0:
            return bytes(out)
        out += data[line_end + 2 : line_end + 2 + size]
        pos = line_end + 2 + size + 2


async def fetch(host: str, port: int, request: bytes, *, timeout: float = TIMEOUT) -> Reply:
    started = time.perf_counter()
    writer = None
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(request)
            await writer.drain()
            raw = await reader.read(-1)
        status, body = parse_response(raw)
    except (OSError, TimeoutError, ValueError, IndexError):
        status, body = 0, b""
    finally:
        if writer is not None:
            writer.close()
    return Reply(status, body, (time.perf_counter() - started) * 1000)


def percentile(values: list[float], p: float) -> float:
    """The *p*-th percentile (0–100) by the nearest-rank method."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Outcome:
    """Requests of one run, sorted into successes, refusals and errors."""

    replies: list[Reply] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def successes(self) -> int:
        return sum(1 for r in self.replies if r.status in (200, 201))

    @property
    def refused(self) -> Counter:
        return Counter(r.code() for r in self.replies if 400 <= r.status < 500)

    @property
    def errors(self) -> int:
        return sum(1 for r in self.replies if r.status == 0 or r.status >= 500)

    @property
    def rps(self) -> float:
        return len(self.replies) / self.seconds if self.seconds else 0.0

    def ms(self, p: float) -> float:
        return percentile([r.ms for r in self.replies], p)


async def crowd(host: str, port: int, requests: list[bytes], *, clients: int) -> Outcome:
    """Send every request once through *clients* concurrent clients, all
    released together; the clock runs from the release to the last reply."""
    queue = iter(requests)
    outcome = Outcome()
    go = asyncio.Event()

    async def client():
        await go.wait()
        for request in queue:
            outcome.replies.append(await fetch(host, port, request))

    tasks = [asyncio.create_task(client()) for _ in range(clients)]
    await asyncio.sleep(0)
    started = time.perf_counter()
    go.set()
    await asyncio.gather(*tasks)
    outcome.seconds = time.perf_counter() - started
    return outcome


async def hammer(host: str, port: int, request: bytes, *, clients: int, seconds: float) -> Outcome:
    """Send *request* again and again through *clients* concurrent clients
    for *seconds*; replies that arrive after the time are not counted."""
    outcome = Outcome()
    deadline = time.perf_counter() + seconds

    async def client():
        while time.perf_counter() < deadline:
            reply = await fetch(host, port, request)
            if time.perf_counter() <= deadline:
                outcome.replies.append(reply)

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    outcome.seconds = min(time.perf_counter(), deadline) - started
    return outcome
