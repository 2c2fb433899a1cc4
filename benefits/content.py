"""The plan as data: what a frozen version stores (JSON: texts, codes, decimals as strings,
ISO dates) and what the page, a frozen version and the PDF all render from. The live plan
is turned into the same structure, so one template shows both."""
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from . import value
from .models import Benefit, BenefitCategory, BenefitPlan, BenefitType, Frequency, GainSharing

CONTENT_VERSION = 1


def plan_content(plan: BenefitPlan, benefits: list[Benefit]) -> dict:
    """PLAN and its BENEFITS (each with its shares prefetched, municipality and owner
    selected) as JSON-ready data."""
    return {
        "format": CONTENT_VERSION,
        "sections": {name: getattr(plan, name) for name in BenefitPlan.SECTIONS},
        "gain_sharing": {
            "kind": plan.gain_sharing,
            "amount": str(plan.gain_sharing_amount),
            "terms": plan.gain_sharing_terms,
        },
        "attachment": plan.attachment_name,
        "benefits": [
            {
                "id": benefit.pk,
                "number": benefit.number,
                "title": benefit.title,
                "type": benefit.type,
                "category": benefit.category,
                "beneficiaries": benefit.beneficiaries,
                "indicator": benefit.indicator,
                "unit": benefit.unit,
                "additive": benefit.additive,
                "baseline_method": benefit.baseline_method,
                "frequency": benefit.frequency,
                "measures": benefit.measures,
                "assumptions": benefit.assumptions,
                "risk": benefit.risk,
                "planned": benefit.planned,
                "shares": [
                    {
                        "id": share.pk,
                        "municipality_id": share.municipality_id,
                        "municipality": share.municipality.name,
                        "owner_id": share.owner_id,
                        "owner": str(share.owner),
                        "baseline_value": str(share.baseline_value),
                        "baseline_date": share.baseline_date.isoformat(),
                        "target_value": str(share.target_value),
                        "target_date": share.target_date.isoformat(),
                        "nok_per_year": str(share.nok_per_year),
                        "hours_per_year": str(share.hours_per_year),
                    }
                    for share in benefit.shares.all()
                ],
            }
            for benefit in benefits
        ],
    }


def content_sha256(content: dict) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


# --- For display ------------------------------------------------------------------------


@dataclass
class ShareView:
    id: int
    municipality_id: int
    municipality: str
    owner: str
    owner_id: int
    baseline_value: Decimal
    baseline_date: date
    target_value: Decimal
    target_date: date
    amounts: value.Amounts
    fte: Decimal
    measurements: list = field(default_factory=list)
    latest: object = None  # the newest measurement (live plan only)
    realised: value.Amounts | None = None
    editable: bool = False


@dataclass
class Totals:
    amounts: value.Amounts
    fte: Decimal
    baseline_value: Decimal | None = None
    target_value: Decimal | None = None


@dataclass
class BenefitView:
    id: int
    code: str
    title: str
    type_label: str
    category_label: str
    beneficiaries: str
    indicator: str
    unit: str
    additive: bool
    baseline_method: str
    frequency_label: str
    measures: str
    assumptions: str
    risk: str
    planned: bool
    shares: list[ShareView]
    totals: Totals | None = None  # of every municipality, for those who see the totals
    hidden_shares: int = 0  # rows of other municipalities this reader does not see


@dataclass
class PlanView:
    sections: list[tuple[str, str, str]]  # (field name, heading, text)
    gain_sharing_kind: str
    gain_sharing_label: str
    gain_sharing_amount: Decimal
    gain_sharing_terms: str
    attachment: str
    benefits: list[BenefitView]
    hours_per_fte: Decimal
    per_municipality: list[tuple[str, value.Amounts, Decimal]]  # (name, amounts, fte)
    total: Totals | None


def _label(choices, code) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return str(code)


def plan_view(content: dict, *, hours_per_fte: Decimal, visible: set[int] | None, sees_totals: bool) -> PlanView:
    """CONTENT for a reader who sees the rows of the municipalities in VISIBLE (None: all)
    and, when SEES_TOTALS, the sums over every municipality."""
    section_titles = {name: BenefitPlan._meta.get_field(name).verbose_name for name in BenefitPlan.SECTIONS}
    rows: list[value.Row] = []  # the rows this reader sees, for the sums per municipality
    all_rows: list[value.Row] = []  # every municipality's, for the collaboration's total
    names: dict[int, str] = {}
    benefits = []
    for item in content["benefits"]:
        shares = []
        every = []
        for share in item["shares"]:
            amounts = value.Amounts(Decimal(share["nok_per_year"]), Decimal(share["hours_per_year"]))
            view = ShareView(
                id=share["id"],
                municipality_id=share["municipality_id"],
                municipality=share["municipality"],
                owner=share["owner"],
                owner_id=share["owner_id"],
                baseline_value=Decimal(share["baseline_value"]),
                baseline_date=date.fromisoformat(share["baseline_date"]),
                target_value=Decimal(share["target_value"]),
                target_date=date.fromisoformat(share["target_date"]),
                amounts=amounts,
                fte=amounts.fte(hours_per_fte),
            )
            every.append(view)
            if visible is None or share["municipality_id"] in visible:
                shares.append(view)
            if visible is None or share["municipality_id"] in visible:
                rows.append(value.Row(share["municipality_id"], item["id"], amounts))
                names[share["municipality_id"]] = share["municipality"]
            if sees_totals:
                all_rows.append(value.Row(share["municipality_id"], item["id"], amounts))
        totals = None
        if sees_totals and every:
            amounts = value.total(value.Row(s.municipality_id, item["id"], s.amounts) for s in every)
            totals = Totals(
                amounts=amounts,
                fte=amounts.fte(hours_per_fte),
                baseline_value=sum((s.baseline_value for s in every), Decimal(0)) if item["additive"] else None,
                target_value=sum((s.target_value for s in every), Decimal(0)) if item["additive"] else None,
            )
        benefits.append(
            BenefitView(
                id=item["id"],
                code=f"G{item['number']}",
                title=item["title"],
                type_label=_label(BenefitType, item["type"]),
                category_label=_label(BenefitCategory, item["category"]),
                beneficiaries=item["beneficiaries"],
                indicator=item["indicator"],
                unit=item["unit"],
                additive=item["additive"],
                baseline_method=item["baseline_method"],
                frequency_label=_label(Frequency, item["frequency"]),
                measures=item["measures"],
                assumptions=item["assumptions"],
                risk=item["risk"],
                planned=item["planned"],
                shares=shares,
                totals=totals,
                hidden_shares=len(every) - len(shares),
            )
        )
    sums = value.per_municipality(rows)
    per_municipality = sorted(
        ((names[pk], amounts, amounts.fte(hours_per_fte)) for pk, amounts in sums.items()), key=lambda row: row[0]
    )
    total = None
    if sees_totals:
        amounts = value.total(all_rows)
        total = Totals(amounts=amounts, fte=amounts.fte(hours_per_fte))
    gain = content["gain_sharing"]
    return PlanView(
        sections=[(name, section_titles[name], content["sections"].get(name, "")) for name in BenefitPlan.SECTIONS],
        gain_sharing_kind=gain["kind"],
        gain_sharing_label=_label(GainSharing, gain["kind"]),
        gain_sharing_amount=Decimal(gain["amount"]),
        gain_sharing_terms=gain["terms"],
        attachment=content.get("attachment", ""),
        benefits=benefits,
        hours_per_fte=hours_per_fte,
        per_municipality=per_municipality,
        total=total,
    )
