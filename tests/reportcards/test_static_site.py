"""The sample cycle released (all 51 jurisdictions) and its static site written once for
the module: the State Survey Chart of goal 3.2, the national average, the tile map, and a
site whose every link stays inside it.
"""

import io
from pathlib import Path
from urllib.parse import urlsplit

import pypdf
import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse

from assessments.models import Cycle, GoalDetermination
from reportcards.site import write_site
from tests.factories import release_now, released_sample_on_sqlite_only
from tests.pages import opened, text

pytestmark = [pytest.mark.django_db, released_sample_on_sqlite_only]


@pytest.fixture(scope="module")
def site(sample_world, django_db_blocker, tmp_path_factory) -> Path:
    """The released sample's site directory (the release's PDFs in a throw-away media root)."""
    directory = tmp_path_factory.mktemp("site")
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        with django_db_blocker.unblock():
            cycle = Cycle.objects.get(year=2023)
            job = release_now(cycle, get_user_model().objects.get(username="publisher"))
            assert job.error == ""
            steps = []
            write_site(cycle, directory, lambda percent, message: steps.append(percent))
            assert steps[-1] == 100
        yield directory


def page(site: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((site / name).read_text(encoding="utf-8"), "html.parser")


def pdf_text(path: Path) -> str:
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def fully_met_3_2() -> dict[str, list[str]]:
    """Each jurisdiction whose approved 3.2 is fully met, with the citations approved."""
    rows = GoalDetermination.objects.filter(
        assessment__cycle__year=2023, goal__number="3.2", approved__status="fully_met"
    ).select_related("assessment__jurisdiction", "approved")
    return {
        row.assessment.jurisdiction.name: [
            " ".join(f"{c['citation']}{c['pinpoint']}".split())
            for c in row.approved.document["citations"]
        ]
        for row in rows
    }


def test_the_survey_chart_of_goal_3_2_lists_exactly_the_8_fully_met_with_their_citations(site):
    expected = fully_met_3_2()
    assert len(expected) == 8
    chart = page(site, "survey/goal-3-2.html")
    listed = {
        text(row.th): [text(item) for item in row.select("[data-cell=citations] li")]
        for row in chart.select('#survey-chart tr[data-status="fully_met"]')
    }
    assert listed == {name: citations or ["none cited"] for name, citations in expected.items()}
    printed = pdf_text(site / "survey/goal-3-2.pdf")
    assert "Fully met: 8;" in printed
    for name, citations in expected.items():
        assert f"{name} Fully met" in printed
        assert all(" ".join(citation.split()) in printed for citation in citations)


def test_the_national_average_is_57_9_in_the_pdf_and_the_html(site):
    assert "National average: 57.9 of" in pdf_text(site / "toolkit.pdf")
    assert text(page(site, "toolkit.html").select_one("#national-average")).startswith(
        "National average: 57.9 of"
    )
    assert "national average 57.9 points" in text(page(site, "index.html").select_one("main"))


def test_the_tile_map_links_all_51_jurisdictions_by_name_and_grade(site):
    index = page(site, "index.html")
    tiles = index.select("figure.tile-map svg a[href]")
    assert len(tiles) == 51
    mississippi = index.select_one('a[data-code="MS"]')
    grade = text(index.select_one('#national-table tr[data-code="MS"] td:nth-of-type(3)'))
    assert mississippi["aria-label"] == f"Mississippi, grade {grade}"
    assert mississippi["href"] == "states/ms.html"
    rows = index.select("#national-table tbody tr")
    ranks = [int(row.td["data-value"]) for row in rows]
    assert len(rows) == 51 and ranks == sorted(ranks)


def _links(site: Path):
    """Every link and asset of the site's pages, except the web addresses a report card
    itself prints (its HTML edition links its sources and resources, as its PDF does)."""
    for path in site.rglob("*.html"):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for element in soup.select("[href], [src]"):
            link = element.get("href") or element.get("src")
            printed = element.name == "a" and element.find_parent("article", class_="rc-edition")
            if printed and urlsplit(link).scheme in ("http", "https"):
                continue
            yield path, link


def test_every_link_of_the_site_resolves_to_a_file_of_the_site_and_none_leaves_it(site):
    links = list(_links(site))
    assert len(links) > 51 * 3
    for path, link in links:
        parts = urlsplit(link)
        assert not parts.scheme and not parts.netloc, f"{path.name}: {link} leaves the site"
        if parts.path:
            target = (path.parent / parts.path).resolve()
            assert target.is_file(), f"{path.relative_to(site)}: {link} is not in the site"
            assert site.resolve() in target.parents
    css = (site / "style.css").read_text()
    assert "http" not in css and "@import" not in css
    assert not (site / "data").exists()  # the open-data package's folder stays its own


def test_each_jurisdiction_page_shows_its_figures_and_its_released_pdf(site):
    ms = page(site, "states/ms.html")
    assert text(ms.select_one("#figures")).startswith("Grade ")
    link = ms.select_one("a[download]")
    assert link["href"] == "ms-2023.pdf"
    assert (site / "states/ms-2023.pdf").read_bytes().startswith(b"%PDF")
    # The HTML edition of the released version: the card the PDF printed.
    edition = ms.select_one("article.rc-edition")
    assert "Mississippi" in text(edition.select_one("#card-title"))


def test_staff_see_the_same_chart_and_average_in_the_app(site, client):
    client.force_login(get_user_model().objects.get(username="analyst"))
    chart = opened(client, reverse("survey_chart", args=[2023, "3.2"]))
    names = {text(row.th) for row in chart.select('tr[data-status="fully_met"]')}
    assert names == set(fully_met_3_2())
    toolkit = opened(client, reverse("survey_charts", args=[2023]))
    assert text(toolkit.select_one("#national-average")).startswith("National average: 57.9 of")
