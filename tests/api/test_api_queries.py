"""The API reads a page of report cards in the same number of queries however big the page,
and never writes."""

import string

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reportcards.models import PublishedReportCard
from tests.factories import AssessmentFactory, JurisdictionFactory

pytestmark = pytest.mark.django_db


def more_released_cards(world, count: int) -> None:
    """`count` more jurisdictions released with Mississippi's figures (stored as the
    release would store them: what matters here is how many there are)."""
    ms = PublishedReportCard.objects.get(
        assessment__jurisdiction__code="MS", assessment__cycle=world.cycle
    )
    for n in range(count):
        code = "PQ"[n // 26] + string.ascii_uppercase[n % 26]  # PA, PB, … QN
        jurisdiction = JurisdictionFactory(code=code, name=f"Place {code}")
        document = {**ms.document, "code": code, "jurisdiction": jurisdiction.name}
        PublishedReportCard.objects.create(
            assessment=AssessmentFactory(jurisdiction=jurisdiction, cycle=world.cycle),
            version=1,
            pdf=ms.pdf.name,
            sha256=ms.sha256,
            size=ms.size,
            page_count=ms.page_count,
            published_by=ms.published_by,
            release=world.release,
            document=document,
        )


def queries(api, path, token, **query) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = api(path, token, **query)
    assert response.status_code == 200, response.content
    return len(captured), [q["sql"] for q in captured.captured_queries]


def test_a_page_of_40_cards_costs_the_queries_of_a_page_of_5(world, api, reader_token):
    more_released_cards(world, 40)
    path = "/cycles/2023/report-cards"
    small, _ = queries(api, path, reader_token, page_size=5)
    large, sql = queries(api, path, reader_token, page_size=40)
    assert len(api(path, reader_token, page_size=40).json()["items"]) == 40
    assert small == large, sql
    writes = [s for s in sql if s.split()[0] in {"INSERT", "UPDATE", "DELETE"}]
    assert not writes
    # The other lists as well.
    assert (
        queries(api, "/jurisdictions", reader_token, page_size=5)[0]
        == (queries(api, "/jurisdictions", reader_token, page_size=40)[0])
    )
