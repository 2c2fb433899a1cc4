"""The audit log is append-only (model and queryset refuse updates and deletes; on
PostgreSQL a trigger refuses them too) and every service writes its entry in the same
transaction as the change it describes."""
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import audit_record, audit_refusal
from municipalities.roles import Role
from municipalities.services import role_assign, role_revoke
from procurement import phases
from procurement.exceptions import StaleDocument
from procurement.models import ChecklistItemDefinition, DeliverableDefinition, GateStep, Procurement
from procurement.readiness import body_slot, municipality_slot
from procurement.services.deliverables import checklist_item_set, deliverable_download_record, deliverable_version_add
from procurement.services.intake import (
    cost_shares_set,
    initiative_report,
    invitation_answer,
    invitations_send,
    procurement_report,
)
from procurement.services.lifecycle import procurement_transition
from procurement.services.signoffs import signoff_record

pytestmark = pytest.mark.django_db


@contextmanager
def new_entries():
    """Collects the audit entries written inside the block, oldest first."""
    last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    entries: list[AuditEntry] = []
    yield entries
    entries.extend(AuditEntry.objects.filter(id__gt=last).order_by("id"))


@pytest.fixture
def entry(collaboration):
    return audit_record(actor=collaboration.coordinator, action="test.something", message="Noe skjedde.", data={"n": 1})


# --------------------------------------------------------------------------- append-only


def test_an_entry_cannot_be_saved_again(entry):
    entry.message = "Omskrevet historie."
    with pytest.raises(PermissionDenied, match="append-only"):
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).message == "Noe skjedde."


def test_an_entry_cannot_be_deleted(entry):
    with pytest.raises(PermissionDenied, match="append-only"):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda qs, e: qs.filter(pk=e.pk).update(message="x"), id="queryset.update"),
        pytest.param(lambda qs, e: qs.filter(pk=e.pk).delete(), id="queryset.delete"),
        pytest.param(lambda qs, e: qs.all().delete(), id="delete-all"),
        pytest.param(lambda qs, e: qs.bulk_update([e], ["message"]), id="bulk_update"),
        pytest.param(lambda qs, e: qs.update_or_create(pk=e.pk, defaults={"message": "x"}), id="update_or_create"),
    ],
)
def test_the_queryset_refuses_updates_and_deletes(entry, write):
    entry.message = "x"
    with pytest.raises(PermissionDenied), transaction.atomic():
        write(AuditEntry.objects, entry)
    assert AuditEntry.objects.get(pk=entry.pk).message == "Noe skjedde."


def test_logged_procurements_and_people_cannot_be_deleted_from_under_the_log(procurement, collaboration):
    # The foreign keys PROTECT, so a cascade can't take the entries with it either.
    with pytest.raises(ProtectedError), transaction.atomic():
        Procurement.objects.filter(pk=procurement.pk).delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        collaboration.coordinator.delete()
    assert AuditEntry.objects.filter(procurement=procurement).exists()


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET message = 'Omskrevet' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ],
    ids=["update", "delete"],
)
def test_raw_sql_is_refused_by_the_database(entry, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).message == "Noe skjedde."


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "TRUNCATE audit_auditentry",
        "TRUNCATE audit_auditentry RESTART IDENTITY",
        # Emptying a table the log points to takes the log with it, and is refused with it.
        "TRUNCATE procurement_procurement CASCADE",
    ],
    ids=["truncate", "restart-identity", "cascade-from-procurement"],
)
# Committed rows and a TRUNCATE in a transaction of its own, as in production (inside the
# test's transaction PostgreSQL would refuse earlier, for the pending foreign-key checks).
@pytest.mark.django_db(transaction=True)
def test_truncate_is_refused_by_the_database(entry, procurement, sql):
    before = AuditEntry.objects.count()
    assert before >= 2  # the entry and the procurement's own
    with pytest.raises(DatabaseError, match=r"append-only \(TRUNCATE refused\)"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEntry.objects.count() == before
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    assert Procurement.objects.filter(pk=procurement.pk).exists()


def audit_triggers() -> set[str]:
    """The triggers that protect the log (not the one that bumps its case's revision)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_auditentry'::regclass AND NOT tgisinternal"
        )
        return {name for (name,) in cursor.fetchall() if not name.endswith("_revision_bump")}


@pytest.mark.postgres
def test_the_truncate_trigger_migration_is_reversible(db):
    from django.core.management import call_command

    assert audit_triggers() == {"audit_entry_append_only", "audit_entry_no_truncate"}
    call_command("migrate", "audit", "0003", verbosity=0)
    assert audit_triggers() == {"audit_entry_append_only"}
    call_command("migrate", "audit", verbosity=0)
    assert audit_triggers() == {"audit_entry_append_only", "audit_entry_no_truncate"}


@pytest.mark.postgres
def test_raw_sql_insert_is_still_allowed(collaboration):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditentry (at, action, message, data) VALUES (now(), 'raw.insert', 'Lagt til', '{}')"
        )
    assert AuditEntry.objects.filter(action="raw.insert").count() == 1


# --------------------------------------------------------------------------- every service writes its entry


def test_report_is_audited(collaboration):
    lead = collaboration.municipalities[0]
    with new_entries() as entries:
        procurement = procurement_report(
            user=collaboration.representative(lead),
            municipality=lead,
            title="Nytt arkivsystem",
            kind="introduce",
            description="Trenger Noark 5.",
            funding="own_budget",
        )
    assert [(e.action, e.actor, e.procurement, e.municipality) for e in entries] == [
        ("procurement.reported", collaboration.representative(lead), procurement, lead)
    ]
    assert "Nytt arkivsystem" in entries[0].message


def test_initiative_is_audited(collaboration):
    municipality = collaboration.municipalities[1]
    with new_entries() as entries:
        initiative_report(
            user=collaboration.representative(municipality), municipality=municipality, title="Chatbot", description="Prøver ut."
        )
    assert [(e.action, e.municipality) for e in entries] == [("initiative.reported", municipality)]


def test_invitations_are_audited(collaboration, make_procurement):
    lead, *others = collaboration.municipalities
    procurement = make_procurement(collaboration, joined=[lead])
    deadline = timezone.localdate() + timedelta(days=10)
    with new_entries() as entries:
        invitations_send(user=collaboration.coordinator, procurement=procurement, municipalities=others, answer_deadline=deadline)
    assert [(e.action, e.actor, e.procurement) for e in entries] == [("invitations.sent", collaboration.coordinator, procurement)]
    assert sorted(entries[0].data["municipalities"]) == sorted(m.pk for m in others)


@pytest.mark.parametrize(("join", "action"), [(True, "invitation.joined"), (False, "invitation.declined")])
def test_answers_are_audited(collaboration, make_procurement, join, action):
    lead, asked, _ = collaboration.municipalities
    procurement = make_procurement(collaboration, joined=[lead], unanswered=[asked])
    with new_entries() as entries:
        invitation_answer(
            user=collaboration.chief_executive(asked), procurement=procurement, municipality=asked, join=join, reason="Har egen."
        )
    assert [(e.action, e.actor, e.municipality) for e in entries] == [(action, collaboration.chief_executive(asked), asked)]
    assert ("Har egen." in entries[0].message) is not join


def test_cost_shares_are_audited(procurement, collaboration):
    with new_entries() as entries:
        cost_shares_set(user=collaboration.coordinator, procurement=procurement, method="population")
    assert [e.action for e in entries] == ["cost_shares.set"]
    assert entries[0].data["method"] == "population"


def test_transitions_are_audited(procurement, collaboration):
    with new_entries() as entries:
        procurement_transition(user=collaboration.coordinator, procurement_id=procurement.pk, transition="start")
    assert [(e.action, e.actor, e.data) for e in entries] == [
        ("procurement.start", collaboration.coordinator, {"from": phases.INTAKE, "to": phases.NEEDS, "automatic": False})
    ]


def test_upload_and_download_are_audited(make_procurement, collaboration):
    procurement = make_procurement(collaboration, phase=phases.NEEDS)
    definition = DeliverableDefinition.objects.get(code="needs-summary")
    with new_entries() as uploaded:
        version = deliverable_version_add(user=collaboration.coordinator, procurement=procurement, definition=definition, text="Behovene.")
    assert [(e.action, e.actor) for e in uploaded] == [("deliverable.uploaded", collaboration.coordinator)]
    assert uploaded[0].data == {
        "definition": "needs-summary",
        "version": 1,
        "sha256": version.sha256,
        "voided_signoffs": 0,
    }

    reader = collaboration.chief_executive(collaboration.municipalities[2])
    with new_entries() as downloaded:
        deliverable_download_record(user=reader, procurement_id=procurement.pk, version_id=version.pk)
    assert [(e.action, e.actor, e.procurement) for e in downloaded] == [("deliverable.downloaded", reader, procurement)]
    assert downloaded[0].data == {"version": version.pk, "sha256": version.sha256}


def test_a_refused_download_is_logged_as_a_refusal_not_a_download(make_procurement, collaboration, make_collaboration):
    procurement = make_procurement(collaboration, phase=phases.NEEDS)
    version = deliverable_version_add(
        user=collaboration.coordinator,
        procurement=procurement,
        definition=DeliverableDefinition.objects.get(code="needs-summary"),
        text="Behovene.",
    )
    stranger = make_collaboration(1, name="Fremmed samarbeid").coordinator
    with new_entries() as entries, pytest.raises(PermissionDenied):
        deliverable_download_record(user=stranger, procurement_id=procurement.pk, version_id=version.pk)
    assert [(e.action, e.actor, e.procurement) for e in entries] == [("deliverable.download_refused", stranger, procurement)]


def test_checklist_is_audited(make_procurement, collaboration):
    procurement = make_procurement(collaboration, phase=phases.NEEDS)
    item = ChecklistItemDefinition.objects.filter(phase__code=phases.NEEDS).first()
    with new_entries() as entries:
        checklist_item_set(user=collaboration.coordinator, procurement=procurement, item=item, done=True)
        checklist_item_set(user=collaboration.coordinator, procurement=procurement, item=item, done=True)  # no change
        checklist_item_set(user=collaboration.coordinator, procurement=procurement, item=item, done=False)
    assert [e.action for e in entries] == ["checklist.checked", "checklist.unchecked"]


def test_signoffs_are_audited_and_the_automatic_phase_change_too(
    make_procurement, collaboration, fill_deliverables, meet_conditions
):
    procurement = make_procurement(collaboration, phase=phases.CONTRACT)
    fill_deliverables(procurement)
    meet_conditions(procurement)  # the award notice is out and the standstill period is over
    step = GateStep.objects.get(gate__code="dpa")
    sha = procurement.deliverables.get(definition__code="contract-dpa").current_version.sha256
    *first, last = collaboration.municipalities
    for municipality in first:
        with new_entries() as entries:
            signoff_record(
                user=collaboration.chief_executive(municipality),
                procurement_id=procurement.pk,
                step_id=step.pk,
                slot=municipality_slot(municipality.pk),
                decision="approve",
                document_sha256=sha,
            )
        assert [(e.action, e.municipality) for e in entries] == [("signoff.approve", municipality)]
    with new_entries() as entries:
        signoff_record(
            user=collaboration.chief_executive(last),
            procurement_id=procurement.pk,
            step_id=step.pk,
            slot=municipality_slot(last.pk),
            decision="approve",
            document_sha256=sha,
        )
    assert [e.action for e in entries] == ["signoff.approve", "procurement.complete_phase"]
    assert entries[1].data["automatic"] is True


def test_a_refused_signoff_leaves_a_refusal_and_no_signature(make_procurement, collaboration, fill_deliverables):
    procurement = make_procurement(collaboration, phase=phases.STRATEGY)
    fill_deliverables(procurement)
    with new_entries() as entries, pytest.raises(StaleDocument):
        signoff_record(
            user=collaboration.coordinator,
            procurement_id=procurement.pk,
            step_id=GateStep.objects.get(gate__code="go-no-go").pk,
            slot=body_slot(collaboration.bodies["steering_group"].pk),
            decision="approve",
            document_sha256="f" * 64,
        )
    assert [(e.action, e.actor, e.procurement) for e in entries] == [("signoff.refused", collaboration.coordinator, procurement)]
    assert "StaleDocument" == entries[0].data["refusal"]
    assert not procurement.signoffs.exists()


def test_role_changes_are_audited(collaboration, person_with_role):
    municipality = collaboration.municipalities[0]
    person = person_with_role(Role.EVALUATOR, municipality=municipality)
    with new_entries() as entries:
        assignment = role_assign(actor=collaboration.coordinator, person=person, role=Role.USER_REPRESENTATIVE, municipality=municipality)
        role_assign(actor=collaboration.coordinator, person=person, role=Role.USER_REPRESENTATIVE, municipality=municipality)
        role_revoke(actor=collaboration.coordinator, assignment=assignment)
    assert [(e.action, e.actor, e.municipality) for e in entries] == [
        ("role.assigned", collaboration.coordinator, municipality),
        ("role.revoked", collaboration.coordinator, municipality),
    ]


def test_audit_messages_stay_in_bokmaal_when_the_actor_reads_english(make_collaboration, make_procurement):
    """The log is a record in the site's language; an English-reading coordinator or signer
    must not write English phase or role names into it."""
    from django.utils import translation

    from procurement import phases as phase_codes
    from tests.conftest import fill_deliverables, sign_gate

    world = make_collaboration(2)
    with translation.override("en"):
        procurement = make_procurement(world, phase=phase_codes.STRATEGY)
        fill_deliverables(procurement)
        assert sign_gate(procurement, "go-no-go"), "the SuksIT coordinator signed"
    messages = list(AuditEntry.objects.filter(procurement=procurement).values_list("message", flat=True))
    phase_changes = [m for m in messages if m.startswith("Fase endret")]
    assert phase_changes and all("Needs" not in m and "Target picture" not in m for m in phase_changes)
    assert any("«Kartlegge behov» til «Lage målbilde»" in m for m in phase_changes)
    signatures = [m for m in messages if "go/no-go" in m.lower() or "godkjente" in m]
    assert signatures and all("Coordinator" not in m for m in signatures)
    assert any("(Koordinator, " in m for m in signatures)


def test_a_refusal_that_quotes_a_nul_byte_is_written(collaboration):
    # A sign-off refused before its form is read quotes the slot as sent; PostgreSQL stores no
    # NUL in text or JSON, so "m:\x00" was a 500 there instead of a 403.
    entry = audit_refusal(
        actor=collaboration.coordinator, action="signoff.refused", message="Avvist: slot m:\x00", data={"slot": "m:\x00", "more": ["\x00"]}
    )
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.message == "Avvist: slot m:\ufffd" and entry.data == {"slot": "m:\ufffd", "more": ["\ufffd"]}


def test_a_list_of_entries_reads_what_it_shows_and_not_the_data(make_collaboration, make_procurement, django_assert_num_queries):
    from audit.selectors import audit_entries_for_procurement

    procurement = make_procurement(make_collaboration(2))
    entries = audit_entries_for_procurement(procurement=procurement, limit=21)
    assert '"data"' not in str(entries.query)
    with django_assert_num_queries(1):
        shown = [(str(e.actor or ""), str(e.municipality or ""), e.message, e.at) for e in entries]
    assert shown and all(message for _actor, _municipality, message, _at in shown)
