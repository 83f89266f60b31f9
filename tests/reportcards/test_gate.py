"""The publish gate: blockers refuse publishing, warnings need acknowledging by name,
typed facts are checked against the computed figures, placeholders print the figures, and
republishing what the last version was built from is refused."""

import io
from decimal import Decimal

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, ScoreSnapshot
from assessments.placeholders import ScoreFacts, fill, placeholder_problems, typed_facts
from assessments.recompute import cycle_recompute
from assessments.scoring import ordinal
from reportcards import publishing
from reportcards.gate import publish_gate
from reportcards.models import PublishJob
from reportcards.pdf.data import report_card_data
from tests.factories import approve_texts_as_they_are
from tests.pages import messages, parsed, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

REPORT_CARD = reverse("report_card", args=["MS", 2023])
PUBLISH = reverse("report_card_publish", args=["MS", 2023])


def approved_highlights(assessment, *highlights) -> Assessment:
    Assessment.objects.filter(pk=assessment.pk).update(highlights=list(highlights))
    return approve_texts_as_they_are(assessment)


def snapshot(code="MS") -> ScoreSnapshot:
    return ScoreSnapshot.objects.get(jurisdiction__code=code)


FACTS = ScoreFacts(
    rank=10,
    tied=True,
    tier=2,
    score=Decimal("68.5"),
    grade="D",
    fully_met_counts={"3.2": 8},
)


def test_placeholders_print_the_figures():
    assert fill("Currently ranked {rank} in the nation{tied}.", FACTS) == (
        "Currently ranked 10th in the nation (tie)."
    )
    assert fill("{rank_phrase}, {tier}, score {score}, grade {grade}", FACTS) == (
        "10th (tie), Tier II, score 68.5, grade D"
    )
    assert fill("One of only {fully_met_count:3.2} states.", FACTS) == "One of only 8 states."
    assert placeholder_problems("{fully_met_count}", "Highlight 1") == [
        "Highlight 1: {fully_met_count} needs a goal number, e.g. {fully_met_count:3.2}."
    ]
    assert placeholder_problems("A set { like this } is prose.") == []


def test_typed_facts_are_checked_or_listed_as_unchecked():
    found = typed_facts(
        "Ranked 8th (tie), Tier II, score of 70. Between 2021-2023, raised score by .5 points. "
        "One of only 8 states.",
        FACTS,
    )
    by_phrase = {fact.phrase: fact for fact in found}
    assert by_phrase["Ranked 8th"].contradiction == "the computed rank is 10th"
    assert not by_phrase["(tie)"].contradiction and not by_phrase["Tier II"].contradiction
    assert by_phrase["score of 70"].contradiction == "the computed score is 68.5"
    assert by_phrase["Between 2021-2023, raised score by .5 points"].unchecked
    assert by_phrase["One of only 8 states"].unchecked


def test_a_stale_typed_rank_blocks_and_the_placeholder_does_not(mississippi, world):
    rank = snapshot().rank
    approved_highlights(mississippi, "Currently ranked 10th in the nation.")
    blockers = [b.message for b in publish_gate(mississippi).blockers]
    assert blockers == [
        f"Highlight 1 says “ranked 10th”, but the computed rank is {ordinal(rank)}."
        " Write it with a placeholder (e.g. {rank}) or correct it."
    ]
    with pytest.raises(publishing.PublishRefused, match="computed rank"):
        publishing.report_card_publish_request(
            assessment_id=mississippi.pk, user=world.users["publisher"]
        )
    approved_highlights(mississippi, "Currently ranked {rank} in the nation{tied}.")
    assert publish_gate(mississippi).blockers == []
    printed = report_card_data(mississippi).highlights[0]
    assert printed.startswith(f"Currently ranked {ordinal(rank)} in the nation")


def test_unapproved_texts_block(world):
    world.approve_all("MS")
    Assessment.objects.filter(pk=world.assessments["MS"].pk).update(
        texts_approved=None, texts_state="draft"
    )
    cycle_recompute(cycle_id=world.cycle.id)
    blockers = [b.message for b in publish_gate(world.assessments["MS"]).blockers]
    assert blockers == ["The state texts were never approved (they are draft)."]


def test_warnings_must_be_acknowledged_by_name_on_the_page(client, mississippi, world):
    approved_highlights(mississippi, "Between 2021-2023, raised score by .5 points.")
    client.force_login(world.users["publisher"])
    page = parsed(client.get(REPORT_CARD))
    warnings = page.select("#gate-warnings input[name=acknowledge]")
    assert len(warnings) == 1
    assert "is unchecked" in text(page.select_one("#gate-warnings"))
    refused = client.post(PUBLISH, {"version": 1, "confirm": "on"})
    assert refused.status_code == 409
    assert messages(refused)[0].startswith("Acknowledge each warning before publishing")
    assert not PublishJob.objects.exists()
    accepted = client.post(
        PUBLISH, {"version": 1, "confirm": "on", "acknowledge": warnings[0]["value"]}
    )
    assert accepted.status_code == 302 and PublishJob.objects.count() == 1


def test_republishing_what_the_last_version_was_built_from_is_refused(
    django_capture_on_commit_callbacks, mississippi, world
):
    def publish(note=""):
        with django_capture_on_commit_callbacks(execute=True):
            return publishing.report_card_publish_request(
                assessment_id=mississippi.pk, user=world.users["publisher"], note=note
            )

    publish()
    cycle_recompute(cycle_id=world.cycle.id)  # a recompute that changes no figure
    with pytest.raises(publishing.PublishRefused, match="Nothing changed since version 1"):
        publish(note="Again")
    world.approve("MS", "1.2")  # a new approval: something changed
    cycle_recompute(cycle_id=world.cycle.id)
    publish(note="Goal 1.2 approved again")
    assert PublishJob.objects.filter(state="done").count() == 2


def test_the_published_pdf_prints_its_version_date_and_the_legislative_cutoff(
    django_capture_on_commit_callbacks, mississippi, world
):
    with django_capture_on_commit_callbacks(execute=True):
        job = publishing.report_card_publish_request(
            assessment_id=mississippi.pk, user=world.users["publisher"]
        )
    job.refresh_from_db()
    with job.result.pdf.open("rb") as handle:
        reader = pypdf.PdfReader(io.BytesIO(handle.read()))
    last_page = " ".join(reader.pages[-1].extract_text().split())
    today = timezone.localdate()
    assert (
        f"Version 1 · published {today:%B} {today.day}, {today.year} · "
        "law enacted as of July 1, 2023"
    ) in last_page
