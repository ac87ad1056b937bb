"""API shapes of chain meetings: the outputs, and each action's input (its validated data is the
service's keyword arguments, chainparty.actions)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from meetings import workflow
from meetings.models import AgendaItem, Decision, Meeting


# --- outputs -----------------------------------------------------------------------------------
class MeetingSerializer(serializers.ModelSerializer):
    chain_name = serializers.CharField(source="chain.name", read_only=True)
    kinds = serializers.ListField(child=serializers.CharField(), read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "chain",
            "chain_name",
            "quarter",
            "title",
            "kinds",
            "status",
            "starts_at",
            "duration_minutes",
            "place",
            "held_at",
            "minutes_recorded_at",
            "cancel_reason",
            "agenda_frozen_at",
            "url",
        ]


class MeetingDetailSerializer(MeetingSerializer):
    summary = serializers.CharField(read_only=True)
    attendance = serializers.SerializerMethodField()
    invitees = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "summary", "attendance", "invitees", "allowed_actions"]

    def get_attendance(self, meeting) -> list[dict]:
        return [{"name": a.name, "unit": a.unit_name} for a in meeting.attendance.all()]

    def get_invitees(self, meeting) -> list[dict]:
        return [
            {"role": i.role, "user": i.user_id, "unit": i.unit_id, "name": str(i.user or i.unit)}
            for i in meeting.invitees.all()
        ]

    def get_allowed_actions(self, meeting) -> list[str]:
        return workflow.allowed_actions(meeting, self.context["request"].user)


class AgendaItemSerializer(serializers.ModelSerializer):
    issue_number = serializers.CharField(source="issue.number", read_only=True, default=None)
    issue_status = serializers.CharField(source="issue.status", read_only=True, default=None)

    class Meta:
        model = AgendaItem
        fields = ["id", "title", "issue", "issue_number", "issue_status", "reasons", "discussion", "added_by"]


class DecisionSerializer(serializers.ModelSerializer):
    follow_up_issue_number = serializers.CharField(source="follow_up_issue.number", read_only=True, default=None)
    follow_up_issue_status = serializers.CharField(source="follow_up_issue.status", read_only=True, default=None)

    class Meta:
        model = Decision
        fields = [
            "id",
            "text",
            "agenda_item",
            "follow_up_unit",
            "follow_up_due",
            "follow_up_issue",
            "follow_up_issue_number",
            "follow_up_issue_status",
            "updated_issue",
            "created_at",
        ]


# --- inputs ------------------------------------------------------------------------------------
def _text(**kwargs):
    return serializers.CharField(allow_blank=True, trim_whitespace=True, **kwargs)


class RescheduleInputSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField(help_text="ISO 8601; a time without offset is Asia/Shanghai.")
    place = _text(required=False, default=None, allow_null=True, max_length=200)


class AttendeeSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    unit_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class HoldInputSerializer(serializers.Serializer):
    summary = _text(required=False, default="", help_text="The minutes; with them the meeting is minuted at once.")
    attendance = AttendeeSerializer(many=True, required=False, default=list)


class MinutesInputSerializer(serializers.Serializer):
    summary = _text()
    attendance = AttendeeSerializer(many=True, required=False, default=list)


class DiscussInputSerializer(serializers.Serializer):
    agenda_item = serializers.IntegerField(source="agenda_item_id")
    discussion = _text()


class DecideInputSerializer(serializers.Serializer):
    text = _text()
    agenda_item = serializers.IntegerField(source="agenda_item_id", required=False, allow_null=True, default=None)
    follow_up_unit = serializers.IntegerField(source="follow_up_unit_id", required=False, allow_null=True, default=None)
    follow_up_due = serializers.DateField(required=False, allow_null=True, default=None)
    enterprise = serializers.IntegerField(source="enterprise_id", required=False, allow_null=True, default=None)
    updated_issue = serializers.IntegerField(source="updated_issue_id", required=False, allow_null=True, default=None)


class CancelInputSerializer(serializers.Serializer):
    reason = _text()


class AddItemInputSerializer(serializers.Serializer):
    issue = serializers.IntegerField(source="issue_id", required=False, allow_null=True, default=None)
    title = _text(required=False, default="", max_length=200)


class FeedSerializer(serializers.Serializer):
    url = serializers.CharField(help_text=str(_("The secret feed URL; revoke it to make it a 404.")))
