"""A published version's stored card (reportcards/card_document.py) loads again as the
`ReportCard` its PDF printed, also when it was stored before a field was added."""

from dataclasses import replace
from decimal import Decimal

import pytest

from reportcards.card_document import from_document, to_document
from reportcards.pdf.data import AppropriationRow, report_card_data

pytestmark = pytest.mark.django_db

HB_1641 = AppropriationRow(
    bill="HB 1641",
    session="2023 Legislative Session",
    recipient="Office of the Attorney General",
    amount=Decimal("2500000.00"),
    purpose="To provide funds to the Victims of Human Trafficking Fund.[^18]",
    term="FY 2024",
    term_note="July 1st-June 30th",
    amount_footnote="17",
)


@pytest.fixture
def card(mississippi):
    return replace(report_card_data(mississippi), appropriations=(HB_1641,))


def test_a_card_loads_back_as_it_was_stored(card):
    assert from_document(to_document(card)) == card


def test_a_card_stored_before_amount_footnotes_loads_without_them(card):
    document = to_document(card)
    for row in document["appropriations"]:
        del row["amount_footnote"]  # what versions published before the field stored
    loaded = from_document(document)
    assert loaded.appropriations == (replace(HB_1641, amount_footnote=""),)
    assert replace(loaded, appropriations=card.appropriations) == card
