from django import forms

from references.models import Work

from .models import QUOTABLE_FIELDS, Annotation, Finding


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
    field = forms.ChoiceField(
        choices=[(field.value, field.label) for field in QUOTABLE_FIELDS],
        initial="abstract",
        label="Quoted from",
    )
    quote = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Evidence",
        help_text="Select the sentence in the abstract (or title), or paste it here.",
    )
    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    note = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), label="Note"
    )


class AnnotationChangeForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    state = forms.ChoiceField(choices=Annotation.State.choices, required=False)
    note = forms.CharField(required=False, max_length=2000)


class BulkTagForm(forms.Form):
    works = forms.ModelMultipleChoiceField(queryset=Work.objects.active(), label="Works")
    finding = FindingField(max_length=100, label="Tag the selected works with")
    next = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)


SYNONYM_MAX_LENGTH = Finding._meta.get_field("synonyms").base_field.max_length


class SynonymsField(forms.CharField):
    """One synonym per line: blank lines dropped, repeats (ignoring case) dropped, order kept."""

    widget = forms.Textarea(attrs={"rows": 8})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value) -> list[str]:
        synonyms: dict[str, str] = {}
        for line in super().to_python(value).splitlines():
            if line.strip():
                synonyms.setdefault(line.strip().casefold(), line.strip())
        return list(synonyms.values())

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        too_long = [synonym for synonym in value if len(synonym) > SYNONYM_MAX_LENGTH]
        if too_long:
            raise forms.ValidationError(
                [
                    f"The synonym “{synonym[:40]}…” is {len(synonym)} characters long; "
                    f"a synonym may have at most {SYNONYM_MAX_LENGTH}."
                    for synonym in too_long
                ]
            )


class FindingForm(forms.ModelForm):
    """A term of the vocabulary as admins keep it in the app."""

    synonyms = SynonymsField(
        required=False,
        label="Synonyms",
        help_text="One per line: the ways papers write it (MLL-r, t(4;11), …). The label counts already.",
    )

    class Meta:
        model = Finding
        fields = ["label", "category", "description", "synonyms"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def save(self, commit: bool = True) -> Finding:
        if self.instance.pk and "label" in self.changed_data:
            self.instance.remember_label(self.initial["label"])
        return super().save(commit)

    def clean_label(self) -> str:
        label = self.cleaned_data["label"]
        clash = Finding.objects.filter(label__iexact=label).exclude(pk=self.instance.pk).first()
        if clash is not None:
            raise forms.ValidationError(
                f"The vocabulary already has “{clash.label}”; "
                "labels must differ by more than upper and lower case."
            )
        return label


class AnnotationAdminForm(forms.ModelForm):
    """The admin's annotation form keeps the curators' rule: a change raises the version, and a change made
    against an older version (a curator saved since the admin opened the form) is refused."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Annotation
        fields = [
            "work",
            "finding",
            "evidence",
            "evidence_field",
            "evidence_start",
            "evidence_end",
            "note",
            "state",
            "created_by",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("seen_version", self.instance.version)

    def clean(self) -> dict:
        data = super().clean()
        if self.instance.pk:
            # The admin saves in a transaction, so the lock holds until this change is written.
            locked = Annotation.objects.select_for_update().filter(pk=self.instance.pk)
            current = locked.values_list("version", flat=True).first()
            if current != data.get("seen_version"):
                raise forms.ValidationError(
                    "Someone changed this tag since you opened it; reload the page to see their change."
                )
            self.instance.version = current + 1
        return data
