"""Recomputing the national picture: the full sample's 51 jurisdictions, with their shared
ranks, ties and tiers, come out the same every time.

The sample has a module of its own: a module's tests share either the sample or small
worlds, never both (both hold a 2023 cycle).
"""

import pytest

from assessments.recompute import cycle_recompute
from assessments.tasks import recompute_cycle
from reportcards.national_table import national_rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sample_world")]


def test_it_gives_the_same_51_rows_when_run_twice(cycle):
    cycle_recompute(cycle_id=cycle.id)
    first = national_rows(cycle)
    recompute_cycle.apply(args=[cycle.id]).get()
    assert national_rows(cycle) == first
    assert len(first) == 51
