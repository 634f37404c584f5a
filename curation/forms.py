from django import forms

from references.models import Work

from .models import Annotation, Finding


class FindingField(forms.CharField):
    """A finding by its label, as the autocomplete offers it."""

    def clean(self, value) -> Finding:
        label = super().clean(value).strip()
        finding = Finding.objects.filter(label__iexact=label).first()
        if finding is None:
            raise forms.ValidationError(f"No finding called “{label}” in the vocabulary.")
        return finding


class SuggestionForm(forms.Form):
    finding = FindingField(max_length=100)


class TagForm(forms.Form):
    """A tag by hand: the finding, and the evidence quoted from the title or the abstract."""

    finding = FindingField(max_length=100, label="Finding")
    field = forms.ChoiceField(choices=Annotation.Field.choices, initial="abstract", label="Quoted from")
    quote = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Evidence",
        help_text="Select the sentence in the abstract, or paste it here.",
    )
    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    note = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), label="Note"
    )
    version = forms.IntegerField(required=False, min_value=0, initial=0, widget=forms.HiddenInput)


class AnnotationChangeForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    state = forms.ChoiceField(choices=Annotation.State.choices, required=False)
    note = forms.CharField(required=False, max_length=2000)


class BulkTagForm(forms.Form):
    works = forms.ModelMultipleChoiceField(queryset=Work.objects.active(), label="Works")
    finding = FindingField(max_length=100, label="Tag the selected works with")
    next = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
