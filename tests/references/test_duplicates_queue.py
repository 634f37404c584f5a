"""The curators' duplicates queue: pairs the importer was unsure of, side by side; "merge" with a choice per
field, or "not duplicates", remembered by the importer, the enrichment and the queue."""

import uuid
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse

from references import duplicates
from references.duplicates import FIRST, SECOND, DecisionRefused, mark_distinct, merge_candidate
from references.enrichment import start_enrichment
from references.enrichment_item import enrich
from references.models import (
    Citation,
    DuplicateCandidate,
    EnrichmentBatch,
    EnrichmentState,
    FieldOrigin,
    Search,
    SearchHit,
    Work,
    WorkMerge,
)
from tests.fakecrossref.bodies import recorded_message
from tests.helpers import member
from tests.references.test_import_records import ris

pytestmark = pytest.mark.django_db

QUEUE = reverse("references:duplicates")
TITLE = "A treatment protocol for infants younger than {} year with acute lymphoblastic leukaemia{}"
AUTHORS = {"AU": ["Pieters, R.", "Schrappe, M."], "PY": "2007"}
LONG_ABSTRACT = "BACKGROUND: Infants with acute lymphoblastic leukaemia have a poor outcome. " * 5
RECORD_A = {
    **AUTHORS,
    "TI": TITLE.format("1", ": an observational study"),
    "JO": "Lancet",
    "VL": "370",
    "SP": "240",
    "EP": "250",
    "AB": LONG_ABSTRACT,
}
RECORD_B = {
    **AUTHORS,
    "TI": TITLE.format("one", " and a randomised trial"),
    "JO": "The Lancet",
    "IS": "9583",
    "DO": "10.1016/s0140-6736(07)61126-x",
    "AB": "BACKGROUND: Infants.",
}


def import_file(tmp_path, name: str, *records: dict, label: str = "") -> Search:
    path = tmp_path / name
    path.write_text(ris(*records))
    call_command("import_records", str(path), "--search-label", label or name, stdout=StringIO())
    return Search.objects.get(file_name=name)


@pytest.fixture
def candidate(tmp_path) -> DuplicateCandidate:
    """Two searches found one trial under two titles: the importer proposes the pair."""
    import_file(tmp_path, "a.ris", RECORD_A, label="PubMed, infant ALL")
    import_file(tmp_path, "b.ris", RECORD_B, label="Embase, infant ALL")
    return DuplicateCandidate.objects.get()


@pytest.fixture
def curator(django_user_model):
    return member(django_user_model, "carla", "curator")


@pytest.fixture
def researcher(django_user_model):
    return member(django_user_model, "rita", "researcher")


def urls(candidate: DuplicateCandidate) -> dict[str, str]:
    return {
        "pair": reverse("references:duplicate-pair", args=[candidate.pk]),
        "merge": reverse("references:duplicate-merge", args=[candidate.pk]),
        "distinct": reverse("references:duplicate-distinct", args=[candidate.pk]),
    }


CHOICES = {
    "keep": SECOND,
    "title": FIRST,
    "container_title": SECOND,
    "volume": FIRST,
    "issue": SECOND,
    "pages": FIRST,
    "doi": SECOND,
    "abstract": FIRST,
}


# The list


def test_the_queue_lists_pending_pairs_highest_score_first(client, curator, candidate, tmp_path):
    base = {"AU": ["Biondi, A."], "PY": "2010", "JO": "Blood"}
    title = "Minimal residual disease in childhood acute lymphoblastic leukemia{}"
    import_file(tmp_path, "c.ris", {**base, "TI": title.format(" treated on protocol AIEOP-BFM")})
    import_file(tmp_path, "d.ris", {**base, "TI": title.format(" treated on the protocol AIEOP BFM 2000")})
    other = DuplicateCandidate.objects.exclude(pk=candidate.pk).get()
    DuplicateCandidate.objects.filter(pk=other.pk).update(score=0.99)
    DuplicateCandidate.objects.filter(pk=candidate.pk).update(score=0.9)
    client.force_login(curator)
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert [pair.pk for pair in response.context["page"]] == [other.pk, candidate.pk]
    assert "Duplicates (2)" in response.text
    mark_distinct(candidate=other, user=curator)
    response = client.get(QUEUE)
    assert [pair.pk for pair in response.context["page"]] == [candidate.pk]
    assert "Duplicates (1)" in response.text


def test_the_queue_is_paginated_with_the_shared_pages(client, curator, candidate, monkeypatch):
    monkeypatch.setattr("references.duplicate_views.PAGE_SIZE", 1)
    third = Work.objects.create(title="Interfant-99 again", year=2007)
    DuplicateCandidate.objects.create(first=candidate.first, second=third, score=0.5, method="title")
    client.force_login(curator)
    response = client.get(QUEUE)
    assert 'aria-label="Pages"' in response.text and "Page 1 of 2" in response.text
    assert [pair.second_id for pair in client.get(QUEUE + "?page=2").context["page"]] == [third.pk]


def test_the_nav_link_is_for_curators_and_admins(client, curator, researcher, django_user_model, candidate):
    link = f'href="{QUEUE}">Duplicates (1)'
    client.force_login(curator)
    assert link in client.get(reverse("references:work-list")).text
    client.force_login(member(django_user_model, "ada", "admin"))
    assert link in client.get(reverse("references:work-list")).text
    client.force_login(researcher)
    assert "Duplicates (" not in client.get(reverse("references:work-list")).text


# One pair side by side


def test_the_pair_page_shows_both_works_with_their_differences_marked(client, curator, candidate):
    first, second = candidate.first, candidate.second
    Citation.objects.create(
        citing_work=Work.objects.create(title="Citing"), position=1, raw="x", cited_work=first
    )
    client.force_login(curator)
    response = client.get(urls(candidate)["pair"])
    assert response.status_code == 200
    page = response.text
    rows = {row.field.name: row for row, _ in response.context["rows"]}
    differing = {name for name, row in rows.items() if row.differs}
    assert differing == {"title", "container_title", "volume", "issue", "pages", "doi", "abstract"}
    for name in differing:
        assert f'<tr class="differs" data-field="{name}">' in page
    assert '<tr class="same" data-field="authors">' in page and "Pieters R." in page
    assert page.count("≠ differs") == len(differing) + 1  # and once in the sentence explaining the marker
    assert first.title in page and second.title in page and "10.1016/s0140-6736(07)61126-x" in page
    assert LONG_ABSTRACT[:100] in page and LONG_ABSTRACT.strip() not in page  # the abstract's start
    assert f"Score {candidate.score:.2f} by title" in page
    assert "PubMed, infant ALL" in page and "Embase, infant ALL" in page  # found by
    assert "<td>1 work</td>" in page and "<td>0 works</td>" in page  # cited by
    assert '<button type="submit" class="primary" data-shortcut="merge">Merge</button>' in page
    assert 'form="distinct-form" data-shortcut="distinct">Not duplicates</button>' in page


def test_the_fuller_value_is_chosen_by_default(client, curator, candidate):
    client.force_login(curator)
    response = client.get(urls(candidate)["pair"])
    chosen = {row.field.name: value for row, value in response.context["rows"] if row.differs}
    assert chosen == {
        "title": SECOND,  # "one ... and a randomised trial" is the longer title
        "container_title": SECOND,
        "volume": FIRST,
        "issue": SECOND,
        "pages": FIRST,
        "doi": SECOND,
        "abstract": FIRST,
    }
    assert 'name="volume" value="first" checked' in response.text
    assert 'name="keep" value="first" checked' in response.text


# Merging


def test_merge_gives_the_kept_work_the_chosen_values_as_a_curators(client, curator, candidate):
    first, second = candidate.first, candidate.second
    citation = Citation.objects.create(
        citing_work=Work.objects.create(title="Citing"), position=1, raw="Pieters 2007", cited_work=first
    )
    client.force_login(curator)
    response = client.post(urls(candidate)["merge"], CHOICES)
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    candidate.refresh_from_db()
    assert first.merged_into == second
    assert (second.title, second.container_title, second.volume, second.issue, second.pages) == (
        RECORD_A["TI"],
        "The Lancet",
        "370",
        "9583",
        "240-250",
    )
    assert second.doi == RECORD_B["DO"] and second.abstract == LONG_ABSTRACT.strip()
    assert second.title_key == first.title_key
    origins = {origin.field: origin for origin in second.field_origins.all()}
    for name in set(CHOICES) - {"keep"}:
        assert (origins[name].source, origins[name].detail) == (FieldOrigin.Source.CURATOR, "carla")
    assert (candidate.state, candidate.decided_by) == (DuplicateCandidate.State.MERGED, curator)
    assert candidate.decided_at is not None
    assert Citation.objects.get(pk=citation.pk).cited_work == second
    found_by = set(second.searches.values_list("label", flat=True))
    assert found_by == {"PubMed, infant ALL", "Embase, infant ALL"}
    assert not SearchHit.objects.filter(work=first).exists()
    assert set(Work.objects.sources().filter(indexed__isnull=False)) == {second}


def test_a_search_that_found_both_works_counts_the_kept_one_once(curator, candidate, tmp_path):
    both = import_file(tmp_path, "both.ris", RECORD_A, RECORD_B, label="Scopus")
    assert both.hits.count() == 2
    merge_candidate(candidate=candidate, keep=FIRST, choices={}, user=curator)
    assert list(both.hits.values_list("work", flat=True)) == [candidate.first_id]
    assert candidate.first.search_hits.count() == 3


def test_the_authors_and_title_chosen_can_be_undone_and_the_pair_waits_again(client, curator, candidate):
    first, second = candidate.first, candidate.second
    second.contributors.filter(position=2).delete()
    before = {w.pk: (w.title, w.title_key, w.first_author_key, w.volume, w.doi) for w in (first, second)}
    merge = merge_candidate(
        candidate=candidate,
        keep=SECOND,
        choices={"title": FIRST, "authors": FIRST, "volume": FIRST},
        user=curator,
    )
    second.refresh_from_db()
    assert list(second.authors.values_list("family", flat=True)) == ["Pieters", "Schrappe"]
    assert second.title == first.title
    client.force_login(curator)
    assert client.post(reverse("references:merge-undo", args=[merge.pk])).status_code == 302
    after = {
        w.pk: (w.title, w.title_key, w.first_author_key, w.volume, w.doi)
        for w in Work.objects.filter(pk__in=before)
    }
    assert after == before
    assert list(second.authors.values_list("family", flat=True)) == ["Pieters"]
    assert list(first.authors.values_list("family", flat=True)) == ["Pieters", "Schrappe"]
    candidate.refresh_from_db()
    assert (candidate.state, candidate.decided_by) == (DuplicateCandidate.State.PENDING, None)


def test_a_merge_without_a_choice_for_each_difference_is_refused(client, curator, candidate):
    client.force_login(curator)
    response = client.post(urls(candidate)["merge"], {"keep": FIRST, "title": FIRST})
    assert response.status_code == 400 and 'role="alert"' in response.text
    assert not WorkMerge.objects.exists()
    candidate.refresh_from_db()
    assert candidate.state == DuplicateCandidate.State.PENDING


def test_a_pair_is_decided_once(client, curator, candidate):
    mark_distinct(candidate=candidate, user=curator)
    with pytest.raises(DecisionRefused):
        merge_candidate(candidate=candidate, keep=FIRST, choices={}, user=curator)
    client.force_login(curator)
    response = client.post(urls(candidate)["merge"], CHOICES, follow=True)
    assert "decided this pair already" in response.text
    assert not WorkMerge.objects.exists() and Work.objects.active().count() == 2
    page = client.get(urls(candidate)["pair"]).text
    assert "Decided: Not duplicates by carla" in page and 'data-shortcut="merge"' not in page


# Not duplicates


def test_not_duplicates_from_the_list_updates_the_list_in_place(client, curator, candidate):
    client.force_login(curator)
    response = client.post(urls(candidate)["distinct"], {"page": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="duplicate-queue"')
    assert "<html" not in response.text and "will not be proposed again" in response.text
    assert f'id="pair-{candidate.pk}"' not in response.text
    candidate.refresh_from_db()
    assert (candidate.state, candidate.decided_by) == (DuplicateCandidate.State.DISTINCT, curator)
    assert candidate.decided_at is not None


def test_not_duplicates_without_javascript_goes_back_to_the_list(client, curator, candidate):
    client.force_login(curator)
    response = client.post(urls(candidate)["distinct"], {"next": QUEUE + "?page=1"})
    assert response.status_code == 302 and response.url == QUEUE + "?page=1"
    response = client.get(response.url)
    assert "will not be proposed again" in response.text and "No possible duplicates" in response.text


def test_not_duplicates_is_remembered_after_a_reimport(curator, candidate, tmp_path):
    mark_distinct(candidate=candidate, user=curator)
    works = Work.objects.count()
    import_file(tmp_path, "b.ris", RECORD_B)  # the same file again: nothing to do
    updated = {**RECORD_B, "PY": "2007", "SN": "0140-6736"}
    search = import_file(tmp_path, "updated.ris", RECORD_A, updated)
    candidate.refresh_from_db()
    assert candidate.state == DuplicateCandidate.State.DISTINCT
    assert DuplicateCandidate.objects.count() == 1 and Work.objects.count() == works
    assert set(search.hits.values_list("work", flat=True)) == {candidate.first_id, candidate.second_id}
    assert not duplicates.pending().exists()


# Enrichment

CERMINE = "10.1007/s10032-015-0249-8"
CERMINE_TITLE = "CERMINE: automatic extraction of structured metadata from scientific literature"
CERMINE_AUTHORS = {"AU": ["Tkaczyk, D.", "Szostek, P.", "Fedoryszak, M."], "PY": "2015"}
LINKED = (
    f"Tkaczyk D, Szostek P, Fedoryszak M, Dendek PJ, Bolikowski L. {CERMINE_TITLE}. IJDAR. 2015;18(4):317-35."
)


@pytest.fixture
def crossref(settings, crossref_server):
    settings.CROSSREF_BASE_URL = crossref_server.url
    settings.CROSSREF_REDIS_PREFIX = f"test-duplicates-{uuid.uuid4().hex}"
    items = recorded_message("search-query-bibliographic-cermine-unstructured-match.json")["items"]
    crossref_server.search = lambda query, rows: items[:rows]
    return crossref_server


@pytest.mark.parametrize("decision", ["distinct", "pending"])
def test_enrichment_does_not_merge_a_pair_said_not_duplicates(crossref, curator, tmp_path, decision):
    import_file(tmp_path, "doi.ris", {**CERMINE_AUTHORS, "TI": CERMINE_TITLE, "DO": CERMINE})
    import_file(tmp_path, "nodoi.ris", {**CERMINE_AUTHORS, "TI": CERMINE_TITLE + ": an evaluation"})
    candidate = DuplicateCandidate.objects.get()
    holder, work = candidate.first, candidate.second
    assert holder.doi == CERMINE and work.doi == ""
    Citation.objects.create(
        citing_work=Work.objects.create(title="Citing"), position=1, raw=LINKED, cited_work=work
    )
    if decision == "distinct":
        mark_distinct(candidate=candidate, user=curator)
    batch = start_enrichment(works=[work], origin=EnrichmentBatch.Origin.COMMAND)
    enrich(batch.items.get().pk)
    work.refresh_from_db()
    outcome = batch.items.get().outcome
    if decision == "distinct":
        assert work.merged_into is None and work.doi == ""
        assert work.enrichment_state == EnrichmentState.UNMATCHED
        assert outcome.startswith(f"No DOI linked: Crossref matched {CERMINE}, which is work #{holder.pk}'s")
        assert work.cited_by.get().cited_work == work
    else:  # the control: without the curator's word the enrichment merges them
        assert work.merged_into == holder and outcome.startswith("Linked to")


# Who may do what


def test_anonymous_visitors_go_to_sign_in(client, candidate):
    for name, url in urls(candidate).items():
        response = client.post(url, CHOICES) if name != "pair" else client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), name
    assert client.get(QUEUE).url.startswith(reverse("login"))
    candidate.refresh_from_db()
    assert candidate.state == DuplicateCandidate.State.PENDING


@pytest.mark.parametrize("role", ["outsider", "researcher"])
def test_users_without_the_merge_permission_get_403_on_every_page_and_write(
    client, django_user_model, candidate, role
):
    if role == "outsider":
        user = django_user_model.objects.create_user("olga", password="olga-password-1")
    else:
        user = member(django_user_model, "rita", "researcher")
    client.force_login(user)
    assert client.get(QUEUE).status_code == 403
    assert client.get(urls(candidate)["pair"]).status_code == 403
    assert client.post(urls(candidate)["merge"], CHOICES).status_code == 403
    assert client.post(urls(candidate)["distinct"], HTTP_HX_REQUEST="true").status_code == 403
    candidate.refresh_from_db()
    assert candidate.state == DuplicateCandidate.State.PENDING and not WorkMerge.objects.exists()


def test_the_merge_permission_alone_opens_the_queue(client, django_user_model, candidate):
    user = django_user_model.objects.create_user("mo", password="mo-password-1")
    user.user_permissions.add(Permission.objects.get(codename="add_workmerge"))
    client.force_login(user)
    assert client.get(QUEUE).status_code == 200
    assert client.post(urls(candidate)["distinct"]).status_code == 302
    candidate.refresh_from_db()
    assert candidate.state == DuplicateCandidate.State.DISTINCT
