"""extract_article on hostile input: an Article or an ExtractionError, fast, in bounded memory."""

from __future__ import annotations

import gzip
import os
import resource
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scrapers.extraction import Article, ExtractionError, extract_article

TIME_LIMIT = 10.0
TEXT = "Die Hafenarbeiter legten am Montag die Arbeit nieder, um gegen die neuen Schichtpläne zu protestieren. "


def doc(body: str, head: str = "") -> str:
    return f"<html><head>{head}<title>Streik im Hafen</title></head><body><article><h1>Streik im Hafen</h1>{body}</article></body></html>"


def outcome(html: str | bytes, **kwargs) -> Article | ExtractionError:
    # CPU time of this thread, not the wall clock (a busy machine only waits) nor the process's (other
    # tests' threads in this worker, a site's server, an output copier, burn CPU too): a runaway input burns it here
    started = time.thread_time()
    try:
        result: Article | ExtractionError = extract_article(html, url="https://news.example/a/story", **kwargs)
    except ExtractionError as err:
        result = err
    assert time.thread_time() - started < TIME_LIMIT
    return result


def nested(depth: int) -> str:
    return doc("<div>" * depth + f"<p>{TEXT * 5}</p>" + "</div>" * depth)


CASES = {
    "empty": b"",
    "whitespace": b"   \n\t ",
    "random bytes": os.urandom(4096),
    "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog>>endobj\n" + os.urandom(2048),
    "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + os.urandom(2048),
    "gzip": gzip.compress(doc(f"<p>{TEXT}</p>").encode()),
    "truncated": doc(f"<p>{TEXT * 10}</p>").encode()[:300],
    "nul bytes": doc(f"<p>{TEXT * 5}\x00\x00</p>").encode().replace(b"Hafen", b"Ha\x00fen"),
    "broken json-ld": doc(f"<p>{TEXT * 5}</p>", '<script type="application/ld+json">{"@type": "NewsArticle", '
                          '"headline": "Streik im Hafen", "author": {"name": "Klaus Weber"},,,</script>').encode(),
    "json-ld not an object": doc(f"<p>{TEXT * 5}</p>", '<script type="application/ld+json">[1, "x", null, [[]]]'
                                 "</script>").encode(),
    "deep json-ld": doc(f"<p>{TEXT * 5}</p>", '<script type="application/ld+json">' + '{"a":' * 5000 + "1"
                        + "}" * 5000 + "</script>").encode(),
    "entity expansion": ('<?xml version="1.0"?><!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;'
                         '&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
                         + doc(f"<p>&c;&c;&c; {TEXT * 5}</p>")).encode(),
    "only markup": b"<html><head></head><body><div><span></span></div></body></html>",
    "100k nested elements": nested(100_000).encode(),
}


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_documents(name: str) -> None:
    result = outcome(CASES[name])
    if isinstance(result, ExtractionError):
        assert result.reason and str(result)
    else:
        assert isinstance(result.to_dict(), dict)


@pytest.mark.parametrize("name", ["random bytes", "pdf", "jpeg", "gzip"])
def test_binary_files_are_refused_with_a_reason(name: str) -> None:
    result = outcome(CASES[name])
    assert isinstance(result, ExtractionError) and result.reason == "binary"


@pytest.mark.parametrize(
    ("encoding", "content_type", "declared"),
    [
        ("windows-1251", None, '<meta charset="windows-1251">'),
        ("shift_jis", "text/html; charset=Shift_JIS", ""),
        ("utf-16", None, ""),  # with its BOM
        ("windows-1251", None, ""),  # no declaration at all
        ("gbk", None, '<meta charset="gb2312">'),
        ("gbk", "text/html; charset=GB2312", ""),
        # Mislabelled: bytes that decode as UTF-8 are taken as UTF-8, whatever the label says.
        ("utf-8", "text/html; charset=iso-8859-1", '<meta charset="iso-8859-1">'),
        ("utf-8", None, '<meta charset="gb2312">'),
        ("utf-8", "text/html; charset=windows-1251", ""),
        ("utf-8", None, '<meta http-equiv="Content-Type" content="text/html; charset=shift_jis">'),
    ],
)
def test_charsets(encoding: str, content_type: str | None, declared: str) -> None:
    label = declared or content_type or ""
    words = "Die Hafenarbeiter streikten am Montag früh. " if encoding == "utf-16" else \
        "港口工人周一上午举行罢工。" if "gb" in (encoding + label).lower() else \
        "港湾労働者は月曜日の朝にストライキを行いました。" if "shift_jis" in (encoding + label).lower() else \
        "Die Hafenarbeiter streikten am Montag früh, sagte Müller. " if "iso-8859-1" in label else \
        "Портовые рабочие объявили забастовку в понедельник утром. "
    html = f"<html><head>{declared}<title>T</title></head><body><article><h1>T</h1>" \
           + "".join(f"<p>{words * 8}</p>" for _ in range(4)) + "</article></body></html>"
    result = outcome(html.encode(encoding), content_type=content_type)
    assert isinstance(result, Article)
    assert words.split()[0][:6] in result.body


def test_twenty_megabyte_page_in_bounded_time_and_memory() -> None:
    paragraph = f"<p>{TEXT * 4}</p>"
    html = doc(paragraph * (20_000_000 // len(paragraph) + 1))
    assert len(html) >= 20_000_000
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = outcome(html)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert isinstance(result, (Article, ExtractionError))
    assert grown_mb < 1500


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["<div>", "</div>", "<p>", "</p>", "<script>", "</script>", "<!--", "-->",
                                 "<![CDATA[", "]]>", "&amp;", "&#x0;", "&#99999999;", "<h1>", "<figure>",
                                 "<img src='x'>", "<figcaption>Photo: A/B</figcaption>", ('<meta name="author" '
                                  'content="By A and B">'), '<script type="application/ld+json">{"@graph": [',
                                 "]}</script>", "<time datetime='2026-13-45T99:99'>", "\x00", "\ufeff", "<",
                                 ">", "\"", "text of the article ", TEXT]), max_size=200))
def test_generated_malformed_documents(parts: list[str]) -> None:
    html = "".join(parts)
    for data in (html, html.encode("utf-8", "surrogatepass")):
        result = outcome(data)
        assert isinstance(result, (Article, ExtractionError))
        if isinstance(result, Article):
            result.to_dict()


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=3000))
def test_generated_bytes(data: bytes) -> None:
    assert isinstance(outcome(data), (Article, ExtractionError))
