"""Deadlines the coordinator sets (procurement/services/deadlines.py and its views): who may
set, complete and remove them, what is refused and in which words, how a phase deadline
ends with its phase, and where the deadlines show up (the dashboard's next deadline, the
reminder e-mails, the procurement page)."""
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AuditEntry
from procurement import phases
from procurement.exceptions import DeadlineDerived
from procurement.models import Deadline, DeadlineKind
from procurement.selectors.dashboard import procurement_list
from procurement.services.deadlines import deadline_add, deadline_complete, deadline_remove
from procurement.services.lifecycle import procurement_transition

pytestmark = pytest.mark.django_db


def _today(world):
    return timezone.localdate(timezone=world.collaboration.tzinfo)


def _in(world, days: int):
    return _today(world) + timedelta(days=days)


@pytest.fixture
def needs(collaboration, make_procurement):
    """A procurement of ``collaboration`` in the needs phase; its invitation deadline is done."""
    return make_procurement(collaboration, phase=phases.NEEDS, title="Felles fagsystem for barnevern")


def _add(world, procurement, *, title="Styringsgruppemøte", days=5, phase="", user=None):
    return deadline_add(
        user=user or world.coordinator, procurement=procurement, title=title, due_date=_in(world, days), phase=phase
    )


def _entries(procurement, prefix="deadline."):
    return list(AuditEntry.objects.filter(procurement=procurement, action__startswith=prefix).order_by("id"))


# --------------------------------------------------------------------------- adding


def test_the_coordinator_adds_a_phase_deadline_and_an_ordinary_one(collaboration, needs):
    phase_deadline = _add(collaboration, needs, title="Behovene er kartlagt", days=10, phase=phases.NEEDS)
    other = _add(collaboration, needs, title="Møte i SuksIT", days=3)

    assert (phase_deadline.kind, phase_deadline.phase, phase_deadline.done_at) == (DeadlineKind.PHASE, phases.NEEDS, None)
    assert (other.kind, other.phase) == (DeadlineKind.OTHER, "")
    assert phase_deadline.due_date == _in(collaboration, 10)
    entries = _entries(needs)
    assert [e.action for e in entries] == ["deadline.added", "deadline.added"]
    assert entries[0].actor == collaboration.coordinator
    assert entries[0].message == (
        f"Ny frist «Behovene er kartlagt» ({_in(collaboration, 10):%d.%m.%Y}, fasen «Kartlegge behov»)."
    )
    assert entries[1].message == f"Ny frist «Møte i SuksIT» ({_in(collaboration, 3):%d.%m.%Y})."
    assert entries[0].data["phase"] == phases.NEEDS


def test_the_title_is_trimmed(collaboration, needs):
    assert _add(collaboration, needs, title="  Møte i RMU  ").title == "Møte i RMU"


@pytest.mark.parametrize("role", ["municipal_representative", "chief_executive", "user_representative"])
def test_only_a_manager_adds_a_deadline(collaboration, needs, role):
    person = collaboration.person(role, collaboration.municipalities[1])
    with pytest.raises(PermissionDenied):
        _add(collaboration, needs, user=person)
    assert not needs.deadlines.exclude(kind=DeadlineKind.INVITATION_ANSWER).exists()
    assert _entries(needs) == []


def test_the_coordinator_of_another_collaboration_may_not_add_one(collaboration, needs, make_collaboration):
    fosen = make_collaboration(1, name="Fosen")
    with pytest.raises(PermissionDenied):
        _add(collaboration, needs, user=fosen.coordinator)


def test_a_date_in_the_past_is_refused_in_norwegian(collaboration, needs):
    with pytest.raises(ValidationError) as error:
        _add(collaboration, needs, days=-1)
    assert error.value.message_dict == {"due_date": ["Fristen kan ikke være tilbake i tid."]}
    assert _entries(needs) == []


def test_a_date_in_the_past_is_refused_in_english_for_an_english_reader(collaboration, needs):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        _add(collaboration, needs, days=-1)
    assert error.value.message_dict == {"due_date": ["The deadline cannot be in the past."]}


def test_today_is_not_in_the_past(collaboration, needs):
    assert _add(collaboration, needs, days=0).due_date == _today(collaboration)


def test_the_past_is_judged_by_the_collaborations_calendar(collaboration, needs):
    """23:30 UTC on 1 March is already 2 March in Oslo but still 1 March in New York."""
    instant = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    first_of_march = datetime(2026, 3, 1).date()
    with mock.patch("django.utils.timezone.now", return_value=instant):
        with pytest.raises(ValidationError) as error:
            deadline_add(user=collaboration.coordinator, procurement=needs, title="Frist", due_date=first_of_march)
        assert "due_date" in error.value.message_dict
        collaboration.collaboration.time_zone = "America/New_York"
        collaboration.collaboration.save()
        deadline = deadline_add(user=collaboration.coordinator, procurement=needs, title="Frist", due_date=first_of_march)
    assert deadline.due_date == first_of_march


@pytest.mark.parametrize(
    ("title", "message"),
    [("", "Skriv hva fristen gjelder."), ("   ", "Skriv hva fristen gjelder."), ("x" * 201, "Skriv høyst 200 tegn (nå 201).")],
    ids=["empty", "blank", "too-long"],
)
def test_the_title_is_required_and_at_most_200_characters(collaboration, needs, title, message):
    with pytest.raises(ValidationError) as error:
        _add(collaboration, needs, title=title)
    assert error.value.message_dict == {"title": [message]}


def test_200_characters_are_enough(collaboration, needs):
    assert len(_add(collaboration, needs, title="x" * 200).title) == 200


def test_a_phase_before_the_current_one_is_refused(collaboration, needs, advance_to):
    advance_to(needs, phases.TARGET_PICTURE)
    with pytest.raises(ValidationError) as error:
        _add(collaboration, needs, phase=phases.NEEDS)
    assert error.value.message_dict == {
        "phase": ["Fasen «Kartlegge behov» er fullført. Velg fasen anskaffelsen står i eller en senere fase."]
    }
    # The current phase and later ones are fine.
    assert _add(collaboration, needs, phase=phases.TARGET_PICTURE).phase == phases.TARGET_PICTURE
    assert _add(collaboration, needs, phase=phases.CONTRACT).phase == phases.CONTRACT


def test_an_unknown_phase_is_refused(collaboration, needs):
    for phase in ("intake", "closed", "no-such-phase"):
        with pytest.raises(ValidationError) as error:
            _add(collaboration, needs, phase=phase)
        assert error.value.message_dict == {"phase": ["Ukjent fase."]}


def test_in_intake_every_phase_is_still_to_come(collaboration, make_procurement):
    procurement = make_procurement(collaboration)
    assert _add(collaboration, procurement, phase=phases.NEEDS).phase == phases.NEEDS


def test_all_errors_come_at_once(collaboration, needs):
    with pytest.raises(ValidationError) as error:
        deadline_add(user=collaboration.coordinator, procurement=needs, title="", due_date=_in(collaboration, -3), phase="x")
    assert set(error.value.message_dict) == {"title", "due_date", "phase"}


def test_no_deadline_for_a_cancelled_procurement(collaboration, needs):
    procurement_transition(user=collaboration.coordinator, procurement_id=needs.pk, transition="cancel", reason="Dekket.")
    with pytest.raises(ValidationError) as error:
        _add(collaboration, needs)
    assert error.value.messages == ["Anskaffelsen er avsluttet."]


def test_a_phase_deadline_must_have_a_phase_and_only_it_may():
    bad = [
        Deadline(kind=DeadlineKind.PHASE, phase="", title="x", due_date=timezone.localdate()),
        Deadline(kind=DeadlineKind.OTHER, phase=phases.NEEDS, title="x", due_date=timezone.localdate()),
    ]
    for deadline in bad:
        with pytest.raises(ValidationError):
            deadline.validate_constraints()


# --------------------------------------------------------------------------- completing and removing


def test_completing_is_idempotent(collaboration, needs):
    deadline = _add(collaboration, needs)
    first = deadline_complete(user=collaboration.coordinator, deadline=deadline)
    second = deadline_complete(user=collaboration.coordinator, deadline=deadline)

    assert first.done_at is not None
    assert second.done_at == first.done_at
    deadline.refresh_from_db()
    assert deadline.done_at == first.done_at
    assert [e.action for e in _entries(needs)] == ["deadline.added", "deadline.completed"]
    assert _entries(needs)[-1].message == f"Fristen «Styringsgruppemøte» ({_in(collaboration, 5):%d.%m.%Y}) er markert som ferdig."


def test_only_a_manager_completes_or_removes(collaboration, needs):
    deadline = _add(collaboration, needs)
    member = collaboration.representative(collaboration.municipalities[0])
    with pytest.raises(PermissionDenied):
        deadline_complete(user=member, deadline=deadline)
    with pytest.raises(PermissionDenied):
        deadline_remove(user=member, deadline=deadline)
    deadline.refresh_from_db()
    assert deadline.done_at is None
    assert [e.action for e in _entries(needs)] == ["deadline.added", "deadline.refused", "deadline.refused"]


def test_removing_a_deadline(collaboration, needs):
    deadline = _add(collaboration, needs, phase=phases.NEEDS)
    deadline_remove(user=collaboration.coordinator, deadline=deadline)

    assert not Deadline.objects.filter(pk=deadline.pk).exists()
    entry = _entries(needs)[-1]
    assert (entry.action, entry.actor) == ("deadline.removed", collaboration.coordinator)
    assert entry.message == f"Fristen «Styringsgruppemøte» ({_in(collaboration, 5):%d.%m.%Y}, fasen «Kartlegge behov») er fjernet."


def test_the_invitation_deadline_cannot_be_removed(collaboration, make_procurement):
    procurement = make_procurement(collaboration, joined=collaboration.municipalities[:1], unanswered=collaboration.municipalities[1:])
    invitation = procurement.deadlines.get(kind=DeadlineKind.INVITATION_ANSWER)
    with pytest.raises(DeadlineDerived, match="^Svarfristen for invitasjonen kan ikke fjernes. Den følger invitasjonene.$"):
        deadline_remove(user=collaboration.coordinator, deadline=invitation)
    assert Deadline.objects.filter(pk=invitation.pk).exists()
    assert [e.action for e in _entries(procurement)] == ["deadline.refused"]


def test_a_derived_deadline_is_neither_completed_nor_removed_by_hand(client, collaboration, needs):
    """The standstill end, a tender date, a contract's end: computed from their rule and
    inputs. Over HTTP the coordinator gets a clear refusal, the row is unchanged, the refusal
    is in the log, and the page offers no buttons for it."""
    from procurement.services.deadlines import rule_deadline_set

    derived = rule_deadline_set(
        procurement=needs, kind=DeadlineKind.OTHER, rule="contract_terms", key="test", title="Avledet frist", due_date=_in(collaboration, 3)
    )
    typed = _add(collaboration, needs)
    client.force_login(collaboration.coordinator)
    for name in ("deadline_complete", "deadline_remove"):
        response = client.post(reverse(name, args=[needs.pk, derived.pk]), follow=True)
        assert response.status_code == 200
        assert "regnes ut av systemet" in response.content.decode()
        derived.refresh_from_db()
        assert derived.done_at is None
    assert [e.action for e in _entries(needs)] == ["deadline.added", "deadline.refused", "deadline.refused"]
    page = client.get(reverse("procurement_detail", args=[needs.pk])).content.decode()
    assert reverse("deadline_complete", args=[needs.pk, typed.pk]) in page
    assert reverse("deadline_complete", args=[needs.pk, derived.pk]) not in page
    assert reverse("deadline_remove", args=[needs.pk, derived.pk]) not in page
    assert "Regnes ut av systemet" in page


def test_a_done_deadline_stays_on_record(collaboration, needs):
    deadline = deadline_complete(user=collaboration.coordinator, deadline=_add(collaboration, needs))
    with pytest.raises(ValidationError):
        deadline_remove(user=collaboration.coordinator, deadline=deadline)
    assert Deadline.objects.filter(pk=deadline.pk).exists()


# --------------------------------------------------------------------------- phases end their deadlines


def test_leaving_a_phase_ends_its_deadlines_only(collaboration, needs, fill_deliverables):
    this_phase = _add(collaboration, needs, title="Behovene er kartlagt", phase=phases.NEEDS)
    next_phase = _add(collaboration, needs, title="Målbildet er klart", phase=phases.TARGET_PICTURE)
    later = _add(collaboration, needs, title="SuksIT-møte: go/no-go", phase=phases.STRATEGY)
    other = _add(collaboration, needs, title="Budsjettmøte")
    fill_deliverables(needs)

    procurement_transition(user=collaboration.coordinator, procurement_id=needs.pk, transition="complete_phase")

    done = {d.title: d.done_at is not None for d in Deadline.objects.filter(pk__in=[this_phase.pk, next_phase.pk, later.pk, other.pk])}
    assert done == {
        "Behovene er kartlagt": True,
        "Målbildet er klart": False,
        "SuksIT-møte: go/no-go": False,
        "Budsjettmøte": False,
    }


def test_an_ended_procurement_has_no_open_deadlines(collaboration, needs):
    _add(collaboration, needs, phase=phases.STRATEGY)
    _add(collaboration, needs)
    procurement_transition(user=collaboration.coordinator, procurement_id=needs.pk, transition="cancel", reason="Dekket.")
    assert not needs.deadlines.filter(done_at__isnull=True).exists()


# --------------------------------------------------------------------------- the dashboard and reminders


def test_the_dashboard_shows_the_earliest_open_deadline(client, collaboration, needs):
    done = _add(collaboration, needs, title="Allerede holdt", days=1)
    deadline_complete(user=collaboration.coordinator, deadline=done)
    _add(collaboration, needs, title="Senere", days=20, phase=phases.TARGET_PICTURE)
    _add(collaboration, needs, title="Neste", days=4, phase=phases.NEEDS)

    (row,) = [r for r in procurement_list(user=collaboration.coordinator) if r.procurement.pk == needs.pk]
    assert row.next_deadline == _in(collaboration, 4)

    client.force_login(collaboration.coordinator)
    page = client.get(reverse("dashboard")).content.decode()
    assert f"{_in(collaboration, 4):%d.%m.%Y}" in page
    assert f"{_in(collaboration, 1):%d.%m.%Y}" not in page


def test_a_procurement_in_a_phase_without_deadlines_has_none_on_the_dashboard(collaboration, needs):
    (row,) = [r for r in procurement_list(user=collaboration.coordinator) if r.procurement.pk == needs.pk]
    assert row.next_deadline is None  # the invitation deadline ended when it started


def test_the_managers_are_reminded_of_a_phase_deadline_within_the_window(settings, collaboration, needs, mailoutbox):
    from notifications.models import Event
    from notifications.reminders import reminders_sweep
    from notifications.services import outbox_deliver_pending

    settings.REMINDER_OFFSETS = [3]
    _add(collaboration, needs, title="Behovene er kartlagt", days=2, phase=phases.NEEDS)
    _add(collaboration, needs, title="Målbildet er klart", days=10, phase=phases.TARGET_PICTURE)
    Event.objects.update(expanded_at=timezone.now())  # the set-up's notifications are not counted here

    assert len(reminders_sweep()) == 1
    assert outbox_deliver_pending() == 1
    (message,) = mailoutbox
    assert message.to == [collaboration.coordinator.email]
    assert "Behovene er kartlagt" in message.subject and needs.title in message.subject
    assert reminders_sweep() == []  # once per person, deadline and offset


# --------------------------------------------------------------------------- the views


def _post_add(client, procurement, **data):
    return client.post(reverse("deadline_add", args=[procurement.pk]), data)


def _form(world, **overrides):
    return {"title": "RMU-møte: tildeling", "due_date": _in(world, 12).isoformat(), "phase": "", **overrides}


def test_the_coordinator_adds_a_deadline_on_the_page(client, collaboration, needs):
    client.force_login(collaboration.coordinator)
    response = _post_add(client, needs, **_form(collaboration, phase=phases.NEEDS))

    assert response.status_code == 302
    assert response["Location"] == reverse("procurement_detail", args=[needs.pk]) + "#frister"
    deadline = needs.deadlines.get(title="RMU-møte: tildeling")
    assert (deadline.phase, deadline.due_date) == (phases.NEEDS, _in(collaboration, 12))
    page = client.get(response["Location"]).content.decode()
    assert "Fristen «RMU-møte: tildeling» er lagt til" in page
    assert reverse("deadline_complete", args=[needs.pk, deadline.pk]) in page
    assert reverse("deadline_remove", args=[needs.pk, deadline.pk]) in page


def test_a_form_error_is_shown_next_to_the_field_and_nothing_is_saved(client, collaboration, needs):
    client.force_login(collaboration.coordinator)
    before = needs.deadlines.count()
    response = _post_add(client, needs, **_form(collaboration, due_date=_in(collaboration, -1).isoformat()))

    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="error-summary"' in page
    assert '<a class="ds-link" href="#id_deadline_due_date">Fristen kan ikke være tilbake i tid.</a>' in page
    assert '<div class="ds-validation-message" data-field="validation" id="id_deadline_due_date_error"><p>Fristen kan ikke være tilbake i tid.</p></div>' in page
    assert 'value="RMU-møte: tildeling"' in page  # what was typed is kept
    assert needs.deadlines.count() == before
    assert _entries(needs) == []


def test_an_earlier_phase_is_refused_next_to_the_phase_field(client, collaboration, needs, advance_to):
    advance_to(needs, phases.TARGET_PICTURE)
    client.force_login(collaboration.coordinator)
    response = _post_add(client, needs, **_form(collaboration, phase=phases.NEEDS))
    assert response.status_code == 400
    assert 'id="id_deadline_phase_error"' in response.content.decode()
    assert not needs.deadlines.filter(title="RMU-møte: tildeling").exists()


def test_a_non_manager_gets_403_before_the_form_is_read(client, collaboration, needs):
    client.force_login(collaboration.representative(collaboration.municipalities[0]))
    assert _post_add(client, needs, title="").status_code == 403
    assert _post_add(client, needs, **_form(collaboration)).status_code == 403
    assert not needs.deadlines.filter(title="RMU-møte: tildeling").exists()


def test_someone_who_may_not_see_the_procurement_gets_404(client, collaboration, needs, make_collaboration):
    fosen = make_collaboration(1, name="Fosen")
    deadline = _add(collaboration, needs)
    client.force_login(fosen.coordinator)
    assert _post_add(client, needs, **_form(collaboration)).status_code == 404
    assert client.post(reverse("deadline_complete", args=[needs.pk, deadline.pk])).status_code == 404
    assert client.post(reverse("deadline_remove", args=[needs.pk, deadline.pk])).status_code == 404
    deadline.refresh_from_db()
    assert deadline.done_at is None


def test_a_deadline_of_another_procurement_is_404(client, collaboration, needs, make_procurement):
    other = make_procurement(collaboration, phase=phases.NEEDS, title="Et annet system")
    foreign = _add(collaboration, other)
    client.force_login(collaboration.coordinator)
    assert client.post(reverse("deadline_complete", args=[needs.pk, foreign.pk])).status_code == 404
    assert client.post(reverse("deadline_remove", args=[needs.pk, foreign.pk])).status_code == 404
    foreign.refresh_from_db()
    assert foreign.done_at is None


def test_the_forms_accept_only_post(client, collaboration, needs):
    deadline = _add(collaboration, needs)
    client.force_login(collaboration.coordinator)
    for url in (
        reverse("deadline_add", args=[needs.pk]),
        reverse("deadline_complete", args=[needs.pk, deadline.pk]),
        reverse("deadline_remove", args=[needs.pk, deadline.pk]),
    ):
        assert client.get(url).status_code == 405


def test_completing_and_removing_on_the_page(client, collaboration, needs):
    first = _add(collaboration, needs, title="Første")
    second = _add(collaboration, needs, title="Andre")
    client.force_login(collaboration.coordinator)

    response = client.post(reverse("deadline_complete", args=[needs.pk, first.pk]), follow=True)
    assert "Fristen «Første» er markert som ferdig." in response.content.decode()
    first.refresh_from_db()
    assert first.done_at is not None

    response = client.post(reverse("deadline_remove", args=[needs.pk, second.pk]), follow=True)
    assert "Fristen «Andre» er fjernet." in response.content.decode()
    assert not Deadline.objects.filter(pk=second.pk).exists()


def test_a_non_manager_may_not_complete_or_remove(client, collaboration, needs):
    deadline = _add(collaboration, needs)
    client.force_login(collaboration.chief_executive(collaboration.municipalities[1]))
    assert client.post(reverse("deadline_complete", args=[needs.pk, deadline.pk])).status_code == 403
    assert client.post(reverse("deadline_remove", args=[needs.pk, deadline.pk])).status_code == 403
    deadline.refresh_from_db()
    assert deadline.done_at is None


def test_removing_the_invitation_deadline_is_refused_with_a_message(client, collaboration, make_procurement):
    procurement = make_procurement(collaboration, joined=collaboration.municipalities[:1], unanswered=collaboration.municipalities[1:])
    invitation = procurement.deadlines.get(kind=DeadlineKind.INVITATION_ANSWER)
    client.force_login(collaboration.coordinator)
    page = client.post(reverse("deadline_remove", args=[procurement.pk, invitation.pk]), follow=True).content.decode()
    assert "Svarfristen for invitasjonen kan ikke fjernes." in page
    assert Deadline.objects.filter(pk=invitation.pk).exists()
    # The page offers no button for it either.
    assert reverse("deadline_remove", args=[procurement.pk, invitation.pk]) not in page


def test_an_overdue_deadline_says_so_in_words(client, collaboration, needs):
    deadline = _add(collaboration, needs, title="Gått ut")
    Deadline.objects.filter(pk=deadline.pk).update(due_date=_in(collaboration, -2))
    client.force_login(collaboration.coordinator)
    page = client.get(reverse("procurement_detail", args=[needs.pk])).content.decode()
    row = page[page.index(f'id="frist-{deadline.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Passert" in row


def test_only_managers_see_the_deadline_controls(client, collaboration, needs):
    deadline = _add(collaboration, needs, title="Synlig for alle")
    client.force_login(collaboration.user_representative(collaboration.municipalities[0]))
    page = client.get(reverse("procurement_detail", args=[needs.pk])).content.decode()
    assert "Synlig for alle" in page
    assert reverse("deadline_add", args=[needs.pk]) not in page
    assert reverse("deadline_complete", args=[needs.pk, deadline.pk]) not in page

    client.force_login(collaboration.coordinator)
    page = client.get(reverse("procurement_detail", args=[needs.pk])).content.decode()
    assert reverse("deadline_add", args=[needs.pk]) in page
    assert 'id="id_deadline_phase"' in page


def test_posting_to_an_ended_procurement_says_why(client, collaboration, needs):
    procurement_transition(user=collaboration.coordinator, procurement_id=needs.pk, transition="cancel", reason="Dekket.")
    client.force_login(collaboration.coordinator)
    response = _post_add(client, needs, **_form(collaboration))
    assert response.status_code == 302
    assert "Anskaffelsen er avsluttet." in client.get(response["Location"]).content.decode()
    assert not needs.deadlines.filter(title="RMU-møte: tildeling").exists()
    page = client.get(reverse("procurement_detail", args=[needs.pk])).content.decode()
    assert reverse("deadline_add", args=[needs.pk]) not in page


def test_the_record_is_in_bokmaal_whatever_the_reader_reads(collaboration, needs):
    with translation.override("en"):
        _add(collaboration, needs, title="Behovene er kartlagt", days=10, phase=phases.NEEDS)
    assert _entries(needs)[-1].message.endswith("fasen «Kartlegge behov»).")
