"""How long the designer takes to open a large journey: navigation until every step is drawn.

The API and the built designer (``web/dist``, ``make web-build``) are served by the same child
process as ``python -m bench api`` (``bench.api_bench --serve``: uvicorn, a fresh SQLite data
dir, no Temporal). A ``--nodes``-step journey (``validate_bench.build_journey``: conditions,
switches, loops, parallel branches, actions with templates) is created through the API, then
opened ``--loads`` times in Debian's Chromium (Playwright, headless, 1600x1000), each time in a
fresh browser context (no cache): measured from ``page.goto`` until React Flow has drawn every
step (all ``.react-flow__node`` elements of the journey's steps measured and visible) and the
server's validation of the draft came back ("problems" panel settled).

``python -m bench designer`` runs the defaults; ``python -m bench.designer_bench --nodes 1000``.
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

from bench.chromium import CHROMIUM, CHROMIUM_ARGS
from bench.validate_bench import build_journey

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "web" / "dist" / "index.html"
SERVER_START_TIMEOUT = 60.0
OPEN_TIMEOUT_MS = 60_000


def main(argv: Sequence[str] | None = None) -> None:
    summary = __doc__.split("\n")[0]
    parser = argparse.ArgumentParser(prog="python -m bench.designer_bench", description=summary)
    parser.add_argument("--nodes", type=int, default=300, help="steps in the journey (default 300)")
    parser.add_argument("--loads", type=int, default=5, help="times the journey is opened (default 5)")
    args = parser.parse_args(argv or [])
    if not DIST.is_file() or not CHROMIUM.exists():
        raise SystemExit(f"needs {DIST} (make web-build) and {CHROMIUM} (make e2e-deps)")
    with tempfile.TemporaryDirectory(prefix="journey-designer-bench-") as data_dir:
        server = subprocess.Popen(
            [sys.executable, "-m", "bench.api_bench", "--serve", data_dir],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None
            port = server.stdout.readline().strip()
            if not port:
                raise SystemExit("the API server did not start; its errors are above")
            _measure(f"http://127.0.0.1:{port}", args.nodes, args.loads)
        finally:
            server.terminate()
            server.wait()


def _answering(base_url: str) -> None:
    """Wait until the server answers: it prints its port before uvicorn listens on it."""
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while True:
        try:
            httpx.get(f"{base_url}/api/v1/node-types", timeout=5).raise_for_status()
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _measure(base_url: str, nodes: int, loads: int) -> None:
    _answering(base_url)
    journey = build_journey(nodes)
    journey["key"] = f"bench-{time.time_ns()}"
    created = httpx.post(f"{base_url}/api/v1/journeys", json=journey, timeout=60)
    created.raise_for_status()
    steps = len(journey["nodes"])
    drawn: list[float] = []
    seconds: list[float] = []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for _ in range(loads):
            context = browser.new_context(viewport={"width": 1600, "height": 1000}, base_url=base_url)
            page = context.new_page()
            started = time.perf_counter()
            page.goto(f"/journeys/{journey['key']}")
            page.wait_for_function(
                """steps => document.querySelectorAll(".react-flow__node-journey").length === steps
                    && [...document.querySelectorAll(".react-flow__node-journey")]
                        .every(node => node.style.visibility !== "hidden")""",
                arg=steps,
                timeout=OPEN_TIMEOUT_MS,
            )
            drawn.append(time.perf_counter() - started)
            page.get_by_test_id("problems-empty").wait_for(timeout=OPEN_TIMEOUT_MS)
            seconds.append(time.perf_counter() - started)
            context.close()
        browser.close()
    edges = len(journey["edges"])
    print(f"designer: open a {steps}-step journey ({edges} edges), {loads} loads, Chromium headless")
    for what, figures in (("every step drawn", drawn), ("and the draft validated", seconds)):
        print(
            f"  {what:<24} best {min(figures):.2f} s, median {statistics.median(figures):.2f} s, "
            f"worst {max(figures):.2f} s"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
