"""State Survey Charts and the national toolkit on a small world: what they list, that they
are built from the released cards only, in a number of queries that does not grow with the
number of jurisdictions, and the staff pages that show them.

The world: Mississippi with goal 1.1 fully met (two citations), 1.2 partially met (1.25
of 2.5) and 2.1 not met; Tennessee with every goal fully met; released together.
"""

import io
from decimal import Decimal

import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.recompute import cycle_recompute
from assessments.scoring import Status
from reportcards import selectors, survey
from reportcards.pdf.survey_chart import survey_chart_pdf, toolkit_pdf
from reportcards.site import NothingReleased, write_site
from tests.factories import CitationFactory, release_now, small_world
from tests.pages import opened, parsed, row_cells, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def _graded(world, code: str) -> None:
    for position, pinpoint in enumerate(("(1)", "(2)(a)")):
        CitationFactory(
            determination=world.determination(code, "1.1"), pinpoint=pinpoint, position=position
        )
    world.approve(code, "1.1")
    world.approve(code, "1.2", Status.PARTIALLY_MET, Decimal("1.25"))
    world.approve(code, "2.1", Status.NOT_MET)
    world.approve_texts(code)


def released_world(codes=("MS", "TN"), year=2023):
    world = small_world(codes=codes, year=year)
    _graded(world, "MS")
    for code in codes[1:]:
        world.approve_all(code)
    cycle_recompute(cycle_id=world.cycle.id)
    job = release_now(world.cycle, world.users["publisher"])
    assert job.error == ""
    return world


def charts_of(cycle):
    return survey.survey_charts([report.card for report in selectors.released_reports(cycle)])


def test_a_chart_lists_every_jurisdiction_with_its_status_points_and_statutes():
    world = released_world()
    charts = {chart.number: chart for chart in charts_of(world.cycle)}
    assert list(charts) == ["1.1", "1.2", "2.1"]
    ms, tn = charts["1.1"].rows
    assert (ms.jurisdiction, ms.status_label, ms.points, ms.max_points) == (
        "State MS",
        "Fully met",
        Decimal("2.5"),
        Decimal("2.5"),
    )
    assert [c.split(" § ")[0] for c in ms.citations] == ["MS Code Ann.", "MS Code Ann."]
    assert ms.citations[0].endswith("(1)") and ms.citations[1].endswith("(2)(a)")
    assert tn.citations == ()
    assert [(row.code, row.status, row.points) for row in charts["1.2"].rows] == [
        ("MS", "partially_met", Decimal("1.25")),
        ("TN", "fully_met", Decimal("2.5")),
    ]
    assert charts["2.1"].counts == (("Fully met", 1), ("Partially met", 0), ("Not met", 1))


def test_the_charts_are_built_in_the_same_number_of_queries_for_3_or_8_jurisdictions():
    counts = []
    worlds = {
        2023: ("MS", "TN", "AL"),
        2024: ("MS", "TN", "AL", "GA", "FL", "LA", "AR", "KY"),
    }
    for year, codes in worlds.items():
        world = released_world(codes, year)
        with CaptureQueriesContext(connection) as queries:
            charts = charts_of(world.cycle)
        assert len(charts[0].rows) == len(codes)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_toolkit_averages_the_released_totals_and_counts_the_grades():
    world = released_world()
    cards = [report.card for report in selectors.released_reports(world.cycle)]
    toolkit = survey.national_toolkit(cards)
    totals = sorted(card.total for card in cards)
    assert toolkit.national_average == ((totals[0] + totals[1]) / 2).quantize(Decimal("0.1"))
    assert toolkit.jurisdiction_count == 2
    assert sum(count for _, count in toolkit.grade_distribution) == 2
    assert [a.number for a in toolkit.issue_averages] == [1, 2]
    text_of_pdf = _pdf_text(toolkit_pdf(toolkit))
    assert f"National average: {toolkit.national_average} of" in text_of_pdf
    assert "Legislation enacted as of July 1, 2023 is graded." in text_of_pdf


def _pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_a_chart_pdf_prints_every_row_and_is_the_same_twice():
    world = released_world()
    chart = charts_of(world.cycle)[0]
    pdf = survey_chart_pdf(chart, as_of=world.cycle.legislative_cutoff)
    assert pdf == survey_chart_pdf(chart, as_of=world.cycle.legislative_cutoff)
    printed = _pdf_text(pdf)
    assert "2023 State Survey Chart: Policy Goal 1.1" in printed
    assert "State MS Fully met 2.5 of 2.5" in printed
    assert chart.rows[0].citations[1] in printed


def test_before_the_release_nothing_is_charted_and_no_site_is_written(analyst, world, tmp_path):
    world.approve_all("MS")
    cycle_recompute(cycle_id=world.cycle.id)
    assert charts_of(world.cycle) == ()
    with pytest.raises(NothingReleased, match="2023 cycle has not been released yet"):
        write_site(world.cycle, tmp_path / "site")
    for url in (reverse("survey_charts", args=[2023]), reverse("survey_chart", args=[2023, "1.1"])):
        page = opened(analyst, url)
        assert "Nothing of the 2023 cycle is released yet" in text(page.select_one("#unreleased"))


def test_staff_read_the_charts_and_the_toolkit_of_the_released_cycle(client):
    world = released_world()
    client.force_login(world.users["reviewer"])
    index = opened(client, reverse("survey_charts", args=[2023]))
    assert text(index.select_one("#national-average")).startswith("National average:")
    links = [a["href"] for a in index.select("#chart-list a")]
    assert links == [reverse("survey_chart", args=[2023, n]) for n in ("1.1", "1.2", "2.1")]
    chart = opened(client, links[1])
    assert row_cells(chart, "MS")[:2] == ["Partially met", "1.25 of 2.5"]
    assert row_cells(chart, "TN")[:2] == ["Fully met", "2.5 of 2.5"]
    missing = client.get(reverse("survey_chart", args=[2023, "9.9"]))
    assert missing.status_code == 404
    assert "no policy goal 9.9" in text(parsed(missing))


def test_the_goal_across_page_links_its_survey_chart(analyst, world):
    page = opened(analyst, reverse("assessments:goal_across", args=[2023, "1.2"]))
    link = page.select_one("#survey-chart-link")
    assert link["href"] == reverse("survey_chart", args=[2023, "1.2"])
