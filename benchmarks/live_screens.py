"""Live screens (issue 18.12), measured in real Chromium against the production server.

Called by `run.py` with a server on loopback and a hub worker's session:

1. idle cost: `screens` hub queues open in headless Chromium (the real page, its
   script and htmx), nobody touching them, for `window_s` seconds; requests the
   pages make (counted in the browser) and CPU seconds of the gunicorn processes
   (from /proc), both per minute. Side by side: the same number of screens as they
   were before (queue and alarm fragments fetched every 20 s, replayed here with
   the same requests the old page sent) over the same window.
2. latency: with those screens still open, `posts` reports POSTed to
   /api/v1/reports one at a time; for each, the time until the new row is on the
   first screen (a row more in #hub-queue), polled at the browser's frame rate.

Server-sent events are not measured by running them: with gunicorn's sync workers
each open stream holds a worker for as long as the screen is open, so the cost is
one worker process per screen (run.py prints it beside the workers' measured RSS).
"""

from __future__ import annotations

import http.client
import json
import os
import random
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("SAMVERKAN_CHROMIUM", "/usr/bin/chromium")
HUB_QUEUE = "/anmalningar/socialjouren/"
HUB_ALARM = "/anmalningar/socialjouren/larm/"
ROWS = "document.querySelectorAll('#hub-queue a[id^=queue-link-]').length"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    """utime + stime of the processes (the gunicorn master and workers)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
    return total / CLOCK_TICKS


def post_report(port: int, token: str, body: dict[str, Any]) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request(
        "POST",
        "/api/v1/reports",
        body=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    status = connection.getresponse().status
    connection.close()
    return status


def _old_polling(port: int, cookie: str, screens: int, stop: threading.Event) -> int:
    """The screens as they were: each fetched its queue and alarm fragments every 20 s."""
    sent = 0
    period = 20.0
    started = time.monotonic()
    tick = 0
    while not stop.is_set():
        # Spread evenly, as screens opened at different times would be.
        due = started + tick * period / screens
        stop.wait(max(0.0, due - time.monotonic()))
        if stop.is_set():
            break
        for path in (HUB_QUEUE, HUB_ALARM + "?count=0"):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request("GET", path, headers={"Cookie": cookie, "HX-Request": "true"})
            connection.getresponse().read()
            connection.close()
            sent += 1
        tick += 1
    return sent


def _post_to_row(
    port: int,
    token: str,
    payload: Callable[[int, str], dict[str, Any]],
    screen: Any,
    posts: int,
    stamp: int,
) -> list[float]:
    """Seconds from each POST until the screen shows one row more."""
    latencies = []
    # One in eight of the benchmark's bodies is outside single entry: no row for those.
    for i in [i for i in range(posts * 2) if i % 8][:posts]:
        rows = screen.evaluate(ROWS)
        # Not in step with the once-a-second poll: a random phase each time.
        screen.wait_for_timeout(random.uniform(300, 1300))
        t0 = time.perf_counter()
        status = post_report(port, token, payload(i, f"LIVE-{stamp}"))
        if status != 201:
            raise RuntimeError(f"POST /api/v1/reports answered {status}")
        screen.wait_for_function(f"n => {ROWS} > n", arg=rows, polling="raf", timeout=30_000)
        latencies.append(time.perf_counter() - t0)
    return latencies


def measure(
    *,
    port: int,
    cookie_name: str,
    session: str,
    token: str,
    payload: Callable[[int, str], dict[str, Any]],
    server_pids: Callable[[], list[int]],
    screens: int,
    posts: int,
    window_s: float,
) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{port}"
    result: dict[str, Any] = {"screens": screens, "window_s": window_s, "posts": posts}

    # The old way first, on a server no browser is polling yet.
    stop = threading.Event()
    sent: list[int] = []
    cookie = f"{cookie_name}={session}"
    before = cpu_seconds(server_pids())
    worker = threading.Thread(target=lambda: sent.append(_old_polling(port, cookie, screens, stop)))
    worker.start()
    time.sleep(window_s)
    stop.set()
    worker.join()
    old_cpu = cpu_seconds(server_pids()) - before
    result["old_20s_poll"] = {
        "requests_per_min": sent[0] * 60 / window_s,
        "cpu_s_per_min": old_cpu * 60 / window_s,
    }

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-timer-throttling"],
        )
        context = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
        context.add_cookies([{"name": cookie_name, "value": session, "url": base}])
        requests = {"count": 0}
        context.on("request", lambda request: requests.__setitem__("count", requests["count"] + 1))
        pages = []
        for _ in range(screens):
            page = context.new_page()
            page.goto(base + HUB_QUEUE)
            pages.append(page)
        hidden = sum(page.evaluate("document.hidden") for page in pages)
        # Playwright delivers the browser's events only while it is called: wait through it.
        pages[0].wait_for_timeout(3000)  # every screen's first poll has gone out

        # 1. idle cost
        requests["count"] = 0
        before = cpu_seconds(server_pids())
        pages[0].wait_for_timeout(window_s * 1000)
        idle_cpu = cpu_seconds(server_pids()) - before
        result["live_poll"] = {
            "requests_per_min": requests["count"] * 60 / window_s,
            "cpu_s_per_min": idle_cpu * 60 / window_s,
            "hidden_screens": hidden,
        }

        # 2. POST to the row on the first screen: with all screens open (the server
        # refreshes each of them; their browsers share this machine's cores with it), then
        # with that screen alone (the browsers elsewhere, as in use).
        stamp = int(time.time())
        first = pages[0]
        result["post_to_row_s_all_open"] = _post_to_row(port, token, payload, first, posts, stamp)
        for page in pages[1:]:
            page.close()
        result["post_to_row_s"] = _post_to_row(port, token, payload, pages[0], posts, stamp + 1)
        # A screen that lost the server says so in its live status line.
        result["screen_saying_lost"] = bool(pages[0].locator(".live-status").inner_text())
        context.close()
        browser.close()
    return result
