"""Bylines to person and agency names: prefixes, roles and joins removed."""

from __future__ import annotations

import re
import unicodedata

from . import rules
from .lexicon import (
    ACCOUNT_LINKS,
    ART_CREDIT_WORDS,
    AUTHOR_ROLE_SUFFIXES,
    AUTHOR_ROLES,
    BYLINE_DATE_LABELS,
    BYLINE_LABELS,
    BYLINE_MONTHS,
    BYLINE_PREFIXES,
    BYLINE_PREFIXES_UNSPACED,
    BYLINE_TRAILERS,
    CREDIT_LABELS,
    NAME_JOINERS,
    SURNAME_JOINERS,
    ZONE_ABBREVIATIONS,
    alternation,
    words,
)

# "By Jane Doe", "Von: Anna Beispiel", "بقلم: ...", "记者张三": the label before the names.
_PREFIX = re.compile(
    rf"^\s*(?:(?:{alternation(BYLINE_PREFIXES, BYLINE_LABELS)})(?:\s*[:：\-–]\s*|\s+)"
    rf"|(?:{alternation(BYLINE_PREFIXES_UNSPACED)})\s*[:：]?\s*(?=\S))+",
    re.I,
)
# A role word on its own, not part of a hyphenated name ("Anna Editor-Meier" is a name).
_ROLE_WORDS = re.compile(rf"(?<![\w-])(?:{alternation(AUTHOR_ROLES)}|in\s+\w+$)(?![\w-])", re.I)
_ROLE_SUFFIX = re.compile(rf"\s*(?:{alternation(AUTHOR_ROLE_SUFFIXES)})$")
_JOINER_WORDS = alternation(NAME_JOINERS)
_JOINERS = re.compile(
    r"\s*(?:,|;|\||&|\+|、|，)\s*|\s+/\s+|\s+[·•]\s+"
    # Korean names joined by a middle dot: "김민수·이서연 기자" (not Catalan "l·l" inside a word).
    r"|(?<=[\uac00-\ud7a3])\s*[·ㆍ]\s*(?=[\uac00-\ud7a3])"
    rf"|\s+(?:{_JOINER_WORDS})\s+",
    re.I,
)
_SURNAME_JOINERS = frozenset(words(SURNAME_JOINERS))
_NOISE = re.compile(
    rf"(?:\b\d+\s*)?(?<!\w)(?:{alternation(BYLINE_TRAILERS)})(?!\w).*$"
    rf"|(?<!\w)(?:{alternation(BYLINE_DATE_LABELS)})\s*:.*$",
    re.I,
)
# A date or time printed in the byline: "Jane Doe - Aug 10, 2016 8:02 pm UTC", "on 1 June 2019 at 08:34".
_MONTH = rf"(?:{alternation(BYLINE_MONTHS)})\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th|\.)?"
_YEAR = r"(?:19|20)\d{2}"
_ZONE = "|".join(sorted(ZONE_ABBREVIATIONS, key=len, reverse=True))
_DATE_IN_BYLINE = re.compile(
    rf"(?:\b(?:on|at|am|um|le|el)\s+)?(?:\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    rf"(?:(?<!\w){_MONTH}\s+{_DAY}(?!\d)(?:,?\s*{_YEAR})?|(?<!\w){_DAY}\s+{_MONTH}(?!\w)(?:,?\s*{_YEAR})?"
    rf"|(?<!\w){_MONTH}\s+{_YEAR}|(?<![\w.])\d{{1,2}}:\d{{2}}(?:\s*[ap]\.?m\.?)?(?:\s*(?-i:{_ZONE})\b)?"
    rf"|(?<![\w.]){_YEAR}(?![\w.]))",
    re.I,
)
# "Section, by Jane Doe": a label inside the byline; what comes before it is not a name.
_MID_LABEL = re.compile(
    rf"^\s*(?:{'|'.join(re.escape(w) for lang in ('en', 'de', 'fr', 'es') for w in BYLINE_PREFIXES[lang])})\s+\S",
    re.I,
)
# "Photos by Omar Haddad", "Fotos: Max Muster": the photographer's credit inside a byline.
# (Not "Illustration by": an artist is credited as an author of the piece, see bylines.art_credits.)
_PHOTO_WORDS = sorted(set(words(CREDIT_LABELS)) - set(words(ART_CREDIT_WORDS)) - {"source", "credit", "credits"},
                      key=len, reverse=True)
# "Comments (42)", "Views(1,024)": a count in brackets is a page counter printed beside the byline, never a name
# (dropped like the dates and times printed there).
_COUNTER = re.compile(r"\(\s*\d[\d,.\s]*\)?(?!\S)")
_PHOTO_CREDIT = re.compile(
    rf"^\s*(?:{'|'.join(map(re.escape, _PHOTO_WORDS))})\s*(?:by\b|von\b|par\b|por\b|[:：=])", re.I
)
ACCOUNT_WORDS = _ACCOUNT_LINKS = frozenset(words(ACCOUNT_LINKS))
# "Doe, Jane": one person written surname first, not two.
_LAST_FIRST = re.compile(r"^([^\W\d_][\w'’-]+),\s*([^\W\d_][\w'’-]+(?:\s+[^\W\d_]\.)?)$")
_IN_PLACE = re.compile(r"^(.+?)\s+in\s+\S+$")
_EMAIL_OR_HANDLE = re.compile(r"\S+@\S+|(?<!\w)@\w+|https?://[^\s)]+|\bwww\.[^\s)]+")
_DATE_TAIL = re.compile(r"\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b.*$|\b\d{4}-\d{2}-\d{2}\b.*$")
MAX_NAME_WORDS = 6


def clean_byline(raw: str | None) -> str | None:
    if not raw:
        return None
    text = unicodedata.normalize("NFC", " ".join(raw.split()))
    return text or None


def split_authors(byline: str | None) -> list[str]:
    """'By Jane Doe and Omar Haddad, Science Editor' -> ['Jane Doe', 'Omar Haddad']."""
    if not byline:
        return []
    text = _EMAIL_OR_HANDLE.sub(" ", clean_byline(byline) or "")
    text = _DATE_TAIL.sub("", text)
    if _DATE_IN_BYLINE.search(text) and rules.on("author.byline_dates"):
        text = _DATE_IN_BYLINE.sub(" ", text)
    text = _NOISE.sub("", text).strip(" -–—|:,.")
    text = _PREFIX.sub("", text)
    last_first = _LAST_FIRST.match(text)
    if last_first and _is_surname_first(last_first) and rules.on("author.last_first"):
        text = f"{last_first.group(2)} {last_first.group(1)}"
    parts = [piece for chunk in _split_joined(text) for piece in _split_slash(chunk)]
    if any(norm_part(part) in _ACCOUNT_LINKS for part in parts) and rules.on("author.account_links"):
        return []  # a menu of account links marked up like a byline
    counters = [part for part in parts if _COUNTER.search(part)]
    if counters and rules.on("author.byline_dates"):
        parts = [part for part in parts if part not in counters]
    credits = [part for part in parts if _PHOTO_CREDIT.match(part)]
    if credits and len(credits) < len(parts) and rules.on("author.photo_credit"):
        parts = [part for part in parts if part not in credits]  # "Jane Doe, Photos: Omar Haddad"
    labelled = next((i for i, part in enumerate(parts) if i and _MID_LABEL.match(part)), 0)
    if labelled and rules.on("author.label_inside"):
        parts = parts[labelled:]
    names: list[str] = []
    for part in parts:
        name = clean_name(part)
        if name and name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    return names


def only_dates(text: str) -> bool:
    """True for a byline that holds a date and nothing else ("Dec 1st 2016 1:01PM")."""
    rest = _NOISE.sub("", _DATE_IN_BYLINE.sub(" ", text))
    return not any(ch.isalpha() for ch in rest) and rest != text


def norm_part(part: str) -> str:
    return " ".join(part.casefold().split()).strip(" .:|")


def _is_surname_first(match: re.Match[str]) -> bool:
    """'Doe, Jane': two capitalised words, neither in capitals ('AP, Reuters' are two names)."""
    surname, given = match.group(1), match.group(2).split()[0]
    return all(w[:1].isupper() and not w.isupper() for w in (surname, given))


def _split_joined(text: str) -> list[str]:
    """Split at joiners, except a surname joiner inside one name: "José Ortega y Gasset"."""
    parts: list[str] = []
    start = 0
    for match in _JOINERS.finditer(text):
        before = text[start:match.start()]
        after = _JOINERS.split(text[match.end():], maxsplit=1)[0]
        if _joins_surname(match.group(), before, after):
            continue
        parts.append(before)
        start = match.end()
    parts.append(text[start:])
    return parts


def _joins_surname(joiner: str, before: str, after: str) -> bool:
    """'Ortega y Gasset': a one-word capitalised surname after a full name is part of it."""
    words_after = after.split()
    return (
        joiner.strip().casefold() in _SURNAME_JOINERS
        and len(before.split()) >= 2
        and len(words_after) == 1
        and words_after[0][:1].isupper()
        and not words_after[0].isupper()
    )


def _split_slash(part: str) -> list[str]:
    """'Jane Doe/John Roe' is two people; 'nzh/abk' and 'AP/dpa' are kept as written."""
    pieces = part.split("/")
    if len(pieces) > 1 and all(len(p.split()) >= 2 for p in pieces):
        return pieces
    return [part]


def clean_name(part: str) -> str | None:
    name = _ROLE_SUFFIX.sub("", _PREFIX.sub("", part.strip()))
    name = name.strip(" .-–—|:()[]\"'“”/·•")
    if not name or not any(ch.isalpha() for ch in name) or "©" in name:
        return None
    in_place = _IN_PLACE.match(name)
    if in_place and looks_like_person(in_place.group(1)):
        name = in_place.group(1)  # "Jane Doe in Valve": the section or place the byline adds
    if _ROLE_WORDS.search(name) and not looks_like_person(name):
        return None
    if len(name.split()) > MAX_NAME_WORDS:
        return None
    return name


def looks_like_person(name: str) -> bool:
    """A capitalised two-to-four word name with no role words mixed in."""
    words = name.split()
    return 2 <= len(words) <= 4 and all(_capitalised(w) for w in words) and not _ROLE_WORDS.search(name)


def _capitalised(word: str) -> bool:
    """Starts with a capital, or with a letter of a script without case (Arabic, Thai, Devanagari…)."""
    first = word[:1]
    return first.isupper() or (first.isalpha() and first.lower() == first.upper())


def dedupe_names(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for name in names:
        key = name.casefold()
        if key not in seen:
            seen.add(key)
            out.append(name)
    return out
