"""Issue 6 point 1: each dashboard row says what the person looking can do now, with a link,
from the judgement the row already has: the queries are the same for 2 and 6 procurements."""
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


def _report(world, title):
    first = world.municipalities[0]
    procurement_report(user=world.representative(first), municipality=first, title=title, kind="replace", description="x", funding="action_plan")


def _contract(world, make_procurement, fill_deliverables, meet_conditions, title):
    contract = make_procurement(world, joined=world.municipalities[:2], phase=phases.CONTRACT, title=title)
    fill_deliverables(contract)
    meet_conditions(contract)


def test_each_row_says_what_this_person_can_do_and_costs_no_query(client, make_collaboration, make_procurement, fill_deliverables, meet_conditions):
    world = make_collaboration(3)
    first, second, third = world.municipalities
    _report(world, "Nytt behov 1")
    _contract(world, make_procurement, fill_deliverables, meet_conditions, "Kontrakt 1")
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

    small, pages = measure()  # 2 procurements
    assert _actions(pages["coordinator"])["Nytt behov 1"] == "Inviter kommunene"
    assert _actions(pages["chief"])["Kontrakt 1"].startswith("Les og signer for")

    _report(world, "Nytt behov 2")
    _contract(world, make_procurement, fill_deliverables, meet_conditions, "Kontrakt 2")
    for n in (1, 2):
        make_procurement(world, joined=[first, second], unanswered=[third], title=f"Venter på svar {n}")
    large, pages = measure()  # 6 procurements
    # The third municipality's chief executive sees no procurement at first (an empty page).
    measured = ("coordinator", "chief")
    assert {k: large[k] for k in measured} == {k: small[k] for k in measured}, (small, large)
    assert _actions(pages["chief"])["Kontrakt 2"].startswith("Les og signer for")
    assert _actions(pages["invited chief"])["Venter på svar 2"] == f"Svar på invitasjonen for {third}"
    assert _actions(pages["coordinator"])["Kontrakt 2"] == "Ingenting nå"


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
