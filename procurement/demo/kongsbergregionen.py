"""Kongsbergregionen: the seven municipalities of the region's IT collaboration, its bodies
(SuksIT, RMU, K-IKT ...), one login per role, its own process template with its bodies in
the gate names (seed 000), and procurements standing in different phases: one in intake, one
before the go/no-go decision, one that went back after RMU rejected the award
recommendation, and one in the contract phase with the standstill period running, a
complaint open and the data processing agreement half-signed."""

from datetime import date, timedelta

from comments.models import Subject
from comments.services import comment_add
from contracts.services import award_notice_send, complaint_register
from municipalities.roles import Role

from .. import phases
from ..models import CostSharingMethod, Decision, Funding, NeedKind, Procurement
from .agreements import DemoAgreements, contract_values, dpa_values
from .evaluation import school_criteria, school_evaluation
from .seeder import (
    DemoCollaboration,
    DemoInitiative,
    DemoMunicipality,
    DemoPerson,
    DemoProcurement,
    Seeder,
    TemplateWording,
    in_millions,
)
from .specification import library_seed, specification_seed

NAME = "Kongsbergregionen"

# The common routine was approved by SuksIT and RMU in 2019 (seed 000).
MEMBER_SINCE = date(2019, 6, 1)
AGREEMENT = "Felles rutine for anskaffelser, vedtatt i SuksIT og RMU 2019"

# Organisation numbers as registered in Enhetsregisteret; every one is checked with the
# mod-11 check digit before anything is written. Populations are rounded (2024).
MUNICIPALITIES = [
    DemoMunicipality(slug, name, number, population, MEMBER_SINCE, AGREEMENT)
    for slug, name, number, population in [
        ("kongsberg", "Kongsberg", "942402465", 28_000),
        ("flesberg", "Flesberg", "940898862", 2_800),
        ("rollag", "Rollag", "964963282", 1_400),
        ("nore-og-uvdal", "Nore og Uvdal", "964950946", 2_500),
        ("notodden", "Notodden", "938583986", 13_300),
        ("hjartdal", "Hjartdal", "964963649", 1_600),
        ("tinn", "Tinn", "864963552", 5_700),
    ]
]

# Kongsbergregionen's bodies, by the kinds of body the process template's gates name.
STEERING, EXECUTIVE, SHARED_IT = "steering_group", "executive_committee", "shared_it"
ARCHIVE, PRIVACY, BUYER = "archive_network", "data_protection", "procurement_office"
SECRETARIAT = "secretariat"
BODIES = {
    STEERING: "SuksIT",
    EXECUTIVE: "Rådmannsutvalget (RMU)",
    SHARED_IT: "K-IKT",
    ARCHIVE: "Arkivnettverket",
    PRIVACY: "Personvernombud",
    BUYER: "Regional innkjøper",
    SECRETARIAT: "Kongsbergregionens sekretariat",
}

# Kongsbergregionen's own process: the national template with its own bodies named in the
# gates (seed 000 points 5 and 7). Applied once, when the region's template is made.
TEMPLATE = TemplateWording(
    note="Kongsbergregionens felles rutine (seed 000).",
    gates={
        "go-no-go": {"name": "Beslutning i SuksIT om å gjennomføre anskaffelsen"},
        "award": {"name": "Tildeling av kontrakt (SuksIT og RMU)"},
    },
    steps={
        ("go-no-go", 1): {"name": "SuksIT beslutter"},
        ("award", 1): {"name": "Kvalitetssikring i SuksIT"},
        ("award", 2): {"name": "Godkjenning i RMU"},
    },
)

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
PEOPLE = [
    DemoPerson("koordinator", "Ingrid", "Solberg", Role.COORDINATOR, body=STEERING),
    DemoPerson("dagligleder", "Sigrid", "Nyhus", Role.GENERAL_MANAGER, body=SECRETARIAT),
    DemoPerson("innkjoper", "Bjørn", "Aasen", Role.REGIONAL_BUYER, body=BUYER),
    DemoPerson("arkitekt", "Eirik", "Lunde", Role.ICT_ARCHITECT, body=SHARED_IT),
    DemoPerson("arkiv", "Marit", "Holm", Role.ARCHIVE_REPRESENTATIVE, body=ARCHIVE),
    DemoPerson("personvern", "Hanne", "Brekke", Role.DATA_PROTECTION_OFFICER, body=PRIVACY),
    DemoPerson("tillitsvalgt.kongsberg", "Per", "Kristiansen", Role.UNION_REPRESENTATIVE, municipality="kongsberg"),
    DemoPerson("evaluator.kongsberg", "Silje", "Moen", Role.EVALUATOR, municipality="kongsberg"),
] + [
    DemoPerson(f"{prefix}.{slug}", first, last, role, municipality=slug, body=body)
    for slug, names in MUNICIPAL_PEOPLE.items()
    for (prefix, role, body), (first, last) in zip(MUNICIPAL_ROLES, names, strict=True)
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
TEXTS = {
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


# The agreements as data (issue 8). The suppliers are made up; their organisation numbers
# pass the mod-11 check and belong to no one we know of.
WELFARE_SUPPLIER, WELFARE_SUPPLIER_NUMBER = "Tilbyder B Velferd AS", "912345688"
WELFARE_DPA_DATA = dpa_values(
    WELFARE_SUPPLIER,
    WELFARE_SUPPLIER_NUMBER,
    purpose="Felles velferdsteknologiplattform: trygghetsalarmer, digitalt tilsyn og responstjeneste for hjemmeboende.",
    subjects=["Tjenestemottakere med trygghetsalarm eller digitalt tilsyn", "Pårørende som kontaktpersoner", "Ansatte i hjemmetjenesten og responstjenesten"],
    data=["Navn, adresse og fødselsnummer", "Alarmer og hendelser med tidspunkt", "Sensordata fra digitalt tilsyn", "Kontaktpersoner og nøkkelinformasjon"],
    health="Helseopplysninger: diagnoser og funksjonsnivå som har betydning for responsen, fall og bevegelsesmønster fra sensorer.",
    measures=["Kryptering i ro og under overføring (TLS 1.2 eller nyere).", "Tofaktorinnlogging for alle brukere.", "Tilgangsstyring per tjenesteutøver og logg over alle oppslag.", "Drift og lagring innenfor EØS; sikkerhetskopi daglig, gjenopprettingstest hvert kvartal.", "Avvik meldes kommunene innen 24 timer."],
    sub_processors=["Nordisk Skydrift AS; Norge; drift av plattformen"],
)
WELFARE_DPA_CORRECTED = {
    **WELFARE_DPA_DATA,
    "sub_processors": "Nordisk Skydrift AS; Norge; drift av plattformen\nAlarmsentralen Midt AS; Norge; mottak av alarmer utenfor kontortid",
}
WELFARE_CONTRACT = contract_values(
    WELFARE_SUPPLIER, WELFARE_SUPPLIER_NUMBER, contract_type="ssa_sky",
    subject="Velferdsteknologiplattform som skytjeneste med responstjeneste, for alle deltakerkommunene.",
    value=9_600_000, one_off=1_200_000, yearly=2_100_000,
)
ROUTES_SUPPLIER, ROUTES_SUPPLIER_NUMBER = "Ruteplan Norge AS", "912345696"
ROUTES_DPA = dpa_values(
    ROUTES_SUPPLIER,
    ROUTES_SUPPLIER_NUMBER,
    purpose="Ruteplanlegging og mobil arbeidsliste for hjemmetjenesten.",
    subjects=["Tjenestemottakere i hjemmetjenesten", "Ansatte i hjemmetjenesten"],
    data=["Navn og adresse", "Tidspunkt og varighet for besøk", "Tiltak som skal utføres ved besøket"],
    health="Helseopplysninger: hvilke helsetjenester som gis ved hvert besøk.",
    measures=["Kryptering i ro og under overføring.", "Innlogging med ID-porten eller tofaktor.", "Mobil enhet med fjernsletting.", "Tilgangslogg som gjennomgås månedlig."],
    sub_processors=["Nordisk Skydrift AS; Norge; drift", "Kartdata AS; Norge; kart og adressesøk"],
)
ROUTES_CONTRACT = contract_values(
    ROUTES_SUPPLIER, ROUTES_SUPPLIER_NUMBER, contract_type="ssa_l",
    subject="Standard programvare for ruteplanlegging med kart og mobil arbeidsliste, med vedlikehold og support.",
    value=3_400_000, one_off=400_000, yearly=750_000,
)


CHILD_WELFARE_DRAFT_DPA = dpa_values(
    "",
    "",
    purpose="Fagsystem for barnevernet: saksbehandling, dokumentasjon og samhandling med barn, foreldre og samarbeidspartnere.",
    subjects=["Barn og unge i barnevernet", "Foreldre og andre omsorgspersoner", "Ansatte i barnevernstjenesten"],
    data=["Navn, fødselsnummer og adresse", "Saksdokumenter og journalnotater", "Kontaktinformasjon til samarbeidspartnere"],
    health="Helseopplysninger og opplysninger om familieforhold som barnevernet behandler etter barnevernsloven.",
    measures=["Kryptering i ro og under overføring.", "Innlogging med ID-porten på nivå høyt.", "Tilgang per sak og tjenstlig behov; logg over alle oppslag."],
    sub_processors=[],
)


def _finish_welfare(seeder: Seeder, procurement: Procurement) -> None:
    """The award notice went out four days ago, so the standstill period is still running,
    and a tenderer has complained within it: the contract phase now waits for the clock,
    for the complaint to be decided and for the chief executives, three different kinds of
    gate at once. The data processing agreement is half-signed, and one signature was
    voided when the data protection officer corrected the list of sub-processors."""
    today = procurement.collaboration.today()
    buyer = seeder.person("innkjoper")
    award_notice_send(
        user=buyer,
        procurement=procurement,
        sent_on=today - timedelta(days=4),
        note="Sendt samtidig til alle tre tilbyderne gjennom konkurransegjennomføringsverktøyet.",
    )
    complaint_register(
        user=buyer,
        procurement=procurement,
        received_on=today - timedelta(days=2),
        complainant="Tilbyder A",
        summary=(
            "Tilbyder A mener at responstiden i tilbudet deres er vurdert feil under "
            "delkriteriet gjennomføring og service, og at de skulle hatt 8 poeng, ikke 6. De ber "
            "om en ny vurdering av delkriteriet før kontrakten signeres. Klagen kom inn i "
            "karensperioden, så kontrakten kan ikke signeres før den er avgjort."
        ),
    )
    seeder.sign(procurement, "dpa", only=["kongsberg"])
    # The data protection officer corrects the list of sub-processors: the agreement's PDF is
    # rendered again as version 2 and Kongsberg's signature on version 1 is voided.
    from agreements.services import dpa_save

    dpa_save(user=seeder.person("personvern"), procurement_id=procurement.pk, values=WELFARE_DPA_CORRECTED)
    seeder.sign(procurement, "dpa", only=["kongsberg", "flesberg", "notodden", "tinn"])
    # A thread under the agreement, naming a chief executive who has yet to sign: the
    # comment is a task in their "Mine oppgaver".
    comment_add(
        user=seeder.person("personvern"),
        procurement=procurement,
        subject=Subject.DELIVERABLE,
        code="contract-dpa",
        text=(
            "Versjon 2 retter listen over underdatabehandlere: driftspartneren for alarmmottaket "
            "manglet. Kommunedirektøren i Rollag: se vedlegg III før du signerer."
        ),
        mentioned_id=seeder.person("kommunedirektor.rollag").pk,
    )
    comment_add(
        user=seeder.person("kommunedirektor.kongsberg"),
        procurement=procurement,
        subject=Subject.GATE,
        code="dpa",
        text="Signaturen min på versjon 1 ble ugyldig da avtalen ble rettet. Jeg har signert versjon 2.",
    )
    # Seed 000: the coordinator or the general manager signs the contract. The coordinator
    # hands it to the general manager, for whom the thread is a task until the complaint is
    # decided and the contract can be signed.
    comment_add(
        user=seeder.coordinator,
        procurement=procurement,
        subject=Subject.DELIVERABLE,
        code="contract-signed",
        text=(
            "Daglig leder: du signerer kontrakten for samarbeidet denne gangen. Den kan signeres når "
            "karensperioden er over og klagen er avgjort; vilkårene ligger på avtalesiden."
        ),
        mentioned_id=seeder.person("dagligleder").pk,
    )


SCHOOL_REQUIREMENTS = (
    "MÅ: Feide-pålogging, integrasjon mot Folkeregisteret og læringsplattformen, "
    "behandling innenfor EØS, universell utforming etter WCAG 2.1 AA. BØR: app for "
    "foresatte, fraværsføring fra mobil, eksport av vurderinger i åpent format."
)
SCHOOL_RANKING = (
    "Innstilling til tildeling – Nytt skoleadministrativt system\n\n"
    "Fire tilbud kom inn. Rangering etter tildelingskriteriene:\n"
    "1. Tilbyder C – 8,2 poeng\n2. Tilbyder A – 7,7 poeng\n3. Tilbyder D – 7,1 poeng\n"
    "4. Tilbyder B – 5,9 poeng\n\nEvalueringsgruppen innstiller på Tilbyder C, som "
    "oppfyller alle bør-krav og har den beste løsningen for foresatte."
)
SCHOOL_REJECTION = (
    "RMU godkjenner ikke innstillingen. Kravet til universell utforming er formulert så åpent "
    "at tilbyderne har tolket det ulikt: to av dem har dokumentert WCAG 2.1 AA bare for "
    "foresatte-appen, ikke for lærernes løsning. Kravet må presiseres, og tilbyderne må få "
    "levere på nytt før en ny evaluering."
)
SCHOOL_REOPEN_REASON = (
    "RMU avviste innstillingen til tildeling: kravet til universell utforming var uklart og "
    "ble tolket ulikt av tilbyderne. Kravspesifikasjonen presiseres, og tilbyderne får levere "
    "reviderte tilbud."
)
SCHOOL_PRECISION = (
    "Presisering etter RMUs behandling: kravet om universell utforming etter WCAG 2.1 AA gjelder "
    "alle brukergrensesnitt i løsningen – for lærere, skoleadministrasjon, elever og foresatte, "
    "i nettleser og i app – og skal dokumenteres med en tilgjengelighetserklæring per grensesnitt."
)
SCHOOL_EVALUATION_FORM = (
    "Evalueringsskjemaet er fylt ut på nytt for de reviderte tilbudene, av hver evaluator for "
    "hver tilbyder og hvert delkriterium. Tilgjengelighetserklæringene er kontrollert mot "
    "presiseringen av kravet om universell utforming, og poengene er begrunnet."
)
SCHOOL_RANKING_REVISED = (
    "Ny innstilling til tildeling – Nytt skoleadministrativt system\n\n"
    "Alle fire tilbyderne leverte reviderte tilbud etter presiseringen av kravet til universell "
    "utforming. Rangering etter tildelingskriteriene:\n"
    "1. Tilbyder A – 8,4 poeng\n2. Tilbyder C – 8,0 poeng\n3. Tilbyder D – 7,0 poeng\n"
    "4. Tilbyder B – 6,1 poeng\n\nEvalueringsgruppen innstiller på Tilbyder A, som nå "
    "dokumenterer universell utforming for alle brukergrensesnitt. Tilbyder C mangler "
    "dokumentasjon for timeplanmodulen."
)


def _finish_school(seeder: Seeder, procurement: Procurement) -> None:
    """The case went back: SuksIT quality-assured the first award recommendation, RMU
    rejected it with a comment, and the coordinator reopened the tender documents with that
    reason, which voided the award gate's signatures visibly. The requirement was made
    precise, the tenderers delivered again, and the new recommendation has been
    quality-assured by SuksIT; RMU has not met yet."""
    seeder.sign(procurement, "award", steps=1)
    seeder.sign(procurement, "award", decision=Decision.REJECT, comment=SCHOOL_REJECTION)
    procurement = seeder.reopen(procurement, phases.TENDER_DOCUMENTS, SCHOOL_REOPEN_REASON)
    seeder.add_version(procurement, "tender-requirements", "arkitekt", f"{SCHOOL_REQUIREMENTS}\n\n{SCHOOL_PRECISION}")
    procurement = seeder.complete_phase(procurement)
    seeder.add_version(procurement, "evaluation-form", "koordinator", SCHOOL_EVALUATION_FORM)
    seeder.add_version(procurement, "evaluation-ranking", "koordinator", SCHOOL_RANKING_REVISED)
    seeder.sign(procurement, "award", steps=1)
    school_evaluation(seeder, procurement)


def _finish_child_welfare(seeder: Seeder, procurement: Procurement) -> None:
    """The tender documents are being written: every owner has written their part of the
    requirement specification, the regional buyer has decided the weighted award criteria
    and printed the three documents as new versions; publishing is the buyer's next step."""
    specification_seed(seeder, procurement)
    library_seed(seeder, procurement)


PROCUREMENTS = [
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
        answers={m.slug: (True, "") for m in MUNICIPALITIES if m.slug != "kongsberg"},
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
                    (
                        "Arkitekturkrav (K-IKT)\n\nMÅ: åpne grensesnitt (HL7 FHIR eller tilsvarende) mot "
                        "fagsystemet for helse og omsorg. MÅ: pålogging med kommunenes felles "
                        "identitetsløsning. BØR: hendelser fra sensorer samles i én varslingsflate."
                    ),
                ),
                (
                    "arkiv",
                    (
                        "Arkivkrav (Arkivnettverket)\n\nMÅ: dokumentasjon av alarmer og tiltak skal "
                        "kunne avleveres til fagsystemet og arkiveres etter arkivloven. BØR: "
                        "eksport av logger i åpent format."
                    ),
                ),
                (
                    "personvern",
                    (
                        "Personvernkrav (personvernombud)\n\nMÅ: behandling innenfor EØS. MÅ: "
                        "tilgangsstyring per tjenesteutøver og logging av innsyn. MÅ: innebygd "
                        "personvern i sensorinnstillingene. BØR: brukeren kan se hvilke sensorer "
                        "som er aktive."
                    ),
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
                "Karensperioden er ti dager fra meddelelsen."
            ),
        },
        finish=_finish_welfare,
        agreements=DemoAgreements(dpa=WELFARE_DPA_DATA, contract=WELFARE_CONTRACT),
        during={phases.TENDER_DOCUMENTS: school_criteria, phases.EVALUATION: school_evaluation},
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
                ("Rollag forlenget avtalen med dagens leverandør i fjor og vurderer å slutte seg til ved neste avtaleperiode."),
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
            "tender-requirements": SCHOOL_REQUIREMENTS,
            "evaluation-ranking": SCHOOL_RANKING,
        },
        cost_sharing=CostSharingMethod.POPULATION,
        finish=_finish_school,
        during={phases.TENDER_DOCUMENTS: school_criteria},
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
        answers={m.slug: (True, "") for m in MUNICIPALITIES if m.slug != "kongsberg"},
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
        title="Felles fagsystem for barnevernet",
        lead="kongsberg",
        kind=NeedKind.REPLACE,
        funding=Funding.ACTION_PLAN,
        estimated_value=4_200_000,
        description=(
            "Avtalen for dagens fagsystem i barnevernet går ut, og det nye barnevernsloven stiller nye krav til "
            "dokumentasjon og frister. Kommunene ønsker ett felles fagsystem for barnevernstjenestene, med "
            "digitale meldinger, app for hjemmebesøk og innebygd personvern."
        ),
        benefit_plan=(
            "Utkast til gevinstrealiseringsplan (felles mal)\n\n"
            "Gevinst 1: Færre fristbrudd gjennom automatisk fristberegning og varsling.\n"
            "Gevinst 2: Mindre dobbeltregistrering ved hjemmebesøk, anslått 2 timer per saksbehandler per uke.\n"
        ),
        context={
            "sektor": "helse og velferd",
            "tjeneste": "barnevernstjenestene",
            "brukere": "saksbehandlere, ledere og familiene tjenesten følger opp",
            "losning": "et felles fagsystem for barnevernet",
            "gevinst": "færre fristbrudd, mindre dobbeltregistrering og bedre samarbeid mellom tjenestene",
            "prosedyre": "åpen anbudskonkurranse",
        },
        answers={
            "flesberg": (True, ""),
            "notodden": (True, ""),
            "hjartdal": (True, ""),
            "tinn": (True, ""),
            "nore-og-uvdal": (True, ""),
            "rollag": (False, "Rollag deltar i et vertskommunesamarbeid om barnevern og følger det samarbeidets anskaffelse."),
        },
        stop=phases.TENDER_DOCUMENTS,
        agreements=DemoAgreements(dpa=CHILD_WELFARE_DRAFT_DPA, draft=True),
        cost_sharing=CostSharingMethod.POPULATION,
        finish=_finish_child_welfare,
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
    DemoProcurement(
        title="Ruteplanlegging i hjemmetjenesten",
        lead="notodden",
        kind=NeedKind.INTRODUCE,
        funding=Funding.ACTION_PLAN,
        estimated_value=2_600_000,
        description=(
            "Hjemmetjenesten planla rutene for hånd på tavle og i regneark. Notodden meldte inn behovet for "
            "et felles system for ruteplanlegging med kart og mobil arbeidsliste. Kontrakten er signert, "
            "løsningen er akseptansetestet og tatt i bruk, og avtalen og gevinstene følges nå opp i "
            "avtaleforvaltningen."
        ),
        benefit_plan="Utkast til gevinstrealiseringsplan (felles mal)\n\nGevinst: spart kjøretid og planleggingstid.\n",
        context={
            "sektor": "helse og omsorg",
            "tjeneste": "hjemmetjenesten",
            "brukere": "ansatte i hjemmetjenesten og brukerne de besøker",
            "losning": "et felles system for ruteplanlegging med kart og mobil arbeidsliste",
            "gevinst": "spart kjøretid og mindre tid til planlegging",
            "prosedyre": "åpen anbudskonkurranse",
        },
        answers={
            **{m.slug: (True, "") for m in MUNICIPALITIES if m.slug not in ("notodden", "rollag")},
            "rollag": (False, "Rollag har kjøpt ruteplanlegging sammen med fagsystemet sitt."),
        },
        stop=phases.CONTRACT_MANAGEMENT,
        cost_sharing=CostSharingMethod.POPULATION,
        agreements=DemoAgreements(dpa=ROUTES_DPA, contract=ROUTES_CONTRACT, sign_contract=True, contract_signer="dagligleder"),
    ),
]

INITIATIVE = DemoInitiative(
    municipality="flesberg",
    title="Robotisert fakturabehandling (RPA)",
    description=(
        "Flesberg prøver ut programvareroboter for mottak og kontering av inngående fakturaer, "
        "med lisenser kommunen allerede har. Det skal ikke gjøres noen anskaffelse. Erfaringene "
        "deles i SuksIT våren etter piloten."
    ),
)


COLLABORATION = DemoCollaboration(
    name=NAME,
    country="NO",
    time_zone="Europe/Oslo",
    municipalities=MUNICIPALITIES,
    bodies=BODIES,
    people=PEOPLE,
    template=TEMPLATE,
    coordinator="koordinator",
    representative="suksit",
    authors=AUTHORS,
    texts=TEXTS,
    placeholder="{navn} for «{tittel}» er utarbeidet og gjennomgått i anskaffelsesgruppen.",
    money=in_millions("mill. kroner"),
    procurements=PROCUREMENTS,
    initiative=INITIATIVE,
    decision_recorders={EXECUTIVE: "koordinator"},
)
