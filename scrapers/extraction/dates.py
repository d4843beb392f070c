"""Dates to ISO 8601, keeping exactly the precision and zone the source gives."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import dateparser

# Zone names news sites print that dateparser does not know, as offsets in minutes per
# (standard, daylight) time; the date decides which applies (US and EU rules).
_NAMED_ZONES: dict[str, tuple[str, int, int]] = {
    "ET": ("us", -300, -240),
    "CT": ("us", -360, -300),
    "MT": ("us", -420, -360),
    "PT": ("us", -480, -420),
    "UHR": ("eu", 60, 120),
    "MEZ": ("fixed", 60, 60),
    "MESZ": ("fixed", 120, 120),
    "CET": ("fixed", 60, 60),
    "CEST": ("fixed", 120, 120),
    "BST": ("fixed", 60, 60),
    "GMT": ("fixed", 0, 0),
    "UTC": ("fixed", 0, 0),
    "Z": ("fixed", 0, 0),
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}")
_TIME_IN_TEXT = re.compile(r"\d{1,2}[:.h]\d{2}|\d{1,2}\s*[ap]\.?m\.?", re.I)
_ZONE_AT_END = re.compile(r"\b(ET|CT|MT|PT|UHR|MEZ|MESZ|CET|CEST|BST|GMT|UTC)\b\.?\s*$", re.I)
_AMPM = re.compile(r"\b([ap])\.m\.", re.I)
_EPOCH = re.compile(r"^\d{10}(\d{3})?$")
_YEAR_RANGE = (1990, 2100)


def to_iso(value: str | None, languages: list[str] | None = None) -> str | None:
    """Normalise a date string to ISO 8601, or None when it is not a plausible date."""
    if not value:
        return None
    text = " ".join(str(value).split())
    if not text or len(text) > 120:
        return None
    if _ISO_DATE.match(text):
        return text if _plausible_date(text) else None
    if _EPOCH.match(text):
        stamp = int(text[:10])
        return _format(dt.datetime.fromtimestamp(stamp, tz=dt.timezone.utc), has_time=True)
    if _ISO_LIKE.match(text):
        parsed = _from_iso(text)
        if parsed is not None:
            return _format(parsed, has_time=True)
    return _from_text(text, tuple(languages or ()))


def _from_iso(text: str) -> dt.datetime | None:
    candidate = text.replace(" ", "T", 1)
    candidate = re.sub(r"(\.\d+)", "", candidate)  # fractions: not part of our output
    candidate = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", candidate)
    try:
        return dt.datetime.fromisoformat(candidate)
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _from_text(text: str, languages: tuple[str, ...]) -> str | None:
    clean = _AMPM.sub(lambda m: m.group(1) + "m", text)
    zone_match = _ZONE_AT_END.search(clean)
    zone = zone_match.group(1).upper() if zone_match else None
    if zone_match:
        clean = clean[: zone_match.start()].strip(" ,")
    settings = {"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False, "STRICT_PARSING": False}
    try:
        parsed = dateparser.parse(clean, languages=list(languages) or None, settings=settings)
    except (ValueError, OverflowError, TypeError):
        return None
    if parsed is None or not (_YEAR_RANGE[0] <= parsed.year <= _YEAR_RANGE[1]):
        return None
    if not re.search(r"\d{4}|\d{1,2}[./-]\d{1,2}[./-]\d{2}", clean):
        return None  # a bare weekday or "yesterday" would be resolved against today
    has_time = bool(_TIME_IN_TEXT.search(clean))
    if not has_time:
        return parsed.date().isoformat()
    if zone and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=_zone_offset(zone, parsed))
    return _format(parsed, has_time=True)


def _zone_offset(zone: str, when: dt.datetime) -> dt.timezone:
    rule, standard, daylight = _NAMED_ZONES[zone]
    minutes = daylight if rule != "fixed" and _is_daylight(rule, when) else standard
    return dt.timezone(dt.timedelta(minutes=minutes))


def _is_daylight(rule: str, when: dt.datetime) -> bool:
    year = when.year
    if rule == "us":  # second Sunday of March to first Sunday of November
        start = _nth_sunday(year, 3, 2)
        end = _nth_sunday(year, 11, 1)
    else:  # last Sunday of March to last Sunday of October
        start = _last_sunday(year, 3)
        end = _last_sunday(year, 10)
    return start <= when.date() < end


def _nth_sunday(year: int, month: int, n: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(6 - first.weekday()) % 7 + 7 * (n - 1))


def _last_sunday(year: int, month: int) -> dt.date:
    last = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() + 1) % 7)


def _plausible_date(text: str) -> bool:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return False
    return _YEAR_RANGE[0] <= day.year <= _YEAR_RANGE[1]


def _format(value: dt.datetime, has_time: bool) -> str | None:
    if not (_YEAR_RANGE[0] <= value.year <= _YEAR_RANGE[1]):
        return None
    if not has_time:
        return value.date().isoformat()
    return value.replace(microsecond=0).isoformat()
