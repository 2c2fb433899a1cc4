"""Who may do what, over HTTP: one row per (role, action, where) with the answer the
application must give and the effect that must (or must not) reach the database.

Roles are the eleven of ``municipalities.roles.Role``, each held the way the demo holds it:

    coordinator             SuksIT (body)           regional_buyer          Regional innkjøper (body)
    kikt_architect          K-IKT (body)            archive_representative  Arkivnettverket (body)
    data_protection_officer Personvernombud (body)  suksit_member           a municipality
    chief_executive         a municipality          user_representative     a municipality
    union_representative    a municipality          evaluator               a municipality
    general_manager         the secretariat (body)

Where ("scope"):

    own        a person of the procurement's own collaboration; a municipal role belongs to the
               municipality the action is for (the invited one when answering, a joined
               participant otherwise)
    neighbour  a municipal role of ANOTHER municipality in the same collaboration, acting for the
               target municipality (reporting, answering, signing for a neighbour)
    declined   a municipal role of a municipality in the collaboration that declined the invitation
    other      the same role held in ANOTHER collaboration, acting on this collaboration's procurement
               or municipality

Outcomes:

    OK          the action's success status (302 after a POST, 200 for a page or a
                download) and its effect in the database
    FORBIDDEN   403: the person may see the procurement but not do this
    NOT_FOUND   404: the person may not see the procurement, and the answer does not
                reveal that it exists
    FORM_ERROR  200: the form is shown again with the municipality refused as "not one of
                the choices" (the choices are the municipalities the person may report for)
    HIDDEN      200: the page lists the restricted document as delivered, without a link to
                it, its file name or its checksum

Every denied row also asserts that nothing changed, and where the action's refusals are
audited (downloads, new versions of a gate's document), that a 403 left its entry.

Access classes: the completed evaluation form is restricted to the coordinator, the regional
buyer and the evaluators; the data processing agreement (a gate's document: a new version
voids its signatures) may be replaced only by those who run the procurement and the data
protection officer.

The data is built ONCE for the module (two collaborations, four procurements in intake, needs,
contract and acceptance test) inside a transaction that is rolled back when the module is
done, like Django's ``TestCase.setUpTestData``; each row runs in its own savepoint on top of
it (pytest-django's ``db``), so an allowed action in one row is never seen by the next.
"""
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from municipalities.roles import Role
from procurement import phases
from procurement.models import (
    Deadline,
    DeadlineKind,
    DeliverableDefinition,
    DeliverableVersion,
    Participation,
    ParticipationStatus,
    Procurement,
    SignOff,
)
from procurement.readiness import readiness_for
from tests.factories import PASSWORD
from tests.shared_data import built_once_per_module

OK = "ok"
FORBIDDEN = "forbidden"
NOT_FOUND = "not_found"
FORM_ERROR = "form_error"
HIDDEN = "hidden"

STATUS = {FORBIDDEN: 403, NOT_FOUND: 404, FORM_ERROR: 400, HIDDEN: 200}

# The restricted document in the contract procurement: a file whose name must not reach
# those who may not open it.
RESTRICTED_CODE = "evaluation-form"
RESTRICTED_FILE = "evalueringsskjema-leverandor-nordlys.pdf"

# Where each role is held: a body of the region (kind) or a municipality (None).
BODY_OF = {
    Role.COORDINATOR: "steering_group",
    Role.REGIONAL_BUYER: "procurement_office",
    Role.ICT_ARCHITECT: "shared_it",
    Role.ARCHIVE_REPRESENTATIVE: "archive_network",
    Role.DATA_PROTECTION_OFFICER: "data_protection",
    Role.GENERAL_MANAGER: "secretariat",
}
MUNICIPAL_ROLES = (
    Role.MUNICIPAL_REPRESENTATIVE,
    Role.CHIEF_EXECUTIVE,
    Role.USER_REPRESENTATIVE,
    Role.UNION_REPRESENTATIVE,
    Role.EVALUATOR,
)


# --------------------------------------------------------------------------------------
# The data, built once per module
# --------------------------------------------------------------------------------------


@dataclass
class Collaboration:
    world: object
    people: dict = field(default_factory=dict)  # (role, municipality pk or None) -> Person

    def holder(self, role: str, municipality=None):
        return self.people[(role, municipality.pk if municipality is not None and role in MUNICIPAL_ROLES else None)]


@dataclass
class Table:
    home: Collaboration
    away: Collaboration
    lead: object  # municipality that reported every procurement; always joined
    partner: object  # joined every procurement; the municipal roles act for it
    invitee: object  # invited to the intake procurement (unanswered); declined the others
    intake: Procurement
    needs: Procurement  # every needs deliverable present: ready to complete
    contract: Procurement  # data processing agreement uploaded, nobody has signed; the
    # evaluation form's current version is the file RESTRICTED_FILE
    acceptance: Procurement  # acceptance approval uploaded, nobody has signed
    benefit_share: object = None  # the partner's own part of a benefit in the contract procurement
    evaluation: Procurement = None  # in evaluation: one tender received; the partner's evaluator is named and declared
    tender: object = None
    signable: Procurement = None  # contract phase, standstill over, contract terms saved: ready to sign
    joining_round: object = None  # a round of the needs procurement, open, nobody joined
    work_package: object = None  # an open work package of the needs procurement


def _staff(world) -> Collaboration:
    """Every role of the table in WORLD: the bodies' people once, the municipal roles in
    every municipality (make_collaboration already gave SuksIT member, chief executive and user
    representative)."""
    from tests.conftest import person_with_role
    from tests.factories import BodyFactory

    collaboration = Collaboration(world=world)
    for role, kind in BODY_OF.items():
        if role == Role.COORDINATOR:
            collaboration.people[(role, None)] = world.coordinator
            continue
        body = world.bodies.get(kind) or BodyFactory(collaboration=world.collaboration, kind=kind)
        collaboration.people[(role, None)] = person_with_role(role, body=body, first_name=role.label)
    for municipality in world.municipalities:
        for role in MUNICIPAL_ROLES:
            key = (role, municipality.pk)
            if (role, municipality.pk) in world.people:
                collaboration.people[key] = world.people[(role, municipality.pk)]
            else:
                collaboration.people[key] = person_with_role(role, municipality=municipality)
    return collaboration


def _build() -> Table:
    from django.apps import apps

    from contracts.apps import standstill_minimums_after_migrate
    from procurement.catalogue_seed import national_template_ensure
    from procurement.services.deliverables import deliverable_version_add
    from tests.conftest import advance_to, fill_deliverables, make_collaboration, make_procurement

    # An earlier transactional test may have flushed them.
    national_template_ensure(apps)
    standstill_minimums_after_migrate(sender=None, apps=apps)
    world = make_collaboration(3, name="Kongsbergregionen")
    lead, partner, invitee = world.municipalities
    home = _staff(world)
    away = _staff(make_collaboration(1, name="Fosen"))

    intake = make_procurement(world, joined=[lead, partner], unanswered=[invitee], title="Intake")
    needs = make_procurement(world, joined=[lead, partner], declined=[invitee], phase=phases.NEEDS, title="Behov")
    fill_deliverables(needs)
    contract = make_procurement(world, joined=[lead, partner], declined=[invitee], phase=phases.CONTRACT, title="Kontrakt")
    fill_deliverables(contract)
    deliverable_version_add(
        user=world.coordinator,
        procurement=contract,
        definition=DeliverableDefinition.objects.get(version_id=contract.process_version_id, code=RESTRICTED_CODE),
        file=SimpleUploadedFile(RESTRICTED_FILE, b"%PDF-1.4\n% tilbud og poeng\n", content_type="application/pdf"),
    )
    acceptance = make_procurement(world, joined=[lead, partner], declined=[invitee], title="Akseptanse")
    advance_to(acceptance, phases.ACCEPTANCE_TEST)
    fill_deliverables(acceptance)
    benefit_share = _partner_benefit(world, contract, partner)
    evaluation, tender = _evaluation(world, home, lead, partner, invitee)
    from tests.agreements.helpers import contract_ready

    signable = contract_ready(world)
    joining_round, work_package = _network(world, needs)
    for p in (intake, needs, contract, acceptance):
        p.refresh_from_db()
    assert needs.state == phases.NEEDS and readiness_for(needs).deliverables_present
    assert contract.state == phases.CONTRACT and acceptance.state == phases.ACCEPTANCE_TEST
    return Table(
        home, away, lead, partner, invitee, intake, needs, contract, acceptance, benefit_share, evaluation, tender, signable,
        joining_round, work_package,
    )


def _network(world, procurement):
    """A joining round still open (seed 003) and an open paid work package in PROCUREMENT."""
    from decimal import Decimal

    from procurement.services.network import joining_round_save, work_package_save

    today = procurement.collaboration.today()
    joining_round = joining_round_save(
        user=world.coordinator, procurement=procurement, name="Udbudsnetværket", deadline=today + timedelta(days=20), price=Decimal(40000)
    )
    package = work_package_save(
        user=world.coordinator, procurement=procurement, title="Arbejdsgange", payment=Decimal(30000), due_date=today + timedelta(days=20)
    )
    return joining_round, package


def _evaluation(world, home, lead, partner, invitee):
    """A procurement in evaluation with one tender: its document and price are confidential
    to the evaluation group (the partner's evaluator, named for the quality criterion and
    declared impartial), the coordinator and the regional buyer."""
    from decimal import Decimal

    from evaluation import services as evaluation
    from tendering.models import AwardCriterion, Specification
    from tests.conftest import make_procurement

    procurement = make_procurement(world, joined=[lead, partner], declined=[invitee], phase=phases.EVALUATION, title="Evaluering")
    specification, _ = Specification.objects.get_or_create(procurement=procurement)
    quality = AwardCriterion.objects.create(specification=specification, name="Kvalitet", weight=Decimal(60), proposed_by=world.coordinator)
    AwardCriterion.objects.create(specification=specification, name="Pris", weight=Decimal(40), is_price=True, proposed_by=world.coordinator)
    supplier = evaluation.supplier_add(
        user=world.coordinator, procurement=procurement, name="Nordlys AS", country="NO", org_number="974760673",
        contact_name="Kari", contact_email="kari@nordlys.example",
    )
    tender = evaluation.tender_register(
        user=world.coordinator, procurement=procurement, supplier=supplier, price="1250000",
        file=SimpleUploadedFile("tilbud-nordlys.pdf", b"%PDF-1.4\n% tilbud med priser\n", content_type="application/pdf"),
    )
    evaluator = home.holder(Role.EVALUATOR, partner)
    evaluation.evaluator_assign(user=world.coordinator, procurement=procurement, person=evaluator, criterion=quality)
    evaluation.impartiality_declare(user=evaluator, procurement=procurement, confirm=True)
    return procurement, tender


def _partner_benefit(world, procurement, partner):
    """A benefit of the contract procurement that the partner expects, owned by its
    representative (seed 000: each municipality realises its own benefits)."""
    from datetime import date
    from decimal import Decimal

    from benefits.services import benefit_save, benefit_share_save

    benefit = benefit_save(
        user=world.coordinator, procurement=procurement, title="Færre nattbesøk", type="time_saved", category="alternative_use",
        beneficiaries="Hjemmetjenesten", indicator="Besøk per natt", unit="besøk", baseline_method="Telling", frequency=3,
    )
    return benefit_share_save(
        user=world.coordinator, procurement=procurement, benefit_id=benefit.pk, municipality_id=partner.pk,
        owner_id=world.representative(partner).pk, baseline_value=Decimal(10), baseline_date=date(2025, 1, 1),
        target_value=Decimal(4), target_date=date(2027, 1, 1), nok_per_year=Decimal(100000), hours_per_year=Decimal(300),
    )


@pytest.fixture(scope="module")
def table(django_db_setup, django_db_blocker):
    """The module's data inside one outer transaction, rolled back at the end of the module."""
    yield from built_once_per_module(django_db_blocker, _build)


# --------------------------------------------------------------------------------------
# Who acts, and for which municipality
# --------------------------------------------------------------------------------------


def target_municipality(t: Table, action: str):
    """The municipality the action is for (the one answered, reported or signed for)."""
    return t.invitee if action == "answer" else t.partner


def actor(t: Table, role: str, scope: str, action: str):
    target = target_municipality(t, action)
    if scope == "other":
        away = t.away.world.municipalities[0]
        return t.away.holder(role, away)
    if scope == "own":
        return t.home.holder(role, target)
    if scope == "neighbour":
        assert role in MUNICIPAL_ROLES, "a neighbour is a municipal role"
        return t.home.holder(role, t.lead if target != t.lead else t.partner)
    if scope == "declined":
        assert role in MUNICIPAL_ROLES and action != "answer"
        return t.home.holder(role, t.invitee)
    raise AssertionError(scope)


# --------------------------------------------------------------------------------------
# The actions: the request, its success status, and what it changes
# --------------------------------------------------------------------------------------


def _slot(t: Table, procurement: Procurement, gate_code: str):
    gate = next(g for g in readiness_for(procurement).gates if g.gate.code == gate_code)
    step = gate.open_step
    slot = next(s for s in step.slots if s.municipality_id == t.partner.pk)
    return step.step, slot.slot, gate.document.current_version.sha256


class Action:
    success = 302
    procurement_attr = "needs"

    def procurement(self, t: Table) -> Procurement:
        return getattr(t, self.procurement_attr)

    def request(self, client, t: Table):
        raise NotImplementedError

    def snapshot(self, t: Table):
        """What the action changes, read before and after."""
        raise NotImplementedError

    def assert_done(self, t: Table, before, after, person, response):
        raise NotImplementedError

    refusal_action = ""  # the audit action a refusal of this action writes, when it is audited

    def assert_refused(self, t: Table, person, expected, entries):
        """ENTRIES: the audit entries the refused request wrote."""
        if not self.refusal_action:
            return
        refusals = [(e.action, e.actor_id, e.procurement_id) for e in entries if e.action == self.refusal_action]
        if expected == FORBIDDEN:
            assert refusals == [(self.refusal_action, person.pk, self.procurement(t).pk)], "the refusal was not audited"
        else:
            assert refusals == []

    def assert_hidden(self, t: Table, response):
        raise NotImplementedError


class View(Action):
    success = 200

    def request(self, client, t):
        return client.get(reverse("procurement_detail", args=[t.needs.pk]))

    def snapshot(self, t):
        return None

    def assert_done(self, t, before, after, person, response):
        assert t.needs.title in response.content.decode()


class Report(Action):
    TITLE = "Nytt fagsystem for barnehage (tabelltest)"

    def request(self, client, t):
        return client.post(
            reverse("report_need"),
            {
                "municipality": t.partner.pk,
                "title": self.TITLE,
                "description": "Dagens system går ut av støtte.",
                "kind": "replace",
                "funding": "action_plan",
            },
        )

    def snapshot(self, t):
        return list(Procurement.objects.filter(title=self.TITLE).values_list("lead_municipality_id", "reported_by_id"))

    def assert_done(self, t, before, after, person, response):
        assert before == [] and after == [(t.partner.pk, person.pk)]


class Answer(Action):
    procurement_attr = "intake"

    def request(self, client, t):
        return client.post(reverse("invitation_answer", args=[t.intake.pk, t.invitee.pk]), {"join": "yes"})

    def snapshot(self, t):
        return Participation.objects.filter(procurement=t.intake, municipality=t.invitee).values_list(
            "status", "answered_by_id"
        ).get()

    def assert_done(self, t, before, after, person, response):
        assert before == (ParticipationStatus.INVITED, None)
        assert after == (ParticipationStatus.JOINED, person.pk)


class Upload(Action):
    CODE = "needs-summary"

    def request(self, client, t):
        return client.post(
            reverse("deliverable_add", args=[t.needs.pk, self.CODE]), {f"{self.CODE}-text": "Oppsummering, versjon 2."}
        )

    def snapshot(self, t):
        return list(
            DeliverableVersion.objects.filter(deliverable__procurement=t.needs, deliverable__definition__code=self.CODE)
            .order_by("number")
            .values_list("number", "created_by_id")
        )

    def assert_done(self, t, before, after, person, response):
        assert after == [*before, (len(before) + 1, person.pk)]


class Complete(Action):
    def request(self, client, t):
        return client.post(reverse("procurement_transition", args=[t.needs.pk, "complete_phase"]), {"confirmed": "1"})

    def snapshot(self, t):
        return Procurement.objects.values_list("state", flat=True).get(pk=t.needs.pk)

    def assert_done(self, t, before, after, person, response):
        assert (before, after) == (phases.NEEDS, phases.TARGET_PICTURE)


class Cancel(Action):
    def request(self, client, t):
        return client.post(
            reverse("procurement_transition", args=[t.needs.pk, "cancel"]), {"reason": "Behovet er dekket på annen måte."}
        )

    def snapshot(self, t):
        return Procurement.objects.values_list("state", "cancel_reason").get(pk=t.needs.pk)

    def assert_done(self, t, before, after, person, response):
        assert before == (phases.NEEDS, "")
        assert after == (phases.CANCELLED, "Behovet er dekket på annen måte.")


class Sign(Action):
    gate_code = ""

    def request(self, client, t):
        procurement = self.procurement(t)
        step, slot, sha = _slot(t, procurement, self.gate_code)
        return client.post(
            reverse("signoff_record", args=[procurement.pk, step.pk]),
            {"slot": slot, "decision": "approve", "comment": "", "document_sha256": sha, "password": PASSWORD},
        )

    def snapshot(self, t):
        return list(
            SignOff.objects.filter(procurement=self.procurement(t), step__gate__code=self.gate_code).values_list(
                "slot", "person_id", "decision"
            )
        )

    def assert_done(self, t, before, after, person, response):
        assert before == []
        assert after == [(f"m:{t.partner.pk}", person.pk, "approve")]


class SignDpa(Sign):
    procurement_attr = "contract"
    gate_code = "dpa"


class SignAcceptance(Sign):
    procurement_attr = "acceptance"
    gate_code = "acceptance"


class Download(Action):
    success = 200

    def version(self, t):
        return DeliverableVersion.objects.get(deliverable__procurement=t.needs, deliverable__definition__code="needs-summary")

    def request(self, client, t):
        return client.get(reverse("version_download", args=[t.needs.pk, self.version(t).pk]))

    def snapshot(self, t):
        return list(
            AuditEntry.objects.filter(procurement=t.needs, action="deliverable.downloaded").values_list("actor_id", flat=True)
        )

    def assert_done(self, t, before, after, person, response):
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content).decode() == self.version(t).text
        assert after == [*before, person.pk]


class CostShares(Action):
    def request(self, client, t):
        return client.post(reverse("cost_shares", args=[t.needs.pk]), {"method": "population"})

    def snapshot(self, t):
        return Procurement.objects.values_list("cost_sharing_method", flat=True).get(pk=t.needs.pk)

    def assert_done(self, t, before, after, person, response):
        assert (before, after) == ("equal", "population")
        shares = dict(
            Participation.objects.filter(procurement=t.needs, status=ParticipationStatus.JOINED).values_list(
                "municipality_id", "cost_share"
            )
        )
        # By population: the shares follow the two municipalities' sizes and total 100.
        assert sum(shares.values()) == 100
        assert (shares[t.lead.pk] > shares[t.partner.pk]) == (t.lead.population > t.partner.population)


class AddDeadline(Action):
    TITLE = "RMU-møte: tildeling (tabelltest)"

    def request(self, client, t):
        due = timezone.localdate(timezone=t.needs.collaboration.tzinfo) + timedelta(days=10)
        return client.post(
            reverse("deadline_add", args=[t.needs.pk]),
            {"title": self.TITLE, "due_date": due.isoformat(), "phase": phases.NEEDS},
        )

    def snapshot(self, t):
        return list(Deadline.objects.filter(procurement=t.needs, title=self.TITLE).values_list("kind", "phase", "done_at"))

    def assert_done(self, t, before, after, person, response):
        assert before == [] and after == [(DeadlineKind.PHASE, phases.NEEDS, None)]
        entry = AuditEntry.objects.filter(procurement=t.needs, action="deadline.added").latest("id")
        assert entry.actor_id == person.pk


class BenefitMeasure(Action):
    """A measurement of the partner's own benefit: its people and those who run the case;
    the other municipalities' people and the bodies do not see the row (404)."""

    procurement_attr = "contract"

    def request(self, client, t):
        return client.post(
            reverse("benefit_measurement_add", args=[t.contract.pk, t.benefit_share.pk]), {"measured_on": "2026-01-01", "value": "7"}
        )

    def snapshot(self, t):
        from benefits.models import Measurement

        return list(Measurement.objects.filter(share=t.benefit_share).values_list("measured_on", "value"))

    def assert_done(self, t, before, after, person, response):
        assert before == [] and len(after) == 1
        entry = AuditEntry.objects.filter(procurement=t.contract, action="benefit.measured").latest("id")
        assert (entry.actor_id, entry.municipality_id) == (person.pk, t.partner.pk)


class BenefitShareEdit(Action):
    """The partner's owner, baseline and target, under the same rule."""

    procurement_attr = "contract"

    def request(self, client, t):
        share = t.benefit_share
        return client.post(
            reverse("benefit_share_edit", args=[t.contract.pk, share.benefit_id, t.partner.pk]),
            {"owner": share.owner_id, "baseline_value": "12", "baseline_date": "2025-01-01", "target_value": "4",
             "target_date": "2027-01-01", "nok_per_year": "100000", "hours_per_year": "300"},
        )

    def snapshot(self, t):
        from benefits.models import BenefitShare

        return list(BenefitShare.objects.filter(pk=t.benefit_share.pk).values_list("baseline_value", flat=True))

    def assert_done(self, t, before, after, person, response):
        assert [str(v) for v in after] == ["12.00"]


def _restricted_version(t: Table) -> DeliverableVersion:
    return DeliverableVersion.objects.get(
        deliverable__procurement=t.contract, deliverable__definition__code=RESTRICTED_CODE, original_name=RESTRICTED_FILE
    )


class DownloadRestricted(Action):
    """The completed evaluation form, restricted to coordinator, regional buyer and evaluator."""

    success = 200
    procurement_attr = "contract"
    refusal_action = "deliverable.download_refused"

    def request(self, client, t):
        return client.get(reverse("version_download", args=[t.contract.pk, _restricted_version(t).pk]))

    def snapshot(self, t):
        return list(
            AuditEntry.objects.filter(procurement=t.contract, action="deliverable.downloaded").values_list("actor_id", flat=True)
        )

    def assert_done(self, t, before, after, person, response):
        assert RESTRICTED_FILE in response["Content-Disposition"]
        assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")
        assert after == [*before, person.pk]


class SeeRestrictedListing(Action):
    """The contract procurement's page: the evaluation phase's deliverables are listed, the
    restricted one with its link, name and checksum only for those who may open it."""

    success = 200
    procurement_attr = "contract"

    def request(self, client, t):
        return client.get(reverse("procurement_detail", args=[t.contract.pk]))

    def snapshot(self, t):
        return None

    def _traces(self, t):
        version = _restricted_version(t)
        return [reverse("version_download", args=[t.contract.pk, version.pk]), RESTRICTED_FILE, version.sha256[:12]]

    def assert_done(self, t, before, after, person, response):
        page = response.content.decode()
        for trace in self._traces(t):
            assert trace in page, f"{trace!r} is missing for someone who may open the document"

    def assert_hidden(self, t, response):
        page = response.content.decode()
        assert "Utfylt evalueringsskjema" in page, "the restricted document is not listed at all"
        assert "Bare koordinator, regional innkjøper, evaluator kan åpne dette dokumentet." in page
        for trace in self._traces(t):
            assert trace not in page, f"{trace!r} leaks to someone who may not open the document"


class ReplaceGateDocument(Action):
    """A new version of the data processing agreement (the dpa gate's document) in the
    contract phase: it would void the chief executives' signatures."""

    procurement_attr = "contract"
    CODE = "contract-dpa"
    refusal_action = "deliverable.upload_refused"

    def request(self, client, t):
        return client.post(
            reverse("deliverable_add", args=[t.contract.pk, self.CODE]), {f"{self.CODE}-text": "Databehandleravtale, versjon 2."}
        )

    def snapshot(self, t):
        return list(
            DeliverableVersion.objects.filter(deliverable__procurement=t.contract, deliverable__definition__code=self.CODE)
            .order_by("number")
            .values_list("number", "created_by_id")
        )

    def assert_done(self, t, before, after, person, response):
        assert after == [*before, (len(before) + 1, person.pk)]


class EditDpa(Action):
    """The data processing agreement's data (agreements): saved in the contract phase, its
    PDF becomes a new version of the dpa gate's document and voids its signatures, so only
    the roles that manage that gate (those who run the case, the data protection officer)."""

    procurement_attr = "contract"
    refusal_action = "dpa.refused"

    def request(self, client, t):
        from tests.agreements.helpers import HEALTH_DPA

        data = {f"dpa-{k}": ("on" if v is True else v) for k, v in HEALTH_DPA.items() if v is not False}
        return client.post(reverse("dpa_edit", args=[t.contract.pk]), data)

    def snapshot(self, t):
        from agreements.models import DataProcessingAgreement

        versions = DeliverableVersion.objects.filter(deliverable__procurement=t.contract, deliverable__definition__code="contract-dpa")
        return (
            list(DataProcessingAgreement.objects.filter(procurement=t.contract).values_list("revision", "updated_by_id")),
            versions.count(),
        )

    def assert_done(self, t, before, after, person, response):
        assert before[0] == [] and after[0] == [(1, person.pk)]
        assert after[1] == before[1] + 1


class EditContract(Action):
    """The contract's terms: those who run the procurement."""

    procurement_attr = "contract"
    refusal_action = "contract.refused"

    def request(self, client, t):
        from tests.agreements.helpers import CONTRACT

        return client.post(reverse("contract_edit", args=[t.contract.pk]), {f"contract-{k}": str(v) for k, v in CONTRACT.items()})

    def snapshot(self, t):
        from agreements.models import Contract

        return list(Contract.objects.filter(procurement=t.contract).values_list("supplier_name", "updated_by_id"))

    def assert_done(self, t, before, after, person, response):
        assert before == [] and after == [("Nordlys Velferd AS", person.pk)]

class SignContract(Action):
    """The contract, once the standstill period is over: the collaboration's coordinator or its
    general manager, after the password again (seed 000); a 403 is audited."""

    procurement_attr = "signable"
    refusal_action = "contract.refused"

    def request(self, client, t):
        return client.post(reverse("contract_sign", args=[t.signable.pk]), {"sign-password": PASSWORD})

    def snapshot(self, t):
        from agreements.models import Contract

        return Contract.objects.values_list("state", "signed_by_id").get(procurement=t.signable)

    def assert_done(self, t, before, after, person, response):
        assert before == ("draft", None) and after == ("signed", person.pk)


class OpenTender(Action):
    """A tender's document (with its prices): only the evaluation group (a named evaluator who
    declared impartiality), the coordinator and the regional buyer; refusals are audited."""

    success = 200
    procurement_attr = "evaluation"
    refusal_action = "tender.open_refused"

    def request(self, client, t):
        version = t.tender.versions.get()
        return client.get(reverse("evaluation_tender_download", args=[t.evaluation.pk, t.tender.pk, version.pk]))

    def snapshot(self, t):
        return list(AuditEntry.objects.filter(procurement=t.evaluation, action="tender.opened").values_list("actor_id", flat=True))

    def assert_done(self, t, before, after, person, response):
        assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")
        assert after == [*before, person.pk]


class EvaluationPage(Action):
    """The evaluation page: prices and tenders on it; 403 for everyone outside the group."""

    success = 200
    procurement_attr = "evaluation"

    def request(self, client, t):
        return client.get(reverse("evaluation_page", args=[t.evaluation.pk]))

    def snapshot(self, t):
        return None

    def assert_done(self, t, before, after, person, response):
        page = response.content.decode()
        assert "Nordlys AS" in page and ("1 250 000" in page or "1\xa0250\xa0000" in page)


class Join(Action):
    """The partner joins the needs procurement's joining round: its chief executive or
    representative, or those who run the case for it; refusals are audited."""

    refusal_action = "joining.refused"

    def request(self, client, t):
        prefix = f"join-{t.joining_round.pk}"
        return client.post(
            reverse("joining_record", args=[t.needs.pk, t.joining_round.pk]),
            {f"{prefix}-municipality": t.partner.pk, f"{prefix}-joined_on": t.needs.collaboration.today().isoformat(),
             f"{prefix}-agreement": "Tilslutningsaftale j.nr. 7"},
        )

    def snapshot(self, t):
        from procurement.models import Joining

        return list(Joining.objects.filter(round=t.joining_round).values_list("municipality_id", "recorded_by_id"))

    def assert_done(self, t, before, after, person, response):
        assert before == [] and after == [(t.partner.pk, person.pk)]


class AddWorkPackage(Action):
    """A new paid work package: those who run the procurement."""

    refusal_action = "work_package.refused"

    def request(self, client, t):
        due = t.needs.collaboration.today() + timedelta(days=10)
        return client.post(
            reverse("work_package_add", args=[t.needs.pk]),
            {"package-new-title": "Flows (tabelltest)", "package-new-payment": "20 000", "package-new-due_date": due.isoformat()},
        )

    def snapshot(self, t):
        from procurement.models import WorkPackage

        return list(WorkPackage.objects.filter(procurement=t.needs, title="Flows (tabelltest)").values_list("payment", flat=True))

    def assert_done(self, t, before, after, person, response):
        assert before == [] and [int(v) for v in after] == [20000]


class TakeWorkPackage(Action):
    """The partner takes the open work package: its people who write deliverables, or those
    who run the case for it; refusals are audited."""

    refusal_action = "work_package.refused"

    def request(self, client, t):
        return client.post(
            reverse("work_package_take", args=[t.needs.pk, t.work_package.pk]), {f"take-{t.work_package.pk}-municipality": t.partner.pk}
        )

    def snapshot(self, t):
        from procurement.models import WorkPackage

        return WorkPackage.objects.values_list("state", "municipality_id", "taken_by_id").get(pk=t.work_package.pk)

    def assert_done(self, t, before, after, person, response):
        assert before == ("open", None, None) and after == ("taken", t.partner.pk, person.pk)


ACTIONS = {
    "join": Join(),
    "add_work_package": AddWorkPackage(),
    "take_work_package": TakeWorkPackage(),
    "view": View(),
    "report": Report(),
    "answer": Answer(),
    "upload": Upload(),
    "complete": Complete(),
    "cancel": Cancel(),
    "sign_dpa": SignDpa(),
    "sign_acceptance": SignAcceptance(),
    "download": Download(),
    "cost_shares": CostShares(),
    "add_deadline": AddDeadline(),
    "download_restricted": DownloadRestricted(),
    "see_restricted_listing": SeeRestrictedListing(),
    "replace_gate_document": ReplaceGateDocument(),
    "benefit_measure": BenefitMeasure(),
    "benefit_share": BenefitShareEdit(),
    "edit_dpa": EditDpa(),
    "edit_contract": EditContract(),
    "sign_contract": SignContract(),

    "open_tender": OpenTender(),
    "evaluation_page": EvaluationPage(),
}


# --------------------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------------------

C, RB, SM, CE, UR = "coordinator", "regional_buyer", "municipal_representative", "chief_executive", "user_representative"
KA, AR, DPO, UN, EV = "ict_architect", "archive_representative", "data_protection_officer", "union_representative", "evaluator"
GM = "general_manager"

ROWS = [
    # ---- join a network's joining round for the partner: its chief executive or representative, or those who run the case
    (C, "join", "own", OK),
    (RB, "join", "own", OK),
    (SM, "join", "own", OK),
    (CE, "join", "own", OK),
    (UR, "join", "own", FORBIDDEN),
    (KA, "join", "own", FORBIDDEN),
    (GM, "join", "own", FORBIDDEN),
    (AR, "join", "own", FORBIDDEN),
    (DPO, "join", "own", FORBIDDEN),
    (UN, "join", "own", FORBIDDEN),
    (EV, "join", "own", FORBIDDEN),
    (SM, "join", "neighbour", FORBIDDEN),  # answers for its own municipality only
    (CE, "join", "neighbour", FORBIDDEN),
    (SM, "join", "declined", FORBIDDEN),
    (C, "join", "other", NOT_FOUND),
    (RB, "join", "other", NOT_FOUND),
    (SM, "join", "other", NOT_FOUND),
    (CE, "join", "other", NOT_FOUND),
    (UR, "join", "other", NOT_FOUND),
    (KA, "join", "other", NOT_FOUND),
    (GM, "join", "other", NOT_FOUND),
    (AR, "join", "other", NOT_FOUND),
    (DPO, "join", "other", NOT_FOUND),
    (UN, "join", "other", NOT_FOUND),
    (EV, "join", "other", NOT_FOUND),
    # ---- a new paid work package: those who run the procurement
    (C, "add_work_package", "own", OK),
    (RB, "add_work_package", "own", OK),
    (SM, "add_work_package", "own", FORBIDDEN),
    (CE, "add_work_package", "own", FORBIDDEN),
    (UR, "add_work_package", "own", FORBIDDEN),
    (KA, "add_work_package", "own", FORBIDDEN),
    (GM, "add_work_package", "own", FORBIDDEN),
    (AR, "add_work_package", "own", FORBIDDEN),
    (DPO, "add_work_package", "own", FORBIDDEN),
    (UN, "add_work_package", "own", FORBIDDEN),
    (EV, "add_work_package", "own", FORBIDDEN),
    (SM, "add_work_package", "declined", FORBIDDEN),
    (C, "add_work_package", "other", NOT_FOUND),
    (RB, "add_work_package", "other", NOT_FOUND),
    (SM, "add_work_package", "other", NOT_FOUND),
    (CE, "add_work_package", "other", NOT_FOUND),
    (UR, "add_work_package", "other", NOT_FOUND),
    (KA, "add_work_package", "other", NOT_FOUND),
    (GM, "add_work_package", "other", NOT_FOUND),
    (AR, "add_work_package", "other", NOT_FOUND),
    (DPO, "add_work_package", "other", NOT_FOUND),
    (UN, "add_work_package", "other", NOT_FOUND),
    (EV, "add_work_package", "other", NOT_FOUND),
    # ---- take the open work package for the partner: its people who write deliverables, or those who run the case
    (C, "take_work_package", "own", OK),
    (RB, "take_work_package", "own", OK),
    (SM, "take_work_package", "own", OK),
    (CE, "take_work_package", "own", FORBIDDEN),
    (UR, "take_work_package", "own", OK),
    (KA, "take_work_package", "own", FORBIDDEN),
    (GM, "take_work_package", "own", FORBIDDEN),
    (AR, "take_work_package", "own", FORBIDDEN),
    (DPO, "take_work_package", "own", FORBIDDEN),
    (UN, "take_work_package", "own", FORBIDDEN),
    (EV, "take_work_package", "own", FORBIDDEN),
    (SM, "take_work_package", "neighbour", FORBIDDEN),
    (UR, "take_work_package", "neighbour", FORBIDDEN),
    (SM, "take_work_package", "declined", FORBIDDEN),  # a declined municipality takes no part
    (C, "take_work_package", "other", NOT_FOUND),
    (RB, "take_work_package", "other", NOT_FOUND),
    (SM, "take_work_package", "other", NOT_FOUND),
    (CE, "take_work_package", "other", NOT_FOUND),
    (UR, "take_work_package", "other", NOT_FOUND),
    (KA, "take_work_package", "other", NOT_FOUND),
    (GM, "take_work_package", "other", NOT_FOUND),
    (AR, "take_work_package", "other", NOT_FOUND),
    (DPO, "take_work_package", "other", NOT_FOUND),
    (UN, "take_work_package", "other", NOT_FOUND),
    (EV, "take_work_package", "other", NOT_FOUND),
    # ---- view the procurement page (a procurement in "needs"; the municipal roles' municipality joined)
    (C, "view", "own", OK),
    (RB, "view", "own", OK),
    (SM, "view", "own", OK),
    (CE, "view", "own", OK),
    (UR, "view", "own", OK),
    (KA, "view", "own", OK),
    (GM, "view", "own", OK),
    (AR, "view", "own", OK),
    (DPO, "view", "own", OK),
    (UN, "view", "own", OK),
    (EV, "view", "own", OK),
    (SM, "view", "declined", OK),  # a municipality that said no still follows the case
    (UN, "view", "declined", OK),
    (C, "view", "other", NOT_FOUND),
    (RB, "view", "other", NOT_FOUND),
    (SM, "view", "other", NOT_FOUND),
    (CE, "view", "other", NOT_FOUND),
    (UR, "view", "other", NOT_FOUND),
    (KA, "view", "other", NOT_FOUND),
    (GM, "view", "other", NOT_FOUND),
    (AR, "view", "other", NOT_FOUND),
    (DPO, "view", "other", NOT_FOUND),
    (UN, "view", "other", NOT_FOUND),
    (EV, "view", "other", NOT_FOUND),
    # ---- report a need for the partner municipality
    (C, "report", "own", OK),  # the coordinator reports for any municipality of the region
    (RB, "report", "own", FORBIDDEN),  # seed 000: needs reach SuksIT via its member or coordinator
    (SM, "report", "own", OK),
    (CE, "report", "own", FORBIDDEN),
    (UR, "report", "own", FORBIDDEN),
    (KA, "report", "own", FORBIDDEN),
    (GM, "report", "own", FORBIDDEN),
    (AR, "report", "own", FORBIDDEN),
    (DPO, "report", "own", FORBIDDEN),
    (UN, "report", "own", FORBIDDEN),
    (EV, "report", "own", FORBIDDEN),
    (SM, "report", "neighbour", FORM_ERROR),
    (CE, "report", "neighbour", FORBIDDEN),
    (C, "report", "other", FORM_ERROR),
    (RB, "report", "other", FORBIDDEN),
    (SM, "report", "other", FORM_ERROR),
    (CE, "report", "other", FORBIDDEN),
    (UR, "report", "other", FORBIDDEN),
    (KA, "report", "other", FORBIDDEN),
    (GM, "report", "other", FORBIDDEN),
    (AR, "report", "other", FORBIDDEN),
    (DPO, "report", "other", FORBIDDEN),
    (UN, "report", "other", FORBIDDEN),
    (EV, "report", "other", FORBIDDEN),
    # ---- answer the invitation (join) for the invited municipality
    (C, "answer", "own", FORBIDDEN),  # the coordinator invites; the municipality answers
    (RB, "answer", "own", FORBIDDEN),
    (SM, "answer", "own", OK),
    (CE, "answer", "own", OK),
    (UR, "answer", "own", FORBIDDEN),
    (KA, "answer", "own", FORBIDDEN),
    (GM, "answer", "own", FORBIDDEN),
    (AR, "answer", "own", FORBIDDEN),
    (DPO, "answer", "own", FORBIDDEN),
    (UN, "answer", "own", FORBIDDEN),
    (EV, "answer", "own", FORBIDDEN),
    (SM, "answer", "neighbour", FORBIDDEN),  # a joined neighbour sees the case but answers only for itself
    (CE, "answer", "neighbour", FORBIDDEN),
    (C, "answer", "other", NOT_FOUND),
    (RB, "answer", "other", NOT_FOUND),
    (SM, "answer", "other", NOT_FOUND),
    (CE, "answer", "other", NOT_FOUND),
    (UR, "answer", "other", NOT_FOUND),
    (KA, "answer", "other", NOT_FOUND),
    (GM, "answer", "other", NOT_FOUND),
    (AR, "answer", "other", NOT_FOUND),
    (DPO, "answer", "other", NOT_FOUND),
    (UN, "answer", "other", NOT_FOUND),
    (EV, "answer", "other", NOT_FOUND),
    # ---- upload a new version of a deliverable (needs summary, as text)
    (C, "upload", "own", OK),
    (RB, "upload", "own", OK),
    (SM, "upload", "own", OK),
    (CE, "upload", "own", FORBIDDEN),  # decides and signs, does not write
    (UR, "upload", "own", OK),
    (KA, "upload", "own", OK),
    (GM, "upload", "own", FORBIDDEN),  # signs the contract, writes no deliverable
    (AR, "upload", "own", OK),
    (DPO, "upload", "own", OK),
    (UN, "upload", "own", FORBIDDEN),
    (EV, "upload", "own", FORBIDDEN),
    (SM, "upload", "declined", FORBIDDEN),  # sees the case, but the municipality is not in it
    (UR, "upload", "declined", FORBIDDEN),
    (C, "upload", "other", NOT_FOUND),
    (RB, "upload", "other", NOT_FOUND),
    (SM, "upload", "other", NOT_FOUND),
    (CE, "upload", "other", NOT_FOUND),
    (UR, "upload", "other", NOT_FOUND),
    (KA, "upload", "other", NOT_FOUND),
    (GM, "upload", "other", NOT_FOUND),
    (AR, "upload", "other", NOT_FOUND),
    (DPO, "upload", "other", NOT_FOUND),
    (UN, "upload", "other", NOT_FOUND),
    (EV, "upload", "other", NOT_FOUND),
    # ---- complete the phase (needs -> target picture; everything is present)
    (C, "complete", "own", OK),
    (RB, "complete", "own", OK),
    (SM, "complete", "own", FORBIDDEN),
    (CE, "complete", "own", FORBIDDEN),
    (UR, "complete", "own", FORBIDDEN),
    (KA, "complete", "own", FORBIDDEN),
    (GM, "complete", "own", FORBIDDEN),
    (AR, "complete", "own", FORBIDDEN),
    (DPO, "complete", "own", FORBIDDEN),
    (UN, "complete", "own", FORBIDDEN),
    (EV, "complete", "own", FORBIDDEN),
    (C, "complete", "other", NOT_FOUND),
    (RB, "complete", "other", NOT_FOUND),
    (SM, "complete", "other", NOT_FOUND),
    (CE, "complete", "other", NOT_FOUND),
    (UR, "complete", "other", NOT_FOUND),
    (KA, "complete", "other", NOT_FOUND),
    (GM, "complete", "other", NOT_FOUND),
    (AR, "complete", "other", NOT_FOUND),
    (DPO, "complete", "other", NOT_FOUND),
    (UN, "complete", "other", NOT_FOUND),
    (EV, "complete", "other", NOT_FOUND),
    # ---- cancel the procurement (with a reason)
    (C, "cancel", "own", OK),
    (RB, "cancel", "own", OK),
    (SM, "cancel", "own", FORBIDDEN),
    (CE, "cancel", "own", FORBIDDEN),
    (UR, "cancel", "own", FORBIDDEN),
    (KA, "cancel", "own", FORBIDDEN),
    (GM, "cancel", "own", FORBIDDEN),
    (AR, "cancel", "own", FORBIDDEN),
    (DPO, "cancel", "own", FORBIDDEN),
    (UN, "cancel", "own", FORBIDDEN),
    (EV, "cancel", "own", FORBIDDEN),
    (C, "cancel", "other", NOT_FOUND),
    (RB, "cancel", "other", NOT_FOUND),
    (SM, "cancel", "other", NOT_FOUND),
    (CE, "cancel", "other", NOT_FOUND),
    (UR, "cancel", "other", NOT_FOUND),
    (KA, "cancel", "other", NOT_FOUND),
    (GM, "cancel", "other", NOT_FOUND),
    (AR, "cancel", "other", NOT_FOUND),
    (DPO, "cancel", "other", NOT_FOUND),
    (UN, "cancel", "other", NOT_FOUND),
    (EV, "cancel", "other", NOT_FOUND),
    # ---- sign the data processing agreement for the partner municipality (contract phase)
    (C, "sign_dpa", "own", FORBIDDEN),
    (RB, "sign_dpa", "own", FORBIDDEN),
    (SM, "sign_dpa", "own", FORBIDDEN),
    (CE, "sign_dpa", "own", OK),  # the chief executive signs for their own municipality
    (UR, "sign_dpa", "own", FORBIDDEN),
    (KA, "sign_dpa", "own", FORBIDDEN),
    (GM, "sign_dpa", "own", FORBIDDEN),
    (AR, "sign_dpa", "own", FORBIDDEN),
    (DPO, "sign_dpa", "own", FORBIDDEN),
    (UN, "sign_dpa", "own", FORBIDDEN),
    (EV, "sign_dpa", "own", FORBIDDEN),
    (CE, "sign_dpa", "neighbour", FORBIDDEN),  # the lead's chief executive cannot sign for the partner
    (CE, "sign_dpa", "declined", FORBIDDEN),
    (C, "sign_dpa", "other", NOT_FOUND),
    (RB, "sign_dpa", "other", NOT_FOUND),
    (SM, "sign_dpa", "other", NOT_FOUND),
    (CE, "sign_dpa", "other", NOT_FOUND),
    (UR, "sign_dpa", "other", NOT_FOUND),
    (KA, "sign_dpa", "other", NOT_FOUND),
    (GM, "sign_dpa", "other", NOT_FOUND),
    (AR, "sign_dpa", "other", NOT_FOUND),
    (DPO, "sign_dpa", "other", NOT_FOUND),
    (UN, "sign_dpa", "other", NOT_FOUND),
    (EV, "sign_dpa", "other", NOT_FOUND),
    # ---- sign the acceptance for the partner municipality (acceptance test phase)
    (C, "sign_acceptance", "own", FORBIDDEN),
    (RB, "sign_acceptance", "own", FORBIDDEN),
    (SM, "sign_acceptance", "own", FORBIDDEN),
    (CE, "sign_acceptance", "own", FORBIDDEN),
    (UR, "sign_acceptance", "own", OK),  # the user representative approves the delivery
    (KA, "sign_acceptance", "own", FORBIDDEN),
    (GM, "sign_acceptance", "own", FORBIDDEN),
    (AR, "sign_acceptance", "own", FORBIDDEN),
    (DPO, "sign_acceptance", "own", FORBIDDEN),
    (UN, "sign_acceptance", "own", FORBIDDEN),
    (EV, "sign_acceptance", "own", FORBIDDEN),
    (UR, "sign_acceptance", "neighbour", FORBIDDEN),
    (UR, "sign_acceptance", "declined", FORBIDDEN),
    (C, "sign_acceptance", "other", NOT_FOUND),
    (RB, "sign_acceptance", "other", NOT_FOUND),
    (SM, "sign_acceptance", "other", NOT_FOUND),
    (CE, "sign_acceptance", "other", NOT_FOUND),
    (UR, "sign_acceptance", "other", NOT_FOUND),
    (KA, "sign_acceptance", "other", NOT_FOUND),
    (GM, "sign_acceptance", "other", NOT_FOUND),
    (AR, "sign_acceptance", "other", NOT_FOUND),
    (DPO, "sign_acceptance", "other", NOT_FOUND),
    (UN, "sign_acceptance", "other", NOT_FOUND),
    (EV, "sign_acceptance", "other", NOT_FOUND),
    # ---- download a document (the needs summary); every download is logged
    (C, "download", "own", OK),
    (RB, "download", "own", OK),
    (SM, "download", "own", OK),
    (CE, "download", "own", OK),
    (UR, "download", "own", OK),
    (KA, "download", "own", OK),
    (GM, "download", "own", OK),
    (AR, "download", "own", OK),
    (DPO, "download", "own", OK),
    (UN, "download", "own", OK),
    (EV, "download", "own", OK),
    (SM, "download", "declined", OK),
    (C, "download", "other", NOT_FOUND),
    (RB, "download", "other", NOT_FOUND),
    (SM, "download", "other", NOT_FOUND),
    (CE, "download", "other", NOT_FOUND),
    (UR, "download", "other", NOT_FOUND),
    (KA, "download", "other", NOT_FOUND),
    (GM, "download", "other", NOT_FOUND),
    (AR, "download", "other", NOT_FOUND),
    (DPO, "download", "other", NOT_FOUND),
    (UN, "download", "other", NOT_FOUND),
    (EV, "download", "other", NOT_FOUND),
    # ---- set the cost-sharing key (equal -> by population)
    (C, "cost_shares", "own", OK),
    (RB, "cost_shares", "own", OK),
    (SM, "cost_shares", "own", FORBIDDEN),
    (CE, "cost_shares", "own", FORBIDDEN),
    (UR, "cost_shares", "own", FORBIDDEN),
    (KA, "cost_shares", "own", FORBIDDEN),
    (GM, "cost_shares", "own", FORBIDDEN),
    (AR, "cost_shares", "own", FORBIDDEN),
    (DPO, "cost_shares", "own", FORBIDDEN),
    (UN, "cost_shares", "own", FORBIDDEN),
    (EV, "cost_shares", "own", FORBIDDEN),
    (C, "cost_shares", "other", NOT_FOUND),
    (RB, "cost_shares", "other", NOT_FOUND),
    (SM, "cost_shares", "other", NOT_FOUND),
    (CE, "cost_shares", "other", NOT_FOUND),
    (UR, "cost_shares", "other", NOT_FOUND),
    (KA, "cost_shares", "other", NOT_FOUND),
    (GM, "cost_shares", "other", NOT_FOUND),
    (AR, "cost_shares", "other", NOT_FOUND),
    (DPO, "cost_shares", "other", NOT_FOUND),
    (UN, "cost_shares", "other", NOT_FOUND),
    (EV, "cost_shares", "other", NOT_FOUND),
    # ---- add a deadline for the needs phase
    (C, "add_deadline", "own", OK),
    (RB, "add_deadline", "own", OK),
    (SM, "add_deadline", "own", FORBIDDEN),  # reports needs and answers, does not run the procurement
    (CE, "add_deadline", "own", FORBIDDEN),
    (UR, "add_deadline", "own", FORBIDDEN),
    (KA, "add_deadline", "own", FORBIDDEN),
    (GM, "add_deadline", "own", FORBIDDEN),
    (AR, "add_deadline", "own", FORBIDDEN),
    (DPO, "add_deadline", "own", FORBIDDEN),
    (UN, "add_deadline", "own", FORBIDDEN),
    (EV, "add_deadline", "own", FORBIDDEN),
    (SM, "add_deadline", "declined", FORBIDDEN),
    (C, "add_deadline", "other", NOT_FOUND),
    (RB, "add_deadline", "other", NOT_FOUND),
    (SM, "add_deadline", "other", NOT_FOUND),
    (CE, "add_deadline", "other", NOT_FOUND),
    (UR, "add_deadline", "other", NOT_FOUND),
    (KA, "add_deadline", "other", NOT_FOUND),
    (GM, "add_deadline", "other", NOT_FOUND),
    (AR, "add_deadline", "other", NOT_FOUND),
    (DPO, "add_deadline", "other", NOT_FOUND),
    (UN, "add_deadline", "other", NOT_FOUND),
    (EV, "add_deadline", "other", NOT_FOUND),
    # ---- download the completed evaluation form (restricted to coordinator, regional buyer,
    # evaluator); a 403 leaves deliverable.download_refused
    (C, "download_restricted", "own", OK),
    (RB, "download_restricted", "own", OK),
    (SM, "download_restricted", "own", FORBIDDEN),
    (CE, "download_restricted", "own", FORBIDDEN),
    (UR, "download_restricted", "own", FORBIDDEN),
    (KA, "download_restricted", "own", FORBIDDEN),
    (GM, "download_restricted", "own", FORBIDDEN),
    (AR, "download_restricted", "own", FORBIDDEN),
    (DPO, "download_restricted", "own", FORBIDDEN),
    (UN, "download_restricted", "own", FORBIDDEN),
    (EV, "download_restricted", "own", OK),
    (EV, "download_restricted", "declined", FORBIDDEN),
    (SM, "download_restricted", "declined", FORBIDDEN),
    (C, "download_restricted", "other", NOT_FOUND),
    (RB, "download_restricted", "other", NOT_FOUND),
    (SM, "download_restricted", "other", NOT_FOUND),
    (CE, "download_restricted", "other", NOT_FOUND),
    (UR, "download_restricted", "other", NOT_FOUND),
    (KA, "download_restricted", "other", NOT_FOUND),
    (GM, "download_restricted", "other", NOT_FOUND),
    (AR, "download_restricted", "other", NOT_FOUND),
    (DPO, "download_restricted", "other", NOT_FOUND),
    (UN, "download_restricted", "other", NOT_FOUND),
    (EV, "download_restricted", "other", NOT_FOUND),
    # ---- see the restricted document in the page's list of earlier deliverables
    (C, "see_restricted_listing", "own", OK),
    (RB, "see_restricted_listing", "own", OK),
    (SM, "see_restricted_listing", "own", HIDDEN),
    (CE, "see_restricted_listing", "own", HIDDEN),
    (UR, "see_restricted_listing", "own", HIDDEN),
    (KA, "see_restricted_listing", "own", HIDDEN),
    (GM, "see_restricted_listing", "own", HIDDEN),
    (AR, "see_restricted_listing", "own", HIDDEN),
    (DPO, "see_restricted_listing", "own", HIDDEN),
    (UN, "see_restricted_listing", "own", HIDDEN),
    (EV, "see_restricted_listing", "own", OK),
    (EV, "see_restricted_listing", "declined", HIDDEN),
    (SM, "see_restricted_listing", "declined", HIDDEN),
    (C, "see_restricted_listing", "other", NOT_FOUND),
    (RB, "see_restricted_listing", "other", NOT_FOUND),
    (SM, "see_restricted_listing", "other", NOT_FOUND),
    (CE, "see_restricted_listing", "other", NOT_FOUND),
    (UR, "see_restricted_listing", "other", NOT_FOUND),
    (KA, "see_restricted_listing", "other", NOT_FOUND),
    (GM, "see_restricted_listing", "other", NOT_FOUND),
    (AR, "see_restricted_listing", "other", NOT_FOUND),
    (DPO, "see_restricted_listing", "other", NOT_FOUND),
    (UN, "see_restricted_listing", "other", NOT_FOUND),
    (EV, "see_restricted_listing", "other", NOT_FOUND),
    # ---- a new version of the data processing agreement (the dpa gate's document): those
    # who run the procurement and the data protection officer; a 403 leaves deliverable.upload_refused
    (C, "replace_gate_document", "own", OK),
    (RB, "replace_gate_document", "own", OK),
    (SM, "replace_gate_document", "own", FORBIDDEN),
    (CE, "replace_gate_document", "own", FORBIDDEN),
    (UR, "replace_gate_document", "own", FORBIDDEN),
    (KA, "replace_gate_document", "own", FORBIDDEN),
    (GM, "replace_gate_document", "own", FORBIDDEN),
    (AR, "replace_gate_document", "own", FORBIDDEN),
    (DPO, "replace_gate_document", "own", OK),
    (UN, "replace_gate_document", "own", FORBIDDEN),
    (EV, "replace_gate_document", "own", FORBIDDEN),
    (SM, "replace_gate_document", "declined", FORBIDDEN),
    (UR, "replace_gate_document", "declined", FORBIDDEN),
    (C, "replace_gate_document", "other", NOT_FOUND),
    (RB, "replace_gate_document", "other", NOT_FOUND),
    (SM, "replace_gate_document", "other", NOT_FOUND),
    (CE, "replace_gate_document", "other", NOT_FOUND),
    (UR, "replace_gate_document", "other", NOT_FOUND),
    (KA, "replace_gate_document", "other", NOT_FOUND),
    (GM, "replace_gate_document", "other", NOT_FOUND),
    (AR, "replace_gate_document", "other", NOT_FOUND),
    (DPO, "replace_gate_document", "other", NOT_FOUND),
    (UN, "replace_gate_document", "other", NOT_FOUND),
    (EV, "replace_gate_document", "other", NOT_FOUND),
    # ---- the data processing agreement's data (agreements): those who manage the dpa gate; a 403 is audited
    (C, "edit_dpa", "own", OK),
    (RB, "edit_dpa", "own", OK),
    (SM, "edit_dpa", "own", FORBIDDEN),
    (CE, "edit_dpa", "own", FORBIDDEN),
    (UR, "edit_dpa", "own", FORBIDDEN),
    (KA, "edit_dpa", "own", FORBIDDEN),
    (GM, "edit_dpa", "own", FORBIDDEN),
    (AR, "edit_dpa", "own", FORBIDDEN),
    (DPO, "edit_dpa", "own", OK),
    (UN, "edit_dpa", "own", FORBIDDEN),
    (EV, "edit_dpa", "own", FORBIDDEN),
    (SM, "edit_dpa", "declined", FORBIDDEN),
    (C, "edit_dpa", "other", NOT_FOUND),
    (RB, "edit_dpa", "other", NOT_FOUND),
    (SM, "edit_dpa", "other", NOT_FOUND),
    (CE, "edit_dpa", "other", NOT_FOUND),
    (UR, "edit_dpa", "other", NOT_FOUND),
    (KA, "edit_dpa", "other", NOT_FOUND),
    (GM, "edit_dpa", "other", NOT_FOUND),
    (AR, "edit_dpa", "other", NOT_FOUND),
    (DPO, "edit_dpa", "other", NOT_FOUND),
    (UN, "edit_dpa", "other", NOT_FOUND),
    (EV, "edit_dpa", "other", NOT_FOUND),
    # ---- the contract's data (agreements): those who run the procurement; a 403 is audited
    (C, "edit_contract", "own", OK),
    (RB, "edit_contract", "own", OK),
    (SM, "edit_contract", "own", FORBIDDEN),
    (CE, "edit_contract", "own", FORBIDDEN),
    (UR, "edit_contract", "own", FORBIDDEN),
    (KA, "edit_contract", "own", FORBIDDEN),
    (GM, "edit_contract", "own", FORBIDDEN),
    (AR, "edit_contract", "own", FORBIDDEN),
    (DPO, "edit_contract", "own", FORBIDDEN),
    (UN, "edit_contract", "own", FORBIDDEN),
    (EV, "edit_contract", "own", FORBIDDEN),
    (SM, "edit_contract", "declined", FORBIDDEN),
    (C, "edit_contract", "other", NOT_FOUND),
    (RB, "edit_contract", "other", NOT_FOUND),
    (SM, "edit_contract", "other", NOT_FOUND),
    (CE, "edit_contract", "other", NOT_FOUND),
    (UR, "edit_contract", "other", NOT_FOUND),
    (KA, "edit_contract", "other", NOT_FOUND),
    (GM, "edit_contract", "other", NOT_FOUND),
    (AR, "edit_contract", "other", NOT_FOUND),
    (DPO, "edit_contract", "other", NOT_FOUND),
    (UN, "edit_contract", "other", NOT_FOUND),
    (EV, "edit_contract", "other", NOT_FOUND),
    # ---- measure the partner's own benefit (contract procurement): its own people and those who run the case
    (C, "benefit_measure", "own", OK),
    (RB, "benefit_measure", "own", OK),
    (SM, "benefit_measure", "own", OK),
    (CE, "benefit_measure", "own", OK),
    (UR, "benefit_measure", "own", OK),
    (UN, "benefit_measure", "own", OK),
    (EV, "benefit_measure", "own", OK),
    (KA, "benefit_measure", "own", NOT_FOUND),  # a body sees the totals, not a municipality's rows
    (GM, "benefit_measure", "own", NOT_FOUND),
    (AR, "benefit_measure", "own", NOT_FOUND),
    (DPO, "benefit_measure", "own", NOT_FOUND),
    (SM, "benefit_measure", "neighbour", NOT_FOUND),  # another municipality's row is not shown to them
    (CE, "benefit_measure", "neighbour", NOT_FOUND),
    (UR, "benefit_measure", "neighbour", NOT_FOUND),
    (UN, "benefit_measure", "neighbour", NOT_FOUND),
    (EV, "benefit_measure", "neighbour", NOT_FOUND),
    (SM, "benefit_measure", "declined", NOT_FOUND),
    (UR, "benefit_measure", "declined", NOT_FOUND),
    (C, "benefit_measure", "other", NOT_FOUND),
    (RB, "benefit_measure", "other", NOT_FOUND),
    (SM, "benefit_measure", "other", NOT_FOUND),
    (CE, "benefit_measure", "other", NOT_FOUND),
    (UR, "benefit_measure", "other", NOT_FOUND),
    (KA, "benefit_measure", "other", NOT_FOUND),
    (GM, "benefit_measure", "other", NOT_FOUND),
    (AR, "benefit_measure", "other", NOT_FOUND),
    (DPO, "benefit_measure", "other", NOT_FOUND),
    (UN, "benefit_measure", "other", NOT_FOUND),
    (EV, "benefit_measure", "other", NOT_FOUND),
    # ---- change the partner's own benefit (contract procurement): its own people and those who run the case;
    #      the form names a public benefit and municipality, so the others get 403 (measure names a row id: 404)
    (C, "benefit_share", "own", OK),
    (RB, "benefit_share", "own", OK),
    (SM, "benefit_share", "own", OK),
    (CE, "benefit_share", "own", OK),
    (UR, "benefit_share", "own", OK),
    (UN, "benefit_share", "own", OK),
    (EV, "benefit_share", "own", OK),
    (KA, "benefit_share", "own", FORBIDDEN),  # the plan is visible; the partner's row is not theirs to change
    (GM, "benefit_share", "own", FORBIDDEN),
    (AR, "benefit_share", "own", FORBIDDEN),
    (DPO, "benefit_share", "own", FORBIDDEN),
    (SM, "benefit_share", "neighbour", FORBIDDEN),  # another municipality's row is not theirs
    (CE, "benefit_share", "neighbour", FORBIDDEN),
    (UR, "benefit_share", "neighbour", FORBIDDEN),
    (UN, "benefit_share", "neighbour", FORBIDDEN),
    (EV, "benefit_share", "neighbour", FORBIDDEN),
    (SM, "benefit_share", "declined", FORBIDDEN),
    (UR, "benefit_share", "declined", FORBIDDEN),
    (C, "benefit_share", "other", NOT_FOUND),
    (RB, "benefit_share", "other", NOT_FOUND),
    (SM, "benefit_share", "other", NOT_FOUND),
    (CE, "benefit_share", "other", NOT_FOUND),
    (UR, "benefit_share", "other", NOT_FOUND),
    (KA, "benefit_share", "other", NOT_FOUND),
    (GM, "benefit_share", "other", NOT_FOUND),
    (AR, "benefit_share", "other", NOT_FOUND),
    (DPO, "benefit_share", "other", NOT_FOUND),
    (UN, "benefit_share", "other", NOT_FOUND),
    (EV, "benefit_share", "other", NOT_FOUND),
    # ---- open a tender (its document and prices) in a procurement in evaluation: the
    # evaluation group (the partner's evaluator is named and declared impartial), the
    # coordinator and the regional buyer; an evaluator who is not named is refused
    (C, "open_tender", "own", OK),
    (RB, "open_tender", "own", OK),
    (EV, "open_tender", "own", OK),
    (EV, "open_tender", "neighbour", FORBIDDEN),  # the lead's evaluator is not named
    (SM, "open_tender", "own", FORBIDDEN),
    (CE, "open_tender", "own", FORBIDDEN),
    (UR, "open_tender", "own", FORBIDDEN),
    (KA, "open_tender", "own", FORBIDDEN),
    (GM, "open_tender", "own", FORBIDDEN),
    (AR, "open_tender", "own", FORBIDDEN),
    (DPO, "open_tender", "own", FORBIDDEN),
    (UN, "open_tender", "own", FORBIDDEN),
    (C, "open_tender", "other", NOT_FOUND),
    (RB, "open_tender", "other", NOT_FOUND),
    (SM, "open_tender", "other", NOT_FOUND),
    (CE, "open_tender", "other", NOT_FOUND),
    (UR, "open_tender", "other", NOT_FOUND),
    (KA, "open_tender", "other", NOT_FOUND),
    (GM, "open_tender", "other", NOT_FOUND),
    (AR, "open_tender", "other", NOT_FOUND),
    (DPO, "open_tender", "other", NOT_FOUND),
    (UN, "open_tender", "other", NOT_FOUND),
    (EV, "open_tender", "other", NOT_FOUND),
    # ---- the evaluation page (tenders, prices, scores): the same people
    (C, "evaluation_page", "own", OK),
    (RB, "evaluation_page", "own", OK),
    (EV, "evaluation_page", "own", OK),
    (EV, "evaluation_page", "neighbour", FORBIDDEN),
    (SM, "evaluation_page", "own", FORBIDDEN),
    (CE, "evaluation_page", "own", FORBIDDEN),
    (UR, "evaluation_page", "own", FORBIDDEN),
    (KA, "evaluation_page", "own", FORBIDDEN),
    (GM, "evaluation_page", "own", FORBIDDEN),
    (AR, "evaluation_page", "own", FORBIDDEN),
    (DPO, "evaluation_page", "own", FORBIDDEN),
    (UN, "evaluation_page", "own", FORBIDDEN),
    (C, "evaluation_page", "other", NOT_FOUND),
    (RB, "evaluation_page", "other", NOT_FOUND),
    (SM, "evaluation_page", "other", NOT_FOUND),
    (CE, "evaluation_page", "other", NOT_FOUND),
    (UR, "evaluation_page", "other", NOT_FOUND),
    (KA, "evaluation_page", "other", NOT_FOUND),
    (GM, "evaluation_page", "other", NOT_FOUND),
    (AR, "evaluation_page", "other", NOT_FOUND),
    (DPO, "evaluation_page", "other", NOT_FOUND),
    (UN, "evaluation_page", "other", NOT_FOUND),
    (EV, "evaluation_page", "other", NOT_FOUND),
    # ---- sign the contract (standstill over): the coordinator or the collaboration's general manager;
    # a 403 is audited
    (C, "sign_contract", "own", OK),
    (RB, "sign_contract", "own", FORBIDDEN),
    (SM, "sign_contract", "own", FORBIDDEN),
    (CE, "sign_contract", "own", FORBIDDEN),
    (UR, "sign_contract", "own", FORBIDDEN),
    (KA, "sign_contract", "own", FORBIDDEN),
    (AR, "sign_contract", "own", FORBIDDEN),
    (DPO, "sign_contract", "own", FORBIDDEN),
    (UN, "sign_contract", "own", FORBIDDEN),
    (EV, "sign_contract", "own", FORBIDDEN),
    (GM, "sign_contract", "own", OK),
    (C, "sign_contract", "other", NOT_FOUND),
    (RB, "sign_contract", "other", NOT_FOUND),
    (SM, "sign_contract", "other", NOT_FOUND),
    (CE, "sign_contract", "other", NOT_FOUND),
    (UR, "sign_contract", "other", NOT_FOUND),
    (KA, "sign_contract", "other", NOT_FOUND),
    (AR, "sign_contract", "other", NOT_FOUND),
    (DPO, "sign_contract", "other", NOT_FOUND),
    (UN, "sign_contract", "other", NOT_FOUND),
    (EV, "sign_contract", "other", NOT_FOUND),
    (GM, "sign_contract", "other", NOT_FOUND),
]


def _row_id(row) -> str:
    role, action, scope, expected = row
    return f"{role}-{action}-{scope}-{expected}"


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "action", "scope", "expected"), ROWS, ids=[_row_id(r) for r in ROWS])
def test_permission(client, table, role, action, scope, expected):
    spec = ACTIONS[action]
    person = actor(table, role, scope, action)
    client.force_login(person)
    before = spec.snapshot(table)
    last_entry = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0

    response = spec.request(client, table)

    after = spec.snapshot(table)
    if expected == OK:
        assert response.status_code == spec.success, (
            f"{role} ({scope}) should be allowed to {action}: got {response.status_code}"
        )
        spec.assert_done(table, before, after, person, response)
    else:
        assert response.status_code == STATUS[expected], (
            f"{role} ({scope}) should get {STATUS[expected]} for {action}: got {response.status_code}"
        )
        assert after == before, f"{role} ({scope}) was refused {action}, yet the data changed"
        if expected == FORM_ERROR:
            assert 'id="id_municipality_error"' in response.content.decode()
        if expected == HIDDEN:
            spec.assert_hidden(table, response)
        spec.assert_refused(table, person, expected, list(AuditEntry.objects.filter(id__gt=last_entry).order_by("id")))


def test_the_table_covers_every_role_and_action():
    """Each role has an 'own' and an 'other' row for each action, so a new role or action
    cannot be left out of the table by accident."""
    keys = {(role, action, scope) for role, action, scope, _ in ROWS}
    assert len(keys) == len(ROWS), "a row is listed twice"
    for role in Role.values:
        for action in ACTIONS:
            for scope in ("own", "other"):
                assert (role, action, scope) in keys, f"missing row: {role} {action} {scope}"


# --------------------------------------------------------------------------------------
# A person without the right is refused before the form is read
# --------------------------------------------------------------------------------------
# An invalid form from someone who may not do the action at all must be a 403 like a valid
# one, not a 400 page whose error summary asks them to correct a form they may not send
# (for the cancel form, linking to a field the page does not even show them).

INVALID_POSTS = {
    "upload_empty": lambda t: (reverse("deliverable_add", args=[t.needs.pk, Upload.CODE]), {}),
    "cancel_without_reason": lambda t: (reverse("procurement_transition", args=[t.needs.pk, "cancel"]), {"reason": ""}),
    "reject_without_comment": lambda t: _reject_without_comment(t),
    "deadline_without_title": lambda t: (reverse("deadline_add", args=[t.needs.pk]), {"title": "", "due_date": ""}),
}


def _reject_without_comment(t: Table):
    step, slot, sha = _slot(t, t.contract, "dpa")
    data = {"slot": slot, "decision": "reject", "comment": "", "document_sha256": sha, "password": PASSWORD}
    return reverse("signoff_record", args=[t.contract.pk, step.pk]), data


INVALID_ROWS = [
    # (role, invalid post, expected status for a person WITHOUT the right / WITH it)
    (UN, "upload_empty", 403),
    (CE, "upload_empty", 403),
    (SM, "upload_empty", 400),  # a contributor gets the form back with the error
    (SM, "cancel_without_reason", 403),
    (DPO, "cancel_without_reason", 403),
    (C, "cancel_without_reason", 400),  # the manager gets the form back with the error
    (UR, "reject_without_comment", 403),
    (C, "reject_without_comment", 403),
    (CE, "reject_without_comment", 400),  # the partner's chief executive may sign: form error
    (SM, "deadline_without_title", 403),
    (CE, "deadline_without_title", 403),
    (C, "deadline_without_title", 400),  # the manager gets the form back with the errors
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "post", "status"), INVALID_ROWS, ids=[f"{role}-{post}-{status}" for role, post, status in INVALID_ROWS]
)
def test_invalid_form_from_someone_without_the_right_is_403(client, table, role, post, status):
    client.force_login(actor(table, role, "own", post))
    url, data = INVALID_POSTS[post](table)
    counts = (
        DeliverableVersion.objects.count(),
        SignOff.objects.count(),
        Deadline.objects.count(),
        Procurement.objects.get(pk=table.needs.pk).state,
    )

    response = client.post(url, data)

    assert response.status_code == status
    if status == 400:
        assert 'id="error-summary"' in response.content.decode()
    assert (
        DeliverableVersion.objects.count(),
        SignOff.objects.count(),
        Deadline.objects.count(),
        Procurement.objects.get(pk=table.needs.pk).state,
    ) == counts


# --------------------------------------------------------------------------------------
# A completed phase's gate document cannot be replaced, even by those who may deliver
# --------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", [C, UR], ids=["coordinator", "user_representative"])
def test_new_version_of_a_completed_phases_gate_document_is_refused(client, table, role):
    """The contract procurement passed the go/no-go gate long ago. A new version of the
    decision basis would void SuksIT's approval after the fact; the page offers no form for
    it, and a crafted POST must be refused and change nothing."""
    code = "strategy-decision-basis"
    live = SignOff.objects.filter(procurement=table.contract, step__gate__code="go-no-go", voided_at__isnull=True)
    versions = DeliverableVersion.objects.filter(deliverable__procurement=table.contract, deliverable__definition__code=code)
    assert live.count() == 1 and versions.count() == 1
    client.force_login(actor(table, role, "own", "upload"))

    response = client.post(reverse("deliverable_add", args=[table.contract.pk, code]), {f"{code}-text": "Endret i ettertid."})

    assert live.count() == 1, "SuksIT's go/no-go approval was voided after the phase moved on"
    assert versions.count() == 1
    # The coordinator runs the gate and gets the reason next to the form; a user
    # representative may never add a version of this gate's document (403).
    assert response.status_code == (400 if role == C else 403)
