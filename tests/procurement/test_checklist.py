"""Only the checklist of the phase a procurement is in can change. An item of an earlier
phase (the record of how that phase was done), of a later phase, or of a procurement that is
still in intake, cancelled or closed is refused with a bokmål reason: by the service as a
ValidationError, over HTTP as 400 with the message (the page, or the htmx fragment), and the
refusal changes nothing."""
import re

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from procurement import phases
from procurement.models import ChecklistCheck, ChecklistItemDefinition
from procurement.services.deliverables import checklist_item_set
from procurement.services.lifecycle import procurement_transition

pytestmark = pytest.mark.django_db

OTHER_PHASE = "Bare sjekklisten for fasen anskaffelsen står i nå, kan endres."
CANCELLED = "Anskaffelsen er avlyst, så sjekklisten kan ikke endres lenger."
CLOSED = "Anskaffelsen er avsluttet, så sjekklisten kan ikke endres lenger."


def item_of(phase: str) -> ChecklistItemDefinition:
    return ChecklistItemDefinition.objects.filter(phase__code=phase).order_by("order", "pk").first()


def state(procurement) -> tuple:
    """Everything a checklist change could touch: the ticks and the audit log."""
    return (
        set(ChecklistCheck.objects.filter(procurement=procurement).values_list("item_id", "checked_by_id")),
        AuditEntry.objects.filter(procurement=procurement).count(),
    )


@pytest.fixture
def in_target_picture(collaboration, make_procurement):
    """In phase 2, with one item of phase 1 ticked while phase 1 was current."""
    procurement = make_procurement(collaboration, phase=phases.NEEDS)
    checklist_item_set(user=collaboration.coordinator, procurement=procurement, item=item_of(phases.NEEDS), done=True)
    from tests.conftest import advance_to

    return advance_to(procurement, phases.TARGET_PICTURE)


@pytest.fixture
def cancelled(collaboration, make_procurement):
    procurement = make_procurement(collaboration, phase=phases.NEEDS)
    procurement_transition(user=collaboration.coordinator, procurement_id=procurement.pk, transition="cancel", reason="Budsjettet ble strøket.")
    procurement.refresh_from_db()
    assert procurement.state == phases.CANCELLED
    return procurement


# --------------------------------------------------------------------------- the service


def test_the_current_phase_can_be_ticked_and_unticked(collaboration, in_target_picture):
    item = item_of(phases.TARGET_PICTURE)
    checklist_item_set(user=collaboration.coordinator, procurement=in_target_picture, item=item, done=True)
    assert ChecklistCheck.objects.filter(procurement=in_target_picture, item=item).exists()
    checklist_item_set(user=collaboration.coordinator, procurement=in_target_picture, item=item, done=False)
    assert not ChecklistCheck.objects.filter(procurement=in_target_picture, item=item).exists()


@pytest.mark.parametrize(
    ("phase", "done"),
    [
        (phases.NEEDS, False),  # untick what was ticked in the earlier phase
        (phases.NEEDS, True),  # tick another earlier item afterwards
        (phases.MARKET_DIALOGUE, True),  # a later phase
        (phases.CONTRACT_MANAGEMENT, True),
    ],
)
def test_another_phase_is_refused_and_nothing_changes(collaboration, in_target_picture, phase, done):
    ticked = item_of(phases.NEEDS)
    item = ticked if not done else ChecklistItemDefinition.objects.filter(phase__code=phase).exclude(pk=ticked.pk).first()
    before = state(in_target_picture)
    with pytest.raises(ValidationError) as error:
        checklist_item_set(user=collaboration.coordinator, procurement=in_target_picture, item=item, done=done)
    message = error.value.messages[0]
    assert f"«{item.label}» hører til fasen «{item.phase.label}»" in message and OTHER_PHASE in message
    assert state(in_target_picture) == before
    assert ChecklistCheck.objects.filter(procurement=in_target_picture, item=ticked).exists()


def test_a_procurement_still_in_intake_has_no_checklist_to_change(collaboration, procurement):
    before = state(procurement)
    with pytest.raises(ValidationError, match="hører til fasen"):
        checklist_item_set(user=collaboration.coordinator, procurement=procurement, item=item_of(phases.NEEDS), done=True)
    assert state(procurement) == before


@pytest.mark.parametrize("done", [True, False])
def test_a_cancelled_procurement_is_refused_even_for_the_phase_it_stopped_in(collaboration, cancelled, done):
    item = item_of(phases.NEEDS)
    if not done:  # a tick that was there when it was cancelled stays
        ChecklistCheck.objects.create(procurement=cancelled, item=item, checked_by=collaboration.coordinator)
    before = state(cancelled)
    with pytest.raises(ValidationError) as error:
        checklist_item_set(user=collaboration.coordinator, procurement=cancelled, item=item, done=done)
    assert error.value.messages == [CANCELLED]
    assert state(cancelled) == before


def test_a_closed_procurement_is_refused(collaboration, make_procurement):
    closed = make_procurement(collaboration, phase=phases.CLOSED)
    before = state(closed)
    with pytest.raises(ValidationError) as error:
        checklist_item_set(user=collaboration.coordinator, procurement=closed, item=item_of(phases.CONTRACT_MANAGEMENT), done=True)
    assert error.value.messages == [CLOSED]
    assert state(closed) == before


def test_the_phase_is_read_from_the_database_not_from_the_callers_copy(collaboration, make_procurement, advance_to):
    procurement = make_procurement(collaboration, phase=phases.NEEDS)
    stale = type(procurement).objects.get(pk=procurement.pk)  # loaded while NEEDS was current
    advance_to(procurement, phases.TARGET_PICTURE)
    assert stale.state == phases.NEEDS
    with pytest.raises(ValidationError, match="hører til fasen"):
        checklist_item_set(user=collaboration.coordinator, procurement=stale, item=item_of(phases.NEEDS), done=True)
    assert not ChecklistCheck.objects.filter(procurement=procurement).exists()


def test_someone_without_the_right_gets_permission_denied_first(make_collaboration, in_target_picture):
    outsider = make_collaboration(1).coordinator
    with pytest.raises(PermissionDenied):
        checklist_item_set(user=outsider, procurement=in_target_picture, item=item_of(phases.NEEDS), done=False)


# --------------------------------------------------------------------------- over HTTP


def url(procurement, item) -> str:
    return reverse("checklist_toggle", args=[procurement.pk, item.pk])


def page_messages(page: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", m).strip() for m in re.findall(r'<div class="ds-alert" data-color="danger" role="alert">(.*?)</div>', page, re.S)]


@pytest.mark.parametrize(("phase", "done"), [(phases.NEEDS, "0"), (phases.EVALUATION, "1")])
def test_plain_post_for_another_phase_is_400_with_the_message_on_the_page(client, collaboration, in_target_picture, phase, done):
    item = item_of(phase)
    before = state(in_target_picture)
    client.force_login(collaboration.coordinator)
    response = client.post(url(in_target_picture, item), {"done": done})
    assert response.status_code == 400
    page = response.content.decode()
    assert '<h1 class="ds-heading"' in page  # the procurement page, with the reason on top
    [message] = page_messages(page)
    assert OTHER_PHASE in message and f"«{item.phase.label}»" in message
    assert state(in_target_picture) == before


def test_htmx_post_for_another_phase_answers_the_item_as_it_is_with_the_reason(client, collaboration, in_target_picture):
    ticked = item_of(phases.NEEDS)
    client.force_login(collaboration.coordinator)
    response = client.post(url(in_target_picture, ticked), {"done": "0"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    fragment = response.content.decode()
    assert "<html" not in fragment
    assert fragment.startswith(f'<li class="app-checklist__item" id="sjekkpunkt-{ticked.pk}">')
    assert 'type="checkbox"' not in fragment  # no longer offered
    assert "Utført" in fragment  # still ticked, as in the database
    alert = re.search(r'<div class="ds-validation-message"[^>]*role="alert"[^>]*><p>(.*?)</p></div>', fragment, re.S)
    assert alert and OTHER_PHASE in alert.group(1)
    assert ChecklistCheck.objects.filter(procurement=in_target_picture, item=ticked).exists()


@pytest.mark.parametrize("htmx", [False, True])
def test_cancelled_and_closed_over_http(client, collaboration, cancelled, make_procurement, htmx):
    closed = make_procurement(collaboration, phase=phases.CLOSED, title="Ferdig anskaffelse")
    client.force_login(collaboration.coordinator)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    for procurement, item, message in (
        (cancelled, item_of(phases.NEEDS), CANCELLED),
        (closed, item_of(phases.CONTRACT_MANAGEMENT), CLOSED),
    ):
        before = state(procurement)
        response = client.post(url(procurement, item), {"done": "1"}, **headers)
        assert response.status_code == 400
        assert message in response.content.decode()
        assert state(procurement) == before


def test_the_refusal_is_translated(client, collaboration, cancelled):
    client.force_login(collaboration.coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(url(cancelled, item_of(phases.NEEDS)), {"done": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    page = response.content.decode()
    assert CANCELLED not in page and "cancelled" in page


def test_the_current_phase_still_works_over_http(client, collaboration, in_target_picture):
    item = item_of(phases.TARGET_PICTURE)
    client.force_login(collaboration.coordinator)
    response = client.post(url(in_target_picture, item), {"done": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'type="checkbox"' in response.content.decode()
    assert ChecklistCheck.objects.filter(procurement=in_target_picture, item=item).exists()


def test_htmx_swaps_a_400_fragment(client, collaboration):
    """htmx leaves a 4xx response out of the page unless told otherwise; base.html tells it
    to swap a 400, which is how the refusal above reaches the person."""
    import json

    client.force_login(collaboration.coordinator)
    page = client.get(reverse("dashboard")).content.decode()
    config = json.loads(re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", page).group(1))
    rules = config["responseHandling"]
    first_for_400 = next(rule for rule in rules if re.fullmatch(rule["code"], "400"))
    assert first_for_400["swap"] is True
    first_for_403 = next(rule for rule in rules if re.fullmatch(rule["code"], "403"))
    assert first_for_403["swap"] is False
