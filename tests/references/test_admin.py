"""Editing a work in the admin marks the edited fields as a curator's, which imports and Crossref then keep."""

import pytest
from django.urls import reverse

from references.models import Work

pytestmark = pytest.mark.django_db


def change_form_data(response) -> dict:
    """The change form's current values, with each inline's management form, as a browser would post them."""
    form = response.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({name: ",".join(value) for name, value in data.items() if isinstance(value, list)})
    for formset in response.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        data.update(
            {f"{prefix}-{key}": value for key, value in formset.formset.management_form.initial.items()}
        )
    return data


def test_an_admin_edit_is_recorded_as_the_curators(client, admin_user):
    work = Work.objects.create(title="Interfant-99", volume="")
    client.force_login(admin_user)
    url = reverse("admin:references_work_change", args=[work.pk])
    data = change_form_data(client.get(url))
    data["volume"] = "370"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    origin = work.field_origins.get()
    assert (origin.field, origin.source, origin.detail) == ("volume", "curator", "chief")
