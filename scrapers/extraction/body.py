"""The article text: trafilatura on a pruned copy of the page, cleaned of what is not body text."""

from __future__ import annotations

import re
from copy import deepcopy

import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.settings import MANUALLY_CLEANED

from . import rules
from .body_attribution import without_byline, without_captions
from .body_boilerplate import without_boilerplate
from .body_joiners import protect_format_chars, restore_format_chars
from .body_large import plain_body, too_large_for_trafilatura
from .body_lead import with_lead
from .body_split import with_split_blocks
from .body_stories import without_other_stories
from .body_tables import without_layout_tables
from .document import Page
from .jsonld import text_of
from .lexicon import TEASER_LABELS, alternation, words
from .text import first_text, norm, paragraphs, spaceless_key
from .titles import heading_variants

# Below this many characters an extraction is taken to have missed the article.
MIN_BODY_CHARS = 250
# ...or below this share of the text in the article region's <p> elements.
MIN_SHARE_OF_PARAGRAPHS = 0.4
# JSON-LD articleBody replaces the text when it holds at least this share of its paragraphs.
MIN_DECLARED_SHARE = 0.6
# trafilatura's fast mode (no comparison with its fallback extractors) gives the same text at
# two thirds of the cost, except on pages where it keeps only a scrap: below this many
# characters (or the share above) the full run decides. On the 216 dev pages of both benchmarks
# the comparison changed the text only where fast kept under 410 characters (and once for the
# worse, on a full article).
MIN_FAST_BODY_CHARS = 500
# What trafilatura's cleaning deletes with its content before it reads the text, but for the
# elements it looks into first (forms, formulas, figures holding a table).
_DELETED_BY_TRAFILATURA = tuple(tag for tag in MANUALLY_CLEANED if tag not in ("form", "math", "figure"))
# "Read more: <a>Other story</a>": a label, then (mostly) a link.
_TEASER_LABEL = re.compile(rf"^\s*(?:{alternation(TEASER_LABELS)})\s*[:|»>–—-]?\s*", re.I)
_TEASER_START = re.compile(rf"\s*[{re.escape(''.join(sorted({label[0] for label in words(TEASER_LABELS)})))}]", re.I)
MIN_TEASER_LINK_SHARE = 0.6
MAX_TEASER_CHARS = 300
# The headline repeated in the text: among its first paragraphs, under labels of a few words.
HEADLINE_PLACES = 3
MAX_LABEL_WORDS = 4
_NOT_ALNUM = re.compile(r"[\W_]+")
MIN_HEADLINE_KEY = 20  # letters: a headline, not a one-word label that may end any sentence


def extract_body(
    page: Page, ld: dict | None, title: str | None, scope: HtmlElement, byline: str | None = None
) -> str | None:
    """Body text, paragraphs separated by a blank line, without the headline, captions and byline."""
    paragraph_chars = _paragraph_chars(scope)
    source = _trafilatura_input(page.tree)
    back = protect_format_chars(source) if source is not None else {}
    body = _precise_body(page, source, back, paragraph_chars)
    if (
        body is None or len(body) < max(MIN_BODY_CHARS, MIN_SHARE_OF_PARAGRAPHS * paragraph_chars)
    ) and rules.on("body.recall_retry"):
        # Precision mode sometimes keeps only part of the article (or none of a short one):
        # when it returns little next to the page's own paragraphs, recall mode tries again.
        second = _trafilatura(page, source, back, favor_precision=False)
        if (
            second
            and len(second) > len(body or "")
            and _paragraph_count(second) >= _paragraph_count(body)
            and _keeps_text_of(second, body)
        ):
            # ...unless it lost the paragraphs (its last-resort output is the page's text on one
            # line) or dropped some of the first reading's: a retry extends, it does not replace.
            body = second
    descriptions = [page.meta_first("og:description", "description"), text_of(ld.get("description")) if ld else None]
    body = with_lead(body, page.tree, scope, [d for d in descriptions if d])
    body = without_other_stories(with_split_blocks(body, page.tree), page.tree, scope)
    ld_body = paragraphs(text_of(ld.get("articleBody"))) if ld else None
    if ld_body and _fuller_text(ld_body, body) and rules.on("body.jsonld_body"):
        body = ld_body
    body = _without_teasers(_without_headline(body, headline_keys(page, ld, title)), scope)
    body = without_byline(without_captions(body, scope, [d for d in descriptions if d]), byline)
    return without_boilerplate(body, page.tree)


def _fuller_text(declared: str, body: str | None) -> bool:
    """True when JSON-LD ``articleBody`` is the article's text and the extracted body only part of it.

    The declared body replaces the extracted one when that is clearly partial (nothing, or
    less than a paragraph's worth) or when the declared one is much longer and holds most of
    the extracted text: a teaser or summary declared as ``articleBody`` never replaces the text.
    """
    if len(declared) < MIN_BODY_CHARS:
        return False
    if not body or len(body) < MIN_BODY_CHARS:
        return True
    return len(declared) > 2 * len(body) and _keeps_text_of(declared, body, MIN_DECLARED_SHARE)


def _keeps_text_of(second: str, first: str | None, share: float = 0.9) -> bool:
    """True when ``second`` holds ``share`` (by default nearly all) of the paragraphs of ``first``."""
    if not first:
        return True
    flat = spaceless_key(second)
    parts = first.split("\n\n")
    kept = sum(1 for part in parts if spaceless_key(part) in flat)
    return kept >= share * len(parts)


def _paragraph_count(body: str | None) -> int:
    return body.count("\n\n") + 1 if body else 0


def _precise_body(page: Page, source: HtmlElement | None, back: dict[int, str], paragraph_chars: int) -> str | None:
    """Precision mode, fast first; the full run (fallback comparison included) when fast looks partial."""
    body = _trafilatura(page, source, back, favor_precision=True, fast=True)
    if body is None or len(body) < max(MIN_FAST_BODY_CHARS, MIN_SHARE_OF_PARAGRAPHS * paragraph_chars):
        body = _trafilatura(page, source, back, favor_precision=True)
    return body


def _paragraph_chars(scope: HtmlElement) -> int:
    return sum(len(p.text_content()) for p in scope.iter("p"))


def _trafilatura(
    page: Page, source: HtmlElement | None, back: dict[int, str], favor_precision: bool, fast: bool = False
) -> str | None:
    """trafilatura's body, tables included, comments and images left out, format characters put back."""
    if source is None:
        return plain_body(page.tree)  # trafilatura's cost grows with the square of such a page
    document = trafilatura.bare_extraction(
        source,  # trafilatura works on its own copy: one source serves every run
        url=page.url,
        with_metadata=False,
        include_comments=False,
        include_tables=True,
        include_images=False,
        favor_precision=favor_precision,
        fast=fast,
    )
    text = getattr(document, "text", None)  # a Document (a dict only when as_dict=True)
    return paragraphs(restore_format_chars(text, back)) if text else None


def _trafilatura_input(tree: HtmlElement) -> HtmlElement | None:
    """A copy of the page without the elements trafilatura deletes unread (each of its passes
    over the tree is cheaper for it), or None for a page too large for trafilatura."""
    if too_large_for_trafilatura(tree):
        return None
    copy = deepcopy(tree)
    etree.strip_elements(copy, *_DELETED_BY_TRAFILATURA, with_tail=False)
    without_layout_tables(copy)
    return copy


def _without_headline(body: str | None, headlines: set[str]) -> str | None:
    """Drop the headline repeated at the top of the text, and the labels above it.

    The title is a field of its own. A headline and its kicker printed as one paragraph may
    come with any spacing or punctuation between them ("Kicker:Headline", "KickerHeadline"),
    so paragraphs are compared by their letters and digits only. A section label or a date
    line printed above the headline ("World", "Politics") goes with it: the text starts after.
    """
    if not body or not headlines:
        return body
    keys = {letters_key(h): len(h.split()) for h in headlines}
    keys.pop("", None)
    parts = body.split("\n\n")
    while parts:
        at = next((i for i, part in enumerate(parts[:HEADLINE_PLACES]) if _is_headline(part, keys)), None)
        if at is None or any(len(part.split()) > MAX_LABEL_WORDS for part in parts[:at]):
            break
        if not rules.on("body.without_headline"):
            break
        parts = parts[at + 1:]
    return "\n\n".join(parts) or None  # a page with only a headline has no body


def _without_teasers(body: str | None, scope: HtmlElement) -> str | None:
    """Drop "Read more: <link>" paragraphs: a label and a link to another story, not body text."""
    if not body:
        return body
    teasers = {norm(t) for t in _teaser_texts(scope)}
    if not teasers:
        return body
    kept = [part for part in body.split("\n\n") if norm(part) not in teasers]
    if len(kept) == body.count("\n\n") + 1 or not rules.on("body.teasers"):
        return body
    return "\n\n".join(kept) if kept else body


def _teaser_texts(scope: HtmlElement) -> list[str]:
    texts = []
    for el in scope.iter("p", "div", "li", "aside"):
        # the label opens the text (any spacing): its first letter rules out most elements, read
        # without the rest of a container's text
        if not _TEASER_START.match(first_text(el)):
            continue
        raw = el.text_content()
        if not _TEASER_LABEL.match(raw):
            continue
        text = " ".join(raw.split())
        if not text or len(text) > MAX_TEASER_CHARS or not _TEASER_LABEL.match(text):
            continue
        linked = sum(len(" ".join(a.text_content().split())) for a in el.iter("a"))
        if linked >= MIN_TEASER_LINK_SHARE * len(_TEASER_LABEL.sub("", text, count=1)):
            texts.append(text)
    return texts


def headline_keys(page: Page, ld: dict | None, title: str | None) -> set[str]:
    """Normalised forms of every headline the page shows or declares."""
    values = [title, page.meta_first("og:title"), text_of(ld.get("headline")) if ld else None]
    for h1 in page.tree.iter("h1"):
        values += [h1.text_content(), *heading_variants(h1)]
    return {norm(v) for v in values if v and v.strip()}


def _is_headline(part: str, keys: dict[str, int]) -> bool:
    """The paragraph is a headline, or a kicker of a few words followed by one."""
    key = letters_key(part)
    if key in keys:
        return True
    words = len(part.split())
    return any(
        key.endswith(headline) and words - headline_words <= MAX_LABEL_WORDS + 2
        for headline, headline_words in keys.items()
        if len(headline) >= MIN_HEADLINE_KEY
    )


def letters_key(text: str) -> str:
    """Key of a text by its letters and digits only: spacing and punctuation ignored."""
    return _NOT_ALNUM.sub("", norm(text))
