"""The domain's refusals speak the requester's language: the services wrap their messages in
gettext when they raise, so under English they come out in English and under bokmål exactly as
before. The pure cost-sharing module stays free of Django; the intake service words its error
codes."""
import ast
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from core.uploads import validate_upload
from procurement import cost_sharing, phases
from procurement.exceptions import SignOffRefused, TransitionRefused
from procurement.models import GateStep
from procurement.readiness import body_slot
from procurement.services.intake import cost_share_message, cost_shares_set, invitation_answer
from procurement.services.lifecycle import procurement_transition
from procurement.services.signoffs import signoff_record

BOTH = pytest.mark.parametrize("language", ["nb", "en"])


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --------------------------------------------------------------------------- intake


DECLINE = {
    "nb": "Skriv hvorfor kommunen takker nei.",
    "en": "Write why the municipality is declining.",
}


@pytest.mark.django_db
@BOTH
def test_declining_without_a_reason(make_collaboration, make_procurement, language):
    world = make_collaboration(2)
    lead, other = world.municipalities
    procurement = make_procurement(world, joined=[lead], unanswered=[other])
    with translation.override(language), pytest.raises(ValidationError) as error:
        invitation_answer(
            user=world.chief_executive(other), procurement=procurement, municipality=other, join=False, reason="  "
        )
    assert error.value.message_dict == {"reason": [DECLINE[language]]}


TOTAL = {
    "nb": "Andelene summerer til 99,99 %, men må bli nøyaktig 100 %.",
    "en": "The shares add up to 99.99%, but must total exactly 100%.",
}


@pytest.mark.django_db
@BOTH
def test_a_custom_key_not_totalling_100(make_collaboration, make_procurement, language):
    world = make_collaboration(2)
    first, second = world.municipalities
    procurement = make_procurement(world)
    custom = {first.pk: Decimal("60"), second.pk: Decimal("39.99")}
    with translation.override(language), pytest.raises(ValidationError) as error:
        cost_shares_set(user=world.coordinator, procurement=procurement, method="custom", custom=custom)
    assert error.value.message_dict == {"custom": [TOTAL[language]]}


MISSING_SHARE = {"nb": "Oppgi andel for %s.", "en": "Enter the share for %s."}


@pytest.mark.django_db
@BOTH
def test_a_custom_key_missing_a_municipality_names_it(make_collaboration, make_procurement, language):
    world = make_collaboration(2)
    first, second = world.municipalities
    procurement = make_procurement(world)
    with translation.override(language), pytest.raises(ValidationError) as error:
        cost_shares_set(user=world.coordinator, procurement=procurement, method="custom", custom={first.pk: Decimal("100")})
    assert error.value.message_dict == {"custom": [MISSING_SHARE[language] % second.name]}


@pytest.mark.django_db
def test_english_reaches_the_cost_sharing_page(client, collaboration, make_procurement):
    procurement = make_procurement(collaboration)
    client.force_login(collaboration.coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = {"method": "custom"} | {f"share_{m.pk}": "30" for m in collaboration.municipalities}
    response = client.post(reverse("cost_shares", kwargs={"procurement_id": procurement.pk}), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The shares add up to 90.00%, but must total exactly 100%." in page
    assert "nøyaktig 100" not in page


# --------------------------------------------------------------------------- uploads


WRONG_TYPE = {
    "nb": "Filtypen er ikke tillatt. Last opp en av: ",
    "en": "The file type is not allowed. Upload one of: ",
}
MISMATCH = {
    "nb": "Filinnholdet stemmer ikke med filtypen pdf.",
    "en": "The file content does not match the file type pdf.",
}


@BOTH
def test_an_upload_of_a_wrong_type(language):
    upload = SimpleUploadedFile("plan.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    with translation.override(language), pytest.raises(ValidationError) as error:
        validate_upload(upload)
    [message] = error.value.messages
    assert message == WRONG_TYPE[language] + ", ".join(settings.UPLOAD_ALLOWED_EXTENSIONS) + "."
    assert error.value.code == "file_type"


@BOTH
def test_an_upload_whose_content_is_not_its_type(language):
    upload = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with translation.override(language), pytest.raises(ValidationError) as error:
        validate_upload(upload)
    assert error.value.messages == [MISMATCH[language]]


# --------------------------------------------------------------------------- sign-offs and phases


def _go_no_go(world, procurement, user, **kwargs):
    return signoff_record(
        user=user,
        procurement_id=procurement.pk,
        step_id=GateStep.objects.get(gate__code="go-no-go", order=1).pk,
        slot=body_slot(world.bodies["steering_group"].pk),
        **kwargs,
    )


REJECT = {"nb": "Skriv hvorfor du avviser.", "en": "Write why you are rejecting."}


@pytest.mark.django_db
@BOTH
def test_rejecting_without_a_comment(make_collaboration, make_procurement, fill_deliverables, language):
    world = make_collaboration(2)
    procurement = make_procurement(world, phase=phases.STRATEGY)
    fill_deliverables(procurement)
    with translation.override(language), pytest.raises(ValidationError) as error:
        _go_no_go(world, procurement, world.coordinator, decision="reject", comment=" ")
    assert error.value.message_dict == {"comment": [REJECT[language]]}


SIGNER = {"nb": "Bare en koordinator for %s kan signere her.", "en": "Only someone who is coordinator for %s can sign here."}
GATE_BEFORE_DOCUMENT = {
    "nb": "Dokumentet som skal godkjennes er ikke levert ennå.",
    "en": "The document to be approved has not been delivered yet.",
}


@pytest.mark.django_db
@BOTH
def test_sign_off_refusals_name_the_role_and_the_body(make_collaboration, make_procurement, fill_deliverables, language):
    world = make_collaboration(2)
    procurement = make_procurement(world, phase=phases.STRATEGY)
    with translation.override(language), pytest.raises(SignOffRefused) as refused:
        _go_no_go(world, procurement, world.coordinator, decision="approve")
    assert str(refused.value) == GATE_BEFORE_DOCUMENT[language]

    fill_deliverables(procurement)
    with translation.override(language), pytest.raises(PermissionDenied) as denied:
        _go_no_go(world, procurement, world.rmu_chief, decision="approve")
    assert str(denied.value) == SIGNER[language] % world.bodies["steering_group"].name


CANCEL = {"nb": "Skriv en begrunnelse for avlysningen.", "en": "Write a reason for the cancellation."}


@pytest.mark.django_db
@BOTH
def test_cancelling_without_a_reason(make_collaboration, make_procurement, language):
    world = make_collaboration(2)
    procurement = make_procurement(world)
    with translation.override(language), pytest.raises(TransitionRefused) as error:
        procurement_transition(user=world.coordinator, procurement_id=procurement.pk, transition="cancel", reason=" ")
    assert str(error.value) == CANCEL[language]


# --------------------------------------------------------------------------- the pure cost-sharing module

ERRORS = [
    cost_sharing.CostShareError("no_positive_weight"),
    cost_sharing.CostShareError("negative_population"),
    cost_sharing.CostShareError("negative_share"),
    cost_sharing.CostShareError("too_many_decimals"),
    cost_sharing.CostShareError("total", total=Decimal("100.01")),
]


def test_cost_sharing_imports_nothing_from_django():
    tree = ast.parse(Path(cost_sharing.__file__).read_text(encoding="utf-8"))
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    imported += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert not [name for name in imported if name.split(".")[0] == "django"]


def test_cost_share_errors_carry_a_code_and_a_bokmaal_sentence():
    with pytest.raises(cost_sharing.CostShareError) as error:
        cost_sharing.custom_shares({"a": Decimal("60"), "b": Decimal("40.01")})
    assert (error.value.code, error.value.params) == ("total", {"total": Decimal("100.01")})
    assert str(error.value) == "Andelene summerer til 100,01 %, men må bli nøyaktig 100 %."


@pytest.mark.parametrize("error", ERRORS, ids=lambda error: error.code)
def test_the_service_words_every_cost_share_code(error):
    with translation.override("nb"):
        assert cost_share_message(error) == str(error)  # the bokmål wording is the module's own
    with translation.override("en"):
        english = cost_share_message(error)
    assert english != str(error)
    assert not set("æøåÆØÅ") & set(english)
