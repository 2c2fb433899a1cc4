"""The plan: started at intake (the upload becomes its attachment), a version frozen at the
end of every phase with the answer to "was the plan reviewed?", shown in the timeline."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEntry
from benefits.models import BenefitPlan, PlanVersion
from benefits.services import plan_update
from procurement import phases
from procurement.services.intake import procurement_report

from .conftest import add_benefit

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% gevinstplan\n"


def test_a_reported_need_starts_a_draft_plan_with_the_upload_as_attachment(collaboration):
    municipality = collaboration.municipalities[0]
    procurement = procurement_report(
        user=collaboration.representative(municipality),
        municipality=municipality,
        title="Digitalt tilsyn",
        kind="introduce",
        description="Behov.",
        funding="action_plan",
        draft_benefit_plan=SimpleUploadedFile("gevinstplan.pdf", PDF, content_type="application/pdf"),
    )
    plan = BenefitPlan.objects.get(procurement=procurement)
    assert plan.attachment_name == "gevinstplan.pdf"
    assert plan.attachment.read() == PDF
    assert not plan.versions.exists()


def test_every_phase_end_freezes_a_version(collaboration, make_procurement, advance_to):
    procurement = make_procurement(collaboration)
    add_benefit(collaboration, procurement)
    advance_to(procurement, phases.TARGET_PICTURE)
    versions = list(PlanVersion.objects.filter(plan__procurement=procurement).order_by("number"))
    assert [(v.number, v.phase) for v in versions] == [(1, phases.INTAKE), (2, phases.NEEDS)]
    assert versions[1].content["benefits"][0]["title"] == "Spart tid per hjemmebesøk"
    assert len(versions[1].sha256) == 64


def test_the_frozen_version_does_not_change_with_the_plan(plan_world, advance_to):
    world, procurement, benefit, _shares = plan_world
    advance_to(procurement, phases.TARGET_PICTURE)
    version = PlanVersion.objects.filter(plan__procurement=procurement).latest("number")
    plan_update(user=world.coordinator, procurement=procurement, rationale="Ny begrunnelse")
    version.refresh_from_db()
    assert version.content["sections"]["rationale"] == ""
    assert [s["municipality"] for s in version.content["benefits"][0]["shares"]] == sorted(m.name for m in world.municipalities)


@pytest.mark.parametrize(("ticked", "reviewed", "words"), [(True, True, "er gjennomgått"), (False, False, "er ikke gjennomgått")])
def test_completing_a_phase_asks_whether_the_plan_was_reviewed(client, collaboration, make_procurement, fill_deliverables, ticked, reviewed, words):
    procurement = make_procurement(collaboration, phase=phases.NEEDS)
    fill_deliverables(procurement)
    client.force_login(collaboration.coordinator)
    page = client.get(reverse("procurement_detail", args=[procurement.pk])).content.decode()
    assert 'name="plan_reviewed"' in page
    data = {"plan_reviewed": "1", "confirmed": "1"} if ticked else {"confirmed": "1"}
    response = client.post(reverse("procurement_transition", args=[procurement.pk, "complete_phase"]), data)
    assert response.status_code == 302
    version = PlanVersion.objects.filter(plan__procurement=procurement).latest("number")
    assert (version.phase, version.reviewed) == (phases.NEEDS, reviewed)
    entry = AuditEntry.objects.filter(procurement=procurement, action="procurement.complete_phase").latest("at")
    assert entry.data["plan_reviewed"] is reviewed
    assert f"Gevinstrealiseringsplanen {words}." in entry.message
    # The timeline shows each version, linked.
    page = client.get(reverse("procurement_detail", args=[procurement.pk])).content.decode()
    assert reverse("benefit_plan_version", args=[procurement.pk, version.number]) in page
    assert f"Gevinstplan versjon {version.number} lagret" in page


def test_a_version_page_shows_the_frozen_plan(client, plan_world, advance_to):
    world, procurement, benefit, _shares = plan_world
    advance_to(procurement, phases.TARGET_PICTURE)
    version = PlanVersion.objects.filter(plan__procurement=procurement).latest("number")
    client.force_login(world.coordinator)
    page = client.get(reverse("benefit_plan_version", args=[procurement.pk, version.number])).content.decode()
    assert "Spart tid per hjemmebesøk" in page and version.sha256 in page
    assert client.get(reverse("benefit_plan_version", args=[procurement.pk, 99])).status_code == 404


def test_the_plan_page_shows_every_column_and_the_totals_to_the_coordinator(client, plan_world):
    world, procurement, benefit, shares = plan_world
    client.force_login(world.coordinator)
    response = client.get(reverse("benefit_plan", args=[procurement.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    for column in ("Gevinsttype", "Kategori", "Hvem får gevinsten", "Indikator", "Måleenhet", "Metode for nullpunkt", "Målefrekvens",
                   "Tiltak", "Forutsetninger", "Risiko", "Kr per år", "Årsverk", "Gevinsteier", "Nullpunkt", "Målverdi", "Måldato"):
        assert column in page, column
    for municipality in world.municipalities:
        assert municipality.name in page
    assert "Samarbeidet totalt" in page
    assert "600\xa0000" in page  # 100 000 + 200 000 + 300 000 kr per year
    assert 'class="app-table-scroll"' in page
    assert "<svg" in page and "Stiplet linje med firkanter" in page


def test_the_procurement_page_links_to_the_benefit_page(client, plan_world):
    world, procurement, _benefit, _shares = plan_world
    client.force_login(world.representative(world.municipalities[1]))
    page = client.get(reverse("procurement_detail", args=[procurement.pk])).content.decode()
    assert reverse("benefit_plan", args=[procurement.pk]) in page


def test_plan_texts_and_gain_sharing(client, plan_world):
    world, procurement, _benefit, _shares = plan_world
    client.force_login(world.coordinator)
    url = reverse("benefit_plan_edit", args=[procurement.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"rationale": "Færre nattbesøk", "gain_sharing": "fte", "gain_sharing_amount": "1"})
    assert response.status_code == 302
    plan = BenefitPlan.objects.get(procurement=procurement)
    assert (plan.rationale, plan.gain_sharing, plan.gain_sharing_amount) == ("Færre nattbesøk", "fte", Decimal("1"))
    response = client.post(url, {"gain_sharing": "percent", "gain_sharing_amount": "120"})
    assert response.status_code == 400
    assert "En prosentandel kan ikke være over 100." in response.content.decode()


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "1e999", "12,3,4", "9" * 30])
def test_hostile_numbers_are_form_errors(client, plan_world, bad):
    world, procurement, benefit, _shares = plan_world
    municipality = world.municipalities[0]
    client.force_login(world.representative(municipality))
    url = reverse("benefit_share_edit", args=[procurement.pk, benefit.pk, municipality.pk])
    response = client.post(url, {"owner": world.representative(municipality).pk, "baseline_value": bad, "baseline_date": "2025-01-01",
                                 "target_value": "4", "target_date": "2027-01-01", "nok_per_year": bad, "hours_per_year": bad})
    assert response.status_code == 400
    page = response.content.decode()
    assert "ds-error-summary" in page
    assert "Skriv et tall" in page or "for stort" in page


def test_a_new_benefit_form_shows_norwegian_errors(client, plan_world):
    world, procurement, _benefit, _shares = plan_world
    client.force_login(world.coordinator)
    response = client.post(reverse("benefit_add", args=[procurement.pk]), {"title": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Fyll ut feltet." in page and 'href="#id_title"' in page and 'id="id_title_error"' in page


def test_an_unplanned_benefit_is_added_after_the_contract(plan_world, advance_to):
    world, procurement, _benefit, _shares = plan_world
    advance_to(procurement, phases.CONTRACT_MANAGEMENT)
    benefit = add_benefit(world, procurement, title="Færre manuelle registreringer", planned=False)
    assert (benefit.number, benefit.planned) == (2, False)
    assert AuditEntry.objects.filter(action="benefit.saved", message__contains="(ikke planlagt)").exists()


def test_the_collaborations_hours_per_fte_are_used(client, plan_world):
    from benefits.models import BenefitSettings

    world, procurement, _benefit, _shares = plan_world
    BenefitSettings.objects.create(collaboration=world.collaboration, hours_per_fte=Decimal("300"))
    client.force_login(world.coordinator)
    page = client.get(reverse("benefit_plan", args=[procurement.pk])).content.decode()
    assert "300 timer per årsverk" in page
    assert "3,00" in page  # 900 hours a year in all: 3 FTE at 300 hours each


def test_shares_keep_their_order_by_municipality_in_the_content(plan_world):
    from benefits.content import plan_content
    from benefits.services import _benefits_for_content

    world, procurement, _benefit, _shares = plan_world
    plan = BenefitPlan.objects.get(procurement=procurement)
    names = [s["municipality"] for s in plan_content(plan, _benefits_for_content(plan))["benefits"][0]["shares"]]
    assert names == sorted(names)


def test_measurements_before_the_baseline_or_in_the_future_are_refused(plan_world):
    from django.core.exceptions import ValidationError

    from benefits.services import measurement_record

    world, procurement, _benefit, shares = plan_world
    share = shares[0]
    user = world.representative(share.municipality)
    for day in (share.baseline_date - timedelta(days=1), procurement.collaboration.today() + timedelta(days=1)):
        with pytest.raises(ValidationError) as error:
            measurement_record(user=user, procurement=procurement, share_id=share.pk, measured_on=day, value_measured=Decimal("8"))
        assert "measured_on" in error.value.error_dict


def test_the_suppliers_gain_share_is_shown_to_the_coordinator(client, plan_world):
    from datetime import date

    from benefits.services import measurement_record

    world, procurement, _benefit, shares = plan_world
    plan_update(user=world.coordinator, procurement=procurement, gain_sharing="percent", gain_sharing_amount=Decimal("20"))
    share = shares[2]  # 300 000 kr a year; half the way on 1.1.2026 realises 150 000
    measurement_record(
        user=world.representative(share.municipality), procurement=procurement, share_id=share.pk,
        measured_on=date(2026, 1, 1), value_measured=Decimal("7"),
    )
    client.force_login(world.coordinator)
    page = client.get(reverse("benefit_plan", args=[procurement.pk])).content.decode()
    assert "Leverandørens gevinstandel nå" in page and "30\xa0000 kr per år" in page  # 20 % of 150 000
    client.force_login(world.representative(share.municipality))
    assert "Leverandørens gevinstandel nå" not in client.get(reverse("benefit_plan", args=[procurement.pk])).content.decode()
