"""The agreements page: who sees which form, hostile values next to the field, the PDFs
behind the view permission."""
import pytest
from django.urls import reverse

from agreements.models import DataProcessingAgreement
from procurement import phases
from tests.agreements.helpers import HEALTH_DPA, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(make_collaboration, make_procurement):
    world = make_collaboration(2)
    return world, make_procurement(world, phase=phases.CONTRACT)


def _data(**changes):
    values = {**HEALTH_DPA, **changes}
    return {f"dpa-{k}": ("on" if v is True else v) for k, v in values.items() if v is not False}


def test_the_coordinator_gets_both_forms_and_a_chief_executive_neither(client, case):
    world, procurement = case
    url = reverse("agreements_page", args=[procurement.pk])
    client.force_login(world.coordinator)
    page = client.get(url).content.decode()
    assert 'action="%s"' % reverse("dpa_edit", args=[procurement.pk]) in page
    assert 'action="%s"' % reverse("contract_edit", args=[procurement.pk]) in page
    client.force_login(world.chief_executive(world.municipalities[0]))
    page = client.get(url).content.decode()
    assert reverse("dpa_edit", args=[procurement.pk]) + '"' not in page.replace(url, "")
    assert 'action="%s"' % reverse("contract_edit", args=[procurement.pk]) not in page
    assert reverse("dpa_pdf", args=[procurement.pk]) in page


@pytest.mark.parametrize(
    ("field", "value"),
    [("processor_org_number", "Infinity"), ("processor_name", "x" * 5000), ("sub_processors", "bare et navn"), ("special_categories", "")],
)
def test_bad_values_are_errors_next_to_the_field_and_nothing_is_saved(client, case, field, value):
    world, procurement = case
    client.force_login(world.coordinator)
    response = client.post(reverse("dpa_edit", args=[procurement.pk]), _data(**{field: value}))
    assert response.status_code == 400
    assert f'id="id_dpa-{field}_error"' in response.content.decode()
    assert not DataProcessingAgreement.objects.exists()


def test_saving_over_http_and_the_pdf_for_participants_only(client, case, make_collaboration):
    world, procurement = case
    client.force_login(world.coordinator)
    response = client.post(reverse("dpa_edit", args=[procurement.pk]), _data())
    assert response.status_code == 302
    client.force_login(world.representative(world.municipalities[1]))
    response = client.get(reverse("dpa_pdf", args=[procurement.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Nordlys Velferd AS" in pdf_text(response.content)
    client.force_login(make_collaboration(1, name="Et annet samarbeid").coordinator)
    assert client.get(reverse("dpa_pdf", args=[procurement.pk])).status_code == 404
    assert client.get(reverse("agreements_page", args=[procurement.pk])).status_code == 404
