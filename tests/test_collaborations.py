"""A municipality in two collaborations, a municipality that left one, and roles held in one
collaboration's body: what each may see and do in the other's procurements.

Kongsbergregionen (A) and Fosen (B) share one municipality, "Delt" (A's first member, a
member of B since 2020 too). Its representative, chief executive and user representative
hold their roles for the municipality alone, in no body, so they act for it in both."""
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from municipalities.models import Membership
from municipalities.roles import Role
from municipalities.services import person_permissions_sync, role_assign
from procurement import phases
from procurement.models import Participation, ParticipationStatus, Procurement, SignOff
from procurement.readiness import readiness_for
from procurement.selectors.access import procurements_visible, roles_in_procurement
from procurement.services.access import procurement_access_sync_for_collaborations
from procurement.services.intake import invitations_send, procurement_report
from procurement.services.signoffs import signoff_record
from tests.factories import MEMBER_SINCE


def member_of(collaboration, municipality, *, joined_on=MEMBER_SINCE, left_on=None) -> Membership:
    """A membership as the admin form writes it: validated by the model's clean()."""
    membership = Membership(collaboration=collaboration, municipality=municipality, joined_on=joined_on, left_on=left_on)
    membership.full_clean()
    membership.save()
    return membership


@dataclass
class Two:
    a: object  # World of collaboration A
    b: object  # World of collaboration B
    shared: object  # the municipality in both


@pytest.fixture
def two(make_collaboration) -> Two:
    a = make_collaboration(3, name="Kongsbergregionen")
    b = make_collaboration(2, name="Fosen")
    shared = a.municipalities[0]
    shared.name = "Delt"
    shared.save()
    member_of(b.collaboration, shared)
    # B's world knows the shared municipality's people, so the fixtures can act for it there.
    b.municipalities.append(shared)
    for role in (Role.MUNICIPAL_REPRESENTATIVE, Role.CHIEF_EXECUTIVE, Role.USER_REPRESENTATIVE):
        b.people[(role, shared.pk)] = a.person(role, shared)
    return Two(a=a, b=b, shared=shared)


def in_a(two, make_procurement, **kwargs):
    return make_procurement(two.a, joined=[two.a.municipalities[1], two.shared], title="Sak i A", **kwargs)


def in_b(two, make_procurement, **kwargs):
    return make_procurement(two.b, joined=[two.b.municipalities[0], two.shared], title="Sak i B", **kwargs)


# --------------------------------------------------------------------------------------
# One municipality, two collaborations
# --------------------------------------------------------------------------------------


def test_the_shared_municipality_has_a_membership_in_each(two):
    memberships = Membership.objects.current().filter(municipality=two.shared)
    assert {m.collaboration for m in memberships} == {two.a.collaboration, two.b.collaboration}
    chief = two.a.chief_executive(two.shared)
    assert [(r.municipality, r.body) for r in chief.role_assignments.all()] == [(two.shared, None)]


def test_it_is_invited_in_both_and_its_people_see_both_procurements(two, make_procurement):
    procurement_a = in_a(two, make_procurement)
    procurement_b = in_b(two, make_procurement)

    for procurement in (procurement_a, procurement_b):
        assert Participation.objects.get(procurement=procurement, municipality=two.shared).status == ParticipationStatus.JOINED
    for role in (Role.MUNICIPAL_REPRESENTATIVE, Role.CHIEF_EXECUTIVE, Role.USER_REPRESENTATIVE):
        person = two.a.person(role, two.shared)
        assert set(procurements_visible(user=person)) == {procurement_a, procurement_b}, role
        assert roles_in_procurement(user=person, procurement=procurement_b) == {role}


def test_its_chief_executive_signs_the_dpa_in_each_for_its_own_municipality(two, make_procurement, fill_deliverables):
    chief = two.a.chief_executive(two.shared)
    for procurement in (in_a(two, make_procurement, phase=phases.CONTRACT), in_b(two, make_procurement, phase=phases.CONTRACT)):
        fill_deliverables(procurement)
        gate = next(g for g in readiness_for(procurement).signature_gates if g.gate.code == "dpa")
        slot = next(s for s in gate.open_step.slots if s.municipality_id == two.shared.pk)
        other = next(s for s in gate.open_step.slots if s.municipality_id != two.shared.pk)
        signed = signoff_record(
            user=chief,
            procurement_id=procurement.pk,
            step_id=gate.open_step.step.pk,
            slot=slot.slot,
            decision="approve",
            document_sha256=gate.document.current_version.sha256,
        )
        assert (signed.municipality, signed.person, signed.procurement) == (two.shared, chief, procurement)
        with pytest.raises(PermissionDenied):  # not for the other participant
            signoff_record(
                user=chief,
                procurement_id=procurement.pk,
                step_id=gate.open_step.step.pk,
                slot=other.slot,
                decision="approve",
                document_sha256=gate.document.current_version.sha256,
            )
    assert SignOff.objects.filter(person=chief, voided_at__isnull=True, step__gate__code="dpa").count() == 2


def _report(user, municipality, collaboration=None, title="Nytt system"):
    return procurement_report(
        user=user,
        municipality=municipality,
        title=title,
        kind="replace",
        description="Behovet.",
        funding="action_plan",
        collaboration=collaboration,
    )


def test_its_representative_reports_to_the_collaboration_it_chooses(two):
    representative = two.a.representative(two.shared)
    to_b = _report(representative, two.shared, two.b.collaboration, title="Til B")
    to_a = _report(representative, two.shared, two.a.collaboration, title="Til A")
    assert (to_a.collaboration, to_b.collaboration) == (two.a.collaboration, two.b.collaboration)
    assert set(procurements_visible(user=two.b.coordinator)) >= {to_b} and to_a not in procurements_visible(user=two.b.coordinator)


def test_its_representative_must_choose_and_may_not_report_to_a_collaboration_it_is_not_in(two, make_collaboration):
    representative = two.a.representative(two.shared)
    third = make_collaboration(1, name="Tredje")
    with pytest.raises(ValidationError) as no_choice:
        _report(representative, two.shared)
    assert "Velg hvilket samarbeid" in str(no_choice.value)
    with pytest.raises(PermissionDenied, match="kan ikke melde inn behov for Delt i Tredje"):
        _report(representative, two.shared, third.collaboration)
    assert not Procurement.objects.filter(reported_by=representative).exists()


def test_a_representative_of_a_municipality_in_one_collaboration_reports_without_choosing(two):
    representative = two.a.representative(two.a.municipalities[1])
    assert _report(representative, two.a.municipalities[1]).collaboration == two.a.collaboration
    with pytest.raises(PermissionDenied):
        _report(representative, two.a.municipalities[1], two.b.collaboration)


@pytest.mark.parametrize(("who", "shows"), [("shared", True), ("single", False)])
def test_the_report_form_shows_the_collaboration_field_only_when_there_is_a_choice(client, two, who, shows):
    municipality = two.shared if who == "shared" else two.a.municipalities[1]
    client.force_login(two.a.representative(municipality))
    page = client.get(reverse("report_need")).content.decode()
    assert ('name="collaboration"' in page) is shows
    if shows:
        assert "Fosen" in page and "Kongsbergregionen" in page


def test_the_report_form_refuses_a_collaboration_the_person_may_not_report_to(client, two, make_collaboration):
    third = make_collaboration(1, name="Tredje")
    client.force_login(two.a.representative(two.shared))
    data = {"municipality": two.shared.pk, "title": "Sak", "description": "Behov.", "kind": "replace", "funding": "action_plan"}

    response = client.post(reverse("report_need"), {**data, "collaboration": third.collaboration.pk})

    assert response.status_code in (200, 400)
    assert 'id="id_collaboration_error"' in response.content.decode()
    assert not Procurement.objects.filter(title="Sak").exists()
    assert client.post(reverse("report_need"), {**data, "collaboration": two.b.collaboration.pk}).status_code == 302
    assert Procurement.objects.get(title="Sak").collaboration == two.b.collaboration


# --------------------------------------------------------------------------------------
# A municipality that left
# --------------------------------------------------------------------------------------


def test_a_municipality_that_left_cannot_be_invited_but_keeps_its_old_participation(two, make_procurement):
    earlier = in_b(two, make_procurement)
    membership = Membership.objects.get(collaboration=two.b.collaboration, municipality=two.shared)
    membership.left_on = two.b.collaboration.today() - timedelta(days=1)
    membership.full_clean()
    membership.save()
    later = make_procurement(two.b, joined=[two.b.municipalities[0]], title="Ny sak i B")

    with pytest.raises(ValidationError, match="Bare kommuner som er medlem av Fosen"):
        invitations_send(
            user=two.b.coordinator,
            procurement=later,
            municipalities=[two.shared],
            answer_deadline=two.b.collaboration.today() + timedelta(days=14),
        )

    assert not Participation.objects.filter(procurement=later, municipality=two.shared).exists()
    assert Participation.objects.get(procurement=earlier, municipality=two.shared).status == ParticipationStatus.JOINED
    chief = two.a.chief_executive(two.shared)
    person_permissions_sync(person=chief)
    assert earlier in procurements_visible(user=chief)
    assert later not in procurements_visible(user=chief)
    # Its representative reports only to A now.
    with pytest.raises(PermissionDenied):
        _report(two.a.representative(two.shared), two.shared, two.b.collaboration)
    assert _report(two.a.representative(two.shared), two.shared).collaboration == two.a.collaboration


def test_a_membership_that_has_not_started_does_not_count_yet(two, make_collaboration, make_procurement):
    later = make_collaboration(1, name="Senere")
    member_of(later.collaboration, two.a.municipalities[1], joined_on=later.collaboration.today() + timedelta(days=30))
    procurement = make_procurement(later, title="Sak i Senere")
    with pytest.raises(ValidationError, match="Bare kommuner som er medlem"):
        invitations_send(
            user=later.coordinator,
            procurement=procurement,
            municipalities=[two.a.municipalities[1]],
            answer_deadline=later.collaboration.today() + timedelta(days=14),
        )


# --------------------------------------------------------------------------------------
# Roles held in a body belong to that body's collaboration
# --------------------------------------------------------------------------------------


def test_a_role_held_in_a_body_of_a_gives_no_access_to_bs_procurements(two, make_procurement, person_with_role):
    procurement_a = in_a(two, make_procurement)
    procurement_b = in_b(two, make_procurement)
    # A representative of the shared municipality named in A's steering group only.
    in_a_body = person_with_role(Role.MUNICIPAL_REPRESENTATIVE, municipality=two.shared, body=two.a.bodies["steering_group"])
    architect = person_with_role(Role.ICT_ARCHITECT, body=two.a.bodies["shared_it"])

    assert set(procurements_visible(user=in_a_body)) == {procurement_a}
    assert roles_in_procurement(user=in_a_body, procurement=procurement_b) == set()
    assert set(procurements_visible(user=architect)) == {procurement_a}
    assert set(procurements_visible(user=two.a.coordinator)) == {procurement_a}
    assert not two.a.coordinator.has_perm("procurement.manage_procurement", procurement_b)
    assert not two.a.rmu_chief.has_perm("procurement.view_procurement", procurement_b)


def test_a_role_held_in_a_body_of_a_reports_only_to_a(two, person_with_role):
    in_a_body = person_with_role(Role.MUNICIPAL_REPRESENTATIVE, municipality=two.shared, body=two.a.bodies["steering_group"])
    assert _report(in_a_body, two.shared).collaboration == two.a.collaboration
    with pytest.raises(PermissionDenied):
        _report(in_a_body, two.shared, two.b.collaboration)


# --------------------------------------------------------------------------------------
# Access follows membership changes
# --------------------------------------------------------------------------------------


def _remove_membership(two):
    """The admin deletes the shared municipality's membership of B (registered by mistake)."""
    Membership.objects.filter(collaboration=two.b.collaboration, municipality=two.shared).delete()


def test_removing_a_membership_takes_bs_procurements_away_after_the_collaborations_sync(two, make_procurement):
    procurement_b = in_b(two, make_procurement)
    chief = two.a.chief_executive(two.shared)
    assert procurement_b in procurements_visible(user=chief)

    _remove_membership(two)
    procurement_access_sync_for_collaborations(collaboration_ids=[two.b.collaboration.pk])

    assert procurement_b not in procurements_visible(user=chief)
    assert procurement_b in procurements_visible(user=two.b.coordinator)


def test_removing_a_membership_takes_bs_procurements_away_after_the_persons_sync(two, make_procurement):
    """The sync the admin runs after a person's roles change must also reach the
    procurements of a collaboration the municipality is no longer in."""
    procurement_b = in_b(two, make_procurement)
    procurement_a = in_a(two, make_procurement)
    chief = two.a.chief_executive(two.shared)
    assert set(procurements_visible(user=chief)) == {procurement_a, procurement_b}

    _remove_membership(two)
    person_permissions_sync(person=chief)

    assert set(procurements_visible(user=chief)) == {procurement_a}


def test_a_new_membership_lets_the_municipality_be_invited_and_its_people_follow(two, make_collaboration, make_procurement):
    third = make_collaboration(1, name="Tredje")
    newcomer = two.a.municipalities[2]
    procurement = make_procurement(third, title="Sak i Tredje")
    deadline = third.collaboration.today() + timedelta(days=14)
    with pytest.raises(ValidationError):
        invitations_send(user=third.coordinator, procurement=procurement, municipalities=[newcomer], answer_deadline=deadline)

    member_of(third.collaboration, newcomer, joined_on=date(2024, 1, 1))
    invitations_send(user=third.coordinator, procurement=procurement, municipalities=[newcomer], answer_deadline=deadline)

    chief = two.a.chief_executive(newcomer)
    assert procurement in procurements_visible(user=chief)
    # Its representative may now report to the third collaboration as well.
    role_assign(actor=None, person=two.a.representative(newcomer), role=Role.MUNICIPAL_REPRESENTATIVE, municipality=newcomer)
    assert _report(two.a.representative(newcomer), newcomer, third.collaboration).collaboration == third.collaboration
