"""Each workflow action people take on an issue, declared once (chainparty.actions): the service it
calls, the API's input, the page's form, what a page says when it is done and how it shows the
button. The workflow table (issues.workflow) says who may take each and when; the API's routes
(POST /api/v1/issues/{id}/<action>/), the OpenAPI document and the detail page's forms come from
here."""

from django.utils.translation import gettext_lazy as _

from chainparty.actions import ActionSet, ActionSpec
from issues import forms, serializers, services, workflow
from issues.workflow import Action

ISSUE_ACTIONS = ActionSet(
    ActionSpec(
        Action.ACCEPT,
        services.accept_issue,
        serializer=serializers.NoteInputSerializer,
        form=forms.AcceptForm,
        done=_("The issue was accepted."),
        primary=True,
    ),
    ActionSpec(
        Action.REJECT,
        services.reject_issue,
        serializer=serializers.ReasonInputSerializer,
        form=forms.RejectForm,
        done=_("The issue was not accepted; the enterprise is told why."),
        secondary=True,
    ),
    ActionSpec(
        Action.DISPATCH,
        services.dispatch_issue,
        serializer=serializers.DispatchInputSerializer,
        form=forms.DispatchForm,
        done=_("The issue was dispatched."),
        primary=True,
        description="Transfer (one lead unit) or joint handling (lead + co-handling units). The detail's\n"
        "`suggested_lead_unit` is the routing rules' suggestion.",
    ),
    ActionSpec(
        Action.SIGN,
        services.sign_issue,
        form=forms.SignForm,
        done=_("Signed for."),
        hint=_("Sign for the issue to confirm your unit handles it; the resolve clock is already running."),
    ),
    ActionSpec(
        Action.RETURN,
        services.return_issue,
        serializer=serializers.ReasonInputSerializer,
        form=forms.ReturnForm,
        done=_("The issue was returned to the dispatcher."),
        secondary=True,
        description="退单: not this unit's remit (the lead's return sends it back to the dispatcher).",
    ),
    ActionSpec(
        Action.REQUEST_EXTENSION,
        services.request_extension,
        serializer=serializers.ExtensionRequestInputSerializer,
        form=forms.RequestExtensionForm,
        done=_("The extension was requested."),
    ),
    ActionSpec(
        Action.DECIDE_EXTENSION,
        services.decide_extension,
        serializer=serializers.ExtensionDecisionInputSerializer,
        form=forms.DecideExtensionForm,
        done=_("The extension request was decided."),
        primary=True,
    ),
    ActionSpec(
        Action.REPLY_PART,
        services.reply_part,
        serializer=serializers.ReplyPartInputSerializer,
        form=forms.ReplyPartForm,
        done=_("Your unit's part was recorded."),
        primary=True,
        description="A co-handling unit's part of a joint issue.",
    ),
    ActionSpec(
        Action.ANSWER_SUPERVISION,
        services.answer_supervision,
        serializer=serializers.AnswerSupervisionInputSerializer,
        form=forms.AnswerSupervisionForm,
        done=_("Your answer to the supervision was sent."),
        primary=True,
        description="The lead unit answers a supervision (督办), the oldest unanswered unless `supervision` names one.",
    ),
    ActionSpec(
        Action.RESOLVE,
        services.resolve_issue,
        serializer=serializers.ResolveInputSerializer,
        form=forms.ResolveForm,
        done=_("The issue was resolved; the enterprise is asked to rate the answer."),
        primary=True,
    ),
    ActionSpec(
        Action.RATE,
        services.rate_issue,
        serializer=serializers.RateInputSerializer,
        form=forms.RateForm,
        done=_("Thank you for your rating."),
        primary=True,
        description="满意 / 基本满意 close the issue; 不满意 reopens it (with reason codes).",
    ),
    ActionSpec(
        Action.COMMENT,
        services.comment_on_issue,
        serializer=serializers.CommentInputSerializer,
        form=forms.CommentForm,
        done=_("Your comment was added."),
    ),
    ActionSpec(
        Action.SUPERVISE,
        services.supervise_issue,
        serializer=serializers.SuperviseInputSerializer,
        form=forms.SuperviseForm,
        done=_("The supervision was recorded; the lead unit is told to answer by the day given."),
        primary=True,
        description="督办 an escalated issue, by whoever its ladder has reached (the lead unit's industry party\n"
        "committee from level 1, the chain leader from 2, district staff and the park chief from 1): an\n"
        "`instruction` the lead unit answers by `reply_by`; `report` (district staff) marks it for the\n"
        "district's circular (通报).",
    ),
    ActionSpec(
        Action.URGE,
        services.urge_issue,
        serializer=serializers.UrgeInputSerializer,
        form=forms.UrgeForm,
        done=_("The unit was urged; its handlers are told."),
        description="催办 a unit still owing its part: by whoever the ladder has reached, or by the lead unit of a\n"
        "joint issue (its co-units). Recorded in the timeline and counted per unit (the unit's KPIs).",
    ),
    ActionSpec(
        Action.ADD_TO_MEETING,
        services.add_issue_to_meeting,
        form=forms.AddToMeetingForm,
        done=_("The issue is on the agenda of the chain's next meeting."),
        hint=_("Put this issue on the agenda of the chain's next quarterly meeting."),
        secondary=True,
        description="The chain leader (or district staff) puts the issue on its chain's next meeting; a 409 says\n"
        "why not when the chain has no meeting planned or the issue is on its agenda already.",
    ),
    target=lambda issue: {"issue_id": issue.pk},
    require=workflow.require,
    allowed=workflow.allowed_actions,
)
