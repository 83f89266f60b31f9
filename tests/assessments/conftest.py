"""Fixtures the assessment tests share."""

import pytest

from tests.factories import reviewed_goal


@pytest.fixture
def goal(world):
    """Mississippi's goal 1.2 as reviewers leave it (tests/factories.py reviewed_goal):
    approved, with one citation and no footnotes or tables."""
    return reviewed_goal(world)
