from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChainpartyConfig(AppConfig):
    """The project package as an app (its seed_demo command sees every app). It sits on top of the
    domain apps, so it is where a lower app is lent what a higher one knows without importing it."""

    name = "chainparty"
    default = True  # the one of this module's app configs that "chainparty" in INSTALLED_APPS means
    verbose_name = _("Background jobs")

    def ready(self):
        _lend_party_figures_to_matching()


def _lend_party_figures_to_matching() -> None:
    """secretaries' matching ranks SMEs by party members and skips those a party organization covers;
    partyorgs knows both, and secretaries may not import it (.importlinter): the figures go through
    secretaries/figures.py's registry, as issues' open-issue count does (issues/apps.py)."""
    from django.db.models import IntegerField, OuterRef, Q, Subquery
    from django.db.models.functions import Coalesce

    from partyorgs.models import EnterprisePartyProfile, OrgCoverage
    from secretaries import figures

    def party_members():
        members = EnterprisePartyProfile.objects.filter(enterprise_id=OuterRef("pk")).values("formal_members")[:1]
        return Coalesce(Subquery(members, output_field=IntegerField()), 0)

    def organization_covered():
        # IN an uncorrelated subquery, as partyorgs' own coverage does (hashed once per query).
        return Q(pk__in=OrgCoverage.objects.values("enterprise_id"))

    figures.register_enterprise_figure(figures.PARTY_MEMBERS, party_members)
    figures.register_organization_coverage(organization_covered)


class AxesConfig(AxesAppConfig):
    """django-axes (sign-in lockouts and logs) under a Chinese name in the admin: it ships no Chinese.
    Its models' and columns' labels are in our catalogue (accounts/admin.py, AXES_LABELS)."""

    default = False
    verbose_name = _("Sign-in protection")
