"""The specification's screens: each answers, shows the owners their forms and the others a
comment form, links from the procurement page; hostile input is a form error (400) next to
the field with nothing written; ids from another procurement are 404 or "not one of the
choices"."""
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from municipalities.roles import Role
from tendering import services
from tendering.models import AwardCriterion, Comment, Need, Requirement, Specification
from tests.shared_data import built_once_per_module

from .conftest import build_spec_world, fresh_spec_world

pytestmark = pytest.mark.django_db


def _fill(spec_world):
    p = spec_world.procurement
    user = spec_world[Role.USER_REPRESENTATIVE]
    need = services.need_add(user=user, procurement=p, title="Føre fravær ett sted", text="Som kontaktlærer …")
    quality = services.criterion_propose(user=user, procurement=p, name="Kvalitet", weight=Decimal(60))
    sub = services.criterion_propose(user=user, procurement=p, name="Brukervennlighet", weight=Decimal(100), parent_id=quality.pk)
    price = services.criterion_propose(user=spec_world[Role.REGIONAL_BUYER], procurement=p, name="Pris", weight=Decimal(40), is_price=True)
    requirement = services.requirement_add(
        user=user, procurement=p, category="functional", kind="should", text="Fravær føres fra mobil.", need_id=need.pk,
        criterion_id=quality.pk,
    )
    spec_world.need, spec_world.quality, spec_world.sub, spec_world.price, spec_world.requirement = need, quality, sub, price, requirement
    return spec_world


@pytest.fixture(scope="module")
def _filled(django_db_setup, django_db_blocker):
    yield from built_once_per_module(django_db_blocker, lambda: _fill(build_spec_world()))


@pytest.fixture
def filled(db, _filled):
    return fresh_spec_world(_filled)


def _page(client, name, procurement, *args):
    return client.get(reverse(name, args=[procurement.pk, *args]))


class TestScreens:
    def test_the_procurement_page_links_to_the_specification_in_the_tender_documents_phase(self, client, filled):
        client.force_login(filled[Role.ICT_ARCHITECT])
        page = client.get(reverse("procurement_detail", args=[filled.procurement.pk])).content.decode()
        assert reverse("tendering_specification", args=[filled.procurement.pk]) in page

    def test_the_owner_sees_the_form_of_their_categories_only(self, client, filled):
        client.force_login(filled[Role.ICT_ARCHITECT])
        page = _page(client, "tendering_specification", filled.procurement).content.decode()
        forms = set(re.findall(r'name="category" value="(\w+)"', page))
        new_requirement = set(re.findall(r'id="id_req_(\w+?)_text"', page))
        assert new_requirement == {"architecture", "security", "operations"}
        # a comment form in every category (and the new-requirement forms of the owner's)
        assert forms == {"functional", "architecture", "archive", "privacy", "security", "operations", "other"}
        assert "K-001" in page and "Fravær føres fra mobil." in page and "B-01 Føre fravær ett sted" in page
        assert "Endre K-001" not in page  # functional is the user representatives'

    def test_a_reader_sees_comment_forms_and_no_requirement_form(self, client, filled):
        client.force_login(filled[Role.UNION_REPRESENTATIVE])
        page = _page(client, "tendering_specification", filled.procurement).content.decode()
        assert 'id="id_req_' not in page
        assert 'id="id_comment_functional_text"' in page
        assert "Beskriv et behov" not in page

    def test_the_user_representative_edits_their_requirement(self, client, filled):
        client.force_login(filled[Role.USER_REPRESENTATIVE])
        url = reverse("tendering_requirement_edit", args=[filled.procurement.pk, filled.requirement.pk])
        assert client.get(url).status_code == 200
        response = client.post(url, {"kind": "must", "text": "Fravær skal kunne føres fra mobil.", "need": "", "criterion": "", "weight": ""})
        assert response.status_code == 302
        filled.requirement.refresh_from_db()
        assert (filled.requirement.kind, filled.requirement.text, filled.requirement.criterion) == ("must", "Fravær skal kunne føres fra mobil.", None)

    def test_the_edit_page_of_another_procurements_requirement_is_404(self, client, filled):
        other = build_spec_world(title="En annen anskaffelse")
        client.force_login(other[Role.USER_REPRESENTATIVE])
        url = reverse("tendering_requirement_edit", args=[other.procurement.pk, filled.requirement.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"kind": "must", "text": "Kapret."}).status_code == 404
        assert Requirement.objects.get(pk=filled.requirement.pk).text == "Fravær føres fra mobil."

    def test_the_criteria_page_shows_weights_running_totals_and_effective_weights(self, client, filled):
        client.force_login(filled[Role.REGIONAL_BUYER])
        page = _page(client, "tendering_criteria", filled.procurement).content.decode()
        assert f'name="weight_{filled.quality.pk}"' in page and f'name="weight_{filled.sub.pk}"' in page
        assert "Beslutt kriteriene" in page
        assert re.search(r"Sum:\s*<strong><span data-total>100</span> %", page)
        assert "Lineær" in page and "Poengskala" in page

    def test_weights_that_do_not_total_100_are_refused_in_norwegian_and_kept(self, client, filled):
        client.force_login(filled[Role.USER_REPRESENTATIVE])
        data = {f"weight_{filled.quality.pk}": "55", f"weight_{filled.sub.pk}": "100", f"weight_{filled.price.pk}": "40"}
        response = client.post(reverse("tendering_criteria", args=[filled.procurement.pk]), data)
        assert response.status_code == 400
        page = response.content.decode()
        assert "Vektene summerer til 95 %, men må bli nøyaktig 100 %." in page
        assert 'href="#vekter"' in page  # the error summary links to the fieldset
        assert 'value="55"' in page  # what was typed is kept
        assert AwardCriterion.objects.get(pk=filled.quality.pk).weight == Decimal(60)

    def test_sub_criteria_must_total_100_too(self, client, filled):
        client.force_login(filled[Role.REGIONAL_BUYER])
        data = {f"weight_{filled.quality.pk}": "60", f"weight_{filled.sub.pk}": "90", f"weight_{filled.price.pk}": "40"}
        response = client.post(reverse("tendering_criteria", args=[filled.procurement.pk]), data)
        assert response.status_code == 400
        assert "Underkriteriene til «Kvalitet»: Vektene summerer til 90 %, men må bli nøyaktig 100 %." in response.content.decode()

    def test_the_buyer_saves_weights_and_decides(self, client, filled):
        client.force_login(filled[Role.REGIONAL_BUYER])
        data = {f"weight_{filled.quality.pk}": "70", f"weight_{filled.sub.pk}": "100", f"weight_{filled.price.pk}": "30,00 %"}
        assert client.post(reverse("tendering_criteria", args=[filled.procurement.pk]), data).status_code == 302
        assert client.post(reverse("tendering_criteria_decide", args=[filled.procurement.pk])).status_code == 302
        assert set(AwardCriterion.objects.filter(specification__procurement=filled.procurement).values_list("status", "weight")) == {
            ("decided", Decimal(70)), ("decided", Decimal(100)), ("decided", Decimal(30))
        }

    def test_the_tender_text_page_for_the_buyer_and_for_a_reader(self, client, filled):
        client.force_login(filled[Role.REGIONAL_BUYER])
        page = _page(client, "tendering_tender_text", filled.procurement).content.decode()
        assert 'name="instructions"' in page and 'name="scale_10"' in page
        client.force_login(filled[Role.ARCHIVE_REPRESENTATIVE])
        page = _page(client, "tendering_tender_text", filled.procurement).content.decode()
        assert 'name="instructions"' not in page and "Instruks til tilbyderne" in page

    def test_an_outsider_and_an_anonymous_visitor_see_nothing(self, client, filled):
        other = build_spec_world(title="Fosen")
        client.force_login(other[Role.REGIONAL_BUYER])
        for name in ("tendering_specification", "tendering_criteria", "tendering_tender_text"):
            assert _page(client, name, filled.procurement).status_code == 404
        assert client.get(reverse("tendering_document_pdf", args=[filled.procurement.pk, "kravspesifikasjon"])).status_code == 404
        client.logout()
        assert _page(client, "tendering_specification", filled.procurement).status_code == 302


HUGE = "x" * 100_000


class TestHostileInput:
    @pytest.mark.parametrize(
        "data, field, message",
        [
            ({"kind": "must", "text": ""}, "text", "Skriv kravet."),
            ({"kind": "must", "text": HUGE}, "text", "4000 eller færre tegn"),
            ({"kind": "maybe", "text": "Krav."}, "kind", "Velg et av alternativene."),
            ({"kind": "must", "text": "Krav.", "weight": "10"}, "weight", "Et må-krav er ja eller nei og har ingen vekt."),
            ({"kind": "should", "text": "Krav."}, "weight", "Et bør-krav må ha en vekt eller høre til et tildelingskriterium."),
            ({"kind": "should", "text": "Krav.", "weight": "NaN"}, "weight", "Skriv et tall mellom 0 og 100"),
            ({"kind": "should", "text": "Krav.", "weight": "Infinity"}, "weight", "Skriv et tall mellom 0 og 100"),
            ({"kind": "should", "text": "Krav.", "weight": "1e999"}, "weight", "Skriv et tall mellom 0 og 100"),
            ({"kind": "should", "text": "Krav.", "weight": "-5"}, "weight", "Skriv et tall mellom 0 og 100"),
            ({"kind": "should", "text": "Krav.", "weight": "9" * 500}, "weight", "Skriv et tall mellom 0 og 100"),
            ({"kind": "should", "text": "Krav.", "weight": "12,345"}, "weight", "Skriv høyst to desimaler"),
            ({"kind": "should", "text": "Krav.", "criterion": "999999"}, "criterion", "Velg et av alternativene."),
            ({"kind": "should", "text": "Krav.", "criterion": "abc"}, "criterion", "Velg et av alternativene."),
            ({"kind": "must", "text": "Krav.", "need": "999999"}, "need", "Velg et av alternativene."),
            ({"kind": "must", "text": "Krav\x00med nullbyte"}, "text", "Null-tegn er ikke tillatt."),
        ],
    )
    def test_requirement_form(self, client, filled, data, field, message):
        client.force_login(filled[Role.USER_REPRESENTATIVE])
        before = Requirement.objects.count()
        response = client.post(reverse("tendering_requirement_add", args=[filled.procurement.pk]), {"category": "functional", **data})
        assert response.status_code == 400
        page = response.content.decode()
        assert f'id="id_req_functional_{field}_error"' in page
        assert message in page
        assert Requirement.objects.count() == before

    def test_the_price_criterion_cannot_be_tampered_in_as_a_requirements_criterion(self, client, filled):
        client.force_login(filled[Role.USER_REPRESENTATIVE])
        data = {"category": "functional", "kind": "should", "text": "Krav.", "criterion": str(filled.price.pk)}
        response = client.post(reverse("tendering_requirement_add", args=[filled.procurement.pk]), data)
        assert response.status_code == 400 and Requirement.objects.count() == 1

    def test_another_specifications_need_is_not_a_choice(self, client, filled):
        other = build_spec_world(title="Annen")
        foreign = services.need_add(user=other[Role.USER_REPRESENTATIVE], procurement=other.procurement, title="Fremmed")
        client.force_login(filled[Role.USER_REPRESENTATIVE])
        data = {"category": "functional", "kind": "must", "text": "Krav.", "need": str(foreign.pk)}
        assert client.post(reverse("tendering_requirement_add", args=[filled.procurement.pk]), data).status_code == 400
        assert Requirement.objects.count() == 1

    @pytest.mark.parametrize("category", ["", "finance", "'; DROP TABLE", "x" * 5000])
    def test_an_unknown_category_is_404(self, client, filled, category):
        client.force_login(filled[Role.USER_REPRESENTATIVE])
        response = client.post(reverse("tendering_requirement_add", args=[filled.procurement.pk]), {"category": category, "kind": "must", "text": "K"})
        assert response.status_code == 404
        response = client.post(reverse("tendering_comment_add", args=[filled.procurement.pk]), {"category": category, "text": "K"})
        assert response.status_code == 404
        assert Requirement.objects.count() == 1 and Comment.objects.count() == 0

    @pytest.mark.parametrize(
        "weights, message",
        [
            (("NaN", "100", "40"), "Skriv et tall mellom 0 og 100"),
            (("Infinity", "100", "40"), "Skriv et tall mellom 0 og 100"),
            (("1e999", "100", "40"), "Skriv et tall mellom 0 og 100"),
            (("", "100", "40"), "Skriv en vekt"),
            (("60.001", "100", "40"), "Skriv høyst to desimaler"),
        ],
    )
    def test_weights_form(self, client, filled, weights, message):
        client.force_login(filled[Role.REGIONAL_BUYER])
        keys = (filled.quality.pk, filled.sub.pk, filled.price.pk)
        response = client.post(reverse("tendering_criteria", args=[filled.procurement.pk]), {f"weight_{k}": w for k, w in zip(keys, weights, strict=True)})
        assert response.status_code == 400 and message in response.content.decode()
        assert sorted(AwardCriterion.objects.values_list("weight", flat=True)) == [Decimal(40), Decimal(60), Decimal(100)]

    def test_a_missing_or_foreign_weight_is_refused_as_a_stale_page(self, client, filled):
        client.force_login(filled[Role.REGIONAL_BUYER])
        response = client.post(reverse("tendering_criteria", args=[filled.procurement.pk]), {f"weight_{filled.quality.pk}": "100"})
        assert response.status_code == 400
        assert "Skriv en vekt" in response.content.decode()

    @pytest.mark.parametrize(
        "data, message",
        [
            ({"name": "", "weight": "10"}, "Skriv navnet på kriteriet."),
            ({"name": "Service", "weight": "NaN"}, "Skriv et tall mellom 0 og 100"),
            ({"name": "Service", "parent": "999999"}, "Velg et av alternativene."),
            ({"name": "Pris igjen", "is_price": "on"}, "Det finnes allerede et priskriterium."),
            ({"name": "x" * 1000}, "200 eller færre tegn"),
        ],
    )
    def test_criterion_form(self, client, filled, data, message):
        client.force_login(filled[Role.USER_REPRESENTATIVE])
        response = client.post(reverse("tendering_criterion_propose", args=[filled.procurement.pk]), data)
        assert response.status_code == 400 and message in response.content.decode()
        assert AwardCriterion.objects.count() == 3

    @pytest.mark.parametrize(
        "field, value, message",
        [
            ("price_model", "auction", "Velg et av alternativene."),
            ("scale_5", "", "Skriv hva som gir 5 poeng."),
            ("instructions", "x" * 20001, "20000 eller færre tegn"),
        ],
    )
    def test_tender_text_form(self, client, filled, field, value, message):
        client.force_login(filled[Role.REGIONAL_BUYER])
        data = {"instructions": "Instruks.", "procedure_text": "", "timetable": "", "price_model": "proportional"}
        data.update({f"scale_{n}": f"{n} poeng" for n in range(11)})
        data[field] = value
        response = client.post(reverse("tendering_tender_text", args=[filled.procurement.pk]), data)
        assert response.status_code == 400 and message in response.content.decode()
        assert Specification.objects.get(procurement=filled.procurement).price_model == "linear"

    def test_need_and_comment_forms(self, client, filled):
        client.force_login(filled[Role.USER_REPRESENTATIVE])
        assert client.post(reverse("tendering_need_add", args=[filled.procurement.pk]), {"title": "", "text": HUGE}).status_code == 400
        assert Need.objects.count() == 1
        data = {"category": "archive", "text": "Hva med Noark?", "requirement": str(filled.requirement.pk)}
        response = client.post(reverse("tendering_comment_add", args=[filled.procurement.pk]), data)
        assert response.status_code == 400  # the requirement is not in the archive category
        assert Comment.objects.count() == 0


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["tendering_specification", "tendering_criteria", "tendering_tender_text"])
def test_the_screens_ask_the_same_number_of_queries_for_3_and_30_requirements(client, filled, name):
    p = filled.procurement
    url = reverse(name, args=[p.pk])
    client.force_login(filled[Role.ICT_ARCHITECT])
    client.get(url)  # the first request after logging in also touches the session
    few = _queries(client, url)
    for n in range(30):
        requirement = services.requirement_add(
            user=filled[Role.ICT_ARCHITECT], procurement=p, category="architecture", kind="should", text=f"Krav {n}.",
            criterion_id=filled.quality.pk,
        )
        services.comment_add(user=filled[Role.EVALUATOR], procurement=p, category="architecture", requirement_id=requirement.pk, text="Ok.")
    many = _queries(client, url)
    assert many == few


class TestWithdrawing:
    def test_the_owner_takes_a_requirement_out_of_the_draft(self, client, filled):
        services.comment_add(user=filled[Role.EVALUATOR], procurement=filled.procurement, category="functional",
                             requirement_id=filled.requirement.pk, text="Uklart.")
        client.force_login(filled[Role.USER_REPRESENTATIVE])
        url = reverse("tendering_requirement_remove", args=[filled.procurement.pk, filled.requirement.pk])
        assert client.post(url).status_code == 302
        assert not Requirement.objects.filter(pk=filled.requirement.pk).exists() and Comment.objects.count() == 0
        from audit.models import AuditEntry

        entry = AuditEntry.objects.get(action="requirement.removed")
        assert entry.data["text"] == "Fravær føres fra mobil."

    @pytest.mark.parametrize("role", [Role.ICT_ARCHITECT, Role.REGIONAL_BUYER, Role.EVALUATOR])
    def test_others_may_not_take_it_out(self, client, filled, role):
        client.force_login(filled[role])
        url = reverse("tendering_requirement_remove", args=[filled.procurement.pk, filled.requirement.pk])
        assert client.post(url).status_code == 403
        assert Requirement.objects.filter(pk=filled.requirement.pk).exists()

    def test_a_criterion_with_requirements_under_it_is_not_withdrawn(self, client, filled):
        client.force_login(filled[Role.USER_REPRESENTATIVE])
        response = client.post(reverse("tendering_criterion_remove", args=[filled.procurement.pk]), {"criterion": filled.quality.pk}, follow=True)
        assert "Kravene K-001 vurderes under kriteriet." in response.content.decode()
        assert AwardCriterion.objects.filter(pk=filled.quality.pk).exists()

    def test_the_proposer_or_the_buyer_withdraws_a_criterion(self, client, filled):
        client.force_login(filled[Role.ARCHIVE_REPRESENTATIVE])
        assert client.post(reverse("tendering_criterion_remove", args=[filled.procurement.pk]), {"criterion": filled.price.pk}).status_code == 403
        client.force_login(filled[Role.USER_REPRESENTATIVE])  # proposed by the buyer, not by this user representative
        assert client.post(reverse("tendering_criterion_remove", args=[filled.procurement.pk]), {"criterion": filled.price.pk}).status_code == 403
        client.force_login(filled[Role.REGIONAL_BUYER])
        assert client.post(reverse("tendering_criterion_remove", args=[filled.procurement.pk]), {"criterion": filled.price.pk}).status_code == 302
        assert not AwardCriterion.objects.filter(pk=filled.price.pk).exists()

    @pytest.mark.parametrize("value", ["", "abc", "999999", "-1", "9" * 40])
    def test_a_tampered_criterion_is_404(self, client, filled, value):
        client.force_login(filled[Role.REGIONAL_BUYER])
        assert client.post(reverse("tendering_criterion_remove", args=[filled.procurement.pk]), {"criterion": value}).status_code == 404
        assert AwardCriterion.objects.count() == 3
