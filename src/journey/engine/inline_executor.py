"""Workflow activations on the worker's event-loop thread instead of a thread pool.

The SDK hands every activation to a thread pool, so that it can notice a workflow that blocks
for more than 2 s. Each hand-off wakes a pool thread and passes the GIL to it and back: for
our one workflow, a thin driver of a pure core whose activations take well under a
millisecond, that was a visible share of the worker's CPU per run (see bench/engine_bench.py).
What is given up is that 2 s deadlock report: a core that looped forever would stall the worker
instead of failing its task, as it would also stall a pool thread and take the GIL from the rest.

The activation runs in its own callback of the loop, as the SDK's debug mode runs it, so it
never starts while another task of the loop is mid-step.
"""

import asyncio
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class InlineExecutor(ThreadPoolExecutor):
    """Runs each submitted call soon on the running event loop's own thread."""

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> "Future[T]":
        future: Future[T] = Future()
        loop = asyncio.get_running_loop()

        def run() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                future.set_result(fn(*args, **kwargs))
            except BaseException as error:  # handed to the awaiting SDK code, as a pool would
                future.set_exception(error)
            finally:
                # The workflow's own event loop unsets the running loop when it pauses.
                asyncio._set_running_loop(loop)

        loop.call_soon(run)
        return future
