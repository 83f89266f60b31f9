"""Hostile text in the statute library: a citation or caption (printed on the card as
inline narrative) is refused on save with the narrative parser's message, the form keeping
what was typed; the statute's text (plain text, never narrative) is saved and shown as the
literal characters, never as markup. The admin's way in (the model's clean) refuses the
same, and so do bills and appropriations."""

import pytest
from django.core.exceptions import ValidationError

from statutes.models import Appropriation, Bill, Statute
from tests.factories import StatuteFactory
from tests.pages import form_data, parsed, text

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.statutes.urls_for_tests")]

SCRIPT = "<script>alert(1)</script>"
JAVASCRIPT_LINK = "[x](javascript:alert(1))"
IMAGE = "![tracker](https://evil.example/x.png)"
HOSTILE = [
    (SCRIPT, "HTML (<script>"),
    (JAVASCRIPT_LINK, "a link to “javascript:alert(1)” (only http, https, mailto"),
    (IMAGE, "an image on line 1"),
]
REFUSED = "This text uses what the narrative format does not support: "


@pytest.fixture
def act(world):
    return StatuteFactory(
        jurisdiction=world.jurisdictions["MS"], caption="Human trafficking act", text="Text."
    )


SERVITUDE = {
    "citation": "Miss. Code Ann. § 97-3-55",
    "caption": "Sexual servitude",
    "text": "A person shall not ...",
}


def new_statute(**changes):
    """The new-statute form filled in (its dates and note left empty), then `changes`."""
    return {**SERVITUDE, **changes}


def typed_in(soup, name) -> str:
    """What the statute form's field holds as the page came back."""
    form = soup.select_one("input[name=citation]").find_parent("form")
    return form_data(form)[name]


def field_error(soup, name) -> str:
    return text(soup.select_one(f"#id_{name}_error"))


@pytest.mark.parametrize("field", ["caption", "citation"])
@pytest.mark.parametrize(("typed", "named"), HOSTILE)
def test_adding_a_statute_refuses_a_hostile_line_and_keeps_the_text(analyst, field, typed, named):
    response = analyst.post("/statutes/MS/new/", new_statute(**{field: f"Act {typed}"}))
    assert response.status_code == 200
    soup = parsed(response)
    error = field_error(soup, field)
    assert error.startswith(REFUSED) and named in error
    assert typed_in(soup, field) == f"Act {typed}"
    assert not Statute.objects.filter(caption__contains=typed).exists()
    assert not Statute.objects.filter(citation__contains=typed).exists()


@pytest.mark.parametrize(("typed", "named"), HOSTILE)
def test_editing_a_statute_refuses_a_hostile_caption_and_changes_nothing(
    analyst, act, typed, named
):
    data = {
        **new_statute(citation=act.citation, caption=typed, text=act.text),
        "change_reason": "Checked",
        "version": act.version,
    }
    response = analyst.post(f"/statutes/MS/{act.pk}/edit/", data)
    assert response.status_code == 200
    soup = parsed(response)
    assert named in field_error(soup, "caption")
    assert typed_in(soup, "caption") == typed
    act.refresh_from_db()
    assert (act.caption, act.version) == ("Human trafficking act", 1)


def test_a_statute_text_is_plain_text_shown_as_typed(analyst):
    typed = f"{SCRIPT}\n\n{JAVASCRIPT_LINK} {IMAGE} <img src=x onerror=alert(1)>"
    response = analyst.post("/statutes/MS/new/", new_statute(text=typed), follow=True)
    soup = parsed(response)
    body = soup.select_one(".statute-text")
    assert body.select("script, img, a") == []
    assert [text(p) for p in body.select("p")] == [
        SCRIPT,
        f"{JAVASCRIPT_LINK} {IMAGE} <img src=x onerror=alert(1)>",
    ]


@pytest.mark.parametrize(("typed", "named"), HOSTILE)
def test_the_admin_way_in_refuses_the_same(world, typed, named):
    statute = Statute(jurisdiction=world.jurisdictions["MS"], citation="§ 1", caption=typed)
    with pytest.raises(ValidationError) as refused:
        statute.full_clean(validate_unique=False, validate_constraints=False)
    assert named in refused.value.message_dict["caption"][0]


def test_bills_and_appropriations_refuse_hostile_words(world):
    bill = Bill(jurisdiction=world.jurisdictions["MS"], number="HB 1", session=SCRIPT)
    with pytest.raises(ValidationError) as refused:
        bill.full_clean(validate_unique=False, validate_constraints=False)
    assert list(refused.value.message_dict) == ["session"]
    bill.session = "2023 Legislative Session"
    bill.save()
    appropriation = Appropriation(
        bill=bill, recipient="Shelters", amount=1, purpose=JAVASCRIPT_LINK, term="FY 2024"
    )
    with pytest.raises(ValidationError) as refused:
        appropriation.full_clean()
    assert "javascript:alert(1)" in refused.value.message_dict["purpose"][0]
