import json

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.template.defaultfilters import filesizeformat

from references.identifiers import first_doi

from .enrichment import works_to_enrich
from .importers import PageRejected, decode_page
from .models import (
    EnrichmentState,
    IndexedText,
    IndexedWork,
    Search,
    Work,
    WorkQuerySet,
    WorkType,
    findings_by_label,
)
from .pipeline.reflists import UnknownWork, find_citing_work
from .refparse import FORMAT_CHOICES
from .search.browse import Ranking
from .search.query import searched


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class SourceUploadForm(forms.Form):
    files = MultipleFileField(
        label="Saved pages or exported records",
        help_text=f"Saved pages (text or HTML) or exports of a database search (PubMed, RIS, BibTeX, CSL-JSON, "
        f"Web of Science, Scopus CSV, EndNote XML, Ovid), up to {filesizeformat(settings.IMPORT_MAX_BYTES)} "
        f"each, {settings.IMPORT_MAX_FILES} files and {filesizeformat(settings.IMPORT_MAX_REQUEST_BYTES)} at "
        "most together. Nothing is written until you confirm the preview.",
    )
    # The search the exported records came from; saved pages ignore these.
    label = forms.CharField(
        required=False, max_length=500, help_text="How curators will name the search; the file name if blank."
    )
    database = forms.CharField(required=False, max_length=200, help_text="PubMed, Embase (Ovid), Scopus, …")
    query = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Query as run")
    run_on = forms.DateField(required=False, label="Run on", widget=forms.DateInput(attrs={"type": "date"}))
    reported = forms.IntegerField(required=False, min_value=0, label="Records the database reported")

    def clean_files(self) -> list:
        files = self.cleaned_data["files"]
        if sum(upload.size for upload in files) > settings.IMPORT_MAX_REQUEST_BYTES:
            limit = filesizeformat(settings.IMPORT_MAX_REQUEST_BYTES)
            raise forms.ValidationError(
                f"The files come to more than {limit} together; upload fewer at a time."
            )
        return files

    def search_details(self) -> dict[str, object]:
        """The search fields as the staged upload keeps them (JSON)."""
        data = self.cleaned_data
        run_on = data["run_on"].isoformat() if data["run_on"] else None
        fields = ("label", "database", "query", "reported")
        return {**{name: data[name] for name in fields}, "run_on": run_on}


class ImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)


class ReferenceConfirmForm(ImportConfirmForm):
    """Confirms a reference list; a list with entries that could not be read needs the loss accepted."""

    accept_losses = forms.BooleanField(required=False)

    def __init__(self, *args, losses: int = 0, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if losses:
            self.fields["accept_losses"].required = True
            self.fields["accept_losses"].label = (
                f"Import the readable references and leave out the {losses} "
                f"entr{'y' if losses == 1 else 'ies'} listed as unreadable"
            )
        else:
            self.fields["accept_losses"].widget = forms.HiddenInput()


class SourceConfirmForm(ReferenceConfirmForm):
    """Confirms an upload; record files with records that could not be read need the loss accepted."""

    def __init__(self, *args, losses: int = 0, **kwargs) -> None:
        super().__init__(*args, losses=losses, **kwargs)
        if losses:
            self.fields["accept_losses"].label = (
                f"Import the readable records and leave out the {losses} "
                f"record{'' if losses == 1 else 's'} listed as unreadable"
            )


# Anything holding a DOI (bare, doi:, a doi.org link), and no NUL; the API's schema states the same pattern.
DOI_PATTERN = r"^[^\x00]*10\.[0-9]{4,9}/[^\s\x00][^\x00]*$"


SORTS = {
    "relevance": ("-rank", "-year", "pk"),
    "newest": ("-year", "title", "pk"),
    "oldest": ("year", "title", "pk"),
    "title": ("title", "pk"),
}


class ChoicesField(forms.MultipleChoiceField):
    """A multiple choice where an empty value (`?finding=` from a blank select) means no choice, and a
    renamed choice (`renamed`, old name to new) is read as its new name."""

    renamed: dict[str, str] = {}

    def to_python(self, value) -> list[str]:
        return [self.renamed.get(choice, choice) for choice in super().to_python(value) if choice]


def search_choices() -> list[tuple[str, str]]:
    return [(str(pk), label) for pk, label in Search.objects.order_by("pk").values_list("pk", "label")]


class WorkFilterForm(forms.Form):
    """The one filter for the work list, the exports, the `export_bibtex` command and the API."""

    q = forms.CharField(required=False, max_length=500, label="Search")
    scope = forms.ChoiceField(
        choices=[("sources", "Imported sources"), ("all", "All works, cited ones included")], required=False
    )
    finding = ChoicesField(required=False, label="Findings (all of them)")
    search = ChoicesField(required=False, label="Found by (all of these searches; their ids)")
    year = forms.IntegerField(required=False, min_value=1000, max_value=2999)
    type = forms.ChoiceField(choices=[("", "Any type"), *WorkType.choices], required=False)
    doi = forms.CharField(
        required=False,
        max_length=255,
        label="DOI",
        validators=[RegexValidator(DOI_PATTERN, "Not a DOI: a DOI looks like 10.1182/blood-2009-02-204214.")],
    )
    journal = forms.CharField(required=False, max_length=500)
    state = forms.ChoiceField(
        choices=[("", "Any"), *EnrichmentState.choices], required=False, label="Crossref"
    )
    tagged = forms.ChoiceField(
        choices=[("", "Tagged or not"), ("yes", "Tagged"), ("no", "Not tagged yet")], required=False
    )
    sort = forms.ChoiceField(
        choices=[
            ("", "Relevance, then newest"),
            ("newest", "Newest"),
            ("oldest", "Oldest"),
            ("title", "Title"),
        ],
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.finding_ids, self.fields["finding"].renamed = findings_by_label()
        self.fields["finding"].choices = [(label, label) for label in self.finding_ids]
        self.fields["search"].choices = search_choices  # read only when a search is asked for

    def renamed_findings(self) -> bool:
        """Whether the query named a finding by a label it has since lost (a link older than a rename)."""
        return self.is_valid() and self.cleaned_data["finding"] != [
            v for v in self.data.getlist("finding") if v
        ]

    def clean_doi(self) -> str:
        return first_doi(self.cleaned_data["doi"])

    def selection(self) -> models.QuerySet[IndexedWork]:
        """The chosen works' index rows, in the list's order: what the list page pages and counts."""
        if not self.is_valid():
            return IndexedWork.objects.none()
        return self._chosen(IndexedWork.objects.all(), through="")

    def selection_key(self) -> str:
        """The selection's name: its filters in a fixed order, without the sort order."""
        data = {name: value for name, value in self.cleaned_data.items() if name != "sort"}
        return json.dumps(data, sort_keys=True, default=str)

    def order_key(self) -> str:
        """The selection's name with its order: what a page of it depends on."""
        return f"{self.selection_key()}|{self.cleaned_data['sort']}"

    def filter(self, works: WorkQuerySet) -> WorkQuerySet:
        """The chosen works themselves, in the same order: for the API and the exports."""
        if not self.is_valid():
            return works.none()
        return self._chosen(works.active(), through="indexed__")

    def ranking(self) -> Ranking | None:
        """The search when the list is in order of relevance, with the index's text rows among which it ranks
        its matches (browse.first_pages): all of them, those of sources (their copied flag), or those of the
        rows the other filters choose."""
        if not self.is_valid() or not self.cleaned_data["q"] or self.cleaned_data["sort"]:
            return None
        conditions = self._conditions()
        rows = IndexedText.objects.all()
        if conditions.keys() - {"is_source"} or self.cleaned_data["doi"]:
            rows = rows.filter(entry__in=self._filtered(IndexedWork.objects.all(), through=""))
        elif conditions:
            rows = rows.filter(is_source=True)
        return Ranking(self.cleaned_data["q"], rows)

    def _filtered(self, rows: models.QuerySet, *, through: str) -> models.QuerySet:
        conditions = {f"{through}{name}": value for name, value in self._conditions().items()}
        if self.cleaned_data["doi"]:
            conditions["work__doi" if not through else "doi"] = self.cleaned_data["doi"]
        return rows.filter(**conditions)

    def _chosen(self, rows: models.QuerySet, *, through: str) -> models.QuerySet:
        data = self.cleaned_data
        rows = self._filtered(rows, through=through)
        text = data["q"]
        order = SORTS[data["sort"] or ("relevance" if text else "newest")]
        if text:
            rows = searched(rows, text, through=through)
        return rows.order_by(*order)  # both models have year, title and pk

    def _conditions(self) -> dict[str, object]:
        data = self.cleaned_data
        conditions: dict[str, object] = {}
        if data["scope"] != "all" and not data["doi"]:
            conditions["is_source"] = True
        if data["finding"]:
            conditions["findings__contains"] = [self.finding_ids[label] for label in data["finding"]]
        if data["search"]:
            conditions["searches__contains"] = sorted({int(pk) for pk in data["search"]})
        for name, column in (
            ("year", "year"),
            ("type", "work_type"),
            ("journal", "journal"),
            ("state", "state"),
        ):
            if data[name]:
                conditions[column] = data[name]
        if data["tagged"]:
            conditions["tagged"] = data["tagged"] == "yes"
        return conditions


class ReferenceListForm(forms.Form):
    into = forms.CharField(label="Citing work", help_text="Its id or DOI.", max_length=300)
    format = forms.ChoiceField(
        choices=[("", "Detect"), *((name, name) for name in FORMAT_CHOICES)], required=False
    )
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 12}), required=False, label="Paste the list")
    file = forms.FileField(required=False, label="or upload a file")

    def clean_into(self) -> Work:
        try:
            return find_citing_work(self.cleaned_data["into"])
        except UnknownWork as error:
            raise forms.ValidationError(str(error)) from error

    def clean(self) -> dict:
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > settings.IMPORT_MAX_BYTES:
                raise forms.ValidationError(
                    f"The file is larger than {filesizeformat(settings.IMPORT_MAX_BYTES)}."
                )
            try:
                data["text"] = decode_page(upload.read()).text
            except PageRejected as rejection:
                raise forms.ValidationError(str(rejection)) from rejection
        if not data.get("text", "").strip():
            raise forms.ValidationError("Paste a reference list or upload a file.")
        data["file_name"] = upload.name if upload else "pasted list"
        return data


class MergeForm(forms.Form):
    target = forms.IntegerField(label="Merge into work id", min_value=1)

    def clean_target(self) -> Work:
        work = Work.objects.active().filter(pk=self.cleaned_data["target"]).first()
        if work is None:
            raise forms.ValidationError("No such work, or it was merged into another.")
        return work


class EnrichmentStartForm(forms.Form):
    """Either one work (the work page's button) or every work not enriched yet (the batches page)."""

    work = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def clean_work(self) -> Work | None:
        pk = self.cleaned_data["work"]
        if pk is None:
            return None
        work = Work.objects.active().filter(pk=pk).first()
        if work is None:
            raise forms.ValidationError("No such work, or it was merged into another.")
        return work

    def works(self) -> list[int]:
        work = self.cleaned_data["work"]
        return [work.pk] if work else list(works_to_enrich())


class ExportOptionsForm(forms.Form):
    """How to export: one work or the filtered selection, ASCII-only BibTeX, abstracts included."""

    work = forms.IntegerField(required=False, min_value=1)
    ascii = forms.BooleanField(required=False, label="ASCII only (LaTeX escapes)")
    abstract = forms.BooleanField(required=False, label="Include abstracts")

    def selection(self, filters: WorkFilterForm) -> WorkQuerySet | None:
        """The works to export, or None when the options or the filters are invalid."""
        if not self.is_valid():
            return None
        if self.cleaned_data["work"]:
            return Work.objects.active().filter(pk=self.cleaned_data["work"])
        return filters.filter(Work.objects.all()) if filters.is_valid() else None

    def errors_text(self, filters: WorkFilterForm) -> str:
        errors = {**filters.errors, **self.errors}
        return "\n".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items())
