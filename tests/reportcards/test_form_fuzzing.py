"""Hypothesis types hostile values into every form a user can send: the state texts, the
statute library and its bills, a new cycle, publishing, the review buttons, the preview and
the login. Whatever is typed, the answer is never a server error, and a refused form
changes nothing.

Each example starts from the form as the page fills it (what a browser sends), then
replaces a few fields with control characters, NUL, digits no column can hold, look-alike
digits, text over the limits and arbitrary text. The goal editor has its own suite in
tests/assessments/test_fuzzing.py; the import document in test_import_limits.py.
"""

from urllib.parse import quote

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from assessments import services
from assessments.models import Assessment, Cycle, GoalDetermination, ReviewEvent
from core import limits
from reportcards.models import PublishJob
from statutes.models import Bill, Statute
from tests.factories import StatuteFactory, ready_to_publish
from tests.fuzz import FUZZ, HOSTILE_MARKUP, UNFIT, hostile
from tests.pages import form_data, parsed

pytestmark = pytest.mark.django_db

hostile_value = hostile(
    *("", " ", "line\x0bbreak", "1e400", "x" * (limits.TEXT_MAX_CHARS + 1)),
    *UNFIT,
    HOSTILE_MARKUP[0],
    max_size=40,
)


def form_on(client, url: str, action: str | None = None):
    """The data of the page's form that posts to `action` (or to the page itself)."""
    page = parsed(client.get(url))
    for form in page.select("form[method=post]"):
        if form.get("action", url) == (action or url):
            return form_data(form)
    raise AssertionError(f"no form posting to {action or url} on {url}")


def hostile_changes(data, fields):
    return data.draw(st.dictionaries(st.sampled_from(sorted(fields)), hostile_value, max_size=3))


def post_hostile(client, url, sent, data, state):
    """Post the form with hostile changes drawn from `data`: never a server error, and
    unless the form was accepted (a redirect), `state()` is what it was before."""
    before = state()
    response = client.post(url, {**sent, **hostile_changes(data, sent)})
    assert response.status_code < 500
    if response.status_code != 302:
        assert state() == before


@FUZZ
@given(data=st.data())
def test_the_state_texts_form(client, world, data):
    client.force_login(world.users["analyst"])
    url = reverse("assessments:texts", args=["MS", 2023])
    sent = form_on(client, url)

    def state():
        assessment = Assessment.objects.get(pk=world.assessments["MS"].pk)
        return assessment.version, assessment.highlights, assessment.safe_harbor_summary

    post_hostile(client, url, sent, data, state)


NEW_IN_LIBRARY = {
    "statutes:new": (
        {"citation": "Miss. Code Ann. § 1-1-1", "text": "Text."},
        Statute,
        ["citation", "caption", "text"],
    ),
    "statutes:bill_new": (
        {"number": "HB 1", "session": "2024 Regular Session"},
        Bill,
        ["number", "session", "status", "enacted_date"],
    ),
}


@FUZZ
@pytest.mark.parametrize("view", NEW_IN_LIBRARY)
@given(data=st.data())
def test_the_new_statute_and_bill_forms(client, world, view, data):
    filled, model, fields = NEW_IN_LIBRARY[view]
    client.force_login(world.users["analyst"])
    url = reverse(view, args=["MS"])
    sent = {**form_on(client, url), **filled}

    def state():
        return sorted(model.objects.values_list(*fields))

    post_hostile(client, url, sent, data, state)


@FUZZ
@given(data=st.data())
def test_the_statute_edit_form(client, world, data):
    statute = StatuteFactory(jurisdiction=world.jurisdictions["MS"])
    client.force_login(world.users["analyst"])
    url = reverse("statutes:edit", args=["MS", statute.pk])
    sent = {**form_on(client, url), "change_reason": "Amended."}

    def state():
        statute.refresh_from_db()
        return statute.version, statute.citation, statute.caption, statute.text

    post_hostile(client, url, sent, data, state)


@FUZZ
@given(data=st.data())
def test_the_bill_edit_form(client, world, data):
    bill, _ = Bill.objects.get_or_create(
        jurisdiction=world.jurisdictions["MS"], number="HB 1", session="2024 Regular Session"
    )
    client.force_login(world.users["analyst"])
    url = reverse("statutes:bill_edit", args=["MS", bill.pk])
    sent = {**form_on(client, url), "change_reason": "Signed."}

    def state():
        bill.refresh_from_db()
        return bill.version, bill.number, bill.status, bill.enacted_date, bill.effective_date

    post_hostile(client, url, sent, data, state)


@FUZZ
@given(data=st.data())
def test_the_new_cycle_form(client, world, data):
    client.force_login(world.users["admin"])
    url = reverse("assessments:cycle_new")
    sent = {**form_on(client, url), "confirm": "on"}

    def state():
        return sorted(Cycle.objects.values_list("year", flat=True))

    post_hostile(client, url, sent, data, state)


@pytest.fixture
def publishable(world):
    return ready_to_publish(world)


@FUZZ
@given(data=st.data())
def test_the_publish_form(client, world, publishable, data):
    client.force_login(world.users["publisher"])
    page = reverse("report_card", args=["MS", 2023])
    url = reverse("report_card_publish", args=["MS", 2023])
    sent = {**form_on(client, page, url), "confirm": "on"}
    post_hostile(client, url, sent, data, PublishJob.objects.count)


@pytest.fixture
def submitted(world):
    determination = world.determination("MS", "1.2")
    return services.determination_submit(
        determination_id=determination.pk,
        user=world.users["analyst"],
        expected_version=determination.version,
    )


@FUZZ
@given(data=st.data(), button=st.sampled_from(["approve", "request_changes", "submit"]))
def test_the_review_buttons(client, world, submitted, data, button):
    """They answer with a message on the goal page: an error message means nothing changed.
    A refused request for changes is the goal page itself, the refusal next to the kept
    comment, and nothing changed either."""
    client.force_login(world.users["reviewer" if button != "submit" else "analyst"])
    page = reverse("assessments:determination", args=["MS", 2023, "1.2"])
    url = reverse(f"assessments:{button}", args=["MS", 2023, "1.2"])
    sent = {"version": str(submitted.version), "comment": "Cite the statute."}

    def state():
        goal = GoalDetermination.objects.get(pk=submitted.pk)
        return goal.version, goal.review_state, ReviewEvent.objects.count()

    before = state()
    response = client.post(url, {**sent, **hostile_changes(data, sent)})
    if button == "request_changes" and response.status_code in (400, 409):
        assert parsed(response).select_one("#review-refused") is not None
        assert state() == before
        return
    assert response.status_code == 302
    final = client.get(page)
    assert final.status_code == 200
    if parsed(final).select(".alert-danger"):
        assert state() == before


@FUZZ
@given(narrative=hostile_value, determination=hostile_value)
def test_the_narrative_preview(client, world, narrative, determination):
    client.force_login(world.users["analyst"])
    response = client.post(
        reverse("assessments:preview"), {"narrative": narrative, "determination": determination}
    )
    assert response.status_code in (200, 400)
    assert "<script>alert" not in response.content.decode()


@FUZZ
@given(username=hostile_value, password=hostile_value)
def test_the_login_form(client, world, username, password):
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code in (200, 403, 429)
    assert "_auth_user_id" not in client.session


@FUZZ
@given(
    path=st.sampled_from(
        [
            "/national/?cycle={}",
            "/assessments/review/?cycle={}&jurisdiction={}&page={}",
            "/statutes/MS/?q={}&page={}",
            "/dashboard/2023/?grade={}&tier={}&q={}&sort={}",
            "/assessments/MS/2023/history/?page={}",
            "/assessments/cycle/2023/?page={}",
            "/national/?cycle=2023&page={}",
        ]
    ),
    value=hostile_value.filter(lambda text: len(text) < 6000),
)
def test_the_query_strings(client, world, path, value):
    client.force_login(world.users["admin"])
    response = client.get(path.format(*[quote(value)] * path.count("{}")))
    assert response.status_code in (200, 400, 404)
