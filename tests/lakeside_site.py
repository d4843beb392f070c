"""The Lakeside Courier: a small news site written for these tests, with markup unlike the demo site's.

No <article> element, the byline in a ``.contributor`` block, dates only as text in ``.stamp``, articles at
``/news/NNNNN-slug``, sections at ``/category/NAME/``, a sitemap named in robots.txt and an RSS feed.
``write_site(folder)`` writes it for ``demo_site.server.start_server(root=folder)``.
"""

from __future__ import annotations

from pathlib import Path

STORIES = [
    ("40121-council-approves-new-boardwalk", "local", "Council approves new boardwalk along the north shore",
     "Rosa Lindqvist", "12 October 2026", "The boardwalk will link the ferry pier to the wetland reserve."),
    ("40133-rowing-club-celebrates-centenary", "sport", "Rowing club celebrates its centenary with a regatta",
     "Emeka Obi", "14 October 2026", "Former members travelled from three countries for the day."),
    ("40140-algae-bloom-closes-two-beaches", "local", "Algae bloom closes two beaches for the weekend",
     "Rosa Lindqvist", "15 October 2026", "Water samples will be taken again on Monday morning."),
    ("40152-library-extends-evening-hours", "local", "Library extends its evening opening hours",
     "Tamsin Greer", "17 October 2026", "The change follows a survey of more than a thousand readers."),
    ("40160-ice-hockey-season-opens", "sport", "Ice hockey season opens with a derby win",
     "Emeka Obi", "18 October 2026", "A late goal settled a tense evening at the lakeside rink."),
]
PARAGRAPHS = [
    "Residents who spoke to the Courier on the promenade said the decision had been a long time coming, and several "
    "asked how the work would be paid for over the next five years.",
    "The committee heard from a dozen speakers before the vote, most of them in favour, although two shop owners "
    "warned that months of building work could keep visitors away during the busy season.",
    "Officials promised a public meeting in the spring, where a timetable and the final drawings will be shown, and "
    "said that comments sent in writing before then would be read by the planning team.",
    "A spokesperson for the residents' association welcomed the news but asked that the old benches and the "
    "lamp posts along the water be kept, since many of them were paid for by local families.",
]


def article_page(slug: str, section: str, title: str, author: str, date: str, lead: str) -> str:
    paragraphs = "\n".join(f"<p>{text}</p>" for text in [lead, *PARAGRAPHS])
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} - Lakeside Courier</title>
<link rel="canonical" href="{{{{BASE_URL}}}}/news/{slug}/">
<meta property="og:title" content="{title}"><meta name="description" content="{lead}">
</head><body>
<header><a href="/">Lakeside Courier</a>
<nav><a href="/category/local/">Local</a> <a href="/category/sport/">Sport</a> <a href="/about/">About us</a></nav></header>
<div class="story">
  <div class="kicker">{section.title()}</div>
  <h1 class="story-title">{title}</h1>
  <div class="contributor">Written by <span class="contributor-name">{author}</span></div>
  <div class="stamp">{date}</div>
  <div class="story-text">
{paragraphs}
  </div>
</div>
<aside><h3>More from the Courier</h3><a href="/news/{STORIES[0][0]}/">{STORIES[0][2]}</a></aside>
<footer><a href="/privacy/">Privacy</a></footer>
</body></html>
"""


def listing_page(title: str, stories: list[tuple[str, ...]]) -> str:
    links = "\n".join(f'<li><a href="/news/{s[0]}/">{s[2]}</a></li>' for s in stories)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} - Lakeside Courier</title>
<link rel="alternate" type="application/rss+xml" href="/feed.rss"></head><body>
<nav><a href="/category/local/">Local</a> <a href="/category/sport/">Sport</a> <a href="/about/">About us</a></nav>
<h1>{title}</h1><ul>{links}</ul></body></html>
"""


def write_site(folder: Path) -> Path:
    """Write the site under ``folder``; returns it."""
    (folder / "news").mkdir(parents=True, exist_ok=True)
    for story in STORIES:
        # served as /news/SLUG/ (no extension): the server maps it to SLUG/index.html
        page = folder / "news" / story[0]
        page.mkdir(exist_ok=True)
        (page / "index.html").write_text(article_page(*story), "utf-8")
    for section in ("local", "sport"):
        (folder / "category" / section).mkdir(parents=True, exist_ok=True)
        (folder / "category" / section / "index.html").write_text(
            listing_page(section.title(), [s for s in STORIES if s[1] == section]), "utf-8")
    (folder / "index.html").write_text(listing_page("Lakeside Courier", STORIES), "utf-8")
    (folder / "about").mkdir(exist_ok=True)
    (folder / "about" / "index.html").write_text("<html><body><h1>About us</h1><p>We are a small paper.</p>"
                                                 "</body></html>", "utf-8")
    urls = "".join(f"<url><loc>{{{{BASE_URL}}}}/news/{s[0]}/</loc></url>" for s in STORIES[:3])
    (folder / "sitemap.xml").write_text('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns='
                                        f'"http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n', "utf-8")
    items = "".join(f"<item><title>{s[2]}</title><link>{{{{BASE_URL}}}}/news/{s[0]}/</link></item>" for s in STORIES[2:])
    (folder / "feed.rss").write_text(f'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Courier</title>'
                                     f"<link>{{{{BASE_URL}}}}/</link>{items}</channel></rss>\n", "utf-8")
    (folder / "robots.txt").write_text("User-agent: *\nDisallow: /drafts/\nSitemap: {{BASE_URL}}/sitemap.xml\n",
                                       "utf-8")
    return folder
