"""Enacted and effective dates of statutes and bills: edited in the statute library (with
history), carried by the assessment document, refused clearly when they cannot be dates
of law; bills followed in the library and attached to what-if scenarios."""

import copy
import datetime

import pytest
from django.core.exceptions import ValidationError

from assessments.importing import ImportRejected, assessment_export, assessment_import
from assessments.models import Cycle, Scenario
from statutes.models import Bill, Statute
from tests.factories import CitationFactory, CycleFactory, StatuteFactory
from tests.pages import parsed, text

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.statutes.urls_for_tests")]


@pytest.fixture
def law(world):
    return StatuteFactory(jurisdiction=world.jurisdictions["MS"])


def statute_form(law, **changes):
    return {
        "citation": law.citation,
        "caption": law.caption,
        "text": law.text,
        "enacted_date": "",
        "effective_date": "",
        "amendment_note": "",
        "change_reason": "Dated from the session laws",
        "version": law.version,
        **changes,
    }


def test_an_analyst_records_when_a_statute_was_enacted_and_the_history_shows_it(analyst, law):
    response = analyst.post(
        f"/statutes/MS/{law.pk}/edit/",
        statute_form(law, enacted_date="2023-04-18", effective_date="2023-07-01"),
        follow=True,
    )
    assert text(parsed(response).select_one("#enacted-date")) == "April 18, 2023"
    law.refresh_from_db()
    assert (law.enacted_date, law.effective_date, law.version) == (
        datetime.date(2023, 4, 18),
        datetime.date(2023, 7, 1),
        2,
    )
    history = parsed(analyst.get(f"/statutes/MS/{law.pk}/history/"))
    newest = history.select_one("article.version")
    enacted = newest.select_one("dt[data-field=enacted_date]")
    assert (text(enacted), text(enacted.find_next("ins"))) == ("Enacted date", "2023-04-18")


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("2023-02-30", "Enter a valid date."),
        ("99999-01-01", "Enter a valid date."),
        ("'; DROP TABLE statutes_statute; --", "Enter a valid date."),
        ("2023-07-01\x00", "Enter a valid date."),
        ("1500-01-01", "A law's date must fall between 1776 and 2199."),
        ("2300-07-01", "A law's date must fall between 1776 and 2199."),
    ],
)
def test_a_date_that_cannot_be_a_law_s_is_refused_and_nothing_changes(analyst, law, value, problem):
    before = (law.history.count(), Statute.objects.values().get(pk=law.pk))
    response = analyst.post(f"/statutes/MS/{law.pk}/edit/", statute_form(law, enacted_date=value))
    assert response.status_code == 200
    page = parsed(response)
    assert text(page.select_one("#id_enacted_date_error")) == problem
    assert page.select_one("input[name=change_reason]")["value"] == "Dated from the session laws"
    assert (law.history.count(), Statute.objects.values().get(pk=law.pk)) == before


# Bills


def bill_form(**fields):
    """A pending bill's form (its dates left empty), then `fields`."""
    return {"number": "HB 123", "session": "2024 Regular Session", "status": "pending", **fields}


def test_an_analyst_follows_a_bill_from_pending_to_enacted(analyst, world):
    added = analyst.post("/statutes/MS/bills/new/", bill_form(), follow=True)
    rows = parsed(added).select("tr[data-bill]")
    assert [text(cell) for cell in rows[0].find_all("td")][:5] == [
        "HB 123",
        "2024 Regular Session",
        "Pending",
        "—",
        "—",
    ]
    bill = Bill.objects.get()
    signed = analyst.post(
        f"/statutes/MS/bills/{bill.pk}/edit/",
        bill_form(
            status="enacted",
            enacted_date="2024-03-20",
            effective_date="2024-07-01",
            change_reason="Signed by the governor",
            version=bill.version,
        ),
    )
    assert signed.status_code == 302
    bill.refresh_from_db()
    assert (bill.status, bill.enacted_date, bill.version) == (
        "enacted",
        datetime.date(2024, 3, 20),
        2,
    )
    history = parsed(analyst.get(f"/statutes/MS/bills/{bill.pk}/history/"))
    newest = history.select_one("article.version")
    assert text(newest.select_one(".change-reason")) == "Signed by the governor"
    status = newest.select_one("dt[data-field=status]")
    assert (text(status.find_next("del")), text(status.find_next("ins"))) == (
        "Pending",
        "Enacted",
    )


def test_a_bill_is_refused_with_the_reason_and_nothing_is_saved(analyst, world):
    pending_but_dated = analyst.post(
        "/statutes/MS/bills/new/", bill_form(enacted_date="2024-03-20")
    )
    assert "Only an enacted bill has an enacted date" in text(parsed(pending_but_dated))
    hostile = analyst.post("/statutes/MS/bills/new/", bill_form(effective_date="0000-00-00"))
    assert text(parsed(hostile).select_one("#id_effective_date_error")) == "Enter a valid date."
    assert not Bill.objects.exists()
    analyst.post("/statutes/MS/bills/new/", bill_form())
    twice = analyst.post("/statutes/MS/bills/new/", bill_form(number="hb  123"))
    assert "already has HB 123 in the 2024 Regular Session" in text(parsed(twice))
    assert Bill.objects.count() == 1


def test_a_stale_bill_edit_is_a_conflict_that_keeps_what_was_typed(analyst, world):
    bill = Bill.objects.create(
        jurisdiction=world.jurisdictions["MS"], number="HB 123", session="2024 Regular Session"
    )
    Bill.objects.filter(pk=bill.pk).update(version=2, status="failed")
    response = analyst.post(
        f"/statutes/MS/bills/{bill.pk}/edit/",
        bill_form(status="enacted", enacted_date="2024-03-20", change_reason="Signed", version=1),
    )
    assert response.status_code == 409
    page = parsed(response)
    assert page.select_one("#conflict") is not None
    assert page.select_one("input[name=enacted_date]")["value"] == "2024-03-20"
    assert Bill.objects.get().status == "failed"


def test_a_saved_scenario_links_the_pending_bill_it_names(client, world):
    bill = Bill.objects.create(
        jurisdiction=world.jurisdictions["MS"], number="HB 123", session="2024 Regular Session"
    )
    client.force_login(world.users["analyst"])
    page = parsed(client.get("/assessments/MS/2023/what-if/"))
    assert [o["value"] for o in page.select("#pending-bills option")] == ["HB 123"]
    response = client.post(
        "/assessments/MS/2023/what-if/save/",
        {"query": "status-1.1=fully_met", "name": "If HB 123 passes", "bill_number": "hb  123"},
        follow=True,
    )
    assert Scenario.objects.get().bill == bill
    shown = text(parsed(response).select_one("#scenario-bill-status"))
    assert shown == "bill HB 123 (2024 Regular Session): pending"
    listed = parsed(response).select_one("#saved-scenarios [data-bill]")
    assert text(listed) == "bill HB 123 (2024 Regular Session, pending)"


def test_a_scenario_naming_a_bill_the_library_does_not_know_keeps_the_number(client, world):
    client.force_login(world.users["analyst"])
    client.post(
        "/assessments/MS/2023/what-if/save/",
        {"query": "status-1.1=fully_met", "name": "SB 9", "bill_number": "SB 9"},
    )
    scenario = Scenario.objects.get()
    assert (scenario.bill, scenario.bill_number) == (None, "SB 9")


# Cutoffs of cycles


def test_a_cycle_s_cutoff_stays_between_its_neighbours(world):
    following = CycleFactory(year=2024, framework=world.framework, previous=world.cycle)
    cycle = Cycle.objects.get(pk=world.cycle.pk)
    cycle.legislative_cutoff = following.legislative_cutoff
    with pytest.raises(ValidationError, match="must be before the 2024 cycle's \\(July 1, 2024\\)"):
        cycle.full_clean()
    following.legislative_cutoff = datetime.date(2023, 7, 1)
    with pytest.raises(ValidationError, match="must be after the 2023 cycle's"):
        following.full_clean()


# The assessment document


def test_the_document_carries_the_dates_and_an_import_records_them(world, law):
    CitationFactory(determination=world.determination("MS", "1.1"), statute=law)
    document = assessment_export(assessment=world.assessments["MS"])
    assert document["statutes"][0]["enacted_date"] is None
    document["statutes"][0].update(enacted_date="2023-04-18", effective_date="2023-07-01")
    assessment_import(data=document, username="admin")
    law.refresh_from_db()
    assert (law.enacted_date, law.effective_date) == (
        datetime.date(2023, 4, 18),
        datetime.date(2023, 7, 1),
    )
    exported = assessment_export(assessment=world.assessments["MS"])
    assert exported["statutes"][0]["enacted_date"] == "2023-04-18"
    assessment_import(data=exported, username="admin")
    assert assessment_export(assessment=world.assessments["MS"]) == exported


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (1700000000, "a date like 2023-07-01"),
        ("20230701", "“20230701” is not a date like 2023-07-01"),
        ("2023-02-30", "“2023-02-30” is not a date like 2023-07-01"),
        ("2023-07-01T00:00:00", "is not a date like 2023-07-01"),
        ("1600-01-01", "a law's date must fall between 1776 and 2199"),
        (["2023-07-01"], "a date like 2023-07-01"),
    ],
)
def test_an_import_names_a_bad_date_and_changes_nothing(world, law, value, problem):
    document = assessment_export(assessment=world.assessments["MS"])
    document["statutes"] = [{"citation": law.citation, "enacted_date": value}]
    before = (law.history.count(), Statute.objects.values().get(pk=law.pk))
    with pytest.raises(ImportRejected) as rejected:
        assessment_import(data=copy.deepcopy(document), username="admin")
    problems = rejected.value.problems
    assert any("enacted_date" in p and problem in p for p in problems), problems
    assert (law.history.count(), Statute.objects.values().get(pk=law.pk)) == before
