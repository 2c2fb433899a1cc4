"""A Danish KOMBIT procurement network (seed 003): municipalities that joined by their own
joining agreement (tilslutningsaftale), one of them later than the others; a steering group
with KL, a project group of the municipalities' representatives and KOMBIT's procurement
office; its own process template in Danish, where the steering group decides at the phase
transitions and awards the contract (a network has no committee of chief executives); and
one procurement that has passed the go/no-go decision and waits for the steering group to
approve the procurement plan."""

from datetime import date, timedelta

from municipalities.roles import Role

from .. import phases
from ..catalogue_seed import PHASES as NATIONAL_PHASES
from ..deadlines import minutes_deemed_approved, minutes_due
from ..models import CostSharingMethod, Funding, NeedKind
from .seeder import DemoCollaboration, DemoMunicipality, DemoPerson, DemoProcurement, TemplateWording, in_millions

NAME = "KOMBIT-netværk: Velfærdsteknologi (Midtjylland)"
COUNTRY = "DK"

FIRST_ROUND = date(2026, 3, 2)
# CVR numbers as registered in the Central Business Register, checked with the mod-11 check
# digit before anything is written. Populations are rounded (2024).
MUNICIPALITIES = [
    DemoMunicipality(
        "aarhus", "Aarhus Kommune", "55133018", 367_000, FIRST_ROUND, "Tilslutningsaftale af 16.02.2026, j.nr. KOMBIT-2026-0117"
    ),
    DemoMunicipality(
        "silkeborg",
        "Silkeborg Kommune",
        "29189641",
        100_000,
        FIRST_ROUND,
        "Tilslutningsaftale af 18.02.2026, j.nr. KOMBIT-2026-0118",
    ),
    DemoMunicipality(
        "skanderborg",
        "Skanderborg Kommune",
        "29189633",
        64_000,
        FIRST_ROUND,
        "Tilslutningsaftale af 20.02.2026, j.nr. KOMBIT-2026-0121",
    ),
    DemoMunicipality(
        "favrskov",
        "Favrskov Kommune",
        "29189714",
        49_000,
        FIRST_ROUND,
        "Tilslutningsaftale af 23.02.2026, j.nr. KOMBIT-2026-0123",
    ),
    # Joined after the first round, at the higher price the terms of reference set for late joiners.
    DemoMunicipality(
        "horsens",
        "Horsens Kommune",
        "29189889",
        98_000,
        date(2026, 9, 1),
        "Tilslutningsaftale af 14.08.2026, j.nr. KOMBIT-2026-0342 (tilsluttet efter første runde)",
    ),
]

STEERING, PROJECT, BUYER = "steering_group", "project_group", "procurement_office"
BODIES = {
    STEERING: "Styregruppe (med KL)",
    PROJECT: "Projektgruppe",
    BUYER: "KOMBIT Udbud",
}

# Per municipality: its representative in the project group, its kommunaldirektør (the data
# controller who signs the data processing agreement) and a user representative.
MUNICIPAL_PEOPLE = {
    "aarhus": [("Rasmus", "Nørgaard"), ("Birgitte", "Lauridsen"), ("Camilla", "Thomsen")],
    "silkeborg": [("Jesper", "Lund"), ("Hanne", "Brøndum"), ("Maja", "Sørensen")],
    "skanderborg": [("Mikkel", "Østergaard"), ("Lars", "Mølgaard"), ("Sofie", "Dam")],
    "favrskov": [("Peter", "Skov"), ("Anette", "Bundgaard"), ("Ida", "Vinther")],
    "horsens": [("Thomas", "Rask"), ("Kirsten", "Damgaard"), ("Louise", "Juhl")],
}
MUNICIPAL_ROLES = [
    ("netvaerk", Role.MUNICIPAL_REPRESENTATIVE, PROJECT),
    ("kommunaldirektor", Role.CHIEF_EXECUTIVE, None),
    ("bruger", Role.USER_REPRESENTATIVE, None),
]
PEOPLE = [
    DemoPerson("projektleder", "Mette", "Kjærgaard", Role.COORDINATOR, body=STEERING),
    DemoPerson("indkober", "Søren", "Vestergaard", Role.REGIONAL_BUYER, body=BUYER),
    DemoPerson("evaluator.aarhus", "Lone", "Bech", Role.EVALUATOR, municipality="aarhus"),
] + [
    DemoPerson(f"{prefix}.{slug}", first, last, role, municipality=slug, body=body)
    for slug, names in MUNICIPAL_PEOPLE.items()
    for (prefix, role, body), (first, last) in zip(MUNICIPAL_ROLES, names, strict=True)
]

# The network's own words for the national phases (seed 004), deliverables and gates.
PHASE_WORDING = {
    "intake": {
        "name": "Indmelding",
        "description": (
            "Behovet er meldt ind til netværket. De øvrige kommuner inviteres og svarer, om de vil "
            "deltage, og deltagerne aftaler fordelingen af omkostningerne."
        ),
    },
    "needs": {
        "name": "Afdække behov",
        "guide_step": "Afdække behov",
        "description": (
            "Indkøbet bygger på borgernes og medarbejdernes behov. Nedsæt et tværfagligt team, "
            "afdæk behov hos brugere, medarbejdere og driftspersonale, og tag krav til "
            "databeskyttelse, informationssikkerhed, drift og forvaltning med."
        ),
    },
    "target_picture": {
        "name": "Målbillede",
        "guide_step": "Lave målbillede",
        "description": (
            "En vision for den nye service, som alle parter forstår: hvad kommunerne vil opnå med "
            "indkøbet på kort og lang sigt, og hvordan det hænger sammen med kommunernes planer og "
            "digitaliseringsstrategi."
        ),
    },
    "market_dialogue": {
        "name": "Markedsdialog",
        "guide_step": "Gennemføre markedsdialog",
        "description": (
            "Afsøg markedet for at lære, hvilke behov der kan dækkes, og hvilke krav der er "
            "fornuftige, og formidl kommunernes mål og behov. Dialogen skal følge udbudsreglerne "
            "og princippet om ligebehandling."
        ),
    },
    "strategy": {
        "name": "Strategi og business case",
        "guide_step": "Lægge strategi, lave business case, etablere samarbejde og team",
        "description": (
            "Udbudsstrategien afgør, hvad der købes, alene eller sammen, og leverance- og "
            "kontraktmodel. Business casen vejer omkostninger mod gevinster i forhold til et "
            "nulalternativ. Kommunerne indgår en skriftlig aftale og nedsætter indkøbs- og "
            "evalueringsgruppe."
        ),
        "decision": (
            "Giver de afdækkede behov, målbilledet og markedsdialogen grundlag for at gennemføre "
            "indkøbet? Hvad skal købes? Skal kommunen købe alene eller sammen med andre?"
        ),
    },
    "procedure": {
        "name": "Udbudsform og plan",
        "guide_step": "Vælge udbudsform, planlægge gennemførelsen",
        "description": (
            "Vælg udbudsform ud fra behov, strategi, kontraktens værdi og tærskelværdierne, og lav "
            "en detaljeret plan for gennemførelsen, som forankres hos alle involverede."
        ),
        "decision": (
            "Hvordan finansieres udbudsprocessen? Hvem har ansvaret for hvad under udbuddet? "
            "Hvilken udbudsform skal anvendes? Dækker kravspecifikationen kommunernes behov? Er "
            "tidsplanen realistisk for alle deltagende kommuner?"
        ),
    },
    "tender_documents": {
        "name": "Udbudsmateriale",
        "guide_step": "Udarbejde udbudsmateriale",
        "description": (
            "Udbudsbetingelserne beskriver formål, ydelse og konkurrencevilkår; kravspecifikationen "
            "beskriver det behov, der skal dækkes. Projektgruppen skriver kravene, KOMBIT Udbud de "
            "øvrige dokumenter, og styregruppen godkender kravspecifikationen."
        ),
    },
    "evaluation": {
        "name": "Evaluering og tildeling",
        "guide_step": "Gennemføre udbuddet",
        "description": (
            "Udbudsbekendtgørelse, eventuelle forhandlinger og evaluering af tilbuddene efter "
            "tildelingskriterierne. Evalueringen skal dokumenteres og begrundes; indstillingen "
            "godkendes af styregruppen."
        ),
        "decision": "Eventuel prækvalifikation af ansøgere. Valg af leverandør.",
    },
    "contract": {
        "name": "Kontrakt",
        "guide_step": "Indgå kontrakt",
        "description": (
            "Underretning om tildeling med begrundelse og standstill-periode. Kontrakten "
            "underskrives, når standstill-perioden er udløbet, og ingen klage er indgivet. Den "
            "fælles databehandleraftale vedlægges og underskrives af kommunaldirektøren i hver "
            "deltagende kommune."
        ),
    },
    "acceptance_test": {
        "name": "Afprøvning",
        "guide_step": "Teste",
        "description": (
            "Afprøvningen viser, om udstyr og software opfylder de funktionelle og tekniske krav i "
            "kontrakten og fungerer i drift. Brugerrepræsentanten i hver deltagende kommune "
            "godkender leverancen."
        ),
    },
    "contract_management": {
        "name": "Kontraktstyring",
        "guide_step": "Forvalte kontrakten",
        "description": (
            "Netværket ophører, når kontrakten er underskrevet; derefter følger hver kommune op på, "
            "at leverandøren opfylder kontrakten: træk på aftalen, optioner, ændringer, fejl og "
            "afvigelser, med klart ejerskab og løbende evalueringer. Hver kommune henter selv sine "
            "gevinster."
        ),
    },
}

DELIVERABLE_WORDING = {
    "needs-mandate": (
        "Kommissorium for behovsafdækningen",
        "Projektejer, projektleder, rapportering og finansiering af behovsafdækningen.",
    ),
    "needs-plan": ("Plan for behovsafdækningen", "Aktiviteter, team, tidsplan og hvem der interviewes."),
    "needs-summary": (
        "Opsummering af de afdækkede behov",
        (
            "Personaer og brugerhistorier, tal om servicen, dagens serviceforløb, ønsket fremtidigt forløb, "
            "behov for databeskyttelse og informationssikkerhed samt behov knyttet til drift og forvaltning."
        ),
    ),
    "target-picture": (
        "Dokumenteret målbillede",
        (
            "Vision, mål på kort og lang sigt, forventede gevinster og sammenhængen med kommunernes planer og "
            "digitaliseringsstrategi."
        ),
    ),
    "market-dialogue-summary": (
        "Opsummering af markedsdialogen",
        (
            "Offentligt annonceret dialogmøde, dagsorden, en-til-en-møder, skriftlige input og referencebesøg, "
            "med læringspunkterne."
        ),
    ),
    "strategy-business-case": (
        "Udbudsstrategi med business case",
        "Nulalternativ, omkostninger og gevinster over investeringsperioden og besparelser ved at købe ind sammen.",
    ),
    "strategy-decision-basis": (
        "Beslutningsgrundlag til styregruppen",
        "Det grundlag, styregruppen beslutter på: gennemføre udbuddet eller ej.",
    ),
    "strategy-mandate": ("Mandat for udbuddet", "Fælles mandat for udbuddet."),
    "strategy-cooperation-agreement": (
        "Skriftlig aftale mellem de deltagende kommuner",
        "Med finansieringsplan og forventet ressourceforbrug pr. kommune, på grundlag af tilslutningsaftalerne.",
    ),
    "strategy-roles": ("Dokumenteret rolle- og ansvarsfordeling", ""),
    "strategy-action-plan": ("Fælles handlingsplan med alle møder", ""),
    "procedure-choice": ("Valg af udbudsform", "Valgt udbudsform med begrundelse ud fra værdi, tærskelværdier og behov."),
    "procedure-timeline": ("Tids- og milepælsplan", "Den plan, styregruppen godkender, før udbudsmaterialet skrives."),
    "procedure-action-plan": ("Handlingsplan for indkøbs- og evalueringsgruppen", ""),
    "procedure-implementation-plan": ("Skitse til implementeringsplan", ""),
    "procedure-contract-management-plan": (
        "Skitse til kontraktstyring",
        "Kontraktejer, roller og ansvar for træk på aftalen og forvaltning.",
    ),
    "tender-documents": ("Udbudsbetingelser", "Formål, kontraktvilkår, egnethedskrav, tildelingskriterier og gennemførelse."),
    "tender-requirements": ("Kravspecifikation", "Behov og krav, opdelt i mindstekrav og ønsker."),
    "tender-evaluation-model": ("Model for tilbudsevaluering", "Vægtning af pris og kvalitet, og hvordan pointskalaen bruges."),
    "evaluation-minutes": ("Referater fra forhandlingsmøder", "Kun når udbudsformen tillader forhandling."),
    "evaluation-revised-tenders": ("Reviderede tilbud", "Kun når udbudsformen tillader forhandling."),
    "evaluation-form": ("Udfyldt evalueringsskema", ""),
    "evaluation-ranking": (
        "Rangordning af tilbud og indstilling om tildeling",
        "Rangordning efter tildelingskriterierne; det dokument, styregruppen godkender.",
    ),
    "contract-award-notice": ("Underretning om tildeling", "Hvem der er indstillet, begrundelse og standstill-periode."),
    "contract-signed": ("Underskrevet kontrakt", "Baseret på statens it-standardkontrakter (K01–K04)."),
    "contract-dpa": ("Databehandleraftale", "Fælles databehandleraftale som bilag til kontrakten."),
    "acceptance-form": ("Udfyldt skema for afprøvning", ""),
    "acceptance-approval": ("Underskrevet godkendelse af leverancen", ""),
    "management-roles": (
        "Rolle- og ansvarsfordeling i kontraktopfølgningen",
        "Kontraktejer, kontraktansvarlig, målepunkter, afvigelser, træk på aftalen og evalueringer.",
    ),
}

# The national checklists in the network's words, phase by phase in the national order.
CHECKLISTS = {
    "needs": [
        "Udpeg projektejer og projektleder, og sikr finansieringen",
        "Nedsæt et tværfagligt team med indkøb og it",
        "Lær af kommuner, der har gennemført lignende indkøb",
        "Interview brugere og medarbejdere, og lav personaer/brugerhistorier",
        "Afdæk tal for dagens og det fremtidige behov for servicen",
        "Dokumentér dagens serviceforløb og det ønskede fremtidige forløb",
        "Afdæk behov for databeskyttelse, informationssikkerhed og informationsflow",
        "Afdæk behov for drift og forvaltning (oppetid, serviceniveau, fejl)",
        "Afdæk ansvarsfordelingen mellem it og servicen",
        "Opsummér behovene i en præsentation",
    ],
    "target_picture": [
        "Beskriv en vision med udgangspunkt i behovsafdækningen",
        "Bryd visionen ned i mål på kort og lang sigt",
        "Beskriv de forventede gevinster for brugere og medarbejdere",
        "Beskriv fremtidige arbejdsgange og roller for teknisk drift",
        "Medtag mål for informationsflow mellem løsningerne og servicen",
        "Knyt målbilledet til kommunernes planer og digitaliseringsstrategi",
        "Bliv enige om et fælles målbillede mellem kommunerne",
        "Forankr målbilledet hos beslutningstagerne",
    ],
    "market_dialogue": [
        "Sæt jer ind i reglerne for markedsdialog",
        "Planlæg dialogen med formål, emner og tidspunkter",
        "Annoncér dialogmødet offentligt med dagsorden",
        "Præsentér behov og mål, ikke løsninger",
        "Hold en-til-en-møder med leverandører",
        "Bed om skriftlige input og dokumentation",
        "Gennemfør referencebesøg åbent",
        "Opsummér og forankr læringspunkterne",
    ],
    "strategy": [
        "Vurdér indkøbets værdi, og om flere kommuner bør være med",
        "Afvej fordele og ulemper ved at købe ind sammen",
        "Tag stilling til leverancemodel, kontraktmodel og varighed",
        "Lav en business case med nulalternativ og investeringsperiode",
        "Anslå besparelserne ved det tværkommunale samarbejde",
        "Indgå en skriftlig aftale med fordelingsnøgle for finansieringen",
        "Nedsæt en tværkommunal indkøbs- og evalueringsgruppe",
        "Fastlæg arbejds- og mødestruktur",
        "Forelæg beslutningsgrundlaget for beslutningstageren",
    ],
    "procedure": [
        "Vælg udbudsform sammen med indkøberen",
        "Tjek kontraktværdien mod tærskelværdierne",
        "Lav tids- og milepælsplan til og med tildeling",
        "Lav handlingsplan med møder, frister, roller og ansvar",
        "Lav en foreløbig implementeringsplan, og forankr den i servicen",
        "Planlæg godkendelsen af løsningen, og hvornår der betales",
        "Lav en foreløbig plan for kontraktstyring",
        "Forelæg planen for styregruppen",
    ],
    "tender_documents": [
        "Fordel roller og ansvar for dokumenterne",
        "Samarbejd med it, indkøb, arkiv og databeskyttelsesrådgiver",
        "Beskriv kontraktvilkår, egnethedskrav og tildelingskriterier",
        "Lad evalueringsgruppen udarbejde tildelingskriterierne",
        "Beskriv behov åbent, ikke konkrete løsninger",
        "Stil krav til integration, drift, tilgængelighed og afprøvning",
        "Skeln mellem mindstekrav og ønsker",
        "Bestem, hvordan priser angives, så tilbud kan sammenlignes",
    ],
    "evaluation": [
        "Overvej at sende kravspecifikationen i høring",
        "Offentliggør udbuddet efter den valgte udbudsform og tidsplan",
        "Nedsæt et forhandlingsteam, hvor udbudsformen tillader det",
        "Forhandl, som udbudsbetingelserne beskriver",
        "Giv tilbudsgiverne tilbagemelding og mulighed for at revidere",
        "Fordel evalueringen efter kompetence, og afsæt tid",
        "Brug hele pointskalaen, og begrund pointene",
        "Få evalueringen kvalitetssikret juridisk",
    ],
    "contract": [
        "Skriv en klar begrundelse uden forretningshemmeligheder",
        "Bed om tilbud i en version, der kan deles",
        "Vent, til standstill-perioden er udløbet, og ingen klage er indgivet",
        "Brug statens it-standardkontrakter (K01–K04)",
        "Skriv afprøvning og betalingsvilkår ind i kontrakten",
        "Aftal sanktioner og målbare leverandørforpligtelser",
        "Vedlæg den fælles databehandleraftale",
        "Send de underskrevne dokumenter til kommunerne",
    ],
    "acceptance_test": [
        "Lav testplan og testscripts ud fra kontrakten",
        "Klargør lokaler, udstyr og software",
        "Sammensæt et bredt testteam med slutbrugere og it",
        "Lav brugerscenarier ud fra behovene",
        "Afprøv i realistiske omgivelser",
        "Test sikkerhed, kapacitet, integrationer og installation",
        "Registrér fejl efter en fast procedure",
        "Kontrollér support, drift og returordninger mod kontrakten",
    ],
    "contract_management": [
        "Udpeg kontraktejer og operativ kontraktansvarlig",
        "Overfør viden fra projektleder til kontraktansvarlig",
        "Gør aftalen kendt internt",
        "Hold opstartsmøde med leverandøren",
        "Lav en plan for optioner og træk på aftalen",
        "Fastlæg målepunkter og procedurer for afvigelser",
        "Evaluér aftalen og leverancerne løbende",
    ],
}

GATE_WORDING = {
    "invitations-answered": (
        "Kommunerne har svaret på invitationen",
        "Alle inviterede har svaret, eller svarfristen er udløbet.",
    ),
    "cost-shares": ("Omkostningsfordelingen er aftalt", "Deltagernes andele summerer til præcis 100 %."),
    "go-no-go": (
        "Beslutning om at gennemføre udbuddet",
        "Styregruppen afgør på grundlag af beslutningsgrundlaget, om udbuddet skal gennemføres.",
    ),
    "award": (
        "Tildeling af kontrakt",
        (
            "Indstillingen om tildeling godkendes af styregruppen, som har det endelige beslutningsmandat "
            "(kommissoriet). Netværket har intet udvalg af kommunaldirektører."
        ),
    ),
    "award-notice-sent": (
        "Underretning om tildeling er sendt",
        "Alle tilbudsgivere har fået underretningen samtidig, med begrundelse og standstill-periode.",
    ),
    "standstill-ended": (
        "Standstill-perioden er udløbet",
        "Kontrakten kan ikke underskrives, før standstill-perioden er udløbet.",
    ),
    "no-open-complaints": (
        "Ingen klage er under behandling",
        "En klage i standstill-perioden standser underskrivelsen, indtil den er afgjort.",
    ),
    "dpa": (
        "Underskrivelse af databehandleraftalen",
        "Hver deltagende kommune er dataansvarlig; kommunaldirektøren i hver af dem underskriver databehandleraftalen.",
    ),
    "acceptance": (
        "Godkendelse af leverancen",
        "Brugerrepræsentanten i hver deltagende kommune godkender leverancen efter afprøvningen.",
    ),
}
STEP_WORDING = {
    ("go-no-go", 1): "Styregruppen beslutter",
    ("award", 1): "Godkendelse i styregruppen",
    ("dpa", 1): "Kommunaldirektør i hver deltagende kommune",
    ("acceptance", 1): "Brugerrepræsentant i hver deltagende kommune",
}

# The terms of reference: the steering group meets at the particular phase transitions and
# holds the final mandate; the project group's proposals go to it. Two gates of an existing
# kind the national template does not have, added as an administrator would.
ADDED_GATES = [
    {
        "code": "plan-approved",
        "phase": phases.PROCEDURE,
        "document": "procedure-timeline",
        "name": "Styregruppens godkendelse af udbudsplanen",
        "name_en": "Steering group approval of the procurement plan",
        "description": "Styregruppen godkender tids- og milepælsplanen ved faseovergangen, før udbudsmaterialet skrives.",
        "steps": [
            {
                "order": 1,
                "role": Role.COORDINATOR,
                "scope": "body",
                "body_kind": STEERING,
                "name": "Styregruppen godkender planen",
                "name_en": "The steering group approves the plan",
            },
        ],
    },
    {
        "code": "requirements-approved",
        "phase": phases.TENDER_DOCUMENTS,
        "document": "tender-requirements",
        "document_roles": [Role.MUNICIPAL_REPRESENTATIVE],
        "name": "Godkendelse af kravspecifikationen",
        "name_en": "Approval of the requirement specification",
        "description": "Projektgruppens løsningsforslag forelægges styregruppen, som har det endelige beslutningsmandat.",
        "steps": [
            {
                "order": 1,
                "role": Role.MUNICIPAL_REPRESENTATIVE,
                "scope": "body",
                "body_kind": PROJECT,
                "name": "Projektgruppen indstiller",
                "name_en": "The project group recommends",
            },
            {
                "order": 2,
                "role": Role.COORDINATOR,
                "scope": "body",
                "body_kind": STEERING,
                "name": "Styregruppen beslutter",
                "name_en": "The steering group decides",
            },
        ],
    },
]

TEMPLATE = TemplateWording(
    note=(
        "KOMBIT-netværkets proces efter kommissoriet (seed 003): styregruppen beslutter ved "
        "faseovergangene og tildeler kontrakten; projektgruppen skriver kravene."
    ),
    phases=PHASE_WORDING,
    deliverables={code: {"name": name, "description": description} for code, (name, description) in DELIVERABLE_WORDING.items()},
    checklist={
        national: own
        for phase in NATIONAL_PHASES
        if phase["checklist"]
        for (national, _english), own in zip(phase["checklist"], CHECKLISTS[phase["code"]], strict=True)
    },
    gates={code: {"name": name, "description": description} for code, (name, description) in GATE_WORDING.items()},
    steps={key: {"name": name} for key, name in STEP_WORDING.items()},
    # The award is the steering group's alone: no committee of chief executives approves it.
    removed_steps=[("award", 2)],
    added_gates=ADDED_GATES,
)

AUTHORS = [
    ("needs-", "netvaerk.{lead}"),
    ("market-dialogue", "indkober"),
    ("procedure-", "indkober"),
    ("tender-requirements", "netvaerk.{lead}"),
    ("tender-", "indkober"),
    ("contract-award-notice", "indkober"),
]

# Texts for the deliverables every procurement of the network has, filled from its context.
TEXTS = {
    "needs-mandate": (
        "Projektejer er KOMBITs direktion; projektlederen fra KOMBIT leder netværket. "
        "Behovsafdækningen skal kortlægge behovene hos {brugere} i {kommuner} og afsluttes med en "
        "opsummering til styregruppen. Projektgruppen mødes med mindst 14 dages mellemrum, så der er "
        "tid til behovsafdækning i baglandet. Hver deltagende kommune stiller med én repræsentant i "
        "projektgruppen."
    ),
    "needs-plan": (
        "Uge 1–2: projektgruppen nedsættes med en repræsentant fra hver kommune, KOMBIT Udbud og "
        "kommunernes databeskyttelsesrådgivere.\n"
        "Uge 3–6: interview og observation i {tjeneste} og samtaler med kommunernes it-drift.\n"
        "Uge 7: tal om dagens behov og prognoser hentes fra kommunerne og Danmarks Statistik.\n"
        "Uge 8: workshop om dagens serviceforløb og det ønskede fremtidige forløb.\n"
        "Uge 9: opsummeringen forelægges styregruppen."
    ),
    "strategy-business-case": (
        "Nulalternativet er, at hver kommune fortsætter med sine nuværende løsninger og egne aftaler. "
        "Over en investeringsperiode på fem år er den samlede omkostning ved et fælles udbud beregnet "
        "til {verdi}, mod skønsmæssigt 20–25 % mere ved separate udbud, fordi udbudsprocessen, "
        "integrationerne og uddannelsen kun gennemføres én gang. Forventede gevinster: {gevinst}. Hver "
        "kommune henter sine egne gevinster efter netværkets fælles skabelon."
    ),
    "strategy-mandate": (
        "Netværkets indkøbsgruppe får mandat til at gennemføre udbuddet af {losning} på vegne af "
        "{kommuner} inden for en ramme på {verdi}, med KOMBIT Udbud som ansvarlig for udbudsform og "
        "udbudsmateriale. Gruppen rapporterer til styregruppen ved hver faseovergang."
    ),
    "strategy-cooperation-agreement": (
        "Aftale mellem {kommuner} om fælles udbud af {losning} på grundlag af hver kommunes "
        "tilslutningsaftale med KOMBIT. Udgifterne til udbuddet fordeles efter indbyggertal til "
        "kostpris; hver kommune dækker sine egne udgifter ved at deltage. Hver kommune stiller med én "
        "repræsentant i projektgruppen og deltager i evalueringsgruppen. Netværket ophører, når "
        "kontrakten er underskrevet."
    ),
    "strategy-roles": (
        "Projektejer: KOMBITs direktion. Projektleder: KOMBIT. Styregruppe: ledelsesrepræsentanter fra "
        "kommunerne, KOMBIT og KL, med det endelige beslutningsmandat. Projektgruppe: en repræsentant "
        "fra hver tilsluttet kommune, som afdækker behov og skriver kravene. KOMBIT Udbud: udbudsform "
        "og udbudsmateriale. Databeskyttelsesrådgiverne: krav til databeskyttelse og "
        "databehandleraftalen."
    ),
    "strategy-action-plan": (
        "Projektgruppen mødes hver anden onsdag kl. 9–12 på Teams, med fysiske møder i Aarhus ved hver "
        "faseovergang; der går mindst 14 dage mellem møderne. KOMBIT sender referat senest 2 "
        "arbejdsdage efter hvert møde, og referatet anses for godkendt, hvis der ikke er fremsat "
        "rettelser senest 4 arbejdsdage før næste møde. Styregruppen mødes ved de særlige "
        "faseovergange."
    ),
    "procedure-timeline": (
        "Udbudsbekendtgørelse: uge 6. Frist for spørgsmål: uge 9. Frist for tilbud: uge 12. "
        "Forhandlinger: uge 14–15. Endelige tilbud: uge 17. Evaluering: uge 18–19. Styregruppen: "
        "uge 20. Underretning om tildeling og standstill-periode: uge 21–22. Kontraktunderskrivelse: "
        "uge 23."
    ),
    "procedure-action-plan": (
        "Evalueringsgruppen består af projektgruppens repræsentanter, en it-arkitekt fra Aarhus "
        "Kommune og KOMBIT Udbud. Hver deltager afsætter to dage i uge 18 og én dag i uge 19. Kvalitet "
        "evalueres af projektgruppen, tekniske krav af it-arkitekten og pris af KOMBIT Udbud. Juridisk "
        "kvalitetssikring bestilles, før indstillingen går til styregruppen."
    ),
    "procedure-implementation-plan": (
        "Implementeringen begynder i {lead} tre måneder efter kontraktunderskrivelsen og derefter i de "
        "øvrige kommuner i to runder. Superbrugere uddannes først og lærer kollegerne op. "
        "Integrationen til omsorgssystemerne etableres før første runde, og afprøvningen gennemføres, "
        "før hver runde sættes i drift."
    ),
    "procedure-contract-management-plan": (
        "Netværket ophører, når kontrakten er underskrevet; derefter er kontrakten et anliggende mellem "
        "den enkelte kommune og leverandøren. Hver kommune udpeger en kontraktansvarlig, og kommunerne "
        "holder et fælles statusmøde med leverandøren hvert kvartal og en årlig evaluering."
    ),
}


def _project_group_meetings(today: date) -> tuple[date, date]:
    # Two meetings 14 days apart, as the terms of reference ask.
    return today + timedelta(days=7), today + timedelta(days=21)


PROCUREMENTS = [
    DemoProcurement(
        title="Fælles platform for digitalt tilsyn",
        lead="silkeborg",
        kind=NeedKind.INTRODUCE,
        funding=Funding.OWN_BUDGET,
        estimated_value=12_000_000,
        description=(
            "Silkeborg Kommune ønsker en fælles platform for digitalt tilsyn med kamera og sensorer i "
            "hjemmeplejen, plejeboligerne og plejecentrene, så borgere, der har sagt ja, kan få tilsyn "
            "om natten uden at blive vækket. Platformen skal integreres med kommunernes "
            "omsorgssystemer og deles af netværkets kommuner med fælles drift og lokal tilpasning."
        ),
        benefit_plan=(
            "Udkast til gevinstrealiseringsplan (netværkets skabelon)\n\n"
            "Gevinst 1: Færre natlige tilsynsbesøg. Nulpunkt: 38 besøg pr. nat i Silkeborg. Mål: 22 pr. "
            "nat inden for to år. Ansvarlig: leder af hjemmeplejen.\n"
            "Gevinst 2: Bedre nattesøvn for borgerne, målt i den årlige tilfredshedsundersøgelse.\n"
            "Gevinst 3: Sparet kørsel svarende til 2 årsværk i de fire kommuner.\n"
        ),
        benefit_plan_name="udkast-gevinstrealiseringsplan.txt",
        context={
            "tjeneste": "hjemmeplejen, plejeboligerne og plejecentrene",
            "brugere": "hjemmeboende ældre, borgere med demens, pårørende og medarbejdere",
            "losning": "en fælles platform for digitalt tilsyn",
            "gevinst": "færre forstyrrende natlige besøg, sparet kørsel og mere tid til de borgere, der har brug for et besøg",
        },
        answers={
            "aarhus": (True, ""),
            "skanderborg": (True, ""),
            "favrskov": (
                False,
                (
                    "Favrskov Kommune forlængede i 2025 sin aftale om skærmbesøg og kameratilsyn til 2029 og "
                    "deltager ikke i denne runde, men følger netværkets arbejde."
                ),
            ),
            "horsens": (True, ""),
        },
        stop=phases.PROCEDURE,
        cost_sharing=CostSharingMethod.POPULATION,
        deadlines=[
            ("Projektgruppemøde: gennemgang af udbudsplanen", 7, phases.PROCEDURE),
            (
                "Referat af projektgruppemødet udsendes (senest 2 arbejdsdage efter)",
                lambda today: minutes_due(_project_group_meetings(today)[0], COUNTRY),
                phases.PROCEDURE,
            ),
            (
                "Sidste frist for rettelser til referatet (4 arbejdsdage før næste møde)",
                lambda today: minutes_deemed_approved(_project_group_meetings(today)[1], COUNTRY),
                phases.PROCEDURE,
            ),
            ("Styregruppemøde: godkendelse af udbudsplanen", 28, phases.PROCEDURE),
        ],
        texts={
            "needs-summary": (
                "Projektgruppen har interviewet 41 borgere, pårørende og medarbejdere og fulgt "
                "nattevagter i alle fire kommuner. Borgerne vil gerne blive længere i eget hjem og føle "
                "sig trygge; de pårørende vil vide, at nogen reagerer, når noget sker. Medarbejderne "
                "bruger meget tid på natlige tilsynsbesøg, hvor alt er i orden.\n\n"
                "Brugerhistorier (udvalg): »Som borger med demens vil jeg have, at nogen får besked, hvis "
                "jeg går ud om natten, så jeg kan blive boende hjemme.« »Som sygeplejerske vil jeg se "
                "hændelser fra kamera og sensorer i omsorgssystemet, så jeg ikke skal registrere "
                "dobbelt.«\n\n"
                "I dag får ca. 2 400 borgere natligt tilsyn i de fire kommuner, og antallet af borgere "
                "over 80 år vokser med 45 % frem til 2035 (Danmarks Statistik). Databeskyttelse: "
                "kameratilsyn og sensordata er helbredsoplysninger og kræver en konsekvensanalyse. Drift: "
                "kommunernes it-afdelinger ønsker én løsning med 99,5 % oppetid og besked ved fejl på "
                "udstyret."
            ),
            "target-picture": (
                "Vision: »Tryg i eget hjem – med det rette tilsyn på det rette tidspunkt.«\n\n"
                "Kort sigt (2 år): digitalt tilsyn med kamera og sensorer erstatter mindst 40 % af de "
                "natlige tilsynsbesøg hos de borgere, der har sagt ja.\n"
                "Lang sigt (5 år): alle kommuner i netværket bruger samme platform, og hændelser "
                "dokumenteres automatisk i omsorgssystemet.\n\n"
                "Målbilledet følger den fælleskommunale digitaliseringsstrategi og kommunernes "
                "ældrepolitikker."
            ),
            "market-dialogue-summary": (
                "Dialogmødet blev annonceret offentligt med dagsorden og samlede ni leverandører i "
                "Aarhus. Bagefter holdt projektgruppen en-til-en-møder på 25 minutter med fem af dem og "
                "modtog fire skriftlige input. Referencebesøg i to kommuner i Region Syddanmark.\n\n"
                "Læringspunkter: markedet tilbyder platforme med åbne snitflader til de mest udbredte "
                "omsorgssystemer; kameratilsyn uden lagring af billeder er standard; leje af udstyr er "
                "almindeligt og gør udskiftning lettere."
            ),
            "strategy-decision-basis": (
                "Indstilling til styregruppen: at gennemføre et fælles udbud for Aarhus, Horsens, "
                "Silkeborg og Skanderborg Kommuner.\n\n"
                "Behovsafdækningen, målbilledet og markedsdialogen viser, at behovet er fælles, og at "
                "markedet kan dække det. Der skal købes en platform for digitalt tilsyn med kamera og "
                "sensorer, udstyr til leje og integration til omsorgssystemerne. Den samlede værdi er "
                "anslået til 12 mio. kr. over fire år, over EU's tærskelværdi, så udbuddet skal "
                "annonceres i EU-Tidende. Et fælles udbud koster skønsmæssigt 2,5 mio. kr. mindre end "
                "fire separate udbud og giver én integration pr. omsorgssystem i stedet for fire. "
                "Favrskov Kommune deltager ikke i denne runde.\n\n"
                "Styregruppen bedes beslutte, om udbuddet skal gennemføres."
            ),
            "procedure-choice": (
                "Udbud med forhandling efter udbudslovens afsnit II, fordi de tilgængelige løsninger skal "
                "tilpasses integrationen til kommunernes omsorgssystemer. Kontraktværdien er over EU's "
                "tærskelværdi, så udbuddet annonceres i EU-Tidende."
            ),
        },
    ),
]


COLLABORATION = DemoCollaboration(
    name=NAME,
    country=COUNTRY,
    time_zone="Europe/Copenhagen",
    municipalities=MUNICIPALITIES,
    bodies=BODIES,
    people=PEOPLE,
    template=TEMPLATE,
    coordinator="projektleder",
    representative="netvaerk",
    authors=AUTHORS,
    texts=TEXTS,
    placeholder="{navn} for »{tittel}« er udarbejdet og gennemgået i projektgruppen.",
    money=in_millions("mio. kr."),
    procurements=PROCUREMENTS,
)


# The network's two joining rounds and its paid work packages (seed 003: "Der skal indgås
# separat tilslutningsaftale for hvert netværk", and "betalte arbejdspakker til de kommuner
# som vælger, at aftage en sådan arbejdspakke"). The requirement-specification network
# closed weeks ago, joined by the four first members (Horsens became a member after it); the
# tender network is open for another ten days, so its reminders are due on a fresh seed, and
# Horsens pays the higher price if it joins.
SPECIFICATION_ROUND = "Kravspecifikationsnetværket"
TENDER_ROUND = "Udbudsnetværket"
SPECIFICATION_JOINED = [("aarhus", 44), ("silkeborg", 47), ("skanderborg", 45), ("favrskov", 42)]  # days ago
TENDER_JOINED = [("silkeborg", 6), ("aarhus", 3)]
WORK_PACKAGES = [
    # (title, description, kr, due in days, taken by, delivered)
    (
        "Beskrivelse af arbejdsgange for natligt tilsyn",
        "Beskriv hjemmeplejens arbejdsgange om natten fra visitation til besøg, som grundlag for kravspecifikationen.",
        45_000, 12, "aarhus", True,
    ),
    (
        "Flowdiagrammer for alarmhåndtering",
        "Tegn flowet fra en alarm fra kamera eller sensor til en medarbejder reagerer, med de systemer der indgår.",
        35_000, 3, "skanderborg", False,
    ),
    (
        "Beskrivelse af integrationen til omsorgssystemet",
        "Beskriv hvilke hændelser der skal dokumenteres i omsorgssystemet, og hvem der skal se dem.",
        30_000, 30, None, False,
    ),
]


def network_ensure(seeder, *, write) -> None:
    """The rounds and packages of the network's procurement, through the services; once (a
    procurement that has rounds is left as it is). The first round is made with its deadline
    still ahead, joined, then closed by setting its real deadline, as the coordinator would
    have seen it happen."""
    from django.db import transaction

    from ..models import JoiningRound, Procurement
    from ..services.network import joining_record, joining_round_save, work_package_deliver, work_package_save, work_package_take

    procurement = Procurement.objects.select_related("collaboration").filter(
        collaboration=seeder.collaboration, title=PROCUREMENTS[0].title
    ).first()
    if procurement is None or JoiningRound.objects.filter(procurement=procurement).exists():
        return
    coordinator = seeder.coordinator
    today = procurement.collaboration.today()
    municipality = seeder.municipalities
    with transaction.atomic():
        specification = joining_round_save(
            user=coordinator, procurement=procurement, name=SPECIFICATION_ROUND, deadline=today, price=25_000
        )
        for slug, days in SPECIFICATION_JOINED:
            joining_record(
                user=seeder.representative(slug), procurement=procurement, round_id=specification.pk,
                municipality_id=municipality[slug].pk, joined_on=today - timedelta(days=days),
                agreement=f"Tilslutningsaftale ({SPECIFICATION_ROUND}) af {today - timedelta(days=days):%d.%m.%Y}",
            )
        joining_round_save(
            user=coordinator, procurement=procurement, round_id=specification.pk, name=SPECIFICATION_ROUND,
            deadline=today - timedelta(days=40), price=25_000,
        )
        tender = joining_round_save(
            user=coordinator, procurement=procurement, name=TENDER_ROUND, deadline=today + timedelta(days=10), price=40_000,
            late_price=55_000,
        )
        for slug, days in TENDER_JOINED:
            joining_record(
                user=seeder.representative(slug), procurement=procurement, round_id=tender.pk, municipality_id=municipality[slug].pk,
                joined_on=today - timedelta(days=days), agreement=f"Tilslutningsaftale ({TENDER_ROUND}) af {today - timedelta(days=days):%d.%m.%Y}",
            )
        for title, description, payment, days, taker, delivered in WORK_PACKAGES:
            package = work_package_save(
                user=coordinator, procurement=procurement, title=title, description=description, payment=payment,
                due_date=today + timedelta(days=days),
            )
            if taker:
                work_package_take(user=seeder.representative(taker), procurement=procurement, package_id=package.pk, municipality_id=municipality[taker].pk)
            if delivered:
                work_package_deliver(user=seeder.representative(taker), procurement=procurement, package_id=package.pk)
    write(f"  {procurement.title}: 2 tilslutningsrunder, {len(WORK_PACKAGES)} arbejdspakker")
