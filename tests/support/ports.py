"""Ephemeral loopback ports for servers that must be told their port up front (Temporal)."""

import socket


def free_port() -> int:
    """A port free on 127.0.0.1 right now (nothing holds it until the server binds it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
