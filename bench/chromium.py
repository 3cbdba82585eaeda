"""Debian's Chromium as the designer's benchmark and browser tests launch it: headless on a
machine without a GPU, a user namespace or internet, so nothing it does reaches past loopback."""

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
