"""Debian's Chromium as the designer's benchmark and browser tests launch it: headless on a
machine without a GPU, a user namespace or internet, and with its own background traffic
(updates, sync, QUIC probes) turned off, so it asks for nothing but the pages it is given."""

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
