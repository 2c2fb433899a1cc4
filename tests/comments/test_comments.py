"""Comments on deliverables and gates: the thread on the procurement page, with and without
htmx, bad input, restricted documents, mentions as tasks, the audit log, and queries."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.actions import Action
from audit.models import AuditEntry
from comments.models import TEXT_MAX, Comment
from municipalities.roles import Role
from procurement import phases
from tests.conftest import make_collaboration, make_procurement  # noqa: E402
from tests.shared_data import built_once_per_module, fresh  # noqa: E402

pytestmark = pytest.mark.django_db

NEEDS_DOC = "needs-overview"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _build():
    shared = make_collaboration(2)
    procurement = make_procurement(shared, phase=phases.EVALUATION)
    chief = shared.people[(Role.CHIEF_EXECUTIVE, shared.municipalities[1].pk)]
    return shared, procurement, chief


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    yield from built_once_per_module(django_db_blocker, _build)


@pytest.fixture
def world(db, _world):
    shared, procurement, chief = _world
    return shared, fresh(procurement), fresh(chief)


def code_of(procurement, phase: str) -> str:
    return procurement.process_version.phases.get(code=phase).deliverables.filter(access="participants").order_by("order", "id").first().code


def url(procurement, subject: str, code: str) -> str:
    return reverse("comment_create", args=[procurement.pk, subject, code])


def data(code: str, subject: str = "deliverable", **values) -> dict:
    return {f"k-{subject}-{code}-{name}": value for name, value in values.items()}


def test_a_comment_is_saved_audited_and_shown_at_its_thread(client, world):
    shared, procurement, _chief = world
    code = code_of(procurement, phases.EVALUATION)
    client.force_login(shared.coordinator)
    response = client.post(url(procurement, "deliverable", code), data(code, text="Husk vedlegg 3."))
    assert response.status_code == 302
    assert response["Location"].endswith(f"#kommentarer-deliverable-{code}")
    comment = Comment.objects.get()
    assert (comment.author_id, comment.text, comment.code) == (shared.coordinator.pk, "Husk vedlegg 3.", code)
    entry = AuditEntry.objects.get(action=Action.COMMENT_ADDED)
    assert entry.data["comment"] == comment.pk and "Husk vedlegg 3." in entry.message
    page = client.get(reverse("procurement_detail", args=[procurement.pk])).content.decode()
    assert f'id="kommentarer-deliverable-{code}"' in page and "Husk vedlegg 3." in page


def test_with_htmx_the_thread_is_swapped_and_an_error_is_a_400_next_to_the_field(client, world):
    shared, procurement, _chief = world
    code = code_of(procurement, phases.EVALUATION)
    client.force_login(shared.coordinator)
    ok = client.post(url(procurement, "deliverable", code), data(code, text="Første."), **HTMX)
    assert ok.status_code == 200 and "Første." in ok.content.decode() and "Kommentaren er lagret." in ok.content.decode()
    empty = client.post(url(procurement, "deliverable", code), data(code, text="   "), **HTMX)
    assert empty.status_code == 400
    assert "Skriv kommentaren." in empty.content.decode()
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    "values, message",
    [
        ({"text": "x" * (TEXT_MAX + 1)}, "Kommentaren kan være høyst"),
        ({"text": "Hei", "mentioned": "999999"}, "Velg en person fra listen."),
        ({"text": "Hei", "mentioned": "Infinity"}, "Velg en person fra listen."),
        ({"text": "\x00"}, ""),
    ],
)
def test_hostile_input_is_a_400_and_nothing_is_saved(client, world, values, message):
    shared, procurement, _chief = world
    code = code_of(procurement, phases.EVALUATION)
    client.force_login(shared.coordinator)
    response = client.post(url(procurement, "deliverable", code), data(code, **values))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Comment.objects.exists()


def test_someone_outside_the_case_cannot_be_named(client, world, make_collaboration):
    shared, procurement, _chief = world
    outsider = make_collaboration(1).coordinator
    code = code_of(procurement, phases.EVALUATION)
    client.force_login(shared.coordinator)
    response = client.post(url(procurement, "deliverable", code), data(code, text="Hei", mentioned=str(outsider.pk)))
    assert response.status_code == 400
    assert not Comment.objects.exists()


@pytest.mark.parametrize("subject, code", [("deliverable", "no-such-thing"), ("nonsense", "needs-overview"), ("gate", "x" * 64)])
def test_an_unknown_item_is_404(client, world, subject, code):
    shared, procurement, _chief = world
    client.force_login(shared.coordinator)
    assert client.post(url(procurement, subject, code), {"text": "Hei"}).status_code == 404


def test_another_collaboration_gets_404(client, world, make_collaboration):
    _shared, procurement, _chief = world
    client.force_login(make_collaboration(1).coordinator)
    code = code_of(procurement, phases.EVALUATION)
    assert client.post(url(procurement, "deliverable", code), data(code, text="Hei")).status_code == 404


def test_a_restricted_documents_thread_is_hidden_and_writing_in_it_refused_and_audited(client, world):
    shared, procurement, chief = world
    client.force_login(chief)
    page = client.get(reverse("procurement_detail", args=[procurement.pk])).content.decode()
    assert 'id="kommentarer-deliverable-evaluation-form"' not in page
    response = client.post(url(procurement, "deliverable", "evaluation-form"), data("evaluation-form", text="Hva står det?"))
    assert response.status_code == 403
    assert not Comment.objects.exists()
    assert AuditEntry.objects.filter(action=Action.COMMENT_REFUSED, actor=chief).count() == 1
    client.force_login(shared.coordinator)
    page = client.get(reverse("procurement_detail", args=[procurement.pk])).content.decode()
    assert 'id="kommentarer-deliverable-evaluation-form"' in page


def test_a_restricted_documents_thread_cannot_name_someone_who_cannot_open_it(client, world):
    shared, procurement, chief = world
    client.force_login(shared.coordinator)
    response = client.post(
        url(procurement, "deliverable", "evaluation-form"), data("evaluation-form", text="Se her", mentioned=str(chief.pk))
    )
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_a_named_person_gets_a_task_until_they_mark_it_followed_up(client, world):
    shared, procurement, chief = world
    code = code_of(procurement, phases.EVALUATION)
    client.force_login(shared.coordinator)
    client.post(url(procurement, "deliverable", code), data(code, text="Kan du se på dette?", mentioned=str(chief.pk)))
    comment = Comment.objects.get()
    client.force_login(chief)
    tasks = client.get(reverse("my_tasks")).content.decode()
    assert "Kommentarer som nevner deg" in tasks and "Kan du se på dette?" in tasks
    assert f"#kommentarer-deliverable-{code}" in tasks
    # Only the person named can mark it.
    client.force_login(shared.coordinator)
    assert client.post(reverse("comment_mention_done", args=[comment.pk])).status_code == 404
    client.force_login(chief)
    assert client.post(reverse("comment_mention_done", args=[comment.pk])).status_code == 302
    assert client.post(reverse("comment_mention_done", args=[comment.pk])).status_code == 302  # once is enough
    assert AuditEntry.objects.filter(action=Action.COMMENT_MENTION_DONE).count() == 1
    assert "Kommentarer som nevner deg" not in client.get(reverse("my_tasks")).content.decode()


def test_a_gate_has_its_thread(client, make_collaboration, make_procurement):
    shared = make_collaboration(2)
    procurement = make_procurement(shared, phase=phases.STRATEGY)
    gate = procurement.process_version.phases.get(code=phases.STRATEGY).gates.filter(kind="signatures").first()
    client.force_login(shared.coordinator)
    response = client.post(url(procurement, "gate", gate.code), data(gate.code, subject="gate", text="Ta det i RMU-møtet."))
    assert response.status_code == 302
    page = client.get(reverse("procurement_detail", args=[procurement.pk])).content.decode()
    assert f'id="kommentarer-gate-{gate.code}"' in page and "Ta det i RMU-møtet." in page


def test_the_page_asks_the_same_queries_for_one_comment_and_for_twenty(client, world):
    shared, procurement, _chief = world
    code = code_of(procurement, phases.EVALUATION)
    client.force_login(shared.coordinator)
    client.get(reverse("procurement_detail", args=[procurement.pk]))  # the published catalogue is read once per process
    counts = []
    for total in (1, 20):
        while Comment.objects.count() < total:
            client.post(url(procurement, "deliverable", code), data(code, text=f"Kommentar {Comment.objects.count()}"))
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("procurement_detail", args=[procurement.pk]))
        counts.append(len(queries))
    assert counts[0] == counts[1]

