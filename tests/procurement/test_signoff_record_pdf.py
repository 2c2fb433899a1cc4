"""The printable sign-off record ("signaturprotokoll"): the selector behind it
(procurement/selectors/prints.py), the template it feeds (templates/pdf/signoff_record.html),
the PDF view and its audit entry. The PDF is checked without external tools: its object
streams are inflated with zlib to read the page count, the metadata WeasyPrint writes from
<title> and <meta name="author">, the embedded font and the text operators of the pages."""
import re
import zlib
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from core.pdf import render_html, render_pdf
from procurement import phases
from procurement.models import DeliverableDefinition, GateStep, Procurement, SignOff
from procurement.readiness import municipality_slot
from procurement.selectors.prints import signoff_record_for_print
from procurement.services.deliverables import deliverable_version_add
from procurement.services.lifecycle import procurement_transition
from procurement.services.signoffs import signoff_record
from procurement.views.prints import SIGNOFF_RECORD_TEMPLATE

pytestmark = pytest.mark.django_db

TITLE = "Felles fagsystem for helse"


# ----------------------------------------------------------------------------- helpers


def _pdf_objects(pdf: bytes) -> bytes:
    """The PDF's own bytes followed by every Flate stream inflated (object streams hold the
    dictionaries, content streams the drawing operators)."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def _pdf_info(objects: bytes, key: bytes) -> str | None:
    """The value of /KEY in the document information dictionary (the one WeasyPrint signs
    with /Producer; outline entries have a /Title too): a literal (…) or UTF-16 <FEFF…>."""
    start = objects.find(b"/Producer (WeasyPrint")
    if start < 0:
        return None
    end = objects.find(b"\n", start)
    info = objects[start : end if end > 0 else len(objects)]
    match = re.search(rb"/" + key + rb"\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)", info)
    if match is None:
        return None
    raw = match.group(1)
    if raw.startswith(b"<"):
        data = bytes.fromhex(raw[1:-1].decode().replace(" ", ""))
        return data[2:].decode("utf-16-be") if data.startswith(b"\xfe\xff") else data.decode("latin-1")
    return re.sub(rb"\\(.)", rb"\1", raw[1:-1]).decode("latin-1")


def _page_count(objects: bytes) -> int:
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", objects)]
    return max(counts, default=0)


def _sign(user, procurement, step, slot, sha, *, comment=""):
    return signoff_record(
        user=user,
        procurement_id=procurement.pk,
        step_id=step.pk,
        slot=slot,
        decision="approve",
        comment=comment,
        document_sha256=sha,
    )


def _new_dpa_version(procurement, user, marker: str):
    definition = DeliverableDefinition.objects.get(code="contract-dpa")
    body = f"%PDF-1.4\n% databehandleravtale {marker}\n".encode()
    return deliverable_version_add(
        user=user,
        procurement=procurement,
        definition=definition,
        file=SimpleUploadedFile(f"dba-{marker}.pdf", body, content_type="application/pdf"),
    )


def _contract_with_voided_signatures(world, make_procurement, *, joined=None, **options):
    """A procurement in the contract phase: go/no-go and award signed in earlier phases; the
    data processing agreement signed by every participant but the last on version 1, then
    version 2 uploaded (voiding those signatures) and signed again by the first participant
    only."""
    procurement = make_procurement(world, joined=joined, phase=phases.CONTRACT, **options)
    members = list(world.municipalities if joined is None else joined)
    step = GateStep.objects.get(gate__code="dpa", order=1)
    first = _new_dpa_version(procurement, world.coordinator, "v-first")
    for municipality in members[:-1]:
        _sign(world.chief_executive(municipality), procurement, step, municipality_slot(municipality.pk), first.sha256,
              comment=f"Godkjent for {municipality.name}")
    second = _new_dpa_version(procurement, world.coordinator, "v-second")
    _sign(world.chief_executive(members[0]), procurement, step, municipality_slot(members[0].pk), second.sha256)
    procurement.refresh_from_db()
    assert procurement.state == phases.CONTRACT
    return procurement, first, second


@pytest.fixture
def contract(collaboration, make_procurement):
    procurement, first, second = _contract_with_voided_signatures(collaboration, make_procurement)
    return collaboration, procurement, first, second


# ----------------------------------------------------------------------------- selector and HTML


class TestSelector:
    def test_reaches_every_gate_up_to_the_current_phase_with_live_and_void_signatures(self, contract):
        world, procurement, first, second = contract
        context = signoff_record_for_print(user=world.coordinator, procurement_id=procurement.pk)
        assert [g.gate.code for g in context["gates"]] == ["go-no-go", "award", "dpa"]
        assert [g.phase_status for g in context["gates"]] == ["done", "done", "current"]
        assert all(g.status.passed for g in context["gates"][:2])

        dpa = context["gates"][2]
        assert [row.version.number for row in dpa.versions] == [first.number, second.number]
        assert [row.is_current for row in dpa.versions] == [False, True]
        signatures = dpa.steps[0].signatures
        void = [s for s in signatures if s.is_void]
        live = [s for s in signatures if not s.is_void]
        assert len(void) == 2 and all(s.voided_by == second and s.version == first for s in void)
        assert len(live) == 1 and live[0].version == second
        assert [slot.label for slot in dpa.steps[0].missing] == [m.name for m in world.municipalities[1:]]
        assert dpa.missing_count == 2

    def test_intake_has_no_gates_and_the_outsider_gets_does_not_exist(self, procurement, collaboration, make_collaboration):
        context = signoff_record_for_print(user=collaboration.coordinator, procurement_id=procurement.pk)
        assert context["gates"] == []
        outsider = make_collaboration(1, name="Annet samarbeid").coordinator
        with pytest.raises(Procurement.DoesNotExist):
            signoff_record_for_print(user=outsider, procurement_id=procurement.pk)

    def test_a_cancelled_procurement_shows_the_gates_up_to_the_phase_it_stopped_in(self, collaboration, make_procurement):
        procurement = make_procurement(collaboration, phase=phases.EVALUATION)
        procurement_transition(
            user=collaboration.coordinator, procurement_id=procurement.pk, transition="cancel", reason="Ingen tilbud."
        )
        context = signoff_record_for_print(user=collaboration.coordinator, procurement_id=procurement.pk)
        assert [(g.gate.code, g.phase_status) for g in context["gates"]] == [("go-no-go", "done"), ("award", "cancelled")]

    def test_a_closed_procurement_shows_every_gate_passed(self, collaboration, make_procurement):
        procurement = make_procurement(collaboration, phase=phases.CLOSED)
        context = signoff_record_for_print(user=collaboration.coordinator, procurement_id=procurement.pk)
        assert [g.gate.code for g in context["gates"]] == ["go-no-go", "award", "dpa", "acceptance"]
        assert all(g.status.passed and g.missing_count == 0 for g in context["gates"])

    def test_query_count_is_the_same_for_2_and_7_participants(self, make_collaboration, make_procurement):
        world = make_collaboration(7)
        small, *_ = _contract_with_voided_signatures(world, make_procurement, joined=world.municipalities[:2])
        large, *_ = _contract_with_voided_signatures(world, make_procurement, joined=world.municipalities)
        counts = []
        for procurement in (small, large):
            with CaptureQueriesContext(connection) as queries:
                context = signoff_record_for_print(user=world.coordinator, procurement_id=procurement.pk)
                render_html(SIGNOFF_RECORD_TEMPLATE, context)  # the template reads nothing more
            counts.append(len(queries))
        assert len(context["participations"]) == 7
        assert counts[0] == counts[1], counts


class TestTemplate:
    def test_names_every_signer_the_full_hashes_and_marks_void_signatures(self, contract):
        world, procurement, first, second = contract
        context = signoff_record_for_print(user=world.coordinator, procurement_id=procurement.pk)
        html = render_html(SIGNOFF_RECORD_TEMPLATE, context)

        signoffs = list(SignOff.objects.filter(procurement=procurement).select_related("person", "document_version"))
        assert len(signoffs) == 1 + 2 + 2 + 1  # go/no-go, award (2 steps), DPA v1 (void) and v2
        for signoff in signoffs:
            assert str(signoff.person) in html
            assert signoff.document_version.sha256 in html
        assert first.sha256 in html and second.sha256 in html and len(second.sha256) == 64
        assert html.count("UGYLDIG") == 2
        assert html.count(f"Ugyldig: erstattet av versjon {second.number}") == 2
        assert "Mangler signatur fra:" in html
        for municipality in world.municipalities:
            assert municipality.name in html
        assert "33,33 %" in html or "33.33 %" in html  # cost shares
        assert f"<title>Signaturprotokoll – {TITLE}</title>" in html
        assert str(world.coordinator) in html  # generated by

    def test_times_are_in_the_collaborations_time_zone(self, contract):
        world, procurement, first, second = contract
        world.collaboration.time_zone = "Asia/Tokyo"
        world.collaboration.save(update_fields=["time_zone"])
        context = signoff_record_for_print(user=world.coordinator, procurement_id=procurement.pk)
        html = render_html(SIGNOFF_RECORD_TEMPLATE, context)
        signoff = SignOff.objects.filter(procurement=procurement).latest("signed_at")
        tokyo = timezone.localtime(signoff.signed_at, world.collaboration.tzinfo)
        assert tokyo.utcoffset() == timedelta(hours=9)
        assert tokyo.strftime("%d.%m.%Y %H:%M") in html
        assert context["generated_at"].utcoffset() == timedelta(hours=9)
        assert "Asia/Tokyo" in html

    def test_english_labels_when_english_is_active(self, contract, settings):
        from django.utils import translation

        world, procurement, *_ = contract
        with translation.override("en"):
            context = signoff_record_for_print(user=world.coordinator, procurement_id=procurement.pk)
            html = render_html(SIGNOFF_RECORD_TEMPLATE, context)
        assert "Sign-off record" in html and "VOID" in html
        assert "Signaturprotokoll" not in html


# ----------------------------------------------------------------------------- the PDF and the view


class TestPdf:
    def test_weasyprint_renders_a_pdf_with_pages_text_and_metadata(self, contract):
        world, procurement, *_ = contract
        context = signoff_record_for_print(user=world.coordinator, procurement_id=procurement.pk)
        pdf = render_pdf(SIGNOFF_RECORD_TEMPLATE, context)
        objects = _pdf_objects(pdf)
        assert pdf.startswith(b"%PDF-")
        assert _page_count(objects) >= 1
        assert _pdf_info(objects, b"Title") == f"Signaturprotokoll – {TITLE}"
        assert _pdf_info(objects, b"Author") == str(world.coordinator)
        # Text was laid out with a real font (embedded DejaVu subsets) and drawn on the pages.
        assert re.search(rb"/FontName\s*/[A-Z]{6}\+DejaVu-?Sans", objects)
        assert b"/FontFile2" in objects
        assert re.search(rb"\]\s*TJ|\)\s*Tj|>\s*Tj", objects)

    def test_the_view_answers_an_inline_pdf_and_writes_the_audit_entry(self, client, contract):
        world, procurement, *_ = contract
        reader = world.chief_executive(world.municipalities[1])
        client.force_login(reader)
        before = AuditEntry.objects.filter(action="print.signoff_record").count()
        response = client.get(reverse("signoff_record_pdf", args=[procurement.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == f'inline; filename="signaturprotokoll-{procurement.pk}.pdf"'
        assert response.content.startswith(b"%PDF")
        assert _page_count(_pdf_objects(response.content)) >= 1
        entries = AuditEntry.objects.filter(action="print.signoff_record")
        assert entries.count() == before + 1
        entry = entries.latest("at")
        assert entry.actor == reader and entry.procurement_id == procurement.pk

    def test_an_outsider_gets_404_and_nothing_is_logged(self, client, procurement, make_collaboration):
        outsider = make_collaboration(1, name="Annet samarbeid").coordinator
        client.force_login(outsider)
        response = client.get(reverse("signoff_record_pdf", args=[procurement.pk]))
        assert response.status_code == 404
        assert not AuditEntry.objects.filter(action="print.signoff_record").exists()

    def test_an_unknown_procurement_is_404_and_anonymous_is_sent_to_log_in(self, client, procurement, collaboration):
        response = client.get(reverse("signoff_record_pdf", args=[procurement.pk]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        client.force_login(collaboration.coordinator)
        assert client.get(reverse("signoff_record_pdf", args=[procurement.pk + 999])).status_code == 404

    def test_the_procurement_page_links_to_the_record_once_the_phases_have_begun(self, client, contract, procurement):
        world, started, *_ = contract
        client.force_login(world.coordinator)
        response = client.get(reverse("procurement_detail", args=[started.pk]))
        assert reverse("signoff_record_pdf", args=[started.pk]).encode() in response.content
        assert "Last ned signaturprotokoll (PDF)" in response.content.decode()
        response = client.get(reverse("procurement_detail", args=[procurement.pk]))  # still in intake
        assert reverse("signoff_record_pdf", args=[procurement.pk]).encode() not in response.content


class TestNoNetwork:
    def test_the_url_fetcher_reads_only_data_urls_and_the_static_directory(self, settings):
        from pathlib import Path

        from core.pdf import LocalOnlyFetcher, static_base_url

        fetcher = LocalOnlyFetcher(Path(settings.BASE_DIR) / "static")
        for url in ("http://example.com/logo.png", "https://fonts.example.com/a.woff2", "ftp://example.com/x",
                    "file:///etc/passwd", static_base_url() + "../pyproject.toml"):
            with pytest.raises(ValueError):
                fetcher.fetch(url)
        assert fetcher.fetch("data:text/plain,hei").read() == b"hei"
        css = next((Path(settings.BASE_DIR) / "static" / "css").glob("*.css"))
        response = fetcher.fetch(css.as_uri())
        assert response.read(1)
        response.close()
