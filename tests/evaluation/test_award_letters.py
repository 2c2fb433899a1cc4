"""The award notice per tenderer: one PDF each, parsed back (the chosen tenderer, the
winning tender's characteristics, that tenderer's own scores, the standstill period), all
recorded in one transaction at one instant, e-mailed through the outbox to the supplier's
contact exactly once; an unfinished evaluation is refused."""
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from contracts.models import AwardLetter, AwardNotice
from contracts.services import award_notice_send
from evaluation.models import ConsensusScore
from notifications.models import Outbox
from notifications.services import outbox_deliver_pending

from .world import build

pytestmark = pytest.mark.django_db


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_one_letter_per_tenderer_sent_at_once_exactly_once(make_collaboration, make_procurement, person_with_role, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    w = build(make_collaboration, make_procurement, person_with_role)
    today = w.procurement.collaboration.today()
    notice = award_notice_send(user=w.buyer, procurement=w.procurement, sent_on=today, standstill_days=14)
    letters = list(AwardLetter.objects.filter(notice=notice).select_related("tender__supplier").order_by("tender__received_at"))
    assert [letter.tender.pk for letter in letters] == [t.pk for t in w.tenders]
    assert {letter.created_at for letter in letters} == {notice.sent_at}
    rows = Outbox.objects.filter(kind="award_letter", procurement=w.procurement)
    assert sorted(rows.values_list("address", flat=True)) == sorted(s.contact_email for s in w.suppliers)
    last_day = notice.standstill_ends_on.strftime("%d.%m.%Y")
    for letter in letters:
        with letter.file.open("rb") as handle:
            text = text_of(handle.read())
        assert "Leverandør 1" in text  # the chosen tenderer, named in every letter
        assert "god brukerstøtte på norsk" in text  # the winner's characteristics
        assert letter.tender.supplier.name in text
        assert f"til og med {last_day} kl. 24.00" in text and "14 dager" in text
    loser = text_of(letters[2].file.open("rb").read())
    assert "rangert som nummer 3 av 3" in loser and "Funksjonalitet" in loser and "Enige." in loser  # its own scores and reasons
    winner = text_of(letters[0].file.open("rb").read())
    assert "Vi har til hensikt å inngå kontrakt med dere" in winner
    from django.test import Client
    from django.urls import reverse

    viewer = Client()
    viewer.force_login(w.buyer)
    page = viewer.get(reverse("procurement_detail", args=[w.procurement.pk])).content.decode()
    assert "3 meddelelser, hver med sin PDF, alle registrert for sending samtidig" in page
    assert all(s.contact_email in page for s in w.suppliers)
    assert outbox_deliver_pending() >= 3
    letters_sent = [m for m in mail.outbox if m.subject.startswith("Meddelelse om tildeling")]
    assert sorted(m.to[0] for m in letters_sent) == sorted(s.contact_email for s in w.suppliers)
    assert all(m.attachments and m.attachments[0][0] == "meddelelse-om-tildeling.pdf" for m in letters_sent)
    assert outbox_deliver_pending() == 0  # nothing twice
    assert len([m for m in mail.outbox if m.subject.startswith("Meddelelse om tildeling")]) == 3


def test_an_unfinished_evaluation_is_refused(make_collaboration, make_procurement, person_with_role):
    w = build(make_collaboration, make_procurement, person_with_role)
    ConsensusScore.objects.filter(tender=w.tenders[1]).delete()
    with pytest.raises(ValidationError, match="Evalueringen er ikke ferdig"):
        award_notice_send(user=w.buyer, procurement=w.procurement, sent_on=w.procurement.collaboration.today())
    assert not AwardNotice.objects.filter(procurement=w.procurement).exists()
    assert not Outbox.objects.filter(kind="award_letter").exists()


def test_a_complaint_to_kofa_with_its_document_blocks_signing_over_http(client, make_collaboration, make_procurement):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from contracts.models import Complaint, ComplaintDocument
    from procurement import phases
    from procurement.readiness import readiness_for

    world = make_collaboration(2)
    procurement = make_procurement(world, phase=phases.CONTRACT, title="Klagesak")
    client.force_login(world.coordinator)
    upload = SimpleUploadedFile("klage.pdf", b"%PDF-1.4\n% klage\n", content_type="application/pdf")
    response = client.post(
        reverse("complaint_register", args=[procurement.pk]),
        {
            "received_on": procurement.collaboration.today().isoformat(), "complainant": "Leverandør B", "summary": "Feil poeng.",
            "kind": "appeals_board", "document": upload,
        },
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get(procurement=procurement)
    assert complaint.kind == "appeals_board"
    (document,) = ComplaintDocument.objects.filter(complaint=complaint)
    assert document.original_name == "klage.pdf"
    page = client.get(reverse("procurement_detail", args=[procurement.pk])).content.decode()
    assert "Klage til klagenemnda (KOFA / Klagenævnet for Udbud)" in page and "klage.pdf" in page
    download = client.get(reverse("complaint_document_download", args=[procurement.pk, complaint.pk, document.pk]))
    assert download.status_code == 200
    assert any("Ingen klage er til behandling" in reason for reason in readiness_for(procurement).blockers)
    bad = client.post(
        reverse("complaint_register", args=[procurement.pk]),
        {"received_on": procurement.collaboration.today().isoformat(), "complainant": "X", "summary": "Y", "kind": "tampered"},
    )
    assert bad.status_code == 400 and Complaint.objects.filter(procurement=procurement).count() == 1


def test_contract_signing_refusals_say_why_with_the_date_and_time(make_collaboration, make_procurement):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from contracts.selectors import contract_signing_refusals
    from contracts.services import complaint_register, complaint_resolve
    from procurement import phases

    world = make_collaboration(2)
    procurement = make_procurement(world, phase=phases.CONTRACT, title="Signering")
    assert "ikke sendt" in contract_signing_refusals(procurement=procurement)[0]
    notice = award_notice_send(user=world.coordinator, procurement=procurement, sent_on=procurement.collaboration.today())
    oslo = ZoneInfo(procurement.collaboration.time_zone)
    last = notice.standstill_ends_on
    just_before = datetime(last.year, last.month, last.day, 23, 59, tzinfo=oslo)
    (reason,) = contract_signing_refusals(procurement=procurement, now=just_before)
    assert f"til og med {last:%d.%m.%Y} kl. 24.00" in reason
    after = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=oslo)
    assert contract_signing_refusals(procurement=procurement, now=after) == []
    complaint = complaint_register(user=world.coordinator, procurement=procurement, received_on=procurement.collaboration.today(), complainant="B AS", summary="Feil.")
    assert contract_signing_refusals(procurement=procurement, now=after) == [f"Klagen fra B AS, mottatt {complaint.received_on:%d.%m.%Y}, er ikke avgjort."]
    complaint_resolve(user=world.coordinator, complaint=complaint, outcome="dismissed", resolution="Poengene er riktige.")
    assert contract_signing_refusals(procurement=procurement, now=after) == []
