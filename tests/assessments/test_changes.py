"""goal_changes: every difference between two versions of a goal, in words."""

from decimal import Decimal

from assessments.changes import goal_changes

BEFORE = {
    "goal": "3.3",
    "status": "not_met",
    "points": "0.00",
    "points_derived": False,
    "narrative": "The law is silent.",
    "citations": [
        {"citation": "A § 1", "caption": "Trafficking", "pinpoint": "(a)", "quote": "old words"},
        {"citation": "A § 2", "caption": "Custody", "pinpoint": "", "quote": "kept"},
    ],
    "footnotes": [{"label": "1", "text": "A note."}],
    "tables": [{"kind": "other", "title": "Ages", "columns": ["Age"], "rows": [["17"]]}],
    "recommendations": ["Pass a law.", "Train judges."],
    "insights": [{"quote": "From the field.", "attribution": "A"}],
    "extra_credit": [
        {"category": "clt", "points": "1.00", "points_derived": False, "explanation": ""}
    ],
}


def test_a_copy_of_the_same_goal_is_no_change():
    assert goal_changes(BEFORE, {**BEFORE}, max_points=Decimal("2.5")) == []


def test_it_says_status_and_points_in_words():
    after = {**BEFORE, "status": "partially_met", "points": "1.50"}
    [change] = goal_changes(BEFORE, after, max_points=Decimal("2.5"))
    assert change.headline == "Status and points: Not met → Partially met, 0 → 1.5 of 2.5 points"


def test_it_lists_every_part_that_changed():
    after = {
        **BEFORE,
        "narrative": "The law now speaks.",
        "citations": [{**BEFORE["citations"][1], "quote": "kept and changed"}],
        "footnotes": [{"label": "1", "text": "A longer note."}, {"label": "2", "text": "New."}],
        "tables": [{**BEFORE["tables"][0], "rows": [["18"]]}],
        "recommendations": ["Pass a law."],
        "insights": [],
        "extra_credit": [{**BEFORE["extra_credit"][0], "points": "1.50"}],
    }
    changes = goal_changes(BEFORE, after)
    assert [change.label for change in changes] == [
        "Narrative",
        "Citation 1 (A § 1) removed",
        "Citation 1 (A § 2) moved",
        "Citation 1 (A § 2) quote",
        "Footnote 1 (1) text",
        "Footnote 2 (2) added",
        "Table 1 rows",
        "Recommendation 2 removed",
        "Insight 1 removed",
        "Extra credit 1 (clt) points",
    ]
    by_label = {change.label: change for change in changes}
    assert str(by_label["Citation 1 (A § 2) quote"].word_diff) == "kept <ins>and changed</ins>"
    assert by_label["Recommendation 2 removed"].headline == (
        "Recommendation 2 removed: Train judges."
    )
    points = by_label["Extra credit 1 (clt) points"]
    assert (points.old, points.new) == ("1", "1.5")


def test_it_ignores_the_statute_wording_an_approval_keeps():
    approved = {
        **BEFORE,
        "citations": [{**c, "statute": {"id": 1, "version": 2}} for c in BEFORE["citations"]],
    }
    assert goal_changes(approved, BEFORE) == []
