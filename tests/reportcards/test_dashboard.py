"""The national dashboard: stored scores, filters, sorts, charts, CSV and highlights."""

import csv
import io
from decimal import Decimal as D
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import national
from assessments.models import Cycle, CycleScoreState, GoalDetermination, ScoreSnapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sample_world")]

SURVIVOR_MDT = (
    "State law provides for a survivor-centered multi-disciplinary team response to child "
    "sex trafficking cases."
)


@pytest.fixture
def logged_in(client, users):
    client.force_login(users["analyst"])
    return client


def page(client, name="dashboard", *args, **params) -> BeautifulSoup:
    response = client.get(reverse(name, args=args or [2023]), params)
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def text(element) -> str:
    return " ".join(element.get_text(" ").split())


def codes(soup) -> list[str]:
    return [row["data-code"] for row in soup.select("#national-table tr[data-code]")]


def cells(soup, code) -> list[str]:
    """The texts of a jurisdiction's row: rank, name, total, grade, tier, change."""
    return [text(cell) for cell in soup.select_one(f'tr[data-code="{code}"]').find_all("td")]


def query(url) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


# The dashboard table


def test_it_shows_mississippi_from_the_stored_snapshot(logged_in):
    soup = page(logged_in)
    assert len(codes(soup)) == 51
    assert cells(soup, "MS") == ["10th (tie)", "Mississippi", "68.5", "D", "Tier I", "—"]
    assert soup.select_one('tr[data-code="MS"] .grade')["class"] == ["grade", "grade-D"]
    assert cells(soup, "TN")[1] == "Tennessee synthetic demo data"


def test_it_reads_the_snapshot_rather_than_scoring_again(logged_in, cycle):
    ScoreSnapshot.objects.filter(cycle=cycle, jurisdiction__code="MS").update(
        rank=3, tied=False, tier=1, change=D("0.5")
    )
    row = cells(page(logged_in), "MS")
    assert row[0] == "3rd"
    assert row[5] == "+0.5"


def test_it_filters_by_grade_tier_and_name(logged_in):
    assert codes(page(logged_in, grade="A")) == ["TN"]
    assert len(codes(page(logged_in, grade="F"))) == 32
    assert len(codes(page(logged_in, tier="3"))) == 10
    assert codes(page(logged_in, q="missi")) == ["MS"]
    assert codes(page(logged_in, q="ms")) == ["MS"]  # a code matches too
    assert "MS" in codes(page(logged_in, grade="D", tier="1"))
    # Mississippi and the jurisdiction tied with it at 10th are both in Tier I.
    tier_1 = page(logged_in, tier="1")
    assert text(tier_1.select_one("#row-count")) == "Showing 11 of 51 jurisdictions."


def test_it_ignores_filter_values_it_does_not_know(logged_in):
    assert len(codes(page(logged_in, grade="Z", tier="9", sort="colour"))) == 51


def test_it_says_when_no_jurisdiction_matches(logged_in):
    soup = page(logged_in, q="Atlantis")
    assert codes(soup) == []
    assert text(soup.select_one("#national-table tbody")) == "No jurisdictions match these filters."


def test_it_sorts_by_rank_name_total_and_change(logged_in):
    assert codes(page(logged_in))[0] == "TN"
    assert codes(page(logged_in, sort="name"))[:2] == ["AL", "AK"]  # Alabama, Alaska
    assert codes(page(logged_in, sort="-name"))[0] == "WY"
    assert codes(page(logged_in, sort="-total"))[:2] == ["TN", "FL"]
    assert codes(page(logged_in, sort="total"))[-1] == "TN"
    by_rank = codes(page(logged_in))
    assert by_rank.index("MS") < by_rank.index(codes(page(logged_in, grade="F"))[0])


def test_it_sorts_by_change_with_missing_changes_last(logged_in, cycle):
    ScoreSnapshot.objects.filter(cycle=cycle, jurisdiction__code="MS").update(change=D("2"))
    ScoreSnapshot.objects.filter(cycle=cycle, jurisdiction__code="TN").update(change=D("-1"))
    assert codes(page(logged_in, sort="-change"))[:2] == ["MS", "TN"]
    ascending = codes(page(logged_in, sort="change"))
    assert ascending[:2] == ["TN", "MS"]
    assert ascending[2] == "AL"  # then the rest by name


def test_its_links_keep_the_other_parameters(logged_in):
    soup = page(logged_in, grade="F", q="a", sort="-total")
    headers = {text(th): th for th in soup.select("#national-table thead th")}
    by_name = query(headers["Jurisdiction"].a["href"])
    assert by_name == {"grade": ["F"], "q": ["a"], "sort": ["name"]}
    # A second click on the active column reverses it.
    assert headers["Total"]["aria-sort"] == "descending"
    assert query(headers["Total"].a["href"]) == {"grade": ["F"], "q": ["a"], "sort": ["total"]}
    assert headers["Rank"]["aria-sort"] == "none"
    csv_link = soup.select_one("#csv-link")["href"]
    assert csv_link.startswith(reverse("dashboard_csv", args=[2023]) + "?")
    assert query(csv_link) == {"grade": ["F"], "q": ["a"], "sort": ["-total"]}
    assert soup.select_one('#dashboard-filters input[name="sort"]')["value"] == "-total"


# Charts and national counts


def test_it_shows_grade_and_tier_distributions_as_accessible_svg(logged_in):
    soup = page(logged_in)
    counts = {span["data-count"]: span.text for span in soup.select("span[data-count]")}
    assert counts == {
        "A": "1",
        "B": "1",
        "C": "5",
        "D": "12",
        "F": "32",
        "Tier I": "11",  # the tie at 10th keeps both in Tier I
        "Tier II": "30",
        "Tier III": "10",
    }
    grades = soup.select_one("svg#grade-chart")
    description = "Jurisdictions by grade. A: 1, B: 1, C: 5, D: 12, F: 32."
    assert grades["role"] == "img"
    assert grades["aria-label"] == description
    assert grades.title.text == description
    assert len(grades.find_all("rect")) == 5
    # No chart library and nothing from a CDN: the page's own content has no script.
    assert soup.main.find("script") is None
    assert all(script["src"].startswith("/static/") for script in soup.find_all("script"))


def test_its_chart_links_filter_the_table(logged_in):
    soup = page(logged_in, q="a")
    link = soup.select_one('span[data-count="F"]').find_previous_sibling("a")
    assert link.text == "F"
    assert query(link["href"]) == {"grade": ["F"], "q": ["a"]}


def test_it_counts_fully_met_goals_nationally_by_issue_area(logged_in):
    soup = page(logged_in)
    goal_32 = soup.select_one('tr[data-goal="3.2"]')
    assert text(goal_32.th) == "Goal 3.2"
    assert text(goal_32.select_one(".goal-count")) == "fully met in 8 jurisdictions"
    assert "survivor-centered multi-disciplinary team response" in text(goal_32)
    goal_25 = soup.select_one('tr[data-goal="2.5"]')
    assert text(goal_25.select_one(".goal-count")) == "fully met in 30 jurisdictions"
    issue_3 = soup.select_one('tr[data-goal="3.2"]').find_parent("section")
    assert text(issue_3.h3) == "Issue 3: Continuum of Care"
    assert len(soup.select("tr[data-goal]")) == 40


def test_it_says_whether_scores_are_current(logged_in, cycle):
    assert text(page(logged_in).select_one("#score-state")).startswith("Scores current as of")
    CycleScoreState.objects.filter(cycle=cycle).update(stale=True, stale_since=timezone.now())
    state = text(page(logged_in).select_one("#score-state"))
    assert state.startswith("Scores are being recomputed since")


def test_it_explains_how_to_compute_scores_when_there_are_none(logged_in, cycle):
    Cycle.objects.create(
        year=2024, framework=cycle.framework, legislative_cutoff="2024-07-01", previous=cycle
    )
    soup = page(logged_in, "dashboard", 2024)
    advice = soup.select_one("#no-scores")
    assert text(advice.strong) == "No scores have been computed for 2024 yet."
    assert advice.code.text == "python manage.py recompute 2024"
    assert codes(soup) == []


def test_it_answers_404_for_a_missing_cycle_or_jurisdiction(logged_in):
    assert logged_in.get(reverse("dashboard", args=[1999])).status_code == 404
    assert logged_in.get(reverse("dashboard_csv", args=[1999])).status_code == 404
    assert logged_in.get(reverse("dashboard_jurisdiction", args=[2023, "ZZ"])).status_code == 404


def test_its_query_count_does_not_grow_with_jurisdictions(logged_in, cycle):
    url = reverse("dashboard", args=[2023])
    with CaptureQueriesContext(connection) as all_51:
        assert logged_in.get(url).status_code == 200
    ScoreSnapshot.objects.filter(cycle=cycle, rank__gt=5).delete()
    with CaptureQueriesContext(connection) as only_5:
        assert logged_in.get(url).status_code == 200
    assert len(all_51) == len(only_5)


def test_its_pages_use_few_queries(logged_in, django_assert_max_num_queries):
    # 12 for the page, and one for the count of the user's work in the navigation bar.
    with django_assert_max_num_queries(13):
        page(logged_in, grade="D", sort="-total")
    with django_assert_max_num_queries(13):
        page(logged_in, "dashboard_jurisdiction", 2023, "MS")
    with django_assert_max_num_queries(10):
        logged_in.get(reverse("dashboard_csv", args=[2023]))


# CSV


def read_csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_it_downloads_the_table_as_csv(logged_in):
    response = logged_in.get(reverse("dashboard_csv", args=[2023]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="scores-2023.csv"'
    rows = read_csv(response)
    assert len(rows) == 51
    assert [row["jurisdiction"] for row in rows[:2]] == ["TN", "FL"]  # best first
    ms = next(row for row in rows if row["jurisdiction"] == "MS")
    assert [ms[f"issue_{n}"] for n in range(1, 7)] == ["16", "14", "9", "8.5", "8", "5"]
    assert [ms[f"issue_{n}_grade"] for n in range(1, 7)] == ["A", "F", "D", "F", "B", "F"]
    assert (ms["extra_credit_clt"], ms["extra_credit_youth_18_plus"]) == ("5", "3")
    assert ms["extra_credit_total"] == "8"
    assert (ms["name"], ms["total"], ms["grade"], ms["rank"]) == ("Mississippi", "68.5", "D", "10")
    assert (ms["tied"], ms["tier"], ms["change"], ms["synthetic"]) == ("True", "1", "", "False")
    # Nothing beyond the national table's columns: one per issue area and category.
    assert len(ms) == 2 + 6 * 2 + 3 + 7


def test_its_csv_respects_the_filters_and_order_of_the_page(logged_in):
    url = reverse("dashboard_csv", args=[2023])
    assert [row["jurisdiction"] for row in read_csv(logged_in.get(url, {"grade": "A"}))] == ["TN"]
    tier_1 = read_csv(logged_in.get(url, {"tier": "1", "sort": "name"}))
    assert len(tier_1) == 11
    assert [row["name"] for row in tier_1] == sorted(row["name"] for row in tier_1)


# The jurisdiction page and its suggested highlights


def test_it_shows_a_jurisdictions_scores_and_suggested_highlights(logged_in):
    soup = page(logged_in, "dashboard_jurisdiction", 2023, "MS")
    assert text(soup.select_one("#rank")) == "10th (tie)"
    assert text(soup.select_one("#tier")) == "Tier I"
    assert text(soup.select_one("#change")) == "—"
    assert text(soup.select_one("#total")) == "68.5 D"
    assert soup.select_one("#total .grade")["class"] == ["grade", "grade-D"]
    issue_1 = [text(td) for td in soup.select('tr[data-issue="1"] td')]
    assert issue_1 == ["1. Criminal Provisions", "A", "16", "17.5"]
    extra_credit = text(soup.select_one("#extra-credit"))
    assert "CLT Child Labor Trafficking" in extra_credit and "18+ Youth" in extra_credit
    highlights = [text(li) for li in soup.select("#highlights li")]
    assert "Currently ranked 10th in the nation (tie)." in highlights
    assert (
        "One of only 8 states to provide for a survivor-centered multi-disciplinary team "
        "response to child sex trafficking cases. Goal 3.2"
    ) in highlights
    assert any(
        h.startswith("One of 30 states that prohibit the criminalization of minors under 18")
        for h in highlights
    )
    goal_link = soup.select_one('#highlights li[data-goal="3.2"] a')["href"]
    assert goal_link == reverse("assessments:determination", args=["MS", 2023, "3.2"])


def test_it_suggests_nothing_about_goals_that_are_not_approved(logged_in):
    GoalDetermination.objects.filter(
        assessment__jurisdiction__code="MS", assessment__cycle__year=2023, goal__number="3.2"
    ).update(review_state="draft", approved=None)
    soup = page(logged_in, "dashboard_jurisdiction", 2023, "MS")
    assert soup.select_one('#highlights li[data-goal="3.2"]') is None


# The sentence builders (pure)


def test_it_derives_a_short_phrase_from_the_goal_text():
    assert national.goal_summary(SURVIVOR_MDT) == (
        "provide for a survivor-centered multi-disciplinary team response to child sex "
        "trafficking cases"
    )
    assert national.goal_summary(
        "State law prohibits the criminalization of minors under 18 for prostitution offenses "
        "and establishes a services-referral protocol as an alternative to arrest."
    ) == (
        "prohibit the criminalization of minors under 18 for prostitution offenses and "
        "establish a services-referral protocol as an alternative to arrest"
    )
    assert national.goal_summary("State law mandates child sex trafficking training.") == (
        "mandate child sex trafficking training"
    )
    assert (
        national.goal_summary(
            "Mistake of age is not an available defense in child sex trafficking prosecutions."
        )
        == "mistake of age is not an available defense in child sex trafficking prosecutions"
    )
    assert national.goal_summary("CSEC laws apply to traffickers.") == (
        "CSEC laws apply to traffickers"
    )


def test_it_says_one_of_only_up_to_ten_states_and_one_of_above():
    assert national.fully_met_sentence(8, SURVIVOR_MDT) == (
        "One of only 8 states to provide for a survivor-centered multi-disciplinary team "
        "response to child sex trafficking cases."
    )
    assert national.fully_met_sentence(10, SURVIVOR_MDT).startswith("One of only 10 states to ")
    assert national.fully_met_sentence(11, SURVIVOR_MDT).startswith(
        "One of 11 states that provide for a survivor-centered"
    )
    assert national.fully_met_sentence(1, SURVIVOR_MDT).startswith("The only state to provide")
    assert national.fully_met_sentence(
        5, "Mistake of age is not an available defense in child sex trafficking prosecutions."
    ) == (
        "One of only 5 states where mistake of age is not an available defense in child sex "
        "trafficking prosecutions."
    )


def test_it_words_the_rank_and_the_change_as_the_seed_does():
    assert national.rank_sentence(10, True) == "Currently ranked 10th in the nation (tie)."
    assert national.rank_sentence(1, False) == "Currently ranked 1st in the nation."
    change = national.change_sentence
    assert change(D("0.5"), year=2023, previous_year=2021) == (
        "Between 2021-2023, raised score by .5 points."
    )
    assert change(D("-2.00"), year=2024, previous_year=2023) == (
        "Between 2023-2024, lowered score by 2 points."
    )
    assert change(D("1"), year=2024, previous_year=2023) == (
        "Between 2023-2024, raised score by 1 point."
    )
    assert change(D("0"), year=2024, previous_year=2023) == "Between 2023-2024, score unchanged."
    assert change(None, year=2023, previous_year=None) == ""


def test_it_orders_suggestions_change_rank_then_rarest_goal_first():
    goals = [
        national.FullyMetGoal("2.5", "State law prohibits X."),
        national.FullyMetGoal("3.2", SURVIVOR_MDT),
        national.FullyMetGoal("6.6", "State law mandates Y."),
    ]
    highlights = national.suggested_highlights(
        year=2023,
        previous_year=2021,
        rank=10,
        tied=True,
        change=D("0.50"),
        fully_met_goals=goals,
        fully_met_counts={"2.5": 30, "3.2": 8},  # no count for 6.6 yet: no sentence
    )
    assert [h.text for h in highlights] == [
        "Between 2021-2023, raised score by .5 points.",
        "Currently ranked 10th in the nation (tie).",
        "One of only 8 states to provide for a survivor-centered multi-disciplinary team "
        "response to child sex trafficking cases.",
        "One of 30 states that prohibit X.",
    ]
    assert [h.goal for h in highlights] == ["", "", "3.2", "2.5"]
