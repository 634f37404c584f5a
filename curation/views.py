"""Curators' tagging: every view is a POST that checks the permission first, writes through a service and
answers with the tagging panel (htmx) or a redirect to the work page (no JavaScript)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from references.access import back_to, members_with
from references.models import Work

from . import services
from .forms import AnnotationChangeForm, BulkTagForm, SuggestionForm, TagForm
from .models import Annotation
from .reading import Vocabulary, find_suggestion, tag_panel


def curator_only(permission: str):
    return lambda view: members_with(permission)(require_POST(view))


def _answer(
    request: HttpRequest, work: Work, *, note="", error="", form=None, conflict=None, vocabulary=None
):
    if request.htmx:
        context = {
            **tag_panel(work, vocabulary),
            "note": note,
            "error": error,
            "tag_form": form,
            "conflict": conflict,
        }
        return render(request, "curation/partials/_tag_panel.html", context)
    if error:
        messages.error(request, error)
    elif note:
        messages.success(request, note)
    return redirect(work)


def _conflict_text(conflict: services.Conflict) -> str:
    current = conflict.current
    if current is None:
        return "Another curator removed this annotation since you opened the page; nothing was saved."
    last = current.history.select_related("history_user").first()
    who = last.history_user if last else None
    return (
        f"Not saved: {who or 'another curator'} changed {current.finding} since you opened the page. "
        f"It is now {current.get_state_display().lower()}"
        + (f", note “{current.note}”" if current.note else "")
        + ". Look at their change below and try again if you still disagree."
    )


@curator_only("curation.add_annotation")
def suggestion_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    work = get_object_or_404(Work.objects.active(), pk=pk)
    form = SuggestionForm(request.POST)
    if not form.is_valid():
        return _answer(request, work, error=" ".join(form.errors.get("finding", ["Choose a finding."])))
    finding = form.cleaned_data["finding"]
    try:
        if decision == "accept":
            vocabulary = Vocabulary.load()  # read once: the panel after the change shows the same vocabulary
            mention = find_suggestion(work, finding, vocabulary)
            if mention is None:
                return _answer(request, work, error=f"{finding} is no longer suggested for this work.")
            services.accept_suggestion(work=work, finding=finding, mention=mention, user=request.user)
            return _answer(request, work, note=f"Tagged {finding}.", vocabulary=vocabulary)
        services.reject_suggestion(work=work, finding=finding, user=request.user)
        return _answer(request, work, note=f"{finding} will not be suggested for this work again.")
    except services.Conflict as conflict:
        return _answer(request, work, error=_conflict_text(conflict), conflict=conflict.current)


@curator_only("curation.add_annotation")
def tag_create(request: HttpRequest, pk: int) -> HttpResponse:
    work = get_object_or_404(Work.objects.active(), pk=pk)
    form = TagForm(request.POST)
    if not form.is_valid():
        return _answer(request, work, error="The tag was not saved; see below.", form=form)
    data = form.cleaned_data
    try:
        services.tag_work(
            work=work,
            finding=data["finding"],
            field=data["field"],
            quote=data["quote"],
            start=data["start"],
            note=data["note"],
            user=request.user,
        )
    except services.TaggingRefused as refusal:
        form.add_error("quote", str(refusal))
        return _answer(request, work, error=str(refusal), form=form)
    except services.Conflict as conflict:
        return _answer(request, work, error=_conflict_text(conflict), form=form, conflict=conflict.current)
    return _answer(request, work, note=f"Tagged {data['finding']} with the quoted evidence.")


@curator_only("curation.change_annotation")
def annotation_change(request: HttpRequest, pk: int) -> HttpResponse:
    annotation = get_object_or_404(Annotation.objects.select_related("work"), pk=pk)
    form = AnnotationChangeForm(request.POST)
    if not form.is_valid():
        return _answer(request, annotation.work, error="The change was not saved: the form was incomplete.")
    data = form.cleaned_data
    try:
        changed = services.change_annotation(
            annotation_id=pk,
            version=data["version"],
            user=request.user,
            state=data["state"] or None,
            note=data["note"] if "note" in request.POST else None,
        )
    except services.Conflict as conflict:
        return _answer(request, annotation.work, error=_conflict_text(conflict), conflict=conflict.current)
    return _answer(
        request, annotation.work, note=f"{changed.finding}: {changed.get_state_display().lower()}."
    )


@curator_only("curation.add_annotation")
def bulk_tag(request: HttpRequest) -> HttpResponse:
    form = BulkTagForm(request.POST)
    target = back_to(request, "/")
    if not form.is_valid():
        messages.error(request, "Select works and a finding to tag them with.")
        return redirect(target)
    data = form.cleaned_data
    added = services.bulk_tag(works=data["works"], finding=data["finding"], user=request.user)
    skipped = len(data["works"]) - added
    messages.success(
        request,
        f"Tagged {added} work{'s' if added != 1 else ''} with {data['finding']}"
        + (f"; {skipped} had it already." if skipped else "."),
    )
    return redirect(target)
