"""Curation queues as curators use them: a stable order that grows at its end, "Done, next", independent
decisions compared only once both finished, agreements settled, the resolver's outcomes becoming tags."""

import csv
import io

import pytest
from django.urls import reverse

from curation import double, queues
from curation.models import Annotation, Decision, Finding, Queue, Resolution
from references.models import IndexedWork
from references.search import indexing

from .queue_library import library, people, source_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def works():
    return library()


@pytest.fixture
def team(django_user_model):
    return people(django_user_model)


def make(team, mode=Queue.Mode.INDEPENDENT, selection="sort=oldest") -> Queue:
    curators = [team["first"], team["second"]] if mode == Queue.Mode.INDEPENDENT else [team["first"]]
    return queues.queue_create(
        name="Relapse", selection=selection, mode=mode, curators=curators, resolver=None, user=team["admin"]
    )


def signed(client, user):
    client.force_login(user)
    return client


def decide(client, item, label, verdict="accept", *, htmx=False, **extra):
    url = reverse("curation:queue-decide", args=[item.pk])
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(url, {"finding": label, "verdict": verdict, **extra}, **headers)


def done(client, item):
    return client.post(reverse("curation:queue-done", args=[item.pk]))


def test_a_queue_keeps_the_lists_order_and_later_works_join_its_end(works, team):
    queue = make(team)
    assert [i.work_id for i in queue.items.order_by("position")] == [w.pk for w in reversed(works)]
    later = source_work("Relapse after HSCT in infants", "A late arrival.", year=1990)  # first by "oldest"
    assert queues.queue_extend(queue=queue) == 1
    order = list(queue.items.order_by("position").values_list("work_id", "position"))
    assert order == [(w.pk, n) for n, w in enumerate([*reversed(works), later], 1)]
    assert queues.queue_extend(queue=queue) == 0


def test_only_the_selection_joins_the_queue(works, team):
    queue = make(team, selection="q=venetoclax")
    assert list(queue.items.values_list("work_id", flat=True)) == [works[2].pk]


def test_done_next_walks_the_queue_and_progress_counts_only_ones_own(client, works, team):
    queue = make(team)
    first, second, _ = queue.items.order_by("position")
    signed(client, team["first"])
    assert client.get(reverse("curation:queue-next", args=[queue.pk])).url == first.get_absolute_url()
    assert done(client, first).url == second.get_absolute_url()
    page = client.get(second.get_absolute_url()).content.decode()
    assert "1 of 3 done" in page and f'href="{first.get_absolute_url()}" rel="prev"' in page
    listing = signed(client, team["second"]).get(reverse("curation:queue-list")).content.decode()
    assert "0 of 3 done" in listing


def test_each_curator_sees_only_their_own_decisions(client, works, team):
    queue = make(team)
    item = queue.items.get(work=works[0])
    signed(client, team["first"])
    decide(client, item, "HSCT")
    decide(client, item, "blinatumomab", "reject")
    theirs = client.get(item.get_absolute_url()).content.decode()
    assert "Accepted" in theirs and "Rejected" in theirs
    mine = signed(client, team["second"]).get(item.get_absolute_url()).content.decode()
    assert "Nothing decided yet" in mine and "Accept HSCT" in mine and "Accept blinatumomab" in mine
    assert not Annotation.objects.filter(work=works[0]).exists()  # decisions are not tags


def test_a_suggestion_offers_the_abstracts_sentence_where_the_title_only_names_it(client, works, team):
    queue = make(team)
    item = queue.items.get(work=works[0])  # "Blinatumomab ..." in the title, a sentence in the abstract
    decide(signed(client, team["first"]), item, "blinatumomab")
    decision = Decision.objects.get(item=item, finding__label="blinatumomab")
    assert decision.evidence == "After a second HSCT she received blinatumomab and remains in remission."
    assert decision.evidence_field == "abstract"
    assert works[0].abstract[decision.evidence_start : decision.evidence_end] == decision.evidence


def test_a_clicked_mention_offers_its_finding_with_its_sentence(client, works, team):
    queue = make(team)
    item = queue.items.get(work=works[1])
    at = works[1].abstract.index("HSCT")
    page = signed(client, team["first"]).get(
        item.get_absolute_url(), {"offer": "HSCT", "field": "abstract", "at": at}
    )
    html = page.content.decode()
    assert 'value="HSCT"' in html and ">Eight proceeded to HSCT in remission.</textarea>" in html
    assert 'class="mention category-transplant"' in html


def test_accept_all_accepts_every_suggestion_left(client, works, team):
    queue = make(team)
    item = queue.items.get(work=works[0])
    signed(client, team["first"])
    decide(client, item, "HSCT", "reject")
    client.post(reverse("curation:queue-decide", args=[item.pk]), {"verdict": "accept-all"})
    verdicts = dict(Decision.objects.filter(item=item).values_list("finding__label", "verdict"))
    assert verdicts["HSCT"] == "reject" and verdicts["blinatumomab"] == "accept"
    assert verdicts["KMT2A-r"] == "accept" and len(verdicts) >= 4


def test_once_both_finished_agreements_become_tags_and_disagreements_wait(client, works, team):
    queue = make(team)
    item = queue.items.get(work=works[0])
    decide(signed(client, team["first"]), item, "HSCT")
    decide(client, item, "blinatumomab")
    done(client, item)
    assert not Annotation.objects.filter(work=works[0]).exists()  # one finished: nothing settled yet
    decide(signed(client, team["second"]), item, "HSCT")
    decide(client, item, "blinatumomab", "reject")
    done(client, item)
    tags = dict(Annotation.objects.filter(work=works[0]).values_list("finding__label", "state"))
    assert tags == {"HSCT": "accepted"}
    assert [i.pk for i in double.awaiting_resolution(queue)] == [item.pk]
    refused = decide(client, item, "HSCT", "reject")  # too late: it is with the resolver
    assert Decision.objects.get(item=item, curator=team["second"], finding__label="HSCT").verdict == "accept"
    assert refused.status_code == 302


def resolver_page(client, item):
    return client.get(reverse("curation:queue-resolve", args=[item.pk]))


def finished_with_disagreement(client, works, team):
    queue = make(team)
    item = queue.items.get(work=works[0])
    for who, verdict in (("first", "accept"), ("second", "reject")):
        decide(signed(client, team[who]), item, "blinatumomab", verdict)
        done(client, item)
    return item


def test_the_resolvers_outcome_becomes_the_works_tag_that_search_uses(client, works, team):
    item = finished_with_disagreement(client, works, team)
    page = resolver_page(signed(client, team["admin"]), item)
    comparison = page.context["comparison"]
    assert [row.finding.label for row in comparison.disagreements] == ["blinatumomab"]
    finding = Finding.objects.get(label="blinatumomab")
    url = reverse("curation:queue-resolve", args=[item.pk])
    client.post(url, {"fingerprint": comparison.fingerprint, f"outcome-{finding.pk}": "first"})
    tag = Annotation.objects.get(work=works[0], finding=finding)
    assert tag.state == "accepted" and "received blinatumomab" in tag.evidence
    assert Resolution.objects.get(item=item, finding=finding).resolved_by == team["admin"]
    assert finding.pk in IndexedWork.objects.get(pk=works[0].pk).findings
    listing = client.get(reverse("references:work-list"), {"finding": "blinatumomab"}).content.decode()
    assert works[0].title in listing and works[1].title not in listing


def test_a_resolution_against_changed_outcomes_is_refused_showing_the_change(
    client, works, team, django_user_model
):
    item = finished_with_disagreement(client, works, team)
    finding = Finding.objects.get(label="blinatumomab")
    shown = resolver_page(signed(client, team["admin"]), item).context["comparison"]
    seen = {f"seen-{row.finding.pk}": row.signature for row in shown.rows}
    # The named resolver settles it first, while the admin's page is open.
    double.resolve(
        item=item, outcomes={finding.pk: "reject"}, fingerprint=shown.fingerprint, user=team["outsider"]
    )
    url = reverse("curation:queue-resolve", args=[item.pk])
    answer = client.post(url, {"fingerprint": shown.fingerprint, f"outcome-{finding.pk}": "first", **seen})
    assert answer.status_code == 409
    assert "blinatumomab</strong>: now rejected by otto" in answer.content.decode()
    assert Annotation.objects.get(work=works[0], finding=finding).state == "rejected"


def test_a_resolution_against_a_changed_decision_is_refused(client, works, team):
    item = finished_with_disagreement(client, works, team)
    shown = double.compare(item)
    Decision.objects.filter(item=item, curator=team["first"]).update(version=7)  # changed behind the page
    with pytest.raises(double.Changed):
        double.resolve(item=item, outcomes={}, fingerprint=shown.fingerprint, user=team["admin"])


def test_agreement_table_equals_a_hand_count(client, works, team):
    queue = make(team)
    items = list(queue.items.order_by("position"))
    plan = [  # per work in the queue's order: the first's accepts, the second's (others not seen)
        ({"venetoclax", "infant"}, {"venetoclax"}),
        ({"HSCT"}, {"HSCT", "inotuzumab ozogamicin"}),
        ({"HSCT", "blinatumomab"}, {"HSCT", "blinatumomab"}),
    ]
    for item, accepts in zip(items, plan, strict=True):
        for who, labels in zip(("first", "second"), accepts, strict=True):
            signed(client, team[who])
            for label in labels:
                decide(client, item, label)
            done(client, item)
    # By hand, 3 works x the 5 findings decided: both yes 4 (venetoclax, HSCT twice, blinatumomab), first
    # only 1 (infant), second only 1 (inotuzumab), both no 9. p_o = 13/15, p_e = (5/15)² + (10/15)² = 5/9,
    # kappa = (13/15 - 5/9) / (4/9) = 0.7.
    overall = double.agreement(queue).overall
    assert (overall.both_yes, overall.first_only, overall.second_only, overall.both_no) == (4, 1, 1, 9)
    assert overall.kappa == pytest.approx(0.7)
    page = client.get(queue.get_absolute_url()).content.decode()
    assert '<td class="overall-kappa">0.700</td>' in page
    rows = list(
        csv.reader(
            io.StringIO(
                signed(client, team["admin"])
                .get(reverse("curation:queue-agreement-csv", args=[queue.pk]))
                .content.decode()
            )
        )
    )
    assert rows[0][:3] == ["first curator", "second curator", "finding"] and rows[-1][2] == "(overall)"
    assert rows[-1][-1] == f"{overall.kappa:.4f}"


def test_a_single_curators_queue_tags_the_work_as_the_tagging_panel_does(client, works, team):
    queue = make(team, mode=Queue.Mode.SINGLE)
    item = queue.items.get(work=works[1])
    decide(signed(client, team["first"]), item, "inotuzumab ozogamicin")
    decide(client, item, "HSCT", "reject")
    tags = dict(Annotation.objects.filter(work=works[1]).values_list("finding__label", "state"))
    assert tags == {"inotuzumab ozogamicin": "accepted", "HSCT": "rejected"}
    assert not Decision.objects.exists()
    page = client.get(item.get_absolute_url()).content.decode()
    assert "History (2)" in page
    assert page.index("· HSCT: rejected by fay") < page.index("· inotuzumab ozogamicin: accepted by fay")


def test_every_decision_keeps_its_history(client, works, team):
    queue = make(team)
    item = queue.items.get(work=works[0])
    signed(client, team["first"])
    decide(client, item, "HSCT")
    decide(client, item, "HSCT", "reject")
    decision = Decision.objects.get(item=item, finding__label="HSCT")
    assert decision.version == 2
    assert [r.verdict for r in decision.history.order_by("history_date")] == ["accept", "reject"]
    client.get(
        reverse("curation:queue-list")
    )  # the decisions' flash messages, which name them too, shown here
    page = client.get(item.get_absolute_url()).content.decode()
    assert "History (2)" in page and "· HSCT: reject" in page and "· HSCT: accept" in page


def test_the_queues_page_takes_in_works_added_since(client, works, team, django_capture_on_commit_callbacks):
    queue = make(team)
    signed(client, team["first"]).get(queue.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):  # the index's change is announced on commit
        later = source_work("Relapse after HSCT in infants", "A late arrival.", year=1990)
    page = client.get(queue.get_absolute_url()).content.decode()
    assert "0 of 4 done" in page
    assert queue.items.get(work=later).position == 4


def test_workers_changes_rerun_the_queues_selection_at_most_once_per_stale_seconds(works, team, settings):
    settings.FACETS_STALE_SECONDS = 3600
    queue = make(team)
    assert queues.queue_refresh(queue=queue) == 0  # extended from the index as it is
    later = source_work("Relapse after HSCT in infants", "A late arrival.", year=1990)
    indexing.next_change()  # as a worker announces its commit: an enrichment makes thousands
    assert queues.queue_refresh(queue=queue) == 0
    settings.FACETS_STALE_SECONDS = 0
    assert queues.queue_refresh(queue=queue) == 1
    assert queue.items.get(work=later).position == 4


def test_a_queue_whose_selection_no_longer_reads_keeps_its_works(client, works, team):
    queue = make(team)
    Queue.objects.filter(pk=queue.pk).update(selection="year=not-a-year")  # e.g. a finding since deleted
    assert signed(client, team["admin"]).get(queue.get_absolute_url()).status_code == 200
    assert queue.items.count() == 3


def test_a_decision_by_htmx_answers_with_the_panel_and_says_what_changed(client, works, team):
    queue = make(team)
    item = queue.items.get(work=works[0])
    answer = decide(signed(client, team["first"]), item, "HSCT", htmx=True)
    html = answer.content.decode()
    assert answer.status_code == 200
    assert 'id="queue-panel"' in html and 'data-finding="HSCT"' in html
    assert '<span id="queue-status" hx-swap-oob="innerHTML">HSCT: accepted.</span>' in html
    refused = decide(client, item, "No such finding", htmx=True).content.decode()
    assert "Nothing was recorded" in refused and "queue-status" in refused
