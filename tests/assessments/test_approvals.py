"""The last approved version is what counts, and what a report card prints (issue 11).

Approving freezes the goal (status, points, extra credit, narrative, citations with the
statute wording) as a DeterminationApproval; a later draft waits beside it without moving
any score, and the library's newer wording of a cited statute reaches the card only when a
reviewer accepts it.
"""

import io
from decimal import Decimal as D

import pypdf
import pytest
from django.urls import reverse

from accounts.roles import Role
from assessments import services
from assessments.models import Cycle, ScoreSnapshot
from assessments.recompute import assessment_score, cycle_recompute
from assessments.scoring import Status
from assessments.selectors import statute_changes_since_approval
from reportcards import publishing
from reportcards.gate import publish_gate
from reportcards.models import PublishedReportCard
from reportcards.pdf.data import report_card_data
from statutes.services import StatuteData, library_update
from tests.factories import CitationFactory, UserFactory, reviewed_goal, save_as
from tests.pages import messages, parsed, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def ms_total():
    return ScoreSnapshot.objects.get(cycle__year=2023, jurisdiction__code="MS").total


def card_goal(world, number):
    card = report_card_data(world.assessments["MS"])
    return next(goal for goal in card.goals if goal.number == number)


def save(world, determination, *, status, points=None, narrative="", reason="Corrected"):
    return save_as(
        world.users["analyst"],
        determination,
        reason=reason,
        status=status,
        points=points,
        narrative=narrative,
    )


def submit_and_approve(world, determination):
    services.determination_submit(
        determination_id=determination.pk,
        user=world.users["analyst"],
        expected_version=determination.version,
    )
    return services.determination_approve(
        determination_id=determination.pk,
        user=world.users["reviewer"],
        expected_version=determination.version,
    )


@pytest.fixture
def approved_v1(world):
    """MS fully approved; goal 1.2 partially met (2 of 2.5 points), citing one statute."""
    world.approve("MS", "1.1")
    world.approve("MS", "2.1")
    goal = reviewed_goal(world, "MS", "1.2")
    cycle_recompute(cycle_id=world.cycle.id)
    return goal


def test_a_newer_draft_counts_nowhere_until_it_is_approved(world, approved_v1, client):
    assert ms_total() == D("7")
    draft = save(world, approved_v1, status=Status.NOT_MET, narrative="Version two narrative.")
    cycle_recompute(cycle_id=world.cycle.id)

    # Scores, the published score of the overview and the report card: still version 1.
    assert ms_total() == D("7")
    assert assessment_score(world.assessments["MS"], include_drafts=False).total == D("7")
    assert assessment_score(world.assessments["MS"], include_drafts=True).total == D("5")
    goal = card_goal(world, "1.2")
    assert (goal.status, goal.approved) == (Status.PARTIALLY_MET, True)
    assert "Version two" not in goal.narrative

    # The goal page and the overview show the draft as pending beside the approved version.
    client.force_login(world.users["reviewer"])
    page = parsed(client.get(reverse("assessments:determination", args=["MS", 2023, "1.2"])))
    assert text(page.select_one("[data-pending]")) == f"pending draft v{draft.version}"
    overview = parsed(client.get(reverse("assessments:overview", args=["MS", 2023])))
    row = overview.select_one('tr[data-goal="1.2"]')
    assert "pending draft v" in text(row) and f"v{approved_v1.version} counts" in text(row)

    # Approving version 2 moves the score and the card.
    submit_and_approve(world, draft)
    cycle_recompute(cycle_id=world.cycle.id)
    assert ms_total() == D("5")
    goal = card_goal(world, "1.2")
    assert (goal.status, goal.narrative) == (Status.NOT_MET, "Version two narrative.")


def test_the_scores_say_which_approved_versions_they_counted(world, approved_v1):
    draft = save(world, approved_v1, status=Status.NOT_MET)
    snapshot = cycle_recompute(cycle_id=world.cycle.id)
    ms = next(s for s in snapshot if s.jurisdiction.code == "MS")
    assert ms.source_versions["1.2"] == approved_v1.version != draft.version


# Statutes changed since approval


def rename_statute(world, statute, citation, *, user=None):
    return library_update(
        pk=statute.pk,
        expected_version=statute.version,
        data=StatuteData(citation=citation, caption=statute.caption, text="Amended text."),
        change_reason="Renumbered",
        user=user or world.users["analyst"],
    )


def test_a_renamed_statute_keeps_its_approved_citation_on_the_card(world, approved_v1, client):
    statute = approved_v1.citations.get().statute
    approved_citation = statute.citation
    rename_statute(world, statute, "MS Code Ann. § 99-1-1")

    quote = card_goal(world, "1.2").quotes[0]
    assert quote.citation == approved_citation

    [change] = statute_changes_since_approval()
    assert (change.determination.pk, change.citation) == (approved_v1.pk, "MS Code Ann. § 99-1-1")
    client.force_login(world.users["reviewer"])
    queue = parsed(client.get(reverse("assessments:review_queue")))
    item = queue.select_one('#statute-changes [data-statute-change="MS 1.2"]')
    assert "statute changed since approval" in text(item)
    assert text(item.select_one("del")) == approved_citation
    assert text(item.select_one("ins")) == "MS Code Ann. § 99-1-1"
    page = parsed(client.get(reverse("assessments:determination", args=["MS", 2023, "1.2"])))
    assert "Amended text." in text(page.select_one("#statute-changes"))


def test_published_cycles_are_never_flagged(world, approved_v1):
    rename_statute(world, approved_v1.citations.get().statute, "MS Code Ann. § 99-1-1")
    Cycle.objects.filter(pk=world.cycle.pk).update(state=Cycle.State.PUBLISHED)
    assert statute_changes_since_approval() == []


def test_a_reviewer_accepts_the_new_wording_and_the_card_prints_it(world, approved_v1, client):
    rename_statute(world, approved_v1.citations.get().statute, "MS Code Ann. § 99-1-1")
    client.force_login(world.users["reviewer"])
    url = reverse("assessments:determination", args=["MS", 2023, "1.2"])
    response = client.post(
        reverse("assessments:accept_wording", args=["MS", 2023, "1.2"]),
        {"approval": world.determination("MS", "1.2").approved_id},
        follow=True,
    )
    assert messages(response) == ["Goal 1.2 now cites the statutes as the library words them."]
    assert card_goal(world, "1.2").quotes[0].citation == "MS Code Ann. § 99-1-1"
    assert statute_changes_since_approval() == []
    assert parsed(client.get(url)).select_one("#statute-changes") is None
    # The same determination version, approved again: the scores are untouched.
    assert world.determination("MS", "1.2").approved.version == approved_v1.version


def test_the_statutes_editor_cannot_accept_its_new_wording(world, approved_v1):
    editor = UserFactory(username="both", roles=[Role.ANALYST, Role.REVIEWER])
    rename_statute(world, approved_v1.citations.get().statute, "MS Code Ann. § 99-1-1", user=editor)
    with pytest.raises(services.WorkflowError, match="four-eyes"):
        services.determination_accept_statute_wording(
            determination_id=approved_v1.pk,
            user=editor,
            approval_id=world.determination("MS", "1.2").approved_id,
        )


# Publishing


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_an_edit_after_approval_never_reaches_the_published_pdf(
    world, approved_v1, django_capture_on_commit_callbacks
):
    goal = world.determination("MS", "1.2")
    narrative = "APPROVED WORDING of the analysis."
    draft = save(world, goal, status=Status.PARTIALLY_MET, points=D("2"), narrative=narrative)
    goal = submit_and_approve(world, draft)
    # The analyst's next save lands after the approval, before the publisher's job runs.
    save(world, goal, status=Status.NOT_MET, narrative="UNREVIEWED TEXT of the analysis.")
    approved_citation = goal.citations.get().statute.citation
    rename_statute(world, goal.citations.get().statute, "MS Code Ann. § 99-1-1")
    cycle_recompute(cycle_id=world.cycle.id)
    assessment = world.approve_texts("MS")
    # The renamed statute is a warning of the gate, acknowledged by the publisher; so are
    # its missing enacted date and the approved quote, not in the amended (undated) text.
    warnings = publish_gate(assessment).warnings
    assert [w.message for w in warnings] == [
        "Goal 1.2: statute MS Code Ann. § 99-1-1 changed since its approval (version 1 → 2); "
        "the card prints the approved wording.",
        f"1 cited statute has no enacted date, so nothing shows it was law by July 1, 2023: "
        f"{approved_citation} (goal 1.2; credit at stake: 2 points). Record the dates in the "
        "statute library.",
        f"Goal 1.2: The quote from {approved_citation} is not in its text as in force on "
        "July 1, 2023 (version 2).",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        job = publishing.report_card_publish_request(
            assessment_id=assessment.pk,
            user=world.users["publisher"],
            acknowledged=[w.key for w in warnings],
        )
    job.refresh_from_db()
    card = PublishedReportCard.objects.get(pk=job.result_id)
    with card.pdf.open("rb") as handle:
        printed = pdf_text(handle.read())
    assert "APPROVED WORDING" in printed
    assert "UNREVIEWED TEXT" not in printed and "99-1-1" not in printed
    approvals = world.assessments["MS"].determinations.values_list("goal__number", "approved")
    assert card.sources["approvals"] == dict(approvals)
    assert card.sources["scores"]["versions"]["1.2"] == goal.version


def test_a_goal_without_an_approved_version_prints_as_not_approved(world, approved_v1):
    goal = card_goal(world, "1.2")
    assert goal.approved
    CitationFactory(determination=world.determination("TN", "1.1"))
    card = report_card_data(world.assessments["TN"])
    assert not card.complete and not any(goal.approved for goal in card.goals)
