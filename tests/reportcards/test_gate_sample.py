"""The Mississippi sample through the publish gate: its data facts are placeholders, and
the one fact the app has no data for (a change since 2021, a cycle not in the app) is
listed as unchecked. Its statutes carry no dates, which is one warning; five quotes differ
from the statute text the seed gives (editorial brackets, other quotation marks), one
warning each. Nothing blocks: the publisher acknowledges the warnings and publishes."""

import pytest

from assessments.models import Assessment
from reportcards.gate import publish_gate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sample_world")]


def test_the_sample_has_no_blocker_one_unchecked_fact_and_warnings_on_its_citations():
    result = publish_gate(Assessment.objects.get(jurisdiction__code="MS", cycle__year=2023))
    assert result.blockers == []
    messages = [warning.message for warning in result.warnings]
    assert messages[0] == (
        "Highlight 1: “Between 2021-2023, raised score by .5 points” is unchecked (a change "
        "since 2021: the app has no previous cycle)."
    )
    assert messages[1].startswith(
        "28 cited statutes have no enacted date, so nothing shows they were law by July 1, "
        "2023: Miss. Code Ann. § 97-3-54.1 (goals 1.1, 1.4, 1.6, 2.1, 2.7; credit at stake: "
        "11 points);"
    )
    assert [message.split(":")[0] for message in messages[2:]] == [
        "Goal 1.2",
        "Goal 1.6",
        "Goal 2.11",
        "Goal 4.4",
        "Goal 4.5",
    ]
    assert all("is not in its text as in force on July 1, 2023" in m for m in messages[2:])
