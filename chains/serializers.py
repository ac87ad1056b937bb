"""REST shapes of the chains app. Output serializers read only what the selectors loaded (no query
per row); input serializers parse types only — the rules live in chains.services.

Personal data: users appear as {id, full_name}; phone numbers are never serialized.
"""

from collections.abc import Iterable

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Unit, User
from chainparty.rows import decimal_format, ref
from chains import models


# --- small references --------------------------------------------------------------------------
def _reference(name: str, model, label: str = "name") -> type[serializers.ModelSerializer]:
    """How one object names another: {id, name} (a person: {id, full_name})."""
    meta = type("Meta", (), {"model": model, "fields": ["id", label]})
    return type(name, (serializers.ModelSerializer,), {"Meta": meta, "__module__": __name__})


UnitRefSerializer = _reference("UnitRefSerializer", Unit)
PersonRefSerializer = _reference("PersonRefSerializer", User, "full_name")
ChainRefSerializer = _reference("ChainRefSerializer", models.Chain)
EnterpriseRefSerializer = _reference("EnterpriseRefSerializer", models.Enterprise)
ParkRefSerializer = _reference("ParkRefSerializer", models.Park)


def annotated_reference(obj, id_attr: str, name_attr: str) -> dict | None:
    """{id, name} from two annotations of a selector, which leaves them NULL where the user may not
    see the object referred to (or when the row was not loaded that way)."""
    pk = getattr(obj, id_attr, None)
    return None if pk is None else {"id": pk, "name": getattr(obj, name_attr)}


# --- chains ------------------------------------------------------------------------------------
class LeaderSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="user_id", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)

    class Meta:
        model = models.ChainLeadership
        fields = ["id", "full_name", "role"]


class SegmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.ChainSegment
        fields = ["id", "position", "name", "order"]


class DesignatedMasterSerializer(serializers.ModelSerializer):
    enterprise = EnterpriseRefSerializer(read_only=True)

    class Meta:
        model = models.ChainMaster
        fields = ["id", "enterprise"]


class ChainSerializer(serializers.ModelSerializer):
    coverage_paths = serializers.ListField(child=serializers.CharField(), read_only=True)
    lead_unit = UnitRefSerializer(read_only=True)
    cooperating_units = UnitRefSerializer(many=True, read_only=True)
    industry_committee = UnitRefSerializer(read_only=True, allow_null=True)
    leaders = LeaderSerializer(source="leaderships", many=True, read_only=True)
    segments = SegmentSerializer(many=True, read_only=True)
    chain_master = serializers.SerializerMethodField()
    enterprise_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = models.Chain
        fields = [
            "id",
            "code",
            "name",
            "description",
            "path_industry_committee",
            "path_department",
            "path_park",
            "coverage_paths",
            "lead_unit",
            "cooperating_units",
            "industry_committee",
            "leaders",
            "segments",
            "chain_master",
            "enterprise_count",
        ]

    @staticmethod
    def _designated(chain: models.Chain) -> models.ChainMaster | None:
        # list_chains_for_user prefetches the designated master whose enterprise the user may see.
        masters = getattr(chain, "designated_masters", [])
        return masters[0] if masters else None

    @extend_schema_field(DesignatedMasterSerializer(allow_null=True))
    def get_chain_master(self, chain: models.Chain) -> dict | None:
        master = self._designated(chain)
        return DesignatedMasterSerializer(master).data if master else None


# --- enterprises -------------------------------------------------------------------------------
class HonourSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.EnterpriseHonour
        fields = ["honour", "year"]


class MembershipSegmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.ChainSegment
        fields = ["id", "name", "position"]


class MembershipSerializer(serializers.ModelSerializer):
    chain = ChainRefSerializer(read_only=True)
    segment = MembershipSegmentSerializer(read_only=True)

    class Meta:
        model = models.ChainMembership
        fields = ["chain", "segment"]


class EnterpriseSerializer(serializers.ModelSerializer):
    park = ParkRefSerializer(read_only=True, allow_null=True)
    is_sme = serializers.BooleanField(read_only=True)
    honours = HonourSerializer(many=True, read_only=True)
    memberships = MembershipSerializer(many=True, read_only=True)

    class Meta:
        model = models.Enterprise
        fields = [
            "id",
            "name",
            "credit_code",
            "kind",
            "size_class",
            "is_sme",
            "park",
            "employees",
            "annual_output",
            "address",
            "honours",
            "memberships",
        ]
        read_only_fields = fields


# The list's page as values (chainparty.rows): these columns and chains.selectors.enterprise_page_parts,
# shaped by enterprise_list_rows into exactly what EnterpriseSerializer gives (tests/chains/test_api.py
# compares the two).
ENTERPRISE_LIST_COLUMNS = (
    "id",
    "name",
    "credit_code",
    "kind",
    "size_class",
    "park_id",
    "park__name",
    "employees",
    "annual_output",
    "address",
)


def enterprise_list_rows(rows: Iterable[dict], honours: dict, memberships: dict) -> list[dict]:
    """EnterpriseSerializer(many=True).data, from rows of `.values(*ENTERPRISE_LIST_COLUMNS)` and their parts."""
    output = models.Enterprise._meta.get_field("annual_output")
    money = decimal_format(max_digits=output.max_digits, decimal_places=output.decimal_places)
    return [
        {
            "id": row["id"],
            "name": row["name"],
            "credit_code": row["credit_code"],
            "kind": row["kind"],
            "size_class": row["size_class"],
            "is_sme": row["size_class"] in models.SME_SIZES,
            "park": ref(row["park_id"], row["park__name"]),
            "employees": row["employees"],
            "annual_output": money(row["annual_output"]),
            "address": row["address"],
            "honours": [{"honour": honour, "year": year} for honour, year in honours.get(row["id"], ())],
            "memberships": [
                {
                    "chain": {"id": chain_id, "name": chain_name},
                    "segment": {"id": segment_id, "name": segment_name, "position": position},
                }
                for chain_id, chain_name, segment_id, segment_name, position in memberships.get(row["id"], ())
            ],
        }
        for row in rows
    ]


class HonourInputSerializer(serializers.Serializer):
    honour = serializers.ChoiceField(choices=models.Honour.choices)
    year = serializers.IntegerField()


class MembershipInputSerializer(serializers.Serializer):
    segment = serializers.IntegerField(help_text="Id of a chain segment; the chain is the segment's.")


class EnterpriseInputSerializer(serializers.Serializer):
    """Create (POST), replace (PUT) or change (PATCH) an enterprise.

    `honours` and `memberships`, when given, replace the enterprise's lists; when left out they stay
    as they are (on create: none).
    """

    name = serializers.CharField(max_length=200)
    # No format rule here: chains.services explains what is wrong with a code (length, characters,
    # check digit). The length cap only keeps absurd input out.
    credit_code = serializers.CharField(max_length=64)
    kind = serializers.ChoiceField(choices=models.EnterpriseKind.choices, default=models.EnterpriseKind.ENTERPRISE)
    size_class = serializers.ChoiceField(choices=models.SizeClass.choices)
    park = serializers.PrimaryKeyRelatedField(queryset=models.Park.objects.all(), allow_null=True, required=False)
    employees = serializers.IntegerField(required=False)
    annual_output = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    address = serializers.CharField(max_length=200, allow_blank=True, required=False)
    honours = HonourInputSerializer(many=True, required=False)
    memberships = MembershipInputSerializer(many=True, required=False)


# --- parks -------------------------------------------------------------------------------------
class FacilitySerializer(serializers.ModelSerializer):
    class Meta:
        model = models.ParkFacility
        fields = ["kind", "name", "description"]


class ParkSerializer(serializers.ModelSerializer):
    management_unit = UnitRefSerializer(read_only=True, allow_null=True)
    chiefs = PersonRefSerializer(many=True, read_only=True)
    facilities = FacilitySerializer(many=True, read_only=True)
    enterprise_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = models.Park
        fields = [
            "id",
            "name",
            "kind",
            "address",
            "description",
            "management_unit",
            "chiefs",
            "facilities",
            "enterprise_count",
        ]


# --- chain masters -----------------------------------------------------------------------------
class TaskForceMemberSerializer(serializers.ModelSerializer):
    """Reads the annotations of selectors.list_chain_masters_for_user: a seconded member's home
    enterprise only when the user may see it (null otherwise, and null when not loaded that way)."""

    seconded_from = serializers.SerializerMethodField()

    class Meta:
        model = models.TaskForceMember
        fields = ["name", "title", "source", "seconded_from"]

    @extend_schema_field(EnterpriseRefSerializer(allow_null=True))
    def get_seconded_from(self, member) -> dict | None:
        return annotated_reference(member, "seconded_from_id", "seconded_from_name")


class MeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.CultivationMeasure
        fields = ["kind", "title", "status", "due_date"]


class ChainMasterSerializer(serializers.ModelSerializer):
    chain = ChainRefSerializer(read_only=True)
    enterprise = EnterpriseRefSerializer(read_only=True)
    total_score = serializers.DecimalField(max_digits=6, decimal_places=2, read_only=True)
    task_force = TaskForceMemberSerializer(many=True, read_only=True)
    measures = MeasureSerializer(many=True, read_only=True)

    class Meta:
        model = models.ChainMaster
        fields = [
            "id",
            "chain",
            "enterprise",
            "status",
            *models.SCORE_FIELDS,
            "total_score",
            "designated_on",
            "revoked_on",
            "note",
            "task_force",
            "measures",
        ]
        read_only_fields = fields


class ChainMasterInputSerializer(serializers.Serializer):
    """Put an enterprise of a chain forward as chain-master candidate."""

    chain = serializers.PrimaryKeyRelatedField(queryset=models.Chain.objects.all())
    enterprise = serializers.PrimaryKeyRelatedField(queryset=models.Enterprise.objects.all())
    # The six criteria of §4.2, each 0–100 (the range is checked by the service).
    score_social_responsibility = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    score_industry_influence = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    score_system_integration = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    score_chain_driving = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    score_local_rootedness = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    score_output_rank = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    note = serializers.CharField(allow_blank=True, required=False, default="")
