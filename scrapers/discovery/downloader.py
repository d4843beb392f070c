"""Scrapy's downloader with its per-slot concurrency enforced (``CONCURRENT_REQUESTS_PER_DOMAIN``).

Scrapy 2.19 counts a request against its slot (``slot.transferring``) only once the task that
downloads it starts running; with the asyncio reactor that task runs on a later turn of the loop,
so ``_process_queue`` saw every slot as free and sent its whole queue at once (with
``CONCURRENT_REQUESTS_PER_DOMAIN=1``, 11 requests reached one site together, bounded only by
``CONCURRENT_REQUESTS``). Here the request is counted when its task is created.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from scrapy import Request
from scrapy.core.downloader import Downloader, Slot
from scrapy.http import Response
from twisted.internet.defer import Deferred


class SlotBoundDownloader(Downloader):
    def _wait_for_download(
        self, slot: Slot, request: Request, queue_dfd: Deferred[Response]
    ) -> Coroutine[Any, Any, None]:
        slot.transferring.add(request)  # before the task runs: the next request sees the slot taken
        return self._counted_download(slot, request, queue_dfd)

    async def _counted_download(self, slot: Slot, request: Request, queue_dfd: Deferred[Response]) -> None:
        try:
            await super()._wait_for_download(slot, request, queue_dfd)
        finally:
            slot.transferring.discard(request)  # Scrapy's _download removes it; a cancelled task must too
