"""Hypothesis throws arbitrary input at the editor, the import and the Markdown paths:
no crash, no 500, hostile HTML escaped, and nothing written when input is refused."""

import copy
import json

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.platypus import SimpleDocTemplate

from assessments.importing import ImportRejected, assessment_import
from assessments.markdown import render_narrative
from assessments.models import Assessment, GoalDetermination
from reportcards.pdf import markup
from reportcards.pdf.styles import styles as pdf_styles
from tests.factories import CitationFactory
from tests.fuzz import FUZZ, HOSTILE_MARKUP, UNFIT, hostile

hostile_text = hostile(*HOSTILE_MARKUP, max_size=300)


@FUZZ
@given(text=hostile_text)
def test_it_renders_any_narrative_to_html_without_live_markup(text):
    html = render_narrative(text)
    assert "<script" not in html.lower()
    assert "onerror" not in html.lower() or "&" in html  # only ever as escaped text


@FUZZ
@given(text=hostile_text)
def test_it_lays_out_any_narrative_in_the_pdf_without_error(text):
    import io

    body = pdf_styles().body
    story = markup.to_flowables(text, body) or [markup.paragraph("(empty)", body)]
    SimpleDocTemplate(io.BytesIO()).build(story)


unfit = st.sampled_from(UNFIT)
goal_fields = st.fixed_dictionaries(
    {
        "status": st.one_of(
            st.sampled_from(["fully_met", "partially_met", "not_met"]), st.text(max_size=12)
        ),
        "points": st.one_of(
            st.text(max_size=8), st.decimals(allow_nan=True, allow_infinity=True).map(str)
        ),
        "narrative": st.one_of(hostile_text, unfit),
        "change_reason": st.text(max_size=40),
        "version": st.one_of(st.integers(-5, 10).map(str), st.text(max_size=4), unfit),
        "citations-TOTAL_FORMS": st.sampled_from(["0", "1", "x", "-1", "1001"]),
        "citations-INITIAL_FORMS": st.sampled_from(["0", "1", "x"]),
        "citations-0-statute": st.one_of(st.text(max_size=6), unfit),
        "citations-0-id": st.one_of(st.just(""), unfit),
        "citations-0-new_citation": st.one_of(st.text(max_size=30), unfit),
        "citations-0-pinpoint": st.one_of(st.text(max_size=8), unfit),
        "citations-0-quote": st.one_of(hostile_text, unfit),
        "recommendations-TOTAL_FORMS": st.sampled_from(["0", "1"]),
        "recommendations-INITIAL_FORMS": st.just("0"),
        "recommendations-0-text": hostile_text,
        "insights-TOTAL_FORMS": st.just("0"),
        "insights-INITIAL_FORMS": st.just("0"),
        "awards-TOTAL_FORMS": st.sampled_from(["0", "1"]),
        "awards-INITIAL_FORMS": st.just("0"),
        "awards-0-id": st.one_of(st.just(""), unfit),
        "awards-0-category": st.one_of(st.text(max_size=4), unfit),
        "awards-0-points": st.one_of(st.text(max_size=6), unfit),
    }
)


@pytest.fixture
def approved_goal(world):
    """Mississippi's goal 1.1, approved and citing one statute; it offers extra credit."""
    goal = world.approve("MS", "1.1")
    CitationFactory(determination=goal)
    return goal


@pytest.mark.django_db
@FUZZ
@given(data=goal_fields)
def test_it_answers_any_editor_post_without_a_server_error(client, world, approved_goal, data):
    client.force_login(world.users["analyst"])
    before = GoalDetermination.objects.get(pk=approved_goal.pk)
    response = client.post(reverse("assessments:determination", args=["MS", 2023, "1.1"]), data)
    assert response.status_code in (302, 400, 409)
    after = GoalDetermination.objects.get(pk=before.pk)
    if response.status_code != 302:
        assert (after.version, after.narrative, after.points) == (
            before.version,
            before.narrative,
            before.points,
        )
        assert "<script>alert" not in response.content.decode()


ACT = "Miss. Code Ann. § 97-3-54.1"
# Mississippi's assessment in the small world with one of every part of the format.
DOCUMENT = {
    "jurisdiction": "MS",
    "cycle": 2023,
    "texts": {
        "highlights": ["Safe harbor enacted."],
        "issue_summaries": {"1": "Strong criminal provisions.", "2": "No safe harbor yet."},
        "safe_harbor_summary": "Minors are not prosecuted for prostitution.",
    },
    "analysis_intro_footnote": {"label": "1", "text": "As of July 1, 2023."},
    "pic_scores": [
        {"year": 2019, "score": "61.5", "grade": "D", "areas": ["10", "5"], "maxima": ["15", "10"]}
    ],
    "statutes": [{"citation": ACT, "caption": "Human trafficking act", "text": "No person ..."}],
    "appropriations": [
        {
            "bill": "HB 1641",
            "session": "2023 Regular Session",
            "recipient": "Office of the Attorney General",
            "amount": "100000.00",
            "purpose": "Services for victims of trafficking.",
            "term": "FY 2024",
        }
    ],
    "appendix": [
        {
            "group": "trafficking",
            "citation": ACT,
            "pinpoint": "(1)",
            "text": "No person shall traffic a minor.[^2]",
            "footnotes": [{"label": "2", "text": "Amended in 2023."}],
        }
    ],
    "determinations": [
        {
            "goal": "1.1",
            "status": "fully_met",
            "narrative": "State law prohibits it.[^1]\n\n[[quote 1]]\n\n[[table 1]]",
            "citations": [{"citation": ACT, "pinpoint": "(1)", "quote": "No person ..."}],
            "footnotes": [{"label": "1", "text": "See also § 97-3-54.2."}],
            "tables": [
                {
                    "title": "Penalties",
                    "columns": ["Offense", "Penalty"],
                    "rows": [["Trafficking a minor", "20 years to life"]],
                }
            ],
            "recommendations": ["Extend the safe harbor to 18+ youth."],
            "insights": [{"quote": "Services came first.", "attribution": "An advocate"}],
            "extra_credit": [{"category": "clt", "points": "1", "explanation": "Labor too."}],
        },
        {"goal": "1.2", "status": "partially_met", "points": "1.25", "narrative": "Partly."},
        {"goal": "2.1", "status": "not_met"},
    ],
}


def mutate(document, path, value):
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20)),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)


def every_path(value, path=()):
    """The path of every object, list and value inside `value`."""
    if path:
        yield path
    if isinstance(value, dict | list):
        children = value.items() if isinstance(value, dict) else enumerate(value)
        for key, child in children:
            yield from every_path(child, (*path, key))


# Every place of the document, and the places that are absent from it.
paths = st.sampled_from(
    [*every_path(DOCUMENT)]
    + [
        ("jurisdiction",),
        ("cycle",),
        ("determinations",),
        ("texts",),
        ("texts", "highlights"),
        ("determinations", 0, "status"),
        ("determinations", 1, "points"),
        ("determinations", 0, "citations"),
        ("determinations", 0, "tables"),
        ("determinations", 0, "extra_credit"),
        ("determinations", 0, "extra_credit", 0, "points"),
        ("determinations", 0, "goal"),
        ("determinations", 1),
        ("determinations", 0, "footnotes", 0),
        ("determinations", 0, "tables", 0, "rows", 0),
        ("texts", "issue_summaries"),
        ("analysis_intro_footnote",),
        ("appropriations",),
        ("appropriations", 0, "amount"),
        ("pic_scores",),
        ("pic_scores", 0, "areas"),
        ("statutes", 0, "citation"),
        ("appendix",),
        ("appendix", 0, "footnotes"),
    ]
)


def import_state(world):
    """What a refused import must leave alone: the determinations and the version."""
    return GoalDetermination.objects.count(), Assessment.objects.get(
        pk=world.assessments["MS"].pk
    ).version


@pytest.mark.django_db
def test_it_imports_the_document_the_fuzzing_starts_from(world):
    assessment = assessment_import(data=DOCUMENT, username="admin")
    goal = assessment.determinations.get(goal__number="1.1")
    assert goal.citations.count() == goal.extra_credit_awards.count() == 1
    assert assessment.appendix.count() == 1


@pytest.mark.django_db
@settings(FUZZ, max_examples=120)  # the document has many places
@given(path=paths, value=json_values | unfit)
def test_it_imports_or_refuses_any_document_and_writes_nothing_when_it_refuses(world, path, value):
    document = copy.deepcopy(DOCUMENT)
    mutate(document, path, value)
    document = json.loads(json.dumps(document))
    before = import_state(world)
    try:
        assessment_import(data=document, username="admin")
    except ImportRejected as rejected:
        assert rejected.problems
        assert import_state(world) == before


@pytest.mark.django_db
@FUZZ
@given(value=json_values)
def test_it_refuses_anything_that_is_not_an_assessment_document(value):
    with pytest.raises(ImportRejected) as rejected:
        assessment_import(data=value, username="admin")
    assert all(isinstance(problem, str) for problem in rejected.value.problems)
