"""Shared fixtures.

The test database starts empty. Most tests build a small world (`world`, from
tests/factories.py); tests about the national picture ask for `sample_world`, which loads
the full sample data (framework, 51 jurisdictions, Mississippi from the seed, 50 synthetic
assessments, demo users) once per module inside a transaction rolled back after the module.
Every test runs in its own transaction (a savepoint inside that one), so tests can change
what they see.
"""

import os

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from tests.factories import small_world


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Users are made by the dozen in tests; the production hasher takes most of a second
    for each one on purpose."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


def _load_sample_data():
    with open(os.devnull, "w") as quiet:
        call_command("load_sample_data", stdout=quiet)


@pytest.fixture(scope="module")
def sample_world(django_db_setup, django_db_blocker):
    """The full sample for every test of a module; gone again after the module."""
    with django_db_blocker.unblock():
        module_transaction = transaction.atomic()
        module_transaction.__enter__()
        try:
            _load_sample_data()
        except BaseException:
            transaction.set_rollback(True)
            module_transaction.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        module_transaction.__exit__(None, None, None)


@pytest.fixture
def media_root(settings, tmp_path):
    """Files a test stores (PDFs, export ZIPs) go to a throw-away directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(db):
    return small_world()


@pytest.fixture
def analyst(client, world):
    """A browser logged in as the small world's analyst."""
    client.force_login(world.users["analyst"])
    return client


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
    """For tests on the transactional database (live server, worker processes): the
    database is emptied after each such test, so load the sample data for each."""
    _load_sample_data()
