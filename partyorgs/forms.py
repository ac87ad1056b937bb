"""The organization page form. It parses and types the input; the rules stay in partyorgs.services,
whose ValidationError field names this form mirrors (chainparty.actions.apply_service_errors)."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit, UnitKind
from chains.credit_code import normalise_credit_code
from chains.models import Chain, Enterprise
from partyorgs.compliance import Quarter
from partyorgs.models import BRANCH_KINDS, MeetingKind, OrgKind, PartyOrganization, Programme

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrganizationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrgKind.choices)
    parent = forms.ModelChoiceField(
        label=_("Superior organization"),
        # A branch has nothing below it: only committees and general branches are offered.
        queryset=PartyOrganization.objects.exclude(kind__in=BRANCH_KINDS).order_by("name"),
        required=False,
    )
    unit = forms.ModelChoiceField(label=_("Unit covered"), queryset=Unit.objects.order_by("name"), required=False)
    # Credit codes, not a choice: the registry holds tens of thousands of enterprises.
    enterprises = forms.CharField(
        label=_("Enterprises covered (credit codes)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One unified social credit code per line; a joint branch covers up to 5."),
    )
    secretary = forms.CharField(label=_("Secretary"), max_length=50, required=False)
    # Whole numbers of any sign: the service names the rule a negative count breaks.
    formal_members = forms.IntegerField(label=_("Formal members"), initial=0)
    probationary_members = forms.IntegerField(label=_("Probationary members"), initial=0)
    has_branch_committee = forms.BooleanField(label=_("Branch committee elected"), required=False)
    established_on = forms.DateField(label=_("Established on"), required=False, widget=DATE_INPUT)
    term_started_on = forms.DateField(label=_("Current term started on"), required=False, widget=DATE_INPUT)
    term_ends_on = forms.DateField(
        label=_("Current term ends on"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Leave empty: 5 years after the start for a committee, 3 for the others."),
    )

    def clean_enterprises(self) -> list[Enterprise]:
        codes = [normalise_credit_code(line) for line in self.cleaned_data["enterprises"].splitlines() if line.strip()]
        found = {e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=codes)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise ValidationError(_("No enterprise has the credit code %(codes)s.") % {"codes": ", ".join(unknown)})
        return [found[code] for code in codes]

    @classmethod
    def initial_for(cls, org: PartyOrganization) -> dict:
        initial = {name: getattr(org, name) for name in cls.base_fields if name != "enterprises"}
        initial["enterprises"] = "\n".join(e.credit_code for e in org.enterprises.order_by("name"))
        return initial


class OrgMeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    held_on = forms.DateField(label=_("Held on"), required=False, widget=DATE_INPUT)
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)
    # Any whole number: the service names the rule a negative one breaks.
    attendance = forms.IntegerField(label=_("Attendance"), required=False)


class QuarterForm(forms.Form):
    quarter = forms.CharField(label=_("Quarter"), required=False, help_text=_("For example 2026Q4"))

    def clean_quarter(self):
        value = self.cleaned_data["quarter"]
        if not value:
            return None
        quarter = Quarter.parse(value)
        if quarter is None:
            raise ValidationError(_("Write a quarter as 2026Q4."))
        return quarter


class DepartmentOrgField(forms.ModelChoiceField):
    """A department's party organization, named with its department: several departments' organizations
    are often called alike (机关党支部)."""

    def label_from_instance(self, obj: PartyOrganization) -> str:
        if obj.unit is None:
            return obj.name
        return gettext("%(organization)s — %(unit)s") % {"organization": obj.name, "unit": obj.unit.name}


class EnterpriseOrgField(forms.ModelChoiceField):
    """An enterprise's party organization, named with the enterprises it covers and their chains, so
    that staff pick the right one of thousands of similar names (a joint branch names all of its
    enterprises). The queryset prefetches both: three queries for the whole list."""

    def label_from_instance(self, obj: PartyOrganization) -> str:
        enterprises = list(obj.enterprises.all())
        chains = sorted({chain.name for enterprise in enterprises for chain in enterprise.chains.all()})
        names = gettext(", ").join(enterprise.name for enterprise in enterprises)
        if not chains:
            return gettext("%(organization)s — %(enterprises)s (on no chain)") % {
                "organization": obj.name,
                "enterprises": names,
            }
        return ngettext(
            "%(organization)s — %(enterprises)s (chain: %(chains)s)",
            "%(organization)s — %(enterprises)s (chains: %(chains)s)",
            len(chains),
        ) % {"organization": obj.name, "enterprises": names, "chains": gettext(", ").join(chains)}


class PairingForm(forms.Form):
    department_org = DepartmentOrgField(
        label=_("Department party organization"),
        queryset=PartyOrganization.objects.filter(unit__kind=UnitKind.ECONOMIC_DEPARTMENT)
        .select_related("unit")
        .order_by("name"),
        required=False,
        help_text=_("The party organization of an economic department, named with its department."),
    )
    enterprise_org = EnterpriseOrgField(
        label=_("Enterprise party organization"),
        queryset=PartyOrganization.objects.filter(coverages__isnull=False)
        .distinct()
        .order_by("name")
        .prefetch_related(
            Prefetch(
                "enterprises",
                queryset=Enterprise.objects.order_by("name")
                .only("name")
                .prefetch_related(Prefetch("chains", queryset=Chain.objects.only("name"))),
            )
        ),
        required=False,
        help_text=_(
            "Each choice names the enterprises the organization covers and their chains; it must cover an "
            "enterprise on the chain chosen below."
        ),
    )
    chain = forms.ModelChoiceField(label=_("Chain"), queryset=Chain.objects.order_by("name"), required=False)
    start_on = forms.DateField(label=_("Start"), required=False, widget=DATE_INPUT)
    end_on = forms.DateField(label=_("End"), required=False, widget=DATE_INPUT)
    goals = forms.CharField(label=_("Goals"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    department_contact = forms.CharField(label=_("Department contact"), max_length=50, required=False)
    enterprise_contact = forms.CharField(label=_("Enterprise contact"), max_length=50, required=False)


class PairingActivityForm(forms.Form):
    programme = forms.ChoiceField(label=_("Programme"), choices=Programme.choices)
    held_on = forms.DateField(label=_("Held on"), required=False, widget=DATE_INPUT)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PartyPlanForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Chain master's party organization"), queryset=None, required=False)
    year = forms.IntegerField(label=_("Year"), required=False)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    content = forms.CharField(label=_("Plan"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    targets = forms.CharField(
        label=_("Targets"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One target per line: the target, a vertical bar, its weight; the weights add up to 100."),
    )
    business_targets = forms.CharField(
        label=_("The chain's business targets for the year"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations

    def clean_targets(self) -> list[dict]:
        targets, bad = [], []
        for number, line in enumerate(self.cleaned_data["targets"].splitlines(), start=1):
            if not line.strip():
                continue
            description, _bar, weight = line.rpartition("|")
            try:
                targets.append({"description": description.strip(), "weight": Decimal(weight.strip())})
            except InvalidOperation:
                bad.append(str(number))
        if bad:
            raise ValidationError(
                _("Line %(lines)s: write the target, a vertical bar and a number.") % {"lines": ", ".join(bad)}
            )
        return targets


class PlanScoreForm(forms.Form):
    business_score = forms.DecimalField(label=_("Business score"), required=False, max_digits=5, decimal_places=1)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = list(plan.targets.all())
        for target in self.targets:
            self.fields[f"score_{target.pk}"] = forms.DecimalField(
                label=target.description,
                required=False,
                max_digits=5,
                decimal_places=1,
                help_text=_("0 to %(weight)s") % {"weight": target.weight},
            )

    def scores(self) -> dict[int, Decimal]:
        return {
            t.pk: self.cleaned_data[f"score_{t.pk}"]
            for t in self.targets
            if self.cleaned_data[f"score_{t.pk}"] is not None
        }


class PlanDeadlineForm(forms.Form):
    due_on = forms.DateField(label=_("Plans due on"), widget=DATE_INPUT)
