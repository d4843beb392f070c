"""presswire new-site: from a URL to a drafted site config, on the demo site and on a site we wrote; then the
rest of the loop (capture, check) with the drafted config."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from demo_site.server import start_server
from scrapers.authoring.patterns import propose_allow, propose_deny
from scrapers.sites import SiteConfig
from tests.lakeside_site import STORIES, write_site
from tests.test_presswire_cli import presswire

FAST = ["-s", "AUTOTHROTTLE_ENABLED=0"]


def drafted(path: Path, name: str) -> tuple[SiteConfig, str]:
    text = path.read_text("utf-8")
    return SiteConfig.from_mapping(name, tomllib.loads(text), str(path)), text


def test_new_site_on_the_demo_site_proposes_the_bundled_configs_pattern(demo_server, tmp_path: Path) -> None:
    proc = presswire(tmp_path, "new-site", "gazette", f"{demo_server.base_url}/", "--into", str(tmp_path), *FAST)
    assert proc.returncode == 0, proc.stderr
    config, text = drafted(tmp_path / "gazette.toml", "gazette")
    assert config.article_allow == [r"/\d{4}/\d{2}/\d{2}/[^/]+\.html$"]  # the one harbour.toml was given by hand
    assert config.start_urls == [f"{demo_server.base_url}/"] and config.description == "The Harbour Gazette"
    assert f"#   feed {demo_server.base_url}/feed.xml: 15 article URLs" in text.splitlines()
    assert f"#   sitemap {demo_server.base_url}/sitemap-news.xml: 10 article URLs" in text.splitlines()
    assert "#   not fetched (robots.txt): /private/staff-only.html" in text.splitlines()
    assert "# Samples extracted (6 of 6):" in text
    assert re.search(r"# Field coverage on the samples: title 6/6, authors 6/6, date_published 6/6, ", text)
    assert "/private/staff-only.html" not in proc.stdout.split("# Samples")[1]  # never fetched, never sampled


def test_from_a_url_to_a_checked_config_on_a_site_we_wrote(tmp_path: Path) -> None:
    sites = tmp_path / "sites"
    sites.mkdir()
    with start_server(root=write_site(tmp_path / "www")) as server:
        proc = presswire(tmp_path, "new-site", "lakeside", f"{server.base_url}/", *FAST, sites_dir=sites)
        assert proc.returncode == 0, proc.stderr
        config, text = drafted(sites / "lakeside.toml", "lakeside")
        assert config.article_allow == [r"/news/\d+-[^/]+/$"] and config.article_deny == []
        assert "# Samples extracted (5 of 5):" in text and "# Fields that look wrong: none found" in text
        assert "# Field coverage on the samples: title 5/5, authors 5/5, date_published 5/5, date_modified 0/5" in text
        assert f"#   sitemap {server.base_url}/sitemap.xml: 3 article URLs" in text
        urls = [server.url(f"/news/{slug}/") for slug, *_ in STORIES[:2]]
        proc = presswire(tmp_path, "capture", "lakeside", *urls, *FAST, sites_dir=sites)
        assert proc.returncode == 0, proc.stderr
    proc = presswire(tmp_path, "check", "lakeside", sites_dir=sites)
    assert (proc.returncode, proc.stdout) == (0, "lakeside: 2 saved pages: ok\n"), proc.stderr


def test_new_site_failures_are_one_line_and_write_nothing(demo_server, tmp_path: Path) -> None:
    empty = tmp_path / "empty-site"
    empty.mkdir()
    (empty / "index.html").write_text("<html><body><h1>Coming soon</h1></body></html>", "utf-8")
    with start_server(root=empty) as server:
        proc = presswire(tmp_path, "new-site", "soon", f"{server.base_url}/", "--into", str(tmp_path), *FAST)
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1, proc.stderr
    assert proc.stderr.startswith(f"presswire new-site: no article URLs found on {server.base_url}/")
    cases = [
        (["harbour", f"{demo_server.base_url}/"], 2, "a site named 'harbour' exists"),
        (["Bad Name", f"{demo_server.base_url}/"], 2, "invalid site name 'Bad Name'"),
        (["gone", "http://127.0.0.1:9/"], 1, "http://127.0.0.1:9/: cannot connect"),
        (["ftp", "ftp://127.0.0.1/"], 2, "ftp://127.0.0.1/: expected an http(s) URL"),
    ]
    for args, code, message in cases:
        proc = presswire(tmp_path, "new-site", *args, "--into", str(tmp_path))
        assert proc.returncode == code and proc.stderr.count("\n") == 1 and message in proc.stderr, (args, proc.stderr)
    assert not list(tmp_path.glob("*.toml")) and not list(tmp_path.glob(".*.part"))


def test_patterns_merge_sections_and_deny_what_the_allow_would_take() -> None:
    articles = ["https://courier.example/world/2026/05/01/one-two-three.html",
                "https://courier.example/sport/2026/05/02/four-five-six.html",
                "https://courier.example/2026/05/03/seven-eight-nine.html"]
    allow = propose_allow(articles)
    assert allow == [r"/\d{4}/\d{2}/\d{2}/[^/]+\.html$"]
    others = ["https://courier.example/tags/2026/05/01/all-about-boats.html", "https://courier.example/world/"]
    assert propose_deny(allow, others) == ["/tags/"]
    # only the depth tells articles apart: anchored at the host, not "any URL"
    assert propose_allow(["https://c.example/a/one-two-three", "https://c.example/b/four-five-six"]) == [
        r"^https?://[^/]+/[^/]+/[^/]+$"]


def test_fields_that_look_wrong_are_named() -> None:
    import datetime as dt

    from scrapers.authoring.draft import looks_wrong
    from scrapers.extraction import Article

    text = " ".join(["Subscribe to our newsletter for the latest harbour news today."] + ["word"] * 60)
    samples = {f"https://courier.example/news/{n}-a-story-here": Article(
        url=f"https://courier.example/news/{n}-a-story-here", title="Courier", byline_raw="By Courier Staff",
        authors=["Courier Staff"], date_published="2031-01-01", body=text) for n in range(3)}
    samples["https://courier.example/news/9-short-one"] = Article(url="https://courier.example/news/9-short-one",
                                                                  title="A short one", body="Too short.")
    findings = looks_wrong(samples, today=dt.date(2026, 12, 7))
    assert "body: 3 samples open with the same words ('Subscribe to our newsletter for the latest harbour'): " \
           "boilerplate?" in findings
    assert "body: 2 words on /news/9-short-one (under 50: the crawl drops it as not an article); a [selectors] body?" \
        in findings
    assert "date_published: 2031-01-01 on /news/0-a-story-here is in the future" in findings
    assert "date_published: none on /news/9-short-one; a [selectors] date?" in findings
    assert "authors: none on /news/9-short-one; a [selectors] byline?" in findings
    samples.pop("https://courier.example/news/9-short-one")
    assert "title: the same on every sample ('Courier'): the site's name or a label, not the article's?" in \
        looks_wrong(samples, today=dt.date(2026, 12, 7))
