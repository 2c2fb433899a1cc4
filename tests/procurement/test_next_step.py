"""'Neste steg' on the procurement page: the step forward first and cancelling last, the
intake's own wording, and the name of whoever moves the case on for those who cannot."""
import re

import pytest
from django.urls import reverse

from municipalities.roles import Role
from procurement import phases

pytestmark = pytest.mark.django_db


def next_step_section(response) -> str:
    assert response.status_code == 200
    page = response.content.decode()
    return re.search(r'<section class="app-section" id="faseendring".*?</section>', page, re.S).group(0)


def test_the_step_forward_stands_first_and_cancelling_last(client, make_collaboration, make_procurement, fill_deliverables, meet_conditions):
    world = make_collaboration(2)
    procurement = make_procurement(world, phase=phases.TARGET_PICTURE)
    fill_deliverables(procurement)
    meet_conditions(procurement)
    client.force_login(world.coordinator)
    section = next_step_section(client.get(reverse("procurement_detail", args=[procurement.pk])))
    actions = re.findall(r'action="/anskaffelser/\d+/overgang/(\w+)/"', section)
    assert actions[0] == "complete_phase", actions
    assert actions[-1] == "cancel", actions
    assert actions.index("reopen") < actions.index("cancel")


def test_a_chief_executive_reads_who_moves_the_case_on(client, make_collaboration, make_procurement):
    world = make_collaboration(2)
    world.coordinator.first_name, world.coordinator.last_name = "Kari", "Koordinator"
    world.coordinator.save(update_fields=["first_name", "last_name"])
    procurement = make_procurement(world, phase=phases.NEEDS)
    chief = world.people[(Role.CHIEF_EXECUTIVE, world.municipalities[1].pk)]
    client.force_login(chief)
    section = next_step_section(client.get(reverse("procurement_detail", args=[procurement.pk])))
    assert "Koordinatoren for samarbeidet (Kari Koordinator) flytter anskaffelsen videre" in section


def test_intake_with_nothing_in_the_way_says_the_procurement_can_start(client, make_collaboration, make_procurement):
    world = make_collaboration(2)
    procurement = make_procurement(world, joined=world.municipalities)
    client.force_login(world.coordinator)
    page = client.get(reverse("procurement_detail", args=[procurement.pk])).content.decode()
    blockers = re.search(r'id="hindringer".*?</section>', page, re.S).group(0)
    assert "Ingenting stopper – anskaffelsen kan startes." in blockers
    assert "fasen kan fullføres" not in blockers
