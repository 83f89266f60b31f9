"""Fixtures the report card tests share."""

import pytest

from assessments.recompute import cycle_recompute


@pytest.fixture
def mississippi(world):
    """Mississippi with every goal approved and the cycle's scores computed: ready to publish."""
    assessment = world.approve_all("MS")
    cycle_recompute(cycle_id=world.cycle.id)
    return assessment
