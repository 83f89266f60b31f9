"""core.conflicts: one exception and one way to keep the user's text on a conflict."""

from types import SimpleNamespace

import pytest
from django.http import QueryDict

from core.conflicts import EditConflict, check_version, rebased


def test_it_passes_the_version_the_edit_started_from():
    check_version(SimpleNamespace(version=3), 3, label="goal 2.9")


def test_it_refuses_an_older_version_saying_who_saved_which():
    current = SimpleNamespace(version=4)
    with pytest.raises(EditConflict) as conflict:
        check_version(current, 3, label="goal 2.9", editor="analyst")
    assert str(conflict.value) == (
        "analyst saved a newer version of goal 2.9 while you were editing (you started from "
        "version 3; it is now version 4). Nothing was saved."
    )
    assert conflict.value.current is current and conflict.value.current_version == 4


def test_it_keeps_what_was_typed_based_on_the_newer_version():
    conflict = EditConflict(current=SimpleNamespace(version=4), expected_version=3, label="x")
    data = rebased(QueryDict("narrative=Mine&version=3"), conflict)
    assert (data["narrative"], data["version"]) == ("Mine", "4")
