"""Shared by the agreement tests: the agreement's data, the contract's terms, reading PDFs
back and validating their PAdES seal."""
import io
from datetime import timedelta
from decimal import Decimal

from procurement import phases

HEALTH_DPA = {
    "processor_name": "Nordlys Velferd AS",
    "processor_org_number": "974760673",
    "processor_address": "Storgata 1, 3611 Kongsberg",
    "processor_contact": "Kari Nordlys",
    "purpose": "Drift av digitalt tilsyn i hjemmetjenesten.",
    "nature": "Lagring, overføring og visning av alarmer og sensordata.",
    "duration": "Så lenge kontrakten varer, og sletting innen 30 dager etter.",
    "data_subjects": "Tjenestemottakere i hjemmetjenesten\nPårørende\nAnsatte i hjemmetjenesten",
    "personal_data": "Navn og adresse\nAlarmhendelser\nKontaktinformasjon til pårørende",
    "health_data": True,
    "special_categories": "Helseopplysninger: diagnoser og alarmer om fall og bevegelse.",
    "special_safeguards": "Tilgang bare for helsepersonell med tjenstlig behov; logging av alle oppslag.",
    "security_measures": "Kryptering i ro og under overføring.\nTofaktorinnlogging.\nTilgangslogg som gjennomgås månedlig.",
    "sub_processors": "Skyhall Norge AS; Norge; drift av servere\nVarsel SMS AB; Sverige; utsending av SMS",
    "transfers": "",
}

CONTRACT = {
    "contract_type": "ssa_sky",
    "other_type": "",
    "supplier_name": "Nordlys Velferd AS",
    "supplier_org_number": "974760673",
    "subject": "Digitalt tilsyn som skytjeneste.",
    "value": Decimal("3400000"),
    "one_off_cost": Decimal("400000"),
    "yearly_cost": Decimal("600000"),
    "acceptance_test_days": 30,
    "delay_penalty_per_mille": Decimal("1.5"),
    "delay_penalty_cap_percent": Decimal("15"),
    "duration_months": 48,
    "extensions": 2,
    "extension_months": 12,
    "options": "Flere sensortyper.",
}


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def pdf_pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def pades_status(data: bytes):
    """(intact, valid, trusted) of the PDF's one signature, trusting the installation's
    certificate."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from agreements.signing import pdf_signer

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    signatures = reader.embedded_signatures
    assert len(signatures) == 1
    status = validate_pdf_signature(signatures[0], ValidationContext(trust_roots=[pdf_signer().certificate]))
    return status.intact, status.valid, status.trusted


def contract_ready(world, *, standstill_over: bool = True):
    """A procurement of WORLD in the contract phase, its award notice sent (30 days ago, or
    today), its contract terms saved."""
    from agreements.services import contract_save
    from contracts.services import award_notice_send
    from tests.conftest import make_procurement

    procurement = make_procurement(world, phase=phases.CONTRACT, method="population")
    today = world.collaboration.today()
    award_notice_send(
        user=world.coordinator, procurement=procurement, sent_on=today - timedelta(days=30) if standstill_over else today
    )
    contract_save(user=world.coordinator, procurement_id=procurement.pk, values=CONTRACT)
    return procurement
