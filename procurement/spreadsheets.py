"""The dashboard's list as an Excel workbook: the columns the screen shows, one row per
procurement, written row by row (openpyxl's write-only mode) so a long list does not build
the whole sheet in memory first."""
from collections.abc import Iterable
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .selectors.dashboard import DashboardRow

# Characters Excel would read as the start of a formula in a cell someone typed: a title
# such as "=HYPERLINK(...)" is written as text, never run.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
WIDTHS = (48, 28, 24, 24, 60, 12, 48, 56)


def _text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _header(sheet: Worksheet, titles: list[str]) -> list[WriteOnlyCell]:
    cells = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def dashboard_workbook(rows: Iterable[DashboardRow], *, url_of) -> tuple[bytes, int]:
    """The workbook's bytes and the number of procurements in it. URL_OF(procurement) is
    the absolute address of its page."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Anskaffelser"))
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    titles = [
        _("Anskaffelse"),
        _("Samarbeid"),
        _("Meldt inn av"),
        _("Fase"),
        _("Hva stopper den"),
        _("Neste frist"),
        _("Mangler signatur fra"),
        _("Lenke"),
    ]
    sheet.append(_header(sheet, titles))
    count = 0
    for row in rows:
        p, verdict = row.procurement, row.verdict
        blockers = verdict.blockers if p.is_open else []
        missing = "; ".join(f"{step.role_label}: {slot.label}" for step, slot in verdict.missing_signatures)
        deadline = WriteOnlyCell(sheet, value=row.next_deadline)
        deadline.number_format = "DD.MM.YYYY"
        sheet.append(
            [
                _text(p.title),
                _text(str(p.collaboration)),
                _text(str(p.lead_municipality or "")),
                _text(verdict.phase_label),
                _text("\n".join(blockers)),
                deadline,
                _text(missing),
                url_of(p),
            ]
        )
        count += 1
    out = BytesIO()
    book.save(out)
    return out.getvalue(), count
