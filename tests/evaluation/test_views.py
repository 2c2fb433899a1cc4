"""The evaluation page over HTTP: who sees what (tenders and prices only for the evaluation
group, the coordinator and the regional buyer; evaluators declare impartiality first), forms
that answer bad input with 400 and the message next to the field, downloads audited, and the
same number of queries at 3 and 30 tenderers."""
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEntry
from evaluation.models import ImpartialityDeclaration, Score, Supplier

from .world import build

pytestmark = pytest.mark.django_db


def _world(django_db_blocker, **kwargs):
    from tests.conftest import make_collaboration, make_procurement, person_with_role

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            return outer, build(make_collaboration, make_procurement, person_with_role, **kwargs)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise


@pytest.fixture(scope="module")
def w(django_db_setup, django_db_blocker):
    outer, built = _world(django_db_blocker)
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def url(w, name="evaluation_page", *args):
    return reverse(name, args=[w.procurement.pk, *args])


def test_the_buyer_sees_tenders_prices_ranking_and_the_warning(client, w):
    client.force_login(w.buyer)
    page = client.get(url(w)).content.decode()
    assert "Rangering etter tildelingskriteriene" in page
    assert "1 250 000" in page or "1\xa0250\xa0000" in page
    assert "brukte bare 5–6" in page
    assert "Leverandør 3" in page


def test_an_undeclared_evaluator_must_declare_before_seeing_tenders(client, w):
    client.force_login(w.undeclared)
    page = client.get(url(w)).content.decode()
    assert "Habilitetserklæring" in page and "Mottatte tilbud" not in page and "Leverandør 1" not in page
    version = w.tenders[0].versions.get()
    response = client.get(url(w, "evaluation_tender_download", w.tenders[0].pk, version.pk))
    assert response.status_code == 403
    assert AuditEntry.objects.filter(action="tender.open_refused", actor=w.undeclared).exists()
    response = client.post(url(w, "evaluation_declare"), {"habilitet-confirm": ""})
    assert response.status_code == 400 and "Kryss av for å bekrefte" in response.content.decode()
    assert not ImpartialityDeclaration.objects.filter(person=w.undeclared).exists()
    response = client.post(url(w, "evaluation_declare"), {"habilitet-confirm": "on"})
    assert response.status_code == 302
    response = client.get(url(w, "evaluation_tender_download", w.tenders[0].pk, version.pk))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert AuditEntry.objects.filter(action="tender.opened", actor=w.undeclared).exists()


def test_someone_outside_the_evaluation_group_is_refused(client, w):
    client.force_login(w.bystander)
    assert client.get(url(w)).status_code == 403
    assert client.get(url(w, "evaluation_report_pdf")).status_code == 403
    version = w.tenders[0].versions.get()
    assert client.get(url(w, "evaluation_tender_download", w.tenders[0].pk, version.pk)).status_code == 403


def test_the_procurement_page_links_to_the_evaluation_only_for_those_it_opens_for(client, w):
    link = f'href="{url(w)}"'
    for person, linked in [(w.buyer, True), (w.undeclared, True), (w.bystander, False)]:
        client.force_login(person)
        page = client.get(reverse("procurement_detail", args=[w.procurement.pk]))
        assert page.status_code == 200
        assert (link in page.content.decode()) is linked, person
        assert (client.get(url(w)).status_code == 200) is linked, person


def test_another_collaborations_coordinator_gets_a_404(client, w, make_collaboration):
    client.force_login(make_collaboration(1, name="Fosen").coordinator)
    assert client.get(url(w)).status_code == 404
    version = w.tenders[0].versions.get()
    assert client.get(url(w, "evaluation_tender_download", w.tenders[0].pk, version.pk)).status_code == 404


def test_an_evaluator_scores_over_http_and_bad_input_is_a_400(client, w):
    client.force_login(w.evaluator)
    tender, criterion = w.tenders[1], w.criteria["usability"]
    target = url(w, "evaluation_score_save", tender.pk, criterion.pk)
    prefix = f"poeng-{tender.pk}-{criterion.pk}"
    for bad in ("11", "NaN", "Infinity", "-1", "x" * 5000):
        response = client.post(target, {f"{prefix}-score": bad, f"{prefix}-justification": "Ok."})
        assert response.status_code == 400, bad
    response = client.post(target, {f"{prefix}-score": "7", f"{prefix}-justification": ""})
    assert response.status_code == 400
    response = client.post(target, {f"{prefix}-score": "7", f"{prefix}-justification": "Oversiktlig og rask."})
    assert response.status_code == 302
    assert Score.objects.get(tender=tender, criterion=criterion, evaluator=w.evaluator).score == 7
    # The evaluator may not record consensus, nor see the ranking.
    response = client.post(url(w, "evaluation_consensus_save", tender.pk, criterion.pk), {f"konsensus-{tender.pk}-{criterion.pk}-score": "7", f"konsensus-{tender.pk}-{criterion.pk}-justification": "x"})
    assert response.status_code == 403
    assert "Rangering etter tildelingskriteriene" not in client.get(url(w)).content.decode()


def test_a_tampered_tender_id_is_a_404(client, w):
    client.force_login(w.buyer)
    assert client.post(url(w, "evaluation_tender_qualify", 2**63), {}).status_code == 404
    assert client.post(url(w, "evaluation_score_save", w.tenders[0].pk, 999999), {}).status_code == 404


def test_supplier_form_errors_next_to_the_field(client, w):
    client.force_login(w.buyer)
    response = client.post(
        url(w, "evaluation_supplier_add"),
        {"leverandor-name": "Ny AS", "leverandor-country": "NO", "leverandor-org_number": "123456789", "leverandor-contact_name": "A", "leverandor-contact_email": "a@b.no"},
    )
    assert response.status_code == 400
    assert "Organisasjonsnummeret er ikke gyldig" in response.content.decode()
    assert not Supplier.objects.filter(name="Ny AS").exists()


def _queries(client, w) -> int:
    client.force_login(w.buyer)
    client.get(url(w))  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url(w)).status_code == 200
    return len(captured)


def test_the_page_costs_the_same_queries_at_3_and_30_tenderers(client, w, django_db_blocker):
    small = _queries(client, w)
    outer, big = _world(django_db_blocker, tenderers=30)
    try:
        large = _queries(client, big)
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
    print(f"\nevaluation page queries: {small} at 3 tenderers, {large} at 30")
    assert small == large
