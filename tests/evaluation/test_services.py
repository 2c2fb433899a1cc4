"""The evaluation services through their callers' eyes: suppliers with valid organisation
numbers, questions answered to all at once, tenders opened only after impartiality (refusals
audited), scores 0–10 with a justification, consensus, ranking and the scale warning, the
negotiation's versions, the report and award notices parsed back."""
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from pypdf import PdfReader

from audit.models import AuditEntry
from evaluation import documents, services
from evaluation.models import Question, Score, TenderVersion
from evaluation.selectors import evaluation_view, evaluation_view_full
from notifications.models import Outbox

from .world import build, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def w(django_db_setup, django_db_blocker):
    from tests.conftest import make_collaboration, make_procurement, person_with_role
    from tests.shared_data import built_once_per_module

    yield from built_once_per_module(django_db_blocker, lambda: build(make_collaboration, make_procurement, person_with_role))


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize(
    "country, number, ok",
    [
        ("NO", "974760673", True),
        ("NO", "974 760 673", True),
        ("NO", "974760674", False),  # wrong check digit
        ("NO", "12345678", False),
        ("DK", "13585628", True),
        ("DK", "13585627", False),
        ("NO", "9" * 5000, False),
        ("SE", "974760673", False),
    ],
)
def test_org_numbers(country, number, ok):
    assert (services.org_number_clean(country, number) is not None) is ok


def test_supplier_with_a_bad_number_is_refused_next_to_the_field(w):
    with pytest.raises(ValidationError) as caught:
        services.supplier_add(
            user=w.buyer, procurement=w.procurement, name="Feil AS", country="NO", org_number="974760674",
            contact_name="X", contact_email="x@example.no",
        )
    assert "org_number" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        services.supplier_add(
            user=w.buyer, procurement=w.procurement, name="Dobbel", country="NO", org_number=w.suppliers[0].org_number,
            contact_name="X", contact_email="x@example.no",
        )
    assert "org_number" in caught.value.error_dict


def test_answers_are_published_to_every_supplier_at_once_without_the_askers_name(w):
    first = services.question_add(user=w.buyer, procurement=w.procurement, supplier=w.suppliers[0], text="Er API-et åpent?")
    second = services.question_add(user=w.buyer, procurement=w.procurement, supplier=w.suppliers[1], text="Hvor lenge varer avtalen?")
    services.question_answer(user=w.buyer, question=first, answer="Ja, dokumentert med OpenAPI.")
    services.question_answer(user=w.buyer, question=second, answer="Fire år med opsjon på to.")
    published = services.answers_publish(user=w.buyer, procurement=w.procurement)
    assert {q.pk for q in published} == {first.pk, second.pk}
    times = set(Question.objects.filter(pk__in=[first.pk, second.pk]).values_list("published_at", flat=True))
    assert len(times) == 1 and None not in times
    mails = Outbox.objects.filter(kind="answers_published", procurement=w.procurement)
    assert sorted(mails.values_list("address", flat=True)) == sorted(s.contact_email for s in w.suppliers)
    for mail in mails:
        assert "Er API-et åpent?" in mail.body and "Fire år med opsjon på to." in mail.body
        assert not any(s.name in mail.body for s in w.suppliers)  # anonymised
    with pytest.raises(ValidationError):
        services.question_answer(user=w.buyer, question=first, answer="Endret.")
    with pytest.raises(ValidationError):
        services.answers_publish(user=w.buyer, procurement=w.procurement)  # nothing new


def test_a_tender_after_the_deadline_is_refused(w):
    with pytest.raises(ValidationError) as caught:
        services.tender_register(
            user=w.buyer, procurement=w.procurement, supplier=w.suppliers[0], price="100", file=pdf("sent.pdf"), lot="Del 2",
            received_at=timezone.now() + timedelta(days=10),
        )
    assert "file" in caught.value.error_dict


@pytest.mark.parametrize("price", ["0", "-5", "NaN", "Infinity", "1e400", "12,345", "hundre", "1" * 40])
def test_hostile_prices_are_refused(w, price):
    with pytest.raises(ValidationError) as caught:
        services.tender_register(user=w.buyer, procurement=w.procurement, supplier=w.suppliers[0], price=price, file=pdf("x.pdf"), lot="Del 9")
    assert "price" in caught.value.error_dict


def test_impartiality_comes_before_opening_a_tender_and_refusals_are_audited(w):
    tender = w.tenders[0]
    with pytest.raises(PermissionDenied, match="habil"):
        services.tender_open(user=w.undeclared, tender=tender)
    assert AuditEntry.objects.filter(action="tender.open_refused", actor=w.undeclared, procurement=w.procurement).exists()
    with pytest.raises(PermissionDenied):
        services.tender_open(user=w.bystander, tender=tender)
    assert AuditEntry.objects.filter(action="tender.open_refused", actor=w.bystander).exists()
    with pytest.raises(PermissionDenied, match="habil"):
        services.score_save(user=w.undeclared, tender=tender, criterion=w.criteria["function"], score=7, justification="x")
    version = services.tender_open(user=w.evaluator, tender=tender)
    assert version.number == 1
    assert AuditEntry.objects.filter(action="tender.opened", actor=w.evaluator).exists()


@pytest.mark.parametrize("score", ["11", "-1", "7.5", "NaN", "Infinity", "", "sju", True])
def test_scores_must_be_whole_numbers_from_0_to_10(w, score):
    with pytest.raises(ValidationError) as caught:
        services.score_save(user=w.evaluator, tender=w.tenders[0], criterion=w.criteria["function"], score=score, justification="Ok.")
    assert "score" in caught.value.error_dict


def test_a_score_needs_a_justification_and_a_named_evaluator(w):
    with pytest.raises(ValidationError) as caught:
        services.score_save(user=w.evaluator, tender=w.tenders[0], criterion=w.criteria["function"], score=7, justification="  ")
    assert "justification" in caught.value.error_dict
    with pytest.raises(PermissionDenied):
        services.score_save(user=w.bystander, tender=w.tenders[0], criterion=w.criteria["function"], score=7, justification="Ok.")
    with pytest.raises(PermissionDenied):  # price is scored by the formula, nobody is named for it
        services.score_save(user=w.evaluator, tender=w.tenders[0], criterion=w.criteria["price"], score=7, justification="Ok.")
    assert Score.objects.get(tender=w.tenders[0], criterion=w.criteria["function"], evaluator=w.evaluator).score == 10


def test_totals_ranking_and_the_scale_warning(w):
    view = evaluation_view_full(w.procurement)
    # Consensus 10, 6, 2 on both sub-criteria; prices 1.0, 1.25, 1.5 M (linear: 10, 7.5, 5).
    totals = [(r.tender.supplier.name, r.total, r.rank) for r in view.ranked]
    assert totals == [
        ("Leverandør 1", Decimal("10.0"), 1),
        ("Leverandør 2", Decimal("6.6"), 2),  # 0.6 × 6 + 0.4 × 7.5
        ("Leverandør 3", Decimal("3.2"), 3),  # 0.6 × 2 + 0.4 × 5
    ]
    assert view.winner.tender.pk == w.tenders[0].pk
    warned = {(x.evaluator.pk, x.criterion.id) for x in view.warnings}
    assert warned == {(w.second.pk, w.criteria["function"].pk), (w.second.pk, w.criteria["usability"].pk)}


def test_an_evaluator_sees_only_their_own_scores_and_no_ranking(w):
    view = evaluation_view(user=w.evaluator, procurement=w.procurement)
    assert view.access.sees_tenders and not view.access.sees_all_scores
    assert {s.evaluator_id for s in view.my_scores.values()} == {w.evaluator.pk}
    assert view.scores_by_leaf == {} and view.warnings == [] and all(r.total is None for r in view.tenders)
    undeclared = evaluation_view(user=w.undeclared, procurement=w.procurement)
    assert not undeclared.access.sees_tenders and undeclared.my_scores == {} and undeclared.lowest_price is None


def test_negotiation_keeps_every_version(w):
    tender = w.tenders[2]
    meeting = services.negotiation_meeting_add(user=w.buyer, tender=tender, held_on=w.procurement.collaboration.today(), minutes="Pris og plan drøftet.")
    revised = services.tender_revise(user=w.buyer, tender=tender, file=pdf("revidert.pdf"), price="1400000", meeting=meeting)
    assert revised.number == 2
    assert list(TenderVersion.objects.filter(tender=tender).order_by("number").values_list("number", "price")) == [
        (1, Decimal("1500000.00")), (2, Decimal("1400000.00")),
    ]
    tender.refresh_from_db()
    assert tender.price == Decimal("1400000.00")


def test_the_evaluation_report_parsed_back(w):
    data = documents.report_render(w.procurement)
    text = text_of(data)
    assert "EVALUERINGSRAPPORT" in text and "Felles fagsystem" in text
    for supplier in w.suppliers:
        assert supplier.name in text
    assert "Innstilling: kontrakten tildeles Leverandør 1." in text
    assert "Andre" in text and "brukte bare 5–6" in text  # the scale warning
    with pytest.raises(PermissionDenied):
        documents.report_pdf_read(user=w.evaluator, procurement=w.procurement)


def test_tasks_for_evaluators_and_those_who_run_the_evaluation(w):
    from evaluation.tasks import tasks_for
    from procurement.extensions import Task
    from procurement.extensions import tasks_for as every_task

    (declare,) = tasks_for(w.undeclared)
    assert isinstance(declare, Task) and declare.kind == "impartiality" and declare.url.endswith("#habilitet")
    assert declare.procurement == w.procurement and declare.due is not None
    assert [t.kind for t in tasks_for(w.evaluator)] == []  # everything scored
    Score.objects.filter(evaluator=w.evaluator, tender=w.tenders[1]).delete()
    (score,) = tasks_for(w.evaluator)
    assert score.kind == "score" and "2 vurderinger mangler" in score.title
    assert [t.kind for t in tasks_for(w.buyer)] == ["report"]
    from evaluation.models import ConsensusScore

    ConsensusScore.objects.filter(tender=w.tenders[0]).delete()
    assert [t.kind for t in tasks_for(w.buyer)] == ["consensus"]
    assert tasks_for(w.bystander) == []
    # Registered: "Mine oppgaver" holds them with the other apps' tasks.
    assert "consensus" in {t.kind for t in every_task(w.buyer)}


def test_pdf_render_times(w):
    """Prints what the report and one award letter take to render (the note quotes it)."""
    import time

    from contracts.models import AwardNotice

    started = time.perf_counter()
    documents.report_render(w.procurement)
    report = time.perf_counter() - started
    view = evaluation_view_full(w.procurement)
    notice = AwardNotice(
        procurement=w.procurement, sent_on=w.procurement.collaboration.today(), standstill_days=10,
        standstill_ends_on=w.procurement.collaboration.today() + timedelta(days=12),
    )
    started = time.perf_counter()
    documents.award_letter_render(view=view, row=view.ranked[1], notice=notice)
    letter = time.perf_counter() - started
    print(f"\nPDF render: evaluation report {report * 1000:.0f} ms, award letter {letter * 1000:.0f} ms (3 tenderers)")
    assert report < 20 and letter < 20


def test_the_tender_periods_dates_are_deadlines_of_the_case_and_move_with_it(w):
    """Issue 10 point 3: the question, answer and tender deadlines are the case's deadlines
    (reminders, calendar feeds), moved when the period is saved again."""
    from procurement.models import Deadline

    def kinds():
        return dict(Deadline.objects.filter(procurement=w.procurement, rule="tender_period").values_list("kind", "due_date"))

    zone = w.procurement.collaboration.tzinfo
    period = w.procurement.tender_period
    assert kinds() == {
        "questions": period.question_deadline.astimezone(zone).date(),
        "answers": period.answers_by.astimezone(zone).date(),
        "tender": period.tender_deadline.astimezone(zone).date(),
    }
    later = period.tender_deadline + timedelta(days=7)
    services.tender_period_save(
        user=w.buyer, procurement=w.procurement, question_deadline=period.question_deadline, answers_by=period.answers_by,
        tender_deadline=later, negotiation=True,
    )
    assert kinds()["tender"] == later.astimezone(zone).date() and len(kinds()) == 3
