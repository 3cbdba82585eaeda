"""Writing the run index from many concurrent runs: records that arrive while a write is under
way go together in the next transaction, so a busy worker pays one database round trip per
batch instead of one per run. Each caller still returns only once its record is committed."""

import asyncio

from journey.store.runs import RunRecord, RunStore


class RunIndexWriter:
    def __init__(self, store: RunStore) -> None:
        self._store = store
        self._pending: list[tuple[RunRecord, asyncio.Future[None]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def write(self, record: RunRecord) -> None:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((record, done))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        await done

    async def _flush(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            try:
                await self._store.record_many([record for record, _ in batch])
            except Exception as error:  # each caller's activity retries its own record
                for _, done in batch:
                    if not done.done():
                        done.set_exception(error)
            else:
                for _, done in batch:
                    if not done.done():
                        done.set_result(None)
