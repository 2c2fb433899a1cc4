"""The dashboard and 'Mine oppgaver' through the test client: what the table shows, the
filters (plain GET and the htmx partial), bad filter values, and that the number of
queries does not grow with the number of procurements."""
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from procurement import phases
from procurement.services.intake import initiative_report, invitations_send, procurement_report

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def table_titles(page: str) -> list[str]:
    return re.findall(r'<th scope="row">\s*<a class="ds-link" href="/anskaffelser/\d+/">([^<]+)</a>', page)


class TestDashboard:
    def test_anonymous_is_sent_to_login(self, client, db):
        response = client.get(reverse("dashboard"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_table_shows_phase_blockers_deadline_and_missing_signatures(self, client, collaboration, make_procurement):
        intake = make_procurement(collaboration, title="Felles helseplattform", joined=collaboration.municipalities[:1], unanswered=collaboration.municipalities[1:])
        in_needs = make_procurement(collaboration, title="Nytt arkivsystem", phase=phases.NEEDS)
        client.force_login(collaboration.coordinator)
        response = client.get(reverse("dashboard"))
        assert response.status_code == 200
        page = html(response)
        assert sorted(table_titles(page)) == ["Felles helseplattform", "Nytt arkivsystem"]
        assert f'href="{reverse("procurement_detail", kwargs={"procurement_id": intake.pk})}"' in page
        assert "fase 1 av 10" in page
        assert "før fase 1" in page
        # Readiness: the intake one waits for answers, the one in NEEDS lacks deliverables.
        assert "Venter på svar fra" in page
        assert "Mangler leveranse:" in page
        assert intake.invitation_deadline.strftime("%d.%m.%Y") in page
        assert '<th scope="col">' in page
        assert in_needs.title in page

    def test_missing_signatures_name_role_and_municipality(self, client, collaboration, make_procurement, fill_deliverables):
        procurement = make_procurement(collaboration, title="Velferdsteknologi", phase=phases.CONTRACT)
        fill_deliverables(procurement)
        client.force_login(collaboration.coordinator)
        page = html(client.get(reverse("dashboard")))
        # The data processing agreement is signed by every participant's chief executive.
        cell = re.search(r'<ul class="ds-list app-signatures">(.*?)</ul>', page, re.S).group(1)
        assert "Kommunedirektør:" in cell
        for municipality in collaboration.municipalities:
            assert str(municipality) in cell

    def test_overdue_deadline_is_highlighted(self, client, collaboration, make_procurement):
        from django.utils import timezone

        procurement = make_procurement(collaboration, joined=collaboration.municipalities[:1], unanswered=collaboration.municipalities[1:])
        procurement.deadlines.update(due_date=timezone.localdate() - timezone.timedelta(days=2))
        client.force_login(collaboration.coordinator)
        page = html(client.get(reverse("dashboard")))
        assert "app-overdue" in page
        assert "Passert" in page

    def test_people_of_another_collaboration_do_not_see_it(self, client, collaboration, make_collaboration, make_procurement):
        make_procurement(collaboration, title="Hemmelig for Fosen")
        fosen = make_collaboration(1, name="Fosen")
        client.force_login(fosen.coordinator)
        page = html(client.get(reverse("dashboard")))
        assert "Hemmelig for Fosen" not in page
        assert "Ingen anskaffelser ennå" in page

    def test_filter_by_phase_and_municipality(self, client, collaboration, make_procurement):
        make_procurement(collaboration, title="I innmelding", joined=collaboration.municipalities[:1], unanswered=collaboration.municipalities[1:2])
        make_procurement(collaboration, title="I behovsfasen", phase=phases.NEEDS)
        client.force_login(collaboration.coordinator)
        page = html(client.get(reverse("dashboard"), {"phase": phases.NEEDS}))
        assert table_titles(page) == ["I behovsfasen"]
        page = html(client.get(reverse("dashboard"), {"municipality": collaboration.municipalities[2].pk}))
        assert table_titles(page) == ["I behovsfasen"]
        page = html(client.get(reverse("dashboard"), {"phase": phases.EVALUATION}))
        assert table_titles(page) == []
        assert "Ingen anskaffelser passer til filtrene." in page

    def test_collaboration_filter_is_absent_and_ignored_with_a_single_collaboration(self, client, collaboration, make_procurement):
        make_procurement(collaboration, title="Synlig uansett")
        client.force_login(collaboration.coordinator)
        response = client.get(reverse("dashboard"), {"collaboration": "abc"})
        assert response.status_code == 200
        page = html(response)
        assert table_titles(page) == ["Synlig uansett"]
        assert 'name="collaboration"' not in page

    def test_collaboration_filter_with_several_collaborations(self, client, collaboration, make_collaboration, make_procurement, person_with_role):
        from municipalities.roles import Role

        fosen = make_collaboration(1, name="Fosen")
        make_procurement(collaboration, title="Her")
        make_procurement(fosen, title="Der")
        both = person_with_role(Role.REGIONAL_BUYER, body=collaboration.bodies["steering_group"])
        from municipalities.services import role_assign

        role_assign(actor=None, person=both, role=Role.REGIONAL_BUYER, body=fosen.bodies["steering_group"])
        client.force_login(both)
        page = html(client.get(reverse("dashboard")))
        assert sorted(table_titles(page)) == ["Der", "Her"]
        assert 'name="collaboration"' in page
        assert table_titles(html(client.get(reverse("dashboard"), {"collaboration": fosen.collaboration.pk}))) == ["Der"]
        response = client.get(reverse("dashboard"), {"collaboration": "abc"})
        assert response.status_code == 200
        assert sorted(table_titles(html(response))) == ["Der", "Her"]
        assert 'id="id_collaboration_error"' in html(response)

    @pytest.mark.parametrize(
        "query",
        [
            {"municipality": "1 OR 1=1"},
            {"phase": "not-a-phase"},
            {"municipality": "-1", "phase": "closed'"},
        ],
    )
    def test_invalid_filter_values_are_ignored_with_an_error_never_500(self, client, collaboration, make_procurement, query):
        make_procurement(collaboration, title="Synlig uansett")
        client.force_login(collaboration.coordinator)
        response = client.get(reverse("dashboard"), query)
        assert response.status_code == 200
        page = html(response)
        assert table_titles(page) == ["Synlig uansett"]  # the invalid filter is not applied
        assert "ds-validation-message" in page
        assert "Noen av filtrene var ugyldige" in page

    def test_htmx_request_gets_only_the_table(self, client, collaboration, make_procurement):
        make_procurement(collaboration, title="Bare tabellen")
        client.force_login(collaboration.coordinator)
        response = client.get(reverse("dashboard"), {"phase": phases.INTAKE}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        page = html(response)
        assert page.lstrip().startswith('<div id="procurement-results"')
        assert "<html" not in page and "<header" not in page and "<form" not in page
        assert "Bare tabellen" in page
        assert 'hx-swap-oob="true"' in page  # the live region announcing the count
        assert "HX-Request" in response["Vary"]

    def test_full_page_has_plain_get_form_enhanced_with_htmx(self, client, collaboration):
        client.force_login(collaboration.coordinator)
        page = html(client.get(reverse("dashboard")))
        form = re.search(r"<form[^>]*app-filters[^>]*>", page).group(0)
        assert 'method="get"' in form
        assert 'hx-get="/"' in form and 'hx-target="#procurement-results"' in form and 'hx-push-url="true"' in form
        assert '<label class="ds-label" data-weight="semibold" for="id_phase">' in page

    def test_history_restore_gets_the_whole_page(self, client, collaboration):
        client.force_login(collaboration.coordinator)
        response = client.get(reverse("dashboard"), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
        assert "<html" in html(response)

    def test_initiatives_of_the_collaboration_are_listed(self, client, collaboration, make_collaboration):
        municipality = collaboration.municipalities[0]
        initiative_report(
            user=collaboration.representative(municipality), municipality=municipality, title="Chatbot for byggesak", description="Til orientering."
        )
        fosen = make_collaboration(1, name="Fosen")
        initiative_report(
            user=fosen.representative(fosen.municipalities[0]),
            municipality=fosen.municipalities[0],
            title="Fosens eget initiativ",
            description="Til orientering.",
        )
        client.force_login(collaboration.user_representative(collaboration.municipalities[1]))
        page = html(client.get(reverse("dashboard")))
        assert "Chatbot for byggesak" in page
        assert "Fosens eget initiativ" not in page

    def test_query_count_does_not_grow_with_procurements(self, client, collaboration, make_procurement):
        def make_batch(count: int):
            for n in range(count):
                if n % 2:
                    make_procurement(collaboration, title=f"Behov {n}", phase=phases.NEEDS)
                else:
                    make_procurement(
                        collaboration, title=f"Innmeldt {n}", joined=collaboration.municipalities[:1], unanswered=collaboration.municipalities[1:]
                    )

        client.force_login(collaboration.coordinator)
        client.get(reverse("dashboard"))  # warm caches (content types, session)

        make_batch(2)
        with CaptureQueriesContext(connection) as two:
            response = client.get(reverse("dashboard"))
        assert len(table_titles(html(response))) == 2

        make_batch(8)
        with CaptureQueriesContext(connection) as ten:
            response = client.get(reverse("dashboard"))
        assert len(table_titles(html(response))) == 10

        assert len(ten.captured_queries) == len(two.captured_queries), "\n".join(
            q["sql"] for q in ten.captured_queries
        )


class TestDashboardPages:
    """A page at a time (settings.PROCUREMENT_PAGE_SIZE rows), judged for its rows only."""

    @pytest.fixture
    def five(self, collaboration, make_procurement, settings):
        settings.PROCUREMENT_PAGE_SIZE = 2
        for n in range(5):
            phase = phases.NEEDS if n % 2 else phases.INTAKE
            make_procurement(collaboration, title=f"Anskaffelse {n}", phase=phase)
        return collaboration

    def test_the_pages_together_show_every_procurement_once_newest_first(self, client, five):
        client.force_login(five.coordinator)
        pages = [html(client.get(reverse("dashboard"), {"side": n})) for n in (1, 2, 3)]
        assert [len(table_titles(page)) for page in pages] == [2, 2, 1]
        assert [title for page in pages for title in table_titles(page)] == [f"Anskaffelse {n}" for n in (4, 3, 2, 1, 0)]
        assert "Viser 1–2 av 5 anskaffelser" in pages[0]
        assert "Viser 5–5 av 5 anskaffelser" in pages[2]

    def test_page_links_keep_the_filters(self, client, five):
        client.force_login(five.coordinator)
        page = html(client.get(reverse("dashboard"), {"phase": phases.INTAKE}))
        assert table_titles(page) == ["Anskaffelse 4", "Anskaffelse 2"]
        assert f'href="/?phase={phases.INTAKE}&amp;side=2"' in page
        second = html(client.get(reverse("dashboard"), {"phase": phases.INTAKE, "side": "2"}))
        assert table_titles(second) == ["Anskaffelse 0"]
        assert '<option value="intake" selected>' in second

    def test_the_navigation_is_accessible_and_works_without_javascript(self, client, five):
        client.force_login(five.coordinator)
        page = html(client.get(reverse("dashboard"), {"side": "2"}))
        nav = re.search(r'<nav class="ds-pagination[^"]*"[^>]*>(.*?)</nav>', page, re.S)
        assert 'aria-label="Sider i oversikten"' in nav.group(0)
        links = nav.group(1)
        assert re.search(r'href="/\?side=2"[^>]*aria-current="true"[^>]*aria-label="Side 2"', links)
        assert 'href="/?side=1"' in links and 'rel="prev"' in links
        assert 'href="/?side=3"' in links and 'rel="next"' in links
        assert links.count('aria-current="true"') == 1

    def test_htmx_swaps_only_the_table_and_puts_the_page_in_the_address(self, client, five):
        client.force_login(five.coordinator)
        full = html(client.get(reverse("dashboard")))
        nav = re.search(r'<nav class="ds-pagination[^"]*"[^>]*>', full).group(0)
        assert 'hx-target="#procurement-results"' in nav and 'hx-push-url="true"' in nav
        assert 'hx-get="/?side=2"' in full
        partial = html(client.get(reverse("dashboard"), {"side": "2"}, HTTP_HX_REQUEST="true"))
        assert partial.lstrip().startswith('<div id="procurement-results"')
        assert "<html" not in partial and "<form" not in partial
        assert table_titles(partial) == ["Anskaffelse 2", "Anskaffelse 1"]
        assert "Side 2 av 3." in partial  # announced by the live region

    @pytest.mark.parametrize(
        ("side", "shown"),
        [
            ("3", ["Anskaffelse 0"]),
            ("abc", ["Anskaffelse 4", "Anskaffelse 3"]),
            ("0", ["Anskaffelse 4", "Anskaffelse 3"]),
            ("-1", ["Anskaffelse 4", "Anskaffelse 3"]),
            ("NaN", ["Anskaffelse 4", "Anskaffelse 3"]),
            ("Infinity", ["Anskaffelse 4", "Anskaffelse 3"]),
            ("1e309", ["Anskaffelse 4", "Anskaffelse 3"]),
            ("9" * 5000, ["Anskaffelse 4", "Anskaffelse 3"]),
            ("4", ["Anskaffelse 0"]),
            ("99999999999999999999999999", ["Anskaffelse 0"]),
        ],
    )
    def test_a_page_out_of_range_or_junk_gives_the_last_or_first_page(self, client, five, side, shown):
        client.force_login(five.coordinator)
        response = client.get(reverse("dashboard"), {"side": side})
        assert response.status_code == 200
        assert table_titles(html(response)) == shown

    def test_only_the_rows_shown_are_judged(self, client, five):
        client.force_login(five.coordinator)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("dashboard"), {"side": "2"})
        shown = {row.procurement.pk for row in response.context["rows"]}
        # The snapshot loads the participations of the procurements it judges.
        judged = [
            {int(n) for n in loaded.group(1).split(",")}
            for q in queries.captured_queries
            if (loaded := re.search(r'WHERE "procurement_participation"\."procurement_id" IN \(([^)]*)\)', q["sql"]))
        ]
        assert len(shown) == 2
        assert judged == [shown]


class TestMyTasks:
    def test_invitation_to_answer_links_to_the_answer_form(self, client, collaboration):
        lead, other, _ = collaboration.municipalities
        procurement = procurement_report(
            user=collaboration.representative(lead),
            municipality=lead,
            title="Felles innbyggerportal",
            kind="introduce",
            description="Én inngang for innbyggerne.",
            funding="action_plan",
        )
        from django.utils import timezone

        invitations_send(
            user=collaboration.coordinator,
            procurement=procurement,
            municipalities=[other],
            answer_deadline=timezone.localdate() + timezone.timedelta(days=7),
        )
        client.force_login(collaboration.chief_executive(other))
        response = client.get(reverse("my_tasks"))
        assert response.status_code == 200
        page = html(response)
        url = reverse("invitation_answer", kwargs={"procurement_id": procurement.pk, "municipality_id": other.pk})
        assert f'href="{url}"' in page
        assert "Felles innbyggerportal" in page

    def test_signature_waiting_links_to_signing_anchor(self, client, collaboration, make_procurement, fill_deliverables):
        procurement = make_procurement(collaboration, phase=phases.STRATEGY, title="Strategi klar")
        fill_deliverables(procurement)
        client.force_login(collaboration.coordinator)
        page = html(client.get(reverse("my_tasks")))
        assert f'href="{reverse("procurement_detail", kwargs={"procurement_id": procurement.pk})}#signering"' in page

    def test_missing_deliverables_are_listed_for_contributors(self, client, collaboration, make_procurement):
        procurement = make_procurement(collaboration, phase=phases.NEEDS, title="Mangler leveranser")
        client.force_login(collaboration.user_representative(collaboration.municipalities[1]))
        page = html(client.get(reverse("my_tasks")))
        assert "Mangler leveranser" in page
        assert f'{reverse("procurement_detail", kwargs={"procurement_id": procurement.pk})}#leveranse-' in page

    def test_nothing_to_do(self, client, collaboration):
        client.force_login(collaboration.user_representative(collaboration.municipalities[0]))
        page = html(client.get(reverse("my_tasks")))
        assert "Du har ingen oppgaver som venter nå." in page


class TestErrorPages:
    def test_404_page_is_norwegian_and_uses_the_layout(self, client, collaboration):
        client.force_login(collaboration.coordinator)
        response = client.get("/finnes-ikke/")
        assert response.status_code == 404
        page = html(response)
        assert "Fant ikke siden" in page
        assert 'href="#main"' in page

    def test_500_template_renders_without_a_request(self):
        from django.template.loader import render_to_string

        page = render_to_string("500.html")
        assert "Noe gikk galt" in page
        assert '<html lang="' in page
