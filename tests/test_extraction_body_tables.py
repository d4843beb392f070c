"""Tables that lay out the article are read as text; data tables keep their rows.

Pages written for these tests.
"""

from __future__ import annotations

from scrapers.extraction import extract_article

URL = "https://news.example/2024/harbour"
PARAS = [
    f"{n}. Harbour workers walked out on Monday morning in protest at the new shift rota, the union said, "
    "adding that more than two thousand people had joined the pickets by midday." for n in range(1, 6)
]


def page(body: str) -> str:
    return f"<html lang='en'><head><title>Dockers strike</title></head><body>{body}</body></html>"


def test_an_article_laid_out_in_table_cells_keeps_its_paragraphs() -> None:
    html = page(
        "<table width='100%'><tr><td width='150'><a href='/'>Home</a><br><a href='/world'>World</a></td>"
        "<td><h1>Dockers strike over shift rota</h1>" + "".join(f"<p>{p}</p>" for p in PARAS) + "</td></tr></table>"
    )
    body = extract_article(html, URL).body
    assert body == "\n\n".join(PARAS)


def test_prose_cells_split_by_line_breaks_are_paragraphs_not_bars() -> None:
    html = page(
        "<article><h1>Dockers strike over shift rota</h1><table><tr><td>"
        + "<br><br>".join(PARAS[:3]) + "</td></tr><tr><td>" + "<br><br>".join(PARAS[3:]) + "</td></tr></table></article>"
    )
    body = extract_article(html, URL).body
    assert body is not None and "|" not in body
    assert body.split("\n\n") == PARAS


def test_a_data_table_keeps_its_rows() -> None:
    html = page(
        "<article><h1>Dockers strike over shift rota</h1>" + "".join(f"<p>{p}</p>" for p in PARAS[:3])
        + "<table><tr><th>Quay</th><th>Workers</th></tr><tr><td>East</td><td>1,200</td></tr>"
        "<tr><td>West</td><td>900</td></tr></table></article>"
    )
    body = extract_article(html, URL).body
    assert body is not None
    assert "| East | 1,200 |" in body and "| West | 900 |" in body
