"""Shared fixtures. The sample data (framework, 51 jurisdictions, Mississippi from the seed,
50 synthetic assessments, demo users) is loaded once per test session into the test
database; every test runs in a transaction that is rolled back, so tests can change it.
"""

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_sample_data", stdout=open("/dev/null", "w"))  # noqa: SIM115


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
