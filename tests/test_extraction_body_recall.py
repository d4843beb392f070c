"""Precision rules do not cut the article's own paragraphs.

Pages written for these tests: the article's text is in the page once as the article and once
more, in part, inside another story's block (a teaser quoting it, a live post repeating it).
"""

from __future__ import annotations

from scrapers.extraction import extract_article

URL = "https://news.example/2024/harbour"
PARAS = [
    f"{n}. Harbour workers walked out on Monday morning in protest at the new shift rota, the union said, "
    "adding that more than two thousand people had joined the pickets by midday." for n in range(1, 6)
]
QUOTED = "“We will stay at the gates until the rota is withdrawn,” the union’s chair told the crowd on the quay."


def test_a_paragraph_another_story_also_quotes_stays_in_the_middle_of_the_text() -> None:
    text = "".join(f"<div class='para'>{p}</div>" for p in PARAS[:2]) + f"<div class='para'>{QUOTED}</div>"
    text += "".join(f"<div class='para'>{p}</div>" for p in PARAS[2:])
    other = (
        "<article class='story'><h2><a href='/other'>Ferry crews back the dockers</a></h2>"
        f"<p>{QUOTED}</p><p>Ferry crews said on Tuesday they would not cross the picket lines.</p></article>"
    )
    html = (
        "<html lang='en'><head><title>Dockers strike</title></head><body>"
        f"<article><h1>Dockers strike over shift rota</h1>{text}</article>{other}</body></html>"
    )
    body = extract_article(html, URL).body
    assert body is not None
    assert QUOTED in body.split("\n\n")
