"""Named switches for the extraction rules, all on unless a caller turns some off.

Each heuristic that decides between readings of a page (a title source, a body repair, a
kind of furniture dropped) asks ``on(name)`` where it would act. Normal runs never change
anything here: every rule is on. ``benchmarks/generalisation.py`` turns rules off one at a
time inside ``switched_off(...)`` and records which rules a page reached with ``traced()``,
so each rule is scored per publisher with and without it. The state is a context variable
set only inside those context managers: nothing leaks into other runs or threads.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# name -> what the rule does (the README of the generalisation check lists them).
RULES: dict[str, str] = {
    "title.declared_over_h1": "JSON-LD headline and og:title agree on a headline no h1 shows: take it",
    "title.shortened_og": "og:title is the h1 with words left out: take og:title",
    "title.headline_element": "no usable h1: itemprop=headline or a titled h2 stands in",
    "title.label_heading": "a one-word heading (a section label) yields to the declared headline",
    "title.declared_variant": "of a heading's variants (with/without kicker) take the one a declared title equals",
    "title.kicker_separator": "a kicker joined to the headline gets the separator the declared title shows",
    "title.split_heading": "a heading split in parts: the part(s) the declared title shows, not the last",
    "title.stands_for": "a heading that a declared title contains before a separator or at its end",
    "title.h1_over_declared": "an h1 that reads as a headline wins over a declared title it does not match",
    "title.fullwidth_colon": "a full-width colon before the site's name, or after the heading, separates the site",
    "title.site_domain": "'Example.com' after a separator is the site named 'Example' (and the other way)",
    "title.section_after_site": "'Headline_Section_Site': a one- or two-word part before the site's name goes too",
    "title.ld_description": "a JSON-LD headline that is the description (prose equal to it, long sentences): ignored",
    "title.guess_site_suffix": "strip a short last part of <title> as a site name",
    "author.byline_dates": "drop dates, times and counters in a byline ('Jane Doe - Aug 10, 2016 8:02pm', 'Views (9)')",
    "author.last_first": "'Doe, Jane' is one person written surname first",
    "author.account_links": "a byline-marked menu of account links ('Sign in | Sign up') names nobody",
    "author.label_inside": "'Section, by Jane Doe': what precedes a 'by' inside the byline is not a name",
    "author.site_owner": "of several names, drop a company (Inc., GmbH) or the owner the copyright notice names",
    "author.byline_outside_article": "no byline in the article element: look for a marked byline on the whole page",
    "credit.rights_notice_part": "a copyright notice joined to a credit ('X/© 2024 Y. All rights reserved') is dropped",
    "author.labelled_byline": "a name after an author label is a byline ('By Jane Doe', '<dt>Author</dt><dd>Jane Doe')",
    "author.publisher_spellings": "the site's name written another way (example-times, 'Example Berlin', its initials)",
    "author.dated_byline_ends_search": "a byline element holding only a date ends the search for marked bylines",
    "author.declared_desk_name": "a desk or team ('Example Staff') that JSON-LD or an author meta tag names is kept",
    "author.company_default": "a company's name (Inc., GmbH) as the only author is a default the byline outranks",
    "author.photo_credit": "a photo credit inside a byline ('Jane Doe, Photos: Omar Haddad') names no author",
    "body.recall_retry": "precision mode returned little: try trafilatura's recall mode",
    "body.split_blocks": "put back paragraphs of same-class sibling blocks of the article",
    "body.jsonld_body": "take JSON-LD articleBody when the extracted text is clearly partial",
    "body.other_stories": "drop trailing runs of paragraphs from other article blocks of the page",
    "body.without_headline": "drop leading paragraphs that repeat the headline",
    "body.teasers": "drop 'Read more: <link>' paragraphs",
    "body.captions": "drop paragraphs that are an image caption",
    "body.byline": "drop the byline paragraph among the first or as the last",
    "body.closing_credits": "closing 'Photos: X' lines become image credits",
    "body.layout_tables": "tables whose cells hold paragraphs or prose are read as blocks, not '|' rows",
    "body.lead": "put back prose between the headline and the first paragraph kept (a lead outside <p>, an intro)",
    "date.dotted_day_first": "a numeric date written with dots (07.11.2023) is read day first",
    "date.needs_day": "a date text with no day (a year, a month and year) is no publication date",
    "date.other_time_elements": "skip <time> elements of comments, clocks, videos, events, updates, side blocks",
    "date.site_furniture": "a dateline in the site header, a nav bar, a side block or the footer is not the article's",
    "date.local_offset": "a UTC instant the page also gives as local wall-clock time is written in that offset",
    "date.htmldate_extensive": "no date found: htmldate's extensive search",
    "date.htmldate_new_year": "an extensive-search January 1st (a year alone) is no date",
    "boilerplate.newsletter": "drop newsletter sign-up prompts",
    "boilerplate.widget_labels": "drop labels of widgets left alone in the text",
    "boilerplate.interface_lines": "drop lines that are only the page's tool labels (print, bookmark, text size)",
    "boilerplate.reproduction_notices": "drop short 'no reproduction without permission' notices",
    "boilerplate.link_runs": "drop runs of links to other stories with their heading",
    "boilerplate.trailing_social": "drop 'follow us on ...' prompts after the last paragraph",
    "standfirst": "the declared description shown under the headline is the standfirst",
}

_OFF: ContextVar[frozenset[str]] = ContextVar("extraction_rules_off", default=frozenset())
_TRACE: ContextVar[set[str] | None] = ContextVar("extraction_rules_trace", default=None)


def on(name: str) -> bool:
    """True unless rule ``name`` is switched off; records that the page reached the rule."""
    trace = _TRACE.get()
    if trace is not None:
        trace.add(name)
    return name not in _OFF.get()


@contextmanager
def switched_off(*names: str) -> Iterator[None]:
    """Run the block with the named rules off."""
    unknown = set(names) - RULES.keys()
    if unknown:
        raise KeyError(f"unknown rules: {sorted(unknown)}")
    token = _OFF.set(_OFF.get() | frozenset(names))
    try:
        yield
    finally:
        _OFF.reset(token)


@contextmanager
def traced() -> Iterator[set[str]]:
    """Collect, in the yielded set, the names of the rules the block reached."""
    reached: set[str] = set()
    token = _TRACE.set(reached)
    try:
        yield reached
    finally:
        _TRACE.reset(token)
