"""REST shapes of cadres, postings and work logs. Output serializers read only what the selectors
loaded (no query per row); input serializers parse types only — the rules are secretaries.services'.

Personal data: a cadre's phone is masked for everyone but district staff and the cadre
(Cadre.phone_for, with the request's user from the serializer context)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from chains.serializers import EnterpriseRefSerializer, ParkRefSerializer, UnitRefSerializer
from secretaries import workflow
from secretaries.models import Cadre, GoalsMet, Posting, PostingKind, SourceKind, WorkLog, WorkLogKind


def _user(serializer) -> object:
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class CadreSerializer(serializers.ModelSerializer):
    source_unit = UnitRefSerializer(read_only=True)
    young = serializers.SerializerMethodField(help_text="A young cadre (35 or younger today).")
    phone = serializers.SerializerMethodField(
        help_text="Masked (138****5678) unless you are district staff or the cadre."
    )
    has_account = serializers.SerializerMethodField()
    active_postings = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Cadre
        fields = [
            "id",
            "name",
            "source_kind",
            "source_unit",
            "position",
            "party_member",
            "young",
            "expertise",
            "phone",
            "has_account",
            "active_postings",
        ]

    def get_young(self, cadre: Cadre) -> bool:
        return cadre.is_young()

    def get_phone(self, cadre: Cadre) -> str:
        return cadre.phone_for(_user(self))

    def get_has_account(self, cadre: Cadre) -> bool:
        return cadre.user_id is not None


class CadreInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    source_kind = serializers.ChoiceField(choices=SourceKind.choices)
    source_unit = serializers.IntegerField(source="source_unit_id")
    position = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    party_member = serializers.BooleanField(required=False, default=True)
    birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    expertise = serializers.ListField(
        child=serializers.CharField(max_length=30), required=False, default=list, max_length=20
    )
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    user = serializers.IntegerField(source="user_id", required=False, allow_null=True, default=None)


class CadreRefSerializer(serializers.ModelSerializer):
    source_unit = UnitRefSerializer(read_only=True)

    class Meta:
        model = Cadre
        fields = ["id", "name", "source_kind", "source_unit"]


class PostingSerializer(serializers.ModelSerializer):
    cadre = CadreRefSerializer(read_only=True)
    enterprise = EnterpriseRefSerializer(read_only=True, allow_null=True)
    park = ParkRefSerializer(read_only=True, allow_null=True)
    work_log_count = serializers.IntegerField(source="log_count", read_only=True, default=0)

    class Meta:
        model = Posting
        fields = [
            "id",
            "cadre",
            "kind",
            "enterprise",
            "park",
            "start_date",
            "end_date",
            "goals",
            "status",
            "ended_on",
            "end_reason",
            "goals_met",
            "problems_solved",
            "enterprise_opinion",
            "evaluation",
            "evaluated_at",
            "work_log_count",
        ]


class PostingDetailSerializer(PostingSerializer):
    allowed_actions = serializers.SerializerMethodField()

    class Meta(PostingSerializer.Meta):
        fields = [*PostingSerializer.Meta.fields, "allowed_actions"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, posting: Posting) -> list[str]:
        return workflow.allowed_actions(posting, _user(self))


class PostingInputSerializer(serializers.Serializer):
    cadre = serializers.IntegerField(source="cadre_id")
    kind = serializers.ChoiceField(choices=PostingKind.choices)
    enterprise = serializers.IntegerField(source="enterprise_id", required=False, allow_null=True, default=None)
    park = serializers.IntegerField(source="park_id", required=False, allow_null=True, default=None)
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True, default=None)
    goals = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class EndInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    ended_on = serializers.DateField(required=False, allow_null=True, default=None)


class EvaluateInputSerializer(serializers.Serializer):
    goals_met = serializers.ChoiceField(choices=GoalsMet.choices)
    problems_solved = serializers.IntegerField(min_value=0)
    enterprise_opinion = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    evaluation = serializers.CharField(max_length=5000)


class LogWorkInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=WorkLogKind.choices)
    date = serializers.DateField()
    summary = serializers.CharField(max_length=5000)
    members_developed = serializers.IntegerField(min_value=0, required=False, default=0)
    activists_found = serializers.IntegerField(min_value=0, required=False, default=0)


class WorkLogInputSerializer(LogWorkInputSerializer):
    posting = serializers.IntegerField()


class WorkLogSerializer(serializers.ModelSerializer):
    posting = serializers.IntegerField(source="posting_id", read_only=True)
    cadre = serializers.CharField(source="posting.cadre.name", read_only=True)
    target = serializers.SerializerMethodField()
    author = serializers.CharField(source="author.full_name", read_only=True, default=None)

    class Meta:
        model = WorkLog
        fields = [
            "id",
            "posting",
            "cadre",
            "target",
            "kind",
            "date",
            "summary",
            "members_developed",
            "activists_found",
            "author",
            "created_at",
        ]

    def get_target(self, log: WorkLog) -> str:
        return str(log.posting.target)
