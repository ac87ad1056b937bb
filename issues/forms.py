"""Forms of the issue pages. They parse and type the input; the rules (required text, lengths, who may
submit for which enterprise, dispatch modes, reason codes) stay in issues/services/, whose
ValidationError field names these forms mirror, so a service's message lands next to its field
(chainparty.actions.apply_service_errors). The list's filter is issues.filters.IssueFilter."""

import re
import uuid
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit, UnitKind
from chainparty.actions import ActionForm
from chainparty.dates import DAY_VALIDATORS, parse_period
from chainparty.scope import parse_id
from chains.models import Chain
from issues import services
from issues.models import DispatchMode, IssueCategory, ReasonCode, Satisfaction
from issues.selectors import sees_internal
from workdays.calendar import add_working_days

TEXTAREA = {"rows": 3}
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# --- multiple file upload (Django's documented pattern) ----------------------------------------
class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    # An empty file is the service's to refuse, by name, with the others' problems: refused here, it
    # would take every file of the round with it.
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class IdListField(forms.Field):
    """Ids sent as repeated hidden inputs; what is not an id is dropped."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        return [pk for pk in (parse_id(item) for item in value or []) if pk]


_TOKEN = re.compile(r"^[0-9a-f]{32}$")


# --- submit ----------------------------------------------------------------------------------------
class IssueSubmitForm(forms.Form):
    """Every field optional here: the service says what is missing, with every other problem at once
    (issues.services.submit_issue_once). A choice that is no choice is this form's error, handed to
    the service with the rest."""

    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=None, required=False)
    category = forms.ModelChoiceField(label=_("Category"), queryset=None, to_field_name="code", required=False)
    chain = forms.ModelChoiceField(
        label=_("Chain"),
        queryset=None,
        required=False,
        help_text=_("Leave empty to use the enterprise's first chain."),
    )
    title = forms.CharField(label=_("Title"), required=False, widget=forms.TextInput(attrs={"maxlength": 200}))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("Up to 10 files, 20 MB each: PDF, images, office documents."),
    )
    # One key per rendered form: a double click or a resent POST returns the issue already created.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)
    # The form's files kept from a refused try (issues.models.StagedUpload), and the files on it.
    upload_token = forms.CharField(widget=forms.HiddenInput, required=False)
    staged = IdListField(required=False)
    remove_staged = IdListField(required=False)

    def clean_upload_token(self) -> str:
        token = self.cleaned_data["upload_token"]
        return token if _TOKEN.match(token or "") else ""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        enterprises = services.submitter_enterprises(user).order_by("name")
        self.fields["enterprise"].queryset = enterprises
        self.fields["category"].queryset = IssueCategory.objects.filter(is_active=True).order_by("kind", "name")
        self.fields["chain"].queryset = (
            Chain.objects.filter(memberships__enterprise__in=enterprises.values("pk")).distinct().order_by("name")
        )
        self.fields["enterprise"].empty_label = _("Choose…")
        self.fields["category"].empty_label = _("Choose…")
        self.fields["chain"].empty_label = _("The enterprise's first chain")
        for name in ("enterprise", "category", "title", "description"):
            self.fields[name].widget.attrs["required"] = True
        self.fields["attachments"].widget.attrs["accept"] = ",".join(sorted(services.ALLOWED_EXTENSIONS))
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)
            self.initial.setdefault("upload_token", uuid.uuid4().hex)
            ids = list(enterprises.values_list("pk", flat=True)[:2])
            if len(ids) == 1:
                self.initial.setdefault("enterprise", ids[0])


# --- complaint sessions ----------------------------------------------------------------------------
class ComplaintSessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    chain = forms.ModelChoiceField(label=_("Chain"), queryset=Chain.objects.order_by("name"), required=False)
    industry_committee = forms.ModelChoiceField(
        label=_("Industry party committee"),
        queryset=Unit.objects.filter(kind=UnitKind.INDUSTRY_PARTY_COMMITTEE, is_active=True).order_by("name"),
        required=False,
    )
    held_on = forms.DateField(label=_("Date"), required=False, widget=DATE_INPUT, validators=DAY_VALIDATORS)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    host_unit = forms.ModelChoiceField(
        label=_("Host unit"), queryset=Unit.objects.filter(is_active=True).order_by("kind", "name"), required=False
    )


class SessionRowForm(forms.Form):
    """One row of the 吐槽大会 grid. Text only, nothing refused here: an untouched row is skipped, and
    every started row is checked, every field of it, by services.submit_session_issues, whose
    messages name the row — so one save shows every row's every error.

    The enterprise is typed as its unified social credit code or its exact name (a district holds
    tens of thousands: no list to choose from); static/js/enterprise-lookup.js suggests them as one
    types, from `lookup_url`, and without JavaScript the code or the name is enough."""

    enterprise = forms.CharField(
        label=_("Enterprise (name or unified social credit code)"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 200, "size": 24, "autocomplete": "off", "spellcheck": "false"}),
    )
    # A code that is no category is the service's "unknown category", with the row's other errors.
    category = forms.CharField(label=_("Category"), required=False, widget=forms.Select)
    title = forms.CharField(label=_("Title"), required=False, widget=forms.TextInput(attrs={"maxlength": 200}))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, category_choices=(), lookup_url="", **kwargs):
        super().__init__(*args, **kwargs)
        # The choices are read once for the whole grid, not once per row.
        self.fields["category"].widget.choices = [("", "—"), *category_choices]
        if lookup_url:
            self.fields["enterprise"].widget.attrs["data-lookup-url"] = lookup_url


SESSION_GRID_MAX_ROWS = 100


def session_grid(extra: int = 0):
    """The formset class of the grid; `extra` empty rows when it is first shown."""
    return forms.formset_factory(
        SessionRowForm, extra=extra, max_num=SESSION_GRID_MAX_ROWS, absolute_max=SESSION_GRID_MAX_ROWS
    )


# --- one small form per workflow action (declared with its service in issues.actions) ------------------
# Fields carry the service's keyword names: the cleaned data is what the service takes, unless a
# widget gives another shape and service_kwargs() converts it.
class AcceptForm(ActionForm):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs=TEXTAREA))


class RejectForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={**TEXTAREA, "required": True})
    )


class DispatchForm(ActionForm):
    mode = forms.ChoiceField(
        label=_("Dispatch mode"), choices=DispatchMode.choices, initial=DispatchMode.TRANSFER, widget=forms.RadioSelect
    )
    lead_unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=None, required=False)
    co_units = forms.ModelMultipleChoiceField(
        label=_("Co-handling units"),
        queryset=None,
        required=False,
        help_text=_("Joint handling only."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs=TEXTAREA))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(is_active=True).order_by("kind", "name")
        self.fields["lead_unit"].queryset = units
        self.fields["lead_unit"].empty_label = _("Choose…")
        self.fields["co_units"].queryset = units

    def service_kwargs(self):
        data = self.cleaned_data
        lead = data.get("lead_unit")
        return {
            "mode": data["mode"],
            "lead_unit_id": lead.pk if lead else None,
            "co_unit_ids": [unit.pk for unit in data.get("co_units") or []],
            "note": data["note"],
        }


class SignForm(ActionForm):
    pass


class ReturnForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        help_text=_("Why this is not your unit's remit."),
        widget=forms.Textarea(attrs={**TEXTAREA, "required": True}),
    )


class RequestExtensionForm(ActionForm):
    days = forms.IntegerField(label=_("Extra working days"), min_value=1, max_value=30, initial=5)
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={**TEXTAREA, "required": True})
    )


class DecideExtensionForm(ActionForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("grant", _("Grant")), ("deny", _("Deny"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs=TEXTAREA))

    def service_kwargs(self):
        return {"grant": self.cleaned_data["decision"] == "grant", "note": self.cleaned_data["note"]}


class ReplyPartForm(ActionForm):
    reply = forms.CharField(
        label=_("Your unit's part"), required=False, widget=forms.Textarea(attrs={"rows": 5, "required": True})
    )


class ResolveForm(ActionForm):
    answer = forms.CharField(
        label=_("Answer to the enterprise"), required=False, widget=forms.Textarea(attrs={"rows": 5, "required": True})
    )


class RateForm(ActionForm):
    satisfaction = forms.ChoiceField(label=_("Satisfaction"), choices=Satisfaction.choices, widget=forms.RadioSelect)
    reason_codes = forms.MultipleChoiceField(
        label=_("Reasons"),
        required=False,
        choices=ReasonCode.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Required when you are not satisfied."),
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs=TEXTAREA))


class CommentForm(ActionForm):
    text = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={**TEXTAREA, "required": True})
    )
    public = forms.BooleanField(
        label=_("Visible to the enterprise"),
        required=False,
        initial=True,
        help_text=_("Untick for an internal comment that only government users see."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not sees_internal(self.user):
            # The enterprise side writes public comments only: the choice is not offered, and the
            # service's default (public) applies.
            del self.fields["public"]


class SuperviseForm(ActionForm):
    instruction = forms.CharField(
        label=_("Instruction"), required=False, widget=forms.Textarea(attrs={**TEXTAREA, "required": True})
    )
    # A text the service parses, so that a wrong day is its message, the API's too.
    reply_by = forms.DateField(
        label=_("The lead unit answers by"),
        required=False,
        widget=DATE_INPUT,
        error_messages={"invalid": _("Give a day as YYYY-MM-DD.")},
    )
    report = forms.BooleanField(label=_("Report it in the district circular (通报)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user is not None and not self.user.is_district_staff:
            del self.fields["report"]  # the circular (通报) is the district's
        self.fields["reply_by"].initial = timezone.localdate(add_working_days(timezone.now(), 3))


class AnswerSupervisionForm(ActionForm):
    reply = forms.CharField(
        label=_("Your unit's answer"), required=False, widget=forms.Textarea(attrs={**TEXTAREA, "required": True})
    )


class UrgeForm(ActionForm):
    """The units offered are the issue's (the page sets them: issues.views); the service decides."""

    unit = forms.IntegerField(label=_("Unit"), required=False, widget=forms.Select)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs=TEXTAREA))

    def service_kwargs(self):
        return {"unit_id": self.cleaned_data.get("unit"), "note": self.cleaned_data["note"]}


class AddToMeetingForm(ActionForm):
    pass


# --- unit ranking --------------------------------------------------------------------------------------
class PeriodForm(forms.Form):
    """The ranking's period (chainparty.dates.parse_period, as the API's); an empty end means today,
    an empty start the first of January."""

    start = forms.CharField(label=_("From"), required=False, widget=DATE_INPUT)
    end = forms.CharField(label=_("To"), required=False, widget=DATE_INPUT)

    def __init__(self, data=None, **kwargs):
        today = timezone.localdate()
        self.default = (date(today.year, 1, 1), today)
        data = data.copy() if data is not None else {}
        # Show the period used, also when none was asked for.
        for name, value in zip(("start", "end"), self.default, strict=True):
            if not data.get(name):
                data[name] = value.isoformat()
        super().__init__(data, **kwargs)

    def clean(self):
        data = super().clean()
        data["start"], data["end"] = parse_period(self.data, first="start", last="end", default=self.default)
        return data
