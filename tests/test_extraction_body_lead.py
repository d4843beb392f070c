"""The article's opening text is kept when the template sets it apart from the paragraphs.

Pages written for these tests. trafilatura's precision mode drops a lead written straight into
the article's container (no <p>) and an intro block printed beside the headline.
"""

from __future__ import annotations

from scrapers.extraction import extract_article

URL = "https://news.example/2024/harbour"
LEAD = ("Harbour workers walked out on Monday morning in protest at the new shift rota, "
        "halting every crane on the eastern quay.")
PARAS = [
    f"{n}. The union said more than two thousand people had joined the strike by midday, and that the "
    "pickets would stay at the gates until the port authority agreed to reopen talks on the rota." for n in range(1, 5)
]


def test_a_lead_written_straight_into_the_container_is_kept() -> None:
    html = (
        "<html lang='en'><head><title>Dockers strike</title></head><body><nav><a href='/'>Home</a></nav>"
        "<article><h1>Dockers strike over shift rota</h1>"
        "<div class='author'>By Nora Quist on 3 June 2024</div>"
        "<div class='content'><div class='thumb'><img src='/crane.jpg' alt=''></div>"
        f"{LEAD}<br><br>" + "<br><br>".join(PARAS) + "</div></article></body></html>"
    )
    body = extract_article(html, URL).body
    assert body is not None
    assert body.split("\n\n")[0] == LEAD
    assert body.count(LEAD) == 1 and PARAS[-1] in body


def test_an_intro_block_beside_the_headline_is_kept() -> None:
    html = (
        "<html lang='en'><head><title>Dockers strike</title></head><body>"
        "<div class='page'><figure><img src='/crane.jpg'><figcaption>The eastern quay. Photo: Ada Berg</figcaption>"
        f"</figure><div class='intro-wrap'><div class='intro'><h1>Dockers strike over shift rota</h1><p>{LEAD}</p></div></div>"
        "<div class='text'>" + "".join(f"<p>{p}</p>" for p in PARAS) + "</div></div></body></html>"
    )
    body = extract_article(html, URL).body
    assert body is not None
    parts = body.split("\n\n")
    assert parts[0] == LEAD and parts[1:] == PARAS


def test_furniture_between_the_headline_and_the_text_stays_out() -> None:
    html = (
        "<html lang='en'><head><title>Dockers strike</title></head><body><article>"
        "<h1>Dockers strike over shift rota</h1>"
        "<div class='share-tools'>Share this article with your friends and family on every network you use today.</div>"
        "<figure><figcaption>Cranes stood still on the eastern quay on Monday, as the pickets gathered at the gates.</figcaption>"
        "</figure><div class='newsletter'>Sign up to our morning briefing and get the day's news in your inbox.</div>"
        + "".join(f"<p>{p}</p>" for p in PARAS) + "</article></body></html>"
    )
    assert extract_article(html, URL).body == "\n\n".join(PARAS)
