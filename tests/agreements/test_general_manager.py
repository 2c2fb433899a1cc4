"""The collaboration's general manager (daglig leder) signs the contract exactly like the
coordinator (seed 000), gets the signing task, sees the collaboration's procurements, and does
not run them; the role belongs to a body of the collaboration, and held in another
collaboration it signs nothing here."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from agreements.models import Contract, ContractState
from agreements.services import contract_sign
from agreements.tasks import tasks_for
from audit.models import AuditEntry
from municipalities.roles import Role
from tests.agreements.helpers import contract_ready, pdf_text
from tests.factories import PASSWORD, BodyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_collaboration):
    return make_collaboration(2)


@pytest.fixture
def manager(world, person_with_role):
    body = BodyFactory(collaboration=world.collaboration, kind="secretariat", name="Sekretariatet")
    return person_with_role(Role.GENERAL_MANAGER, body=body, first_name="Sigrid", last_name="Nyhus")


def test_the_general_manager_signs_over_http_and_the_copy_names_the_role(client, world, manager):
    procurement = contract_ready(world)
    assert [t.kind for t in tasks_for(manager) if t.procurement == procurement] == ["sign_contract"]
    client.force_login(manager)
    page = client.get(reverse("agreements_page", args=[procurement.pk])).content.decode()
    assert reverse("contract_sign", args=[procurement.pk]) in page
    response = client.post(reverse("contract_sign", args=[procurement.pk]), {"sign-password": PASSWORD})
    assert response.status_code == 302
    contract = Contract.objects.get(procurement=procurement)
    assert contract.state == ContractState.SIGNED and contract.signed_by == manager
    assert contract.signed_role == "Daglig leder, Sekretariatet"
    with contract.signed_copy.open("rb") as handle:
        flat = " ".join(pdf_text(handle.read()).split())
    assert "Sigrid Nyhus" in flat and "Daglig leder, Sekretariatet" in flat
    entry = AuditEntry.objects.filter(action="contract.signed", procurement=procurement).get()
    assert entry.actor == manager and "Daglig leder" in entry.message
    page = client.get(reverse("procurement_detail", args=[procurement.pk])).content.decode()
    assert "signert av Sigrid Nyhus (Daglig leder, Sekretariatet)" in page
    assert tasks_for(manager) == []  # signed: nothing waits


def test_the_general_manager_does_not_run_the_procurement(world, manager):
    procurement = contract_ready(world)
    assert manager.has_perm("procurement.view_procurement", procurement)
    assert not manager.has_perm("procurement.manage_procurement", procurement)
    assert not manager.has_perm("procurement.contribute_procurement", procurement)


def test_a_general_manager_of_another_collaboration_signs_nothing_here(world, make_collaboration, person_with_role):
    other = make_collaboration(1)
    stranger = person_with_role(Role.GENERAL_MANAGER, body=BodyFactory(collaboration=other.collaboration, kind="secretariat"))
    procurement = contract_ready(world)
    with pytest.raises(PermissionDenied):
        contract_sign(user=stranger, procurement_id=procurement.pk, password=PASSWORD)
    assert tasks_for(stranger) == []
    assert Contract.objects.get(procurement=procurement).state == ContractState.DRAFT


def test_the_role_is_held_in_a_body(world):
    from municipalities.services import role_assign
    from tests.factories import PersonFactory

    with pytest.raises(ValidationError) as caught:
        role_assign(actor=None, person=PersonFactory(), role=Role.GENERAL_MANAGER, municipality=world.municipalities[0])
    assert "Daglig leder hører til et organ i samarbeidet." in str(caught.value)
