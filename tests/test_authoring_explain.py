"""presswire explain: the provenance of every field, on the demo site's saved pages and on a site we wrote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from demo_site.server import start_server
from scrapers.authoring.explain import explain
from scrapers.sites import load_site
from tests.harness import ROOT
from tests.lakeside_site import STORIES, write_site
from tests.test_presswire_cli import presswire

PAGES = sorted((ROOT / "scrapers" / "sites" / "harbour" / "pages").glob("*.json"))


def origins_of(saved: Path) -> dict:
    url = json.loads(saved.read_text("utf-8"))["url"]
    _article, origins, _page = explain(saved.with_suffix(".html").read_bytes(), url, load_site("harbour").selectors)
    return {origin.name: origin for origin in origins}


@pytest.mark.parametrize("saved", PAGES, ids=[p.stem for p in PAGES])
def test_every_field_of_the_demo_pages_has_a_source(saved: Path) -> None:
    for name, origin in origins_of(saved).items():
        if origin.value in (None, [], ""):
            continue
        assert origin.chosen is not None or origin.fallback, f"{name}: no source for {origin.value!r}"
        for candidate in origin.candidates:
            assert candidate.verdict, f"{name}: {candidate.source} was not judged"


def test_the_sources_named_are_the_ones_the_page_uses() -> None:
    by_page = {p.stem: origins_of(p) for p in PAGES}
    review = by_page["culture-2026-11-13-review-the-lighthouse-keepers-daughter"]
    assert review["title"].chosen.source == "site config selectors.title 'article h1'"
    assert review["authors"].chosen.source == 'byline element <p class="byline">'
    [art] = [c for c in review["authors"].candidates if c.source.startswith("art credit")]
    assert (art.value, art.verdict) == ("Mia Lindqvist", "added: an illustrator's credit line counts as an author")
    [title_tag] = [c for c in review["title"].candidates if c.source == "<title>"]
    assert title_tag.verdict == "passed over: the headline with more around it (the site's name, a kicker)"
    # broken JSON-LD: the date comes from the meta tag
    quota = by_page["world-2026-11-11-fishing-quota-talks-resume-in-reykjavik"]
    assert quota["date_published"].chosen.source == "meta article:published_time"
    german = by_page["world-2026-11-03-hafenarbeiter-in-hamburg-legen-arbeit-nieder"]
    assert german["date_published"].chosen.source == 'dateline text <p class="dateline">'
    assert german["language"].chosen.source == "<html lang>"
    dock = by_page["business-2026-11-19-inside-the-bid-for-the-old-dry-dock"]
    assert dock["is_paywalled"].chosen.source == "JSON-LD isAccessibleForFree"
    assert dock["authors"].chosen.source == "JSON-LD author"
    assert dock["body"].chosen.source.endswith('elements of <div class="article-body">')


def test_explain_a_page_of_a_site_we_wrote(tmp_path: Path) -> None:
    sites = tmp_path / "sites"
    sites.mkdir()
    with start_server(root=write_site(tmp_path / "www")) as server:
        (sites / "lakeside.toml").write_text(f'start_urls = ["{server.base_url}/"]\n'
                                             '[selectors]\nbyline = ".contributor-name"\n', "utf-8")
        url = server.url(f"/news/{STORIES[1][0]}/")
        proc = presswire(tmp_path, "explain", url, "--html", "outlined.html", "-s", "AUTOTHROTTLE_ENABLED=0",
                         sites_dir=sites)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == f"{url}   (site config lakeside: its selectors apply)"
    after = {line: lines[i + 1] for i, line in enumerate(lines[:-1]) if not line.startswith(" ")}
    assert after[f"authors: ['{STORIES[1][3]}']"] == (
        f"  from site config selectors.byline '.contributor-name' '{STORIES[1][3]}'")
    assert after["date_published: '2026-10-14'"] == "  from dateline text <div class=\"stamp\"> '14 October 2026'"
    assert after[f"title: '{STORIES[1][2]}'"] == '  from <h1 class="story-title">'
    assert after["section: None"] == "  none: no source on the page gives it"
    assert after["language: 'en'"] == "  from <html lang>"
    outlined = (tmp_path / "outlined.html").read_text("utf-8")
    for name in ("title", "authors", "date_published", "body"):
        assert f'data-presswire="{name}"' in outlined
    assert f'<base href="{url}">' in outlined


def test_explain_mistakes_are_one_line(tmp_path: Path) -> None:
    proc = presswire(tmp_path, "explain", "missing.html")
    assert (proc.returncode, proc.stderr) == (2, "presswire explain: no such file: missing.html\n")
    empty = tmp_path / "empty.html"
    empty.write_text(" ", "utf-8")
    proc = presswire(tmp_path, "explain", str(empty), "--url", "http://127.0.0.1:9/a")
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1 and "no article (empty" in proc.stderr


def test_a_value_cut_out_of_a_longer_one_names_where_it_was_cut_from() -> None:
    """No source gives the headline as it is: the extractor cut it out of the <title> (without the site's name)."""
    body = "".join(f"<p>Paragraph {i} of the story about the new boardwalk, with enough words to read as text.</p>"
                   for i in range(6))
    html = ("<html lang=en><head><title>Council approves new boardwalk | Lakeside Courier</title>"
            f"<meta property='og:site_name' content='Lakeside Courier'></head><body><div>{body}</div></body></html>")
    article, origins, _page = explain(html, "https://courier.example/news/1-council-approves-new-boardwalk")
    [title] = [origin for origin in origins if origin.name == "title"]
    assert article.title == "Council approves new boardwalk" and title.chosen is None
    assert title.fallback == "part of <title>, the rest (a kicker, a label, the site's name) dropped by the rules"
    assert [c.verdict for c in title.candidates] == ["shortened: the value is the part of it kept"]
