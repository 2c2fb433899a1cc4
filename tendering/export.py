"""The tender package's contents: the three printed documents, the requirements as a workbook
suppliers answer in, every uploaded attachment of the tender-documents phase, an OCDS 1.1
release package and a manifest of every file's name, size and SHA-256, written into one ZIP.

The ZIP is written to a file object as it goes and attachments are copied in chunks, so memory
does not grow with the size of the attachments."""
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from municipalities.models import Country
from procurement import phases
from procurement.models import AccessClass, DeliverableVersion, ParticipationStatus, Procurement

from . import documents
from .models import RequirementKind
from .ownership import Category
from .selectors import EvaluationModel, SpecificationView, evaluation_model_for, specification_view
from .weights import format_percent

CHUNK = 1024 * 1024
Progress = Callable[[int, str], None]
SCHEMES = {Country.NORWAY: "NO-BRC", Country.DENMARK: "DK-CVR"}
CURRENCIES = {Country.NORWAY: "NOK", Country.DENMARK: "DKK"}


class NoTenderDocuments(Exception):
    """The procurement has not reached the tender documents: there is nothing to export."""


def has_tender_documents(procurement: Procurement) -> bool:
    return procurement.state in phases.PHASES and phases.PHASES.index(procurement.state) >= phases.PHASES.index(
        phases.TENDER_DOCUMENTS
    ) or (procurement.state in phases.FINAL_STATES and hasattr(procurement, "specification"))


# ----------------------------------------------------------------------------- the workbook

HEADERS = ["Id", "Kategori", "Type", "Krav", "Behov", "Tildelingskriterium", "Vekt (%)", "Oppfylt (ja/nei)", "Tilbyderens svar"]
ANSWER_COLUMNS = ("H", "I")


def requirements_xlsx(view: SpecificationView) -> bytes:
    """One row per requirement: our columns are locked (the sheet is protected), the supplier
    writes in the last two; a must requirement's 'met' column takes yes or no."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Krav"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
    yes_no = DataValidation(type="list", formula1='"Ja,Nei"', allow_blank=True)
    sheet.add_data_validation(yes_no)
    row_number = 1
    for section in view.categories:
        for row in section.rows:
            r = row.requirement
            row_number += 1
            sheet.append(
                [
                    r.ref,
                    str(Category(r.category).label),
                    "Må" if r.kind == RequirementKind.MUST else "Bør",
                    r.text,
                    f"{r.need.ref} {r.need.title}" if r.need else "",
                    r.criterion.name if r.criterion else "",
                    float(r.weight) if r.weight is not None else None,
                    "",
                    "",
                ]
            )
            for column in ANSWER_COLUMNS:
                sheet[f"{column}{row_number}"].protection = Protection(locked=False)
            if r.kind == RequirementKind.MUST:
                yes_no.add(f"H{row_number}")
            sheet[f"D{row_number}"].alignment = Alignment(wrap_text=True, vertical="top")
            sheet[f"I{row_number}"].alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in zip("ABCDEFGHI", (9, 26, 6, 70, 28, 24, 9, 14, 60), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ----------------------------------------------------------------------------- OCDS


def _party(municipality) -> dict:
    scheme = SCHEMES.get(municipality.country, "NO-BRC")
    number = municipality.organisation_number
    return {
        "id": f"{scheme}-{number}",
        "name": municipality.name,
        "identifier": {"scheme": scheme, "id": number, "legalName": municipality.name},
        "roles": ["buyer"],
    }


def _procuring_body(procurement: Procurement):
    """The body that runs the procurement for the collaboration: where its regional buyer sits,
    else its steering group, else any of its bodies."""
    bodies = list(procurement.collaboration.bodies.order_by("pk"))
    for kind in ("procurement_office", "steering_group"):
        for body in bodies:
            if body.kind == kind:
                return body
    return bodies[0] if bodies else None


def ocds_release_package(procurement: Procurement, view: SpecificationView, model: EvaluationModel) -> dict:
    now = timezone.now()
    collaboration = procurement.collaboration
    joined = [
        p.municipality
        for p in procurement.participations.filter(status=ParticipationStatus.JOINED).select_related("municipality").order_by("pk")
    ]
    lead = procurement.lead_municipality
    if lead not in joined:
        joined.insert(0, lead)
    parties = [_party(m) for m in joined]
    body = _procuring_body(procurement)
    entity = {"id": f"body-{body.pk}" if body else f"collaboration-{collaboration.pk}", "name": body.name if body else collaboration.name}
    parties.append({"id": entity["id"], "name": entity["name"], "roles": ["procuringEntity"]})
    site = settings.SITE_URL.rstrip("/")
    ocid = f"ocds-felles-{procurement.pk}"
    has_price = any(c.is_price for c in model.criteria)
    details = "; ".join(
        f"{c.name} {format_percent(c.weight)} %"
        + (" (" + ", ".join(f"{s.name} {format_percent(s.weight)} %" for s in c.sub_criteria) + ")" if c.sub_criteria else "")
        for c in model.criteria
    )
    tender = {
        "id": f"{procurement.pk}-tender",
        "title": procurement.title,
        "description": procurement.description,
        "status": "active" if view.frozen else "planning",
        "procuringEntity": entity,
        "items": [
            {"id": row.requirement.ref, "description": row.requirement.text[:1000]}
            for section in view.categories
            for row in section.rows
        ],
        "procurementMethod": "open",
        "procurementMethodDetails": view.specification.procedure_text[:500] or "Åpen anbudskonkurranse",
        "mainProcurementCategory": "services",
        "awardCriteria": "ratedCriteria" if model.criteria and any(not c.is_price for c in model.criteria) else "priceOnly",
        "awardCriteriaDetails": details + (f". Prismodell: {model.price_model}." if has_price else ""),
        "submissionMethod": ["electronicSubmission"],
    }
    if procurement.estimated_value:
        tender["value"] = {"amount": float(procurement.estimated_value), "currency": CURRENCIES.get(collaboration.country, "NOK")}
    start = view.specification.published_at or now
    period = {"startDate": start.isoformat()}
    deadline = procurement.deadlines.filter(phase=phases.EVALUATION, done_at__isnull=True).order_by("due_date").first()
    if deadline is not None:
        period["endDate"] = f"{deadline.due_date.isoformat()}T23:59:59Z"
    tender["tenderPeriod"] = period
    release = {
        "ocid": ocid,
        "id": f"{ocid}-tender-{now:%Y%m%d%H%M%S}",
        "date": now.isoformat(),
        "tag": ["tender"],
        "initiationType": "tender",
        "language": "nb" if collaboration.country == Country.NORWAY else "da",
        "parties": parties,
        "buyer": {"id": parties[0]["id"], "name": parties[0]["name"]},
        "tender": tender,
    }
    return {
        "uri": f"{site}/anskaffelser/{procurement.pk}/konkurransegrunnlag/pakke/ocds.json",
        "publisher": {"name": collaboration.name},
        "publishedDate": now.isoformat(),
        "version": "1.1",
        "releases": [release],
    }


# ----------------------------------------------------------------------------- the ZIP


@dataclass
class ManifestEntry:
    name: str
    size: int
    sha256: str


def _safe(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")
    return cleaned[:100] or "fil"


def _write_bytes(archive: zipfile.ZipFile, name: str, data: bytes, manifest: list[ManifestEntry]) -> None:
    archive.writestr(name, data)
    manifest.append(ManifestEntry(name, len(data), hashlib.sha256(data).hexdigest()))


def _write_stream(archive: zipfile.ZipFile, name: str, source, manifest: list[ManifestEntry]) -> None:
    """Copies SOURCE in chunks. Attachments are stored as they are: office files and PDFs are
    compressed already, and deflating them again costs time for nothing."""
    digest, size = hashlib.sha256(), 0
    info = zipfile.ZipInfo(name, date_time=timezone.localtime().timetuple()[:6])
    info.compress_type = zipfile.ZIP_STORED
    with archive.open(info, "w", force_zip64=True) as target:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            target.write(chunk)
    manifest.append(ManifestEntry(name, size, digest.hexdigest()))


def attachments_of(procurement: Procurement) -> list[DeliverableVersion]:
    """The current file version of every deliverable of the tender-documents phase that every
    participant may open (a restricted document never goes into a package for suppliers)."""
    return list(
        DeliverableVersion.objects.filter(
            deliverable__procurement=procurement,
            deliverable__current_version_id=F("pk"),
            deliverable__definition__phase__code=phases.TENDER_DOCUMENTS,
            deliverable__definition__access=AccessClass.PARTICIPANTS,
        )
        .exclude(file="")
        .select_related("deliverable__definition")
        .order_by("deliverable__definition__order", "pk")
    )


def package_write(procurement: Procurement, out, *, progress: Progress = lambda percent, step: None) -> list[ManifestEntry]:
    """Writes the package into OUT (a writable binary file). Returns the manifest."""
    if not has_tender_documents(procurement):
        raise NoTenderDocuments(procurement.pk)
    view = specification_view(user=None, procurement=procurement)
    model = evaluation_model_for(procurement)
    manifest: list[ManifestEntry] = []
    attachments = attachments_of(procurement)
    steps = len(documents.DOCUMENTS) + 2 + len(attachments)
    done = 0

    def advance(step: str) -> None:
        nonlocal done
        done += 1
        progress(min(99, done * 100 // steps), step)

    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for key, document in documents.DOCUMENTS.items():
            progress(done * 100 // steps, f"{document.filename}.pdf")
            _write_bytes(archive, f"dokumenter/{document.filename}.pdf", documents.document_render(procurement=procurement, document=key), manifest)
            advance(f"{document.filename}.pdf")
        _write_bytes(archive, "kravspesifikasjon.xlsx", requirements_xlsx(view), manifest)
        advance("kravspesifikasjon.xlsx")
        for version in attachments:
            definition = version.deliverable.definition
            name = f"vedlegg/{definition.code}-v{version.number}-{_safe(version.original_name)}"
            with version.file.open("rb") as source:
                _write_stream(archive, name, source, manifest)
            advance(name)
        ocds = json.dumps(ocds_release_package(procurement, view, model), ensure_ascii=False, indent=2).encode("utf-8")
        _write_bytes(archive, "ocds.json", ocds, manifest)
        advance("ocds.json")
        listing = {
            "procurement": {"id": procurement.pk, "title": procurement.title, "collaboration": procurement.collaboration.name},
            "created": timezone.now().isoformat(),
            "criteria_decided": all(c.decided for c in model.criteria) and bool(model.criteria),
            "files": [{"name": e.name, "size": e.size, "sha256": e.sha256} for e in manifest],
        }
        archive.writestr("manifest.json", json.dumps(listing, ensure_ascii=False, indent=2))
    progress(100, "manifest.json")
    return manifest


def file_sha256(handle) -> tuple[str, int]:
    handle.seek(0)
    digest, size = hashlib.sha256(), 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size

