"""Images of the article with captions and credits, from figures, meta tags and JSON-LD."""

from __future__ import annotations

import re
from typing import Any

from lxml.html import HtmlElement

from .article import Image
from .document import Page
from .jsonld import resolve, text_of

_CREDIT_WORDS = (
    r"photo(?:graph)?s?|image|picture|pic|credit|credits|source|illustration|graphic|art|video|"
    r"foto(?:s|grafie)?|bild(?:er)?|quelle|fuente|crédito|crédit|créditos|immagine|zdjęcie|kuva|"
    r"copyright|©"
)
# "(Image: Roscosmos)", "Photo: X/Getty", "Foto: X", "Credit: X" at the end of a caption.
_LABELLED = re.compile(
    rf"[\(\[]?\s*(?:{_CREDIT_WORDS})\s*(?:by|:|-|–)\s*(?P<credit>[^()\[\]]+?)\s*[\)\]]?\s*\.?\s*$",
    re.I,
)
_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)\s*(?P<credit>[^()\[\]©]+?)\s*\.?\s*$", re.I)
_ART_BY = re.compile(r"^\s*(?:art|illustration|photos?|graphic)\s+by\s+(?P<credit>.+?)\s*\.?\s*$", re.I)
# "... in Kyiv. (Anadolu Agency/Getty)" or "... Getty Images" style trailers.
_TRAILING_PAREN = re.compile(r"\((?P<credit>[^()]{2,80})\)\s*\.?\s*$")
_AGENCY_TAIL = re.compile(
    r"(?:^|\s|\.)(?P<credit>[\w .'&-]{0,60}/\s?(?:getty(?: images)?|ap|afp|reuters|dpa|epa|"
    r"anp|apa|picture alliance|imago|shutterstock|alamy|pa|aap|ansa|efe|keystone|belga|ritzau|"
    r"nurphoto|sipa|abaca|zuma)[\w .'/-]{0,40})\s*\.?\s*$",
    re.I,
)
_CREDIT_CLASS = re.compile(r"credit|copyright|source|byline|photographer|quelle|autor", re.I)
_CAPTION_CLASS = re.compile(r"caption|legend|description|bildunterschrift", re.I)
MAX_CREDIT_CHARS = 120


def split_caption(caption: str | None) -> tuple[str | None, str | None]:
    """Caption text -> (caption without the credit, credit)."""
    if not caption:
        return None, None
    text = " ".join(caption.split())
    for pattern in (_ART_BY, _LABELLED, _COPYRIGHT, _AGENCY_TAIL):
        match = pattern.search(text)
        if match and _plausible_credit(match.group("credit")):
            rest = text[: match.start()].strip(" -–—|,;") or None
            if pattern is _AGENCY_TAIL and rest:
                rest = rest.rstrip() or None
            return rest, _clean_credit(match.group("credit"))
    match = _TRAILING_PAREN.search(text)
    if match and _looks_like_source(match.group("credit")):
        rest = text[: match.start()].strip(" -–—|,;") or None
        return rest, _clean_credit(match.group("credit"))
    return text or None, None


def _plausible_credit(credit: str) -> bool:
    credit = credit.strip()
    return 1 < len(credit) <= MAX_CREDIT_CHARS and len(credit.split()) <= 12


def _looks_like_source(text: str) -> bool:
    """'(Anadolu Agency/Getty)', '(AP)', '(Jane Doe)' are sources; '(left)' and '(2019)' are not."""
    text = text.strip()
    if not _plausible_credit(text) or text.isdigit() or len(text.split()) > 6:
        return False
    if "/" in text or text.isupper():
        return True
    words = text.split()
    return all(w[:1].isupper() or w.lower() in {"de", "van", "von", "of", "the", "and", "&"} for w in words)


def _clean_credit(credit: str) -> str | None:
    credit = " ".join(credit.split()).strip(" .,;:()[]-–—")
    credit = re.sub(r"^(?:©|\(c\)|copyright)\s*", "", credit, flags=re.I).strip()
    credit = re.sub(r"^(?:by|von|par|por)\s+", "", credit, flags=re.I).strip()
    return credit or None


def figure_images(page: Page, scope: HtmlElement) -> list[Image]:
    """Images inside ``<figure>`` (and picture containers) of the article region."""
    images: list[Image] = []
    for figure in scope.iter("figure"):
        img = next(figure.iter("img"), None)
        src = _img_src(img) if img is not None else None
        url = page.absolute(src)
        if not url:
            continue
        credit_el = _first_with_class(figure, _CREDIT_CLASS)
        credit = _text(credit_el) if credit_el is not None else None
        caption_el = next(figure.iter("figcaption"), None)
        if caption_el is None:
            caption_el = _first_with_class(figure, _CAPTION_CLASS)
        caption_text = _caption_without(caption_el, credit_el) if caption_el is not None else None
        caption, caption_credit = split_caption(caption_text)
        if credit:
            credit = _clean_credit(split_caption(credit)[1] or credit)
        images.append(
            Image(url=url, caption=caption, credit=credit or caption_credit, alt=_alt(img))
        )
    return images


def jsonld_images(page: Page, article: dict | None) -> list[Image]:
    if not article:
        return []
    values = article.get("image")
    values = values if isinstance(values, list) else [values]
    images: list[Image] = []
    for value in values:
        value = resolve(value, page.jsonld)
        image = _jsonld_image(page, value)
        if image:
            images.append(image)
    return images


def _jsonld_image(page: Page, value: Any) -> Image | None:
    if isinstance(value, str):
        url = page.absolute(value)
        return Image(url=url) if url else None
    if not isinstance(value, dict):
        return None
    url = page.absolute(text_of(value.get("url")) or text_of(value.get("contentUrl")))
    if not url:
        return None
    caption, caption_credit = split_caption(text_of(value.get("caption")) or text_of(value.get("description")))
    credit = None
    for key in ("creditText", "copyrightHolder", "creator", "author", "copyrightNotice"):
        credit = _clean_credit(text_of(value.get(key)) or "")
        if credit:
            break
    return Image(url=url, caption=caption, credit=credit or caption_credit)


def meta_image(page: Page) -> Image | None:
    url = page.absolute(page.meta_first("og:image", "og:image:url", "og:image:secure_url", "twitter:image"))
    if not url:
        return None
    return Image(url=url, alt=page.meta_first("og:image:alt", "twitter:image:alt"))


def merge_images(*sources: list[Image]) -> list[Image]:
    """One entry per image URL; later sources fill fields the earlier ones lack."""
    merged: dict[str, Image] = {}
    for source in sources:
        for image in source:
            key = _image_key(image.url)
            known = merged.get(key)
            if known is None:
                merged[key] = image
                continue
            known.caption = known.caption or image.caption
            known.credit = known.credit or image.credit
            known.alt = known.alt or image.alt
    return list(merged.values())


def _image_key(url: str) -> str:
    return url.split("?", 1)[0].split("#", 1)[0].rstrip("/")


def _img_src(img: HtmlElement) -> str | None:
    for attr in ("src", "data-src", "data-original", "data-lazy-src", "data-url"):
        value = img.get(attr)
        if value and not value.startswith("data:"):
            return value
    srcset = img.get("srcset") or img.get("data-srcset")
    if srcset:
        return srcset.split(",")[0].strip().split(" ")[0]
    return None


def _alt(img: HtmlElement | None) -> str | None:
    if img is None:
        return None
    alt = " ".join((img.get("alt") or "").split())
    return alt or None


def _first_with_class(root: HtmlElement, pattern: re.Pattern[str]) -> HtmlElement | None:
    for el in root.iterdescendants():
        if not isinstance(el.tag, str) or el.tag in ("img", "source", "picture"):
            continue
        if pattern.search(el.get("class") or "") or pattern.search(el.get("itemprop") or ""):
            return el
    return None


def _text(el: HtmlElement) -> str | None:
    text = " ".join(" ".join(el.itertext()).split())
    return text or None


def _caption_without(caption_el: HtmlElement, credit_el: HtmlElement | None) -> str | None:
    """Caption text minus a credit element nested inside it."""
    full = _text(caption_el)
    if full is None or credit_el is None or credit_el not in caption_el.iterdescendants():
        return full
    credit_text = _text(credit_el) or ""
    return " ".join(full.replace(credit_text, " ").split()) or None
