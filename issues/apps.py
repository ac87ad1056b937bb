from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _issue_count(*statuses):
    """Per enterprise (OuterRef "pk"), how many of its issues are in `statuses`: one subquery."""
    from django.db.models import Count, IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from issues.models import Issue

    counted = (
        Issue.objects.filter(enterprise_id=OuterRef("pk"), status__in=statuses)
        .order_by()
        .values("enterprise_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class IssuesConfig(AppConfig):
    name = "issues"
    verbose_name = _("Issues")

    def ready(self):
        # secretaries may not import issues (.importlinter): its matching and pages read these
        # figures through its registry (secretaries/figures.py).
        from issues.models import OPEN_STATUSES, Status
        from secretaries import figures

        figures.register_enterprise_figure(figures.OPEN_ISSUES, lambda: _issue_count(*OPEN_STATUSES))
        figures.register_enterprise_figure(figures.RESOLVED_ISSUES, lambda: _issue_count(Status.CLOSED))

        from issues import exports

        exports.register()

        # The menu (accounts) shows the 督办件 count on its entry without importing issues.
        from accounts.navigation import register_badge
        from issues.badges import supervision_count_for_request

        register_badge("issues:supervision-queue", supervision_count_for_request)
