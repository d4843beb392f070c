"""Hostile sitemaps and feeds: entity bombs, XXE, gzip bombs, malformed and odd XML."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

import pytest

from scrapers.discovery.sources import SourceError, read_feed, read_sitemap
from tests.hostile.site import article_html, page, serve
from tests.inprocess import run_crawl

BASE = "https://news.example/"
ARTICLE = "/news/2026/11/20/story-listed-only-in-the-sitemap.html"
URLSET = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{}</urlset>'
BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://news.example/&lol9;</loc></url></urlset>"""


def xxe(target: Path) -> bytes:
    return (f'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file://{target}">]>'
            + URLSET.format("<url><loc>https://news.example/a/&xxe;</loc></url>")).encode()


def test_billion_laughs_is_not_expanded() -> None:
    started = time.monotonic()
    try:
        urls = read_sitemap(BILLION_LAUGHS.encode(), BASE, max_size=10_000_000).urls
    except SourceError as err:
        assert err.reason == "malformed_sitemap"
        urls = []
    assert time.monotonic() - started < 2
    assert all(len(url) < 200 for url in urls)


def test_external_entities_never_read_local_files(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-42")
    try:
        urls = read_sitemap(xxe(secret), BASE, max_size=10_000_000).urls
    except SourceError:
        urls = []
    assert not any("TOPSECRET" in url for url in urls)
    feed = f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>' \
           '<rss><channel><item><link>https://news.example/&xxe;</link></item></channel></rss>'
    assert not any("TOPSECRET" in url for url in read_feed(feed.encode(), BASE))


def test_gzip_bomb_stops_at_the_size_limit() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * 50_000_000, compresslevel=9)
    assert len(bomb) < 100_000
    with pytest.raises(SourceError) as info:
        read_sitemap(bomb, BASE, max_size=5_000_000)
    assert info.value.reason == "bad_gzip"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (URLSET.format("<url><loc><![CDATA[https://news.example/a/cdata-story-one-two.html]]></loc></url>"),
         ["https://news.example/a/cdata-story-one-two.html"]),
        (URLSET.format("<url><loc>  /a/relative-story-one-two.html  </loc></url>"),
         ["https://news.example/a/relative-story-one-two.html"]),
        ('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://news.example/s1.xml'
         "</loc></sitemap><sitemap><loc>https://news.example/s2.xml</loc></sitemap><sitemap><loc>https://news",
         ["https://news.example/s1.xml", "https://news.example/s2.xml"]),
    ],
)
def test_odd_but_usable_sitemaps(body: str, expected: list[str]) -> None:
    # a truncated tail may add a broken last URL; the spider's scope checks drop it
    assert read_sitemap(body.encode(), BASE, max_size=1_000_000).urls[: len(expected)] == expected


@pytest.mark.parametrize("body", [b"", b"\x00\x01\x02 binary", b"<html><body>not a sitemap</body></html>",
                                  b"\x1f\x8b\x08\x00garbage-gzip"])
def test_unusable_sitemaps_raise_a_reason(body: bytes) -> None:
    with pytest.raises(SourceError) as info:
        read_sitemap(body, BASE, max_size=1_000_000)
    assert info.value.reason in {"malformed_sitemap", "bad_gzip"}


def test_feed_with_invalid_dates_still_gives_links() -> None:
    feed = b"""<rss version="2.0"><channel><item><title>A</title><link>https://news.example/a/story-one-two-three</link>
    <pubDate>the day after tomorrow</pubDate></item><item><link>https://news.example/b/story-four-five-six</link>
    <pubDate>Mon, 99 Foo 20266 25:61:00 +9999</pubDate></item></channel></rss>"""
    assert read_feed(feed, BASE) == ["https://news.example/a/story-one-two-three",
                                     "https://news.example/b/story-four-five-six"]


def test_crawl_survives_hostile_sitemaps(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-42")
    robots = "\n".join(f"Sitemap: /{name}" for name in ("laughs.xml", "xxe.xml", "bomb.xml.gz", "broken.xml",
                                                          "good.xml"))
    routes = {
        "/robots.txt": page(robots, content_type="text/plain"),
        "/": page("<html><body>home</body></html>"),
        "/laughs.xml": page(BILLION_LAUGHS, content_type="application/xml"),
        "/xxe.xml": page(xxe(secret), content_type="application/xml"),
        "/bomb.xml.gz": page(gzip.compress(b"<urlset>" + b" " * 30_000_000), content_type="application/x-gzip"),
        "/broken.xml": page("<urlset><url><loc>", content_type="application/xml"),
        "/good.xml": page(URLSET.format(f"<url><loc><![CDATA[{ARTICLE}]]></loc></url>"),
                          content_type="application/xml"),
        ARTICLE: page(article_html("Listed only in the sitemap")),
    }
    with serve(routes) as site:
        result = run_crawl(tmp_path / "out", "news", "-a", f"url={site.base_url}/",
                           settings={"SITEMAP_MAX_SIZE": "5000000"})
        assert not any("TOPSECRET" in path for _, path in site.requests)
    assert "Traceback" not in result.log
    assert [r["url"] for r in result.records] == [site.base_url + ARTICLE]
    reasons = {f["url"].rsplit("/", 1)[-1]: f["reason"] for f in result.failures}
    assert reasons["bomb.xml.gz"] == "bad_gzip"


ATOM_WITH_BASE = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://news.example/world/europe/">
<title>World</title><id>tag:news.example,2026:world</id>
<entry><title>A</title><id>a</id><link href="2026/harbour-strike.html"/></entry>
<entry xml:base="https://news.example/sport/"><title>B</title><id>b</id><link rel="alternate" href="cup-final.html"/>
<link rel="enclosure" href="cup-final.mp3"/></entry>
<entry><title>C</title><id>c</id><link href="/top/absolute-path.html"/></entry>
</feed>"""
RSS_WITH_GUIDS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>News</title><link>https://news.example/</link>
<item><title>A</title><guid>https://news.example/2026/only-a-guid.html</guid></item>
<item><title>B</title><guid isPermaLink="false">tag:news.example,2026:not-a-link</guid></item>
<item><title>C</title><link>https://news.example/2026/link-wins.html</link><guid>https://news.example/p?id=3</guid></item>
<item><title>D</title><link>relative/story.html</link></item>
</channel></rss>"""


def test_atom_xml_base_is_honoured() -> None:
    assert read_feed(ATOM_WITH_BASE, "https://news.example/feeds/world.atom") == [
        "https://news.example/world/europe/2026/harbour-strike.html",
        "https://news.example/sport/cup-final.html",
        "https://news.example/top/absolute-path.html",
    ]


def test_rss_item_with_only_a_permalink_guid_gives_its_link() -> None:
    assert read_feed(RSS_WITH_GUIDS, "https://news.example/feeds/rss.xml") == [
        "https://news.example/2026/only-a-guid.html",
        "https://news.example/2026/link-wins.html",
        "https://news.example/feeds/relative/story.html",
    ]


def test_feed_entity_bomb_is_not_expanded() -> None:
    feed = BILLION_LAUGHS.replace(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://news.example/&lol9;</loc></url>'
        "</urlset>",
        "<rss version='2.0'><channel><item><title>&lol9;</title><link>https://news.example/a.html</link></item>"
        "</channel></rss>",
    )
    started = time.monotonic()
    links = read_feed(feed.encode(), BASE)
    assert time.monotonic() - started < 1
    assert links == ["https://news.example/a.html"]


@pytest.mark.parametrize("body", [b"", b"not xml at all", b"<html><body><p>A page</p></body></html>"])
def test_what_is_no_feed_raises_a_reason(body: bytes) -> None:
    with pytest.raises(SourceError) as info:
        read_feed(body, BASE)
    assert info.value.reason == "malformed_feed"
