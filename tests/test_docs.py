"""docs/: a page per document kind, showing page images of the current output that `make docs-images` writes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
MAKEFILE = DOCS.parent / "Makefile"


@pytest.mark.parametrize("kind", ["brief", "dossier", "handout"])
def test_each_document_kind_has_a_page_with_its_images(kind):
    page = (DOCS / f"{kind}.md").read_text("utf-8")
    images = re.findall(r"!\[[^\]]*\]\((images/[^)]+\.png)\)", page)
    assert 2 <= len(images) <= 3
    for image in images:
        path = DOCS / image
        assert path.is_file() and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", image
        assert f"docs/images/{Path(image).stem.rsplit('-', 1)[0]}-" in MAKEFILE.read_text("utf-8")  # regenerated


def test_the_images_stay_small():
    assert sum(p.stat().st_size for p in (DOCS / "images").glob("*.png")) < 600_000
