"""A publication instant declared in UTC, written in the publisher's own offset when the page states it.

Many sites declare the instant in UTC ("2024-03-05T23:15:00Z") and print, elsewhere in the same
page (a data layer, a page variable, another date field), the wall-clock time their readers see
("2024-03-06 00:15"). Near midnight the two fall on different days, and the day the publisher
dates the article is the local one. Written in that offset the instant stays the same, so
nothing is lost: only the day as written becomes the publisher's.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from . import rules

# A date with a wall-clock time, anywhere in the page's source (scripts included); the zone after it, if any.
_STAMP = re.compile(
    rb"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{1,2}))?(?:\.\d+)?"
    rb"(?![\d:])(\s*(?:Z|[+-]\d{2}:?\d{2})(?![\d:]))?"
)
MAX_OFFSET = dt.timedelta(hours=14)
OFFSET_STEP = dt.timedelta(minutes=15)
MAX_STAMPS = 200  # date-times of one day read at most


def in_local_offset(iso: str, source: bytes) -> str:
    """``iso`` (a UTC instant) in the offset the page's own wall-clock time of it shows, when that moves its day.

    A stamp is the same instant's local time when its minute (and second, when both give one)
    is the instant's and it lies a whole number of quarter hours away, at most 14 hours; a
    stamp with its own non-zero offset must name the same instant. When stamps disagree on the
    offset, or none moves the day, ``iso`` is returned unchanged.
    """
    instant = _utc_instant(iso)
    if instant is None or not source:
        return iso
    offsets: set[dt.timedelta] = set()
    for match in _stamps_near(instant.date(), source):
        offset = _offset_of(match, instant)
        if offset is not None:
            offsets.add(offset)
    if len(offsets) != 1:
        return iso
    local = instant.astimezone(dt.timezone(offsets.pop()))
    if local.date() == instant.date() or not rules.on("date.local_offset"):
        return iso
    return local.isoformat()


def _stamps_near(day: dt.date, source: bytes) -> Iterator[re.Match[bytes]]:
    """Date-times of the page on the instant's day or either side of it: the only ones that can be its local time.

    Found by their date's literal text (a scan for a fixed string, a fraction of a regex's cost over the page).
    """
    for delta in (-1, 0, 1):
        literal = (day + dt.timedelta(days=delta)).isoformat().encode("ascii")
        start, found = 0, 0
        while found < MAX_STAMPS and (start := source.find(literal, start)) != -1:
            match = _STAMP.match(source, start)
            if match and (start == 0 or source[start - 1 : start] not in b"0123456789-"):
                found += 1
                yield match
            start += len(literal)


def _utc_instant(iso: str) -> dt.datetime | None:
    if "T" not in iso:
        return None
    try:
        value = dt.datetime.fromisoformat(iso)
    except ValueError:
        return None
    if value.tzinfo is None or value.utcoffset() != dt.timedelta(0):
        return None
    return value


def _offset_of(match: re.Match[bytes], instant: dt.datetime) -> dt.timedelta | None:
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        wall = dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
    except ValueError:
        return None
    if wall.minute != instant.minute or (second is not None and wall.second != instant.second):
        return None
    if zone is not None:
        text = zone.strip().decode("ascii")
        if text == "Z":
            return None
        sign = 1 if text[0] == "+" else -1
        digits = text[1:].replace(":", "")
        stated = sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        if not stated or wall - stated != instant.replace(tzinfo=None, second=wall.second):
            return None
        return stated
    offset = wall - instant.replace(tzinfo=None, second=wall.second)
    if not offset or abs(offset) > MAX_OFFSET or offset % OFFSET_STEP:
        return None
    return offset
