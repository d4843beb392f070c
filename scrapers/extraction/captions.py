"""Caption text: telling the credit ("Photo: X", "X/Getty", "© X", "(X)") from the caption."""

from __future__ import annotations

import re

from . import rules
from .lexicon import (
    ART_CREDIT_WORDS,
    CREDIT_BY,
    CREDIT_LABELS,
    CREDIT_SEPARATORS,
    CREDIT_SUFFIXES,
    NAME_PARTICLES,
    PHOTO_CREDIT_WORDS,
    PICTURE_AGENCIES,
    RIGHTS_RESERVED,
    alternation,
    words,
)

_CREDIT_WORDS = alternation(CREDIT_LABELS)
_SEPARATOR = rf"[{CREDIT_SEPARATORS}]"
_BY = alternation(CREDIT_BY)
# "(Image: Kestrel Space Agency)", "Photo: X/Getty", "Foto: X", "사진=X", "Credit: X" at the end of a caption.
_LABELLED = re.compile(
    rf"[\(\[（]?\s*(?:{_CREDIT_WORDS})\s*(?:by\s|{_SEPARATOR}|-\s|–\s)\s*(?P<credit>[^()\[\]（）]+?)\s*[\)\]）]?\s*\.?\s*$",
    re.I,
)
_COPYRIGHT = re.compile(r"(?:©|\(c\)|（[cｃＣC]）|copyright)\s*(?P<credit>[^()\[\]©（）]+?)\s*\.?\s*$", re.I)
_ART_BY = re.compile(
    rf"^\s*(?:{alternation(ART_CREDIT_WORDS, PHOTO_CREDIT_WORDS)})\s+(?:{_BY})\s+(?P<credit>.+?)\s*\.?\s*$", re.I
)
# "（新华社记者 张三 摄）": the photographer, then the word for "photographed", in brackets.
_PHOTOGRAPHED = re.compile(
    rf"[\(（](?P<credit>[^()（）]{{1,60}}?)\s*(?:{alternation(CREDIT_SUFFIXES)})\s*[\)）]\s*[。.]?\s*$"
)
# "... at the quay. (Harbour Agency/Getty)" or "... Getty Images" style trailers.
_TRAILING_PAREN = re.compile(r"[\(（](?P<credit>[^()（）]{2,80})[\)）]\s*\.?\s*$")
_AGENCIES = alternation(PICTURE_AGENCIES)
_AGENCY_TAIL = re.compile(
    rf"(?:^|\s|\.)(?P<credit>[\w .'&-]{{0,60}}/\s?(?:{_AGENCIES})\b[\w .'/-]{{0,40}})\s*\.?\s*$",
    re.I,
)
# ... and "EFE/Ana Ruiz": the agency first.
_AGENCY_HEAD = re.compile(rf"(?:^|\s|\.)(?P<credit>(?:{_AGENCIES})\s?/\s?[\w .'/-]{{1,60}})\s*\.?\s*$", re.I)
_SENTENCE_BREAK = re.compile(r"\.\s+|\s+[-–—]\s+")
_LOWER_PARTICLES = frozenset(words(NAME_PARTICLES))
_LEADING_LABELS = re.compile(rf"^(?:(?:{_CREDIT_WORDS})\s*{_SEPARATOR}\s*)+", re.I)
_LEADING_BY = re.compile(rf"^(?:{_BY})\s+", re.I)
_RIGHTS_RESERVED = re.compile(alternation(RIGHTS_RESERVED), re.I)
_CREDIT_PARTS = re.compile(r"\s*[/|]\s*")
_NOTICE_START = re.compile(r"(?:©|\(c\)|copyright|\d{4}\b)", re.I)
MAX_CREDIT_CHARS = 120


def split_caption(caption: str | None) -> tuple[str | None, str | None]:
    """Caption text -> (caption without the credit, credit)."""
    if not caption:
        return None, None
    text = " ".join(caption.split())
    for pattern in (_ART_BY, _LABELLED, _PHOTOGRAPHED, _COPYRIGHT, _AGENCY_TAIL, _AGENCY_HEAD):
        match = pattern.search(text)
        if match and plausible_credit(match.group("credit")):
            credit = match.group("credit")
            start = match.start()
            if pattern is _AGENCY_TAIL or pattern is _AGENCY_HEAD:
                # "Greta van der Molen. Jane Doe/dpa": the credit is the last sentence.
                cuts = [m.end() for m in _SENTENCE_BREAK.finditer(credit)]
                if cuts:
                    start, credit = match.start("credit") + cuts[-1], credit[cuts[-1]:]
            if pattern is _COPYRIGHT and text[:start].rstrip().endswith(("/", "|")) and is_rights_notice(credit):
                # "Jane Doe/Copyright 2024 Agency. All rights reserved": the name before the notice credits.
                head = text[:start]
                cuts = [m.end() for m in _SENTENCE_BREAK.finditer(head)]
                start = cuts[-1] if cuts else 0
                credit = text[start:]
            rest = text[:start].strip(" -–—|,;") or None
            return rest, clean_credit(credit)
    match = _TRAILING_PAREN.search(text)
    if match and looks_like_source(match.group("credit")):
        rest = text[: match.start()].strip(" -–—|,;") or None
        return rest, clean_credit(match.group("credit"))
    return text or None, None


def credit_of(text: str | None) -> str | None:
    """The text of a credit element: its label and copyright sign removed, nothing else."""
    if not text:
        return None
    for pattern in (_ART_BY, _LABELLED, _COPYRIGHT):
        match = pattern.search(text)
        if match and match.start() == 0 and plausible_credit(match.group("credit")):
            return clean_credit(match.group("credit"))
    return clean_credit(text)


def is_rights_notice(text: str) -> bool:
    """'© 2024 Example News. All rights reserved.': the site's copyright line, not a credit."""
    return bool(_RIGHTS_RESERVED.search(text))


def plausible_credit(credit: str) -> bool:
    credit = credit.strip()
    return 1 < len(credit) <= MAX_CREDIT_CHARS and len(credit.split()) <= 12


def looks_like_source(text: str) -> bool:
    """'(Harbour Agency/Getty)', '(AP)', '(Jane Doe)' are sources; '(left)' and '(2019)' are not."""
    text = text.strip()
    if not plausible_credit(text) or text.isdigit() or len(text.split()) > 6:
        return False
    if "/" in text or text.isupper():
        return True
    words = text.split()
    return all(w[:1].isupper() or w.lower() in _LOWER_PARTICLES for w in words)


def clean_credit(credit: str | None) -> str | None:
    """A credit without its label, copyright sign and surrounding punctuation."""
    if not credit:
        return None
    credit = _strip_edges(" ".join(credit.split()))
    credit = _without_rights_notice(credit)
    credit = _LEADING_LABELS.sub("", credit).strip()
    credit = re.sub(r"^(?:©|\(c\)|（[cｃＣC]）|copyright)\s*", "", credit, flags=re.I).strip()
    credit = _strip_edges(_LEADING_BY.sub("", credit))
    return credit or None


def _without_rights_notice(credit: str) -> str:
    """'Jane Doe/Copyright 2024 Example Agency. All rights reserved': the photographer, not the notice.

    A site appends its copyright notice to the credit field; the notice is a part of its own
    (after a slash or bar), and only the other parts credit the picture.
    """
    parts = [part.strip() for part in _CREDIT_PARTS.split(credit)]
    kept = [part for part in parts if part and not (_NOTICE_START.match(part) and is_rights_notice(part))]
    if kept and len(kept) < len(parts) and rules.on("credit.rights_notice_part"):
        return "/".join(kept)
    return credit


def _strip_edges(text: str) -> str:
    """Trim punctuation, and brackets only when they do not pair up ('Jane Doe (AP)' keeps its)."""
    text = text.strip(" .,;:-–—")
    if text and text[0] in "([（" and _closing_of(text, 0) == len(text) - 1:
        text = text[1:-1].strip(" .,;:-–—")  # "(Jane Doe / AP)": the whole credit in brackets
    while text and (
        (text[0] in "([（" and text.count(text[0]) > text.count({"(": ")", "[": "]", "（": "）"}[text[0]]))
        or (text[-1] in ")]）" and text.count(text[-1]) > text.count({")": "(", "]": "[", "）": "（"}[text[-1]]))
    ):
        text = (text[1:] if text[0] in "([（" else text[:-1]).strip(" .,;:-–—")
    return text


def _closing_of(text: str, start: int) -> int | None:
    """Index of the bracket closing the one at ``start``."""
    opening = text[start]
    closing = {"(": ")", "[": "]", "（": "）"}[opening]
    depth = 0
    for index in range(start, len(text)):
        if text[index] == opening:
            depth += 1
        elif text[index] == closing:
            depth -= 1
            if depth == 0:
                return index
    return None
