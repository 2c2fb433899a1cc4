"""`manage.py seed_demo`: the demo collaboration, one login per role, and procurements in several
phases, built through the services; running it again changes nothing."""
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.urls import reverse
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from guardian.models import UserObjectPermission
from stdnum.no import orgnr

from audit.models import AuditEntry
from municipalities.models import Body, Collaboration, Municipality, Person, RoleAssignment
from municipalities.roles import Role
from procurement import phases
from procurement.models import (
    ChecklistCheck,
    ChecklistItemDefinition,
    Deadline,
    DeadlineKind,
    Deliverable,
    DeliverableVersion,
    GateStep,
    InformationInitiative,
    Participation,
    ParticipationStatus,
    PhaseDefinition,
    Procurement,
    SignOff,
)
from procurement.readiness import readiness_for

pytestmark = pytest.mark.django_db

COUNTED = [
    Collaboration,
    Municipality,
    Body,
    Person,
    RoleAssignment,
    UserObjectPermission,
    PhaseDefinition,
    ChecklistItemDefinition,
    GateStep,
    Procurement,
    Participation,
    Deadline,
    Deliverable,
    DeliverableVersion,
    ChecklistCheck,
    SignOff,
    InformationInitiative,
    AuditEntry,
]
MUNICIPALITY_NAMES = {"Kongsberg", "Flesberg", "Rollag", "Nore og Uvdal", "Notodden", "Hjartdal", "Tinn"}


def _seed():
    call_command("seed_demo", stdout=StringIO())


def _counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seeding takes a couple of seconds, so the module shares one run. It happens inside a
    transaction rolled back after the module; each test still runs in its own savepoint, so
    the tests that run the seed again or delete rows cannot affect the others."""
    with django_db_blocker.unblock(), transaction.atomic():
        _seed()
        yield
        transaction.set_rollback(True)


def test_second_run_creates_nothing_and_does_not_fail(seeded):
    before = _counts()
    _seed()
    assert _counts() == before
    assert before["Procurement"] >= 3 and before["SignOff"] > 0 and before["AuditEntry"] > 0


def test_collaboration_has_seven_municipalities_with_valid_organisation_numbers(seeded):
    collaboration = Collaboration.objects.get(name="Kongsbergregionen")
    assert (collaboration.country, collaboration.time_zone) == ("NO", "Europe/Oslo")
    municipalities = list(collaboration.municipalities.all())
    assert {m.name for m in municipalities} == MUNICIPALITY_NAMES
    for municipality in municipalities:
        assert orgnr.is_valid(municipality.organisation_number), municipality
        assert municipality.population > 0
        municipality.full_clean()
    assert collaboration.municipalities.get(name="Kongsberg").organisation_number == "942402465"


def test_collaboration_has_every_body(seeded):
    kinds = set(Body.objects.filter(collaboration__name="Kongsbergregionen").values_list("kind", flat=True))
    assert kinds == {"steering_group", "executive_committee", "shared_it", "archive_network", "data_protection", "procurement_office"}
    names = dict(Body.objects.filter(collaboration__name="Kongsbergregionen").values_list("kind", "name"))
    assert (names["steering_group"], names["executive_committee"]) == ("SuksIT", "Rådmannsutvalget (RMU)")


def test_every_role_has_a_working_login(seeded, client):
    for role in Role.values:
        assignment = RoleAssignment.objects.filter(role=role, person__is_active=True).select_related("person").first()
        assert assignment is not None, role
        assert assignment.person.check_password(settings.DEMO_PASSWORD), role
    # Through the login page, as a person logs in (login throttling needs the request).
    response = client.post(reverse("login"), {"username": "koordinator", "password": settings.DEMO_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).context["user"].username == "koordinator"


def test_admin_is_a_superuser(seeded):
    admin = Person.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.check_password(settings.DEMO_PASSWORD)


@pytest.mark.parametrize("prefix", ["suksit", "kommunedirektor", "bruker"])
def test_one_login_per_municipality_for_municipal_roles(seeded, prefix):
    people = Person.objects.filter(username__startswith=f"{prefix}.")
    municipalities = set(
        RoleAssignment.objects.filter(person__in=people).values_list("municipality__name", flat=True)
    )
    assert municipalities == MUNICIPALITY_NAMES


def test_people_have_names_and_example_org_addresses(seeded):
    for person in Person.objects.all():
        assert person.first_name and person.last_name, person.username
        assert person.email.endswith("@example.org"), person.username


def test_roles_are_granted_as_object_permissions(seeded):
    rollag = Municipality.objects.get(name="Rollag")
    kongsberg = Municipality.objects.get(name="Kongsberg")
    chief = Person.objects.get(username="kommunedirektor.rollag")
    assert chief.has_perm("municipalities.act_as_chief_executive", rollag)
    assert not chief.has_perm("municipalities.act_as_chief_executive", kongsberg)
    coordinator = Person.objects.get(username="koordinator")
    for procurement in Procurement.objects.all():
        assert coordinator.has_perm("procurement.manage_procurement", procurement)


def test_procurements_stand_in_at_least_three_states(seeded):
    states = set(Procurement.objects.values_list("state", flat=True))
    assert len(states) >= 3
    assert Procurement.objects.get(title="Innbyggerdialog og chatbot").state == phases.INTAKE
    assert Procurement.objects.get(title="Felles velferdsteknologiplattform").state == phases.CONTRACT


def test_chatbot_invitations_are_partly_answered(seeded):
    procurement = Procurement.objects.get(title="Innbyggerdialog og chatbot")
    statuses = set(procurement.participations.values_list("status", flat=True))
    assert statuses == {ParticipationStatus.JOINED, ParticipationStatus.DECLINED, ParticipationStatus.INVITED}
    assert procurement.invitations_sent_at is not None


def test_welfare_platform_waits_for_some_chief_executives_on_the_dpa(seeded):
    procurement = Procurement.objects.get(title="Felles velferdsteknologiplattform")
    readiness = readiness_for(procurement)
    assert readiness.deliverables_present
    (gate,) = [g for g in readiness.gates if g.gate.code == "dpa"]
    assert not gate.passed
    (step,) = gate.steps
    approved = [slot for slot in step.slots if slot.approved]
    assert len(step.slots) == 7
    assert 0 < len(approved) < 7
    # The corrected second version voided the signature given to the first.
    assert SignOff.objects.filter(procurement=procurement, voided_at__isnull=False).exists()


def test_earlier_phases_were_completed_through_their_gates(seeded):
    procurement = Procurement.objects.get(title="Felles velferdsteknologiplattform")
    approved = set(
        SignOff.objects.filter(procurement=procurement, decision="approve", voided_at__isnull=True).values_list(
            "step__gate__code", flat=True
        )
    )
    assert {"go-no-go", "award", "dpa"} <= approved
    actions = set(AuditEntry.objects.filter(procurement=procurement).values_list("action", flat=True))
    assert {"procurement.reported", "invitations.sent", "procurement.start", "deliverable.uploaded"} <= actions


def test_school_system_waits_for_rmu(seeded):
    procurement = Procurement.objects.get(title="Nytt skoleadministrativt system")
    assert procurement.state == phases.EVALUATION
    (gate,) = [g for g in readiness_for(procurement).gates if g.gate.code == "award"]
    first, second = gate.steps
    assert first.complete and not second.complete and second.is_open


def test_information_initiative_exists(seeded):
    assert InformationInitiative.objects.filter(collaboration__name="Kongsbergregionen").count() == 1


def test_seed_never_overwrites_an_administrators_edits(seeded):
    """Every `make run` seeds again; what an administrator changed in a process template
    (here: deleted checklist items and renamed a phase) must survive it."""
    ChecklistItemDefinition.objects.filter(phase__code=phases.NEEDS).delete()
    PhaseDefinition.objects.filter(code=phases.NEEDS).update(name="Administratorens navn")
    _seed()
    assert not ChecklistItemDefinition.objects.filter(phase__code=phases.NEEDS).exists()
    assert set(PhaseDefinition.objects.filter(code=phases.NEEDS).values_list("name", flat=True)) == {"Administratorens navn"}


@pytest.mark.parametrize(
    ("procurement", "title", "days", "phase"),
    [
        ("Felles velferdsteknologiplattform", "Alle kommunedirektører har signert databehandleravtalen", 10, phases.CONTRACT),
        ("Nytt skoleadministrativt system", "RMU-møte: tildeling", 20, phases.EVALUATION),
        ("Felles sak- og arkivsystem", "SuksIT-møte: go/no-go", 7, phases.STRATEGY),
    ],
)
def test_procurements_in_a_phase_have_an_open_phase_deadline(seeded, procurement, title, days, phase):
    deadline = Deadline.objects.select_related("procurement__collaboration").get(procurement__title=procurement, title=title)
    today = timezone.localdate(timezone=deadline.procurement.collaboration.tzinfo)
    assert (deadline.kind, deadline.phase, deadline.done_at) == (DeadlineKind.PHASE, phase, None)
    assert deadline.due_date == today + timedelta(days=days)
    assert deadline.procurement.state == phase
    assert AuditEntry.objects.filter(procurement=deadline.procurement, action="deadline.added").exists()


def test_a_removed_demo_deadline_comes_back_on_the_next_run(seeded):
    Deadline.objects.filter(title="RMU-møte: tildeling").delete()
    _seed()
    assert Deadline.objects.filter(title="RMU-møte: tildeling", done_at__isnull=True).count() == 1
