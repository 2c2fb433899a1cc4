"""What the API shows of each thing: plain, read-only fields. Restricted documents are
described without name, size or checksum to those their access class does not admit (the
view decides, the serializer only leaves the fields out)."""
from rest_framework import serializers

from municipalities.models import Collaboration
from procurement.models import DeliverableVersion, Participation, Procurement
from tendering.models import Requirement


class CollaborationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Collaboration
        fields = ["id", "name", "country", "time_zone"]


class ParticipantSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.name")
    organisation_number = serializers.CharField(source="municipality.organisation_number")
    municipality_id = serializers.IntegerField()

    class Meta:
        model = Participation
        fields = ["municipality_id", "municipality", "organisation_number", "status", "is_lead", "cost_share"]


class ProcurementSerializer(serializers.ModelSerializer):
    collaboration = serializers.CharField(source="collaboration.name")
    collaboration_id = serializers.IntegerField()
    lead_municipality = serializers.CharField(source="lead_municipality.name")
    phase = serializers.CharField(source="state")
    participants = ParticipantSerializer(source="participations", many=True)

    class Meta:
        model = Procurement
        fields = [
            "id", "title", "kind", "description", "collaboration_id", "collaboration", "lead_municipality", "phase",
            "estimated_value", "created_at", "participants",
        ]


class RequirementSerializer(serializers.ModelSerializer):
    need = serializers.CharField(source="need.ref", allow_null=True, default=None)
    criterion = serializers.CharField(source="criterion.name", allow_null=True, default=None)

    class Meta:
        model = Requirement
        fields = ["id", "ref", "category", "kind", "text", "need", "criterion", "weight"]


class DocumentSerializer(serializers.ModelSerializer):
    """A deliverable version's metadata. RESTRICTED rows carry only what the screens show to
    those who may not open them: that it exists."""

    deliverable = serializers.CharField(source="deliverable.definition.code")
    phase = serializers.CharField(source="deliverable.definition.phase.code")
    restricted = serializers.SerializerMethodField()

    class Meta:
        model = DeliverableVersion
        fields = ["id", "deliverable", "phase", "number", "original_name", "content_type", "size", "sha256", "created_at", "restricted"]

    def get_restricted(self, version) -> bool:
        return not self.context["open"](version)

    def to_representation(self, version):
        data = super().to_representation(version)
        if data["restricted"]:
            for hidden in ("original_name", "content_type", "size", "sha256"):
                data[hidden] = None
        return data


class PhaseSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    order = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["done", "current", "later"])
    gates = serializers.ListField(child=serializers.DictField())
