"""A generated news site for crawl benchmarks: N article pages, rendered on request.

    python benchmarks/sitegen.py serve --pages 2000 [--seed 1] [--port 0] [--port-file FILE]
    python benchmarks/sitegen.py page 17 [--pages 2000] > page.html     # one page, for a look

"The Quayside Courier" is fictional. Every page is a pure function of (seed, path): article
``i`` gets its section, date, headline, byline, figures and body from ``random.Random`` seeded
with ``(seed, i)``, combining sentence templates with pools of names, places and numbers, inside
the boilerplate of a real news page (cookie banner, mega-menu, JSON-LD, ads, share buttons,
related stories, newsletter box, footer). Pages weigh 30-80 KB. Nothing is written to disk.

The site: ``/robots.txt`` names ``/sitemap_index.xml``, which lists ``/sitemaps/articles-K.xml``
files of at most ``--per-sitemap`` URLs (default 5,000; the protocol allows 50,000); the
homepage links the sections and the newest stories and names an RSS feed (``/feed.xml``);
section pages (``/world/``, ``/world/europe/``) list their newest stories. Articles live at
``/<section>/<yyyy>/<mm>/<dd>/<slug>-<i>.html``.

The server is a single-threaded asyncio HTTP/1.1 server with keep-alive (no compression) in its
own process: rendering a page takes well under a millisecond, so it stays a small share of
one core next to the crawl it serves.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import html
import json
import os
import random
import re
import signal
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

SITE_NAME = "The Quayside Courier"
BANK_SIZE = 1500
LATEST = dt.date(2026, 11, 28)
ARTICLE_PATH = re.compile(r"^/([a-z]+)/(\d{4})/(\d{2})/(\d{2})/([a-z0-9-]+)-(\d+)\.html$")

SECTIONS: dict[str, list[str]] = {
    "world": ["europe", "americas", "asia", "africa"],
    "politics": ["parliament", "elections", "councils"],
    "business": ["markets", "shipping", "energy", "property"],
    "science": ["climate", "space", "health"],
    "culture": ["books", "film", "music", "theatre"],
    "sport": ["football", "sailing", "rugby"],
}
SECTION_TITLES = {name: name.capitalize() for name in SECTIONS}

FIRST = ["Amara", "Bjorn", "Carmen", "Dmitri", "Eleni", "Farid", "Grace", "Hiroshi", "Ines", "Jonas", "Kwame",
         "Lucia", "Mateo", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Samir", "Tove", "Ulrich", "Valeria",
         "Wen", "Ximena", "Yusuf", "Zofia", "Aled", "Brigid", "Cormac", "Delphine", "Emeka", "Freya"]
LAST = ["Abernathy", "Bianchi", "Castell", "Dunmore", "Eriksen", "Fontaine", "Galloway", "Haddad", "Ivanova",
        "Jansen", "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Pereira", "Quint", "Rahman",
        "Sorensen", "Takahashi", "Umeh", "Vasquez", "Whitlock", "Xu", "Yilmaz", "Zeller", "Achterberg",
        "Brennan", "Carvalho", "Doyle", "Esposito", "Fitzgerald"]
PLACES = ["Port Ellery", "Saltmarsh", "Kestrel Bay", "Northwick", "Harrowgate Quay", "Lowmoor", "Brackenfield",
          "St Anselm", "Cobble Harbour", "Greyhaven", "Marram Point", "Fennick", "Ashby Sands", "Wrenmouth",
          "Dunstable Reach", "Old Tarrow", "Holloway Docks", "Larkspur", "Eastmere", "Cinder Cove"]
ORGS = ["the Harbour Authority", "the Coastal Transit Board", "Meridian Shipping", "the Fisheries Council",
        "the Northwick Chamber of Commerce", "Tidewater Energy", "the Regional Health Trust",
        "the Institute of Marine Science", "the Port Workers' Union", "Saltmarsh County Council",
        "the Ministry of Infrastructure", "Bellweather Bank", "the Maritime Museum", "Greyhaven University",
        "the Environment Agency", "the Ferry Operators' Association", "Lantern Media", "the Arts Foundation"]
ROLES = ["a spokesperson for", "the chief executive of", "a senior economist at", "the chair of",
         "a researcher at", "the deputy director of", "a union organiser at", "a board member of"]
TOPICS = {
    "world": ["ceasefire talks", "the border crossing", "refugee arrivals", "the trade corridor", "the aid convoy",
              "the summit", "water rights", "the new embassy"],
    "politics": ["the budget vote", "the recount", "the coalition deal", "the housing bill", "council tax",
                 "the by-election", "the transport levy", "the lobbying inquiry"],
    "business": ["the container terminal", "quarterly profits", "the merger", "fuel prices", "the wage deal",
                 "the new warehouse", "interest rates", "the offshore wind farm"],
    "science": ["the seagrass survey", "the comet fragment", "sea level data", "the vaccine trial",
                "the tidal turbine", "the deep-sea probe", "the bird census", "the heatwave study"],
    "culture": ["the festival", "the new exhibition", "the restored organ", "the poetry prize", "the film premiere",
                "the library closure", "the touring opera", "the mural project"],
    "sport": ["the regatta", "the cup final", "the transfer window", "the new stadium", "the marathon",
              "the relegation battle", "the youth academy", "the season opener"],
}
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
AGENCIES = ["Reuters", "AFP", "AP", "Getty Images", "Courier Pictures", "PA Media", "Bloomberg", "EPA"]
PHOTO_SUBJECTS = ["the harbour wall at dawn", "workers on the quay", "a crowd outside the town hall",
                  "the ferry leaving port", "a lab at the institute", "the festival stage", "cranes over the terminal",
                  "the council chamber", "a fishing boat returning", "the flooded promenade", "the stadium stands"]

SENTENCES = [
    "{Org} said on {weekday} that {topic} would go ahead despite objections from residents of {place}.",
    "The decision, which followed months of negotiation, affects about {n:,} households in {place}.",
    "\u201cWe have listened carefully and we believe this is the right course,\u201d said {person}, {role} {org}.",
    "Critics argue that {topic} has been rushed through without proper scrutiny of its costs.",
    "Figures published by {org} show a rise of {pct} per cent compared with the same period last year.",
    "In {place}, where the mood was cautious, shopkeepers said they had seen little change so far.",
    "{Person}, who has lived in {place} for {years} years, described the plans as long overdue.",
    "The proposal will now go before {org}, which is expected to vote on it before the end of {month}.",
    "Officials declined to say how much {topic} would ultimately cost, citing commercial confidentiality.",
    "Several hundred people gathered near the waterfront on {weekday} evening to voice their concerns.",
    "According to an internal report seen by the Courier, the original estimate was \u00a3{m} million.",
    "That figure has since grown by more than a third, largely because of rising material costs.",
    "\u201cNobody asked us what we wanted,\u201d said {person}, a retired teacher from {place}.",
    "The last comparable project in the region, completed in {year}, ran two years over schedule.",
    "{Org} has promised to publish a full assessment of the environmental impact within {weeks} weeks.",
    "Analysts said the move reflected wider uncertainty across the sector after a difficult winter.",
    "Local businesses have been told to expect disruption for at least {weeks} weeks while work continues.",
    "The government has so far resisted calls for an independent review of {topic}.",
    "A spokesperson for {org} said it would \u201ccontinue to engage constructively\u201d with all parties.",
    "By {weekday} afternoon, more than {n:,} people had signed an online petition opposing the plan.",
    "{Person} said the timetable was ambitious but achievable if funding arrived on time.",
    "Supporters point to the {n:,} jobs the scheme is expected to create over the next decade.",
    "Opponents say those numbers are optimistic and rest on assumptions that have not been tested.",
    "The issue has divided opinion in {place}, where the local council is split almost evenly.",
    "It is the {ordinal} time in {years} years that {topic} has reached this stage.",
    "Earlier attempts collapsed amid disputes over who would pay for the necessary repairs.",
    "\u201cThe numbers simply do not add up,\u201d {person} told a packed public meeting in {place}.",
    "{Org} rejected that claim, saying its projections had been checked by independent auditors.",
    "Weather forecasters warned that strong winds could delay the first phase until next {month}.",
    "The harbour master said vessels would be diverted to {place} while the channel remained closed.",
    "Data from the past {years} years suggest the trend is unlikely to reverse without intervention.",
    "Researchers at {org} have been monitoring the site since {year}, taking samples every {weeks} weeks.",
    "Their findings, published this week, point to a steady decline that began well before the storm.",
    "Residents of {place} will be invited to a consultation event at the community centre on {weekday}.",
    "{Person} called for calm, urging people not to draw conclusions before the inquiry reports.",
    "Ticket sales were up {pct} per cent on last season, organisers said, with several dates sold out.",
    "The board is due to meet again on {weekday} to consider the latest offer.",
    "Insurance claims linked to the flooding have already passed \u00a3{m} million, according to the industry body.",
    "A final decision is not expected until the spring, leaving many families in limbo.",
    "The ministry said it had received the letter and would respond \u201cin due course.\u201d",
    "Shares in {org2} fell {pct} per cent in early trading before recovering most of their losses.",
    "The union has balloted its {n:,} members and says support for further action is strong.",
    "{Person}, {role} {org}, said the results were encouraging but warned against complacency.",
    "For now, the ferries are running on a reduced timetable, with the last sailing leaving at {hour} p.m.",
    "Historians note that {place} has faced similar choices before, most recently in {year}.",
    "Volunteers worked through the night to clear debris from the promenade.",
    "The committee's report runs to {n:,} pages and makes {weeks} recommendations.",
    "Among them is a proposal to create a permanent fund for coastal repairs.",
]
QUOTES = [
    "This is a turning point for {place}, and we intend to get it right.",
    "We cannot keep doing the same thing and expecting a different result.",
    "People here are tired of promises; they want to see the work begin.",
    "The evidence is clear, and it is time for {org} to act on it.",
]
TEASERS = [
    "What the new timetable means for commuters", "Five things we learned from the council meeting",
    "Inside the fight to save the old boatyard", "Why fuel prices are rising again", "The week in pictures",
    "Opinion: the harbour deserves better", "Letters: readers on the ferry strike", "Obituary: a life at sea",
    "Live: storm warnings across the coast", "Explainer: how the recount works", "Tide tables for the weekend",
    "Crossword No. 4,812", "Quiz of the week", "Podcast: the people behind the lighthouse",
]

CSS = ("body{font-family:Georgia,serif;margin:0;color:#1a1a1a}.site-header{background:#0b3954;color:#fff}"
       ".mega-menu ul{list-style:none;display:flex;flex-wrap:wrap}.article-body p{line-height:1.6;max-width:40em}"
       "figure{margin:1.5em 0}figcaption{font-size:.85em;color:#555}.credit{text-transform:uppercase}"
       ".ad{background:#f4f4f4;padding:1em;margin:1em 0}.related li,.most-read li{margin:.4em 0}"
       ".site-footer{background:#222;color:#ddd;padding:2em}.cookie-banner{position:fixed;bottom:0}")
ICON = ('<svg class="icon icon-{name}" viewBox="0 0 24 24" aria-hidden="true" width="20" height="20">'
        '<path d="M12 2C6.48 2 2 6.48 2 12s4.48 10 10 10 10-4.48 10-10S17.52 2 12 2zm0 18c-4.41 0-8-3.59-8-8'
        's3.59-8 8-8 8 3.59 8 8-3.59 8-8 8zm-1-13h2v6h-2zm0 8h2v2h-2z"/></svg>')


@dataclass(frozen=True)
class Meta:
    """What other pages need to know about article ``i``: where it lives and what it is called."""

    index: int
    section: str
    subsection: str
    date: dt.date
    title: str
    path: str


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:70].rstrip("-")


class Site:
    """The generated site: pages as bytes, from the path alone."""

    def __init__(self, pages: int, seed: int = 1, per_sitemap: int = 5000) -> None:
        if not 1 <= per_sitemap <= 50_000:
            raise ValueError("a sitemap holds 1 to 50,000 URLs")
        self.pages = pages
        self.seed = seed
        self.per_sitemap = per_sitemap
        self.base_url = "http://127.0.0.1"
        self._meta_cache: dict[int, Meta] = {}
        # Sentences with their slots filled, drawn from per page: filling a template costs ~60 us,
        # picking from the bank ~1 us, which keeps rendering a page well under a millisecond.
        bank_rng = random.Random(f"{seed}:bank")
        self._bank = {section: [_esc(self._fill(bank_rng, bank_rng.choice(SENTENCES), section))
                                for _ in range(BANK_SIZE)] for section in SECTIONS}
        self._headers = {section: self._header(section) for section in [*SECTIONS, ""]}
        self._teaser_cache: dict[tuple[int, bool], str] = {}

    def warm(self) -> None:
        """Work out every article's path, title and teasers up front (~0.1 ms each), so that
        rendering a page while the crawl runs takes only its own body."""
        for index in range(self.pages):
            self._teaser(index, True)
            self._teaser(index, False)

    # -- content ------------------------------------------------------------------------

    def _rng(self, index: int, salt: str = "") -> random.Random:
        return random.Random(f"{self.seed}:{index}:{salt}")

    def meta(self, index: int) -> Meta:
        cached = self._meta_cache.get(index)
        if cached is not None:
            return cached
        rng = self._rng(index, "meta")
        section = list(SECTIONS)[index % len(SECTIONS)]
        subsection = rng.choice(SECTIONS[section])
        # Newest first: about 12 stories a day, going back in time with the index.
        date = LATEST - dt.timedelta(days=index // 12)
        topic = rng.choice(TOPICS[section])
        place = rng.choice(PLACES)
        pattern = rng.choice([
            "{Place} braces for {topic} as deadline nears", "{Org} signals U-turn on {topic}",
            "Residents of {place} split over {topic}", "What {topic} means for {place}",
            "{Person} warns {topic} could cost millions", "Questions mount over {topic} in {place}",
            "{Org} and {place} clash over {topic}", "Delays hit {topic} after storm damage",
        ])
        title = pattern.format(Place=place, place=place, topic=topic, Org=_cap(rng.choice(ORGS)),
                               Person=f"{rng.choice(FIRST)} {rng.choice(LAST)}")
        title = title[0].upper() + title[1:]
        path = f"/{section}/{date:%Y/%m/%d}/{_slug(title)}-{index}.html"
        meta = Meta(index, section, subsection, date, title, path)
        if len(self._meta_cache) < 100_000:
            self._meta_cache[index] = meta
        return meta

    def _fill(self, rng: random.Random, template: str, section: str) -> str:
        person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        org = rng.choice(ORGS)
        return template.format(
            person=person, Person=person, org=org, Org=_cap(org), org2=rng.choice(ORGS).removeprefix("the "),
            place=rng.choice(PLACES), topic=rng.choice(TOPICS[section]), weekday=rng.choice(WEEKDAYS),
            month=rng.choice(["January", "March", "May", "June", "September", "October", "December"]),
            role=rng.choice(ROLES), n=rng.randrange(120, 48_000), pct=rng.randrange(2, 38), m=rng.randrange(3, 900),
            years=rng.randrange(3, 40), weeks=rng.randrange(2, 16), year=rng.randrange(1968, 2024),
            hour=rng.randrange(6, 11), ordinal=rng.choice(["second", "third", "fourth", "fifth"]),
        )

    def article(self, index: int) -> bytes:
        meta = self.meta(index)
        rng = self._rng(index, "body")
        section = meta.section
        base = self.base_url
        url = base + meta.path
        authors = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.choice([1, 1, 1, 2, 2, 3]))]
        hour, minute = rng.randrange(5, 22), rng.randrange(0, 60)
        published = dt.datetime(meta.date.year, meta.date.month, meta.date.day, hour, minute,
                                tzinfo=dt.timezone(dt.timedelta(hours=1)))
        modified = published + dt.timedelta(minutes=rng.randrange(20, 600))
        bank = self._bank[section]
        paragraphs = [" ".join(rng.choices(bank, k=rng.randrange(2, 7))) for _ in range(rng.randrange(8, 31))]
        description = html.unescape(paragraphs[0].split(". ")[0].rstrip(".") + ".")
        tags = sorted({rng.choice(TOPICS[section]).removeprefix("the ") for _ in range(rng.randrange(2, 6))})
        figures = [self._figure(rng, index, n) for n in range(1 + rng.randrange(0, 4))]
        lead, inline = figures[0], figures[1:]

        body_parts = []
        for n, para in enumerate(paragraphs):
            body_parts.append(f"<p>{para}</p>")
            if n == 2:
                body_parts.append(_ad("mid-article-1", rng))
            if n == 5:
                related = self.meta((index + 7) % self.pages)
                body_parts.append(f'<aside class="inline-related"><span>Read more:</span> '
                                  f'<a href="{related.path}">{_esc(related.title)}</a></aside>')
            if n == 6 and rng.random() < 0.5:
                quote = self._fill(rng, rng.choice(QUOTES), section)
                body_parts.append(f'<blockquote class="pull-quote"><p>\u201c{_esc(quote)}\u201d</p></blockquote>')
            if inline and n in (3, 8, 13):
                body_parts.append(inline.pop(0)[0])
            if n == 9:
                body_parts.append(_newsletter_box("inline"))
        jsonld = {
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "NewsArticle", "headline": meta.title, "description": description,
                 "datePublished": published.isoformat(), "dateModified": modified.isoformat(),
                 "author": [{"@type": "Person", "name": a, "url": f"{base}/authors/{_slug(a)}"} for a in authors],
                 "publisher": {"@type": "NewsMediaOrganization", "name": SITE_NAME,
                               "logo": {"@type": "ImageObject", "url": f"{base}/static/logo.png"}},
                 "image": [figures[0][1]], "mainEntityOfPage": url, "articleSection": SECTION_TITLES[section],
                 "keywords": tags, "isAccessibleForFree": True, "inLanguage": "en-GB",
                 "wordCount": sum(len(p.split()) for p in paragraphs)},
                {"@type": "BreadcrumbList", "itemListElement": [
                    {"@type": "ListItem", "position": 1, "name": "Home", "item": base + "/"},
                    {"@type": "ListItem", "position": 2, "name": SECTION_TITLES[section],
                     "item": f"{base}/{section}/"}]},
            ],
        }
        title = _esc(meta.title)
        head = (
            f'<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{title} | {SITE_NAME}</title>\n"
            f'<meta name="description" content="{_esc(description)}">\n'
            f'<link rel="canonical" href="{url}">\n'
            f'<link rel="alternate" type="application/rss+xml" title="{SITE_NAME}" href="{base}/feed.xml">\n'
            f'<meta property="og:site_name" content="{SITE_NAME}">\n<meta property="og:type" content="article">\n'
            f'<meta property="og:title" content="{title}">\n<meta property="og:url" content="{url}">\n'
            f'<meta property="og:description" content="{_esc(description)}">\n'
            f'<meta property="og:image" content="{figures[0][1]["url"]}">\n'
            f'<meta property="article:published_time" content="{published.isoformat()}">\n'
            f'<meta property="article:section" content="{SECTION_TITLES[section]}">\n'
            + "".join(f'<meta property="article:tag" content="{_esc(t)}">\n' for t in tags)
            + f'<meta name="twitter:card" content="summary_large_image">\n'
            f'<meta name="twitter:title" content="{title}">\n'
            f'<style>{CSS * 3}</style>\n'
            f'<script type="application/ld+json">{json.dumps(jsonld, ensure_ascii=False)}</script>\n'
            f"<script>{_analytics(meta, rng)}</script>\n</head>\n"
        )
        body = (
            f'<body class="article-page section-{section}">\n{_COOKIE_BANNER}{self._headers[section]}'
            f'<div class="layout">\n<main id="content">\n<article class="story">\n'
            f'<nav class="breadcrumb" aria-label="Breadcrumb"><a href="/">Home</a> \u203a '
            f'<a href="/{section}/">{SECTION_TITLES[section]}</a> \u203a '
            f'<a href="/{section}/{meta.subsection}/">{meta.subsection.capitalize()}</a></nav>\n'
            f'<h1 class="headline">{title}</h1>\n<p class="standfirst">{_esc(description)}</p>\n'
            f'<div class="article-meta"><p class="byline">By '
            + " and ".join(f'<a rel="author" href="/authors/{_slug(a)}">{_esc(a)}</a>' for a in authors)
            + f'</p><time class="published" datetime="{published.isoformat()}">'
            f'{published:%-d %B %Y, %H:%M}</time> <span class="updated">Updated {modified:%H:%M}</span></div>\n'
            f'{_share(url)}{lead[0]}\n<div class="article-body">\n' + "\n".join(body_parts) + "\n</div>\n"
            '<ul class="tags">' + "".join(f'<li><a href="/tags/{_slug(t)}.html">{_esc(t)}</a></li>' for t in tags)
            + f"</ul>\n{_share(url)}</article>\n{self._related(index, rng)}</main>\n"
            f"{self._sidebar(index, rng)}</div>\n{_FOOTER}</body>\n</html>\n"
        )
        return (head + body).encode("utf-8")

    def _figure(self, rng: random.Random, index: int, n: int) -> tuple[str, dict[str, str]]:
        subject = rng.choice(PHOTO_SUBJECTS)
        place = rng.choice(PLACES)
        caption = f"{subject[0].upper()}{subject[1:]} in {place}."
        credit = f"{rng.choice(FIRST)} {rng.choice(LAST)}/{rng.choice(AGENCIES)}"
        src = f"{self.base_url}/img/{index}-{n}.jpg"
        srcset = ", ".join(f"{self.base_url}/img/{index}-{n}-{w}.jpg {w}w" for w in (320, 640, 960, 1280, 1920))
        markup = (f'<figure class="{"lead-image" if n == 0 else "inline-image"}">'
                  f'<picture><source type="image/webp" srcset="{srcset.replace(".jpg", ".webp")}">'
                  f'<img src="{src}" srcset="{srcset}" sizes="(max-width: 700px) 100vw, 700px" '
                  f'alt="{_esc(subject.capitalize())}" width="1280" height="720" loading="lazy"></picture>'
                  f'<figcaption><span class="caption">{_esc(caption)}</span> '
                  f'<span class="credit">Photograph: {_esc(credit)}</span></figcaption></figure>')
        return markup, {"@type": "ImageObject", "url": src, "caption": caption, "creditText": credit}

    def _header(self, current: str) -> str:
        items = []
        for section, subs in SECTIONS.items():
            current_attr = ' aria-current="page"' if section == current else ""
            sub_links = "".join(f'<li><a href="/{section}/{s}/">{s.capitalize()}</a></li>' for s in subs)
            items.append(f'<li class="menu-item"><a href="/{section}/"{current_attr}>{SECTION_TITLES[section]}</a>'
                         f'<ul class="sub-menu">{sub_links}</ul></li>')
        icons = "".join(ICON.format(name=n) for n in ("search", "account", "menu", "facebook", "x", "instagram"))
        return (f'<header class="site-header"><a class="logo" href="/">{SITE_NAME}</a>{icons}\n'
                f'<nav class="mega-menu" aria-label="Sections"><ul>{"".join(items)}</ul></nav>\n'
                f'<div class="utility"><a href="/subscribe">Subscribe</a> <a href="/login">Sign in</a> '
                f'<form action="/search" class="search"><input name="q" placeholder="Search"></form></div>'
                f"</header>\n")

    def _teasers(self, indices: Sequence[int], with_summary: bool) -> str:
        return "".join(self._teaser(j, with_summary) for j in indices)

    def _teaser(self, j: int, with_summary: bool) -> str:
        cached = self._teaser_cache.get((j, with_summary))
        if cached is not None:
            return cached
        other = self.meta(j)
        summary = f'<p class="summary">{self._bank[other.section][j % BANK_SIZE]}</p>' if with_summary else ""
        teaser = (f'<li><a href="{other.path}"><img src="{self.base_url}/img/{j}-0-320.jpg" alt="" '
                  f'width="160" height="90">{_esc(other.title)}</a>{summary}</li>')
        if len(self._teaser_cache) < 100_000:
            self._teaser_cache[(j, with_summary)] = teaser
        return teaser

    def _related(self, index: int, rng: random.Random) -> str:
        picks = [rng.randrange(self.pages) for _ in range(rng.randrange(4, 17))]
        more = [rng.randrange(self.pages) for _ in range(rng.randrange(6, 40))]
        return (f'<aside class="related" aria-label="Related stories"><h2>More on this story</h2>'
                f"<ul>{self._teasers(picks, with_summary=True)}</ul></aside>\n"
                f'<section class="more-stories" aria-label="More stories"><h2>More from the Courier</h2>'
                f'<ul class="grid">{self._teasers(more, with_summary=True)}</ul></section>\n')

    def _sidebar(self, index: int, rng: random.Random) -> str:
        most_read = [rng.randrange(self.pages) for _ in range(10)]
        extra = "".join(f"<li><a href=\"/{rng.choice(list(SECTIONS))}/\">{_esc(t)}</a></li>"
                        for t in rng.sample(TEASERS, rng.randrange(4, len(TEASERS))))
        return (f'<aside class="sidebar most-read" aria-label="Most read"><h2>Most read</h2>'
                f"<ol>{self._teasers(most_read, with_summary=False)}</ol>{_ad('sidebar', rng)}"
                f'<h2>Elsewhere in the Courier</h2><ul class="elsewhere">{extra}</ul></aside>\n')

    # -- navigation pages ----------------------------------------------------------------

    def homepage(self) -> bytes:
        latest = self._teasers(range(min(self.pages, 60)), with_summary=True)
        return self._page("Home", f'<h1>{SITE_NAME}</h1><ul class="latest">{latest}</ul>')

    def listing(self, section: str, subsection: str | None) -> bytes:
        n = len(SECTIONS)
        picks = [i for i in range(SECTIONS_START[section], min(self.pages, 30 * n), n)]
        if subsection:
            picks = [i for i in picks if self.meta(i).subsection == subsection]
        name = SECTION_TITLES[section] + (f" \u203a {subsection.capitalize()}" if subsection else "")
        return self._page(name, f'<h1>{_esc(name)}</h1><ul class="latest">{self._teasers(picks, True)}</ul>')

    def plain(self, title: str) -> bytes:
        return self._page(title, f"<h1>{_esc(title)}</h1><p>{SITE_NAME} is a fictional newspaper.</p>")

    def _page(self, title: str, main: str) -> bytes:
        return (f'<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8"><title>{_esc(title)} | '
                f'{SITE_NAME}</title><link rel="alternate" type="application/rss+xml" href="{self.base_url}'
                f'/feed.xml"></head><body>{self._headers[""]}<main>{main}</main>{_FOOTER}</body></html>\n'
                ).encode()

    def robots(self) -> bytes:
        return (f"User-agent: *\nDisallow: /search\nDisallow: /login\n\n"
                f"Sitemap: {self.base_url}/sitemap_index.xml\n").encode("ascii")

    def sitemap_count(self) -> int:
        return max(1, -(-self.pages // self.per_sitemap))

    def sitemap_index(self) -> bytes:
        entries = "".join(f"<sitemap><loc>{self.base_url}/sitemaps/articles-{k}.xml</loc></sitemap>\n"
                          for k in range(1, self.sitemap_count() + 1))
        return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
                f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</sitemapindex>\n'
                ).encode()

    def sitemap(self, k: int) -> bytes | None:
        if not 1 <= k <= self.sitemap_count():
            return None
        start, stop = (k - 1) * self.per_sitemap, min(self.pages, k * self.per_sitemap)
        urls = "".join(f"<url><loc>{self.base_url}{self.meta(i).path}</loc>"
                       f"<lastmod>{self.meta(i).date.isoformat()}</lastmod></url>\n" for i in range(start, stop))
        return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
                f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n').encode()

    def feed(self) -> bytes:
        items = "".join(f"<item><title>{_esc(self.meta(i).title)}</title><link>{self.base_url}{self.meta(i).path}"
                        f"</link><pubDate>{self.meta(i).date:%a, %d %b %Y} 08:00:00 +0000</pubDate></item>\n"
                        for i in range(min(self.pages, 30)))
        return (f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>{SITE_NAME}</title>'
                f"<link>{self.base_url}/</link><description>Latest stories</description>\n{items}"
                f"</channel></rss>\n").encode()

    # -- routing -------------------------------------------------------------------------

    def route(self, path: str) -> tuple[int, str, bytes]:
        """(status, content type, body) for a request path."""
        html_type = "text/html; charset=utf-8"
        path = path.split("?", 1)[0]
        match = ARTICLE_PATH.match(path)
        if match:
            index = int(match.group(6))
            if index < self.pages and self.meta(index).path == path:
                return 200, html_type, self.article(index)
            return 404, html_type, self.plain("Page not found")
        if path == "/":
            return 200, html_type, self.homepage()
        if path == "/robots.txt":
            return 200, "text/plain; charset=utf-8", self.robots()
        if path == "/sitemap_index.xml":
            return 200, "application/xml", self.sitemap_index()
        sitemap = re.fullmatch(r"/sitemaps/articles-(\d+)\.xml", path)
        if sitemap and (body := self.sitemap(int(sitemap.group(1)))) is not None:
            return 200, "application/xml", body
        if path == "/feed.xml":
            return 200, "application/rss+xml", self.feed()
        parts = [p for p in path.split("/") if p]
        if path.endswith("/") and parts and parts[0] in SECTIONS and (
                len(parts) == 1 or (len(parts) == 2 and parts[1] in SECTIONS[parts[0]])):
            return 200, html_type, self.listing(parts[0], parts[1] if len(parts) == 2 else None)
        if path in ("/about.html", "/contact.html", "/privacy.html", "/terms.html"):
            return 200, html_type, self.plain(path.strip("/").removesuffix(".html").capitalize())
        return 404, html_type, self.plain("Page not found")


SECTIONS_START = {name: n for n, name in enumerate(SECTIONS)}


def _cap(text: str) -> str:
    return text[0].upper() + text[1:]


def _ad(slot: str, rng: random.Random) -> str:
    offer = rng.choice(["Winter sale: 20% off waterproofs at Quayside Outfitters",
                        "Sunset cruises around the lighthouses every Saturday",
                        "Switch to Tidewater Energy and save on your bills",
                        "Greyhaven University open day: book your place"])
    return (f'<div class="ad ad-{slot}" data-ad-slot="{slot}" data-ad-sizes="300x250,728x90">'
            f'<span class="ad-label">Advertisement</span><p>{offer}</p>'
            f'<a href="https://ads.example/click?slot={slot}" rel="sponsored nofollow">Find out more</a></div>')


def _newsletter_box(where: str) -> str:
    return (f'<div class="newsletter newsletter-{where}"><form action="/newsletters/subscribe" method="post">'
            f'<label>Sign up for Morning Tide, our free daily briefing</label>'
            f'<input type="email" name="email" placeholder="you@example.com"><button>Subscribe</button></form>'
            f'<p class="small">Free, every weekday at 7am. Unsubscribe at any time.</p></div>')


def _share(url: str) -> str:
    links = "".join(f'<a class="share-{name}" href="https://{host}/share?u={url}" rel="nofollow noopener">'
                    f'{ICON.format(name=name)}<span>Share on {name.capitalize()}</span></a>'
                    for name, host in (("facebook", "facebook.example"), ("x", "x.example"),
                                       ("linkedin", "linkedin.example"), ("whatsapp", "wa.example"),
                                       ("email", "mail.example")))
    return f'<div class="share-buttons" aria-label="Share this story">{links}</div>\n'


_ANALYTICS_FIXED = json.dumps({
    "ads": {"slots": [f"slot-{n}" for n in range(12)], "lazy": True, "refresh": 30},
    "consent": {"vendors": list(range(1, 120)), "purposes": {f"p{n}": [n, n * 3, n * 7] for n in range(40)}},
})[1:-1]


def _analytics(meta: Meta, rng: random.Random) -> str:
    page = {"id": meta.index, "section": meta.section, "subsection": meta.subsection,
            "published": meta.date.isoformat(), "type": "article"}
    variants = ",".join(f'"exp_{n}":"{rng.choice(("control", "variant_a", "variant_b"))}"' for n in range(20))
    related = ",".join(f'"/story/{rng.getrandbits(27)}"' for _ in range(rng.randrange(10, 120)))
    return ("window.dataLayer=window.dataLayer||[];window.__COURIER__={" + f'"page":{json.dumps(page)},'
            + _ANALYTICS_FIXED + f',"experiments":{{{variants}}},"related":[{related}]}};'
            "(function(d,s){var j=d.createElement(s);j.async=true;j.src='/static/analytics.js';"
            "d.head.appendChild(j)})(document,'script');")


_COOKIE_BANNER = ('<div id="cookie-banner" class="cookie-banner" role="dialog" aria-label="Cookie consent"><p>'
                  "We and our 119 partners use cookies to personalise content and ads and to analyse our traffic. "
                  '<button class="cookie-accept">Accept all</button><button class="cookie-manage">Manage choices'
                  "</button></p></div>\n")
_FOOTER = (
    '<footer class="site-footer">' + _newsletter_box("footer")
    + '<nav class="footer-nav" aria-label="Footer">'
    + "".join(f'<div class="col"><h3>{SECTION_TITLES[s]}</h3><ul>'
              + "".join(f'<li><a href="/{s}/{sub}/">{sub.capitalize()}</a></li>' for sub in subs) + "</ul></div>"
              for s, subs in SECTIONS.items())
    + '<p><a href="/about.html">About us</a> \u00b7 <a href="/contact.html">Contact</a> \u00b7 '
    '<a href="/privacy.html">Privacy</a> \u00b7 <a href="/terms.html">Terms</a> \u00b7 '
    '<a href="/feed.xml">RSS</a></p></nav>'
    f'<p class="copyright">\u00a9 2026 {SITE_NAME}. A fictional newspaper: benchmark data for Presswire.</p>'
    "</footer>\n"
)


# -- the server -----------------------------------------------------------------------------


class Routes(Protocol):
    """What the server serves: a site that answers (status, content type, body) for a request target."""

    base_url: str

    def route(self, target: str) -> tuple[int, str, bytes]: ...


class HttpProtocol(asyncio.Protocol):
    """HTTP/1.1 with keep-alive and pipelining; GET and HEAD only (also serves benchmarks/archivegen.py)."""

    def __init__(self, site: Routes) -> None:
        self.site = site
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while self.transport is not None and b"\r\n\r\n" in self.buffer:
            head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            self._respond(head)

    def _respond(self, head: bytes) -> None:
        assert self.transport is not None
        lines = head.decode("latin-1").split("\r\n")
        try:
            method, target, version = lines[0].split(" ", 2)
        except ValueError:
            self.transport.close()
            return
        close = version == "HTTP/1.0" or any(line.lower().replace(" ", "") == "connection:close" for line in lines)
        if method in ("GET", "HEAD"):
            status, ctype, body = self.site.route(target)
        else:
            status, ctype, body = 405, "text/plain", b"method not allowed\n"
        reason = {200: "OK", 404: "Not Found", 405: "Method Not Allowed"}[status]
        header = (f"HTTP/1.1 {status} {reason}\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
                  f"Connection: {'close' if close else 'keep-alive'}\r\n\r\n").encode("latin-1")
        self.transport.write(header if method == "HEAD" else header + body)
        if close:
            self.transport.close()
            self.transport = None


async def serve_site(site: Routes, host: str, port: int, port_file: Path | None,
                ready: Callable[[], str]) -> None:
    """Serve ``site`` until SIGINT/SIGTERM; its URL goes to ``port_file`` (atomically) once it listens,
    and ``ready()`` (called then) gives the line printed to say what is served."""
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: HttpProtocol(site), host, port, backlog=1024)
    site.base_url = f"http://{host}:{server.sockets[0].getsockname()[1]}"
    banner = ready()
    if port_file is not None:
        tmp = port_file.with_name(port_file.name + ".tmp")
        tmp.write_text(site.base_url, encoding="utf-8")
        os.replace(tmp, port_file)
    print(banner, flush=True)
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with server:
        await stop.wait()


def _ready(site: Site) -> str:
    site.warm()
    return f"serving {site.base_url} ({site.pages} articles, {site.sitemap_count()} sitemap files)"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python benchmarks/sitegen.py", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the site on 127.0.0.1 until SIGINT/SIGTERM")
    page = sub.add_parser("page", help="print one article page (index) to stdout")
    page.add_argument("index", type=int)
    for p in (serve, page):
        p.add_argument("--pages", type=int, default=2000, help="number of article pages (default 2000)")
        p.add_argument("--seed", type=int, default=1, help="content seed (default 1)")
        p.add_argument("--per-sitemap", type=int, default=5000, help="URLs per sitemap file (default 5000)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=0, help="0 picks a free port")
    serve.add_argument("--port-file", type=Path, default=None, help="write the base URL here once listening")
    args = parser.parse_args(argv)
    site = Site(args.pages, seed=args.seed, per_sitemap=args.per_sitemap)
    if args.command == "page":
        sys.stdout.buffer.write(site.article(args.index))
        return 0
    asyncio.run(serve_site(site, args.host, args.port, args.port_file, lambda: _ready(site)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
