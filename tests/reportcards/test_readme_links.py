"""The README and docs/ stand alone: every relative link leads to a file of the repository,
and the README shows the reviewer's diff and the publish gate in screenshots (issue #11's
"Done when"). Links are read with the narrative format's Markdown parser, never a regex."""

from pathlib import Path

import pytest
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def links(path: Path) -> dict[str, str]:
    """Each link target of the Markdown file with its words."""
    found = {}
    for block in MarkdownIt("commonmark").enable("table").parse(path.read_text()):
        children = block.children or []
        for index, token in enumerate(children):
            if token.type == "link_open":
                words = children[index + 1].content if index + 1 < len(children) else ""
                found[str(token.attrGet("href"))] = words
    return found


def png_width(path: Path) -> int:
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE), f"{path.name} is not a PNG"
    return int.from_bytes(data[16:20], "big")  # the IHDR chunk's width


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_every_relative_link_leads_to_a_file(document):
    relative = [
        href.split("#")[0]
        for href in links(document)
        if not href.startswith(("http://", "https://", "mailto:", "#"))
    ]
    missing = [href for href in relative if not (document.parent / href).exists()]
    assert missing == []


@pytest.mark.parametrize(
    ("screenshot", "words"),
    [
        ("docs/screenshots/review.png", "every change since the approved version"),
        ("docs/screenshots/report-card.png", "the publish gate"),
        ("docs/screenshots/national-provisional.png", "provisional view"),
    ],
)
def test_the_readme_shows_the_review_diff_the_publish_gate_and_the_provisional_view(
    screenshot, words
):
    assert words in links(ROOT / "README.md")[screenshot]
    assert png_width(ROOT / screenshot) >= 1280
