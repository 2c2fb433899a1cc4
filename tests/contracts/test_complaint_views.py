"""Complaints on the procurement page: registering one (it blocks signing), resolving it,
hostile input and tampered ids, the e-mails to the coordinators, and an upheld complaint
that sends the case back to evaluation through procurement's own reopen transition."""
import re
from dataclasses import dataclass
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from contracts.models import Complaint, ComplaintState
from contracts.services import award_notice_send, complaint_register, complaint_resolve
from municipalities.models import Person
from procurement import phases
from procurement.models import PhaseChange, Procurement, SignOff, VoidReason

pytestmark = pytest.mark.django_db

BIGINT_OVERFLOW = 2**63


@dataclass
class World:
    shared: object
    procurement: Procurement
    coordinator: Person
    chief: Person
    user_representative: Person
    elsewhere: object

    @property
    def today(self):
        return self.procurement.collaboration.today()


@pytest.fixture
def world(make_collaboration, make_procurement) -> World:
    shared = make_collaboration(2, name="Kongsbergregionen")
    return World(
        shared=shared,
        procurement=make_procurement(shared, phase=phases.CONTRACT, title="Felles velferdsteknologi"),
        coordinator=shared.coordinator,
        chief=shared.chief_executive(shared.municipalities[0]),
        user_representative=shared.user_representative(shared.municipalities[0]),
        elsewhere=make_collaboration(2, name="Fosen"),
    )


def _detail(world) -> str:
    return reverse("procurement_detail", args=[world.procurement.pk])


def _register_url(world) -> str:
    return reverse("complaint_register", args=[world.procurement.pk])


def _resolve_url(world, complaint_id) -> str:
    return reverse("complaint_resolve", args=[world.procurement.pk, complaint_id])


def _valid(world, **overrides) -> dict:
    return {"received_on": world.today.isoformat(), "complainant": "Omsorg Teknikk AS", "summary": "Poengene er feil.", **overrides}


def _section(html: str) -> str:
    start = html.index('<section class="app-section app-award" id="tildeling"')
    return html[start : html.index("</section>", start)]


def _follow_messages(client, response) -> list[str]:
    page = client.get(response["Location"])
    return [str(m) for m in page.context["messages"]]


def _complaint(world, complainant="Omsorg Teknikk AS") -> Complaint:
    return complaint_register(
        user=world.coordinator,
        procurement=world.procurement,
        received_on=world.today,
        complainant=complainant,
        summary="Tildelingskriteriet pris er regnet feil.",
    )


# --------------------------------------------------------------------------------------
# Registering
# --------------------------------------------------------------------------------------


def test_registering_a_complaint_blocks_signing_and_tells_the_coordinators(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_register_url(world), _valid(world))
    complaint = Complaint.objects.get(procurement=world.procurement)
    assert response.status_code == 302
    assert response["Location"] == f"{_detail(world)}#klage-{complaint.pk}"
    assert _follow_messages(client, response) == [
        "Klagen fra Omsorg Teknikk AS er registrert. Kontrakten kan ikke signeres før den er avgjort."
    ]
    assert (complaint.state, complaint.received_on, complaint.registered_by) == ("open", world.today, world.coordinator)
    assert [mail.subject for mail in mailoutbox] == ["Ny klage i anskaffelsen: Felles velferdsteknologi"]
    assert mailoutbox[0].to == [world.coordinator.email]
    assert "Kontrakten kan ikke signeres før klagen er avgjort." in mailoutbox[0].body
    assert mailoutbox[0].body.rstrip().endswith(f"/anskaffelser/{world.procurement.pk}/#klager")

    html = client.get(_detail(world)).content.decode()
    section = _section(html)
    assert f'id="klage-{complaint.pk}"' in section
    assert "Klage fra Omsorg Teknikk AS" in section and "Poengene er feil." in section
    assert "Til behandling – kontrakten kan ikke signeres før klagen er avgjort." in section
    assert "1 klage til behandling" in section
    assert "Ingen klage er til behandling – 1 åpen sak (klage)" in html  # the gate says it too


HOSTILE_COMPLAINT = [
    ({"received_on": "0001-01-01"}, "received_on", "Datoen kan ikke være før anskaffelsen ble meldt inn"),
    ({"received_on": "9999-12-31"}, "received_on", "Klagen kan ikke være mottatt i fremtiden."),
    ({"received_on": "2026-02-30"}, "received_on", "Skriv en gyldig dato, for eksempel 31.12.2026."),
    ({"received_on": ""}, "received_on", "Skriv datoen klagen kom."),
    ({"complainant": ""}, "complainant", "Skriv hvem som klager."),
    ({"complainant": "   "}, "complainant", "Skriv hvem som klager."),
    ({"complainant": "A" * 201}, "complainant", "200"),
    ({"summary": ""}, "summary", "Skriv hva klagen gjelder."),
    ({"summary": "x" * 5001}, "summary", "5000"),
    ({"summary": "null\x00tegn"}, "summary", "Null-tegn er ikke tillatt."),
]


@pytest.mark.parametrize(("overrides", "field", "message"), HOSTILE_COMPLAINT, ids=[f"{o}"[:40] for o, *_ in HOSTILE_COMPLAINT])
def test_hostile_complaint_input_is_400_with_the_message_next_to_the_field(client, world, overrides, field, message):
    client.force_login(world.coordinator)
    response = client.post(_register_url(world), _valid(world, **overrides))
    assert response.status_code == 400
    assert any(message in error for error in response.context["award"].complaint_form.errors[field])
    section = _section(response.content.decode())
    assert re.search(rf'id="id_complaint_{field}_error">.*?{re.escape(message[:20])}', unescape(section), re.S)
    assert f'href="#id_complaint_{field}"' in response.content.decode()
    assert not Complaint.objects.filter(procurement=world.procurement).exists()


def test_a_complaint_may_be_registered_in_the_evaluation_phase(client, make_collaboration, make_procurement):
    shared = make_collaboration(2)
    procurement = make_procurement(shared, phase=phases.EVALUATION)
    client.force_login(shared.coordinator)
    response = client.post(
        reverse("complaint_register", args=[procurement.pk]),
        {"received_on": procurement.collaboration.today().isoformat(), "complainant": "X AS", "summary": "Uklar kravspesifikasjon."},
    )
    assert response.status_code == 302
    assert Complaint.objects.filter(procurement=procurement).count() == 1


@pytest.mark.parametrize("who", ["chief", "user_representative"])
def test_only_those_who_run_the_procurement_may_register_or_resolve(client, world, who):
    complaint = _complaint(world)
    client.force_login(getattr(world, who))
    assert client.post(_register_url(world), _valid(world)).status_code == 403
    assert client.post(_resolve_url(world, complaint.pk), {"outcome": "upheld", "resolution": "Ja."}).status_code == 403
    assert Complaint.objects.filter(procurement=world.procurement).count() == 1
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.OPEN
    # They see the complaint, without the forms.
    section = _section(client.get(_detail(world)).content.decode())
    assert "Klage fra Omsorg Teknikk AS" in section and "<form" not in section


# --------------------------------------------------------------------------------------
# Resolving
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("outcome", ["upheld", "dismissed", "withdrawn"])
def test_resolving_a_complaint(client, world, outcome, mailoutbox, django_capture_on_commit_callbacks):
    complaint = _complaint(world)
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_resolve_url(world, complaint.pk), {"outcome": outcome, "resolution": "Vurdert av jurist."})
    assert response.status_code == 302 and response["Location"].endswith(f"#klage-{complaint.pk}")
    complaint.refresh_from_db()
    assert (complaint.state, complaint.resolution, complaint.resolved_by) == (outcome, "Vurdert av jurist.", world.coordinator)
    label = complaint.get_state_display()
    assert _follow_messages(client, response) == [f"Klagen fra Omsorg Teknikk AS er avgjort: {label.lower()}."]
    assert [mail.subject for mail in mailoutbox] == ["Klage avgjort: Felles velferdsteknologi"]
    section = _section(client.get(_detail(world)).content.decode())
    assert "Vurdert av jurist." in section and label in section
    assert "Avgjør klagen" not in section  # no form for a decided complaint
    assert ("Gå tilbake til evaluering" in section) is (outcome == "upheld")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"resolution": "Ja."}, "outcome", "Velg utfallet av klagen."),
        ({"outcome": "open", "resolution": "Ja."}, "outcome", "Velg utfallet av klagen."),
        ({"outcome": "UPHELD", "resolution": "Ja."}, "outcome", "Velg utfallet av klagen."),
        ({"outcome": "upheld", "resolution": ""}, "resolution", "Skriv avgjørelsen og begrunnelsen."),
        ({"outcome": "upheld", "resolution": "x" * 5001}, "resolution", "5000"),
    ],
)
def test_resolving_with_bad_input_is_400_next_to_that_complaints_field(client, world, data, field, message):
    first, second = _complaint(world, "Første AS"), _complaint(world, "Andre AS")
    client.force_login(world.coordinator)
    response = client.post(_resolve_url(world, second.pk), data)
    assert response.status_code == 400
    rows = {row.complaint.pk: row for row in response.context["award"].complaints}
    assert any(message in error for error in rows[second.pk].resolve_form.errors[field])
    assert not rows[first.pk].resolve_form.errors  # the other complaint's form is untouched
    section = _section(response.content.decode())
    assert f'id="id_resolve_{second.pk}_{field}_error"' in section
    assert f'id="id_resolve_{first.pk}_{field}_error"' not in section
    assert Complaint.objects.filter(state=ComplaintState.OPEN).count() == 2


def test_resolving_twice_says_so_and_changes_nothing(client, world):
    complaint = _complaint(world)
    complaint_resolve(user=world.coordinator, complaint=complaint, outcome="dismissed", resolution="Første avgjørelse.")
    client.force_login(world.coordinator)
    for data in ({"outcome": "upheld", "resolution": "Andre avgjørelse."}, {}):
        response = client.post(_resolve_url(world, complaint.pk), data)
        assert response.status_code == 302
        assert _follow_messages(client, response) == ["Klagen er allerede avgjort."]
    complaint.refresh_from_db()
    assert (complaint.state, complaint.resolution) == ("dismissed", "Første avgjørelse.")


def test_a_complaint_of_another_procurement_or_out_of_range_is_404(client, world, make_procurement):
    other = make_procurement(world.elsewhere, phase=phases.CONTRACT, title="Annen anskaffelse")
    theirs = complaint_register(
        user=world.elsewhere.coordinator, procurement=other, received_on=world.today, complainant="X", summary="Y"
    )
    client.force_login(world.coordinator)
    for complaint_id in (theirs.pk, 0, BIGINT_OVERFLOW, 10**40):
        response = client.post(_resolve_url(world, complaint_id), {"outcome": "upheld", "resolution": "Forsøk."})
        assert response.status_code == 404, complaint_id
    theirs.refresh_from_db()
    assert theirs.state == ComplaintState.OPEN
    # The other procurement itself is out of sight for this coordinator.
    response = client.post(reverse("complaint_register", args=[other.pk]), _valid(world))
    assert response.status_code == 404
    assert Complaint.objects.filter(procurement=other).count() == 1


def test_complaints_are_read_only_after_the_contract_phase(client, world, fill_deliverables, sign_gate, meet_conditions):
    complaint = _complaint(world)
    complaint_resolve(user=world.coordinator, complaint=complaint, outcome="dismissed", resolution="Avvist.")
    fill_deliverables(world.procurement)
    meet_conditions(world.procurement)
    sign_gate(world.procurement, "dpa")  # the last signature completes the phase
    world.procurement.refresh_from_db()
    assert world.procurement.state == phases.ACCEPTANCE_TEST
    client.force_login(world.coordinator)
    section = _section(client.get(_detail(world)).content.decode())
    assert "Klage fra Omsorg Teknikk AS" in section and "Avvist." in section
    assert "<form" not in section
    response = client.post(_register_url(world), _valid(world))
    assert response.status_code == 302
    assert _follow_messages(client, response) == ["Tildelingen og klagene kan bare endres i fasene evaluering og kontrakt."]
    assert Complaint.objects.filter(procurement=world.procurement).count() == 1


# --------------------------------------------------------------------------------------
# An upheld complaint sends the case back to evaluation
# --------------------------------------------------------------------------------------


def test_upheld_complaint_offers_the_way_back_and_reopening_voids_the_award_signatures(client, world):
    award_notice_send(user=world.coordinator, procurement=world.procurement, sent_on=world.today)
    award_signatures = list(SignOff.objects.filter(procurement=world.procurement, step__gate__code="award", voided_at__isnull=True))
    assert len(award_signatures) == 2  # steering group and the chief executives' committee
    complaint = _complaint(world)
    client.force_login(world.coordinator)
    client.post(_resolve_url(world, complaint.pk), {"outcome": "upheld", "resolution": "Prisen skal regnes på nytt."})

    html = client.get(_detail(world)).content.decode()
    link = re.search(r'<a class="ds-button" data-variant="primary" href="([^"]+)">Gå tilbake til evaluering', _section(html))
    assert link, "the coordinator is offered the way back"
    url = unescape(link.group(1))
    query = parse_qs(urlsplit(url).query)
    assert query["fase"] == ["evaluation"]
    assert query["grunn"] == [
        f"Klagen fra Omsorg Teknikk AS, mottatt {world.today:%d.%m.%Y}, er tatt til følge: Prisen skal regnes på nytt."
    ]
    assert url.endswith("#faseendring")
    # The notice still stands: the page says it is now out of date.
    assert "En klage er tatt til følge etter at meddelelsen ble sendt." in _section(html)

    # The link opens the reopen form with the phase chosen and the reason written; nothing
    # has happened yet.
    page = client.get(url)
    form = page.context["reopen_form"]
    assert form.initial == {"phase": "evaluation", "reason": query["grunn"][0]}
    transitions = page.content.decode()
    assert '<option value="evaluation" selected>' in transitions
    assert '<details class="ds-details app-transition-reason" open>' in transitions
    world.procurement.refresh_from_db()
    assert world.procurement.state == phases.CONTRACT

    # The coordinator sends it: procurement's own transition.
    response = client.post(
        reverse("procurement_transition", args=[world.procurement.pk, "reopen"]),
        {"phase": form.initial["phase"], "reason": form.initial["reason"]},
    )
    assert response.status_code == 302
    world.procurement.refresh_from_db()
    assert world.procurement.state == phases.EVALUATION
    for signoff in award_signatures:
        signoff.refresh_from_db()
        assert signoff.void_reason == VoidReason.REOPENED == "reopened"
        assert signoff.voided_at is not None
    change = PhaseChange.objects.get(procurement=world.procurement, kind="reopen")
    assert (change.from_state, change.to_state, change.reason) == ("contract", "evaluation", query["grunn"][0])
    assert AuditEntry.objects.filter(procurement=world.procurement, action="signoff.voided").exists()

    html = client.get(_detail(world)).content.decode()
    timeline = html[html.index('id="tidslinje"') : html.index("</section>", html.index('id="tidslinje"'))]
    assert "Åpnet igjen" in timeline and "er tatt til følge: Prisen skal regnes på nytt." in unescape(timeline)
    # Answered: the way back is no longer offered.
    assert "Gå tilbake til evaluering" not in _section(html)


def test_the_way_back_is_only_offered_to_those_who_may_reopen(client, world):
    complaint = _complaint(world)
    complaint_resolve(user=world.coordinator, complaint=complaint, outcome="upheld", resolution="Tatt til følge.")
    client.force_login(world.chief)
    section = _section(client.get(_detail(world)).content.decode())
    assert "Tatt til følge." in section
    assert "Gå tilbake til evaluering" not in section


@pytest.mark.parametrize(
    ("query", "initial"),
    [
        ({"fase": "evaluation", "grunn": "Klagen er tatt til følge."}, {"phase": "evaluation", "reason": "Klagen er tatt til følge."}),
        ({"fase": "acceptance_test", "grunn": "Fram i tid"}, {"reason": "Fram i tid"}),  # not an earlier phase
        ({"fase": "<script>", "grunn": "  "}, {}),
        ({"grunn": "x" * 10_000}, {"reason": "x" * 2000}),
        ({"grunn": "a\x00b"}, {"reason": "ab"}),
    ],
)
def test_the_reopen_form_takes_only_sensible_values_from_the_address(client, world, query, initial):
    client.force_login(world.coordinator)
    response = client.get(_detail(world), query)
    assert response.status_code == 200
    assert response.context["reopen_form"].initial == initial
