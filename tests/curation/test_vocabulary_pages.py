"""Admins keep the finding vocabulary in the app; everyone reads it; the highlighting follows at once."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from curation.forms import FindingForm
from curation.models import Annotation, Finding
from references.models import Work
from references.search import indexing
from tests.helpers import member, signed_in

pytestmark = pytest.mark.django_db

VOCABULARY_URL = reverse("curation:vocabulary")
NEW = {"label": "Ph-like ALL", "category": "genetics", "description": "", "synonyms": "BCR-ABL1-like"}


@pytest.fixture
def keeper(django_user_model):
    return member(django_user_model, "keeper", "admin")


@pytest.fixture
def reader_client(client, django_user_model):
    """Reading the vocabulary, as the library, takes a role."""
    return signed_in(client, django_user_model)


@pytest.fixture
def keeper_client(client, keeper):
    client.force_login(keeper)
    return client


def finding(label: str) -> Finding:
    return Finding.objects.get(label=label)


def write_urls() -> list[str]:
    pk = finding("HSCT").pk
    return [
        reverse("curation:finding-create"),
        reverse("curation:finding-edit", args=[pk]),
        reverse("curation:finding-delete", args=[pk]),
    ]


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def tag(work: Work, label: str, state: str = Annotation.State.ACCEPTED) -> Annotation:
    return Annotation.objects.create(work=work, finding=finding(label), state=state, evidence="x")


# --- Reading ------------------------------------------------------------------------------------------------


def test_every_role_reads_the_vocabulary_grouped_by_category(reader_client):
    response = reader_client.get(VOCABULARY_URL)
    assert response.status_code == 200
    groups = dict(response.context["groups"])
    assert list(groups)[:3] == ["Genetics", "Therapy", "Transplant"]
    assert [f.label for f in groups["Transplant"]] == ["HSCT"]
    assert [f.label for f in groups["Genetics"]] == ["CD10-negative", "KMT2A-r", "lineage switch"]
    assert "MLL-r, MLL rearrangement" in response.text
    assert "Add a finding" not in response.text and ">Edit</a>" not in response.text


def test_only_those_allowed_see_the_add_and_edit_links(client, keeper, django_user_model):
    client.force_login(member(django_user_model, "curator", "curator"))
    page = client.get(VOCABULARY_URL).text
    assert "Add a finding" not in page and ">Edit</a>" not in page and ">Delete</a>" not in page
    client.force_login(keeper)
    page = client.get(VOCABULARY_URL).text
    assert f'href="{reverse("curation:finding-create")}"' in page
    assert f'href="{reverse("curation:finding-edit", args=[finding("HSCT").pk])}"' in page
    assert page.count(">Edit</a>") == Finding.objects.count()


def test_the_navigation_links_to_the_vocabulary(reader_client):
    page = reader_client.get(reverse("references:work-list")).text
    assert f'href="{VOCABULARY_URL}">Vocabulary</a>' in page


def test_the_works_column_counts_works_with_an_accepted_tag(reader_client):
    works = [Work.objects.create(title=f"Study {n}") for n in range(4)]
    merged = Work.objects.create(title="Duplicate of study 0", merged_into=works[0])
    tag(works[0], "HSCT")
    tag(works[1], "HSCT")
    tag(works[2], "HSCT", Annotation.State.SUGGESTED)
    tag(works[3], "HSCT", Annotation.State.REJECTED)
    tag(merged, "HSCT")
    tag(works[3], "MRD")
    response = reader_client.get(VOCABULARY_URL)
    counts = {f.label: f.work_count for _, group in response.context["groups"] for f in group}
    assert (counts["HSCT"], counts["MRD"], counts["KMT2A-r"]) == (2, 1, 0)
    assert 'aria-label="2 works tagged HSCT">2</a>' in response.text


@pytest.mark.parametrize("size", [3, 20])
def test_the_vocabulary_page_costs_the_same_however_many_findings(
    keeper_client, django_assert_max_num_queries, size
):
    Finding.objects.all().delete()
    for n in range(size):
        Finding.objects.create(label=f"finding {n}", category="therapy", synonyms=[f"synonym {n}"])
        work = Work.objects.create(title=f"Study {n}")
        Annotation.objects.create(work=work, finding=Finding.objects.get(label=f"finding {n}"))
    with django_assert_max_num_queries(
        6
    ):  # session, user, two for permissions, the findings, pending duplicates
        response = keeper_client.get(VOCABULARY_URL)
    assert sum(f.work_count for _, group in response.context["groups"] for f in group) == size


def test_user_text_is_escaped(reader_client):
    Finding.objects.create(
        label="<b>bold</b>", category="therapy", description="<script>x()</script>", synonyms=["<i>"]
    )
    page = reader_client.get(VOCABULARY_URL).text
    assert "<script>x()" not in page and "<b>bold" not in page and "<i>" not in page
    assert "&lt;script&gt;x()&lt;/script&gt;" in page and "&lt;b&gt;bold&lt;/b&gt;" in page


# --- Who may write ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["researcher", "curator"])
def test_researchers_and_curators_may_not_write(client, django_user_model, role):
    client.force_login(member(django_user_model, role, role))
    synonyms = finding("HSCT").synonyms
    for url in write_urls():
        assert client.get(url).status_code == 403, url
        assert client.post(url, {**NEW, "label": "HSCT", "synonyms": "SCT"}).status_code == 403, url
    assert finding("HSCT").synonyms == synonyms
    assert not Finding.objects.filter(label="Ph-like ALL").exists()


def test_anonymous_users_are_sent_to_sign_in(client):
    for url in [VOCABULARY_URL, *write_urls()]:
        for response in (client.get(url), client.post(url, NEW)):
            assert response.status_code == 302 and response.url.startswith("/accounts/login/"), url
    assert Finding.objects.filter(label="HSCT").exists()
    assert not Finding.objects.filter(label="Ph-like ALL").exists()


def test_a_post_without_the_csrf_token_is_refused(keeper):
    client = Client(enforce_csrf_checks=True)
    client.force_login(keeper)
    assert client.post(reverse("curation:finding-create"), NEW).status_code == 403
    assert not Finding.objects.filter(label="Ph-like ALL").exists()


def test_a_get_writes_nothing(keeper_client):
    pk = finding("HSCT").pk
    assert keeper_client.get(reverse("curation:finding-create"), NEW).status_code == 200
    assert keeper_client.get(reverse("curation:finding-delete", args=[pk])).status_code == 200
    assert Finding.objects.filter(pk=pk).exists()
    assert not Finding.objects.filter(label="Ph-like ALL").exists()


# --- Adding and editing -------------------------------------------------------------------------------------


def test_an_admin_adds_a_finding_and_is_told(keeper_client):
    data = {
        **NEW,
        "synonyms": "  Philadelphia-like \n\nBCR-ABL1-like\nphiladelphia-LIKE\n  \nBCR-ABL1-like\n",
    }
    response = keeper_client.post(reverse("curation:finding-create"), data)
    assert response.status_code == 302 and response.url == VOCABULARY_URL
    assert messages_of(response) == ["Added Ph-like ALL."]
    added = finding("Ph-like ALL")
    assert (added.category, added.synonyms) == ("genetics", ["Philadelphia-like", "BCR-ABL1-like"])


def test_the_edit_form_shows_one_synonym_per_line_and_saves_changes(keeper_client):
    hsct = finding("HSCT")
    url = reverse("curation:finding-edit", args=[hsct.pk])
    form = keeper_client.get(url).context["form"]
    assert form["synonyms"].value() == "\n".join(hsct.synonyms)
    data = {"label": "HSCT", "category": "transplant", "description": "Transplant.", "synonyms": "SCT\nBMT"}
    response = keeper_client.post(url, data)
    assert messages_of(response) == ["Saved HSCT."]
    hsct.refresh_from_db()
    assert (hsct.description, hsct.synonyms) == ("Transplant.", ["SCT", "BMT"])


@pytest.mark.parametrize("label", ["KMT2A-r", "KMT2A-R", "  kmt2a-r "])
def test_a_label_clashing_with_another_ignoring_case_is_refused(keeper_client, label):
    response = keeper_client.post(reverse("curation:finding-create"), {**NEW, "label": label})
    assert response.status_code == 200
    assert response.context["form"].errors["label"] == [
        "The vocabulary already has “KMT2A-r”; labels must differ by more than upper and lower case."
    ]
    assert "The finding was not saved" in response.text
    assert Finding.objects.filter(label__iexact="kmt2a-r").count() == 1


def test_renaming_a_finding_to_another_case_of_its_own_label_is_allowed(keeper_client):
    pk = finding("infant").pk
    data = {"label": "Infant", "category": "population", "description": "", "synonyms": "infants"}
    assert keeper_client.post(reverse("curation:finding-edit", args=[pk]), data).status_code == 302
    assert Finding.objects.get(pk=pk).label == "Infant"


def test_a_renamed_label_cannot_take_another_findings_label(keeper_client):
    data = {"label": "hsct", "category": "therapy", "description": "", "synonyms": ""}
    response = keeper_client.post(reverse("curation:finding-edit", args=[finding("MRD").pk]), data)
    assert "The vocabulary already has “HSCT”" in response.context["form"].errors["label"][0]
    assert response.context["stored_label"] == "MRD"
    assert Finding.objects.filter(label="MRD").exists()


def test_synonyms_are_one_per_line_without_blanks_or_repeats():
    form = FindingForm({**NEW, "synonyms": "MLL-r\r\n  11q23  \n\nmll-R\nt(4;11)\n11Q23\n"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["synonyms"] == ["MLL-r", "11q23", "t(4;11)"]
    assert FindingForm({**NEW, "synonyms": "\n  \n"}).is_valid()


def test_a_synonym_longer_than_200_characters_is_refused(keeper_client):
    data = {**NEW, "synonyms": "fine\n" + "x" * 201 + "\n" + "y" * 200}
    response = keeper_client.post(reverse("curation:finding-create"), data)
    assert response.context["form"].errors["synonyms"] == [
        f"The synonym “{'x' * 40}…” is 201 characters long; a synonym may have at most 200."
    ]
    assert not Finding.objects.filter(label="Ph-like ALL").exists()
    assert "x" * 201 in response.text  # what the admin typed is kept for them to correct


def test_label_and_category_are_required(keeper_client):
    response = keeper_client.post(reverse("curation:finding-create"), {"label": " ", "synonyms": "a"})
    assert set(response.context["form"].errors) == {"label", "category"}


# --- Deleting -----------------------------------------------------------------------------------------------


def test_an_unused_finding_is_deleted_after_a_confirmation(keeper_client):
    url = reverse("curation:finding-delete", args=[finding("review").pk])
    page = keeper_client.get(url)
    assert "Delete review</button>" in page.text
    response = keeper_client.post(url)
    assert response.url == VOCABULARY_URL
    assert messages_of(response) == ["Deleted review."]
    assert not Finding.objects.filter(label="review").exists()


def test_a_finding_in_use_is_not_deleted(keeper_client):
    works = [Work.objects.create(title=f"Study {n}") for n in range(3)]
    tag(works[0], "HSCT")
    tag(works[1], "HSCT", Annotation.State.SUGGESTED)
    tag(works[2], "HSCT", Annotation.State.REJECTED)
    url = reverse("curation:finding-delete", args=[finding("HSCT").pk])
    refusal = "HSCT is used by 3 annotations; it cannot be deleted while works are tagged with it"
    page = keeper_client.get(url)
    assert refusal in page.text and "</button>" not in page.text.split("<main>")[1]
    response = keeper_client.post(url, follow=True)
    assert response.status_code == 200
    assert refusal in response.text
    assert Finding.objects.filter(label="HSCT").exists() and Annotation.objects.count() == 3


# --- The highlighting follows the vocabulary ----------------------------------------------------------------


def test_a_synonym_added_through_the_form_is_highlighted_on_the_next_page_load(keeper_client):
    work = Work.objects.create(
        title="Menin inhibition in infant ALL", abstract="After relapse she received bleximenib."
    )
    before = keeper_client.get(work.get_absolute_url())  # compiles and caches the current matcher
    assert "menin inhibitor" not in [f.label for f, _ in before.context["suggestions"]]
    assert 'data-finding="menin inhibitor"' not in before.text
    menin = finding("menin inhibitor")
    data = {
        "label": menin.label,
        "category": menin.category,
        "description": menin.description,
        "synonyms": "\n".join([*menin.synonyms, "bleximenib"]),
    }
    keeper_client.post(reverse("curation:finding-edit", args=[menin.pk]), data)
    after = keeper_client.get(work.get_absolute_url())
    suggested = {f.label: mention.text for f, mention in after.context["suggestions"]}
    assert suggested["menin inhibitor"] == "bleximenib"
    assert 'data-finding="menin inhibitor" title="menin inhibitor">bleximenib</mark>' in after.text


# --- Renaming keeps old links working ----------------------------------------------------------------------


def rename(client: Client, label: str, to: str) -> None:
    found = finding(label)
    data = {"label": to, "category": found.category, "description": "", "synonyms": ""}
    assert client.post(reverse("curation:finding-edit", args=[found.pk]), data).status_code == 302


@pytest.fixture
def transplanted() -> Work:
    work = Work.objects.create(title="Second HSCT in infant ALL", year=2020)
    indexing.refresh([work.pk])
    tag(work, "HSCT")
    return work


def test_a_list_link_naming_a_former_label_is_sent_on_to_the_label_now(keeper_client, transplanted):
    rename(keeper_client, "HSCT", "Stem cell transplant")
    rename(keeper_client, "Stem cell transplant", "HCT")
    response = keeper_client.get("/", {"finding": ["HSCT", "infant"], "scope": "all", "page": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/?finding=HCT&finding=infant&scope=all&page=1"
    tag(transplanted, "infant")
    listed = keeper_client.get(response["Location"])
    assert [work.pk for work in listed.context["page"].object_list] == [transplanted.pk]


def test_exports_and_the_api_read_a_former_label(keeper_client, transplanted):
    rename(keeper_client, "HSCT", "HCT")
    exported = keeper_client.get(reverse("references:export-bib"), {"finding": "HSCT", "scope": "all"})
    assert exported.status_code == 200
    assert "Second HSCT in infant ALL" in b"".join(exported.streaming_content).decode()
    listed = keeper_client.get("/api/works/", {"finding": "HSCT", "scope": "all"}).json()
    assert [work["id"] for work in listed["results"]] == [transplanted.pk]


def test_a_label_in_use_wins_over_the_same_former_label(keeper_client, transplanted):
    rename(keeper_client, "HSCT", "HCT")
    keeper_client.post(reverse("curation:finding-create"), {**NEW, "label": "HSCT", "category": "transplant"})
    response = keeper_client.get("/", {"finding": "HSCT", "scope": "all"})
    assert response.status_code == 200 and list(response.context["page"].object_list) == []
    rename(keeper_client, "HCT", "HSCT-2")
    assert finding("HSCT-2").former_labels == ["HSCT", "HCT"]


def test_renaming_back_drops_the_label_from_the_former_ones(keeper_client):
    rename(keeper_client, "MRD", "Measurable residual disease")
    rename(keeper_client, "Measurable residual disease", "MRD")
    assert finding("MRD").former_labels == ["Measurable residual disease"]
    assert keeper_client.get("/", {"finding": "MRD"}).status_code == 200


def test_the_edit_form_names_the_former_labels(keeper_client):
    rename(keeper_client, "MRD", "Measurable residual disease")
    page = keeper_client.get(
        reverse("curation:finding-edit", args=[finding("Measurable residual disease").pk])
    )
    assert "Formerly MRD: links and exports that name it still find this finding." in page.text


def test_a_rename_in_the_admin_is_remembered_too(keeper_client, admin_user):
    keeper_client.force_login(admin_user)
    hsct = finding("HSCT")
    data = {"label": "HCT", "category": "transplant", "description": "", "synonyms": "SCT"}
    response = keeper_client.post(reverse("admin:curation_finding_change", args=[hsct.pk]), data)
    assert response.status_code == 302
    hsct.refresh_from_db()
    assert (hsct.label, hsct.former_labels, hsct.synonyms) == ("HCT", ["HSCT"], ["SCT"])
