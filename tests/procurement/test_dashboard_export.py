"""The dashboard's list as an Excel workbook: the same procurements and filters as the
screen, every page, formulas typed into a title kept as text, audited, and the same
queries for few and for many procurements."""
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from audit.actions import Action
from audit.models import AuditEntry
from procurement import phases
from procurement.selectors import dashboard as dashboard_selectors

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith('attachment; filename="anskaffelser-')
    sheet = load_workbook(BytesIO(response.content), read_only=True).worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def world(make_collaboration, make_procurement):
    shared = make_collaboration(2, name="Kongsbergregionen")
    elsewhere = make_collaboration(1, name="Fosen")
    made = {
        "intake": make_procurement(shared, title="Felles helseplattform"),
        "needs": make_procurement(shared, title="Nytt arkivsystem", phase=phases.NEEDS),
        "formula": make_procurement(shared, title='=HYPERLINK("http://example.invalid","klikk")', phase=phases.NEEDS),
        "other": make_procurement(elsewhere, title="Fosens egen"),
    }
    return shared, elsewhere, made


def test_the_workbook_holds_what_the_dashboard_shows(client, world):
    shared, _elsewhere, made = world
    client.force_login(shared.coordinator)
    header, *rows = sheet_rows(client.get(reverse("dashboard_export")))
    assert header[:4] == ("Anskaffelse", "Samarbeid", "Meldt inn av", "Fase")
    titles = {row[0] for row in rows}
    assert titles == {"Felles helseplattform", "Nytt arkivsystem", "'" + made["formula"].title}
    by_title = {row[0]: row for row in rows}
    assert by_title["Nytt arkivsystem"][1] == "Kongsbergregionen"
    assert by_title["Nytt arkivsystem"][7] == f"http://testserver{reverse('procurement_detail', args=[made['needs'].pk])}"


def test_the_filters_of_the_address_apply_and_the_page_number_does_not(client, world):
    shared, _elsewhere, _made = world
    client.force_login(shared.coordinator)
    _header, *rows = sheet_rows(client.get(reverse("dashboard_export"), {"phase": phases.NEEDS, "side": "7"}))
    assert {row[0] for row in rows} == {"Nytt arkivsystem", "'" + _made["formula"].title}


def test_a_bad_filter_is_left_out_not_a_500(client, world):
    shared, _elsewhere, _made = world
    client.force_login(shared.coordinator)
    _header, *rows = sheet_rows(client.get(reverse("dashboard_export"), {"phase": "Infinity", "municipality": "NaN"}))
    assert len(rows) == 3


def test_another_collaboration_sees_only_its_own(client, world):
    _shared, elsewhere, _made = world
    client.force_login(elsewhere.coordinator)
    _header, *rows = sheet_rows(client.get(reverse("dashboard_export")))
    assert [row[0] for row in rows] == ["Fosens egen"]


def test_the_export_is_audited_with_its_filters_and_count(client, world):
    shared, _elsewhere, _made = world
    client.force_login(shared.coordinator)
    client.get(reverse("dashboard_export"), {"phase": phases.NEEDS})
    entry = AuditEntry.objects.get(action=Action.DASHBOARD_EXPORTED)
    assert entry.actor_id == shared.coordinator.pk
    assert entry.data == {"filters": {"phase": phases.NEEDS}, "count": 2}


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("dashboard_export"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_dashboard_links_the_export_with_its_filters(client, world):
    shared, _elsewhere, _made = world
    client.force_login(shared.coordinator)
    page = client.get(reverse("dashboard"), {"phase": phases.NEEDS, "side": "1"}).content.decode()
    assert f'href="{reverse("dashboard_export")}?phase={phases.NEEDS}"' in page


def test_the_queries_do_not_grow_with_the_number_of_procurements(client, make_collaboration, make_procurement, monkeypatch):
    monkeypatch.setattr(dashboard_selectors, "EXPORT_BATCH", 4)
    shared = make_collaboration(2)
    client.force_login(shared.coordinator)
    counts = []
    for total in (2, 4):
        have = dashboard_selectors.procurements_visible(user=shared.coordinator).count()
        for n in range(have, total):
            make_procurement(shared, title=f"Anskaffelse {n}", phase=phases.NEEDS)
        client.get(reverse("dashboard_export"))  # warm: the catalogue is read once per process
        with CaptureQueriesContext(connection) as queries:
            sheet_rows(client.get(reverse("dashboard_export")))
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # A second batch costs one batch's queries more, not one per procurement.
    for n in range(4, 9):
        make_procurement(shared, title=f"Anskaffelse {n}", phase=phases.NEEDS)
    with CaptureQueriesContext(connection) as queries:
        _header, *rows = sheet_rows(client.get(reverse("dashboard_export")))
    assert len(rows) == 9
    assert len(queries) < counts[0] * 3
