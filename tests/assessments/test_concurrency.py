"""N people saving the same determination at once: exactly one wins, the others are told.

The writers need committed rows and connections of their own, so the small world is built
on the transactional database."""

from decimal import Decimal

import pytest
from django.db import connection

from accounts.roles import Role
from assessments import services
from assessments.models import GoalDetermination
from assessments.scoring import Status
from assessments.services import DeterminationData
from core.conflicts import EditConflict
from tests.factories import UserFactory, small_world
from tests.threads import all_at_once

pytestmark = [
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="Concurrent writers need PostgreSQL (CI's second pass runs this).",
    ),
    pytest.mark.django_db(transaction=True),
]

WRITERS = 6


def save_at_once(goal: GoalDetermination, writers) -> dict[str, str]:
    """Each writer saves their own narrative over the same version, all released together;
    what each was told, by username."""
    outcomes = {}

    def save(user):
        try:
            services.determination_save(
                determination_id=goal.pk,
                user=user,
                expected_version=goal.version,
                data=DeterminationData(
                    Status.PARTIALLY_MET, goal.points, narrative=f"By {user.username}."
                ),
                change_reason=f"Edit by {user.username}",
            )
            outcomes[user.username] = "saved"
        except EditConflict:
            outcomes[user.username] = "conflict"

    failures = all_at_once(save, writers)  # anything else is a failure of the locking
    assert failures == []
    return outcomes


@pytest.fixture
def contested(transactional_db):
    """Mississippi's goal 1.1 partially met at 1.25 points and approved."""
    return small_world().approve("MS", "1.1", Status.PARTIALLY_MET, Decimal("1.25"))


@pytest.fixture
def writers(transactional_db):
    return [UserFactory(username=f"writer{n}", roles=[Role.ANALYST]) for n in range(WRITERS)]


def test_it_lets_exactly_one_of_many_concurrent_saves_win(contested, writers):
    outcomes = save_at_once(contested, writers)
    assert sorted(outcomes.values()) == ["conflict"] * (WRITERS - 1) + ["saved"]


def test_it_keeps_the_winners_version_and_nothing_else(contested, writers):
    history_before = contested.history.count()
    outcomes = save_at_once(contested, writers)
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    contested.refresh_from_db()
    assert contested.narrative == f"By {winner}." and contested.version == 2
    assert contested.history.count() == history_before + 1
    assert contested.history.first().history_change_reason == f"Edit by {winner}"
