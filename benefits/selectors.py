"""Reads for the benefit screens: the plan page of a procurement, a frozen version, and the
portfolio of a collaboration. Visibility is applied here, once (benefits.access); the
queries do not grow with the number of benefits, municipalities or measurements."""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext

from municipalities.models import Collaboration, Municipality
from procurement.models import ParticipationStatus, Procurement
from procurement.selectors.access import procurements_visible

from . import charts, value
from .access import BenefitRights, benefit_rights
from .content import PlanView, plan_content, plan_view
from .models import Benefit, BenefitPlan, BenefitSettings, BenefitShare, Measurement, PlanVersion


def number_text(number: Decimal, places: int = 2) -> str:
    rounded = value.rounded(Decimal(number), places)
    if rounded == rounded.to_integral_value():
        rounded = rounded.quantize(Decimal(1))
    return number_format(rounded, force_grouping=True)


def day_text(day: date) -> str:
    return date_format(day, "d.m.Y")


def visible_procurement(*, user, procurement_id: int) -> Procurement:
    try:
        return procurements_visible(user=user).select_related("collaboration", "lead_municipality").get(pk=procurement_id)
    except Procurement.DoesNotExist:
        raise Http404 from None


def participant(*, procurement: Procurement, municipality_id: int) -> Municipality | None:
    """MUNICIPALITY_ID if it takes part in PROCUREMENT."""
    return Municipality.objects.filter(
        pk=municipality_id, participations__procurement=procurement, participations__status=ParticipationStatus.JOINED
    ).first()


def settings_for(collaboration_id: int) -> BenefitSettings:
    return BenefitSettings.objects.filter(collaboration_id=collaboration_id).first() or BenefitSettings(
        collaboration_id=collaboration_id
    )


@dataclass
class ChartView:
    svg: str
    caption: str
    unit: str
    rows: list[tuple[str, str, str]]  # (date, planned, realised) for the table


@dataclass
class PlanPage:
    procurement: Procurement
    plan: BenefitPlan
    rights: BenefitRights
    view: PlanView
    settings: BenefitSettings
    versions: list[PlanVersion]
    charts: list[ChartView] = field(default_factory=list)
    municipality_charts: list[ChartView] = field(default_factory=list)
    realised_total: value.Amounts | None = None
    add_rows: list["AddRow"] = field(default_factory=list)
    gain_share: Decimal | None = None  # the supplier's share of what is realised now, kroner a year


@dataclass(frozen=True)
class AddRow:
    """A municipality this reader may add its own part of a benefit for."""

    benefit_id: int
    id: int
    name: str


def _share_chart(benefit, share, measurements: list[Measurement]) -> ChartView:
    planned = ((share.baseline_date, share.baseline_value), (share.target_date, share.target_value))
    realised = ((share.baseline_date, share.baseline_value), *((m.measured_on, m.value) for m in measurements))
    chart_id = f"chart-share-{share.id}"
    title = gettext("%(code)s i %(municipality)s: planlagt og realisert") % {"code": benefit.code, "municipality": share.municipality}
    svg = charts.line_chart(
        chart_id=chart_id,
        title=title,
        description=gettext("%(indicator)s fra nullpunkt %(baseline)s til mål %(target)s %(unit)s; %(count)d målinger.")
        % {
            "indicator": benefit.indicator,
            "baseline": number_text(share.baseline_value),
            "target": number_text(share.target_value),
            "unit": benefit.unit,
            "count": len(measurements),
        },
        series=[
            charts.Series(gettext("Planlagt"), "planned", planned),
            charts.Series(gettext("Realisert"), "realised", realised if measurements else ()),
        ],
        unit=benefit.unit,
        number=number_text,
        day=day_text,
    )
    rows = [(day_text(share.baseline_date), number_text(share.baseline_value), number_text(share.baseline_value))]
    rows += [(day_text(m.measured_on), number_text(m.planned_value), number_text(m.value)) for m in measurements]
    rows.append((day_text(share.target_date), number_text(share.target_value), ""))
    return ChartView(svg=svg, caption=title, unit=benefit.unit, rows=rows)


def realised_amounts(share, latest: Measurement | None) -> value.Amounts:
    if latest is None:
        return value.Amounts()
    return share.amounts.scaled(value.realised_share(baseline=share.baseline_value, target=share.target_value, value=latest.value))


def _planned_amounts_at(share, on: date) -> value.Amounts:
    planned = value.planned_value_at(
        baseline=share.baseline_value, baseline_date=share.baseline_date, target=share.target_value, target_date=share.target_date, on=on
    )
    return share.amounts.scaled(value.realised_share(baseline=share.baseline_value, target=share.target_value, value=planned))


def kroner_over_time(shares: list) -> tuple[list[date], list[Decimal], list[Decimal]]:
    """Planned and realised kroner a year for SHARES (ShareViews with their measurements),
    on every date something was measured or was due."""
    days = sorted({d for s in shares for d in (s.baseline_date, s.target_date, *(m.measured_on for m in s.measurements))})
    planned, realised = [], []
    for on in days:
        planned.append(sum((_planned_amounts_at(s, on).nok_per_year for s in shares), Decimal(0)))
        realised.append(
            sum(
                (realised_amounts(s, next((m for m in reversed(s.measurements) if m.measured_on <= on), None)).nok_per_year for s in shares),
                Decimal(0),
            )
        )
    return days, planned, realised


def _kroner_chart(chart_id: str, title: str, shares: list) -> ChartView:
    days, planned, realised = kroner_over_time(shares)
    measured = any(s.measurements for s in shares)
    today = timezone.localdate()
    unit = gettext("kr per år")
    svg = charts.line_chart(
        chart_id=chart_id,
        title=title,
        description=gettext("Planlagt og realisert verdi i kroner per år over tid."),
        series=[
            charts.Series(gettext("Planlagt"), "planned", tuple(zip(days, planned, strict=True))),
            charts.Series(
                gettext("Realisert"), "realised", tuple((d, r) for d, r in zip(days, realised, strict=True) if d <= today) if measured else ()
            ),
        ],
        unit=unit,
        number=lambda n: number_text(n, 0),
        day=day_text,
    )
    rows = [
        (day_text(d), number_text(p, 0), number_text(r, 0) if measured and d <= today else "")
        for d, p, r in zip(days, planned, realised, strict=True)
    ]
    return ChartView(svg=svg, caption=title, unit=unit, rows=rows)


def plan_page(*, user, procurement_id: int, with_charts: bool = True) -> PlanPage:
    procurement = visible_procurement(user=user, procurement_id=procurement_id)
    return _plan_page(procurement, benefit_rights(user=user, procurement=procurement), with_charts=with_charts)


def print_rights(procurement: Procurement, municipality_id: int | None = None) -> BenefitRights:
    """What a printout shows: the whole plan with the totals, or one municipality's rows."""
    participants = frozenset(
        procurement.participations.filter(status=ParticipationStatus.JOINED).values_list("municipality_id", flat=True)
    )
    whole = municipality_id is None
    return BenefitRights(
        can_view=True,
        can_edit_plan=False,
        sees_all=whole,
        sees_totals=whole,
        own=participants if whole else frozenset({municipality_id}),
        participants=participants,
        can_write=False,
    )


def plan_print(*, procurement: Procurement, municipality_id: int | None = None) -> PlanPage:
    """The plan for the PDF: whole, or for one municipality that takes part. The caller has
    checked that the reader may see the procurement."""
    return _plan_page(procurement, print_rights(procurement, municipality_id), with_charts=True)


def _plan_page(procurement: Procurement, rights: BenefitRights, *, with_charts: bool) -> PlanPage:
    plan = BenefitPlan.objects.filter(procurement=procurement).first() or BenefitPlan(procurement=procurement)
    settings = settings_for(procurement.collaboration_id)
    benefits: list[Benefit] = []
    measurements: dict[int, list[Measurement]] = defaultdict(list)
    if plan.pk:
        shares = BenefitShare.objects.select_related("municipality", "owner").order_by("municipality__name")
        benefits = list(plan.benefits.prefetch_related(Prefetch("shares", queryset=shares)))
        readable = Measurement.objects.filter(share__benefit__plan=plan).select_related("recorded_by")
        if rights.visible is not None:
            readable = readable.filter(share__municipality_id__in=rights.visible)
        for measurement in readable.order_by("measured_on", "id"):
            measurements[measurement.share_id].append(measurement)
    view = plan_view(plan_content(plan, benefits), hours_per_fte=settings.hours_per_fte, visible=rights.visible, sees_totals=rights.sees_totals)
    page = PlanPage(
        procurement=procurement,
        plan=plan,
        rights=rights,
        view=view,
        settings=settings,
        versions=list(PlanVersion.objects.filter(plan_id=plan.pk).select_related("created_by")) if plan.pk else [],
    )
    realised = value.Amounts()
    by_municipality: dict[str, list] = defaultdict(list)
    for benefit in view.benefits:
        for share in benefit.shares:
            share.measurements = measurements.get(share.id, [])
            share.latest = share.measurements[-1] if share.measurements else None
            share.realised = realised_amounts(share, share.latest)
            share.editable = rights.may_edit_share(share.municipality_id)
            realised = realised + share.realised
            by_municipality[share.municipality].append(share)
            if with_charts:
                page.charts.append(_share_chart(benefit, share, share.measurements))
    page.realised_total = realised
    if rights.sees_totals and view.total is not None and plan.gain_sharing != value.GAIN_SHARE_NONE:
        page.gain_share = value.gain_share(
            kind=plan.gain_sharing,
            amount=plan.gain_sharing_amount,
            realised_nok=realised.nok_per_year,
            planned_nok=view.total.amounts.nok_per_year,
            fte_value=value.fte_value_nok(hours_per_fte=settings.hours_per_fte, hourly_cost=settings.hourly_cost),
        )
    writable = [pk for pk in rights.own if rights.may_edit_share(pk)]
    if writable and view.benefits:
        names = dict(Municipality.objects.filter(pk__in=writable).values_list("pk", "name"))
        for benefit in view.benefits:
            present = {s.municipality_id for s in benefit.shares}
            page.add_rows += [AddRow(benefit.id, pk, names[pk]) for pk in sorted(names, key=names.get) if pk not in present]
    if with_charts:
        for name, shares in sorted(by_municipality.items()):
            page.municipality_charts.append(
                _kroner_chart(
                    f"chart-municipality-{shares[0].municipality_id}",
                    gettext("%(municipality)s: planlagt og realisert verdi") % {"municipality": name},
                    shares,
                )
            )
    return page


def plan_version_page(*, user, procurement_id: int, number: int) -> tuple[Procurement, PlanVersion, PlanView]:
    procurement = visible_procurement(user=user, procurement_id=procurement_id)
    version = PlanVersion.objects.filter(plan__procurement=procurement, number=number).select_related("created_by").first()
    if version is None:
        raise Http404
    rights = benefit_rights(user=user, procurement=procurement)
    settings = settings_for(procurement.collaboration_id)
    view = plan_view(version.content, hours_per_fte=settings.hours_per_fte, visible=rights.visible, sees_totals=rights.sees_totals)
    return procurement, version, view


# --- The portfolio of a collaboration ---------------------------------------------------------


@dataclass
class PortfolioRow:
    procurement: Procurement
    planned: value.Amounts
    realised: value.Amounts
    benefits: int

    @property
    def percent(self) -> Decimal | None:
        if not self.planned.nok_per_year:
            return None
        return value.rounded(self.realised.nok_per_year * 100 / self.planned.nok_per_year, 0)

    @property
    def on_track(self) -> bool | None:
        percent = self.percent
        return None if percent is None else percent >= 100


@dataclass
class Portfolio:
    collaboration: Collaboration
    rows: list[PortfolioRow]
    municipalities: list[tuple[str, value.Amounts, value.Amounts]]
    years: list[tuple[int, Decimal, Decimal]]
    total_planned: value.Amounts
    total_realised: value.Amounts
    chart: ChartView | None
    hours_per_fte: Decimal


def collaborations_for_portfolio(*, user) -> list[Collaboration]:
    """The collaborations whose portfolio USER sees: those whose procurements they run."""
    ids = {p.collaboration_id for p in procurements_visible(user=user).only("collaboration_id") if user.has_perm("procurement.manage_procurement", p)}
    return list(Collaboration.objects.filter(pk__in=ids).order_by("name"))


def portfolio(*, user, collaboration_id: int) -> Portfolio:
    """Every procurement of the collaboration that USER runs, with what its benefits
    promised and what was realised, per municipality and per year. A fixed number of
    queries whatever the number of procurements."""
    collaboration = Collaboration.objects.filter(pk=collaboration_id).first()
    if collaboration is None or not user.has_perm("municipalities.coordinate_collaboration", collaboration):
        raise Http404
    settings = settings_for(collaboration.pk)
    procurements = list(procurements_visible(user=user).filter(collaboration=collaboration).order_by("title"))
    shares = list(
        BenefitShare.objects.filter(benefit__plan__procurement__in=procurements)
        .select_related("municipality", "benefit__plan")
        .prefetch_related(Prefetch("measurements", queryset=Measurement.objects.order_by("measured_on", "id")))
    )
    per_procurement: dict[int, list[BenefitShare]] = defaultdict(list)
    for share in shares:
        per_procurement[share.benefit.plan.procurement_id].append(share)
    rows, municipal = [], defaultdict(lambda: (value.Amounts(), value.Amounts()))
    years: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for procurement in procurements:
        planned, realised = value.Amounts(), value.Amounts()
        mine = per_procurement.get(procurement.pk, [])
        for share in mine:
            measured = list(share.measurements.all())
            got = realised_amounts(share, measured[-1] if measured else None)
            planned, realised = planned + share.amounts, realised + got
            before = municipal[share.municipality.name]
            municipal[share.municipality.name] = (before[0] + share.amounts, before[1] + got)
            for year in range(share.baseline_date.year, max(share.target_date.year, timezone.localdate().year) + 1):
                end = date(year, 12, 31)
                years[year][0] += _planned_amounts_at(share, end).nok_per_year
                latest = next((m for m in reversed(measured) if m.measured_on <= end), None)
                years[year][1] += realised_amounts(share, latest).nok_per_year
        rows.append(PortfolioRow(procurement, planned, realised, len({s.benefit_id for s in mine})))
    year_rows = [(year, planned, realised) for year, (planned, realised) in sorted(years.items())]
    chart = None
    if year_rows:
        this_year = timezone.localdate().year
        title = gettext("%(collaboration)s: planlagt og realisert verdi per år") % {"collaboration": collaboration}
        svg = charts.line_chart(
            chart_id="chart-portfolio",
            title=title,
            description=gettext("Summen av alle anskaffelsenes gevinster i kroner per år, ved utgangen av hvert år."),
            series=[
                charts.Series(gettext("Planlagt"), "planned", tuple((date(y, 12, 31), p) for y, p, _r in year_rows)),
                charts.Series(gettext("Realisert"), "realised", tuple((date(y, 12, 31), r) for y, _p, r in year_rows if y <= this_year)),
            ],
            unit=gettext("kr per år"),
            number=lambda n: number_text(n, 0),
            day=lambda d: str(d.year),
        )
        chart = ChartView(
            svg=svg,
            caption=title,
            unit=gettext("kr per år"),
            rows=[(str(y), number_text(p, 0), number_text(r, 0) if y <= this_year else "") for y, p, r in year_rows],
        )
    return Portfolio(
        collaboration=collaboration,
        rows=rows,
        municipalities=sorted((name, p, r) for name, (p, r) in municipal.items()),
        years=year_rows,
        total_planned=value.total(value.Row(0, 0, r.planned) for r in rows),
        total_realised=value.total(value.Row(0, 0, r.realised) for r in rows),
        chart=chart,
        hours_per_fte=settings.hours_per_fte,
    )
