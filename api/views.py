"""The read-only API. Everything starts from the procurements the person may see
(procurement.selectors.access.procurements_visible), like the screens: a procurement that is not
visible is 404, a restricted document is listed without its name, size or checksum."""
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from core.ids import id_from
from municipalities.models import Collaboration, RoleAssignment
from procurement import phases
from procurement.models import DeliverableVersion, Participation, ParticipationStatus, PhaseDefinition, Procurement
from procurement.readiness import readiness_for
from procurement.selectors.access import procurements_visible, roles_in_procurement
from tendering.export import has_tender_documents, ocds_release_package
from tendering.models import Requirement
from tendering.selectors import evaluation_model_for, specification_view

from .serializers import (
    CollaborationSerializer,
    DocumentSerializer,
    PhaseSerializer,
    ProcurementSerializer,
    RequirementSerializer,
)


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "per_page"
    max_page_size = 200


def _visible(request):
    return procurements_visible(user=request.user)


class CollaborationViewSet(viewsets.ReadOnlyModelViewSet):
    """The collaborations the person works in or sees a procurement of."""

    serializer_class = CollaborationSerializer
    pagination_class = Pages
    queryset = Collaboration.objects.none()  # for the schema; get_queryset says what is seen

    def get_queryset(self):
        user = self.request.user
        bodies = RoleAssignment.objects.filter(person=user, body__isnull=False).values("body__collaboration_id")
        seen = _visible(self.request).values("collaboration_id")
        return Collaboration.objects.filter(Q(pk__in=seen) | Q(pk__in=bodies)).order_by("name")


FILTERS = [
    OpenApiParameter("collaboration", OpenApiTypes.INT, description="Samarbeidets id"),
    OpenApiParameter("municipality", OpenApiTypes.INT, description="En deltakende kommunes id"),
    OpenApiParameter("phase", OpenApiTypes.STR, description="Fasen, for eksempel tender_documents"),
]


@extend_schema(parameters=FILTERS)
class ProcurementViewSet(viewsets.ReadOnlyModelViewSet):
    """Procurements with their participants, filtered by collaboration, municipality and phase.
    The nested routes give the phases and gates, the requirements, the documents' metadata and
    an OCDS release package."""

    serializer_class = ProcurementSerializer
    pagination_class = Pages
    queryset = Procurement.objects.none()  # for the schema; get_queryset says what is seen

    def get_queryset(self):
        queryset = (
            _visible(self.request)
            .select_related("collaboration", "lead_municipality")
            .prefetch_related(Prefetch("participations", queryset=Participation.objects.select_related("municipality").order_by("pk")))
            .order_by("-created_at", "-pk")
        )
        params = self.request.query_params
        if "collaboration" in params:
            queryset = queryset.filter(collaboration_id=id_from(params["collaboration"]))
        if "municipality" in params:
            queryset = queryset.filter(
                participations__municipality_id=id_from(params["municipality"]), participations__status=ParticipationStatus.JOINED
            )
        if "phase" in params:
            queryset = queryset.filter(state=params["phase"])
        return queryset

    def _procurement(self, pk) -> Procurement:
        return get_object_or_404(_visible(self.request).select_related("collaboration", "lead_municipality"), pk=pk)

    @extend_schema(parameters=[], responses=PhaseSerializer(many=True))
    @action(detail=True, pagination_class=None)
    def phases(self, request, pk=None):
        """Every phase of the procurement's process, and the gates of the current one with
        whether each has passed and why not."""
        procurement = self._procurement(pk)
        definitions = PhaseDefinition.objects.filter(version_id=procurement.process_version_id).order_by("order")
        readiness = readiness_for(procurement, whole_process=False) if procurement.is_open else None
        current = procurement.state
        order = (phases.INTAKE, *phases.PHASES)
        position = order.index(current) if current in order else len(order)
        rows = []
        for definition in definitions:
            index = order.index(definition.code) if definition.code in order else 0
            status = "done" if index < position else "current" if definition.code == current else "later"
            gates = []
            if status == "current" and readiness is not None:
                gates = [
                    {"code": g.gate.code, "name": g.gate.label, "kind": g.gate.kind, "passed": g.passed, "reasons": [str(r) for r in g.reasons]}
                    for g in readiness.gates
                ]
            rows.append({"code": definition.code, "name": definition.label, "order": definition.order, "status": status, "gates": gates})
        return Response(PhaseSerializer(rows, many=True).data)

    @extend_schema(parameters=[], responses=RequirementSerializer(many=True))
    @action(detail=True)
    def requirements(self, request, pk=None):
        procurement = self._procurement(pk)
        rows = Requirement.objects.filter(specification__procurement=procurement).select_related("need", "criterion").order_by("ref")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(RequirementSerializer(page, many=True).data)

    @extend_schema(parameters=[], responses=DocumentSerializer(many=True))
    @action(detail=True)
    def documents(self, request, pk=None):
        """Every version of every deliverable. A restricted document is listed to those its
        access class does not admit, as on the procurement page: without name, size or checksum."""
        procurement = self._procurement(pk)
        roles = roles_in_procurement(user=request.user, procurement=procurement)
        rows = (
            DeliverableVersion.objects.filter(deliverable__procurement=procurement)
            .select_related("deliverable__definition__phase")
            .order_by("deliverable__definition__phase__order", "deliverable__definition__order", "number")
        )
        page = self.paginate_queryset(rows)
        data = DocumentSerializer(page, many=True, context={"open": lambda v: v.deliverable.definition.open_to(roles)}).data
        return self.get_paginated_response(data)

    @extend_schema(parameters=[], responses=OpenApiTypes.OBJECT)
    @action(detail=True, pagination_class=None)
    def ocds(self, request, pk=None):
        """The procurement as an OCDS 1.1 release package (tag tender), once it has reached the
        tender documents."""
        procurement = self._procurement(pk)
        if not has_tender_documents(procurement):
            return Response({"detail": gettext("Anskaffelsen har ikke kommet til konkurransegrunnlaget ennå.")}, status=404)
        return Response(_package(procurement))


def _package(procurement) -> dict:
    return ocds_release_package(procurement, specification_view(user=None, procurement=procurement), evaluation_model_for(procurement))


class InstallationOcdsView(APIView):
    """Every visible procurement that has reached the tender documents, in one OCDS 1.1 release package."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        releases = []
        for procurement in _visible(request).select_related("collaboration", "lead_municipality").order_by("pk"):
            if has_tender_documents(procurement):
                releases.extend(_package(procurement)["releases"])
        now = timezone.now().isoformat()
        return Response(
            {
                "uri": request.build_absolute_uri(),
                "publisher": {"name": "Felles anskaffelser"},
                "publishedDate": now,
                "version": "1.1",
                "releases": releases,
            }
        )


def api_docs(request):
    """The API's documentation, drawn from its OpenAPI schema by the app itself (no scripts
    from elsewhere)."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    endpoints = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            endpoints.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "description": operation.get("description", ""),
                    "parameters": [(p["name"], p.get("in"), p.get("description", "")) for p in operation.get("parameters", [])],
                }
            )
    return render(request, "api/docs.html", {"schema": schema, "endpoints": endpoints})
