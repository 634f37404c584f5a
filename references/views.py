from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import crossref_answers, enrichment
from .access import back_to, library_readers, members_with
from .exports import FORMATS, export_selection
from .forms import (
    EnrichmentStartForm,
    ExportOptionsForm,
    MergeForm,
    ReferenceConfirmForm,
    ReferenceListForm,
    SourceConfirmForm,
    SourceUploadForm,
    WorkFilterForm,
)
from .merging import MergeRefused, merge_works, undo_merge
from .models import (
    EnrichmentBatch,
    EnrichmentItem,
    ImportBatch,
    MatchCandidate,
    RecordImportJob,
    Work,
    WorkMerge,
)
from .pipeline.reflists import ListRefused, import_reference_list, plan_reference_list
from .pipeline.uploads import (
    RecordPreview,
    confirm_upload,
    preview_upload,
    stage_previews,
    staged_details,
    start_again,
)
from .refparse import Unreadable
from .search.browse import (
    Counts,
    FirstPages,
    Remembered,
    describe_page,
    facet_counts,
    first_pages,
    kept_filters,
    page_ids,
    with_links,
)
from .staging import Staged, claimed, stage

EXPIRED = "This preview has expired or was already imported."

IMPORT_PERMISSION = "references.add_importbatch"
MERGE_PERMISSION = "references.add_workmerge"
ENRICH_PERMISSION = "references.add_enrichmentbatch"
ENRICHMENT_READ_PERMISSION = "references.view_enrichmentbatch"
REVIEW_PERMISSION = "references.change_matchcandidate"


admin_required = members_with(IMPORT_PERMISSION)
curator_required = members_with(MERGE_PERMISSION)
enricher_required = members_with(ENRICH_PERMISSION)
enrichment_reader_required = members_with(ENRICHMENT_READ_PERMISSION)
reviewer_required = members_with(REVIEW_PERMISSION)


PAGE_SIZE = 25


FACETS_NOW = "counts"  # ?counts=now: the facets in the page itself (browsers without JavaScript ask for it)


@library_readers
def work_list(request: HttpRequest) -> HttpResponse:
    """The list: its results and count at once; the facets too when cached, else they follow (htmx asks for
    them with the same query string, and the target "facets")."""
    form = WorkFilterForm(request.GET)
    if form.renamed_findings():  # send an old link on to the address that names the findings as they are now
        current = request.GET.copy()
        current.setlist("finding", form.cleaned_data["finding"])
        return redirect(f"{request.path}?{current.urlencode()}")
    if request.htmx and request.htmx.target == "facets":
        return _facets(request, form)
    counts, pages, as_of, remembered = Counts(0, {}), FirstPages([], 0), None, None
    if form.is_valid():
        selection = form.selection()
        remembered = Remembered(key=form.selection_key(), order_key=form.order_key(), size=PAGE_SIZE)
        if remembered.counts is not None or request.GET.get(FACETS_NOW) == "now":
            counts = facet_counts(
                selection,
                remembered=remembered,
                findings=form.finding_ids,
                text=form.cleaned_data["q"],
            )
        else:
            counts = None
        pages = first_pages(selection, remembered=remembered, size=PAGE_SIZE, ranking=form.ranking())
        as_of = remembered.as_of
    page = Paginator(range(pages.total), PAGE_SIZE).get_page(request.GET.get("page"))
    ids = page_ids(selection, pages, number=page.number, size=PAGE_SIZE) if pages.total else []
    page.object_list = _works_in_order(ids)
    describe_page(page.object_list, form.cleaned_data.get("q", "") if form.is_valid() else "", remembered)
    shared = request.GET.copy()
    shared.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "facets": with_links(request.GET, counts.facets) if counts is not None else None,
        "as_of": as_of,
        "kept_filters": kept_filters(request.GET),
        "selection": shared.urlencode(),
        "finding_labels": list(form.finding_ids),
    }
    return render(request, "references/work_list.html", context)


def _facets(request: HttpRequest, form: WorkFilterForm) -> HttpResponse:
    """The facets alone, counted now unless cached: what the list page's placeholder is replaced by."""
    facets, as_of = Counts(0, {}).facets, None
    if form.is_valid():
        remembered = Remembered(key=form.selection_key(), order_key=form.order_key(), size=PAGE_SIZE)
        counts = facet_counts(
            form.selection(),
            remembered=remembered,
            findings=form.finding_ids,
            text=form.cleaned_data["q"],
        )
        facets, as_of = counts.facets, remembered.as_of
    context = {"facets": with_links(request.GET, facets), "as_of": as_of}
    return render(request, "references/partials/_facets.html", context)


def _works_in_order(pks: list[int]) -> list[Work]:
    works = Work.objects.defer("crossref_json", "abstract").in_bulk(pks)
    return [works[pk] for pk in pks if pk in works]


@admin_required
def import_upload(request: HttpRequest) -> HttpResponse:
    form = SourceUploadForm(request.POST or None, request.FILES or None)
    if not form.is_valid():
        return render(request, "references/import_upload.html", {"form": form})
    uploads = form.cleaned_data["files"]
    plans = [preview_upload(upload) for upload in uploads]
    token = stage_previews(request.user.pk, uploads, plans, search=form.search_details())
    losses = sum(plan.unreadable for plan in plans if isinstance(plan, RecordPreview))
    confirm = SourceConfirmForm(initial={"token": token}, losses=losses) if token else None
    return render(request, "references/import_preview.html", {"plans": plans, "confirm": confirm})


@admin_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("token", "")
    details = staged_details(request.user.pk, token)
    form = SourceConfirmForm(request.POST, losses=(details or {}).get("losses", 0))
    if details is not None and not form.is_valid():  # the upload stays staged for a confirmation that accepts
        return render(request, "references/import_preview.html", {"plans": [], "confirm": form})
    with claimed(request.user.pk, token) as staged:
        if staged is None:
            messages.error(request, EXPIRED + " Upload the files again.")
            return redirect("references:import")
        imported = confirm_upload(staged, user=request.user, accept_losses=form.cleaned_data["accept_losses"])
    return redirect(imported)


@admin_required
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(RecordImportJob, pk=pk)
    batches = job.batches.prefetch_related("searches") if not job.active else []
    context = {"job": job, "batches": batches}
    if request.htmx:
        return render(request, "references/partials/_import_progress.html", context)
    details = start_again(job)
    if details is not None:
        again = {"token": job.token, "accept_losses": True}
        context["again"] = SourceConfirmForm(initial=again, losses=details.get("losses", 0))
    return render(request, "references/import_job.html", context)


@admin_required
def import_batch(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch.objects.select_related("created_by"), pk=pk)
    items = batch.items.select_related("work")
    return render(
        request,
        "references/import_batch.html",
        {"batch": batch, "items": items, "counts": batch.outcome_counts()},
    )


@admin_required
def import_references(request: HttpRequest) -> HttpResponse:
    form = ReferenceListForm(request.POST or None, request.FILES or None)
    if not form.is_valid():
        return render(request, "references/import_references.html", {"form": form})
    data = form.cleaned_data
    try:
        parsed = plan_reference_list(data["text"], format=data["format"] or None)
    except Unreadable as refusal:
        form.add_error(None, str(refusal))
        return render(request, "references/import_references.html", {"form": form})
    confirm = None
    if parsed.references:
        details = {"into": data["into"].pk, "format": parsed.format}
        token = stage(request.user.pk, [(data["file_name"], data["text"].encode())], details)
        confirm = ReferenceConfirmForm(initial={"token": token}, losses=len(parsed.problems))
    context = {"parsed": parsed, "into": data["into"], "confirm": confirm}
    return render(request, "references/import_references_preview.html", context)


@admin_required
@require_POST
def import_references_confirm(request: HttpRequest) -> HttpResponse:
    form = ReferenceConfirmForm(request.POST)
    try:
        with claimed(request.user.pk, form.data.get("token", "")) as staged:
            if staged is None or not form.is_valid():
                messages.error(request, EXPIRED + " Paste the list again.")
                return redirect("references:import-references")
            batch = _import_staged_list(request, staged, accept_losses=form.cleaned_data["accept_losses"])
    except ListRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("references:import-references")
    return redirect(batch)


def _import_staged_list(request: HttpRequest, staged: Staged, *, accept_losses: bool) -> ImportBatch:
    into = get_object_or_404(Work.objects.active(), pk=staged.details["into"])
    upload = staged.files[0]
    text = upload.read().decode()
    return import_reference_list(
        into=into,
        parsed=plan_reference_list(text, format=staged.details["format"]),
        text=text,
        file_name=upload.name,
        user=request.user,
        origin=ImportBatch.Origin.WEB,
        accept_losses=accept_losses,
    )


@curator_required
@require_POST
def work_merge(request: HttpRequest, pk: int) -> HttpResponse:
    duplicate = get_object_or_404(Work, pk=pk)
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("target", ["Choose the work to merge into."])))
        return redirect(duplicate)
    try:
        merge_works(duplicate=duplicate, target=form.cleaned_data["target"], user=request.user)
    except MergeRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(duplicate)
    messages.success(request, f"Merged #{duplicate.pk} into this work. You can undo it below.")
    return redirect(form.cleaned_data["target"])


@curator_required
@require_POST
def merge_undo(request: HttpRequest, pk: int) -> HttpResponse:
    merge = get_object_or_404(WorkMerge, pk=pk)
    try:
        undo_merge(merge=merge, user=request.user)
    except MergeRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"Merge undone: #{merge.duplicate_id} is a work of its own again.")
    return redirect(merge.target)


@enrichment_reader_required
def enrichment_list(request: HttpRequest) -> HttpResponse:
    batches = EnrichmentBatch.objects.select_related("created_by")
    page = Paginator(batches, 25).get_page(request.GET.get("page"))
    waiting = enrichment.works_to_enrich().count()
    return render(request, "references/enrichment_list.html", {"page": page, "waiting": waiting})


@enricher_required
@require_POST
def enrichment_start(request: HttpRequest) -> HttpResponse:
    form = EnrichmentStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("references:enrichment-list")
    works = form.works()
    batch = enrichment.start_enrichment(works=works, origin=EnrichmentBatch.Origin.WEB, user=request.user)
    if batch is None:
        messages.info(request, "Nothing to enrich: every work has been enriched.")
        return redirect("references:enrichment-list")
    return redirect(batch)


@enrichment_reader_required
def enrichment_batch(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(EnrichmentBatch, pk=pk)
    context = {"batch": batch, "progress": batch.progress()}
    if request.htmx:
        return render(request, "references/partials/_enrichment_progress.html", context)
    context["resumable"], context["stalled"] = enrichment.resumable(batch), enrichment.stalled(batch)
    context["stall_minutes"] = round(enrichment.stall_after().total_seconds() / 60)
    failed, pending = EnrichmentItem.State.FAILED, EnrichmentItem.State.PENDING
    context["failed"] = batch.items.filter(state=failed).select_related("work")[:200]
    context["recent"] = (
        batch.items.exclude(state=pending).select_related("work").order_by("-finished_at")[:20]
    )
    return render(request, "references/enrichment_batch.html", context)


@enricher_required
@require_POST
def enrichment_resume(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(EnrichmentBatch, pk=pk)
    resumed = enrichment.resume_batch(batch)
    messages.success(request, f"Resumed: {resumed} works sent to be enriched again.")
    return redirect(batch)


@enricher_required
@require_POST
def enrichment_retry(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(EnrichmentBatch, pk=pk)
    retry = enrichment.retry_failed(batch, user=request.user)
    if retry is None:
        messages.info(request, "No failed works to retry.")
        return redirect(batch)
    return redirect(retry)


@reviewer_required
def review_queue(request: HttpRequest) -> HttpResponse:
    pending = MatchCandidate.objects.filter(state=MatchCandidate.State.PENDING)
    page = Paginator(pending.order_by("-score", "pk"), 25).get_page(request.GET.get("page"))
    return render(request, "references/review_queue.html", {"page": page})


@reviewer_required
@require_POST
def review_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    candidate = get_object_or_404(MatchCandidate, pk=pk)
    try:
        if decision == "accept":
            note = crossref_answers.accept_candidate(candidate, user=request.user)
        else:
            crossref_answers.reject_candidate(candidate, user=request.user)
            note = f"Rejected: {candidate.doi} will not be proposed for this work again."
    except crossref_answers.ReviewRefused as refusal:
        note = str(refusal)
    candidate.refresh_from_db()
    if request.htmx:
        return render(request, "references/partials/_candidate.html", {"candidate": candidate, "note": note})
    messages.info(request, note)
    return redirect(back_to(request, reverse("references:review-queue")))


@library_readers
def export(request: HttpRequest, format: str) -> HttpResponse:
    """The list's selection (same query string), or one work, streamed as BibTeX, RIS or CSL-JSON."""
    filters, options = WorkFilterForm(request.GET), ExportOptionsForm(request.GET)
    works = options.selection(filters)
    if works is None:
        return HttpResponseBadRequest(options.errors_text(filters), content_type="text/plain; charset=utf-8")
    stream, content_type = FORMATS[format]
    flags = {"abstract": options.cleaned_data["abstract"]}
    if format == "bib":
        flags["ascii"] = options.cleaned_data["ascii"]
    response = StreamingHttpResponse(stream(export_selection(works), **flags), content_type=content_type)
    name = f"work-{options.cleaned_data['work']}" if options.cleaned_data["work"] else "all-literature"
    response["Content-Disposition"] = f'attachment; filename="{name}.{format}"'
    return response
