"""The review workflow rules: transitions, four-eyes, version-tied approval, locking.

Most tests act on Mississippi's goal 1.2 of the small world, approved as partially met at
2 of 2.5 points with one citation and one recommendation (tests/factories.py).
"""

from dataclasses import replace
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied

from accounts.roles import Role
from assessments import services
from assessments.models import (
    ExtraCreditCategory,
    GoalDetermination,
    ReviewEvent,
    ScoreSnapshot,
)
from assessments.recompute import cycle_recompute
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
from tests.factories import StatuteFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(world):
    return world.users


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


def analyst_reviewer():
    return UserFactory(username="both", roles=[Role.ANALYST, Role.REVIEWER])


def test_it_runs_the_full_path_from_edit_to_approval(
    world, goal, users, django_capture_on_commit_callbacks
):
    world.approve("MS", "1.1")
    cycle_recompute(cycle_id=world.cycle.id)
    assert ms_total() == D("4.5")
    statute = StatuteFactory(jurisdiction=world.jurisdictions["MS"])
    citations = data_of(goal).citations + [
        CitationData(statute_id=statute.pk, pinpoint="(1)", quote="The youth court may transfer.")
    ]
    with django_capture_on_commit_callbacks(execute=True):
        edited = edit(
            goal,
            users["analyst"],
            points=D("2.25"),
            citations=citations,
            recommendations=[*data_of(goal).recommendations, "Require trauma screening."],
        )
    # The draft waits for review; the approved version keeps counting meanwhile.
    assert (edited.review_state, edited.approved_version, edited.pending_version) == (
        "draft",
        goal.version,
        goal.version + 1,
    )
    cycle_recompute(cycle_id=world.cycle.id)
    assert ms_total() == D("4.5")
    submit(edited, users["analyst"])
    request_changes(edited, users["reviewer"], "Cite the discretionary transfer subsection too.")
    fixed = edit(reload(goal), users["analyst"], reason="", points=D("2.25"))
    submit(fixed, users["analyst"])
    with django_capture_on_commit_callbacks(execute=True):
        approved = approve(fixed, users["reviewer"])
    assert (approved.review_state, approved.approved_version) == ("approved", fixed.version)
    assert ms_total() == D("4.75")
    assert [c.statute for c in approved.citations.all()][-1] == statute
    assert [r.text for r in approved.recommendations.all()][-1] == "Require trauma screening."
    actions = list(approved.review_events.values_list("action", flat=True))
    assert actions == ["approve", "reopen", "submit", "request_changes", "submit", "approve"]


def test_it_needs_a_change_reason_to_edit_an_approved_goal(goal, users):
    with pytest.raises(WorkflowError, match="Give a change reason"):
        edit(goal, users["analyst"], reason="  ", points=D("1.75"))
    assert reload(goal).review_state == "approved"


def test_it_records_the_reason_and_reopen_event_in_history(goal, users):
    edit(goal, users["analyst"], reason="New 2023 amendment", points=D("1.75"))
    record = reload(goal).history.first()
    assert (record.history_user, record.history_change_reason) == (
        users["analyst"],
        "New 2023 amendment",
    )
    event = goal.review_events.last()
    assert (event.action, event.comment) == ("reopen", "New 2023 amendment")


def test_it_refuses_a_save_based_on_an_old_version_and_keeps_the_first(goal, users):
    second_analyst = UserFactory(username="second", roles=[Role.ANALYST])
    first = edit(goal, users["analyst"], narrative="First analyst's words.")
    with pytest.raises(
        EditConflict, match="analyst saved a newer version of goal 1.2 while you were editing"
    ) as conflict:
        services.determination_save(
            determination_id=goal.pk,
            user=second_analyst,
            expected_version=goal.version,  # the page they loaded before the first save
            data=data_of(goal, narrative="Second analyst's words."),
            change_reason="Mine",
        )
    assert conflict.value.current_version == first.version
    assert reload(goal).narrative == "First analyst's words."


def test_it_freezes_a_submitted_goal(goal, users):
    draft = edit(goal, users["analyst"])
    submit(draft, users["analyst"])
    with pytest.raises(WorkflowError, match="waiting for review"):
        edit(reload(goal), users["analyst"], reason="More")


def test_it_never_lets_the_author_approve(goal):
    both = analyst_reviewer()
    draft = edit(goal, both)
    submit(draft, both)
    with pytest.raises(WorkflowError, match="four-eyes"):
        approve(draft, both)


def test_it_never_lets_an_earlier_editor_approve_after_someone_else_edits(goal, users):
    both = analyst_reviewer()
    first = edit(goal, both, narrative="Draft one.")
    second = edit(first, users["analyst"], reason="", narrative="Draft two.")
    submit(second, users["analyst"])
    with pytest.raises(WorkflowError, match="four-eyes"):
        approve(second, both)


def test_it_lets_the_reviewer_who_requested_changes_approve_the_fix(goal, users):
    draft = edit(goal, users["analyst"])
    submit(draft, users["analyst"])
    request_changes(draft, users["reviewer"], "Fix the pinpoint.")
    fixed = edit(reload(goal), users["analyst"], reason="")
    submit(fixed, users["analyst"])
    approved = approve(fixed, users["reviewer"])
    assert approved.review_state == "approved"


def test_it_ties_approval_to_the_version_the_reviewer_saw(goal, users):
    draft = edit(goal, users["analyst"])
    submit(draft, users["analyst"])
    with pytest.raises(EditConflict):
        services.determination_approve(
            determination_id=draft.pk, user=users["reviewer"], expected_version=draft.version - 1
        )
    assert reload(goal).review_state == "submitted"


def test_it_requires_a_comment_to_request_changes(goal, users):
    draft = edit(goal, users["analyst"])
    submit(draft, users["analyst"])
    with pytest.raises(WorkflowError, match="comment is required"):
        request_changes(draft, users["reviewer"], "   ")


@pytest.mark.parametrize("action", ["approve", "request_changes"])
def test_it_only_reviews_submitted_goals(goal, users, action):
    call = getattr(services, f"determination_{action}")
    extra = {"comment": "x"} if action == "request_changes" else {}
    with pytest.raises(WorkflowError, match="not waiting for review"):
        call(
            determination_id=goal.pk,
            user=users["reviewer"],
            expected_version=goal.version,
            **extra,
        )


def test_it_only_submits_drafts(goal, users):
    with pytest.raises(WorkflowError, match="only drafts can be submitted"):
        submit(goal, users["analyst"])


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
def test_it_checks_roles_in_the_service_too(goal, users, role_user, call):
    kwargs = {
        "determination_id": goal.pk,
        "user": users[role_user],
        "expected_version": goal.version,
    }
    if call == "save":
        kwargs.update(data=data_of(goal), change_reason="x")
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
def test_it_refuses_invalid_points_and_saves_nothing(goal, users, status, points, message):
    with pytest.raises(WorkflowError, match=message):
        edit(goal, users["analyst"], status=status, points=points)
    assert reload(goal).version == goal.version


def test_it_sets_the_points_of_fully_met_and_not_met_goals(goal, users):
    fully_met = edit(goal, users["analyst"], status="fully_met", points=None)
    assert fully_met.points == D("2.5")
    not_met = edit(fully_met, users["analyst"], reason="", status="not_met", points=None)
    assert not_met.points == D("0")


def test_it_saves_extra_credit_the_goal_offers(world, users):
    goal_11 = world.determination("MS", "1.1")
    award = AwardData(category_id=world.clt.pk, points=D("1"), explanation="Covers labor.")
    saved = edit(goal_11, users["analyst"], extra_credit=[award])
    assert list(saved.extra_credit_awards.values_list("category__code", "points")) == [
        ("clt", D("1"))
    ]


@pytest.fixture
def goal_with_two_awards(world, users):
    """Goal 1.1 offering both categories, awarded 1 point of one and 0.5 of the other."""
    youth = ExtraCreditCategory.objects.create(
        framework=world.framework, code="youth_18_plus", name="18+ youth", label="18+ Youth"
    )
    goal_11 = world.determination("MS", "1.1")
    goal_11.goal.extra_credit_opportunities.create(category=youth, max_points=D("1"))
    awards = [
        AwardData(category_id=world.clt.pk, points=D("1"), explanation="Labor."),
        AwardData(category_id=youth.pk, points=D("0.5"), explanation="Youth."),
    ]
    return edit(goal_11, users["analyst"], extra_credit=awards)


def awards_of(determination):
    return list(
        reload(determination)
        .extra_credit_awards.order_by("category__code")
        .values_list("category__code", "points", "explanation")
    )


def test_it_saves_two_awards_whose_categories_were_swapped(goal_with_two_awards, users):
    swapped = [
        replace(award, category_id=other.category_id)
        for award, other in zip(
            data_of(goal_with_two_awards).extra_credit,
            reversed(data_of(goal_with_two_awards).extra_credit),
            strict=True,
        )
    ]
    saved = edit(goal_with_two_awards, users["analyst"], extra_credit=swapped)
    assert awards_of(saved) == [("clt", D("0.5"), "Youth."), ("youth_18_plus", D("1"), "Labor.")]


def test_it_saves_an_award_removed_and_added_again_in_one_save(goal_with_two_awards, users):
    clt, youth = data_of(goal_with_two_awards).extra_credit
    again = AwardData(category_id=clt.category_id, points=D("0.75"), explanation="Again.")
    saved = edit(goal_with_two_awards, users["analyst"], extra_credit=[youth, again])
    assert awards_of(saved) == [("clt", D("0.75"), "Again."), ("youth_18_plus", D("0.5"), "Youth.")]


def test_it_refuses_extra_credit_the_goal_does_not_offer(world, goal, users):
    with pytest.raises(WorkflowError, match="offers no CLT"):
        edit(goal, users["analyst"], extra_credit=[AwardData(category_id=world.clt.pk, points=1)])


def test_it_adds_a_new_statute_from_the_editor(goal, users):
    citations = [
        CitationData(
            new_citation="Miss. Code Ann.  § 43-21-159",
            new_caption="Transfer",
            pinpoint="(2)",
            quote="…",
        )
    ]
    edit(goal, users["analyst"], citations=citations)
    statute = Statute.objects.get(citation="Miss. Code Ann. § 43-21-159")
    assert statute.jurisdiction.code == "MS" and statute.caption == "Transfer"
    assert reload(goal).citations.get().statute == statute


def test_it_refuses_a_statute_of_another_state(world, goal, users):
    tennessee = StatuteFactory(jurisdiction=world.jurisdictions["TN"])
    with pytest.raises(WorkflowError, match="Choose a statute of State MS"):
        edit(goal, users["analyst"], citations=[CitationData(statute_id=tennessee.pk)])


def test_it_keeps_child_rows_and_their_history_when_only_text_changes(goal, users):
    citation = goal.citations.get()
    rows = data_of(goal).citations
    rows[0].quote = "Changed quote."
    edit(goal, users["analyst"], citations=rows)
    citation.refresh_from_db()
    assert citation.quote == "Changed quote."
    assert citation.history.first().history_type == "~"


def test_it_saves_state_texts_and_refuses_a_stale_version(world, users):
    ms = world.assessments["MS"]
    texts = AssessmentTexts(
        highlights=["One.", " ", "Two."],
        issue_summaries={"1": "Strong.", "2": "Weak."},
        extra_credit_summaries={"clt": "Labor trafficking covered."},
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


def test_it_keeps_a_review_event_for_every_transition(goal, users):
    draft = edit(goal, users["analyst"])
    submit(draft, users["analyst"])
    events = ReviewEvent.objects.filter(determination=goal)
    assert list(events.values_list("action", "actor__username")) == [
        ("approve", "reviewer"),
        ("reopen", "analyst"),
        ("submit", "analyst"),
    ]
