"""The statute library: browse, search, read, add and edit statutes, and their history.

Every test starts from the small world: Mississippi's library holds the human trafficking
act, cited by its goals 1.1 (partially met) and 2.1; Tennessee's library is empty.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Citation, GoalDetermination
from assessments.scoring import Status
from core.conflicts import EditConflict
from statutes import selectors, services
from statutes.models import Statute
from statutes.services import StatuteData
from tests.factories import CitationFactory, StatuteFactory
from tests.pages import parsed, text

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.statutes.urls_for_tests")]

ACT = "Miss. Code Ann. § 97-3-54.1"
CAPTION = "Human trafficking act; prohibited conduct; penalty"
ACT_TEXT = (
    "A person who knowingly subjects, or attempts to subject, a minor to commercial sexual "
    "activity shall be guilty of procuring sexual servitude of a minor.\n\n"
    "It is not a defense that the defendant believed the minor was eighteen years of age or "
    "older.\n\n"
    "An enterprise may be prosecuted for an offense under this chapter."
)


@pytest.fixture
def ms(world):
    return world.jurisdictions["MS"]


@pytest.fixture
def tn(world):
    return world.jurisdictions["TN"]


@pytest.fixture
def act(world, ms):
    statute = StatuteFactory(jurisdiction=ms, citation=ACT, caption=CAPTION, text=ACT_TEXT)
    goal = world.approve("MS", "1.1", Status.PARTIALLY_MET, Decimal("1.25"))
    CitationFactory(determination=goal, statute=statute, pinpoint="(1)(c)")
    CitationFactory(determination=world.determination("MS", "2.1"), statute=statute)
    return statute


def page(client, url, **query):
    response = client.get(url, query)
    assert response.status_code == 200
    return parsed(response)


def statute_rows(soup) -> dict[int, list[str]]:
    """The listed statutes by id: citation, caption and how many determinations cite it."""
    return {
        int(row["data-statute"]): [text(cell) for cell in row.find_all("td")]
        for row in soup.select("tr[data-statute]")
    }


def field_error(soup, name) -> str:
    return text(soup.select_one(f"#id_{name}_error"))


def versions(soup) -> list:
    return soup.select("article.version")


def edit_data(statute, **changes):
    data = {
        "citation": statute.citation,
        "caption": statute.caption,
        "text": statute.text,
        "effective_date": statute.effective_date.isoformat() if statute.effective_date else "",
        "amendment_note": statute.amendment_note,
        "change_reason": "Checked against the 2023 code",
        "version": statute.version,
    }
    data.update(changes)
    return data


def save_as(user, statute, reason, **changes):
    """Save `changes` to the statute's current version, as `user` would on the edit page."""
    statute.refresh_from_db()
    fields = {name: getattr(statute, name) for name in selectors.EDITABLE_FIELDS}
    return services.library_update(
        pk=statute.pk,
        expected_version=statute.version,
        data=StatuteData(**{**fields, **changes}),
        change_reason=reason,
        user=user,
    )


def details(soup) -> dict[str, str]:
    """The statute's fields as the page lists them, by label."""
    return dict(zip(map(text, soup.select("dt")), map(text, soup.select("dd")), strict=True))


def never_edited(statute) -> bool:
    """Still at its first version, as it was created."""
    return statute.history.count() == 1 and Statute.objects.get(pk=statute.pk).version == 1


# Index and list


def test_it_lists_every_jurisdiction_with_its_statute_count(client, world, act):
    client.force_login(world.users["reviewer"])
    soup = page(client, "/statutes/")
    counts = {row["data-code"]: text(row.select("td")[-1]) for row in soup.select("tr[data-code]")}
    assert counts == {"MS": "1", "TN": "0"}
    assert soup.select_one('tr[data-code="MS"] a')["href"] == "/statutes/MS/"


def test_it_counts_statutes_of_all_jurisdictions_in_one_query(ms, django_assert_num_queries):
    StatuteFactory.create_batch(3, jurisdiction=ms)
    with django_assert_num_queries(1):
        counts = {j.code: j.statute_count for j in selectors.jurisdictions_with_statute_counts()}
    assert counts == {"MS": 3, "TN": 0}


def test_it_lists_a_jurisdictions_statutes_25_to_a_page(analyst, ms):
    StatuteFactory.create_batch(30, jurisdiction=ms)
    first = page(analyst, "/statutes/MS/")
    assert len(statute_rows(first)) == 25
    assert text(first.select_one("#result-count")) == "30 statutes, showing 1–25."
    second = page(analyst, "/statutes/MS/", page=2)
    assert len(statute_rows(second)) == 5


def test_it_shows_how_many_determinations_cite_each_statute(analyst, act):
    rows = statute_rows(page(analyst, "/statutes/MS/"))
    assert rows == {act.pk: [ACT, CAPTION, "2"]}


@pytest.mark.parametrize(
    "query", ["HUMAN TRAFFICKING ACT", "knowingly SUBJECTS, or attempts", "§ 97-3-54.1"]
)
def test_it_searches_citation_caption_and_text_ignoring_case(analyst, ms, act, query):
    StatuteFactory(jurisdiction=ms, caption="Labor trafficking", text="No person shall ...")
    assert list(statute_rows(page(analyst, "/statutes/MS/", q=query))) == [act.pk]


def test_it_keeps_the_search_when_the_user_turns_the_page(analyst, ms):
    StatuteFactory.create_batch(30, jurisdiction=ms, caption="Zebra crossings")
    StatuteFactory(jurisdiction=ms, caption="Speed limits")
    next_page = page(analyst, "/statutes/MS/", q="zebra").select_one("a[rel=next]")["href"]
    second = page(analyst, f"/statutes/MS/{next_page}")
    assert len(statute_rows(second)) == 5
    assert second.select_one("input#q")["value"] == "zebra"


def test_it_says_when_no_statute_matches_and_offers_to_clear_the_search(analyst, act):
    soup = page(analyst, "/statutes/MS/", q="xyz-no-such-law")
    empty = soup.select_one("#empty-state")
    assert text(empty).startswith("No statutes match “xyz-no-such-law”.")
    assert empty.find("a", string="Clear the search")["href"] == "/statutes/MS/"
    assert statute_rows(soup) == {}


def test_it_says_no_statutes_yet_and_offers_analysts_to_add_one(analyst, tn):
    empty = page(analyst, "/statutes/TN/").select_one("#empty-state")
    assert text(empty).startswith(f"No statutes yet for {tn.name}.")
    assert empty.find("a", string="Add the first statute")["href"] == "/statutes/TN/new/"


def test_it_offers_reviewers_no_way_to_add_a_statute(client, world):
    client.force_login(world.users["reviewer"])
    soup = page(client, "/statutes/TN/")
    assert soup.select_one("#empty-state") is not None
    assert soup.select('a[href="/statutes/TN/new/"]') == []


def test_it_puts_the_keyboard_in_the_search_box(analyst, act):
    soup = page(analyst, "/statutes/MS/")
    assert soup.select_one("label[for=q]") is not None
    assert soup.select_one("input#q")["type"] == "search"
    assert soup.select_one("input#q").has_attr("autofocus")


@pytest.mark.parametrize("url", ["/statutes/ZZ/", "/statutes/ZZ/new/"])
def test_it_answers_404_for_an_unknown_jurisdiction(analyst, url):
    assert analyst.get(url).status_code == 404


# Detail


def test_it_shows_a_statutes_citation_caption_and_text(analyst, act):
    soup = page(analyst, f"/statutes/MS/{act.pk}/")
    assert text(soup.h1) == ACT
    assert details(soup)["Caption"] == CAPTION
    paragraphs = [p.get_text() for p in soup.select(".statute-text p")]
    assert paragraphs == ACT_TEXT.split("\n\n")


def test_it_lists_every_determination_citing_the_statute(analyst, act):
    soup = page(analyst, f"/statutes/MS/{act.pk}/")
    rows = {row["data-goal"]: row for row in soup.select("tr[data-goal]")}
    assert list(rows) == ["1.1", "2.1"]
    year, goal, status, pinpoint = rows["1.1"].find_all("td")
    assert (text(year), text(status), text(pinpoint)) == ("2023", "Partially met", "(1)(c)")
    assert text(goal.a) == "Policy Goal 1.1"
    assert goal.a["href"] == "/assessments/MS/2023/goals/1.1/"
    assert text(goal).endswith("State law addresses goal 1.1.")


def test_it_links_a_statute_to_its_history_and_edit_pages(analyst, act):
    soup = page(analyst, f"/statutes/MS/{act.pk}/")
    assert soup.find("a", string="History")["href"] == f"/statutes/MS/{act.pk}/history/"
    assert soup.find("a", string="Edit")["href"] == f"/statutes/MS/{act.pk}/edit/"


def test_it_shows_the_text_escaped_in_paragraphs(analyst, ms):
    statute = StatuteFactory(
        jurisdiction=ms, text="(1) <script>alert(1)</script> first.\n  (a) indented\n\n(2) second."
    )
    soup = page(analyst, f"/statutes/MS/{statute.pk}/")
    paragraphs = [p.get_text() for p in soup.select(".statute-text p")]
    assert paragraphs == ["(1) <script>alert(1)</script> first.\n  (a) indented", "(2) second."]
    assert soup.select(".statute-text script") == []


def test_it_says_when_no_determination_cites_a_statute(analyst, ms):
    statute = StatuteFactory(jurisdiction=ms)
    citing = page(analyst, f"/statutes/MS/{statute.pk}/").select_one("#citing-heading").parent
    assert "No determination cites this statute yet." in text(citing)


def test_it_hides_the_edit_button_from_reviewers(client, world, act):
    client.force_login(world.users["reviewer"])
    soup = page(client, f"/statutes/MS/{act.pk}/")
    assert soup.select(f'a[href="/statutes/MS/{act.pk}/edit/"]') == []


@pytest.mark.parametrize("suffix", ["", "edit/", "history/"])
def test_it_answers_404_for_a_statute_of_another_jurisdiction(analyst, act, suffix):
    assert analyst.get(f"/statutes/TN/{act.pk}/{suffix}").status_code == 404


def test_it_refuses_an_edit_through_another_jurisdiction(analyst, act):
    response = analyst.post(f"/statutes/TN/{act.pk}/edit/", edit_data(act, caption="x"))
    assert response.status_code == 404
    assert never_edited(act)


# Adding and editing


def test_it_adds_a_statute_and_shows_who_added_it(analyst, tn):
    response = analyst.post(
        "/statutes/TN/new/",
        {
            "citation": "Tenn. Code Ann.  § 39-13-309",
            "caption": "Trafficking for commercial sex act",
            "text": "A person commits the offense of trafficking a person ...",
            "effective_date": "2023-07-01",
            "amendment_note": "",
        },
        follow=True,
    )
    soup = parsed(response)
    assert text(soup.h1) == "Tenn. Code Ann. § 39-13-309"
    assert details(soup)["Effective date"] == "July 1, 2023"
    assert details(soup)["Last changed"].endswith("by analyst — Added to the statute library.")


@pytest.mark.parametrize("url", ["/statutes/MS/new/", "/statutes/MS/{pk}/edit/"])
def test_it_puts_the_keyboard_in_the_first_form_field(analyst, act, url):
    soup = page(analyst, url.format(pk=act.pk))
    assert soup.select_one("label[for=id_citation]") is not None
    assert soup.select_one("input[name=citation]").has_attr("autofocus")


@pytest.fixture
def amended(analyst, act):
    """The act after the analyst's amendment: new caption, a changed sentence, a date."""
    response = analyst.post(
        f"/statutes/MS/{act.pk}/edit/",
        edit_data(
            act,
            caption=CAPTION + "s",
            text=ACT_TEXT.replace("knowingly subjects", "knowingly or recklessly subjects"),
            effective_date="2023-07-01",
            change_reason="Amended by HB 1641 (2023)",
        ),
    )
    assert response.status_code == 302
    return versions(page(analyst, f"/statutes/MS/{act.pk}/history/"))


def test_it_saves_an_edit_and_shows_it_on_the_statute(analyst, act):
    response = analyst.post(
        f"/statutes/MS/{act.pk}/edit/",
        edit_data(act, caption="Procuring sexual servitude", change_reason="New heading"),
        follow=True,
    )
    shown = details(parsed(response))
    assert shown["Caption"] == "Procuring sexual servitude"
    assert shown["Last changed"].endswith("by analyst — New heading")


def test_it_shows_the_newest_version_first_with_who_and_why(amended):
    newest = amended[0]
    assert text(newest.select_one(".history-user")) == "analyst"
    assert text(newest.select_one(".change-reason")) == "Amended by HB 1641 (2023)"
    assert text(amended[-1].h2).startswith("Added by")


def test_it_shows_short_fields_as_old_and_new_values(amended):
    newest = amended[0]
    old_and_new = {
        text(dt): (text(dt.find_next("del")), text(dt.find_next("ins")))
        for dt in newest.select("dt[data-field=caption], dt[data-field=effective_date]")
    }
    assert old_and_new == {
        "Caption": (CAPTION, CAPTION + "s"),
        "Effective date": ("(empty)", "2023-07-01"),
    }


def test_it_shows_a_long_text_as_the_changed_sentence_only(amended):
    diff = amended[0].select_one("pre[aria-label='Changes to text']")
    removed = [text(line) for line in diff.select(".text-danger-emphasis")]
    added = [text(line) for line in diff.select(".text-success-emphasis")]
    assert removed == ["− A person who knowingly subjects,"]
    assert added == ["+ A person who knowingly or recklessly subjects,"]
    assert "An enterprise may be prosecuted" not in text(diff)


def test_it_requires_a_change_reason_to_edit(analyst, act):
    response = analyst.post(
        f"/statutes/MS/{act.pk}/edit/", edit_data(act, caption="New caption", change_reason="")
    )
    assert response.status_code == 200
    assert field_error(parsed(response), "change_reason") == "This field is required."
    assert never_edited(act)


def test_it_refuses_a_duplicate_citation_in_plain_words_and_keeps_the_text(analyst, ms, act):
    typed = "A long text the analyst typed and must not lose."
    response = analyst.post(
        "/statutes/MS/new/", {"citation": ACT.lower(), "caption": "Duplicate", "text": typed}
    )
    soup = parsed(response)
    assert response.status_code == 200
    assert field_error(soup, "citation").startswith(
        f"{ms.name} already has a statute cited as “miss. code ann. § 97-3-54.1”."
    )
    assert soup.select_one("textarea[name=text]").get_text().strip() == typed
    assert soup.select_one("input[name=caption]")["value"] == "Duplicate"
    assert Statute.objects.filter(citation__iexact=ACT).count() == 1


def test_it_refuses_to_rename_a_statute_to_an_existing_citation(analyst, ms, act):
    other = StatuteFactory(jurisdiction=ms)
    response = analyst.post(
        f"/statutes/MS/{other.pk}/edit/", edit_data(other, citation=ACT, text="Kept text")
    )
    soup = parsed(response)
    assert field_error(soup, "citation").startswith(f"{ms.name} already has a statute cited as")
    assert soup.select_one("textarea[name=text]").get_text().strip() == "Kept text"
    assert never_edited(other)


def test_it_allows_the_same_citation_in_another_jurisdiction(world, tn, act):
    statute = services.library_add(
        jurisdiction=tn, data=StatuteData(citation=ACT), user=world.users["analyst"]
    )
    assert Statute.objects.filter(citation=ACT).count() == 2
    assert statute.jurisdiction == tn


@pytest.fixture
def stale_edit(act):
    """The analyst's edit of the act, filled in before the admin saved a newer version."""
    return edit_data(act, caption="Analyst's caption", change_reason="Analyst's fix")


@pytest.fixture
def conflict(analyst, world, act, stale_edit):
    """The analyst's save over the admin's newer version of the act."""
    save_as(world.users["admin"], act, "Admin's fix", caption="Admin's caption")
    return analyst.post(f"/statutes/MS/{act.pk}/edit/", stale_edit)


def test_it_refuses_a_save_over_a_newer_version_and_says_who_saved_it(conflict):
    assert conflict.status_code == 409
    alert = text(parsed(conflict).select_one("#conflict"))
    assert alert.startswith("Someone else saved this statute while you were editing it")
    assert "admin saved a newer version" in alert and "(“Admin's fix”)" in alert


def test_it_shows_their_version_next_to_the_users(conflict):
    rows = parsed(conflict).select("#comparison tbody tr")
    caption = next(row for row in rows if text(row.th).startswith("Caption"))
    assert text(caption.th) == "Caption differs"
    assert text(caption.select_one(".theirs")) == "Admin's caption"
    assert text(caption.select_one(".yours")) == "Analyst's caption"


def test_it_keeps_what_the_user_typed_after_a_conflict(conflict):
    assert parsed(conflict).select_one("input[name=caption]")["value"] == "Analyst's caption"


def test_it_writes_nothing_on_a_conflict(conflict, act):
    act.refresh_from_db()
    assert act.caption == "Admin's caption"
    assert act.history.first().history_change_reason == "Admin's fix"


def test_it_refuses_a_stale_version_in_the_service_and_writes_nothing(world, act):
    started_from = act.version
    save_as(world.users["admin"], act, "Admin's fix", caption="Admin's caption")
    with pytest.raises(EditConflict, match="admin saved a newer version") as refused:
        services.library_update(
            pk=act.pk,
            expected_version=started_from,
            data=StatuteData(citation=act.citation, caption="Mine"),
            change_reason="Mine",
            user=world.users["analyst"],
        )
    assert refused.value.current_version == started_from + 1
    assert refused.value.current.caption == "Admin's caption"
    act.refresh_from_db()
    assert (act.caption, act.version) == ("Admin's caption", started_from + 1)


def test_it_saves_deliberately_after_reading_the_other_version(analyst, act, stale_edit, conflict):
    newer = parsed(conflict).select_one("input[name=version]")["value"]
    response = analyst.post(f"/statutes/MS/{act.pk}/edit/", {**stale_edit, "version": newer})
    assert response.status_code == 302
    act.refresh_from_db()
    assert act.caption == "Analyst's caption"


@pytest.mark.parametrize("role", ["reviewer", "publisher"])
@pytest.mark.parametrize("url", ["/statutes/MS/new/", "/statutes/MS/{pk}/edit/"])
def test_it_forbids_reviewers_and_publishers_the_forms(client, world, act, role, url):
    client.force_login(world.users[role])
    assert client.get(url.format(pk=act.pk)).status_code == 403


@pytest.mark.parametrize("role", ["reviewer", "publisher"])
def test_it_refuses_a_new_statute_from_reviewers_and_publishers(client, world, role):
    client.force_login(world.users[role])
    assert client.post("/statutes/MS/new/", {"citation": "New § 1"}).status_code == 403
    assert not Statute.objects.filter(citation="New § 1").exists()


@pytest.mark.parametrize("role", ["reviewer", "publisher"])
def test_it_refuses_an_edit_from_reviewers_and_publishers(client, world, act, role):
    client.force_login(world.users[role])
    response = client.post(f"/statutes/MS/{act.pk}/edit/", edit_data(act, caption="Changed"))
    assert response.status_code == 403
    assert never_edited(act)


def test_it_lets_admins_edit(client, world, act):
    client.force_login(world.users["admin"])
    response = client.post(f"/statutes/MS/{act.pk}/edit/", edit_data(act, caption="By admin"))
    assert response.status_code == 302
    assert act.history.order_by("-history_id").first().history_user == world.users["admin"]


@pytest.mark.parametrize("suffix", ["", "MS/", "MS/new/", "MS/{pk}/", "MS/{pk}/edit/"])
def test_it_sends_anonymous_visitors_to_the_login_page(client, act, suffix):
    response = client.get("/statutes/" + suffix.format(pk=act.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_refuses_other_http_methods(analyst, act):
    assert analyst.post("/statutes/MS/").status_code == 405
    assert analyst.delete(f"/statutes/MS/{act.pk}/edit/").status_code == 405


# History


@pytest.fixture
def edited_23_times(world, act):
    for number in range(1, 24):
        save_as(world.users["analyst"], act, f"Edit number {number}", caption=f"Caption {number}")
    return act


def test_it_pages_the_history_20_versions_at_a_time(analyst, edited_23_times):
    url = f"/statutes/MS/{edited_23_times.pk}/history/"
    first = page(analyst, url)
    assert len(versions(first)) == 20
    second = page(analyst, url + first.select_one("a[rel=next]")["href"])
    assert len(versions(second)) == 4  # the first version and the three oldest edits


def test_it_shows_the_newest_version_first(analyst, edited_23_times):
    soup = page(analyst, f"/statutes/MS/{edited_23_times.pk}/history/")
    reasons = [text(reason) for reason in soup.select(".change-reason")]
    assert reasons[:2] == ["Edit number 23", "Edit number 22"]


def test_it_diffs_the_oldest_version_of_a_page_against_the_next_page(analyst, edited_23_times):
    oldest_on_page = versions(page(analyst, f"/statutes/MS/{edited_23_times.pk}/history/"))[-1]
    assert text(oldest_on_page.select_one("del")) == "Caption 3"
    assert text(oldest_on_page.select_one("ins")) == "Caption 4"


# Query counts do not grow with the number of statutes or citations


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_it_lists_statutes_in_as_many_queries_with_30_more_cited_statutes(
    analyst, world, act, django_assert_max_num_queries
):
    before = count_queries(analyst, "/statutes/MS/")
    goals = [world.determination("MS", number) for number in world.goals]
    for number in range(30):
        CitationFactory(determination=goals[number % len(goals)])
    with django_assert_max_num_queries(before):
        response = analyst.get("/statutes/MS/")
    assert len(statute_rows(parsed(response))) == 25


def test_it_shows_a_statute_in_as_many_queries_with_30_more_citations(
    analyst, act, django_assert_max_num_queries
):
    before = count_queries(analyst, f"/statutes/MS/{act.pk}/")
    goals = GoalDetermination.objects.filter(assessment__jurisdiction__code="MS")
    Citation.objects.bulk_create(
        Citation(determination=goal, statute=act, pinpoint="(9)") for goal in list(goals) * 10
    )
    with django_assert_max_num_queries(before):
        response = analyst.get(f"/statutes/MS/{act.pk}/")
    pinpoints = [text(row.select("td")[-1]) for row in parsed(response).select("tr[data-goal]")]
    assert pinpoints.count("(9)") == 30


def test_it_shows_history_in_as_many_queries_with_more_versions(
    analyst, world, act, django_assert_max_num_queries
):
    before = count_queries(analyst, f"/statutes/MS/{act.pk}/history/")
    for number in range(30):
        editor = world.users["reviewer" if number % 2 else "analyst"]
        save_as(editor, act, f"Edit {number}", caption=f"Caption {number}")
    with django_assert_max_num_queries(before):
        analyst.get(f"/statutes/MS/{act.pk}/history/")
