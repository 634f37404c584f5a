"""The admin edits annotations by the curators' rule: every change raises the version, stale forms are refused."""

import pytest
from django.urls import reverse

from curation.models import Annotation, Finding
from curation.services import Conflict, change_annotation
from references.models import Work
from tests.references.test_admin import change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def tag():
    work = Work.objects.create(title="Blinatumomab in infants")
    return Annotation.objects.create(work=work, finding=Finding.objects.get(label="infant"), note="first")


def test_an_admin_edit_raises_the_version_so_a_curators_stale_form_is_refused(client, admin_user, tag):
    client.force_login(admin_user)
    url = reverse("admin:curation_annotation_change", args=[tag.pk])
    page = client.get(url)
    assert "version" not in page.context["adminform"].form.fields  # shown, never edited
    data = change_form_data(page)
    data["note"] = "the admin's note"
    assert client.post(url, data).status_code == 302
    tag.refresh_from_db()
    assert (tag.note, tag.version) == ("the admin's note", 2)
    with pytest.raises(Conflict):
        change_annotation(annotation_id=tag.pk, user=admin_user, version=1, state=tag.state, note="stale")


def test_an_admin_form_opened_before_a_curators_change_is_refused(client, admin_user, tag):
    client.force_login(admin_user)
    url = reverse("admin:curation_annotation_change", args=[tag.pk])
    data = change_form_data(client.get(url))
    change_annotation(annotation_id=tag.pk, user=admin_user, version=1, state=tag.state, note="the curator's")
    data["note"] = "the admin's stale note"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Someone changed this tag since you opened it" in response.text
    tag.refresh_from_db()
    assert (tag.note, tag.version) == ("the curator's", 2)
