"""Every URL pattern × every role: anonymous users go to login, wrong roles get 403.

The matrix must name every pattern the project serves, so a new page cannot be added
without deciding who may use it.
"""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from assessments.models import Notification, Scenario
from reportcards.models import (
    ExportJob,
    JobState,
    PreviewJob,
    PublishedReportCard,
    PublishJob,
    ReleaseJob,
)
from statutes.models import Bill
from tests.factories import StatuteFactory
from tests.pages import parsed, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

ROLES = ["analyst", "reviewer", "publisher", "admin"]
EVERYONE = set(ROLES)
ANALYSTS = {"analyst", "admin"}
REVIEWERS = {"reviewer", "admin"}
PUBLISHERS = {"publisher", "admin"}
ADMINS = {"admin"}


# What a URL names beyond the small world, made only for the URLs that name it.


def ms_statute(world):
    return StatuteFactory(jurisdiction=world.jurisdictions["MS"]).pk


def ms_bill(world):
    bill, _ = Bill.objects.get_or_create(
        jurisdiction=world.jurisdictions["MS"], number="HB 123", session="2024 Regular Session"
    )
    return bill.pk


def ms_published_version(world):
    """Mississippi's published version 1, stored as a stand-in file: the matrix tests who
    may download, not what is downloaded. Made once, however many URLs name it."""
    if PublishedReportCard.objects.filter(assessment=world.assessments["MS"]).exists():
        return 1
    content = b"%PDF-1.4 stand-in"
    card = PublishedReportCard(
        assessment=world.assessments["MS"],
        version=1,
        sha256="0" * 64,
        size=len(content),
        page_count=1,
        published_by=world.users["publisher"],
    )
    card.pdf.save("stand-in.pdf", ContentFile(content), save=False)
    card.html_sha256 = "1" * 64
    card.html.save("stand-in.html", ContentFile(b"<!DOCTYPE html><title>stand-in</title>"))
    return card.version


def ms_scenario(world):
    return Scenario.objects.create(
        jurisdiction=world.jurisdictions["MS"],
        cycle=world.cycle,
        name="HB 1",
        settings={"goals": {"1.1": {"status": "fully_met", "points": None}}, "enact": []},
        created_by=world.users["analyst"],
    ).pk


def publish_job(world):
    return PublishJob.objects.create(
        assessment=world.assessments["MS"], requested_by=world.users["publisher"]
    ).pk


def preview_job(world):
    """A finished preview of Mississippi with a stand-in file."""
    job = PreviewJob.objects.create(
        assessment=world.assessments["MS"],
        requested_by=world.users["analyst"],
        state=JobState.DONE,
        progress=100,
    )
    job.file.save("stand-in.pdf", ContentFile(b"%PDF-1.4 stand-in"))
    return job.pk


def export_job(world):
    job = ExportJob.objects.create(
        cycle=world.cycle, requested_by=world.users["publisher"], state=JobState.DONE, progress=100
    )
    job.file.save("stand-in.zip", ContentFile(b"PK\x05\x06" + bytes(18)))
    return job.pk


def release_job(world):
    """A release of 2023 scheduled for a day ahead: it can be followed and cancelled."""
    return ReleaseJob.objects.create(
        cycle=world.cycle,
        requested_by=world.users["publisher"],
        scheduled_for=timezone.now() + datetime.timedelta(days=1),
    ).pk


def admin_notification(world):
    """The admin's notification: other users may post its address, and change nothing."""
    return Notification.objects.create(
        user=world.users["admin"], kind="overdue", key="k", message="State MS is overdue."
    ).pk


def admin_comment(world):
    """A thread on Mississippi's goal 1.1 started by the admin: its first comment's pk
    (only its author may edit it)."""
    from discussions.models import Comment, Thread

    thread = Thread.objects.create(
        assessment=world.assessments["MS"],
        determination=world.determinations["MS", "1.1"],
        started_by=world.users["admin"],
    )
    return Comment.objects.create(
        thread=thread, author=world.users["admin"], text="Is 1.1 right?", version=1
    ).pk


def ms_thread(world):
    from discussions.models import Comment

    return Comment.objects.get(pk=admin_comment(world)).thread_id


MS = {"code": "MS", "year": 2023}
MS_THREAD = {**MS, "pk": ms_thread}
GOAL = {**MS, "goal": "1.1"}
# The review buttons, the same on a goal page and on the texts page: posted only.
REVIEW_BUTTONS = {"submit": ANALYSTS, "approve": REVIEWERS, "request_changes": REVIEWERS}
# name: (kwargs, who may GET, who may POST); None = method not offered (405 for all).
MATRIX = {
    "home": ({}, EVERYONE, None),
    "national": ({}, EVERYONE, None),
    "notifications": ({}, EVERYONE, None),
    "notification_read": ({"pk": admin_notification}, None, EVERYONE),
    "notifications_read_all": ({}, None, EVERYONE),
    "notification_settings": ({}, EVERYONE, EVERYONE),
    "discussions:threads": (MS, EVERYONE, None),
    "discussions:start_goal": (GOAL, None, EVERYONE),
    "discussions:start_texts": (MS, None, EVERYONE),
    "discussions:thread": (MS_THREAD, EVERYONE, None),
    **{
        f"discussions:{step}": (MS_THREAD, None, EVERYONE)
        for step in ("reply", "resolve", "reopen")
    },
    "discussions:comment_edit": ({**MS, "pk": admin_comment}, ADMINS, ADMINS),
    "score_status": ({"year": 2023}, EVERYONE, None),
    "password_change": ({}, EVERYONE, EVERYONE),
    "password_change_done": ({}, EVERYONE, None),
    "logout": ({}, None, EVERYONE),
    "two_factor_enrol": ({}, EVERYONE, EVERYONE),
    "two_factor_verify": ({}, EVERYONE, EVERYONE),
    "assessments:list": ({"year": 2023}, EVERYONE, None),
    "assessments:review_queue": ({}, REVIEWERS, None),
    "assessments:search": ({}, EVERYONE, None),
    "assessments:goal_across": ({"year": 2023, "number": "1.1"}, EVERYONE, None),
    "assessments:assignments": ({"year": 2023}, PUBLISHERS, PUBLISHERS),
    "assessments:assignments_import": ({"year": 2023}, None, PUBLISHERS),
    "assessments:preview": ({}, None, ANALYSTS),
    "assessments:overview": (MS, EVERYONE, None),
    "assessments:texts": (MS, EVERYONE, ANALYSTS),
    **{f"assessments:texts_{step}": (MS, None, who) for step, who in REVIEW_BUTTONS.items()},
    "assessments:history": (MS, EVERYONE, None),
    "assessments:what_if": (MS, EVERYONE, None),
    "assessments:citation_checks": (MS, EVERYONE, None),
    "assessments:scenario_save": (MS, None, ANALYSTS),
    "assessments:scenario_open": ({"code": "MS", "year": 2023, "pk": ms_scenario}, EVERYONE, None),
    "assessments:determination": (GOAL, EVERYONE, ANALYSTS),
    **{f"assessments:{step}": (GOAL, None, who) for step, who in REVIEW_BUTTONS.items()},
    "assessments:accept_wording": (GOAL, None, REVIEWERS),
    "assessments:withdraw": (GOAL, None, ANALYSTS),
    "assessments:restore": (GOAL, None, ANALYSTS),
    "assessments:determination_history": (GOAL, EVERYONE, None),
    "statutes:index": ({}, EVERYONE, None),
    "statutes:list": ({"code": "MS"}, EVERYONE, None),
    "statutes:new": ({"code": "MS"}, ANALYSTS, ANALYSTS),
    "statutes:detail": ({"code": "MS", "pk": ms_statute}, EVERYONE, None),
    "statutes:edit": ({"code": "MS", "pk": ms_statute}, ANALYSTS, ANALYSTS),
    "statutes:history": ({"code": "MS", "pk": ms_statute}, EVERYONE, None),
    "statutes:bills": ({"code": "MS"}, EVERYONE, None),
    "statutes:bill_new": ({"code": "MS"}, ANALYSTS, ANALYSTS),
    "statutes:bill_edit": ({"code": "MS", "pk": ms_bill}, ANALYSTS, ANALYSTS),
    "statutes:bill_history": ({"code": "MS", "pk": ms_bill}, EVERYONE, None),
    "dashboard": ({"year": 2023}, EVERYONE, None),
    "board": ({"year": 2023}, EVERYONE, None),
    "board_csv": ({"year": 2023}, EVERYONE, None),
    "audit_log": ({}, ADMINS, None),
    "dashboard_csv": ({"year": 2023}, EVERYONE, None),
    "dashboard_jurisdiction": (MS, EVERYONE, None),
    "assessments:cycle_new": ({}, ADMINS, ADMINS),
    "assessments:compare": ({"code": "MS", "year_a": 2023, "year_b": 2023}, EVERYONE, None),
    "report_card": (MS, EVERYONE, None),
    "report_card_publish": (MS, None, PUBLISHERS),
    "report_card_preview": (MS, None, EVERYONE),
    "preview_job": ({"pk": preview_job}, EVERYONE, None),
    "preview_job_status": ({"pk": preview_job}, EVERYONE, None),
    "preview_download": ({"pk": preview_job}, EVERYONE, None),
    "report_card_download": ({**MS, "version": ms_published_version}, EVERYONE, None),
    "report_card_edition": ({**MS, "version": ms_published_version}, EVERYONE, None),
    "publish_job": ({"pk": publish_job}, PUBLISHERS, None),
    "publish_job_status": ({"pk": publish_job}, PUBLISHERS, None),
    "publish_job_cancel": ({"pk": publish_job}, PUBLISHERS, PUBLISHERS),
    "publish_job_retry": ({"pk": publish_job}, PUBLISHERS, PUBLISHERS),
    "exports": ({"year": 2023}, PUBLISHERS, PUBLISHERS),
    "export_job_status": ({"pk": export_job}, PUBLISHERS, None),
    "export_job_cancel": ({"pk": export_job}, PUBLISHERS, PUBLISHERS),
    "export_job_retry": ({"pk": export_job}, PUBLISHERS, PUBLISHERS),
    "export_download": ({"pk": export_job}, PUBLISHERS, None),
    "cycle_release": ({"year": 2023}, PUBLISHERS, PUBLISHERS),
    "cycle_changelog": ({"year": 2023}, EVERYONE, None),
    "survey_charts": ({"year": 2023}, EVERYONE, None),
    "survey_chart": ({"year": 2023, "number": "1.1"}, EVERYONE, None),
    "release_job_status": ({"pk": release_job}, PUBLISHERS, None),
    "release_job_cancel": ({"pk": release_job}, PUBLISHERS, PUBLISHERS),
}
PUBLIC = {"login", "favicon"}  # the login page itself, and the icon it shows


def named_patterns(patterns=None, namespace=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue  # the admin has its own staff check, tested below
            if entry.namespace == "api":
                continue  # the JSON API checks tokens itself: tests/api/test_api_access.py
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}"


def test_it_covers_every_url_pattern_in_the_matrix():
    assert set(named_patterns()) == set(MATRIX) | PUBLIC


def url_of(name, world):
    kwargs = {k: (v(world) if callable(v) else v) for k, v in MATRIX[name][0].items()}
    return reverse(name, kwargs=kwargs)


def outcome(response) -> str:
    """What a user sees, in the words of the matrix."""
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return "login"
    return {403: "forbidden", 404: "not found", 405: "no such method"}.get(
        response.status_code, "served"
    )


def expected(name, method) -> dict[str, str]:
    """Anonymous users are sent to login, and so is everyone who logs out; a method the
    URL does not offer is refused for all; otherwise the matrix says who is served."""
    allowed = MATRIX[name][2 if method == "post" else 1]  # HEAD wherever GET
    if name == "logout" and method == "post":
        return dict.fromkeys(["anonymous", *ROLES], "login")
    if allowed is None:
        return {"anonymous": "login", **dict.fromkeys(ROLES, "no such method")}
    return {"anonymous": "login"} | {
        role: "served" if role in allowed else "forbidden" for role in ROLES
    }


@pytest.mark.parametrize("method", ["get", "head", "post"])
@pytest.mark.parametrize("name", MATRIX)
def test_it_enforces_roles_on_the_server(client, world, name, method):
    url = url_of(name, world)
    seen = {"anonymous": outcome(getattr(client, method)(url))}
    for role in ROLES:
        client.force_login(world.users[role])
        seen[role] = outcome(getattr(client, method)(url))
    assert seen == expected(name, method)


@pytest.mark.parametrize("role", ROLES)
def test_it_keeps_the_admin_to_admins(client, world, role):
    client.force_login(world.users[role])
    response = client.get(reverse("admin:index"))
    assert response.status_code == (200 if role == "admin" else 302)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("assessments:overview", ["ZZ", 2023]),
        ("assessments:overview", ["MS", 1999]),
        ("assessments:determination", ["MS", 2023, "9.9"]),
    ],
)
def test_it_answers_404_for_a_state_cycle_or_goal_it_does_not_have(client, world, name, args):
    client.force_login(world.users["analyst"])
    assert client.get(reverse(name, args=args)).status_code == 404


def test_it_answers_404_for_a_statute_of_another_state(client, world):
    tennessee_statute = StatuteFactory(jurisdiction=world.jurisdictions["TN"])
    client.force_login(world.users["analyst"])
    url = reverse("statutes:detail", args=["MS", tennessee_statute.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("name", [name for name, (_, get, _) in MATRIX.items() if get])
def test_it_shows_a_user_without_a_role_only_the_no_access_page(client, world, name):
    client.force_login(world.users["norole"])
    response = client.get(url_of(name, world))
    if name in {"password_change", "password_change_done"}:
        assert response.status_code == 200
        return
    assert response.status_code == 403
    assert "No access yet" in text(parsed(response).find("h1"))
    assert not parsed(response).select("a.nav-link")


WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def test_it_never_writes_on_a_get_even_when_the_scores_are_stale(client, world):
    """A read is a read: with the cycle's scores stale (a change queued their recompute),
    no page's GET inserts, updates or deletes anything; the pages say the scores are being
    recomputed instead of recomputing them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assessments.recompute import cycle_mark_stale

    cycle_mark_stale(cycle_id=world.cycle.pk, queue=False)
    client.force_login(world.users["admin"])
    urls = [url_of(name, world) for name, (_, get, _) in MATRIX.items() if get]
    writes = {}
    for address in urls:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(address)
        assert response.status_code == 200, address
        statements = [q["sql"] for q in captured if q["sql"].lstrip().upper().startswith(WRITES)]
        if statements:
            writes[address] = statements
    assert writes == {}


def test_the_icon_is_there_for_anyone_who_asks(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("favicon.svg")
    assert client.get(response["Location"]).status_code == 200
