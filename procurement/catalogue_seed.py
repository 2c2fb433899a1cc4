"""The national process template: phases, deliverables, checklist items and gates taken
from the national quick guide to procuring welfare technology (seed 004) and the common
routine of a municipal collaboration (seed 000).

Plain data and functions that work on whichever model registry they are given (the live
one, or a historical one), so that they never import the procurement models. Literal
strings are used for phases, roles, scopes and gate kinds rather than the enums; a test
checks that they still match. The template is installed after `migrate` when none exists
(procurement.apps) and never overwritten: an administrator's edits become new versions.
"""
from __future__ import annotations

INTAKE_PHASE: dict = {
    "code": "intake",
    "order": 0,
    "name": "Innmelding",
    "name_en": "Intake",
    "guide_step": "",
    "description": (
        "Behovet er meldt inn til samarbeidet. De andre kommunene inviteres og svarer om de blir med, "
        "og deltakerne blir enige om kostnadsfordelingen (felles rutine, punkt 1–3)."
    ),
    "decision": "",
    "deliverables": [],
    "checklist": [],
}

PHASES: list[dict] = [
    INTAKE_PHASE,
    {
        "code": "needs",
        "order": 1,
        "name": "Kartlegge behov",
        "name_en": "Needs mapping",
        "guide_step": "Kartlegge behov",
        "description": (
            "Anskaffelsen bygger på behovene til innbyggerne og de ansatte i tjenesten. Sett opp et "
            "tverrfaglig team, kartlegg behov hos brukere, ansatte og driftspersonell, og ta med krav "
            "til personvern, informasjonssikkerhet, drift og forvaltning."
        ),
        "decision": "",
        "deliverables": [
            {
                "code": "needs-mandate",
                "name": "Mandat for behovsfasen",
                "name_en": "Mandate for the needs phase",
                "kind": "either",
                "description": "Prosjekteier, prosjektleder, rapportering og finansiering av behovsfasen.",
            },
            {
                "code": "needs-plan",
                "name": "Plan for behovsfasen",
                "name_en": "Plan for the needs phase",
                "kind": "either",
                "description": "Aktiviteter, team, tidsplan og hvem som intervjues.",
            },
            {
                "code": "needs-summary",
                "name": "Oppsummering av kartlagte behov",
                "name_en": "Summary of mapped needs",
                "kind": "either",
                "description": (
                    "Personas og brukerhistorier, tall om tjenesten, dagens tjenestereise, ønsket "
                    "fremtidig tjenesteforløp, behov for personvern og informasjonssikkerhet, og behov "
                    "knyttet til drift og forvaltning."
                ),
            },
        ],
        "checklist": [
            ("Utpek prosjekteier og prosjektleder, og sikre finansiering", "Appoint project owner and project lead, and secure funding"),
            ("Sett opp et tverrfaglig team med innkjøp og IKT", "Set up a cross-disciplinary team including procurement and ICT"),
            ("Lær av kommuner som har gjort tilsvarende anskaffelser", "Learn from municipalities that have made similar procurements"),
            ("Intervju brukere og ansatte, og lag personas/brukerhistorier", "Interview users and staff, and write personas/user stories"),
            ("Kartlegg tall om dagens og fremtidig tjenestebehov", "Map figures on today's and future service demand"),
            ("Dokumenter dagens tjenestereise og ønsket fremtidig forløp", "Document today's service journey and the desired future one"),
            ("Kartlegg behov for personvern, informasjonssikkerhet og informasjonsflyt", "Map needs for privacy, information security and information flow"),
            ("Kartlegg behov for drift og forvaltning (oppetid, servicenivå, feil)", "Map operations and maintenance needs (uptime, service levels, faults)"),
            ("Kartlegg ansvarsfordelingen mellom IKT og tjenesten", "Map the division of responsibility between ICT and the service"),
            ("Oppsummer behovene i en presentasjon", "Summarise the needs in a presentation"),
        ],
    },
    {
        "code": "target_picture",
        "order": 2,
        "name": "Lage målbilde",
        "name_en": "Target picture",
        "guide_step": "Lage målbilde",
        "description": (
            "En visjon for den nye tjenesten som alle parter forstår: hva kommunene vil oppnå med "
            "anskaffelsen, på kort og lang sikt, og hvordan det henger sammen med kommunenes planer og "
            "digitaliseringsstrategi."
        ),
        "decision": "",
        "deliverables": [
            {
                "code": "target-picture",
                "name": "Dokumentert målbilde",
                "name_en": "Documented target picture",
                "kind": "either",
                "description": (
                    "Visjon, mål på kort og lang sikt, forventede gevinster og sammenhengen med "
                    "kommunenes planer og digitaliseringsstrategi."
                ),
            },
        ],
        "checklist": [
            ("Beskriv en visjon med utgangspunkt i behovskartleggingen", "Describe a vision based on the needs mapping"),
            ("Bryt visjonen ned i mål på kort og lang sikt", "Break the vision down into short- and long-term goals"),
            ("Beskriv forventede gevinster for brukere og ansatte", "Describe the expected benefits for users and staff"),
            ("Beskriv fremtidige arbeidsprosesser og roller for teknisk drift", "Describe future work processes and roles for technical operations"),
            ("Ta med mål om informasjonsflyt mellom løsninger og tjenesten", "Include goals for information flow between solutions and the service"),
            ("Knytt målbildet til kommunenes planer og digitaliseringsstrategi", "Link the target picture to the municipalities' plans and digital strategy"),
            ("Bli enige om et felles målbilde mellom kommunene", "Agree on a common target picture between the municipalities"),
            ("Forankre målbildet hos beslutningstakerne", "Anchor the target picture with the decision makers"),
        ],
    },
    {
        "code": "market_dialogue",
        "order": 3,
        "name": "Markedsdialog",
        "name_en": "Market dialogue",
        "guide_step": "Gjennomføre markedsdialog",
        "description": (
            "Sonder markedet for å lære hvilke behov som kan dekkes og hvilke krav som er fornuftige, "
            "og formidle kommunenes mål og behov. Dialogen skal følge regelverket og prinsippet om "
            "likebehandling."
        ),
        "decision": "",
        "deliverables": [
            {
                "code": "market-dialogue-summary",
                "name": "Oppsummering fra leverandørdialog",
                "name_en": "Summary of the supplier dialogue",
                "kind": "either",
                "description": (
                    "Dialogkonferanse kunngjort på Doffin, agenda, én-til-én-møter, skriftlige innspill "
                    "og referansebesøk, med læringspunktene."
                ),
            },
        ],
        "checklist": [
            ("Sett dere inn i regelverket for leverandørdialog", "Learn the rules for supplier dialogue"),
            ("Planlegg dialogen med formål, tema og tidspunkt", "Plan the dialogue with purpose, topics and timing"),
            ("Kunngjør dialogkonferansen med agenda på Doffin", "Announce the dialogue conference with an agenda on Doffin"),
            ("Presenter behov og mål, ikke løsninger", "Present needs and goals, not solutions"),
            ("Hold én-til-én-møter med leverandører", "Hold one-to-one meetings with suppliers"),
            ("Be om skriftlige innspill og dokumentasjon", "Ask for written input and documentation"),
            ("Gjennomfør referansebesøk åpent", "Make reference visits openly"),
            ("Oppsummer og forankre læringspunktene", "Summarise and anchor the lessons learned"),
        ],
    },
    {
        "code": "strategy",
        "order": 4,
        "name": "Strategi og business case",
        "name_en": "Strategy and business case",
        "guide_step": "Lage strategi, Lage business case, Etablere samarbeid og team",
        "description": (
            "Anskaffelsesstrategien avgjør hva som kjøpes, alene eller sammen, leveranse- og "
            "avtalemodell. Business caset veier kostnader mot nytte mot et nullalternativ. Kommunene "
            "inngår en skriftlig avtale og etablerer anskaffelses- og evalueringsgruppe."
        ),
        "decision": (
            "Gir de kartlagte behovene, målbildet og markedsdialogen grunnlag for å gjennomføre "
            "anskaffelsen? Hva skal anskaffes? Skal kommunen anskaffe alene eller sammen med andre?"
        ),
        "deliverables": [
            {
                "code": "strategy-business-case",
                "name": "Anskaffelsesstrategi med business case",
                "name_en": "Procurement strategy with business case",
                "kind": "either",
                "description": (
                    "Nullalternativ, kostnader og nytte over investeringsperioden, og besparelser ved å "
                    "anskaffe sammen."
                ),
            },
            {
                "code": "strategy-decision-basis",
                "name": "Beslutningsunderlag til prosjekteier",
                "name_en": "Decision basis for the project owner",
                "kind": "either",
                "description": "Grunnlaget styringsgruppen beslutter på: gjennomføre anskaffelsen eller ikke.",
            },
            {
                "code": "strategy-mandate",
                "name": "Mandat for anskaffelsen",
                "name_en": "Procurement mandate",
                "kind": "either",
                "description": "Felles mandat for anskaffelsen.",
            },
            {
                "code": "strategy-cooperation-agreement",
                "name": "Skriftlig avtale mellom deltakerkommunene",
                "name_en": "Written agreement between the participating municipalities",
                "kind": "either",
                "description": "Med finansieringsplan og estimert ressursbruk per kommune.",
            },
            {
                "code": "strategy-roles",
                "name": "Dokumentert rolle- og ansvarsfordeling",
                "name_en": "Documented roles and responsibilities",
                "kind": "either",
                "description": "",
            },
            {
                "code": "strategy-action-plan",
                "name": "Felles handlingsplan med alle møter",
                "name_en": "Joint action plan with all meetings",
                "kind": "either",
                "description": "",
            },
        ],
        "checklist": [
            ("Vurder anskaffelsens verdi og om flere kommuner bør være med", "Assess the value and whether more municipalities should join"),
            ("Vei fordeler og ulemper ved å anskaffe sammen", "Weigh the pros and cons of procuring together"),
            ("Ta stilling til leveransemodell, avtalemodell og varighet", "Decide delivery model, contract model and duration"),
            ("Lag business case med nullalternativ og investeringsperiode", "Build a business case with a null alternative and investment period"),
            ("Estimer besparelser ved interkommunalt samarbeid", "Estimate savings from inter-municipal cooperation"),
            ("Inngå skriftlig avtale med fordelingsnøkkel for finansiering", "Sign a written agreement with a key for sharing costs"),
            ("Etabler interkommunal anskaffelses- og evalueringsgruppe", "Set up an inter-municipal procurement and evaluation group"),
            ("Etabler arbeids- og møtestruktur", "Set up a working and meeting structure"),
            ("Legg beslutningsunderlaget frem for beslutningstaker", "Present the decision basis to the decision maker"),
        ],
    },
    {
        "code": "procedure",
        "order": 5,
        "name": "Prosedyre og plan",
        "name_en": "Procedure and plan",
        "guide_step": "Velge prosedyre, Planlegge gjennomføringen",
        "description": (
            "Velg prosedyre ut fra behov, strategi, kontraktens verdi og terskelverdiene, og lag en "
            "detaljert plan for gjennomføringen som forankres hos alle involverte."
        ),
        "decision": (
            "Hvordan skal anskaffelsesprosessen finansieres? Hvem har ansvar for hva under "
            "anskaffelsen? Hvilken anskaffelsesprosedyre skal benyttes? Dekker kravspesifikasjonen "
            "kommunenes behov? Er tidsplanen realistisk for alle deltakende kommuner?"
        ),
        "deliverables": [
            {
                "code": "procedure-choice",
                "name": "Valg av prosedyre",
                "name_en": "Choice of procedure",
                "kind": "either",
                "description": "Valgt prosedyre med begrunnelse ut fra verdi, terskelverdier og behov.",
            },
            {
                "code": "procedure-timeline",
                "name": "Tids- og milepælsplan",
                "name_en": "Timeline and milestones",
                "kind": "either",
                "description": "",
            },
            {
                "code": "procedure-action-plan",
                "name": "Handlingsplan for anskaffelses- og evalueringsgruppen",
                "name_en": "Action plan for the procurement and evaluation group",
                "kind": "either",
                "description": "",
            },
            {
                "code": "procedure-implementation-plan",
                "name": "Skisse til implementeringsplan",
                "name_en": "Draft implementation plan",
                "kind": "either",
                "description": "",
            },
            {
                "code": "procedure-contract-management-plan",
                "name": "Skisse til avtaleforvaltning",
                "name_en": "Draft contract-management plan",
                "kind": "either",
                "description": "Kontraktseier, roller og ansvar for avrop og forvaltning.",
            },
        ],
        "checklist": [
            ("Velg prosedyre sammen med innkjøpsressursene", "Choose the procedure together with the procurement staff"),
            ("Sjekk kontraktsverdi mot terskelverdiene", "Check the contract value against the thresholds"),
            ("Lag tids- og milepælsplan til og med tildeling", "Make a timeline with milestones up to award"),
            ("Lag handlingsplan med møter, frister, roller og ansvar", "Make an action plan with meetings, deadlines, roles and responsibilities"),
            ("Lag midlertidig implementeringsplan og forankre den i tjenesten", "Draft an implementation plan and anchor it in the service"),
            ("Planlegg akseptanse av løsningen og når betaling skjer", "Plan acceptance of the solution and when payment is made"),
            ("Lag foreløpig plan for avtaleforvaltning", "Draft a contract-management plan"),
            ("Legg planen frem for styringsgruppen", "Present the plan to the steering group"),
        ],
    },
    {
        "code": "tender_documents",
        "order": 6,
        "name": "Konkurransegrunnlag",
        "name_en": "Tender documents",
        "guide_step": "Utarbeide underlag",
        "description": (
            "Konkurransegrunnlaget beskriver formål, ytelse og konkurransevilkår; kravspesifikasjonen "
            "beskriver behovet som skal dekkes. Felles IKT-drift, arkivnettverket og personvernombudet skriver "
            "sine krav; regional innkjøper de øvrige dokumentene."
        ),
        "decision": "",
        "deliverables": [
            {
                "code": "tender-documents",
                "name": "Konkurransegrunnlag",
                "name_en": "Tender documents",
                "kind": "either",
                "description": "Formål, kontraktsvilkår, kvalifikasjonskrav, tildelingskriterier og gjennomføring.",
            },
            {
                "code": "tender-requirements",
                "name": "Kravspesifikasjon",
                "name_en": "Requirement specification",
                "kind": "either",
                "description": "Behov og krav, skilt mellom må-krav og bør-krav.",
            },
            {
                "code": "tender-evaluation-model",
                "name": "Modell for tilbudsevaluering",
                "name_en": "Tender evaluation model",
                "kind": "either",
                "description": "Vekting av pris og kvalitet og hvordan poengskalaen brukes.",
            },
            {
                "code": "tender-dpa",
                "name": "Utkast til databehandleravtale",
                "name_en": "Draft data processing agreement",
                "kind": "either",
                "required": False,
                "description": "Felles databehandleravtale som vedlegg til konkurransegrunnlaget, laget fra avtalens data.",
            },
        ],
        "checklist": [
            ("Fordel roller og ansvar for dokumentene", "Assign roles and responsibilities for the documents"),
            ("Samarbeid med IKT, innkjøp, arkiv og personvernombud", "Work with ICT, purchasing, archive and the data protection officer"),
            ("Beskriv kontraktsvilkår, kvalifikasjonskrav og tildelingskriterier", "Describe contract terms, qualification requirements and award criteria"),
            ("La evalueringsgruppen lage tildelingskriteriene", "Let the evaluation group write the award criteria"),
            ("Beskriv behov åpent, ikke konkrete løsninger", "Describe needs openly, not specific solutions"),
            ("Still krav til integrasjon, drift, tilgjengelighet og akseptansetest", "Set requirements for integration, operations, availability and acceptance test"),
            ("Skill mellom må-krav og bør-krav", "Separate must requirements from should requirements"),
            ("Bestem hvordan pris oppgis så tilbud kan sammenlignes", "Decide how prices are given so tenders can be compared"),
        ],
    },
    {
        "code": "evaluation",
        "order": 7,
        "name": "Evaluering og tildeling",
        "name_en": "Evaluation and award",
        "guide_step": "Gjennomføre anskaffelsen",
        "description": (
            "Kunngjøring, eventuelle forhandlinger og evaluering av tilbudene mot tildelingskriteriene. "
            "Evalueringen skal dokumenteres og begrunnes; innstillingen kvalitetssikres i "
            "styringsgruppen og godkjennes av kommunedirektørene i fellesskap."
        ),
        "decision": "Eventuell prekvalifisering av leverandører. Valg av leverandør.",
        "deliverables": [
            {
                "code": "evaluation-minutes",
                "name": "Referater fra forhandlingsmøter",
                "name_en": "Minutes of negotiation meetings",
                "kind": "either",
                "required": False,
                "description": "Bare når prosedyren tillater forhandling.",
            },
            {
                "code": "evaluation-revised-tenders",
                "name": "Reviderte tilbud fra leverandør",
                "name_en": "Revised tenders",
                "kind": "document",
                "required": False,
                "description": "Bare når prosedyren tillater forhandling.",
            },
            {
                "code": "evaluation-form",
                "name": "Utfylt evalueringsskjema",
                "name_en": "Completed evaluation form",
                "kind": "either",
                "description": "",
            },
            {
                "code": "evaluation-ranking",
                "name": "Rangering av tilbud og innstilling til tildeling",
                "name_en": "Ranking of tenders and award recommendation",
                "kind": "either",
                "description": "Rangering etter tildelingskriteriene; dokumentet styringsgruppen og kommunedirektørene godkjenner.",
            },
        ],
        "checklist": [
            ("Vurder å sende kravspesifikasjonen på høring", "Consider a hearing of the requirement specification"),
            ("Kunngjør konkurransen etter valgt prosedyre og tidsplan", "Announce the competition per the chosen procedure and timeline"),
            ("Etabler forhandlingsteam der prosedyren tillater det", "Set up a negotiation team where the procedure allows it"),
            ("Forhandle slik konkurransegrunnlaget beskriver", "Negotiate as the tender documents describe"),
            ("Gi leverandørene tilbakemelding og mulighet til å revidere", "Give suppliers feedback and a chance to revise"),
            ("Fordel evalueringen etter kompetanse og sett av tid", "Divide the evaluation by competence and book the time"),
            ("Bruk hele poengskalaen og begrunn poengene", "Use the whole scoring scale and justify the scores"),
            ("Kvalitetssikre evalueringen juridisk", "Have the evaluation legally reviewed"),
        ],
    },
    {
        "code": "contract",
        "order": 8,
        "name": "Kontrakt",
        "name_en": "Contract",
        "guide_step": "Inngå kontrakt",
        "description": (
            "Meddelelse om tildeling med begrunnelse og karensperiode. Kontrakten signeres når "
            "karensperioden er ute og ingen klage er kommet. Felles databehandleravtale ligger ved og "
            "signeres av kommunedirektøren i hver deltakerkommune."
        ),
        "decision": "",
        "deliverables": [
            {
                "code": "contract-award-notice",
                "name": "Meddelelse om tildeling",
                "name_en": "Award notice",
                "kind": "either",
                "description": "Hvem som er innstilt, begrunnelse og karensperiode.",
            },
            {
                "code": "contract-signed",
                "name": "Signert kontrakt",
                "name_en": "Signed contract",
                "kind": "either",
                "description": "Basert på statens standardavtaler (SSA).",
            },
            {
                "code": "contract-dpa",
                "name": "Databehandleravtale",
                "name_en": "Data processing agreement",
                "kind": "either",
                "description": "Felles databehandleravtale som vedlegg til kontrakten.",
            },
        ],
        "checklist": [
            ("Skriv en tydelig begrunnelse uten forretningshemmeligheter", "Write clear reasons without trade secrets"),
            ("Be om sladdede tilbud som kan deles", "Ask for redacted tenders that can be shared"),
            ("Vent til karensperioden er ute og ingen klage er kommet", "Wait until the standstill period ends with no complaint"),
            ("Bruk statens standardavtaler (SSA)", "Use the state standard agreements (SSA)"),
            ("Ta akseptansetest og betalingsvilkår inn i kontrakten", "Put the acceptance test and payment terms in the contract"),
            ("Avtal sanksjoner og målbare leverandørforpliktelser", "Agree sanctions and measurable supplier obligations"),
            ("Legg ved felles databehandleravtale", "Attach the common data processing agreement"),
            ("Send signerte dokumenter til kommunene og felles IKT-drift", "Send the signed documents to the municipalities and shared IT operations"),
        ],
    },
    {
        "code": "acceptance_test",
        "order": 9,
        "name": "Akseptansetest",
        "name_en": "Acceptance test",
        "guide_step": "Teste",
        "description": (
            "Akseptansetesten viser om utstyr og programvare oppfyller de funksjonelle og tekniske "
            "kravene i avtalen og fungerer i drift. Brukerrepresentanten i hver deltakerkommune "
            "godkjenner leveransen."
        ),
        "decision": "",
        "deliverables": [
            {
                "code": "acceptance-form",
                "name": "Utfylt skjema for akseptansetest",
                "name_en": "Completed acceptance-test form",
                "kind": "either",
                "description": "",
            },
            {
                "code": "acceptance-approval",
                "name": "Signert godkjenning av leveranse",
                "name_en": "Signed approval of the delivery",
                "kind": "either",
                "description": "",
            },
        ],
        "checklist": [
            ("Lag testplan og testskript ut fra avtalen", "Write a test plan and scripts from the contract"),
            ("Tilrettelegg lokaler, utstyr og programvare", "Prepare rooms, equipment and software"),
            ("Sett sammen et bredt testteam med sluttbrukere og IKT", "Form a broad test team with end users and ICT"),
            ("Lag brukerscenarier ut fra behovene", "Write user scenarios from the needs"),
            ("Test i realistiske omgivelser", "Test in realistic surroundings"),
            ("Test sikkerhet, kapasitet, integrasjoner og installasjon", "Test security, capacity, integrations and installation"),
            ("Dokumenter feil etter en fast rutine", "Record faults following a fixed routine"),
            ("Kontroller support, drift og returordninger mot kontrakten", "Check support, operations and returns against the contract"),
        ],
    },
    {
        "code": "contract_management",
        "order": 10,
        "name": "Avtaleforvaltning",
        "name_en": "Contract management",
        "guide_step": "Forvalte avtalen",
        "description": (
            "Følg opp at leverandøren oppfyller kontrakten: avrop, opsjoner, endringer, feil og avvik, "
            "med tydelig eierskap og jevnlige evalueringer. Hver kommune har ansvar for å ta ut sine "
            "egne gevinster."
        ),
        "decision": "",
        "deliverables": [
            {
                "code": "management-roles",
                "name": "Rolle- og ansvarsfordeling i avtaleoppfølgingen",
                "name_en": "Roles and responsibilities in contract follow-up",
                "kind": "either",
                "description": "Avtaleeier, avtaleforvalter, målindikatorer, avvik, avrop og evalueringer.",
            },
        ],
        "checklist": [
            ("Utpek avtaleeier og operativ avtaleforvalter", "Appoint a contract owner and an operational contract manager"),
            ("Overfør kunnskap fra prosjektleder til avtaleforvalter", "Hand over knowledge from project lead to contract manager"),
            ("Gjør avtalen kjent internt", "Make the contract known internally"),
            ("Hold oppstartsmøte med leverandøren", "Hold a kick-off meeting with the supplier"),
            ("Lag plan for opsjoner og avrop", "Plan options and call-offs"),
            ("Etabler målindikatorer og rutiner for avvik", "Set up KPIs and routines for deviations"),
            ("Evaluer avtalen og leveransene jevnlig", "Evaluate the contract and deliveries regularly"),
        ],
    },
]

RESTRICTED_TO_EVALUATION = ["coordinator", "regional_buyer", "evaluator"]
# Tenders, prices and the evaluation are confidential until the award (and some parts after).
RESTRICTED_DELIVERABLES = {"evaluation-minutes", "evaluation-revised-tenders", "evaluation-form"}

# Gate steps name kinds of body, never a body: each collaboration says which of its bodies
# is its steering group and which is the committee of chief executives.
STEERING_GROUP = "steering_group"
EXECUTIVE_COMMITTEE = "executive_committee"

GATES: list[dict] = [
    {
        "code": "invitations-answered",
        "phase": "intake",
        "kind": "invitations_settled",
        "name": "Kommunene har svart på invitasjonen",
        "name_en": "The municipalities have answered the invitation",
        "description": "Alle inviterte har svart, eller svarfristen er ute.",
    },
    {
        "code": "cost-shares",
        "phase": "intake",
        "kind": "cost_shares_complete",
        "name": "Kostnadsfordelingen er avtalt",
        "name_en": "The cost-sharing key is agreed",
        "description": "Deltakernes andeler summerer til nøyaktig 100 %.",
    },
    {
        "code": "go-no-go",
        "phase": "strategy",
        "kind": "signatures",
        "document": "strategy-decision-basis",
        "name": "Beslutning om å gjennomføre anskaffelsen",
        "name_en": "Go/no-go decision",
        "description": "Styringsgruppen avgjør på grunnlag av beslutningsunderlaget om anskaffelsen skal gjennomføres.",
        "steps": [
            {
                "order": 1,
                "role": "coordinator",
                "scope": "body",
                "body_kind": STEERING_GROUP,
                "name": "Styringsgruppen beslutter",
                "name_en": "The steering group decides",
            },
        ],
    },
    {
        "code": "award",
        "phase": "evaluation",
        "kind": "signatures",
        "document": "evaluation-ranking",
        "name": "Tildeling av kontrakt",
        "name_en": "Contract award",
        "description": (
            "Innstillingen til tildeling kvalitetssikres i styringsgruppen og sendes deretter til "
            "kommunedirektørene i fellesskap for godkjenning (felles rutine, punkt 5)."
        ),
        "steps": [
            {
                "order": 1,
                "role": "coordinator",
                "scope": "body",
                "body_kind": STEERING_GROUP,
                "name": "Kvalitetssikring i styringsgruppen",
                "name_en": "Quality assurance in the steering group",
            },
            {
                "order": 2,
                "role": "chief_executive",
                "scope": "body",
                "body_kind": EXECUTIVE_COMMITTEE,
                "name": "Godkjenning hos kommunedirektørene",
                "name_en": "Approval by the chief executives",
            },
        ],
    },
    {
        "code": "award-notice-sent",
        "phase": "contract",
        "kind": "record_state",
        "record_kind": "award_notice",
        "record_states": "sent",
        "name": "Meddelelse om tildeling er sendt",
        "name_en": "The award notice is sent",
        "description": "Alle tilbydere har fått meddelelsen samtidig, med begrunnelse og karensperiode.",
    },
    {
        "code": "standstill-ended",
        "phase": "contract",
        "kind": "deadline_passed",
        "deadline_kind": "standstill",
        "name": "Karensperioden er over",
        "name_en": "The standstill period has ended",
        "description": "Kontrakten kan ikke signeres før karensperioden er ute.",
    },
    {
        "code": "no-open-complaints",
        "phase": "contract",
        "kind": "none_open",
        "record_kind": "complaint",
        "name": "Ingen klage er til behandling",
        "name_en": "No complaint is pending",
        "description": "En klage i karensperioden stanser signeringen til den er avgjort.",
    },
    {
        "code": "dpa",
        "phase": "contract",
        "kind": "signatures",
        "document": "contract-dpa",
        "document_roles": ["data_protection_officer"],
        "name": "Signering av databehandleravtale",
        "name_en": "Signing of the data processing agreement",
        "description": (
            "Hver deltakerkommune er behandlingsansvarlig; kommunedirektøren i hver av dem signerer "
            "databehandleravtalen (felles rutine, punkt 7)."
        ),
        "steps": [
            {
                "order": 1,
                "role": "chief_executive",
                "scope": "each_participant",
                "body_kind": "",
                "name": "Kommunedirektør i hver deltakerkommune",
                "name_en": "Chief executive in each participating municipality",
            },
        ],
    },
    {
        "code": "acceptance",
        "phase": "acceptance_test",
        "kind": "signatures",
        "document": "acceptance-approval",
        "name": "Godkjenning av leveransen",
        "name_en": "Approval of the delivery",
        "description": "Brukerrepresentanten i hver deltakerkommune godkjenner leveransen etter akseptansetesten.",
        "steps": [
            {
                "order": 1,
                "role": "user_representative",
                "scope": "each_participant",
                "body_kind": "",
                "name": "Brukerrepresentant i hver deltakerkommune",
                "name_en": "User representative in each participating municipality",
            },
        ],
    },
]

NATIONAL_TEMPLATE_NAME = "Nasjonal veileder for anskaffelse av velferdsteknologi"


def process_version_fill(apps, version, *, phases: list[dict] = PHASES, gates: list[dict] = GATES) -> None:
    """Write PHASES and GATES into VERSION (a draft or a version being created). APPS is a
    model registry: the live one, or a historical one in a migration."""
    PhaseDefinition = apps.get_model("procurement", "PhaseDefinition")
    DeliverableDefinition = apps.get_model("procurement", "DeliverableDefinition")
    ChecklistItemDefinition = apps.get_model("procurement", "ChecklistItemDefinition")
    GateDefinition = apps.get_model("procurement", "GateDefinition")
    GateStep = apps.get_model("procurement", "GateStep")

    phase_rows = {}
    documents = {}
    for phase_data in phases:
        phase = PhaseDefinition.objects.create(
            version=version,
            code=phase_data["code"],
            order=phase_data["order"],
            name=phase_data["name"],
            name_en=phase_data["name_en"],
            guide_step=phase_data["guide_step"],
            description=phase_data["description"],
            decision=phase_data["decision"],
        )
        phase_rows[phase.code] = phase
        for order, item in enumerate(phase_data["deliverables"], start=1):
            restricted = item["code"] in RESTRICTED_DELIVERABLES
            documents[item["code"]] = DeliverableDefinition.objects.create(
                version=version,
                phase=phase,
                code=item["code"],
                order=order,
                name=item["name"],
                name_en=item["name_en"],
                kind=item["kind"],
                required=item.get("required", True),
                description=item.get("description", ""),
                access="restricted" if restricted else "participants",
                access_roles=list(RESTRICTED_TO_EVALUATION) if restricted else [],
            )
        ChecklistItemDefinition.objects.bulk_create(
            ChecklistItemDefinition(phase=phase, order=order, name=name, name_en=name_en)
            for order, (name, name_en) in enumerate(phase_data["checklist"], start=1)
        )
    for order, gate_data in enumerate(gates, start=1):
        gate = GateDefinition.objects.create(
            version=version,
            code=gate_data["code"],
            phase=phase_rows[gate_data["phase"]],
            kind=gate_data["kind"],
            order=order,
            document=documents.get(gate_data.get("document", "")),
            document_roles=list(gate_data.get("document_roles", [])),
            deadline_kind=gate_data.get("deadline_kind", ""),
            record_kind=gate_data.get("record_kind", ""),
            record_states=gate_data.get("record_states", ""),
            name=gate_data["name"],
            name_en=gate_data["name_en"],
            description=gate_data["description"],
        )
        GateStep.objects.bulk_create(
            GateStep(
                gate=gate,
                order=step["order"],
                role=step["role"],
                scope=step["scope"],
                body_kind=step["body_kind"],
                name=step["name"],
                name_en=step["name_en"],
            )
            for step in gate_data.get("steps", [])
        )


# The note migration procurement.0004 gives the version it made from the old global catalogue.
CONVERTED_NOTE = "Katalogen slik den var før prosessversjonene."
SEED_NOTE = "Fra den nasjonale hurtigveilederen (seed 004)."


def national_template_ensure(apps) -> bool:
    """Install the national template as published version 1 when there is none. Never
    touches an existing version: what an administrator edited stays. One exception adds, not
    changes: a database upgraded from the global catalogue has only the version migration
    0004 made of it (no award-notice, standstill or complaint gates, nothing restricted), so
    the current content is published once as the next version for new procurements; the
    ones already running keep version 1. Returns True when it installed a version."""
    from django.db.models import Max
    from django.utils import timezone

    ProcessTemplate = apps.get_model("procurement", "ProcessTemplate")
    ProcessVersion = apps.get_model("procurement", "ProcessVersion")
    template = ProcessTemplate.objects.filter(collaboration__isnull=True).order_by("pk").first()
    if template is None:
        template = ProcessTemplate.objects.create(collaboration=None, name=NATIONAL_TEMPLATE_NAME)
    elif list(ProcessVersion.objects.filter(template=template).values_list("note", flat=True)) != [CONVERTED_NOTE]:
        return False
    number = (ProcessVersion.objects.filter(template=template).aggregate(top=Max("number"))["top"] or 0) + 1
    version = ProcessVersion.objects.create(template=template, number=number, note=SEED_NOTE, published_at=timezone.now())
    process_version_fill(apps, version)
    return True
