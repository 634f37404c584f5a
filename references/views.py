from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .forms import ImportConfirmForm, SourceUploadForm, WorkFilterForm
from .models import ImportBatch, Work
from .services import import_sources, plan_source_import
from .staging import stage_files, take_staged_files

IMPORT_PERMISSION = "references.add_importbatch"


def admin_required(view):
    """Anonymous users go to the login page; signed-in users without the import permission get 403."""
    return login_required(permission_required(IMPORT_PERMISSION, raise_exception=True)(view))


def work_list(request: HttpRequest) -> HttpResponse:
    form = WorkFilterForm(request.GET)
    works = form.filter(Work.objects.with_counts().order_by("-year", "title", "pk"))
    page = Paginator(works, 25).get_page(request.GET.get("page"))
    return render(request, "references/work_list.html", {"form": form, "page": page})


def work_detail(request: HttpRequest, pk: int) -> HttpResponse:
    work = get_object_or_404(Work, pk=pk)
    context = {
        "work": work,
        "authors": work.authors,
        "editors": work.editors,
        "citations": work.citations.select_related("cited_work"),
        "cited_by": work.cited_by.select_related("citing_work"),
        "documents": work.source_documents.only("file_name", "imported_at", "page_kind"),
    }
    return render(request, "references/work_detail.html", context)


@admin_required
def import_upload(request: HttpRequest) -> HttpResponse:
    form = SourceUploadForm(request.POST or None, request.FILES or None)
    if not form.is_valid():
        return render(request, "references/import_upload.html", {"form": form})
    uploads = form.cleaned_data["files"]
    plans = [plan_source_import(upload) for upload in uploads]
    staged = [
        (upload.name, _reread(upload)) for upload, plan in zip(uploads, plans, strict=True) if plan.importable
    ]
    confirm = ImportConfirmForm(initial={"token": stage_files(request.user.pk, staged)}) if staged else None
    return render(request, "references/import_preview.html", {"plans": plans, "confirm": confirm})


def _reread(upload) -> bytes:
    upload.seek(0)
    return upload.read()


@admin_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    form = ImportConfirmForm(request.POST)
    staged = take_staged_files(request.user.pk, form.data.get("token", "")) if form.is_valid() else None
    if staged is None:
        messages.error(request, "This preview has expired or was already imported. Upload the files again.")
        return redirect("references:import")
    batch = import_sources(staged, user=request.user, origin=ImportBatch.Origin.WEB)
    return redirect(batch)


@admin_required
def import_batch(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch.objects.select_related("created_by"), pk=pk)
    items = batch.items.select_related("work")
    return render(
        request,
        "references/import_batch.html",
        {"batch": batch, "items": items, "counts": batch.outcome_counts()},
    )
