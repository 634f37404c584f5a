"""The work page: a work of the library, its references and the works citing it, read beside its tags
(curation's reading view) and the merges, Crossref matches and documents that concern it."""

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from references.access import library_readers
from references.forms import MergeForm
from references.models import Citation, Contributor, MatchCandidate, Work, WorkMerge

from .reading import reading_view


@library_readers
def work_detail(request: HttpRequest, pk: int) -> HttpResponse:
    work = get_object_or_404(Work.objects.defer("crossref_json"), pk=pk)  # the page does not show it
    people = list(work.contributors.all())  # authors and editors in one query
    authors = [person for person in people if person.role == Contributor.Role.AUTHOR]
    citations, cited_by = _citations(work)
    context = {
        "work": work,
        "authors": authors,
        "affiliations": [person for person in authors if person.affiliation],
        "editors": [person for person in people if person.role == Contributor.Role.EDITOR],
        "citations": citations,
        "cited_by": cited_by,
        # With its work's id: without it Django read each document's work_id again, one query each.
        "documents": work.source_documents.only("work_id", "file_name", "imported_at", "page_kind"),
        # Of the duplicate, its title alone: compiling and reading its whole row cost a query of its own.
        "merges": WorkMerge.objects.filter(target=work, undone_at__isnull=True)
        .select_related("duplicate")
        .only("created_at", "duplicate", "duplicate__title"),
        "merge_form": MergeForm(),
        "field_origins": work.field_origins.all(),
        "candidates": work.match_candidates.filter(state=MatchCandidate.State.PENDING),
        **reading_view(work),
    }
    return render(request, "curation/work_detail.html", context)


def _citations(work: Work) -> tuple[list[Citation], list[Citation]]:
    """The work's references and the library's works citing it, in one query. A reference links to the
    work it cites by id alone; of a citing work only what names it is read (a work's row carries its
    abstract and Crossref record)."""
    rows = (
        Citation.objects.filter(Q(citing_work=work) | Q(cited_work=work))
        .select_related("citing_work")
        .only(
            *("citing_work", "cited_work", "position", "label", "raw", "doi", "match_method"),
            *("citing_work__title", "citing_work__doi", "citing_work__pmid"),
        )
    )
    rows = list(rows)  # ordered by citing work, then position
    return [c for c in rows if c.citing_work_id == work.pk], [c for c in rows if c.cited_work_id == work.pk]
