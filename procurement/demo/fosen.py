"""Fosen (seed 001): four municipalities without a committee of chief executives. Their own
template lets the regional council award the contract after the steering group has
quality-assured the recommendation. One procurement, a restricted tender among four
candidates, stands in the contract phase with the 14-day standstill period Fosen chose (longer
than the legal minimum) still running."""

from datetime import date, timedelta

from contracts.services import award_notice_send
from municipalities.roles import Role

from .. import phases
from ..models import CostSharingMethod, Funding, NeedKind, Procurement
from .seeder import DemoCollaboration, DemoMunicipality, DemoPerson, DemoProcurement, Seeder, TemplateWording, in_millions

NAME = "Fosen"

MEMBER_SINCE = date(2020, 1, 1)
AGREEMENT = "Avtale om digitaliseringssamarbeid i Fosen, vedtatt i Fosen regionråd 2019"
# Organisation numbers as registered in Enhetsregisteret. Populations are rounded (2024).
MUNICIPALITIES = [
    DemoMunicipality(slug, name, number, population, MEMBER_SINCE, AGREEMENT)
    for slug, name, number, population in [
        ("indre-fosen", "Indre Fosen", "944305483", 10_100),
        ("orland", "Ørland", "921806027", 10_600),
        ("afjord", "Åfjord", "921875533", 4_300),
        ("osen", "Osen", "944350675", 950),
    ]
]

STEERING, COUNCIL, SHARED_IT, BUYER = "steering_group", "regional_council", "shared_it", "procurement_office"
BODIES = {
    STEERING: "Styringsgruppa for digitalisering i Fosen",
    COUNCIL: "Fosen regionråd",
    SHARED_IT: "Fosen IKT",
    BUYER: "Innkjøp Fosen",
}

TEMPLATE = TemplateWording(
    note="Fosens prosess: styringsgruppa kvalitetssikrer innstillingen, regionrådet tildeler kontrakten.",
    gates={
        "award": {
            "name": "Tildeling av kontrakt (styringsgruppa og regionrådet)",
            "description": (
                "Innstillingen til tildeling kvalitetssikres i styringsgruppa og vedtas deretter i Fosen "
                "regionråd. Fosen har ikke noe eget utvalg av kommunedirektører."
            ),
        },
    },
    steps={
        ("award", 1): {"name": "Kvalitetssikring i styringsgruppa"},
        # The chair of the regional council signs the council's decision.
        ("award", 2): {
            "role": Role.MUNICIPAL_REPRESENTATIVE,
            "body_kind": COUNCIL,
            "name": "Vedtak i Fosen regionråd",
            "name_en": "Decision in the Fosen regional council",
        },
    },
)

MUNICIPAL_PEOPLE = {
    "indre-fosen": [("Eli", "Rørvik"), ("Kjell", "Vollan")],
    "orland": [("Stian", "Brekken"), ("Mona", "Garnes")],
    "afjord": [("Turid", "Fiskvik"), ("Arild", "Sæther")],
    "osen": [("Håkon", "Dypvik"), ("Berit", "Sandvik")],
}
MUNICIPAL_ROLES = [
    ("representant", Role.MUNICIPAL_REPRESENTATIVE, STEERING),
    ("kommunedirektor", Role.CHIEF_EXECUTIVE, None),
]
PEOPLE = [
    DemoPerson("koordinator.fosen", "Marte", "Fenstad", Role.COORDINATOR, body=STEERING),
    DemoPerson("innkjoper.fosen", "Arnt", "Hasselvold", Role.REGIONAL_BUYER, body=BUYER),
    DemoPerson("regionradsleder", "Ragnhild", "Strøm", Role.MUNICIPAL_REPRESENTATIVE, municipality="orland", body=COUNCIL),
] + [
    DemoPerson(f"{prefix}.{slug}", first, last, role, municipality=slug, body=body)
    for slug, names in MUNICIPAL_PEOPLE.items()
    for (prefix, role, body), (first, last) in zip(MUNICIPAL_ROLES, names, strict=True)
]

AUTHORS = [
    ("needs-", "representant.{lead}"),
    ("market-dialogue", "innkjoper.fosen"),
    ("procedure-", "innkjoper.fosen"),
    ("tender-", "innkjoper.fosen"),
    ("contract-award-notice", "innkjoper.fosen"),
]


def _finish_building_cases(seeder: Seeder, procurement: Procurement) -> None:
    """The award notice went to all four candidates six days ago with the 14-day standstill
    period Fosen chose; the data processing agreement is not signed yet."""
    award_notice_send(
        user=seeder.person("innkjoper.fosen"),
        procurement=procurement,
        sent_on=procurement.collaboration.today() - timedelta(days=6),
        standstill_days=14,
        note="Sendt samtidig til alle fire kandidatene. Fosen bruker 14 dagers karensperiode, lenger enn minstekravet.",
    )


PROCUREMENTS = [
    DemoProcurement(
        title="Digital byggesak for Fosen",
        lead="orland",
        kind=NeedKind.REPLACE,
        funding=Funding.ACTION_PLAN,
        estimated_value=3_200_000,
        description=(
            "Byggesaksbehandlingen i de fire kommunene er i dag delvis papirbasert og følger ulike "
            "arbeidsprosesser. Ørland ønsker en felles løsning for digital byggesøknad og "
            "saksbehandling, bygd på en analyse av dagens og ønsket arbeidsprosess, som første "
            "tjeneste i Fosens plan for å digitalisere de kommunale tjenestene."
        ),
        benefit_plan=(
            "Utkast til gevinstrealiseringsplan\n\n"
            "Gevinst 1: Kortere saksbehandlingstid for byggesøknader, fra 6 til 3 uker i snitt.\n"
            "Gevinst 2: Færre mangelfulle søknader gjennom veiledning i søknadsløsningen.\n"
        ),
        context={},
        answers={"indre-fosen": (True, ""), "afjord": (True, ""), "osen": (True, "")},
        stop=phases.CONTRACT,
        cost_sharing=CostSharingMethod.POPULATION,
        texts={
            "needs-summary": (
                "Arbeidsprosessanalyse: dagens byggesaksprosess er kartlagt i alle fire kommunene, og en "
                "ønsket prosess er tegnet og tilpasset plan- og bygningsloven, organisasjonen og "
                "teknologien. Søkerne vil sende og følge søknaden digitalt; saksbehandlerne vil slippe å "
                "skanne og føre dobbelt."
            ),
            "strategy-decision-basis": (
                "Anbefaling: felles anskaffelse for alle fire kommunene. Byggesak er valgt som første "
                "tjeneste av om lag 230 kommunale tjenester, etter enighet i de fire kommuneledelsene. "
                "Verdien er anslått til 3,2 mill. kroner over fire år."
            ),
            "procedure-choice": (
                "Begrenset anbudskonkurranse: fire kandidater inviteres etter prekvalifisering. Felles "
                "tilbyderkonferanse for spørsmål, og hver tilbyder presenterer løsningen sin i 30 minutter."
            ),
            "evaluation-ranking": (
                "Innstilling til tildeling – Digital byggesak for Fosen\n\n"
                "Alle fire kandidatene leverte tilbud og presenterte løsningene sine. Rangering:\n"
                "1. Tilbyder 2 – 8,1 poeng\n2. Tilbyder 4 – 7,6 poeng\n3. Tilbyder 1 – 6,9 poeng\n"
                "4. Tilbyder 3 – 6,2 poeng\n\nStyringsgruppa innstiller på Tilbyder 2."
            ),
            "contract-award-notice": (
                "Valget er sendt alle fire tilbyderne samtidig med begrunnelse. Kontrakten signeres når "
                "klagefristen, 14 dager etter meddelelsen, har løpt ut."
            ),
        },
        finish=_finish_building_cases,
    ),
]


COLLABORATION = DemoCollaboration(
    name=NAME,
    country="NO",
    time_zone="Europe/Oslo",
    municipalities=MUNICIPALITIES,
    bodies=BODIES,
    people=PEOPLE,
    template=TEMPLATE,
    coordinator="koordinator.fosen",
    representative="representant",
    authors=AUTHORS,
    texts={},
    placeholder="{navn} for «{tittel}» er utarbeidet og gjennomgått i prosjektgruppa.",
    money=in_millions("mill. kroner"),
    procurements=PROCUREMENTS,
)
