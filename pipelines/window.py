"""Drop articles whose own date is outside the crawl's date window (``-a since`` / ``-a until``).

Sitemap and feed entries with a date outside the window are never fetched (spiders/news.py); a
URL listed without one is fetched, and its article's ``date_published`` decides here. A dropped
article is a line of the failures file (stage ``window``, reason ``out_of_window``) and a count in the
manifest's ``dropped_by_reason``, never a silent loss. An article without any date is kept.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from scrapers.jobs.drops import RecordDropped


class WindowPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WindowPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        window = getattr(self.crawler.spider, "window", None)
        if window is None or window.is_open:
            return item
        published = ItemAdapter(item).get("date_published")
        when = _parse(published)
        if when is not None and not window.contains(when):
            raise RecordDropped("window", "out_of_window", f"date_published {published}; {window.describe()}")
        return item


def _parse(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
