"""An appropriation's amount may carry a footnote mark (Mississippi 2023: "$2,500,000 ¹⁷"):
its label is typed in the admin beside the amount, refused with a clear message when no
mark `[^label]` could name it, and kept in the appropriation's history."""

import pytest
from django.urls import reverse

from statutes.models import Appropriation, Bill
from tests.pages import parsed, send, text

pytestmark = pytest.mark.django_db

AMOUNT_FOOTNOTE = "appropriations-0-amount_footnote"


@pytest.fixture
def appropriation(world):
    bill = Bill.objects.create(
        jurisdiction=world.jurisdictions["MS"], number="HB 1641", session="2023 Legislative Session"
    )
    return Appropriation.objects.create(
        bill=bill,
        recipient="Office of the Attorney General",
        amount=2_500_000,
        purpose="To provide funds to the Victims of Human Trafficking Fund.",
        term="FY 2024",
    )


@pytest.fixture
def bill_page(client, world, appropriation):
    client.force_login(world.users["admin"])
    return reverse("admin:statutes_bill_change", args=[appropriation.bill_id])


def test_the_admin_marks_an_amount_with_a_footnote_kept_in_history(
    client, bill_page, appropriation
):
    response = send(client, bill_page, "#bill_form", **{AMOUNT_FOOTNOTE: "17"})
    assert response.status_code == 200 and not parsed(response).select(".errorlist")
    appropriation.refresh_from_db()
    assert appropriation.amount_footnote == "17"
    assert [row.amount_footnote for row in appropriation.history.all()] == ["17", ""]


LABEL_RULE = (
    "A footnote label is at most 8 characters, without spaces or square brackets: the 17 of "
    "the mark [^17]."
)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1 7", LABEL_RULE),
        ("[^17]", LABEL_RULE),
        ("123456789", "Ensure this value has at most 8 characters (it has 9)."),
    ],
)
def test_the_admin_refuses_what_no_footnote_mark_could_name(client, bill_page, typed, message):
    response = send(client, bill_page, "#bill_form", **{AMOUNT_FOOTNOTE: typed})
    assert message in [text(error) for error in parsed(response).select(".errorlist li")]
    assert Appropriation.objects.get().amount_footnote == ""
