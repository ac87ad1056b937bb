"""REST shapes of the party-organization app. Output serializers read only what the selectors
loaded; input serializers parse types only — the rules live in partyorgs.services."""

from rest_framework import serializers

from accounts.models import Unit
from chains.models import Chain, Enterprise
from chains.serializers import (
    ChainRefSerializer,
    EnterpriseRefSerializer,
    PersonRefSerializer,
    UnitRefSerializer,
    annotated_reference,
)
from partyorgs.models import (
    AnnualPartyPlan,
    MeetingKind,
    OrgKind,
    OrgMeeting,
    Pairing,
    PairingActivity,
    PartyOrganization,
    PlanTarget,
    Programme,
)


class OrganizationSerializer(serializers.ModelSerializer):
    superior = serializers.SerializerMethodField()
    unit = UnitRefSerializer(read_only=True, allow_null=True)
    enterprises = EnterpriseRefSerializer(source="covered", many=True, read_only=True)
    term_lapsed = serializers.SerializerMethodField()
    needs_branch_committee = serializers.BooleanField(read_only=True)

    class Meta:
        model = PartyOrganization
        fields = [
            "id",
            "name",
            "kind",
            "superior",
            "unit",
            "enterprises",
            "secretary",
            "formal_members",
            "probationary_members",
            "has_branch_committee",
            "needs_branch_committee",
            "established_on",
            "term_started_on",
            "term_ends_on",
            "term_lapsed",
        ]

    def get_superior(self, obj) -> dict | None:
        return annotated_reference(obj, "superior_id", "superior_name")

    def get_term_lapsed(self, obj) -> bool:
        return obj.term_lapsed(self.context["today"])


class RollupSerializer(serializers.Serializer):
    organizations = serializers.IntegerField()
    formal = serializers.IntegerField()
    probationary = serializers.IntegerField()
    total = serializers.IntegerField()


class OrganizationInputSerializer(serializers.Serializer):
    """Types only; counts may be negative here so that the service names the rule it breaks."""

    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=OrgKind.choices)
    parent = serializers.PrimaryKeyRelatedField(
        queryset=PartyOrganization.objects.all(), allow_null=True, required=False
    )
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), allow_null=True, required=False)
    enterprises = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all(), many=True, required=False)
    secretary = serializers.CharField(max_length=50, allow_blank=True, required=False)
    formal_members = serializers.IntegerField(required=False)
    probationary_members = serializers.IntegerField(required=False)
    has_branch_committee = serializers.BooleanField(required=False)
    established_on = serializers.DateField(allow_null=True, required=False)
    term_started_on = serializers.DateField(allow_null=True, required=False)
    term_ends_on = serializers.DateField(allow_null=True, required=False)


class CoverageRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    chain = serializers.CharField(source="chain_name", allow_blank=True)
    enterprises = serializers.IntegerField()
    organization = serializers.IntegerField(help_text="Enterprises with their own or a joint organization.")
    work = serializers.IntegerField(help_text="No organization, but an active first secretary or instructor.")
    none = serializers.IntegerField()
    organization_rate = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        allow_null=True,
        help_text="The official rate: organization ÷ enterprises, in %.",
    )
    work_rate = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    combined_rate = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)


class CoverageSerializer(serializers.Serializer):
    on = serializers.DateField()
    district = CoverageRowSerializer()
    chains = CoverageRowSerializer(many=True)
    parks = CoverageRowSerializer(many=True)
    segments = CoverageRowSerializer(many=True)


class OrgMeetingSerializer(serializers.ModelSerializer):
    organization = serializers.SerializerMethodField()
    recorded_by = PersonRefSerializer(read_only=True)

    class Meta:
        model = OrgMeeting
        fields = ["id", "organization", "kind", "held_on", "topic", "attendance", "recorded_by", "created_at"]

    def get_organization(self, obj) -> dict:
        return {"id": obj.organization_id, "name": obj.organization.name}


class OrgMeetingInputSerializer(serializers.Serializer):
    """Types only; the rules (a committee for committee meetings, no future day, attendance) are the service's."""

    organization = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    held_on = serializers.DateField()
    topic = serializers.CharField(max_length=200, allow_blank=True)
    attendance = serializers.IntegerField()


class OrgRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartyOrganization
        fields = ["id", "name"]


class PairingActivitySerializer(serializers.ModelSerializer):
    class Meta:
        model = PairingActivity
        fields = ["id", "programme", "held_on", "title", "outcome", "created_at"]


class PairingSerializer(serializers.ModelSerializer):
    department_org = OrgRefSerializer(read_only=True)
    enterprise_org = OrgRefSerializer(read_only=True)
    chain = ChainRefSerializer(read_only=True)
    activities = PairingActivitySerializer(many=True, read_only=True)

    class Meta:
        model = Pairing
        fields = [
            "id",
            "chain",
            "department_org",
            "enterprise_org",
            "start_on",
            "end_on",
            "goals",
            "department_contact",
            "enterprise_contact",
            "activities",
        ]


class PairingInputSerializer(serializers.Serializer):
    department_org = serializers.PrimaryKeyRelatedField(queryset=PartyOrganization.objects.all())
    enterprise_org = serializers.PrimaryKeyRelatedField(queryset=PartyOrganization.objects.all())
    chain = serializers.PrimaryKeyRelatedField(queryset=Chain.objects.all())
    start_on = serializers.DateField()
    end_on = serializers.DateField(allow_null=True, required=False)
    goals = serializers.CharField(allow_blank=True)
    department_contact = serializers.CharField(max_length=50, allow_blank=True, required=False)
    enterprise_contact = serializers.CharField(max_length=50, allow_blank=True, required=False)


class PairingActivityInputSerializer(serializers.Serializer):
    programme = serializers.ChoiceField(choices=Programme.choices)
    held_on = serializers.DateField()
    title = serializers.CharField(max_length=200, allow_blank=True)
    outcome = serializers.CharField(allow_blank=True, required=False)


class PlanTargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanTarget
        fields = ["id", "description", "weight", "score"]


class PartyPlanSerializer(serializers.ModelSerializer):
    chain = ChainRefSerializer(read_only=True)
    organization = OrgRefSerializer(read_only=True)
    targets = PlanTargetSerializer(many=True, read_only=True)
    party_score = serializers.DecimalField(max_digits=6, decimal_places=1, read_only=True, allow_null=True)

    class Meta:
        model = AnnualPartyPlan
        fields = [
            "id",
            "chain",
            "organization",
            "year",
            "title",
            "content",
            "targets",
            "party_score",
            "business_targets",
            "business_score",
            "filed_on",
            "scored_on",
        ]


class PlanTargetInputSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=300, allow_blank=True)
    weight = serializers.DecimalField(max_digits=5, decimal_places=1)


class PartyPlanInputSerializer(serializers.Serializer):
    chain = serializers.PrimaryKeyRelatedField(queryset=Chain.objects.all())
    organization = serializers.PrimaryKeyRelatedField(queryset=PartyOrganization.objects.all())
    year = serializers.IntegerField()
    title = serializers.CharField(max_length=200, allow_blank=True)
    content = serializers.CharField(allow_blank=True, required=False)
    business_targets = serializers.CharField(allow_blank=True, required=False)
    targets = PlanTargetInputSerializer(many=True)


class PlanScoreInputSerializer(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.DecimalField(max_digits=5, decimal_places=1), help_text="{target id: score}"
    )
    business_score = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True, required=False)
