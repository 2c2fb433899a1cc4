"""Tenders and evaluation (issue 7), through the evaluation services, for the school system
(left in evaluation) and the welfare platform (evaluated, then in its standstill period, where
the award notice went to each tenderer as its own PDF):
award criteria decided in the tender documents (quality 60 % with two sub-criteria, price
40 % linear), then in the evaluation phase three suppliers, a question answered to all of
them at once, three qualified tenders, two named evaluators who declared impartiality (one
uses the whole scale, the other only 5–7, which the page warns about), consensus scores
and the ranking."""
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from evaluation import services as evaluation
from tendering import services as tendering

SUPPLIERS = [
    # (name, organisation number, contact, e-mail, price, characteristics)
    ("Tilbyder A", "912345602", "Kari Nilsen", "tilbud@tilbyder-a.example", Decimal("6200000"),
     "Universell utforming dokumentert for alle brukergrensesnitt; fraværsføring fra mobil; brukerstøtte på norsk hele skoleåret."),
    ("Tilbyder B", "912356779", "Ola Berg", "anbud@tilbyder-b.example", Decimal("5900000"),
     "Lavest pris, men foresatte-appen mangler flere bør-krav og timeplanmodulen er ikke universelt utformet."),
    ("Tilbyder C", "912367940", "Lene Dahl", "salg@tilbyder-c.example", Decimal("6500000"),
     "God funksjonalitet for lærere; dokumentasjon av universell utforming mangler for timeplanmodulen."),
]
# Per supplier: (function, usability) by the evaluator who uses the whole scale, by the one
# who does not, and the group's consensus.
SCORES = {
    "Tilbyder A": ((9, 10), (6, 6), (9, 9)),
    "Tilbyder B": ((4, 3), (5, 5), (4, 4)),
    "Tilbyder C": ((10, 7), (7, 6), (9, 8)),
}
JUSTIFICATION = {
    "Tilbyder A": "Dekker alle bør-kravene til fravær og meldinger; demonstrasjonen var rask og oversiktlig.",
    "Tilbyder B": "Flere bør-krav er ikke oppfylt, og demonstrasjonen viste mange klikk for vanlige oppgaver.",
    "Tilbyder C": "Svært god funksjonalitet for lærere, men timeplanmodulen var tung å bruke i demonstrasjonen.",
}


def school_criteria(seeder, procurement) -> None:
    """In the tender documents: the regional buyer proposes and decides the award criteria."""
    buyer = seeder.person("innkjoper")
    quality = tendering.criterion_propose(
        user=buyer, procurement=procurement, name="Kvalitet", description="Hvor godt løsningen dekker behovene.", weight=Decimal(60)
    )
    tendering.criterion_propose(
        user=buyer, procurement=procurement, name="Funksjonalitet", description="Bør-kravene til fravær, vurdering og meldinger.",
        weight=Decimal(60), parent_id=quality.pk,
    )
    tendering.criterion_propose(
        user=buyer, procurement=procurement, name="Brukervennlighet", description="Demonstrasjon med lærere og foresatte.",
        weight=Decimal(40), parent_id=quality.pk,
    )
    tendering.criterion_propose(
        user=buyer, procurement=procurement, name="Pris", description="Samlet pris for fire år.", weight=Decimal(40), is_price=True
    )
    tendering.criteria_decide(user=buyer, procurement=procurement)


def school_evaluation(seeder, procurement) -> None:
    buyer = seeder.person("innkjoper")
    now = timezone.now()
    suppliers = {}
    for name, number, contact, email, _price, _text in SUPPLIERS:
        suppliers[name] = evaluation.supplier_add(
            user=buyer, procurement=procurement, name=name, country="NO", org_number=number, contact_name=contact, contact_email=email
        )
    question = evaluation.question_add(
        user=buyer, procurement=procurement, supplier=suppliers["Tilbyder B"], received_at=now - timedelta(days=20),
        text="Må timeplanmodulen dokumenteres med en egen tilgjengelighetserklæring?",
    )
    evaluation.question_answer(
        user=buyer, question=question,
        answer="Ja. Kravet om universell utforming gjelder alle brukergrensesnitt, og hvert grensesnitt dokumenteres med sin egen erklæring.",
    )
    evaluation.answers_publish(user=buyer, procurement=procurement)
    evaluation.tender_period_save(
        user=buyer, procurement=procurement, question_deadline=now - timedelta(days=18), answers_by=now - timedelta(days=15),
        tender_deadline=now - timedelta(days=8),
    )
    tenders = {}
    for i, (name, _number, _contact, _email, price, text) in enumerate(SUPPLIERS):
        document = ContentFile(f"%PDF-1.4\n% Tilbud fra {name}\n".encode(), name=f"tilbud-{name.lower().replace(' ', '-')}.pdf")
        tender = evaluation.tender_register(
            user=buyer, procurement=procurement, supplier=suppliers[name], price=price, file=document,
            received_at=now - timedelta(days=9, hours=i),
        )
        evaluation.tender_qualify(
            user=buyer, tender=tender, decision="qualified",
            reason="Firmaattest, årsregnskap og referanser fra to kommuner er levert og oppfyller kvalifikasjonskravene.",
        )
        evaluation.tender_characteristics_save(user=buyer, tender=tender, text=text)
        tenders[name] = tender
    criteria = {c.name: c for c in evaluation.scorable_criteria(procurement)}
    whole, narrow = seeder.person("evaluator.kongsberg"), seeder.person("bruker.kongsberg")
    for person in (whole, narrow):
        for criterion in criteria.values():
            evaluation.evaluator_assign(user=buyer, procurement=procurement, person=person, criterion=criterion)
        evaluation.impartiality_declare(user=person, procurement=procurement, confirm=True)
    for name, (by_whole, by_narrow, agreed) in SCORES.items():
        for index, criterion_name in enumerate(("Funksjonalitet", "Brukervennlighet")):
            criterion, tender = criteria[criterion_name], tenders[name]
            evaluation.score_save(user=whole, tender=tender, criterion=criterion, score=by_whole[index], justification=JUSTIFICATION[name])
            evaluation.score_save(user=narrow, tender=tender, criterion=criterion, score=by_narrow[index], justification="Middels godt besvart.")
            evaluation.consensus_save(user=buyer, tender=tender, criterion=criterion, score=agreed[index], justification=JUSTIFICATION[name])
