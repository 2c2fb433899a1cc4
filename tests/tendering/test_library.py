"""The reuse library: requirements, needs and award criteria of other procurements'
specifications, searched in Norwegian, copied in with their origin kept and shown, by those
who may write them here only, into a draft only; refusals audited; hostile input 4xx."""
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.actions import Action
from audit.models import AuditEntry
from municipalities.roles import Role
from tendering import services
from tendering.models import Need, Requirement, Specification, SpecificationState
from tendering.selectors import library_search

from .conftest import build_spec_world

pytestmark = pytest.mark.django_db

TEXTS = [
    ("archive", Role.ARCHIVE_REPRESENTATIVE, "must", "Systemet skal føre journal over inngående og utgående post."),
    ("archive", Role.ARCHIVE_REPRESENTATIVE, "must", "Arkivuttrekk skal kunne leveres etter Noark 5."),
    ("functional", Role.USER_REPRESENTATIVE, "must", "Lærere skal kunne føre fravær fra mobil."),
]


def _published(spec_world, texts=TEXTS):
    p = spec_world.procurement
    rows = [
        services.requirement_add(user=spec_world[role], procurement=p, category=category, kind=kind, text=text)
        for category, role, kind, text in texts
    ]
    services.need_add(user=spec_world[Role.USER_REPRESENTATIVE], procurement=p, title="Journalføring uten dobbeltarbeid")
    # Arranged as published directly: the library only reads the state.
    Specification.objects.filter(procurement=p).update(state=SpecificationState.PUBLISHED, published_at=timezone.now())
    return rows


@pytest.fixture
def worlds(db):
    source = build_spec_world(title="Sak- og arkivsystem 2025")
    target = build_spec_world(title="Nytt skoleadministrativt system")
    source.rows = _published(source)
    return source, target


def _copy_url(target):
    return reverse("tendering_library_copy", args=[target.procurement.pk])


def _page_url(target):
    return reverse("tendering_library", args=[target.procurement.pk])


class TestSearch:
    def test_a_norwegian_word_finds_the_requirement_of_another_procurement(self, worlds):
        source, target = worlds
        hits = library_search(user=target[Role.ARCHIVE_REPRESENTATIVE], query="JOURNAL", kind="requirement", procurement=target.procurement)
        assert [hit.row.text for hit in hits.object_list] == [TEXTS[0][3]]
        assert hits.object_list[0].procurement == source.procurement
        assert hits.object_list[0].can_copy

    def test_every_word_must_match_and_a_miss_finds_nothing(self, worlds):
        _source, target = worlds
        user = target[Role.ARCHIVE_REPRESENTATIVE]
        assert library_search(user=user, query="noark arkivuttrekk", kind="requirement", procurement=target.procurement).paginator.count == 1
        assert library_search(user=user, query="noark mobil", kind="requirement", procurement=target.procurement).paginator.count == 0

    def test_needs_are_searched_apart(self, worlds):
        _source, target = worlds
        hits = library_search(user=target[Role.USER_REPRESENTATIVE], query="journalføring", kind="need", procurement=target.procurement)
        assert [hit.title for hit in hits.object_list] == ["Journalføring uten dobbeltarbeid"]

    def test_a_draft_of_a_procurement_one_cannot_see_is_not_in_the_library(self, worlds):
        source, target = worlds
        Specification.objects.filter(procurement=source.procurement).update(state=SpecificationState.DRAFT, published_at=None)
        hits = library_search(user=target[Role.ARCHIVE_REPRESENTATIVE], query="journal", kind="requirement", procurement=target.procurement)
        assert hits.paginator.count == 0

    def test_the_own_specification_is_not_in_the_library(self, worlds):
        source, _target = worlds
        hits = library_search(user=source[Role.ARCHIVE_REPRESENTATIVE], query="journal", kind="requirement", procurement=source.procurement)
        assert hits.paginator.count == 0

    def test_only_the_owner_may_copy_a_requirement_of_their_category(self, worlds):
        _source, target = worlds
        hits = library_search(user=target[Role.ICT_ARCHITECT], query="journal", kind="requirement", procurement=target.procurement)
        assert not hits.object_list[0].can_copy


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the Norwegian text search configuration is PostgreSQL's")
class TestNorwegianStemming:
    def test_an_inflected_form_finds_the_base_form(self, worlds):
        # The Snowball Norwegian stemmer reduces «journalene» and «journal» to the same stem.
        _source, target = worlds
        hits = library_search(user=target[Role.ARCHIVE_REPRESENTATIVE], query="journalene", kind="requirement", procurement=target.procurement)
        assert [hit.row.text for hit in hits.object_list] == [TEXTS[0][3]]

    def test_the_stems_are_what_the_test_assumes(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_tsvector('norwegian', 'journalene') @@ plainto_tsquery('norwegian', 'journal')")
            assert cursor.fetchone()[0] is True


class TestCopy:
    def test_the_copy_keeps_its_origin_gets_a_fresh_ref_and_is_audited(self, worlds):
        source, target = worlds
        archivist = target[Role.ARCHIVE_REPRESENTATIVE]
        services.requirement_add(user=archivist, procurement=target.procurement, category="archive", kind="must", text="Eget krav.")
        original = source.rows[1]
        copy = services.library_copy(user=archivist, procurement=target.procurement, kind="requirement", source_id=original.pk)
        copy.refresh_from_db()
        assert (copy.ref, copy.text, copy.kind, copy.category) == ("K-002", original.text, "must", "archive")
        assert copy.origin == original and copy.origin_label == f"Sak- og arkivsystem 2025 ({original.ref})"
        assert copy.specification.procurement == target.procurement
        entry = AuditEntry.objects.get(action=Action.LIBRARY_COPIED)
        assert entry.procurement_id == target.procurement.pk and entry.data["source"] == original.pk

    def test_the_label_stays_when_the_source_goes(self, worlds):
        source, target = worlds
        copy = services.library_copy(
            user=target[Role.ARCHIVE_REPRESENTATIVE], procurement=target.procurement, kind="requirement", source_id=source.rows[0].pk
        )
        Requirement.objects.filter(pk=source.rows[0].pk).delete()
        copy.refresh_from_db()
        assert copy.origin is None and "Sak- og arkivsystem 2025" in copy.origin_label

    def test_a_need_is_copied_by_a_user_representative(self, worlds):
        source, target = worlds
        need = Need.objects.get(specification__procurement=source.procurement)
        copy = services.library_copy(user=target[Role.USER_REPRESENTATIVE], procurement=target.procurement, kind="need", source_id=need.pk)
        assert (copy.ref, copy.title, copy.origin_id) == ("B-01", need.title, need.pk)

    def test_a_criterion_is_copied_unweighted(self, worlds):
        source, target = worlds
        Specification.objects.filter(procurement=source.procurement).update(state=SpecificationState.DRAFT, published_at=None)
        criterion = services.criterion_propose(
            user=source[Role.USER_REPRESENTATIVE], procurement=source.procurement, name="Brukervennlighet", weight=Decimal(60)
        )
        Specification.objects.filter(procurement=source.procurement).update(state=SpecificationState.PUBLISHED, published_at=timezone.now())
        copy = services.library_copy(
            user=target[Role.REGIONAL_BUYER], procurement=target.procurement, kind="criterion", source_id=criterion.pk
        )
        assert (copy.name, copy.weight, copy.status, copy.origin_id) == ("Brukervennlighet", Decimal("0.00"), "proposed", criterion.pk)

    def test_the_criteria_page_shows_where_a_copied_criterion_was_taken_from(self, client, worlds):
        source, target = worlds
        Specification.objects.filter(procurement=source.procurement).update(state=SpecificationState.DRAFT, published_at=None)
        criterion = services.criterion_propose(user=source[Role.REGIONAL_BUYER], procurement=source.procurement, name="Kvalitet")
        Specification.objects.filter(procurement=source.procurement).update(state=SpecificationState.PUBLISHED, published_at=timezone.now())
        services.library_copy(user=target[Role.REGIONAL_BUYER], procurement=target.procurement, kind="criterion", source_id=criterion.pk)
        client.force_login(target[Role.REGIONAL_BUYER])
        page = client.get(reverse("tendering_criteria", args=[target.procurement.pk])).content.decode()
        assert "Hentet fra «Sak- og arkivsystem 2025 (Kvalitet)»" in page

    def test_a_non_owner_is_refused_with_403_and_the_refusal_is_audited(self, client, worlds):
        source, target = worlds
        client.force_login(target[Role.ICT_ARCHITECT])
        response = client.post(_copy_url(target), {"kind": "requirement", "source": source.rows[0].pk})
        assert response.status_code == 403
        assert not Requirement.objects.filter(specification__procurement=target.procurement).exists()
        assert AuditEntry.objects.filter(action=Action.LIBRARY_COPY_REFUSED, procurement=target.procurement).count() == 1

    def test_a_frozen_specification_is_refused_and_the_refusal_audited(self, worlds):
        source, target = worlds
        Specification.objects.get_or_create(procurement=target.procurement)
        Specification.objects.filter(procurement=target.procurement).update(state=SpecificationState.PUBLISHED, published_at=timezone.now())
        with pytest.raises(ValidationError):
            services.library_copy(
                user=target[Role.ARCHIVE_REPRESENTATIVE], procurement=target.procurement, kind="requirement", source_id=source.rows[0].pk
            )
        assert not Requirement.objects.filter(specification__procurement=target.procurement).exists()
        assert AuditEntry.objects.filter(action=Action.LIBRARY_COPY_REFUSED).count() == 1

    def test_a_row_outside_the_library_is_not_found(self, worlds):
        source, target = worlds
        Specification.objects.filter(procurement=source.procurement).update(state=SpecificationState.DRAFT, published_at=None)
        with pytest.raises(Requirement.DoesNotExist):
            services.library_copy(
                user=target[Role.ARCHIVE_REPRESENTATIVE], procurement=target.procurement, kind="requirement", source_id=source.rows[0].pk
            )

    def test_a_stranger_to_the_procurement_is_refused(self, worlds):
        source, target = worlds
        with pytest.raises(PermissionDenied):
            services.library_copy(
                user=source[Role.ARCHIVE_REPRESENTATIVE], procurement=target.procurement, kind="requirement", source_id=source.rows[0].pk
            )


class TestScreen:
    def test_the_page_copies_and_the_specification_shows_the_origin(self, client, worlds):
        source, target = worlds
        client.force_login(target[Role.ARCHIVE_REPRESENTATIVE])
        spec_page = client.get(reverse("tendering_specification", args=[target.procurement.pk])).content.decode()
        assert _page_url(target) in spec_page
        page = client.get(_page_url(target), {"q": "journal", "kind": "requirement"}).content.decode()
        assert TEXTS[0][3] in page and "Kopier inn" in page and "Sak- og arkivsystem 2025" in page
        response = client.post(_copy_url(target), {"kind": "requirement", "source": source.rows[0].pk, "q": "journal"})
        assert response.status_code == 302
        spec_page = client.get(reverse("tendering_specification", args=[target.procurement.pk])).content.decode()
        assert f"Hentet fra «Sak- og arkivsystem 2025 ({source.rows[0].ref})»" in spec_page

    def test_a_reader_sees_no_copy_button(self, client, worlds):
        _source, target = worlds
        client.force_login(target[Role.UNION_REPRESENTATIVE])
        page = client.get(_page_url(target), {"q": "journal"})
        assert page.status_code == 200 and TEXTS[0][3] in page.content.decode() and "Kopier inn" not in page.content.decode()

    def test_the_tab_link_without_a_search_opens_the_page(self, client, worlds):
        _source, target = worlds
        client.force_login(target[Role.ARCHIVE_REPRESENTATIVE])
        response = client.get(_page_url(target))
        assert response.status_code == 200
        assert "ds-validation-message" not in response.content.decode()

    @pytest.mark.parametrize(
        "params",
        [{"q": "x" * 100_000}, {"kind": "alt"}, {"q": "arkiv\x00"}],
    )
    def test_hostile_searches_are_form_errors(self, client, worlds, params):
        _source, target = worlds
        client.force_login(target[Role.ARCHIVE_REPRESENTATIVE])
        response = client.get(_page_url(target), params)
        assert response.status_code == 400
        assert "ds-validation-message" in response.content.decode()

    def test_a_hostile_page_number_is_a_page(self, client, worlds):
        _source, target = worlds
        client.force_login(target[Role.ARCHIVE_REPRESENTATIVE])
        for side in ("NaN", "-1", "9" * 40, "Infinity"):
            assert client.get(_page_url(target), {"q": "journal", "side": side}).status_code == 200

    @pytest.mark.parametrize("source", ["NaN", "Infinity", "1e3", "-1", "9" * 40, "", "١٢"])
    def test_tampered_ids_are_404_with_nothing_written(self, client, worlds, source):
        _source, target = worlds
        client.force_login(target[Role.ARCHIVE_REPRESENTATIVE])
        response = client.post(_copy_url(target), {"kind": "requirement", "source": source})
        assert response.status_code == 404
        assert not Requirement.objects.filter(specification__procurement=target.procurement).exists()

    def test_an_unknown_id_and_an_unknown_kind_are_404(self, client, worlds):
        source, target = worlds
        client.force_login(target[Role.ARCHIVE_REPRESENTATIVE])
        assert client.post(_copy_url(target), {"kind": "requirement", "source": 999_999_999}).status_code == 404
        assert client.post(_copy_url(target), {"kind": "krav", "source": source.rows[0].pk}).status_code == 404

    def test_the_page_queries_do_not_grow_with_the_hits(self, client, worlds):
        source, target = worlds
        client.force_login(target[Role.ARCHIVE_REPRESENTATIVE])

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(_page_url(target), {"q": "journal"}).status_code == 200
            return len(captured)

        before = queries()
        more = build_spec_world(title="Arkivkjerne 2024")
        _published(more, [("archive", Role.ARCHIVE_REPRESENTATIVE, "must", f"Krav nummer {n} til journal.") for n in range(8)])
        assert library_search(user=target[Role.ARCHIVE_REPRESENTATIVE], query="journal", kind="requirement", procurement=target.procurement).paginator.count == 9
        assert queries() == before
