"""The printed agreements: the data processing agreement and the contract rendered by
WeasyPrint, and their signed copies (the document, then a signature page, sealed by the
signer of agreements.signing). The agreement's rendering depends only on its data and
revision, so the pages of a signed copy are those the chief executives signed."""
import hashlib
import io
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import override

from core.numbers import decimal_text, kroner_text, percent_text
from core.pdf import render_pdf
from municipalities.roles import Role
from procurement.models import Participation, ParticipationStatus, Procurement

from .content import CLAUSES, lines, parse_sub_processors
from .costs import yearly_cost_split
from .models import Contract, DataProcessingAgreement


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Controller:
    name: str
    organisation_number: str
    chief_executive: str


def controllers_of(procurement: Procurement) -> list[Controller]:
    """Every participating municipality, with the name of its chief executive: one query for
    the participations, one for the chief executives."""
    from municipalities.models import RoleAssignment

    joined = list(
        Participation.objects.filter(procurement=procurement, status=ParticipationStatus.JOINED)
        .select_related("municipality")
        .order_by("municipality__name")
    )
    chiefs: dict[int, str] = {}
    for assignment in (
        RoleAssignment.objects.filter(
            role=Role.CHIEF_EXECUTIVE, municipality_id__in=[p.municipality_id for p in joined], body__isnull=True,
            person__is_active=True,
        )
        .select_related("person")
        .order_by("person_id")
    ):
        chiefs.setdefault(assignment.municipality_id, str(assignment.person))
    return [
        Controller(p.municipality.name, p.municipality.organisation_number, chiefs.get(p.municipality_id, ""))
        for p in joined
    ]


def _sub_processors(text: str):
    try:
        return parse_sub_processors(text)
    except ValueError:
        return []


def dpa_context(procurement: Procurement, dpa: DataProcessingAgreement, *, draft: bool = False) -> dict:
    tz = procurement.collaboration.tzinfo
    return {
        "procurement": procurement,
        "dpa": dpa,
        "draft": draft,
        "clauses": CLAUSES,
        "controllers": controllers_of(procurement),
        "data_subjects": lines(dpa.data_subjects),
        "personal_data": lines(dpa.personal_data),
        "sub_processors": _sub_processors(dpa.sub_processors),
        "updated_at": timezone.localtime(dpa.updated_at, tz) if dpa.updated_at else None,
        "footer": f"Databehandleravtale – {procurement.title} – revisjon {dpa.revision}",
    }


def before_contract(procurement: Procurement) -> bool:
    """Whether the agreement prints as a draft (no supplier chosen yet): before the contract phase."""
    from procurement import phases

    return procurement.state == phases.INTAKE or (
        procurement.state in phases.PHASES and phases.PHASES.index(procurement.state) < phases.PHASES.index(phases.CONTRACT)
    )


def dpa_render(procurement: Procurement, dpa: DataProcessingAgreement | None = None, *, draft: bool = False) -> bytes:
    """The agreement as PDF bytes: its saved data, or an empty one (controllers filled in)."""
    if dpa is None:
        dpa = DataProcessingAgreement.objects.filter(procurement=procurement).first() or DataProcessingAgreement(
            procurement=procurement
        )
    with override("nb"):
        return render_pdf("pdf/dpa.html", dpa_context(procurement, dpa, draft=draft))


def contract_context(procurement: Procurement, contract: Contract) -> dict:
    shares = {
        p.municipality.name: p.cost_share
        for p in Participation.objects.filter(procurement=procurement, status=ParticipationStatus.JOINED)
        .select_related("municipality")
        .order_by("municipality__name")
        if p.cost_share is not None
    }
    split = yearly_cost_split(contract.yearly_cost, shares) if shares else {}
    return {
        "procurement": procurement,
        "contract": contract,
        "money": {
            "value": kroner_text(contract.value),
            "one_off": kroner_text(contract.one_off_cost),
            "yearly": kroner_text(contract.yearly_cost),
        },
        "penalty": decimal_text(contract.delay_penalty_per_mille),
        "cap": decimal_text(contract.delay_penalty_cap_percent),
        "shares": [{"name": name, "share": percent_text(share), "yearly": kroner_text(split[name])} for name, share in shares.items()],
        "footer": f"Kontrakt – {procurement.title}",
    }


def contract_render(procurement: Procurement, contract: Contract) -> bytes:
    with override("nb"):
        return render_pdf("pdf/contract.html", contract_context(procurement, contract))


@dataclass(frozen=True)
class SignatureRow:
    person: str
    role: str
    on_behalf: str
    at: datetime
    sha256: str


def signed_copy(*, document: bytes, title: str, intro: str, rows: list[SignatureRow], time_zone, reason: str) -> bytes:
    """DOCUMENT followed by a signature page listing ROWS, sealed by the configured signer."""
    from pypdf import PdfReader, PdfWriter

    from .signing import pdf_signer

    localized = [SignatureRow(r.person, r.role, r.on_behalf, timezone.localtime(r.at, time_zone), r.sha256) for r in rows]
    with override("nb"):
        page = render_pdf(
            "pdf/signature_page.html", {"title": title, "intro": intro, "rows": localized, "footer": f"Signaturside – {title}"}
        )
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(document)))
    writer.append(PdfReader(io.BytesIO(page)))
    writer.add_metadata({"/Title": title})
    merged = io.BytesIO()
    writer.write(merged)
    return pdf_signer().sign(merged.getvalue(), reason=reason)
