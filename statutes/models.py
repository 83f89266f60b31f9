"""Jurisdictions and the law they are graded on: statutes, bills and appropriations."""

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from core import fulltext, narrative
from core.conflicts import Versioned
from core.limits import FOOTNOTE_LABEL_MAX_CHARS, footnote_label_problem, law_date_problem


def validate_law_date(value) -> None:
    if problem := law_date_problem(value):
        raise ValidationError(f"{problem[0].upper()}{problem[1:]}.", code="law_date")


def validate_footnote_label(value) -> None:
    if problem := footnote_label_problem(value):
        raise ValidationError(f"{problem[0].upper()}{problem[1:]}.", code="footnote_label")


def refuse_outside_narrative_format(obj, names) -> None:
    """Fields the report card prints as inline narrative (a citation, a caption, a bill or
    an appropriation's words): refused with the parser's message when they use what the
    format does not support, for every way in that validates the model (the admin, the
    library's form, the services)."""
    errors = {
        name: error
        for name in names
        if (error := narrative.format_error(getattr(obj, name), "This text"))
    }
    if errors:
        raise ValidationError(errors)


class Jurisdiction(models.Model):
    class Kind(models.TextChoices):
        STATE = "state", "State"
        DISTRICT = "district", "District"

    code = models.CharField(max_length=2, unique=True, help_text="Postal code, e.g. MS.")
    name = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.STATE)
    citation_prefix = models.CharField(
        max_length=64, help_text="How the state's code is cited, e.g. “Miss. Code Ann.”."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z]{2}$"), name="jurisdiction_code_two_capitals"
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        self.code = (self.code or "").upper()


class Statute(Versioned):
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="statutes"
    )
    citation = models.CharField(max_length=200, help_text="e.g. Miss. Code Ann. § 97-3-54.1")
    caption = models.CharField(max_length=1000, blank=True)
    text = models.TextField(blank=True, help_text="The statute's text as quoted in reports.")
    search_vector = fulltext.stored_vector_field("citation", "caption", "text")
    # A cycle grades the law enacted by its cutoff: the enacted date is compared with it
    # (assessments/citation_checks.py); the effective date picks the version in force.
    enacted_date = models.DateField(
        null=True,
        blank=True,
        validators=[validate_law_date],
        help_text="When this wording became law (signed or passed); compared with a "
        "cycle's legislative cutoff.",
    )
    effective_date = models.DateField(
        null=True,
        blank=True,
        validators=[validate_law_date],
        help_text="When this wording took effect.",
    )
    amendment_note = models.TextField(blank=True)

    class Meta:
        ordering = ["jurisdiction__name", "citation"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "citation"], name="statute_unique_citation_per_jurisdiction"
            )
        ]

    def __str__(self):
        return self.citation

    def clean(self):
        self.citation = " ".join((self.citation or "").split())
        if not self.citation:
            raise ValidationError({"citation": "A statute needs its citation."})
        refuse_outside_narrative_format(self, ("citation", "caption"))


class Bill(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ENACTED = "enacted", "Enacted"
        FAILED = "failed", "Failed or vetoed"

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="bills")
    number = models.CharField(max_length=32, help_text="e.g. HB 1641")
    session = models.CharField(max_length=64, help_text="e.g. 2023 Legislative Session")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    enacted_date = models.DateField(
        null=True, blank=True, validators=[validate_law_date], help_text="When it became law."
    )
    effective_date = models.DateField(
        null=True, blank=True, validators=[validate_law_date], help_text="When it takes effect."
    )
    # Raised by every edit in the library, as a statute's (core.conflicts).
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["jurisdiction__name", "session", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "session", "number"], name="bill_unique_per_session"
            )
        ]

    def __str__(self):
        return f"{self.number} ({self.session})"

    def clean(self):
        self.number = " ".join((self.number or "").split())
        refuse_outside_narrative_format(self, ("number", "session"))
        if self.enacted_date and self.status != self.Status.ENACTED:
            raise ValidationError(
                {"enacted_date": "Only an enacted bill has an enacted date; set its status."}
            )


class Appropriation(models.Model):
    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="appropriations")
    recipient = models.CharField(max_length=200)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    # The published card marks an amount with a footnote of its own (Mississippi 2023:
    # "$2,500,000 ¹⁷", where note 17 names further transfers to the same fund).
    amount_footnote = models.CharField(
        max_length=FOOTNOTE_LABEL_MAX_CHARS,
        blank=True,
        validators=[validate_footnote_label],
        help_text="The footnote printed after the amount, e.g. 17; its text is a footnote "
        "of the appropriations goal.",
    )
    purpose = models.TextField()
    term = models.CharField(max_length=32, help_text="Fiscal year, e.g. FY 2024")
    term_note = models.CharField(max_length=64, blank=True, help_text="e.g. July 1st-June 30th")
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["bill__jurisdiction__name", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="appropriation_positive")
        ]

    def __str__(self):
        return f"{self.bill.number}: {self.recipient}"

    def clean(self):
        refuse_outside_narrative_format(self, ("recipient", "purpose", "term", "term_note"))
