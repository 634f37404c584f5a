"""The curators' duplicates queue: the list of pairs, one pair side by side, and the two decisions."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import duplicates
from .access import back_to, members_with
from .duplicates import FIRST, SECOND, Comparison, DecisionRefused
from .merging import MergeRefused
from .models import DuplicateCandidate

curator_required = members_with("references.add_workmerge")

PAGE_SIZE = 25
SIDES = [(FIRST, "first"), (SECOND, "second")]


class DuplicateMergeForm(forms.Form):
    """Which work is kept, and for each field where the two differ, whose value it gets (the fuller one
    unless the curator says otherwise)."""

    keep = forms.ChoiceField(choices=SIDES, widget=forms.RadioSelect)

    def __init__(self, data=None, *, comparison: Comparison) -> None:
        super().__init__(data, initial={"keep": FIRST, **comparison.defaults()})
        self.differing = [row.field.name for row in comparison.differing]
        for row in comparison.differing:
            self.fields[row.field.name] = forms.ChoiceField(choices=SIDES, label=row.field.label)

    def choices(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.differing}


@curator_required
def duplicate_list(request: HttpRequest) -> HttpResponse:
    return render(request, "references/duplicates.html", _queue(request.GET.get("page")))


def _queue(page_number: str | None, note: str = "") -> dict[str, object]:
    page = Paginator(duplicates.pending(), PAGE_SIZE).get_page(page_number)
    return {"page": page, "note": note}


@curator_required
def duplicate_pair(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(DuplicateCandidate, pk=pk)
    comparison = duplicates.compare(candidate)
    return _pair_page(request, comparison, DuplicateMergeForm(comparison=comparison))


def _pair_page(
    request: HttpRequest, comparison: Comparison, form: DuplicateMergeForm, *, status: int = 200
) -> HttpResponse:
    rows = [(row, form[row.field.name].value() if row.differs else None) for row in comparison.rows]
    context = {
        "comparison": comparison,
        "candidate": comparison.candidate,
        "open": comparison.open,
        "form": form,
        "rows": rows,
        "keep": form["keep"].value(),
        "following": duplicates.following(comparison.candidate),
    }
    return render(request, "references/duplicates_pair.html", context, status=status)


@curator_required
@require_POST
def duplicate_merge(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(DuplicateCandidate, pk=pk)
    comparison = duplicates.compare(candidate)
    form = DuplicateMergeForm(request.POST, comparison=comparison)
    if not form.is_valid():
        return _pair_page(request, comparison, form, status=400)
    keep = form.cleaned_data["keep"]
    try:
        merge = duplicates.merge_candidate(
            candidate=candidate, keep=keep, choices=form.choices(), user=request.user
        )
    except (DecisionRefused, MergeRefused) as refusal:
        return _decided(request, candidate, str(refusal), level=messages.ERROR)
    note = (
        f"Merged #{merge.duplicate_id} into #{merge.target_id} with the values you chose; "
        "the merge can be undone on that work's page."
    )
    return _decided(request, candidate, note)


@curator_required
@require_POST
def duplicate_distinct(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(DuplicateCandidate, pk=pk)
    try:
        duplicates.mark_distinct(candidate=candidate, user=request.user)
    except DecisionRefused as refusal:
        return _decided(request, candidate, str(refusal), level=messages.ERROR)
    note = f"#{candidate.first_id} and #{candidate.second_id} are not duplicates; they will not be proposed again."
    return _decided(request, candidate, note)


def _decided(
    request: HttpRequest, candidate: DuplicateCandidate, note: str, *, level: int = messages.SUCCESS
) -> HttpResponse:
    """From the list with htmx: the list again, in place. Otherwise back where the form said (the list),
    or on to the next pair."""
    if request.htmx:
        context = _queue(request.POST.get("page"), note)
        return render(request, "references/partials/_duplicates_queue.html", context)
    messages.add_message(request, level, note)
    following = duplicates.following(candidate)
    fallback = reverse("references:duplicate-pair", args=[following.pk]) if following else ""
    fallback = fallback or reverse("references:duplicates")
    return redirect(back_to(request, fallback))
