"""Kongsbergregionen's procurement standing in the tender documents: a full requirement
specification written by its owners through the services (seed 000: the user representatives
the needs and the award criteria, K-IKT architecture, integration, security and operations, the
archive network archive, the data protection officer privacy, the regional buyer the rest),
weighted award criteria decided by the regional buyer, the tender documents' own text, and the
three documents printed as new versions of the phase's deliverables, and an exported tender
package."""
from decimal import Decimal

from tendering import documents, packages, services

# (author username, title, user story); "{lead}" is the lead municipality's slug.
NEEDS = [
    ("bruker.{lead}", "Én sak, alle opplysninger", "Som saksbehandler vil jeg se hele saken, med meldinger, tiltak og dokumenter, på ett sted."),
    ("bruker.notodden", "Frister jeg ikke går glipp av", "Som saksbehandler vil jeg varsles før lovpålagte frister løper ut."),
    ("bruker.tinn", "Ute hos familien", "Som saksbehandler på hjemmebesøk vil jeg skrive notater på nettbrett, også uten dekning."),
    ("bruker.flesberg", "Samarbeid med andre tjenester", "Som leder vil jeg kunne dele opplysninger trygt med helsestasjon og skole når loven tillater det."),
    ("bruker.hjartdal", "Rapportering uten ekstraarbeid", "Som leder vil jeg hente ut rapporter til Bufdir og kommunestyret uten å telle for hånd."),
]

# (category, author, must|should, text, need index or None, criterion key or None, weight)
REQUIREMENTS = [
    # Functional and user needs: the user representatives
    ("functional", "bruker.{lead}", "must", "Løsningen skal gi én samlet saksoversikt med meldinger, undersøkelser, tiltak, vedtak og dokumenter.", 0, None, None),
    ("functional", "bruker.{lead}", "must", "Løsningen skal støtte hele saksgangen fra bekymringsmelding til avsluttet tiltak etter barnevernsloven.", 0, None, None),
    ("functional", "bruker.notodden", "must", "Løsningen skal beregne og vise lovpålagte frister for meldinger, undersøkelser og tiltaksplaner.", 1, None, None),
    ("functional", "bruker.notodden", "should", "Løsningen bør varsle saksbehandler og leder når en frist nærmer seg, med valgfritt antall dager før.", 1, "functionality", None),
    ("functional", "bruker.tinn", "should", "Løsningen bør ha en app for nettbrett som fungerer uten nett og synkroniserer trygt når dekning er tilbake.", 2, "functionality", None),
    ("functional", "bruker.tinn", "should", "Notater fra hjemmebesøk bør kunne dikteres og gjøres om til tekst.", 2, "usability", None),
    ("functional", "bruker.flesberg", "must", "Løsningen skal ha maler for vedtak, tiltaksplaner og brev på bokmål og nynorsk.", 0, None, None),
    ("functional", "bruker.flesberg", "should", "Maler bør kunne tilpasses per kommune uten hjelp fra leverandøren.", 0, "usability", None),
    ("functional", "bruker.hjartdal", "must", "Løsningen skal lage halvårsrapportering til Statsforvalteren og KOSTRA-rapportering automatisk.", 4, None, None),
    ("functional", "bruker.hjartdal", "should", "Ledere bør ha et dashbord med saker, frister og kapasitet per saksbehandler.", 4, "usability", None),
    ("functional", "bruker.notodden", "should", "Løsningen bør være universelt utformet etter WCAG 2.1 AA i alle brukergrensesnitt, dokumentert med tilgjengelighetserklæring.", None, "usability", None),
    ("functional", "bruker.{lead}", "should", "Opplæring bør tilbys som kurs i regionen og som e-læring på norsk.", None, "delivery", None),
    # Architecture and integration: K-IKT
    ("architecture", "arkitekt", "must", "Pålogging skal skje med ID-porten for innbyggere og kommunens Entra ID for ansatte.", None, None, None),
    ("architecture", "arkitekt", "must", "Løsningen skal hente personopplysninger fra Folkeregisteret gjennom Skattetaten sitt API.", 0, None, None),
    ("architecture", "arkitekt", "must", "Løsningen skal motta bekymringsmeldinger digitalt fra den nasjonale meldingsløsningen.", 0, None, None),
    ("architecture", "arkitekt", "must", "Løsningen skal sende brev via KS SvarUt og ta imot svar via SvarInn.", 3, None, None),
    ("architecture", "arkitekt", "should", "Løsningen bør ha dokumenterte REST-API-er (OpenAPI) for alle kjernedata.", None, "functionality", None),
    ("architecture", "arkitekt", "should", "Løsningen bør støtte integrasjon mot Fiks-plattformen og framtidige nasjonale felleskomponenter.", 3, "functionality", None),
    ("architecture", "arkitekt", "must", "Løsningen skal leveres som skytjeneste, med én felles installasjon og atskilte data per kommune.", None, None, None),
    # Archive: the archive network
    ("archive", "arkiv", "must", "Løsningen skal arkivere etter Noark 5 og levere arkivuttrekk som kan avleveres til depot.", None, None, None),
    ("archive", "arkiv", "must", "Dokumenter skal journalføres automatisk i kommunens sak- og arkivsystem via Fiks arkiv.", 0, None, None),
    ("archive", "arkiv", "must", "Løsningen skal håndtere bevaring og kassasjon etter Arkivverkets bevarings- og kassasjonsvedtak for barnevern.", None, None, None),
    ("archive", "arkiv", "should", "Løsningen bør vise hvor lenge et dokument skal bevares og hvorfor.", None, "functionality", None),
    ("archive", "arkiv", "must", "Ved avtaleslutt skal alle data og dokumenter leveres i åpne formater, med metadata.", None, None, None),
    ("archive", "arkiv", "should", "Historiske saker fra dagens system bør migreres med full sporbarhet.", None, "delivery", None),
    # Privacy: the data protection officer
    ("privacy", "personvern", "must", "Leverandøren skal signere kommunenes felles databehandleravtale før oppstart.", None, None, None),
    ("privacy", "personvern", "must", "Personopplysninger skal behandles og lagres innenfor EØS.", None, None, None),
    ("privacy", "personvern", "must", "Tilgang til en sak skal styres etter tjenstlig behov, og all innsyn skal logges.", 3, None, None),
    ("privacy", "personvern", "must", "Løsningen skal gi den registrerte innsyn i egne opplysninger og logg over hvem som har sett dem.", None, None, None),
    ("privacy", "personvern", "should", "Løsningen bør støtte sperring av opplysninger om adresse og ny identitet (kode 6 og 7).", 3, "functionality", None),
    ("privacy", "personvern", "must", "Leverandøren skal levere en vurdering av personvernkonsekvenser (DPIA) som grunnlag for kommunenes egen.", None, None, None),
    ("privacy", "personvern", "should", "Løsningen bør slette eller anonymisere opplysninger automatisk etter fastsatte regler.", None, "functionality", None),
    # Information security: K-IKT and the data protection officer
    ("security", "arkitekt", "must", "Løsningen skal ha tofaktorautentisering for alle ansatte.", None, None, None),
    ("security", "arkitekt", "must", "Data skal krypteres under overføring (TLS 1.2 eller nyere) og ved lagring.", None, None, None),
    ("security", "personvern", "must", "Leverandøren skal varsle sikkerhetsbrudd innen 24 timer.", None, None, None),
    ("security", "arkitekt", "should", "Leverandøren bør være sertifisert etter ISO/IEC 27001 eller dokumentere tilsvarende styringssystem.", None, "delivery", None),
    ("security", "arkitekt", "must", "Leverandøren skal gjennomføre en uavhengig penetrasjonstest før produksjonssetting og deretter årlig.", None, None, None),
    # Operations: K-IKT
    ("operations", "arkitekt", "must", "Oppetiden skal være minst 99,5 % målt per måned, utenom avtalte vedlikeholdsvinduer.", None, None, None),
    ("operations", "arkitekt", "must", "Brukerstøtte skal være tilgjengelig på norsk på hverdager 08.00–16.00.", None, None, None),
    ("operations", "arkitekt", "should", "Leverandøren bør ha beredskap for kritiske feil døgnet rundt.", None, "delivery", None),
    ("operations", "arkitekt", "should", "Nye versjoner bør kunne testes i et eget testmiljø to uker før de settes i produksjon.", None, "delivery", None),
    ("operations", "arkitekt", "must", "Sikkerhetskopier skal tas daglig og kunne gjenopprettes innen 8 timer.", None, None, None),
    # Other requirements: the regional buyer
    ("other", "innkjoper", "must", "Kontrakten inngås på SSA-L, med databehandleravtalen som bilag.", None, None, None),
    ("other", "innkjoper", "must", "Alle priser skal oppgis i prisskjemaet, i norske kroner eksklusive merverdiavgift.", None, None, None),
    ("other", "innkjoper", "should", "Leverandøren bør legge fram en fremdriftsplan for innføring i alle seks kommuner innen ett år.", None, "delivery", Decimal("10")),
]

# key -> (author, name, description, weight, parent key, is price)
CRITERIA = [
    ("quality", "bruker.{lead}", "Kvalitet", "Hvor godt løsningen dekker behovene i kravspesifikasjonen.", Decimal("60"), None, False),
    ("functionality", "bruker.{lead}", "Funksjonalitet", "Bør-kravene til saksgang, integrasjon, arkiv og personvern.", Decimal("50"), "quality", False),
    ("usability", "bruker.notodden", "Brukervennlighet", "Demonstrasjon med saksbehandlere fra kommunene.", Decimal("30"), "quality", False),
    ("delivery", "bruker.tinn", "Gjennomføring og service", "Plan for innføring, opplæring, migrering og brukerstøtte.", Decimal("20"), "quality", False),
    ("price", "innkjoper", "Pris", "Samlet pris for fire år etter prisskjemaet.", Decimal("40"), None, True),
]

QUALIFICATIONS = [
    ("Leverandøren skal være registrert i et foretaksregister.", "Firmaattest eller tilsvarende."),
    ("Leverandøren skal ha god økonomisk og finansiell kapasitet.", "Årsregnskap for de to siste årene, med revisjonsberetning."),
    ("Leverandøren skal ha erfaring fra minst to tilsvarende leveranser til kommuner de siste fem årene.", "Referanseliste med kontaktpersoner."),
]

INSTRUCTIONS = (
    "Tilbud leveres elektronisk i konkurransegjennomføringsverktøyet innen tilbudsfristen. Tilbudet skal inneholde "
    "utfylt kravmatrise, prisskjema og dokumentasjon av kvalifikasjonskravene.\n\n"
    "Spørsmål til konkurransegrunnlaget stilles i verktøyet. Svar og avklaringer sendes anonymisert til alle tilbyderne."
)
PROCEDURE = (
    "Åpen anbudskonkurranse etter anskaffelsesforskriften del III. Forhandlinger er ikke tillatt. Oppdragsgiver er "
    "Kongsbergregionens regionale innkjøper på vegne av de deltakende kommunene."
)
TIMETABLE = (
    "Kunngjøring på Doffin og i TED: uke 1\nFrist for spørsmål: 10 dager før tilbudsfristen\nTilbudsfrist: 35 dager etter "
    "kunngjøring\nDemonstrasjoner: uke 8\nPlanlagt meddelelse om tildeling: uke 10\nKarensperiode: 10 dager"
)


def specification_seed(seeder, procurement) -> None:
    """Writes the specification through the services, each part by its owner."""
    lead = next(slug for slug, m in seeder.municipalities.items() if m.pk == procurement.lead_municipality_id)

    def person(username: str):
        return seeder.person(username.format(lead=lead))

    needs = [
        services.need_add(user=person(author), procurement=procurement, title=title, text=text) for author, title, text in NEEDS
    ]
    criteria = {}
    for key, author, name, description, weight, parent, is_price in CRITERIA:
        criteria[key] = services.criterion_propose(
            user=person(author),
            procurement=procurement,
            name=name,
            description=description,
            weight=weight,
            parent_id=criteria[parent].pk if parent else None,
            is_price=is_price,
        )
    for category, author, kind, text, need, criterion, weight in REQUIREMENTS:
        services.requirement_add(
            user=person(author),
            procurement=procurement,
            category=category,
            kind=kind,
            text=text,
            need_id=needs[need].pk if need is not None else None,
            criterion_id=criteria[criterion].pk if criterion else None,
            weight=weight,
        )
    buyer = seeder.person("innkjoper")
    services.criteria_decide(user=buyer, procurement=procurement)
    services.tender_text_save(
        user=buyer, procurement=procurement, instructions=INSTRUCTIONS, procedure_text=PROCEDURE, timetable=TIMETABLE,
        price_model="linear", price_clamp_at_zero=False,
    )
    for text, evidence in QUALIFICATIONS:
        services.qualification_add(user=buyer, procurement=procurement, text=text, evidence=evidence)
    services.comment_add(
        user=seeder.person("tillitsvalgt.kongsberg"),
        procurement=procurement,
        category="functional",
        text="De ansatte ønsker at appen for hjemmebesøk prøves ut i en pilot før den tas i bruk i alle kommunene.",
    )
    for key in documents.DOCUMENTS:
        documents.document_version_add(user=buyer, procurement=procurement, document=key)
    # The exported package: built here rather than by the worker, so the demo shows it at once
    # (the task queued on commit finds it done and does nothing).
    package = packages.tender_package_request(user=buyer, procurement=procurement)
    packages.tender_package_build(package_id=package.pk)


LIBRARY_TARGET = "Felles sak- og arkivsystem"


def library_seed(seeder, source) -> None:
    """The reuse library in use: the archive network copies two of its archive requirements from
    SOURCE's specification into the case and archive system's, still in its strategy phase, so
    that specification shows where they were taken from."""
    from procurement.models import Procurement

    target = Procurement.objects.filter(collaboration=source.collaboration, title=LIBRARY_TARGET).first()
    if target is None:
        return
    archivist = seeder.person("arkiv")
    for requirement in source.specification.requirements.filter(category="archive").order_by("ref")[:2]:
        services.library_copy(user=archivist, procurement=target, kind="requirement", source_id=requirement.pk)
