"""The Mississippi sample through the publish gate: its data facts are placeholders, and
the one fact the app has no data for (a change since 2021, a cycle not in the app) is
listed as unchecked."""

import pytest

from assessments.models import Assessment
from reportcards.gate import publish_gate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sample_world")]


def test_the_sample_has_no_blocker_and_one_unchecked_fact():
    result = publish_gate(Assessment.objects.get(jurisdiction__code="MS", cycle__year=2023))
    assert result.blockers == []
    assert [warning.message for warning in result.warnings] == [
        "Highlight 1: “Between 2021-2023, raised score by .5 points” is unchecked (a change "
        "since 2021: the app has no previous cycle)."
    ]
