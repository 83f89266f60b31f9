"""Search a cycle: grouped results, highlighted after escaping, paged, with the same query
count however many hits a page shows. Runs on SQLite (substring fallback) and, with
DATABASE_URL naming PostgreSQL, on the full-text path with its GIN indexes."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.urls import reverse

from assessments import search_views
from assessments.models import GoalDetermination, ReviewEvent
from assessments.search import every_group, group_hits
from core.fulltext import search_vector, uses_full_text
from tests.factories import CitationFactory, StatuteFactory, grow, small_world
from tests.pages import parsed, queries_of, text

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    not uses_full_text(connection), reason="full-text search runs on PostgreSQL only"
)


def narrate(world, code, goal, narrative):
    GoalDetermination.objects.filter(pk=world.determinations[code, goal].pk).update(
        narrative=narrative
    )


def search(client, world, q, **query):
    client.force_login(world.users["analyst"])
    response = client.get(reverse("assessments:search"), {"q": q, **query})
    return parsed(response), response.status_code


def titles(page, group):
    return [text(a) for a in page.select(f"#results-{group} li.search-hit > a")]


@pytest.fixture
def searchable(world):
    narrate(world, "MS", "1.1", "Mississippi prosecutes buyers of commercial sex with minors.")
    citation = CitationFactory(
        determination=world.determination("TN", "1.2"),
        quote="A minor cannot consent.",
        statute=StatuteFactory(
            jurisdiction=world.jurisdictions["TN"],
            caption="Patronizing prostitution",
            text="Whoever patronizes a minor commits a felony.",
        ),
    )
    citation.determination.recommendations.create(text="Raise the penalty for buyers.")
    ReviewEvent.objects.create(
        determination=citation.determination,
        version=1,
        actor=world.users["reviewer"],
        action=ReviewEvent.Action.REQUEST_CHANGES,
        comment="Quote the felony provision for buyers.",
    )
    return world


def test_each_kind_of_item_is_found_in_its_group(client, searchable):
    page, status = search(client, searchable, "buyers")
    assert status == 200
    assert titles(page, "narratives") == ["State MS · goal 1.1"]
    assert titles(page, "recommendations") == ["State TN · goal 1.2 · recommendation"]
    assert titles(page, "comments") == ["State TN · goal 1.2 · reviewer, requested changes"]
    assert page.select_one("#results-citations") is None
    assert text(page.select_one("#search-found")) == "3 results for “buyers” in 2023."
    # The citation through its statute's text; the editor is one click away.
    page, _ = search(client, searchable, "patronizes")
    (hit,) = page.select("#results-citations li.search-hit > a")
    assert text(hit).startswith("State TN · goal 1.2 · TN Code Ann. § 97-3-")
    assert hit["href"] == reverse("assessments:determination", args=["TN", 2023, "1.2"])
    assert titles(search(client, searchable, "State TN")[0], "jurisdictions") == ["State TN"]
    assert titles(search(client, searchable, "addresses goal")[0], "goals") == [
        "Goal 1.1",
        "Goal 1.2",
        "Goal 2.1",
    ]


def test_words_are_marked_after_the_text_is_escaped(client, world):
    narrate(world, "MS", "1.1", "<script>alert(1)</script> Buyers & sellers of minors.")
    page, _ = search(client, world, "buyers")
    snippet = page.select_one("#results-narratives .search-hit div")
    assert snippet.find("script") is None
    assert text(snippet) == "<script>alert(1)</script> Buyers & sellers of minors."
    assert [text(mark) for mark in snippet.select("mark")] == ["Buyers"]


def test_another_cycles_items_are_not_found(client, world):
    narrate(world, "MS", "1.1", "Buyers are prosecuted.")
    small_world(year=2024, codes=("AL",))
    page, _ = search(client, world, "buyers", year="2024")
    assert page.select(".search-hit") == []
    assert text(page.select_one("#search-found")) == "0 results for “buyers” in 2024."
    assert titles(search(client, world, "buyers", year="2023")[0], "narratives") == [
        "State MS · goal 1.1"
    ]


def test_bad_input_says_why_and_keeps_what_was_typed(client, world):
    page, status = search(client, world, "x" * 201)
    assert status == 400
    assert "at most 200 characters" in text(page.select_one("#search-problem"))
    assert page.select_one("#search-q")["value"] == "x" * 201
    page, status = search(client, world, "?!")
    assert status == 400
    assert text(page.select_one("#search-problem")) == "Type a word or a number to search for."


def test_the_navigation_bar_has_the_search_box(client, world):
    client.force_login(world.users["publisher"])
    form = parsed(client.get(reverse("home"))).select_one("#nav-search")
    assert form["action"] == reverse("assessments:search")
    assert form.select_one("input[name=year]")["value"] == "2023"


def searched_year(client, url) -> str:
    return parsed(client.get(url)).select_one("#nav-search input[name=year]")["value"]


def test_the_search_box_searches_the_cycle_the_page_shows_else_the_latest(client, world):
    small_world(year=2024, codes=("AL",))
    client.force_login(world.users["publisher"])
    assert searched_year(client, reverse("home")) == "2024"
    assert searched_year(client, reverse("assessments:overview", args=["MS", 2023])) == "2023"
    assert searched_year(client, reverse("national") + "?cycle=2023") == "2023"
    # The results page keeps the cycle searched, and offers the others.
    page, _ = search(client, world, "State", year="2023")
    assert searched_year(client, reverse("assessments:search") + "?q=State&year=2023") == "2023"
    chosen = page.select_one("#search-year option[selected]")
    assert text(chosen) == "2023"
    assert [text(o) for o in page.select("#search-year option")] == ["2024", "2023"]


def test_each_group_pages_on_its_own(client, world, monkeypatch):
    monkeypatch.setattr(search_views, "HITS_PER_GROUP", 2)
    for goal in ("1.1", "1.2", "2.1"):
        narrate(world, "MS", goal, f"Buyers, goal {goal}.")
    page, _ = search(client, world, "buyers")
    assert titles(page, "narratives") == ["State MS · goal 1.1", "State MS · goal 1.2"]
    following = page.select_one("#results-narratives a[rel=next]")["href"]
    client.force_login(world.users["analyst"])
    second = parsed(client.get(reverse("assessments:search") + following))
    assert titles(second, "narratives") == ["State MS · goal 2.1"]


def search_queries(client, world) -> int:
    client.force_login(world.users["admin"])
    return queries_of(client, reverse("assessments:search"), q="buyers")


def everything_about_buyers(world):
    """Every goal with no recommendation yet narrated, cited, recommended and commented on
    about buyers."""
    fresh = GoalDetermination.objects.filter(assessment__cycle=world.cycle, recommendations=None)
    for determination in fresh:
        determination.narrative = "Buyers are prosecuted."
        determination.save()
        CitationFactory(determination=determination, quote="Buyers of a minor.")
        determination.recommendations.create(text="Prosecute buyers.")
        ReviewEvent.objects.create(
            determination=determination,
            version=1,
            actor=world.users["reviewer"],
            action=ReviewEvent.Action.REQUEST_CHANGES,
            comment="Name the buyers' statute.",
        )


def test_the_query_count_does_not_grow_with_the_hits_shown(client, world, monkeypatch):
    """Measured with hits in every group: a group without any costs one query less."""
    monkeypatch.setattr(search_views, "HITS_PER_GROUP", 50)
    everything_about_buyers(world)
    few = search_queries(client, world)
    grow(world, ["AL", "AK", "AZ"], ["1.3", "1.4"])
    everything_about_buyers(world)
    page, _ = search(client, world, "buyers")
    assert len(titles(page, "narratives")) == 25  # five jurisdictions × five goals
    assert search_queries(client, world) == few


def test_the_full_text_indexes_exist_on_postgresql_only(world):
    tables = {
        "assessments_goaldetermination": "determination_vector_fts",
        "assessments_citation": "citation_vector_fts",
        "statutes_statute": "statute_vector_fts",
        "assessments_recommendation": "recommendation_vector_fts",
        "assessments_reviewevent": "review_event_comment_fts",
    }
    with connection.cursor() as cursor:
        present = {
            table: name in connection.introspection.get_constraints(cursor, table)
            for table, name in tables.items()
        }
    assert present == dict.fromkeys(tables, uses_full_text(connection))


@on_postgresql
def test_long_texts_rank_by_their_stored_vectors_without_parsing_them_again(world):
    """Narratives, quotes, statutes and recommendations are long: a search reads the
    vectors stored when they were written; short texts (goal texts) are parsed by the query."""
    parsed_by_the_query = {
        group.key: "to_tsvector" in str(group_hits(group, world.cycle, "buyers").query)
        for group in every_group()
        if group.key in ("narratives", "citations", "recommendations", "goals")
    }
    assert parsed_by_the_query == {
        "narratives": False,
        "citations": False,
        "recommendations": False,
        "goals": True,
    }


def test_a_stored_vector_of_other_fields_than_the_search_reads_is_refused():
    with pytest.raises(ImproperlyConfigured, match="narrative"):
        search_vector(GoalDetermination, ("narrative", "change_reason"))


@on_postgresql
def test_postgresql_stems_ranks_and_reads_web_search_syntax(client, world):
    narrate(world, "MS", "1.1", "The state prosecutes a buyer once.")
    narrate(world, "TN", "1.1", "Buyers, buyers and buyers: the state prosecutes every buyer.")
    narrate(world, "MS", "1.2", "Sellers are prosecuted.")
    page, _ = search(client, world, "buyers prosecuted")
    assert titles(page, "narratives") == ["State TN · goal 1.1", "State MS · goal 1.1"]
    page, _ = search(client, world, "prosecuted -buyers")
    assert titles(page, "narratives") == ["State MS · goal 1.2"]
    page, _ = search(client, world, '"every buyer"')
    assert titles(page, "narratives") == ["State TN · goal 1.1"]
