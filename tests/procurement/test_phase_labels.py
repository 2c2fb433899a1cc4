"""The screens name a phase in the collaboration's own words (its process template), not the
state machine's built-in Norwegian name: a Danish network reads "Afdække behov"."""
import pytest
from django.urls import reverse

from procurement import phases
from procurement.models import PhaseDefinition
from procurement.services.process import (
    catalogue_row_save,
    process_version_current,
    process_version_draft_from,
    process_version_publish,
)

pytestmark = pytest.mark.django_db

OWN = {phases.NEEDS: "Afdække behov", phases.TARGET_PICTURE: "Målbillede", phases.STRATEGY: "Strategi og business case (DK)"}


@pytest.fixture
def own_words(collaboration, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", "admin@example.test", "x")
    draft = process_version_draft_from(
        actor=admin, version=process_version_current(collaboration=collaboration.collaboration), collaboration=collaboration.collaboration
    )
    for phase in PhaseDefinition.objects.filter(version=draft, code__in=OWN):
        phase.name = OWN[phase.code]
        catalogue_row_save(actor=admin, obj=phase)
    process_version_publish(actor=admin, version=draft)
    return collaboration


def test_dashboard_page_and_reopen_form_use_the_templates_names(client, own_words, make_procurement):
    procurement = make_procurement(own_words, phase=phases.STRATEGY)
    client.force_login(own_words.coordinator)

    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "Strategi og business case (DK)" in dashboard

    page = client.get(reverse("procurement_detail", args=[procurement.pk])).content.decode()
    assert page.count("Strategi og business case (DK)") >= 2  # the status tag and the timeline
    assert '<option value="needs">Afdække behov</option>' in page  # going back
    assert '<option value="target_picture">Målbillede</option>' in page


def test_the_message_after_going_back_names_the_phase_in_the_templates_words(client, own_words, make_procurement):
    procurement = make_procurement(own_words, phase=phases.STRATEGY)
    client.force_login(own_words.coordinator)
    response = client.post(
        reverse("procurement_transition", args=[procurement.pk, "reopen"]),
        {"phase": phases.NEEDS, "reason": "Behovene må kartlegges på nytt."},
        follow=True,
    )
    assert "Anskaffelsen står nå i fasen «Afdække behov»." in response.content.decode()
