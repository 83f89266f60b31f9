"""Forms of the determination editor and the state texts editor.

Forms parse and check what the user typed and keep it on error; the rules themselves
(points per status, extra-credit limits, versions) live in scoring.py and services.py.
"""

from __future__ import annotations

from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.forms.models import model_to_dict

from core.limits import HIGHLIGHTS_MAX, NARRATIVE_MAX_CHARS, PARTS_MAX
from statutes.fields import LineField, NarrativeField, NarrativeLineField, StatuteTextField
from statutes.models import Statute

from . import scoring
from .models import GoalDetermination
from .references import marked_title_problem
from .services import AwardData, CitationData, DeterminationData, InsightData


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class DeterminationForm(forms.Form):
    status = forms.ChoiceField(
        choices=GoalDetermination.Status.choices, widget=forms.RadioSelect, label="Status"
    )
    points = forms.DecimalField(
        required=False,
        min_value=Decimal("0"),
        max_digits=5,
        decimal_places=2,
        label="Points (partial credit only)",
        help_text="More than 0 and less than the maximum, in steps of 0.25.",
        widget=forms.NumberInput(attrs={"step": "0.25", "min": "0.25"}),
    )
    marked_title = NarrativeLineField(
        required=False,
        max_length=1000,
        label="Title with footnote marks",
        help_text="Only where the card marks a footnote in the goal's title: the title as it "
        "is, with [^4] after the word the note belongs to. Leave blank otherwise.",
    )
    narrative = NarrativeField(
        required=False,
        max_length=NARRATIVE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 14, "class": "font-monospace"}),
        help_text="Paragraphs, *italic*, **bold**, lists (- or 1.), > block quotes and "
        "[links](https://…). [[quote 1]] on its own line places citation 1's quote, "
        "[[table 1]] the first table, [^2] footnote 2's mark. No HTML, headings, images or "
        f"code. At most {NARRATIVE_MAX_CHARS:,} characters.",
    )
    change_reason = LineField(
        required=False,
        max_length=300,
        label="Change reason",
        help_text="Required when editing an approved goal; shown in the history.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, goal, approved: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.goal = goal
        self.approved = approved
        self.fields["points"].widget.attrs["max"] = str(goal.max_points - scoring.POINT_STEP)
        if approved:
            self.fields["change_reason"].required = True
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        status, points = data.get("status"), data.get("points")
        if status and status != scoring.Status.PARTIALLY_MET:
            data["points"] = points = None  # fixed by the status; the field is disabled
        if status:
            problem = scoring.goal_points_problem(status, points, self.goal.max_points)
            if problem:
                self.add_error("points", problem)
        marked = data.get("marked_title", "")
        if problem := marked_title_problem(self.goal.number, self.goal.text, marked):
            self.add_error("marked_title", problem)
        return data


class CitationForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    statute = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    new_citation = NarrativeLineField(required=False, max_length=200, label="New statute citation")
    new_caption = NarrativeLineField(required=False, max_length=1000, label="Caption")
    new_text = StatuteTextField(
        required=False, label="Statute text", widget=forms.Textarea(attrs={"rows": 3})
    )
    pinpoint = NarrativeLineField(required=False, max_length=120, help_text="e.g. (1)(c)")
    quote = NarrativeField(
        required=False, label="Quoted excerpt", widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, statute_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Choices are read once per page and shared by every citation row.
        self.fields["statute"].choices = [("", "— add a new statute below —"), *statute_choices]

    def clean(self):
        data = super().clean()
        if self.cleaned_data.get("DELETE") or not self.has_changed():
            return data
        if not data.get("statute") and not (data.get("new_citation") or "").strip():
            raise forms.ValidationError(
                "Choose a statute from the library or enter a new citation."
            )
        return data


class RecommendationForm(forms.Form):
    text = NarrativeField(widget=forms.Textarea(attrs={"rows": 2}), label="Recommendation")


class InsightForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    quote = NarrativeField(widget=forms.Textarea(attrs={"rows": 3}))
    attribution = NarrativeLineField(max_length=200, required=False)


class AwardForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    category = forms.TypedChoiceField(coerce=int, choices=())
    points = forms.DecimalField(
        min_value=Decimal("0.25"),
        max_digits=5,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.25"}),
    )
    explanation = NarrativeField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, opportunities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            (o.category_id, f"{o.category.label} (up to {scoring.fmt(o.max_points)})")
            for o in opportunities
        ]


def _formset(form, *, extra=0):
    return forms.formset_factory(
        form,
        extra=extra,
        can_delete=True,
        max_num=PARTS_MAX,
        absolute_max=PARTS_MAX,
        validate_max=True,
    )


CitationFormSet = _formset(CitationForm)
RecommendationFormSet = _formset(RecommendationForm)
InsightFormSet = _formset(InsightForm)
AwardFormSet = _formset(AwardForm)


def _rows(parts, form) -> list[dict]:
    """Initial values of a formset: each part's values of the fields `form` has."""
    return [model_to_dict(part, fields=form.base_fields) for part in parts]


class DeterminationEditor:
    """The editor's form and formsets together: bound from a POST or filled from the DB."""

    def __init__(self, determination, data=None):
        self.determination = determination
        goal = determination.goal
        statute_choices = list(
            Statute.objects.filter(jurisdiction_id=determination.assessment.jurisdiction_id)
            .order_by("citation")
            .values_list("pk", "citation")
        )
        opportunities = list(goal.extra_credit_opportunities.select_related("category"))
        approved = determination.review_state == "approved"
        initial = None if data else self._initial()
        self.form = DeterminationForm(
            data, goal=goal, approved=approved, initial=initial and initial["form"]
        )
        self.citations = CitationFormSet(
            data,
            prefix="citations",
            initial=initial and initial["citations"],
            form_kwargs={"statute_choices": statute_choices},
        )
        self.recommendations = RecommendationFormSet(
            data, prefix="recommendations", initial=initial and initial["recommendations"]
        )
        self.insights = InsightFormSet(
            data, prefix="insights", initial=initial and initial["insights"]
        )
        self.awards = AwardFormSet(
            data,
            prefix="awards",
            initial=initial and initial["awards"],
            form_kwargs={"opportunities": opportunities},
        )
        self.opportunities = opportunities

    def _initial(self):
        d = self.determination
        return {
            "form": {
                "status": d.status,
                "points": d.points if d.status == scoring.Status.PARTIALLY_MET else None,
                "narrative": d.narrative,
                "marked_title": d.marked_title,
                "version": d.version,
            },
            "citations": _rows(d.citations.all(), CitationForm),
            "recommendations": _rows(d.recommendations.all(), RecommendationForm),
            "insights": _rows(d.insights.all(), InsightForm),
            "awards": _rows(d.extra_credit_awards.all(), AwardForm),
        }

    @property
    def formsets(self):
        return [self.citations, self.recommendations, self.insights, self.awards]

    def is_valid(self) -> bool:
        results = [self.form.is_valid()] + [formset.is_valid() for formset in self.formsets]
        return all(results)

    @staticmethod
    def _kept(formset):
        return [
            form.cleaned_data
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def data(self) -> DeterminationData:
        form = self.form.cleaned_data
        return DeterminationData(
            status=form["status"],
            points=form.get("points"),
            narrative=form.get("narrative", ""),
            marked_title=form.get("marked_title", ""),
            citations=[
                CitationData(
                    id=row.get("id"),
                    statute_id=row.get("statute"),
                    new_citation=row.get("new_citation", ""),
                    new_caption=row.get("new_caption", ""),
                    new_text=row.get("new_text", ""),
                    pinpoint=row.get("pinpoint", ""),
                    quote=row.get("quote", ""),
                )
                for row in self._kept(self.citations)
            ],
            recommendations=[row["text"] for row in self._kept(self.recommendations)],
            insights=[
                InsightData(id=row.get("id"), quote=row["quote"], attribution=row["attribution"])
                for row in self._kept(self.insights)
            ],
            extra_credit=[
                AwardData(
                    id=row.get("id"),
                    category_id=row["category"],
                    points=row["points"],
                    explanation=row.get("explanation", ""),
                )
                for row in self._kept(self.awards)
            ],
        )


class AssessmentTextsForm(forms.Form):
    highlights = NarrativeField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One highlight per line, as printed on the report card page.",
    )
    safe_harbor_status = NarrativeField(
        required=False, label="Safe Harbor status", widget=forms.Textarea(attrs={"rows": 3})
    )
    safe_harbor_summary = NarrativeField(
        required=False,
        label="Safe Harbor state summary",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    change_reason = LineField(required=False, max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, issue_areas=(), categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        for area in issue_areas:
            self.fields[f"issue_{area.number}"] = NarrativeField(
                required=False,
                label=f"Issue {area.number} summary: {area.title}",
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        for category in categories:
            self.fields[f"extra_credit_{category.code}"] = NarrativeField(
                required=False,
                label=f"Extra credit summary: {category.label}",
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.issue_areas, self.categories = issue_areas, categories
        self.helper = _helper()

    def clean_highlights(self):
        text = self.cleaned_data["highlights"]
        if sum(1 for line in text.splitlines() if line.strip()) > HIGHLIGHTS_MAX:
            raise forms.ValidationError(f"At most {HIGHLIGHTS_MAX} highlights, one per line.")
        return text
