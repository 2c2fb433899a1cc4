"""Intake screens through the test client: reporting a need or an initiative, inviting the
other municipalities, answering an invitation and the cost-sharing key; plus the login
page and the health check. Data is set up through the services (tests/conftest.py)."""
import json
import re
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone

from municipalities.roles import Role
from procurement.models import InformationInitiative, Participation, ParticipationStatus, Procurement
from procurement.services.intake import invitations_send, procurement_report
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def html(response) -> str:
    return response.content.decode()


def need_data(for_municipality, **overrides) -> dict:
    data = {
        "municipality": for_municipality.pk,
        "title": "Nytt fagsystem for barnehage",
        "description": "Dagens system går ut av støtte i 2027.",
        "kind": "replace",
        "funding": "action_plan",
        "estimated_value": "1 250 000",
    }
    data.update(overrides)
    return data


def reported(world, municipality=None, **kwargs) -> Procurement:
    municipality = municipality or world.municipalities[0]
    return procurement_report(
        user=world.representative(municipality),
        municipality=municipality,
        title=kwargs.get("title", "Felles velferdsteknologi"),
        kind="introduce",
        description="Trygghetsalarmer og digitalt tilsyn.",
        funding="own_budget",
    )


def tomorrow_plus(world, days: int):
    return timezone.localdate(timezone=world.collaboration.tzinfo) + timedelta(days=days)


# --------------------------------------------------------------------------------------
# Report a need
# --------------------------------------------------------------------------------------


class TestReportNeed:
    def test_form_offers_only_the_members_own_municipality(self, client, collaboration):
        own, other = collaboration.municipalities[0], collaboration.municipalities[1]
        client.force_login(collaboration.representative(own))
        response = client.get(reverse("report_need"))
        assert response.status_code == 200
        page = html(response)
        assert f'value="{own.pk}" selected' in page  # the only choice is pre-selected
        assert f'value="{other.pk}"' not in page
        assert 'enctype="multipart/form-data"' in page

    def test_happy_path_with_benefit_plan_creates_procurement_and_redirects(self, client, collaboration):
        municipality = collaboration.municipalities[0]
        client.force_login(collaboration.representative(municipality))
        plan = SimpleUploadedFile("gevinstplan.pdf", PDF, content_type="application/pdf")
        response = client.post(reverse("report_need"), {**need_data(municipality), "draft_benefit_plan": plan})
        procurement = Procurement.objects.get(title="Nytt fagsystem for barnehage")
        assert response.status_code == 302
        assert response["Location"] == reverse("procurement_detail", kwargs={"procurement_id": procurement.pk})
        assert procurement.lead_municipality == municipality
        assert procurement.estimated_value == Decimal("1250000")
        assert procurement.benefit_plan.attachment_name == "gevinstplan.pdf"  # the draft plan's attachment
        assert procurement.participations.get().is_lead

    def test_missing_fields_show_norwegian_errors_next_to_fields_and_keep_input(self, client, collaboration):
        municipality = collaboration.municipalities[0]
        client.force_login(collaboration.representative(municipality))
        response = client.post(
            reverse("report_need"),
            need_data(municipality, title="", kind="", funding="", description="Noe vi skrev"),
        )
        assert response.status_code == 400
        page = html(response)
        assert "Skriv en tittel." in page
        assert "Velg hva slags behov det er." in page
        assert "Velg hvordan anskaffelsen skal finansieres." in page
        assert "This field is required" not in page
        # Summary links to the fields; messages sit next to the fields with aria wiring.
        assert 'class="ds-error-summary' in page
        assert 'href="#id_title"' in page
        assert 'href="#id_kind_0"' in page
        assert 'id="id_title_error"' in page
        assert re.search(r'<input[^>]*id="id_title"[^>]*aria-invalid="true"', page) or re.search(
            r'<input[^>]*aria-invalid="true"[^>]*id="id_title"', page
        )
        assert 'aria-describedby="id_title_helptext id_title_error"' in page
        assert "Noe vi skrev" in page  # what the person typed is kept
        assert "<title>Feil:" in page
        assert not Procurement.objects.exists()

    def test_bad_file_type_is_rejected_next_to_the_file_field(self, client, collaboration):
        municipality = collaboration.municipalities[0]
        client.force_login(collaboration.representative(municipality))
        plan = SimpleUploadedFile("plan.exe", b"MZ\x90\x00", content_type="application/octet-stream")
        response = client.post(reverse("report_need"), {**need_data(municipality), "draft_benefit_plan": plan})
        assert response.status_code == 400
        page = html(response)
        assert "Filtypen er ikke tillatt" in page
        assert 'href="#id_draft_benefit_plan"' in page
        assert "Velg den på nytt" in page  # the browser cannot keep the file
        assert not Procurement.objects.exists()

    def test_renamed_file_whose_content_does_not_match_is_rejected(self, client, collaboration):
        municipality = collaboration.municipalities[0]
        client.force_login(collaboration.representative(municipality))
        plan = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
        response = client.post(reverse("report_need"), {**need_data(municipality), "draft_benefit_plan": plan})
        assert response.status_code == 400
        assert "Filinnholdet stemmer ikke" in html(response)
        assert not Procurement.objects.exists()

    @pytest.mark.parametrize("value", ["abc", "999999999", ""])
    def test_municipality_that_is_not_a_choice_is_a_form_error(self, client, collaboration, make_collaboration, value):
        other_collaboration = make_collaboration(1, name="Fosen")
        municipality = collaboration.municipalities[0]
        client.force_login(collaboration.representative(municipality))
        value = str(other_collaboration.municipalities[0].pk) if value == "999999999" else value
        response = client.post(reverse("report_need"), need_data(municipality, municipality=value))
        assert response.status_code == 400
        assert 'id="id_municipality_error"' in html(response)
        assert not Procurement.objects.exists()

    def test_member_cannot_report_for_another_municipality_of_the_collaboration(self, client, collaboration):
        own, other = collaboration.municipalities[0], collaboration.municipalities[1]
        client.force_login(collaboration.representative(own))
        response = client.post(reverse("report_need"), need_data(other))
        assert response.status_code == 400
        assert 'id="id_municipality_error"' in html(response)
        assert not Procurement.objects.exists()

    def test_person_without_reporting_role_gets_403(self, client, collaboration):
        client.force_login(collaboration.user_representative(collaboration.municipalities[0]))
        response = client.get(reverse("report_need"))
        assert response.status_code == 403
        assert "ingen rolle som kan melde inn behov" in html(response)

    def test_the_menu_offers_reporting_only_to_those_who_may_report(self, client, collaboration):
        link = f'href="{reverse("report_need")}"'
        first = collaboration.municipalities[0]
        for person, offered in [
            (collaboration.representative(first), True),
            (collaboration.coordinator, True),
            (collaboration.user_representative(first), False),
            (collaboration.chief_executive(first), False),
        ]:
            client.force_login(person)
            assert (link in html(client.get(reverse("dashboard")))) is offered, person
            assert (client.get(reverse("report_need")).status_code == 200) is offered, person

    def test_anonymous_is_sent_to_login(self, client, db):
        response = client.get(reverse("report_need"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


class TestInitiative:
    def test_information_only_becomes_an_initiative_without_kind_or_funding(self, client, collaboration):
        municipality = collaboration.municipalities[0]
        client.force_login(collaboration.representative(municipality))
        response = client.post(
            reverse("report_need"),
            need_data(municipality, information_only="on", kind="", funding="", estimated_value="", title="RPA i økonomi"),
        )
        initiative = InformationInitiative.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("initiative_detail", kwargs={"initiative_id": initiative.pk})
        assert initiative.title == "RPA i økonomi"
        assert initiative.collaboration == collaboration.collaboration
        assert not Procurement.objects.exists()

    def test_initiative_page_visible_in_collaboration_and_404_elsewhere(self, client, collaboration, make_collaboration, person_with_role):
        municipality = collaboration.municipalities[0]
        client.force_login(collaboration.representative(municipality))
        client.post(reverse("report_need"), need_data(municipality, information_only="on", title="RPA i økonomi"))
        initiative = InformationInitiative.objects.get()
        url = reverse("initiative_detail", kwargs={"initiative_id": initiative.pk})

        client.force_login(collaboration.user_representative(collaboration.municipalities[1]))
        response = client.get(url)
        assert response.status_code == 200
        assert "RPA i økonomi" in html(response)

        fosen = make_collaboration(1, name="Fosen")
        client.force_login(fosen.representative(fosen.municipalities[0]))
        assert client.get(url).status_code == 404
        assert client.get(reverse("initiative_detail", kwargs={"initiative_id": 99999})).status_code == 404


# --------------------------------------------------------------------------------------
# Invite
# --------------------------------------------------------------------------------------


class TestInvite:
    def test_coordinator_sees_other_municipalities_prechecked(self, client, collaboration):
        procurement = reported(collaboration)
        client.force_login(collaboration.coordinator)
        response = client.get(reverse("procurement_invite", kwargs={"procurement_id": procurement.pk}))
        assert response.status_code == 200
        page = html(response)
        lead, *others = collaboration.municipalities
        for municipality in others:
            assert re.search(rf'<input[^>]*value="{municipality.pk}"[^>]*checked', page)
        assert not re.search(rf'type="checkbox"[^>]*value="{lead.pk}"', page)
        assert 'type="date"' in page

    def test_invite_sends_and_redirects(self, client, collaboration):
        procurement = reported(collaboration)
        lead, *others = collaboration.municipalities
        client.force_login(collaboration.coordinator)
        deadline = tomorrow_plus(collaboration, 10)
        response = client.post(
            reverse("procurement_invite", kwargs={"procurement_id": procurement.pk}),
            {"municipalities": [m.pk for m in others], "answer_deadline": deadline.isoformat()},
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("procurement_detail", kwargs={"procurement_id": procurement.pk})
        invited = procurement.participations.filter(status=ParticipationStatus.INVITED)
        assert {p.municipality_id for p in invited} == {m.pk for m in others}
        procurement.refresh_from_db()
        assert procurement.invitation_deadline == deadline

    @pytest.mark.parametrize("days", [0, -3])
    def test_deadline_must_be_after_today(self, client, collaboration, days):
        procurement = reported(collaboration)
        client.force_login(collaboration.coordinator)
        response = client.post(
            reverse("procurement_invite", kwargs={"procurement_id": procurement.pk}),
            {"municipalities": [collaboration.municipalities[1].pk], "answer_deadline": tomorrow_plus(collaboration, days).isoformat()},
        )
        assert response.status_code == 200
        assert "Svarfristen må være etter i dag." in html(response)
        assert 'href="#id_answer_deadline"' in html(response)
        assert not procurement.participations.filter(status=ParticipationStatus.INVITED).exists()

    def test_nothing_chosen_and_garbage_values_are_form_errors(self, client, collaboration, make_collaboration):
        procurement = reported(collaboration)
        fosen = make_collaboration(1, name="Fosen")
        client.force_login(collaboration.coordinator)
        url = reverse("procurement_invite", kwargs={"procurement_id": procurement.pk})
        response = client.post(url, {"answer_deadline": "i morgen"})
        assert response.status_code == 200
        assert "Velg minst én kommune å invitere." in html(response)
        assert "Skriv en gyldig dato" in html(response)
        response = client.post(
            url,
            {"municipalities": ["abc", fosen.municipalities[0].pk], "answer_deadline": tomorrow_plus(collaboration, 5).isoformat()},
        )
        assert response.status_code == 200
        assert 'id="id_municipalities_error"' in html(response)
        for past_the_id_column in ("99999999999999999999", "-1"):
            response = client.post(url, {"municipalities": [past_the_id_column], "answer_deadline": tomorrow_plus(collaboration, 5).isoformat()})
            assert response.status_code == 200 and 'id="id_municipalities_error"' in html(response)
        assert not procurement.participations.filter(status=ParticipationStatus.INVITED).exists()

    def test_member_without_manage_permission_gets_403(self, client, collaboration):
        procurement = reported(collaboration)
        client.force_login(collaboration.representative(collaboration.municipalities[0]))  # the lead's own member
        url = reverse("procurement_invite", kwargs={"procurement_id": procurement.pk})
        assert client.get(url).status_code == 403
        response = client.post(url, {"municipalities": [collaboration.municipalities[1].pk], "answer_deadline": "2099-01-01"})
        assert response.status_code == 403
        assert not procurement.participations.filter(status=ParticipationStatus.INVITED).exists()

    def test_unknown_or_other_collaborations_procurement_is_404(self, client, collaboration, make_collaboration):
        fosen = make_collaboration(2, name="Fosen")
        theirs = reported(fosen)
        client.force_login(collaboration.coordinator)
        assert client.get(reverse("procurement_invite", kwargs={"procurement_id": theirs.pk})).status_code == 404
        assert client.get(reverse("procurement_invite", kwargs={"procurement_id": 424242})).status_code == 404
        assert client.get("/anskaffelser/abc/inviter/").status_code == 404


# --------------------------------------------------------------------------------------
# Answer
# --------------------------------------------------------------------------------------


@pytest.fixture
def invited(collaboration):
    """A procurement of municipality 0 with the others invited."""
    procurement = reported(collaboration)
    invitations_send(
        user=collaboration.coordinator,
        procurement=procurement,
        municipalities=collaboration.municipalities[1:],
        answer_deadline=tomorrow_plus(collaboration, 14),
    )
    return procurement


def answer_url(procurement, municipality) -> str:
    return reverse("invitation_answer", kwargs={"procurement_id": procurement.pk, "municipality_id": municipality.pk})


class TestAnswer:
    def test_join(self, client, collaboration, invited):
        municipality = collaboration.municipalities[1]
        client.force_login(collaboration.chief_executive(municipality))
        assert client.get(answer_url(invited, municipality)).status_code == 200
        response = client.post(answer_url(invited, municipality), {"join": "yes"})
        assert response.status_code == 302
        participation = Participation.objects.get(procurement=invited, municipality=municipality)
        assert participation.status == ParticipationStatus.JOINED

    def test_decline_without_reason_shows_the_error_and_changes_nothing(self, client, collaboration, invited):
        municipality = collaboration.municipalities[1]
        client.force_login(collaboration.representative(municipality))
        response = client.post(answer_url(invited, municipality), {"join": "no", "reason": "   "})
        assert response.status_code == 200
        page = html(response)
        assert "Skriv hvorfor kommunen takker nei." in page
        assert 'href="#id_reason"' in page
        assert re.search(r'value="no"[^>]*checked|checked[^>]*value="no"', page)  # the choice is kept
        assert Participation.objects.get(procurement=invited, municipality=municipality).status == ParticipationStatus.INVITED

    def test_decline_with_reason(self, client, collaboration, invited):
        municipality = collaboration.municipalities[2]
        client.force_login(collaboration.chief_executive(municipality))
        response = client.post(answer_url(invited, municipality), {"join": "no", "reason": "Vi har nettopp kjøpt."})
        assert response.status_code == 302
        participation = Participation.objects.get(procurement=invited, municipality=municipality)
        assert participation.status == ParticipationStatus.DECLINED
        assert participation.decline_reason == "Vi har nettopp kjøpt."

    def test_no_choice_is_a_norwegian_error(self, client, collaboration, invited):
        municipality = collaboration.municipalities[1]
        client.force_login(collaboration.chief_executive(municipality))
        response = client.post(answer_url(invited, municipality), {"join": "kanskje"})
        assert response.status_code == 200
        assert 'id="id_join_error"' in html(response)

    def test_answering_for_another_municipality_is_403(self, client, collaboration, invited):
        mine, theirs = collaboration.municipalities[1], collaboration.municipalities[2]
        client.force_login(collaboration.chief_executive(mine))
        assert client.get(answer_url(invited, theirs)).status_code == 403
        assert client.post(answer_url(invited, theirs), {"join": "yes"}).status_code == 403
        assert Participation.objects.get(procurement=invited, municipality=theirs).status == ParticipationStatus.INVITED

    def test_user_representative_cannot_answer(self, client, collaboration, invited):
        municipality = collaboration.municipalities[1]
        client.force_login(collaboration.user_representative(municipality))
        assert client.post(answer_url(invited, municipality), {"join": "yes"}).status_code == 403

    def test_municipality_of_another_collaboration_or_unknown_is_404(self, client, collaboration, invited, make_collaboration):
        fosen = make_collaboration(1, name="Fosen")
        client.force_login(collaboration.coordinator)
        assert client.get(answer_url(invited, fosen.municipalities[0])).status_code == 404
        url = reverse("invitation_answer", kwargs={"procurement_id": invited.pk, "municipality_id": 987654})
        assert client.get(url).status_code == 404


# --------------------------------------------------------------------------------------
# Cost shares
# --------------------------------------------------------------------------------------


@pytest.fixture
def all_joined(collaboration, make_procurement):
    return make_procurement(collaboration)  # three municipalities, all joined, equal shares


def shares_url(procurement) -> str:
    return reverse("cost_shares", kwargs={"procurement_id": procurement.pk})


class TestCostShares:
    def test_form_shows_every_joined_municipality(self, client, collaboration, all_joined):
        client.force_login(collaboration.coordinator)
        response = client.get(shares_url(all_joined))
        assert response.status_code == 200
        page = html(response)
        for municipality in collaboration.municipalities:
            assert f'name="share_{municipality.pk}"' in page
        assert "data-share-total" in page

    def test_custom_not_totalling_100_is_an_error_and_nothing_changes(self, client, collaboration, all_joined):
        before = dict(all_joined.participations.values_list("municipality_id", "cost_share"))
        client.force_login(collaboration.coordinator)
        data = {"method": "custom"} | {f"share_{m.pk}": "30" for m in collaboration.municipalities}
        response = client.post(shares_url(all_joined), data)
        assert response.status_code == 400
        page = html(response)
        assert "nøyaktig 100" in page
        first = collaboration.municipalities[0]
        assert 'id="id_shares_error"' in page
        assert f'href="#id_share_{first.pk}"' in page  # the summary links to the group
        assert 'value="30"' in page
        all_joined.refresh_from_db()
        assert all_joined.cost_sharing_method == "equal"
        assert dict(all_joined.participations.values_list("municipality_id", "cost_share")) == before

    def test_custom_totalling_100_is_saved(self, client, collaboration, all_joined):
        a, b, c = collaboration.municipalities
        client.force_login(collaboration.coordinator)
        response = client.post(
            shares_url(all_joined), {"method": "custom", f"share_{a.pk}": "50", f"share_{b.pk}": "30,5", f"share_{c.pk}": "19.5"}
        )
        assert response.status_code == 302
        shares = dict(all_joined.participations.values_list("municipality_id", "cost_share"))
        assert shares == {a.pk: Decimal("50.00"), b.pk: Decimal("30.50"), c.pk: Decimal("19.50")}

    def test_custom_with_missing_or_non_numeric_share_is_a_field_error(self, client, collaboration, all_joined):
        a, b, c = collaboration.municipalities
        client.force_login(collaboration.coordinator)
        response = client.post(shares_url(all_joined), {"method": "custom", f"share_{a.pk}": "femti", f"share_{b.pk}": "50"})
        assert response.status_code == 400
        page = html(response)
        assert f'id="id_share_{a.pk}_error"' in page
        assert f'id="id_share_{c.pk}_error"' in page

    def test_population_method_is_saved(self, client, collaboration, all_joined):
        client.force_login(collaboration.coordinator)
        response = client.post(shares_url(all_joined), {"method": "population"})
        assert response.status_code == 302
        shares = all_joined.participations.values_list("cost_share", flat=True)
        assert sum(shares) == Decimal("100.00")
        all_joined.refresh_from_db()
        assert all_joined.cost_sharing_method == "population"

    def test_non_manager_gets_403(self, client, collaboration, all_joined):
        client.force_login(collaboration.representative(collaboration.municipalities[0]))
        assert client.post(shares_url(all_joined), {"method": "population"}).status_code == 403
        all_joined.refresh_from_db()
        assert all_joined.cost_sharing_method == "equal"


# --------------------------------------------------------------------------------------
# Login and health
# --------------------------------------------------------------------------------------


class TestLogin:
    def test_demo_accounts_listed_when_enabled(self, client, collaboration, settings):
        settings.SHOW_DEMO_LOGINS = True
        response = client.get(reverse("login"))
        page = html(response)
        assert response.status_code == 200
        assert collaboration.coordinator.username in page
        assert str(Role.COORDINATOR.label) in page
        assert settings.DEMO_PASSWORD in page

    def test_demo_accounts_never_shown_when_disabled(self, client, collaboration, settings):
        settings.SHOW_DEMO_LOGINS = False
        page = html(client.get(reverse("login")))
        assert collaboration.coordinator.username not in page
        assert settings.DEMO_PASSWORD not in page
        assert "Demokontoer" not in page

    def test_bad_login_shows_norwegian_error(self, client, collaboration):
        response = client.post(reverse("login"), {"username": collaboration.coordinator.username, "password": "feil"})
        assert response.status_code == 200
        assert "Feil brukernavn eller passord." in html(response)

    def test_expired_form_gets_a_norwegian_csrf_page(self, collaboration):
        from django.test import Client

        response = Client(enforce_csrf_checks=True).post(
            reverse("login"), {"username": collaboration.coordinator.username, "password": PASSWORD}
        )
        assert response.status_code == 403
        assert "Skjemaet er utløpt" in html(response)

    def test_good_login_goes_to_dashboard(self, client, collaboration):
        response = client.post(reverse("login"), {"username": collaboration.coordinator.username, "password": PASSWORD})
        assert response.status_code == 302
        assert response["Location"] == reverse("dashboard")


class TestHealth:
    def test_ok(self, client, db):
        response = client.get(reverse("healthz"))
        assert response.status_code == 200
        assert json.loads(response.content) == {"status": "ok"}

    def test_database_down_is_503(self, client, db):
        with mock.patch("core.views.health.connection.cursor", side_effect=DatabaseError("down")):
            response = client.get(reverse("healthz"))
        assert response.status_code == 503
        assert json.loads(response.content)["status"] != "ok"
