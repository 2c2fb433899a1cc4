"""The printed tender documents: rendered by WeasyPrint from the templates the screens show,
served to those who see the procurement (and logged), and stored as a new version of the
phase's deliverable whose SHA-256 is that of the exact bytes. The PDF is read without external
tools, as tests/procurement/test_signoff_record_pdf.py does: inflated object streams for the
metadata, the page count and the embedded font."""
import hashlib
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from audit.actions import Action
from audit.models import AuditEntry
from core.pdf import render_html
from municipalities.roles import Role
from procurement.models import Deliverable
from tendering import documents, services
from tests.procurement.test_signoff_record_pdf import _page_count, _pdf_info, _pdf_objects
from tests.shared_data import built_once_per_module

from .conftest import build_spec_world, fresh_spec_world

pytestmark = pytest.mark.django_db


def _fill(spec_world):
    p = spec_world.procurement
    user = spec_world[Role.USER_REPRESENTATIVE]
    quality = services.criterion_propose(user=user, procurement=p, name="Kvalitet", weight=Decimal(60))
    services.criterion_propose(user=user, procurement=p, name="Brukervennlighet", weight=Decimal(50), parent_id=quality.pk)
    services.criterion_propose(user=user, procurement=p, name="Gjennomføring", weight=Decimal(50), parent_id=quality.pk)
    services.criterion_propose(user=spec_world[Role.REGIONAL_BUYER], procurement=p, name="Pris", weight=Decimal(40), is_price=True)
    for n in range(1, 31):
        services.requirement_add(
            user=spec_world[Role.ICT_ARCHITECT], procurement=p, category="architecture", kind="must",
            text=f"Løsningen skal tilby et dokumentert REST-API for område {n}, med versjonering og tilgangsstyring.",
        )
    services.tender_text_save(
        user=spec_world[Role.REGIONAL_BUYER], procurement=p, instructions="Tilbud leveres i KGV.", procedure_text="Åpen anbudskonkurranse.",
        timetable="Tilbudsfrist 1. mars.", price_model="proportional",
    )
    return spec_world


@pytest.fixture(scope="module")
def _filled(django_db_setup, django_db_blocker):
    yield from built_once_per_module(django_db_blocker, lambda: _fill(build_spec_world()))


@pytest.fixture
def filled(db, _filled):
    return fresh_spec_world(_filled)


@pytest.mark.parametrize(
    "document, title, markers",
    [
        ("kravspesifikasjon", "Kravspesifikasjon", ["K-001", "K-030", "Arkitektur og integrasjon", "dokumentert REST-API"]),
        ("evalueringsmodell", "Modell for tilbudsevaluering", ["Brukervennlighet", "30 %", "Forholdsmessig", "10 × laveste pris / tilbudt pris"]),
        ("konkurransegrunnlag", "Konkurransegrunnlag", ["Tilbud leveres i KGV.", "Åpen anbudskonkurranse.", "Tilbudsfrist 1. mars."]),
    ],
)
def test_each_document_renders_from_the_screens_template(filled, document, title, markers):
    context = documents.document_context(procurement=filled.procurement, document=document)
    html = render_html(documents.DOCUMENTS[document].template, context)
    for marker in markers:
        assert marker in html
    assert "<form" not in html and "csrfmiddlewaretoken" not in html  # no forms in print
    pdf = documents.document_render(procurement=filled.procurement, document=document)
    objects = _pdf_objects(pdf)
    assert pdf.startswith(b"%PDF-")
    assert _pdf_info(objects, b"Title") == f"{title} – {filled.procurement.title}"
    assert re.search(rb"/FontName\s*/[A-Z]{6}\+DejaVu-?Sans", objects)
    assert re.search(rb"\]\s*TJ|\)\s*Tj|>\s*Tj", objects)


def test_the_requirement_specification_grows_with_its_requirements(filled):
    long = _page_count(_pdf_objects(documents.document_render(procurement=filled.procurement, document="kravspesifikasjon")))
    empty = _page_count(_pdf_objects(documents.document_render(procurement=filled.procurement, document="konkurransegrunnlag")))
    assert long > empty >= 1


def test_the_pdf_view_serves_and_logs_the_print(client, filled):
    client.force_login(filled[Role.UNION_REPRESENTATIVE])
    response = client.get(reverse("tendering_document_pdf", args=[filled.procurement.pk, "evalueringsmodell"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert AuditEntry.objects.filter(action=Action.PRINT_TENDER_DOCUMENT, actor=filled[Role.UNION_REPRESENTATIVE]).count() == 1
    assert client.get(reverse("tendering_document_pdf", args=[filled.procurement.pk, "ukjent"])).status_code == 404


@pytest.mark.parametrize("document, code", [(d.key, d.deliverable_code) for d in documents.DOCUMENTS.values()])
def test_the_buyer_adds_the_rendering_as_the_deliverables_next_version(client, filled, document, code):
    client.force_login(filled[Role.REGIONAL_BUYER])
    response = client.post(reverse("tendering_document_version_add", args=[filled.procurement.pk, document]))
    assert response.status_code == 302
    deliverable = Deliverable.objects.get(procurement=filled.procurement, definition__code=code)
    version = deliverable.current_version
    stored = version.file.read()
    assert stored.startswith(b"%PDF-") and version.content_type == "application/pdf"
    assert version.sha256 == hashlib.sha256(stored).hexdigest()
    assert version.size == len(stored)
    entry = AuditEntry.objects.filter(action=Action.DELIVERABLE_UPLOADED, procurement=filled.procurement).latest("pk")
    assert entry.data["sha256"] == version.sha256


@pytest.mark.parametrize("role", [Role.USER_REPRESENTATIVE, Role.ARCHIVE_REPRESENTATIVE, Role.EVALUATOR])
def test_others_may_not_replace_the_deliverable(client, filled, role):
    client.force_login(filled[role])
    response = client.post(reverse("tendering_document_version_add", args=[filled.procurement.pk, "kravspesifikasjon"]))
    assert response.status_code == 403
    assert not Deliverable.objects.filter(procurement=filled.procurement, definition__code="tender-requirements", versions__file__gt="").exists()
