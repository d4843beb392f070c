"""One spider per config in scrapers/sites/, so ``scrapy crawl NAME`` and Scrapyd see each site."""

from __future__ import annotations

from typing import Any

from scrapers.sites import site_names
from scrapers.spiders.news import NewsSpider


def _site_spider(site: str) -> type[NewsSpider]:
    def __init__(self: NewsSpider, url: str | None = None, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("site", None)
        NewsSpider.__init__(self, *args, url=url, site=site, **kwargs)

    class_name = "".join(part.capitalize() for part in site.replace("-", "_").split("_")) + "Spider"
    return type(class_name, (NewsSpider,), {"name": site, "__init__": __init__, "__module__": __name__,
                                            "__doc__": f"The generic news spider with the '{site}' site config."})


for _site in site_names():
    if _site != NewsSpider.name:
        globals()[_site] = _site_spider(_site)
