"""The wording that belongs to a framework's edition (issue #13) is printed from the cycle's
framework: the 2023 file carries the published Mississippi report's texts word for word, and
a cycle on the illustrative framework prints its placeholders, never 2023 or Shared Hope text."""

import io
import re
from pathlib import Path

import pypdf
import pytest
import yaml

from assessments.frameworks import framework_file, framework_load
from assessments.recompute import cycle_recompute
from assessments.selectors import assessment_for
from reportcards.pdf import render_report_card
from tests.factories import world_on

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "assessments/data"
SEED = Path("/work/shared/seed/mississippi-2023-report-card.txt")
PROSE = ("history_intro", "shift_in_focus", "tiers_intro", "analysis_guide")
LINES = ("shift_in_focus_heading", "framework_heading", "extra_credit_line")


def squeezed(text: str) -> str:
    return " ".join(text.split())


def unlinked(text: str) -> str:
    """A Markdown link's words without its target: "click [here](#x)" -> "click here"."""
    return re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(squeezed(page.extract_text()) for page in reader.pages)


def framework_texts(name: str) -> dict:
    return yaml.safe_load((DATA / name).read_text())["texts"]


def printed_wording(texts: dict) -> list[str]:
    """Every text of a framework file that the PDF prints as written."""
    items = [
        *texts.get("resources", []),
        *texts.get("calls_to_action", []),
        *texts.get("safe_harbor_resources", []),
    ]
    return [
        *(squeezed(texts[key]) for key in (*PROSE, *LINES) if texts.get(key)),
        *(squeezed(item["text"]) for item in items),
    ]


@pytest.mark.skipif(not SEED.exists(), reason="the seed report is not on this machine")
def test_the_2023_framework_carries_the_seed_reports_wording_word_for_word():
    # The seed is an extraction of the printed report: its run-in capitals ("IN 2011, SHARED
    # HOPE RELEASED…") and the link of "click [here](#)" are layout, not wording.
    seed = unlinked(squeezed(SEED.read_text())).casefold()
    texts = framework_texts("framework_2023.yaml")
    missing = [text for text in printed_wording(texts) if unlinked(text).casefold() not in seed]
    assert missing == []
    assert texts["calls_to_action"][-1]["text"].startswith(
        "Help end the criminalization of child sex trafficking survivors!"
    )


@pytest.fixture(scope="module")
def mississippi_2023(sample_world, django_db_blocker):
    with django_db_blocker.unblock():
        return pdf_text(render_report_card(assessment_for("MS", 2023)))


def test_the_2023_report_card_prints_every_text_of_its_framework(mississippi_2023):
    for wording in printed_wording(framework_texts("framework_2023.yaml")):
        assert unlinked(wording) in mississippi_2023
    assert "ADVANCED LEGISLATIVE FRAMEWORK" in mississippi_2023
    assert "A SHIFT IN FOCUS" in mississippi_2023
    assert (
        "REPORT CARDS PROJECT: For more information on the Report Cards Project" in mississippi_2023
    )
    assert "HIGHLIGHTED RESOURCES Community-Based Services White Paper" in mississippi_2023
    # The petition closes the report, as in the published one.
    assert mississippi_2023.endswith(
        "Sign the petition to show your support for changing these laws."
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("media_root")
def test_a_cycle_on_the_illustrative_framework_prints_its_placeholders_only():
    framework = framework_load(framework_file(DATA / "framework_illustrative.yaml")).framework
    world = world_on(framework, year=2025, codes=("MS", "TN"))
    for code in ("MS", "TN"):
        for number in world.goals:
            world.approve(code, number)
        world.approve_texts(code)
    cycle_recompute(cycle_id=world.cycle.id)
    printed = pdf_text(render_report_card(world.assessments["MS"]))
    for wording in printed_wording(framework_texts("framework_illustrative.yaml")):
        assert wording in printed
    assert "ILLUSTRATIVE FRAMEWORK (PLACEHOLDER)" in printed
    leaked = [
        wording
        for wording in printed_wording(framework_texts("framework_2023.yaml"))
        if wording in printed
    ]
    assert leaked == []
    # The goals' placeholders say what they are not: "(not a Shared Hope goal)".
    unlabelled = printed.replace("(not a Shared Hope goal)", "")
    for words in ("Shared Hope", "sharedhope.org", "Sign the petition", "A SHIFT IN FOCUS"):
        assert words not in unlabelled
