"""The table-cell filters: clipped goal texts and badges as the overview shows them."""

from assessments.templatetags.cells import clip, state_badge, status_badge


def test_clip_keeps_a_text_that_fits_and_cuts_a_longer_one_with_an_ellipsis():
    assert clip("Short goal.", 11) == "Short goal."
    clipped = clip("State law criminalizes sex trafficking of children", 20)
    assert clipped == "State law criminali…" and len(clipped) == 20


def test_clip_leaves_no_space_before_the_ellipsis():
    assert clip("ab cd ef", 4) == "ab…"


def test_badges_name_the_status_and_review_state_and_fall_back_to_not_met_and_draft():
    assert "● Fully met" in status_badge("fully_met")
    assert "○ Not met" in status_badge("<script>")
    assert 'text-bg-success">Approved' in state_badge("approved")
    assert ">Draft<" in state_badge("draft")
