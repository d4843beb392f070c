"""Dates to ISO 8601, keeping exactly the precision and zone the source gives."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from zoneinfo import ZoneInfo

import dateparser

from . import rules
from .date_text import normalise, solar_hijri
from .lexicon import ZONE_ABBREVIATIONS

_ZONE_AT_END = re.compile(
    rf"[\s(]\(?(?P<zone>{'|'.join(sorted(ZONE_ABBREVIATIONS, key=len, reverse=True))}|(?i:uhr))\)?\.?\s*$"
)
# "(GMT+7)", "UTC+05:30": an offset the page spells out.
_GMT_OFFSET = re.compile(r"\(?\b(?:GMT|UTC)\s*(?P<sign>[+-])\s*(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?\)?")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMERIC_DATE = re.compile(r"(?<!\d)(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}[./-]\d{1,2}[./-]\d{1,2})(?!\d)")
_ISO_PREFIX = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})(?P<time>[T ]\d{2}:\d{2}(?::\d{2})?)?(?!\d)")
_ISO_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}")
_TIME_IN_TEXT = re.compile(r"\d{1,2}[:.h]\d{2}|\d{1,2}\s*[ap]\.?m\.?", re.I)
_AMPM = re.compile(r"\b([ap])\.m\.", re.I)
_EPOCH = re.compile(r"^\d{10}(\d{3})?$")
# "07.11.2023": written with dots, a numeric date is day-first wherever it is printed (month-first
# dates use slashes), so no language's default order applies.
_DOTTED_DATE = re.compile(r"(?<![\d.])\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}(?![\d.])")
_NUMBER = re.compile(r"\d+")
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
        return _format(dt.datetime.fromtimestamp(stamp, tz=dt.UTC), has_time=True)
    if _ISO_LIKE.match(text):
        parsed = _from_iso(text)
        if parsed is not None:
            return _format(parsed, has_time=True)
    day_first = bool(_DOTTED_DATE.search(text)) and rules.on("date.dotted_day_first")
    if len(_NUMBER.findall(normalise(text))) < 2 and rules.on("date.needs_day"):
        return None  # "2019", "March 2019": a day made up by the parser is not a date
    return _from_text(text, tuple(languages or ()), day_first)


def _from_iso(text: str) -> dt.datetime | None:
    candidate = text.replace(" ", "T", 1)
    candidate = re.sub(r"(\.\d+)", "", candidate)  # fractions: not part of our output
    # "23:15:0Z": a second written with one digit (a CMS's unpadded format) is still that second.
    candidate = re.sub(r"(T\d{1,2}:\d{2}:)(\d)(?!\d)", r"\g<1>0\2", candidate)
    candidate = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", candidate)
    try:
        return dt.datetime.fromisoformat(candidate)
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _from_text(text: str, languages: tuple[str, ...], day_first: bool = False) -> str | None:
    clean = normalise(_AMPM.sub(lambda m: m.group(1) + "m", text))
    zone: dt.tzinfo | None = None
    offset = _GMT_OFFSET.search(clean)
    if offset:
        minutes = int(offset.group("hours")) * 60 + int(offset.group("minutes") or 0)
        zone = dt.timezone(dt.timedelta(minutes=minutes if offset.group("sign") == "+" else -minutes))
        clean = (clean[: offset.start()] + clean[offset.end():]).strip(" ,")
    zone_match = _ZONE_AT_END.search(clean)
    if zone_match:
        zone = zone or ZoneInfo(ZONE_ABBREVIATIONS[zone_match.group("zone").upper()])
        clean = clean[: zone_match.start()].strip(" ,")
    if _ISO_LIKE.match(clean) and (parsed := _from_iso(clean)) is not None:
        return _with_zone(parsed, zone)
    prefix = _ISO_PREFIX.match(clean)
    if prefix:  # "2024-03-05 14:30 来源：…" (a CJK date rewritten): the words after it are not the date's
        if prefix.group("time") and (parsed := _from_iso(prefix.group())) is not None:
            return _with_zone(parsed, zone)
        return prefix.group("date") if _plausible_date(prefix.group("date")) else None
    found: dt.datetime | dt.date | None = solar_hijri(clean) or _dateparser(clean, languages, day_first)
    if found is None:
        return None
    if not isinstance(found, dt.datetime):
        return _format(dt.datetime.combine(found, dt.time()), has_time=False)
    if not _TIME_IN_TEXT.search(_NUMERIC_DATE.sub(" ", clean)):  # "07.11.2023" holds no time
        return _format(found, has_time=False)
    return _with_zone(found, zone)


def _dateparser(text: str, languages: tuple[str, ...], day_first: bool = False) -> dt.datetime | None:
    """dateparser on the text, then on it from its first digit ('Thứ sáu, 15/03/2024': a weekday before)."""
    settings = {"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False, "STRICT_PARSING": False}
    if day_first:
        settings["DATE_ORDER"] = "DMY"
    if not re.search(r"\d{4}|\d{1,2}[./-]\d{1,2}[./-]\d{2}", text):
        return None  # a bare weekday or "yesterday" would be resolved against today
    variants = [text]
    numeric = _NUMERIC_DATE.search(text)
    if numeric and numeric.start() > 0:
        # Only a date written in digits: dropping words before "28 19:20" could drop its month.
        variants.append(text[numeric.start():])
    for variant in variants:
        try:
            parsed = dateparser.parse(variant, languages=list(languages) or None, settings=settings)
        except (ValueError, OverflowError, TypeError):
            continue
        if parsed is not None and _YEAR_RANGE[0] <= parsed.year <= _YEAR_RANGE[1]:
            return parsed
    return None


def _with_zone(parsed: dt.datetime, zone: dt.tzinfo | None) -> str | None:
    """The wall-clock time in the named zone, its offset for that date (DST included) from zoneinfo."""
    if zone is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return _format(parsed, has_time=True)


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
