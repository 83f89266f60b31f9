from crispy_forms.helper import FormHelper
from django import forms

from .fields import LineField, NarrativeLineField, StatuteTextField, TextField
from .models import Bill, Statute
from .selectors import BILL_FIELDS, EDITABLE_FIELDS
from .services import BillData, StatuteData


class LibraryForm(forms.ModelForm):
    """A form of the statute library: laid out by crispy forms inside the page's own
    <form> tag, its cleaned fields handed to the service as `data_class`."""

    data_class: type

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def service_data(self):
        return self.data_class(**{name: self.cleaned_data[name] for name in self._meta.fields})


class StatuteForm(LibraryForm):
    """Add a statute. The view hands the cleaned data to `services.library_add`, which
    also words a duplicate citation plainly (the form cannot: jurisdiction is not a field)."""

    class Meta:
        model = Statute
        fields = EDITABLE_FIELDS
        field_classes = {
            # Printed on the card (quote sources, the appendix) as inline narrative.
            "citation": NarrativeLineField,
            "caption": NarrativeLineField,
            "text": StatuteTextField,
            "amendment_note": TextField,
        }
        widgets = {
            "citation": forms.TextInput(attrs={"autofocus": True}),
            "caption": forms.TextInput(),
            "text": forms.Textarea(attrs={"rows": 14}),
            "enacted_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "effective_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "amendment_note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "caption": "The statute's heading, e.g. “Human trafficking act; prohibited "
            "conduct; penalty”.",
            "amendment_note": "e.g. “Amended by HB 1641 (2023), effective July 1, 2023.”",
        }

    data_class = StatuteData
    submit_label = "Add statute"


class StatuteEditForm(StatuteForm):
    """Edit a statute: the same fields plus why, and the version the edit started from
    (`version`, see core.conflicts)."""

    change_reason = LineField(
        max_length=100,
        help_text="Shown in the statute's history, e.g. “Amended by HB 1641 (2023)”.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    submit_label = "Save changes"


class BillForm(LibraryForm):
    """Add a bill: its number and session, where it stands, and when it was enacted and
    takes effect (a pending bill has no enacted date)."""

    class Meta:
        model = Bill
        fields = BILL_FIELDS
        # Printed on the card (the appropriations table) as inline narrative.
        field_classes = {"number": NarrativeLineField, "session": NarrativeLineField}
        widgets = {
            "number": forms.TextInput(attrs={"autofocus": True}),
            "session": forms.TextInput(),
            "enacted_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "effective_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    data_class = BillData


class BillEditForm(BillForm):
    change_reason = LineField(
        max_length=100, help_text="Shown in the bill's history, e.g. “Signed by the governor”."
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
