"""Date texts rewritten into a form dateparser reads: local digits, calendars and time marks.

Each rewrite is one writing convention shared by a language's sites, not by one site:
Persian and Thai digits, the Thai Buddhist-era year, the Persian solar calendar, CJK
"年月日" dates with "時分" times, and Korean/Japanese/Chinese a.m./p.m. words before the time.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from .lexicon import AFTERNOON, DATE_LABELS, MORNING, SOLAR_HIJRI_MONTHS, alternation

# Every script's decimal digits (Persian, Arabic-Indic, Devanagari, Bengali, Thai, Khmer,
# fullwidth...) as ASCII digits: dateparser reads few of them.
_DIGITS = str.maketrans(
    {chr(c): str(unicodedata.decimal(chr(c))) for c in range(0x80, 0x20000) if unicodedata.category(chr(c)) == "Nd"}
    | {"٫": ".", "٬": ","}
)
_THAI = re.compile(r"[\u0e00-\u0e7f]")
_BUDDHIST_YEAR = re.compile(r"(?<!\d)(2[45]\d\d)(?!\d)")
BUDDHIST_ERA_OFFSET = 543
_CJK_DATE = re.compile(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?")
_CJK_TIME = re.compile(r"(\d{1,2})\s*[時时시]\s*(\d{1,2})\s*[分분]")
_HALF_DAY = re.compile(
    rf"(?P<word>{alternation(MORNING)}|{alternation(AFTERNOON)})\s*(?P<time>\d{{1,2}}:\d{{2}}(?::\d{{2}})?)"
)
_AFTERNOON_WORDS = frozenset(w for group in AFTERNOON.values() for w in group)
_LABEL = re.compile(rf"^\s*(?:(?:{alternation(DATE_LABELS)})\s*[:：]?\s*)+", re.I)
_SOLAR_HIJRI = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})\s+(?P<month>{'|'.join(SOLAR_HIJRI_MONTHS)})\s+(?P<year>1[34]\d\d)(?!\d)"
)
_TIME = re.compile(r"(?<!\d)(\d{1,2}):(\d{2})(?::(\d{2}))?")
# Persian typed with an Arabic keyboard layout: Arabic yeh and kaf for the Persian letters ("تير" for "تیر").
_PERSIAN_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})


def normalise(text: str) -> str:
    """The date text with local digits, calendars and time marks rewritten; labels in front dropped."""
    text = text.translate(_DIGITS)
    if _THAI.search(text):
        text = _BUDDHIST_YEAR.sub(lambda m: str(int(m.group(1)) - BUDDHIST_ERA_OFFSET), text)
    text = _CJK_DATE.sub(lambda m: f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d} ", text)
    text = _CJK_TIME.sub(lambda m: f"{int(m.group(1)):02d}:{int(m.group(2)):02d}", text)
    text = _HALF_DAY.sub(_half_day, text)
    text = _LABEL.sub("", text)
    return " ".join(text.split())


def _half_day(match: re.Match[str]) -> str:
    return f"{match.group('time')} {'PM' if match.group('word') in _AFTERNOON_WORDS else 'AM'}"


def solar_hijri(text: str) -> dt.datetime | dt.date | None:
    """'۱۴ اسفند ۱۴۰۲ ۱۰:۳۰' (digits already made ASCII) -> the Gregorian date and time, else None."""
    match = _SOLAR_HIJRI.search(text.translate(_PERSIAN_LETTERS))
    if match is None:
        return None
    month = SOLAR_HIJRI_MONTHS.index(match.group("month")) + 1
    try:
        day = gregorian_of_solar_hijri(int(match.group("year")), month, int(match.group("day")))
    except ValueError:
        return None
    time = _TIME.search(text, match.end()) or _TIME.search(text[: match.start()])
    if time is None:
        return day
    try:
        return dt.datetime.combine(day, dt.time(int(time.group(1)), int(time.group(2)), int(time.group(3) or 0)))
    except ValueError:
        return day


def gregorian_of_solar_hijri(year: int, month: int, day: int) -> dt.date:
    """The Gregorian date of a Persian solar (Jalali) date, by the 33-year arithmetic cycle."""
    if not (1 <= month <= 12 and 1 <= day <= (31 if month <= 6 else 30)):
        raise ValueError("not a solar hijri date")
    year += 1595
    days = -355668 + 365 * year + (year // 33) * 8 + ((year % 33) + 3) // 4 + day
    days += (month - 1) * 31 if month < 7 else (month - 7) * 30 + 186
    return dt.date.fromordinal(days + _ORDINAL_SHIFT)


# The published algorithm counts days from a year before Python's ordinal day 1 (0001-01-01).
_ORDINAL_SHIFT = -365
