"""A wrong password at the step-up before a signature counts as a failed login for the account
and the address (django-axes): guessing at the signing form locks the account like guessing at
the login page, with a clear bokmål message at the password field; once locked, the right
password is refused both at the step-up and at the login. Every refusal is audited."""
import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

from agreements.models import Contract, ContractState
from audit.models import AuditEntry
from procurement.models import SignOff
from procurement.readiness import readiness_for
from tests.agreements.helpers import HEALTH_DPA, contract_ready
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

WRONG = "feil-passord-xyz"
LOCKED_AT_FIELD = "For mange feil passord: kontoen er sperret. Ingenting er signert."
LOCKED_AT_LOGIN = "Innloggingen er sperret fordi det har vært for mange mislykkede forsøk"
ADDRESS = "203.0.113.5"


def test_limit_wrong_step_up_passwords_lock_the_account_at_signing_and_at_login(client, make_collaboration):
    world = make_collaboration(2)
    procurement = contract_ready(world)
    coordinator = world.coordinator
    client.force_login(coordinator)
    url = reverse("contract_sign", args=[procurement.pk])
    limit = settings.AXES_FAILURE_LIMIT

    for number in range(1, limit + 1):
        response = client.post(url, {"sign-password": WRONG}, REMOTE_ADDR=ADDRESS)
        page = response.content.decode()
        assert response.status_code == 400, number
        if number < limit:
            assert "Passordet er feil. Ingenting er signert." in page and LOCKED_AT_FIELD not in page
        else:  # the limit-th failure locks, and the signing form says so at its field
            assert LOCKED_AT_FIELD in page and 'id="id_sign-password_error"' in page
    attempts = AccessAttempt.objects.filter(username=coordinator.username)
    assert sum(a.failures_since_start for a in attempts) == limit
    assert {a.ip_address for a in attempts} == {ADDRESS}

    # The right password is now refused at the step-up too, even from another address.
    response = client.post(url, {"sign-password": PASSWORD}, REMOTE_ADDR="198.51.100.20")
    assert response.status_code == 400 and LOCKED_AT_FIELD in response.content.decode()
    assert Contract.objects.get(procurement=procurement).state == ContractState.DRAFT

    # ... and at the login page.
    other = Client()
    response = other.post(reverse("login"), {"username": coordinator.username, "password": PASSWORD}, REMOTE_ADDR="198.51.100.21")
    assert response.status_code == 429 and LOCKED_AT_LOGIN in response.content.decode()
    assert "_auth_user_id" not in other.session

    refused = list(AuditEntry.objects.filter(action="signoff.step_up_refused", actor=coordinator).order_by("id"))
    assert len(refused) == limit + 1
    assert [e.data["locked_out"] for e in refused] == [False] * (limit - 1) + [True, True]
    assert all(WRONG not in e.message + str(e.data) for e in refused)
    failed_logins = AuditEntry.objects.filter(action="login.failed", data__username=coordinator.username)
    assert failed_logins.count() >= limit  # the step-up failures are in the security trail of logins


def test_a_wrong_password_at_a_dpa_signature_counts_once(client, make_collaboration, make_procurement):
    from agreements.services import dpa_save
    from procurement import phases

    world = make_collaboration(2)
    procurement = make_procurement(world, phase=phases.CONTRACT)
    dpa_save(user=world.coordinator, procurement_id=procurement.pk, values=HEALTH_DPA)
    gate = next(g for g in readiness_for(procurement).signature_gates if g.gate.code == "dpa")
    slot = next(s for s in gate.open_step.waiting_for if s.municipality_id == world.municipalities[0].pk)
    chief = world.chief_executive(world.municipalities[0])
    client.force_login(chief)
    response = client.post(
        reverse("signoff_record", args=[procurement.pk, gate.open_step.step.pk]),
        {"slot": slot.slot, "decision": "approve", "comment": "", "document_sha256": gate.document.current_version.sha256,
         "password": WRONG},
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 400
    assert AccessAttempt.objects.get(username=chief.username).failures_since_start == 1
    assert not SignOff.objects.filter(procurement=procurement, step__gate__code="dpa").exists()
