"""The HTML edition of a report card: the PDF's data as an accessible page (headings of the
PDF outline, captioned tables with header cells, statuses in words, linked footnotes, a
language, print CSS, nothing loaded from elsewhere), stored beside the PDF of every
published version with its own sha256, and readable in the app by every staff role."""

import datetime
import hashlib
from dataclasses import replace
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from reportcards.edition import render_edition, style_hashes
from reportcards.pdf import texts
from reportcards.pdf.analysis import APPROPRIATIONS_GOAL
from reportcards.pdf.data import (
    AppropriationRow,
    Edition,
    LabelledText,
    Table,
    report_card_data,
)
from tests.pages import parsed, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


@pytest.fixture
def card(mississippi):
    return report_card_data(mississippi)


def page_of(card) -> BeautifulSoup:
    return BeautifulSoup(render_edition(card), "html.parser")


def with_first_goal(card, **changes):
    """The card with its first goal changed (the issues are frozen tuples)."""
    first_issue, *other_issues = card.issues
    first_goal, *other_goals = first_issue.goals
    goals = (replace(first_goal, **changes), *other_goals)
    return replace(card, issues=(replace(first_issue, goals=goals), *other_issues))


def goal_of(page, number: str):
    return page.find(id=f"goal-{number}")


def appropriation(amount: str, **fields) -> AppropriationRow:
    return AppropriationRow(
        bill="HB 1641",
        session="2023 Legislative Session",
        recipient="Office of the Attorney General",
        amount=Decimal(amount),
        purpose="To provide funds to the Victims of Human Trafficking Fund.",
        term="FY 2024",
        term_note="July 1st-June 30th",
        **fields,
    )


def stored(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def test_it_is_an_english_page_that_loads_nothing_from_elsewhere(card):
    page = page_of(card)
    assert page.html["lang"] == "en"
    assert page.title.string.startswith(f"2023 Report Card · {card.jurisdiction}: ")
    assert page.select("script, link, img, iframe") == []
    assert not page.select("[src]")
    style = page.style.string
    assert "@media print" in style
    assert "url(" not in style  # no font or image fetched


def test_its_headings_follow_the_pdf_outline(card):
    page = page_of(card)
    assert [text(h) for h in page.select("h1")] == [f"{card.jurisdiction} 2023 Report Card"]
    sections = [text(h) for h in page.select("section.rc-section > h2")]
    assert sections == [title for _, title in texts.SECTIONS]
    issues = [text(h) for h in page.select("#analysis h3")]
    assert issues == [f"Issue {issue.number}: {issue.title}" for issue in card.issues]
    goals = [text(h).split(" ", 3)[:3] for h in page.select("#analysis h4")]
    assert goals == [["Policy", "Goal", goal.number] for goal in card.goals]
    # The contents link to every section, as the PDF's contents page does.
    assert [a["href"] for a in page.select("nav a")] == [f"#{key}" for key, _ in texts.SECTIONS]


def test_every_table_has_a_caption_and_header_cells_with_a_scope(card):
    table = Table("", ("", "Trafficking law", "CSEC law"), (("Buyers", "Yes", "No"),))
    page = page_of(with_first_goal(card, narrative="Compared:\n\n[[table 1]]", tables=(table,)))
    tables = page.select("table")
    assert len(tables) >= 4  # grade scale, issues, Safe Harbor, the goal's own table
    for table_element in tables:
        assert text(table_element.caption)
        headers = table_element.select("th")
        assert headers and all(th.get("scope") in {"col", "row"} for th in headers)
    goal_table = goal_of(page, card.goals[0].number).select_one("table")
    assert text(goal_table.caption) == f"Policy Goal {card.goals[0].number}, table 1"
    assert [text(th) for th in goal_table.select("th[scope=row]")] == ["Buyers"]


def test_it_writes_each_status_in_words_beside_its_colour(card):
    page = page_of(with_first_goal(card, status="partially_met"))
    first = goal_of(page, card.goals[0].number).select_one(".goal-status")
    assert text(first) == "Status: ◐ Partially met"
    assert "status-partially_met" in first.select_one(".status")["class"]
    overall = page.select_one("dl.rc-grade")
    assert f"Overall grade {card.grade}" in text(overall)
    assert f"Tier {'I' * card.tier}" in text(overall)


def test_a_footnote_mark_links_to_its_note_and_back(card):
    changed = with_first_goal(
        card,
        narrative="The law applies to buyers.[^4] Twice.[^4]",
        footnotes=(LabelledText("4", "As the seed says."), LabelledText("5", "Unmarked.")),
    )
    page = page_of(changed)
    marks = page.select('a[href="#fn-4"]')
    assert len(marks) == 2
    assert text(marks[0]) == "note 4"  # the hidden word names the link for a screen reader
    note = page.select_one("#fn-4")
    assert "As the seed says." in text(note)
    back = note.select_one("a.back")
    assert back["href"] == "#ref-fn-4"
    assert page.select_one("#ref-fn-4").a == marks[0]  # back to the first mark
    # A note nothing points at has no back link (there is nowhere to go back to).
    assert page.select_one("#fn-5 a.back") is None


def test_an_appropriations_amount_links_to_its_footnote(card):
    changed = with_first_goal(
        card, number=APPROPRIATIONS_GOAL, footnotes=(LabelledText("17", "Further transfers."),)
    )
    marked = appropriation("2500000", amount_footnote="17")
    page = page_of(replace(changed, appropriations=(marked, appropriation("250000"))))
    amounts = page.select("table.appropriations td.num")
    assert [text(cell) for cell in amounts] == ["$2,500,000 note 17", "$250,000"]
    mark = amounts[0].select_one("sup a")
    assert mark["href"] == "#fn-17"
    assert "Further transfers." in text(page.select_one("#fn-17"))
    assert page.select_one("#fn-17 a.back")["href"] == "#ref-fn-17"


def test_notes_with_the_same_label_in_two_goals_keep_their_own_marks(card):
    first, second = card.goals[:2]
    issues = tuple(
        replace(
            issue,
            goals=tuple(
                replace(goal, narrative="Said.[^1]", footnotes=(LabelledText("1", goal.number),))
                if goal.number in {first.number, second.number}
                else goal
                for goal in issue.goals
            ),
        )
        for issue in card.issues
    )
    page = page_of(replace(card, issues=issues, analysis_footnote=""))
    for goal in (first, second):
        mark = goal_of(page, goal.number).select_one("sup a")
        assert text(page.find(id=mark["href"][1:]).select_one(".note-text")) == f"{goal.number} ↩"


def test_hostile_text_stays_text(card):
    page = page_of(
        with_first_goal(card, narrative="<script>alert(1)</script> [x](javascript:alert(1))")
    )
    assert page.select("script") == []
    assert not [a for a in page.select("a") if a["href"].startswith("javascript")]
    assert "<script>alert(1)</script>" in text(goal_of(page, card.goals[0].number))


def test_a_draft_card_says_so(card):
    page = page_of(replace(card, complete=False))
    assert texts.DRAFT_NOTICE in text(page.select_one(".rc-notices"))


# Published versions


def test_publishing_stores_the_edition_beside_the_pdf_with_its_own_sha256(publish_mississippi):
    card = publish_mississippi().result
    html = stored(card.html)
    assert card.html_sha256 == hashlib.sha256(html).hexdigest()
    assert card.html.name == f"report-cards/2023/MS/v1-{card.html_sha256[:12]}.html"
    page = BeautifulSoup(html, "html.parser")
    assert "Version 1 · published" in text(page.select_one(".rc-edition-line"))
    assert page.select(".rc-notices") == []  # published: every goal approved, no DRAFT


def test_a_correction_keeps_the_earlier_edition(publish_mississippi):
    first = publish_mississippi().result
    before = (first.html.name, first.html_sha256, stored(first.html))
    second = publish_mississippi(note="Goal 1.2: the 2023 amendment was left out.").result
    assert second.html.name.startswith("report-cards/2023/MS/v2-")
    assert second.html_sha256 != first.html_sha256
    first.refresh_from_db()
    assert (first.html.name, first.html_sha256, stored(first.html)) == before


@pytest.mark.parametrize("role", ["analyst", "reviewer", "publisher", "admin"])
def test_every_staff_role_reads_the_stored_edition_in_the_app(
    publish_mississippi, client, world, role
):
    card = publish_mississippi().result
    client.force_login(world.users[role])
    response = client.get(reverse("report_card_edition", args=["MS", 2023, 1]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response.content == stored(card.html)
    # The page's own CSS, and only it, is allowed inline.
    for source in style_hashes(response.content.decode()):
        assert source in response["Content-Security-Policy"]


def test_the_versions_list_links_each_edition(publish_mississippi, client, world):
    publish_mississippi()
    client.force_login(world.users["reviewer"])
    page = parsed(client.get(reverse("report_card", args=["MS", 2023])))
    link = page.select_one("section[aria-labelledby=versions-heading] tbody a:not([download])")
    assert link["href"] == reverse("report_card_edition", args=["MS", 2023, 1])
    name = world.jurisdictions["MS"].name
    assert text(link) == f"Read v1 of the {name} 2023 report card as a web page"


def test_a_version_published_before_editions_existed_says_so(publish_mississippi, client, world):
    card = publish_mississippi().result
    card.html.storage.delete(card.html.name)
    type(card).objects.filter(pk=card.pk).update(html="", html_sha256="", document=None)
    client.force_login(world.users["analyst"])
    response = client.get(reverse("report_card_edition", args=["MS", 2023, 1]))
    assert response.status_code == 404
    assert "published before report cards had an HTML edition" in response.content.decode()


def test_an_unknown_version_is_not_found(client, world):
    client.force_login(world.users["analyst"])
    response = client.get(reverse("report_card_edition", args=["MS", 2023, 9]))
    assert response.status_code == 404


def test_a_correction_after_the_release_prints_its_errata(card):
    edition = Edition(2, datetime.date(2024, 1, 15), errata="Goal 1.2: a citation was fixed.")
    page = page_of(replace(card, edition=edition))
    assert text(page.select_one(".rc-errata")) == (
        "Errata (version 2): Goal 1.2: a citation was fixed."
    )
    assert "Version 2 · published January 15, 2024" in text(page.select_one(".rc-edition-line"))


def test_a_version_with_its_document_but_no_stored_edition_shows_that_document(
    publish_mississippi, client, world
):
    card = publish_mississippi().result
    stored_page = stored(card.html)
    card.html.storage.delete(card.html.name)
    type(card).objects.filter(pk=card.pk).update(html="", html_sha256="")
    client.force_login(world.users["analyst"])
    response = client.get(reverse("report_card_edition", args=["MS", 2023, 1]))
    assert response.status_code == 200
    assert response.content == stored_page  # the same card, printed again from its document
