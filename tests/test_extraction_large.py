"""Pages too large for trafilatura: their body is read directly, paragraph by paragraph."""

from __future__ import annotations

import pytest
from lxml.html import document_fromstring

from scrapers.extraction import body_large, extract_article


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<body><p>One.</p><p>Two <b>bold</b>.</p></body>", "One.\n\nTwo bold."),
        ("<body><p>Line one<br>line two</p></body>", "Line one line two"),
        ("<body><nav><p>Menu</p></nav><p>Text.</p><footer><p>Footer</p></footer></body>", "Text."),
        ("<body><div>A line in a div</div><ul><li>Item</li></ul></body>", "A line in a div\n\nItem"),
        ("<body><h1>Headline</h1><script>x</script><p>Text.</p></body>", "Text."),
    ],
)
def test_plain_body(html: str, expected: str) -> None:
    assert body_large.plain_body(document_fromstring(html)) == expected


def test_a_page_past_the_limit_keeps_every_paragraph(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(body_large, "MAX_TEXT_NODES", 100)
    paragraphs = [f"Paragraph {i} of a very long live report, with enough words to be text." for i in range(300)]
    html = "<html><body><article><h1>Live</h1>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article></body></html>"
    article = extract_article(html, "https://example.com/live")
    assert article.body == "\n\n".join(paragraphs)
