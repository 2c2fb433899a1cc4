"""The read-only API: every endpoint in its OpenAPI schema answers; none lists what the screens
would hide (another collaboration's procurements are 404, a restricted document has no name,
size or checksum for those its access class does not admit); the filters, pagination and token
authentication work; the OCDS release packages validate against the OCDS 1.1 schema (tests/ocds)."""
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from municipalities.roles import Role
from procurement import phases
from procurement.models import DeliverableDefinition
from procurement.services.deliverables import deliverable_version_add
from tendering import services
from tests.shared_data import built_once_per_module
from tests.tendering.conftest import build_spec_world, fresh_spec_world
from tests.tendering.test_package import ocds_validator

pytestmark = pytest.mark.django_db
SECRET_FILE = "evalueringsskjema-tilbyder-a.pdf"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _build():
    home = build_spec_world(title="Barnevern")
    p = home.procurement
    services.criterion_propose(user=home[Role.REGIONAL_BUYER], procurement=p, name="Pris", weight=Decimal(100), is_price=True)
    services.requirement_add(user=home[Role.USER_REPRESENTATIVE], procurement=p, category="functional", kind="must", text="Feide.")
    early = build_spec_world(phase=phases.NEEDS, title="Tidlig")
    away = build_spec_world(title="Fosens egen")
    return home, early, away


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    yield from built_once_per_module(django_db_blocker, _build)


@pytest.fixture
def world(db, _world):
    return tuple(fresh_spec_world(spec) for spec in _world)


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _paths():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [(path, list(methods)) for path, methods in schema["paths"].items()]


def test_every_endpoint_in_the_schema_answers(world):
    home, _early, _away = world
    client = _client(home.world.coordinator)
    paths = _paths()
    assert len(paths) >= 9
    for path, methods in paths:
        assert methods == ["get"], path
        url = path.replace("{id}", str(home.procurement.pk if "procurements" in path else home.world.collaboration.pk))
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])


def test_another_collaborations_procurements_are_neither_listed_nor_found(world):
    home, _early, away = world
    client = _client(away[Role.REGIONAL_BUYER])
    listed = {row["id"] for row in client.get("/api/v1/procurements/").json()["results"]}
    assert home.procurement.pk not in listed and away.procurement.pk in listed
    for suffix in ("", "phases/", "requirements/", "documents/", "ocds/"):
        assert client.get(f"/api/v1/procurements/{home.procurement.pk}/{suffix}").status_code == 404, suffix
    collaborations = {row["id"] for row in client.get("/api/v1/collaborations/").json()["results"]}
    assert home.world.collaboration.pk not in collaborations
    releases = client.get("/api/v1/ocds/").json()["releases"]
    assert {r["ocid"] for r in releases} == {f"ocds-felles-{away.procurement.pk}"}


def test_a_restricted_document_is_listed_without_name_size_or_checksum(world, advance_to):
    home, _early, _away = world
    p = home.procurement
    advance_to(p, phases.EVALUATION, user=home.world.coordinator)
    definition = DeliverableDefinition.objects.get(version_id=p.process_version_id, code="evaluation-form")
    deliverable_version_add(
        user=home.world.coordinator, procurement=p, definition=definition,
        file=SimpleUploadedFile(SECRET_FILE, b"%PDF-1.4\n% poeng\n", content_type="application/pdf"),
    )
    def row(user):
        rows = _client(user).get(f"/api/v1/procurements/{p.pk}/documents/?per_page=200").json()["results"]
        return next(r for r in rows if r["deliverable"] == "evaluation-form")

    hidden = row(home[Role.USER_REPRESENTATIVE])
    assert hidden["restricted"] is True and hidden["original_name"] is None and hidden["sha256"] is None and hidden["size"] is None
    shown = row(home[Role.REGIONAL_BUYER])
    assert shown["restricted"] is False and shown["original_name"] == SECRET_FILE and re.fullmatch(r"[0-9a-f]{64}", shown["sha256"])
    body = _client(home[Role.USER_REPRESENTATIVE]).get(f"/api/v1/procurements/{p.pk}/documents/").content.decode()
    assert SECRET_FILE not in body


def test_filters_by_collaboration_municipality_and_phase(world):
    home, early, _away = world
    # the two home-made worlds are separate collaborations; the buyer of one sees only its own
    client = _client(home.world.coordinator)
    ids = lambda query: {row["id"] for row in client.get(f"/api/v1/procurements/{query}").json()["results"]}  # noqa: E731
    assert ids("") == {home.procurement.pk}
    assert ids(f"?collaboration={home.world.collaboration.pk}") == {home.procurement.pk}
    assert ids(f"?collaboration={early.world.collaboration.pk}") == set()
    assert ids(f"?municipality={home.world.municipalities[1].pk}") == {home.procurement.pk}
    assert ids(f"?municipality={early.world.municipalities[0].pk}") == set()
    assert ids("?phase=tender_documents") == {home.procurement.pk}
    assert ids("?phase=needs") == set()
    assert ids("?collaboration=abc") == set()
    # past the integer column's range: no rows, not a 500 from the database
    assert ids("?collaboration=99999999999999999999") == set()
    assert ids("?municipality=99999999999999999999") == set()


def test_phases_gates_requirements_and_ocds(world):
    home, early, _away = world
    client = _client(home.world.coordinator)
    rows = client.get(f"/api/v1/procurements/{home.procurement.pk}/phases/").json()
    assert [r["status"] for r in rows if r["code"] == phases.TENDER_DOCUMENTS] == ["current"]
    assert [r["status"] for r in rows if r["code"] == phases.NEEDS] == ["done"]
    requirements = client.get(f"/api/v1/procurements/{home.procurement.pk}/requirements/").json()
    assert requirements["count"] == 1 and requirements["results"][0]["ref"] == "K-001"
    package = client.get(f"/api/v1/procurements/{home.procurement.pk}/ocds/").json()
    assert list(ocds_validator().iter_errors(package)) == []
    installation = client.get("/api/v1/ocds/").json()
    assert list(ocds_validator().iter_errors(installation)) == []
    early_client = _client(early.world.coordinator)
    assert early_client.get(f"/api/v1/procurements/{early.procurement.pk}/ocds/").status_code == 404


def test_token_and_session_authentication_and_nothing_for_anonymous(world, client):
    home, _early, _away = world
    token = Token.objects.create(user=home[Role.REGIONAL_BUYER])
    api = APIClient()
    assert api.get("/api/v1/procurements/").status_code in (401, 403)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/procurements/").json()["count"] == 1
    client.force_login(home[Role.ICT_ARCHITECT])
    assert client.get("/api/v1/procurements/").json()["count"] == 1


def test_the_documentation_page_lists_every_endpoint(world, client):
    home, _early, _away = world
    client.force_login(home[Role.REGIONAL_BUYER])
    page = client.get(reverse("api-docs")).content.decode()
    for path, _methods in _paths():
        assert path in page
    assert client.get(reverse("api-schema")).status_code == 200
