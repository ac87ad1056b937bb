"""Each workflow action people take on a posting, declared once (chainparty.actions): the service,
the API's input, the page's form and what a page says when it is done. The workflow table
(secretaries.workflow) says who may take each and when; the API's routes
(POST /api/v1/postings/{id}/<action>/) and the detail page's forms come from here."""

from django.utils.translation import gettext_lazy as _

from chainparty.actions import ActionSet, ActionSpec
from secretaries import forms, serializers, services, workflow
from secretaries.workflow import Action

POSTING_ACTIONS = ActionSet(
    ActionSpec(
        Action.LOG_WORK,
        services.log_work,
        serializer=serializers.LogWorkInputSerializer,
        form=forms.LogWorkForm,
        done=_("The work was logged."),
        primary=True,
        description="A work log on an active posting (the same as POST /api/v1/work-logs/).",
    ),
    ActionSpec(
        Action.END,
        services.end_posting,
        serializer=serializers.EndInputSerializer,
        form=forms.EndForm,
        done=_("The posting was ended; evaluate the term next."),
        secondary=True,
        description="End a posting early (or at its term); it is evaluated afterwards.",
    ),
    ActionSpec(
        Action.EVALUATE,
        services.evaluate_posting,
        serializer=serializers.EvaluateInputSerializer,
        form=forms.EvaluateForm,
        done=_("The term was evaluated and the posting closed."),
        primary=True,
        description="The end-of-term evaluation: goals met, problems solved, the enterprise's opinion.",
    ),
    target=lambda posting: {"posting_id": posting.pk},
    require=workflow.require,
    allowed=workflow.allowed_actions,
)
