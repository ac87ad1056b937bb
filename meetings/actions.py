"""Each workflow action people take on a chain meeting, declared once (chainparty.actions): the
service, the API's input, the page's form, what a page says when it is done. The transition table
(meetings.workflow) says who may take each and when; the API's routes
(POST /api/v1/meetings/{id}/<action>/) and the meeting page's forms come from here."""

from django.utils.translation import gettext_lazy as _

from chainparty.actions import ActionSet, ActionSpec
from meetings import forms, serializers, services, workflow
from meetings.workflow import Action

MEETING_ACTIONS = ActionSet(
    ActionSpec(
        Action.RESCHEDULE,
        services.reschedule_meeting,
        serializer=serializers.RescheduleInputSerializer,
        form=forms.RescheduleForm,
        done=_("The meeting was rescheduled; the invitees are told."),
        description="Move the date within the meeting's quarter; the reminders are due again for the new date.",
    ),
    ActionSpec(
        Action.ADD_ITEM,
        services.add_agenda_item,
        serializer=serializers.AddItemInputSerializer,
        form=forms.AddItemForm,
        done=_("The item was added to the agenda."),
        description="An open issue of the chain (`issue`), or, for district staff, a topic (`title`).",
    ),
    ActionSpec(
        Action.HOLD,
        services.hold_meeting,
        serializer=serializers.HoldInputSerializer,
        form=forms.HoldForm,
        done=_("The meeting was recorded as held; its agenda is frozen."),
        primary=True,
        description="With `summary` (the minutes) and `attendance` the meeting is minuted at once. Refused (409) "
        "before the meeting's start.",
    ),
    ActionSpec(
        Action.RECORD_MINUTES,
        services.record_minutes,
        serializer=serializers.MinutesInputSerializer,
        form=forms.MinutesForm,
        done=_("The minutes were recorded."),
        primary=True,
    ),
    ActionSpec(
        Action.DISCUSS,
        services.discuss_item,
        serializer=serializers.DiscussInputSerializer,
        form=forms.DiscussForm,
        done=_("The discussion was recorded."),
    ),
    ActionSpec(
        Action.DECIDE,
        services.record_decision,
        serializer=serializers.DecideInputSerializer,
        form=forms.DecideForm,
        done=_("The decision was recorded."),
        description="A `follow_up_unit` with a `follow_up_due` opens a supervised issue for the agenda item's "
        "enterprise (or `enterprise`), linked back to the meeting; `updated_issue` writes the decision on an "
        "open issue's timeline.",
    ),
    ActionSpec(
        Action.CANCEL,
        services.cancel_meeting,
        serializer=serializers.CancelInputSerializer,
        form=forms.CancelForm,
        done=_("The meeting was cancelled; the invitees are told."),
        secondary=True,
    ),
    target=lambda meeting: {"meeting_id": meeting.pk},
    require=workflow.require,
    allowed=workflow.allowed_actions,
)
