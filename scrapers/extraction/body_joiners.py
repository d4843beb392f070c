"""Carry a script's format characters (ZWNJ, ZWJ, marks) through trafilatura, which drops them.

trafilatura removes every character Python calls unprintable from the text it returns, so Persian
words lose their joiners ("می‌خواهم" becomes "میخواهم") and the body no longer matches its own
headline. Rather than change trafilatura (a user's own calls in the same process would change
with it), the copy of the page it reads holds a printable stand-in for each such character, and
the text it returns is translated back.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from .text import WRITING_SYSTEM_FORMAT_CHARS

# Stand-ins: letters (so a word keeps one token in trafilatura's text heuristics) of a script no
# news page is written in (Linear B syllables and ideograms), one per format character in use;
# one the page itself holds is never taken.
_STAND_INS = [chr(c) for c in range(0x10000, 0x100FB) if chr(c).isalpha()]


def protect_format_chars(copy: HtmlElement) -> dict[int, str]:
    """Replace, in ``copy`` (a tree trafilatura will read), each format character by a stand-in.

    Returns the table that ``str.translate`` uses to put them back (empty when the page has none,
    the usual case: one scan of the text, no change).
    """
    text = copy.text_content()
    # a set of the page's characters: far cheaper than a regex of these ~130 characters
    characters = set(text)
    used = sorted(characters & WRITING_SYSTEM_FORMAT_CHARS)
    if not used:
        return {}
    free = (s for s in _STAND_INS if s not in characters)
    forward = {ord(char): stand_in for char, stand_in in zip(used, free, strict=False)}
    for el in copy.iter():
        if el.text:
            el.text = el.text.translate(forward)
        if el.tail:
            el.tail = el.tail.translate(forward)
    return {ord(stand_in): chr(char) for char, stand_in in forward.items()}


def restore_format_chars(text: str, back: dict[int, str]) -> str:
    """``text`` as trafilatura returned it, with the page's format characters back in place."""
    return text.translate(back) if back else text
