"""What the fuzz suites share (tests/assessments/test_fuzzing.py, the editor, import and
Markdown paths; tests/reportcards/test_form_fuzzing.py, every other form): one setting and
one catalogue of hostile input."""

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Derandomized: CI explores the same examples every run, so a red build always means a
# change broke something; run with --hypothesis-seed=random locally to explore further.
FUZZ = settings(
    derandomize=True,
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Markup and scripts that must come out as the text they are, on a page and in the PDF.
HOSTILE_MARKUP = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "**unbalanced *markup <b>& </i>",
    "[[quote 99]] [^x] [[table 0]]",
    "مرحبا עברית 👩‍⚖️ §§ “quotes” – —",
    "<para><font name=x>",
    "> > > nested\n- - - list\n\n",
)
# What fits no column: NUL, other control characters, digits beyond any integer column,
# digits str.isdigit() accepts and int() refuses.
UNFIT = ("\x00", "a\x00b", "\x1b[0m", "9" * 5000, "9" * 20, "-1", "²", "٣")


def hostile(*samples: str, max_size: int):
    """Arbitrary text up to `max_size` characters, or one of `samples`."""
    return st.one_of(st.text(max_size=max_size), st.sampled_from(samples))
