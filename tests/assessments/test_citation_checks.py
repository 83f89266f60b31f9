"""Citations against the cycle's legislative cutoff (July 1, 2023 in the small world):
law enacted after it blocks publishing, law without an enacted date and quotes missing
from the wording in force at the cutoff are warnings; on the overview, the publish gate and
`manage.py check_citations`."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.citation_checks import citation_check
from assessments.models import Citation, Cycle, GoalDetermination
from assessments.recompute import cycle_recompute
from assessments.scoring import Status
from reportcards.gate import publish_gate
from statutes import services
from statutes.services import StatuteData
from tests.factories import CitationFactory, StatuteFactory, approve_texts_as_they_are
from tests.pages import messages, parsed, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

CUTOFF = datetime.date(2023, 7, 1)
DAY = datetime.timedelta(days=1)


def statute(world, enacted, code="MS", **fields):
    return StatuteFactory(jurisdiction=world.jurisdictions[code], enacted_date=enacted, **fields)


def cite(world, goal, law, code="MS", quote="No person shall traffic a minor."):
    return CitationFactory(
        determination=world.determination(code, goal), statute=law, quote=quote, position=1
    )


def kinds(report) -> list[tuple[str, str, str]]:
    return [(f.kind, f.goal, f.citation) for f in report.findings]


@pytest.fixture
def dated(world):
    """Mississippi: goal 1.1 cites law enacted the day before and on the cutoff, goal 1.2
    law enacted the day after it, goal 2.1 (not met) law without a date; all approved
    (1.1 and 1.2 fully met), the texts approved, the scores computed."""
    laws = {
        "before": statute(world, CUTOFF - DAY),
        "on": statute(world, CUTOFF),
        "after": statute(world, CUTOFF + DAY),
        "undated": statute(world, None),
    }
    cite(world, "1.1", laws["before"])
    cite(world, "1.1", laws["on"])
    cite(world, "1.2", laws["after"])
    cite(world, "2.1", laws["undated"])
    world.approve("MS", "1.1")
    world.approve("MS", "1.2")
    world.approve("MS", "2.1", Status.NOT_MET)
    approve_texts_as_they_are(world.assessments["MS"])
    cycle_recompute(cycle_id=world.cycle.id)
    return laws


def test_law_enacted_before_or_on_the_cutoff_passes_and_after_it_blocks(world, dated):
    report = citation_check(world.cycle)
    assert report.citations_checked == 4
    assert kinds(report) == [
        ("after_cutoff", "1.2", dated["after"].citation),
        ("undated", "2.1", dated["undated"].citation),
    ]
    after = report.blockers[0]
    assert after.message == (
        f"{dated['after'].citation} was enacted on July 2, 2023, after the cutoff (July 1, 2023)."
    )
    assert [w.kind for w in report.warnings] == ["undated"]
    # Goal 1.2's credit rests on the late law; goal 2.1 is not met, so no credit is at stake.
    assert [(g.goal, g.points, g.kinds) for g in report.goals_at_risk] == [
        ("1.2", Decimal("2.50"), ("after_cutoff",))
    ]


def test_moving_the_cutoff_moves_the_line(world, dated):
    Cycle.objects.filter(pk=world.cycle.pk).update(legislative_cutoff=CUTOFF - DAY)
    report = citation_check(Cycle.objects.get(pk=world.cycle.pk))
    assert [(f.kind, f.citation) for f in report.blockers] == [
        ("after_cutoff", dated["on"].citation),
        ("after_cutoff", dated["after"].citation),
    ]


def test_the_approved_version_counts_and_a_goal_never_approved_is_checked_as_drafted(world, dated):
    # A draft drops the late citation: the approval still cites it, and it is what prints.
    Citation.objects.filter(determination=world.determination("MS", "1.2")).delete()
    assert [f.goal for f in citation_check(world.cycle).blockers] == ["1.2"]
    # Tennessee's goal was never approved: its live citation is checked, marked draft.
    cite(world, "1.1", statute(world, CUTOFF + DAY, code="TN"), code="TN")
    late = [(f.jurisdiction, f.goal, f.counted) for f in citation_check(world.cycle).blockers]
    assert late == [("MS", "1.2", "approved"), ("TN", "1.1", "draft")]


def test_the_enacted_date_is_that_of_the_version_cited(world):
    law = statute(world, datetime.date(2019, 7, 1))
    cite(world, "1.1", law)
    world.approve("MS", "1.1")
    services.library_update(  # amended after the cutoff
        pk=law.pk,
        expected_version=law.version,
        data=StatuteData(citation=law.citation, text=law.text, enacted_date=CUTOFF + 30 * DAY),
        change_reason="Amended by HB 9 (2023)",
    )
    assert citation_check(world.cycle).findings == []  # the approval cites version 1
    cite(world, "1.2", law)  # a draft cites the statute as it reads now
    assert kinds(citation_check(world.cycle)) == [("after_cutoff", "1.2", law.citation)]


def test_a_quote_must_be_in_the_wording_in_force_at_the_cutoff(world):
    law = statute(
        world,
        datetime.date(2019, 3, 1),
        text="A person who\n   recruits a minor\tcommits trafficking.",
        effective_date=datetime.date(2019, 7, 1),
    )
    services.library_update(  # the amendment takes effect after the cutoff
        pk=law.pk,
        expected_version=law.version,
        data=StatuteData(
            citation=law.citation,
            text="A person who recruits or entices a minor commits trafficking.",
            enacted_date=datetime.date(2023, 3, 1),
            effective_date=CUTOFF + DAY,
        ),
        change_reason="Amended by HB 9 (2023), effective July 2, 2023",
    )
    cite(world, "1.1", law, quote="who recruits a minor commits[^3] trafficking")  # spacing
    cite(world, "1.2", law, quote="recruits or entices a minor")  # not yet in force
    report = citation_check(world.cycle)
    assert kinds(report) == [("quote_not_in_force", "1.2", law.citation)]
    assert report.findings[0].message == (
        f"The quote from {law.citation} is not in its text as in force on July 1, 2023 (version 1)."
    )
    assert report.goals_at_risk == []  # a quote is a warning, not a doubt about the credit


def test_law_enacted_but_not_in_force_at_the_cutoff_has_no_wording_for_a_quote(world):
    enacted_not_in_force = statute(world, CUTOFF - DAY, effective_date=CUTOFF + DAY)
    cite(world, "1.1", enacted_not_in_force)
    cite(world, "1.2", statute(world, CUTOFF + DAY))  # blocks; its quote is not checked
    report = citation_check(world.cycle)
    assert [(f.kind, f.goal) for f in report.findings] == [
        ("quote_not_in_force", "1.1"),
        ("after_cutoff", "1.2"),
    ]
    assert report.findings[0].message == (
        f"No version of {enacted_not_in_force.citation} was in force on July 1, 2023, so its "
        "quote cannot be checked."
    )


def test_it_reads_a_fixed_number_of_queries_whatever_the_citations(world):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            citation_check(world.cycle)
        return len(captured)

    cite(world, "1.1", statute(world, None))
    world.approve("MS", "1.1")
    few = queries()
    for goal in ("1.2", "2.1"):
        for _ in range(10):
            cite(world, goal, statute(world, CUTOFF + DAY))
        world.approve("MS", goal)
    for _ in range(10):
        cite(world, "1.1", statute(world, None, code="TN"), code="TN")
    assert citation_check(world.cycle).citations_checked == 31
    assert queries() == few <= 4


# The publish gate


def test_law_after_the_cutoff_blocks_publishing(client, world, dated):
    result = publish_gate(world.assessments["MS"])
    assert [b.message for b in result.blockers] == [
        f"{dated['after'].citation} was enacted on July 2, 2023, after the cutoff (July 1, "
        "2023). Cited by goal 1.2; credit at stake: 2.5 points. Cite the law as enacted by the "
        "cutoff."
    ]
    assert result.blockers[0].link == reverse("statutes:detail", args=["MS", dated["after"].pk])
    client.force_login(world.users["publisher"])
    page = parsed(client.get(reverse("report_card", args=["MS", 2023])))
    assert "was enacted on July 2, 2023" in text(page.select_one("#gate-blockers"))
    refused = client.post(
        reverse("report_card_publish", args=["MS", 2023]), {"version": 1, "confirm": "on"}
    )
    assert refused.status_code == 409


def test_law_without_a_date_is_one_warning_to_acknowledge(client, world, dated):
    GoalDetermination.objects.filter(pk=world.determination("MS", "1.2").pk).update(
        approved=None, review_state="draft"
    )
    Citation.objects.filter(statute=dated["after"]).delete()
    world.approve("MS", "1.2")
    cycle_recompute(cycle_id=world.cycle.id)
    result = publish_gate(world.assessments["MS"])
    assert result.blockers == []
    assert [w.message for w in result.warnings] == [
        f"1 cited statute has no enacted date, so nothing shows it was law by July 1, 2023: "
        f"{dated['undated'].citation} (goal 2.1; credit at stake: 0 points). Record the dates "
        "in the statute library."
    ]
    client.force_login(world.users["publisher"])
    publish = reverse("report_card_publish", args=["MS", 2023])
    refused = client.post(publish, {"version": 1, "confirm": "on"})
    assert messages(refused)[0].startswith("Acknowledge each warning before publishing")
    accepted = client.post(
        publish, {"version": 1, "confirm": "on", "acknowledge": result.warnings[0].key}
    )
    assert accepted.status_code == 302


def test_the_overview_links_the_citations_page_which_lists_the_findings(client, world, dated):
    client.force_login(world.users["reviewer"])
    overview = parsed(client.get(reverse("assessments:overview", args=["MS", 2023])))
    page = parsed(client.get(overview.select_one("#citation-checks-link")["href"]))
    section = page.select_one("#citation-checks")
    assert text(section.select_one("#citation-checks-summary")).startswith("1 blocker")
    rows = [(row["data-kind"], row["data-finding-goal"]) for row in section.select("tr[data-kind]")]
    assert rows == [("after_cutoff", "1.2"), ("undated", "2.1")]
    assert "1.2 (2.5 pt)" in text(section.select_one("#goals-at-risk"))
    tennessee = parsed(client.get(reverse("assessments:citation_checks", args=["TN", 2023])))
    assert text(tennessee.select_one("#citation-checks-clear")).startswith("All 0 citations")


def test_the_citations_page_of_an_unknown_assessment_is_404(client, world):
    client.force_login(world.users["reviewer"])
    response = client.get(reverse("assessments:citation_checks", args=["ZZ", 2023]))
    assert response.status_code == 404


# manage.py check_citations


def test_the_command_prints_json_and_exits_1_on_a_blocker(world, dated, capsys):
    with pytest.raises(CommandError) as refused:
        call_command("check_citations", "2023", "--json")
    assert refused.value.returncode == 1
    report = json.loads(capsys.readouterr().out)
    assert {key: report[key] for key in ("cycle", "cutoff", "citations_checked")} == {
        "cycle": 2023,
        "cutoff": "2023-07-01",
        "citations_checked": 4,
    }
    assert (report["blockers"], report["warnings"]) == (1, 1)
    assert report["findings"][0] == {
        "kind": "after_cutoff",
        "severity": "blocker",
        "jurisdiction": "MS",
        "goal": "1.2",
        "citation": dated["after"].citation,
        "pinpoint": "(1)",
        "statute_id": dated["after"].pk,
        "statute_version": 1,
        "enacted_date": "2023-07-02",
        "counted": "approved",
        "credit": "2.50",
        "message": report["findings"][0]["message"],
    }
    assert report["goals_at_risk"] == [
        {
            "jurisdiction": "MS",
            "goal": "1.2",
            "status": "fully_met",
            "points": "2.50",
            "kinds": ["after_cutoff"],
            "citations": [dated["after"].citation],
        }
    ]


def test_the_command_exits_0_with_warnings_only_and_lists_each_finding(world, capsys):
    cite(world, "1.1", statute(world, None))
    call_command("check_citations", "2023")  # no exception: exit status 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        "2023 cycle, cutoff July 1, 2023: 1 citations checked, 0 blocker(s), 1 warning(s)."
    )
    assert lines[1].startswith("warning  MS goal 1.1   MS Code Ann. § 97-3-")
    assert lines[1].endswith("(1) (draft): " + lines[1].split("(1) (draft): ")[1])
    assert lines[1].split("(1) (draft): ")[1].endswith("has no enacted date.")


def test_the_command_exits_2_for_an_unknown_cycle(world):
    with pytest.raises(CommandError, match="There is no 1999 cycle") as refused:
        call_command("check_citations", "1999")
    assert refused.value.returncode == 2
