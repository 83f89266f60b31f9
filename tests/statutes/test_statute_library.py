"""The statute library: browse, search, read, add and edit statutes, and their history."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Citation, GoalDetermination
from core.conflicts import EditConflict
from statutes import selectors, services
from statutes.models import Jurisdiction, Statute
from statutes.services import StatuteData

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("sample_world"),
    pytest.mark.urls("tests.statutes.urls_for_tests"),
]

ACT = "Miss. Code Ann. § 97-3-54.1"


@pytest.fixture
def ms(db):
    return Jurisdiction.objects.get(code="MS")


@pytest.fixture
def act(ms):
    return Statute.objects.get(jurisdiction=ms, citation=ACT)


@pytest.fixture
def analyst_client(client, users):
    client.force_login(users["analyst"])
    return client


def rows(html):
    return re.findall(r'<tr data-statute="(\d+)">(.*?)</tr>', html, re.S)


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
    return services.statute_update(
        statute_id=statute.pk,
        expected_version=statute.version,
        data=StatuteData(**{**fields, **changes}),
        change_reason=reason,
        user=user,
    )


def add_cited_statutes(jurisdiction, count, prefix="Miss. Code Ann. § 99-"):
    determinations = list(
        GoalDetermination.objects.filter(assessment__jurisdiction=jurisdiction)[:count]
    )
    for number in range(count):
        statute = Statute.objects.create(
            jurisdiction=jurisdiction, citation=f"{prefix}{number:03}", caption="Added in bulk"
        )
        Citation.objects.create(
            determination=determinations[number % len(determinations)], statute=statute
        )


# Index and list


def test_it_lists_all_51_jurisdictions_with_their_statute_counts(client, users):
    client.force_login(users["reviewer"])
    response = client.get("/statutes/")
    html = response.content.decode()
    assert response.status_code == 200
    assert len(re.findall(r'<tr data-code="[A-Z]{2}">', html)) == 51
    ms_row = re.search(r'<tr data-code="MS">(.*?)</tr>', html, re.S).group(1)
    assert 'href="/statutes/MS/"' in ms_row
    assert f">{Statute.objects.filter(jurisdiction__code='MS').count()}<" in ms_row


def test_it_counts_statutes_of_all_jurisdictions_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        counts = {j.code: j.statute_count for j in selectors.jurisdictions_with_statute_counts()}
    assert len(counts) == 51
    assert counts["MS"] == 46 and counts["AK"] == 0


def test_it_lists_a_jurisdictions_statutes_25_to_a_page(analyst_client, ms):
    first = analyst_client.get("/statutes/MS/").content.decode()
    second = analyst_client.get("/statutes/MS/", {"page": 2}).content.decode()
    total = ms.statutes.count()
    assert len(rows(first)) == 25
    assert len(rows(second)) == total - 25
    assert f"{total} statutes, showing 1–25." in first
    assert 'href="?page=2"' in first


def test_it_shows_how_many_determinations_cite_each_statute(analyst_client, act):
    html = analyst_client.get("/statutes/MS/", {"q": "97-3-54.1"}).content.decode()
    (pk, row), *_ = [r for r in rows(html) if r[0] == str(act.pk)]
    citing = act.citations.values("determination").distinct().count()
    assert citing >= 5
    assert ACT in row and "Human trafficking act; prohibited conduct; penalty" in row
    assert f'<td class="num">{citing}</td>' in row


def test_it_searches_citation_caption_and_text_ignoring_case(analyst_client, act):
    by_caption = analyst_client.get("/statutes/MS/", {"q": "HUMAN TRAFFICKING ACT"})
    by_text = analyst_client.get("/statutes/MS/", {"q": "knowingly SUBJECTS, or attempts"})
    by_citation = analyst_client.get("/statutes/MS/", {"q": "§ 97-3-54.1"})
    for response in (by_caption, by_text, by_citation):
        found = [pk for pk, _ in rows(response.content.decode())]
        assert str(act.pk) in found
    assert len(rows(by_text.content.decode())) < 25


def test_it_keeps_the_search_in_the_page_links(analyst_client, ms):
    for number in range(30):
        Statute.objects.create(
            jurisdiction=ms, citation=f"Miss. Code Ann. § 1-{number}", caption="Zebra crossings"
        )
    html = analyst_client.get("/statutes/MS/", {"q": "zebra"}).content.decode()
    assert len(rows(html)) == 25
    assert 'href="?q=zebra&amp;page=2"' in html
    second = analyst_client.get("/statutes/MS/", {"q": "zebra", "page": 2}).content.decode()
    assert len(rows(second)) == 5
    assert 'value="zebra"' in second


def test_it_says_when_no_statute_matches_and_offers_to_clear_the_search(analyst_client):
    html = analyst_client.get("/statutes/MS/", {"q": "xyz-no-such-law"}).content.decode()
    assert "No statutes match “xyz-no-such-law”" in html
    assert 'href="/statutes/MS/">Clear the search</a>' in html
    assert rows(html) == []


def test_it_says_no_statutes_yet_and_offers_analysts_to_add_one(client, users):
    client.force_login(users["analyst"])
    html = client.get("/statutes/AK/").content.decode()
    assert "No statutes yet for Alaska." in html
    assert 'href="/statutes/AK/new/"' in html
    client.force_login(users["reviewer"])
    html = client.get("/statutes/AK/").content.decode()
    assert "No statutes yet for Alaska." in html
    assert "/statutes/AK/new/" not in html


def test_it_puts_the_keyboard_in_the_search_box(analyst_client):
    html = analyst_client.get("/statutes/MS/").content.decode()
    assert '<label for="q"' in html
    assert re.search(r'<input type="search" id="q"[^>]*autofocus', html)


def test_it_answers_404_for_an_unknown_jurisdiction(analyst_client):
    assert analyst_client.get("/statutes/ZZ/").status_code == 404
    assert analyst_client.get("/statutes/ZZ/new/").status_code == 404


# Detail


def test_it_shows_a_statute_and_every_determination_citing_it(analyst_client, act):
    response = analyst_client.get(f"/statutes/MS/{act.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert ACT in html
    assert "Human trafficking act; prohibited conduct; penalty" in html
    assert "A person who knowingly subjects, or attempts to subject" in html
    goal_row = re.search(r'<tr data-goal="1.1">(.*?)</tr>', html, re.S).group(1)
    assert 'href="/assessments/MS/2023/goals/1.1/"' in goal_row
    assert "2023" in goal_row and "Partially met" in goal_row and "(1)(c)" in goal_row
    goal = act.citations.get(determination__goal__number="1.1").determination.goal
    assert goal.text[:40] in goal_row
    cited_goals = re.findall(r'<tr data-goal="([\d.]+)">', html)
    assert {"1.1", "1.4", "1.6", "2.1", "2.7"} <= set(cited_goals)
    assert f'href="/statutes/MS/{act.pk}/history/"' in html
    assert f'href="/statutes/MS/{act.pk}/edit/"' in html


def test_it_shows_the_text_escaped_in_paragraphs(analyst_client, ms):
    statute = Statute.objects.create(
        jurisdiction=ms,
        citation="Miss. Code Ann. § 1-1-1",
        text="(1) <script>alert(1)</script> first.\n  (a) indented\n\n(2) second.",
    )
    html = analyst_client.get(f"/statutes/MS/{statute.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; first.\n  (a) indented</p>" in html
    assert '<p style="white-space: pre-wrap">(2) second.</p>' in html
    assert "No determination cites this statute yet." in html


def test_it_hides_the_edit_button_from_reviewers(client, users, act):
    client.force_login(users["reviewer"])
    html = client.get(f"/statutes/MS/{act.pk}/").content.decode()
    assert f"/statutes/MS/{act.pk}/edit/" not in html


def test_it_answers_404_for_a_statute_of_another_jurisdiction(analyst_client, act):
    for suffix in ("", "edit/", "history/"):
        assert analyst_client.get(f"/statutes/AK/{act.pk}/{suffix}").status_code == 404
    response = analyst_client.post(f"/statutes/AK/{act.pk}/edit/", edit_data(act, caption="x"))
    assert response.status_code == 404
    act.refresh_from_db()
    assert act.caption == "Human trafficking act; prohibited conduct; penalty"


# Adding and editing


def test_it_adds_a_statute_recording_who_added_it(analyst_client, users):
    response = analyst_client.post(
        "/statutes/AK/new/",
        {
            "citation": "Alaska  Stat. § 11.66.110",
            "caption": "Sex trafficking in the first degree",
            "text": "A person commits the crime of sex trafficking ...",
            "effective_date": "2023-07-01",
            "amendment_note": "",
        },
    )
    statute = Statute.objects.get(jurisdiction__code="AK")
    assert response.status_code == 302
    assert response["Location"] == f"/statutes/AK/{statute.pk}/"
    assert statute.citation == "Alaska Stat. § 11.66.110"
    assert str(statute.effective_date) == "2023-07-01"
    record = statute.history.get()
    assert record.history_user == users["analyst"]
    assert record.history_change_reason == "Added to the statute library."


def test_it_puts_the_keyboard_in_the_first_form_field(analyst_client, act):
    for url in ("/statutes/MS/new/", f"/statutes/MS/{act.pk}/edit/"):
        html = analyst_client.get(url).content.decode()
        assert re.search(r'<input type="text" name="citation"[^>]*autofocus', html), url
        assert re.search(r'<label\s+for="id_citation"', html)


def test_it_edits_a_statute_with_a_reason_and_shows_the_diff_in_its_history(
    analyst_client, users, act
):
    old_text = act.text
    new_text = old_text.replace("knowingly subjects", "knowingly or recklessly subjects", 1)
    response = analyst_client.post(
        f"/statutes/MS/{act.pk}/edit/",
        edit_data(
            act,
            caption="Human trafficking act; prohibited conduct; penalties",
            text=new_text,
            effective_date="2023-07-01",
            change_reason="Amended by HB 1641 (2023)",
        ),
    )
    assert response.status_code == 302
    act.refresh_from_db()
    assert act.caption.endswith("penalties")
    latest = act.history.order_by("-history_id").first()
    assert latest.history_user == users["analyst"]
    assert latest.history_change_reason == "Amended by HB 1641 (2023)"

    html = analyst_client.get(f"/statutes/MS/{act.pk}/history/").content.decode()
    newest = html.split('<article class="card mb-3 version"')[1]
    assert 'class="history-user">analyst<' in newest
    assert 'class="change-reason">Amended by HB 1641 (2023)<' in newest
    assert "prohibited conduct; penalty</del>" in newest
    assert "prohibited conduct; penalties</ins>" in newest
    assert '<dt data-field="effective_date">Effective date</dt>' in newest
    assert "(empty)</del>" in newest and "2023-07-01</ins>" in newest
    # The long text shows as a compact diff of the changed sentence, not twice in full.
    assert 'aria-label="Changes to text"' in newest
    assert "bg-danger-subtle text-danger-emphasis" in newest
    assert "− A person who knowingly subjects" in newest
    assert "+ A person who knowingly or recklessly subjects" in newest
    assert newest.count("knowingly") == 2
    oldest = html.split('<article class="card mb-3 version"')[-1]
    assert re.search(r"Added\s+by", oldest)  # newest first, the first version last


def test_it_requires_a_change_reason_to_edit(analyst_client, act):
    response = analyst_client.post(
        f"/statutes/MS/{act.pk}/edit/", edit_data(act, caption="New caption", change_reason="")
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    act.refresh_from_db()
    assert act.caption == "Human trafficking act; prohibited conduct; penalty"


def test_it_refuses_a_duplicate_citation_in_plain_words_and_keeps_the_text(analyst_client, act):
    typed = "A long text the analyst typed and must not lose."
    response = analyst_client.post(
        "/statutes/MS/new/",
        {"citation": ACT.lower(), "caption": "Duplicate", "text": typed},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mississippi already has a statute cited as “miss. code ann. § 97-3-54.1”" in html
    assert typed in html and 'value="Duplicate"' in html
    assert Statute.objects.filter(citation__iexact=ACT).count() == 1


def test_it_refuses_to_rename_a_statute_to_an_existing_citation(analyst_client, ms, act):
    other = ms.statutes.exclude(pk=act.pk).first()
    response = analyst_client.post(
        f"/statutes/MS/{other.pk}/edit/", edit_data(other, citation=ACT, text="Kept text")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mississippi already has a statute cited as" in html
    assert "Kept text" in html
    other_citation = other.citation
    other.refresh_from_db()
    assert other.citation == other_citation


def test_it_allows_the_same_citation_in_another_jurisdiction(users, ms):
    statute = services.statute_create(
        jurisdiction=Jurisdiction.objects.get(code="AL"),
        data=StatuteData(citation=ACT),
        user=users["analyst"],
    )
    assert statute.pk and ms.statutes.filter(citation=ACT).exists()


def test_it_refuses_a_save_over_a_newer_version_and_shows_both(client, users, act):
    client.force_login(users["analyst"])
    stale = edit_data(act, caption="Analyst's caption", change_reason="Analyst's fix")
    save_as(users["admin"], act, "Admin's fix", caption="Admin's caption")
    versions = act.history.count()

    response = client.post(f"/statutes/MS/{act.pk}/edit/", stale)

    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this statute while you were editing it" in html
    assert "admin saved a newer version" in html and "Admin&#x27;s fix" in html
    caption_row = re.search(r"<th scope=\"row\">Caption.*?</tr>", html, re.S).group(0)
    assert '<td class="theirs" style="white-space: pre-wrap">Admin&#x27;s caption</td>' in (
        caption_row
    )
    assert '<td class="yours" style="white-space: pre-wrap">Analyst&#x27;s caption</td>' in (
        caption_row
    )
    assert 'value="Analyst&#x27;s caption"' in html  # the form keeps what the analyst typed
    act.refresh_from_db()
    assert act.caption == "Admin's caption"
    assert act.history.count() == versions


def test_it_refuses_a_stale_version_in_the_service_and_writes_nothing(users, act):
    started_from = act.version
    save_as(users["admin"], act, "Admin's fix", caption="Admin's caption")
    with pytest.raises(EditConflict, match="admin saved a newer version") as conflict:
        services.statute_update(
            statute_id=act.pk,
            expected_version=started_from,
            data=StatuteData(citation=act.citation, caption="Mine"),
            change_reason="Mine",
            user=users["analyst"],
        )
    assert conflict.value.current_version == started_from + 1
    assert conflict.value.current.caption == "Admin's caption"
    act.refresh_from_db()
    assert (act.caption, act.version) == ("Admin's caption", started_from + 1)


def test_it_saves_deliberately_after_reading_the_other_version(client, users, act):
    client.force_login(users["analyst"])
    stale = edit_data(act, caption="Analyst's caption")
    save_as(users["admin"], act, "Admin's fix", caption="Admin's caption")
    html = client.post(f"/statutes/MS/{act.pk}/edit/", stale).content.decode()
    newer = re.search(r'name="version" value="(\d+)"', html).group(1)
    act.refresh_from_db()
    assert int(newer) == act.version == stale["version"] + 1

    response = client.post(f"/statutes/MS/{act.pk}/edit/", {**stale, "version": newer})

    assert response.status_code == 302
    act.refresh_from_db()
    assert act.caption == "Analyst's caption"


@pytest.mark.parametrize("role", ["reviewer", "publisher"])
def test_it_forbids_reviewers_and_publishers_to_add_or_edit(client, users, act, role):
    client.force_login(users[role])
    versions = act.history.count()
    assert client.get("/statutes/MS/new/").status_code == 403
    assert client.get(f"/statutes/MS/{act.pk}/edit/").status_code == 403
    assert client.post("/statutes/MS/new/", {"citation": "New § 1"}).status_code == 403
    response = client.post(f"/statutes/MS/{act.pk}/edit/", edit_data(act, caption="Changed"))
    assert response.status_code == 403
    assert not Statute.objects.filter(citation="New § 1").exists()
    act.refresh_from_db()
    assert act.caption == "Human trafficking act; prohibited conduct; penalty"
    assert act.history.count() == versions


def test_it_lets_admins_edit(client, users, act):
    client.force_login(users["admin"])
    response = client.post(f"/statutes/MS/{act.pk}/edit/", edit_data(act, caption="By admin"))
    assert response.status_code == 302
    assert act.history.order_by("-history_id").first().history_user == users["admin"]


@pytest.mark.parametrize("suffix", ["", "MS/", "MS/new/", "MS/{pk}/", "MS/{pk}/edit/"])
def test_it_sends_anonymous_visitors_to_the_login_page(client, act, suffix):
    response = client.get("/statutes/" + suffix.format(pk=act.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_refuses_other_http_methods(analyst_client, act):
    assert analyst_client.post("/statutes/MS/").status_code == 405
    assert analyst_client.delete(f"/statutes/MS/{act.pk}/edit/").status_code == 405


# History


def test_it_pages_the_history_20_versions_at_a_time_newest_first(analyst_client, users, act):
    for number in range(1, 24):
        save_as(users["analyst"], act, f"Edit number {number}", caption=f"Caption {number}")
    total = act.history.count()
    first = analyst_client.get(f"/statutes/MS/{act.pk}/history/").content.decode()
    second = analyst_client.get(f"/statutes/MS/{act.pk}/history/", {"page": 2}).content.decode()
    assert first.count('<article class="card mb-3 version"') == 20
    assert second.count('<article class="card mb-3 version"') == total - 20
    assert first.index("Edit number 23") < first.index("Edit number 22")
    # The oldest entry on page 1 is still diffed against its predecessor on page 2.
    assert "Caption 3</del>" in first and "Caption 4</ins>" in first
    assert 'href="?page=2"' in first


# Query counts do not grow with the number of statutes or citations


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_it_lists_statutes_in_as_many_queries_with_30_more_cited_statutes(
    analyst_client, ms, django_assert_max_num_queries
):
    before = count_queries(analyst_client, "/statutes/MS/")
    add_cited_statutes(ms, 30)
    with django_assert_max_num_queries(before):
        response = analyst_client.get("/statutes/MS/")
    assert len(rows(response.content.decode())) == 25


def test_it_shows_a_statute_in_as_many_queries_with_30_more_citations(
    analyst_client, act, django_assert_max_num_queries
):
    before = count_queries(analyst_client, f"/statutes/MS/{act.pk}/")
    for determination in GoalDetermination.objects.filter(assessment__jurisdiction__code="MS")[:30]:
        Citation.objects.create(determination=determination, statute=act, pinpoint="(9)")
    with django_assert_max_num_queries(before):
        response = analyst_client.get(f"/statutes/MS/{act.pk}/")
    assert response.content.decode().count("<td>(9)</td>") == 30


def test_it_shows_history_in_as_many_queries_with_more_versions(
    analyst_client, users, act, django_assert_max_num_queries
):
    before = count_queries(analyst_client, f"/statutes/MS/{act.pk}/history/")
    for number in range(30):
        editor = users["reviewer" if number % 2 else "analyst"]
        save_as(editor, act, f"Edit {number}", caption=f"Caption {number}")
    with django_assert_max_num_queries(before):
        analyst_client.get(f"/statutes/MS/{act.pk}/history/")
