"""Validate records against the shipped JSON Schema; refuse pages that are not articles."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any

import fastjsonschema
from itemadapter import ItemAdapter
from jsonschema import Draft202012Validator
from scrapy.crawler import Crawler

from scrapers.extraction.schema import load_schema, schema_errors
from scrapers.extraction.text import CHARS_PER_WORD_UNIT, word_units
from scrapers.jobs.drops import RecordDropped


class ValidatePipeline:
    """Drops records that are no article or break the schema.

    ``min_body_words`` is a length in words that means the same in every language: whitespace-separated
    words, or ``CHARS_PER_WORD_UNIT`` (2) characters of a script written without spaces (Chinese,
    Japanese, Thai...) per word. 50 is 50 words, or 100 such characters.
    """

    def __init__(self, min_body_words: int) -> None:
        self.min_body_words = min_body_words

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(min_body_words=crawler.settings.getint("VALIDATE_MIN_BODY_WORDS"))

    @cached_property
    def check(self) -> Callable[[dict[str, Any]], Any]:
        """The schema compiled to Python: fast enough for every record (jsonschema is ~20x slower)."""
        return fastjsonschema.compile(load_schema(), use_default=False)  # never writes into the record

    @cached_property
    def validator(self) -> Draft202012Validator:
        """Used only for a record that fails, to name every violation."""
        schema = load_schema()
        return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)

    def process_item(self, item: Any) -> Any:
        # a dict is read as it is; asdict() would deep-copy every record first
        record = item if isinstance(item, dict) else ItemAdapter(item).asdict()
        words = word_units(record.get("body"))
        if not record.get("title") and words == 0:
            raise RecordDropped("validate", "not_article", "no title and no body")
        if words < self.min_body_words:
            raise RecordDropped(
                "validate", "not_article",
                f"body has {words} words (< {self.min_body_words}; {CHARS_PER_WORD_UNIT} characters of a script "
                "without spaces count as one)",
            )
        try:
            self.check(record)
        except fastjsonschema.JsonSchemaException as err:
            errors = schema_errors(record, self.validator) or [str(err)]
            raise RecordDropped("validate", "schema_violation", "; ".join(errors[:5])) from None
        return item
