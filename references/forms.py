from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from .models import WorkQuerySet


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class SourceUploadForm(forms.Form):
    files = MultipleFileField(
        label="Saved pages",
        help_text=f"Text or HTML, up to {filesizeformat(settings.IMPORT_MAX_BYTES)} each. "
        "Nothing is written until you confirm the preview.",
    )


class ImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)


class WorkFilterForm(forms.Form):
    """The one filter for the work list (and, later, the export and the API)."""

    q = forms.CharField(required=False, max_length=500, label="Search")

    def filter(self, works: WorkQuerySet) -> WorkQuerySet:
        if not self.is_valid():
            return works.none()
        text = self.cleaned_data["q"].strip()
        return works.search(text) if text else works
