"""Curation queues' pages. Access first: researchers and users without a role get 403; a queue or a work of
it that is not the user's to see is 404, whatever the method."""

import csv

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from references.access import members_with
from references.forms import WorkFilterForm

from . import double, queue_work, queues
from .queue_forms import DecisionForm, QueueForm, ResolveForm
from .queue_models import Queue, QueueItem

CSV_HEADER = [
    "first curator",
    "second curator",
    "finding",
    "works",
    "both yes",
    "first only",
    "second only",
    "both no",
    "observed agreement",
    "kappa",
]

workers_only = members_with(queues.WORK_PERMISSION)
admins_only = members_with(queues.MAKE_PERMISSION)


@workers_only
def queue_list(request: HttpRequest) -> HttpResponse:
    shown = queues.progress(queues.visible_queues(request.user), request.user)
    return render(request, "curation/queue_list.html", {"queues": shown.prefetch_related("curators")})


@admins_only
def queue_create(request: HttpRequest) -> HttpResponse:
    selection = request.GET.copy()
    selection.pop("page", None)
    form = QueueForm(request.POST or None, initial={"selection": selection.urlencode()})
    if form.is_valid():
        data = form.cleaned_data
        try:
            queue = queues.queue_create(**data, user=request.user)
        except queues.QueueRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"Queue “{queue}” made with {queue.size} works.")
            return redirect(queue)
    chosen = form["selection"].value() or ""
    filters = WorkFilterForm(QueryDict(chosen))
    count = filters.selection().count() if filters.is_valid() else 0
    context = {"form": form, "selection": chosen, "count": count}
    return render(request, "curation/queue_form.html", context)


@workers_only
def queue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    queue = get_object_or_404(queues.visible_queues(request.user), pk=pk)
    queues.queue_refresh(queue=queue)
    context = {
        "queue": queue,
        "mine_done": queues.done_count(queue, request.user),
        "works_on": queues.works_on(request.user, queue),
        "resolves": queues.may_resolve(request.user, queue),
    }
    if queue.independent:
        context["agreement"] = double.agreement(queue)
        if context["resolves"]:
            context["waiting"] = double.awaiting_resolution(queue)
    if queues.may_make(request.user):
        context["everyone"] = queues.curator_progress(queue)
    return render(request, "curation/queue_detail.html", context)


@workers_only
def queue_next(request: HttpRequest, pk: int) -> HttpResponse:
    queue = get_object_or_404(Queue.objects.filter(curators=request.user), pk=pk)
    item = queues.next_item(queue, request.user)
    if item is None and queues.queue_refresh(queue=queue):
        item = queues.next_item(queue, request.user)
    if item is None:
        messages.success(request, "You are done with every work of this queue.")
        return redirect(queue)
    return redirect(item)


@workers_only
def agreement_csv(request: HttpRequest, pk: int) -> HttpResponse:
    queue = get_object_or_404(queues.visible_queues(request.user), pk=pk, mode=Queue.Mode.INDEPENDENT)
    agreement = double.agreement(queue)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="queue-{queue.pk}-agreement.csv"'
    writer = csv.writer(response)
    first, second = [str(curator) for curator in agreement.curators] or ["", ""]
    writer.writerow(CSV_HEADER)
    rows = [*((str(f), counts) for f, counts in agreement.findings), ("(overall)", agreement.overall)]
    for label, c in rows:
        cells = [c.total, c.both_yes, c.first_only, c.second_only, c.both_no]
        writer.writerow([first, second, label, *cells, _figure(c.observed), _figure(c.kappa)])
    return response


def _figure(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def _own_item(request: HttpRequest, pk: int) -> QueueItem:
    items = queues.curator_items(request.user).select_related("queue", "work").defer("work__crossref_json")
    return get_object_or_404(items, pk=pk)


@workers_only
def queue_item(request: HttpRequest, pk: int) -> HttpResponse:
    item = _own_item(request, pk)
    context = queue_work.item_view(item, request.user, offer=request.GET.dict())
    return render(request, "curation/queue_item.html", context)


@workers_only
@require_POST
def item_decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = _own_item(request, pk)
    form = DecisionForm(request.POST)
    note = error = ""
    if not form.is_valid():
        error = "Nothing was recorded: " + " ".join(e for es in form.errors.values() for e in es)
    else:
        try:
            note = queue_work.record(item=item, user=request.user, data=form.cleaned_data)
        except queue_work.Refused as refusal:
            error = str(refusal)
    if request.htmx:  # the panel in place; the page's live region says what changed
        context = {**queue_work.panel_view(item, request.user), "note": note, "error": error}
        return render(request, "curation/partials/_queue_panel.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, note)
    return redirect(item)


@workers_only
@require_POST
def item_done(request: HttpRequest, pk: int) -> HttpResponse:
    item = _own_item(request, pk)
    if queues.mark_done(item=item, user=request.user) and item.queue.independent:
        double.settle_agreements(item=item, user=request.user)
    following = queues.next_item(item.queue, request.user, after=item.position)
    if following is None:
        messages.success(request, "Done. You have finished every work of this queue.")
        return redirect(item.queue)
    messages.success(request, f"Done with work {item.position}; this is the next.")
    return redirect(following)


@workers_only
def item_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(QueueItem.objects.select_related("queue", "work"), pk=pk)
    if not queues.may_resolve(request.user, item.queue):
        raise Http404("No such work to resolve.")
    finished = double.finished_by_both(item)
    form = ResolveForm(request.POST or None)
    status, changed = 200, []
    if request.method == "POST" and finished and form.is_valid():
        seen = {key[5:]: value for key, value in request.POST.items() if key.startswith("seen-")}
        try:
            double.resolve(
                item=item,
                outcomes=form.outcomes(request.POST),
                fingerprint=form.cleaned_data["fingerprint"],
                user=request.user,
            )
        except double.Changed as change:
            status = 409
            changed = [
                row for row in change.comparison.rows if seen.get(str(row.finding.pk)) != row.signature
            ]
            messages.error(request, "Not saved: the decisions or outcomes changed since you opened the page.")
        else:
            messages.success(request, "Resolved; the outcomes are now the work's tags.")
            return redirect(reverse("curation:queue-resolve", args=[item.pk]))
    comparison = double.compare(item) if finished else None
    context = {"item": item, "queue": item.queue, "comparison": comparison, "changed": changed}
    return render(request, "curation/queue_resolve.html", context, status=status)
