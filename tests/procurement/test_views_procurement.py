"""The procurement page and the POSTs it makes: deliverables, downloads, the checklist,
sign-offs and phase transitions. Everything is set up through the services, as a person
would through the application."""
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEntry
from municipalities.models import Body, Collaboration, Municipality, Person
from procurement import phases
from procurement.models import (
    ChecklistCheck,
    ChecklistItemDefinition,
    DeliverableDefinition,
    DeliverableVersion,
    GateStep,
    Procurement,
    SignOff,
)
from procurement.services.deliverables import deliverable_version_add
from procurement.services.intake import procurement_report
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class World:
    """The names these tests use, on top of the shared fixtures of tests/conftest.py."""

    collaboration: Collaboration
    kongsberg: Municipality
    flesberg: Municipality
    suksit: Body
    coordinator: Person
    kongsberg_member: Person
    flesberg_member: Person
    flesberg_chief: Person
    outsider: Person
    procurement: Procurement


@pytest.fixture
def world(make_collaboration, make_procurement) -> World:
    shared = make_collaboration(2, name="Kongsbergregionen")
    kongsberg, flesberg = shared.municipalities
    procurement = make_procurement(shared, phase=phases.NEEDS, title="Nytt sak- og arkivsystem")
    elsewhere = make_collaboration(1, name="Fosen")
    return World(
        collaboration=shared.collaboration,
        kongsberg=kongsberg,
        flesberg=flesberg,
        suksit=shared.bodies["steering_group"],
        coordinator=shared.coordinator,
        kongsberg_member=shared.representative(kongsberg),
        flesberg_member=shared.representative(flesberg),
        flesberg_chief=shared.chief_executive(flesberg),
        outsider=elsewhere.representative(elsewhere.municipalities[0]),
        procurement=procurement,
    )


def _detail_url(world: World) -> str:
    return reverse("procurement_detail", args=[world.procurement.pk])


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- the page -------------------------------------------------------------------------


def test_page_renders_for_a_participant(client, world):
    client.force_login(world.flesberg_member)
    response = client.get(_detail_url(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nytt sak- og arkivsystem" in html
    assert "Kongsbergregionen" in html
    assert "fase 1 av 10" in html
    assert 'id="signering"' in html
    # The timeline says its status in words, not by colour alone.
    assert "Pågår" in html and "Kommer" in html
    # The missing deliverables of the phase are named as what blocks it.
    summary = DeliverableDefinition.objects.get(code="needs-summary")
    assert f"Mangler leveranse: {summary.name}" in html


def test_outsider_gets_404_and_anonymous_is_sent_to_login(client, world):
    client.force_login(world.outsider)
    assert client.get(_detail_url(world)).status_code == 404
    assert client.get(reverse("procurement_history", args=[world.procurement.pk])).status_code == 404
    client.logout()
    response = client.get(_detail_url(world))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_unknown_procurement_is_404(client, world):
    client.force_login(world.coordinator)
    assert client.get(reverse("procurement_detail", args=[999999])).status_code == 404


def test_upload_form_is_shown_only_to_contributors(client, world):
    client.force_login(world.coordinator)
    assert 'name="needs-summary-text"' in client.get(_detail_url(world)).content.decode()
    client.force_login(world.flesberg_chief)  # a chief executive reads but does not write deliverables
    html = client.get(_detail_url(world)).content.decode()
    assert 'name="needs-summary-text"' not in html


# --- deliverables ---------------------------------------------------------------------


def test_add_a_text_version_then_a_file_version(client, world):
    client.force_login(world.coordinator)
    url = reverse("deliverable_add", args=[world.procurement.pk, "needs-summary"])
    response = client.post(url, {"needs-summary-text": "Behovene er kartlagt i fire verksteder."})
    assert response.status_code == 302
    assert response["Location"].endswith("#leveranse-needs-summary")

    upload = SimpleUploadedFile("oppsummering.pdf", PDF, content_type="application/pdf")
    response = client.post(url, {"needs-summary-file": upload}, follow=True)
    assert response.status_code == 200
    assert any("Versjon 2" in m for m in _messages(response))

    versions = DeliverableVersion.objects.filter(deliverable__definition__code="needs-summary").order_by("number")
    assert [(v.number, v.is_file) for v in versions] == [(1, False), (2, True)]
    assert versions[1].original_name == "oppsummering.pdf"
    assert versions[1].deliverable.current_version == versions[1]
    html = response.content.decode()
    assert "oppsummering.pdf" in html
    assert versions[1].sha256[:12] in html
    assert AuditEntry.objects.filter(procurement=world.procurement, action="deliverable.uploaded").count() == 2


def test_file_with_wrong_magic_bytes_is_refused_in_norwegian_and_nothing_saved(client, world):
    client.force_login(world.coordinator)
    url = reverse("deliverable_add", args=[world.procurement.pk, "needs-summary"])
    upload = SimpleUploadedFile("faktura.pdf", b"MZ\x90\x00 this is an executable", content_type="application/pdf")
    response = client.post(url, {"needs-summary-file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Filinnholdet stemmer ikke med filtypen pdf." in html
    # The error summary links to the field, and the field carries the message.
    assert 'href="#id_needs-summary-file"' in html
    assert 'aria-invalid="true"' in html
    assert not DeliverableVersion.objects.exists()


def test_empty_form_says_what_to_do_and_keeps_nothing(client, world):
    client.force_login(world.coordinator)
    url = reverse("deliverable_add", args=[world.procurement.pk, "needs-summary"])
    response = client.post(url, {"needs-summary-text": "   "})
    assert response.status_code == 400
    assert "Last opp et dokument eller skriv teksten." in response.content.decode()
    assert not DeliverableVersion.objects.exists()


def test_both_file_and_text_is_refused_and_text_is_kept(client, world):
    client.force_login(world.coordinator)
    url = reverse("deliverable_add", args=[world.procurement.pk, "needs-summary"])
    upload = SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")
    response = client.post(url, {"needs-summary-file": upload, "needs-summary-text": "Min tekst som ikke skal forsvinne"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Velg enten dokument eller tekst, ikke begge." in html
    assert "Min tekst som ikke skal forsvinne" in html


def test_deliverable_of_a_phase_not_reached_is_refused_with_a_message(client, world):
    client.force_login(world.coordinator)
    url = reverse("deliverable_add", args=[world.procurement.pk, "contract-dpa"])
    response = client.post(url, {"contract-dpa-text": "For tidlig"})
    assert response.status_code == 400
    assert "Leveransen hører til en fase anskaffelsen ikke har nådd." in response.content.decode()
    assert not DeliverableVersion.objects.exists()


def test_non_contributor_cannot_add_and_outsider_gets_404(client, world):
    url = reverse("deliverable_add", args=[world.procurement.pk, "needs-summary"])
    client.force_login(world.flesberg_chief)
    assert client.post(url, {"needs-summary-text": "x"}).status_code == 403
    client.force_login(world.outsider)
    assert client.post(url, {"needs-summary-text": "x"}).status_code == 404
    client.force_login(world.coordinator)
    assert client.post(reverse("deliverable_add", args=[world.procurement.pk, "no-such-code"]), {}).status_code == 404
    assert client.get(url).status_code == 405
    assert not DeliverableVersion.objects.exists()


def test_download_writes_an_audit_entry_and_outsider_gets_404(client, world):
    definition = DeliverableDefinition.objects.get(code="needs-summary")
    file_version = deliverable_version_add(
        user=world.coordinator,
        procurement=world.procurement,
        definition=definition,
        file=SimpleUploadedFile("behov.pdf", PDF, content_type="application/pdf"),
    )
    text_version = deliverable_version_add(
        user=world.coordinator, procurement=world.procurement, definition=definition, text="Kort oppsummering"
    )

    client.force_login(world.outsider)
    response = client.get(reverse("version_download", args=[world.procurement.pk, file_version.pk]))
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="deliverable.downloaded").exists()

    client.force_login(world.flesberg_member)
    response = client.get(reverse("version_download", args=[world.procurement.pk, file_version.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="behov.pdf"' in response["Content-Disposition"]
    entry = AuditEntry.objects.get(action="deliverable.downloaded")
    assert entry.actor == world.flesberg_member and entry.procurement == world.procurement

    response = client.get(reverse("version_download", args=[world.procurement.pk, text_version.pk]))
    assert b"".join(response.streaming_content) == "Kort oppsummering".encode()
    assert 'filename="needs-summary-v2.txt"' in response["Content-Disposition"]
    assert response["Content-Type"].startswith("text/plain")
    assert AuditEntry.objects.filter(action="deliverable.downloaded").count() == 2


def test_version_of_another_procurement_is_404(client, world):
    definition = DeliverableDefinition.objects.get(code="needs-summary")
    version = deliverable_version_add(user=world.coordinator, procurement=world.procurement, definition=definition, text="x")
    other = procurement_report(
        user=world.kongsberg_member, municipality=world.kongsberg, title="Annet", kind="introduce",
        description="Annet behov", funding="own_budget",
    )
    client.force_login(world.coordinator)
    assert client.get(reverse("version_download", args=[other.pk, version.pk])).status_code == 404


def test_benefit_plan_download_is_audited(client, world):
    procurement = procurement_report(
        user=world.kongsberg_member,
        municipality=world.kongsberg,
        title="Velferdsteknologi",
        kind="introduce",
        description="Digitalt tilsyn.",
        funding="action_plan",
        draft_benefit_plan=SimpleUploadedFile("gevinstplan.pdf", PDF, content_type="application/pdf"),
    )
    client.force_login(world.kongsberg_member)
    html = client.get(reverse("procurement_detail", args=[procurement.pk])).content.decode()
    assert reverse("benefit_plan", args=[procurement.pk]) in html
    html = client.get(reverse("benefit_plan", args=[procurement.pk])).content.decode()
    assert reverse("benefit_plan_download", args=[procurement.pk]) in html
    response = client.get(reverse("benefit_plan_download", args=[procurement.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert 'filename="gevinstplan.pdf"' in response["Content-Disposition"]
    assert AuditEntry.objects.filter(action="benefit_plan.downloaded", actor=world.kongsberg_member).count() == 1
    client.force_login(world.outsider)
    assert client.get(reverse("benefit_plan_download", args=[procurement.pk])).status_code == 404
    client.force_login(world.coordinator)  # a procurement without a plan has nothing to download
    assert client.get(reverse("benefit_plan_download", args=[world.procurement.pk])).status_code == 404


# --- checklist ------------------------------------------------------------------------


def test_checklist_toggle_plain_and_htmx(client, world):
    item = ChecklistItemDefinition.objects.filter(phase__code=phases.NEEDS).first()
    url = reverse("checklist_toggle", args=[world.procurement.pk, item.pk])
    client.force_login(world.coordinator)
    response = client.post(url, {"done": "1"})
    assert response.status_code == 302 and response["Location"].endswith("#sjekkliste")
    assert ChecklistCheck.objects.filter(procurement=world.procurement, item=item).exists()

    response = client.post(url, {"done": "0"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert not ChecklistCheck.objects.filter(procurement=world.procurement, item=item).exists()

    client.force_login(world.outsider)
    assert client.post(url, {"done": "1"}).status_code == 404


# --- sign-offs ------------------------------------------------------------------------


@pytest.fixture
def at_strategy(world, advance_to):
    advance_to(world.procurement, phases.STRATEGY)
    definition = DeliverableDefinition.objects.get(code="strategy-decision-basis")
    version = deliverable_version_add(
        user=world.coordinator, procurement=world.procurement, definition=definition, text="Beslutningsunderlag v1"
    )
    step = GateStep.objects.get(gate__code="go-no-go", order=1)
    return world, step, version


def _sign_url(world, step):
    return reverse("signoff_record", args=[world.procurement.pk, step.pk])


def test_coordinator_sees_the_sign_form_and_others_do_not(client, at_strategy):
    world, step, version = at_strategy
    client.force_login(world.coordinator)
    html = client.get(_detail_url(world)).content.decode()
    assert f'action="{_sign_url(world, step)}"' in html
    assert version.sha256 in html
    client.force_login(world.flesberg_member)
    html = client.get(_detail_url(world)).content.decode()
    assert f'action="{_sign_url(world, step)}"' not in html
    assert "Venter" in html


def test_approve(client, at_strategy):
    world, step, version = at_strategy
    client.force_login(world.coordinator)
    response = client.post(
        _sign_url(world, step),
        {"decision": "approve", "slot": f"b:{world.suksit.pk}", "document_sha256": version.sha256, "password": PASSWORD},
        follow=True,
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith("#signering")
    signoff = SignOff.objects.get()
    assert (signoff.decision, signoff.person, signoff.document_sha256) == ("approve", world.coordinator, version.sha256)
    assert "Du har godkjent dokumentet." in _messages(response)


def test_reject_needs_a_comment(client, at_strategy):
    world, step, version = at_strategy
    client.force_login(world.coordinator)
    data = {"decision": "reject", "slot": f"b:{world.suksit.pk}", "document_sha256": version.sha256, "comment": "", "password": PASSWORD}
    response = client.post(_sign_url(world, step), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Skriv hvorfor du avviser." in html
    assert f'href="#id_sign-{step.pk}-b{world.suksit.pk}_comment"' in html
    assert not SignOff.objects.exists()

    data["comment"] = "Business case mangler nullalternativet."
    response = client.post(_sign_url(world, step), data)
    assert response.status_code == 302
    signoff = SignOff.objects.get()
    assert signoff.decision == "reject" and signoff.comment == data["comment"]


def test_stale_document_gives_a_message_and_no_signature(client, at_strategy):
    world, step, version = at_strategy
    definition = DeliverableDefinition.objects.get(code="strategy-decision-basis")
    deliverable_version_add(user=world.coordinator, procurement=world.procurement, definition=definition, text="v2")
    client.force_login(world.coordinator)
    response = client.post(
        _sign_url(world, step),
        {"decision": "approve", "slot": f"b:{world.suksit.pk}", "document_sha256": version.sha256, "password": PASSWORD},
        follow=True,
    )
    assert any("Dokumentet er endret" in m for m in _messages(response))
    assert not SignOff.objects.exists()


def test_voided_signature_is_shown_struck_through(client, at_strategy):
    world, step, version = at_strategy
    client.force_login(world.coordinator)
    client.post(
        _sign_url(world, step),
        {"decision": "approve", "slot": f"b:{world.suksit.pk}", "document_sha256": version.sha256, "password": PASSWORD},
    )
    definition = DeliverableDefinition.objects.get(code="strategy-decision-basis")
    deliverable_version_add(user=world.coordinator, procurement=world.procurement, definition=definition, text="v2")
    html = client.get(_detail_url(world)).content.decode()
    assert "<del" in html
    assert "Ugyldig: ny versjon lastet opp" in html


def test_sign_with_htmx_returns_the_section(client, at_strategy):
    world, step, version = at_strategy
    client.force_login(world.coordinator)
    response = client.post(
        _sign_url(world, step),
        {"decision": "reject", "slot": f"b:{world.suksit.pk}", "document_sha256": version.sha256, "comment": "", "password": PASSWORD},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="signering"' in html and "<html" not in html
    assert "Skriv hvorfor du avviser." in html


def test_htmx_signature_that_completes_the_gate_reloads_the_page(client, at_strategy, fill_deliverables):
    world, step, version = at_strategy
    fill_deliverables(world.procurement)
    client.force_login(world.coordinator)
    response = client.post(
        _sign_url(world, step),
        {"decision": "approve", "slot": f"b:{world.suksit.pk}", "document_sha256": version.sha256, "password": PASSWORD},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == _detail_url(world)
    world.procurement.refresh_from_db()
    assert world.procurement.state == phases.PROCEDURE
    page = client.get(_detail_url(world))
    assert "Godkjenningen er komplett. Anskaffelsen står nå i fasen «Prosedyre og plan»." in _messages(page)


def test_signing_for_a_slot_one_does_not_hold_is_refused(client, at_strategy):
    world, step, version = at_strategy
    client.force_login(world.flesberg_member)
    response = client.post(
        _sign_url(world, step),
        {"decision": "approve", "slot": f"b:{world.suksit.pk}", "document_sha256": version.sha256, "password": PASSWORD},
    )
    assert response.status_code == 403
    client.force_login(world.outsider)
    response = client.post(
        _sign_url(world, step),
        {"decision": "approve", "slot": f"b:{world.suksit.pk}", "document_sha256": version.sha256, "password": PASSWORD},
    )
    assert response.status_code == 404
    assert not SignOff.objects.exists()


# --- transitions ----------------------------------------------------------------------


def test_transition_buttons_only_for_the_coordinator(client, world):
    transition_url = reverse("procurement_transition", args=[world.procurement.pk, "cancel"])
    client.force_login(world.coordinator)
    assert transition_url in client.get(_detail_url(world)).content.decode()
    client.force_login(world.flesberg_member)
    assert transition_url not in client.get(_detail_url(world)).content.decode()
    response = client.post(reverse("procurement_transition", args=[world.procurement.pk, "complete_phase"]))
    assert response.status_code == 403
    response = client.post(transition_url, {"reason": "Vil ikke"})
    assert response.status_code == 403
    world.procurement.refresh_from_db()
    assert world.procurement.state == phases.NEEDS


def test_complete_phase_button_appears_when_the_phase_is_ready(client, world, fill_deliverables):
    complete_url = reverse("procurement_transition", args=[world.procurement.pk, "complete_phase"])
    client.force_login(world.coordinator)
    assert complete_url not in client.get(_detail_url(world)).content.decode()
    fill_deliverables(world.procurement)
    assert complete_url in client.get(_detail_url(world)).content.decode()
    response = client.post(complete_url, {"confirmed": "1"}, follow=True)
    world.procurement.refresh_from_db()
    assert world.procurement.state == phases.TARGET_PICTURE
    assert "fase 2 av 10" in response.content.decode()


def test_complete_phase_with_missing_deliverable_lists_it(client, world):
    client.force_login(world.coordinator)
    response = client.post(reverse("procurement_transition", args=[world.procurement.pk, "complete_phase"]), follow=True)
    assert response.status_code == 200
    [message] = _messages(response)
    summary = DeliverableDefinition.objects.get(code="needs-summary")
    assert "Fasen kan ikke fullføres ennå" in message
    assert f"Mangler leveranse: {summary.name}" in message
    world.procurement.refresh_from_db()
    assert world.procurement.state == phases.NEEDS


def test_cancel_needs_a_reason(client, world):
    client.force_login(world.coordinator)
    url = reverse("procurement_transition", args=[world.procurement.pk, "cancel"])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Skriv en begrunnelse for avlysningen." in html
    assert 'href="#id_cancel_reason"' in html
    world.procurement.refresh_from_db()
    assert world.procurement.state == phases.NEEDS

    response = client.post(url, {"reason": "Behovet er dekket av en nasjonal løsning."}, follow=True)
    world.procurement.refresh_from_db()
    assert world.procurement.state == phases.CANCELLED
    assert world.procurement.cancel_reason == "Behovet er dekket av en nasjonal løsning."
    html = response.content.decode()
    assert url not in html  # nothing left to cancel
    assert "Anskaffelsen er avlyst. Deltakerne får beskjed." in _messages(response)
    assert "Avlyst i denne fasen" in html  # the timeline shows where it stopped
    assert "Behovet er dekket av en nasjonal løsning." in html


def test_transition_get_is_405_and_unknown_name_404(client, world):
    client.force_login(world.coordinator)
    assert client.get(reverse("procurement_transition", args=[world.procurement.pk, "cancel"])).status_code == 405
    assert client.post(reverse("procurement_transition", args=[world.procurement.pk, "explode"])).status_code == 404
    client.force_login(world.outsider)
    assert client.post(reverse("procurement_transition", args=[world.procurement.pk, "cancel"]), {"reason": "x"}).status_code == 404


# --- history and query counts ---------------------------------------------------------


def test_history_is_paginated(client, world):
    definition = DeliverableDefinition.objects.get(code="needs-summary")
    for number in range(60):
        deliverable_version_add(user=world.coordinator, procurement=world.procurement, definition=definition, text=f"v{number}")
    client.force_login(world.flesberg_member)
    html = client.get(_detail_url(world)).content.decode()
    assert reverse("procurement_history", args=[world.procurement.pk]) in html
    response = client.get(reverse("procurement_history", args=[world.procurement.pk]))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 50
    assert "ds-pagination" in response.content.decode()
    response = client.get(reverse("procurement_history", args=[world.procurement.pk]), {"side": "2"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == AuditEntry.objects.filter(procurement=world.procurement).count() - 50


def _page_queries(client, world) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_detail_url(world))
    assert response.status_code == 200
    return len(queries)


def test_page_query_count_does_not_grow_with_the_data(client, world):
    client.force_login(world.coordinator)
    definitions = list(DeliverableDefinition.objects.filter(phase__code=phases.NEEDS))
    for definition in definitions:
        deliverable_version_add(user=world.coordinator, procurement=world.procurement, definition=definition, text="første")
    _page_queries(client, world)  # warm the caches (content types, session) first
    small = _page_queries(client, world)
    for number in range(15):
        for definition in definitions:
            deliverable_version_add(
                user=world.coordinator, procurement=world.procurement, definition=definition, text=f"versjon {number}"
            )
    large = _page_queries(client, world)
    assert AuditEntry.objects.filter(procurement=world.procurement).count() > 40
    assert large == small
