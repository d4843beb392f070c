"""Scrapy's spider loader plus one spider per site config (``SPIDER_LOADER_CLASS`` in settings.py)."""

from __future__ import annotations

from scrapy.settings import BaseSettings
from scrapy.spiderloader import SpiderLoader

from ..sites import SiteConfigError, site_names
from .sites import site_spider


class SiteSpiderLoader(SpiderLoader):
    def __init__(self, settings: BaseSettings) -> None:
        self.sites_dir: str | None = settings.get("SITES_DIR")
        super().__init__(settings)

    def _load_all_spiders(self) -> None:
        super()._load_all_spiders()
        try:
            names = site_names(self.sites_dir)
        except SiteConfigError:
            names = site_names()  # a missing SITES_DIR is reported by the start-up checks, not here
        for name in names:
            # A config named like a code spider (news) does not replace it.
            self._spiders.setdefault(name, site_spider(name))
