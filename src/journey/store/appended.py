"""A wake-up call from ``SqlEventLog.append`` to a consumer of the same ``Database`` in this process.

With ``journey up`` the API, the workers' ``emit_event`` and the router share one process and
one ``Database``: the router need not wait out its idle poll (up to 200 ms) to see an event that
was just appended here. Appends from other processes are still found by the poll.
"""

import asyncio
import contextlib


class AppendSignal:
    """Set by each append; a waiting consumer wakes at once, or when its poll delay is up.

    Safe across event loops: an append on another thread (the API under a test server) wakes
    the consumer's loop through ``call_soon_threadsafe``, and a consumer on a new loop gets a
    fresh ``asyncio.Event`` (one is bound to the loop it was first awaited on).
    """

    def __init__(self) -> None:
        self._appended = asyncio.Event()
        self._waiters_loop: asyncio.AbstractEventLoop | None = None

    def notify(self) -> None:
        loop = self._waiters_loop
        if loop is None or _running_loop() is loop:
            self._appended.set()
            return
        with contextlib.suppress(RuntimeError):  # the consumer's loop is closed: nobody to wake
            loop.call_soon_threadsafe(self._appended.set)

    async def wait(self, seconds: float) -> None:
        """Return once something was appended since the last wait, or after ``seconds``.

        Clears the signal before returning, so the read that follows sees every append that
        woke it, and an append after that read wakes the next wait.
        """
        loop = asyncio.get_running_loop()
        if loop is not self._waiters_loop:
            self._appended = asyncio.Event()
            self._waiters_loop = loop
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._appended.wait()
        self._appended.clear()


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
