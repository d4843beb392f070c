"""The record's text contract, applied last whatever the page held: clean Unicode, one-line fields, bounded lengths.

Readers clean what they read, but a page can carry anything (controls, lone surrogates, bidi
overrides, a megabyte in a meta tag): this pass makes the promises of ``Article``'s field
docstrings hold for every record, so no consumer has to defend against its input.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from .article import (
    MAX_AUTHOR_CHARS,
    MAX_AUTHORS,
    MAX_BYLINE_CHARS,
    MAX_CAPTION_CHARS,
    MAX_CREDIT_CHARS,
    MAX_DATE_RAW_CHARS,
    MAX_DESCRIPTION_CHARS,
    MAX_SECTION_CHARS,
    MAX_TAG_CHARS,
    MAX_TAGS,
    MAX_TITLE_CHARS,
    Article,
    Image,
)

# C0 and C1 controls (tab and newlines included: a one-line field has none), and the bidi
# embedding, override and isolate controls, which reorder how the text around them displays.
_ONE_LINE_JUNK = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# In multi-line text (the body) newlines and tabs are layout, the other controls are noise.
_TEXT_JUNK = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff]")
_SURROGATES = re.compile("[\ud800-\udfff]")
_URL_TABS_NEWLINES = re.compile(r"[\t\n\r]")
_WHITESPACE = re.compile(r"\s")  # what str.isspace() calls whitespace
# Characters no host name holds (a space read as %20 included).
_BAD_HOST = re.compile(r"[%<>\"{}|\\^`\s]")
ELLIPSIS = "…"
MAX_HOST_CHARS = 253
MAX_HOST_LABEL_CHARS = 63


def one_line(text: str | None, max_chars: int) -> str | None:
    """``text`` on one line: no control or bidi-control characters, at most ``max_chars`` long.

    Controls become spaces (a tab or newline separated words), bidi controls go, a lone
    surrogate becomes U+FFFD; a longer text is cut at a word boundary and ends with "…".
    """
    if not text:
        return None
    if _ONE_LINE_JUNK.search(text):
        text = _BIDI_CONTROLS.sub("", _SURROGATES.sub("\ufffd", text))
        text = _ONE_LINE_JUNK.sub(" ", text)
    text = " ".join(text.split())
    if len(text) > max_chars:
        cut = text[: max_chars - len(ELLIPSIS)]
        space = cut.rfind(" ")
        if space > max_chars // 2:  # a word boundary not too far back; else cut inside the word
            cut = cut[:space]
        text = cut.rstrip() + ELLIPSIS
    return text or None


def multi_line(text: str | None) -> str | None:
    """``text`` with its line structure kept, without control characters or lone surrogates."""
    if not text:
        return None
    if _TEXT_JUNK.search(text):
        text = _TEXT_JUNK.sub(lambda m: "\ufffd" if _SURROGATES.match(m.group()) else "", text)
    return text.strip() or None


def valid_url(url: str | None) -> str | None:
    """``url`` when it is a usable link (parseable, a valid port and host name, no controls), else None.

    Whitespace is read as a browser reads it: tabs and newlines inside a URL dropped, spaces encoded.
    A ``user:pass@`` is dropped: a page's markup may hold credentials, and records are shared.
    """
    if not url:
        return None
    url = url.strip()
    url = _URL_TABS_NEWLINES.sub("", url).replace(" ", "%20")
    if not url or _ONE_LINE_JUNK.search(url) or _WHITESPACE.search(url):
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError:
        return None
    if parts.scheme and (parts.scheme not in ("http", "https") or not parts.hostname):
        return None
    host = parts.hostname or ""
    if _BAD_HOST.search(host):
        return None
    if len(host) > MAX_HOST_CHARS or any(len(label) > MAX_HOST_LABEL_CHARS for label in host.split(".")):
        return None  # no such host can exist (RFC 1035), and IDNA encoders refuse it
    if "@" in parts.netloc:
        url = urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))
    return url


def clean_record(article: Article) -> Article:
    """The article with every text field held to its contract (see ``Article``), in place."""
    article.title = one_line(article.title, MAX_TITLE_CHARS)
    article.description = one_line(article.description, MAX_DESCRIPTION_CHARS)
    article.standfirst = one_line(article.standfirst, MAX_DESCRIPTION_CHARS)
    article.byline_raw = one_line(article.byline_raw, MAX_BYLINE_CHARS)
    article.authors = _one_line_list(article.authors, MAX_AUTHOR_CHARS, MAX_AUTHORS)
    article.date_published_raw = one_line(article.date_published_raw, MAX_DATE_RAW_CHARS)
    article.section = one_line(article.section, MAX_SECTION_CHARS)
    article.tags = _one_line_list(article.tags, MAX_TAG_CHARS, MAX_TAGS)
    article.body = multi_line(article.body)
    article.canonical_url = valid_url(article.canonical_url)
    article.images = [image for image in map(_clean_image, article.images) if image is not None]
    for name in ("date_published", "date_modified", "language", "site"):
        value = getattr(article, name)
        if value is not None:
            setattr(article, name, one_line(value, MAX_DATE_RAW_CHARS))
    return article


def _clean_image(image: Image) -> Image | None:
    url = valid_url(image.url)
    if url is None:
        return None
    return Image(
        url=url,
        caption=one_line(image.caption, MAX_CAPTION_CHARS),
        credit=one_line(image.credit, MAX_CREDIT_CHARS),
        alt=one_line(image.alt, MAX_CAPTION_CHARS),
    )


def _one_line_list(values: list[str], max_chars: int, max_items: int) -> list[str]:
    cleaned: list[str] = []
    for value in values:
        text = one_line(value, max_chars) if isinstance(value, str) else None
        if text and text not in cleaned:
            cleaned.append(text)
            if len(cleaned) == max_items:
                break
    return cleaned
