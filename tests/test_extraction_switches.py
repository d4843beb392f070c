"""Rule switches: every rule on by default, off only inside ``switched_off``, traced on request."""

from __future__ import annotations

import pytest

from scrapers.extraction import extract_article, rules

PAGE = """<html><head><meta property="og:title" content="Stadtrat beschließt neuen Fährplan für den Winter">
</head><body><article><header><h2 class="section-title">Politik</h2></header>
<p>Der Stadtrat hat am Dienstagabend einen neuen Fährplan für die Wintermonate beschlossen, der weniger Fahrten
unter der Woche und eine zusätzliche späte Fähre am Samstag vorsieht.</p>
<p>Die Verwaltung begründet die Änderungen mit gestiegenen Treibstoffkosten und fehlendem Personal an Bord.</p>
</article></body></html>"""


def test_rules_are_on_unless_switched_off() -> None:
    assert extract_article(PAGE).title == "Stadtrat beschließt neuen Fährplan für den Winter"
    with rules.switched_off("title.label_heading"):
        assert extract_article(PAGE).title == "Politik"
    assert extract_article(PAGE).title == "Stadtrat beschließt neuen Fährplan für den Winter"


def test_traced_records_the_rules_a_page_reached() -> None:
    with rules.traced() as reached:
        extract_article(PAGE)
    assert "title.label_heading" in reached
    assert reached <= rules.RULES.keys()


def test_an_unknown_rule_name_is_refused() -> None:
    with pytest.raises(KeyError), rules.switched_off("title.no_such_rule"):
        pass


def test_every_rule_site_names_a_registered_rule() -> None:
    import re
    from pathlib import Path

    source = Path(rules.__file__).parent
    used = {name for path in source.glob("*.py") for name in re.findall(r'rules\.on\(\s*"([^"]+)"', path.read_text())}
    assert used == rules.RULES.keys()
