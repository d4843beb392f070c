"""Small text helpers shared by the field readers."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator

from lxml.html import HtmlElement

# Metadata strings are sometimes HTML-escaped twice by the CMS ("O&#8217;Neill&#8217;s").
_ENTITY = re.compile(r"&(?:#\d{2,6}|#x[0-9a-f]{2,5}|[a-z]{2,8});", re.I)
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([:,.!?;])")
# Format characters (Unicode category Cf, so not "printable" to Python) that are part of the text
# of a writing system: ZWNJ and ZWJ shape Persian, Arabic and Indic words ("می‌خواهم"), directional
# marks place punctuation in right-to-left text, the rest are number signs, joiners and emoji tags.
# Normalisation never deletes these.
WRITING_SYSTEM_FORMAT_CHARS = frozenset(
    "\u200c\u200d\u200e\u200f\u061c\u2060\u180e\u06dd\u070f\u08e2\U000110bd\U000110cd"
    + "".join(map(chr, range(0x600, 0x606)))
    + "".join(map(chr, range(0x13430, 0x13440)))
    + "".join(map(chr, range(0x1BCA0, 0x1BCA4)))
    + "".join(map(chr, range(0xE0020, 0xE0080)))
)
# Elements a reader never wants the text of.
_SKIP_TEXT = frozenset({"script", "style", "noscript", "template", "svg"})


def clean(text: str | None) -> str | None:
    """Whitespace collapsed, NFC, left-over HTML entities decoded; None when empty."""
    if not text:
        return None
    if "&" in text and _ENTITY.search(text):
        text = html.unescape(text)
    text = unicodedata.normalize("NFC", " ".join(text.replace("\u00ad", "").split()))
    return text or None


def norm(text: str) -> str:
    """Key for comparing two texts: case, width, quote style and spacing ignored."""
    if not text.isascii():  # ASCII is its own NFKC form and holds no curly quote or soft hyphen
        text = unicodedata.normalize("NFKC", text).translate(_QUOTES).replace("\u00ad", "")
    return _SPACE_BEFORE_PUNCT.sub(r"\1", " ".join(text.casefold().split()))


def element_text(el: HtmlElement, joiner: str = " ") -> str | None:
    """Visible-ish text of an element, without scripts, styles and templates.

    Text pieces are joined with a space by default (blocks stay apart); ``joiner=""`` keeps
    inline markup from splitting words ("<b>W</b>ord") where the text is compared as written.
    """
    parts: list[str] = []
    _collect(el, parts)
    return clean(joiner.join(parts))


def _collect(el: HtmlElement, parts: list[str]) -> None:
    if el.text:
        parts.append(el.text)
    for child in el:
        if isinstance(child.tag, str) and child.tag not in _SKIP_TEXT:
            _collect(child, parts)
        if child.tail:
            parts.append(child.tail)


def cheap_key(text: str) -> str:
    """Comparison key where many texts are compared (every <p>, every link): case and spacing
    ignored, without the unicode work of ``norm``."""
    return " ".join(text.split()).casefold()


def spaceless_key(text: str) -> str:
    """``cheap_key`` without any spaces: the same text split differently still matches."""
    return "".join(text.split()).casefold()


_OUTERMOST = frozenset({"article", "main", "body"})


def region_around(el: HtmlElement, levels: int) -> HtmlElement:
    """The ancestor ``levels`` up from ``el``, going no higher than its article, main or body."""
    region = el
    for _ in range(levels):
        parent = region.getparent()
        if parent is None or region.tag in _OUTERMOST:
            break
        region = parent
    return region


def first_text(el: HtmlElement) -> str:
    """The first piece of an element's text that is not only spaces ("" when it has none).

    What its text starts with, found without reading on: on a container, usually a few steps down
    its first children.
    """
    text = el.text
    if text and not text.isspace():
        return text
    for child in el:
        if isinstance(child.tag, str):
            text = first_text(child)
            if text:
                return text
        text = child.tail
        if text and not text.isspace():
            return text
    return ""


def leading_text(el: HtmlElement, letters: int) -> str:
    """The start of an element's text with at least ``letters`` non-space characters, read no further.

    Cheap on a large container: a rule that looks at how a text begins need not read it all.
    """
    parts: list[str] = []
    count = 0
    for piece in el.itertext():
        parts.append(piece)
        count += len("".join(piece.split()))
        if count >= letters:
            break
    return "".join(parts)


def iter_elements(root: HtmlElement, skip: frozenset[str]) -> Iterator[HtmlElement]:
    """Descendants of ``root`` in document order, not entering elements whose tag is in ``skip``."""
    stack = list(reversed(root))
    while stack:
        el = stack.pop()
        tag = el.tag
        if not isinstance(tag, str) or tag in skip:
            continue
        yield el
        if len(el):
            stack.extend(reversed(el))


_MARKER_NAMES = frozenset({"class", "id", "itemprop", "rel", "role"})


def marker(el: HtmlElement) -> str:
    """Class, id, itemprop, rel and data-* names and values: what templates name things by."""
    items = el.items()
    if not items:
        return ""
    bits = []
    for key, value in items:
        if key in _MARKER_NAMES:
            if value and len(value) < 300:
                bits.append(value)
        elif key[:5] == "data-":
            # data-* names and one-word values ("data-role=kicker"); long values are content.
            bits.append(key)
            if value and len(value) < 40 and " " not in value:
                bits.append(value)
    return " ".join(bits)


def paragraphs(text: str | None) -> str | None:
    """Plain text with one blank line between paragraphs."""
    if not text:
        return None
    lines = [unicodedata.normalize("NFC", " ".join(line.split())) for line in text.splitlines()]
    body = "\n\n".join(line for line in lines if line)
    return body or None


# Letters of scripts written without spaces between words: Han (Chinese, Japanese kanji), kana, Thai,
# Lao, Khmer and Myanmar. Whitespace does not separate their words, so they are counted by characters.
_UNSPACED_LETTERS = re.compile(
    "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"  # Han
    "\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f"  # hiragana, katakana, half-width katakana
    "\u0e00-\u0e7f\u0e80-\u0eff\u1780-\u17ff\u19e0-\u19ff\u1000-\u109f\uaa60-\uaa7f\ua9e0-\ua9ff]"  # Thai ... Myanmar
)
# Their punctuation ("。", "、", "「」", full-width "！"): separates, counts for nothing.
_UNSPACED_PUNCTUATION = re.compile("[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]")
# Characters of a script without spaces that count as one word: about one Chinese word, half a
# Japanese or Thai one, so a threshold of 50 words asks for 100 such characters.
CHARS_PER_WORD_UNIT = 2


def word_units(text: str | None, enough: int | None = None) -> int:
    """Length of a text in words, the same measure in every language.

    Whitespace-separated words for scripts that separate words with spaces; for Chinese, Japanese,
    Thai, Lao, Khmer and Myanmar, one unit per ``CHARS_PER_WORD_UNIT`` letters. A mixed text adds the two.
    With ``enough`` (a threshold, at least 1), a spaced text is counted only up to it: a caller
    comparing a body with a minimum gets the same answer without splitting the whole body.
    """
    if not text:
        return 0
    if text.isascii() or not _UNSPACED_LETTERS.search(text):
        if enough is None:
            return len(text.split())
        return min(len(text.split(None, enough)), enough)
    unspaced = len(_UNSPACED_LETTERS.findall(text))
    rest = _UNSPACED_PUNCTUATION.sub(" ", _UNSPACED_LETTERS.sub(" ", text))
    return len(rest.split()) + unspaced // CHARS_PER_WORD_UNIT
