"""The kept pages (procurement.page_cache): a page drawn once is served again without its
queries until something it was drawn from changes, then drawn anew; it is never kept from
inside a transaction, never shared between people or sessions, and its forms still post.
The requests run outside a test transaction (transaction=True), as in the running
application, since nothing is kept inside one. Runs on SQLite and PostgreSQL.

tests/test_demo_crawl.py checks, over the whole demo, that every table the kept pages read
is covered by the revision triggers (procurement.revisions) or cannot change what they show."""
import datetime
import re

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from municipalities.models import Person, RoleAssignment
from municipalities.roles import Role
from procurement import phases
from procurement.models import Deadline
from procurement.page_cache import case_page_key
from procurement.services.deadlines import deadline_add

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def case(make_collaboration, make_procurement):
    world = make_collaboration(3)
    return world, make_procurement(world, phase=phases.STRATEGY, title="Felles sak")


def queries_of(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def main(page: str) -> str:
    """The kept part: the content between the frame's <main> tags, without the CSRF tokens
    (a new mask for every request, on the same secret)."""
    content = page.split('<main id="main"')[1].split("</main>")[0]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content)


@pytest.mark.parametrize("name", ["procurement_detail", "procurement_history"])
def test_a_page_is_kept_and_drawn_anew_after_a_change(client, case, manager_of, name):
    _world, procurement = case
    client.force_login(manager_of(procurement))
    url = reverse(name, args=[procurement.pk])
    drawn, page = queries_of(client, url)
    kept, again = queries_of(client, url)
    assert kept < drawn and kept <= 6, (kept, drawn)
    assert main(again) == main(page)

    deadline_add(user=manager_of(procurement), procurement=procurement, title="Frist for avklaring", due_date=timezone.localdate())
    redrawn, after = queries_of(client, url)
    assert redrawn == drawn
    assert ("Frist for avklaring" in main(after)) and ("Frist for avklaring" not in main(page))


def test_a_change_to_another_case_keeps_the_page(client, case, make_procurement, manager_of):
    world, procurement = case
    other = make_procurement(world, phase=phases.STRATEGY, title="Annen sak")
    client.force_login(manager_of(procurement))
    url = reverse("procurement_detail", args=[procurement.pk])
    queries_of(client, url)
    kept, _page = queries_of(client, url)
    Deadline.objects.create(procurement=other, title="Annen frist", due_date=datetime.date(2027, 3, 1))
    assert queries_of(client, url)[0] == kept


def test_a_new_role_or_a_new_name_draws_every_page_anew(client, case, manager_of):
    world, procurement = case
    client.force_login(manager_of(procurement))
    url = reverse("procurement_detail", args=[procurement.pk])
    drawn, _page = queries_of(client, url)
    kept, _page = queries_of(client, url)
    RoleAssignment.objects.create(
        person=world.representative(world.municipalities[0]), role=Role.ARCHIVE_REPRESENTATIVE, municipality=world.municipalities[0]
    )
    assert queries_of(client, url)[0] > kept
    assert queries_of(client, url)[0] == kept
    signer = world.representative(world.municipalities[1])
    Person.objects.filter(pk=signer.pk).update(first_name="Omdøpt")
    assert queries_of(client, url)[0] > kept
    # A login writes last_login: not a name, so the cases are not judged anew for it.
    before = {p: r for p, r in procurement.__class__.objects.values_list("pk", "revision")}
    Person.objects.filter(pk=signer.pk).update(last_login=timezone.now())
    assert dict(procurement.__class__.objects.values_list("pk", "revision")) == before


def test_each_person_and_each_session_has_their_own_page(case, manager_of):
    world, procurement = case
    url = reverse("procurement_detail", args=[procurement.pk])
    coordinator, reader = manager_of(procurement), world.representative(world.municipalities[1])
    first, second, third = Client(), Client(), Client()
    first.force_login(coordinator)
    second.force_login(coordinator)
    third.force_login(reader)
    pages = [queries_of(c, url)[1] for c in (first, second, third)]
    assert main(pages[0]) == main(pages[1])
    assert main(pages[0]) != main(pages[2])  # the coordinator's forms are not the reader's
    # Each session's forms carry a token of its own secret, not the other session's.
    tokens = [set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)) for page in pages[:2]]
    assert tokens[0] and tokens[1] and not tokens[0] & tokens[1]


def test_a_form_of_a_kept_page_posts(case, manager_of):
    """The deadline form on a page served from the cache passes the CSRF check."""
    _world, procurement = case
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager_of(procurement))
    url = reverse("procurement_detail", args=[procurement.pk])
    queries_of(client, url)
    kept, page = queries_of(client, url)
    assert kept <= 6
    form = page.split('id="frister"')[1].split("</form>")[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    action = re.search(r'<form[^>]* action="([^"]+)"', form).group(1)
    response = client.post(
        action,
        {"csrfmiddlewaretoken": token, "title": "Frist fra et lagret skjema", "due_date": "2027-02-01"},
    )
    assert response.status_code in (200, 302), response.status_code
    assert Deadline.objects.filter(procurement=procurement, title="Frist fra et lagret skjema").exists()


def test_english_and_bokmal_are_kept_apart(client, case, manager_of):
    _world, procurement = case
    client.force_login(manager_of(procurement))
    url = reverse("procurement_detail", args=[procurement.pk])
    norwegian = queries_of(client, url)[1]
    client.cookies["django_language"] = "en"
    english = queries_of(client, url)[1]
    assert 'lang="en"' in english and "Godkjenninger og signaturer" in norwegian
    assert "Godkjenninger og signaturer" not in english


def test_nothing_is_kept_from_inside_a_transaction(rf, case, manager_of):
    _world, procurement = case
    request = rf.get(reverse("procurement_detail", args=[procurement.pk]))
    request.user = manager_of(procurement)
    request.session = {}
    assert case_page_key(request, "procurement", procurement) is not None
    with transaction.atomic():
        assert case_page_key(request, "procurement", procurement) is None


def test_an_htmx_request_is_drawn_every_time(client, case, manager_of):
    _world, procurement = case
    client.force_login(manager_of(procurement))
    url = reverse("procurement_detail", args=[procurement.pk])
    drawn = queries_of(client, url)[0]
    caches["pages"].clear()
    with CaptureQueriesContext(connection) as first:
        client.get(url, headers={"HX-Request": "true"})
    with CaptureQueriesContext(connection) as second:
        client.get(url, headers={"HX-Request": "true"})
    assert len(first) == len(second) >= drawn - 1


def test_the_dashboard_is_kept_and_drawn_anew_when_a_case_changes(client, case, make_procurement, manager_of):
    world, procurement = case
    client.force_login(manager_of(procurement))
    url = reverse("dashboard")
    drawn, page = queries_of(client, url)
    kept, again = queries_of(client, url)
    assert kept < drawn and kept <= 7, (kept, drawn)
    assert main(again) == main(page)
    # A case that comes into view, and a change to one already in it, are both seen.
    make_procurement(world, phase=phases.STRATEGY, title="Ny sak i oversikten")
    assert "Ny sak i oversikten" in main(queries_of(client, url)[1])
    Deadline.objects.create(procurement=procurement, title="Frist", due_date=datetime.date(2027, 5, 4))
    assert "04.05.2027" in main(queries_of(client, url)[1])
    # The htmx table of a filter is kept apart from the whole page.
    table = client.get(url, {"fase": phases.STRATEGY}, headers={"HX-Request": "true"}).content.decode()
    assert "<main" not in table and 'id="procurement-results"' in table


def test_my_tasks_are_kept_and_a_meeting_of_no_case_is_seen(client, case, manager_of):
    from meetings.models import Meeting

    world, procurement = case
    coordinator = manager_of(procurement)
    client.force_login(coordinator)
    url = reverse("my_tasks")
    drawn, page = queries_of(client, url)
    kept, again = queries_of(client, url)
    assert kept < drawn and kept <= 7, (kept, drawn)
    assert main(again) == main(page)
    # A meeting of the collaboration itself (no case) that has been held: its minutes are due.
    Meeting.objects.create(
        collaboration=world.collaboration,
        group=Meeting._meta.get_field("group").choices[0][0],
        series="samarbeidsmote-1",
        title="Samarbeidsmøte i desember",
        starts_at=timezone.now() - datetime.timedelta(days=1),
        secretary=coordinator,
    )
    assert "Samarbeidsmøte i desember" in main(queries_of(client, url)[1])
