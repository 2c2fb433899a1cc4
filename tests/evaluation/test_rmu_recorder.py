"""The award gate's RMU step (issue 7 point 5): when the collaboration names a person to
record the chief executives' committee's decisions, that person records the step with the
meeting date and the case number; no single chief executive can sign it."""
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from municipalities.roles import Role
from municipalities.services import body_save
from procurement import phases
from procurement.readiness import readiness_for
from procurement.services.signoffs import signoff_record
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _award_step(procurement, order):
    gate = next(g for g in readiness_for(procurement).signature_gates if g.gate.code == "award")
    step = gate.steps[order - 1]
    return gate, step, step.slots[0]


def test_the_recorder_records_rmus_decision_with_meeting_and_case(client, make_collaboration, make_procurement, person_with_role, fill_deliverables):
    world = make_collaboration(2)
    recorder = person_with_role(Role.REGIONAL_BUYER, body=world.bodies["steering_group"], first_name="Sekretær")
    committee = world.bodies["executive_committee"]
    committee.decision_recorder = recorder
    body_save(actor=_admin(), body=committee)
    procurement = make_procurement(world, phase=phases.EVALUATION, title="Tildeling med RMU")
    fill_deliverables(procurement)
    gate, step, slot = _award_step(procurement, 1)
    signoff_record(
        user=world.coordinator, procurement_id=procurement.pk, step_id=step.step.pk, slot=slot.slot, decision="approve",
        document_sha256=gate.document.current_version.sha256,
    )
    gate, step, slot = _award_step(procurement, 2)
    assert slot.recorder_id == recorder.pk
    sha = gate.document.current_version.sha256
    with pytest.raises(PermissionDenied):
        signoff_record(user=world.rmu_chief, procurement_id=procurement.pk, step_id=step.step.pk, slot=slot.slot, decision="approve", document_sha256=sha)
    assert AuditEntry.objects.filter(action="signoff.refused", actor=world.rmu_chief).exists()
    # The page offers the chief executive no form, the recorder one with the meeting fields.
    client.force_login(world.rmu_chief)
    assert 'name="case_number"' not in client.get(reverse("procurement_detail", args=[procurement.pk])).content.decode()
    client.force_login(recorder)
    page = client.get(reverse("procurement_detail", args=[procurement.pk])).content.decode()
    assert 'name="case_number"' in page and "Møtedato" in page
    with pytest.raises(ValidationError) as caught:
        signoff_record(user=recorder, procurement_id=procurement.pk, step_id=step.step.pk, slot=slot.slot, decision="approve", document_sha256=sha)
    assert set(caught.value.error_dict) == {"meeting_on", "case_number"}
    today = procurement.collaboration.today()
    with pytest.raises(ValidationError):
        signoff_record(
            user=recorder, procurement_id=procurement.pk, step_id=step.step.pk, slot=slot.slot, decision="approve", document_sha256=sha,
            meeting_on=today + timedelta(days=1), case_number="12/26",
        )
    response = client.post(
        reverse("signoff_record", args=[procurement.pk, step.step.pk]),
        {"slot": slot.slot, "decision": "approve", "comment": "", "document_sha256": sha, "meeting_on": today.isoformat(), "case_number": "12/26",
         "password": PASSWORD},
    )
    assert response.status_code == 302
    signoff = procurement.signoffs.get(step=step.step)
    assert (signoff.person, signoff.meeting_on, signoff.case_number) == (recorder, today, "12/26")
    entry = AuditEntry.objects.filter(action="signoff.approve", actor=recorder).latest("id")
    assert f"vedtak i møte {today:%d.%m.%Y}, sak 12/26" in entry.message
    procurement.refresh_from_db()
    assert procurement.state == phases.CONTRACT


def _admin():
    from tests.factories import PersonFactory

    return PersonFactory(is_superuser=True, is_staff=True)
