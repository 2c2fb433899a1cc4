"""The demo: Kongsbergregionen's procurement standing in the tender documents has a full
specification, each part written by its owner, with weighted, decided award criteria and the
three documents printed as versions of the phase's deliverables."""
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from procurement import phases
from procurement.models import Deliverable, Procurement
from tendering.models import AwardCriterion, Requirement, SpecificationState
from tendering.ownership import CATEGORY_OWNERS, Category
from tendering.selectors import evaluation_model_for

TITLE = "Felles fagsystem for barnevernet"


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """One seed for the module, inside a transaction rolled back after it (as tests/test_seed_demo.py)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_tender_documents_procurement_has_a_full_specification(seeded):
    procurement = Procurement.objects.get(title=TITLE)
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
def test_seeding_again_adds_nothing(seeded):
    before = Requirement.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert Requirement.objects.count() == before


@pytest.mark.django_db
def test_the_case_and_archive_system_reuses_archive_requirements_from_the_library(seeded):
    from audit.actions import Action
    from audit.models import AuditEntry

    copies = Requirement.objects.filter(specification__procurement__title="Felles sak- og arkivsystem").select_related("origin")
    assert copies.count() == 2
    for copy in copies:
        assert copy.category == "archive" and copy.origin.specification.procurement.title == TITLE
        assert copy.origin_label == f"{TITLE} ({copy.origin.ref})" and copy.text == copy.origin.text
    assert AuditEntry.objects.filter(action=Action.LIBRARY_COPIED).count() == 2
