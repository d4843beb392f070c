"""Publication dates written in many scripts and conventions, and dates on the page that are not the article's.

Pages written for these tests: a short report about a harbour strike in each language, with the
date printed as that language's news sites print it and declared nowhere else.
"""

from __future__ import annotations

import pytest

from scrapers.extraction import extract_article

URL = "https://news.example/2024/harbour-strike"
TEXT = {
    "ko": "항만 노동자들이 월요일 아침 새 근무표에 항의하며 파업에 들어갔다. 노조는 참가자가 이천 명을 넘었다고 밝혔다. "
          "항만 운영사는 오후에 성명을 내고 협상을 계속하겠다고 말했다.",
    "hi": "बंदरगाह के मज़दूरों ने सोमवार सुबह नई पाली व्यवस्था के विरोध में हड़ताल की। यूनियन के अनुसार दो हज़ार से अधिक लोग "
          "इसमें शामिल हुए। बंदरगाह प्रबंधन ने दोपहर में बयान जारी कर बातचीत जारी रखने की बात कही।",
    "vi": "Công nhân cảng đã đình công vào sáng thứ Hai để phản đối lịch làm việc mới. Công đoàn cho biết hơn hai nghìn "
          "người đã tham gia. Ban quản lý cảng ra thông cáo vào buổi chiều và cho biết sẽ tiếp tục đối thoại.",
    "ka": "პორტის მუშებმა ორშაბათს დილით გაფიცვა დაიწყეს ახალი ცვლების განრიგის გასაპროტესტებლად. პროფკავშირის "
          "თქმით, მასში ორ ათასზე მეტი ადამიანი მონაწილეობს. პორტის ადმინისტრაციამ განაცხადა, რომ მოლაპარაკებას გააგრძელებს.",
    "bn": "বন্দরের শ্রমিকেরা সোমবার সকালে নতুন পালার সময়সূচির প্রতিবাদে ধর্মঘট করেন। ইউনিয়ন জানিয়েছে, দুই হাজারের "
          "বেশি মানুষ এতে যোগ দিয়েছেন। বন্দর কর্তৃপক্ষ বিকেলে বিবৃতি দিয়ে আলোচনা চালিয়ে যাওয়ার কথা জানিয়েছে।",
    "en": "Harbour workers walked out on Monday morning in protest at the new shift rota. The union said more than two "
          "thousand people had joined the strike. The port authority said in the afternoon that talks would go on.",
    "de": "Die Hafenarbeiter legten am Montagmorgen die Arbeit nieder, um gegen die neuen Schichtpläne zu protestieren. "
          "Nach Angaben der Gewerkschaft beteiligten sich mehr als zweitausend Beschäftigte am Streik.",
}


def page(lang: str, dateline: str, declared: bool = True, before: str = "", after: str = "") -> str:
    body = "".join(f"<p>{TEXT[lang]}</p>" for _ in range(4))
    attr = f' lang="{lang}"' if declared else ""
    return (
        f"<html{attr}><head><meta charset='utf-8'><title>Harbour strike</title></head><body>{before}"
        f"<article><h1>Harbour strike</h1><div class='meta'><span class='date'>{dateline}</span></div>{body}{after}"
        "</article></body></html>"
    )


def day(html: str) -> str | None:
    published = extract_article(html, URL).date_published
    return published[:10] if published else None


SCRIPTS = [
    ("ko", "입력 2024.03.05 오후 2:30"),
    ("ko", "2024년 3월 5일 14시 30분"),
    ("ko", "기사입력 2024-03-05 14:30"),
    ("hi", "प्रकाशित: 5 मार्च 2024, 10:30 AM IST"),
    ("hi", "अपडेटेड 5 मार्च 2024"),
    ("hi", "५ मार्च २०२४"),
    ("vi", "Thứ ba, 5/3/2024, 14:30 (GMT+7)"),
    ("vi", "Cập nhật: ngày 5 tháng 3 năm 2024"),
    ("vi", "05/03/2024 14:30"),
    ("ka", "5 მარტი 2024, 14:30"),
    ("ka", "გამოქვეყნდა: 5 მარტი, 2024"),
    ("bn", "প্রকাশ: ৫ মার্চ ২০২৪, ১০:৩০"),
    ("bn", "আপডেট: ৫ মার্চ ২০২৪"),
]


@pytest.mark.parametrize("declared", [True, False], ids=["lang declared", "lang detected"])
@pytest.mark.parametrize(("lang", "dateline"), SCRIPTS)
def test_a_dateline_in_the_pages_script_gives_the_day(lang: str, dateline: str, declared: bool) -> None:
    assert day(page(lang, dateline, declared)) == "2024-03-05"


@pytest.mark.parametrize(("lang", "dateline"), [("en", "07.11.2023 14:30"), ("de", "07.11.2023"),
                                                ("en", "Published 07.11.2023"), ("en", "7. 11. 2023")])
@pytest.mark.parametrize("declared", [True, False], ids=["lang declared", "lang detected"])
def test_a_dotted_numeric_date_is_day_first_in_any_language(lang: str, dateline: str, declared: bool) -> None:
    assert day(page(lang, dateline, declared)) == "2023-11-07"


def test_a_dotted_date_alone_has_no_time() -> None:
    assert extract_article(page("de", "07.11.2023"), URL).date_published == "2023-11-07"


@pytest.mark.parametrize("year_only", ["<time>2019</time>", "<time datetime='2019'>2019</time>",
                                       "<time>March 2019</time>"])
def test_a_year_alone_is_not_made_into_a_day(year_only: str) -> None:
    html = page("en", year_only).replace("<p>", "<p>Filed 12 June 2019. ", 1)
    assert day(html) == "2019-06-12"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("<header class='site-header'><time datetime='2024-06-30T08:00'>Sunday 30 June</time></header>", ""),
        ("", "<section class='comments'><p>Nice one</p><time datetime='2024-06-30T09:12'>30 June</time></section>"),
        ("", "<div class='video-player'><time datetime='2024-07-30'>Available until 30 July</time></div>"),
        ("", "<aside><a href='/b'>Other story</a><time datetime='2024-06-29'>29 June</time></aside>"),
        ("", "<p>Updated <time class='updated' datetime='2024-06-30T10:00'>30 June</time></p>"),
        ("", "<div class='event'>Talks resume <time itemprop='startDate' datetime='2024-07-02'>2 July</time></div>"),
    ],
    ids=["header clock", "comment", "video availability", "side block", "update", "event"],
)
def test_the_articles_time_element_wins_over_other_dates_on_the_page(before: str, after: str) -> None:
    own = "<time class='published' datetime='2024-06-28T07:30:00+02:00'>28 June 2024</time>"
    html = page("en", own, before=before, after=after)
    if before:  # the site's clock comes first in the page
        assert day(html) == "2024-06-28"
    html_own_last = page("en", "", before=before, after=after + own)
    assert day(html_own_last) == "2024-06-28"


def test_a_published_and_updated_time_element_is_the_publication_date() -> None:
    stamp = "<time class='entry-date published updated' datetime='2024-06-28T07:30:00+02:00'>28 June</time>"
    assert day(page("en", stamp)) == "2024-06-28"


@pytest.mark.parametrize(
    "furniture",
    [
        "<header class='top'><ul><li>Harbourtown 4°C</li><li>Tuesday, (08 Dec 2020)</li></ul></header>",
        "<nav><span>Today: 8 December 2020</span></nav>",
    ],
    ids=["site header clock", "nav bar date"],
)
def test_a_dateline_in_the_site_furniture_is_not_the_articles(furniture: str) -> None:
    paragraphs = "".join(f"<p>{TEXT['en']}</p>" for _ in range(4))
    html = (
        f"<html lang='en'><head><title>Harbour strike</title></head><body>{furniture}<div class='main'>"
        f"<h1>Harbour strike</h1><ul class='info'><li><a href='/day/2020-10-13'>13 Oct 2020 18:29</a></li></ul>"
        f"{paragraphs}</div></body></html>"
    )
    assert day(html) == "2020-10-13"
