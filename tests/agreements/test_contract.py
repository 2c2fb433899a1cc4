"""The contract: terms as data, signed by the collaboration's coordinator after the password
again, refused (through the service and over HTTP) before the standstill period has ended
and while a complaint is open, saying until when; the signed copy is sealed and becomes the
signed-contract deliverable; with the agreement signed too, every municipality and K-IKT
get both, once."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from agreements.models import Contract, ContractState, Distribution
from agreements.services import AgreementRefused, ContractSignatureRefused, contract_save, contract_sign, distribute_if_complete
from audit.models import AuditEntry
from contracts.services import complaint_register
from core.stepup import StepUpFailed
from municipalities.roles import Role
from notifications.models import Outbox
from procurement.deadlines import end_of_day
from tests.agreements.helpers import CONTRACT, contract_ready, pades_status, pdf_text
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_collaboration):
    return make_collaboration(3)


def _sign_url(procurement):
    return reverse("contract_sign", args=[procurement.pk])


def test_the_coordinator_signs_after_the_standstill_and_the_copy_is_sealed(world):
    procurement = contract_ready(world)
    contract = contract_sign(user=world.coordinator, procurement_id=procurement.pk, password=PASSWORD)
    assert contract.state == ContractState.SIGNED and contract.signed_by == world.coordinator
    with contract.signed_copy.open("rb") as handle:
        copy = handle.read()
    flat = " ".join(pdf_text(copy).split())
    assert "SSA-sky" in flat and "Nordlys Velferd AS" in flat and "15,00 % av prisen" in flat
    assert "Signaturside" in flat and str(world.coordinator) in flat
    assert pades_status(copy) == (True, True, True)
    version = procurement.deliverables.get(definition__code="contract-signed").current_version
    assert version.sha256 == contract.signed_copy_sha256
    with pytest.raises(AgreementRefused):  # a signed contract's terms stay as signed
        contract_save(user=world.coordinator, procurement_id=procurement.pk, values=CONTRACT)


def test_a_wrong_password_is_refused_audited_and_records_nothing(world):
    procurement = contract_ready(world)
    with pytest.raises(StepUpFailed):
        contract_sign(user=world.coordinator, procurement_id=procurement.pk, password="feil-passord")
    assert Contract.objects.get(procurement=procurement).state == ContractState.DRAFT
    entry = AuditEntry.objects.filter(action="signoff.step_up_refused").latest("id")
    assert entry.actor == world.coordinator and entry.procurement_id == procurement.pk
    assert "feil-passord" not in str(entry.data) + entry.message


def test_before_the_standstill_end_the_service_refuses_and_says_until_when(world):
    procurement = contract_ready(world, standstill_over=False)
    notice = procurement.award_notices.get(state="sent")
    ends = timezone.localtime(end_of_day(notice.standstill_ends_on, "Europe/Oslo"), procurement.collaboration.tzinfo)
    assert (ends.hour, ends.minute) == (0, 0)  # 24:00 of the last day is the next day's 00:00
    with pytest.raises(ContractSignatureRefused) as caught:
        contract_sign(user=world.coordinator, procurement_id=procurement.pk, password=PASSWORD)
    assert f"Karensperioden løper til og med {notice.standstill_ends_on:%d.%m.%Y} kl. 24.00 (Europe/Oslo)" in str(caught.value)
    assert Contract.objects.get(procurement=procurement).state == ContractState.DRAFT
    assert AuditEntry.objects.filter(action="contract.refused", procurement=procurement).count() == 1


def test_over_http_before_the_standstill_end_and_with_an_open_complaint(client, world):
    procurement = contract_ready(world, standstill_over=False)
    client.force_login(world.coordinator)
    page = client.get(reverse("agreements_page", args=[procurement.pk])).content.decode()
    assert "Karensperioden løper til og med" in page
    response = client.post(_sign_url(procurement), {"sign-password": PASSWORD})
    assert response.status_code == 409
    assert "kontrakten kan signeres fra" in response.content.decode()
    assert Contract.objects.get(procurement=procurement).state == ContractState.DRAFT

    later = contract_ready(world)
    complaint_register(
        user=world.coordinator, procurement=later, received_on=world.collaboration.today() - timedelta(days=1),
        complainant="Tilbyder B", summary="Mener prisen er feil evaluert.",
    )
    response = client.post(_sign_url(later), {"sign-password": PASSWORD})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Klagen fra Tilbyder B, mottatt" in body and "er ikke avgjort" in body
    assert Contract.objects.get(procurement=later).state == ContractState.DRAFT


def test_over_http_a_wrong_password_is_a_field_error_and_the_right_one_signs(client, world):
    procurement = contract_ready(world)
    client.force_login(world.coordinator)
    response = client.post(_sign_url(procurement), {"sign-password": "feil"})
    assert response.status_code == 400
    assert "Passordet er feil. Ingenting er signert." in response.content.decode()
    assert Contract.objects.get(procurement=procurement).state == ContractState.DRAFT
    response = client.post(_sign_url(procurement), {"sign-password": PASSWORD})
    assert response.status_code == 302
    assert Contract.objects.get(procurement=procurement).state == ContractState.SIGNED


def test_only_the_coordinator_signs(client, world):
    procurement = contract_ready(world)
    chief = world.chief_executive(world.municipalities[0])
    with pytest.raises(PermissionDenied):
        contract_sign(user=chief, procurement_id=procurement.pk, password=PASSWORD)
    client.force_login(chief)
    assert client.post(_sign_url(procurement), {"sign-password": PASSWORD}).status_code == 403
    assert Contract.objects.get(procurement=procurement).state == ContractState.DRAFT


def test_hostile_numbers_are_field_errors_and_nothing_is_saved(client, world):
    from procurement import phases
    from tests.agreements.helpers import CONTRACT as terms
    from tests.conftest import make_procurement

    procurement = make_procurement(world, phase=phases.CONTRACT)
    client.force_login(world.coordinator)
    data = {f"contract-{k}": str(v) for k, v in terms.items()}
    for field, value in (("value", "Infinity"), ("delay_penalty_per_mille", "NaN"), ("yearly_cost", "1e999"), ("duration_months", "x")):
        response = client.post(reverse("contract_edit", args=[procurement.pk]), {**data, f"contract-{field}": value})
        assert response.status_code == 400, field
        assert f'id="id_contract-{field}_error"' in response.content.decode()
    assert not Contract.objects.exists()
    response = client.post(reverse("contract_edit", args=[procurement.pk]), data)
    assert response.status_code == 302
    assert Contract.objects.get(procurement=procurement).yearly_cost == Decimal("600000")


def test_when_both_are_signed_every_municipality_and_k_ikt_get_them_once(world, person_with_role, signer_for):
    from agreements.services import dpa_save
    from procurement.readiness import readiness_for
    from procurement.services.signoffs import signoff_record
    from tests.agreements.helpers import HEALTH_DPA

    kikt = person_with_role(Role.ICT_ARCHITECT, body=world.bodies["shared_it"], email="kikt@example.no")
    procurement = contract_ready(world)
    dpa_save(user=world.coordinator, procurement_id=procurement.pk, values=HEALTH_DPA)
    contract_sign(user=world.coordinator, procurement_id=procurement.pk, password=PASSWORD)
    assert not Distribution.objects.exists()  # the agreement is not signed yet
    gate = next(g for g in readiness_for(procurement).signature_gates if g.gate.code == "dpa")
    for slot in gate.open_step.waiting_for:
        signoff_record(
            user=signer_for(gate.open_step, slot), procurement_id=procurement.pk, step_id=gate.open_step.step.pk,
            slot=slot.slot, decision="approve", document_sha256=gate.document.current_version.sha256,
        )
    distribution = Distribution.objects.get(procurement=procurement)
    rows = Outbox.objects.filter(kind="notification:agreements_distributed", procurement=procurement)
    recipients = set(rows.values_list("recipient_id", flat=True))
    for municipality in world.municipalities:
        assert world.representative(municipality).pk in recipients
        assert world.chief_executive(municipality).pk in recipients
    assert kikt.pk in recipients and distribution.recipients == rows.count() == len(recipients)
    kikt_mail = rows.get(recipient=kikt).body
    for municipality in world.municipalities:
        assert municipality.name in kikt_mail
    one = world.municipalities[0]
    own = rows.get(recipient=world.representative(one)).body
    assert one.name in own and world.municipalities[1].name not in own
    assert distribute_if_complete(procurement=procurement) == 0  # once
    # K-IKT's task: budget the yearly maintenance (issue 6 point 2).
    from procurement.extensions import tasks_for

    assert "budget" in [t.kind for t in tasks_for(kikt) if t.procurement == procurement]
    assert rows.count() == len(recipients)
    page = None
    from django.test import Client

    client = Client()
    client.force_login(world.representative(one))
    page = client.get(reverse("procurement_detail", args=[procurement.pk])).content.decode()
    assert reverse("dpa_signed_pdf", args=[procurement.pk]) in page and reverse("contract_signed_pdf", args=[procurement.pk]) in page
    assert "Årlige vedlikeholdskostnader etter kostnadsnøkkelen" in page


def test_the_signed_contracts_dates_are_deadlines_of_the_case_reminded_after_it_is_closed(world):
    """Issue 10 point 3: the acceptance test's end, the contract's end (48 months) and the last
    day to decide on an extension become deadlines; the contract's are reminded from 150 days
    ahead to the coordinators, through a rule that outlives the case."""
    from procurement.extensions import deadline_rules_outliving_the_case
    from procurement.models import Deadline

    procurement = contract_ready(world)
    contract = contract_sign(user=world.coordinator, procurement_id=procurement.pk, password=PASSWORD)
    signed_on = timezone.localtime(contract.signed_at, procurement.collaboration.tzinfo).date()
    rows = dict(Deadline.objects.filter(procurement=procurement, rule="contract_terms").values_list("kind", "due_date"))
    assert rows["acceptance_test"] == signed_on + timedelta(days=30)
    assert (rows["contract_expiry"].year - signed_on.year) * 12 + rows["contract_expiry"].month - signed_on.month == 48
    assert rows["contract_option"] == rows["contract_expiry"]
    assert "contract_terms" in deadline_rules_outliving_the_case()
