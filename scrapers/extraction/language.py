"""The article's language: what the page declares, else detected from its text when there is enough of it."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

# Below this many letters (spaces not counted) a detector guesses more than it knows.
MIN_DETECT_CHARS = 120
# The detector reads no more than this: the start of an article says its language, and time grows with length.
MAX_DETECT_CHARS = 3000
# Normalised probability of the best language below which the text is taken as undecided.
MIN_CONFIDENCE = 0.9
_CODE = re.compile(r"[a-z]{2,3}")


def declared_language(value: str | None) -> str | None:
    """The primary subtag of a declared language ("pt-BR" -> "pt"), None unless it looks like an ISO 639 code."""
    if not value:
        return None
    primary = re.split(r"[-_]", value.strip())[0].lower()
    return primary if _CODE.fullmatch(primary) else None


def detect_language(text: str | None) -> str | None:
    """ISO 639 code of the language ``text`` is written in, None when it is too short or unclear.

    py3langid ships its model inside the package (offline, about 0.5 s to load once per process,
    then well under a millisecond a page): loaded only when a page declares no language.
    """
    if not text:
        return None
    sample = text[:MAX_DETECT_CHARS]
    if len("".join(sample.split())) < MIN_DETECT_CHARS:
        return None
    language, confidence = _identifier().classify(sample)
    return language if confidence >= MIN_CONFIDENCE and _CODE.fullmatch(language) else None


@functools.cache
def _identifier() -> LanguageIdentifier:
    # the model is read-only once loaded: one per process is shared state that never needs resetting
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
