"""The meeting page's forms, one per workflow action (chainparty.actions.ActionForm: fields named as
the service's keywords), and the list's quarter field."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Unit
from chainparty.actions import ActionForm
from issues.models import Issue

TEXTAREA = {"rows": 3}
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_SEPARATOR = re.compile(r"\s*[,，、/]\s*")


def _split(line: str) -> tuple[str, str]:
    parts = _SEPARATOR.split(line.strip(), maxsplit=1)
    return (parts[0], parts[1] if len(parts) > 1 else "")


class RescheduleForm(ActionForm):
    starts_at = forms.DateTimeField(
        label=_("New date and time"), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"], widget=DATETIME_INPUT
    )
    place = forms.CharField(label=_("Place"), required=False, max_length=200)


class AttendanceMixin(forms.Form):
    attendance = forms.CharField(
        label=_("Who came"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One person a line: name, unit."),
    )

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["attendance"] = [{"name": n, "unit_name": u} for n, u in map(_split, _lines(data["attendance"]))]
        return data


def _lines(text: str) -> list[str]:
    return [line for line in (text or "").splitlines() if line.strip()]


class HoldForm(AttendanceMixin, ActionForm):
    summary = forms.CharField(
        label=pgettext_lazy("meeting record", "Minutes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Leave empty to record the minutes later."),
    )


class MinutesForm(AttendanceMixin, ActionForm):
    summary = forms.CharField(
        label=pgettext_lazy("meeting record", "Minutes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "required": True}),
    )


class DiscussForm(ActionForm):
    agenda_item_id = forms.IntegerField(widget=forms.HiddenInput)
    discussion = forms.CharField(
        label=_("What was discussed"), required=False, widget=forms.Textarea(attrs={**TEXTAREA, "required": True})
    )


class DecideForm(ActionForm):
    text = forms.CharField(
        label=_("Decision"), required=False, widget=forms.Textarea(attrs={**TEXTAREA, "required": True})
    )
    agenda_item_id = forms.IntegerField(label=_("On agenda item (number)"), required=False, widget=forms.HiddenInput)
    follow_up_unit = forms.ModelChoiceField(label=_("Follow-up by unit"), queryset=Unit.objects.none(), required=False)
    follow_up_due = forms.DateField(label=_("Follow-up due"), required=False, widget=DATE_INPUT)
    enterprise_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    updated_issue_id = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["follow_up_unit"].queryset = Unit.objects.filter(is_active=True).order_by("name")

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        unit = data.pop("follow_up_unit")
        data["follow_up_unit_id"] = unit.pk if unit else None
        return data


class CancelForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={**TEXTAREA, "required": True})
    )


class AddItemForm(ActionForm):
    issue_number = forms.CharField(
        label=_("Issue number"), required=False, max_length=20, help_text=_("e.g. LZ-2026-000123")
    )
    title = forms.CharField(
        label=_("Item"), required=False, max_length=200, help_text=_("District staff: a topic without an issue.")
    )

    def service_kwargs(self) -> dict:
        number = self.cleaned_data["issue_number"].strip().upper()
        # An unknown number is id 0, which no issue has: the service names the field in error.
        found = Issue.objects.filter(number=number).values_list("pk", flat=True).first() if number else None
        return {"issue_id": (found or 0) if number else None, "title": self.cleaned_data["title"]}
