"""Images of the article with captions and credits, from the page, meta tags and JSON-LD."""

from __future__ import annotations

import re
from typing import Any

from lxml.html import HtmlElement

from .article import Image
from .body_attribution import CAPTION_MARKER
from .captions import MAX_CREDIT_CHARS, clean_credit, credit_of, is_rights_notice, looks_like_source, split_caption
from .document import Page
from .jsonld import resolve, text_of
from .lexicon import CREDIT_LABELS, CREDIT_SEPARATORS, alternation
from .text import iter_elements, marker

# Elements that hold an image's credit or caption, by what templates call them.
_CREDIT_MARKER = re.compile(
    r"credit|copyright|(?<![a-z])source(?!s?-?set)|photographer|fotograf|bildrechte|bildquelle|"
    r"(?<![a-z])quelle|urheber|rights|attribution",
    re.I,
)
_CAPTION_MARKER = CAPTION_MARKER
_ANNOTATION = re.compile(f"{_CREDIT_MARKER.pattern}|{_CAPTION_MARKER.pattern}", re.I)
# Every _ANNOTATION match contains one of these (lower case): a test several times cheaper
# that rules out almost every element before the exact one runs.
_ANNOTATION_HINT = re.compile(
    r"credit|copyright|source|photographer|fotograf|bildrechte|quelle|urheber|rights|attribution|"
    r"caption|legend|bildunterschrift|desc|media-?info"
)
_NOT_ENTERED = frozenset({"script", "style", "noscript", "template", "svg", "footer", "nav", "aside"})
# A short line that is nothing but a labelled credit: "Foto: Jane Doe", "Photo: AP", "사진=X".
_CREDIT_LINE = re.compile(rf"^\s*[(\[]?\s*(?:{alternation(CREDIT_LABELS)})\s*[{CREDIT_SEPARATORS}]\s*\S", re.I)
_SEPARATOR = re.compile(f"[{re.escape(CREDIT_SEPARATORS)}]")
_NOT_CONTENT = frozenset({"script", "style", "noscript", "template", "svg", "img", "source", "picture", "button"})
MAX_CONTAINER_DEPTH = 4
MAX_UNMARKED_CREDIT_WORDS = 8

def article_images(page: Page, scope: HtmlElement) -> list[Image]:
    """Images of the article region with their captions and credits.

    Each caption or credit element is tied to the nearest enclosing element that holds
    an image: a <figure>, or the wrapper <div> that templates use instead.
    """
    containers: dict[HtmlElement, None] = {}
    headline = page.tree.find(".//h1")
    for figure in scope.iter("figure"):
        containers[figure] = None
    # Footers, menus and asides are not entered: their logos and copyright lines are not the article's.
    for el in iter_elements(scope, _NOT_ENTERED):
        # One cheap test first: most elements are neither captions nor credits.
        tag = el.tag
        if tag in _NOT_CONTENT or (
            tag != "figcaption" and not _is_annotated(el) and not (el.text and _is_credit_line(el.text))
        ):
            continue
        if el.tag == "figcaption" or _is_caption(el) or _is_credit(el):
            container = _image_container(el, headline)
            if container is not None:
                containers[container] = None
    images: list[Image] = []
    for container in containers:
        image = _container_image(page, container)
        if image is not None:
            images.append(image)
    return images


def _is_annotated(el: HtmlElement) -> bool:
    names = marker(el)
    return bool(names) and _ANNOTATION_HINT.search(names.lower()) is not None and _ANNOTATION.search(names) is not None


def _image_container(el: HtmlElement, headline: HtmlElement | None) -> HtmlElement | None:
    for depth, node in enumerate(el.iterancestors()):
        if depth >= MAX_CONTAINER_DEPTH or node.tag in ("article", "main", "body"):
            return None
        if headline is not None and headline in node.iterdescendants("h1"):
            return None  # the article's header: its attribution line names the writer, not a photographer
        if node.tag == "figure" or _first_img(node) is not None:
            return node
    return None


def _container_image(page: Page, container: HtmlElement) -> Image | None:
    img = _first_img(container)
    url = page.absolute(_img_src(img)) if img is not None else None
    if not url:
        return None
    credit_el = caption_el = None
    credit = None
    for el in container.iterdescendants():
        if not isinstance(el.tag, str) or el.tag in _NOT_CONTENT:
            continue
        if credit_el is None and (_is_credit(el) or (el.tag == "cite" and _in_caption(el, container))):
            # A bare "Copyright" label element is not the credit; the element after it is.
            credit = credit_of(_text(el))
            credit_el = el if credit else None
        if caption_el is None and (el.tag == "figcaption" or _is_caption(el)):
            caption_el = el
    if credit_el is None and caption_el is not None:
        credit_el = _unmarked_credit(caption_el)
        credit = credit_of(_text(credit_el)) if credit_el is not None else None
    caption_text = _caption_without(caption_el, credit_el) if caption_el is not None else None
    caption, caption_credit = split_caption(caption_text)
    return Image(url=url, caption=caption, credit=credit or caption_credit, alt=_alt(img))


def _unmarked_credit(caption_el: HtmlElement) -> HtmlElement | None:
    """The last part of a caption built of parts, when it reads as a source:
    <figcaption><span>Fans in the stands.</span><span>Getty Images</span></figcaption>.
    """
    parts = [child for child in caption_el if isinstance(child.tag, str) and _text(child)]
    if len(parts) < 2 or len(parts[-1]) or (caption_el.text or "").strip():
        return None
    last, before = _text(parts[-1]) or "", _text(parts[-2]) or ""
    if len(last) < len(before) and len(last.split()) <= MAX_UNMARKED_CREDIT_WORDS and looks_like_source(last):
        return parts[-1]
    return None


def _in_caption(el: HtmlElement, container: HtmlElement) -> bool:
    for node in el.iterancestors():
        if node is container:
            return False
        if node.tag == "figcaption" or _is_caption(node):
            return True
    return False


def _is_credit(el: HtmlElement) -> bool:
    if _CREDIT_MARKER.search(marker(el)) or (len(el) <= 2 and _is_credit_line(el.text)):
        text = _text(el) or ""
        # "© 2025 Example News. All rights reserved.": the site's line, not the image's.
        return bool(text) and len(text) <= MAX_CREDIT_CHARS and not is_rights_notice(text)
    return False


def _is_credit_line(text: str | None) -> bool:
    # The length and separator tests are cheap and rule out almost every text node.
    if not text or len(text) > 2 * MAX_CREDIT_CHARS:
        return False
    return _SEPARATOR.search(text) is not None and _CREDIT_LINE.match(text) is not None


def _is_caption(el: HtmlElement) -> bool:
    return bool(_CAPTION_MARKER.search(marker(el)))


def _first_img(root: HtmlElement) -> HtmlElement | None:
    for img in root.iter("img"):
        if _img_src(img):
            return img
    return None


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
        credit = clean_credit(text_of(value.get(key)))
        if credit:
            break
    return Image(url=url, caption=caption, credit=credit or caption_credit)


def meta_image(page: Page) -> Image | None:
    url = page.absolute(page.meta_first("og:image", "og:image:url", "og:image:secure_url", "twitter:image"))
    if not url:
        return None
    alt = " ".join((page.meta_first("og:image:alt", "twitter:image:alt") or "").split())
    return Image(url=url, alt=alt or None)


def fill_alt_texts(images: list[Image], page: Page, scope: HtmlElement) -> None:
    """Give images known from meta tags or JSON-LD the alt text of their <img> in the article."""
    missing = {_image_key(image.url): image for image in images if not image.alt}
    if not missing:
        return
    # Joining every <img>'s link to the page URL is the cost here: a link whose file name no
    # missing image has is skipped unjoined.
    names = {_file_name(key) for key in missing}
    for img in scope.iter("img"):
        src = _img_src(img)
        if not src or _file_name(_image_key(src.strip())) not in names:
            continue
        url = page.absolute(src)
        image = missing.get(_image_key(url)) if url else None
        if image is not None and not image.alt:
            image.alt = _alt(img)


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


def _file_name(key: str) -> str:
    return key.rsplit("/", 1)[-1]


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
