"""The messages in the app, the person's choices and their calendar addresses, through the
screens: every outbox row is in its recipient's list and nobody else's, the header counts
the unread ones, a kind chosen "only in the app" is delivered without e-mail, e-mails come in
the language the person chose, and a calendar address is a secret that can be revoked."""
from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from audit.actions import Action
from audit.models import AuditEntry
from meetings.services import meeting_plan
from municipalities.roles import Role
from notifications.models import CalendarFeed, NotificationSettings, Outbox
from notifications.reminders import reminders_sweep
from notifications.services import Message, outbox_add, outbox_deliver_pending
from procurement import phases
from procurement.models import Deadline
from procurement.services.deadlines import deadline_add
from tests.conftest import make_collaboration, make_procurement
from tests.shared_data import built_once_per_module, fresh

pytestmark = pytest.mark.django_db


def _build():
    shared = make_collaboration(2)
    procurement = make_procurement(shared, phase=phases.NEEDS, title="Felles arkivløsning")
    other = make_collaboration(2, name="Et annet samarbeid")
    hidden = make_procurement(other, phase=phases.NEEDS, title="Skjult anskaffelse")
    return shared, procurement, other, hidden


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    yield from built_once_per_module(django_db_blocker, _build)


@pytest.fixture
def world(db, _world):
    shared, procurement, other, hidden = _world
    # Tests change people (an address, active or not): start each from the database's rows.
    for person in (shared.coordinator, other.coordinator, *shared.people.values()):
        person.refresh_from_db()
    return shared, fresh(procurement), other, fresh(hidden)


def _rows(person, n, kind="notification:phase_changed", key="test"):
    outbox_add(
        Message(f"{key}:{i}:{person.pk}", kind, person.pk, f"Melding {i}", f"Tekst {i}.", None) for i in range(n)
    )


def test_the_list_shows_only_ones_own_messages_and_the_header_counts_the_unread(client, world):
    shared, _p, other, _h = world
    me, someone = shared.coordinator, other.coordinator
    _rows(me, 3)
    _rows(someone, 2, key="other")
    client.force_login(me)
    page = client.get(reverse("inbox")).content.decode()
    assert page.count('class="app-inbox__item') == 3
    assert "Melding 0" in page and "(3 uleste)" in page
    assert 'class="app-count" aria-hidden="true">3<' in page
    # Every page's header carries the count.
    assert "(3 uleste)" in client.get(reverse("dashboard")).content.decode()


def test_marking_one_and_then_all_read(client, world):
    me = world[0].coordinator
    _rows(me, 3)
    client.force_login(me)
    first = Outbox.objects.filter(recipient=me).order_by("pk").first()
    assert client.post(reverse("inbox_read"), {"message": first.pk}).status_code == 302
    assert Outbox.objects.filter(recipient=me, read_at__isnull=True).count() == 2
    client.post(reverse("inbox_read"), {"all": "1"})
    assert not Outbox.objects.filter(recipient=me, read_at__isnull=True).exists()
    assert "uleste" not in client.get(reverse("dashboard")).content.decode()


def test_someone_elses_or_a_tampered_message_id_is_not_touched(client, world):
    shared, _p, other, _h = world
    _rows(other.coordinator, 1, key="other")
    theirs = Outbox.objects.get(recipient=other.coordinator)
    client.force_login(shared.coordinator)
    assert client.post(reverse("inbox_read"), {"message": theirs.pk}).status_code == 302
    assert client.get(reverse("inbox_open", args=[theirs.pk])).status_code == 404
    for hostile in ("abc", "Infinity", "NaN", "1" * 40, "-1", "²"):  # "²".isdigit() is True
        assert client.post(reverse("inbox_read"), {"message": hostile}).status_code == 404
    assert Outbox.objects.get(pk=theirs.pk).read_at is None


def test_opening_a_message_goes_to_its_procurement_and_marks_it_read(client, world):
    shared, procurement, _o, _h = world
    me = shared.coordinator
    outbox_add([Message(f"open:{me.pk}", "notification:phase_changed", me.pk, "Ny fase", "Tekst.", procurement.pk)])
    row = Outbox.objects.get(recipient=me)
    client.force_login(me)
    response = client.get(reverse("inbox_open", args=[row.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("procurement_detail", args=[procurement.pk])
    assert Outbox.objects.get(pk=row.pk).read_at is not None


def test_a_kind_chosen_only_in_the_app_is_delivered_without_e_mail(client, world, mailoutbox):
    me = world[0].coordinator
    client.force_login(me)
    response = client.post(reverse("notification_settings"), {"language": "nb", "in_app_only": ["notification"]})
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(action=Action.NOTIFICATION_SETTINGS_SAVED, actor=me).get()
    assert "bare i løsningen: varsler om beslutninger" in entry.message
    _rows(me, 1, kind="notification:phase_changed")
    _rows(me, 1, kind="reminder:phase", key="reminder")
    assert outbox_deliver_pending() == 2
    channels = dict(Outbox.objects.filter(recipient=me).values_list("kind", "channel"))
    assert channels == {"notification:phase_changed": "in_app", "reminder:phase": "email"}
    assert [m.subject for m in mailoutbox] == ["Melding 0"] and mailoutbox[0].to == [me.email]
    page = client.get(reverse("inbox")).content.decode()
    assert "bare i løsningen" in page and "også sendt på e-post" in page


def test_someone_without_an_address_still_gets_what_they_chose_in_the_app(world, mailoutbox):
    me = world[0].coordinator
    me.email = ""
    me.save(update_fields=["email"])
    NotificationSettings.objects.create(person=me, in_app_only=["notification"])
    _rows(me, 1)
    assert outbox_deliver_pending() == 1 and not mailoutbox
    assert Outbox.objects.get(recipient=me).channel == "in_app"


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"language": "de"}, "language", "Velg bokmål eller engelsk."),
        ({"language": "nb", "in_app_only": ["notification", "evil"]}, "in_app_only", "Siden er utdatert"),
        ({"language": "x" * 5000}, "language", "Velg bokmål eller engelsk."),
        ({}, "language", "Velg hvilket språk e-postene skal ha."),
    ],
)
def test_bad_settings_are_400_next_to_the_field_and_nothing_is_saved(client, world, data, field, message):
    me = world[0].coordinator
    client.force_login(me)
    response = client.post(reverse("notification_settings"), data)
    assert response.status_code == 400
    assert message in " ".join(str(e) for e in response.context["form"].errors[field])
    assert not NotificationSettings.objects.filter(person=me).exists()
    assert not AuditEntry.objects.filter(action=Action.NOTIFICATION_SETTINGS_SAVED).exists()


def test_e_mails_come_in_the_language_each_person_chose(world, mailoutbox):
    shared, procurement, _o, _h = world
    english, norwegian = shared.coordinator, shared.representative(shared.municipalities[0])
    NotificationSettings.objects.create(person=english, language="en")
    deadline_add(user=english, procurement=procurement, title="Behovsbeskrivelse klar", due_date=shared.collaboration.today())
    coordinators = Deadline.objects.filter(procurement=procurement, title="Behovsbeskrivelse klar")
    assert coordinators.exists()
    reminders_sweep()
    outbox_deliver_pending()
    subjects = {m.to[0]: m.subject for m in mailoutbox if "Behovsbeskrivelse klar" in m.subject}
    assert subjects[english.email] == "Reminder: Behovsbeskrivelse klar – Felles arkivløsning"
    body = next(m.body for m in mailoutbox if m.to == [english.email] and "Behovsbeskrivelse" in m.subject)
    assert "is today" in body and "Open the procurement" in body
    assert norwegian.email not in subjects  # a coordinator's deadline: only the coordinators are reminded


def _feed_calendar(client, feed) -> icalendar.Calendar:
    client.logout()  # a calendar program has no session
    response = client.get(reverse("calendar_feed", args=[feed.token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def test_the_personal_calendar_holds_the_deadlines_one_sees_and_ones_meetings(client, world):
    shared, procurement, _o, hidden = world
    me = shared.coordinator
    due = shared.collaboration.today() + timedelta(days=5)
    deadline_add(user=me, procurement=procurement, title="Markedsdialog avsluttet", due_date=due)
    meeting_plan(
        user=me, procurement=procurement, group="project_group", title="Oppstartsmøte",
        starts_at=timezone.now() + timedelta(days=3), duration_minutes=60, place="Kongsberg rådhus", secretary=me,
    )
    client.force_login(me)
    assert client.post(reverse("calendar_feed_create")).status_code == 302
    feed = CalendarFeed.objects.get(person=me, revoked_at__isnull=True)
    assert AuditEntry.objects.filter(action=Action.CALENDAR_FEED_CREATED, actor=me).count() == 1

    events = {str(e["summary"]): e for e in _feed_calendar(client, feed).walk("VEVENT")}
    assert "Frist: Markedsdialog avsluttet – Felles arkivløsning" in events
    assert events["Frist: Markedsdialog avsluttet – Felles arkivløsning"].decoded("dtstart") == due
    assert "Oppstartsmøte" in events
    assert not any(hidden.title in summary for summary in events)


def test_a_new_address_shuts_the_old_one_and_a_revoked_one_is_404(client, world):
    me = world[0].coordinator
    client.force_login(me)
    client.post(reverse("calendar_feed_create"))
    old = CalendarFeed.objects.get(person=me, revoked_at__isnull=True)
    client.post(reverse("calendar_feed_create"))
    new = CalendarFeed.objects.get(person=me, revoked_at__isnull=True)
    assert new.pk != old.pk
    assert client.get(reverse("calendar_feed", args=[old.token])).status_code == 404
    assert client.get(reverse("calendar_feed", args=[new.token])).status_code == 200
    client.force_login(me)
    assert client.post(reverse("calendar_feed_revoke", args=[new.pk])).status_code == 302
    assert client.get(reverse("calendar_feed", args=[new.token])).status_code == 404
    assert AuditEntry.objects.filter(action=Action.CALENDAR_FEED_REVOKED, actor=me).count() == 1
    for hostile in ("nothing", "x" * 200, "%00"):
        assert client.get(f"/kalender/{hostile}.ics").status_code == 404


def test_a_procurements_calendar_is_only_for_those_who_see_it(client, world):
    shared, procurement, other, hidden = world
    me = shared.coordinator
    client.force_login(me)
    assert client.post(reverse("calendar_feed_create"), {"procurement": hidden.pk}).status_code == 404
    for hostile in ("abc", "1" * 40, "Infinity", "²"):
        assert client.post(reverse("calendar_feed_create"), {"procurement": hostile}).status_code == 404
    assert not CalendarFeed.objects.exists()
    assert client.post(reverse("calendar_feed_create"), {"procurement": procurement.pk}).status_code == 302
    feed = CalendarFeed.objects.get(person=me, procurement=procurement)
    deadline_add(user=me, procurement=procurement, title="Dialogkonferanse", due_date=shared.collaboration.today())
    assert [str(e["summary"]) for e in _feed_calendar(client, feed).walk("VEVENT")] == ["Frist: Dialogkonferanse – Felles arkivløsning"]
    # Someone whose access goes gets a 404 from the same address.
    representative = shared.representative(shared.municipalities[0])
    client.force_login(representative)
    client.post(reverse("calendar_feed_create"), {"procurement": procurement.pk})
    theirs = CalendarFeed.objects.get(person=representative, procurement=procurement)
    representative.is_active = False
    representative.save(update_fields=["is_active"])
    assert client.get(reverse("calendar_feed", args=[theirs.token])).status_code == 404


def test_the_settings_page_lists_the_choices_and_the_live_addresses(client, world):
    shared, procurement, _o, _h = world
    me = shared.person(Role.CHIEF_EXECUTIVE, shared.municipalities[0])
    client.force_login(me)
    client.post(reverse("calendar_feed_create"), {"procurement": procurement.pk})
    page = client.get(reverse("notification_settings")).content.decode()
    feed = CalendarFeed.objects.get(person=me)
    assert "Påminnelser om fasefrister" in page and "Norsk (bokmål)" in page
    assert f"/kalender/{feed.token}.ics" in page and procurement.title in page


def test_the_calendar_and_the_list_cost_the_same_queries_for_few_and_many_rows(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    shared, procurement, _o, _h = world
    me = shared.coordinator
    client.force_login(me)
    client.post(reverse("calendar_feed_create"))
    feed = CalendarFeed.objects.get(person=me)
    counts = []
    for total in (1, 12):
        while Deadline.objects.filter(procurement=procurement, title__startswith="Frist nr").count() < total:
            n = Deadline.objects.count()
            deadline_add(user=me, procurement=procurement, title=f"Frist nr {n}", due_date=shared.collaboration.today())
            _rows(me, 1, key=f"many{n}")
        client.get(reverse("calendar_feed", args=[feed.token]))  # the published catalogue is read once per process
        with CaptureQueriesContext(connection) as feed_queries:
            client.get(reverse("calendar_feed", args=[feed.token]))
        with CaptureQueriesContext(connection) as list_queries:
            client.get(reverse("inbox"))
        counts.append((len(feed_queries), len(list_queries)))
    assert counts[0] == counts[1]
