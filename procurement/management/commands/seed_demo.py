"""Demo data for Kongsbergregionen: the seven municipalities, their bodies, one login per
role, and procurements standing in different phases.

Everything after the catalogue, the collaboration and the logins is made through the services,
as the people in the demo would have done it in the browser, so permissions, readiness and
the audit log are exactly what real use produces. Running the command again changes
nothing: rows are matched by natural keys and a procurement whose title already exists in
the collaboration is skipped. Each procurement is built in one transaction, so a failure halfway
leaves no half-made case behind for the next run to skip."""
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.apps import apps as django_apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from stdnum.no import orgnr

from contracts.services import award_notice_send
from municipalities.models import Body, Collaboration, Membership, Municipality, Person, RoleAssignment
from municipalities.roles import Role
from municipalities.services import role_assign
from procurement import phases
from procurement.catalogue_seed import national_template_ensure
from procurement.models import (
    CostSharingMethod,
    Decision,
    DeliverableKind,
    Funding,
    GateDefinition,
    InformationInitiative,
    NeedKind,
    ParticipationStatus,
    PhaseDefinition,
    ProcessTemplate,
    Procurement,
    StepScope,
)
from procurement.readiness import readiness_for
from procurement.services.deadlines import deadline_add, phases_open_for_deadlines
from procurement.services.deliverables import checklist_item_set, deliverable_version_add
from procurement.services.intake import (
    cost_shares_set,
    initiative_report,
    invitation_answer,
    invitations_send,
    procurement_report,
)
from procurement.services.lifecycle import procurement_transition
from procurement.services.process import process_version_current, process_version_draft_from, process_version_publish
from procurement.services.signoffs import signoff_record

COLLABORATION_NAME = "Kongsbergregionen"

# Organisation numbers as registered in Enhetsregisteret; every one is checked with the
# mod-11 check digit before anything is written. Populations are rounded (2024).
MUNICIPALITIES = [
    # slug, name, organisation number, population
    ("kongsberg", "Kongsberg", "942402465", 28_000),
    ("flesberg", "Flesberg", "940898862", 2_800),
    ("rollag", "Rollag", "964963282", 1_400),
    ("nore-og-uvdal", "Nore og Uvdal", "964950946", 2_500),
    ("notodden", "Notodden", "938583986", 13_300),
    ("hjartdal", "Hjartdal", "964963649", 1_600),
    ("tinn", "Tinn", "864963552", 5_700),
]

# The common routine was approved by SuksIT and RMU in 2019 (seed 000).
MEMBER_SINCE = date(2019, 6, 1)

# Kongsbergregionen's bodies, by the kinds of body the process template's gates name.
STEERING, EXECUTIVE, SHARED_IT = "steering_group", "executive_committee", "shared_it"
ARCHIVE, PRIVACY, BUYER = "archive_network", "data_protection", "procurement_office"
BODIES = {
    STEERING: "SuksIT",
    EXECUTIVE: "Rådmannsutvalget (RMU)",
    SHARED_IT: "K-IKT",
    ARCHIVE: "Arkivnettverket",
    PRIVACY: "Personvernombud",
    BUYER: "Regional innkjøper",
}

# Kongsbergregionen's own process: the national template with its own bodies named in the
# gates (seed 000 points 5 and 7). Applied once, when the region's template is made.
OWN_WORDING = {
    "go-no-go": ("Beslutning i SuksIT om å gjennomføre anskaffelsen", {1: "SuksIT beslutter"}),
    "award": ("Tildeling av kontrakt (SuksIT og RMU)", {1: "Kvalitetssikring i SuksIT", 2: "Godkjenning i RMU"}),
}

# username, first name, last name, role, municipality slug, body kind
REGIONAL_PEOPLE = [
    ("koordinator", "Ingrid", "Solberg", Role.COORDINATOR, None, STEERING),
    ("innkjoper", "Bjørn", "Aasen", Role.REGIONAL_BUYER, None, BUYER),
    ("arkitekt", "Eirik", "Lunde", Role.ICT_ARCHITECT, None, SHARED_IT),
    ("arkiv", "Marit", "Holm", Role.ARCHIVE_REPRESENTATIVE, None, ARCHIVE),
    ("personvern", "Hanne", "Brekke", Role.DATA_PROTECTION_OFFICER, None, PRIVACY),
    ("tillitsvalgt.kongsberg", "Per", "Kristiansen", Role.UNION_REPRESENTATIVE, "kongsberg", None),
    ("evaluator.kongsberg", "Silje", "Moen", Role.EVALUATOR, "kongsberg", None),
]

# Per municipality: SuksIT member, chief executive (also sits in RMU), user representative.
MUNICIPAL_PEOPLE = {
    "kongsberg": [("Thomas", "Berg"), ("Kari", "Andersen"), ("Lise", "Johansen")],
    "flesberg": [("Ola", "Haugen"), ("Anne", "Lie"), ("Tone", "Bakken")],
    "rollag": [("Knut", "Rud"), ("Gunnar", "Myhre"), ("Randi", "Tveit")],
    "nore-og-uvdal": [("Halvor", "Kjos"), ("Solveig", "Dahl"), ("Guro", "Strand")],
    "notodden": [("Espen", "Lia"), ("Trond", "Eriksen"), ("Camilla", "Larsen")],
    "hjartdal": [("Torleiv", "Flatland"), ("Aslaug", "Hegna"), ("Liv", "Nordbø")],
    "tinn": [("Vidar", "Sande"), ("Geir", "Halvorsen"), ("Hilde", "Moe")],
}
MUNICIPAL_ROLES = [
    ("suksit", Role.MUNICIPAL_REPRESENTATIVE, STEERING),
    ("kommunedirektor", Role.CHIEF_EXECUTIVE, EXECUTIVE),
    ("bruker", Role.USER_REPRESENTATIVE, None),
]

# Who writes which deliverable, by code prefix; "{lead}" is the lead municipality's slug.
AUTHORS = [
    ("needs-", "bruker.{lead}"),
    ("target-picture", "koordinator"),
    ("market-dialogue", "innkjoper"),
    ("strategy-", "koordinator"),
    ("procedure-", "innkjoper"),
    ("tender-requirements", "arkitekt"),
    ("tender-", "innkjoper"),
    ("evaluation-", "koordinator"),
    ("contract-award-notice", "innkjoper"),
    ("contract-dpa", "personvern"),
    ("contract-", "koordinator"),
    ("acceptance-", "koordinator"),
    ("management-", "koordinator"),
]

# Texts for the deliverables every procurement has, filled from the procurement's context.
# Procurements override the ones whose content is specific to the case.
GENERIC_TEXTS = {
    "needs-mandate": (
        "Prosjekteier er kommunalsjef for {sektor} i {lead} kommune; prosjektleder er koordinator "
        "for SuksIT. Behovsfasen skal kartlegge behovene til {brukere} i {kommuner}, og avsluttes "
        "med en oppsummering til SuksIT. Prosjektleder rapporterer til prosjekteier hver fjortende "
        "dag. Hver deltakerkommune stiller med én brukerrepresentant i om lag 20 % stilling i fasen."
    ),
    "needs-plan": (
        "Uke 1–2: tverrfaglig team etableres med brukerrepresentanter fra hver kommune, K-IKT, "
        "regional innkjøper og personvernombud.\n"
        "Uke 3–6: intervjuer og observasjon i {tjeneste}, og samtaler med driftspersonell i K-IKT.\n"
        "Uke 7: tall om dagens tjenestebehov og prognoser hentes fra kommunene og SSB.\n"
        "Uke 8: workshop om dagens tjenestereise og ønsket fremtidig forløp.\n"
        "Uke 9: oppsummering legges frem for SuksIT."
    ),
    "strategy-business-case": (
        "Nullalternativet er å videreføre dagens løsninger med hver sin avtale. Over en "
        "investeringsperiode på fem år er samlet kostnad for alternativet med felles anskaffelse "
        "beregnet til {verdi}, mot anslagsvis 20–25 % mer ved separate anskaffelser, fordi "
        "anskaffelsesprosessen, integrasjonene og opplæringen gjøres én gang. Forventede gevinster: "
        "{gevinst}. Gevinstene tas ut av hver kommune etter felles mal for gevinstrealisering."
    ),
    "strategy-mandate": (
        "Anskaffelsesgruppen får mandat til å gjennomføre anskaffelsen av {losning} på vegne av "
        "{kommuner}, innenfor en ramme på {verdi}, med regional innkjøper som ansvarlig for "
        "prosedyre og konkurransedokumenter. Gruppen rapporterer til SuksIT ved hver milepæl."
    ),
    "strategy-cooperation-agreement": (
        "Avtale mellom {kommuner} om felles anskaffelse av {losning}. Kostnadene til "
        "anskaffelsesprosessen fordeles etter innbyggertall. Hver kommune stiller med én "
        "brukerrepresentant og deltar i evalueringsgruppen. K-IKT stiller med arkitekt, "
        "Arkivnettverket og personvernombudet bidrar med sine krav. Avtalen gjelder til kontrakt "
        "er signert."
    ),
    "strategy-roles": (
        "Prosjekteier: kommunalsjef for {sektor} i {lead}. Prosjektleder: koordinator for SuksIT. "
        "Regional innkjøper: prosedyre og konkurransegrunnlag. K-IKT: arkitekturkrav og "
        "integrasjoner. Arkivnettverket: arkivkrav. Personvernombud: personvernkrav og "
        "databehandleravtale. Brukerrepresentantene: behov og tildelingskriterier. Tillitsvalgt "
        "inviteres til møtene i anskaffelsesgruppen."
    ),
    "strategy-action-plan": (
        "Anskaffelsesgruppen møtes annenhver tirsdag kl. 09–11 på Teams, med fysisk samling på "
        "Kongsberg ved hver milepæl. Referat sendes innen to virkedager etter møtet og regnes som "
        "godkjent hvis ingen merknad er kommet senest fire virkedager før neste møte. Milepæler "
        "rapporteres til SuksIT og RMU."
    ),
    "procedure-timeline": (
        "Kunngjøring på Doffin og TED: uke 10. Frist for spørsmål: uke 13. Tilbudsfrist: uke 16. "
        "Forhandlinger: uke 18–19. Endelige tilbud: uke 21. Evaluering: uke 22–23. SuksIT og RMU: "
        "uke 24. Meddelelse om tildeling og karensperiode: uke 25–27. Kontraktsignering: uke 28."
    ),
    "procedure-action-plan": (
        "Evalueringsgruppen består av brukerrepresentantene, K-IKT og regional innkjøper. Hver "
        "deltaker setter av to dager i uke 22 og én dag i uke 23. Kvalitet evalueres av "
        "brukerrepresentantene, tekniske krav av K-IKT, pris av regional innkjøper. Juridisk "
        "kvalitetssikring bestilles før innstillingen går til SuksIT."
    ),
    "procedure-implementation-plan": (
        "Innføringen starter i {lead} tre måneder etter kontraktsignering, deretter de øvrige "
        "kommunene i to puljer. Superbrukere læres opp først og lærer opp kollegene. K-IKT "
        "setter opp integrasjonene før første pulje. Akseptansetest gjennomføres før hver pulje "
        "settes i drift."
    ),
    "procedure-contract-management-plan": (
        "{lead} er kontraktseier på vegne av deltakerkommunene. Hver kommune har en lokal "
        "avtaleansvarlig som gjør avrop. Avtaleforvalter i SuksIT følger opp leverandøren med "
        "kvartalsvise statusmøter og årlig evaluering."
    ),
    "tender-documents": (
        "Konkurransegrunnlaget beskriver formålet ({losning}), kontraktsvilkår basert på SSA, "
        "kvalifikasjonskrav til økonomisk og teknisk kapasitet, gjennomføring av konkurransen "
        "({prosedyre}) og tildelingskriteriene: kvalitet 50 %, pris 30 %, gjennomføring og "
        "service 20 %."
    ),
    "tender-evaluation-model": (
        "Hvert kriterium gis 0–10 poeng, der hele skalaen brukes: beste besvarelse får 10, og de "
        "øvrige poengsettes forholdsmessig. Pris evalueres på totalkostnad over fire år med "
        "lineær modell. Poengene vektes med 50/30/20 og summeres."
    ),
    "evaluation-form": (
        "Evalueringsskjemaet er fylt ut av hver evaluator for hver tilbyder og hvert delkriterium, "
        "med begrunnelse for poengene. Skjemaene er samlet og gjennomgått i felles møte der "
        "avvik over to poeng mellom evaluatorene ble drøftet og begrunnet."
    ),
    "contract-signed": (
        "Kontrakt basert på SSA-D (driftsavtalen) og SSA-K (kjøpsavtalen) er signert av "
        "koordinator for SuksIT på vegne av deltakerkommunene etter at karensperioden løp ut uten "
        "klage. Kontrakten med bilag er sendt til kommunene og K-IKT for budsjettering av årlige "
        "vedlikeholdskostnader."
    ),
    "acceptance-form": "Skjema for akseptansetest er fylt ut for alle testscenarier.",
    "acceptance-approval": "Leveransen er godkjent etter gjennomført akseptansetest.",
    "management-roles": (
        "{lead} er avtaleeier. Avtaleforvalter i SuksIT følger opp leverandøren; hver kommune har "
        "en lokal avtaleansvarlig for avrop og avvik."
    ),
}


@dataclass
class DemoProcurement:
    title: str
    lead: str
    kind: str
    funding: str
    estimated_value: int
    description: str
    benefit_plan: str
    context: dict[str, str]
    # Municipality slug -> (joins, reason for declining); invited municipalities not listed
    # have not answered yet.
    answers: dict[str, tuple[bool, str]]
    # The phase the procurement is left in; intake means it never starts.
    stop: str
    cost_sharing: str = CostSharingMethod.POPULATION
    # Deliverable code -> text, or a list of (author username, section): one version per
    # section, each adding its section to the previous version.
    texts: dict[str, str | list[tuple[str, str]]] = field(default_factory=dict)
    # Called in the stop phase after its deliverables are in: leaves gates half-signed.
    finish: Callable[["Seeder", Procurement], None] | None = None
    # Deadlines the coordinator has set: (title, days from today, phase or "").
    deadlines: list[tuple[str, int, str]] = field(default_factory=list)


def _finish_welfare(seeder: "Seeder", procurement: Procurement) -> None:
    """The award notice went out four days ago, so the standstill period is still running;
    the data processing agreement is half-signed, and one signature was voided when the
    data protection officer corrected the list of sub-processors."""
    today = timezone.localdate(timezone=procurement.collaboration.tzinfo)
    award_notice_send(
        user=seeder.people["innkjoper"],
        procurement=procurement,
        sent_on=today - timedelta(days=4),
        note="Sendt samtidig til alle tre tilbyderne gjennom konkurransegjennomføringsverktøyet.",
    )
    seeder.sign(procurement, "dpa", only=["kongsberg"])
    seeder.add_version(
        procurement,
        "contract-dpa",
        "personvern",
        WELFARE_DPA
        + "\n\nVersjon 2: listen over underdatabehandlere er rettet; driftspartneren for "
        "alarmmottaket var utelatt i første versjon.",
    )
    seeder.sign(procurement, "dpa", only=["kongsberg", "flesberg", "notodden", "tinn"])


def _finish_school(seeder: "Seeder", procurement: Procurement) -> None:
    """SuksIT has quality-assured the award recommendation; RMU has not met yet."""
    seeder.sign(procurement, "award", steps=1)


WELFARE_DPA = (
    "Felles databehandleravtale etter personvernforordningen artikkel 28, basert på "
    "malen i statens standardavtaler. Behandlingsansvarlige er hver av deltakerkommunene; "
    "databehandler er valgt leverandør. Avtalen omfatter alarmdata, sensordata fra digitalt "
    "tilsyn og doseringshistorikk fra medisindispensere. Data lagres innenfor EØS, og "
    "bruk av underdatabehandlere krever forhåndsgodkjenning. Avviksmelding skal skje "
    "innen 24 timer."
)

DEMO_PROCUREMENTS = [
    DemoProcurement(
        title="Felles velferdsteknologiplattform",
        lead="kongsberg",
        kind=NeedKind.REPLACE,
        funding=Funding.ACTION_PLAN,
        estimated_value=14_000_000,
        description=(
            "Analoge trygghetsalarmer fases ut, og kommunene bruker i dag tre ulike leverandører "
            "med hver sin responsløsning. Kongsberg ønsker en felles plattform for trygghetsalarm, "
            "digitalt tilsyn og medisindispensere for hjemmetjenesten, omsorgsboligene og "
            "sykehjemmene i hele regionen, med integrasjon mot fagsystemet for helse og omsorg."
        ),
        benefit_plan=(
            "Utkast til gevinstrealiseringsplan (felles mal)\n\n"
            "Gevinst 1: Færre unødvendige nattbesøk. Nullpunkt: 42 tilsynsbesøk per natt i Kongsberg. "
            "Mål: 25 per natt innen to år. Ansvarlig: enhetsleder hjemmetjenesten.\n"
            "Gevinst 2: Færre feil i legemiddelhåndteringen. Nullpunkt: 31 avvik per år. "
            "Mål: halvering. Ansvarlig: fagsykepleier.\n"
            "Gevinst 3: Spart kjøretid tilsvarende 1,5 årsverk i regionen.\n"
        ),
        context={
            "sektor": "helse og omsorg",
            "tjeneste": "hjemmetjenesten, omsorgsboligene og sykehjemmene",
            "brukere": "hjemmeboende eldre, personer med kognitiv svikt, pårørende og ansatte",
            "losning": "en felles plattform for trygghetsalarm, digitalt tilsyn og medisindispensere",
            "gevinst": "færre unødvendige nattbesøk, færre feil i legemiddelhåndteringen og spart kjøretid",
            "prosedyre": "konkurranse med forhandling",
        },
        answers={slug: (True, "") for slug, *_ in MUNICIPALITIES if slug != "kongsberg"},
        stop=phases.CONTRACT,
        deadlines=[
            ("Alle kommunedirektører har signert databehandleravtalen", 10, phases.CONTRACT),
            ("Akseptansetest starter i Kongsberg", 60, phases.ACCEPTANCE_TEST),
        ],
        texts={
            "needs-summary": (
                "Vi har intervjuet 34 brukere, pårørende og ansatte og observert nattevakter i alle "
                "sju kommunene. Brukerne vil bo hjemme lenger og føle seg trygge; pårørende vil vite "
                "at noen reagerer når noe skjer. Ansatte bruker mye tid på tilsynsbesøk som viser at "
                "alt er i orden.\n\n"
                "Brukerhistorier (utvalg): «Som hjemmeboende med demens vil jeg at noen varsles hvis "
                "jeg går ut om natten, så jeg kan bo hjemme lenger.» «Som sykepleier vil jeg se "
                "alarmer og medisinvarsler i fagsystemet, så jeg slipper å føre dobbelt.»\n\n"
                "I dag: 1 850 trygghetsalarmer i regionen, forventet økning på 40 % til 2035 (SSB). "
                "Personvern: sensordata er helseopplysninger og krever DPIA. Drift: K-IKT trenger "
                "én responsløsning, 99,5 % oppetid og varsling ved feil på utstyr."
            ),
            "target-picture": (
                "Visjon: «Trygg i eget hjem – med riktig hjelp til riktig tid.»\n\n"
                "Kort sikt (2 år): alle trygghetsalarmer er digitale og går til ett felles "
                "responssenter; digitalt tilsyn erstatter minst 40 % av nattlige tilsynsbesøk.\n"
                "Lang sikt (5 år): medisindispensere for alle som kan bruke dem, og alarmer og "
                "hendelser dokumenteres automatisk i fagsystemet.\n\n"
                "Målbildet følger den felles digitaliseringsstrategien for Kongsbergregionen og "
                "kommunenes helse- og omsorgsplaner."
            ),
            "market-dialogue-summary": (
                "Dialogkonferansen ble kunngjort på Doffin med agenda og samlet 11 leverandører på "
                "Kongsberg. Etterpå hadde vi 25 minutters én-til-én-møter med seks av dem og mottok "
                "fire skriftlige innspill. Referansebesøk hos to kommuner i Vestfold.\n\n"
                "Læringspunkter: markedet tilbyr plattformer med åpne grensesnitt mot de vanligste "
                "fagsystemene; responstjeneste kan kjøpes som tjeneste eller driftes av kommunen; "
                "leie av utstyr er vanlig og gir enklere utskifting."
            ),
            "strategy-decision-basis": (
                "Anbefaling: gjennomføre en felles anskaffelse for alle sju kommuner.\n\n"
                "Behovskartleggingen, målbildet og markedsdialogen viser at behovet er felles og at "
                "markedet kan dekke det. Det skal anskaffes plattform, utstyr (leie) og "
                "responstjeneste, med opsjon på medisindispensere. Samlet verdi er anslått til "
                "14 mill. kroner over fire år, over EØS-terskelverdien. Å anskaffe sammen gir "
                "anslagsvis 3 mill. kroner lavere kostnad enn separate anskaffelser og én "
                "integrasjon mot fagsystemet i stedet for sju."
            ),
            "procedure-choice": (
                "Konkurranse med forhandling etter anskaffelsesforskriften del III, fordi "
                "tilgjengelige løsninger må tilpasses integrasjonen mot fagsystemet og "
                "responstjenesten. Kontraktsverdien er over EØS-terskelverdien, så konkurransen "
                "kunngjøres på Doffin og TED."
            ),
            "tender-requirements": [
                (
                    "arkitekt",
                    "Arkitekturkrav (K-IKT)\n\nMÅ: åpne grensesnitt (HL7 FHIR eller tilsvarende) mot "
                    "fagsystemet for helse og omsorg. MÅ: pålogging med kommunenes felles "
                    "identitetsløsning. BØR: hendelser fra sensorer samles i én varslingsflate.",
                ),
                (
                    "arkiv",
                    "Arkivkrav (Arkivnettverket)\n\nMÅ: dokumentasjon av alarmer og tiltak skal "
                    "kunne avleveres til fagsystemet og arkiveres etter arkivloven. BØR: "
                    "eksport av logger i åpent format.",
                ),
                (
                    "personvern",
                    "Personvernkrav (personvernombud)\n\nMÅ: behandling innenfor EØS. MÅ: "
                    "tilgangsstyring per tjenesteutøver og logging av innsyn. MÅ: innebygd "
                    "personvern i sensorinnstillingene. BØR: brukeren kan se hvilke sensorer "
                    "som er aktive.",
                ),
            ],
            "evaluation-minutes": (
                "Forhandlingsmøter ble holdt med alle tre tilbyderne i uke 18 og 19 etter samme "
                "agenda. Temaene var integrasjon mot fagsystemet, responstid og prismodell for leie "
                "av utstyr. Alle fikk skriftlig tilbakemelding og frist for reviderte tilbud."
            ),
            "evaluation-ranking": (
                "Innstilling til tildeling – Felles velferdsteknologiplattform\n\n"
                "Tre tilbud kom inn innen fristen, og alle ble kvalifisert. Rangering etter "
                "tildelingskriteriene (kvalitet 50 %, pris 30 %, gjennomføring og service 20 %):\n"
                "1. Tilbyder B – 8,6 poeng\n2. Tilbyder A – 7,9 poeng\n3. Tilbyder C – 6,4 poeng\n\n"
                "Evalueringsgruppen innstiller på å tildele kontrakten til Tilbyder B. Tilbudet har "
                "den beste integrasjonen mot fagsystemet, en ferdig responstjeneste med dokumentert "
                "responstid under fire minutter, og nest laveste totalkostnad over fire år."
            ),
            "contract-award-notice": (
                "Meddelelse om tildeling er sendt alle tre tilbyderne. Tilbyder B er innstilt til "
                "kontrakt, med begrunnelse per tildelingskriterium og uten forretningshemmeligheter. "
                "Karensperioden er ti dager fra meddelelsen; ingen klage er mottatt."
            ),
            "contract-dpa": WELFARE_DPA,
        },
        finish=_finish_welfare,
    ),
    DemoProcurement(
        title="Nytt skoleadministrativt system",
        lead="notodden",
        kind=NeedKind.REPLACE,
        funding=Funding.ACTION_PLAN,
        estimated_value=6_500_000,
        description=(
            "Avtalen for dagens skoleadministrative system går ut om 18 måneder. Notodden ønsker "
            "et nytt system for elevadministrasjon, fravær, vurdering, timeplan og kommunikasjon "
            "med foresatte, med innebygd personvern og integrasjon mot Feide, læringsplattformen "
            "og Folkeregisteret."
        ),
        benefit_plan=(
            "Utkast til gevinstrealiseringsplan (felles mal)\n\n"
            "Gevinst 1: Mindre tid på fraværsføring og meldinger til foresatte, anslått 0,5 årsverk "
            "per skole med over 300 elever.\n"
            "Gevinst 2: Én felles løsning for skolene gir felles opplæring og support i regionen.\n"
        ),
        context={
            "sektor": "oppvekst",
            "tjeneste": "grunnskolene, SFO og PP-tjenesten",
            "brukere": "elever, foresatte, lærere og skoleadministrasjonen",
            "losning": "et felles skoleadministrativt system",
            "gevinst": "mindre tid til fraværsføring, bedre kommunikasjon med foresatte og felles support",
            "prosedyre": "åpen anbudskonkurranse",
        },
        answers={
            "kongsberg": (True, ""),
            "flesberg": (True, ""),
            "rollag": (
                False,
                "Rollag forlenget avtalen med dagens leverandør i fjor og vurderer å slutte seg til "
                "ved neste avtaleperiode.",
            ),
            "nore-og-uvdal": (True, ""),
            "hjartdal": (True, ""),
            "tinn": (True, ""),
        },
        stop=phases.EVALUATION,
        deadlines=[("RMU-møte: tildeling", 20, phases.EVALUATION)],
        texts={
            "needs-summary": (
                "Vi har intervjuet lærere, rektorer, skolesekretærer og foresatte ved ni skoler. "
                "Lærerne fører fravær både i dagens system og i læringsplattformen; foresatte får "
                "meldinger i tre ulike kanaler. Skolesekretærene bruker mye tid på manuelle "
                "endringer av adresser og foresatte.\n\n"
                "Brukerhistorie: «Som kontaktlærer vil jeg føre fravær ett sted, så foresatte får "
                "beskjed med én gang.»\n\n"
                "Personvern: systemet behandler opplysninger om barn, også særlige kategorier "
                "(spesialundervisning, helse). Drift: K-IKT ønsker skytjeneste med Feide-pålogging."
            ),
            "target-picture": (
                "Visjon: «Én skoledag – ett system.» Innen skolestart om to år fører alle skolene i "
                "regionen fravær, vurdering og meldinger i samme system, og foresatte har én kanal "
                "til skolen. Målbildet følger den felles digitaliseringsstrategien og kommunenes "
                "kvalitetsplaner for skolen."
            ),
            "market-dialogue-summary": (
                "Fire leverandører svarte på forespørselen om informasjon, og tre deltok i "
                "én-til-én-møter. Alle tilbyr skytjeneste med Feide-pålogging. Markedet er modent, "
                "og behovet kan dekkes av standardløsninger med små tilpasninger."
            ),
            "strategy-decision-basis": (
                "Anbefaling: felles anskaffelse for seks kommuner (Rollag står utenfor denne "
                "avtaleperioden). Det skal anskaffes en standard skytjeneste med opplæring og "
                "support. Verdien er anslått til 6,5 mill. kroner over fire år."
            ),
            "procedure-choice": (
                "Åpen anbudskonkurranse: behovet dekkes av standardløsninger, så forhandling gir "
                "liten verdi. Verdien er over nasjonal terskelverdi og under EØS-terskelverdien for "
                "kommuner, og konkurransen kunngjøres på Doffin."
            ),
            "tender-requirements": (
                "MÅ: Feide-pålogging, integrasjon mot Folkeregisteret og læringsplattformen, "
                "behandling innenfor EØS, universell utforming etter WCAG 2.1 AA. BØR: app for "
                "foresatte, fraværsføring fra mobil, eksport av vurderinger i åpent format."
            ),
            "evaluation-ranking": (
                "Innstilling til tildeling – Nytt skoleadministrativt system\n\n"
                "Fire tilbud kom inn. Rangering etter tildelingskriteriene:\n"
                "1. Tilbyder C – 8,2 poeng\n2. Tilbyder A – 7,7 poeng\n3. Tilbyder D – 7,1 poeng\n"
                "4. Tilbyder B – 5,9 poeng\n\nEvalueringsgruppen innstiller på Tilbyder C, som "
                "oppfyller alle bør-krav og har den beste løsningen for foresatte."
            ),
        },
        cost_sharing=CostSharingMethod.POPULATION,
        finish=_finish_school,
    ),
    DemoProcurement(
        title="Felles sak- og arkivsystem",
        lead="kongsberg",
        kind=NeedKind.REPLACE,
        funding=Funding.ACTION_PLAN,
        estimated_value=8_000_000,
        description=(
            "Kommunene bruker to ulike sak- og arkivsystemer, og begge avtalene løper ut innen tre "
            "år. Et felles Noark 5-system med eInnsyn og felles arkivdepot vil gjøre samarbeidet i "
            "Arkivnettverket enklere og gi én integrasjon for fagsystemene."
        ),
        benefit_plan=(
            "Utkast til gevinstrealiseringsplan (felles mal)\n\n"
            "Gevinst 1: Én felles forvaltning av arkivsystemet i K-IKT i stedet for to.\n"
            "Gevinst 2: Mindre manuell journalføring gjennom integrasjoner mot fagsystemene.\n"
        ),
        context={
            "sektor": "organisasjon og digitalisering",
            "tjeneste": "postmottak, arkivtjenesten og saksbehandlingen",
            "brukere": "arkivarer, saksbehandlere, ledere og innbyggere som ber om innsyn",
            "losning": "et felles sak- og arkivsystem etter Noark 5",
            "gevinst": "én forvaltning, færre integrasjoner og mindre manuell journalføring",
            "prosedyre": "konkurranse med forhandling",
        },
        answers={slug: (True, "") for slug, *_ in MUNICIPALITIES if slug != "kongsberg"},
        stop=phases.STRATEGY,
        deadlines=[("SuksIT-møte: go/no-go", 7, phases.STRATEGY)],
        cost_sharing=CostSharingMethod.EQUAL,
        texts={
            "needs-summary": (
                "Arkivnettverket og saksbehandlere i alle kommunene er intervjuet. Dagens to "
                "systemer gir dobbel forvaltning i K-IKT og ulik praksis for journalføring. "
                "Innbyggerne møter to ulike innsynsløsninger. Behov: felles mal for "
                "arkivplan, automatisk journalføring fra fagsystemene og avlevering til depot."
            ),
            "target-picture": (
                "Alle sju kommuner journalfører i samme Noark 5-system innen tre år, med felles "
                "eInnsyn og felles rutiner for avlevering. Målbildet følger den felles "
                "digitaliseringsstrategien."
            ),
            "market-dialogue-summary": (
                "Tre leverandører presenterte løsningene sine på en digital dialogkonferanse "
                "kunngjort på Doffin. Alle tilbyr skytjeneste; migrering av historiske data er "
                "den største risikoen og bør beskrives nøye i konkurransen."
            ),
            "strategy-decision-basis": (
                "Anbefaling: felles anskaffelse for alle sju kommuner, med migrering som egen "
                "leveranse. Verdien er anslått til 8 mill. kroner over fem år. SuksIT bes ta "
                "stilling til om anskaffelsen skal gjennomføres nå eller samordnes med utløpet av "
                "den siste avtalen."
            ),
        },
    ),
    DemoProcurement(
        title="Innbyggerdialog og chatbot",
        lead="tinn",
        kind=NeedKind.INTRODUCE,
        funding=Funding.OWN_BUDGET,
        estimated_value=900_000,
        description=(
            "Tinn ønsker en chatbot på kommunens nettsider som svarer på vanlige spørsmål om "
            "renovasjon, byggesak, barnehage og skole døgnet rundt, og som sender innbyggeren "
            "videre til riktig saksbehandler ved behov. Løsningen bør kunne deles av flere kommuner "
            "med felles kunnskapsbase og lokal tilpasning."
        ),
        benefit_plan=(
            "Utkast til gevinstrealiseringsplan (felles mal)\n\n"
            "Gevinst: 20 % færre henvendelser til servicetorget om enkle spørsmål innen ett år.\n"
        ),
        context={},
        answers={
            "kongsberg": (True, ""),
            "notodden": (True, ""),
            "hjartdal": (False, "Hjartdal har ikke kapasitet til å følge opp en ny løsning i år."),
        },
        stop=phases.INTAKE,
        cost_sharing=CostSharingMethod.EQUAL,
    ),
]

DEMO_INITIATIVE = {
    "municipality": "flesberg",
    "title": "Robotisert fakturabehandling (RPA)",
    "description": (
        "Flesberg prøver ut programvareroboter for mottak og kontering av inngående fakturaer, "
        "med lisenser kommunen allerede har. Det skal ikke gjøres noen anskaffelse. Erfaringene "
        "deles i SuksIT våren etter piloten."
    ),
}


def _ascii(text: str) -> str:
    return text.lower().translate(str.maketrans({"æ": "ae", "ø": "o", "å": "a", " ": "-"}))


def _join_names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]


class Seeder:
    def __init__(self):
        self.collaboration: Collaboration | None = None
        self.municipalities: dict[str, Municipality] = {}
        self.bodies: dict[str, Body] = {}
        self.people: dict[str, Person] = {}

    # Region, people and roles ------------------------------------------------------------

    def collaboration_ensure(self) -> None:
        invalid = [f"{name} ({number})" for _, name, number, _ in MUNICIPALITIES if not orgnr.is_valid(number)]
        if invalid:
            raise CommandError(f"Ugyldige organisasjonsnummer: {', '.join(invalid)}")
        self.collaboration, _ = Collaboration.objects.get_or_create(
            name=COLLABORATION_NAME, defaults={"country": "NO", "time_zone": "Europe/Oslo"}
        )
        for slug, name, number, population in MUNICIPALITIES:
            municipality = Municipality.objects.filter(country="NO", name=name).first()
            if municipality is None:
                municipality = Municipality(country="NO", name=name, organisation_number=number, population=population)
                municipality.full_clean()
                municipality.save()
            # Any membership already there stays as it is (one from the migration to
            # collaborations starts on another day; a second one would overlap it).
            if not Membership.objects.filter(collaboration=self.collaboration, municipality=municipality).exists():
                Membership.objects.create(
                    collaboration=self.collaboration,
                    municipality=municipality,
                    joined_on=MEMBER_SINCE,
                    agreement="Felles rutine for anskaffelser, vedtatt i SuksIT og RMU 2019",
                )
            self.municipalities[slug] = municipality
        for kind, name in BODIES.items():
            self.bodies[kind], _ = Body.objects.get_or_create(collaboration=self.collaboration, kind=kind, defaults={"name": name})

    def template_ensure(self) -> bool:
        """Kongsbergregionen's own process template, made once from the national one with
        its own bodies in the gate names. An existing template is never touched: what an
        administrator changed there stays."""
        if ProcessTemplate.objects.filter(collaboration=self.collaboration).exists():
            return False
        admin = self.people["admin"]
        national = process_version_current(collaboration=self.collaboration)
        draft = process_version_draft_from(
            actor=admin, version=national, collaboration=self.collaboration, note="Kongsbergregionens felles rutine (seed 000)."
        )
        for gate in GateDefinition.objects.filter(version=draft, code__in=OWN_WORDING).prefetch_related("steps"):
            name, steps = OWN_WORDING[gate.code]
            gate.name = name
            gate.save(update_fields=["name"])
            for step in gate.steps.all():
                if step.order in steps:
                    step.name = steps[step.order]
                    step.save(update_fields=["name"])
        process_version_publish(actor=admin, version=draft)
        return True

    def person_ensure(self, username: str, first: str, last: str, *, superuser: bool = False) -> Person:
        person = Person.objects.filter(username=username).first()
        if person is None:
            # The password is set only when the login is made, so a changed password survives
            # the next run.
            create = Person.objects.create_superuser if superuser else Person.objects.create_user
            person = create(
                username=username,
                password=settings.DEMO_PASSWORD,
                email=f"{_ascii(first)}.{_ascii(last)}@example.org",
                first_name=first,
                last_name=last,
            )
        self.people[username] = person
        return person

    def people_ensure(self) -> None:
        admin = self.person_ensure("admin", "Systemadministrator", "Demo", superuser=True)
        for username, first, last, role, municipality, body in REGIONAL_PEOPLE:
            self._role_ensure(
                admin,
                self.person_ensure(username, first, last),
                role,
                self.municipalities[municipality] if municipality else None,
                self.bodies[body] if body else None,
            )
        for slug, names in MUNICIPAL_PEOPLE.items():
            for (prefix, role, body), (first, last) in zip(MUNICIPAL_ROLES, names, strict=True):
                self._role_ensure(
                    admin,
                    self.person_ensure(f"{prefix}.{slug}", first, last),
                    role,
                    self.municipalities[slug],
                    self.bodies[body] if body else None,
                )

    @staticmethod
    def _role_ensure(actor, person, role, municipality, body) -> None:
        # role_assign refuses an assignment that already exists (its full_clean checks the
        # unique constraint), so the second run asks first.
        if RoleAssignment.objects.filter(person=person, role=role, municipality=municipality, body=body).exists():
            return
        role_assign(actor=actor, person=person, role=role, municipality=municipality, body=body)

    # Procurements ------------------------------------------------------------------------

    def procurement_ensure(self, spec: DemoProcurement) -> bool:
        if Procurement.objects.filter(collaboration=self.collaboration, title=spec.title).exists():
            return False
        with transaction.atomic():
            self._build(spec)
        return True

    def deadlines_ensure(self, spec: DemoProcurement) -> int:
        """The coordinator's deadlines, through the service; one whose title the procurement
        already has is skipped, and so is one whose phase the procurement has left (in a
        database the demo has been used in). Runs for procurements made by an earlier run too."""
        procurement = Procurement.objects.select_related("collaboration").filter(collaboration=self.collaboration, title=spec.title).first()
        if procurement is None or not procurement.is_open or not spec.deadlines:
            return 0
        today = timezone.localdate(timezone=self.collaboration.tzinfo)
        open_phases = phases_open_for_deadlines(procurement)
        added = 0
        for title, days, phase in spec.deadlines:
            if procurement.deadlines.filter(title=title).exists() or (phase and phase not in open_phases):
                continue
            deadline_add(
                user=self.people["koordinator"],
                procurement=procurement,
                title=title,
                due_date=today + timedelta(days=days),
                phase=phase,
            )
            added += 1
        return added

    def _build(self, spec: DemoProcurement) -> None:
        lead = self.municipalities[spec.lead]
        coordinator = self.people["koordinator"]
        procurement = procurement_report(
            user=self.people[f"suksit.{spec.lead}"],
            municipality=lead,
            title=spec.title,
            kind=spec.kind,
            description=spec.description,
            funding=spec.funding,
            estimated_value=Decimal(spec.estimated_value),
            draft_benefit_plan=ContentFile(spec.benefit_plan.encode("utf-8"), name="utkast-gevinstrealiseringsplan.txt"),
        )
        today = timezone.localdate(timezone=self.collaboration.tzinfo)
        others = [m for slug, m in self.municipalities.items() if slug != spec.lead]
        invitations_send(user=coordinator, procurement=procurement, municipalities=others, answer_deadline=today + timedelta(days=14))
        for slug, (join, reason) in spec.answers.items():
            invitation_answer(
                user=self.people[f"suksit.{slug}"],
                procurement=procurement,
                municipality=self.municipalities[slug],
                join=join,
                reason=reason,
            )
        if spec.stop == phases.INTAKE:
            return
        cost_shares_set(user=coordinator, procurement=procurement, method=spec.cost_sharing)
        procurement_transition(user=coordinator, procurement_id=procurement.pk, transition="start")
        procurement = self._reload(procurement)
        while procurement.state != spec.stop:
            phase = procurement.state
            self._fill_phase(spec, procurement, all_checks=True)
            self.sign_all(procurement)
            procurement = self._reload(procurement)
            if procurement.state == phase:  # no gate moved it on
                procurement_transition(user=coordinator, procurement_id=procurement.pk, transition="complete_phase")
                procurement = self._reload(procurement)
        self._fill_phase(spec, procurement, all_checks=False)
        if spec.finish is not None:
            spec.finish(self, procurement)

    @staticmethod
    def _reload(procurement: Procurement) -> Procurement:
        # A fresh instance: the FSM field is protected, so refresh_from_db() would refuse it.
        return Procurement.objects.select_related("collaboration").get(pk=procurement.pk)

    def _context(self, spec: DemoProcurement, procurement: Procurement) -> dict[str, str]:
        joined = procurement.participations.filter(status=ParticipationStatus.JOINED).select_related("municipality")
        return {
            **spec.context,
            "lead": str(procurement.lead_municipality),
            "kommuner": _join_names(sorted(str(p.municipality) for p in joined)),
            "verdi": f"{spec.estimated_value / 1_000_000:.1f}".replace(".", ",").replace(",0", "") + " mill. kroner",
        }

    def _versions(self, spec: DemoProcurement, procurement: Procurement, definition) -> list[tuple[str, str]]:
        author = next((user for prefix, user in AUTHORS if definition.code.startswith(prefix)), "koordinator")
        author = author.format(lead=spec.lead)
        text = spec.texts.get(definition.code)
        if isinstance(text, list):
            # Each contributor adds a section to the same document: version N holds the
            # first N sections.
            return [(user, "\n\n".join(part for _, part in text[: number + 1])) for number, (user, _) in enumerate(text)]
        if text is None:
            template = GENERIC_TEXTS.get(definition.code)
            if template is None:
                if not definition.required:
                    return []
                # A deliverable an administrator added to the catalogue: a placeholder keeps
                # the demo moving through the phase.
                template = "{navn} for «{tittel}» er utarbeidet og gjennomgått i anskaffelsesgruppen."
            text = template.format(**self._context(spec, procurement), navn=definition.name, tittel=spec.title)
        return [(author, text)]

    def _fill_phase(self, spec: DemoProcurement, procurement: Procurement, *, all_checks: bool) -> None:
        phase = PhaseDefinition.objects.prefetch_related("deliverables", "checklist_items").get(
            version_id=procurement.process_version_id, code=procurement.state
        )
        for definition in phase.deliverables.all():
            if definition.kind == DeliverableKind.DOCUMENT:
                continue  # the demo writes text; file-only deliverables are optional uploads
            for author, text in self._versions(spec, procurement, definition):
                deliverable_version_add(user=self.people[author], procurement=procurement, definition=definition, text=text)
        items = list(phase.checklist_items.all())
        for item in items if all_checks else items[: len(items) // 2]:
            checklist_item_set(user=self.people["koordinator"], procurement=procurement, item=item, done=True)

    def add_version(self, procurement: Procurement, code: str, author: str, text: str) -> None:
        definition = PhaseDefinition.objects.get(version_id=procurement.process_version_id, code=procurement.state).deliverables.get(
            code=code
        )
        deliverable_version_add(user=self.people[author], procurement=procurement, definition=definition, text=text)

    # Sign-offs ---------------------------------------------------------------------------

    def _signer(self, procurement: Procurement, role: str, *, municipality_id=None, body_id=None) -> Person:
        assignments = RoleAssignment.objects.filter(role=role, person__is_active=True).select_related("person")
        if municipality_id is not None:
            assignments = assignments.filter(municipality_id=municipality_id)
        else:
            assignments = assignments.filter(body_id=body_id)
        # In a body, the lead municipality's member speaks (the RMU chair in the demo).
        assignment = assignments.filter(municipality=procurement.lead_municipality).first() or assignments.first()
        if assignment is None:
            raise CommandError(f"Ingen i demoen kan signere som {Role(role).label} her.")
        return assignment.person

    def sign(self, procurement: Procurement, gate_code: str, *, only: list[str] | None = None, steps: int | None = None) -> None:
        """Approve the open steps of GATE_CODE: for ONLY these municipalities when given, and
        at most STEPS steps. Stops when the gate completes (the phase may then move on)."""
        allowed = {self.municipalities[slug].pk for slug in only} if only is not None else None
        signed_steps = 0
        while steps is None or signed_steps < steps:
            readiness = readiness_for(self._reload(procurement))
            gate = next((g for g in readiness.signature_gates if g.gate.code == gate_code), None)
            if gate is None or gate.document is None or (step := gate.open_step) is None:
                return
            waiting = [
                slot
                for slot in step.waiting_for
                if allowed is None or step.step.scope != StepScope.EACH_PARTICIPANT or slot.municipality_id in allowed
            ]
            if not waiting:
                return
            for slot in waiting:
                signer = self._signer(
                    procurement, step.step.role, municipality_id=slot.municipality_id, body_id=slot.body_id
                )
                signoff_record(
                    user=signer,
                    procurement_id=procurement.pk,
                    step_id=step.step.pk,
                    slot=slot.slot,
                    decision=Decision.APPROVE,
                    comment="",
                    document_sha256=gate.document.current_version.sha256,
                )
            signed_steps += 1
            if len(waiting) < len(step.waiting_for):
                return  # the step stays open for the others

    def sign_all(self, procurement: Procurement) -> None:
        for gate in readiness_for(procurement).signature_gates:
            self.sign(procurement, gate.gate.code)

    def initiative_ensure(self) -> bool:
        if InformationInitiative.objects.filter(collaboration=self.collaboration, title=DEMO_INITIATIVE["title"]).exists():
            return False
        slug = DEMO_INITIATIVE["municipality"]
        initiative_report(
            user=self.people[f"suksit.{slug}"],
            municipality=self.municipalities[slug],
            title=DEMO_INITIATIVE["title"],
            description=DEMO_INITIATIVE["description"],
        )
        return True


class Command(BaseCommand):
    help = "Fyller databasen med demodata for Kongsbergregionen. Kan kjøres flere ganger."

    def handle(self, *args, **options):
        # The national template is installed after migrate; asked again in case a test
        # database was flushed. Never overwritten.
        with transaction.atomic():
            national_template_ensure(django_apps)
        seeder = Seeder()
        with transaction.atomic():
            seeder.collaboration_ensure()
            seeder.people_ensure()
            made = seeder.template_ensure()
        self.stdout.write(
            f"{COLLABORATION_NAME}: {len(seeder.municipalities)} kommuner, {len(seeder.bodies)} organer, "
            f"{len(seeder.people)} brukere (passord fra DEMO_PASSWORD); "
            f"egen prosessmal {'laget' if made else 'finnes fra før'}."
        )
        for spec in DEMO_PROCUREMENTS:
            created = seeder.procurement_ensure(spec)
            self.stdout.write(f"  {'Opprettet' if created else 'Finnes fra før'}: {spec.title}")
            with transaction.atomic():
                added = seeder.deadlines_ensure(spec)
            if added:
                self.stdout.write(f"    {added} frist(er) lagt til")
        with transaction.atomic():
            created = seeder.initiative_ensure()
        self.stdout.write(f"  {'Opprettet' if created else 'Finnes fra før'}: {DEMO_INITIATIVE['title']} (til orientering)")
        self.stdout.write(self.style.SUCCESS("Demodata er på plass."))
