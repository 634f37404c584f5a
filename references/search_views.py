"""The searches page: what each database search found, PRISMA 2020 style, and its flow diagram as SVG."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .access import readers_of
from .prisma import flow_diagram
from .search_counts import overall_flow, search_flows

search_reader_required = readers_of("references.view_search")


@search_reader_required
@require_safe
def search_list(request: HttpRequest) -> HttpResponse:
    searches = search_flows()
    context = {"searches": searches, "total": overall_flow([flow for _, flow in searches])}
    return render(request, "references/searches.html", context)


@search_reader_required
@require_safe
def prisma_svg(request: HttpRequest) -> HttpResponse:
    """The diagram, shown by the page; `?download=1` saves it as a file."""
    diagram = flow_diagram(overall_flow([flow for _, flow in search_flows()]))
    response = HttpResponse(diagram, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, no-cache"
    if request.GET.get("download") == "1":
        response["Content-Disposition"] = 'attachment; filename="prisma-flow-diagram.svg"'
    return response
