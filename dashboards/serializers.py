"""The dashboard's figures as the API returns them (read-only; the schema is this, exactly). Rates
are fractions from 0 to 1 for issues and units (issues.kpis) and percentages for coverage
(partyorgs.selectors), as the lists they come from give them; null when nothing is there to divide."""

from rest_framework import serializers

RATE = {"max_digits": 7, "decimal_places": 4, "allow_null": True, "coerce_to_string": False}
PERCENT = {"max_digits": 5, "decimal_places": 1, "allow_null": True, "coerce_to_string": False}


class DashboardSubjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class DashboardPeriodSerializer(serializers.Serializer):
    kind = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()


class DashboardHonourSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    enterprises = serializers.IntegerField()


class DashboardRegistrySerializer(serializers.Serializer):
    enterprises = serializers.IntegerField()
    smes = serializers.IntegerField()
    honours = DashboardHonourSerializer(many=True)


class DashboardCoverageSerializer(serializers.Serializer):
    enterprises = serializers.IntegerField()
    organization = serializers.IntegerField()
    work = serializers.IntegerField()
    none = serializers.IntegerField()
    organization_rate = serializers.DecimalField(**PERCENT)
    work_rate = serializers.DecimalField(**PERCENT)
    combined_rate = serializers.DecimalField(**PERCENT)


class DashboardSubjectCoverageSerializer(DashboardCoverageSerializer):
    should_establish = serializers.IntegerField()


class DashboardSegmentSerializer(DashboardCoverageSerializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class DashboardCadresSerializer(serializers.Serializer):
    first_secretary = serializers.IntegerField()
    instructor = serializers.IntegerField()
    park_chief = serializers.IntegerField()


class DashboardIssueFiguresSerializer(serializers.Serializer):
    received = serializers.IntegerField()
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    escalated = serializers.IntegerField()
    escalated_1 = serializers.IntegerField()
    escalated_2 = serializers.IntegerField()
    escalated_3 = serializers.IntegerField()
    resolved = serializers.IntegerField()
    resolved_on_time = serializers.IntegerField()
    on_time_rate = serializers.DecimalField(**RATE)
    rated = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    satisfaction_rate = serializers.DecimalField(**RATE)
    median_days = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True, coerce_to_string=False)


class DashboardTrendPointSerializer(serializers.Serializer):
    month = serializers.DateField()
    received = serializers.IntegerField()
    resolved = serializers.IntegerField()
    organization_rate = serializers.DecimalField(**PERCENT)
    work_rate = serializers.DecimalField(**PERCENT)


class DashboardChainRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    enterprises = serializers.IntegerField()
    masters = serializers.ListField(child=serializers.CharField())
    organization_rate = serializers.DecimalField(**PERCENT)
    work_rate = serializers.DecimalField(**PERCENT)


class DashboardMeetingsSerializer(serializers.Serializer):
    quarter = serializers.CharField()
    planned = serializers.IntegerField()
    held = serializers.IntegerField()
    minutes_pending = serializers.IntegerField()


class DashboardMeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    starts_at = serializers.DateTimeField()


class DashboardCultivationSerializer(serializers.Serializer):
    measures = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    done = serializers.IntegerField()
    done_rate = serializers.DecimalField(**RATE)


class DashboardPartyPlansSerializer(serializers.Serializer):
    filed = serializers.IntegerField()
    scored = serializers.IntegerField()
    average_score = serializers.DecimalField(**PERCENT)


class DashboardUnitRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    rank = serializers.IntegerField(allow_null=True)
    dispatched = serializers.IntegerField()
    overdue = serializers.IntegerField()
    urged = serializers.IntegerField()
    response_rate = serializers.DecimalField(**RATE)
    on_time_rate = serializers.DecimalField(**RATE)
    satisfaction_rate = serializers.DecimalField(**RATE)


class DashboardAttentionIssueSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    enterprise = serializers.CharField()
    lead_unit = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    escalation_level = serializers.IntegerField()
    resolve_due_at = serializers.DateTimeField(allow_null=True)
    is_overdue = serializers.BooleanField()


class DashboardSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["district", "chain", "park"])
    subject = DashboardSubjectSerializer(allow_null=True)
    period = DashboardPeriodSerializer()
    computed_at = serializers.DateTimeField()
    registry = DashboardRegistrySerializer()
    coverage = DashboardSubjectCoverageSerializer()
    cadres = DashboardCadresSerializer()
    issues = DashboardIssueFiguresSerializer()
    trend = DashboardTrendPointSerializer(many=True)
    chains = DashboardChainRowSerializer(many=True)
    segments = DashboardSegmentSerializer(many=True)
    meetings = DashboardMeetingsSerializer()
    meeting = DashboardMeetingSerializer(allow_null=True)
    cultivation = DashboardCultivationSerializer()
    party_plans = DashboardPartyPlansSerializer()
    units = DashboardUnitRowSerializer(many=True)
    attention = DashboardAttentionIssueSerializer(many=True)
    links = serializers.DictField(
        help_text="The list behind each figure: a URL, or a map of URLs by code or id.",
    )
