"""Twenty chief executives signing the generated agreement at the same moment, each from
their own thread and database connection (PostgreSQL: SELECT ... FOR UPDATE really locks):
each counted once, the signed copy made once, by whoever completed the gate."""
import pytest

from agreements.models import DataProcessingAgreement
from agreements.services import dpa_save
from audit.models import AuditEntry
from procurement import phases
from procurement.models import GateStep, SignOff
from procurement.readiness import municipality_slot
from procurement.services.signoffs import signoff_record
from tests.agreements.helpers import HEALTH_DPA, pades_status
from tests.procurement.test_signoff_concurrency import run_at_the_same_moment

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SIGNERS = 20


def test_twenty_chief_executives_at_once_each_count_once_and_one_signed_copy(make_collaboration, make_procurement):
    world = make_collaboration(SIGNERS)
    procurement = make_procurement(world, phase=phases.CONTRACT)
    dpa_save(user=world.coordinator, procurement_id=procurement.pk, values=HEALTH_DPA)
    step = GateStep.objects.get(gate__code="dpa", gate__version_id=procurement.process_version_id)
    sha = procurement.deliverables.get(definition=step.gate.document).current_version.sha256

    def signing(municipality):
        return lambda: signoff_record(
            user=world.chief_executive(municipality), procurement_id=procurement.pk, step_id=step.pk,
            slot=municipality_slot(municipality.pk), decision="approve", document_sha256=sha,
        )

    outcomes = run_at_the_same_moment([signing(m) for m in world.municipalities], timeout=120)

    errors = [error for ok, error in outcomes if not ok]
    assert errors == [], errors
    live = SignOff.objects.filter(procurement=procurement, step=step, voided_at__isnull=True)
    assert live.count() == SIGNERS
    assert set(live.values_list("municipality_id", flat=True)) == {m.pk for m in world.municipalities}
    assert set(live.values_list("document_sha256", flat=True)) == {sha}
    assert AuditEntry.objects.filter(procurement=procurement, action="dpa.signed_copy").count() == 1
    dpa = DataProcessingAgreement.objects.get(procurement=procurement)
    with dpa.signed_copy.open("rb") as handle:
        assert pades_status(handle.read()) == (True, True, True)
