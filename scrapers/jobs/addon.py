"""Scrapy add-on (enabled in ``ADDONS``): the run lock, switched on by the crawl command."""

from __future__ import annotations

from scrapy.settings import BaseSettings


class RunGuard:
    """Two crawls with the same output name never overlap (``scrapers.jobs.lock.RunLock``)."""

    def update_settings(self, settings: BaseSettings) -> None:
        if settings.getbool("RUN_LOCK_ENABLED"):
            from scrapers.jobs.lock import RunLock

            settings.setdefault_in_component_priority_dict("EXTENSIONS", RunLock, 0)
