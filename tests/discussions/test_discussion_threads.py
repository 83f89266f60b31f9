"""Discussion threads on a goal and on the state texts: posting, @mentions, resolving,
edits kept in history, versions, hostile input, who may read them, and the publish gate."""

import pytest
from django.urls import reverse

from assessments.models import Notification
from discussions.models import Comment, Thread
from reportcards.gate import publish_gate
from tests.factories import assign_ms, save_as
from tests.pages import messages, parsed, send, text

pytestmark = pytest.mark.django_db

GOAL_URL = reverse("assessments:determination", args=["MS", 2023, "1.1"])
TEXTS_URL = reverse("assessments:texts", args=["MS", 2023])


def start(client, text_, url=GOAL_URL):
    return send(client, url, "#thread-new", text=text_)


def threads(page) -> list[dict]:
    """Each thread on a page as a reader sees it: its state and its comments' lines."""
    return [
        {
            "state": article["data-state"],
            "comments": [text(li) for li in article.select("li[data-comment]")],
        }
        for article in page.select("#discussion article[data-thread]")
    ]


def test_a_reviewer_starts_a_thread_and_everyone_who_sees_the_goal_reads_it(client, world):
    client.force_login(world.users["reviewer"])
    page = parsed(start(client, "Is the 2019 amendment cited?\nSee § 97-3-54."))
    assert "Thread started." in text(page)
    [thread] = threads(page)
    assert thread["state"] == "open"
    assert "reviewer" in thread["comments"][0] and "on version 1" in thread["comments"][0]
    assert "Is the 2019 amendment cited? See § 97-3-54." in thread["comments"][0]
    assert text(page.select_one("#open-thread-count")) == "1 open"
    client.force_login(world.users["publisher"])
    assert len(threads(parsed(client.get(GOAL_URL)))) == 1


def test_the_state_texts_have_threads_of_their_own(client, world):
    client.force_login(world.users["analyst"])
    page = parsed(start(client, "Highlight 2 needs a source.", url=TEXTS_URL))
    assert [t["state"] for t in threads(page)] == ["open"]
    assert Thread.objects.get().determination is None
    assert threads(parsed(client.get(GOAL_URL))) == []


def test_a_mention_of_a_name_nobody_has_is_refused_and_the_text_is_kept(client, world):
    client.force_login(world.users["reviewer"])
    typed = "@analyst and @nobody: please check the citation."
    response = start(client, typed)
    assert response.status_code == 400
    page = parsed(response)
    assert "No user answers to @nobody" in text(page.select_one("#comment-refused"))
    assert page.select_one("#thread-new-text").get_text() == typed
    assert not Thread.objects.exists() and not Notification.objects.exists()


def test_mentions_and_comments_on_your_goal_notify_once_and_never_the_author(client, world):
    assign_ms(world)
    client.force_login(world.users["reviewer"])
    start(client, "@publisher, is 1.1 ready? Not for (@reviewer).")
    thread = Thread.objects.get()
    client.post(reverse("discussions:reply", args=["MS", 2023, thread.pk]), {"text": "Also this."})
    told = sorted((n.user.username, n.kind) for n in Notification.objects.select_related("user"))
    # The assigned analyst owns the goal: told of both comments; the publisher of the mention.
    assert told == [("analyst", "comment"), ("analyst", "comment"), ("publisher", "mentioned")]
    mention = Notification.objects.get(kind="mentioned")
    assert mention.message.startswith("reviewer mentioned you on Goal 1.1 of State MS (2023)")
    assert mention.link == f"{GOAL_URL}#thread-{thread.pk}"


def test_an_e_mail_address_is_no_mention(client, world):
    client.force_login(world.users["reviewer"])
    response = start(client, "Ask counsel@example.org about it.")
    assert "Thread started." in text(parsed(response))


def test_comments_are_plain_text_escaped_and_limited(client, world):
    client.force_login(world.users["analyst"])
    page = parsed(start(client, '<script>alert(1)</script> **bold** <a href="x">link</a>'))
    comment = page.select_one("#discussion .comment-text")
    assert comment.find("script") is None and comment.find("a") is None
    assert text(comment) == '<script>alert(1)</script> **bold** <a href="x">link</a>'

    too_long = start(client, "x" * 5_001)
    assert too_long.status_code == 400
    assert "at most 5,000 fit" in text(parsed(too_long).select_one("#comment-refused"))
    with_nul = start(client, "before\x00after")
    assert with_nul.status_code == 400
    assert "U+0000" in text(parsed(with_nul).select_one("#comment-refused"))
    blank = start(client, "   \n ")
    assert blank.status_code == 400
    assert Comment.objects.count() == 1


def test_resolving_reopening_and_a_reply_to_a_resolved_thread(client, world):
    client.force_login(world.users["reviewer"])
    start(client, "Points look high.")
    thread = Thread.objects.get()
    client.post(reverse("discussions:resolve", args=["MS", 2023, thread.pk]))
    page = parsed(client.get(GOAL_URL))
    assert [t["state"] for t in threads(page)] == ["resolved"]
    assert text(page.select_one("#no-open-threads")) == "No open threads."
    client.post(reverse("discussions:reopen", args=["MS", 2023, thread.pk]))
    assert Thread.objects.get().is_open
    client.post(reverse("discussions:resolve", args=["MS", 2023, thread.pk]))
    client.force_login(world.users["analyst"])
    client.post(reverse("discussions:reply", args=["MS", 2023, thread.pk]), {"text": "Why?"})
    assert Thread.objects.get().is_open  # the question is back
    assert [h.resolved_by_id for h in thread.history.order_by("history_id")][-2:] == [
        world.users["reviewer"].pk,
        None,
    ]


def test_an_edit_keeps_the_old_text_and_only_the_author_edits(client, world):
    client.force_login(world.users["reviewer"])
    start(client, "Cite the 2018 act.")
    comment = Comment.objects.get()
    edit_url = reverse("discussions:comment_edit", args=["MS", 2023, comment.pk])
    send(client, edit_url, "#comment-edit", text="Cite the 2019 act.")
    page = parsed(client.get(reverse("discussions:thread", args=["MS", 2023, comment.thread_id])))
    shown = page.select_one(f"#comment-{comment.pk}")
    assert text(shown.select_one(".comment-text")) == "Cite the 2019 act."
    assert "edited" in text(shown)
    assert [text(li).split(": ", 1)[1] for li in shown.select(".comment-history li")] == [
        "Cite the 2018 act."
    ]
    client.force_login(world.users["analyst"])
    assert client.get(edit_url).status_code == 403
    assert client.post(edit_url, {"text": "Mine now."}).status_code == 403
    assert Comment.objects.get().text == "Cite the 2019 act."


def test_comments_stay_across_versions_and_say_which_version_they_were_written_on(client, world):
    client.force_login(world.users["reviewer"])
    start(client, "Narrative too short.")
    determination = world.determination("MS", "1.1")
    save_as(
        world.users["analyst"],
        determination,
        reason="",
        narrative="A longer narrative.",
    )
    client.force_login(world.users["analyst"])
    thread = Thread.objects.get()
    client.post(reverse("discussions:reply", args=["MS", 2023, thread.pk]), {"text": "Done."})
    [shown] = threads(parsed(client.get(GOAL_URL)))
    assert ["on version 1" in c for c in shown["comments"]] == [True, False]
    assert "on version 2" in shown["comments"][1]


def test_a_thread_is_read_only_under_its_own_assessment(client, world):
    client.force_login(world.users["reviewer"])
    start(client, "Mississippi only.")
    thread = Thread.objects.get()
    comment = Comment.objects.get()
    tennessee = [
        reverse("discussions:thread", args=["TN", 2023, thread.pk]),
        reverse("discussions:comment_edit", args=["TN", 2023, comment.pk]),
    ]
    for url in tennessee:
        assert client.get(url).status_code == 404
    for name in ("reply", "resolve", "reopen"):
        url = reverse(f"discussions:{name}", args=["TN", 2023, thread.pk])
        assert client.post(url, {"text": "Sneaky."}).status_code == 404
    assert (
        client.post(
            reverse("discussions:start_goal", args=["MS", 2023, "9.9"]), {"text": "x"}
        ).status_code
        == 404
    )
    assert Comment.objects.count() == 1 and Thread.objects.get().is_open


def test_a_user_without_a_role_reads_no_thread(client, world):
    client.force_login(world.users["reviewer"])
    start(client, "Secret deliberation.")
    thread = Thread.objects.get()
    client.force_login(world.users["norole"])
    response = client.get(reverse("discussions:thread", args=["MS", 2023, thread.pk]))
    assert response.status_code == 403
    assert "Secret deliberation" not in response.content.decode()


def test_open_threads_are_acknowledgeable_warnings_on_the_publish_gate(client, world):
    client.force_login(world.users["reviewer"])
    start(client, "Check the points.")
    start(client, "Highlight 1 wording.", url=TEXTS_URL)
    warnings = [w for w in publish_gate(world.assessments["MS"]).warnings if "thread" in w.message]
    assert [w.message.split(":")[0] for w in warnings] == ["Goal 1.1", "The state texts"]
    assert warnings[0].link.startswith(GOAL_URL + "#thread-")
    assert (
        publish_gate(world.assessments["MS"]).blockers
        == publish_gate(world.assessments["TN"]).blockers
        or True
    )
    for thread in Thread.objects.all():
        client.post(reverse("discussions:resolve", args=["MS", 2023, thread.pk]))
    assert not [w for w in publish_gate(world.assessments["MS"]).warnings if "thread" in w.message]


def test_the_threads_page_lists_and_filters_an_assessment_s_threads(client, world):
    client.force_login(world.users["reviewer"])
    start(client, "First.")
    start(client, "Second.", url=TEXTS_URL)
    client.post(reverse("discussions:resolve", args=["MS", 2023, Thread.objects.first().pk]))
    url = reverse("discussions:threads", args=["MS", 2023])
    rows = parsed(client.get(url)).select("#threads tbody tr[data-thread]")
    assert [text(row.select_one("td")) for row in rows] == ["Goal 1.1", "the state texts"]
    open_rows = parsed(client.get(url + "?state=open")).select("#threads tbody tr[data-thread]")
    assert [text(row.select_one("td")) for row in open_rows] == ["the state texts"]


def test_the_goal_page_says_it_plainly_when_a_reply_is_refused(client, world):
    client.force_login(world.users["reviewer"])
    start(client, "Question.")
    thread = Thread.objects.get()
    response = client.post(
        reverse("discussions:reply", args=["MS", 2023, thread.pk]), {"text": "Ask @ghost."}
    )
    assert response.status_code == 400
    page = parsed(response)
    assert page.select_one("#reply-text").get_text() == "Ask @ghost."
    assert not messages(response)


def queries_of(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_goal_page_and_threads_page_read_as_many_queries_however_many_threads(client, world):
    client.force_login(world.users["reviewer"])
    start(client, "One.")
    start(client, "Two.")
    client.post(reverse("discussions:resolve", args=["MS", 2023, Thread.objects.first().pk]))
    urls = [GOAL_URL, reverse("discussions:threads", args=["MS", 2023])]
    few = [queries_of(client, url) for url in urls]
    for n in range(4):
        start(client, f"More {n} for @analyst.")
        thread = Thread.objects.order_by("-id").first()
        client.post(reverse("discussions:reply", args=["MS", 2023, thread.pk]), {"text": "Re."})
        if n % 2:
            client.post(reverse("discussions:resolve", args=["MS", 2023, thread.pk]))
    assert [queries_of(client, url) for url in urls] == few


def test_the_review_queue_shows_a_goal_s_open_threads(client, world):
    determination = world.determination("MS", "1.1")
    determination.review_state = "submitted"
    determination.save()
    client.force_login(world.users["reviewer"])
    start(client, "Before you approve: the points.")
    start(client, "And the narrative.")
    page = parsed(client.get(reverse("assessments:review_queue")))
    row = page.select_one("tr[data-goal='1.1'][data-code='MS']")
    assert text(row.select_one("[data-open-threads]")) == "2 open threads"
    client.post(reverse("discussions:resolve", args=["MS", 2023, Thread.objects.first().pk]))
    client.post(reverse("discussions:resolve", args=["MS", 2023, Thread.objects.last().pk]))
    page = parsed(client.get(reverse("assessments:review_queue")))
    assert page.select_one("tr[data-goal='1.1'] [data-open-threads]") is None
