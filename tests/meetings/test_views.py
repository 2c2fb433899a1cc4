"""The meeting screens: who sees and does what, forms with errors (400, never 500), the
calendar download, and the procurement page's link."""
from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, MinutesCorrection
from meetings.services import meeting_plan, minutes_send
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(make_collaboration, make_procurement):
    world = make_collaboration(2)
    procurement = make_procurement(world)
    first, second = world.municipalities
    secretary = world.representative(first)
    participant = world.representative(second)
    meeting, _ = meeting_plan(
        user=world.coordinator,
        procurement=procurement,
        group="project_group",
        title="Oppstartsmøte",
        starts_at=timezone.now() - timedelta(days=1),
        duration_minutes=60,
        place="Rådhuset",
        participants=[participant],
        secretary=secretary,
    )
    return world, procurement, meeting, secretary, participant


def _form(world, **changes):
    data = {
        "group": "steering_group",
        "title": "Styringsgruppemøte",
        "date": (timezone.localdate() + timedelta(days=20)).isoformat(),
        "start": "09:30",
        "duration_minutes": "90",
        "place": "Kongsberg",
        "link": "",
        "agenda": "1. Status",
        "secretary": str(world.coordinator.pk),
        "participants": [str(world.representative(world.municipalities[0]).pk)],
    }
    data.update(changes)
    return data


def test_the_procurement_page_links_to_its_meetings(client, setting):
    world, procurement, meeting, *_ = setting
    client.force_login(world.coordinator)
    page = client.get(reverse("procurement_detail", args=[procurement.pk])).content.decode()
    assert reverse("meeting_list", args=[procurement.pk]) in page


def test_the_list_shows_the_meetings_and_their_minutes(client, setting):
    world, procurement, meeting, secretary, participant = setting
    client.force_login(participant)
    response = client.get(reverse("meeting_list", args=[procurement.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Oppstartsmøte" in page and "Referat innen" in page
    assert reverse("meeting_create", args=[procurement.pk]) not in page  # only the coordinator plans


def test_someone_who_cannot_see_the_procurement_gets_404(client, setting):
    world, procurement, meeting, *_ = setting
    client.force_login(PersonFactory())
    for url in (
        reverse("meeting_list", args=[procurement.pk]),
        reverse("meeting_detail", args=[procurement.pk, meeting.pk]),
        reverse("meeting_calendar", args=[procurement.pk, meeting.pk]),
    ):
        assert client.get(url).status_code == 404


def test_a_meeting_of_another_procurement_is_404(client, setting, make_procurement):
    world, procurement, meeting, *_ = setting
    other = make_procurement(world, title="Noe annet")
    client.force_login(world.coordinator)
    assert client.get(reverse("meeting_detail", args=[other.pk, meeting.pk])).status_code == 404


def test_the_coordinator_plans_a_meeting(client, setting):
    world, procurement, *_ = setting
    client.force_login(world.coordinator)
    assert client.get(reverse("meeting_create", args=[procurement.pk])).status_code == 200
    response = client.post(reverse("meeting_create", args=[procurement.pk]), _form(world))
    meeting = Meeting.objects.get(title="Styringsgruppemøte")
    assert response.status_code == 302 and response["Location"].endswith(reverse("meeting_detail", args=[procurement.pk, meeting.pk]))
    assert meeting.local_start.strftime("%H:%M") == "09:30"


def test_planning_too_close_warns(client, setting):
    world, procurement, *_ = setting
    client.force_login(world.coordinator)
    client.post(reverse("meeting_create", args=[procurement.pk]), _form(world))
    day = (timezone.localdate() + timedelta(days=27)).isoformat()
    response = client.post(reverse("meeting_create", args=[procurement.pk]), _form(world, date=day), follow=True)
    assert "minst 14 dager" in response.content.decode()


def test_a_representative_may_not_plan(client, setting):
    world, procurement, meeting, secretary, participant = setting
    client.force_login(participant)
    assert client.get(reverse("meeting_create", args=[procurement.pk])).status_code == 403
    assert client.post(reverse("meeting_create", args=[procurement.pk]), _form(world)).status_code == 403


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Fyll ut feltet."),
        ({"title": "x" * 5000}, "200 eller færre tegn"),
        ({"duration_minutes": "NaN"}, "Skriv et helt tall."),
        ({"duration_minutes": "Infinity"}, "Skriv et helt tall."),
        ({"duration_minutes": "99999999999999999999"}, "mindre enn eller lik 1440"),
        ({"date": "9999-12-31"}, "Velg en dato fra ett år tilbake"),
        ({"date": "31.02.2026"}, "Skriv en gyldig dato"),
        ({"start": "25:99"}, "Skriv et klokkeslett"),
        ({"place": "", "link": ""}, "Skriv hvor møtet holdes"),
        ({"link": "javascript:alert(1)"}, "Skriv en hel nettadresse"),
        ({"secretary": "999999"}, "Velg et av alternativene."),
        ({"participants": ["abc"]}, "Velg et av alternativene."),
        ({"participants": ["99999999999999999999"]}, "Velg et av alternativene."),  # past the id column: pk__in refused it
        ({"participants": ["²"]}, "Velg et av alternativene."),
        ({"group": "x"}, "Velg et av alternativene."),
    ],
)
def test_bad_input_comes_back_with_a_message(client, setting, changes, message):
    world, procurement, *_ = setting
    client.force_login(world.coordinator)
    response = client.post(reverse("meeting_create", args=[procurement.pk]), _form(world, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Meeting.objects.filter(title="Styringsgruppemøte").exists()


def test_the_secretary_sends_the_minutes_and_a_participant_corrects(client, setting):
    world, procurement, meeting, secretary, participant = setting
    detail = reverse("meeting_detail", args=[procurement.pk, meeting.pk])
    client.force_login(participant)
    assert "Send referatet til deltakerne" not in client.get(detail).content.decode()
    assert client.post(reverse("minutes_send", args=[procurement.pk, meeting.pk]), {"minutes": "X"}).status_code == 403

    client.force_login(secretary)
    page = client.get(detail).content.decode()
    assert "Send referatet til deltakerne" in page
    response = client.post(reverse("minutes_send", args=[procurement.pk, meeting.pk]), {"minutes": "Vi startet."})
    assert response.status_code == 302
    assert client.post(reverse("correction_submit", args=[procurement.pk, meeting.pk]), {"text": "x"}).status_code == 403

    client.force_login(participant)
    page = client.get(detail).content.decode()
    assert "Vi startet." in page and "Send rettelsen" in page
    response = client.post(reverse("correction_submit", args=[procurement.pk, meeting.pk]), {"text": ""})
    assert response.status_code == 400 and "Skriv rettelsen." in response.content.decode()
    response = client.post(reverse("correction_submit", args=[procurement.pk, meeting.pk]), {"text": "Vi startet sent."})
    assert response.status_code == 302
    assert MinutesCorrection.objects.get().text == "Vi startet sent."

    client.force_login(secretary)
    response = client.post(reverse("minutes_approve", args=[procurement.pk, meeting.pk]), follow=True)
    assert "Referatet er godkjent." in response.content.decode()


def test_a_minutes_file_is_checked_and_served_to_those_who_see_the_procurement(client, setting):
    from django.core.files.uploadedfile import SimpleUploadedFile

    world, procurement, meeting, secretary, participant = setting
    client.force_login(secretary)
    fake = SimpleUploadedFile("referat.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(reverse("minutes_send", args=[procurement.pk, meeting.pk]), {"minutes": "", "file": fake})
    assert response.status_code == 400
    pdf = SimpleUploadedFile("referat.pdf", b"%PDF-1.4\n% referat\n", content_type="application/pdf")
    assert client.post(reverse("minutes_send", args=[procurement.pk, meeting.pk]), {"minutes": "", "file": pdf}).status_code == 302
    client.force_login(participant)
    response = client.get(reverse("minutes_file", args=[procurement.pk, meeting.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_calendar_file_downloads_and_parses(client, setting):
    world, procurement, meeting, *_ = setting
    client.force_login(world.coordinator)
    response = client.get(reverse("meeting_calendar", args=[procurement.pk, meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["summary"]) == "Oppstartsmøte"


def test_the_list_costs_the_same_queries_for_2_and_12_meetings(client, setting, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world, procurement, meeting, secretary, participant = setting
    client.force_login(world.coordinator)
    url = reverse("meeting_list", args=[procurement.pk])
    counts = []
    for extra in (1, 10):
        for n in range(extra):
            m, _ = meeting_plan(
                user=world.coordinator, procurement=procurement, group="network", title=f"M{n}",
                starts_at=timezone.now() - timedelta(days=200 - n * 7), duration_minutes=60, place="Her",
                participants=[participant], secretary=secretary,
            )
            minutes_send(user=secretary, meeting=m, text="R")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_a_procurement_meeting_is_changed_on_the_same_form_by_whoever_runs_it(client, setting):
    world, procurement, meeting, secretary, participant = setting
    upcoming, _ = meeting_plan(
        user=world.coordinator, procurement=procurement, group="project_group", title="Møte 2",
        starts_at=timezone.now() + timedelta(days=30), duration_minutes=60, place="Rådhuset", secretary=secretary,
    )
    url = reverse("meeting_edit", args=[procurement.pk, upcoming.pk])
    client.force_login(participant)
    assert client.get(url).status_code == 403
    client.force_login(world.coordinator)
    page = client.get(reverse("meeting_detail", args=[procurement.pk, upcoming.pk])).content.decode()
    assert url in page
    response = client.post(url, _form(world, title="Møte 2: flyttet"))
    assert response.status_code == 302 and response["Location"] == reverse("meeting_detail", args=[procurement.pk, upcoming.pk])
    upcoming.refresh_from_db()
    assert (upcoming.title, upcoming.group, upcoming.procurement_id) == ("Møte 2: flyttet", "steering_group", procurement.pk)
    assert upcoming.series.endswith(":steering_group")
    response = client.post(url, _form(world, place="", link=""))
    assert response.status_code == 400 and "Skriv hvor møtet holdes" in response.content.decode()
