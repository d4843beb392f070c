"""Page furniture inside the article, in every script: related-article lines, newsletter boxes,
photo-credit lines, the page's tool labels and "no reproduction" notices.

Pages written for these tests: a short report about a harbour strike in each language.
"""

from __future__ import annotations

import pytest

from scrapers.extraction import extract_article

URL = "https://news.example/2024/harbour"
PARAS = {
    "ar": ["أضرب عمال الميناء صباح يوم الاثنين احتجاجا على جدول المناوبات الجديد الذي أعلنته الإدارة الأسبوع الماضي.",
           "وقالت النقابة إن أكثر من ألفي عامل شاركوا في الإضراب، وإن الاعتصام سيستمر حتى تعود الإدارة إلى الحوار.",
           "وأعلنت إدارة الميناء في بيان بعد الظهر استعدادها لمواصلة المفاوضات مع ممثلي العمال خلال الأيام المقبلة."],
    "fa": ["کارگران بندر صبح دوشنبه در اعتراض به برنامه‌ی جدید شیفت‌ها که هفته‌ی گذشته اعلام شد دست از کار کشیدند.",
           "اتحادیه می‌گوید بیش از دو هزار نفر در این اعتصاب شرکت کرده‌اند و تجمع تا ازسرگیری گفت‌وگو ادامه دارد.",
           "مدیریت بندر بعدازظهر در بیانیه‌ای اعلام کرد که آماده است مذاکره با نمایندگان کارگران را ادامه دهد."],
    "bn": ["নতুন পালার সময়সূচির প্রতিবাদে সোমবার সকালে বন্দরের শ্রমিকেরা কাজ বন্ধ করে ধর্মঘটে নামেন।",
           "ইউনিয়ন জানিয়েছে, দুই হাজারের বেশি শ্রমিক ধর্মঘটে যোগ দিয়েছেন এবং আলোচনা শুরু না হওয়া পর্যন্ত অবস্থান চলবে।",
           "বন্দর কর্তৃপক্ষ বিকেলে এক বিবৃতিতে জানিয়েছে, তারা শ্রমিক প্রতিনিধিদের সঙ্গে আলোচনা চালিয়ে যেতে প্রস্তুত।"],
    "ja": ["港湾労働者は月曜日の朝、先週発表された新しい勤務表に抗議してストライキに入った。",
           "組合によると、参加者は二千人を超え、会社が話し合いに応じるまで座り込みを続けるという。",
           "港の管理会社は午後に声明を出し、労働者の代表との交渉を続ける考えを示した。"],
    "ko": ["항만 노동자들이 월요일 아침 지난주 발표된 새 근무표에 항의하며 파업에 들어갔다.",
           "노조는 참가자가 이천 명을 넘었으며 회사가 대화에 나설 때까지 농성을 이어가겠다고 밝혔다.",
           "항만 운영사는 오후에 성명을 내고 노동자 대표들과 협상을 계속하겠다는 뜻을 밝혔다."],
}
# Furniture lines as each language's sites print them, each with where it sits in the text.
FURNITURE = {
    "ar": [("<p>اقرأ أيضا: <a href='/other'>ارتفاع أسعار الشحن في موانئ المنطقة خلال الصيف</a></p>", 1),
           ("<div class='box'><h3>النشرة البريدية</h3><p>اشترك في النشرة البريدية لتصلك أهم الأخبار كل صباح</p></div>", 2),
           ("<p>تصوير: سارة حداد</p>", 3)],
    "fa": [("<p>بیشتر بخوانید: <a href='/other'>افزایش هزینه‌ی حمل بار در بندرهای جنوب</a></p>", 1),
           ("<div class='box'><p>برای دریافت خبرنامه‌ی روزانه عضو شوید</p></div>", 2),
           ("<p>عکس: مریم رضایی</p>", 3)],
    "bn": [("<p>আরও পড়ুন: <a href='/other'>দক্ষিণের বন্দরগুলোতে পণ্য পরিবহনের খরচ বেড়েছে</a></p>", 1),
           ("<div class='box'><p>প্রতিদিনের নিউজলেটার পেতে সাবস্ক্রাইব করুন</p></div>", 2),
           ("<p>ছবি: রহিম উদ্দিন</p>", 3)],
    "ja": [("<div class='tools'><span>印刷</span></div>", 0), ("<p>無断転載・複製を禁じます</p>", 1)],
    "ko": [("<div class='tools'><span>인쇄</span> | <span>북마크</span></div>", 0), ("<p>무단전재 및 재배포 금지</p>", 1)],
}


@pytest.mark.parametrize("lang", list(FURNITURE))
def test_furniture_lines_leave_the_body_in_every_script(lang: str) -> None:
    blocks = [f"<p>{p}</p>" for p in PARAS[lang]]
    for html_block, at in sorted(FURNITURE[lang], key=lambda item: -item[1]):
        blocks.insert(at, html_block)
    html = (
        f"<html lang='{lang}'><head><meta charset='utf-8'><title>T</title></head><body><article>"
        f"<h1>{PARAS[lang][0][:30]}</h1>{''.join(blocks)}</article></body></html>"
    )
    assert extract_article(html, URL).body == "\n\n".join(PARAS[lang])
