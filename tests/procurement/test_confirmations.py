"""Issue 6 point 3: completing a phase that looks unfinished (unticked checklist items,
deliverables shorter than a sensible minimum) asks for a confirmation first, and a new
version of a signed document says before saving whose signatures it voids; afterwards the
signers get a "Signer på nytt" task and one mail each through the outbox."""
import re

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from notifications.models import Event, Outbox
from notifications.services import event_expand, events_expand_stale
from procurement import phases
from procurement.exceptions import CompletionNotConfirmed
from procurement.models import ChecklistItemDefinition, DeliverableDefinition, GateStep, Procurement, SignOff
from procurement.readiness import TEXT_MINIMUM_CHARACTERS, completion_warnings, municipality_slot, readiness_for
from procurement.selectors.tasks import tasks_for
from procurement.services.deliverables import checklist_item_set, deliverable_version_add
from procurement.services.lifecycle import procurement_transition
from procurement.services.signoffs import signoff_record

pytestmark = pytest.mark.django_db


def _state(procurement) -> str:
    return Procurement.objects.values_list("state", flat=True).get(pk=procurement.pk)


@pytest.fixture
def needs_phase(make_collaboration, make_procurement, fill_deliverables, meet_conditions):
    world = make_collaboration(2)
    procurement = make_procurement(world, phase=phases.NEEDS)
    fill_deliverables(procurement)  # one-line texts, as placeholders are
    meet_conditions(procurement)
    return world, procurement


def test_the_warnings_name_unticked_items_and_short_texts_and_the_service_waits_for_a_yes(needs_phase):
    world, procurement = needs_phase
    items = list(ChecklistItemDefinition.objects.filter(phase__version_id=procurement.process_version_id, phase__code=phases.NEEDS))
    checklist_item_set(user=world.coordinator, procurement=procurement, item=items[0], done=True)
    summary = DeliverableDefinition.objects.get(version_id=procurement.process_version_id, code="needs-summary")
    deliverable_version_add(user=world.coordinator, procurement=procurement, definition=summary, text="Behov. " * 60)

    warnings = completion_warnings(readiness_for(procurement))
    assert [w.label for w in warnings if w.kind == "checklist"] == [item.label for item in items[1:]]
    short = {w.label for w in warnings if w.kind == "short"}
    assert summary.label not in short and short  # the long text passes, the one-liners do not
    assert all(str(TEXT_MINIMUM_CHARACTERS) in w.detail for w in warnings if w.kind == "short")

    with pytest.raises(CompletionNotConfirmed) as refused:
        procurement_transition(user=world.coordinator, procurement_id=procurement.pk, transition="complete_phase", confirmed=False)
    assert len(refused.value.warnings) == len(warnings)
    assert _state(procurement) == phases.NEEDS

    procurement_transition(user=world.coordinator, procurement_id=procurement.pk, transition="complete_phase", confirmed=True)
    assert _state(procurement) == phases.TARGET_PICTURE
    entry = AuditEntry.objects.filter(procurement=procurement, action="procurement.complete_phase").latest("at")
    assert len(entry.data["confirmed_warnings"]) == len(warnings)
    assert f"«{items[1].name}»" in entry.message


def test_nothing_to_warn_about_completes_at_once(needs_phase):
    world, procurement = needs_phase
    for item in ChecklistItemDefinition.objects.filter(phase__version_id=procurement.process_version_id, phase__code=phases.NEEDS):
        checklist_item_set(user=world.coordinator, procurement=procurement, item=item, done=True)
    for definition in DeliverableDefinition.objects.filter(version_id=procurement.process_version_id, phase__code=phases.NEEDS, required=True):
        deliverable_version_add(user=world.coordinator, procurement=procurement, definition=definition, text="Utfyllende tekst. " * 20)
    assert completion_warnings(readiness_for(procurement)) == []
    procurement_transition(user=world.coordinator, procurement_id=procurement.pk, transition="complete_phase", confirmed=False)
    assert _state(procurement) == phases.TARGET_PICTURE


def test_the_button_shows_a_confirmation_page_that_works_without_javascript(client, needs_phase):
    world, procurement = needs_phase
    client.force_login(world.coordinator)
    detail = client.get(reverse("procurement_detail", args=[procurement.pk])).content.decode()
    assert 'id="completion-hint"' in detail
    url = reverse("procurement_transition", args=[procurement.pk, "complete_phase"])
    page = client.post(url, {"plan_reviewed": "1"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Fullføre fasen" in html and 'name="confirmed" value="1"' in html
    item = ChecklistItemDefinition.objects.filter(phase__version_id=procurement.process_version_id, phase__code=phases.NEEDS).first()
    assert item.label in re.search(r'data-testid="unticked".*?</ul>', html, re.S).group(0)
    assert 'data-testid="short"' in html
    assert 'id="id_plan_reviewed_confirm" checked' in html  # the answer given is kept
    assert _state(procurement) == phases.NEEDS

    done = client.post(url, {"plan_reviewed": "1", "confirmed": "1"})
    assert done.status_code == 302
    assert _state(procurement) == phases.TARGET_PICTURE


# --------------------------------------------------------------------------- a new version voids signatures


@pytest.fixture
def half_signed_dpa(make_collaboration, make_procurement, fill_deliverables, meet_conditions):
    world = make_collaboration(3)
    world.coordinator.email = "koordinator@example.org"
    world.coordinator.save(update_fields=["email"])
    procurement = make_procurement(world, phase=phases.CONTRACT)
    fill_deliverables(procurement)
    meet_conditions(procurement)
    step = GateStep.objects.get(gate__code="dpa", gate__version_id=procurement.process_version_id)
    dpa = DeliverableDefinition.objects.get(version_id=procurement.process_version_id, code="contract-dpa")
    sha = procurement.deliverables.get(definition=dpa).current_version.sha256
    signers = []
    for index, municipality in enumerate(world.municipalities[:2]):
        chief = world.chief_executive(municipality)
        chief.first_name, chief.last_name, chief.email = "Rådmann", f"Nummer{index + 1}", f"chief{index}@example.org"
        chief.save(update_fields=["first_name", "last_name", "email"])
        signoff_record(
            user=chief,
            procurement_id=procurement.pk,
            step_id=step.pk,
            slot=municipality_slot(municipality.pk),
            decision="approve",
            document_sha256=sha,
        )
        signers.append(chief)
    return world, procurement, dpa, signers


def _voided_mails(procurement):
    return Outbox.objects.filter(procurement_id=procurement.pk, kind="notification:signatures_voided")


def test_the_upload_form_warns_before_saving_and_the_signers_are_told_once(client, half_signed_dpa):
    world, procurement, dpa, signers = half_signed_dpa
    client.force_login(world.coordinator)
    page = client.get(reverse("procurement_detail", args=[procurement.pk])).content.decode()
    warning = re.search(r'id="leveranse-contract-dpa-void-warning".*?</div>', page, re.S).group(0)
    assert "2 signaturer ugyldige: Rådmann Nummer1, Rådmann Nummer2" in warning

    url = reverse("deliverable_add", args=[procurement.pk, "contract-dpa"])
    text = "Databehandleravtale, revidert vedlegg 2 om underleverandører. " * 5
    unconfirmed = client.post(url, {"contract-dpa-text": text, "contract-dpa-voids_expected": "2"})
    assert unconfirmed.status_code == 400
    assert "Kryss av for at signaturene blir ugyldige" in unconfirmed.content.decode()
    assert SignOff.objects.filter(procurement=procurement, step__gate__code="dpa", voided_at__isnull=True).count() == 2

    tampered = client.post(url, {"contract-dpa-text": text, "contract-dpa-voids_expected": "1", "contract-dpa-void_confirmed": "on"})
    assert tampered.status_code == 400
    assert "gjør nå 2 signatur(er) ugyldige" in tampered.content.decode()

    saved = client.post(url, {"contract-dpa-text": text, "contract-dpa-voids_expected": "2", "contract-dpa-void_confirmed": "on"})
    assert saved.status_code == 302
    assert SignOff.objects.filter(procurement=procurement, step__gate__code="dpa", voided_at__isnull=True).count() == 0

    mails = _voided_mails(procurement)
    to_signers = mails.filter(recipient__in=signers)
    assert sorted(to_signers.values_list("recipient_id", flat=True)) == sorted(s.pk for s in signers)
    assert all(m.subject.startswith("Signer på nytt") for m in to_signers)
    assert mails.filter(recipient=world.coordinator).count() == 1
    # Expanding every recorded event again adds no second mail to anyone.
    for event in Event.objects.filter(procurement_id=procurement.pk):
        event_expand(event_id=event.pk)
    events_expand_stale()
    people = list(mails.values_list("recipient_id", flat=True))
    assert len(people) == len(set(people)) == 3

    for signer in signers:
        again = [task for task in tasks_for(user=signer)["signatures"] if task.procurement.pk == procurement.pk]
        assert [task.again for task in again] == [True]
    client.force_login(signers[0])
    tasks_page = client.get(reverse("my_tasks")).content.decode()
    assert "Signer på nytt" in tasks_page
    # The third chief executive never signed: theirs is an ordinary signature task.
    third = world.chief_executive(world.municipalities[2])
    assert [task.again for task in tasks_for(user=third)["signatures"]] == [False]
