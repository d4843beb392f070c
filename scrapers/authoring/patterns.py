"""Propose ``article_allow`` / ``article_deny`` regexes from article URLs and the other links of a site.

Each article path becomes a shape, segment by segment: digits become ``\\d{n}``, an id-and-slug
``40121-some-words`` becomes ``\\d+-[^/]+``, a slug ``[^/]+`` (its extension kept), anything else stays literal.
Shapes that differ only in a literal segment (the section: ``/world/``, ``/sport/``) merge into ``[^/]+``, and a
leading ``[^/]+`` is dropped: the patterns are searched in the URL, as the spider does.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

ANY = "[^/]+"
MIN_SHARE = 0.1  # a shape proposed as its own pattern covers at least this share of the articles
MAX_PATTERNS = 3
_DIGITS = re.compile(r"\d+")
_ID_SLUG = re.compile(r"\d{3,}[-_][^/]+")
_SLUG = re.compile(r"[^\W_]+(?:[-_][^\W_]+){2,}")
_EXTENSION = re.compile(r"\.(s?html?|php|aspx?)$")

Shape = tuple[str, ...]


def shape_of(url: str) -> Shape:
    path = urlsplit(url).path
    segments = [s for s in path.split("/") if s]
    shape = [_generalise(segment, last=i == len(segments) - 1) for i, segment in enumerate(segments)]
    if path.endswith("/") and segments:
        shape.append("")  # the trailing slash is part of the shape
    return tuple(shape)


def _generalise(segment: str, last: bool) -> str:
    extension = _EXTENSION.search(segment)
    stem = segment[: extension.start()] if extension else segment
    suffix = re.escape(extension.group(0)) if extension else ""
    if _DIGITS.fullmatch(stem):
        return rf"\d{{{len(stem)}}}" + suffix
    if _ID_SLUG.fullmatch(stem):
        return r"\d+-" + ANY + suffix if "-" in stem else r"\d+_" + ANY + suffix
    if _SLUG.fullmatch(stem) or (last and extension):
        return ANY + suffix
    return re.escape(segment)


def _merge(shapes: Counter[Shape]) -> Counter[Shape]:
    """Shapes of one length that differ only in literal segments become one, those segments ``[^/]+``."""
    merged: Counter[Shape] = Counter()
    for shape, count in shapes.items():
        key = next((other for other in merged if _mergeable(other, shape)), None)
        if key is None:
            merged[shape] += count
            continue
        joined = tuple(a if a == b else ANY for a, b in zip(key, shape, strict=True))
        total = merged.pop(key) + count
        merged[joined] += total
    return merged


def _mergeable(one: Shape, other: Shape) -> bool:
    return len(one) == len(other) and all(a == b or (a == ANY or _literal(a)) and _literal(b)
                                          for a, b in zip(one, other, strict=True))


def _literal(segment: str) -> bool:
    return segment != "" and "\\d" not in segment and ANY not in segment


def to_regex(shape: Shape) -> str:
    parts = list(shape)
    slash = "/" if parts and parts[-1] == "" else ""
    parts = parts[:-1] if slash else parts
    if all(part == ANY for part in parts):  # only the depth tells articles apart: anchor at the host
        return r"^https?://[^/]+/" + "/".join(parts) + slash + "$"
    while parts[0] == ANY:
        parts.pop(0)  # searched, not matched: a leading "any segment" says nothing
    return "/" + "/".join(parts) + slash + "$"


def propose_allow(articles: list[str]) -> list[str]:
    """Up to three patterns that together match the article URLs; the most common first."""
    shapes = _merge(Counter(shape_of(url) for url in articles if urlsplit(url).path.strip("/")))
    if not shapes:
        return []
    total = sum(shapes.values())
    chosen = [shape for shape, count in shapes.most_common() if count >= max(2, MIN_SHARE * total)]
    return [to_regex(shape) for shape in chosen[:MAX_PATTERNS]]


def propose_deny(allow: list[str], others: list[str]) -> list[str]:
    """Path prefixes of known non-article pages (sections, tags, authors) that the allow patterns would take."""
    compiled = [re.compile(pattern) for pattern in allow]
    prefixes: Counter[str] = Counter()
    for url in others:
        if any(p.search(url) for p in compiled):
            first = next((s for s in urlsplit(url).path.split("/") if s), "")
            if first:
                prefixes["/" + re.escape(first) + "/"] += 1
    return sorted(prefixes)


def coverage(patterns: list[str], urls: list[str]) -> int:
    compiled = [re.compile(pattern) for pattern in patterns]
    return sum(1 for url in urls if any(p.search(url) for p in compiled))
