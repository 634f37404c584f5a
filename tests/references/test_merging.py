"""Curators merge two works by hand, and undo it."""

import pytest
from django.urls import reverse

from curation.models import Annotation, Finding
from references.merging import MergeRefused, merge_works, undo_merge
from references.models import Citation, Work, WorkMerge
from tests.helpers import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    citing = Work.objects.create(title="Citing")
    target = Work.objects.create(title="Interfant-99", year=2007)
    duplicate = Work.objects.create(title="Interfant 99", doi="10.1016/s0140-6736(07)61126-x", volume="370")
    citation = Citation.objects.create(citing_work=citing, position=1, raw="Pieters R.", cited_work=duplicate)
    annotation = Annotation.objects.create(work=duplicate, finding=Finding.objects.get(label="infant"))
    return target, duplicate, citation, annotation


def test_merge_moves_citations_annotations_and_fills_blanks(pair, admin_user):
    target, duplicate, citation, annotation = pair
    merge_works(duplicate=duplicate, target=target, user=admin_user)
    target.refresh_from_db()
    duplicate.refresh_from_db()
    assert Citation.objects.get(pk=citation.pk).cited_work == target
    assert Annotation.objects.get(pk=annotation.pk).work == target
    assert (target.doi, target.volume, target.year) == ("10.1016/s0140-6736(07)61126-x", "370", 2007)
    assert (duplicate.merged_into, duplicate.doi) == (target, "")
    assert list(Work.objects.active()) == list(Work.objects.exclude(pk=duplicate.pk))


def test_undo_restores_both_works_exactly(pair, admin_user):
    target, duplicate, citation, annotation = pair
    before = {w.pk: (w.doi, w.volume, w.year, w.merged_into_id) for w in Work.objects.all()}
    merge = merge_works(duplicate=duplicate, target=target, user=admin_user)
    undo_merge(merge=merge)
    after = {w.pk: (w.doi, w.volume, w.year, w.merged_into_id) for w in Work.objects.all()}
    assert after == before
    assert Citation.objects.get(pk=citation.pk).cited_work == duplicate
    assert Annotation.objects.get(pk=annotation.pk).work == duplicate
    with pytest.raises(MergeRefused):
        undo_merge(merge=merge)


def test_a_work_cannot_be_merged_into_itself_or_twice(pair, admin_user):
    target, duplicate, *_ = pair
    with pytest.raises(MergeRefused):
        merge_works(duplicate=target, target=target, user=admin_user)
    merge_works(duplicate=duplicate, target=target, user=admin_user)
    with pytest.raises(MergeRefused):
        merge_works(duplicate=duplicate, target=target, user=admin_user)


def test_merge_and_undo_through_the_work_page(client, pair, admin_user, reader):
    target, duplicate, citation, _ = pair
    url = reverse("references:work-merge", args=[duplicate.pk])
    client.force_login(reader)
    assert client.post(url, {"target": target.pk}).status_code == 403
    client.force_login(admin_user)
    response = client.post(url, {"target": target.pk}, follow=True)
    assert "You can undo it below" in response.text
    merge = WorkMerge.objects.get()
    client.post(reverse("references:merge-undo", args=[merge.pk]))
    assert Citation.objects.get(pk=citation.pk).cited_work == duplicate
    client.force_login(reader)
    assert client.post(reverse("references:merge-undo", args=[merge.pk])).status_code == 403


@pytest.fixture
def curator(django_user_model):
    return member(django_user_model, "cura", "curator")


@pytest.fixture
def both_tagged(pair, curator):
    """Both works carry the finding 'infant': a suggestion on the target, an accepted tag on the duplicate."""
    target, duplicate, _, annotation = pair
    annotation.evidence, annotation.evidence_field, annotation.note = (
        "Infants under one year.",
        "abstract",
        "Dup",
    )
    annotation.save()
    kept = Annotation.objects.create(
        work=target,
        finding=annotation.finding,
        state=Annotation.State.SUGGESTED,
        evidence="Interfant-99 enrolled infants.",
        evidence_field="title",
        note="Target's note",
    )
    return target, duplicate, kept, annotation


def test_merging_two_works_tagged_with_one_finding_folds_the_tags(both_tagged, client, curator):
    target, duplicate, kept, folded = both_tagged
    client.force_login(curator)
    response = client.post(reverse("references:work-merge", args=[duplicate.pk]), {"target": target.pk})
    assert response.status_code == 302
    tag = Annotation.objects.get(work=target, finding=kept.finding)
    assert tag.pk == kept.pk and tag.state == Annotation.State.ACCEPTED
    assert tag.evidence == "Infants under one year." and tag.evidence_field == "abstract"
    assert "Target's note" in tag.note and "Dup" in tag.note and "Interfant-99 enrolled infants." in tag.note
    assert tag.version == kept.version + 1
    assert tag.history.count() == 2 and folded.history.count() == 2  # both histories kept
    assert Annotation.objects.filter(pk=folded.pk, work=duplicate).exists()


def test_undoing_a_fold_puts_both_tags_back(both_tagged, curator):
    target, duplicate, kept, folded = both_tagged
    merge = merge_works(duplicate=duplicate, target=target, user=curator)
    undo_merge(merge=merge, user=curator)
    tag = Annotation.objects.get(pk=kept.pk)
    assert (tag.state, tag.evidence, tag.note) == (Annotation.State.SUGGESTED, kept.evidence, "Target's note")
    assert tag.version == kept.version + 2
    assert Annotation.objects.get(pk=folded.pk).work == duplicate


def test_moved_annotations_get_a_history_row_and_a_new_version(pair, admin_user):
    target, duplicate, _, annotation = pair
    merge = merge_works(duplicate=duplicate, target=target, user=admin_user)
    moved = Annotation.objects.get(pk=annotation.pk)
    assert moved.version == annotation.version + 1
    assert moved.history.first().work_id == target.pk and moved.history.first().history_user == admin_user
    undo_merge(merge=merge, user=admin_user)
    assert Annotation.objects.get(pk=annotation.pk).history.first().work_id == duplicate.pk


def test_search_hits_follow_a_merge_and_come_back_on_undo(pair, admin_user):
    from references.models import ImportBatch, Search, SearchHit

    target, duplicate, _, _ = pair
    batch = ImportBatch.objects.create()
    both, only_duplicate = (
        Search.objects.create(batch=batch, label=name, file_name=name, sha256=name)
        for name in ("both", "dup")
    )
    SearchHit.objects.create(search=both, work=target, position=1, outcome="added")
    SearchHit.objects.create(search=both, work=duplicate, position=2, outcome="added")
    SearchHit.objects.create(search=only_duplicate, work=duplicate, position=1, outcome="added")
    before = set(SearchHit.objects.values_list("search_id", "work_id", "position"))
    merge = merge_works(duplicate=duplicate, target=target, user=admin_user)
    assert set(SearchHit.objects.values_list("search__label", "work_id")) == {
        ("both", target.pk),
        ("dup", target.pk),
    }
    undo_merge(merge=merge, user=admin_user)
    assert set(SearchHit.objects.values_list("search_id", "work_id", "position")) == before
