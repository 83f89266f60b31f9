"""The cycle search finds discussion comments (on goals and on the state texts) in their own
group, highlighted and linked to the thread, in the cycle searched only, at a query count
that does not grow with the hits shown. Runs on SQLite (substring fallback) and, with
DATABASE_URL naming PostgreSQL, on the full-text path with the comments' GIN index."""

import pytest
from django.db import connection
from django.urls import reverse

from assessments import search_views
from core.fulltext import uses_full_text
from discussions.models import Thread
from discussions.services import comment_add, thread_start
from tests.factories import grow, small_world
from tests.pages import parsed, queries_of, text

pytestmark = pytest.mark.django_db


def start(world, code, goal, words, *, user="reviewer", year_world=None):
    """A thread on the goal (or, with `goal` None, on the state texts) of `code`."""
    source = year_world or world
    goal_id = source.determinations[code, goal].pk if goal else None
    return thread_start(
        assessment_id=source.assessments[code].pk,
        determination_id=goal_id,
        user=world.users[user],
        text=words,
    )


def search(client, world, q, **query):
    client.force_login(world.users["analyst"])
    response = client.get(reverse("assessments:search"), {"q": q, **query})
    assert response.status_code == 200
    return parsed(response)


def hits(page):
    return [(text(a), a["href"]) for a in page.select("#results-discussion li.search-hit > a")]


def test_comments_on_goals_and_texts_are_found_linked_to_their_thread(client, world):
    on_goal = start(world, "MS", "1.1", "Are buyers of a minor prosecuted?")
    comment_add(thread_id=on_goal.pk, user=world.users["analyst"], text="Yes, buyers are.")
    on_texts = start(world, "TN", None, "The highlights should name the buyers.")
    start(world, "TN", "1.2", "Nothing about that here.")

    page = search(client, world, "buyers")

    goal_page = reverse("assessments:determination", args=["MS", 2023, "1.1"])
    texts_page = reverse("assessments:texts", args=["TN", 2023])
    assert hits(page) == [
        ("State MS · goal 1.1 · reviewer", f"{goal_page}#thread-{on_goal.pk}"),
        ("State MS · goal 1.1 · analyst", f"{goal_page}#thread-{on_goal.pk}"),
        ("State TN · state texts · reviewer", f"{texts_page}#thread-{on_texts.pk}"),
    ]
    assert text(page.select_one("#group-discussion")).startswith("Discussion comments")
    snippet = page.select_one("#results-discussion .search-hit div")
    assert [text(mark) for mark in snippet.select("mark")] == ["buyers"]
    assert text(page.select_one("#search-found")) == "3 results for “buyers” in 2023."


def test_a_comment_is_escaped_before_it_is_marked(client, world):
    start(world, "MS", "1.1", "<img src=x onerror=alert(1)> buyers & sellers")
    snippet = search(client, world, "buyers").select_one("#results-discussion .search-hit div")
    assert snippet.find("img") is None
    assert text(snippet) == "<img src=x onerror=alert(1)> buyers & sellers"


def test_another_cycles_comments_are_not_found(client, world):
    start(world, "MS", "1.1", "Buyers are prosecuted.")
    later = small_world(year=2024, codes=("AL",))
    start(world, "AL", "1.1", "Buyers in Alabama.", year_world=later)
    assert [title for title, _ in hits(search(client, world, "buyers", year="2023"))] == [
        "State MS · goal 1.1 · reviewer"
    ]
    assert [title for title, _ in hits(search(client, world, "buyers", year="2024"))] == [
        "State AL · goal 1.1 · reviewer"
    ]


def comment_on_every_goal(world):
    for (code, goal), determination in world.determinations.items():
        if not Thread.objects.filter(determination=determination).exists():
            start(world, code, goal, f"Buyers in {code}, goal {goal}?")


def search_queries(client, world) -> int:
    client.force_login(world.users["analyst"])
    return queries_of(client, reverse("assessments:search"), q="buyers")


def test_the_query_count_does_not_grow_with_the_comments_shown(client, world, monkeypatch):
    monkeypatch.setattr(search_views, "HITS_PER_GROUP", 50)
    comment_on_every_goal(world)
    few = search_queries(client, world)
    grow(world, ["AL", "AK", "AZ"], ["1.3", "1.4"])
    comment_on_every_goal(world)
    assert len(hits(search(client, world, "buyers"))) == 25  # five jurisdictions × five goals
    assert search_queries(client, world) == few


def test_the_comments_full_text_index_exists_on_postgresql_only(world):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "discussions_comment")
    assert ("comment_text_fts" in constraints) == uses_full_text(connection)


@pytest.mark.skipif(not uses_full_text(connection), reason="full-text search on PostgreSQL only")
def test_postgresql_stems_comments_and_ranks_them(client, world):
    start(world, "MS", "1.1", "A buyer was charged once.")
    start(world, "TN", "1.1", "Buyers, buyers and buyers: every buyer is charged.")
    titles = [title for title, _ in hits(search(client, world, "buyers charged"))]
    assert titles == ["State TN · goal 1.1 · reviewer", "State MS · goal 1.1 · reviewer"]
