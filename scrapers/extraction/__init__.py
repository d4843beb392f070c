"""Article extraction: a plain function of (HTML, URL), independent of Scrapy."""

from .article import SCHEMA_VERSION, Article, ExtractionError, Image
from .core import extract_article
from .selectors import SiteSelectors

__all__ = ["SCHEMA_VERSION", "Article", "ExtractionError", "Image", "SiteSelectors", "extract_article"]
