"""The date window of a crawl: ``-a since=`` / ``-a until=`` (or ``CRAWL_SINCE`` / ``CRAWL_UNTIL``).

A bound is an ISO date (``2026-11-29``, midnight UTC), an ISO datetime (``2026-11-29T06:00``, UTC
when it names no zone) or a time before now (``3d``, ``6h``, ``90m``, ``2w``), fixed once when the
crawl starts so every URL of one run is judged against the same instant.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

# a date in a URL's path: /2026/11/29/, /2026-11-29-, /2026/11/ (a month); not 8 bare digits (ids)
_PATH_DATE = re.compile(r"(?<![\d])((?:19|20)\d\d)[/-](0[1-9]|1[0-2])(?:[/-](0[1-9]|[12]\d|3[01]))?(?![\d])")
# a path date is the publisher's local day: a day either side keeps an article near midnight UTC
_PATH_SLACK = dt.timedelta(days=1)
_RELATIVE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([mhdw])\s*$", re.I)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_bound(value: str, now: dt.datetime, name: str = "since") -> dt.datetime:
    """An aware UTC datetime for one bound; ValueError with a one-line message for a bad one."""
    text = value.strip()
    relative = _RELATIVE.match(text)
    if relative:
        amount, unit = float(relative.group(1)), relative.group(2).lower()
        return now - dt.timedelta(**{_UNITS[unit]: amount})
    try:
        parsed = to_datetime(text)
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValueError(f"{name}={value!r}: expected an ISO date (2026-11-29), an ISO datetime "
                         "(2026-11-29T06:00:00Z) or a time before now (3d, 6h, 90m, 2w)")
    return parsed


def to_datetime(text: str | None) -> dt.datetime | None:
    """A sitemap/feed/record date as an aware UTC datetime; None when there is none or it is unreadable.
    W3C datetime (sitemaps) is a profile of ISO 8601: date, or date and time with an offset."""
    if not text:
        return None
    text = text.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        if len(text) in (4, 7) and text[:4].isdigit():  # W3C also allows YYYY and YYYY-MM
            try:
                parsed = dt.datetime.fromisoformat(text + ("-01-01" if len(text) == 4 else "-01"))
            except ValueError:
                return None
        else:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


@dataclass(frozen=True)
class Window:
    """[since, until]; either side open when None."""

    since: dt.datetime | None = None
    until: dt.datetime | None = None

    @classmethod
    def parse(cls, since: str | None, until: str | None, now: dt.datetime | None = None,
              names: tuple[str, str] = ("since", "until")) -> Window:
        """``names`` are how the user gave each bound (``-a since``, ``-s CRAWL_SINCE``), for the message."""
        now = now or dt.datetime.now(dt.UTC)
        window = cls(parse_bound(since, now, names[0]) if since else None,
                     parse_bound(until, now, names[1]) if until else None)
        if window.since and window.since > now:
            raise ValueError(f"{names[0]}={since!r} is in the future: no article can be in the window "
                             "(a time before now: 3d, 6h, or a date up to today)")
        if window.since and window.until and window.since > window.until:
            raise ValueError(f"{names[0]}={since!r} is after {names[1]}={until!r}: the window is empty")
        return window

    @property
    def is_open(self) -> bool:
        return self.since is None and self.until is None

    def contains(self, when: dt.datetime | None) -> bool:
        """True for a date inside the window, and for no date at all (the article's own date decides)."""
        if when is None:
            return True
        return not ((self.since and when < self.since) or (self.until and when > self.until))

    def older_than_since(self, when: dt.datetime | None) -> bool:
        """A sitemap last modified before ``since`` lists nothing new enough: it is not fetched."""
        return bool(when and self.since and when < self.since)

    def excludes_path_of(self, url: str) -> bool:
        """A URL whose path holds a date (a day, or a month) wholly outside the window, a day's slack
        either side: its article cannot be in the window, so it is not fetched."""
        if self.is_open:
            return False
        found = _PATH_DATE.search(urlsplit(url).path)
        if found is None:
            return False
        year, month, day = int(found.group(1)), int(found.group(2)), found.group(3)
        try:
            start = dt.datetime(year, month, int(day) if day else 1, tzinfo=dt.UTC)
        except ValueError:  # 2026/02/31: not a date
            return False
        if day:
            end = start + dt.timedelta(days=1)
        else:
            end = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=dt.UTC)
        return bool((self.since and end + _PATH_SLACK <= self.since)
                    or (self.until and start - _PATH_SLACK > self.until))

    def describe(self) -> str:
        return (f"since {self.since.isoformat() if self.since else '-'}, "
                f"until {self.until.isoformat() if self.until else '-'}")
