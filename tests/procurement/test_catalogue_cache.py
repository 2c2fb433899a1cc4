"""A published process version is read from the database once and then from memory; a
draft is always read fresh, and any save of a catalogue row is seen by the next judgement."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from procurement import phases
from procurement.engine.snapshot import catalogues_load, published_phases
from procurement.models import GateDefinition, PhaseDefinition
from procurement.readiness import readiness_for
from procurement.services.process import process_version_draft_from

pytestmark = pytest.mark.django_db

PHASE_TABLE = PhaseDefinition._meta.db_table


def phase_queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return sum(f'FROM "{PHASE_TABLE}"' in q["sql"] for q in queries.captured_queries)


@pytest.fixture
def procurement(make_collaboration, make_procurement):
    return make_procurement(make_collaboration(2), phase=phases.STRATEGY)


def test_the_second_judgement_of_a_published_version_reads_no_catalogue_rows(procurement):
    published_phases.clear()
    assert phase_queries(lambda: readiness_for(procurement)) == 1
    assert phase_queries(lambda: readiness_for(procurement)) == 0
    assert phase_queries(lambda: readiness_for(procurement, whole_process=False)) == 0


def test_the_phases_asked_for_are_all_that_is_returned_from_memory(procurement):
    readiness_for(procurement)
    catalogue = catalogues_load([procurement.process_version_id], phase_codes={phases.STRATEGY})[procurement.process_version_id]
    assert list(catalogue.phases) == [phases.STRATEGY]
    whole = catalogues_load([procurement.process_version_id])[procurement.process_version_id]
    assert len(whole.phases) > 1


def test_a_saved_catalogue_row_is_seen_by_the_next_judgement(procurement):
    before = readiness_for(procurement)
    gate = GateDefinition.objects.filter(phase__version_id=procurement.process_version_id, phase__code=phases.STRATEGY).first()
    gate.name = "Omdøpt port"
    gate.save(update_fields=["name"])
    after = readiness_for(procurement)
    assert "Omdøpt port" not in [g.gate.name for g in before.gates]
    assert "Omdøpt port" in [g.gate.name for g in after.gates]


def test_a_draft_is_read_fresh_every_time(procurement, admin_user):
    draft = process_version_draft_from(actor=admin_user, version=procurement.process_version)
    assert phase_queries(lambda: catalogues_load([draft.pk])) == 1
    assert phase_queries(lambda: catalogues_load([draft.pk])) == 1


def test_a_version_whose_id_comes_back_with_another_publishing_moment_is_not_mistaken(procurement):
    readiness_for(procurement)
    version = procurement.process_version
    version.published_at = version.published_at.replace(microsecond=(version.published_at.microsecond + 1) % 1_000_000)
    # As if the row had been deleted and another version had taken its id: the cache must
    # not answer for a key it has not seen, whatever the signals did.
    assert published_phases.get(version) is None
