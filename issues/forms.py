"""Forms of the issue pages. They parse and type the input; the rules (required text, lengths, who may
submit for which enterprise, dispatch modes, reason codes) stay in issues/services.py, whose
ValidationError field names these forms mirror, so a service's message lands next to its field."""

import uuid
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit, UnitKind
from chains.credit_code import normalise_credit_code, validate_credit_code
from chains.models import Chain
from issues import services
from issues.models import DispatchMode, IssueCategory, Satisfaction, Status
from issues.selectors import sees_internal
from issues.workflow import Action

TEXTAREA = {"rows": 3}


def apply_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: each field it names, the rest as non-field errors."""
    for field, messages in exc.message_dict.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


# --- multiple file upload (Django's documented pattern) ----------------------------------------
class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


# --- list filters --------------------------------------------------------------------------------
class IssueFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    chain = forms.ModelChoiceField(label=_("Chain"), queryset=Chain.objects.none(), required=False)
    category = forms.ModelChoiceField(label=_("Category"), queryset=IssueCategory.objects.none(), required=False)
    escalation = forms.TypedChoiceField(
        label=_("Escalation level"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", _("Any")),
            ("1", _("Level 1 or higher")),
            ("2", _("Level 2 or higher")),
            ("3", _("Level 3")),
        ],
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any")), *Status.choices]
        # Offer only the chains the user may see: a chain id outside scope is "not a valid choice".
        self.fields["chain"].queryset = Chain.objects.visible_to(user).order_by("name")
        self.fields["category"].queryset = IssueCategory.objects.order_by("kind", "name")
        self.fields["chain"].empty_label = _("Any")
        self.fields["category"].empty_label = _("Any")

    def filter(self, issues, *, now):
        data = self.cleaned_data
        if data.get("status"):
            issues = issues.filter(status=data["status"])
        if data.get("chain"):
            issues = issues.filter(chain=data["chain"])
        if data.get("category"):
            issues = issues.filter(category=data["category"])
        if data.get("escalation"):
            issues = issues.filter(escalation_level__gte=data["escalation"])
        if data.get("overdue"):
            issues = issues.overdue(now)
        return issues


# --- submit ----------------------------------------------------------------------------------------
class IssueSubmitForm(forms.Form):
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=None)
    category = forms.ModelChoiceField(label=_("Category"), queryset=None, to_field_name="code")
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
        self.fields["title"].widget.attrs["required"] = True
        self.fields["description"].widget.attrs["required"] = True
        self.fields["attachments"].widget.attrs["accept"] = ",".join(sorted(services.ALLOWED_EXTENSIONS))
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)
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
    held_on = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    host_unit = forms.ModelChoiceField(
        label=_("Host unit"), queryset=Unit.objects.filter(is_active=True).order_by("kind", "name"), required=False
    )


class SessionRowForm(forms.Form):
    """One row of the 吐槽大会 grid. Every field optional here: an untouched row is skipped, and a
    started row is checked by services.submit_session_issues, whose messages name the row.

    The enterprise is typed as its unified social credit code (a district holds tens of thousands:
    no list to choose from) and resolved here to the enterprise's id."""

    enterprise = forms.CharField(
        label=_("Enterprise (unified social credit code)"),
        required=False,
        widget=forms.TextInput(
            attrs={"maxlength": 18, "size": 20, "autocomplete": "off", "spellcheck": "false", "class": "code"}
        ),
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    title = forms.CharField(label=_("Title"), required=False, widget=forms.TextInput(attrs={"maxlength": 200}))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, category_choices=(), enterprises_by_code=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The choices and the enterprises are read once for the whole grid, not once per row.
        self.fields["category"].choices = [("", "—"), *category_choices]
        self.enterprises_by_code = enterprises_by_code or {}

    def clean_enterprise(self) -> int | None:
        code = normalise_credit_code(self.cleaned_data["enterprise"])
        if not code:
            return None
        validate_credit_code(code)  # a mistyped code says what is wrong with it
        enterprise_id = self.enterprises_by_code.get(code)
        if enterprise_id is None:
            raise ValidationError(
                _("No enterprise has the unified social credit code %(code)s."), params={"code": code}, code="unknown"
            )
        return enterprise_id


class SessionGridFormSet(forms.BaseFormSet):
    """Looks up every credit code typed in the grid in one query, for the rows to resolve."""

    def __init__(self, *args, enterprises=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._enterprises = enterprises
        self._by_code = None

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if self.is_bound and self._enterprises is not None:
            kwargs["enterprises_by_code"] = self._codes()
        return kwargs

    def _codes(self) -> dict[str, int]:
        if self._by_code is None:
            typed = {
                normalise_credit_code(value)
                for key, value in self.data.items()
                if key.startswith(f"{self.prefix}-") and key.endswith("-enterprise") and isinstance(value, str)
            }
            typed.discard("")
            rows = self._enterprises.filter(credit_code__in=typed).values_list("credit_code", "pk")
            self._by_code = dict(rows) if typed else {}
        return self._by_code


SESSION_GRID_MAX_ROWS = 100


def session_grid(extra: int = 0):
    """The formset class of the grid; `extra` empty rows when it is first shown. Bind it with
    `enterprises=` (the queryset the user may submit for) so that the codes resolve."""
    return forms.formset_factory(
        SessionRowForm,
        formset=SessionGridFormSet,
        extra=extra,
        max_num=SESSION_GRID_MAX_ROWS,
        absolute_max=SESSION_GRID_MAX_ROWS,
    )


# --- one small form per workflow action ----------------------------------------------------------------
class AcceptForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs=TEXTAREA))

    def service_kwargs(self):
        return {"note": self.cleaned_data["note"]}


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={**TEXTAREA, "required": True})
    )

    def service_kwargs(self):
        return {"reason": self.cleaned_data["reason"]}


class DispatchForm(forms.Form):
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


class SignForm(forms.Form):
    def service_kwargs(self):
        return {}


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        help_text=_("Why this is not your unit's remit."),
        widget=forms.Textarea(attrs={**TEXTAREA, "required": True}),
    )

    def service_kwargs(self):
        return {"reason": self.cleaned_data["reason"]}


class RequestExtensionForm(forms.Form):
    days = forms.IntegerField(label=_("Extra working days"), min_value=1, max_value=30, initial=5)
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={**TEXTAREA, "required": True})
    )

    def service_kwargs(self):
        return {"days": self.cleaned_data["days"], "reason": self.cleaned_data["reason"]}


class DecideExtensionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("grant", _("Grant")), ("deny", _("Deny"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs=TEXTAREA))

    def service_kwargs(self):
        return {"grant": self.cleaned_data["decision"] == "grant", "note": self.cleaned_data["note"]}


class ReplyPartForm(forms.Form):
    reply = forms.CharField(
        label=_("Your unit's part"), required=False, widget=forms.Textarea(attrs={"rows": 5, "required": True})
    )

    def service_kwargs(self):
        return {"reply": self.cleaned_data["reply"]}


class ResolveForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer to the enterprise"), required=False, widget=forms.Textarea(attrs={"rows": 5, "required": True})
    )

    def service_kwargs(self):
        return {"answer": self.cleaned_data["answer"]}


class RateForm(forms.Form):
    satisfaction = forms.ChoiceField(label=_("Satisfaction"), choices=Satisfaction.choices, widget=forms.RadioSelect)
    reason_codes = forms.MultipleChoiceField(
        label=_("Reasons"),
        required=False,
        choices=list(services.REASON_CODES.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Required when you are not satisfied."),
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs=TEXTAREA))

    def service_kwargs(self):
        data = self.cleaned_data
        return {"satisfaction": data["satisfaction"], "reason_codes": data["reason_codes"], "comment": data["comment"]}


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={**TEXTAREA, "required": True})
    )
    public = forms.BooleanField(
        label=_("Visible to the enterprise"),
        required=False,
        initial=True,
        help_text=_("Untick for an internal comment that only government users see."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.internal_allowed = sees_internal(user)
        if not self.internal_allowed:
            # The enterprise side writes public comments only; the choice is not offered.
            del self.fields["public"]

    def service_kwargs(self):
        public = self.cleaned_data["public"] if self.internal_allowed else True
        return {"text": self.cleaned_data["text"], "public": public}


class SuperviseForm(forms.Form):
    note = forms.CharField(
        label=_("Supervision note"), required=False, widget=forms.Textarea(attrs={**TEXTAREA, "required": True})
    )
    report = forms.BooleanField(label=_("Report it in the district circular (通报)"), required=False)

    def service_kwargs(self):
        return {"note": self.cleaned_data["note"], "report": self.cleaned_data["report"]}


ACTION_FORMS: dict[str, type[forms.Form]] = {
    Action.ACCEPT: AcceptForm,
    Action.REJECT: RejectForm,
    Action.DISPATCH: DispatchForm,
    Action.SIGN: SignForm,
    Action.RETURN: ReturnForm,
    Action.REQUEST_EXTENSION: RequestExtensionForm,
    Action.DECIDE_EXTENSION: DecideExtensionForm,
    Action.REPLY_PART: ReplyPartForm,
    Action.RESOLVE: ResolveForm,
    Action.RATE: RateForm,
    Action.COMMENT: CommentForm,
    Action.SUPERVISE: SuperviseForm,
}


def action_form(action: str, *, user, data=None, initial=None) -> forms.Form:
    form_class = ACTION_FORMS[action]
    kwargs = {"data": data, "initial": initial, "prefix": action.replace("-", "_")}
    if form_class is CommentForm:
        kwargs["user"] = user
    return form_class(**kwargs)


# --- unit ranking --------------------------------------------------------------------------------------
class PeriodForm(forms.Form):
    """The ranking's period; an empty end means today, an empty start the first of January."""

    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, data=None, **kwargs):
        today = timezone.localdate()
        self.default_start, self.default_end = date(today.year, 1, 1), today
        data = data.copy() if data is not None else {}
        # Show the period used, also when none was asked for.
        for name, value in (("start", self.default_start), ("end", self.default_end)):
            if not data.get(name):
                data[name] = value.isoformat()
        super().__init__(data, **kwargs)

    def clean(self):
        data = super().clean()
        data["start"] = data.get("start") or self.default_start
        data["end"] = data.get("end") or self.default_end
        if data["start"] > data["end"]:
            self.add_error("end", _("The end of the period comes before its start."))
        return data
