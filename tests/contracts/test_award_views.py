"""The award section of the procurement page and the POSTs that record and withdraw the award
notice: who sees what, who may write (403 and nothing written for the others), hostile
input answered with 400 and the message next to the field, the way back to the section, the
e-mail to the coordinators, and a section that costs the same number of queries whatever it
holds."""
import re
from dataclasses import dataclass, replace
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEntry
from contracts.models import AwardNotice, AwardNoticeState, Complaint
from contracts.selectors import award_section
from contracts.services import award_notice_send, award_notice_withdraw, complaint_register, complaint_resolve
from municipalities.models import Person
from municipalities.roles import Role
from procurement import phases
from procurement.models import Deadline, DeadlineKind, Procurement
from tests.conftest import make_collaboration, make_procurement, person_with_role
from tests.shared_data import built_once_per_module, fresh

pytestmark = pytest.mark.django_db

BIGINT_OVERFLOW = 2**63  # one past the largest id a database row can have


@dataclass
class World:
    shared: object
    procurement: Procurement
    coordinator: Person
    buyer: Person
    municipality_chief: Person
    committee_chief: Person
    user_representative: Person
    evaluator: Person
    outsider: Person
    elsewhere: object  # another collaboration (the outsider coordinates it)

    @property
    def today(self):
        return self.procurement.collaboration.today()


def _build() -> World:
    shared = make_collaboration(2, name="Kongsbergregionen")
    first = shared.municipalities[0]
    procurement = make_procurement(shared, phase=phases.CONTRACT, title="Felles velferdsteknologi")
    elsewhere = make_collaboration(2, name="Fosen")
    return World(
        shared=shared,
        procurement=procurement,
        coordinator=shared.coordinator,
        buyer=person_with_role(Role.REGIONAL_BUYER, body=shared.bodies["steering_group"], first_name="Innkjøper"),
        municipality_chief=shared.chief_executive(first),
        committee_chief=shared.rmu_chief,
        user_representative=shared.user_representative(first),
        evaluator=person_with_role(Role.EVALUATOR, municipality=first, first_name="Evaluator"),
        outsider=elsewhere.coordinator,
        elsewhere=elsewhere,
    )


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    yield from built_once_per_module(django_db_blocker, _build)


@pytest.fixture
def world(db, _world) -> World:
    rows = {name: fresh(value) for name, value in vars(_world).items() if isinstance(value, (Procurement, Person))}
    return replace(_world, **rows)


def _detail(world) -> str:
    return reverse("procurement_detail", args=[world.procurement.pk])


def _send_url(world) -> str:
    return reverse("award_notice_send", args=[world.procurement.pk])


def _valid(world, **overrides) -> dict:
    return {"sent_on": world.today.isoformat(), "channel": "electronic", "standstill_days": "10", "note": "", **overrides}


def _section(html: str) -> str:
    start = html.index('<section class="app-section app-award" id="tildeling"')
    return html[start : html.index("</section>", start)]


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def _follow_messages(client, response) -> list[str]:
    return _messages(client.get(response["Location"]))


# --------------------------------------------------------------------------------------
# The section on the page
# --------------------------------------------------------------------------------------


def test_section_shows_the_notice_the_standstill_and_the_minimum(client, world):
    award_notice_send(
        user=world.coordinator,
        procurement=world.procurement,
        sent_on=world.today - timedelta(days=2),
        standstill_days=14,
        note="Sendt til alle tre tilbyderne.",
    )
    notice = AwardNotice.objects.get(procurement=world.procurement)
    client.force_login(world.user_representative)
    html = client.get(_detail(world)).content.decode()
    section = _section(html)
    assert 'href="#tildeling"' in html  # the table of contents links to it
    assert "Tildeling og karensperiode" in section
    assert f"{notice.sent_on:%d.%m.%Y}" in section and "(elektronisk)" in section
    assert "14 dager" in section
    assert f"{notice.standstill_ends_on:%d.%m.%Y}" in section
    assert "Karensperioden løper fortsatt." in section
    assert f"Kontrakten kan signeres fra {notice.standstill_ends_on + timedelta(days=1):%d.%m.%Y}" in section
    assert "Minste karensperiode (elektronisk): 10 dager (kilde: FOA § 25-2 (del III); legal.md)." in section
    assert "Ikke bekreftet i kilden" in section
    assert "En lengre periode er valgt." in section
    assert "Sendt til alle tre tilbyderne." in section
    # A user representative reads it but gets no forms.
    assert "<form" not in section


def test_an_ended_standstill_is_said_in_words(client, world, meet_conditions):
    meet_conditions(world.procurement)  # sent 30 days ago
    client.force_login(world.coordinator)
    section = _section(client.get(_detail(world)).content.decode())
    assert "Karensperioden er over." in section
    assert "karensperioden er over og ingen klage er til behandling." in section


def test_without_a_notice_the_form_proposes_the_legal_minimum(client, world):
    client.force_login(world.coordinator)
    response = client.get(_detail(world))
    section = _section(response.content.decode())
    assert "Meddelelsen om tildeling er ikke registrert." in section
    assert "Minste karensperiode (brev eller annet): 15 dager" in section
    form = response.context["award"].notice_form
    assert form.fields["standstill_days"].initial == 10
    assert form.fields["sent_on"].initial == world.today
    assert re.search(r'name="standstill_days" value="10"', section)


@pytest.mark.parametrize(
    ("phase", "shown"),
    [(phases.TENDER_DOCUMENTS, False), (phases.EVALUATION, True), (phases.CONTRACT, True), (phases.ACCEPTANCE_TEST, True)],
)
def test_section_is_part_of_the_page_from_evaluation_on(client, make_collaboration, make_procurement, phase, shown):
    shared = make_collaboration(2)
    procurement = make_procurement(shared, phase=phase)
    client.force_login(shared.coordinator)
    html = client.get(reverse("procurement_detail", args=[procurement.pk])).content.decode()
    assert ('id="tildeling"' in html) is shown
    assert ('href="#tildeling"' in html) is shown
    if shown:
        forms_offered = phase in (phases.EVALUATION, phases.CONTRACT)
        assert ("<form" in _section(html)) is forms_offered
        assert ("kan bare endres i fasene evaluering og kontrakt" in _section(html)) is not forms_offered


def test_section_has_no_inline_styles_scripts_or_handlers(client, world):
    complaint_register(
        user=world.coordinator, procurement=world.procurement, received_on=world.today, complainant="A" * 200, summary="B" * 5000
    )
    client.force_login(world.coordinator)
    response = client.post(_send_url(world), _valid(world, standstill_days="NaN"))
    assert response.status_code == 400
    section = _section(response.content.decode())
    assert "style=" not in section
    assert "<script" not in section
    assert not re.search(r"\son[a-z]+=", section)


# --------------------------------------------------------------------------------------
# Who may record and withdraw
# --------------------------------------------------------------------------------------

MAY_RECORD = [("coordinator", True), ("buyer", True)]
MAY_NOT = [("municipality_chief", False), ("committee_chief", False), ("user_representative", False), ("evaluator", False)]


@pytest.mark.parametrize(("who", "allowed"), MAY_RECORD + MAY_NOT)
def test_who_may_record_the_notice(client, world, who, allowed):
    client.force_login(getattr(world, who))
    assert client.get(_detail(world)).status_code == 200  # everyone here sees the procurement
    response = client.post(_send_url(world), _valid(world))
    if allowed:
        assert response.status_code == 302
        assert response["Location"] == _detail(world) + "#tildeling"
        assert AwardNotice.objects.filter(procurement=world.procurement, sent_by=getattr(world, who)).count() == 1
    else:
        assert response.status_code == 403
        assert not AwardNotice.objects.filter(procurement=world.procurement).exists()
        assert not AuditEntry.objects.filter(action="award_notice.sent").exists()


@pytest.mark.parametrize(("who", "allowed"), MAY_RECORD + MAY_NOT)
def test_who_may_withdraw_the_notice(client, world, who, allowed):
    notice = award_notice_send(user=world.coordinator, procurement=world.procurement, sent_on=world.today)
    client.force_login(getattr(world, who))
    response = client.post(
        reverse("award_notice_withdraw", args=[world.procurement.pk, notice.pk]), {"reason": "Feil tilbyder nevnt."}
    )
    notice.refresh_from_db()
    assert response.status_code == (302 if allowed else 403)
    assert notice.state == (AwardNoticeState.WITHDRAWN if allowed else AwardNoticeState.SENT)


@pytest.mark.parametrize("who", [name for name, _ in MAY_NOT])
def test_a_form_with_errors_is_still_403_for_those_who_may_not_write(client, world, who):
    """Permission before form: nobody gets errors to correct in a form they may not send."""
    client.force_login(getattr(world, who))
    assert client.post(_send_url(world), {"sent_on": "9999-12-31", "standstill_days": "NaN"}).status_code == 403


def test_someone_outside_the_collaboration_gets_404(client, world):
    client.force_login(world.outsider)
    assert client.post(_send_url(world), _valid(world)).status_code == 404
    assert not AwardNotice.objects.filter(procurement=world.procurement).exists()


def test_anonymous_is_sent_to_login_and_get_is_405(client, world):
    response = client.post(_send_url(world), _valid(world))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    client.force_login(world.coordinator)
    assert client.get(_send_url(world)).status_code == 405


# --------------------------------------------------------------------------------------
# Recording the notice
# --------------------------------------------------------------------------------------


def test_recording_the_notice(client, world, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_send_url(world), _valid(world, channel="other", standstill_days="15", note="Sendt i posten."))
    assert response.status_code == 302
    notice = AwardNotice.objects.get(procurement=world.procurement)
    assert (notice.channel, notice.standstill_days, notice.note) == ("other", 15, "Sendt i posten.")
    assert Deadline.objects.get(procurement=world.procurement, kind=DeadlineKind.STANDSTILL).due_date == notice.standstill_ends_on
    assert _follow_messages(client, response) == [
        f"Meddelelsen om tildeling er registrert. Karensperioden løper til og med {notice.standstill_ends_on:%d.%m.%Y}."
    ]
    # The coordinators of the collaboration are told, in bokmål, with a link to the section.
    subjects = {mail.subject for mail in mailoutbox}
    assert subjects == {"Meddelelse om tildeling er sendt: Felles velferdsteknologi"}
    recipients = {address for mail in mailoutbox for address in mail.to}
    assert recipients == {world.coordinator.email, world.buyer.email}
    assert "Karensperioden har begynt." in mailoutbox[0].body
    assert f"/anskaffelser/{world.procurement.pk}/#tildeling" in mailoutbox[0].body


HOSTILE_NOTICE = [
    # overrides, field, message
    ({"sent_on": "0001-01-01"}, "sent_on", "Datoen kan ikke være før anskaffelsen ble meldt inn ({created})."),
    ({"sent_on": "9999-12-31"}, "sent_on", "Meddelelsen kan ikke være sendt i fremtiden."),
    ({"sent_on": "2026-02-30"}, "sent_on", "Skriv en gyldig dato, for eksempel 31.12.2026."),
    ({"sent_on": "i går"}, "sent_on", "Skriv en gyldig dato, for eksempel 31.12.2026."),
    ({"sent_on": ""}, "sent_on", "Skriv datoen meddelelsen ble sendt."),
    ({"standstill_days": "-1"}, "standstill_days", "Karensperioden må være minst 1 dag."),
    ({"standstill_days": "0"}, "standstill_days", "Karensperioden må være minst 1 dag."),
    ({"standstill_days": "1e9"}, "standstill_days", "Skriv et helt tall."),
    ({"standstill_days": "NaN"}, "standstill_days", "Skriv et helt tall."),
    ({"standstill_days": "Infinity"}, "standstill_days", "Skriv et helt tall."),
    ({"standstill_days": "1000000000"}, "standstill_days", "Skriv høyst 60 dager."),
    ({"standstill_days": str(BIGINT_OVERFLOW)}, "standstill_days", "Skriv høyst 60 dager."),
    ({"standstill_days": "9"}, "standstill_days", "Karensperioden må være minst 10 dager."),  # the service's minimum
    ({"channel": "other", "standstill_days": "10"}, "standstill_days", "Karensperioden må være minst 15 dager."),
    ({"channel": "fax"}, "channel", "Velg hvordan meddelelsen ble sendt."),
    ({"note": "x" * 5001}, "note", "5000"),
]


@pytest.mark.parametrize(("overrides", "field", "message"), HOSTILE_NOTICE, ids=[f"{o}"[:40] for o, *_ in HOSTILE_NOTICE])
def test_hostile_notice_input_is_400_with_the_message_next_to_the_field(client, world, overrides, field, message):
    message = message.format(created=f"{world.procurement.created_at.astimezone(world.procurement.collaboration.tzinfo):%d.%m.%Y}")
    client.force_login(world.coordinator)
    response = client.post(_send_url(world), _valid(world, **overrides))
    assert response.status_code == 400
    form = response.context["award"].notice_form
    assert any(message in error for error in form.errors[field]), form.errors
    html = response.content.decode()
    section = _section(html)
    anchor = f"id_award_{field}"
    error_block = re.search(rf'id="{anchor}_error">(.*?)</div>', section, re.S)
    assert error_block and message in error_block.group(1).replace("&#x27;", "'")
    assert f'href="#{anchor}' in html  # the error summary links to the field
    assert "<details class=\"ds-details app-award__form\" open>" in section
    assert not AwardNotice.objects.filter(procurement=world.procurement).exists()


def test_what_was_typed_is_kept_on_an_error(client, world):
    client.force_login(world.coordinator)
    response = client.post(_send_url(world), _valid(world, standstill_days="9", note="Min merknad"))
    section = _section(response.content.decode())
    assert 'value="9"' in section and "Min merknad" in section


def test_a_second_notice_while_one_is_live_says_to_withdraw_first(client, world):
    award_notice_send(user=world.coordinator, procurement=world.procurement, sent_on=world.today)
    client.force_login(world.coordinator)
    response = client.post(_send_url(world), _valid(world))
    assert response.status_code == 400
    section = _section(response.content.decode())
    assert "Meddelelsen er allerede registrert. Trekk den tilbake først" in section
    assert AwardNotice.objects.filter(procurement=world.procurement).count() == 1


def test_a_notice_outside_evaluation_and_contract_is_refused_with_a_message(client, make_collaboration, make_procurement):
    shared = make_collaboration(2)
    procurement = make_procurement(shared, phase=phases.ACCEPTANCE_TEST)
    client.force_login(shared.coordinator)
    response = client.post(
        reverse("award_notice_send", args=[procurement.pk]),
        {"sent_on": procurement.collaboration.today().isoformat(), "channel": "electronic", "standstill_days": "10"},
    )
    assert response.status_code == 302
    assert _follow_messages(client, response) == ["Tildelingen og klagene kan bare endres i fasene evaluering og kontrakt."]
    assert AwardNotice.objects.filter(procurement=procurement).count() == 1  # the one advance_to recorded


# --------------------------------------------------------------------------------------
# Withdrawing it
# --------------------------------------------------------------------------------------


def _withdraw_url(world, notice_id) -> str:
    return reverse("award_notice_withdraw", args=[world.procurement.pk, notice_id])


def test_withdrawing_the_notice_and_again(client, world):
    notice = award_notice_send(user=world.coordinator, procurement=world.procurement, sent_on=world.today)
    client.force_login(world.coordinator)
    response = client.post(_withdraw_url(world, notice.pk), {"reason": "Tilbyder B manglet i listen."})
    assert response.status_code == 302 and response["Location"].endswith("#tildeling")
    assert _follow_messages(client, response) == [
        "Meddelelsen om tildeling er trukket tilbake. Karensperioden gjelder ikke lenger."
    ]
    notice.refresh_from_db()
    assert (notice.state, notice.withdrawn_reason) == (AwardNoticeState.WITHDRAWN, "Tilbyder B manglet i listen.")
    assert Deadline.objects.get(procurement=world.procurement, kind=DeadlineKind.STANDSTILL).done_at is not None

    section = _section(client.get(_detail(world)).content.decode())
    assert "Tilbyder B manglet i listen." in section
    assert "Registrer meddelelsen om tildeling" in section  # a new one can be sent

    # From an old page, with or without a reason: a clear message, nothing changes.
    for data in ({"reason": "En gang til."}, {}):
        again = client.post(_withdraw_url(world, notice.pk), data)
        assert again.status_code == 302
        assert _follow_messages(client, again) == ["Meddelelsen er allerede trukket tilbake."]
    notice.refresh_from_db()
    assert notice.withdrawn_reason == "Tilbyder B manglet i listen."


@pytest.mark.parametrize(("reason", "message"), [("", "Skriv hvorfor meddelelsen trekkes tilbake."), ("   ", "Skriv hvorfor"), ("x" * 5001, "5000")])
def test_withdrawing_without_a_proper_reason_is_400(client, world, reason, message):
    notice = award_notice_send(user=world.coordinator, procurement=world.procurement, sent_on=world.today)
    client.force_login(world.coordinator)
    response = client.post(_withdraw_url(world, notice.pk), {"reason": reason})
    assert response.status_code == 400
    assert any(message in error for error in response.context["award"].withdraw_form.errors["reason"])
    assert 'id="id_withdraw_reason_error"' in _section(response.content.decode())
    notice.refresh_from_db()
    assert notice.state == AwardNoticeState.SENT


def test_a_notice_of_another_procurement_or_out_of_range_is_404(client, world, make_procurement, meet_conditions):
    other = make_procurement(world.elsewhere, phase=phases.CONTRACT, title="Annen anskaffelse")
    meet_conditions(other, user=world.outsider)
    elsewhere = AwardNotice.objects.get(procurement=other)
    client.force_login(world.coordinator)
    for notice_id in (elsewhere.pk, 0, BIGINT_OVERFLOW, 10**30):
        response = client.post(_withdraw_url(world, notice_id), {"reason": "Forsøk."})
        assert response.status_code == 404, notice_id
    elsewhere.refresh_from_db()
    assert elsewhere.state == AwardNoticeState.SENT
    response = client.post(reverse("award_notice_send", args=[BIGINT_OVERFLOW]), _valid(world))
    assert response.status_code == 404


# --------------------------------------------------------------------------------------
# Fixed number of queries
# --------------------------------------------------------------------------------------


def _page_queries(client, world) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_detail(world))
    assert response.status_code == 200
    return len(queries)


def _fill(world, *, rounds: int) -> None:
    """ROUNDS withdrawn notices and a live one; per round an open, an upheld and a
    dismissed complaint: every kind of row the section shows."""
    AwardNotice.objects.filter(procurement=world.procurement, state=AwardNoticeState.SENT).exists() and award_notice_withdraw(
        user=world.coordinator,
        notice=AwardNotice.objects.get(procurement=world.procurement, state=AwardNoticeState.SENT),
        reason="Ny runde.",
    )
    for number in range(rounds):
        notice = award_notice_send(user=world.coordinator, procurement=world.procurement, sent_on=world.today)
        award_notice_withdraw(user=world.coordinator, notice=notice, reason=f"Feil nummer {number}.")
        for outcome in ("open", "upheld", "dismissed"):
            complaint = complaint_register(
                user=world.coordinator,
                procurement=world.procurement,
                received_on=world.today,
                complainant=f"Leverandør {number} {outcome}",
                summary="Uenig i poengene.",
            )
            if outcome != "open":
                complaint_resolve(user=world.coordinator, complaint=complaint, outcome=outcome, resolution="Avgjort.")
    award_notice_send(user=world.coordinator, procurement=world.procurement, sent_on=world.today)


@pytest.mark.parametrize("who", ["coordinator", "user_representative"])
def test_section_costs_the_same_number_of_queries_whatever_it_holds(client, world, who):
    client.force_login(getattr(world, who))
    _fill(world, rounds=1)
    _page_queries(client, world)  # warm the caches (content types, session)
    small = _page_queries(client, world)
    person = getattr(world, who)
    award_section(user=person, procurement=world.procurement)  # the person's global permissions, cached on it
    with CaptureQueriesContext(connection) as section_small:
        award_section(user=person, procurement=world.procurement)
    _fill(world, rounds=6)
    assert Complaint.objects.filter(procurement=world.procurement).count() == 21
    large = _page_queries(client, world)
    with CaptureQueriesContext(connection) as section_large:
        section = award_section(user=person, procurement=world.procurement)
    assert len(section.complaints) == 21 and len(section.withdrawn) == 8
    assert large == small
    # Two for the permissions, notices, complaints, their documents, the minimum in force, the
    # live notice's letters to the tenderers, and (once a complaint is upheld, for those who may
    # go back) the reopen lookup.
    assert len(section_large) == len(section_small) == (8 if who == "coordinator" else 7), [q["sql"] for q in section_large]
