"""The record's language: declared by the page first, else detected from a body long enough to tell."""

from __future__ import annotations

import pytest

from scrapers.extraction import extract_article

ARTICLES = {
    "ja": "港湾労働者は月曜日の朝、新しい勤務表に抗議してストライキを行った。組合によると、参加者は二千人を超えた。"
          "港の管理会社は午後に声明を出し、話し合いを続ける考えを示した。",
    "zh": "港口工人周一上午举行罢工，抗议新的排班制度。工会表示，参加罢工的人数超过两千人。港口管理公司下午发表声明，表示愿意继续谈判。",
    "th": "คนงานท่าเรือหยุดงานเมื่อเช้าวันจันทร์เพื่อประท้วงตารางกะใหม่ สหภาพแรงงานระบุว่ามีผู้เข้าร่วมมากกว่าสองพันคน "
          "บริษัทผู้ดูแลท่าเรือออกแถลงการณ์ในช่วงบ่ายว่าพร้อมเจรจาต่อไป",
    "ru": "Портовые рабочие в понедельник утром объявили забастовку в знак протеста против нового графика смен. "
          "По данным профсоюза, в ней участвуют более двух тысяч человек.",
    "ar": "أضرب عمال الميناء صباح يوم الاثنين احتجاجا على جدول المناوبات الجديد. وقالت النقابة إن أكثر من ألفي عامل "
          "شاركوا في الإضراب، فيما أعلنت إدارة الميناء استعدادها لمواصلة الحوار.",
    "de": "Die Hafenarbeiter legten am Montagmorgen die Arbeit nieder, um gegen die neuen Schichtpläne zu protestieren. "
          "Nach Angaben der Gewerkschaft beteiligten sich mehr als zweitausend Beschäftigte am Streik.",
}


def page(text: str, html_attrs: str = "", paragraphs: int = 3) -> str:
    body = "".join(f"<p>{n}. {text}</p>" for n in range(paragraphs))
    return f"<html{html_attrs}><head><title>T</title></head><body><article><h1>T</h1>{body}</article></body></html>"


@pytest.mark.parametrize("language", list(ARTICLES))
def test_language_is_detected_from_the_body_when_the_page_declares_none(language: str) -> None:
    assert extract_article(page(ARTICLES[language]), "https://news.example/a").language == language


def test_the_declared_language_comes_first() -> None:
    html = page(ARTICLES["de"], ' lang="de-AT"').replace("Die Hafenarbeiter", "The dockers")
    assert extract_article(html, "https://news.example/a").language == "de"
    assert extract_article(page(ARTICLES["ru"], ' lang="uk"'), "https://news.example/a").language == "uk"


def test_a_short_text_is_not_guessed() -> None:
    html = "<html><body><article><h1>T</h1><p>Harbour strike on Monday.</p></article></body></html>"
    assert extract_article(html, "https://news.example/a").language is None
