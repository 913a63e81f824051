"""The dossier after the independent review (issue 10, seventh round): a management-system refusal speaks of
referring to the certificate, not of a mark; label/value rows read from one top line; every score below the grant
threshold carries a remark; the certificate's scope ends with a full stop and its number stands out."""

from __future__ import annotations

import lxml.html

from tests.documents import SAMPLES


def test_a_system_dossiers_refusal_letter_never_mentions_a_mark(planned):
    """EG-C-002 (ISO 9001, no mark) was refused «منح الشهادة وحق استخدام العلامة»: its subject line and the
    certificates say «الإشارة إليها»; the letter's every sentence now does too."""
    from reportgen.commands import issuing

    letters = 0
    for d in planned.values():
        if not d.system:
            continue
        root = lxml.html.fromstring(issuing.html_of(d, SAMPLES))
        for letter in root.xpath("//section[contains(@class, 'letter')]"):
            letters += 1
            text = letter.text_content()
            assert "العلامة" not in text, d.cluster.id
            assert "الإشارة إليها" in text, d.cluster.id
    assert letters, "a refused management-system dossier among the samples"
