"""Every change of a statute raises its version, wherever it is made, so an editor who has
an older version open in the library gets the conflict page instead of overwriting it."""

import pytest
from django.urls import reverse

from assessments.importing import assessment_export, assessment_import
from tests.factories import StatuteFactory

pytestmark = pytest.mark.django_db


def test_it_raises_the_version_when_an_admin_edits_a_statute(client, world):
    statute = StatuteFactory(jurisdiction=world.jurisdictions["MS"])
    client.force_login(world.users["admin"])
    form = {
        "jurisdiction": statute.jurisdiction_id,
        "citation": statute.citation,
        "caption": "A new caption",
        "text": statute.text,
        "amendment_note": "",
    }
    response = client.post(reverse("admin:statutes_statute_change", args=[statute.pk]), form)
    assert response.status_code == 302
    statute.refresh_from_db()
    assert (statute.caption, statute.version) == ("A new caption", 2)


def test_it_raises_the_version_when_an_import_changes_a_statute(world):
    statute = StatuteFactory(jurisdiction=world.jurisdictions["MS"])
    document = assessment_export(assessment=world.assessments["MS"])
    for row in document["statutes"]:
        row["caption"] = "Caption from the import"
    assessment_import(data=document, username="admin")
    statute.refresh_from_db()
    assert (statute.caption, statute.version) == ("Caption from the import", 2)
