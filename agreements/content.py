"""The fixed text of the data processing agreement: the clauses and annexes, on the structure
of the EU standard contractual clauses for controllers and processors (implementing decision
2021/915, GDPR art. 28(7)), as ../shared/legal.md lists them. The agreement is a Norwegian
legal document, so its text is bokmål in every language of the screens; the parts that vary
(parties, processing, measures, sub-processors) come from the agreement's data. Pure data:
the print template and the tests read the same headings."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Clause:
    number: str
    title: str
    paragraphs: tuple[str, ...]


CLAUSES: tuple[Clause, ...] = (
    Clause("1", "Formål og virkeområde", (
        "Disse standardbestemmelsene skal sikre at personvernforordningen (EU) 2016/679 artikkel 28 nr. 3 og 4 "
        "overholdes.",
        "De behandlingsansvarlige og databehandleren i vedlegg I har sluttet seg til bestemmelsene for å sikre at "
        "artikkel 28 nr. 3 og 4 overholdes. Bestemmelsene gjelder behandlingen av personopplysninger som beskrevet i "
        "vedlegg II.",
        "Vedlegg I–IV er en del av bestemmelsene.",
    )),
    Clause("2", "Uforanderlighet", (
        "Partene forplikter seg til ikke å endre bestemmelsene, bortsett fra å fylle ut eller oppdatere "
        "opplysningene i vedleggene.",
        "Dette hindrer ikke partene i å ta bestemmelsene inn i en større kontrakt eller å legge til andre "
        "bestemmelser, så lenge disse ikke direkte eller indirekte strider mot bestemmelsene eller innskrenker de "
        "registrertes grunnleggende rettigheter eller friheter.",
    )),
    Clause("3", "Tolkning", (
        "Begreper som er definert i personvernforordningen, har samme betydning i bestemmelsene.",
        "Bestemmelsene skal leses og tolkes i lys av personvernforordningen, og ikke slik at de strider mot "
        "rettigheter og plikter der.",
    )),
    Clause("4", "Rangordning", (
        "Ved motstrid mellom disse bestemmelsene og bestemmelser i tilknyttede avtaler mellom partene, herunder "
        "kontrakten, går disse bestemmelsene foran.",
    )),
    Clause("5", "Tiltredelsesklausul", (
        "En enhet som ikke er part, kan med samtykke fra alle partene når som helst tiltre bestemmelsene som "
        "behandlingsansvarlig eller databehandler ved å fylle ut vedleggene og signere vedlegg I.",
        "Den tiltredende enheten har rettigheter og plikter etter bestemmelsene fra datoen den signerte vedlegg I, "
        "ikke for tiden før.",
    )),
    Clause("6", "Beskrivelse av behandlingen", (
        "Detaljene om behandlingen, særlig kategoriene av personopplysninger og formålene de behandles for på "
        "vegne av de behandlingsansvarlige, står i vedlegg II.",
    )),
    Clause("7", "Partenes plikter", (
        "7.1 Instrukser. Databehandleren behandler personopplysninger bare etter dokumenterte instrukser fra de "
        "behandlingsansvarlige, med mindre annet følger av EU-retten eller norsk rett. Databehandleren varsler "
        "straks dersom en instruks etter databehandlerens syn er i strid med regelverket.",
        "7.2 Formålsbegrensning. Personopplysningene behandles bare for de bestemte formålene i vedlegg II, med "
        "mindre de behandlingsansvarlige gir nye instrukser.",
        "7.3 Varighet. Behandlingen varer bare så lenge som angitt i vedlegg II.",
        "7.4 Sikkerhet. Databehandleren gjennomfører minst de tekniske og organisatoriske tiltakene i vedlegg III "
        "og gir tilgang til opplysningene bare til personer som trenger det og har taushetsplikt.",
        "7.5 Sensitive opplysninger. Behandles særlige kategorier av personopplysninger (artikkel 9) eller "
        "opplysninger om straffedommer og lovovertredelser, gjennomfører databehandleren de særlige tiltakene som "
        "står i vedlegg II.",
        "7.6 Dokumentasjon og revisjon. Databehandleren dokumenterer at bestemmelsene overholdes, besvarer "
        "spørsmål fra de behandlingsansvarlige og gir adgang til revisjoner og inspeksjoner.",
        "7.7 Bruk av underdatabehandlere. Databehandleren har de behandlingsansvarliges generelle godkjenning til å "
        "bruke underdatabehandlerne i vedlegg IV, skal varsle skriftlig om endringer minst 30 dager i forveien slik "
        "at de behandlingsansvarlige kan motsette seg dem, og skal pålegge underdatabehandlere de samme pliktene "
        "ved kontrakt.",
        "7.8 Internasjonale overføringer. Overføring til tredjeland eller en internasjonal organisasjon skjer bare "
        "etter dokumenterte instrukser og i samsvar med kapittel V i personvernforordningen.",
    )),
    Clause("8", "Bistand til de behandlingsansvarlige", (
        "Databehandleren varsler straks om henvendelser fra registrerte og bistår de behandlingsansvarlige med å "
        "oppfylle de registrertes rettigheter, med vurderinger av personvernkonsekvenser, forhåndsdrøftinger med "
        "Datatilsynet og sikkerheten ved behandlingen, med de tiltakene som står i vedlegg III.",
    )),
    Clause("9", "Melding om brudd på personopplysningssikkerheten", (
        "Ved brudd på sikkerheten ved opplysninger databehandleren behandler, melder databehandleren fra til de "
        "behandlingsansvarlige uten ugrunnet opphold etter å ha blitt kjent med bruddet, og gir de opplysningene "
        "som trengs for melding til Datatilsynet og eventuelt til de registrerte (artikkel 33 og 34).",
        "Meldingen beskriver minst bruddets art, hvilke kategorier og omtrent hvor mange registrerte og "
        "opplysninger som er berørt, sannsynlige konsekvenser og tiltakene som er eller vil bli truffet.",
    )),
    Clause("10", "Manglende etterlevelse og opphør", (
        "Bryter databehandleren bestemmelsene, kan de behandlingsansvarlige instruere databehandleren om å stanse "
        "behandlingen til bestemmelsene overholdes, og heve avtalen om behandlingen når bruddet er vesentlig eller "
        "vedvarer.",
        "Når avtalen opphører, sletter databehandleren etter de behandlingsansvarliges valg alle personopplysninger "
        "som er behandlet på deres vegne og bekrefter det, eller leverer dem tilbake og sletter eksisterende kopier, "
        "med mindre lov krever lagring.",
    )),
)

ANNEXES: tuple[tuple[str, str], ...] = (
    ("I", "Liste over parter"),
    ("II", "Beskrivelse av behandlingen"),
    ("III", "Tekniske og organisatoriske tiltak"),
    ("IV", "Liste over underdatabehandlere"),
)


def clause_headings() -> list[str]:
    return [f"Klausul {clause.number} {clause.title}" for clause in CLAUSES]


def annex_headings() -> list[str]:
    return [f"Vedlegg {number} {title}" for number, title in ANNEXES]


def lines(text: str) -> list[str]:
    """The non-empty lines of a one-per-line field, stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@dataclass(frozen=True)
class SubProcessor:
    name: str
    location: str
    activity: str


MAX_SUB_PROCESSORS = 50


def parse_sub_processors(text: str) -> list[SubProcessor]:
    """'name; country; what they do' per line. Raises ValueError(line number) for a line
    without a name and a location."""
    rows = []
    for number, line in enumerate(lines(text), start=1):
        parts = [part.strip() for part in line.split(";")]
        if len(parts) < 2 or not parts[0] or not parts[1]:
            raise ValueError(number)
        rows.append(SubProcessor(parts[0], parts[1], "; ".join(parts[2:]).strip()))
    return rows
