"""The world every API test reads: a released cycle, an embargoed one, a preview and drafts.

2023 (released): Alabama (1.2 partially met for 1.25 points, 2.1 not met), Mississippi
and Tennessee (every goal fully met). After the release, Mississippi's goal 1.1 becomes a
not-met draft: the API must still answer what the released version printed.
2024 (embargoed): Mississippi published as a preview, the release scheduled for tomorrow.
Celery runs eagerly; the commit callbacks run the tasks as a commit would.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache

from accounts.roles import Role
from api.models import ApiToken
from api.tokens import token_issue
from assessments.models import ReviewState
from assessments.recompute import cycle_recompute
from assessments.scoring import Status
from reportcards import publishing, releases
from tests.factories import (
    AssessmentFactory,
    CycleFactory,
    DeterminationFactory,
    UserFactory,
    approve_as_they_are,
    approve_texts_as_they_are,
    small_world,
)


@pytest.fixture(autouse=True)
def fresh_throttle():
    """The throttle counts in Django's cache: every test starts with a full budget."""
    cache.clear()
    yield
    cache.clear()


def release(cycle, user, *, at=None):
    gate = releases.cycle_gate(cycle)
    job = releases.cycle_release_request(
        cycle_id=cycle.pk, user=user, at=at, acknowledged=[w.key for w in gate.warnings]
    )
    job.refresh_from_db()
    return job


def embargoed_cycle(world, year=2024):
    """A cycle of `year` on the world's framework, Mississippi and Tennessee fully met."""
    cycle = CycleFactory(year=year, framework=world.framework)
    for code in ("MS", "TN"):
        assessment = AssessmentFactory(jurisdiction=world.jurisdictions[code], cycle=cycle)
        approve_as_they_are(
            [
                DeterminationFactory(
                    assessment=assessment,
                    goal=goal,
                    status=Status.FULLY_MET,
                    points=goal.max_points,
                    review_state=ReviewState.APPROVED,
                )
                for goal in world.goals.values()
            ],
            user=world.users["reviewer"],
        )
        approve_texts_as_they_are(assessment, user=world.users["reviewer"])
    cycle_recompute(cycle_id=cycle.id)
    return cycle


@pytest.fixture
def world(db, media_root, django_capture_on_commit_callbacks):
    world = small_world(codes=("AL", "MS", "TN"))
    for code in ("MS", "TN"):
        world.approve_all(code)
    world.approve("AL", "1.1")
    world.approve("AL", "1.2", Status.PARTIALLY_MET, Decimal("1.25"))
    world.approve("AL", "2.1", Status.NOT_MET)
    world.approve_texts("AL")
    cycle_recompute(cycle_id=world.cycle.id)
    publisher = world.users["publisher"]
    with django_capture_on_commit_callbacks(execute=True):
        world.release = release(world.cycle, publisher)
    draft = world.determination("MS", "1.1")
    draft.status, draft.points, draft.review_state = Status.NOT_MET, 0, ReviewState.DRAFT
    draft.save()
    cycle_recompute(cycle_id=world.cycle.id)

    world.embargoed = embargoed_cycle(world)
    with django_capture_on_commit_callbacks(execute=True):
        publishing.report_card_publish_request(
            assessment_id=world.embargoed.assessments.get(jurisdiction__code="MS").pk,
            user=publisher,
        )
        tomorrow = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
        world.embargo = release(world.embargoed, publisher, at=tomorrow)
    world.users["reader"] = UserFactory(username="reader", roles=[Role.DATA_READER])
    return world


@pytest.fixture
def issue():
    """Issue a token to a user as an admin would; returns the token."""

    def issue(user, name="script") -> str:
        return token_issue(ApiToken(user=user, name=name), issued_by=None)

    return issue


@pytest.fixture
def reader_token(world, issue) -> str:
    return issue(world.users["reader"])


@pytest.fixture
def api(client):
    """GET an API path (after /api/v1), with a token when given one."""

    def get(path: str, token: str | None = None, **query):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        return client.get("/api/v1" + path, query, **headers)

    return get
