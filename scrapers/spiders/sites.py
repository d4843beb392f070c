"""One spider per site config, so ``scrapy crawl NAME`` and Scrapyd see each site.

The classes are made by ``scrapers.spiders.loader.SiteSpiderLoader`` from the configs it finds (the
bundled ones and ``SITES_DIR``), not at import: the user's folder is a setting, unknown at import time.
"""

from __future__ import annotations

from .news import NewsSpider


def site_spider(site: str) -> type[NewsSpider]:
    class_name = "".join(part.capitalize() for part in site.replace("-", "_").split("_")) + "Spider"
    return type(class_name, (NewsSpider,), {"name": site, "fixed_site": site, "__module__": __name__,
                                            "__doc__": f"The generic news spider with the '{site}' site config."})
