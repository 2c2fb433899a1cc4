"""`manage.py seed_demo`: the demo collaborations (Kongsbergregionen, a Danish KOMBIT network,
Fosen), one login per role, and procurements in several phases, built through the services;
running it again changes nothing and never touches an edited process template."""
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from guardian.models import UserObjectPermission
from stdnum.dk import cvr
from stdnum.no import orgnr

from audit.models import AuditEntry
from comments.models import Comment
from contracts.models import AwardNotice, Complaint, ComplaintState
from municipalities.models import Body, Collaboration, Membership, Municipality, Person, RoleAssignment
from municipalities.roles import Role
from procurement import phases
from procurement.catalogue_seed import PHASES as NATIONAL_PHASES
from procurement.models import (
    ChecklistCheck,
    ChecklistItemDefinition,
    Deadline,
    DeadlineKind,
    Deliverable,
    DeliverableVersion,
    GateDefinition,
    GateStep,
    InformationInitiative,
    Joining,
    JoiningRound,
    Participation,
    ParticipationStatus,
    PhaseChange,
    PhaseDefinition,
    ProcessTemplate,
    ProcessVersion,
    Procurement,
    SignOff,
    VoidReason,
    WorkPackage,
)
from procurement.readiness import readiness_for
from procurement.services.process import catalogue_row_save, process_version_draft_from, process_version_publish
from tendering.models import AwardCriterion, Requirement, SpecificationState
from tendering.ownership import CATEGORY_OWNERS, Category
from tendering.selectors import evaluation_model_for

pytestmark = pytest.mark.django_db

COUNTED = [
    Collaboration,
    Municipality,
    Membership,
    Body,
    Person,
    RoleAssignment,
    UserObjectPermission,
    ProcessTemplate,
    ProcessVersion,
    PhaseDefinition,
    ChecklistItemDefinition,
    GateDefinition,
    GateStep,
    Procurement,
    Participation,
    Deadline,
    Deliverable,
    DeliverableVersion,
    ChecklistCheck,
    SignOff,
    PhaseChange,
    AwardNotice,
    Complaint,
    InformationInitiative,
    Requirement,
    Comment,
    AuditEntry,
    JoiningRound,
    Joining,
    WorkPackage,
]
MUNICIPALITY_NAMES = {"Kongsberg", "Flesberg", "Rollag", "Nore og Uvdal", "Notodden", "Hjartdal", "Tinn"}
DANISH_NETWORK = "KOMBIT-netværk: Velfærdsteknologi (Midtjylland)"
DANISH_PROCUREMENT = "Fælles platform for digitalt tilsyn"
DANISH_PHASES = {
    phases.NEEDS: "Afdække behov",
    phases.TARGET_PICTURE: "Målbillede",
    phases.MARKET_DIALOGUE: "Markedsdialog",
    phases.STRATEGY: "Strategi og business case",
    phases.PROCEDURE: "Udbudsform og plan",
    phases.TENDER_DOCUMENTS: "Udbudsmateriale",
    phases.EVALUATION: "Evaluering og tildeling",
    phases.CONTRACT: "Kontrakt",
    phases.ACCEPTANCE_TEST: "Afprøvning",
    phases.CONTRACT_MANAGEMENT: "Kontraktstyring",
}


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


def _page(client, username: str, url: str):
    client.force_login(Person.objects.get(username=username))
    return client.get(url)


def _detail_url(title: str) -> str:
    return reverse("procurement_detail", args=[Procurement.objects.get(title=title).pk])


def _danish_version() -> ProcessVersion:
    return ProcessVersion.objects.filter(template__collaboration__name=DANISH_NETWORK).order_by("-number").first()


def test_second_run_creates_nothing_and_does_not_fail(seeded):
    before = _counts()
    _seed()
    assert _counts() == before
    assert before["Procurement"] >= 3 and before["SignOff"] > 0 and before["AuditEntry"] > 0
    assert before["Collaboration"] == 3 and before["Complaint"] == 1 and before["PhaseChange"] > 0


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
    assert kinds == {
        "steering_group", "executive_committee", "shared_it", "archive_network", "data_protection", "procurement_office", "secretariat",
    }
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
        RoleAssignment.objects.filter(
            person__in=people, municipality__memberships__collaboration__name="Kongsbergregionen"
        ).values_list("municipality__name", flat=True)
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
        # Kongsbergregionen's coordinator runs its procurements and no other collaboration's.
        ours = procurement.collaboration.name == "Kongsbergregionen"
        assert coordinator.has_perm("procurement.manage_procurement", procurement) == ours, procurement


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


# The story of the school system: RMU rejected the first recommendation and the case went back.


def test_school_system_went_back_to_the_tender_documents_after_rmu_rejected(seeded):
    procurement = Procurement.objects.get(title="Nytt skoleadministrativt system")
    (change,) = PhaseChange.objects.filter(procurement=procurement, kind="reopen")
    assert (change.from_state, change.to_state) == (phases.EVALUATION, phases.TENDER_DOCUMENTS)
    assert "RMU avviste innstillingen" in change.reason and change.actor.username == "koordinator"
    voided = SignOff.objects.filter(procurement=procurement, voided_at__isnull=False)
    assert {(s.decision, s.void_reason, s.voided_by_change_id) for s in voided} == {
        ("approve", VoidReason.REOPENED, change.pk),
        ("reject", VoidReason.REOPENED, change.pk),
    }
    rejection = voided.get(decision="reject")
    assert rejection.body.name == "Rådmannsutvalget (RMU)" and "universell utforming" in rejection.comment
    # Moving forward again: SuksIT approved the revised recommendation (version 2).
    (live,) = SignOff.objects.filter(procurement=procurement, step__gate__code="award", voided_at__isnull=True)
    assert (live.step.gate.code, live.step.order, live.document_version.number) == ("award", 1, 2)


def test_school_system_page_shows_the_reopening_and_the_voided_signatures(seeded, client):
    page = _page(client, "koordinator", _detail_url("Nytt skoleadministrativt system")).content.decode()
    assert re.search(r"Åpnet igjen \d\d\.\d\d\.\d{4} av Ingrid Solberg: RMU avviste innstillingen", page)
    assert page.count("Ugyldig: fasen ble åpnet igjen") == 2


# The contract phase of the welfare platform: a complaint within the standstill period.


def test_welfare_platform_has_an_open_complaint_from_the_standstill_period(seeded):
    procurement = Procurement.objects.get(title="Felles velferdsteknologiplattform")
    (complaint,) = Complaint.objects.filter(procurement=procurement)
    notice = AwardNotice.objects.get(procurement=procurement)
    assert complaint.state == ComplaintState.OPEN
    assert notice.sent_on <= complaint.received_on <= notice.standstill_ends_on
    gates = {g.gate.code: g for g in readiness_for(procurement).gates}
    assert gates["award-notice-sent"].passed
    assert not gates["no-open-complaints"].passed and not gates["standstill-ended"].passed
    assert any("Ingen klage er til behandling" in reason for reason in readiness_for(procurement).blockers)


# A restricted document: the evaluation form.


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("koordinator", 200),
        ("innkjoper", 200),
        ("evaluator.kongsberg", 200),
        ("kommunedirektor.kongsberg", 403),
        ("suksit.kongsberg", 403),
        ("bruker.kongsberg", 403),
    ],
)
def test_evaluation_form_opens_only_for_the_named_roles(seeded, client, username, status):
    procurement = Procurement.objects.get(title="Felles velferdsteknologiplattform")
    deliverable = Deliverable.objects.get(procurement=procurement, definition__code="evaluation-form")
    assert deliverable.definition.is_restricted
    url = reverse("version_download", args=[procurement.pk, deliverable.current_version_id])
    response = _page(client, username, url)
    assert response.status_code == status
    if status == 200:
        assert b"Evalueringsskjemaet er fylt ut" in b"".join(response.streaming_content)


@pytest.mark.parametrize(("username", "linked"), [("kommunedirektor.kongsberg", False), ("koordinator", True)])
def test_evaluation_form_is_listed_without_a_link_for_others(seeded, client, username, linked):
    procurement = Procurement.objects.get(title="Felles velferdsteknologiplattform")
    deliverable = Deliverable.objects.get(procurement=procurement, definition__code="evaluation-form")
    page = _page(client, username, _detail_url(procurement.title)).content.decode()
    row = re.search(r"<th scope=\"row\">Utfylt evalueringsskjema</th>(.*?)</tr>", page, re.S).group(1)
    url = reverse("version_download", args=[procurement.pk, deliverable.current_version_id])
    assert (url in row) == linked
    assert ("Bare koordinator, regional innkjøper, evaluator kan åpne dette dokumentet." in row) != linked


# The Danish KOMBIT network.


def test_danish_network_members_have_valid_cvr_numbers_and_joining_agreements(seeded):
    network = Collaboration.objects.get(name=DANISH_NETWORK)
    assert (network.country, network.time_zone) == ("DK", "Europe/Copenhagen")
    memberships = list(Membership.objects.filter(collaboration=network).select_related("municipality"))
    assert len(memberships) >= 4
    for membership in memberships:
        municipality = membership.municipality
        assert municipality.country == "DK" and cvr.is_valid(municipality.organisation_number), municipality
        municipality.full_clean()
        assert re.fullmatch(r"Tilslutningsaftale af \d\d\.\d\d\.\d{4}, j\.nr\. KOMBIT-\d{4}-\d{4}.*", membership.agreement)
    assert network.municipalities.get(name="Aarhus Kommune").organisation_number == "55133018"
    # Members over time: one joined after the others, and all are members today.
    first, *_, last = sorted({m.joined_on for m in memberships})
    assert first < last and sum(m.joined_on == last for m in memberships) == 1
    assert Membership.objects.current(network.today()).filter(collaboration=network).count() == len(memberships)


def test_danish_network_has_its_own_bodies(seeded):
    names = dict(Body.objects.filter(collaboration__name=DANISH_NETWORK).values_list("kind", "name"))
    assert names["steering_group"] == "Styregruppe (med KL)"
    assert names["project_group"] == "Projektgruppe"
    assert "executive_committee" not in names


def test_danish_template_is_published_in_danish_and_pinned_by_its_procurement(seeded):
    version = _danish_version()
    assert version.is_published and version.template.collaboration.name == DANISH_NETWORK
    assert Procurement.objects.get(title=DANISH_PROCUREMENT).process_version == version
    names = dict(PhaseDefinition.objects.filter(version=version).values_list("code", "name"))
    assert {code: names[code] for code in DANISH_PHASES} == DANISH_PHASES
    national = {name for phase in NATIONAL_PHASES for name, _english in phase["checklist"]}
    own = set(ChecklistItemDefinition.objects.filter(phase__version=version).values_list("name", flat=True))
    assert own and not own & national
    # The award is the steering group's alone; the data processing agreement is signed by the
    # kommunaldirektør of each municipality.
    award = GateStep.objects.filter(gate__version=version, gate__code="award")
    assert list(award.values_list("role", "body_kind")) == [(Role.COORDINATOR, "steering_group")]
    assert list(GateStep.objects.filter(gate__version=version, gate__code="dpa").values_list("role", "scope")) == [
        (Role.CHIEF_EXECUTIVE, "each_participant")
    ]
    assert not GateStep.objects.filter(gate__version=version, body_kind="executive_committee").exists()


def test_danish_procurement_was_invited_answered_and_cost_shared(seeded):
    procurement = Procurement.objects.get(title=DANISH_PROCUREMENT)
    statuses = dict(procurement.participations.values_list("municipality__name", "status"))
    assert statuses.pop("Favrskov Kommune") == ParticipationStatus.DECLINED
    assert set(statuses.values()) == {ParticipationStatus.JOINED} and len(statuses) >= 3
    assert "Horsens Kommune" in statuses  # the later joiner takes part
    shares = procurement.participations.filter(status=ParticipationStatus.JOINED).values_list("cost_share", flat=True)
    assert sum(shares) == 100


def test_danish_procurement_passed_the_go_no_go_gate_by_the_steering_group(seeded):
    procurement = Procurement.objects.get(title=DANISH_PROCUREMENT)
    assert procurement.state == phases.PROCEDURE
    (signoff,) = SignOff.objects.filter(procurement=procurement, step__gate__code="go-no-go", voided_at__isnull=True)
    assert (signoff.decision, signoff.body.name, signoff.person.username) == ("approve", "Styregruppe (med KL)", "projektleder")
    assert "Styregruppen bedes beslutte" in signoff.document_version.text
    assert PhaseChange.objects.filter(
        procurement=procurement, from_state=phases.STRATEGY, to_state=phases.PROCEDURE, automatic=True
    ).exists()


def test_danish_procurement_page_shows_the_networks_own_names(seeded, client):
    response = _page(client, "projektleder", _detail_url(DANISH_PROCUREMENT))
    page = response.content.decode()
    assert response.status_code == 200
    assert re.findall(r'<span class="app-timeline__name">(.*?)</span>', page) == list(DANISH_PHASES.values())
    assert "Leveranser i fasen «Udbudsform og plan»" in page
    # The gate the network added to the phase, waiting for its steering group.
    assert "Styregruppens godkendelse af udbudsplanen" in page and "Styregruppe (med KL)" in page


def test_seed_never_overwrites_an_edited_danish_template(seeded):
    """An administrator renames a phase in a new version of the network's template; the
    next `make run` keeps it and makes no version of its own."""
    admin = Person.objects.get(username="admin")
    draft = process_version_draft_from(actor=admin, version=_danish_version(), note="Nyt navn til behovsfasen.")
    phase = PhaseDefinition.objects.get(version=draft, code=phases.NEEDS)
    phase.name = "Behovsafdækning"
    catalogue_row_save(actor=admin, obj=phase)
    process_version_publish(actor=admin, version=draft)
    versions = ProcessVersion.objects.filter(template__collaboration__name=DANISH_NETWORK).count()
    _seed()
    assert ProcessVersion.objects.filter(template__collaboration__name=DANISH_NETWORK).count() == versions
    assert PhaseDefinition.objects.get(version=_danish_version(), code=phases.NEEDS).name == "Behovsafdækning"


# Fosen: no committee of chief executives; the regional council awards.


def test_fosen_contract_was_awarded_by_its_regional_council(seeded):
    procurement = Procurement.objects.get(title="Digital byggesak for Fosen")
    assert procurement.state == phases.CONTRACT
    assert not Body.objects.filter(collaboration__name="Fosen", kind="executive_committee").exists()
    award = SignOff.objects.filter(procurement=procurement, step__gate__code="award", voided_at__isnull=True)
    assert sorted(award.values_list("step__order", "body__name")) == [
        (1, "Styringsgruppa for digitalisering i Fosen"),
        (2, "Fosen regionråd"),
    ]
    assert AwardNotice.objects.get(procurement=procurement).standstill_days == 14


# The login page groups the demo accounts by collaboration.


def _login_sections(client) -> dict[str, str]:
    page = client.get(reverse("login")).content.decode()
    sections = re.findall(r'<section aria-labelledby="demo-[^"]+">\s*<h3[^>]*>(.*?)</h3>(.*?)</section>', page, re.S)
    return dict(sections)


def test_login_page_groups_the_demo_accounts_by_collaboration(seeded, client):
    sections = _login_sections(client)
    assert list(sections) == ["Administrasjon", "Kongsbergregionen", DANISH_NETWORK, "Fosen"]
    danish = sections[DANISH_NETWORK]
    assert "<code>projektleder</code>" in danish and "<code>kommunaldirektor.aarhus</code>" in danish
    assert "<code>koordinator</code>" not in danish
    assert "<code>koordinator</code>" in sections["Kongsbergregionen"] and "<code>projektleder</code>" not in sections["Kongsbergregionen"]
    assert "<code>admin</code>" in sections["Administrasjon"]


def test_login_page_lists_a_person_with_roles_in_two_collaborations_under_both(seeded, client):
    from municipalities.services import role_assign

    person = Person.objects.get(username="indkober")
    role_assign(actor=None, person=person, role=Role.REGIONAL_BUYER, body=Body.objects.get(name="Innkjøp Fosen"))
    sections = _login_sections(client)
    assert "<code>indkober</code>" in sections[DANISH_NETWORK] and "<code>indkober</code>" in sections["Fosen"]
    assert "Innkjøp Fosen" not in sections[DANISH_NETWORK]  # each group lists its own roles


def test_the_archive_procurement_has_meetings_with_minutes_in_every_state(seeded, client):
    from meetings.models import Meeting, MinutesCorrection
    from meetings.rules import MinutesStatus
    from meetings.selectors import procurement_meetings
    from notifications.models import Outbox

    procurement = Procurement.objects.get(title="Felles sak- og arkivsystem")
    rows = procurement_meetings(procurement=procurement)
    states = [row.dates.status for row in rows]
    assert MinutesStatus.DEEMED_APPROVED in states
    assert MinutesStatus.CORRECTED in states
    assert MinutesStatus.OVERDUE in states
    assert any(row.previous_too_close for row in rows)  # the series warning
    assert MinutesCorrection.objects.filter(meeting__procurement=procurement).count() == 1
    assert AuditEntry.objects.filter(procurement=procurement, action="minutes.deemed_approved", actor=None).count() == 1
    # Due reminders are in the outbox on a fresh seed: the overdue minutes and the coming deadlines.
    kinds = set(Outbox.objects.filter(sent_at__isnull=True).values_list("kind", flat=True))
    assert {"reminder:minutes_due", "reminder:phase", "reminder:standstill"} <= kinds
    # A second run adds no meetings.
    before = Meeting.objects.count()
    _seed()
    assert Meeting.objects.count() == before

    page = _page(client, "koordinator", reverse("meeting_list", args=[procurement.pk])).content.decode()
    assert "Godkjent automatisk" in page and "Rettelser kommet" in page and "Referatet er for sent" in page


# --------------------------------------------------------------------------- what the demo shows
# The capabilities of the apps built on the case, on this module's one seed.

TENDER_TITLE = "Felles fagsystem for barnevernet"


@pytest.mark.django_db
def test_the_tender_documents_procurement_has_a_full_specification(seeded):
    procurement = Procurement.objects.get(title=TENDER_TITLE)
    assert procurement.state == phases.TENDER_DOCUMENTS
    requirements = Requirement.objects.filter(specification__procurement=procurement).select_related("author")
    assert requirements.count() >= 40
    assert {r.category for r in requirements} == set(Category.values)
    assert {r.kind for r in requirements} == {"must", "should"}
    for requirement in requirements:
        roles = set(requirement.author.role_assignments.values_list("role", flat=True))
        assert roles & CATEGORY_OWNERS[requirement.category], (requirement.ref, requirement.author)
    assert all(r.weight is not None or r.criterion_id for r in requirements if r.kind == "should")
    model = evaluation_model_for(procurement)
    assert model.weights_valid and model.decided and not model.frozen
    assert sum(c.weight for c in model.criteria) == 100
    assert procurement.specification.state == SpecificationState.DRAFT
    assert AwardCriterion.objects.filter(specification__procurement=procurement, proposed_by__username__startswith="bruker.").count() == 4
    for code in ("tender-documents", "tender-requirements", "tender-evaluation-model"):
        version = Deliverable.objects.get(procurement=procurement, definition__code=code).current_version
        assert version.content_type == "application/pdf" and version.created_by.username == "innkjoper"
    package = procurement.tender_packages.get()
    assert package.state == "done" and len(package.sha256) == 64 and package.files >= 8


@pytest.mark.django_db
def test_the_demo_has_a_comment_thread_with_an_open_mention(seeded):
    mention = Comment.objects.get(mentioned__username="kommunedirektor.rollag")
    assert mention.mention_done_at is None and mention.code == "contract-dpa"
    assert Comment.objects.filter(subject="gate").exists()


@pytest.mark.django_db
def test_the_case_and_archive_system_reuses_archive_requirements_from_the_library(seeded):
    from audit.actions import Action

    copies = Requirement.objects.filter(specification__procurement__title="Felles sak- og arkivsystem").select_related("origin")
    assert copies.count() == 2
    for copy in copies:
        assert copy.category == "archive" and copy.origin.specification.procurement.title == TENDER_TITLE
        assert copy.origin_label == f"{TENDER_TITLE} ({copy.origin.ref})" and copy.text == copy.origin.text
    assert AuditEntry.objects.filter(action=Action.LIBRARY_COPIED).count() == 2


# Tenders and evaluation (issue 7): the school system in evaluation, the welfare platform in
# its standstill period with an open complaint.


def test_school_system_has_three_scored_tenders_a_public_answer_and_a_scale_warning(seeded, client):
    from evaluation.models import Question, Tender
    from evaluation.selectors import evaluation_view_full

    procurement = Procurement.objects.get(title="Nytt skoleadministrativt system")
    assert Tender.objects.filter(procurement=procurement, qualification="qualified").count() == 3
    (question,) = Question.objects.filter(procurement=procurement)
    assert question.published_at is not None and question.answer
    view = evaluation_view_full(procurement)
    assert [r.tender.supplier.name for r in view.ranked] == ["Tilbyder A", "Tilbyder C", "Tilbyder B"]
    assert {w.evaluator.username for w in view.warnings} == {"bruker.kongsberg"}
    page = _page(client, "innkjoper", reverse("evaluation_page", args=[procurement.pk])).content.decode()
    assert "brukte bare" in page and "Tilbyder A" in page and "Publisert til alle" in page
    evaluator_page = _page(client, "evaluator.kongsberg", reverse("evaluation_page", args=[procurement.pk])).content.decode()
    assert "Mine poeng" in evaluator_page and "Rangering etter tildelingskriteriene" not in evaluator_page
    assert _page(client, "tillitsvalgt.kongsberg", reverse("evaluation_page", args=[procurement.pk])).status_code in (403, 404)


def test_welfare_platform_shows_the_end_of_its_standstill_period(seeded, client):
    procurement = Procurement.objects.get(title="Felles velferdsteknologiplattform")
    notice = AwardNotice.objects.get(procurement=procurement)
    page = _page(client, "koordinator", _detail_url("Felles velferdsteknologiplattform")).content.decode()
    assert f"{notice.standstill_ends_on:%d.%m.%Y}" in page
    assert Complaint.objects.filter(procurement=procurement, state=ComplaintState.OPEN).exists()


def test_welfare_platform_sent_each_tenderer_its_own_award_notice(seeded):
    from contracts.models import AwardLetter
    from notifications.models import Outbox

    procurement = Procurement.objects.get(title="Felles velferdsteknologiplattform")
    notice = AwardNotice.objects.get(procurement=procurement)
    letters = AwardLetter.objects.filter(notice=notice)
    assert letters.count() == 3 and {letter.created_at for letter in letters} == {notice.sent_at}
    assert Outbox.objects.filter(kind="award_letter", procurement=procurement).count() == 3


@pytest.mark.django_db
def test_the_demo_shows_messages_in_the_app_choices_and_calendars(seeded, client):
    import icalendar

    from notifications.models import CalendarFeed, NotificationSettings, Outbox

    coordinator = Person.objects.get(username="koordinator")
    assert NotificationSettings.objects.get(person=coordinator).in_app_only == ["notification"]
    assert NotificationSettings.objects.get(person__username="kommunedirektor.kongsberg").language == "en"
    feeds = CalendarFeed.objects.filter(person=coordinator, revoked_at__isnull=True)
    assert sorted(bool(feed.procurement_id) for feed in feeds) == [False, True]
    # The reminders the seed's sweep recorded are in the coordinator's list from the start.
    assert Outbox.objects.filter(recipient=coordinator, read_at__isnull=True).exists()
    client.force_login(coordinator)
    assert "uleste)" in client.get(reverse("dashboard")).content.decode()
    personal = feeds.get(procurement__isnull=True)
    calendar = icalendar.Calendar.from_ical(client.get(reverse("calendar_feed", args=[personal.token])).content)
    summaries = [str(event["summary"]) for event in calendar.walk("VEVENT")]
    assert any(s.startswith("Frist: ") for s in summaries) and any(not s.startswith("Frist: ") for s in summaries)


def test_every_demo_role_has_a_task(seeded, client):
    """Issue 6 point 2: in Kongsbergregionen each role finds at least one task in "Mine
    oppgaver", on the page as well as from the registered sources."""
    from procurement.extensions import tasks_for

    people: dict[str, list[Person]] = {}
    for assignment in RoleAssignment.objects.filter(person__username__in=_kongsberg_usernames()).select_related("person"):
        people.setdefault(assignment.role, []).append(assignment.person)
    assert set(people) == set(Role.values)
    without = [role for role, persons in people.items() if not any(tasks_for(person) for person in persons)]
    assert without == []
    page = _page(client, "evaluator.kongsberg", reverse("my_tasks")).content.decode()
    assert 'data-kind="correction"' in page


def _kongsberg_usernames() -> list[str]:
    collaboration = Collaboration.objects.get(name="Kongsbergregionen")
    bodies = Body.objects.filter(collaboration=collaboration)
    members = Membership.objects.filter(collaboration=collaboration).values("municipality_id")
    held = RoleAssignment.objects.filter(Q(body__in=bodies) | Q(municipality_id__in=members, body__isnull=True))
    return list(held.values_list("person__username", flat=True).distinct())

# The contract and the data processing agreement (issue 8).


def test_route_planning_has_a_signed_contract_and_a_fully_signed_agreement_sent_out(seeded, client):
    from agreements.models import Contract, ContractState, DataProcessingAgreement, Distribution
    from notifications.models import Outbox
    from tests.agreements.helpers import pades_status, pdf_text

    procurement = Procurement.objects.get(title="Ruteplanlegging i hjemmetjenesten")
    contract = Contract.objects.get(procurement=procurement)
    assert contract.state == ContractState.SIGNED and contract.contract_type == "ssa_l"
    # Seed 000: the collaboration's general manager signs it, and the page says who and as what.
    assert contract.signed_by.username == "dagligleder" and contract.signed_role == "Daglig leder, Kongsbergregionens sekretariat"
    dpa = DataProcessingAgreement.objects.get(procurement=procurement)
    with dpa.signed_copy.open("rb") as handle:
        copy = handle.read()
    assert pades_status(copy) == (True, True, True)
    joined = procurement.participations.filter(status="joined").select_related("municipality")
    flat = " ".join(pdf_text(copy).split())
    for participation in joined:
        assert f"Behandlingsansvarlig: {participation.municipality.name}" in flat
    assert "Signaturside" in flat
    assert Distribution.objects.get(procurement=procurement).recipients > 0
    assert Outbox.objects.filter(procurement=procurement, kind="notification:agreements_distributed").exists()
    page = _page(client, "arkitekt", _detail_url(procurement.title)).content.decode()
    assert reverse("dpa_signed_pdf", args=[procurement.pk]) in page
    assert reverse("contract_signed_pdf", args=[procurement.pk]) in page
    assert f"signert av {contract.signed_by} (Daglig leder, Kongsbergregionens sekretariat)" in page


def test_welfare_platform_waits_for_the_last_three_chief_executives_after_a_voided_signature(seeded):
    from agreements.models import DataProcessingAgreement

    procurement = Procurement.objects.get(title="Felles velferdsteknologiplattform")
    (gate,) = [g for g in readiness_for(procurement).gates if g.gate.code == "dpa"]
    waiting = sorted(slot.label for slot in gate.open_step.waiting_for)
    assert waiting == ["Hjartdal", "Nore og Uvdal", "Rollag"]
    assert gate.document.current_version.number == 2 and gate.document.current_version.content_type == "application/pdf"
    voided = SignOff.objects.get(procurement=procurement, step__gate__code="dpa", voided_at__isnull=False)
    assert voided.void_reason == "new_version" and voided.municipality.name == "Kongsberg"
    dpa = DataProcessingAgreement.objects.get(procurement=procurement)
    assert dpa.revision == 2 and dpa.health_data and not dpa.signed_copy


def test_the_demo_agreement_pdf_pages_and_render_time(seeded):
    """Measured for the note: the welfare platform's agreement (7 controllers)."""
    import time

    from agreements.printing import dpa_render
    from tests.agreements.helpers import pdf_pages

    procurement = Procurement.objects.get(title="Felles velferdsteknologiplattform")
    started = time.perf_counter()
    pdf = dpa_render(procurement)
    elapsed = time.perf_counter() - started
    print(f"\ndemo agreement: {pdf_pages(pdf)} pages, rendered in {elapsed:.2f} s")
    assert 4 <= pdf_pages(pdf) <= 20


def test_child_welfare_has_a_draft_agreement_with_its_tender_documents(seeded):
    from tests.agreements.helpers import pdf_text

    procurement = Procurement.objects.get(title="Felles fagsystem for barnevernet")
    assert procurement.state == phases.TENDER_DOCUMENTS
    version = Deliverable.objects.get(procurement=procurement, definition__code="tender-dpa").current_version
    with version.file.open("rb") as handle:
        flat = " ".join(pdf_text(handle.read()).split())
    assert "UTKAST" in flat and "Vedlegg II Beskrivelse av behandlingen" in flat


def test_welfare_platform_shows_both_complaint_deadlines(seeded, client):
    """Issue 10: the case in its standstill with an open complaint shows the tenderers'
    deadline to complain (the standstill's last day) and the buyer's deadline to answer."""
    from procurement.models import Deadline, DeadlineKind

    procurement = Procurement.objects.get(title="Felles velferdsteknologiplattform")
    notice = AwardNotice.objects.get(procurement=procurement)
    to_complain = Deadline.objects.get(procurement=procurement, kind=DeadlineKind.COMPLAINT, done_at__isnull=True)
    to_answer = Deadline.objects.get(procurement=procurement, kind=DeadlineKind.COMPLAINT_ANSWER, done_at__isnull=True)
    assert to_complain.due_date == notice.standstill_ends_on
    assert to_answer.due_date > Complaint.objects.get(procurement=procurement).received_on
    page = _page(client, "koordinator", _detail_url("Felles velferdsteknologiplattform")).content.decode()
    for deadline in (to_complain, to_answer):
        assert f'id="frist-{deadline.pk}"' in page and f"{deadline.due_date:%d.%m.%Y}" in page


def test_the_collaborations_have_meetings_of_their_own_with_minutes(seeded, client):
    """Issue 10: SuksIT's steering group in Kongsbergregionen and the KOMBIT network (in
    Danish) meet outside any procurement, with minutes, on the collaboration's own screens."""
    from meetings.models import Meeting
    from meetings.scope import meeting_path
    from municipalities.models import Collaboration

    kongsberg = Collaboration.objects.get(name="Kongsbergregionen")
    suksit = list(Meeting.objects.filter(collaboration=kongsberg, procurement__isnull=True))
    assert len(suksit) == 3 and {m.group for m in suksit} == {"steering_group"}
    assert any(m.minutes_approved_automatically for m in suksit)
    assert sum(m.minutes_sent_at is not None for m in suksit) == 2
    page = _page(client, "suksit.kongsberg", reverse("collaboration_meeting_list", args=[kongsberg.pk])).content.decode()
    assert "SuksIT: styringsgruppemøte 2" in page
    first = min(suksit, key=lambda m: m.starts_at)
    assert "Porteføljen" in _page(client, "suksit.kongsberg", meeting_path(first)).content.decode()

    (network,) = Collaboration.objects.filter(name__startswith="KOMBIT")
    danish = list(Meeting.objects.filter(collaboration=network, procurement__isnull=True))
    assert {m.group for m in danish} == {"network"} and any("Netværksmøde" in m.title for m in danish)
    sent = next(m for m in danish if m.minutes_sent_at)
    assert "Udbuddet" in sent.minutes and sent.corrections.count() == 1
    page = _page(client, "projektleder", meeting_path(sent)).content.decode()
    assert "Silkeborg deltager også" in page


def test_danish_network_has_two_joining_rounds_and_paid_work_packages(seeded, client):
    """Seed 003: a closed requirement-specification round most members joined (Horsens came
    later), an open tender round with members still to join, whose reminders are due, and
    work packages delivered, taken and due soon, and open."""
    from notifications.models import Outbox
    from procurement.models import Deadline, DeadlineKind

    procurement = Procurement.objects.get(title=DANISH_PROCUREMENT)
    today = procurement.collaboration.today()
    specification, tender = JoiningRound.objects.filter(procurement=procurement).order_by("deadline")
    assert specification.deadline < today < tender.deadline
    assert sorted(specification.joinings.values_list("municipality__name", flat=True)) == [
        "Aarhus Kommune", "Favrskov Kommune", "Silkeborg Kommune", "Skanderborg Kommune"
    ]
    assert tender.joinings.count() == 2 and tender.late_price > tender.price
    assert sorted(WorkPackage.objects.filter(procurement=procurement).values_list("state", flat=True)) == ["delivered", "open", "taken"]
    deadline = Deadline.objects.get(procurement=procurement, kind=DeadlineKind.JOINING, done_at__isnull=True, due_date=tender.deadline)
    reminded = set(Outbox.objects.filter(key__startswith=f"deadline:{deadline.pk}:").values_list("recipient__username", flat=True))
    assert "netvaerk.horsens" in reminded and "netvaerk.aarhus" not in reminded
    response = _page(client, "projektleder", reverse("procurement_network", args=[procurement.pk]))
    page = response.content.decode()
    assert response.status_code == 200 and "Udbudsnetværket" in page and "Flowdiagrammer for alarmhåndtering" in page
