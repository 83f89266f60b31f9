"""N people saving the same determination at once: exactly one wins, the others are told."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection

from assessments import services
from assessments.models import GoalDetermination
from assessments.services import DeterminationData
from core.conflicts import EditConflict

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 6


def test_it_lets_exactly_one_of_many_concurrent_saves_win(sample_data):
    if connection.vendor == "sqlite":
        pytest.skip("Concurrent writers need PostgreSQL (CI's second pass runs this).")
    analysts = Group.objects.get(name="Analyst")
    users = []
    for number in range(WRITERS):
        user = get_user_model().objects.create_user(f"writer{number}", password="x" * 12)
        user.groups.add(analysts)
        users.append(user)
    goal = GoalDetermination.objects.get(
        assessment__jurisdiction__code="MS", assessment__cycle__year=2023, goal__number="2.9"
    )
    history_before = goal.history.count()
    start = threading.Barrier(WRITERS)
    outcomes = {}

    def save(user):
        try:
            start.wait()
            services.determination_save(
                determination_id=goal.pk,
                user=user,
                expected_version=goal.version,
                data=DeterminationData(
                    status="partially_met", points=goal.points, narrative=f"By {user.username}."
                ),
                change_reason=f"Edit by {user.username}",
            )
            outcomes[user.username] = "saved"
        except EditConflict:
            outcomes[user.username] = "conflict"
        except Exception as error:  # anything else is a failure of the locking
            outcomes[user.username] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes.values()) == ["conflict"] * (WRITERS - 1) + ["saved"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    goal.refresh_from_db()
    assert goal.narrative == f"By {winner}." and goal.version == 2
    assert goal.history.count() == history_before + 1  # the winner's version, nothing else
    assert goal.history.first().history_change_reason == f"Edit by {winner}"
