"""The review workflow rules: transitions, four-eyes, version-tied approval, locking."""

from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

from assessments import services
from assessments.models import (
    Assessment,
    ExtraCreditCategory,
    GoalDetermination,
    ReviewEvent,
    ScoreSnapshot,
)
from assessments.services import (
    AssessmentTexts,
    AwardData,
    CitationData,
    DeterminationData,
    InsightData,
    WorkflowError,
)
from core.conflicts import EditConflict
from statutes.models import Statute

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sample_world")]


def ms_goal(number):
    """Mississippi's 2023 determination of goal `number`, with what the services read."""
    return GoalDetermination.objects.select_related("goal", "assessment").get(
        assessment__jurisdiction__code="MS", assessment__cycle__year=2023, goal__number=number
    )


@pytest.fixture
def goal_29():
    return ms_goal("2.9")


def make_user(name, *roles):
    user = get_user_model().objects.create_user(name, password="x" * 12)
    user.groups.set([Group.objects.get(name=role) for role in roles])
    return user


def data_of(determination, **changes):
    """The determination as the editor would post it back, with `changes` applied."""
    values = {
        "status": determination.status,
        "points": determination.points,
        "narrative": determination.narrative,
        "citations": [
            CitationData(id=c.pk, statute_id=c.statute_id, pinpoint=c.pinpoint, quote=c.quote)
            for c in determination.citations.all()
        ],
        "recommendations": [r.text for r in determination.recommendations.all()],
        "insights": [
            InsightData(id=i.pk, quote=i.quote, attribution=i.attribution)
            for i in determination.insights.all()
        ],
        "extra_credit": [
            AwardData(
                id=a.pk, category_id=a.category_id, points=a.points, explanation=a.explanation
            )
            for a in determination.extra_credit_awards.all()
        ],
    }
    values.update(changes)
    return DeterminationData(**values)


def reload(determination):
    return GoalDetermination.objects.get(pk=determination.pk)


def ms_total():
    return ScoreSnapshot.objects.get(cycle__year=2023, jurisdiction__code="MS").total


def edit(determination, user, reason="Clarify the transfer analysis", **changes):
    return services.determination_save(
        determination_id=determination.pk,
        user=user,
        expected_version=determination.version,
        data=data_of(determination, **changes),
        change_reason=reason,
    )


def submit(determination, user):
    return services.determination_submit(
        determination_id=determination.pk, user=user, expected_version=determination.version
    )


def request_changes(determination, user, comment):
    return services.determination_request_changes(
        determination_id=determination.pk,
        user=user,
        expected_version=determination.version,
        comment=comment,
    )


def approve(determination, user):
    return services.determination_approve(
        determination_id=determination.pk, user=user, expected_version=determination.version
    )


def test_it_runs_the_full_path_from_edit_to_approval(
    goal_29, users, django_capture_on_commit_callbacks
):
    statute = Statute.objects.get(citation="Miss. Code Ann. § 43-21-157")
    cited_before = goal_29.citations.count()
    citations = data_of(goal_29).citations + [
        CitationData(statute_id=statute.pk, pinpoint="(1)", quote="The youth court may transfer.")
    ]
    with django_capture_on_commit_callbacks(execute=True):
        edited = edit(
            goal_29,
            users["analyst"],
            points=D("2.25"),
            citations=citations,
            recommendations=[*data_of(goal_29).recommendations, "Require trauma screening."],
        )
    assert edited.review_state == "draft" and edited.approved_version is None
    assert ms_total() == D("66.5")  # the reopened goal no longer counts
    submit(edited, users["analyst"])
    request_changes(edited, users["reviewer"], "Cite the discretionary transfer subsection too.")
    fixed = edit(reload(goal_29), users["analyst"], reason="", points=D("2.25"))
    submit(fixed, users["analyst"])
    with django_capture_on_commit_callbacks(execute=True):
        approved = approve(fixed, users["reviewer"])
    assert (approved.review_state, approved.approved_version) == ("approved", fixed.version)
    assert ms_total() == D("68.75")
    assert approved.citations.count() == cited_before + 1
    assert [r.text for r in approved.recommendations.all()][-1] == "Require trauma screening."
    actions = list(approved.review_events.values_list("action", flat=True))
    assert actions[-5:] == ["reopen", "submit", "request_changes", "submit", "approve"]


def test_it_needs_a_change_reason_to_edit_an_approved_goal(goal_29, users):
    with pytest.raises(WorkflowError, match="Give a change reason"):
        edit(goal_29, users["analyst"], reason="  ", points=D("1.75"))
    assert reload(goal_29).review_state == "approved"


def test_it_records_the_reason_and_reopen_event_in_history(goal_29, users):
    edit(goal_29, users["analyst"], reason="New 2023 amendment", points=D("1.75"))
    record = reload(goal_29).history.first()
    assert (record.history_user, record.history_change_reason) == (
        users["analyst"],
        "New 2023 amendment",
    )
    event = goal_29.review_events.last()
    assert (event.action, event.comment) == ("reopen", "New 2023 amendment")


def test_it_refuses_a_save_based_on_an_old_version_and_keeps_the_first(goal_29, users):
    second_analyst = make_user("second", "Analyst")
    first = edit(goal_29, users["analyst"], narrative="First analyst's words.")
    with pytest.raises(
        EditConflict, match="analyst saved a newer version of goal 2.9 while you were editing"
    ) as conflict:
        services.determination_save(
            determination_id=goal_29.pk,
            user=second_analyst,
            expected_version=goal_29.version,  # the page they loaded before the first save
            data=data_of(goal_29, narrative="Second analyst's words."),
            change_reason="Mine",
        )
    assert conflict.value.current_version == first.version
    assert reload(goal_29).narrative == "First analyst's words."


def test_it_freezes_a_submitted_goal(goal_29, users):
    draft = edit(goal_29, users["analyst"])
    submit(draft, users["analyst"])
    with pytest.raises(WorkflowError, match="waiting for review"):
        edit(reload(goal_29), users["analyst"], reason="More")


def test_it_never_lets_the_author_approve(goal_29, users):
    analyst_reviewer = make_user("both", "Analyst", "Reviewer")
    draft = edit(goal_29, analyst_reviewer)
    submit(draft, analyst_reviewer)
    with pytest.raises(WorkflowError, match="four-eyes"):
        approve(draft, analyst_reviewer)


def test_it_never_lets_an_earlier_editor_approve_after_someone_else_edits(goal_29, users):
    analyst_reviewer = make_user("both", "Analyst", "Reviewer")
    first = edit(goal_29, analyst_reviewer, narrative="Draft one.")
    second = edit(first, users["analyst"], reason="", narrative="Draft two.")
    submit(second, users["analyst"])
    with pytest.raises(WorkflowError, match="four-eyes"):
        approve(second, analyst_reviewer)


def test_it_lets_the_reviewer_who_requested_changes_approve_the_fix(goal_29, users):
    draft = edit(goal_29, users["analyst"])
    submit(draft, users["analyst"])
    request_changes(draft, users["reviewer"], "Fix the pinpoint.")
    fixed = edit(reload(goal_29), users["analyst"], reason="")
    submit(fixed, users["analyst"])
    approved = approve(fixed, users["reviewer"])
    assert approved.review_state == "approved"


def test_it_ties_approval_to_the_version_the_reviewer_saw(goal_29, users):
    draft = edit(goal_29, users["analyst"])
    submit(draft, users["analyst"])
    with pytest.raises(EditConflict):
        services.determination_approve(
            determination_id=draft.pk, user=users["reviewer"], expected_version=draft.version - 1
        )
    assert reload(goal_29).review_state == "submitted"


def test_it_requires_a_comment_to_request_changes(goal_29, users):
    draft = edit(goal_29, users["analyst"])
    submit(draft, users["analyst"])
    with pytest.raises(WorkflowError, match="comment is required"):
        request_changes(draft, users["reviewer"], "   ")


@pytest.mark.parametrize("action", ["approve", "request_changes"])
def test_it_only_reviews_submitted_goals(goal_29, users, action):
    call = getattr(services, f"determination_{action}")
    extra = {"comment": "x"} if action == "request_changes" else {}
    with pytest.raises(WorkflowError, match="not waiting for review"):
        call(
            determination_id=goal_29.pk,
            user=users["reviewer"],
            expected_version=goal_29.version,
            **extra,
        )


def test_it_only_submits_drafts(goal_29, users):
    with pytest.raises(WorkflowError, match="only drafts can be submitted"):
        submit(goal_29, users["analyst"])


@pytest.mark.parametrize(
    ("role_user", "call"),
    [
        ("reviewer", "save"),
        ("publisher", "save"),
        ("publisher", "approve"),
        ("analyst", "approve"),
        ("analyst", "request_changes"),
        ("reviewer", "submit"),
    ],
)
def test_it_checks_roles_in_the_service_too(goal_29, users, role_user, call):
    kwargs = {
        "determination_id": goal_29.pk,
        "user": users[role_user],
        "expected_version": goal_29.version,
    }
    if call == "save":
        kwargs.update(data=data_of(goal_29), change_reason="x")
    if call == "request_changes":
        kwargs.update(comment="x")
    with pytest.raises(PermissionDenied):
        getattr(services, f"determination_{call}")(**kwargs)


@pytest.mark.parametrize(
    ("status", "points", "message"),
    [
        ("partially_met", D("2.6"), "less than 2.5"),
        ("partially_met", D("1.3"), "steps of 0.25"),
        ("partially_met", None, "needs points"),
    ],
)
def test_it_refuses_invalid_points_and_saves_nothing(goal_29, users, status, points, message):
    with pytest.raises(WorkflowError, match=message):
        edit(goal_29, users["analyst"], status=status, points=points)
    assert reload(goal_29).version == goal_29.version


def test_it_sets_the_points_of_fully_met_and_not_met_goals(goal_29, users):
    assert edit(goal_29, users["analyst"], status="fully_met", points=None).points == D("2.5")


def test_it_refuses_extra_credit_the_goal_does_not_offer(goal_29, users):
    clt = ExtraCreditCategory.objects.get(code="clt")
    with pytest.raises(WorkflowError, match="offers no CLT"):
        edit(goal_29, users["analyst"], extra_credit=[AwardData(category_id=clt.pk, points=D("1"))])


def test_it_adds_a_new_statute_from_the_editor(goal_29, users):
    citations = [
        CitationData(
            new_citation="Miss. Code Ann.  § 43-21-159",
            new_caption="Transfer",
            pinpoint="(2)",
            quote="…",
        )
    ]
    edit(goal_29, users["analyst"], citations=citations)
    statute = Statute.objects.get(citation="Miss. Code Ann. § 43-21-159")
    assert statute.jurisdiction.code == "MS" and statute.caption == "Transfer"
    assert reload(goal_29).citations.get().statute == statute


def test_it_refuses_a_statute_of_another_state(goal_29, users):
    tennessee = Statute.objects.create(
        jurisdiction=goal_29.assessment.jurisdiction.__class__.objects.get(code="TN"),
        citation="Tenn. Code Ann. § 39-13-309",
    )
    with pytest.raises(WorkflowError, match="Choose a statute of Mississippi"):
        edit(goal_29, users["analyst"], citations=[CitationData(statute_id=tennessee.pk)])


def test_it_keeps_child_rows_and_their_history_when_only_text_changes(users):
    goal_11 = ms_goal("1.1")
    citation = goal_11.citations.first()
    rows = data_of(goal_11).citations
    rows[0].quote = "Changed quote."
    edit(goal_11, users["analyst"], citations=rows)
    citation.refresh_from_db()
    assert citation.quote == "Changed quote."
    assert citation.history.first().history_type == "~"


def test_it_saves_state_texts_and_refuses_a_stale_version(users):
    ms = Assessment.objects.get(jurisdiction__code="MS", cycle__year=2023)
    texts = AssessmentTexts(
        highlights=["One.", " ", "Two."],
        issue_summaries=ms.issue_summaries,
        extra_credit_summaries=ms.extra_credit_summaries,
        safe_harbor_status="Status.",
        safe_harbor_summary="Summary.",
    )
    saved = services.assessment_texts_save(
        assessment_id=ms.pk, user=users["analyst"], expected_version=ms.version, texts=texts
    )
    assert saved.highlights == ["One.", "Two."] and saved.version == ms.version + 1
    with pytest.raises(EditConflict):
        services.assessment_texts_save(
            assessment_id=ms.pk, user=users["analyst"], expected_version=ms.version, texts=texts
        )


def test_it_keeps_a_review_event_for_every_transition(goal_29, users):
    before = ReviewEvent.objects.count()
    draft = edit(goal_29, users["analyst"])
    submit(draft, users["analyst"])
    assert ReviewEvent.objects.count() == before + 2
