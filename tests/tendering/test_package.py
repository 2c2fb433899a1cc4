"""The tender package: one ZIP built in the background (eager Celery in the tests) holding the
three PDFs, the requirements as a workbook with our columns locked, every attachment of the
phase, an OCDS release package that validates against the OCDS 1.1 schema (tests/ocds) and a manifest whose
hashes match the files. The download is the buyer's, audited; the shell command exits 0, or 1
with a clear error. The export's memory with 200 MB of attachments is measured."""
import hashlib
import io
import json
import tracemalloc
import zipfile
from decimal import Decimal
from io import StringIO
from pathlib import Path

import jsonschema
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from audit.actions import Action
from audit.models import AuditEntry
from municipalities.roles import Role
from procurement import phases
from procurement.models import Deliverable, DeliverableDefinition, DeliverableVersion
from tendering import services
from tendering.export import package_write
from tendering.models import PackageState, TenderPackage
from tendering.packages import tender_package_request

from .conftest import build_spec_world

pytestmark = pytest.mark.django_db
# The OCDS 1.1 schemas, kept in the repository (tests/ocds/README.md).
OCDS = Path(__file__).resolve().parent.parent / "ocds"


def ocds_validator():
    package_schema = json.loads((OCDS / "release-package-schema.json").read_text())
    release_schema = json.loads((OCDS / "release-schema.json").read_text())
    registry = Registry().with_resource(release_schema["id"], Resource(contents=release_schema, specification=DRAFT4))
    return jsonschema.Draft4Validator(package_schema, registry=registry, format_checker=jsonschema.FormatChecker())


@pytest.fixture
def filled(spec_world):
    p = spec_world.procurement
    user = spec_world[Role.USER_REPRESENTATIVE]
    quality = services.criterion_propose(user=user, procurement=p, name="Kvalitet", weight=Decimal(60))
    services.criterion_propose(user=spec_world[Role.REGIONAL_BUYER], procurement=p, name="Pris", weight=Decimal(40), is_price=True)
    services.requirement_add(user=user, procurement=p, category="functional", kind="must", text="Feide-pålogging.")
    services.requirement_add(user=user, procurement=p, category="functional", kind="should", text="App for foresatte.", criterion_id=quality.pk)
    services.requirement_add(user=spec_world[Role.ARCHIVE_REPRESENTATIVE], procurement=p, category="archive", kind="must", text="Noark 5.")
    services.criteria_decide(user=spec_world[Role.REGIONAL_BUYER], procurement=p)
    return spec_world


def _attach(procurement, code: str, name: str, size: int, user) -> DeliverableVersion:
    """An uploaded attachment of SIZE bytes, written in chunks (setup, not the export)."""
    definition = DeliverableDefinition.objects.get(version_id=procurement.process_version_id, code=code)
    deliverable, _ = Deliverable.objects.get_or_create(procurement=procurement, definition=definition)
    number = deliverable.versions.count() + 1
    version = DeliverableVersion(deliverable=deliverable, number=number, created_by=user, original_name=name, size=size,
                                 content_type="application/pdf", sha256="0" * 64)
    version.file.save(name, ContentFile(b""), save=False)
    path = Path(version.file.path)
    block = b"%PDF-1.4\n" + bytes(range(256)) * 4096
    with path.open("wb") as handle:
        written = 0
        while written < size:
            chunk = block[: min(len(block), size - written)]
            handle.write(chunk)
            written += len(chunk)
    version.save()
    deliverable.current_version = version
    deliverable.save(update_fields=["current_version"])
    return version


def _build(client, spec, django_capture_on_commit_callbacks) -> TenderPackage:
    client.force_login(spec[Role.REGIONAL_BUYER])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("tendering_package_request", args=[spec.procurement.pk]))
    package = TenderPackage.objects.get(procurement=spec.procurement)
    assert response.status_code == 302 and response["Location"] == reverse("tendering_package", args=[spec.procurement.pk, package.pk])
    return package


def test_the_package_holds_every_file_with_matching_hashes(client, filled, django_capture_on_commit_callbacks):
    _attach(filled.procurement, "tender-documents", "kontraktsvilkar.pdf", 50_000, filled[Role.REGIONAL_BUYER])
    package = _build(client, filled, django_capture_on_commit_callbacks)
    assert package.state == PackageState.DONE and package.progress == 100
    data = package.file.read()
    assert hashlib.sha256(data).hexdigest() == package.sha256 and len(data) == package.size
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = set(archive.namelist())
    assert {"manifest.json", "ocds.json", "kravspesifikasjon.xlsx", "dokumenter/kravspesifikasjon.pdf",
            "dokumenter/evalueringsmodell.pdf", "dokumenter/konkurransegrunnlag.pdf"} <= names
    assert any(name.startswith("vedlegg/tender-documents-v") and name.endswith("kontraktsvilkar.pdf") for name in names)
    manifest = json.loads(archive.read("manifest.json"))
    assert {entry["name"] for entry in manifest["files"]} == names - {"manifest.json"}
    for entry in manifest["files"]:
        content = archive.read(entry["name"])
        assert (len(content), hashlib.sha256(content).hexdigest()) == (entry["size"], entry["sha256"]), entry["name"]
    for name in names:
        if name.endswith(".pdf") and name.startswith("dokumenter/"):
            assert archive.read(name).startswith(b"%PDF-")
    entry = AuditEntry.objects.get(action=Action.TENDER_PACKAGE_BUILT, procurement=filled.procurement)
    assert entry.data["sha256"] == package.sha256


def test_the_workbook_has_a_row_per_requirement_and_locks_our_columns(client, filled, django_capture_on_commit_callbacks):
    package = _build(client, filled, django_capture_on_commit_callbacks)
    archive = zipfile.ZipFile(package.file.open("rb"))
    sheet = load_workbook(io.BytesIO(archive.read("kravspesifikasjon.xlsx")))["Krav"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2], r[3]) for r in rows] == [("K-001", "Må", "Feide-pålogging."), ("K-002", "Bør", "App for foresatte."), ("K-003", "Må", "Noark 5.")]
    assert rows[1][5] == "Kvalitet"
    assert sheet.protection.sheet is True
    for row in range(2, 5):
        assert all(sheet[f"{column}{row}"].protection.locked for column in "ABCDEFG")
        assert not sheet[f"H{row}"].protection.locked and not sheet[f"I{row}"].protection.locked
    validations = [str(v.sqref) for v in sheet.data_validations.dataValidation]
    assert validations == ["H2 H4"]


def test_the_ocds_release_package_validates_and_names_every_buyer(client, filled, django_capture_on_commit_callbacks):
    package = _build(client, filled, django_capture_on_commit_callbacks)
    ocds = json.loads(zipfile.ZipFile(package.file.open("rb")).read("ocds.json"))
    errors = sorted(ocds_validator().iter_errors(ocds), key=lambda e: list(e.path))
    assert errors == [], [f"{list(e.path)}: {e.message}" for e in errors]
    release = ocds["releases"][0]
    assert release["tag"] == ["tender"] and release["initiationType"] == "tender"
    buyers = [p for p in release["parties"] if "buyer" in p["roles"]]
    municipalities = filled.world.municipalities
    assert {(p["identifier"]["scheme"], p["identifier"]["id"]) for p in buyers} == {("NO-BRC", m.organisation_number) for m in municipalities}
    entity = [p for p in release["parties"] if p["roles"] == ["procuringEntity"]]
    assert len(entity) == 1 and release["tender"]["procuringEntity"]["id"] == entity[0]["id"]
    assert [item["id"] for item in release["tender"]["items"]] == ["K-001", "K-002", "K-003"]
    assert release["tender"]["awardCriteria"] == "ratedCriteria" and "Kvalitet 60 %" in release["tender"]["awardCriteriaDetails"]


def test_the_page_polls_while_the_package_is_made_and_stops_when_done(client, filled):
    package = TenderPackage.objects.create(procurement=filled.procurement, requested_by=filled[Role.REGIONAL_BUYER], progress=40,
                                           state=PackageState.RUNNING, step="kravspesifikasjon.xlsx")
    client.force_login(filled[Role.REGIONAL_BUYER])
    url = reverse("tendering_package", args=[filled.procurement.pk, package.pk])
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in page and "40 % ferdig" in page and "<noscript>" in page
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith("<div") and "<html" not in fragment
    TenderPackage.objects.filter(pk=package.pk).update(state=PackageState.DONE, progress=100, sha256="a" * 64, step="")
    assert "every 2s" not in client.get(url, HTTP_HX_REQUEST="true").content.decode()


@pytest.mark.parametrize("role", [Role.USER_REPRESENTATIVE, Role.ICT_ARCHITECT, Role.UNION_REPRESENTATIVE])
def test_only_the_buyer_and_those_running_it_export_and_download(client, filled, django_capture_on_commit_callbacks, role):
    package = _build(client, filled, django_capture_on_commit_callbacks)
    client.force_login(filled[role])
    assert client.post(reverse("tendering_package_request", args=[filled.procurement.pk])).status_code == 403
    assert client.get(reverse("tendering_package_download", args=[filled.procurement.pk, package.pk])).status_code == 403
    assert client.get(reverse("tendering_package", args=[filled.procurement.pk, package.pk])).status_code == 403
    assert AuditEntry.objects.filter(action=Action.TENDER_PACKAGE_REFUSED, actor=filled[role]).count() == 2
    assert not AuditEntry.objects.filter(action=Action.TENDER_PACKAGE_DOWNLOADED).exists()


def test_the_download_streams_the_recorded_bytes_and_is_audited(client, filled, django_capture_on_commit_callbacks):
    package = _build(client, filled, django_capture_on_commit_callbacks)
    client.force_login(filled.world.coordinator)
    response = client.get(reverse("tendering_package_download", args=[filled.procurement.pk, package.pk]))
    assert response.status_code == 200 and response.streaming
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == package.sha256
    entry = AuditEntry.objects.get(action=Action.TENDER_PACKAGE_DOWNLOADED)
    assert (entry.actor, entry.data["sha256"]) == (filled.world.coordinator, package.sha256)
    other = build_spec_world(title="Fosen")
    client.force_login(other[Role.REGIONAL_BUYER])
    assert client.get(reverse("tendering_package_download", args=[filled.procurement.pk, package.pk])).status_code == 404


def test_a_procurement_before_the_tender_documents_has_no_package(client, db):
    spec = build_spec_world(phase=phases.PROCEDURE, title="For tidlig")
    with pytest.raises(Exception) as caught:
        tender_package_request(user=spec[Role.REGIONAL_BUYER], procurement=spec.procurement)
    assert "konkurransegrunnlaget" in " ".join(caught.value.messages)


class TestCommand:
    """Through call_command: manage.py's own entry point closes every database connection when
    it ends, which would take the test database's with it. run_from_argv exits with the
    CommandError's returncode."""

    def test_writes_the_package_and_exits_0(self, filled, tmp_path):
        target = tmp_path / "pakke.zip"
        out = StringIO()
        call_command("export_tender_package", str(filled.procurement.pk), str(target), stdout=out)
        digest = hashlib.sha256(target.read_bytes()).hexdigest()
        assert digest in out.getvalue() and "manifest.json" in zipfile.ZipFile(target).namelist()

    @pytest.mark.parametrize("which", ["unknown", "too_early"])
    def test_an_unknown_id_or_no_tender_documents_is_exit_1_with_a_reason(self, db, tmp_path, which):
        if which == "unknown":
            procurement_id, reason = "987654", "Fant ingen anskaffelse med id 987654."
        else:
            procurement_id = str(build_spec_world(phase=phases.STRATEGY, title="Strategi").procurement.pk)
            reason = "har ikke kommet til konkurransegrunnlaget"
        with pytest.raises(CommandError) as caught:
            call_command("export_tender_package", procurement_id, str(tmp_path / "x.zip"))
        assert caught.value.returncode == 1
        assert reason in str(caught.value)
        assert not (tmp_path / "x.zip").exists()


def test_memory_stays_flat_with_200_mb_of_attachments(filled, tmp_path, record_property):
    """Measured, not timed: the export's peak of Python allocations with 4 × 50 MB attached."""
    buyer = filled[Role.REGIONAL_BUYER]
    codes = ["tender-documents", "tender-requirements", "tender-evaluation-model", "tender-documents"]
    for n, code in enumerate(codes):
        _attach(filled.procurement, code, f"vedlegg-{n}.pdf", 50 * 1024 * 1024, buyer)
    target = tmp_path / "stor.zip"
    tracemalloc.start()
    with target.open("w+b") as handle:
        manifest = package_write(filled.procurement, handle)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    size = target.stat().st_size
    record_property("package_bytes", size)
    record_property("peak_python_bytes", peak)
    print(f"\n200 MB export: package {size} bytes, {len(manifest)} files, peak Python allocations {peak / 2**20:.1f} MiB")
    attached = [e for e in manifest if e.name.startswith("vedlegg/")]
    assert sum(e.size for e in attached) == 3 * 50 * 1024 * 1024  # the current version of three deliverables
    assert size > 150 * 1024 * 1024
    assert peak < 40 * 1024 * 1024


def test_the_buyer_is_asked_to_export_once_the_documents_are_published(client, filled, django_capture_on_commit_callbacks):
    """Issue 6 point 2: the regional buyer's "exports" in Mine oppgaver, from publishing until
    a package has been made."""
    from procurement.extensions import tasks_for

    buyer = filled[Role.REGIONAL_BUYER]
    assert "export" not in {t.kind for t in tasks_for(buyer)}
    services.specification_publish(user=buyer, procurement=filled.procurement)
    (export,) = [t for t in tasks_for(buyer) if t.kind == "export"]
    assert export.url.endswith("#pakke") and export.procurement == filled.procurement
    assert "export" not in {t.kind for t in tasks_for(filled[Role.USER_REPRESENTATIVE])}
    _build(client, filled, django_capture_on_commit_callbacks)
    assert "export" not in {t.kind for t in tasks_for(buyer)}
