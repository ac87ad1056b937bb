"""REST shapes of issue tickets. Output serializers read only what the selectors loaded (no query per
row); input serializers parse and shape types only — every rule lives in issues.services and the
workflow table. Users appear as {id, full_name}; phone numbers are never serialized."""

from collections.abc import Iterable

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Unit, User
from chainparty.dates import DAY_VALIDATORS
from chainparty.rows import datetime_format, ref
from chains.models import Chain
from chains.serializers import (
    ChainRefSerializer,
    EnterpriseRefSerializer,
    PersonRefSerializer,
    UnitRefSerializer,
    annotated_reference,
)
from issues import models, workflow

# The download view belongs to the issue pages; its URL is fixed by the contract, so the API falls
# back to the literal path while (or wherever) that view is not installed.
ATTACHMENT_URL_NAME = "issues:attachment-download"


def _viewer(serializer) -> User | None:
    request = serializer.context.get("request")
    return getattr(request, "user", None)


# --- small references (the people, units, chains and enterprises shapes are the chains app's) ---
class CategoryRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.IssueCategory
        fields = ["code", "name", "kind"]


# --- categories, routing rules, sessions --------------------------------------------------------
class IssueCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = models.IssueCategory
        fields = ["code", "name", "kind", "accept_days", "sign_days", "resolve_days", "rate_days"]


class RoutingRuleSerializer(serializers.ModelSerializer):
    """Category × chain → suggested lead unit. A rule without a chain is the category's default."""

    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    chain_name = serializers.CharField(source="chain.name", read_only=True, default=None)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = models.RoutingRule
        fields = ["id", "category", "category_name", "chain", "chain_name", "unit", "unit_name"]
        read_only_fields = fields


class RoutingRuleInputSerializer(serializers.Serializer):
    """Parses the references (an unknown one is a 400 on its field); issues.routing decides the rest."""

    category = serializers.SlugRelatedField(slug_field="code", queryset=models.IssueCategory.objects.all())
    chain = serializers.PrimaryKeyRelatedField(queryset=Chain.objects.all(), allow_null=True, required=False)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())


class ComplaintSessionSerializer(serializers.ModelSerializer):
    """Reads the annotations of selectors.list_complaint_sessions_for_user: the chain only when the
    user may see it, and the count of the session's issues the user may see."""

    chain = serializers.SerializerMethodField()
    industry_committee = UnitRefSerializer(read_only=True, allow_null=True)
    host_unit = UnitRefSerializer(read_only=True)
    issue_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = models.ComplaintSession
        fields = [
            "id",
            "title",
            "chain",
            "industry_committee",
            "held_on",
            "place",
            "host_unit",
            "issue_count",
            "created_at",
        ]

    @extend_schema_field(ChainRefSerializer(allow_null=True))
    def get_chain(self, session) -> dict | None:
        return annotated_reference(session, "visible_chain_id", "visible_chain_name")


class ComplaintSessionInputSerializer(serializers.Serializer):
    title = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=200)
    held_on = serializers.DateField(allow_null=True, required=False, validators=DAY_VALIDATORS)
    place = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=200)
    host_unit = serializers.IntegerField(allow_null=True, required=False)
    # References are resolved here so that an unknown id is a 400 on its field, not a failed insert.
    chain = serializers.PrimaryKeyRelatedField(queryset=Chain.objects.all(), allow_null=True, required=False)
    industry_committee = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), allow_null=True, required=False
    )


ROW_INT_FIELDS = ("enterprise", "chain")
ROW_TEXT_FIELDS = ("category", "title", "description")


class SessionIssuesInputSerializer(serializers.Serializer):
    """{"rows": [{"enterprise", "category", "title", "description", "chain"?}, ...]}. Types are
    checked here (an id that is not a whole number cannot reach the database); everything else is
    the service's, which names each error `rows[i].field`, as this does."""

    rows = serializers.ListField(child=serializers.DictField(), allow_empty=True)

    def validate_rows(self, rows):
        errors, shaped = {}, []
        for index, row in enumerate(rows):
            clean = {}
            for field in ROW_INT_FIELDS:
                value = row.get(field)
                if value in (None, ""):
                    clean[field] = None
                    continue
                try:
                    if isinstance(value, bool) or str(int(value)) != str(value).strip():
                        raise ValueError
                    clean[field] = int(value)
                except (TypeError, ValueError):
                    errors[f"rows[{index}].{field}"] = [_("A whole number is required.")]
            for field in ROW_TEXT_FIELDS:
                value = row.get(field)
                if value is None:
                    clean[field] = ""
                elif isinstance(value, str):
                    clean[field] = value
                else:
                    errors[f"rows[{index}].{field}"] = [_("Not a valid string.")]
            shaped.append(clean)
        if errors:
            # Raised from validate() so the keys stay as they are (not nested under "rows").
            self._row_errors = errors
        return shaped

    def validate(self, attrs):
        if getattr(self, "_row_errors", None):
            raise serializers.ValidationError(self._row_errors)
        return attrs


# --- issues: output ------------------------------------------------------------------------------
class IssueListSerializer(serializers.ModelSerializer):
    """One row of the list: the documented shape. The list itself builds its rows with
    issue_list_rows (the same output, without instances); this serializes instances elsewhere (the
    rows a complaint session's entry made)."""

    category = CategoryRefSerializer(read_only=True)
    enterprise = EnterpriseRefSerializer(read_only=True)
    chain = ChainRefSerializer(read_only=True, allow_null=True)
    lead_unit = UnitRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = models.Issue
        fields = [
            "id",
            "number",
            "title",
            "status",
            "category",
            "enterprise",
            "chain",
            "dispatch_mode",
            "lead_unit",
            "escalation_level",
            "resolve_due_at",
            "reopen_count",
            "created_at",
            "updated_at",
        ]


# The list's page as values (chainparty.rows): these columns, shaped by issue_list_rows into exactly
# what IssueListSerializer gives (tests/issues/test_api.py compares the two). No description, answer
# or other text the list does not show is read.
ISSUE_LIST_COLUMNS = (
    "id",
    "number",
    "title",
    "status",
    "category__code",
    "category__name",
    "category__kind",
    "enterprise_id",
    "enterprise__name",
    "chain_id",
    "chain__name",
    "dispatch_mode",
    "lead_unit_id",
    "lead_unit__name",
    "escalation_level",
    "resolve_due_at",
    "reopen_count",
    "created_at",
    "updated_at",
)


def issue_list_rows(rows: Iterable[dict]) -> list[dict]:
    """IssueListSerializer(many=True).data, from rows of `.values(*ISSUE_LIST_COLUMNS)`."""
    moment = datetime_format()
    return [
        {
            "id": row["id"],
            "number": row["number"],
            "title": row["title"],
            "status": row["status"],
            "category": {"code": row["category__code"], "name": row["category__name"], "kind": row["category__kind"]},
            "enterprise": {"id": row["enterprise_id"], "name": row["enterprise__name"]},
            "chain": ref(row["chain_id"], row["chain__name"]),
            "dispatch_mode": row["dispatch_mode"],
            "lead_unit": ref(row["lead_unit_id"], row["lead_unit__name"]),
            "escalation_level": row["escalation_level"],
            "resolve_due_at": moment(row["resolve_due_at"]),
            "reopen_count": row["reopen_count"],
            "created_at": moment(row["created_at"]),
            "updated_at": moment(row["updated_at"]),
        }
        for row in rows
    ]


class DeadlinesSerializer(serializers.Serializer):
    accept_due_at = serializers.DateTimeField(allow_null=True)
    sign_due_at = serializers.DateTimeField(allow_null=True)
    resolve_due_at = serializers.DateTimeField(allow_null=True)
    rate_due_at = serializers.DateTimeField(allow_null=True)


class ShareSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    reply = serializers.SerializerMethodField()

    class Meta:
        model = models.IssueShare
        fields = ["id", "unit", "role", "status", "due_at", "signed_at", "reply", "replied_at"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_reply(self, share) -> str:
        # A co-unit's part is internal working material; the lead's reply is the public answer.
        if share.role == models.ShareRole.CO and not self.context.get("sees_internal"):
            return ""
        return share.reply


class AttachmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = models.Attachment
        fields = ["id", "name", "content_type", "size", "download_url", "created_at"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_download_url(self, attachment) -> str:
        try:
            return reverse(ATTACHMENT_URL_NAME, args=[attachment.pk])
        except NoReverseMatch:
            return f"/issues/attachments/{attachment.pk}/"


class RatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Rating
        fields = ["id", "satisfaction", "reason_codes", "comment", "created_at"]


class ExtensionRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.ExtensionRequest
        fields = ["id", "unit", "days", "reason", "status", "decision_note", "decided_at", "created_at"]


class SupervisionSerializer(serializers.ModelSerializer):
    supervised_by = PersonRefSerializer(read_only=True)
    replied_by = PersonRefSerializer(read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = models.Supervision
        fields = [
            "id",
            "unit",
            "by",
            "supervised_by",
            "instruction",
            "reply_by",
            "report",
            "reply",
            "replied_by",
            "replied_at",
            "overdue",
            "created_at",
        ]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_overdue(self, supervision) -> bool:
        """Unanswered after its reply-by day."""
        return supervision.replied_at is None and supervision.reply_by < self.context["today"]


class UrgeCountSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    count = serializers.IntegerField()


class BlockedActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=workflow.PEOPLE_ACTIONS)
    reason = serializers.CharField()


class IssueDetailSerializer(IssueListSerializer):
    """The whole issue as the requesting user may see it. Context: `request` and, from the view,
    `sees_internal` and `suggested_lead_unit` (computed once, not per field)."""

    submitted_by = PersonRefSerializer(read_only=True)
    deadlines = serializers.SerializerMethodField()
    shares = ShareSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    ratings = RatingSerializer(many=True, read_only=True)
    extension_requests = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()
    blocked_actions = serializers.SerializerMethodField()
    suggested_lead_unit = serializers.SerializerMethodField()
    supervisions = serializers.SerializerMethodField()
    urges = serializers.SerializerMethodField()

    class Meta(IssueListSerializer.Meta):
        fields = [
            *IssueListSerializer.Meta.fields,
            "description",
            "session",
            "submitted_by",
            "answer",
            "reject_reason",
            "deadlines",
            "supervised_at",
            "accepted_at",
            "dispatched_at",
            "signed_at",
            "resolved_at",
            "closed_at",
            "shares",
            "attachments",
            "ratings",
            "extension_requests",
            "allowed_actions",
            "blocked_actions",
            "suggested_lead_unit",
            "supervisions",
            "urges",
        ]

    @extend_schema_field(DeadlinesSerializer)
    def get_deadlines(self, issue) -> dict:
        return DeadlinesSerializer(issue).data

    @extend_schema_field(ExtensionRequestSerializer(many=True))
    def get_extension_requests(self, issue) -> list:
        if not self.context.get("sees_internal"):
            return []
        return ExtensionRequestSerializer(issue.extension_requests.all(), many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=workflow.PEOPLE_ACTIONS)))
    def get_allowed_actions(self, issue) -> list[str]:
        user = _viewer(self)
        return workflow.allowed_actions(issue, user) if user is not None else []

    @extend_schema_field(BlockedActionSerializer(many=True))
    def get_blocked_actions(self, issue) -> list:
        """What the caller would do next but cannot yet, and why (resolve waiting for a co-unit's part,
        no chain meeting planned, the ladder not at the caller's rung yet)."""
        user = _viewer(self)
        if user is None:
            return []
        return [{"action": action, "reason": reason} for action, reason in workflow.blocked_actions(issue, user)]

    @extend_schema_field(SupervisionSerializer(many=True))
    def get_supervisions(self, issue) -> list:
        """督办 and the lead unit's answers; for the government side only."""
        if not self.context.get("sees_internal"):
            return []
        context = {**self.context, "today": timezone.localdate()}
        return SupervisionSerializer(issue.supervisions.all(), many=True, context=context).data

    @extend_schema_field(UrgeCountSerializer(many=True))
    def get_urges(self, issue) -> list:
        """How often each unit was urged (催办) on this issue; for the government side only."""
        if not self.context.get("sees_internal"):
            return []
        counts: dict[int, int] = {}
        for urge in issue.urges.all():
            counts[urge.unit_id] = counts.get(urge.unit_id, 0) + 1
        return [{"unit": unit, "count": count} for unit, count in counts.items()]

    @extend_schema_field(UnitRefSerializer(allow_null=True))
    def get_suggested_lead_unit(self, issue):
        unit = self.context.get("suggested_lead_unit")
        return UnitRefSerializer(unit).data if unit is not None else None


class IssueEventSerializer(serializers.ModelSerializer):
    actor = PersonRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = models.IssueEvent
        fields = ["id", "action", "from_status", "to_status", "actor", "note", "public", "data", "created_at"]


# --- issues: input -------------------------------------------------------------------------------
# Text arrives as it was typed (no trimming, no length limit here): the service trims, checks and
# names the field, so a page form and the API say the same thing. The input of a workflow action
# (issues.actions) is the service's keyword arguments: validated_data goes to it as it is.
def _text(**kwargs):
    return serializers.CharField(allow_blank=True, trim_whitespace=False, **kwargs)


def _optional_text():
    return _text(required=False, default="")


def _text_input(name: str, field: str) -> type[serializers.Serializer]:
    """An input that is one optional text ({"note": "…"}), as several actions take."""
    return type(name, (serializers.Serializer,), {field: _optional_text(), "__module__": __name__})


class IssueCreateInputSerializer(serializers.Serializer):
    # The keywords of services.submit_issue_once, under the contract's names. Types only: a field
    # refused here is reported with every other problem the service finds (chainparty.api.parsed_input).
    enterprise = serializers.IntegerField(source="enterprise_id")
    category = _text(source="category_code", help_text="The category's code (GET /api/v1/issue-categories/).")
    title = _text()
    description = _text()
    chain = serializers.IntegerField(source="chain_id", allow_null=True, required=False)
    attachments = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True, use_url=False),
        required=False,
        help_text="multipart/form-data only: repeat the field for each file.",
    )


NoteInputSerializer = _text_input("NoteInputSerializer", "note")
ReasonInputSerializer = _text_input("ReasonInputSerializer", "reason")
ReplyPartInputSerializer = _text_input("ReplyPartInputSerializer", "reply")
ResolveInputSerializer = _text_input("ResolveInputSerializer", "answer")


class DispatchInputSerializer(serializers.Serializer):
    mode = _text(help_text="transfer (转办) or joint (会办).")
    # The contract names units by their id; the service's keywords say so.
    lead_unit = serializers.IntegerField(source="lead_unit_id", allow_null=True)
    co_units = serializers.ListField(
        source="co_unit_ids", child=serializers.IntegerField(), required=False, default=list
    )
    note = _optional_text()
    co_due_days = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=60)


class ExtensionRequestInputSerializer(serializers.Serializer):
    days = serializers.IntegerField()
    reason = _optional_text()


class ExtensionDecisionInputSerializer(serializers.Serializer):
    grant = serializers.BooleanField()
    note = _optional_text()


class RateInputSerializer(serializers.Serializer):
    satisfaction = _text(help_text="satisfied, basically or unsatisfied.")
    reason_codes = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    comment = _optional_text()


class CommentInputSerializer(serializers.Serializer):
    text = _optional_text()
    public = serializers.BooleanField(required=False, default=True)


class SuperviseInputSerializer(serializers.Serializer):
    instruction = _optional_text()
    reply_by = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="The day by which the lead unit answers."
    )
    report = serializers.BooleanField(required=False, default=False)


class AnswerSupervisionInputSerializer(serializers.Serializer):
    reply = _optional_text()
    supervision = serializers.IntegerField(
        source="supervision_id",
        required=False,
        allow_null=True,
        help_text="Which unanswered supervision (the detail's `supervisions`); by default the oldest.",
    )


class UrgeInputSerializer(serializers.Serializer):
    unit = serializers.IntegerField(
        source="unit_id",
        required=False,
        allow_null=True,
        help_text="The unit urged (one still owing its part); by default every unit the caller may urge.",
    )
    note = _optional_text()


# --- unit KPIs -------------------------------------------------------------------------------------
def _rate(**kwargs):
    return serializers.DecimalField(
        max_digits=5, decimal_places=4, coerce_to_string=False, allow_null=True, read_only=True, **kwargs
    )


class UnitKpiSerializer(serializers.Serializer):
    unit = UnitRefSerializer(read_only=True)
    start = serializers.DateField(read_only=True)
    end = serializers.DateField(read_only=True)
    dispatched = serializers.IntegerField(read_only=True)
    responded_on_time = serializers.IntegerField(read_only=True)
    response_due = serializers.IntegerField(read_only=True)
    response_rate = _rate()
    resolved = serializers.IntegerField(read_only=True)
    resolved_on_time = serializers.IntegerField(read_only=True)
    on_time_rate = _rate()
    rated = serializers.IntegerField(read_only=True)
    satisfied = serializers.IntegerField(read_only=True)
    satisfaction_rate = _rate()
    returns = serializers.IntegerField(read_only=True)
    extensions = serializers.IntegerField(read_only=True)
    overdue = serializers.IntegerField(read_only=True)
    urged = serializers.IntegerField(read_only=True, help_text="Urges (催办) the unit received in the period.")
