"""Small worlds for tests: a framework of three goals, two jurisdictions, one user per role.

Most tests need a handful of rows, not the 51-jurisdiction sample: `small_world()` builds
what a page or a service needs in a few milliseconds, and a test that changes the sample
generator cannot break it. Tests about the national picture use the `sample_world`
fixture (tests/conftest.py) instead.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import factory
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from factory.django import DjangoModelFactory

from accounts.demo import ensure_role_groups
from accounts.roles import Role
from assessments import services
from assessments.approvals import approvals_record
from assessments.assignments import AssignmentRow, assignments_replace
from assessments.models import (
    Assessment,
    Citation,
    Cycle,
    ExtraCreditCategory,
    ExtraCreditOpportunity,
    Framework,
    GoalDetermination,
    IssueArea,
    PolicyGoal,
    ReviewEvent,
    ReviewState,
)
from assessments.recompute import cycle_recompute
from assessments.scoring import Status, goal_points
from assessments.texts import texts_approval_record
from reportcards import releases
from statutes.models import Jurisdiction, Statute

PASSWORD = "a-test-password-1"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, roles):
        """`UserFactory(roles=[Role.ANALYST])` puts the user in those role groups."""
        if create and roles:
            groups = ensure_role_groups()
            self.groups.set([groups[role] for role in roles])


class JurisdictionFactory(DjangoModelFactory):
    class Meta:
        model = Jurisdiction
        django_get_or_create = ("code",)

    code = "MS"
    name = factory.LazyAttribute(lambda j: f"State {j.code}")
    citation_prefix = factory.LazyAttribute(lambda j: f"{j.code} Code Ann.")


class StatuteFactory(DjangoModelFactory):
    class Meta:
        model = Statute

    jurisdiction = factory.SubFactory(JurisdictionFactory)
    # Cited as the state cites its code: "MS Code Ann. § 97-3-1".
    citation = factory.LazyAttributeSequence(
        lambda statute, n: f"{statute.jurisdiction.citation_prefix} § 97-3-{n}"
    )
    caption = "Human trafficking; penalties"
    text = "No person shall traffic a minor."


SCALE_2023 = (
    {"grade": "A", "minimum_percent": "90"},
    {"grade": "B", "minimum_percent": "80"},
    {"grade": "C", "minimum_percent": "70"},
    {"grade": "D", "minimum_percent": "60"},
    {"grade": "F", "minimum_percent": "0"},
)


class FrameworkFactory(DjangoModelFactory):
    class Meta:
        model = Framework

    name = "Small test framework"
    year = 2023
    version = factory.Sequence(lambda n: n + 1)
    # The 2023 framework's rules (A at 90 %, …, F below 60 %; ten places in Tiers I and III).
    grading_scale = factory.LazyFunction(lambda: [dict(row) for row in SCALE_2023])
    tier_top = 10
    tier_bottom = 10
    cutoff_month = 7
    cutoff_day = 1
    cutoff_rule = "Legislation enacted as of July 1 of the cycle year."


class IssueAreaFactory(DjangoModelFactory):
    class Meta:
        model = IssueArea

    framework = factory.SubFactory(FrameworkFactory)
    number = 1
    title = factory.LazyAttribute(lambda area: f"Issue area {area.number}")
    short_title = factory.LazyAttribute(lambda area: f"Area {area.number}")


class PolicyGoalFactory(DjangoModelFactory):
    class Meta:
        model = PolicyGoal

    number = "1.1"
    issue_area = factory.SubFactory(IssueAreaFactory)
    framework = factory.LazyAttribute(lambda goal: goal.issue_area.framework)
    text = factory.LazyAttribute(lambda goal: f"State law addresses goal {goal.number}.")
    max_points = Decimal("2.5")
    ordering = factory.LazyAttribute(lambda goal: PolicyGoal.ordering_key(goal.number))


class CycleFactory(DjangoModelFactory):
    class Meta:
        model = Cycle

    year = 2023
    framework = factory.SubFactory(FrameworkFactory)
    legislative_cutoff = factory.LazyAttribute(lambda cycle: datetime.date(cycle.year, 7, 1))


class AssessmentFactory(DjangoModelFactory):
    class Meta:
        model = Assessment

    jurisdiction = factory.SubFactory(JurisdictionFactory)
    cycle = factory.SubFactory(CycleFactory)


class DeterminationFactory(DjangoModelFactory):
    class Meta:
        model = GoalDetermination

    assessment = factory.SubFactory(AssessmentFactory)
    goal = factory.SubFactory(PolicyGoalFactory)
    narrative = "State law does not yet address this goal."


class CitationFactory(DjangoModelFactory):
    class Meta:
        model = Citation

    determination = factory.SubFactory(DeterminationFactory)
    statute = factory.SubFactory(
        StatuteFactory,
        jurisdiction=factory.SelfAttribute("..determination.assessment.jurisdiction"),
    )
    pinpoint = "(1)"
    quote = "No person shall traffic a minor."


@dataclass
class World:
    """Two jurisdictions assessed on a three-goal framework, and a user for each role."""

    framework: Framework
    cycle: Cycle
    goals: dict[str, PolicyGoal]
    jurisdictions: dict[str, Jurisdiction]
    assessments: dict[str, Assessment]
    users: dict[str, object]
    clt: ExtraCreditCategory | None
    determinations: dict[tuple[str, str], GoalDetermination] = field(default_factory=dict)

    def determination(self, code: str, goal: str) -> GoalDetermination:
        return GoalDetermination.objects.select_related("goal", "assessment").get(
            pk=self.determinations[code, goal].pk
        )

    def approve(
        self, code: str, goal: str, status: str = Status.FULLY_MET, points: Decimal | None = None
    ) -> GoalDetermination:
        """The goal as a reviewer left it: `status` (and `points` for partial credit), its
        current version approved by the reviewer (frozen as a DeterminationApproval)."""
        determination = self.determination(code, goal)
        determination.status = status
        determination.points = goal_points(status, points, determination.goal.max_points)
        determination.save()
        approvals_record([determination], user=self.users["reviewer"])
        determination.save()
        return determination

    def approve_all(self, code: str) -> Assessment:
        """Every goal of the jurisdiction approved as fully met, and its state texts
        approved as they are: ready to publish."""
        for goal in self.goals:
            self.approve(code, goal)
        return self.approve_texts(code)

    def approve_texts(self, code: str) -> Assessment:
        """The jurisdiction's state texts approved as they are by the reviewer."""
        assessment = Assessment.objects.get(pk=self.assessments[code].pk)
        texts_approval_record(assessment, user=self.users["reviewer"])
        assessment.save()
        self.assessments[code] = assessment
        return assessment


ROLE_USERS = {
    "analyst": [Role.ANALYST],
    "reviewer": [Role.REVIEWER],
    "publisher": [Role.PUBLISHER],
    "admin": [Role.ADMIN],
    "norole": [],
}


def small_world(*, year: int = 2023, codes: tuple[str, ...] = ("MS", "TN")) -> World:
    """Goals 1.1 and 1.2 (issue 1) and 2.1 (issue 2, Safe Harbor), 2.5 points each; goal 1.1
    offers 1 point of child-labor-trafficking extra credit. Every determination is a
    not-met draft."""
    framework = FrameworkFactory(year=year)
    goals = {number: {"safe_harbor": number == "2.1"} for number in ("1.1", "1.2", "2.1")}
    clt = goals_on(framework, goals, clt_points=1)
    return world_on(framework, year=year, codes=codes, clt=clt)


def goals_on(framework: Framework, goals: dict[str, dict], *, clt_points) -> ExtraCreditCategory:
    """Issue areas 1 and 2 of `framework` and a policy goal for each number of `goals`, with
    its fields (2.5 points unless they say otherwise; the area is the number's first digit);
    goal 1.1 offers `clt_points` of child-labor-trafficking extra credit, whose category is
    returned."""
    areas = {n: IssueAreaFactory(framework=framework, number=n) for n in (1, 2)}
    made = {
        number: PolicyGoalFactory(
            framework=framework, issue_area=areas[int(number[0])], number=number, **fields
        )
        for number, fields in goals.items()
    }
    clt = ExtraCreditCategory.objects.create(
        framework=framework, code="clt", name="Child labor trafficking", label="CLT"
    )
    ExtraCreditOpportunity.objects.create(goal=made["1.1"], category=clt, max_points=clt_points)
    return clt


def world_on(
    framework: Framework,
    *,
    year: int,
    codes: tuple[str, ...] = ("MS", "TN"),
    clt: ExtraCreditCategory | None = None,
) -> World:
    """A cycle of `year` on `framework` (its cutoff by the framework's rule), the
    jurisdictions `codes` with a not-met draft of every goal, and a user for each role."""
    goals = {goal.number: goal for goal in framework.goals.order_by("ordering")}
    cycle = CycleFactory(
        year=year, framework=framework, legislative_cutoff=framework.cutoff_in(year)
    )
    jurisdictions = {code: JurisdictionFactory(code=code) for code in codes}
    assessments = {
        code: AssessmentFactory(jurisdiction=jurisdiction, cycle=cycle)
        for code, jurisdiction in jurisdictions.items()
    }
    users = {
        name: UserFactory(
            username=name, roles=roles, is_staff=name == "admin", is_superuser=name == "admin"
        )
        for name, roles in ROLE_USERS.items()
    }
    world = World(framework, cycle, goals, jurisdictions, assessments, users, clt)
    for code, assessment in assessments.items():
        for number, goal in goals.items():
            world.determinations[code, number] = DeterminationFactory(
                assessment=assessment, goal=goal, review_state=ReviewState.DRAFT
            )
    return world


def three_states_to_release() -> World:
    """Alabama, Mississippi and Tennessee with every goal approved and the scores computed:
    Mississippi and Tennessee fully met (7.5 points, tied first), Alabama with its Safe
    Harbor goal not met (5 points, third)."""
    world = small_world(codes=("AL", "MS", "TN"))
    for code in ("MS", "TN"):
        world.approve_all(code)
    world.approve("AL", "1.1")
    world.approve("AL", "1.2")
    world.approve("AL", "2.1", Status.NOT_MET)
    world.approve_texts("AL")
    cycle_recompute(cycle_id=world.cycle.id)
    return world


def approve_as_they_are(determinations, user=None) -> None:
    """A reviewer approves each determination's current rows (a fresh approval each)."""
    determinations = list(determinations)
    user = user or get_user_model().objects.order_by("id").first()
    approvals_record(determinations, user=user)
    GoalDetermination.objects.bulk_update(determinations, ["approved", "review_state"])


def approve_texts_as_they_are(assessment: Assessment, user=None) -> Assessment:
    """A reviewer approves the assessment's state texts as they are now."""
    assessment = Assessment.objects.get(pk=assessment.pk)
    texts_approval_record(assessment, user=user or get_user_model().objects.order_by("id").first())
    assessment.save()
    return assessment


def reviewed_goal(world: World, code: str = "MS", goal: str = "1.2") -> GoalDetermination:
    """A goal as analysts and reviewers leave it: partially met at 2 of 2.5 points, citing
    one statute of the state, with one recommendation, approved by the reviewer. The
    approval event marks the approved version, which the editor and the review queue
    compare a later edit against."""
    determination = world.determination(code, goal)
    CitationFactory(determination=determination, position=1)
    determination.recommendations.create(text="Train prosecutors to screen for trafficking.")
    determination = world.approve(code, goal, Status.PARTIALLY_MET, Decimal("2"))
    ReviewEvent.objects.create(
        determination=determination,
        version=determination.version,
        actor=world.users["reviewer"],
        action=ReviewEvent.Action.APPROVE,
    )
    return world.determination(code, goal)


def save_as(user, determination, *, reason: str, **fields) -> GoalDetermination:
    """Save `determination` through the service as the editor posts it: its citations kept
    as they are, `fields` (status, points, narrative) as given; status and points stay as
    they are unless given."""
    fields = {"status": determination.status, "points": determination.points} | fields
    return services.determination_save(
        determination_id=determination.pk,
        user=user,
        expected_version=determination.version,
        data=services.DeterminationData(
            citations=[
                services.CitationData(
                    id=c.pk, statute_id=c.statute_id, pinpoint=c.pinpoint, quote=c.quote
                )
                for c in determination.citations.all()
            ],
            **fields,
        ),
        change_reason=reason,
    )


def ready_to_publish(world: World, code: str = "MS") -> Assessment:
    """Every goal of the jurisdiction approved as fully met and the cycle's scores computed,
    as a publisher finds it."""
    assessment = world.approve_all(code)
    cycle_recompute(cycle_id=world.cycle.id)
    return assessment


def release_now(cycle: Cycle, user):
    """Release `cycle` as its release page does (every warning acknowledged) and run the
    release job here, as a worker would; the job as it ended."""
    gate = releases.cycle_gate(cycle)
    job = releases.cycle_release_request(
        cycle_id=cycle.pk, user=user, acknowledged=[warning.key for warning in gate.warnings]
    )
    releases.cycle_release_run(job_id=job.pk)
    job.refresh_from_db()
    return job


def assign(world, *rows):
    """(code, analyst, reviewer, due[, goal]) rows, assigned by the publisher."""
    assignments_replace(
        cycle_id=world.cycle.pk,
        rows=[
            AssignmentRow(
                row=n, jurisdiction=r[0], analyst=r[1], reviewer=r[2], due=r[3], goal=r[4:][0]
            )
            if len(r) > 4
            else AssignmentRow(row=n, jurisdiction=r[0], analyst=r[1], reviewer=r[2], due=r[3])
            for n, r in enumerate(rows, start=2)
        ],
        user=world.users["publisher"],
    )


def changes_requested(world: World, determination, comment: str) -> ReviewEvent:
    """The reviewer's request for changes on the goal's current version, as the event
    alone: the goal's review state is left as it is."""
    return ReviewEvent.objects.create(
        determination=determination,
        version=determination.version,
        actor=world.users["reviewer"],
        action=ReviewEvent.Action.REQUEST_CHANGES,
        comment=comment,
    )


def assign_ms(world: World) -> None:
    """MS is assigned to the users `analyst` and `reviewer`."""
    assign(world, ("MS", "analyst", "reviewer", "2023-06-01"))


def grow(world, codes, goals):
    """More jurisdictions and goals in the cycle: each new goal for every jurisdiction."""
    area = world.goals["1.1"].issue_area
    for number in goals:
        world.goals[number] = PolicyGoalFactory(
            framework=world.framework, issue_area=area, number=number
        )
    for code in codes:
        world.assessments[code] = AssessmentFactory(
            jurisdiction=JurisdictionFactory(code=code), cycle=world.cycle
        )
        world.jurisdictions[code] = world.assessments[code].jurisdiction
    for code, assessment in world.assessments.items():
        for number, goal in world.goals.items():
            if (code, number) not in world.determinations:
                world.determinations[code, number] = DeterminationFactory(
                    assessment=assessment, goal=goal, review_state=ReviewState.DRAFT
                )


# Releasing the whole sample (51 cards, each PDF and HTML edition rendered) takes minutes.
# What such a test checks (the figures printed, the package, the site) does not depend on
# the database engine, so it runs in CI's SQLite pass only; small worlds run on both.
released_sample_on_sqlite_only = pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="The released-sample tests run in the SQLite pass (engine-independent, minutes long).",
)
