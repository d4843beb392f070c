"""Article extraction: a plain function of (HTML, URL), independent of Scrapy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .article import SCHEMA_VERSION, Article, ExtractionError, Image
from .selectors import SiteSelectors

if TYPE_CHECKING:
    from .core import extract_article

__all__ = ["SCHEMA_VERSION", "Article", "ExtractionError", "Image", "SiteSelectors", "extract_article"]


def __getattr__(name: str) -> Any:
    # extract_article brings trafilatura, dateparser and the language detector (about a second of start-up):
    # imported on first use, so a crawler whose worker processes extract never loads them
    if name == "extract_article":
        from .core import extract_article

        return extract_article
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
