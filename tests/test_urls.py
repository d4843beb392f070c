import pytest

from scrapers.discovery.urls import in_domains, looks_like_article, looks_like_listing


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.example/world/2026/11/20/storm-hits-harbour.html", True),
        ("https://news.example/2026/11/20/storm/", True),
        ("https://news.example/politics/minister-resigns-after-budget-row", True),
        ("https://news.example/story/1234567", True),
        ("https://news.example/world/", False),
        ("https://news.example/tags/space.html", False),
        ("https://news.example/author/jane-doe-and-friends-page", False),
        ("https://news.example/world/page/2/", False),
        ("https://news.example/img/2026/11/20/photo-of-the-storm.jpg", False),
        ("https://news.example/", False),
        ("ftp://news.example/2026/11/20/storm-hits-harbour.html", False),
        ("file:///etc/2026/11/20/passwd-file-of-host", False),
    ],
)
def test_looks_like_article(url: str, expected: bool) -> None:
    assert looks_like_article(url) is expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.example/world/", True),
        ("https://news.example/world/page/2/", True),
        ("https://news.example/science/space", True),
        ("https://news.example/world/2026/11/20/storm-hits-harbour.html", False),
        ("https://news.example/feed.xml", False),
        ("https://news.example/tags/space.html", False),
    ],
)
def test_looks_like_listing(url: str, expected: bool) -> None:
    assert looks_like_listing(url) is expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.news.example/a", True),
        ("https://news.example/a", True),
        ("https://evilnews.example/a", False),
        ("https://news.example.evil.test/a", False),
    ],
)
def test_in_domains(url: str, expected: bool) -> None:
    assert in_domains(url, ["news.example"]) is expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://n.example/a/story-one-two?utm_source=x&id=3#top", "https://n.example/a/story-one-two?id=3"),
        ("https://n.example/a;jsessionid=ABC123?sid=9&page=2", "https://n.example/a?page=2"),
        ("https://n.example/a?PHPSESSID=1", "https://n.example/a"),
    ],
)
def test_clean_url(url: str, expected: str) -> None:
    from scrapers.discovery.urls import clean_url

    assert clean_url(url) == expected
