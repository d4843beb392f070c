"""Every per-language word list the field readers use, one table per purpose.

Each table maps a language (ISO 639-1 code; "*" for marks used across languages) to the
words pages of that language print for one purpose. Readers build their patterns from the
tables with ``alternation``, so a language is added in one place and every reader that
needs the word gets it. Words are plain text, matched case-insensitively; a space in a word
matches any run of whitespace.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

Table = Mapping[str, tuple[str, ...]]


def words(*tables: Table) -> tuple[str, ...]:
    """The words of the tables, each once, in table order."""
    return tuple(dict.fromkeys(word for table in tables for group in table.values() for word in group))


def alternation(*tables: Table) -> str:
    """A regex alternation of the tables' words, longest first ("photos" is tried before "photo")."""
    ordered = sorted(words(*tables), key=len, reverse=True)
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in ordered)


# -- bylines --------------------------------------------------------------------------------

# "By Jane Doe": a word that opens a line naming the writer. Safe to look for at the start of a
# paragraph, so no word that also opens ordinary sentences ("de", "da") is here.
BYLINE_PREFIXES: Table = {
    "en": ("by", "written by", "reported by", "words by", "story by", "reporting by"),
    "de": ("von", "text von"),
    "fr": ("par",),
    "es": ("por",),
    "pt": ("por",),
    "it": ("di",),
    "nl": ("door",),
    "sv": ("av",),
    "no": ("av",),
    "da": ("af",),
    "pl": ("przez", "od"),
    "id": ("oleh", "penulis", "reporter", "wartawan"),
    "ms": ("oleh", "penulis"),
    "th": ("ข่าวโดย", "เรื่องโดย", "โดย", "ผู้เขียน"),
    "ar": ("بقلم", "كتب", "كتبت", "الكاتب"),
    "fa": ("نویسنده", "گزارش", "خبرنگار"),
    "hi": ("रिपोर्ट", "लेखक"),
    "tr": ("yazan", "muhabir"),
    "vi": ("tác giả", "bài viết"),
}
# Words that open a line already known to be a byline (a byline element, an author meta tag):
# too common at the start of sentences to find a byline by, safe to strip from one.
BYLINE_LABELS: Table = {
    "en": ("author", "text", "reporter", "photos", "photo", "video"),
    "de": ("autor", "autorin", "text"),
    "es": ("de", "texto", "autora", "autor"),
    "pt": ("de", "da", "texto", "autor", "autora"),
    "fr": ("de", "texte", "auteur", "autrice"),
    "it": ("di", "testo", "autore", "autrice"),
    "cs": ("redakce", "autor"),
    "ru": ("автор", "написал", "написала", "текст"),
}
# The label of a page's "Author" field: "<dt>Author</dt><dd>Jane Doe</dd>", "<b>Autorin/Autor</b> Anna".
AUTHOR_FIELD_LABELS: Table = {
    "en": ("author", "authors", "written by", "reporter"),
    "de": ("autor", "autorin", "autoren", "autorinnen"),
    "fr": ("auteur", "auteurs", "autrice"),
    "es": ("autor", "autora", "autores"),
    "pt": ("autor", "autora", "autores"),
    "it": ("autore", "autrice", "autori"),
    "nl": ("auteur", "auteurs"),
    "pl": ("autor",),
    "cs": ("autor",),
    "sv": ("författare",),
    "ru": ("автор",),
    "ja": ("著者", "投稿者", "執筆者"),
    "zh": ("作者",),
}
# Scripts written without spaces put the label right against the name: "记者张三".
BYLINE_PREFIXES_UNSPACED: Table = {
    "zh": ("本报记者", "记者", "記者", "通讯员", "作者"),
    "ja": ("投稿者", "執筆者", "著者"),
}
# Roles a byline names after (or instead of) a person: "Jane Doe, Science Editor".
AUTHOR_ROLES: Table = {
    "en": (
        "editor", "correspondent", "reporter", "writer", "journalist", "staff", "contributor", "columnist",
        "producer", "photographer", "analyst", "director", "chief", "senior", "deputy", "managing", "political",
        "bureau", "desk", "team", "intern", "presenter", "host", "critic", "author",
    ),
    "de": (
        "redakteur", "redakteurin", "korrespondent", "korrespondentin", "journalistin", "fotograf", "fotografin",
        "redaktion",
    ),
    "fr": ("rédacteur", "rédactrice", "envoyé", "envoyée"),
    "es": ("editora", "corresponsal"),
}
# CJK bylines put the role after the name: "신현주 기자", "山田太郎記者", "张三 报道".
AUTHOR_ROLE_SUFFIXES: Table = {
    "ko": ("기자", "특파원", "선임기자", "논설위원"),
    "ja": ("記者", "特派員", "編集委員"),
    "zh": ("记者", "编辑", "报道", "報導", "特约记者", "通讯员"),
}
# "Jane Doe and Omar Haddad": words joining two names.
NAME_JOINERS: Table = {
    "en": ("and",),
    "de": ("und",),
    "fr": ("et",),
    "es": ("y",),
    "pt": ("e",),
    "it": ("e",),
    "nl": ("en",),
    "no": ("og",),
    "da": ("og",),
    "sv": ("och",),
    "pl": ("i",),
    "cs": ("a",),
    "ru": ("и",),
    "uk": ("та",),
    "hu": ("és",),
    "id": ("dan",),
}
# ...of which these also join the parts of one compound surname: "José Ortega y Gasset",
# "Francesc Pi i Margall", "Maria Sousa e Silva".
SURNAME_JOINERS: Table = {"es": ("y",), "ca": ("i",), "pt": ("e",)}
# Lower-case particles inside names: "Ursula von der Leyen", "Vincent van Gogh".
NAME_PARTICLES: Table = {
    "en": ("of", "the", "and", "&"),
    "de": ("von", "der", "und"),
    "nl": ("van", "de", "der"),
    "fr": ("de", "la", "le"),
    "es": ("de", "del", "la", "y"),
    "it": ("da", "di"),
}
# What follows the names in a byline element and is not a name: dates, counters, buttons.
BYLINE_TRAILERS: Table = {
    "en": ("updated", "published", "min read", "mins read", "minute read", "minutes read", "read more", "follow",
           "share", "comment", "comments", "last updated"),
    "de": ("aktualisiert", "veröffentlicht"),
    # profile links printed after the name: "Jane Doe Twitter", "Jane Doe Email"
    "*": ("twitter", "facebook", "instagram", "linkedin", "e-mail", "email"),
}
BYLINE_DATE_LABELS: Table = {"en": ("date", "posted"), "de": ("stand", "datum")}
# Month names a byline prints its date with ("Jane Doe - Aug 10, 2016"); abbreviations take an
# optional dot. Only read before or after a day number, so "Theresa May" stays a name.
BYLINE_MONTHS: Table = {
    "en": ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
           "dec"),
    "de": ("januar", "februar", "märz", "mai", "juni", "juli", "oktober", "dezember"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"),
}
# Account and menu links a byline-marked element sometimes is: "Sign in | Sign up".
ACCOUNT_LINKS: Table = {
    "en": ("sign in", "sign up", "sign out", "log in", "log out", "login", "logout", "register", "subscribe",
           "my account", "account", "menu"),
    "de": ("anmelden", "abmelden", "registrieren", "abonnieren", "mein konto"),
    "fr": ("connexion", "se connecter", "s'abonner", "mon compte"),
    "es": ("iniciar sesión", "registrarse", "suscribirse", "mi cuenta"),
}
# Endings of a company's name: "Example Media Inc.", "Beispiel Verlag GmbH", "株式会社例".
COMPANY_SUFFIXES: Table = {
    "*": ("inc", "inc.", "incorporated", "llc", "ltd", "ltd.", "limited", "plc", "corp", "corp.", "corporation",
          "co.", "gmbh", "ag", "kg", "s.a.", "s.l.", "s.p.a.", "srl", "s.r.l.", "b.v.", "n.v.", "k.k."),
}

# -- image credits -------------------------------------------------------------------------

# "Photo: Jane Doe": the label of a credit, followed by one of CREDIT_SEPARATORS.
CREDIT_LABELS: Table = {
    "en": ("photo", "photos", "photograph", "photographs", "image", "images", "picture", "pic", "credit", "credits",
           "source", "illustration", "graphic", "art", "video"),
    "de": ("foto", "fotos", "fotografie", "bild", "bilder", "quelle", "bildquelle"),
    "es": ("foto", "fotos", "fotografía", "fuente", "crédito", "créditos", "imagen"),
    "pt": ("foto", "fotos", "fotografia", "crédito", "imagem"),
    "fr": ("photo", "crédit", "crédits", "image"),
    "it": ("foto", "immagine"),
    "nl": ("foto", "beeld"),
    "tr": ("fotoğraf", "foto"),
    "pl": ("zdjęcie", "fot"),
    "fi": ("kuva",),
    "is": ("ljósmynd",),
    "ru": ("фото", "снимок", "изображение", "иллюстрация"),
    "el": ("φωτογραφία", "φωτό", "πηγή"),
    "ar": ("تصوير", "صورة", "الصورة", "المصدر"),
    "he": ("צילום", "קרדיט"),
    "fa": ("عکس", "عکاس", "منبع"),
    "hi": ("फोटो", "फ़ोटो", "तस्वीर", "चित्र"),
    "th": ("ภาพ", "ภาพประกอบ", "ภาพจาก", "ที่มาภาพ"),
    "vi": ("ảnh", "nguồn"),
    "id": ("foto", "sumber"),
    "ko": ("사진", "그래픽", "자료사진"),
    "ja": ("写真", "撮影", "画像", "提供"),
    "zh": ("图片来源", "圖片來源", "图片", "圖片", "图", "圖", "摄影", "攝影", "来源", "來源"),
    "bn": ("ছবি", "আলোকচিত্র"),
    "ka": ("ფოტო",),
    "ur": ("تصویر",),
    "*": ("copyright", "©"),
}
# What separates a credit label from the credit: "Foto: X", "사진=X", "圖／X", "撮影・X".
CREDIT_SEPARATORS = ":：=＝／・"
# Chinese captions end with the photographer and 摄 ("photographed"): "（新华社记者 张三 摄）".
CREDIT_SUFFIXES: Table = {"zh": ("摄", "攝")}
# "Art by Jane Doe": a credit line of the artist, which names an author of the piece too.
ART_CREDIT_WORDS: Table = {"en": ("art", "illustration", "illustrations", "graphic", "graphics")}
# "by" before a credited name; not "di", "av", "de": they also open surnames ("Di Stefano").
CREDIT_BY: Table = {"en": ("by",), "de": ("von",), "fr": ("par",), "es": ("por",), "pt": ("por",)}
PHOTO_CREDIT_WORDS: Table = {"en": ("photo", "photos", "photography")}
# Picture agencies credited after a slash: "Jane Doe/Getty Images", "EFE/Ana Ruiz".
PICTURE_AGENCIES: Table = {
    "*": ("getty", "getty images", "ap", "afp", "reuters", "epa", "imago", "shutterstock", "alamy", "istock",
          "istockphoto", "nurphoto", "sipa", "abaca", "zuma"),
    "en": ("pa", "aap"),
    "de": ("dpa", "picture alliance", "apa", "keystone"),
    "nl": ("anp", "belga"),
    "it": ("ansa",),
    "es": ("efe",),
    "da": ("ritzau",),
    "tr": ("aa",),
    "zh": ("xinhua",),
    "ru": ("tass", "ria novosti"),
}
# A site's copyright line, not an image credit: "© 2024 Example News. All rights reserved."
RIGHTS_RESERVED: Table = {
    "en": ("all rights reserved",),
    "de": ("alle rechte vorbehalten",),
    "fr": ("tous droits réservés",),
    "es": ("todos los derechos reservados",),
    "pt": ("todos os direitos reservados",),
    "it": ("tutti i diritti riservati",),
    "ru": ("все права защищены",),
    "ar": ("جميع الحقوق محفوظة",),
    "fa": ("کلیه حقوق",),
    "zh": ("版权所有", "版權所有", "保留所有权利"),
    "ja": ("無断転載",),
    "ko": ("무단전재", "무단 전재"),
}

# -- dates ------------------------------------------------------------------------------

# Words in front of a date that dateparser does not read: "입력 2024.03.05", "Veröffentlicht am".
DATE_LABELS: Table = {
    "en": ("published", "posted", "updated", "on", "at"),
    "de": ("veröffentlicht", "erstellt", "aktualisiert", "stand", "am", "um"),
    "ko": ("입력", "수정", "기사입력", "최종수정", "업데이트"),
    "ja": ("公開", "更新", "配信"),
    "zh": ("发布时间", "發布時間", "发布", "發布", "更新时间", "时间"),
    "th": ("เผยแพร่", "วันที่", "อัปเดต"),
    "id": ("diterbitkan", "diperbarui"),
    "vi": ("cập nhật", "ngày đăng", "đăng lúc", "đăng ngày", "xuất bản"),
    "hi": ("प्रकाशित", "प्रकाशन", "अपडेटेड", "अपडेट", "अद्यतन", "तारीख"),
    "bn": ("প্রকাশিত", "প্রকাশ", "আপডেট", "হালনাগাদ", "প্রকাশের সময়"),
    "ka": ("გამოქვეყნდა", "გამოქვეყნებულია", "განახლდა", "თარიღი"),
    "ar": ("نشر في", "نُشر في", "تاريخ النشر", "آخر تحديث", "نشر", "تحديث"),
    "fa": ("تاریخ انتشار", "انتشار", "به‌روزرسانی", "تاریخ"),
    "ru": ("опубликовано", "обновлено", "дата публикации"),
    "tr": ("yayınlanma", "yayın tarihi", "güncelleme", "güncellenme"),
}
# Morning and afternoon words that stand for a.m. and p.m.
MORNING: Table = {"ko": ("오전",), "ja": ("午前",), "zh": ("上午",)}
AFTERNOON: Table = {"ko": ("오후",), "ja": ("午後",), "zh": ("下午",)}
# Month names of calendars dateparser does not convert: the Persian solar calendar.
SOLAR_HIJRI_MONTHS = (
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
)
# Zone abbreviations pages print after a time, as IANA zones: the date decides the offset.
ZONE_ABBREVIATIONS: dict[str, str] = {
    # North America
    "ET": "America/New_York", "EST": "America/New_York", "EDT": "America/New_York",
    "CT": "America/Chicago", "CST": "America/Chicago", "CDT": "America/Chicago",
    "MT": "America/Denver", "MST": "America/Denver", "MDT": "America/Denver",
    "PT": "America/Los_Angeles", "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles",
    # Europe
    "GMT": "UTC", "UTC": "UTC", "Z": "UTC", "BST": "Europe/London", "WET": "Europe/Lisbon",
    "WEST": "Europe/Lisbon", "CET": "Europe/Berlin", "CEST": "Europe/Berlin", "MEZ": "Europe/Berlin",
    "MESZ": "Europe/Berlin", "UHR": "Europe/Berlin", "EET": "Europe/Athens", "EEST": "Europe/Athens",
    "MSK": "Europe/Moscow",
    # Asia and Oceania
    "IST": "Asia/Kolkata", "PKT": "Asia/Karachi", "ICT": "Asia/Bangkok", "WIB": "Asia/Jakarta",
    "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura", "SGT": "Asia/Singapore", "HKT": "Asia/Hong_Kong",
    "PHT": "Asia/Manila", "JST": "Asia/Tokyo", "KST": "Asia/Seoul", "IRST": "Asia/Tehran",
    "AEST": "Australia/Sydney", "AEDT": "Australia/Sydney", "ACST": "Australia/Adelaide",
    "ACDT": "Australia/Adelaide", "AWST": "Australia/Perth", "NZST": "Pacific/Auckland",
    "NZDT": "Pacific/Auckland",
    # Africa
    "SAST": "Africa/Johannesburg", "WAT": "Africa/Lagos", "EAT": "Africa/Nairobi",
}

# -- body furniture -------------------------------------------------------------------------

# "Read more: <a>Other story</a>": the label of a teaser for another story.
TEASER_LABELS: Table = {
    "en": ("read more", "read also", "read next", "see also", "related", "also read", "more on this"),
    "de": ("lesen sie auch", "lesen sie mehr", "mehr zum thema", "auch interessant"),
    "fr": ("lire aussi", "à lire aussi", "voir aussi"),
    "es": ("lee también", "lee más", "leer más"),
    "it": ("leggi anche",),
    "pl": ("czytaj też", "czytaj także"),
    "sv": ("läs också", "läs mer"),
    "no": ("les også",),
    "nl": ("lees ook",),
    "fi": ("lue myös",),
    "pt": ("leia também", "leia mais", "veja também"),
    "ru": ("читайте также", "по теме"),
    "uk": ("читайте також",),
    "el": ("διαβάστε επίσης", "διαβάστε ακόμη"),
    "tr": ("ilgili haber", "bunu da okuyun", "ayrıca okuyun"),
    "ar": ("اقرأ أيضا", "اقرأ أيضاً", "اقرأ ايضا", "اقرأ المزيد", "مواضيع ذات صلة", "ذات صلة"),
    "fa": ("بیشتر بخوانید", "بخوانید", "مطالب مرتبط", "مطلب مرتبط", "بیشتر بدانید"),
    "ur": ("یہ بھی پڑھیں",),
    "he": ("קראו עוד", "קרא עוד", "כתבות נוספות", "עוד בנושא"),
    "hi": ("यह भी पढ़ें", "ये भी पढ़ें", "और पढ़ें", "इसे भी पढ़ें"),
    "bn": ("আরও পড়ুন", "আরো পড়ুন", "আরও পড়ুন:", "সম্পর্কিত খবর"),
    "ka": ("ასევე წაიკითხეთ", "წაიკითხეთ ასევე", "მსგავსი სიახლეები"),
    "th": ("อ่านเพิ่มเติม", "ข่าวที่เกี่ยวข้อง", "อ่านต่อ"),
    "vi": ("xem thêm", "đọc thêm", "tin liên quan"),
    "id": ("baca juga",),
    "ko": ("관련기사", "관련 기사", "함께 볼만한 기사"),
    "ja": ("関連記事", "あわせて読みたい", "こちらもおすすめ"),
    "zh": ("相关阅读", "相關閱讀", "延伸阅读", "延伸閱讀", "相关新闻", "相關新聞"),
}
# Labels of widgets (an advert slot, the comment box, the tag list) left alone in the text.
WIDGET_LABELS: Table = {
    "en": ("advertisement", "advertising", "sponsored", "comments", "comment", "tags", "more", "read more", "share",
           "share this", "share this article", "filed under", "related", "related articles", "related stories"),
    "de": ("anzeige", "werbung", "kommentare", "schlagwörter", "mehr"),
    "fr": ("publicité", "commentaires"),
    "es": ("publicidad", "comentarios"),
    "it": ("pubblicità", "commenti"),
    "nl": ("advertentie",),
    "no": ("annonse",),
    "sv": ("annons",),
    "da": ("reklame",),
    "pl": ("reklama",),
    "ru": ("реклама", "комментарии"),
    "tr": ("reklam", "yorumlar"),
    "ar": ("إعلان", "اعلان", "تعليقات", "شارك", "مشاركة"),
    "fa": ("تبلیغات", "آگهی", "نظرات", "اشتراک گذاری"),
    "he": ("פרסומת", "תגובות"),
    "hi": ("विज्ञापन", "टिप्पणियाँ", "शेयर करें"),
    "bn": ("বিজ্ঞাপন", "মন্তব্য", "শেয়ার করুন"),
    "ka": ("რეკლამა", "კომენტარები", "გაზიარება"),
    "th": ("โฆษณา", "แชร์"),
    "vi": ("quảng cáo", "bình luận", "chia sẻ"),
    "ko": ("광고", "댓글", "공유", "공유하기"),
    "ja": ("広告", "コメント", "スポンサーリンク", "シェア"),
    "zh": ("广告", "廣告", "评论", "評論", "分享"),
}
# The article page's tools, printed as text where the tool was: a line that is only one of these.
INTERFACE_LABELS: Table = {
    "en": ("print", "print this article", "print article", "bookmark", "bookmark this article", "save", "save article",
           "save for later", "listen", "listen to this article", "text size", "font size", "copy link", "email",
           "add to favorites", "add to reading list"),
    "de": ("drucken", "artikel drucken", "merken", "artikel merken", "vorlesen", "artikel vorlesen", "schriftgröße",
           "link kopieren"),
    "fr": ("imprimer", "sauvegarder", "écouter", "taille du texte", "copier le lien"),
    "es": ("imprimir", "guardar", "escuchar", "tamaño de letra", "copiar enlace"),
    "it": ("stampa", "salva", "ascolta"),
    "pt": ("imprimir", "salvar", "ouvir"),
    "nl": ("printen", "opslaan", "voorlezen"),
    "ru": ("печать", "распечатать", "в закладки", "сохранить"),
    "tr": ("yazdır", "kaydet", "dinle"),
    "ar": ("طباعة", "حفظ", "استمع"),
    "fa": ("چاپ", "ذخیره", "نسخه چاپی"),
    "hi": ("प्रिंट", "सेव करें", "सुनें"),
    "bn": ("প্রিন্ট", "সংরক্ষণ"),
    "vi": ("in bài", "lưu", "nghe"),
    "ko": ("인쇄", "북마크", "스크랩", "글자크기", "글자 크기", "읽기모드"),
    "ja": ("印刷", "ブックマーク", "保存", "文字サイズ", "メモ入力"),
    "zh": ("打印", "列印", "收藏", "字号", "字體"),
}
# "No reproduction without permission": the notice a site prints in or under every article.
REPRODUCTION_NOTICES: Table = {
    "en": ("may not be reproduced", "may not be republished", "no reproduction without", "do not reproduce"),
    "de": ("nachdruck verboten", "nachdruck nur mit genehmigung"),
    "ja": ("無断転載禁止", "無断転載を禁じます", "無断転載・複製を禁じます", "無断転載・複製を禁じる",
           "無断複製・転載を禁じます"),
    "ko": ("무단전재 및 재배포 금지", "무단 전재 및 재배포 금지", "무단전재-재배포 금지", "무단 전재-재배포 금지",
           "무단전재 및 재배포금지", "무단복제 및 재배포 금지"),
    "zh": ("未经授权不得转载", "未經授權不得轉載", "未经许可不得转载", "转载请注明出处", "轉載請註明出處"),
    "ru": ("перепечатка запрещена", "полное или частичное копирование"),
    "fa": ("استفاده از مطالب", "بازنشر"),
    "ar": ("يمنع النسخ", "يحظر النسخ", "يمنع إعادة النشر"),
}
NEWSLETTER_WORDS: Table = {
    "en": ("newsletter",), "de": ("newsletter",), "sv": ("nyhetsbrev",), "no": ("nyhetsbrev",),
    "nl": ("nieuwsbrief",), "fr": ("infolettre",), "es": ("boletín", "boletin"),
    "ru": ("рассылк",), "tr": ("bülten",), "el": ("ενημερωτικό δελτίο", "newsletter"),
    "ar": ("النشرة البريدية", "النشرة الإخبارية", "نشرتنا"), "fa": ("خبرنامه",), "he": ("ניוזלטר",),
    "hi": ("न्यूज़लेटर", "न्यूजलेटर"), "bn": ("নিউজলেটার",), "ka": ("ნიუსლეტერ",), "th": ("จดหมายข่าว",),
    "ko": ("뉴스레터",), "ja": ("ニュースレター", "メルマガ", "メールマガジン"),
    "zh": ("电子报", "電子報", "新闻简报", "新聞簡報"),
}
# Follow prompts ("Follow us on ...", "Folgen Sie uns auf ..."): the verbs as whole words...
FOLLOW_WORDS: Table = {"en": ("follow", "subscribe", "join"), "fr": ("suivez",)}
# ...and as word starts, for languages that inflect them ("folgen", "folgt", "seguir", "síguenos").
FOLLOW_STEMS: Table = {
    "de": ("folg",), "es": ("segu", "sígu"), "pt": ("segu",), "no": ("følg",), "nl": ("volg",), "*": ("abonn",),
}
# A call to sign up next to the word "newsletter": whole words, then word starts.
SIGN_UP_WORDS: Table = {
    "en": ("sign up", "sign-up", "signup", "signing up", "subscribe", "subscribing", "inbox", "click", "here"),
    "de": ("hier", "postfach"),
}
SIGN_UP_STEMS: Table = {
    "de": ("anmeld",), "fr": ("abonn", "inscri"), "es": ("suscr",), "it": ("iscriv",), "pt": ("assin", "inscrev"),
    "ru": ("подпис",), "tr": ("abone",), "ar": ("اشترك", "سجل"), "fa": ("عضو", "ثبت", "اشتراک"),
    "he": ("הירשמ", "להרשמה"), "hi": ("सब्सक्राइब", "साइन अप", "सदस्यता"), "bn": ("সাবস্ক্রাইব", "সাইন আপ", "নিবন্ধন"),
    "ka": ("გამოიწერ",), "th": ("สมัคร",), "vi": ("đăng ký",), "ko": ("구독", "신청"), "ja": ("登録", "購読"),
    "zh": ("订阅", "訂閱"),
}
# Lines of page furniture a template repeats on every article: a "Powered by" footer, an
# advertising or affiliate disclosure, a call for donations. Matched anywhere in a short line.
FURNITURE_PHRASES: Table = {
    "en": ("powered by", "advertising disclosure", "affiliate link", "affiliate links", "earn a commission",
           "sponsored content", "paid partnership", "paid content", "donate now", "donate today", "make a donation",
           "please donate", "support our journalism",
           "support independent journalism", "become a member", "become a supporter"),
    "de": ("bereitgestellt von", "affiliate-link", "affiliate-links", "jetzt spenden", "unterstützen sie uns",
           "werbliche inhalte"),
    "fr": ("propulsé par", "faire un don", "soutenez", "contenu sponsorisé"),
    "es": ("con la tecnología de", "haz una donación", "apóyanos", "contenido patrocinado"),
    "it": ("fai una donazione", "sostienici", "contenuto sponsorizzato"),
    "nl": ("doneer", "gesponsorde inhoud"),
}
