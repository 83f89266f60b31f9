"""Shared fixtures. The sample data (framework, 51 jurisdictions, Mississippi from the seed,
50 synthetic assessments, demo users) is loaded once per test session into the test
database; every test runs in a transaction that is rolled back, so tests can change it.
"""

import os

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_sample_data", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture(autouse=True)
def empty_caches():
    """Rolled-back tests share one computed_at, which is what fragments are keyed by: a
    test that changes snapshots directly must not see the HTML an earlier test cached."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture
def cycle(db):
    from assessments.models import Cycle

    return Cycle.objects.select_related("framework").get(year=2023)


@pytest.fixture
def users(db):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    return {
        name: User.objects.get(username=name)
        for name in ("analyst", "reviewer", "publisher", "admin")
    }


@pytest.fixture
def sample_data(transactional_db):
    """For tests on the transactional database (live server, worker processes): an earlier
    such test flushed the tables, so load the sample data again when it is gone."""
    from assessments.models import Cycle

    if not Cycle.objects.filter(year=2023).exists():
        call_command("load_sample_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
