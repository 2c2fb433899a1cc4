"""The benefit table of a procurement and the portfolio of a collaboration as XLSX
(openpyxl), for the municipalities' finance staff: numbers as numbers, dates as dates, the
same visibility as the page (a municipality's people get their own rows)."""
from io import BytesIO

from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .selectors import PlanPage, Portfolio

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sheet(workbook, title: str, header: list[str], rows: list[list], *, first: bool = False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, min(40, len(name) + 4))
    return sheet


def _bytes(workbook) -> bytes:
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def plan_xlsx(page: PlanPage) -> bytes:
    workbook = Workbook()
    header = [
        gettext("Nr."), gettext("Gevinst"), gettext("Gevinsttype"), gettext("Kategori"), gettext("Hvem får gevinsten"),
        gettext("Indikator"), gettext("Måleenhet"), gettext("Metode for nullpunkt"), gettext("Målefrekvens"),
        gettext("Tiltak"), gettext("Forutsetninger"), gettext("Risiko"), gettext("Planlagt gevinst"), gettext("Kommune"),
        gettext("Gevinsteier"), gettext("Nullpunkt"), gettext("Dato for nullpunkt"), gettext("Målverdi"), gettext("Måldato"),
        gettext("Kr per år"), gettext("Timer per år"), gettext("Årsverk"), gettext("Siste måling"), gettext("Realisert kr per år"),
    ]
    rows, measurements = [], []
    for benefit in page.view.benefits:
        common = [
            benefit.code, benefit.title, benefit.type_label, benefit.category_label, benefit.beneficiaries, benefit.indicator,
            benefit.unit, benefit.baseline_method, benefit.frequency_label, benefit.measures, benefit.assumptions, benefit.risk,
            gettext("Ja") if benefit.planned else gettext("Nei"),
        ]
        for share in benefit.shares:
            rows.append(
                [
                    *common, share.municipality, share.owner, share.baseline_value, share.baseline_date, share.target_value,
                    share.target_date, share.amounts.nok_per_year, share.amounts.hours_per_year, round(share.fte, 4),
                    share.latest.value if share.latest else None, share.realised.nok_per_year if share.realised else None,
                ]
            )
            for m in share.measurements:
                measurements.append([benefit.code, share.municipality, m.measured_on, m.value, m.planned_value, m.explanation])
        if benefit.totals:
            rows.append(
                [*common, gettext("Samarbeidet totalt"), "", benefit.totals.baseline_value, None, benefit.totals.target_value, None,
                 benefit.totals.amounts.nok_per_year, benefit.totals.amounts.hours_per_year, round(benefit.totals.fte, 4), None, None]
            )
    sheet = _sheet(workbook, gettext("Gevinster"), header, rows, first=True)
    for column in ("Q", "S"):
        for cell in sheet[column][1:]:
            cell.number_format = "DD.MM.YYYY"
    sheet = _sheet(
        workbook,
        gettext("Målinger"),
        [gettext("Nr."), gettext("Kommune"), gettext("Dato"), gettext("Målt"), gettext("Planlagt"), gettext("Forklaring av avvik")],
        measurements,
    )
    for cell in sheet["C"][1:]:
        cell.number_format = "DD.MM.YYYY"
    return _bytes(workbook)


def portfolio_xlsx(portfolio: Portfolio) -> bytes:
    workbook = Workbook()
    _sheet(
        workbook,
        gettext("Anskaffelser"),
        [gettext("Anskaffelse"), gettext("Fase"), gettext("Gevinster"), gettext("Planlagt kr per år"), gettext("Realisert kr per år")],
        [
            [r.procurement.title, str(r.procurement.get_state_display()), r.benefits, r.planned.nok_per_year, r.realised.nok_per_year]
            for r in portfolio.rows
        ],
        first=True,
    )
    _sheet(
        workbook,
        gettext("Per kommune"),
        [gettext("Kommune"), gettext("Planlagt kr per år"), gettext("Realisert kr per år"), gettext("Planlagte timer per år")],
        [[name, p.nok_per_year, r.nok_per_year, p.hours_per_year] for name, p, r in portfolio.municipalities],
    )
    _sheet(
        workbook,
        gettext("Per år"),
        [gettext("År"), gettext("Planlagt kr per år"), gettext("Realisert kr per år")],
        [[year, planned, realised] for year, planned, realised in portfolio.years],
    )
    return _bytes(workbook)
