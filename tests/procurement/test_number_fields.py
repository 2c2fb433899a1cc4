"""Number fields take numbers as people write them and nothing else. Python's Decimal() also
reads "Infinity", "NaN", "1e999" and digits of other scripts; such input used to reach the
running total of the cost-sharing page and end in a 500. Over HTTP each is now a bokmål
message next to the field, with 400 and nothing saved; and the pure cost-sharing module and
the service refuse them too when called directly."""
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from core.forms import NokField, PercentField, plain_decimal
from procurement.cost_sharing import CostShareError, custom_shares
from procurement.models import Procurement
from procurement.services.intake import cost_shares_set

pytestmark = pytest.mark.django_db

NOT_NUMBERS = [
    "Infinity",
    "-Infinity",
    "+Infinity",
    "inf",
    "NaN",
    "-nan",
    "sNaN",
    "1e999",
    "1e-999",
    "1E+2",
    "1e2",
    "9" * 5000,
    "\u0661\u0660",  # Arabic-Indic digits: Decimal() reads them as 10
    "1,2,3",
    "--5",
    "0x10",
    "1_000",
    "½",
]
SHARE_MESSAGE = "Skriv et tall mellom 0 og 100, for eksempel 33,33."


def html(response) -> str:
    return response.content.decode()


def field_error(page: str, field_id: str) -> str:
    match = re.search(rf'<div class="ds-validation-message" data-field="validation" id="{field_id}_error">(.*?)</div>', page, re.S)
    assert match, f"no message next to {field_id}"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


# --------------------------------------------------------------------------- cost shares


@pytest.fixture
def shared(collaboration, make_procurement):
    return make_procurement(collaboration)  # three municipalities, equal shares


def post_shares(client, procurement, shares: dict):
    data = {"method": "custom"} | {f"share_{pk}": value for pk, value in shares.items()}
    return client.post(reverse("cost_shares", kwargs={"procurement_id": procurement.pk}), data)


def saved(procurement):
    procurement.refresh_from_db()
    return procurement.cost_sharing_method, dict(procurement.participations.values_list("municipality_id", "cost_share"))


@pytest.mark.parametrize("value", [*NOT_NUMBERS, "-5", "-0,01", "100,01", "1000", "101"])
def test_a_share_that_is_not_a_number_from_0_to_100_is_a_field_error(client, collaboration, shared, value):
    a, b, c = collaboration.municipalities
    before = saved(shared)
    entries = AuditEntry.objects.count()
    client.force_login(collaboration.coordinator)
    response = post_shares(client, shared, {a.pk: value, b.pk: "50", c.pk: "50"})
    assert response.status_code == 400
    page = html(response)
    assert field_error(page, f"id_share_{a.pk}") == SHARE_MESSAGE
    # In the error summary too, linked to the field; the other fields keep no error.
    assert f'<a class="ds-link" href="#id_share_{a.pk}">{SHARE_MESSAGE}</a>' in page
    assert f'id="id_share_{b.pk}_error"' not in page
    assert saved(shared) == before
    assert AuditEntry.objects.count() == entries


def test_too_many_decimals_has_its_own_message(client, collaboration, shared):
    a, b, c = collaboration.municipalities
    client.force_login(collaboration.coordinator)
    response = post_shares(client, shared, {a.pk: "33,333", b.pk: "33,333", c.pk: "33,334"})
    assert response.status_code == 400
    assert field_error(html(response), f"id_share_{a.pk}") == "Skriv høyst to desimaler, for eksempel 33,33."


def test_the_running_total_is_left_empty_while_a_share_is_not_a_number(client, collaboration, shared):
    a, b, c = collaboration.municipalities
    client.force_login(collaboration.coordinator)
    page = html(post_shares(client, shared, {a.pk: "1e999", b.pk: "50", c.pk: "50"}))
    assert re.search(r"<output[^>]*data-share-total></output>", page)
    page = html(post_shares(client, shared, {a.pk: "30", b.pk: "30", c.pk: "30"}))
    assert re.search(r"<output[^>]*data-share-total>90(,00)? %</output>", page)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (("33,33", "33,33", "33,34"), ("33.33", "33.33", "33.34")),
        (("50 %", "25.5", "+24,5"), ("50.00", "25.50", "24.50")),
        (("100", "0", "0,00"), ("100.00", "0.00", "0.00")),
    ],
)
def test_plain_shares_are_still_saved(client, collaboration, shared, values, expected):
    municipalities = collaboration.municipalities
    client.force_login(collaboration.coordinator)
    response = post_shares(client, shared, {m.pk: v for m, v in zip(municipalities, values)})
    assert response.status_code == 302
    assert saved(shared) == ("custom", {m.pk: Decimal(e) for m, e in zip(municipalities, expected)})


def test_the_share_message_is_translated(client, collaboration, shared):
    a, b, c = collaboration.municipalities
    client.force_login(collaboration.coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = post_shares(client, shared, {a.pk: "NaN", b.pk: "50", c.pk: "50"})
    assert response.status_code == 400
    message = field_error(html(response), f"id_share_{a.pk}")
    assert message != SHARE_MESSAGE and "0" in message and "100" in message


@pytest.mark.parametrize("value", ["Infinity", "-Infinity", "NaN", "sNaN", "1E+999", "1E-999", "abc", None])
def test_the_pure_module_refuses_what_is_not_a_share(value):
    with pytest.raises(CostShareError) as error:
        custom_shares({"a": value, "b": Decimal("50")} if value is not None else {"a": object()})
    assert error.value.code in ("not_a_share", "too_many_decimals")
    assert error.value.code == ("too_many_decimals" if value == "1E-999" else "not_a_share")


@pytest.mark.parametrize("value", [Decimal("Infinity"), Decimal("NaN"), Decimal("1E+999"), Decimal("-Infinity")])
def test_the_service_refuses_them_and_changes_nothing(collaboration, shared, value):
    a, b, c = collaboration.municipalities
    before = saved(shared)
    with pytest.raises(ValidationError) as error:
        cost_shares_set(
            user=collaboration.coordinator,
            procurement=shared,
            method="custom",
            custom={a.pk: value, b.pk: Decimal("50"), c.pk: Decimal("50")},
        )
    assert error.value.message_dict["custom"] == ["En andel må være et tall mellom 0 og 100."]
    assert saved(shared) == before


# --------------------------------------------------------------------------- estimated contract value


def need(municipality, value) -> dict:
    return {
        "municipality": municipality.pk,
        "title": "Nytt fagsystem for barnehage",
        "description": "Dagens system går ut av støtte i 2027.",
        "kind": "replace",
        "funding": "action_plan",
        "estimated_value": value,
    }


@pytest.mark.parametrize(
    ("value", "message"),
    [
        *((value, "Skriv beløpet i hele kroner med sifre, for eksempel 1 250 000.") for value in NOT_NUMBERS),
        ("9" * 15, "Beløpet er for stort: skriv høyst 14 sifre."),
        ("-5", "Beløpet kan ikke være negativt."),
        ("1 250 000,50", "Skriv beløpet i hele kroner, uten øre."),
        ("1.250.000", "Skriv beløpet i hele kroner med sifre, for eksempel 1 250 000."),
    ],
)
def test_an_estimated_value_that_is_not_whole_kroner_is_a_field_error(client, collaboration, value, message):
    municipality = collaboration.municipalities[0]
    client.force_login(collaboration.representative(municipality))
    count = Procurement.objects.count()
    response = client.post(reverse("report_need"), need(municipality, value))
    assert response.status_code == 400
    page = html(response)
    assert field_error(page, "id_estimated_value") == message
    assert f'<a class="ds-link" href="#id_estimated_value">{message}</a>' in page
    assert Procurement.objects.count() == count


@pytest.mark.parametrize(
    ("value", "stored"),
    [("1 250 000", 1250000), ("1\u00a0250\u00a0000 kr", 1250000), ("NOK 900000", 900000), ("75000,-", 75000), ("0", 0)],
)
def test_estimated_values_as_people_write_them_are_saved(client, collaboration, value, stored):
    municipality = collaboration.municipalities[0]
    client.force_login(collaboration.representative(municipality))
    response = client.post(reverse("report_need"), need(municipality, value))
    assert response.status_code == 302
    assert Procurement.objects.get(title="Nytt fagsystem for barnehage").estimated_value == Decimal(stored)


# --------------------------------------------------------------------------- the fields themselves


@pytest.mark.parametrize("text", [*NOT_NUMBERS, "", " ", "1.", ".5", "5,", "1 2"])
def test_plain_decimal_refuses(text):
    assert plain_decimal(text) is None


@pytest.mark.parametrize(("text", "number"), [("0", "0"), ("-3", "-3"), ("+3,5", "3.5"), (" 12.25 ", "12.25")])
def test_plain_decimal_reads(text, number):
    assert plain_decimal(text) == Decimal(number)


@pytest.mark.parametrize("field", [PercentField(), NokField(max_digits=14)])
@pytest.mark.parametrize("value", [Decimal("Infinity"), Decimal("NaN"), Decimal("1E+999")])
def test_a_decimal_handed_in_directly_is_validated_too(field, value):
    with pytest.raises(ValidationError):
        field.clean(value)
