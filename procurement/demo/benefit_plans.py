"""The demo's benefit-realisation plans, written through the benefit services as the people
would have done it: the coordinator writes the plan's texts and benefits, each joined
municipality's representative owns that municipality's part (its own baseline, target and
value), and in the welfare-technology platform (contract phase) and the route planning
(contract management) they record measurements over several periods, some behind plan with
the reason.

Dates are relative to the day the seed runs (baselines 18 months back, targets 18 months
ahead), so the demo always has a past to measure and a target still to reach. A plan that
already has benefits is left alone: running the seed again adds nothing."""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from benefits import value
from benefits.models import Benefit, BenefitPlan
from benefits.services import benefit_save, benefit_share_save, measurement_record, plan_update

from ..models import ParticipationStatus, Procurement

BASELINE_MONTHS_AGO = 18
TARGET_MONTHS_AHEAD = 18


def months_from(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class DemoBenefit:
    title: str
    type: str
    category: str
    beneficiaries: str
    indicator: str
    unit: str
    baseline_method: str
    measures: str
    assumptions: str
    risk: str
    # Per participating municipality (by slug; "*" for every one not named): baseline,
    # target, kroner a year and hours a year at the target.
    shares: dict[str, tuple[str, str, int, int]]
    additive: bool = True
    frequency: int = 3
    planned: bool = True
    # Per municipality slug: (months after the baseline, "on plan" or the reason it is behind).
    measurements: dict[str, list[tuple[int, str]]] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoPlan:
    rationale: str
    owner_responsibilities: str
    measures_and_risk: str
    baseline_follow_up: str
    benefit_map: str
    benefits: list[DemoBenefit]
    gain_sharing: str = "none"
    gain_sharing_amount: str = "0"
    gain_sharing_terms: str = ""


ON_PLAN = ""


def _value_at(baseline: Decimal, target: Decimal, start: date, end: date, on: date, reason: str) -> Decimal:
    """On plan: the planned value; behind: half of the way planned so far (a deviation the
    collaboration's 10 % tolerance does not cover once a third of the way is planned)."""
    planned = value.planned_value_at(baseline=baseline, baseline_date=start, target=target, target_date=end, on=on)
    if reason == ON_PLAN:
        return value.rounded(planned, 1)
    return value.rounded(baseline + (planned - baseline) / 2, 1)


def plan_ensure(seeder, procurement: Procurement, plan: DemoPlan | None) -> int:
    """Writes PLAN into PROCUREMENT's benefit plan unless it has benefits already; returns
    the number of benefits written."""
    if plan is None:
        return 0
    benefit_plan = BenefitPlan.objects.filter(procurement=procurement).first()
    if benefit_plan is not None and Benefit.objects.filter(plan=benefit_plan).exists():
        return 0
    coordinator = seeder.coordinator
    plan_update(
        user=coordinator,
        procurement=procurement,
        rationale=plan.rationale,
        owner_responsibilities=plan.owner_responsibilities,
        overview="Tabellen under viser hver gevinst med kommunenes egne nullpunkt, mål og eiere.",
        measures_and_risk=plan.measures_and_risk,
        baseline_follow_up=plan.baseline_follow_up,
        benefit_map=plan.benefit_map,
        gain_sharing=plan.gain_sharing,
        gain_sharing_amount=Decimal(plan.gain_sharing_amount),
        gain_sharing_terms=plan.gain_sharing_terms,
    )
    today = procurement.collaboration.today()
    start, end = months_from(today, -BASELINE_MONTHS_AGO), months_from(today, TARGET_MONTHS_AHEAD)
    slugs = {m.pk: slug for slug, m in seeder.municipalities.items()}
    joined = [
        slugs[pk]
        for pk in procurement.participations.filter(status=ParticipationStatus.JOINED)
        .order_by("municipality__name")
        .values_list("municipality_id", flat=True)
        if pk in slugs
    ]
    for item in plan.benefits:
        benefit = benefit_save(
            user=coordinator,
            procurement=procurement,
            title=item.title,
            type=item.type,
            category=item.category,
            beneficiaries=item.beneficiaries,
            indicator=item.indicator,
            unit=item.unit,
            additive=item.additive,
            baseline_method=item.baseline_method,
            frequency=item.frequency,
            measures=item.measures,
            assumptions=item.assumptions,
            risk=item.risk,
            planned=item.planned,
        )
        for slug in joined:
            numbers = item.shares.get(slug, item.shares.get("*"))
            if numbers is None:
                continue
            baseline, target, nok, hours = numbers
            owner = seeder.representative(slug)
            share = benefit_share_save(
                user=owner,
                procurement=procurement,
                benefit_id=benefit.pk,
                municipality_id=seeder.municipalities[slug].pk,
                owner_id=owner.pk,
                baseline_value=Decimal(baseline),
                baseline_date=start,
                target_value=Decimal(target),
                target_date=end,
                nok_per_year=Decimal(nok),
                hours_per_year=Decimal(hours),
            )
            for months, reason in item.measurements.get(slug, item.measurements.get("*", [])):
                on = months_from(start, months)
                if on > today:
                    continue
                measurement_record(
                    user=owner,
                    procurement=procurement,
                    share_id=share.pk,
                    measured_on=on,
                    value_measured=_value_at(share.baseline_value, share.target_value, start, end, on, reason),
                    explanation=reason,
                )
    return len(plan.benefits)


# --- The plans ---------------------------------------------------------------------------

TIME, AVOIDED, QUALITY = "time_saved", "avoided_cost", "better_quality"
BUDGET, ALTERNATIVE, ELSEWHERE, NON_PRICED = "budget_effect", "alternative_use", "priced_elsewhere", "non_priced"
SEVERAL_PERIODS = [(3, ON_PLAN), (6, ON_PLAN), (9, ON_PLAN), (12, ON_PLAN), (15, ON_PLAN)]

WELFARE = DemoPlan(
    rationale=(
        "Analoge trygghetsalarmer fases ut. En felles plattform for trygghetsalarm, digitalt tilsyn og "
        "medisindispensere skal gi tryggere hjemmeboende eldre og frigjøre tid i hjemmetjenesten i alle "
        "de sju kommunene. Hovedprodukter: plattformen, responsløsningen og integrasjonen mot fagsystemet."
    ),
    owner_responsibilities=(
        "Hver kommune realiserer sine egne gevinster (felles rutine, punkt 9). Gevinsteieren i kommunen "
        "svarer for tiltakene, for målingene hvert kvartal og for å forklare avvik."
    ),
    measures_and_risk=(
        "Opplæring av alle ansatte i hjemmetjenesten før oppstart; nye rutiner for nattilsyn. Risiko: "
        "treg innføring i små kommuner, dårlig mobildekning i fjellbygdene."
    ),
    baseline_follow_up="Nullpunktene ble målt over fire uker høsten før kontraktsinngåelsen; målingene gjentas hvert kvartal.",
    benefit_map="Digitalt tilsyn → færre unødvendige nattbesøk → frigjort tid → flere timer til brukerrettet arbeid.",
    gain_sharing="fte",
    gain_sharing_amount="1",
    gain_sharing_terms="Leverandøren får verdien av ett årsverk når regionen samlet har nådd målet for spart tid (seed 002).",
    benefits=[
        DemoBenefit(
            title="Færre unødvendige nattbesøk",
            type=TIME,
            category=ALTERNATIVE,
            beneficiaries="Hjemmetjenesten og brukerne som får sove",
            indicator="Tilsynsbesøk per natt",
            unit="besøk per natt",
            baseline_method="Telling i turnusplanen fire uker",
            measures="Digitalt tilsyn med sensorer hos brukere med nattlig tilsyn",
            assumptions="Brukerne og pårørende samtykker til digitalt tilsyn",
            risk="Falske alarmer gir flere utrykninger i starten",
            shares={
                "kongsberg": ("42", "25", 1_250_000, 1_900),
                "notodden": ("20", "12", 560_000, 850),
                "tinn": ("9", "5", 260_000, 400),
                "*": ("4", "2", 110_000, 170),
            },
            measurements={
                "kongsberg": SEVERAL_PERIODS,
                "notodden": [(3, ON_PLAN), (6, ON_PLAN), (12, "Sensorene ble levert fire måneder for sent."), (15, "Sensorene ble levert fire måneder for sent; innføringen er i gang.")],
                "flesberg": [(6, ON_PLAN), (12, ON_PLAN)],
            },
        ),
        DemoBenefit(
            title="Spart tid per hjemmebesøk",
            type=TIME,
            category=ALTERNATIVE,
            beneficiaries="Ansatte i hjemmetjenesten",
            indicator="Minutter dokumentasjon per besøk",
            unit="minutter",
            additive=False,
            baseline_method="Tidsregistrering to uker i hver kommune",
            measures="Mobil dokumentasjon i plattformen, med oppslag mot fagsystemet",
            assumptions="Nettbrett til alle ansatte; integrasjonen med fagsystemet virker",
            risk="Dobbeltregistrering til integrasjonen er på plass",
            shares={"kongsberg": ("9", "5", 900_000, 1_400), "*": ("10", "6", 90_000, 140)},
            measurements={
                "kongsberg": [(6, ON_PLAN), (12, ON_PLAN)],
                "rollag": [(12, "Dårlig mobildekning i deler av kommunen; ansatte dokumenterer på kontoret.")],
            },
        ),
        DemoBenefit(
            title="Færre avvik i legemiddelhåndteringen",
            type=QUALITY,
            category=NON_PRICED,
            beneficiaries="Brukere med medisindispenser",
            indicator="Avvik i legemiddelhåndteringen per år",
            unit="avvik per år",
            baseline_method="Kommunenes avvikssystem, siste hele år",
            measures="Medisindispensere med varsling ved glemt dose",
            assumptions="Apoteket fyller dispenserne ukentlig",
            risk="Brukere som ikke vil ha dispenser",
            frequency=12,
            shares={"kongsberg": ("31", "15", 0, 0), "notodden": ("14", "7", 0, 0)},
            measurements={"kongsberg": [(12, ON_PLAN)]},
        ),
    ],
)

SCHOOL = DemoPlan(
    rationale="Ett skoleadministrativt system for alle skolene gir felles rutiner for fravær, karakterer og kommunikasjon med foresatte.",
    owner_responsibilities="Skolefaglig ansvarlig i hver kommune eier gevinstene der.",
    measures_and_risk="Felles opplæring av skoleadministrasjonen; risiko for forsinket overgang fra dagens system.",
    baseline_follow_up="Nullpunkt målt i vårsemesteret; ny måling hvert halvår.",
    benefit_map="Felles system → færre manuelle registreringer → mer tid til elevene.",
    benefits=[
        DemoBenefit(
            title="Færre manuelle registreringer",
            type=TIME,
            category=ALTERNATIVE,
            beneficiaries="Skoleadministrasjonen",
            indicator="Timer manuell registrering per uke",
            unit="timer per uke",
            baseline_method="Egenregistrering to uker",
            measures="Fravær registreres av lærer i appen; foresatte melder fravær digitalt",
            assumptions="Alle foresatte har tilgang til appen",
            risk="Lav bruk blant foresatte",
            frequency=6,
            shares={"notodden": ("30", "12", 420_000, 900), "*": ("8", "3", 110_000, 240)},
        ),
    ],
)

ARCHIVE = DemoPlan(
    rationale="Felles sak- og arkivsystem skal gi én arkivpraksis i regionen og enklere innsyn for innbyggerne.",
    owner_responsibilities="Arkivleder i hver kommune.",
    measures_and_risk="Felles arkivplan og opplæring; risiko: migrering av gamle arkiver.",
    baseline_follow_up="Nullpunkt fra dagens journalføringsstatistikk.",
    benefit_map="Felles system → automatisk journalføring → kortere tid per innsynskrav.",
    benefits=[
        DemoBenefit(
            title="Kortere behandlingstid for innsynskrav",
            type=QUALITY,
            category=NON_PRICED,
            beneficiaries="Innbyggere og presse",
            indicator="Dager fra innsynskrav til svar",
            unit="dager",
            additive=False,
            baseline_method="Gjennomsnitt fra postjournalen siste år",
            measures="Automatisk journalføring fra e-post",
            assumptions="Alle saksbehandlere bruker systemet",
            risk="Ulik praksis i kommunene",
            shares={"*": ("5", "2", 0, 0)},
        ),
        DemoBenefit(
            title="Unngått lisenskostnad for egne arkivsystemer",
            type=AVOIDED,
            category=BUDGET,
            beneficiaries="Kommunenes budsjetter",
            indicator="Lisenskostnad per år",
            unit="kroner",
            baseline_method="Dagens lisensavtaler",
            measures="Si opp dagens avtaler når migreringen er ferdig",
            assumptions="Oppsigelsestid på ett år",
            risk="Dobbel lisens i overgangsåret",
            frequency=12,
            shares={"kongsberg": ("650000", "0", 650_000, 0), "*": ("90000", "0", 90_000, 0)},
        ),
    ],
)

CHATBOT = DemoPlan(
    rationale="En chatbot på kommunenes nettsider skal svare på vanlige spørsmål døgnet rundt.",
    owner_responsibilities="Leder for servicetorget i hver kommune.",
    measures_and_risk="Felles kunnskapsbase; risiko for feil svar.",
    baseline_follow_up="Nullpunkt fra sentralbordets statistikk.",
    benefit_map="Chatbot → færre telefoner om enkle spørsmål → mer tid til vanskelige saker.",
    benefits=[
        DemoBenefit(
            title="Færre telefoner til servicetorget",
            type=TIME,
            category=ALTERNATIVE,
            beneficiaries="Servicetorget",
            indicator="Telefoner per uke",
            unit="telefoner per uke",
            baseline_method="Sentralbordets statistikk fire uker",
            measures="Chatbot på nettsidene",
            assumptions="Innbyggerne finner chatboten",
            risk="Lav tillit til svarene",
            shares={"tinn": ("400", "250", 180_000, 300), "*": ("900", "600", 360_000, 600)},
        ),
    ],
)

BYGGESAK = DemoPlan(
    rationale="Digital byggesak for alle Fosen-kommunene gir raskere saksbehandling og færre mangelfulle søknader.",
    owner_responsibilities="Leder for byggesak i hver kommune.",
    measures_and_risk="Felles veiledning for søkere; risiko: ulike lokale rutiner.",
    baseline_follow_up="Nullpunkt fra KOSTRA og egne saksregistre.",
    benefit_map="Digital søknad → færre mangler → kortere saksbehandlingstid.",
    benefits=[
        DemoBenefit(
            title="Kortere saksbehandlingstid i byggesaker",
            type=QUALITY,
            category=ELSEWHERE,
            beneficiaries="Søkere og byggenæringen",
            indicator="Dager saksbehandlingstid",
            unit="dager",
            additive=False,
            baseline_method="KOSTRA, siste år",
            measures="Digital søknad med sjekkliste",
            assumptions="Søkerne bruker den digitale løsningen",
            risk="Papirsøknader fortsetter",
            shares={"*": ("35", "21", 150_000, 250)},
            measurements={"*": [(6, ON_PLAN), (12, "Ny saksbehandler under opplæring hele høsten.")]},
        ),
    ],
)

TILSYN = DemoPlan(
    rationale="En fælles platform for digitalt tilsyn skal give tryghed for borgerne og frigøre tid i hjemmeplejen.",
    owner_responsibilities="Hver kommune realiserer sine egne gevinster; lederen af hjemmeplejen er gevinstejer.",
    measures_and_risk="Oplæring af medarbejdere; risiko for langsom udrulning.",
    baseline_follow_up="Nulpunkt målt over fire uger.",
    benefit_map="Digitalt tilsyn → færre natlige besøg → frigjort tid.",
    benefits=[
        DemoBenefit(
            title="Færre natlige tilsynsbesøg",
            type=TIME,
            category=ALTERNATIVE,
            beneficiaries="Hjemmeplejen",
            indicator="Tilsynsbesøg per nat",
            unit="besøg per nat",
            baseline_method="Optælling i vagtplanen fire uger",
            measures="Kamera- og sensortilsyn efter samtykke",
            assumptions="Borgerne giver samtykke",
            risk="Falske alarmer",
            shares={"*": ("30", "18", 600_000, 900)},
        ),
    ],
)

ROUTES = DemoPlan(
    rationale="Felles ruteplanlegging for hjemmetjenesten i seks kommuner: kortere kjøring, mindre tid til planlegging og en arbeidsliste på mobilen. I drift siden akseptansetesten.",
    owner_responsibilities="Leder for hjemmetjenesten i hver kommune eier gevinstene og måler hvert kvartal i avtaleforvaltningen.",
    measures_and_risk="Opplæring av alle som planlegger turnus og ruter; risiko: dårlig mobildekning i fjellbygdene og vinterføre.",
    baseline_follow_up="Nullpunkt fra kjørebøkene og tidsregistrering de siste tre månedene før overgangen; målt hvert kvartal etterpå.",
    benefit_map="Automatisk ruteplan → kortere kjøring og mindre planlegging → frigjort tid → flere timer hos brukerne.",
    gain_sharing="percent",
    gain_sharing_amount="10",
    gain_sharing_terms="Leverandøren får 10 % av den realiserte verdien av spart kjøretid i avtaleperioden.",
    benefits=[
        DemoBenefit(
            title="Spart kjøretid i hjemmetjenesten",
            type=TIME,
            category=ALTERNATIVE,
            beneficiaries="Ansatte i hjemmetjenesten",
            indicator="Timer kjøring per uke",
            unit="timer per uke",
            baseline_method="Kjørebøkene, snitt av tre måneder",
            measures="Rutene planlegges i systemet med kart og besøkstider",
            assumptions="Alle besøk registreres i systemet",
            risk="Vinterføre og dårlig mobildekning",
            shares={"kongsberg": ("160", "120", 780_000, 2_000), "tinn": ("70", "55", 290_000, 760), "*": ("30", "24", 120_000, 300)},
            measurements={
                "kongsberg": SEVERAL_PERIODS,
                "tinn": [(3, ON_PLAN), (6, ON_PLAN), (9, ON_PLAN), (12, "Vinterføre og stengt vei over Haukeli; rutene ble lengre."), (15, "Vinterføre og stengt vei; rutene er på vei tilbake.")],
                "flesberg": [(6, ON_PLAN), (12, ON_PLAN)],
                "hjartdal": [(12, "Dårlig mobildekning; arbeidslisten lastes ikke ute hos brukerne.")],
            },
        ),
        DemoBenefit(
            title="Mindre tid til manuell ruteplanlegging",
            type=TIME,
            category=ALTERNATIVE,
            beneficiaries="Avdelingsledere og planleggere",
            indicator="Timer planlegging per uke",
            unit="timer per uke",
            baseline_method="Egenregistrering to uker",
            measures="Faste ruter kopieres og justeres automatisk",
            assumptions="Turnusen ligger i fagsystemet",
            risk="Dobbeltarbeid mens tavlen brukes parallelt",
            shares={"kongsberg": ("25", "8", 350_000, 880), "*": ("6", "2", 80_000, 200)},
            measurements={"kongsberg": [(6, ON_PLAN), (12, ON_PLAN), (15, ON_PLAN)], "nore-og-uvdal": [(12, ON_PLAN)]},
        ),
    ],
)

PLANS: dict[str, DemoPlan] = {
    "Ruteplanlegging i hjemmetjenesten": ROUTES,
    "Felles velferdsteknologiplattform": WELFARE,
    "Nytt skoleadministrativt system": SCHOOL,
    "Felles sak- og arkivsystem": ARCHIVE,
    "Innbyggerdialog og chatbot": CHATBOT,
    "Digital byggesak for Fosen": BYGGESAK,
    "Fælles platform for digitalt tilsyn": TILSYN,
}
