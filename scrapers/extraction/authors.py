"""Bylines to person and agency names: prefixes, roles and joins removed."""

from __future__ import annotations

import re
import unicodedata

# "By", "Von", "Par", "Por", "Door", "Di", "Av", "Af", "Autor:" and friends, with or without a colon.
_PREFIX = re.compile(
    r"^\s*(?:(?:written|reported|text|words|story|photos?|video)\s+)?"
    r"(?:by|von|par|por|door|di|de|da|av|af|przez|autor(?:in|a)?|author|text|texto|reporter|redakce|"
    r"напис(?:ал|ала)|автор)\s*[:\-–]?\s+",
    re.I,
)
_ROLE_WORDS = re.compile(
    r"\b(editor|editora|redakteur(?:in)?|correspondent|korrespondent(?:in)?|reporter|writer|"
    r"journalist|journalistin|staff|contributor|columnist|producer|photographer|fotograf(?:in)?|"
    r"analyst|director|chief|senior|deputy|managing|political|bureau|desk|team|intern|"
    r"presenter|host|critic|author|redaktion|rédact(?:eur|rice)|envoyé|corresponsal|in\s+\w+$)\b",
    re.I,
)
_JOINERS = re.compile(r"\s*(?:,|;|\||&|\+|、|，)\s*|\s+/\s+|\s+(?:and|und|et|y|e|en|og|och|i|a|и|та|és)\s+", re.I)
# CJK bylines put the role after the name: "신현주 기자", "山田太郎記者".
_ROLE_SUFFIX = re.compile(r"\s*(?:기자|특파원|記者|特派員|记者|编辑)$")
_NOISE = re.compile(
    r"\b(updated|published|aktualisiert|veröffentlicht|min(?:ute)?s?\s+read|read\s+more|follow|"
    r"share|comments?)\b.*$|\b(?:stand|datum|date)\s*:.*$",
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
    for part in (piece for chunk in _JOINERS.split(text) for piece in _split_slash(chunk)):
        name = clean_name(part)
        if name and name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    return names


def _split_slash(part: str) -> list[str]:
    """'Jane Doe/John Roe' is two people; 'srf/hosb' and 'AP/dpa' are kept as written."""
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
    return 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words) and not _ROLE_WORDS.search(name)


def dedupe_names(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for name in names:
        key = name.casefold()
        if key not in seen:
            seen.add(key)
            out.append(name)
    return out
