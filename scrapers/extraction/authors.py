"""Bylines to person and agency names: prefixes, roles and joins removed."""

from __future__ import annotations

import re
import unicodedata

from .lexicon import (
    AUTHOR_ROLE_SUFFIXES,
    AUTHOR_ROLES,
    BYLINE_DATE_LABELS,
    BYLINE_LABELS,
    BYLINE_PREFIXES,
    BYLINE_PREFIXES_UNSPACED,
    BYLINE_TRAILERS,
    NAME_JOINERS,
    SURNAME_JOINERS,
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
    r"\s*(?:,|;|\||&|\+|、|，)\s*|\s+/\s+"
    # Korean names joined by a middle dot: "김민수·이서연 기자" (not Catalan "l·l" inside a word).
    r"|(?<=[\uac00-\ud7a3])\s*[·ㆍ]\s*(?=[\uac00-\ud7a3])"
    rf"|\s+(?:{_JOINER_WORDS})\s+",
    re.I,
)
_SURNAME_JOINERS = frozenset(words(SURNAME_JOINERS))
_NOISE = re.compile(
    rf"(?<!\w)(?:{alternation(BYLINE_TRAILERS)})(?!\w).*$|(?<!\w)(?:{alternation(BYLINE_DATE_LABELS)})\s*:.*$",
    re.I,
)
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
    text = _NOISE.sub("", text).strip(" -–—|:,")
    text = _PREFIX.sub("", text)
    names: list[str] = []
    for part in (piece for chunk in _split_joined(text) for piece in _split_slash(chunk)):
        name = clean_name(part)
        if name and name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    return names


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
    name = name.strip(" .-–—|:()[]\"'“”")
    if not name or not any(ch.isalpha() for ch in name):
        return None
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
