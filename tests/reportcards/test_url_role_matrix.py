"""Every URL pattern × every role: anonymous users go to login, wrong roles get 403.

The matrix must name every pattern the project serves, so a new page cannot be added
without deciding who may use it.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessments.models import Assessment, GoalDetermination
from reportcards.models import ExportJob, JobState, PublishedReportCard, PublishJob
from statutes.models import Statute

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sample_world")]

ROLES = ["analyst", "reviewer", "publisher", "admin"]
EVERYONE = set(ROLES)
ANALYSTS = {"analyst", "admin"}
REVIEWERS = {"reviewer", "admin"}
PUBLISHERS = {"publisher", "admin"}
ADMINS = {"admin"}


def ms_statute_pk():
    return Statute.objects.get(citation="Miss. Code Ann. § 97-3-54.1").pk


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Files the matrix stores (stand-in PDFs and ZIPs) go to a throw-away directory."""
    settings.MEDIA_ROOT = tmp_path / "media"


def publisher():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="publisher")


def ms_published_version():
    """Mississippi's published version 1, stored as a stand-in file: the matrix tests who
    may download, not what is downloaded."""
    assessment = Assessment.objects.get(jurisdiction__code="MS", cycle__year=2023)
    if not PublishedReportCard.objects.filter(assessment=assessment, version=1).exists():
        content = b"%PDF-1.4 stand-in"
        card = PublishedReportCard(
            assessment=assessment,
            version=1,
            sha256="0" * 64,
            size=len(content),
            page_count=1,
            published_by=publisher(),
        )
        card.pdf.save("stand-in.pdf", ContentFile(content))
    return 1


def publish_job_pk():
    assessment = Assessment.objects.get(jurisdiction__code="MS", cycle__year=2023)
    return PublishJob.objects.create(assessment=assessment, requested_by=publisher()).pk


def export_job_pk():
    job = ExportJob(
        cycle=Assessment.objects.get(jurisdiction__code="MS", cycle__year=2023).cycle,
        requested_by=publisher(),
        state=JobState.DONE,
        progress=100,
    )
    job.save()
    job.file.save("stand-in.zip", ContentFile(b"PK\x05\x06" + bytes(18)))
    return job.pk


MS = {"code": "MS", "year": 2023}
GOAL = {**MS, "goal": "2.9"}
# name: (kwargs, who may GET, who may POST); None = method not offered (405 for all).
MATRIX = {
    "home": ({}, EVERYONE, None),
    "score_status": ({"year": 2023}, EVERYONE, None),
    "password_change": ({}, EVERYONE, EVERYONE),
    "password_change_done": ({}, EVERYONE, None),
    "logout": ({}, None, EVERYONE),
    "assessments:list": ({"year": 2023}, EVERYONE, None),
    "assessments:review_queue": ({}, REVIEWERS, None),
    "assessments:preview": ({}, None, ANALYSTS),
    "assessments:overview": (MS, EVERYONE, None),
    "assessments:texts": (MS, EVERYONE, ANALYSTS),
    "assessments:history": (MS, EVERYONE, None),
    "assessments:determination": (GOAL, EVERYONE, ANALYSTS),
    "assessments:submit": (GOAL, None, ANALYSTS),
    "assessments:approve": (GOAL, None, REVIEWERS),
    "assessments:request_changes": (GOAL, None, REVIEWERS),
    "assessments:determination_history": (GOAL, EVERYONE, None),
    "statutes:index": ({}, EVERYONE, None),
    "statutes:list": ({"code": "MS"}, EVERYONE, None),
    "statutes:new": ({"code": "MS"}, ANALYSTS, ANALYSTS),
    "statutes:detail": ({"code": "MS", "pk": ms_statute_pk}, EVERYONE, None),
    "statutes:edit": ({"code": "MS", "pk": ms_statute_pk}, ANALYSTS, ANALYSTS),
    "statutes:history": ({"code": "MS", "pk": ms_statute_pk}, EVERYONE, None),
    "dashboard": ({"year": 2023}, EVERYONE, None),
    "dashboard_csv": ({"year": 2023}, EVERYONE, None),
    "dashboard_jurisdiction": (MS, EVERYONE, None),
    "assessments:cycle_new": ({}, ADMINS, ADMINS),
    "assessments:compare": ({"code": "MS", "year_a": 2023, "year_b": 2023}, EVERYONE, None),
    "report_card": (MS, EVERYONE, None),
    "report_card_publish": (MS, None, PUBLISHERS),
    "report_card_preview": (MS, EVERYONE, None),
    "report_card_download": ({**MS, "version": ms_published_version}, EVERYONE, None),
    "publish_job": ({"pk": publish_job_pk}, PUBLISHERS, None),
    "publish_job_status": ({"pk": publish_job_pk}, PUBLISHERS, None),
    "exports": ({"year": 2023}, PUBLISHERS, PUBLISHERS),
    "export_job_status": ({"pk": export_job_pk}, PUBLISHERS, None),
    "export_download": ({"pk": export_job_pk}, PUBLISHERS, None),
}
PUBLIC = {"login"}  # the login page itself


def named_patterns(patterns=None, namespace=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue  # the admin has its own staff check, tested below
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}"


def test_it_covers_every_url_pattern_in_the_matrix():
    assert set(named_patterns()) == set(MATRIX) | PUBLIC


def url_of(name):
    kwargs = {k: (v() if callable(v) else v) for k, v in MATRIX[name][0].items()}
    return reverse(name, kwargs=kwargs)


CASES = [
    (name, method, role)
    for name in MATRIX
    for method in ("get", "post")
    for role in ["anonymous", *ROLES]
]


@pytest.mark.parametrize(("name", "method", "role"), CASES)
def test_it_enforces_roles_on_the_server(client, users, name, method, role):
    allowed = MATRIX[name][1 if method == "get" else 2]
    if role != "anonymous":
        client.force_login(users[role])
    response = getattr(client, method)(url_of(name))
    # Anonymous users are sent to login; so is everyone who logs out.
    if role == "anonymous" or (name == "logout" and method == "post"):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif allowed is None:
        assert response.status_code == 405
    elif role in allowed:
        assert response.status_code not in (403, 404, 405), response.status_code
        assert not response.get("Location", "").startswith(reverse("login"))
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_it_keeps_the_admin_to_admins(client, users, role):
    client.force_login(users[role])
    response = client.get(reverse("admin:index"))
    assert response.status_code == (200 if role == "admin" else 302)


def test_it_refuses_a_goal_of_another_cycle_or_state(client, users):
    client.force_login(users["analyst"])
    assert client.get(reverse("assessments:overview", args=["ZZ", 2023])).status_code == 404
    assert client.get(reverse("assessments:overview", args=["MS", 1999])).status_code == 404
    missing_goal = reverse("assessments:determination", args=["MS", 2023, "9.9"])
    assert client.get(missing_goal).status_code == 404
    other_state = Statute.objects.exclude(
        jurisdiction__code="MS"
    ).first() or Statute.objects.create(
        jurisdiction=GoalDetermination.objects.exclude(assessment__jurisdiction__code="MS")
        .first()
        .assessment.jurisdiction,
        citation="Other § 1",
    )
    assert client.get(reverse("statutes:detail", args=["MS", other_state.pk])).status_code == 404
