"""The data processing agreement: its data rendered to PDF with every clause and annex and
every participating municipality as controller; that PDF is the dpa gate's document version;
every chief executive signs it; editing makes a new version and voids earlier signatures;
the signed copy has a signature page and a PAdES seal that one changed byte breaks."""
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from agreements.content import annex_headings, clause_headings
from agreements.models import DataProcessingAgreement
from agreements.services import dpa_save
from audit.models import AuditEntry
from procurement import phases
from procurement.exceptions import TransitionRefused
from procurement.models import SignOff, VoidReason
from procurement.readiness import readiness_for
from procurement.services.lifecycle import procurement_transition
from tests.agreements.helpers import HEALTH_DPA, pades_status, pdf_pages, pdf_text

pytestmark = pytest.mark.django_db


def _dpa_gate(procurement):
    return next(g for g in readiness_for(procurement).signature_gates if g.gate.code == "dpa")


def _sign_all(procurement, signer_for, *, leave=0):
    from procurement.services.signoffs import signoff_record

    gate = _dpa_gate(procurement)
    step = gate.open_step
    slots = step.waiting_for[: len(step.waiting_for) - leave]
    return [
        signoff_record(
            user=signer_for(step, slot), procurement_id=procurement.pk, step_id=step.step.pk, slot=slot.slot,
            decision="approve", document_sha256=gate.document.current_version.sha256,
        )
        for slot in slots
    ]


@pytest.fixture
def contract_case(make_collaboration, make_procurement):
    world = make_collaboration(4)
    procurement = make_procurement(world, phase=phases.CONTRACT)
    return world, procurement


def test_the_pdf_names_every_controller_every_clause_and_annex_and_the_special_categories(contract_case):
    world, procurement = contract_case
    dpa_save(user=world.coordinator, procurement_id=procurement.pk, values=HEALTH_DPA)
    version = _dpa_gate(procurement).document.current_version
    assert version.original_name.endswith(".pdf") and version.content_type == "application/pdf"
    with version.file.open("rb") as handle:
        text = pdf_text(handle.read())
    flat = " ".join(text.split())
    for municipality in world.municipalities:
        assert f"Behandlingsansvarlig: {municipality.name}" in flat
        assert municipality.organisation_number in flat
    for heading in clause_headings() + annex_headings():
        assert heading in flat, heading
    assert "Nordlys Velferd AS" in flat and "974760673" in flat
    assert "Det behandles helseopplysninger (personvernforordningen artikkel 9)" in flat
    assert "diagnoser og alarmer om fall" in flat
    assert "Skyhall Norge AS" in flat and "Varsel SMS AB" in flat


def test_without_health_data_the_special_categories_say_none(contract_case):
    world, procurement = contract_case
    dpa_save(user=world.coordinator, procurement_id=procurement.pk, values={**HEALTH_DPA, "health_data": False, "special_categories": ""})
    with _dpa_gate(procurement).document.current_version.file.open("rb") as handle:
        flat = " ".join(pdf_text(handle.read()).split())
    assert "Det behandles ikke særlige kategorier av personopplysninger." in flat
    assert "Det behandles helseopplysninger" not in flat


def test_health_data_without_special_categories_is_refused_next_to_the_field(contract_case):
    from django.core.exceptions import ValidationError

    world, procurement = contract_case
    with pytest.raises(ValidationError) as caught:
        dpa_save(user=world.coordinator, procurement_id=procurement.pk, values={**HEALTH_DPA, "special_categories": ""})
    assert "special_categories" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        dpa_save(user=world.coordinator, procurement_id=procurement.pk, values={**HEALTH_DPA, "processor_org_number": "123456789"})
    assert "processor_org_number" in caught.value.message_dict
    assert not DataProcessingAgreement.objects.exists()


def test_every_chief_executive_signs_then_a_sealed_signed_copy_is_made(contract_case, signer_for):
    world, procurement = contract_case
    dpa_save(user=world.coordinator, procurement_id=procurement.pk, values=HEALTH_DPA)
    signed = _sign_all(procurement, signer_for, leave=1)
    assert len(signed) == 3
    dpa = DataProcessingAgreement.objects.get(procurement=procurement)
    assert not dpa.signed_copy and not _dpa_gate(procurement).passed
    # The contract phase cannot be completed while one chief executive has not signed.
    with pytest.raises(TransitionRefused):
        procurement_transition(user=world.coordinator, procurement_id=procurement.pk, transition="complete_phase")

    signed += _sign_all(procurement, signer_for)
    dpa.refresh_from_db()
    assert dpa.signed_copy and dpa.signed_version_id == signed[0].document_version_id
    with dpa.signed_copy.open("rb") as handle:
        copy = handle.read()
    flat = " ".join(pdf_text(copy).split())
    assert "Signaturside" in flat
    for signoff in signed:
        assert str(signoff.person) in flat
        assert signoff.document_sha256 in flat.replace(" ", "") or signoff.document_sha256[:32] in flat.replace(" ", "")
    assert pades_status(copy) == (True, True, True)
    broken = bytearray(copy)
    broken[len(copy) // 3] ^= 0x01
    assert pades_status(bytes(broken))[0] is False
    assert AuditEntry.objects.filter(procurement=procurement, action="dpa.signed_copy").count() == 1


def test_editing_the_data_makes_a_new_version_and_voids_the_signatures_visibly(contract_case, signer_for):
    world, procurement = contract_case
    dpa_save(user=world.coordinator, procurement_id=procurement.pk, values=HEALTH_DPA)
    first = _sign_all(procurement, signer_for, leave=2)
    dpa_save(user=world.coordinator, procurement_id=procurement.pk, values={**HEALTH_DPA, "purpose": "Nytt formål."})
    gate = _dpa_gate(procurement)
    assert gate.document.current_version.number == 2
    voided = SignOff.objects.filter(pk__in=[s.pk for s in first])
    assert all(s.void_reason == VoidReason.NEW_VERSION and s.voided_at for s in voided)
    assert not gate.passed and len(gate.open_step.waiting_for) == 4
    # Saving the same data again changes nothing.
    dpa_save(user=world.coordinator, procurement_id=procurement.pk, values={**HEALTH_DPA, "purpose": "Nytt formål."})
    assert _dpa_gate(procurement).document.current_version.number == 2


def test_in_the_tender_documents_phase_the_draft_is_a_version_of_its_deliverable(make_collaboration, make_procurement):
    world = make_collaboration(2)
    procurement = make_procurement(world, phase=phases.TENDER_DOCUMENTS)
    dpa_save(user=world.coordinator, procurement_id=procurement.pk, values={**HEALTH_DPA, "processor_name": "Leverandøren"})
    deliverable = procurement.deliverables.get(definition__code="tender-dpa")
    with deliverable.current_version.file.open("rb") as handle:
        flat = " ".join(pdf_text(handle.read()).split())
    assert "UTKAST" in flat and "Vedlegg IV Liste over underdatabehandlere" in flat


def test_dpa_pdf_command_writes_the_pdf_and_refuses_an_unknown_id(contract_case, tmp_path):
    world, procurement = contract_case
    dpa_save(user=world.coordinator, procurement_id=procurement.pk, values=HEALTH_DPA)
    target = tmp_path / "dpa.pdf"
    call_command("dpa_pdf", str(procurement.pk), str(target))
    assert pdf_pages(target.read_bytes()) >= 4
    with pytest.raises(CommandError, match="Fant ingen anskaffelse med id 987654"):
        call_command("dpa_pdf", "987654", str(tmp_path / "x.pdf"))
    for text in ("abc", "²", "9" * 20):  # "²".isdigit() is True, int("²") is not a number
        with pytest.raises(CommandError, match="Ugyldig"):
            call_command("dpa_pdf", text, str(tmp_path / "x.pdf"))


def test_a_draft_may_leave_the_processor_open_and_the_contract_phase_may_not(make_collaboration, make_procurement):
    from django.core.exceptions import ValidationError

    world = make_collaboration(2)
    procurement = make_procurement(world, phase=phases.TENDER_DOCUMENTS)
    open_processor = {**HEALTH_DPA, "processor_name": "", "processor_org_number": ""}
    dpa = dpa_save(user=world.coordinator, procurement_id=procurement.pk, values=open_processor)
    assert dpa.revision == 1 and procurement.deliverables.get(definition__code="tender-dpa").current_version.number == 1
    from tests.conftest import advance_to

    advance_to(procurement, phases.CONTRACT)
    with pytest.raises(ValidationError) as caught:
        dpa_save(user=world.coordinator, procurement_id=procurement.pk, values=open_processor)
    assert {"processor_name", "processor_org_number"} <= set(caught.value.message_dict)
