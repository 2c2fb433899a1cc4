"""The distribution e-mail carries both signed copies (the contract and the data processing
agreement) as attachments, byte for byte what is stored, with each municipality's yearly
maintenance cost by the cost-sharing key; a send that failed is sent again once, and only to
the one it failed for."""
import hashlib
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from agreements.models import Contract, DataProcessingAgreement
from agreements.services import contract_sign, dpa_save
from core.numbers import kroner_text
from municipalities.roles import Role
from notifications.models import Outbox
from notifications.services import outbox_deliver_pending
from procurement.readiness import readiness_for
from procurement.services.signoffs import signoff_record
from tests.agreements.helpers import HEALTH_DPA, contract_ready
from tests.factories import PASSWORD
from tests.notifications import backends

pytestmark = pytest.mark.django_db


@pytest.fixture
def flaky_mail(settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.FlakyBackend"
    backends.reset()
    mail.outbox = []
    yield backends.FAIL
    backends.reset()


def _signed_and_distributed(world, signer_for):
    procurement = contract_ready(world)
    dpa_save(user=world.coordinator, procurement_id=procurement.pk, values=HEALTH_DPA)
    contract_sign(user=world.coordinator, procurement_id=procurement.pk, password=PASSWORD)
    gate = next(g for g in readiness_for(procurement).signature_gates if g.gate.code == "dpa")
    for slot in gate.open_step.waiting_for:
        signoff_record(
            user=signer_for(gate.open_step, slot), procurement_id=procurement.pk, step_id=gate.open_step.step.pk,
            slot=slot.slot, decision="approve", document_sha256=gate.document.current_version.sha256,
        )
    return procurement


def _stored(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def test_each_mail_has_both_signed_copies_attached_and_a_failed_send_is_sent_again_once(
    make_collaboration, person_with_role, signer_for, flaky_mail
):
    world = make_collaboration(3)
    kikt = person_with_role(Role.ICT_ARCHITECT, body=world.bodies["shared_it"], email="kikt@example.no")
    procurement = _signed_and_distributed(world, signer_for)
    contract = Contract.objects.get(procurement=procurement)
    dpa = DataProcessingAgreement.objects.get(procurement=procurement)
    contract_pdf, dpa_pdf = _stored(contract.signed_copy), _stored(dpa.signed_copy)
    assert hashlib.sha256(contract_pdf).hexdigest() == contract.signed_copy_sha256
    assert hashlib.sha256(dpa_pdf).hexdigest() == dpa.signed_copy_sha256
    rows = Outbox.objects.filter(kind="notification:agreements_distributed", procurement=procurement)
    recipients = {row.recipient.email for row in rows}
    assert kikt.email in recipients and len(recipients) == rows.count() > 1

    flaky_mail[kikt.email] = 1  # the mail server refuses K-IKT's mail once
    assert outbox_deliver_pending() == rows.count() - 1
    failed = rows.get(recipient=kikt)
    assert failed.sent_at is None and failed.attempts == 1 and "ConnectionRefusedError" in failed.last_error
    Outbox.objects.filter(pk=failed.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))  # back-off over
    assert outbox_deliver_pending() == 1
    assert outbox_deliver_pending() == 0  # nothing left: sent rows are never sent again

    sent_to = sorted(address for message in mail.outbox for address in message.to)
    assert sent_to == sorted(recipients)  # everyone once, K-IKT included, nobody twice
    assert not rows.filter(sent_at__isnull=True).exists()
    for message in mail.outbox:
        names = [name for name, _content, _type in message.attachments]
        assert names == [f"kontrakt-signert-{procurement.pk}.pdf", f"databehandleravtale-signert-{procurement.pk}.pdf"]
        (_, contract_bytes, contract_type), (_, dpa_bytes, dpa_type) = message.attachments
        assert contract_type == dpa_type == "application/pdf"
        assert hashlib.sha256(contract_bytes).hexdigest() == contract.signed_copy_sha256 and contract_bytes == contract_pdf
        assert hashlib.sha256(dpa_bytes).hexdigest() == dpa.signed_copy_sha256 and dpa_bytes == dpa_pdf
        assert contract.signed_copy_sha256 in message.body and dpa.signed_copy_sha256 in message.body
        # The raw mail a server receives has both parts.
        assert message.message().as_string().count("Content-Type: application/pdf") == 2

    # The yearly maintenance cost by the cost-sharing key: every municipality in K-IKT's mail,
    # each representative's own municipality in theirs.
    (kikt_mail,) = [m for m in mail.outbox if m.to == [kikt.email]]
    for municipality in world.municipalities:
        assert f"- {municipality.name}: " in kikt_mail.body
    assert f"Årlige kostnader i alt: {kroner_text(contract.yearly_cost)}" in kikt_mail.body
    one = world.municipalities[0]
    (own,) = [m for m in mail.outbox if m.to == [world.representative(one).email]]
    assert f"- {one.name}: " in own.body and f"- {world.municipalities[1].name}: " not in own.body


def test_a_missing_stored_copy_fails_the_attempt_instead_of_sending_without_it(make_collaboration, signer_for, flaky_mail):
    world = make_collaboration(2)
    procurement = _signed_and_distributed(world, signer_for)
    dpa = DataProcessingAgreement.objects.get(procurement=procurement)
    dpa.signed_copy.storage.delete(dpa.signed_copy.name)
    assert outbox_deliver_pending() == 0
    assert mail.outbox == []
    rows = Outbox.objects.filter(kind="notification:agreements_distributed", procurement=procurement)
    assert rows.exists() and all(row.sent_at is None and row.last_error for row in rows)
