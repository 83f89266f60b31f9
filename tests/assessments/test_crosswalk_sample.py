"""The shipped illustrative crosswalk on the sample: the 2023 cycle opened into 2025 on the
illustrative ten-goal framework (51 jurisdictions)."""

import io
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from assessments.crosswalks import scaled_points
from assessments.models import Cycle, GoalDetermination
from tests.pages import parsed, text

DATA = Path(__file__).resolve().parents[2] / "assessments" / "data"

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle_2025(sample_world):
    quiet = io.StringIO()
    call_command("load_framework", str(DATA / "framework_illustrative.yaml"), stdout=quiet)
    admin = get_user_model().objects.filter(is_superuser=True).first()
    out = io.StringIO()
    call_command(
        "new_cycle", "2025", "--from", "2023", "--framework", "2025",
        "--crosswalk", str(DATA / "crosswalk_2023_to_illustrative.yaml"),
        "--user", admin.username, stdout=out,
    )  # fmt: skip
    return Cycle.objects.get(year=2025), out.getvalue()


def test_the_sample_opens_into_the_illustrative_framework(cycle_2025):
    cycle, out = cycle_2025
    assert cycle.framework.illustrative
    goals = GoalDetermination.objects.filter(assessment__cycle=cycle)
    jurisdictions = cycle.assessments.count()
    assert goals.count() == jurisdictions * 10
    # 4 merged, 2 split and 1 new goal of 10 in each assessment.
    assert goals.filter(needs_fresh_look=True).count() == jurisdictions * 7
    assert f"{jurisdictions * 7} goals (merged, split or new) need a fresh look" in out
    # One-to-one: new goal 1.3 continues Mississippi's 2023 goal 1.4, on 10 points not 2.5.
    old = GoalDetermination.objects.select_related("approved", "goal").get(
        assessment__cycle__year=2023, assessment__jurisdiction__code="MS", goal__number="1.4"
    )
    new = goals.select_related("goal").get(assessment__jurisdiction__code="MS", goal__number="1.3")
    assert new.status == old.approved.status
    assert new.points == scaled_points(old.approved.status, old.approved.points, D("2.5"), D("10"))
    assert new.narrative == old.approved.document["narrative"]
    assert not new.needs_fresh_look


def test_the_sample_compares_2023_with_2025_through_the_crosswalk(client, cycle_2025):
    client.force_login(get_user_model().objects.filter(is_superuser=True).first())
    response = client.get(reverse("assessments:compare", args=["MS", 2023, 2025]))
    page = parsed(response)
    assert "The frameworks differ" in text(page.select_one("#crosswalk-note"))
    assert len(page.select("tr[data-goal]")) == 10
    dropped = page.select("#crosswalk-dropped li")
    assert len(dropped) == 10  # issue areas 5 and 6
