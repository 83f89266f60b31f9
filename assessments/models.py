"""Framework, cycles, assessments and goal determinations (DESIGN.md §3).

Models hold per-row invariants only; every write that matters goes through services.py.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core import fulltext
from core.conflicts import Versioned
from core.limits import FOOTNOTE_LABEL_MAX_CHARS
from statutes.models import Bill, Jurisdiction, Statute, validate_footnote_label

from . import scoring
from .framework_document import cutoff_problem, grading_scale_problems, texts_problems

POINTS = {"max_digits": 5, "decimal_places": 2}


class Framework(models.Model):
    """One version of a framework, as loaded from its file (assessments/frameworks.py).

    The grading scale, tier sizes and cutoff rule have no defaults: they come from the
    framework's file, never from code.
    """

    name = models.CharField(max_length=120)
    version = models.PositiveSmallIntegerField(default=1)
    year = models.PositiveSmallIntegerField(help_text="Year the framework was first used.")
    extra_credit_cap = models.DecimalField(**POINTS, default=Decimal("10"))
    extra_credit_opportunities_derived = models.BooleanField(
        default=False,
        help_text="Opportunity maxima were chosen to fit a source that printed only totals.",
    )
    grading_scale = models.JSONField(
        help_text='Best grade first: [{"grade": "A", "minimum_percent": "90"}, …, '
        '{"grade": "F", "minimum_percent": "0"}].'
    )
    tier_top = models.PositiveSmallIntegerField(help_text="Places in Tier I (the top).")
    tier_bottom = models.PositiveSmallIntegerField(help_text="Places in Tier III (the bottom).")
    cutoff_month = models.PositiveSmallIntegerField(
        help_text="Law enacted by this month and day of the cycle year is graded."
    )
    cutoff_day = models.PositiveSmallIntegerField()
    cutoff_rule = models.CharField(max_length=200, help_text="The rule in words.")
    texts = models.JSONField(
        default=dict,
        blank=True,
        help_text="Methodology notes, resources and calls to action of the framework.",
    )
    illustrative = models.BooleanField(
        default=False, help_text="An example framework whose texts are placeholders."
    )
    note = models.TextField(blank=True, help_text="Where the file's content comes from.")
    content_sha256 = models.CharField(
        max_length=64,
        blank=True,
        help_text="Of the loaded file's content: loading the same content again is a no-op.",
    )

    class Meta:
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="framework_unique_version")
        ]

    def __str__(self):
        return f"{self.name} v{self.version}"

    def clean(self):
        """The admin may edit the rules; they must still grade (the file's checks)."""
        errors = {}
        if problems := grading_scale_problems(self.grading_scale):
            errors["grading_scale"] = problems
        if problem := cutoff_problem(self.cutoff_month, self.cutoff_day):
            errors["cutoff_day"] = problem
        if problems := texts_problems(self.texts):
            errors["texts"] = problems
        if errors:
            raise ValidationError(errors)

    def rules(self) -> scoring.Rules:
        return scoring.Rules(
            scale=scoring.GradingScale.from_rows(self.grading_scale),
            tiers=scoring.TierSizes(top=self.tier_top, bottom=self.tier_bottom),
        )

    def cutoff_in(self, year: int) -> datetime.date:
        """The legislative cutoff of a cycle of `year` under this framework's rule."""
        return datetime.date(year, self.cutoff_month, self.cutoff_day)


class IssueArea(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="issue_areas")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    short_title = models.CharField(max_length=60)

    class Meta:
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="issue_area_unique_number")
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class PolicyGoal(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="goals")
    issue_area = models.ForeignKey(IssueArea, on_delete=models.CASCADE, related_name="goals")
    number = models.CharField(max_length=8, help_text="e.g. 2.10")
    text = models.TextField()
    max_points = models.DecimalField(**POINTS, default=Decimal("2.5"))
    safe_harbor = models.BooleanField(default=False)
    issue_brief_url = models.URLField(blank=True, max_length=500)
    ordering = models.PositiveIntegerField(help_text="Sort key: 2.10 comes after 2.9.")

    class Meta:
        ordering = ["framework", "ordering"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="goal_unique_number"),
            models.CheckConstraint(condition=models.Q(max_points__gt=0), name="goal_max_positive"),
        ]

    def __str__(self):
        return f"Policy Goal {self.number}"

    @staticmethod
    def ordering_key(number: str) -> int:
        issue, goal = number.split(".")
        return int(issue) * 1000 + int(goal)

    def clean(self):
        if self.issue_area_id and self.number.split(".")[0] != str(self.issue_area.number):
            raise ValidationError(
                {"number": f"Goal {self.number} does not belong to issue {self.issue_area.number}."}
            )
        if self.pk and self.max_points is not None:
            self._check_partial_credit_fits()

    def _check_partial_credit_fits(self):
        """A lower maximum must stay above every partial credit already given for the goal:
        partial credit at or above the maximum breaks the scoring rules, and every
        recompute of those cycles would fail until someone edited each determination."""
        partial = scoring.Status.PARTIALLY_MET
        too_high = (
            self.determinations.filter(
                models.Q(status=partial, points__gte=self.max_points)
                | models.Q(approved__status=partial, approved__points__gte=self.max_points)
            )
            .select_related("assessment__jurisdiction", "assessment__cycle")
            .order_by("assessment__cycle__year", "assessment__jurisdiction__code")
        )
        if found := list(too_high[:6]):
            listed = ", ".join(
                f"{d.assessment.jurisdiction.code} {d.assessment.cycle.year} "
                f"({scoring.fmt(d.points)})"
                for d in found[:5]
            )
            more = " and more" if len(found) > 5 else ""
            raise ValidationError(
                {
                    "max_points": f"Partial credit of {listed}{more} is not below "
                    f"{scoring.fmt(self.max_points)} points. Lower those determinations "
                    "first, or keep a higher maximum."
                }
            )


class ExtraCreditCategory(models.Model):
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="extra_credit_categories"
    )
    code = models.SlugField(max_length=32, help_text="clt or youth_18_plus")
    name = models.CharField(max_length=80)
    label = models.CharField(max_length=80, help_text="As printed, e.g. “18+ Youth”.")
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "position"]
        verbose_name_plural = "extra credit categories"
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="category_unique_code")
        ]

    def __str__(self):
        return self.label


class ExtraCreditOpportunity(models.Model):
    goal = models.ForeignKey(
        PolicyGoal, on_delete=models.CASCADE, related_name="extra_credit_opportunities"
    )
    category = models.ForeignKey(ExtraCreditCategory, on_delete=models.CASCADE)
    max_points = models.DecimalField(**POINTS)

    class Meta:
        verbose_name_plural = "extra credit opportunities"
        constraints = [
            models.UniqueConstraint(fields=["goal", "category"], name="opportunity_unique"),
            models.CheckConstraint(
                condition=models.Q(max_points__gt=0), name="opportunity_max_positive"
            ),
        ]

    def __str__(self):
        return f"{self.goal.number} {self.category.code} (max {self.max_points})"


class Cycle(models.Model):
    class State(models.TextChoices):
        OPEN = "open", "Open"
        PUBLISHED = "published", "Published"

    year = models.PositiveSmallIntegerField(unique=True)
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="cycles")
    legislative_cutoff = models.DateField(help_text="Laws enacted as of this date are graded.")
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next"
    )
    state = models.CharField(max_length=12, choices=State.choices, default=State.OPEN)
    crosswalk = models.JSONField(
        null=True,
        blank=True,
        help_text="The crosswalk file (docs/crosswalk-format.md) the cycle was opened "
        "through from the previous cycle's framework; empty when both share one framework.",
    )

    class Meta:
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)

    def clean(self):
        if self.previous_id and self.previous.year >= self.year:
            raise ValidationError({"previous": "The previous cycle must be an earlier year."})
        if self.previous_id and self.legislative_cutoff:
            problem = self.cutoff_problem(self.previous, self.legislative_cutoff)
            if problem:
                raise ValidationError({"legislative_cutoff": problem})
        following = Cycle.objects.filter(previous_id=self.pk).first() if self.pk else None
        if (
            following
            and self.legislative_cutoff
            and following.legislative_cutoff <= self.legislative_cutoff
        ):
            cutoff = following.legislative_cutoff
            raise ValidationError(
                {
                    "legislative_cutoff": f"The legislative cutoff must be before the "
                    f"{following.year} cycle's ({cutoff:%B} {cutoff.day}, {cutoff.year})."
                }
            )

    @staticmethod
    def cutoff_problem(previous: "Cycle", cutoff) -> str | None:
        """Each edition grades the law enacted by a later date than the one before it."""
        if cutoff <= previous.legislative_cutoff:
            return (
                f"The legislative cutoff must be after the {previous.year} cycle's "
                f"({previous.legislative_cutoff:%B} {previous.legislative_cutoff.day}, "
                f"{previous.legislative_cutoff.year})."
            )
        return None


class ReviewState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"


def review_state_field():
    """Where the current version is in review (goals and state texts alike)."""
    return models.CharField(max_length=12, choices=ReviewState.choices, default=ReviewState.DRAFT)


def approval_that_counts(approval_model: str):
    """The approval that counts: the last approved version, frozen. A newer draft keeps it
    until its own approval replaces it, so a correction in progress never moves a score or
    what the report card prints."""
    return models.ForeignKey(
        approval_model, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


def last_editor_field():
    """Who saved the current version (the four-eyes rule keeps them from approving it)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class Assessment(Versioned):
    """One jurisdiction in one cycle, with the state texts printed on its report card."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="assessments"
    )
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="assessments")
    synthetic = models.BooleanField(
        default=False, help_text="Generated demo data, not an assessment of real law."
    )
    highlights = models.JSONField(default=list, blank=True)
    issue_summaries = models.JSONField(default=dict, blank=True)
    extra_credit_summaries = models.JSONField(default=dict, blank=True)
    safe_harbor_status = models.TextField(blank=True)
    safe_harbor_summary = models.TextField(blank=True)
    historical_background = models.TextField(blank=True)
    analysis_footnote = models.TextField(blank=True)
    # The state texts are one reviewable unit, versioned by `version` (assessments/texts.py).
    texts_state = review_state_field()
    texts_approved = approval_that_counts("AssessmentTextsApproval")
    texts_edited_by = last_editor_field()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cycle", "jurisdiction__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "cycle"], name="assessment_unique_per_cycle"
            )
        ]

    def __str__(self):
        return f"{self.jurisdiction} {self.cycle}"

    def clean(self):
        if not isinstance(self.highlights, list) or not all(
            isinstance(item, str) for item in self.highlights
        ):
            raise ValidationError({"highlights": "Highlights must be a list of sentences."})


class ApprovalBase(models.Model):
    """A version as a reviewer approved it, frozen: only ever created, never changed."""

    version = models.PositiveIntegerField(help_text="The version approved.")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self):
        return f"v{self.version} approved by {self.approved_by_id}"


class AssessmentTextsApproval(ApprovalBase):
    """One version of an assessment's state texts as a reviewer approved them, frozen: what
    the report card prints until the next approval replaces it. Only ever created."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="texts_approvals"
    )
    document = models.JSONField(
        help_text="The texts as approved (the assessment document's `texts`, plus "
        "`analysis_footnote`)."
    )

    class Meta:
        ordering = ["assessment_id", "approved_at", "id"]

    def __str__(self):
        return f"texts of {self.assessment_id} {super().__str__()}"


class ProtectedInnocenceScore(models.Model):
    """A jurisdiction's historical Protected Innocence Challenge result (2011–2019)."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.CASCADE, related_name="pic_scores"
    )
    year = models.PositiveSmallIntegerField()
    score = models.DecimalField(**POINTS)
    grade = models.CharField(max_length=1)
    area_scores = models.JSONField(help_text="Six [score, max] pairs in area order.")

    class Meta:
        ordering = ["jurisdiction", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "year"], name="pic_unique_year")
        ]

    def __str__(self):
        return f"{self.jurisdiction.code} PIC {self.year}: {self.score}"


class GoalDetermination(Versioned):
    """An assessment's finding on one policy goal: status, points and the reasons for them."""

    class Status(models.TextChoices):
        FULLY_MET = scoring.Status.FULLY_MET.value, "Fully met"
        PARTIALLY_MET = scoring.Status.PARTIALLY_MET.value, "Partially met"
        NOT_MET = scoring.Status.NOT_MET.value, "Not met"

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="determinations"
    )
    goal = models.ForeignKey(PolicyGoal, on_delete=models.PROTECT, related_name="determinations")
    status = models.CharField(max_length=16, choices=Status.choices, default=scoring.Status.NOT_MET)
    points = models.DecimalField(**POINTS, default=Decimal("0"))
    points_derived = models.BooleanField(
        default=False,
        help_text="Partial points chosen to add up to a published total, not read from it.",
    )
    narrative = models.TextField(blank=True, help_text="Markdown.")
    search_vector = fulltext.stored_vector_field("narrative")
    marked_title = models.TextField(
        blank=True,
        help_text="The goal's title with footnote marks ([^4]) where the report card prints "
        "them; blank prints the framework's title as it is.",
    )
    needs_fresh_look = models.BooleanField(
        default=False,
        help_text="Opened through a crosswalk from merged, split or new goals: nothing was "
        "copied, the analyst assesses it afresh. Cleared when the analyst saves the goal.",
    )
    crosswalk_sources = models.JSONField(
        default=list,
        blank=True,
        help_text="For reference: the old goals that feed this goal through the crosswalk, "
        "as last approved ([{goal, text, status, points, max_points, narrative}]).",
    )
    review_state = review_state_field()
    approved = approval_that_counts("DeterminationApproval")
    last_edited_by = last_editor_field()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # By the assessment's id, not the assessment: its own ordering would join the cycle
        # and jurisdiction into every query for one assessment's goals. Lists across
        # assessments say their order (the review queue, comparisons).
        ordering = ["assessment_id", "goal__ordering"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "goal"], name="determination_unique_per_goal"
            ),
            models.CheckConstraint(
                condition=models.Q(points__gte=0), name="determination_points_not_negative"
            ),
        ]
        indexes = [
            # The review queue, oldest submission first: read in index order, a page stops
            # after its 25 rows instead of joining and sorting every submitted goal.
            models.Index(
                fields=["updated_at", "id"],
                condition=models.Q(review_state="submitted"),
                name="determination_review_queue",
            ),
        ]

    def __str__(self):
        return f"{self.assessment} — {self.goal}"

    def clean(self):
        problem = scoring.goal_points_problem(self.status, self.points, self.goal.max_points)
        if problem:
            raise ValidationError({"points": problem})

    @property
    def approved_version(self) -> int | None:
        """The version whose approval counts, or None when no version was ever approved."""
        return self.approved.version if self.approved_id else None

    @property
    def pending_version(self) -> int | None:
        """The newer version waiting while an approved one counts (draft or submitted)."""
        if self.approved_id and self.review_state != ReviewState.APPROVED:
            return self.version
        return None


class DeterminationApproval(ApprovalBase):
    """One version of a determination as a reviewer approved it, frozen: what counts for
    the scores and what a report card prints until the next approval replaces it.

    Only ever created (assessments/approvals.py), never changed. `document` is the goal as
    an assessment-document `Determination` (mode="json"), each citation also carrying the
    cited statute as it read when approved (`statute`: id, version, caption, text). A
    determination version may be approved again with a newer statute wording, so one
    version can have several approvals; the determination points at the one that counts.
    """

    determination = models.ForeignKey(
        GoalDetermination, on_delete=models.CASCADE, related_name="approvals"
    )
    status = models.CharField(max_length=16, choices=GoalDetermination.Status.choices)
    points = models.DecimalField(**POINTS)
    extra_credit = models.JSONField(
        default=dict, blank=True, help_text='{category code: "points"} as approved.'
    )
    document = models.JSONField(help_text="The goal as approved (assessment document format).")
    statutes = models.ManyToManyField(Statute, through="ApprovedStatute", related_name="+")

    class Meta:
        ordering = ["determination_id", "approved_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(points__gte=0), name="approval_points_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.determination_id} {super().__str__()}"


class ApprovedStatute(models.Model):
    """A statute an approval cites, at the version it was approved with: "statute changed
    since approval" is a query on these rows, not a scan of documents."""

    approval = models.ForeignKey(
        DeterminationApproval, on_delete=models.CASCADE, related_name="statute_versions"
    )
    statute = models.ForeignKey(Statute, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["approval", "statute"], name="approved_statute_once_per_approval"
            )
        ]

    def __str__(self):
        return f"statute {self.statute_id} v{self.version}"


class DeterminationPart(models.Model):
    """Something printed with a goal determination, in the order of `position`; every change
    is kept in its own history. Each part names its reverse relation (`determination.
    citations`, `.tables`, ...) with Meta.default_related_name."""

    determination = models.ForeignKey(GoalDetermination, on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords(inherit=True, excluded_fields=["search_vector"])

    class Meta:
        abstract = True
        # By the determination's id, not the determination: "determination" would expand
        # to its own ordering and join four tables into every query for one goal's parts.
        ordering = ["determination_id", "position", "id"]


class Citation(DeterminationPart):
    statute = models.ForeignKey(Statute, on_delete=models.PROTECT, related_name="citations")
    pinpoint = models.CharField(max_length=120, blank=True, help_text="e.g. (1)(c)")
    quote = models.TextField(blank=True, help_text="The quoted excerpt, Markdown.")
    search_vector = fulltext.stored_vector_field("pinpoint", "quote")

    class Meta(DeterminationPart.Meta):
        default_related_name = "citations"

    def __str__(self):
        return f"{self.statute.citation}{self.pinpoint}"

    def clean(self):
        if (
            self.statute_id
            and self.determination_id
            and self.statute.jurisdiction_id != self.determination.assessment.jurisdiction_id
        ):
            raise ValidationError({"statute": "Cite a statute of the assessed jurisdiction."})


class Footnote(DeterminationPart):
    label = models.CharField(
        max_length=FOOTNOTE_LABEL_MAX_CHARS,
        validators=[validate_footnote_label],
        help_text="The printed footnote number.",
    )
    text = models.TextField()

    class Meta(DeterminationPart.Meta):
        default_related_name = "footnotes"

    def __str__(self):
        return f"[^{self.label}]"


class DeterminationTable(DeterminationPart):
    class Kind(models.TextChoices):
        JUVENILE_JURISDICTION = "juvenile_jurisdiction", "Juvenile jurisdiction"
        PROTECTIONS = "protections", "Protections"
        PRIVILEGES = "privileges", "Privileges"
        OTHER = "other", "Other"

    kind = models.CharField(max_length=24, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(max_length=200, blank=True)
    columns = models.JSONField(default=list)
    rows = models.JSONField(default=list)

    class Meta(DeterminationPart.Meta):
        default_related_name = "tables"

    def __str__(self):
        return self.title or self.get_kind_display()

    def clean(self):
        width = len(self.columns)
        if any(len(row) != width for row in self.rows):
            raise ValidationError({"rows": f"Every row needs exactly {width} cells."})


class Recommendation(DeterminationPart):
    text = models.TextField()
    search_vector = fulltext.stored_vector_field("text")

    class Meta(DeterminationPart.Meta):
        default_related_name = "recommendations"

    def __str__(self):
        return self.text[:60]


class Insight(DeterminationPart):
    """An “Insight from the Field”: printed with the goal, never scored."""

    quote = models.TextField()
    attribution = models.CharField(max_length=200)

    class Meta(DeterminationPart.Meta):
        default_related_name = "insights"

    def __str__(self):
        return f"{self.attribution}: {self.quote[:40]}"


class ExtraCreditAward(models.Model):
    determination = models.ForeignKey(
        GoalDetermination, on_delete=models.CASCADE, related_name="extra_credit_awards"
    )
    category = models.ForeignKey(ExtraCreditCategory, on_delete=models.PROTECT)
    points = models.DecimalField(**POINTS)
    points_derived = models.BooleanField(default=False)
    explanation = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["determination_id", "category__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["determination", "category"], name="award_unique_per_category"
            ),
            models.CheckConstraint(condition=models.Q(points__gt=0), name="award_points_positive"),
        ]

    def __str__(self):
        return f"{self.category.code} {self.points}"

    def clean(self):
        if not (self.determination_id and self.category_id):
            return
        opportunity = ExtraCreditOpportunity.objects.filter(
            goal_id=self.determination.goal_id, category_id=self.category_id
        ).first()
        if opportunity is None:
            raise ValidationError(
                {
                    "category": f"Goal {self.determination.goal.number} offers no {self.category} "
                    "extra credit."
                }
            )
        problem = scoring.award_problem(self.points, opportunity.max_points)
        if problem:
            raise ValidationError({"points": problem})


# A determination's parts: copied with it into a new cycle, replaced as a whole by an import.
DETERMINATION_PARTS = (
    Citation,
    Footnote,
    DeterminationTable,
    Recommendation,
    Insight,
    ExtraCreditAward,
)


class AppendixEntry(models.Model):
    class Group(models.TextChoices):
        TRAFFICKING = "trafficking", "State Laws Addressing Child Sex Trafficking"
        CSEC = "csec", "State Laws Addressing Commercial Sexual Exploitation of Children (CSEC)"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="appendix")
    group = models.CharField(max_length=16, choices=Group.choices)
    statute = models.ForeignKey(Statute, on_delete=models.PROTECT, related_name="+")
    pinpoint = models.CharField(max_length=120, blank=True)
    text = models.TextField(blank=True)
    footnotes = models.JSONField(default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "group", "position"]
        verbose_name_plural = "appendix entries"

    def __str__(self):
        return f"{self.statute.citation}{self.pinpoint}"


class ReviewEventBase(models.Model):
    """One step of review, by whom and on which version: submit, approve, request changes
    (with the reviewer's comment), reopen, or withdraw (the submitting analyst takes the
    submission back before review)."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "Submitted"
        APPROVE = "approve", "Approved"
        REQUEST_CHANGES = "request_changes", "Requested changes"
        REOPEN = "reopen", "Reopened"
        WITHDRAW = "withdraw", "Withdrew"

    version = models.PositiveIntegerField(help_text="The version acted on.")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.get_action_display()} v{self.version} by {self.actor}"


class ReviewEvent(ReviewEventBase):
    """A step of a goal determination's review."""

    determination = models.ForeignKey(
        GoalDetermination, on_delete=models.CASCADE, related_name="review_events"
    )

    class Meta:
        ordering = ["determination_id", "created_at", "id"]


class TextsReviewEvent(ReviewEventBase):
    """Submit, approve, request changes or reopen of an assessment's state texts."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="texts_events"
    )

    class Meta:
        ordering = ["assessment_id", "created_at", "id"]


class CycleScoreState(models.Model):
    """Whether a cycle's stored scores are current; the recompute clears `stale`.

    `generation` grows on every change that affects scores, so a recompute that read
    generation 7 does not clear a stale mark set by a change made while it ran.
    `queued_at` says a recompute is queued and not started yet: changes meanwhile are
    counted by that run and queue nothing more, so a burst of approvals costs one or two
    recomputes instead of one each (assessments/recompute.py).
    """

    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="score_state")
    stale = models.BooleanField(default=True)
    stale_since = models.DateTimeField(null=True, blank=True)
    generation = models.PositiveBigIntegerField(default=0)
    computed_generation = models.PositiveBigIntegerField(default=0)
    computed_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    running_since = models.DateTimeField(null=True, blank=True)
    runs = models.PositiveIntegerField(
        default=0, help_text="Recomputes run for this cycle, for operators counting the cost."
    )
    fully_met_counts = models.JSONField(default=dict, blank=True)
    jurisdiction_count = models.PositiveSmallIntegerField(default=0)

    def __str__(self):
        return f"{self.cycle} scores ({'stale' if self.stale else 'current'})"


class ScoreSnapshot(models.Model):
    """A jurisdiction's computed scores in a cycle, as of the last recompute."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="snapshots")
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="+")
    issues = models.JSONField(help_text="[{number, score, max, grade}] with Decimal strings.")
    extra_credit = models.JSONField(help_text="{category code: points, total: capped total}")
    base = models.DecimalField(**POINTS)
    total = models.DecimalField(**POINTS)
    grade = models.CharField(max_length=1)
    rank = models.PositiveSmallIntegerField()
    tied = models.BooleanField()
    tier = models.PositiveSmallIntegerField()
    change = models.DecimalField(**POINTS, null=True, blank=True)
    approved_goals = models.PositiveSmallIntegerField(default=0)
    source_versions = models.JSONField(
        default=dict, help_text="{goal number: determination version} counted in this score."
    )
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["cycle", "rank", "jurisdiction__name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "jurisdiction"], name="snapshot_unique"),
            models.CheckConstraint(condition=models.Q(tier__in=[1, 2, 3]), name="snapshot_tier"),
        ]

    def __str__(self):
        return f"{self.jurisdiction.code} {self.cycle}: {self.total} ({self.grade})"


class Scenario(models.Model):
    """A what-if scenario saved under a name (often a pending bill): goal settings and
    recommendations enacted, to be opened again by URL. Never touches any score."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="scenarios")
    name = models.CharField(max_length=200)
    # Before the `settings` field, whose name hides django.conf.settings in this class body.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    settings = models.JSONField(
        help_text='{"goals": {number: {"status": ..., "points": "1.25" or null}}, '
        '"enact": ["2.9.1", ...]}'
    )
    bill_number = models.CharField(max_length=50, blank=True)
    bill_text = models.TextField(blank=True)
    # The pending bill the scenario plays out, when the statute library knows it: the page
    # shows its session, status and dates beside the scenario.
    bill = models.ForeignKey(
        Bill, null=True, blank=True, on_delete=models.SET_NULL, related_name="scenarios"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.name


class Assignment(models.Model):
    """Who works a jurisdiction (or one of its goals) in a cycle, and by when.

    A jurisdiction-wide assignment covers every goal without its own goal assignment. It
    decides whose inbox a goal lands in, never who may approve it (assessments/
    permissions.py decides that). Reassignments are kept in the history.
    """

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="assignments")
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="+")
    goal = models.ForeignKey(
        PolicyGoal,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Empty: the whole jurisdiction.",
    )
    analyst = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    due = models.DateField(help_text="Every goal of the assignment approved by this date.")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["cycle", "jurisdiction__name", "goal__ordering"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "jurisdiction"],
                condition=models.Q(goal__isnull=True),
                name="assignment_one_per_jurisdiction",
            ),
            models.UniqueConstraint(
                fields=["cycle", "jurisdiction", "goal"],
                condition=models.Q(goal__isnull=False),
                name="assignment_one_per_goal",
            ),
        ]

    def __str__(self):
        scope = f" goal {self.goal.number}" if self.goal_id else ""
        return f"{self.jurisdiction.code} {self.cycle}{scope}: {self.analyst} / {self.reviewer}"


class Notification(models.Model):
    """A message to one user, shown under the bell and e-mailed once (assessments/
    notifications.py). `key` names what it is about, so the same thing is never sent twice:
    a reminder's key holds its day, which makes reminders at most daily."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "Due soon"
        OVERDUE = "overdue", "Overdue"
        SUBMITTED = "submitted", "Submitted for your review"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        APPROVED = "approved", "Approved"
        MENTIONED = "mentioned", "Mentioned"
        COMMENT = "comment", "Comment on your goal"
        PUBLISHED = "published", "Report card published"

    class Email(models.TextChoices):
        """How the notification goes out by e-mail, decided from the user's settings when
        it is made: at once, in the daily digest, or not at all."""

        NOW = "now", "At once"
        DIGEST = "digest", "In the daily digest"
        OFF = "off", "Not e-mailed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=200)
    message = models.TextField()
    link = models.CharField(max_length=300, blank=True, help_text="A path in this app.")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email = models.CharField(max_length=10, choices=Email.choices, default=Email.NOW)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_key")
        ]
        indexes = [
            models.Index(
                fields=["user"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.user_id}: {self.message[:40]}"


class NotificationSettings(models.Model):
    """A user's choice of e-mail: off for some kinds, and all the rest at once or in one
    daily digest. Without a row, every notification is e-mailed at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    muted_kinds = models.JSONField(
        default=list, blank=True, help_text="Notification kinds never e-mailed."
    )
    daily_digest = models.BooleanField(
        default=False, help_text="One e-mail a day with the day's notifications."
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "notification settings"

    def __str__(self):
        return f"Notification settings of {self.user}"

    def email_for(self, kind: str) -> str:
        if kind in self.muted_kinds:
            return Notification.Email.OFF
        return Notification.Email.DIGEST if self.daily_digest else Notification.Email.NOW
