"""Issue 6 point 5: the invitation page shows the share the municipality can expect (percent
and kroner, bokmål), an answered invitation shows the answer, who gave it, when and whether
it can still be changed, and refusals name the role, municipality or phase."""
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from procurement.models import Participation
from procurement.selectors.intake import expected_share
from procurement.services.details import procurement_details_update
from procurement.services.intake import invitation_answer
from procurement.services.lifecycle import procurement_transition

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


@pytest.fixture
def invited(make_collaboration, make_procurement):
    world = make_collaboration(3)
    first, second, third = world.municipalities
    procurement = make_procurement(world, joined=[first], unanswered=[second, third])
    procurement_details_update(
        user=world.coordinator,
        procurement=procurement,
        title=procurement.title,
        description=procurement.description,
        kind=procurement.kind,
        funding=procurement.funding,
        estimated_value=Decimal("3000000"),
    )
    procurement.refresh_from_db()
    return world, procurement


def _url(procurement, municipality):
    return reverse("invitation_answer", kwargs={"procurement_id": procurement.pk, "municipality_id": municipality.pk})


def test_the_expected_share_is_the_key_applied_to_those_who_joined_and_this_one(invited):
    world, procurement = invited
    second = world.municipalities[1]
    participation = Participation.objects.get(procurement=procurement, municipality=second)
    share = expected_share(procurement=procurement, participation=participation)
    assert (share.percent, share.kroner, share.participants, share.settled) == (Decimal("50.00"), Decimal("1500000"), 2, False)


def test_the_invitation_page_shows_percent_and_kroner_in_bokmal(client, invited):
    world, procurement = invited
    second = world.municipalities[1]
    client.force_login(world.chief_executive(second))
    page = client.get(_url(procurement, second)).content.decode()
    assert f'data-testid="share-percent">50,00{NBSP}%<' in page
    assert f"1{NBSP}500{NBSP}000{NBSP}kr" in page
    assert "Regnet likt fordelt mellom 2 kommuner" in page


def test_an_answered_invitation_shows_the_answer_who_and_when_and_that_it_can_change(client, invited):
    world, procurement = invited
    second = world.municipalities[1]
    chief = world.chief_executive(second)
    chief.first_name, chief.last_name = "Randi", "Rådmann"
    chief.save(update_fields=["first_name", "last_name"])
    invitation_answer(user=chief, procurement=procurement, municipality=second, join=False, reason="Egen avtale til 2028.")
    client.force_login(world.representative(second))
    page = client.get(_url(procurement, second)).content.decode()
    assert f"{second} takket nei" in page and "svart av Randi Rådmann" in page
    assert "Begrunnelse: Egen avtale til 2028." in page
    assert "Svaret kan endres til anskaffelsen startes." in page
    assert "checked" in page.split('name="join"', 1)[1][:400]  # the answer given, not an empty question

    third = world.municipalities[2]
    invitation_answer(user=world.chief_executive(third), procurement=procurement, municipality=third, join=True)
    procurement_transition(user=world.coordinator, procurement_id=procurement.pk, transition="start")
    page = client.get(_url(procurement, second)).content.decode()
    assert "Svar på invitasjonen kan bare gis eller endres før anskaffelsen startes." in page
    assert 'name="join"' not in page


def test_refusals_name_the_role_the_municipality_and_the_phase(client, invited):
    world, procurement = invited
    second, third = world.municipalities[1], world.municipalities[2]
    user_rep = world.user_representative(second)
    with pytest.raises(PermissionDenied) as refused:
        invitation_answer(user=user_rep, procurement=procurement, municipality=second, join=True)
    text = str(refused.value)
    assert "kommunedirektør eller kommunerepresentant" in text and str(second) in text and "brukerrepresentant" in text

    with pytest.raises(PermissionDenied) as refused:
        invitation_answer(user=world.chief_executive(third), procurement=procurement, municipality=second, join=True)
    assert f"Du svarer for {third}, ikke for {second}" in str(refused.value)

    client.force_login(user_rep)
    response = client.get(_url(procurement, second))
    assert response.status_code == 403
    assert "brukerrepresentant" in response.content.decode()

    invitation_answer(user=world.chief_executive(second), procurement=procurement, municipality=second, join=True)
    invitation_answer(user=world.chief_executive(third), procurement=procurement, municipality=third, join=True)
    procurement_transition(user=world.coordinator, procurement_id=procurement.pk, transition="start")
    with pytest.raises(ValidationError, match="står i fasen «"):
        invitation_answer(user=world.chief_executive(second), procurement=procurement, municipality=second, join=False, reason="x")

    with pytest.raises(PermissionDenied) as refused:
        procurement_transition(user=world.chief_executive(second), procurement_id=procurement.pk, transition="complete_phase")
    text = str(refused.value)
    assert "koordinator eller regional innkjøper" in text and str(world.collaboration) in text and "kommunedirektør i" in text


def test_reporting_and_deadline_refusals_name_the_role(invited):
    from procurement.services.deadlines import deadline_add
    from procurement.services.intake import procurement_report

    world, procurement = invited
    first = world.municipalities[0]
    with pytest.raises(PermissionDenied) as refused:
        procurement_report(
            user=world.user_representative(first), municipality=first, title="x", kind="replace", description="x", funding="action_plan"
        )
    assert "kommunerepresentant" in str(refused.value) and f"brukerrepresentant i {first}" in str(refused.value)
    with pytest.raises(PermissionDenied, match="kan endre fristene. Du er kommunedirektør i"):
        deadline_add(user=world.chief_executive(first), procurement=procurement, title="x", due_date=procurement.created_at.date())
