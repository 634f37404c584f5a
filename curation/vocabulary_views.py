"""The finding vocabulary in the app: the library's readers read it, admins add, edit and delete terms.

The highlighting matcher needs no clearing after a change: Vocabulary.load reads the findings on every
request and mentions.matcher_for caches compiled matchers by the terms' content, so a changed vocabulary is
a new cache key.
"""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, QuerySet
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_http_methods

from references.access import library_readers, members_with

from .forms import FindingForm
from .models import Finding


def vocabulary_keeper(permission: str):
    """Members with the permission, by GET (the form) or POST."""
    return lambda view: members_with(permission)(require_http_methods(["GET", "POST"])(view))


def by_category(findings: QuerySet[Finding]) -> list[tuple[str, list[Finding]]]:
    """(category name, its findings) in the order the categories are declared; empty ones left out."""
    groups: dict[str, list[Finding]] = {value: [] for value in Finding.Category.values}
    for finding in findings:
        groups.setdefault(finding.category, []).append(finding)
    names = dict(Finding.Category.choices)
    return [(names.get(value, value), members) for value, members in groups.items() if members]


@library_readers
def vocabulary(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "curation/vocabulary.html",
        {"groups": by_category(Finding.objects.with_work_counts().order_by(Lower("label"), "label"))},
    )


@vocabulary_keeper("curation.add_finding")
def finding_create(request: HttpRequest) -> HttpResponse:
    return _edit(request, FindingForm(request.POST if request.method == "POST" else None))


@vocabulary_keeper("curation.change_finding")
def finding_edit(request: HttpRequest, pk: int) -> HttpResponse:
    finding = get_object_or_404(Finding, pk=pk)
    return _edit(request, FindingForm(request.POST if request.method == "POST" else None, instance=finding))


def _edit(request: HttpRequest, form: FindingForm) -> HttpResponse:
    adding, stored_label = form.instance.pk is None, form.instance.label  # validation changes the instance
    if form.is_bound and form.is_valid():
        try:
            with transaction.atomic():
                finding = form.save()
        except IntegrityError:  # another admin saved the same label since the form was checked
            form.add_error(
                "label", "A finding with this label was added a moment ago; reload the vocabulary."
            )
        else:
            messages.success(request, f"{'Added' if adding else 'Saved'} {finding.label}.")
            return redirect("curation:vocabulary")
    context = {"form": form, "adding": adding, "stored_label": stored_label}
    return render(request, "curation/vocabulary_form.html", context)


def refusal(finding: Finding, used: int) -> str:
    return (
        f"{finding.label} is used by {used} annotation{pluralize(used)}; it cannot be deleted while works "
        "are tagged with it (accepted, suggested or rejected). Edit it instead if the label is wrong."
    )


@vocabulary_keeper("curation.delete_finding")
def finding_delete(request: HttpRequest, pk: int) -> HttpResponse:
    finding = get_object_or_404(Finding, pk=pk)
    if request.method == "GET":
        used = finding.annotations.count()
        context = {"finding": finding, "refusal": refusal(finding, used) if used else ""}
        return render(request, "curation/vocabulary_delete.html", context)
    try:
        finding.delete()
    except ProtectedError:  # Annotation.finding is PROTECT: tagged works keep their finding
        messages.error(request, refusal(finding, finding.annotations.count()))
        return redirect("curation:vocabulary")
    messages.success(request, f"Deleted {finding.label}.")
    return redirect("curation:vocabulary")
