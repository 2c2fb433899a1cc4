"""A procurement in evaluation with decided criteria (quality 60 % with two sub-criteria,
price 40 % linear), N tenderers and two named evaluators, built through the services. Used by
the evaluation tests; each module builds it once."""
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from evaluation import services
from municipalities.roles import Role
from procurement import phases


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% tilbud\n", content_type="application/pdf")


# Valid Norwegian organisation numbers (mod 11).
ORG_NUMBERS = ["974760673", "923609016", "985399077", "991825827", "996722244", "982463718", "971524960", "974761076"]


@dataclass
class EvalWorld:
    world: object
    procurement: object
    buyer: object
    evaluator: object  # named for both sub-criteria, declared
    second: object  # named for both sub-criteria, declared
    undeclared: object  # named for one, not declared
    bystander: object  # sees the procurement, evaluates nothing (a user representative)
    criteria: dict = field(default_factory=dict)
    tenders: list = field(default_factory=list)
    suppliers: list = field(default_factory=list)


def org_number(i: int) -> str:
    if i < len(ORG_NUMBERS):
        return ORG_NUMBERS[i]
    from stdnum.no import orgnr

    n = 80000000 + i * 97
    while True:
        base = f"{n:08d}"
        for digit in "0123456789":
            if orgnr.is_valid(base + digit):
                return base + digit
        n += 1


def build(make_collaboration, make_procurement, person_with_role, *, tenderers: int = 3, score: bool = True) -> EvalWorld:
    from tendering import services as tendering

    world = make_collaboration(2, name="Evalueringsregionen")
    buyer = person_with_role(Role.REGIONAL_BUYER, body=world.bodies["steering_group"], first_name="Innkjøper")
    procurement = make_procurement(world, phase=phases.TENDER_DOCUMENTS, title="Felles fagsystem")
    quality = tendering.criterion_propose(user=buyer, procurement=procurement, name="Kvalitet", weight=Decimal(60))
    function = tendering.criterion_propose(user=buyer, procurement=procurement, name="Funksjonalitet", weight=Decimal(60), parent_id=quality.pk)
    usability = tendering.criterion_propose(user=buyer, procurement=procurement, name="Brukervennlighet", weight=Decimal(40), parent_id=quality.pk)
    price = tendering.criterion_propose(user=buyer, procurement=procurement, name="Pris", weight=Decimal(40), is_price=True)
    tendering.criteria_decide(user=buyer, procurement=procurement)
    from tests.conftest import advance_to

    procurement = advance_to(procurement, phases.EVALUATION)
    m = world.municipalities[0]
    evaluator = person_with_role(Role.EVALUATOR, municipality=m, first_name="Evaluator")
    second = person_with_role(Role.EVALUATOR, municipality=m, first_name="Andre")
    undeclared = person_with_role(Role.EVALUATOR, municipality=m, first_name="Uerklært")
    w = EvalWorld(
        world, procurement, buyer, evaluator, second, undeclared, world.user_representative(m),
        criteria={"quality": quality, "function": function, "usability": usability, "price": price},
    )
    now = timezone.now()
    services.tender_period_save(
        user=buyer, procurement=procurement, question_deadline=now + timedelta(days=1), answers_by=now + timedelta(days=2),
        tender_deadline=now + timedelta(days=3), negotiation=True,
    )
    for i in range(tenderers):
        supplier = services.supplier_add(
            user=buyer, procurement=procurement, name=f"Leverandør {i + 1}", country="NO", org_number=org_number(i),
            contact_name=f"Kontakt {i + 1}", contact_email=f"tilbud{i + 1}@leverandor.example",
        )
        w.suppliers.append(supplier)
        tender = services.tender_register(
            user=buyer, procurement=procurement, supplier=supplier, price=Decimal(1_000_000 + 250_000 * i), file=pdf(f"tilbud-{i + 1}.pdf")
        )
        services.tender_qualify(user=buyer, tender=tender, decision="qualified", reason="Alle kvalifikasjonskrav er dokumentert.")
        services.tender_characteristics_save(user=buyer, tender=tender, text=f"Tilbud {i + 1}: god brukerstøtte på norsk.")
        w.tenders.append(tender)
    for person in (evaluator, second):
        for key in ("function", "usability"):
            services.evaluator_assign(user=buyer, procurement=procurement, person=person, criterion=w.criteria[key])
        services.impartiality_declare(user=person, procurement=procurement, confirm=True)
    services.evaluator_assign(user=buyer, procurement=procurement, person=undeclared, criterion=function)
    if score:
        full = [10, 6, 2, 8, 4, 0, 9, 7, 5, 3]
        for i, tender in enumerate(w.tenders):
            for key in ("function", "usability"):
                # The first evaluator uses the whole scale; the second only 5 and 6 (seed 002).
                services.score_save(user=evaluator, tender=tender, criterion=w.criteria[key], score=full[i % 10], justification="Begrunnet.")
                services.score_save(user=second, tender=tender, criterion=w.criteria[key], score=5 + (i % 2), justification="Begrunnet.")
                services.consensus_save(user=buyer, tender=tender, criterion=w.criteria[key], score=full[i % 10], justification="Enige.")
    return w
