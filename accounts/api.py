from rest_framework import serializers, viewsets

from accounts.models import Unit


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name", "short_name", "kind", "industry_committee"]


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Government units. The directory of units is open to every signed-in user."""

    serializer_class = UnitSerializer
    filterset_fields = ["kind"]

    def get_queryset(self):
        return Unit.objects.filter(is_active=True).order_by("kind", "name")
