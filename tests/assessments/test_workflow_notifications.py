"""Who is told what as goals move through review and cards are published, e-mail settings
(kinds off, the daily digest) and sending each notification once."""

import datetime
import io

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from assessments import services
from assessments.models import Notification, NotificationSettings
from assessments.notifications import notify
from assessments.tasks import email_notification
from assessments.workflow_notifications import published_notify
from reportcards.models import PublishedReportCard
from tests.factories import assign_ms
from tests.pages import parsed, send, text

pytestmark = pytest.mark.django_db

GOAL_URL = reverse("assessments:determination", args=["MS", 2023, "1.1"])


def told():
    return sorted(
        (n.user.username, n.kind, n.message) for n in Notification.objects.select_related("user")
    )


def submit(world, goal="1.1"):
    determination = world.determination("MS", goal)
    return services.determination_submit(
        determination_id=determination.pk,
        user=world.users["analyst"],
        expected_version=determination.version,
    )


def test_a_submission_tells_the_assigned_reviewer_and_nobody_without_an_assignment(world):
    submit(world, "1.2")
    assert told() == []
    assign_ms(world)
    submit(world, "1.1")
    assert told() == [
        (
            "reviewer",
            "submitted",
            "analyst submitted Goal 1.1 of State MS (2023), version 1, for your review.",
        )
    ]
    assert Notification.objects.get().link == GOAL_URL


def test_changes_requested_and_approved_tell_the_analyst(world):
    assign_ms(world)
    determination = submit(world)
    services.determination_request_changes(
        determination_id=determination.pk,
        user=world.users["admin"],
        expected_version=determination.version,
        comment="Cite the statute.",
    )
    determination = submit(world)
    services.determination_approve(
        determination_id=determination.pk,
        user=world.users["admin"],
        expected_version=determination.version,
    )
    kinds = [(user, kind) for user, kind, _ in told()]
    assert kinds == [
        ("analyst", "approved"),
        ("analyst", "changes_requested"),
        ("reviewer", "submitted"),
        ("reviewer", "submitted"),
    ]
    changes = Notification.objects.get(kind="changes_requested").message
    assert changes.endswith(
        "requested changes to Goal 1.1 of State MS (2023) (version 1): Cite the statute."
    )


def test_without_an_assignment_the_analyst_who_saved_it_is_told(world):
    determination = world.determination("MS", "1.1")
    determination.last_edited_by = world.users["analyst"]
    determination.save()
    determination = submit(world)
    services.determination_approve(
        determination_id=determination.pk,
        user=world.users["reviewer"],
        expected_version=determination.version,
    )
    assert [(u, k) for u, k, _ in told()] == [("analyst", "approved")]


def test_state_texts_steps_tell_the_same_people(world):
    assign_ms(world)
    assessment = world.assessments["MS"]
    services.assessment_texts_submit(
        assessment_id=assessment.pk,
        user=world.users["analyst"],
        expected_version=assessment.version,
    )
    [(user, kind, message)] = told()
    assert (user, kind) == ("reviewer", "submitted")
    assert message.startswith("analyst submitted The state texts of State MS (2023)")


def test_a_published_card_tells_the_assigned_people_once_and_not_the_publisher(world, media_root):
    assign_ms(world)
    card = PublishedReportCard(
        assessment=world.assessments["MS"],
        version=1,
        sha256="0" * 64,
        size=3,
        page_count=1,
        published_by=world.users["publisher"],
    )
    card.pdf.save("stand-in.pdf", ContentFile(b"%PD"))
    published_notify(card)
    published_notify(card)  # a job run twice
    assert [(u, k) for u, k, _ in told()] == [("analyst", "published"), ("reviewer", "published")]


def test_each_notification_is_made_and_emailed_once(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(user=world.users["reviewer"], kind="submitted", key="k", message="One.")
        again = notify(user=world.users["reviewer"], kind="submitted", key="k", message="One.")
    assert first is not None and again is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[Report Cards] Submitted for your review"
    email_notification(first.pk)  # a retried task
    assert len(mail.outbox) == 1


def test_a_kind_switched_off_is_shown_but_not_emailed(world, django_capture_on_commit_callbacks):
    NotificationSettings.objects.create(user=world.users["reviewer"], muted_kinds=["submitted"])
    with django_capture_on_commit_callbacks(execute=True):
        muted = notify(user=world.users["reviewer"], kind="submitted", key="a", message="A.")
        notify(user=world.users["reviewer"], kind="mentioned", key="b", message="B.")
    assert muted.email == Notification.Email.OFF
    assert [m.body for m in mail.outbox] == ["B."]
    email_notification(muted.pk)
    call_command("send_reminders", "--today", "2023-05-10", stdout=io.StringIO())
    assert len(mail.outbox) == 1


def test_the_daily_digest_sends_one_email_with_the_day_s_notifications_once(
    world, django_capture_on_commit_callbacks
):
    NotificationSettings.objects.create(user=world.users["analyst"], daily_digest=True)
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=world.users["analyst"], kind="approved", key="a", message="Goal 1.1 ok.")
        notify(user=world.users["analyst"], kind="comment", key="b", message="A comment.")
    assert mail.outbox == []
    out = io.StringIO()
    call_command("send_reminders", "--today", datetime.date.today().isoformat(), stdout=out)
    assert "1 daily digest(s) e-mailed" in out.getvalue()
    [digest] = mail.outbox
    assert digest.to == ["analyst@example.org"]
    assert digest.subject == "[Report Cards] Your notifications of the day"
    assert (
        "- Approved: Goal 1.1 ok." in digest.body
        and "- Comment on your goal: A comment." in digest.body
    )
    call_command("send_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 1


def test_the_settings_page_saves_the_user_s_own_choices(client, world):
    client.force_login(world.users["reviewer"])
    url = reverse("notification_settings")
    page = parsed(client.get(url))
    assert page.select_one("#notification-settings") is not None
    assert len(page.select("input[name=emailed][checked]")) == len(Notification.Kind.values)
    data = {"emailed": ["approved", "mentioned"], "daily_digest": "1"}
    response = client.post(url, data, follow=True)
    assert "Notification settings saved." in text(parsed(response))
    chosen = NotificationSettings.objects.get(user=world.users["reviewer"])
    assert chosen.daily_digest is True
    assert "submitted" in chosen.muted_kinds and "approved" not in chosen.muted_kinds
    assert not NotificationSettings.objects.exclude(user=world.users["reviewer"]).exists()


def test_the_settings_page_refuses_a_kind_it_does_not_know(client, world):
    client.force_login(world.users["reviewer"])
    response = client.post(
        reverse("notification_settings"), {"emailed": ["<script>"], "daily_digest": "1"}
    )
    assert response.status_code == 400
    assert not NotificationSettings.objects.exists()


def test_a_comment_notification_links_to_the_thread(client, world):
    assign_ms(world)
    client.force_login(world.users["reviewer"])
    send(client, GOAL_URL, "#thread-new", text="Looks fine.")
    [note] = Notification.objects.filter(user=world.users["analyst"])
    assert note.kind == "comment" and note.link.startswith(GOAL_URL + "#thread-")
