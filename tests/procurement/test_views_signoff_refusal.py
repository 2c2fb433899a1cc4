"""Issue 6 point 5: a sign-off refused before the form is read says the real reason: the role
the step needs, for which municipality or body, and what the person holds."""
import pytest
from django.urls import reverse

from audit.models import AuditEntry
from procurement import phases
from procurement.readiness import readiness_for

pytestmark = pytest.mark.django_db


def test_a_chief_executive_signing_for_another_municipality_is_told_who_signs(client, make_collaboration, make_procurement, fill_deliverables):
    world = make_collaboration(2)
    procurement = make_procurement(world, phase=phases.CONTRACT)
    fill_deliverables(procurement)
    gate = next(g for g in readiness_for(procurement).signature_gates if g.gate.code == "dpa")
    step = gate.open_step
    first, second = world.municipalities
    slot = next(s for s in step.slots if s.municipality_id == second.pk)
    client.force_login(world.chief_executive(first))
    response = client.post(reverse("signoff_record", args=[procurement.pk, step.step.pk]), {"slot": slot.slot, "decision": "approve"})
    assert response.status_code == 403
    text = response.content.decode()
    assert f"Denne signaturen gis av kommunedirektør for {second.name}." in text
    assert f"Du er kommunedirektør i {first.name}" in text
    assert AuditEntry.objects.filter(action="signoff.refused", procurement=procurement).exists()
    for hostile in ("m:99999999999999999999", "m:²"):  # "²".isdigit() is True, int("²") raises
        response = client.post(reverse("signoff_record", args=[procurement.pk, step.step.pk]), {"slot": hostile, "decision": "approve"})
        assert response.status_code == 403 and "signaturen finnes ikke" in response.content.decode()
