from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Chain meetings")

    def ready(self) -> None:
        # Imported here, not above: it reaches the models, which load after the app configs.
        from issues import agenda
        from meetings import exports, selectors, services

        exports.register()
        # The issue's "add to the next chain meeting" action (issues/workflow.py) asks and writes here.
        agenda.register(next_meeting=selectors.next_meeting_for_issue, add_issue=services.add_issue_to_next_meeting)
