"""axe-core on the HTML edition: Mississippi's (the sample) and a synthetic jurisdiction's,
rendered from the data the PDF prints, with zero WCAG 2.x A/AA violations."""

import pytest
from playwright.sync_api import Page

from assessments.recompute import scores_make_current
from assessments.selectors import assessment_for
from reportcards.edition import render_edition
from reportcards.pdf.data import report_card_data
from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db, pytest.mark.usefixtures("sample_world")]


def edition_of(code: str) -> str:
    assessment = assessment_for(code, 2023)
    scores_make_current(cycle=assessment.cycle)
    return render_edition(report_card_data(assessment))


@pytest.mark.parametrize("code", ["MS", "AL"])
def test_the_edition_has_no_accessibility_violations(page: Page, code):
    page.set_content(edition_of(code))
    assert_accessible(page, f"the {code} HTML edition")


def test_the_mississippi_edition_shows_its_report_card(page: Page, shots):
    page.set_viewport_size({"width": 1100, "height": 1500})
    page.set_content(edition_of("MS"))
    page.locator("#report-card").scroll_into_view_if_needed()
    overall = page.locator("dl.rc-grade")
    assert "Overall grade" in overall.text_content()
    page.locator("#report-card").screenshot(path=str(shots / "edition.png"))


def test_the_mississippi_edition_reads_at_390_px(page: Page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.set_content(edition_of("MS"))
    # Wide tables scroll inside their box; the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page, "the MS HTML edition at 390 px")
