"""Each extraction rule as a table of (input, expected) cases."""

from __future__ import annotations

import lxml.html
import pytest

from scrapers.extraction import ExtractionError, extract_article
from scrapers.extraction.authors import split_authors
from scrapers.extraction.captions import credit_of, split_caption
from scrapers.extraction.dates import to_iso
from scrapers.extraction.jsonld import find_article, read_jsonld
from scrapers.extraction.titles import heading_variants, in_navigation, strip_site_suffix


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("By Jane Doe and Omar Haddad, Science Editor", ["Jane Doe", "Omar Haddad"]),
        ("Von Anna Beispiel und Jörg Muster", ["Anna Beispiel", "Jörg Muster"]),
        ("Par Camille Le Goff et Yann Kerbrat", ["Camille Le Goff", "Yann Kerbrat"]),
        ("Por María López Ortega", ["María López Ortega"]),
        ("Av Ingrid Berg og Ola Nordmann", ["Ingrid Berg", "Ola Nordmann"]),
        ("nzh/abk; lmt", ["nzh/abk", "lmt"]),  # initials kept as the page gives them
        ("Jane Doe/John Roe", ["Jane Doe", "John Roe"]),
        ("AP", ["AP"]),
        ("dpa", ["dpa"]),
        ("신현주 기자", ["신현주"]),
        ("山田花子 記者", ["山田花子"]),
        ("By Grace O'Neill, Staff Writer", ["Grace O'Neill"]),
        ("von Lukas Brenner, RNK Stand: 28. April 2023, 05:00 Uhr", ["Lukas Brenner", "RNK"]),
        ("By Jane Doe @janedoe Updated 5 min ago", ["Jane Doe"]),
        ("Radio Kestrel (www.radiokestrel.example)", ["Radio Kestrel"]),  # a site's address is not part of a name
        # a compound surname joined by "y"/"i"/"e" is one person; two full names are two
        ("José Ortega y Gasset", ["José Ortega y Gasset"]),
        ("Francesc Pi i Margall", ["Francesc Pi i Margall"]),
        ("Por Lucía Navarro y Tomás Ferrer", ["Lucía Navarro", "Tomás Ferrer"]),
        # a role word inside a hyphenated name is part of the name
        ("Von Anna Editor-Meier", ["Anna Editor-Meier"]),
        ("By Tom Reporter-Hale, Staff Writer", ["Tom Reporter-Hale"]),
        # byline labels of many languages are not part of the names
        ("ข่าวโดย: สมชาย ใจดี", ["สมชาย ใจดี"]),
        ("بقلم: سامي نور", ["سامي نور"]),
        ("रिपोर्ट: अमित वर्मा", ["अमित वर्मा"]),
        ("Penulis: Rina Wulandari", ["Rina Wulandari"]),
        ("نویسنده: مریم کاظمی", ["مریم کاظمی"]),
        ("记者 王小明 报道", ["王小明"]),
        ("本报记者李华", ["李华"]),
        # two Korean names joined by a middle dot are two people
        ("김민수·이서연 기자", ["김민수", "이서연"]),
        ("박지훈ㆍ최유나 기자", ["박지훈", "최유나"]),
        ("", []),
    ],
)
def test_split_authors(byline: str, expected: list[str]) -> None:
    assert split_authors(byline) == expected


@pytest.mark.parametrize(
    ("raw", "languages", "expected"),
    [
        ("2024-03-18T09:05:00+00:00", None, "2024-03-18T09:05:00+00:00"),
        ("2024-03-18T09:05:00Z", None, "2024-03-18T09:05:00+00:00"),
        ("2024-03-18T09:05:00.123+0200", None, "2024-03-18T09:05:00+02:00"),
        ("2024-03-18 09:05", None, "2024-03-18T09:05:00"),
        ("2024-03-18", None, "2024-03-18"),
        ("1710752700", None, "2024-03-18T09:05:00+00:00"),
        ("March 6, 2024 9:45 p.m. ET", None, "2024-03-06T21:45:00-05:00"),
        ("July 6, 2024 9:45 a.m. ET", None, "2024-07-06T09:45:00-04:00"),
        ("12.03.2024, 14:30 Uhr", ["de"], "2024-03-12T14:30:00+01:00"),
        ("12.07.2024, 14:30 Uhr", ["de"], "2024-07-12T14:30:00+02:00"),
        ("2 septembre 2023", ["fr"], "2023-09-02"),
        # named zones resolved with zoneinfo for the date given, DST change days included
        ("Jan 5, 2024 10:00 EST", None, "2024-01-05T10:00:00-05:00"),
        ("July 5, 2024 10:00 EDT", None, "2024-07-05T10:00:00-04:00"),
        ("Jan 5, 2024 10:00 PST", None, "2024-01-05T10:00:00-08:00"),
        ("5 January 2024 10:00 AEDT", None, "2024-01-05T10:00:00+11:00"),
        ("March 8, 2026 1:00 a.m. ET", None, "2026-03-08T01:00:00-05:00"),  # before the 2 a.m. change
        ("March 8, 2026 3:00 a.m. ET", None, "2026-03-08T03:00:00-04:00"),
        ("Selasa, 5 Maret 2024 14:30 WIB", ["id"], "2024-03-05T14:30:00+07:00"),
        ("15 मार्च 2024, 02:30 PM IST", ["hi"], "2024-03-15T14:30:00+05:30"),
        ("Thứ sáu, 15/03/2024, 14:30 (GMT+7)", ["vi"], "2024-03-15T14:30:00+07:00"),
        # local calendars, digits and time marks
        ("입력 2024.03.05 오후 3:20", ["ko"], "2024-03-05T15:20:00"),
        ("입력 2024.03.05 오전 9:05", None, "2024-03-05T09:05:00"),
        ("5 พ.ย. 2567", ["th"], "2024-11-05"),  # Buddhist era year
        ("۱۴ اسفند ۱۴۰۲", ["fa"], "2024-03-04"),  # solar hijri, Persian digits
        ("۱ فروردین ۱۴۰۳ - ۱۰:۳۰", ["fa"], "2024-03-20T10:30:00"),
        ("9 تير 1403 - 08:15:00", ["fa"], "2024-06-29T08:15:00"),  # Arabic yeh in the month, ASCII digits
        ("15 მარტი 2024, 14:30", ["ka"], "2024-03-15T14:30:00"),
        ("2024年3月5日 14時30分", ["ja"], "2024-03-05T14:30:00"),
        ("2024年03月05日 14:30", ["zh"], "2024-03-05T14:30:00"),
        ("2024年03月05日 14:30 来源：东方日报", ["zh"], "2024-03-05T14:30:00"),
        ("Fri Apr 28 19:20:36 CEST 2023", ["de"], None),  # a day without its month is no date
        ("Tuesday", None, None),  # would resolve against today
        ("not a date", None, None),
        ("1850-01-01", None, None),
    ],
)
def test_to_iso(raw: str, languages: list[str] | None, expected: str | None) -> None:
    assert to_iso(raw, languages) == expected


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        ("The ferry at dawn. Photo: Lena Hart", ("The ferry at dawn.", "Lena Hart")),
        ("Der Hafen am Morgen. Foto: Stadt Lahntal/Planungsamt", ("Der Hafen am Morgen.", "Stadt Lahntal/Planungsamt")),
        ("Die Brücke. Bild: Jana Beispiel", ("Die Brücke.", "Jana Beispiel")),
        ("Le quai. (Photo : Yann Kerbrat)", ("Le quai.", "Yann Kerbrat")),
        ("A rocket on the pad (Image: Kestrel Space Agency)", ("A rocket on the pad", "Kestrel Space Agency")),
        ("Protesters in the square. Jane Doe/Getty Images", ("Protesters in the square.", "Jane Doe/Getty Images")),
        ("Sala de lectura. EFE/Ana Ruiz", ("Sala de lectura.", "EFE/Ana Ruiz")),
        ("Greta van der Molen. Konrad von Albrecht/dpa", ("Greta van der Molen.", "Konrad von Albrecht/dpa")),
        ("The old town hall © Marta Nowak", ("The old town hall", "Marta Nowak")),
        ("Voters lined up. (Marcus Bell/Lakeview Ledger)", ("Voters lined up.", "Marcus Bell/Lakeview Ledger")),
        ("桜＝２１日午前（Ｃ）みなと通信", ("桜＝２１日午前", "みなと通信")),
        ("Сотрудники на площади. Фото: Иван Петров", ("Сотрудники на площади.", "Иван Петров")),
        # credit labels of many scripts and their separators ("=", "／", "・")
        ("市民在公园赏花。图片来源：东方图库", ("市民在公园赏花。", "东方图库")),
        ("市民在公园赏花。圖／王大明", ("市民在公园赏花。", "王大明")),
        ("항구의 아침 풍경. 사진=김철수", ("항구의 아침 풍경.", "김철수")),
        ("ท่าเรือยามเช้า ภาพ: สมชาย ใจดี", ("ท่าเรือยามเช้า", "สมชาย ใจดี")),
        ("الميناء صباحا. تصوير: سامي نور", ("الميناء صباحا.", "سامي نور")),
        ("הנמל בבוקר. צילום: דנה לוי", ("הנמל בבוקר.", "דנה לוי")),
        ("बंदरगाह की सुबह। फोटो: अमित वर्मा", ("बंदरगाह की सुबह।", "अमित वर्मा")),
        ("Το λιμάνι το πρωί. Φωτογραφία: Νίκος Παππάς", ("Το λιμάνι το πρωί.", "Νίκος Παππάς")),
        ("بندر در صبح. عکس: مریم کاظمی", ("بندر در صبح.", "مریم کاظمی")),
        ("港の朝（撮影・山田太郎）", ("港の朝", "山田太郎")),
        ("Người dân đi dạo bên cảng. Ảnh: Trần Minh Khoa", ("Người dân đi dạo bên cảng.", "Trần Minh Khoa")),
        # a Chinese credit in brackets: the photographer, then 摄 ("photographed")
        ("市民在公园赏花。（王小明 摄）", ("市民在公园赏花。", "王小明")),
        ("The team celebrates (left)", ("The team celebrates (left)", None)),
        ("Built in 1890 (2019)", ("Built in 1890 (2019)", None)),
        ("The AP said so", ("The AP said so", None)),
    ],
)
def test_split_caption(caption: str, expected: tuple[str | None, str | None]) -> None:
    assert split_caption(caption) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Foto: Beat Imhof (Keystone)", "Beat Imhof (Keystone)"),
        ("Photograph: Riverside City Council", "Riverside City Council"),
        ("© Jane Doe", "Jane Doe"),
        ("Copyright Nils Ekdahl/AP", "Nils Ekdahl/AP"),
        ("Getty Images", "Getty Images"),
        ("(Daniel R. Mercer / AP)", "Daniel R. Mercer / AP"),  # the whole credit in brackets
        ("Jane Doe (AP)", "Jane Doe (AP)"),
    ],
)
def test_credit_of(text: str, expected: str) -> None:
    assert credit_of(text) == expected


@pytest.mark.parametrize(
    ("title", "site_name", "expected"),
    [
        ("Harbour town votes to keep its last ferry | Northport Herald", "Northport Herald",
         "Harbour town votes to keep its last ferry"),
        ("Library bond passes by a wide margin - Lakeview Ledger", None, "Library bond passes by a wide margin"),
        ("Northport Herald | Harbour town votes", "Northport Herald", "Harbour town votes"),
        ("Mayor says: we win", None, "Mayor says: we win"),
        # "_" (and a full-width bar) join the site name on many CJK sites
        ("港口预算获批_北港新闻网", "北港新闻网", "港口预算获批"),
        ("港口预算获批，渡轮服务将延续三年_北港新闻网", None, "港口预算获批，渡轮服务将延续三年"),
        ("Harbour budget passes after long night_Northport Herald", None, "Harbour budget passes after long night"),
        ("항구 예산안 통과, 여객선 유지 결정｜바다일보", None, "항구 예산안 통과, 여객선 유지 결정"),
        ("Short | Two Parts Here", None, "Short | Two Parts Here"),
    ],
)
def test_strip_site_suffix(title: str, site_name: str | None, expected: str) -> None:
    assert strip_site_suffix(title, site_name) == expected


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<h1><span class="kicker">Kicker</span> <span class="headline">The headline</span></h1>',
         ["Kicker The headline", "The headline"]),
        ('<h1><span class="story-overline">Topic</span><span aria-hidden="true"> - </span>'
         '<span class="story-title-text">Headline</span></h1>', ["Topic - Headline", "Headline"]),
        ("<h1>Plain headline</h1>", ["Plain headline"]),
        ("<h1>Headline <style>.x{color:red}</style></h1>", ["Headline"]),
    ],
)
def test_heading_variants(html: str, expected: list[str]) -> None:
    assert heading_variants(lxml.html.fragment_fromstring(html)) == expected


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<nav><ol><li><h1 id="t">Trail</h1></li></ol></nav>', True),
        ('<div class="breadcrumbs"><span><h1 id="t">Trail</h1></span></div>', True),
        ('<div><a href="/">Home</a><a href="/x">X</a><h1 id="t">Trail</h1></div>', True),
        ('<article><header><h1 id="t">Real</h1></header></article>', False),
    ],
)
def test_in_navigation(html: str, expected: bool) -> None:
    tree = lxml.html.document_fromstring(f"<html><body>{html}</body></html>")
    assert in_navigation(tree.get_element_by_id("t")) is expected


_BODY = "<p>" + "The council met on Tuesday evening to debate the harbour budget. " * 6 + "</p>"


@pytest.mark.parametrize(
    ("head", "heading", "expected"),
    [
        # og:title matching the h1 (less the site suffix): the h1
        ('<meta property="og:title" content="Ferry service saved by late vote | Northport Herald">'
         '<meta property="og:site_name" content="Northport Herald">',
         "<h1>Ferry service saved by late vote</h1>", "Ferry service saved by late vote"),
        # og:title is the h1 with a clause left out: the publisher's trimmed headline
        ('<title>Ferry service saved by late vote after a night of angry debate | Herald</title>'
         '<meta property="og:title" content="Ferry service saved by late vote">',
         "<h1>Ferry service saved by late vote after a night of angry debate</h1>",
         "Ferry service saved by late vote"),
        # ...but a truncated og:title is not a trim, and one with words of its own is another headline
        ('<title>Ferry service saved by late vote after a night of angry debate - Herald</title>'
         '<meta property="og:title" content="Ferry service saved by late vote after a…">',
         "<h1>Ferry service saved by late vote after a night of angry debate</h1>",
         "Ferry service saved by late vote after a night of angry debate"),
        ('<title>Ferry service saved by late vote after a night of angry debate - Herald</title>'
         '<meta property="og:title" content="Ferry rescued: what the vote means for you">',
         "<h1>Ferry service saved by late vote after a night of angry debate</h1>",
         "Ferry service saved by late vote after a night of angry debate"),
        # a kicker-marked part that only starts the declared title is the kicker, not the headline
        ('<meta property="og:title" content="Streit um den Hafen: Stadtrat rettet die Fähre">',
         '<h1><span class="subline">Streit um den Hafen</span><span class="topline">Der Stadtrat rettet die'
         ' Fähre</span></h1>', "Streit um den Hafen: Stadtrat rettet die Fähre"),
        # the h1 inside a declared title between a kicker and the site name
        ("<title>Hafenstreit: Stadtrat rettet die Fähre | Herald</title>", "<h1>Stadtrat rettet die Fähre</h1>",
         "Stadtrat rettet die Fähre"),
        # no h1 and a title with a glued-on suffix: the headline meta the page declares
        ('<title>시장, 새 항구 예산안 발표했다-사회ㅣ바다일보</title>'
         '<meta name="headline" content="시장, 새 항구 예산안 발표했다">',
         "", "시장, 새 항구 예산안 발표했다"),
        # no usable h1, a one-word section label where the headline would be: the declared headline
        ('<meta property="og:title" content="Stadtrat beschließt neuen Fährplan für den Winter">',
         '<header><h2 class="section-title">Politik</h2></header>',
         "Stadtrat beschließt neuen Fährplan für den Winter"),
        ('<script type="application/ld+json">{"@type": "NewsArticle", '
         '"headline": "Heavy snow expected across the northern valleys tonight"}</script>',
         '<div itemprop="headline">Weather</div>', "Heavy snow expected across the northern valleys tonight"),
        ("<title>Weather | Quay Ledger</title>"
         '<meta property="og:title" content="Heavy snow expected across the northern valleys tonight">',
         "<h1>Weather</h1>", "Heavy snow expected across the northern valleys tonight"),
        # ...but a short headline is not a label when the declarations say it is the headline
        ('<meta property="og:title" content="Snow at last">', '<header><h2 class="title">Snow at last</h2></header>',
         "Snow at last"),
        # a heading split in two parts: the first when it is the declared title, the whole when that is
        ('<meta property="og:title" content="Harbour bridge reopens">',
         '<header><h2 class="story-title"><span class="overline">Harbour bridge reopens</span>'
         "<span>after eight months of repairs to its deck</span></h2></header>", "Harbour bridge reopens"),
        ('<meta property="og:title" content="Harbour bridge reopens after eight months of repairs to its deck">',
         '<header><h2 class="story-title"><span class="line">Harbour bridge reopens</span>'
         "<span>after eight months of repairs to its deck</span></h2></header>",
         "Harbour bridge reopens after eight months of repairs to its deck"),
        ("<title>Harbour bridge reopens | Quay Ledger</title>",
         "<h1>Harbour bridge reopens<br>Eight months of repairs to the deck are over at last</h1>",
         "Harbour bridge reopens"),
        # a kicker shown in its own span, declared with the page's separator: that separator is kept
        ('<meta property="og:title" content="Harbour works: Bridge reopens after eight months">'
         '<script type="application/ld+json">{"@type": "NewsArticle", '
         '"headline": "Harbour works Bridge reopens after eight months"}</script>',
         '<h1><span class="top">Harbour works</span> <span>Bridge reopens after eight months</span></h1>',
         "Harbour works: Bridge reopens after eight months"),
        ('<meta property="og:title" content="Hafenarbeiten – Brücke nach acht Monaten wieder offen">',
         "<h1>Hafenarbeiten<br>Brücke nach acht Monaten wieder offen</h1>",
         "Hafenarbeiten – Brücke nach acht Monaten wieder offen"),
    ],
)
def test_headline_choice(head: str, heading: str, expected: str) -> None:
    html = f"<html><head>{head}</head><body><article>{heading}{_BODY}</article></body></html>"
    assert extract_article(html, "https://news.example/a").title == expected


_TEXT = "".join(f"<p>The council met on Tuesday to debate the harbour budget, part {n}.</p>" for n in range(1, 7))
_ORG_AUTHOR = (
    '<meta property="og:site_name" content="Northport Herald">'
    '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Harbour budget",'
    ' "author": {"@type": "Organization", "name": "Northport Herald"}}</script>'
)


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        # a domain signing along with a person is the site, not an author
        ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Harbour budget",'
         ' "author": [{"@type": "Person", "name": "Jane Doe"}, {"@type": "Person", "name": "Herald.no"}]}'
         "</script>", _TEXT, ["Jane Doe"]),
        # first and last name in separate elements are one person; two persons stay two
        ("", '<div class="byline"><a rel="author"><span class="firstname">Ingrid</span> '
         '<span class="lastname">Berg</span></a> <a rel="author"><span class="first-name">Ola Nils</span> '
         '<span class="last-name">Nordmann</span></a></div>' + _TEXT, ["Ingrid Berg", "Ola Nils Nordmann"]),
        # only the publisher declared, the text signed in bold at its start or end
        (_ORG_AUTHOR, "<p><strong>Lerato Mokoena/Thabo Nkosi</strong></p>" + _TEXT,
         ["Lerato Mokoena", "Thabo Nkosi"]),
        (_ORG_AUTHOR, _TEXT + '<p style="text-align:right"><strong>Trần Minh Khoa</strong></p>', ["Trần Minh Khoa"]),
        # a bold byline closing the text, in scripts without capitals and with a label
        (_ORG_AUTHOR, _TEXT + "<p><strong>สมชาย ใจดี</strong></p>", ["สมชาย ใจดี"]),
        (_ORG_AUTHOR, _TEXT + "<p><b>بقلم: سامي نور</b></p>", ["سامي نور"]),
        (_ORG_AUTHOR, _TEXT + "<p><strong>रिपोर्ट: अमित वर्मा</strong></p>", ["अमित वर्मा"]),
        # a bold line that is a subhead, a link or a date is not a signature
        (_ORG_AUTHOR, "<p><b>Budget Vote</b> follows</p>" + _TEXT
         + '<p><b><a href="/donate">Support Us Today</a></b></p><p><b>March 12</b></p>', ["Northport Herald"]),
    ],
)
def test_byline_choice(head: str, body: str, expected: list[str]) -> None:
    html = f"<html><head>{head}</head><body><article><h1>Harbour budget</h1>{body}</article></body></html>"
    assert extract_article(html, "https://herald.example/a").authors == expected


@pytest.mark.parametrize(
    ("head", "dateline", "expected"),
    [
        ('<meta property="article:published:time" content="2024-11-02T07:41:09+00:00">', "",
         "2024-11-02T07:41:09+00:00"),
        # label words before the date are not part of it
        ('<meta http-equiv="content-language" content="de">',
         '<p class="meta">Veröffentlicht am 9. Juni 2026 um 08:12</p>', "2026-06-09T08:12:00"),
        ('<meta http-equiv="content-language" content="de">',
         '<span class="when">Erschienen: <strong>14. Februar 2025, 11:05</strong></span>', "2025-02-14T11:05:00"),
        ("", '<p class="meta">Published on March 3, 2024 at 10:05</p>', "2024-03-03T10:05:00"),
    ],
)
def test_date_choice(head: str, dateline: str, expected: str) -> None:
    html = (f'<html><head>{head}</head><body><article><h1>Hafen</h1>{dateline}{_TEXT}'
            "</article></body></html>")
    assert extract_article(html, "https://herald.example/a").date_published == expected


_IMG = '<img src="/img/harbour.jpg" alt="">'


@pytest.mark.parametrize(
    ("article", "expected"),
    [
        # a caption made of parts: the short last part that reads as a source is the credit
        (f"<figure>{_IMG}<figcaption><span>Fans waited at the quay for the first ferry of the season.</span>"
         "<span>Getty Images</span></figcaption></figure>", ["Getty Images"]),
        (f"<figure>{_IMG}<figcaption><span>The quay at dawn, before the crowds.</span>"
         "<span>Second ferry</span><span>The harbour master watches the first ferry leave.</span>"
         "</figcaption></figure>", []),
        # a bare "Copyright" label is not the credit; the element after it is
        (f'<figure>{_IMG}<figcaption>The quay. <span class="caption__copyright">Copyright</span> '
         '<span class="caption__credit">Lena Hart</span></figcaption></figure>', ["Lena Hart"]),
        # the site's copyright line beside a picture is not the picture's credit
        (f'<div class="promo">{_IMG}<p class="copyright">© 2025 Northport Herald. All rights reserved.</p></div>', []),
        (f'<div class="promo">{_IMG}<p class="copyright">© 2025 北港日报 版权所有</p></div>', []),
        # the writer's attribution beside the headline and lead image is not an image credit
        (f'<div class="head"><h1>Harbour budget</h1>{_IMG}<div class="attribution">Lotte Van Der Wal'
         "<span>Published <time>4 months ago</time></span></div></div>", []),
    ],
)
def test_image_credits(article: str, expected: list[str]) -> None:
    html = f"<html><head></head><body><article>{article}{_TEXT}</article></body></html>"
    images = extract_article(html, "https://herald.example/a").images
    assert [image.credit for image in images if image.credit] == expected


_LEAD = "Residents backed the ferry subsidy after a heated four-hour meeting in the town hall."


@pytest.mark.parametrize(
    ("head", "article", "expected"),
    [
        # the declared description shown under the headline is the standfirst
        (f'<meta property="og:description" content="{_LEAD}">',
         f'<h1>Harbour budget</h1><p class="standfirst">{_LEAD}</p>{_TEXT}', _LEAD),
        (f'<meta name="description" content="{_LEAD}">',
         f'<header><h1>Harbour budget</h1><div class="x"><h2>{_LEAD}</h2></div></header>{_TEXT}', _LEAD),
        # a description the page does not show, or shows only in a caption or a teaser list, is not
        (f'<meta property="og:description" content="{_LEAD}">', f"<h1>Harbour budget</h1>{_TEXT}", None),
        (f'<meta property="og:description" content="{_LEAD}">',
         f'<h1>Harbour budget</h1><figure><img src="/a.jpg"><figcaption>{_LEAD}</figcaption></figure>{_TEXT}', None),
        (f'<meta property="og:description" content="{_LEAD}">',
         f'<ul><li><p>{_LEAD}</p></li></ul><h1>Harbour budget</h1>{_TEXT}', None),
        # ...and neither is one shown after the text has begun
        (f'<meta property="og:description" content="{_LEAD}">', f"<h1>Harbour budget</h1>{_TEXT}<p>{_LEAD}</p>", None),
    ],
)
def test_standfirst(head: str, article: str, expected: str | None) -> None:
    html = f"<html><head>{head}</head><body><article>{article}</article></body></html>"
    assert extract_article(html, "https://herald.example/a").standfirst == expected


@pytest.mark.parametrize(
    ("script", "headline"),
    [
        ('{"@type": "NewsArticle", "headline": "A"}', "A"),
        ('{"@graph": [{"@type": "WebPage"}, {"@type": ["NewsArticle"], "headline": "B"}]}', "B"),
        ('[{"@type": "BlogPosting", "headline": "C",}]', "C"),  # trailing comma
        ('<!-- {"@type": "Article", "headline": "D"} -->', "D"),
        ('{"@type": "WebPage", "mainEntity": {"@type": "ReportageNewsArticle", "headline": "E"}}', "E"),
        ('{"@type": "NewsArticle", "headline": ', None),  # truncated: ignored
    ],
)
def test_jsonld_variants(script: str, headline: str | None) -> None:
    tree = lxml.html.document_fromstring(
        f'<html><head><script type="application/ld+json">{script}</script></head><body><p>x</p></body></html>'
    )
    article = find_article(read_jsonld(tree))
    assert (article or {}).get("headline") == headline


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"", "empty"),
        (b"   \n ", "empty"),
        (b"%PDF-1.7 binary", "binary"),
        (b"\x89PNG\r\n\x1a\n....", "binary"),
    ],
)
def test_bad_input_raises_extraction_error(payload: bytes, reason: str) -> None:
    with pytest.raises(ExtractionError) as err:
        extract_article(payload, "https://example.com/a")
    assert err.value.reason == reason


@pytest.mark.parametrize(
    ("html", "title", "body"),
    [
        ("<p>just a fragment</p>", None, "just a fragment"),
        ("plain text", None, "plain text"),
        # the headline is a field of its own: a page with only a title has no body
        ("<html><body><h1>Only a title</h1></body></html>", "Only a title", None),
    ],
)
def test_thin_pages_return_an_article(html: str, title: str | None, body: str | None) -> None:
    article = extract_article(html, "https://example.com/a")
    assert (article.url, article.title, article.body) == ("https://example.com/a", title, body)


def test_a_page_without_elements_raises() -> None:
    with pytest.raises(ExtractionError) as err:
        extract_article("<html></html>", "https://example.com/a")
    assert err.value.reason == "empty"


_LEAD_IMAGE = '<meta property="og:image" content="https://herald.example/lead.jpg">'
_FIGURE = '<figure><img src="/img/quay.jpg"><figcaption>The quay. Photo: Lena Hart</figcaption></figure>'


@pytest.mark.parametrize(
    ("head", "article", "authors", "credits"),
    [
        # a credit line closing the text credits the lead image...
        (_LEAD_IMAGE, _TEXT + "<p>Photos: Omar Haddad</p>", [], ["Omar Haddad"]),
        (_LEAD_IMAGE, _TEXT + "<p>Foto: Jana Beispiel</p>", [], ["Jana Beispiel"]),
        # ...and an artist's line credits the piece too; a closing bold byline above it goes as well
        (_LEAD_IMAGE, _TEXT + "<p><b>By Jane Doe</b></p><p>Art by Omar Haddad</p>", ["Jane Doe", "Omar Haddad"],
         ["Omar Haddad"]),
        # the first image without a credit gets it; when every image has one, it joins the lead's
        (_LEAD_IMAGE, _FIGURE + _TEXT + "<p>Illustrations: Omar Haddad</p>", [], ["Omar Haddad", "Lena Hart"]),
        ("", _FIGURE + _TEXT + "<p>Illustrations: Omar Haddad</p>", [], ["Lena Hart; Omar Haddad"]),
        # a sentence that starts like a label is text
        (_LEAD_IMAGE, _TEXT + "<p>The photo: a quay at dawn, shown to the council on Tuesday night.</p>", [], [None]),
    ],
)
def test_closing_credit_lines(head: str, article: str, authors: list[str], credits: list[str | None]) -> None:
    html = f"<html><head>{head}</head><body><article><h1>Harbour budget</h1>{article}</article></body></html>"
    record = extract_article(html, "https://herald.example/a")
    assert record.authors == authors
    assert [image.credit for image in record.images] == credits
    assert record.body is not None and record.body.endswith(("part 6.", "Tuesday night."))
