"""A collaboration's own meetings (a network, its steering group: Meeting.procurement is
None) on the same screens as a procurement's: who sees and who plans them, tampered ids,
the list's cost, planning and changing one by the same form rules, and the minutes'
reminders, deemed approval and "Mine oppgaver" for them."""
from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.actions import Action
from audit.models import AuditEntry
from meetings.models import Meeting
from meetings.reminders import minutes_reminders
from meetings.services import meeting_change, meeting_plan, minutes_approve_due, minutes_send
from municipalities.roles import Role
from municipalities.services import role_assign
from notifications.models import Outbox
from notifications.reminders import Sweep, reminder_offsets
from procurement.deadlines import add_working_days, minutes_deemed_approved
from procurement.extensions import tasks_for
from tests.conftest import EXECUTIVE, SHARED_IT, STEERING, person_with_role
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

BIGINT_OVERFLOW = 2**63


@pytest.fixture
def world(make_collaboration):
    world = make_collaboration(2)
    world.buyer = person_with_role(Role.REGIONAL_BUYER, body=world.bodies[STEERING], first_name="Innkjøper")
    world.architect = person_with_role(Role.ICT_ARCHITECT, body=world.bodies[SHARED_IT], first_name="Arkitekt")
    return world


def _plan(world, *, title="Styringsgruppe 1", starts_at=None, secretary=None, participants=(), group="steering_group"):
    meeting, _too_close = meeting_plan(
        user=world.coordinator,
        collaboration=world.collaboration,
        group=group,
        title=title,
        starts_at=starts_at or timezone.now() - timedelta(days=1),
        duration_minutes=60,
        place="Kongsberg rådhus",
        participants=list(participants) or [world.rmu_chief],
        secretary=secretary or world.buyer,
    )
    return meeting


def _url(world, name, *args):
    return reverse(f"collaboration_{name}", args=[world.collaboration.pk, *args])


def _form(world, **changes):
    data = {
        "group": "network",
        "title": "Nettverksmøte",
        "date": (world.collaboration.today() + timedelta(days=20)).isoformat(),
        "start": "09:30",
        "duration_minutes": "90",
        "place": "Kongsberg",
        "link": "",
        "agenda": "1. Status",
        "secretary": str(world.buyer.pk),
        "participants": [str(world.architect.pk), str(world.rmu_chief.pk)],
    }
    data.update(changes)
    return data


# ------------------------------------------------------------------ who sees, who plans

ROWS = [
    # who, sees the list and the meeting, may plan and change
    ("coordinator", 200, 200),
    ("buyer", 200, 200),
    ("rmu_chief", 200, 403),  # a member of one of the collaboration's bodies
    ("architect", 200, 403),
    ("representative", 404, 404),  # a municipality's role only: not the collaboration's bodies
    ("other_coordinator", 404, 404),  # runs another collaboration
    ("outsider", 404, 404),
]


def _person(world, who, make_collaboration):
    if who == "representative":
        return world.representative(world.municipalities[0])
    if who == "other_coordinator":
        return make_collaboration(1, name="Fosen").coordinator
    if who == "outsider":
        return PersonFactory()
    return getattr(world, who)


@pytest.mark.parametrize(("who", "sees", "plans"), ROWS)
def test_who_sees_and_who_plans_a_collaborations_meetings(client, world, make_collaboration, who, sees, plans):
    meeting = _plan(world)
    client.force_login(_person(world, who, make_collaboration))
    for url in (_url(world, "meeting_list"), _url(world, "meeting_detail", meeting.pk), _url(world, "meeting_calendar", meeting.pk)):
        assert client.get(url).status_code == sees, url
    assert client.get(_url(world, "meeting_create")).status_code == plans
    assert client.get(_url(world, "meeting_edit", meeting.pk)).status_code == plans
    before = Meeting.objects.count()
    assert client.post(_url(world, "meeting_create"), _form(world)).status_code in ({200: 302}.get(plans, plans),)
    assert Meeting.objects.count() == before + (1 if plans == 200 else 0)


def test_the_navigation_leads_each_to_their_collaborations_meetings(client, world, make_collaboration):
    client.force_login(world.rmu_chief)
    page = client.get(reverse("dashboard")).content.decode()
    assert reverse("collaboration_meetings") in page
    response = client.get(reverse("collaboration_meetings"))
    assert response.status_code == 302 and response["Location"] == _url(world, "meeting_list")
    # Roles in two collaborations: a choice of both.
    other = make_collaboration(1, name="Fosen")
    role_assign(actor=None, person=world.rmu_chief, role=Role.CHIEF_EXECUTIVE, body=other.bodies[EXECUTIVE])
    page = client.get(reverse("collaboration_meetings")).content.decode()
    assert _url(world, "meeting_list") in page and reverse("collaboration_meeting_list", args=[other.collaboration.pk]) in page
    # No role in any body: nothing to choose.
    client.force_login(world.representative(world.municipalities[0]))
    page = client.get(reverse("collaboration_meetings")).content.decode()
    assert "Du har ingen rolle i organene i et samarbeid" in page and _url(world, "meeting_list") not in page


# ------------------------------------------------------------------ tampered ids


def test_a_meeting_of_a_procurement_or_another_collaboration_is_404_under_this_one(client, world, make_collaboration, make_procurement):
    procurement = make_procurement(world)
    theirs, _ = meeting_plan(
        user=world.coordinator, procurement=procurement, group="project_group", title="Prosjektgruppe",
        starts_at=timezone.now() - timedelta(days=1), duration_minutes=60, place="Rådhuset", secretary=world.coordinator,
    )
    other = make_collaboration(1, name="Fosen")
    elsewhere, _ = meeting_plan(
        user=other.coordinator, collaboration=other.collaboration, group="network", title="Fosen-nettverket",
        starts_at=timezone.now() - timedelta(days=1), duration_minutes=60, place="Steinkjer", secretary=other.coordinator,
    )
    client.force_login(world.coordinator)
    for meeting_id in (theirs.pk, elsewhere.pk, 0, BIGINT_OVERFLOW, 10**40):
        for name in ("meeting_detail", "meeting_edit", "meeting_calendar", "minutes_file"):
            assert client.get(_url(world, name, meeting_id)).status_code == 404, (name, meeting_id)
        for name in ("minutes_send", "minutes_approve", "correction_submit"):
            assert client.post(_url(world, name, meeting_id), {"minutes": "x", "text": "x"}).status_code == 404, (name, meeting_id)
    for collaboration_id in (other.collaboration.pk, 0, BIGINT_OVERFLOW):
        assert client.get(reverse("collaboration_meeting_list", args=[collaboration_id])).status_code == 404
    # And the collaboration's meeting is not reachable under the procurement.
    own = _plan(world)
    assert client.get(reverse("meeting_detail", args=[procurement.pk, own.pk])).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.minutes_sent_at is None


# ------------------------------------------------------------------ the list's cost


def test_the_list_costs_the_same_queries_for_2_and_30_meetings_and_is_paged(client, world, settings):
    settings.MEETINGS_PAGE_SIZE = 10
    client.force_login(world.coordinator)

    def measured():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(_url(world, "meeting_list"))
        assert response.status_code == 200
        return len(queries.captured_queries), response.content.decode()

    start = timezone.now() - timedelta(days=300)
    for index in range(2):
        _plan(world, title=f"Møte {index}", starts_at=start + timedelta(days=15 * index))
    small, _page = measured()
    for index in range(2, 30):
        _plan(world, title=f"Møte {index}", starts_at=start + timedelta(days=15 * index))
    large, page = measured()
    assert large == small
    assert "?side=2" in page or "side=2" in page
    # The page opened without asking is the one with the next meeting (nr. 20 is ahead).
    next_meeting = Meeting.objects.filter(starts_at__gte=timezone.now(), procurement=None).order_by("starts_at").first()
    assert next_meeting.title in page and "Møte 0<" not in page


# ------------------------------------------------------------------ planning and changing


def test_planning_keeps_to_the_collaborations_bodies_and_warns_of_a_tight_series(client, world):
    client.force_login(world.coordinator)
    outsider = world.representative(world.municipalities[0])
    response = client.post(_url(world, "meeting_create"), _form(world, participants=[str(outsider.pk)]))
    assert response.status_code == 400
    assert "Velg et av alternativene." in response.content.decode()
    assert not Meeting.objects.exists()

    response = client.post(_url(world, "meeting_create"), _form(world), follow=True)
    (first,) = Meeting.objects.all()
    assert (first.procurement_id, first.collaboration_id, first.group) == (None, world.collaboration.pk, "network")
    assert set(first.participants.values_list("pk", flat=True)) == {world.buyer.pk, world.architect.pk, world.rmu_chief.pk}
    assert response.redirect_chain[-1][0] == _url(world, "meeting_detail", first.pk)
    entry = AuditEntry.objects.get(action=Action.MEETING_PLANNED)
    assert entry.procurement is None and world.collaboration.name in entry.message
    invited = set(Outbox.objects.filter(kind="meeting:planned").values_list("recipient_id", flat=True))
    assert invited == {world.buyer.pk, world.architect.pk, world.rmu_chief.pk}
    body = Outbox.objects.filter(kind="meeting:planned").first().body
    assert world.collaboration.name in body and _url(world, "meeting_detail", first.pk) in body

    soon = (world.collaboration.today() + timedelta(days=27)).isoformat()
    response = client.post(_url(world, "meeting_create"), _form(world, date=soon, title="Nettverksmøte 2"), follow=True)
    assert "minst 14 dager" in response.content.decode()


def test_changing_a_meeting_tells_the_participants_and_is_logged(client, world):
    meeting = _plan(world, starts_at=timezone.now() + timedelta(days=10))
    client.force_login(world.buyer)
    later = (world.collaboration.today() + timedelta(days=12)).isoformat()
    response = client.post(_url(world, "meeting_edit", meeting.pk), _form(world, date=later, group="steering_group", title="Flyttet"))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Flyttet" and meeting.meeting_on.isoformat() == later
    entry = AuditEntry.objects.get(action=Action.MEETING_CHANGED)
    assert "title" in entry.data["changed"] and "starts_at" in entry.data["changed"]
    told = set(Outbox.objects.filter(kind="meeting:changed").values_list("recipient_id", flat=True))
    assert told == {world.buyer.pk, world.architect.pk, world.rmu_chief.pk}
    # The same again changes nothing and tells nobody.
    client.post(_url(world, "meeting_edit", meeting.pk), _form(world, date=later, group="steering_group", title="Flyttet"))
    assert AuditEntry.objects.filter(action=Action.MEETING_CHANGED).count() == 1


def test_a_meeting_whose_minutes_are_sent_cannot_be_changed(client, world):
    meeting = _plan(world)
    minutes_send(user=world.buyer, meeting=meeting, text="1. Status")
    with pytest.raises(Exception, match="Referatet er sendt"):
        meeting_change(
            user=world.coordinator, meeting=meeting, group="steering_group", title="Ny", starts_at=meeting.starts_at,
            duration_minutes=60, place="X", secretary=world.buyer,
        )
    client.force_login(world.coordinator)
    response = client.post(_url(world, "meeting_edit", meeting.pk), _form(world), follow=True)
    assert "kan ikke endres lenger" in response.content.decode()
    page = client.get(_url(world, "meeting_detail", meeting.pk)).content.decode()
    assert _url(world, "meeting_edit", meeting.pk) not in page


# ------------------------------------------------------------------ minutes: the page, reminders, approval, tasks


def test_the_page_shows_the_minutes_and_the_corrections_and_takes_both(client, world):
    meeting = _plan(world, participants=[world.rmu_chief, world.architect])
    client.force_login(world.buyer)
    response = client.post(_url(world, "minutes_send", meeting.pk), {"minutes": "1. Status fra K-IKT"})
    assert response.status_code == 302 and response["Location"].startswith(_url(world, "meeting_detail", meeting.pk))
    client.force_login(world.rmu_chief)
    response = client.post(_url(world, "correction_submit", meeting.pk), {"text": "Punkt 1: fra SuksIT"})
    assert response.status_code == 302
    page = client.get(_url(world, "meeting_detail", meeting.pk)).content.decode()
    assert "1. Status fra K-IKT" in page and "Punkt 1: fra SuksIT" in page
    client.force_login(world.architect)  # a participant, not the secretary: may not approve
    refused = client.post(_url(world, "minutes_approve", meeting.pk))
    assert refused.status_code == 403
    # Said in the collaboration's terms: there is no procurement to run here.
    assert "koordinatoren og den regionale innkjøperen i samarbeidet" in refused.content.decode()


def test_the_secretary_is_reminded_of_a_collaboration_meetings_minutes(world):
    meeting = _plan(world, starts_at=timezone.now() - timedelta(hours=3))
    due = add_working_days(meeting.meeting_on, 2, world.collaboration.country)
    noon = datetime.combine(due, time(12), tzinfo=world.collaboration.tzinfo).astimezone(UTC)
    messages = minutes_reminders(Sweep(now=noon, offsets=reminder_offsets()))
    (message,) = [m for m in messages if m.recipient_id == world.buyer.pk]
    assert message.procurement_id is None
    assert _url(world, "meeting_detail", meeting.pk) in message.body


def test_minutes_of_a_collaboration_meeting_count_as_approved_by_themselves(world):
    first = _plan(world, starts_at=timezone.now() - timedelta(days=40))
    _plan(world, title="Styringsgruppe 2", starts_at=timezone.now() - timedelta(days=10))
    minutes_send(user=world.buyer, meeting=first, text="1. Oppstart")
    Meeting.objects.filter(pk=first.pk).update(minutes_sent_at=first.starts_at + timedelta(days=1))
    assert minutes_approve_due() == [first.pk]
    first.refresh_from_db()
    assert first.minutes_approved_automatically
    entry = AuditEntry.objects.get(action=Action.MINUTES_DEEMED_APPROVED)
    assert entry.procurement is None and world.collaboration.name in entry.message
    until = minutes_deemed_approved(timezone.localtime(timezone.now() - timedelta(days=10), world.collaboration.tzinfo).date(), "NO")
    assert entry.data["corrections_until"] == until.isoformat()


def test_my_tasks_lead_the_secretary_to_the_collaboration_meeting(world):
    meeting = _plan(world, starts_at=timezone.now() - timedelta(hours=3))
    (task,) = [t for t in tasks_for(world.buyer) if t.kind == "minutes"]
    assert task.url == _url(world, "meeting_detail", meeting.pk)
    assert task.procurement is None and task.detail == world.collaboration.name
