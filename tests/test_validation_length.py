"""A body's length means the same in every language: words, or characters of scripts written without spaces."""

from __future__ import annotations

import pytest

from scrapers.extraction import extract_article
from scrapers.extraction.text import word_units
from scrapers.jobs.record import Refused, Validator, normalize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, 0),
        ("", 0),
        ("The dockers went on strike.", 5),
        ("Die Hafenarbeiter streikten — am Montag.", 6),
        ("Портовые рабочие объявили забастовку.", 4),
        ("港口工人周一举行罢工。", 5),  # 10 Han characters: 5 units of 2, the full stop counts for nothing
        ("港湾労働者がストライキ", 5),  # kanji and katakana alike
        ("คนงานท่าเรือหยุดงาน", 9),  # Thai letters and vowel signs, no spaces
        ("「東京」、大阪！", 2),
        ("2026年3月8日、NHKによると", 7),  # "2026", "3", "8", "NHK", and 7 characters (3 units)
        ("می‌خواهم این کتاب‌ها را", 4),  # Persian separates words with spaces (ZWNJ inside a word)
    ],
)
def test_word_units(text: str | None, expected: int) -> None:
    assert word_units(text) == expected


ARTICLES = {
    "ja": ["港湾労働者は月曜日の朝、新しい勤務表に抗議してストライキを行った。",
           "組合によると、参加者は二千人を超え、港の作業は午前中ほぼ止まった。",
           "港の管理会社は午後に声明を出し、組合との話し合いを続ける考えを示した。",
           "政府は事態を注視しており、物流への影響が長引けば対応を検討するとしている。"],
    "zh": ["港口工人周一上午举行罢工，抗议新的排班制度。工会表示，参加罢工的人数超过两千人。",
           "罢工导致港口上午的装卸作业几乎全部停止，数十艘货船在港外等候。",
           "港口管理公司下午发表声明，表示愿意与工会继续谈判，争取尽快恢复正常运营。",
           "政府表示正在密切关注事态发展，如果物流受到长期影响，将考虑采取措施。"],
    "th": ["คนงานท่าเรือหยุดงานเมื่อเช้าวันจันทร์เพื่อประท้วงตารางกะใหม่ของบริษัท",
           "สหภาพแรงงานระบุว่ามีผู้เข้าร่วมการหยุดงานมากกว่าสองพันคนทำให้การขนถ่ายสินค้าหยุดชะงัก",
           "บริษัทผู้ดูแลท่าเรือออกแถลงการณ์ในช่วงบ่ายว่าพร้อมเจรจากับสหภาพต่อไป"],
}


def validate(item: dict) -> dict:
    record = normalize(item)
    Validator(50)(record)
    return record


@pytest.mark.parametrize("language", list(ARTICLES))
def test_a_short_article_without_spaces_is_an_article(language: str) -> None:
    paragraphs = ARTICLES[language]
    html = (f'<html lang="{language}"><head><title>{paragraphs[0][:12]}</title></head><body><article>'
            f"<h1>{paragraphs[0][:12]}</h1>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article></body></html>")
    item = extract_article(html, f"https://news.example/{language}/strike").to_dict()
    assert item["body"] == "\n\n".join(paragraphs)
    assert len(item["body"].split()) < 50  # what the old count saw: a few "words"
    assert validate(item) is not None


@pytest.mark.parametrize("language", list(ARTICLES))
def test_a_teaser_without_spaces_is_still_too_short(language: str) -> None:
    item = extract_article(
        f'<html lang="{language}"><body><article><h1>T</h1><p>{ARTICLES[language][0][:30]}</p></article></body></html>',
        f"https://news.example/{language}/teaser",
    ).to_dict()
    with pytest.raises(Refused) as info:
        validate(item)
    assert info.value.reason == "not_article"
