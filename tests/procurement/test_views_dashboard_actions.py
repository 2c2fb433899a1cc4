"""Issue 6 point 1: each dashboard row says what the person looking can do now, with a link,
from the judgement the row already has: the queries are the same for 3 and 6 procurements."""
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from procurement import phases
from procurement.services.intake import procurement_report

pytestmark = pytest.mark.django_db


def _actions(page: str) -> dict[str, str]:
    """Row title -> the action cell's text."""
    found = {}
    for row in re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", page, re.S):
        title = re.search(r'<a class="ds-link" href="/anskaffelser/\d+/">([^<]+)</a>', row).group(1)
        cell = re.search(r'<td class="app-next-action">(.*?)</td>', row, re.S).group(1)
        found[title] = re.sub(r"<[^>]+>", "", cell).strip()
    return found


def _pair(world, make_procurement, fill_deliverables, meet_conditions, n):
    first, _second, third = world.municipalities
    procurement_report(
        user=world.representative(first), municipality=first, title=f"Nytt behov {n}", kind="replace", description="x", funding="action_plan"
    )
    contract = make_procurement(world, joined=[first, _second], phase=phases.CONTRACT, title=f"Kontrakt {n}")
    fill_deliverables(contract)
    meet_conditions(contract)
    make_procurement(world, joined=[first, _second], unanswered=[third], title=f"Venter på svar {n}")


def test_each_row_says_what_this_person_can_do_and_costs_no_query(client, make_collaboration, make_procurement, fill_deliverables, meet_conditions):
    world = make_collaboration(3)
    first, _second, third = world.municipalities
    _pair(world, make_procurement, fill_deliverables, meet_conditions, 1)
    people = {"coordinator": world.coordinator, "chief": world.chief_executive(first), "invited chief": world.chief_executive(third)}

    def measure():
        counts, pages = {}, {}
        for name, person in people.items():
            client.force_login(person)
            client.get(reverse("dashboard"))
            with CaptureQueriesContext(connection) as queries:
                response = client.get(reverse("dashboard"))
            counts[name], pages[name] = len(queries), response.content.decode()
        return counts, pages

    small, pages = measure()
    coordinator = _actions(pages["coordinator"])
    assert coordinator["Nytt behov 1"] == "Inviter kommunene"
    assert _actions(pages["chief"])["Kontrakt 1"].startswith("Les og signer for")
    assert _actions(pages["invited chief"])["Venter på svar 1"] == f"Svar på invitasjonen for {third}"

    _pair(world, make_procurement, fill_deliverables, meet_conditions, 2)
    large, pages = measure()
    assert large == small, (small, large)
    assert _actions(pages["chief"])["Kontrakt 2"].startswith("Les og signer for")


def test_the_procurement_page_puts_this_persons_step_first_and_large(client, make_collaboration, make_procurement, fill_deliverables, meet_conditions):
    world = make_collaboration(2)
    first = world.municipalities[0]
    contract = make_procurement(world, phase=phases.CONTRACT, title="Kontrakt")
    fill_deliverables(contract)
    meet_conditions(contract)
    client.force_login(world.chief_executive(first))
    page = client.get(reverse("procurement_detail", args=[contract.pk])).content.decode()
    action = re.search(r'<div class="app-primary-action" id="neste-handling">.*?</div>', page, re.S).group(0)
    target = re.search(r'href="[^"#]*#(sign-[^"]+)"', action).group(1)
    assert 'data-size="lg"' in action and "Les og signer for" in action
    assert f'id="{target}"' in page  # the sign-off form it leads to
    assert page.index("neste-handling") < page.index('class="app-facts"')  # before everything else about the case

    client.force_login(world.coordinator)
    page = client.get(reverse("procurement_detail", args=[contract.pk])).content.decode()
    assert "neste-handling" not in page or "Les og signer" not in page.split("neste-handling")[1][:400]
