"""Which archived pages to extract: HTML responses of status 200, by domain and date window."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .warc import ArchivedPage


def parse_day(value: str | None, end: bool = False) -> dt.datetime | None:
    """``2026-11-01`` or a full ISO time, as UTC; a bare ``--until`` day includes the whole day."""
    if not value:
        return None
    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if len(value) == 10 and end:
        moment += dt.timedelta(days=1) - dt.timedelta(microseconds=1)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def warc_time(value: str) -> dt.datetime | None:
    """A WARC-Date (``2026-11-20T08:30:00Z``, with or without fractions) as an aware datetime."""
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def iso_seconds(moment: dt.datetime | None) -> str | None:
    """The record's ``fetched_at`` format: UTC, whole seconds."""
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat() if moment else None


@dataclass(frozen=True)
class PageFilter:
    """``domains``: a host and its subdomains; ``since``/``until``: on the WARC-Date (or, with
    ``on_article_date``, on the article's own date, checked after extraction)."""

    domains: tuple[str, ...] = ()
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    on_article_date: bool = False
    languages: tuple[str, ...] = field(default=())
    # only these pages (WARC-Record-IDs or URLs), e.g. those a job extracted: None = every page
    only: frozenset[str] | None = None

    def skip_reason(self, page: ArchivedPage) -> str | None:
        """Why a page is not extracted (a count, not a failure), or None."""
        if page.status != 200:
            return "status"
        if not page.is_html:
            return "not_html"
        if self.only is not None and page.record_id not in self.only and page.url not in self.only:
            return "not_in_job"
        if self.domains and not self.in_domains(page.url):
            return "domain"
        if not self.on_article_date and not self.in_window(warc_time(page.warc_date)):
            return "date"
        return None

    def record_skip_reason(self, record: dict[str, object]) -> str | None:
        """Filters that need the extracted article: its language, its own date."""
        if self.languages and record.get("language") not in self.languages:
            return "language"
        if self.on_article_date:
            published = record.get("date_published")
            moment = parse_day(published) if isinstance(published, str) else None
            if moment is None or not self.in_window(moment):
                return "date"
        return None

    def in_domains(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.domains)

    def in_window(self, moment: dt.datetime | None) -> bool:
        if self.since is None and self.until is None:
            return True
        if moment is None:
            return False
        return (self.since is None or moment >= self.since) and (self.until is None or moment <= self.until)
