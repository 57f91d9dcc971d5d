"""Concurrent comment posting as logged-in readers, with the Python standard library only.

    .venv/bin/python bench/post_load.py --url http://127.0.0.1:8380 --article 33 \
        --sessions sessions.txt --clients 32 --seconds 10 --marker Messpunkt-ab12

Each of `--clients` connections (HTTP/1.1 keep-alive) posts the real comment form
(CSRF cookie and field, session cookie) as the next unused reader: every reader posts
once, so the site's per-reader rate limits (production defaults) never refuse a post.
Every text carries a unique marker; the result (JSON on stdout) lists the markers of
the accepted posts (2xx/3xx) so the caller can check each is stored exactly once.
Stops after `--seconds` or when the readers run out.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode, urlsplit

TEXTS = [
    "Ich wohne seit zwanzig Jahren in der Altstadt und finde die Sperrung überfällig.",
    "Der Handel wird leiden, wenn die Kundschaft aus dem Umland nicht mehr parken kann.",
    "Warum wurde der Busverkehr nicht zuerst verbessert? Das wäre die Reihenfolge gewesen.",
    "Gute Übersicht, aber die Zahlen zur Luftqualität hätte ich gern genauer gesehen.",
]


async def read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    chunked = False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value.strip())
        elif name == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return status


async def client(
    host: str,
    port: int,
    path: str,
    sessions: list[tuple[str, str]],
    deadline: float,
    marker: str,
    results: list[dict],
) -> None:
    reader = writer = None
    while sessions and time.monotonic() < deadline:
        number = len(results)
        session, csrf = sessions.pop()
        label = f"{marker}-{number:06d}"
        body = urlencode(
            {
                "csrfmiddlewaretoken": csrf,
                "text": f"{TEXTS[number % len(TEXTS)]} ({label})",
                "parent": "",
                "key": uuid.uuid4().hex,
            }
        ).encode()
        request = (
            f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"Cookie: sessionid={session}; csrftoken={csrf}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\nConnection: keep-alive\r\n\r\n"
        ).encode() + body
        entry: dict = {"marker": label, "status": 0}
        results.append(entry)
        started = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            writer.write(request)
            await writer.drain()
            entry["status"] = await asyncio.wait_for(read_response(reader), timeout=10)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as error:
            entry["error"] = type(error).__name__
            if writer is not None:
                writer.close()
            reader = writer = None
        entry["ms"] = (time.perf_counter() - started) * 1000
    if writer is not None:
        writer.close()


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


async def main_async(args: argparse.Namespace) -> dict:
    url = urlsplit(args.url)
    lines = Path(args.sessions).read_text(encoding="ascii").splitlines()
    pairs = [tuple(line.split()) for line in lines if line.strip()]
    sessions: list[tuple[str, str]] = list(reversed(pairs))
    path = f"/kommentare/{args.article}/schreiben/"
    results: list[dict] = []
    started = time.monotonic()
    deadline = started + args.seconds
    await asyncio.gather(
        *(
            client(url.hostname, url.port or 80, path, sessions, deadline, args.marker, results)
            for _ in range(args.clients)
        )
    )
    elapsed = time.monotonic() - started
    latencies = [r["ms"] for r in results if "ms" in r]
    accepted = [r["marker"] for r in results if 200 <= r["status"] < 400]
    statuses: dict[str, int] = {}
    for entry in results:
        key = entry.get("error") or str(entry["status"])
        statuses[key] = statuses.get(key, 0) + 1
    return {
        "requests": len(results),
        "seconds": elapsed,
        "rps": len(results) / elapsed if elapsed else 0.0,
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "p99": percentile(latencies, 99),
        "max": max(latencies, default=0.0),
        "statuses": statuses,
        "readers_left": len(sessions),
        "accepted": accepted,
        "errors": len(results) - len(accepted),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--article", type=int, required=True)
    parser.add_argument("--sessions", required=True)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--marker", required=True)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main_async(args))))


if __name__ == "__main__":
    main()
