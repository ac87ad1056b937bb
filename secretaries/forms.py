"""Forms of the secretaries' pages. They parse and type the input; the rules stay in
secretaries.services, whose ValidationError field names these forms mirror, so a service's message
lands next to its field (chainparty.actions.apply_service_errors)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from chainparty.actions import ActionForm
from chains.credit_code import normalise_credit_code
from chains.models import Enterprise, Park
from secretaries.models import Cadre, GoalsMet, PostingKind, SourceKind, WorkLogKind

TEXTAREA = {"rows": 3}
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CadreForm(forms.Form):
    name = forms.CharField(label=_("Cadre's name"), max_length=50)
    source_kind = forms.ChoiceField(label=_("Source"), choices=SourceKind.choices)
    source_unit = forms.ModelChoiceField(label=_("Source unit"), queryset=Unit.objects.order_by("name"))
    position = forms.CharField(label=_("Position"), max_length=100, required=False)
    party_member = forms.BooleanField(label=_("Party member"), required=False, initial=True)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DATE_INPUT)
    expertise = forms.CharField(
        label=_("Expertise"), required=False, help_text=_("Words separated by commas, e.g. 生物医药, 投融资.")
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["source_unit_id"] = data.pop("source_unit").pk
        return data


class PostingForm(forms.Form):
    """The enterprise is typed as its unified social credit code (tens of thousands: no list)."""

    cadre = forms.ModelChoiceField(label=_("Cadre"), queryset=Cadre.objects.select_related("source_unit"))
    kind = forms.ChoiceField(label=_("Kind"), choices=PostingKind.choices)
    enterprise = forms.CharField(
        label=_("Enterprise (unified social credit code)"),
        required=False,
        help_text=_("For a first secretary or an instructor."),
    )
    park = forms.ModelChoiceField(
        label=_("Park"), queryset=Park.objects.order_by("name"), required=False, help_text=_("For a park chief.")
    )
    start_date = forms.DateField(label=_("Start date"), widget=DATE_INPUT)
    end_date = forms.DateField(label=_("End date"), required=False, widget=DATE_INPUT)
    goals = forms.CharField(label=_("Goals"), required=False, widget=forms.Textarea(attrs=TEXTAREA))

    def clean_enterprise(self) -> int | None:
        text = self.cleaned_data["enterprise"].strip()
        if not text:
            return None
        enterprise = Enterprise.objects.filter(credit_code=normalise_credit_code(text)).values_list("pk", flat=True)
        pk = enterprise.first()
        if pk is None:
            raise forms.ValidationError(_("No enterprise has this credit code."))
        return pk

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        park, cadre, enterprise_id = data.pop("park"), data.pop("cadre"), data.pop("enterprise")
        return {**data, "cadre_id": cadre.pk, "enterprise_id": enterprise_id, "park_id": park.pk if park else None}


class LogWorkForm(ActionForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=WorkLogKind.choices)
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT, initial=timezone.localdate)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs=TEXTAREA))
    members_developed = forms.IntegerField(label=_("New party members developed"), min_value=0, initial=0)
    activists_found = forms.IntegerField(label=_("Activists found"), min_value=0, initial=0)


class EndForm(ActionForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs=TEXTAREA))
    ended_on = forms.DateField(label=_("Ended on"), required=False, widget=DATE_INPUT, help_text=_("Today if empty."))


class EvaluateForm(ActionForm):
    goals_met = forms.ChoiceField(label=_("Goals met"), choices=GoalsMet.choices)
    problems_solved = forms.IntegerField(label=_("Problems solved"), min_value=0)
    enterprise_opinion = forms.CharField(
        label=_("Enterprise's opinion"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    evaluation = forms.CharField(label=_("Evaluation"), widget=forms.Textarea(attrs=TEXTAREA))
