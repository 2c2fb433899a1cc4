"""The PDF (page and shell) and the XLSX exports, read back."""
import re
import zlib
from datetime import date
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEntry
from benefits.printing import TEMPLATE
from benefits.selectors import plan_print
from benefits.services import measurement_record
from core.pdf import render_html

pytestmark = pytest.mark.django_db


def _objects(pdf: bytes) -> bytes:
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def _pages(objects: bytes) -> int:
    return max((int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", objects)), default=0)


@pytest.fixture
def measured(plan_world):
    world, procurement, benefit, shares = plan_world
    share = shares[0]
    measurement_record(
        user=world.representative(share.municipality), procurement=procurement, share_id=share.pk,
        measured_on=date(2026, 1, 1), value_measured=Decimal("9.5"), explanation="Sensorene kom sent.",
    )
    return plan_world


def test_the_print_has_the_benefits_baselines_owners_and_municipalities(measured):
    world, procurement, benefit, shares = measured
    page = plan_print(procurement=procurement)
    html = render_html(TEMPLATE, {"procurement": procurement, "municipality": None, "page": page, "latest_version": None, "printed_at": None})
    assert benefit.title in html and "Tidsregistrering to uker" in html
    for share in shares:
        assert share.municipality.name in html and str(share.owner) in html
    assert "Samarbeidet totalt" in html and "<svg" in html and "Sensorene kom sent." not in html  # measurements are the page's
    assert "Side" in html and "counter(pages)" in html
    one = plan_print(procurement=procurement, municipality_id=shares[1].municipality_id)
    html = render_html(TEMPLATE, {"procurement": procurement, "municipality": shares[1].municipality, "page": one, "latest_version": None, "printed_at": None})
    assert shares[1].municipality.name in html and shares[0].municipality.name not in html
    assert "Samarbeidet totalt" not in html


def _pdf_text(pdf: bytes) -> tuple[int, str]:
    """The pages of the PDF file and the text on them, parsed back from the bytes."""
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(pdf))
    return len(reader.pages), " ".join(page.extract_text() for page in reader.pages)


def test_the_pdf_file_carries_benefits_baselines_owners_and_municipalities(tmp_path, measured):
    world, procurement, benefit, shares = measured
    target = tmp_path / "plan.pdf"
    call_command("benefit_plan_pdf", str(procurement.pk), str(target), stdout=StringIO())
    pages, text = _pdf_text(target.read_bytes())
    text = " ".join(text.split())  # line breaks where the layout wrapped
    assert pages >= 2
    assert benefit.title in text and "Tidsregistrering to uker" in text
    for share in shares:
        assert share.municipality.name in text and str(share.owner) in text
    assert "01.01.2025" in text  # the baselines' date
    assert "Samarbeidet totalt" in text and "600" in text
    assert "ø" in text and "å" in text  # Norwegian letters survive
    one = tmp_path / "kommune.pdf"
    call_command(
        "benefit_plan_pdf", str(procurement.pk), str(one), "--municipality", shares[1].municipality.organisation_number, stdout=StringIO()
    )
    _pages_one, text_one = _pdf_text(one.read_bytes())
    assert shares[1].municipality.name in text_one and shares[0].municipality.name not in text_one


def test_the_pdf_from_the_page_is_audited(client, measured):
    world, procurement, _benefit, shares = measured
    client.force_login(world.coordinator)
    response = client.get(reverse("benefit_plan_pdf", args=[procurement.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    objects = _objects(response.content)
    assert response.content.startswith(b"%PDF-") and _pages(objects) >= 2  # cover and the plan
    assert re.search(rb"/FontName\s*/[A-Z]{6}\+DejaVu-?Sans", objects)
    assert AuditEntry.objects.filter(action="print.benefit_plan", actor=world.coordinator).count() == 1
    client.force_login(world.representative(shares[2].municipality))
    assert client.get(reverse("benefit_plan_pdf", args=[procurement.pk])).status_code == 200
    entry = AuditEntry.objects.filter(action="print.benefit_plan").latest("at")
    assert entry.municipality == shares[2].municipality  # only the reader's own municipality


def test_the_shell_command_writes_the_pdf(tmp_path, measured):
    world, procurement, _benefit, shares = measured
    target = tmp_path / "plan.pdf"
    out = StringIO()
    call_command("benefit_plan_pdf", str(procurement.pk), str(target), stdout=out)
    assert target.read_bytes().startswith(b"%PDF-") and "Skrev" in out.getvalue()
    one = tmp_path / "kommune.pdf"
    call_command("benefit_plan_pdf", str(procurement.pk), str(one), "--municipality", shares[0].municipality.organisation_number, stdout=out)
    assert one.read_bytes().startswith(b"%PDF-")
    assert len(one.read_bytes()) < len(target.read_bytes())


@pytest.mark.parametrize("case", ["unknown id", "not taking part"])
def test_the_shell_command_refuses_clearly(tmp_path, measured, make_collaboration, case):
    world, procurement, _benefit, _shares = measured
    stranger = make_collaboration(1).municipalities[0]
    args = [str(procurement.pk + 1000), str(tmp_path / "x.pdf")] if case == "unknown id" else [
        str(procurement.pk), str(tmp_path / "x.pdf"), "--municipality", stranger.organisation_number
    ]
    with pytest.raises(CommandError) as error:
        call_command("benefit_plan_pdf", *args)
    assert ("Fant ingen anskaffelse" if case == "unknown id" else "deltar ikke") in str(error.value)
    assert not (tmp_path / "x.pdf").exists()


def test_the_benefit_table_as_xlsx(client, measured):
    world, procurement, benefit, shares = measured
    client.force_login(world.coordinator)
    response = client.get(reverse("benefit_plan_xlsx", args=[procurement.pk]))
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    rows = list(book["Gevinster"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert "Gevinsteier" in header and "Nullpunkt" in header and "Årsverk" in header
    municipalities = [row[header.index("Kommune")] for row in body]
    assert municipalities == [*sorted(m.name for m in world.municipalities), "Samarbeidet totalt"]
    total = body[-1][header.index("Kr per år")]
    assert total == sum(row[header.index("Kr per år")] for row in body[:-1]) == 600000
    assert body[0][header.index("Dato for nullpunkt")].date() == date(2025, 1, 1)
    measurements = list(book["Målinger"].iter_rows(values_only=True))
    assert measurements[1][-1] == "Sensorene kom sent."
    client.force_login(world.representative(shares[1].municipality))
    book = load_workbook(BytesIO(client.get(reverse("benefit_plan_xlsx", args=[procurement.pk])).content))
    assert [row[13] for row in book["Gevinster"].iter_rows(min_row=2, values_only=True)] == [shares[1].municipality.name]


def test_the_portfolio_as_xlsx(client, measured):
    world, procurement, _benefit, _shares = measured
    client.force_login(world.coordinator)
    response = client.get(reverse("benefit_portfolio_xlsx", args=[world.collaboration.pk]))
    book = load_workbook(BytesIO(response.content))
    rows = list(book["Anskaffelser"].iter_rows(values_only=True))
    assert rows[1][0] == procurement.title and rows[1][3] == 600000
    assert len(list(book["Per kommune"].iter_rows(min_row=2))) == 3
