"""The forms of curation queues: making one, deciding on a finding in one, resolving a double-curated work."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from .forms import FindingField
from .models import QUOTABLE_FIELDS
from .queue_models import Decision, Queue


def queue_workers():
    """Users who may work through queues: by their role, their own permission, or as superusers."""
    by_group = Q(groups__permissions__codename="work_queue")
    by_user = Q(user_permissions__codename="work_queue")
    return get_user_model().objects.filter(by_group | by_user | Q(is_superuser=True)).distinct()


class QueueForm(forms.Form):
    name = forms.CharField(max_length=200)
    selection = forms.CharField(required=False, max_length=4000, widget=forms.HiddenInput)
    mode = forms.ChoiceField(choices=Queue.Mode.choices, initial=Queue.Mode.SINGLE, widget=forms.RadioSelect)
    curators = forms.ModelMultipleChoiceField(
        queryset=queue_workers(),
        widget=forms.CheckboxSelectMultiple,
        help_text="One, or two for independent.",
    )
    resolver = forms.ModelChoiceField(
        queryset=queue_workers(), required=False, empty_label="Any admin", help_text="Settles disagreements."
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["curators"].queryset = self.fields["resolver"].queryset = queue_workers().order_by(
            "username"
        )


class OptionalFindingField(FindingField):
    def clean(self, value):
        return super().clean(value) if (value or "").strip() else None


class DecisionForm(forms.Form):
    """A decision on a finding: a suggestion accepted or rejected, or a finding added with a quote."""

    finding = OptionalFindingField(max_length=100, required=False)
    verdict = forms.ChoiceField(choices=[*Decision.Verdict.choices, ("accept-all", "Accept all")])
    field = forms.ChoiceField(choices=[(f.value, f.label) for f in QUOTABLE_FIELDS], required=False)
    quote = forms.CharField(required=False, max_length=5000)
    start = forms.IntegerField(required=False, min_value=0)
    note = forms.CharField(required=False, max_length=2000)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("verdict") != "accept-all" and not data.get("finding"):
            self.add_error("finding", "Choose a finding.")
        return data


class ResolveForm(forms.Form):
    fingerprint = forms.CharField(max_length=64)

    def outcomes(self, data) -> dict[int, str]:
        """outcome-<finding id> = first | second | reject, as posted."""
        chosen = {}
        for key, value in data.items():
            if key.startswith("outcome-") and key[8:].isdigit() and value in ("first", "second", "reject"):
                chosen[int(key[8:])] = value
        return chosen
