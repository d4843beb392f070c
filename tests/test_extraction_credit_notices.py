"""A copyright notice is not an image credit: the notice a site joins to the photographer's name is dropped.

Pages and names are made up for the test.
"""

from __future__ import annotations

import pytest

from scrapers.extraction import extract_article, rules
from scrapers.extraction.captions import clean_credit


@pytest.mark.parametrize(
    ("credit", "expected"),
    [
        ("Rosa Klee/Copyright 2024 Quay Agency. All rights reserved", "Rosa Klee"),
        ("Rosa Klee | © 2023 Quay Agency. All rights reserved.", "Rosa Klee"),
        ("Rosa Klee/Quay Agency", "Rosa Klee/Quay Agency"),
        # a notice alone is left to the callers that refuse notices (it names no photographer)
        ("© 2024 Quay News. All rights reserved", "2024 Quay News. All rights reserved"),
    ],
)
def test_rights_notice_part_dropped(credit: str, expected: str) -> None:
    assert clean_credit(credit) == expected


def test_rule_switch() -> None:
    with rules.switched_off("credit.rights_notice_part"):
        assert clean_credit("Rosa Klee/Copyright 2024 Quay Agency. All rights reserved") != "Rosa Klee"


def test_figure_credit_without_the_notice() -> None:
    page = """<html><head><title>Lighthouse repainted</title></head><body><article>
<h1>Lighthouse repainted</h1>
<figure><img src="/img/lighthouse.jpg" alt="The lighthouse">
<figcaption>The lighthouse after the work. <span class="credit">Nils Brandt/Copyright 2024 Quay Agency.
All rights reserved</span></figcaption></figure>
<p>The old lighthouse at the harbour mouth has been repainted red and white for the first time in twenty years.</p>
<p>Volunteers spent three weekends on the scaffolding, the harbour office said.</p>
</article></body></html>"""
    images = extract_article(page, "https://quay.example/lighthouse").images
    assert [image.credit for image in images] == ["Nils Brandt"]
