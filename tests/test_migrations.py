"""Existing data migrates without loss: regions become collaborations with memberships, the
old catalogue becomes version 1 of the national process template, and every procurement,
participation, document version, signature (live and void), audit entry and object
permission is still there afterwards, meaning the same thing.

The database is taken back to the state before the process engine (municipalities 0002,
procurement 0003) with Django's MigrationExecutor, a tiny data set is written the way the old
code wrote it (historical models, the old role and body names, the old permission
codenames), and the migrations are applied again up to the newest. The old code's own
``seed_demo`` data was checked the same way once by hand (see the branch's report); this
test keeps the path honest on SQLite and PostgreSQL."""
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from procurement.revisions import triggers_drop, triggers_install

OLD = [("municipalities", "0002_role_assignment_unique_per_scope"), ("procurement", "0003_deadline_phase")]
OLD_ROLES = {"municipal_representative": "suksit_member", "ict_architect": "kikt_architect"}
FIRST_REPORTED = timezone.now() - timedelta(days=400)


def _executor() -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor


def _to_old_state():
    """Back to before the engine. The national template installed for the tests has gates
    without a document, which the old schema cannot hold: it goes first. The permission rows
    and the content type get the names the old code gave them (Django's migrate renames the
    content type with the model; the executor does not, so the test does it both ways)."""
    from procurement.models import (
        ChecklistItemDefinition,
        DeliverableDefinition,
        GateDefinition,
        GateStep,
        PhaseDefinition,
        ProcessTemplate,
        ProcessVersion,
    )

    for model in (GateStep, GateDefinition, ChecklistItemDefinition, DeliverableDefinition, PhaseDefinition, ProcessVersion, ProcessTemplate):
        model.objects.all().delete()
    triggers_drop()  # as migrate's pre_migrate does
    executor = _executor()
    executor.migrate(OLD)
    ContentType.objects.filter(app_label="municipalities", model="collaboration").update(model="region")
    ContentType.objects.clear_cache()
    region_type = ContentType.objects.get(app_label="municipalities", model="region")
    for action in ("add", "change", "delete", "view", "coordinate"):
        Permission.objects.filter(content_type=region_type, codename=f"{action}_collaboration").update(codename=f"{action}_region")
    for new, old in OLD_ROLES.items():
        Permission.objects.filter(content_type__app_label="municipalities", codename=f"act_as_{new}").update(
            codename=f"act_as_{old}", name=f"Act as {old.replace('_', ' ')}"
        )
    # The other apps as they are now, except those whose migrations need a newer state of the
    # three (apps that came later, such as notifications and meetings): they did not exist then.
    graph = executor.loader.graph
    tracked = ("municipalities", "procurement", "contracts")
    then = set().union(*(graph.forwards_plan(node) for node in OLD))
    others = [
        node
        for node in graph.leaf_nodes()
        if node[0] not in tracked and all(step[0] not in tracked or step in then for step in graph.forwards_plan(node))
    ]
    return executor.loader.project_state(OLD + others).apps


def _to_newest():
    executor = _executor()
    executor.migrate(executor.loader.graph.leaf_nodes())
    triggers_install()  # as migrate's post_migrate does
    ContentType.objects.filter(app_label="municipalities", model="region").update(model="collaboration")
    ContentType.objects.clear_cache()


def _old_data(apps) -> dict:
    """Two municipalities in the region Gamle regionen and a third that declined; one
    procurement in the contract phase with the go/no-go and award signed, the data
    processing agreement signed by one chief executive on version 1 (void: version 2 came)
    and by the other on version 2; an older procurement in intake; audit entries; and the
    guardian rows the old code derived from the roles."""
    Region = apps.get_model("municipalities", "Region")
    Municipality = apps.get_model("municipalities", "Municipality")
    Body = apps.get_model("municipalities", "Body")
    Person = apps.get_model("municipalities", "Person")
    RoleAssignment = apps.get_model("municipalities", "RoleAssignment")
    Procurement = apps.get_model("procurement", "Procurement")
    Participation = apps.get_model("procurement", "Participation")
    PhaseDefinition = apps.get_model("procurement", "PhaseDefinition")
    DeliverableDefinition = apps.get_model("procurement", "DeliverableDefinition")
    ChecklistItemDefinition = apps.get_model("procurement", "ChecklistItemDefinition")
    GateDefinition = apps.get_model("procurement", "GateDefinition")
    GateStep = apps.get_model("procurement", "GateStep")
    Deliverable = apps.get_model("procurement", "Deliverable")
    DeliverableVersion = apps.get_model("procurement", "DeliverableVersion")
    SignOff = apps.get_model("procurement", "SignOff")
    Deadline = apps.get_model("procurement", "Deadline")
    ChecklistCheck = apps.get_model("procurement", "ChecklistCheck")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    UserObjectPermission = apps.get_model("guardian", "UserObjectPermission")
    OldPermission = apps.get_model("auth", "Permission")
    OldContentType = apps.get_model("contenttypes", "ContentType")

    region = Region.objects.create(name="Gamle regionen", country="NO", time_zone="Europe/Oslo")
    m1, m2, m3 = (
        Municipality.objects.create(region=region, name=name, organisation_number=number, population=population)
        for name, number, population in (("Østby", "910000001", 9000), ("Vestby", "910000002", 3000), ("Nordby", "910000003", 1200))
    )
    suksit = Body.objects.create(region=region, kind="suksit", name="SuksIT")
    rmu = Body.objects.create(region=region, kind="rmu", name="RMU")
    kikt = Body.objects.create(region=region, kind="kikt", name="K-IKT")
    people = {name: Person.objects.create(username=name, first_name=name.capitalize()) for name in ("koordinator", "medlem", "sjef1", "sjef2", "rmuleder", "arkitekt", "sjef3")}
    roles = [
        ("koordinator", "coordinator", None, suksit),
        ("medlem", "suksit_member", m1, None),
        ("sjef1", "chief_executive", m1, None),
        ("sjef2", "chief_executive", m2, None),
        ("sjef3", "chief_executive", m3, None),
        ("rmuleder", "chief_executive", None, rmu),
        ("arkitekt", "kikt_architect", None, kikt),
    ]
    for username, role, municipality, body in roles:
        RoleAssignment.objects.create(person=people[username], role=role, municipality=municipality, body=body)

    phases = {}
    for order, code in enumerate(("needs", "strategy", "evaluation", "contract"), start=1):
        phases[code] = PhaseDefinition.objects.create(code=code, order=order, name=f"Fase {code}", name_en=code)
    documents = {
        code: DeliverableDefinition.objects.create(phase=phases[phase], code=code, name=name, kind="either")
        for code, phase, name in (
            ("needs-summary", "needs", "Oppsummering"),
            ("strategy-decision-basis", "strategy", "Beslutningsunderlag"),
            ("evaluation-ranking", "evaluation", "Innstilling"),
            ("contract-dpa", "contract", "Databehandleravtale"),
        )
    }
    item = ChecklistItemDefinition.objects.create(phase=phases["contract"], order=1, name="Legg ved databehandleravtalen")
    gates = {}
    for code, phase, document, steps in (
        ("go-no-go", "strategy", "strategy-decision-basis", [("coordinator", "body", "suksit")]),
        ("award", "evaluation", "evaluation-ranking", [("coordinator", "body", "suksit"), ("chief_executive", "body", "rmu")]),
        ("dpa", "contract", "contract-dpa", [("chief_executive", "each_participant", "")]),
    ):
        gates[code] = GateDefinition.objects.create(code=code, phase=phases[phase], document=documents[document], name=f"Port {code}")
        for order, (role, scope, kind) in enumerate(steps, start=1):
            GateStep.objects.create(gate=gates[code], order=order, role=role, scope=scope, body_kind=kind, name=f"Steg {order}")

    procurement = Procurement.objects.create(
        region=region, lead_municipality=m1, reported_by=people["medlem"], title="Felles plattform", kind="replace",
        description="Behov.", funding="action_plan", state="contract", invitations_sent_at=FIRST_REPORTED,
        invitation_deadline=FIRST_REPORTED.date() + timedelta(days=14),
    )
    Procurement.objects.filter(pk=procurement.pk).update(created_at=FIRST_REPORTED)
    waiting = Procurement.objects.create(
        region=region, lead_municipality=m2, reported_by=people["koordinator"], title="Ny sak", kind="introduce",
        description="Behov.", funding="own_budget", state="intake", invitations_sent_at=timezone.now(),
        invitation_deadline=timezone.localdate() + timedelta(days=14),
    )
    for municipality, status, lead, share in ((m1, "joined", True, "75.00"), (m2, "joined", False, "25.00"), (m3, "declined", False, None)):
        Participation.objects.create(
            procurement=procurement, municipality=municipality, status=status, is_lead=lead, cost_share=share,
            decline_reason="" if status == "joined" else "Har egen løsning.",
        )
    Participation.objects.create(procurement=waiting, municipality=m2, status="joined", is_lead=True, cost_share="100.00")
    Participation.objects.create(procurement=waiting, municipality=m1, status="invited")

    def version(code, number, text, by):
        deliverable, _ = Deliverable.objects.get_or_create(procurement=procurement, definition=documents[code])
        row = DeliverableVersion.objects.create(deliverable=deliverable, number=number, text=text, sha256=f"{code}-{number}".ljust(64, "0"), created_by=by)
        deliverable.current_version = row
        deliverable.save()
        return row

    coordinator = people["koordinator"]
    basis = version("strategy-decision-basis", 1, "Grunnlag", coordinator)
    ranking = version("evaluation-ranking", 1, "Innstilling", coordinator)
    version("needs-summary", 1, "Behovene", people["medlem"])
    dpa_1 = version("contract-dpa", 1, "DBA v1", coordinator)
    dpa_2 = version("contract-dpa", 2, "DBA v2", coordinator)

    def sign(gate, order, slot, person, role, document, *, municipality=None, body=None, voided_by=None):
        return SignOff.objects.create(
            procurement=procurement, step=gate.steps.get(order=order), slot=slot, person=person, role=role,
            municipality=municipality, body=body, decision="approve", document_version=document, document_sha256=document.sha256,
            voided_at=timezone.now() if voided_by else None, voided_by_version=voided_by,
        )

    sign(gates["go-no-go"], 1, f"b:{suksit.pk}", coordinator, "coordinator", basis, body=suksit)
    sign(gates["award"], 1, f"b:{suksit.pk}", coordinator, "coordinator", ranking, body=suksit)
    sign(gates["award"], 2, f"b:{rmu.pk}", people["rmuleder"], "chief_executive", ranking, body=rmu)
    sign(gates["dpa"], 1, f"m:{m2.pk}", people["sjef2"], "chief_executive", dpa_1, municipality=m2, voided_by=dpa_2)
    sign(gates["dpa"], 1, f"m:{m1.pk}", people["sjef1"], "chief_executive", dpa_2, municipality=m1)
    Deadline.objects.create(procurement=procurement, kind="phase", phase="contract", title="Kontrakt signert", due_date=date(2030, 1, 31))
    ChecklistCheck.objects.create(procurement=procurement, item=item, checked_by=coordinator)
    for message in ("Meldt inn.", "Fase endret.", "Ny versjon 2 av «Databehandleravtale»."):
        AuditEntry.objects.create(actor=coordinator, action="procurement.reported", message=message, procurement=procurement)

    # The guardian rows the old role sync wrote.
    def perm(model, codename):
        return OldPermission.objects.get(content_type__app_label=model[0], content_type__model=model[1], codename=codename)

    def grant(username, model, codename, obj):
        UserObjectPermission.objects.create(
            user=people[username],
            permission=perm(model, codename),
            content_type=OldContentType.objects.get(app_label=model[0], model=model[1]),
            object_pk=str(obj.pk),
        )

    municipality, body, region_m, proc = ("municipalities", "municipality"), ("municipalities", "body"), ("municipalities", "region"), ("procurement", "procurement")
    grant("medlem", municipality, "act_as_suksit_member", m1)
    grant("medlem", municipality, "act_for_municipality", m1)
    grant("arkitekt", body, "act_as_kikt_architect", kikt)
    grant("koordinator", body, "act_as_coordinator", suksit)
    grant("koordinator", region_m, "coordinate_region", region)
    # As the old procurement_access_sync derived them: the region's bodies follow every
    # procurement, a municipality's people those it is invited to or takes part in.
    everything, follows, writes = ("view_procurement", "contribute_procurement", "manage_procurement"), ("view_procurement",), ("view_procurement", "contribute_procurement")
    for username, codenames, target in (
        ("koordinator", everything, procurement),
        ("koordinator", everything, waiting),
        ("medlem", writes, procurement),
        ("medlem", follows, waiting),
        ("sjef1", follows, procurement),
        ("sjef1", follows, waiting),
        ("sjef2", follows, procurement),
        ("sjef2", follows, waiting),
        ("sjef3", follows, procurement),
        ("rmuleder", follows, procurement),
        ("rmuleder", follows, waiting),
        ("arkitekt", writes, procurement),
        ("arkitekt", writes, waiting),
    ):
        for codename in codenames:
            grant(username, proc, codename, target)
    return {
        "region": region.pk,
        "municipalities": {m.name: m.pk for m in (m1, m2, m3)},
        "procurement": procurement.pk,
        "waiting": waiting.pk,
        "counts": _counts(apps),
    }


def _counts(apps) -> dict:
    def count(label, **filters):
        return apps.get_model(*label.split(".")).objects.filter(**filters).count()

    return {
        "procurements": count("procurement.Procurement"),
        "participations": count("procurement.Participation"),
        "versions": count("procurement.DeliverableVersion"),
        "signoffs live": count("procurement.SignOff", voided_at__isnull=True),
        "signoffs void": count("procurement.SignOff", voided_at__isnull=False),
        "audit entries": count("audit.AuditEntry"),
        "deadlines": count("procurement.Deadline"),
        "checklist ticks": count("procurement.ChecklistCheck"),
        "role assignments": count("municipalities.RoleAssignment"),
        "object permissions": count("guardian.UserObjectPermission"),
        "municipalities": count("municipalities.Municipality"),
        "bodies": count("municipalities.Body"),
    }


@pytest.fixture(scope="module")
def migrated(django_db_setup, django_db_blocker):
    """What was written in the old state, after the migrations ran over it: once for the
    module (a round trip takes seconds), committed, then flushed away at the end the way a
    transactional test ends (post_migrate reinstalls the national template)."""
    with django_db_blocker.unblock():
        try:
            before = _old_data(_to_old_state())
        finally:
            _to_newest()
    try:
        yield before
    finally:
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)


pytestmark = pytest.mark.django_db


def test_nothing_is_lost(migrated):
    from django.apps import apps

    assert _counts(apps) == migrated["counts"]


def test_the_region_is_a_collaboration_and_its_municipalities_are_members(migrated):
    from municipalities.models import Collaboration, Membership, Municipality

    collaboration = Collaboration.objects.get(pk=migrated["region"])
    assert (collaboration.name, collaboration.country, collaboration.time_zone) == ("Gamle regionen", "NO", "Europe/Oslo")
    memberships = Membership.objects.filter(collaboration=collaboration)
    assert {m.municipality.name for m in memberships} == {"Østby", "Vestby", "Nordby"}
    # Members since the region's first procurement, still members, and members today.
    assert {m.joined_on for m in memberships} == {timezone.localtime(FIRST_REPORTED).date()}
    assert all(m.left_on is None for m in memberships)
    assert Membership.objects.current().filter(collaboration=collaboration).count() == 3
    assert set(Municipality.objects.values_list("country", flat=True)) == {"NO"}


def test_body_kinds_and_roles_have_their_new_names(migrated):
    from municipalities.models import Body, RoleAssignment
    from procurement.models import GateStep

    assert set(Body.objects.values_list("kind", flat=True)) == {"steering_group", "executive_committee", "shared_it"}
    assert sorted(RoleAssignment.objects.values_list("person__username", "role")) == [
        ("arkitekt", "ict_architect"),
        ("koordinator", "coordinator"),
        ("medlem", "municipal_representative"),
        ("rmuleder", "chief_executive"),
        ("sjef1", "chief_executive"),
        ("sjef2", "chief_executive"),
        ("sjef3", "chief_executive"),
    ]
    assert sorted(set(GateStep.objects.values_list("body_kind", flat=True))) == ["", "executive_committee", "steering_group"]


def test_every_procurement_is_pinned_to_version_one_of_the_national_template(migrated):
    from procurement.models import (
        GateDefinition,
        PhaseDefinition,
        ProcessVersion,
        Procurement,
    )

    version = ProcessVersion.objects.get(number=1)
    assert (version.template.collaboration, version.number, version.is_published) == (None, 1, True)
    assert set(Procurement.objects.values_list("process_version", flat=True)) == {version.pk}
    # After migrate the current national content is published as v2 for new procurements
    # (procurement.catalogue_seed.national_template_ensure); the running ones stay on v1.
    newest = ProcessVersion.objects.exclude(pk=version.pk).get()
    assert (newest.template_id, newest.number, newest.is_published) == (version.template_id, 2, True)
    assert list(PhaseDefinition.objects.filter(version=version).order_by("order").values_list("code", flat=True)) == [
        "intake", "needs", "strategy", "evaluation", "contract",
    ]
    gates = {g.code: (g.kind, g.phase.code) for g in GateDefinition.objects.filter(version=version)}
    assert gates == {
        "invitations-answered": ("invitations_settled", "intake"),
        "cost-shares": ("cost_shares_complete", "intake"),
        "go-no-go": ("signatures", "strategy"),
        "award": ("signatures", "evaluation"),
        "dpa": ("signatures", "contract"),
    }
    assert GateDefinition.objects.get(version=version, code="dpa").document_roles == ["data_protection_officer"]


def test_signatures_keep_their_meaning(migrated):
    from procurement.models import Procurement, SignOff
    from procurement.readiness import readiness_for

    void = SignOff.objects.get(voided_at__isnull=False)
    assert (void.void_reason, void.voided_by_version.number, void.municipality.name) == ("new_version", 2, "Vestby")
    assert set(SignOff.objects.filter(voided_at__isnull=True).values_list("void_reason", flat=True)) == {""}
    procurement = Procurement.objects.get(pk=migrated["procurement"])
    readiness = readiness_for(procurement)
    assert readiness.phase.code == "contract"
    assert readiness.blockers == ["Port dpa venter på kommunedirektør: Vestby"]
    waiting = readiness_for(Procurement.objects.get(pk=migrated["waiting"]))
    assert waiting.blockers == ["Venter på svar fra Østby"]


def test_the_same_people_have_the_same_access(migrated):
    from guardian.shortcuts import get_objects_for_user

    from municipalities.models import Body, Collaboration, Municipality, Person
    from procurement.models import Procurement

    def titles(username, codename):
        person = Person.objects.get(username=username)
        return sorted(get_objects_for_user(person, f"procurement.{codename}", klass=Procurement, accept_global_perms=False).values_list("title", flat=True))

    both = ["Felles plattform", "Ny sak"]
    assert titles("koordinator", "manage_procurement") == both
    assert (titles("medlem", "view_procurement"), titles("medlem", "contribute_procurement")) == (both, ["Felles plattform"])
    assert [titles(name, "view_procurement") for name in ("sjef1", "sjef2", "sjef3")] == [both, both, ["Felles plattform"]]
    assert titles("sjef1", "contribute_procurement") == []
    assert titles("arkitekt", "contribute_procurement") == both
    assert (titles("rmuleder", "view_procurement"), titles("rmuleder", "contribute_procurement")) == (both, [])
    # The renamed permission rows still mean what they meant: the guardian rows point at them.
    member = Person.objects.get(username="medlem")
    assert member.has_perm("municipalities.act_as_municipal_representative", Municipality.objects.get(name="Østby"))
    assert Person.objects.get(username="arkitekt").has_perm("municipalities.act_as_ict_architect", Body.objects.get(kind="shared_it"))
    assert Person.objects.get(username="koordinator").has_perm(
        "municipalities.coordinate_collaboration", Collaboration.objects.get(pk=migrated["region"])
    )
    assert not Permission.objects.filter(codename__in=["act_as_suksit_member", "act_as_kikt_architect", "coordinate_region"]).exists()


def test_the_people_can_carry_on(migrated, client):
    """After the migration the coordinator's page and the old roles' sync work as before."""
    from django.urls import reverse

    from municipalities.models import Person
    from municipalities.services import person_permissions_sync
    from procurement.models import Procurement
    from procurement.selectors.access import procurements_visible

    for person in Person.objects.all():
        before = set(procurements_visible(user=person))
        person_permissions_sync(person=person)
        assert set(procurements_visible(user=person)) == before, person.username
    client.force_login(Person.objects.get(username="koordinator"))
    response = client.get(reverse("procurement_detail", args=[migrated["procurement"]]))
    assert response.status_code == 200
    assert "Port dpa venter på kommunedirektør: Vestby" in response.content.decode()
    assert Procurement.objects.count() == 2
