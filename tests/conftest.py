"""Shared fixtures for the whole suite. Everything that writes domain data goes through the
services (never ``Model.objects.create`` for procurements, participations, deliverables or
sign-offs), so the fixtures exercise the same code the screens do.

Regions and people
------------------
``make_collaboration(municipalities=3, name=None) -> World``   (fixture returning a function)
    A Norwegian collaboration with N municipalities (valid organisation numbers, different
    populations), the bodies SuksIT, RMU and K-IKT, and people whose roles were given
    with ``municipalities.services.role_assign``:

    - ``world.coordinator``      coordinator in SuksIT: runs procurements (manage
                                 permission), decides go/no-go, signs step 1 of award;
    - ``world.rmu_chief``        chief executive in RMU: signs step 2 of award;
    - per municipality ``world.representative(m)``, ``world.chief_executive(m)``,
      ``world.user_representative(m)`` (also ``world.person(role, m)``).

    ``world.municipalities`` is ordered; ``world.bodies["executive_committee"]`` etc.
``collaboration``                  ``make_collaboration()`` with 3 municipalities.
``person_with_role(role, municipality=None, body=None, **person_fields) -> Person``
    A new person with one role, given through ``role_assign``.

Procurements (always through the services)
------------------------------------------
``make_procurement(world, *, joined=None, declined=(), unanswered=(), phase="intake",
                   method="equal", title=...) -> Procurement``
    ``procurement_report`` by the SuksIT member of ``joined[0]`` (the lead; default: every
    municipality of the world joins), ``invitations_send`` to the others by the
    coordinator (deadline in 14 days), ``invitation_answer`` by each chief executive
    (join / decline with a reason; ``unanswered`` are left invited), ``cost_shares_set``
    with METHOD, then ``advance_to(procurement, phase)``.
``procurement``             ``make_procurement(collaboration)`` still in intake, all 3 joined.
``advance_to(procurement, phase) -> Procurement``
    Drives a procurement forward to PHASE (any open state or "closed"): starts it, writes
    every missing required deliverable of the phase as text (``deliverable_version_add``),
    signs every gate of the phase with the right people (``signoff_record``, which moves
    the phase on by itself when the gate completes) and otherwise fires
    ``complete_phase`` / ``close`` through ``procurement_transition``. Returns the
    refreshed procurement. Raises ValueError for a phase behind the current one.
``fill_deliverables(procurement, *, skip=(), user=None) -> dict[code, DeliverableVersion]``
    Writes the missing required deliverables of the current phase (not those in SKIP).
``sign_gate(procurement, gate_code) -> list[SignOff]``
    Approves every open step of the gate, step by step, with the right people.
``meet_conditions(procurement, *, user=None)``
    Meets the current phase's record conditions: in the contract phase the award notice is
    recorded as sent 30 days ago (so the standstill period is over).
``signer_for(step, slot) -> Person``
    The person who holds STEP's role for SLOT ("m:<id>" municipality or "b:<id>" body).
``manager_of(procurement) -> Person``  a coordinator of the procurement's collaboration.

Logging in: ``client.force_login(person)``, or a POST to the login page. ``client.login()``
raises: login throttling (django-axes) needs the request, which login() does not pass.

All of these are also plain functions in this module; the fixtures just hand them out
(ask for the fixture, don't import conftest). Plain rows without roles come from
``tests/factories.py`` (RegionFactory, MunicipalityFactory, BodyFactory, PersonFactory).

Hygiene
-------
- Each pytest process gets its own PostgreSQL test database (test_<name>[_gwN]_<pid>), so
  two people running the PostgreSQL pass at once don't drop each other's database.
- Transactional tests (``django_db(transaction=True)``) end with Django's flush, which
  empties the national process template and the standstill minimums. An autouse fixture re-installs them
  (``procurement.catalogue_seed.catalogue_install``) whenever a database test finds it
  missing, so tests never depend on the order they run in.

- On PostgreSQL the audit log refuses TRUNCATE (audit/migrations/0004), and Django's flush
  after a transactional test is one TRUNCATE of every table. The test run alone lets that
  flush through: it switches the trigger off inside the flush's own transaction
  (``_flush_may_empty_the_audit_log``); every other TRUNCATE is still refused.

PostgreSQL-only tests
---------------------
Mark them ``@pytest.mark.postgres``.
- On PostgreSQL they run.
- On SQLite they are DESELECTED (reported as deselected, never as skipped) and the
  summary says so; they run in the PostgreSQL pass
  (``DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres``).
- With ``REQUIRE_POSTGRES=1`` in the environment and a database that is not PostgreSQL,
  they are kept and FAIL with a message naming the missing ``DATABASE_URL``.
"""
import os
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from municipalities.roles import Role
from procurement import phases

# The body kinds the national process template's gates name (procurement.catalogue_seed).
STEERING = "steering_group"
EXECUTIVE = "executive_committee"
SHARED_IT = "shared_it"

POSTGRES_HINT = "DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres"


# --------------------------------------------------------------------------------------
# PostgreSQL marker guard
# --------------------------------------------------------------------------------------


def _db_vendor() -> str:
    from django.db import connection

    return connection.vendor


def _postgres_required() -> bool:
    return os.environ.get("REQUIRE_POSTGRES", "").strip().lower() in {"1", "true", "yes"}


# Modules about what the screens render and say (templates, wording, translations, number
# formats, the admin's pages) rather than about what the database does: they are marked
# "screens", and CI's PostgreSQL pass leaves them out with the browser tests (-m "not e2e
# and not screens") to stay well inside its time. The services, selectors and queries they
# call run on PostgreSQL in the other modules.
SCREEN_MODULES = {
    "test_translations.py",
    "test_admin_site.py",
    "test_content_security_policy.py",
    "test_language.py",
    "test_service_messages_i18n.py",
    "test_number_fields.py",
    "test_next_step.py",
    "test_phase_labels.py",
    "test_uploads.py",
    "test_numbers.py",
    "test_demo_crawl.py",
}


def _is_screen_module(path) -> bool:
    name = path.name
    return name in SCREEN_MODULES or name.startswith("test_views") or name.endswith("_views.py")


# The longest modules (a browser on a seeded demo, the migration replay, the demo seeds, the
# 3-vs-30 query budgets) go to the workers first: with --dist loadfile a long module handed
# out last keeps one worker busy for a minute or more after the other has finished.
LONG_FIRST = ("e2e/", "test_migrations.py", "test_seed_demo", "test_query_budgets.py", "test_translations.py", "agreements/")


def _long_first(item) -> int:
    path = item.path.as_posix()
    return next((rank for rank, part in enumerate(LONG_FIRST) if part in path), len(LONG_FIRST))


def pytest_collection_modifyitems(config, items):
    for item in items:
        if _is_screen_module(item.path):
            item.add_marker(pytest.mark.screens)
    items.sort(key=_long_first)  # stable: the order within a module is kept
    config._postgres_deselected = 0
    if _db_vendor() == "postgresql" or _postgres_required():
        return
    keep, drop = [], []
    for item in items:
        (drop if item.get_closest_marker("postgres") else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
        config._postgres_deselected = len(drop)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item):
    if item.get_closest_marker("postgres") and _db_vendor() != "postgresql":
        pytest.fail(
            f"This test needs PostgreSQL (REQUIRE_POSTGRES=1) but the database is {_db_vendor()}: "
            f"run with {POSTGRES_HINT}.",
            pytrace=False,
        )


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _db_vendor() == "postgresql" or _postgres_required():
        return
    count = getattr(config, "_postgres_deselected", 0)
    if count:
        what = f"{count} test(s)"
    elif config.pluginmanager.hasplugin("dsession"):  # xdist: the workers collected, not us
        what = "tests"
    else:
        return
    terminalreporter.write_line(
        f"postgres: {what} marked @pytest.mark.postgres deselected on {_db_vendor()}; "
        f"they run in the PostgreSQL pass ({POSTGRES_HINT})."
    )


# --------------------------------------------------------------------------------------
# One PostgreSQL test database per pytest process
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request, django_db_modify_db_settings_parallel_suffix):
    """Several people run the PostgreSQL pass against the same server at the same time;
    with one shared name (test_postgres) a second run would drop the first one's database.
    Each process gets test_<name>[_gwN]_<pid> instead (dropped again at the end), unless
    --reuse-db asks to keep one."""
    from django.conf import settings

    if request.config.getvalue("reuse_db"):
        return
    for db_settings in settings.DATABASES.values():
        if db_settings["ENGINE"] == "django.db.backends.sqlite3":
            continue
        test = db_settings.setdefault("TEST", {})
        test["NAME"] = f"{test.get('NAME') or 'test_' + db_settings['NAME']}_{os.getpid()}"


# --------------------------------------------------------------------------------------
# The flush after a transactional test may empty the audit log (PostgreSQL)
# --------------------------------------------------------------------------------------

AUDIT_TRUNCATE_TRIGGER = "ALTER TABLE audit_auditentry {} TRIGGER audit_entry_no_truncate"


@pytest.fixture(scope="session", autouse=True)
def _flush_may_empty_the_audit_log():
    from django.db import transaction
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        # Transactional DDL: the trigger is off only for this transaction, and on again
        # before it commits, whatever the TRUNCATE did.
        with transaction.atomic(using=self.connection.alias):
            with self.connection.cursor() as cursor:
                cursor.execute(AUDIT_TRUNCATE_TRIGGER.format("DISABLE"))
            original(self, sql_list)
            with self.connection.cursor() as cursor:
                cursor.execute(AUDIT_TRUNCATE_TRIGGER.format("ENABLE"))

    patch = pytest.MonkeyPatch()
    patch.setattr(DatabaseOperations, "execute_sql_flush", execute_sql_flush)
    yield
    patch.undo()


# --------------------------------------------------------------------------------------
# Catalogue after a transactional test's flush
# --------------------------------------------------------------------------------------


def _uses_db(request) -> tuple[bool, bool]:
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    transactional = "transactional_db" in names or "live_server" in names
    if marker is not None:
        transactional = transactional or bool(
            marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences") or (marker.args and marker.args[0])
        )
    uses = marker is not None or transactional or "db" in names
    return uses, transactional


@pytest.fixture(autouse=True)
def _catalogue_present(request):
    uses, transactional = _uses_db(request)
    if not uses:
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    from django.apps import apps

    from contracts.apps import standstill_minimums_after_migrate
    from procurement.catalogue_seed import national_template_ensure
    from procurement.engine.snapshot import published_phases

    # What a test wrote into a published version and rolled back must not be read from
    # memory by the next test; nor a verdict of a case a test judged and then rolled back
    # (the next test's case may get the same id and revision).
    published_phases.clear()
    from django.core.cache import caches

    caches["judgements"].clear()
    caches["pages"].clear()

    # After a flush Django emits post_migrate, which installs these; asked here too so a test
    # never depends on which signal ran before it.
    national_template_ensure(apps)
    standstill_minimums_after_migrate(sender=None, apps=apps)


# --------------------------------------------------------------------------------------
# Regions and people
# --------------------------------------------------------------------------------------

MUNICIPAL_ROLES = (Role.MUNICIPAL_REPRESENTATIVE, Role.CHIEF_EXECUTIVE, Role.USER_REPRESENTATIVE)


@dataclass
class World:
    collaboration: object
    municipalities: list
    bodies: dict
    coordinator: object
    rmu_chief: object
    people: dict = field(default_factory=dict)  # (role, municipality pk) -> Person

    def person(self, role: str, municipality):
        return self.people[(role, municipality.pk)]

    def representative(self, municipality):
        return self.person(Role.MUNICIPAL_REPRESENTATIVE, municipality)

    def chief_executive(self, municipality):
        return self.person(Role.CHIEF_EXECUTIVE, municipality)

    def user_representative(self, municipality):
        return self.person(Role.USER_REPRESENTATIVE, municipality)


def person_with_role(role: str, *, municipality=None, body=None, **person_fields):
    from municipalities.services import role_assign
    from tests.factories import PersonFactory

    person = PersonFactory(**person_fields)
    role_assign(actor=None, person=person, role=role, municipality=municipality, body=body)
    return person


def make_collaboration(municipalities: int = 3, *, name: str | None = None) -> World:
    from tests.factories import BodyFactory, CollaborationFactory, MunicipalityFactory

    collaboration = CollaborationFactory(**({"name": name} if name else {}))
    bodies = {kind: BodyFactory(collaboration=collaboration, kind=kind) for kind in (STEERING, EXECUTIVE, SHARED_IT)}
    members = [MunicipalityFactory(collaboration=collaboration) for _ in range(municipalities)]
    world = World(
        collaboration=collaboration,
        municipalities=members,
        bodies=bodies,
        coordinator=person_with_role(Role.COORDINATOR, body=bodies[STEERING], first_name="Koordinator"),
        rmu_chief=person_with_role(Role.CHIEF_EXECUTIVE, body=bodies[EXECUTIVE], first_name="Leder i kommunedirektørutvalget"),
    )
    for municipality in members:
        for role in MUNICIPAL_ROLES:
            world.people[(role, municipality.pk)] = person_with_role(role, municipality=municipality)
    return world


# --------------------------------------------------------------------------------------
# Procurements through the services
# --------------------------------------------------------------------------------------

ORDER = (phases.INTAKE, *phases.PHASES, phases.CLOSED)


def manager_of(procurement):
    from procurement.recipients import coordinators

    person = coordinators(procurement).order_by("pk").first()
    if person is None:
        raise LookupError(f"No coordinator in the collaboration of {procurement}.")
    return person


def signer_for(step, slot):
    """STEP is a GateStep (or a readiness StepStatus), SLOT a slot string or SlotStatus."""
    from municipalities.models import Person

    step = getattr(step, "step", step)
    slot = getattr(slot, "slot", slot)
    kind, _, pk = slot.partition(":")
    where = {"role_assignments__municipality_id": int(pk)} if kind == "m" else {"role_assignments__body_id": int(pk)}
    person = Person.objects.filter(role_assignments__role=step.role, is_active=True, **where).order_by("pk").first()
    if person is None:
        raise LookupError(f"Nobody holds {step.role} for {slot}.")
    return person


def _content(definition, procurement) -> dict:
    from procurement.models import DeliverableKind

    if definition.kind == DeliverableKind.DOCUMENT:
        body = f"%PDF-1.4\n% {definition.code} for {procurement.title}\n".encode()
        return {"file": SimpleUploadedFile(f"{definition.code}.pdf", body, content_type="application/pdf")}
    return {"text": f"{definition.name} for «{procurement.title}»."}


def fill_deliverables(procurement, *, skip=(), user=None) -> dict:
    from procurement.models import Deliverable, DeliverableDefinition
    from procurement.services.deliverables import deliverable_version_add

    procurement.refresh_from_db()
    user = user or manager_of(procurement)
    present = set(
        Deliverable.objects.filter(procurement=procurement, current_version__isnull=False).values_list(
            "definition__code", flat=True
        )
    )
    written = {}
    for definition in DeliverableDefinition.objects.filter(
        version_id=procurement.process_version_id, phase__code=procurement.state, required=True
    ).select_related("phase"):
        if definition.code in present or definition.code in skip:
            continue
        written[definition.code] = deliverable_version_add(
            user=user, procurement=procurement, definition=definition, **_content(definition, procurement)
        )
    return written


def sign_gate(procurement, gate_code: str) -> list:
    from procurement.readiness import readiness_for
    from procurement.services.signoffs import signoff_record

    signed = []
    while True:
        procurement.refresh_from_db()
        gate = next((g for g in readiness_for(procurement).signature_gates if g.gate.code == gate_code), None)
        if gate is None or gate.document is None or gate.passed:
            return signed
        step = gate.open_step
        if step is None or not step.waiting_for:
            return signed
        for slot in step.waiting_for:
            signed.append(
                signoff_record(
                    user=signer_for(step, slot),
                    procurement_id=procurement.pk,
                    step_id=step.step.pk,
                    slot=slot.slot,
                    decision="approve",
                    document_sha256=gate.document.current_version.sha256,
                )
            )


def meet_conditions(procurement, *, user=None) -> None:
    """Meets the current phase's conditions that are records, not signatures: in the
    contract phase the award notice is recorded as sent long enough ago that the standstill
    period is over (and no complaint is open)."""
    from contracts.models import AwardNotice
    from contracts.services import award_notice_send
    from procurement.models import GateDefinition

    procurement.refresh_from_db()
    kinds = set(
        GateDefinition.objects.filter(version_id=procurement.process_version_id, phase__code=procurement.state).values_list(
            "record_kind", flat=True
        )
    )
    if "award_notice" in kinds and not AwardNotice.objects.filter(procurement=procurement, state="sent").exists():
        sent_on = procurement.collaboration.today() - timedelta(days=30)
        award_notice_send(user=user or manager_of(procurement), procurement=procurement, sent_on=sent_on)


def advance_to(procurement, phase: str, *, user=None):
    from procurement.models import GateDefinition
    from procurement.services.lifecycle import procurement_transition

    if phase not in ORDER:
        raise ValueError(f"advance_to cannot reach {phase!r}; use one of {ORDER}.")
    procurement.refresh_from_db()
    if procurement.state not in ORDER or ORDER.index(procurement.state) > ORDER.index(phase):
        raise ValueError(f"{procurement} is in {procurement.state}; it cannot go back to {phase}.")
    user = user or manager_of(procurement)
    while procurement.state != phase:
        before = procurement.state
        if before == phases.INTAKE:
            procurement_transition(user=user, procurement_id=procurement.pk, transition="start")
        else:
            fill_deliverables(procurement, user=user)
            meet_conditions(procurement, user=user)
            gates = GateDefinition.objects.filter(version_id=procurement.process_version_id, phase__code=before, kind="signatures")
            for code in gates.values_list("code", flat=True):
                sign_gate(procurement, code)
            procurement.refresh_from_db()
            if procurement.state == before:
                name = "close" if before == phases.CONTRACT_MANAGEMENT else "complete_phase"
                procurement_transition(user=user, procurement_id=procurement.pk, transition=name)
        procurement.refresh_from_db()
        if procurement.state == before:  # pragma: no cover - the services refused silently
            raise AssertionError(f"advance_to made no progress from {before}")
    return procurement


def make_procurement(
    world: World,
    *,
    joined=None,
    declined=(),
    unanswered=(),
    phase: str = phases.INTAKE,
    method: str = "equal",
    title: str = "Felles fagsystem for helse",
):
    from procurement.services.intake import (
        cost_shares_set,
        invitation_answer,
        invitations_send,
        procurement_report,
    )

    joined = list(world.municipalities if joined is None else joined)
    lead, others = joined[0], joined[1:]
    procurement = procurement_report(
        user=world.representative(lead),
        municipality=lead,
        title=title,
        kind="replace",
        description="Dagens løsning går ut av støtte.",
        funding="action_plan",
    )
    invited = [*others, *declined, *unanswered]
    if invited:
        deadline = timezone.localdate(timezone=world.collaboration.tzinfo) + timedelta(days=14)
        invitations_send(user=world.coordinator, procurement=procurement, municipalities=invited, answer_deadline=deadline)
        for municipality in others:
            invitation_answer(
                user=world.chief_executive(municipality), procurement=procurement, municipality=municipality, join=True
            )
        for municipality in declined:
            invitation_answer(
                user=world.chief_executive(municipality),
                procurement=procurement,
                municipality=municipality,
                join=False,
                reason="Har nettopp kjøpt en egen løsning.",
            )
    if method != "custom":
        cost_shares_set(user=world.coordinator, procurement=procurement, method=method)
    procurement.refresh_from_db()
    if phase != phases.INTAKE:
        advance_to(procurement, phase, user=world.coordinator)
    return procurement


# --------------------------------------------------------------------------------------
# Fixtures handing out the helpers
# --------------------------------------------------------------------------------------


@pytest.fixture(name="make_collaboration")
def _make_collaboration(db):
    return make_collaboration


@pytest.fixture
def collaboration(db) -> World:
    return make_collaboration(3)


@pytest.fixture(name="person_with_role")
def _person_with_role(db):
    return person_with_role


@pytest.fixture(name="make_procurement")
def _make_procurement(db):
    return make_procurement


@pytest.fixture
def procurement(collaboration):
    return make_procurement(collaboration)


@pytest.fixture(name="advance_to")
def _advance_to(db):
    return advance_to


@pytest.fixture(name="fill_deliverables")
def _fill_deliverables(db):
    return fill_deliverables


@pytest.fixture(name="sign_gate")
def _sign_gate(db):
    return sign_gate


@pytest.fixture(name="meet_conditions")
def _meet_conditions(db):
    return meet_conditions


@pytest.fixture(name="signer_for")
def _signer_for(db):
    return signer_for


@pytest.fixture(name="manager_of")
def _manager_of(db):
    return manager_of
