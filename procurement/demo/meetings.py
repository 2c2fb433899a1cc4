"""The demo's meetings (seed 003), in Kongsbergregionen's archive procurement, so a newcomer
sees every state of the minutes after `make run`:

- the project group's first meeting, seven weeks ago: minutes sent the next day, no
  correction by the 4th working day before the second meeting, so approved by themselves
  (by the same task beat runs hourly, with its audit entry);
- its second meeting, four weeks ago: minutes sent, a participant has sent a correction;
- its third and fourth meetings ahead, eight days apart: the series warning;
- SuksIT's status meeting three working days ago, whose minutes are overdue: the secretary's
  reminders are in the outbox;
- the collaborations' own meetings, of no procurement (samarbeid/<id>/moter/): SuksIT's
  steering group meetings in Kongsbergregionen (the first one's minutes approved by
  themselves, the second's open for corrections, a third ahead), and the KOMBIT network's
  meetings in Danish (minutes sent, a correction from Silkeborg, the next meeting ahead).

Made through the services; only the minutes' sending times are moved back to the day after
each meeting (the services stamp "now"), as if the secretary had sent them then. Runs once
per procurement: one that has meetings is left as it is."""
from datetime import datetime, time, timedelta

from django.db import transaction

from meetings.models import Meeting, MeetingGroup
from meetings.services import correction_submit, meeting_plan, minutes_approve_due, minutes_send

from ..deadlines import add_working_days, next_working_day_on_or_after, subtract_working_days
from ..models import Procurement
from . import kombit

PROCUREMENT = "Felles sak- og arkivsystem"

MINUTES_1 = (
    "1. Oppstart. Prosjektgruppen er satt sammen med arkivarer fra Kongsberg, Notodden og Tinn og "
    "en arkitekt fra K-IKT.\n"
    "2. Arbeidsform. Møter hver tredje uke; referat senest to virkedager etter møtet.\n"
    "3. Til neste møte: hver kommune beskriver dagens rutine for journalføring."
)
MINUTES_2 = (
    "1. Behovene. Alle kommunene journalfører manuelt fra fagsystemene for barnevern og byggesak.\n"
    "2. Migrering. Historiske data fra 2012 og senere skal med; eldre avleveres til depot.\n"
    "3. Vedtak: kravene til eInnsyn skrives av Notodden til neste møte."
)


def _at(day, hour: int, zone) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=zone)


def meetings_ensure(seeder, *, write) -> None:
    procurement = Procurement.objects.select_related("collaboration").filter(
        collaboration=seeder.collaboration, title=PROCUREMENT
    ).first()
    if procurement is None or Meeting.objects.filter(procurement=procurement).exists():
        return
    collaboration = procurement.collaboration
    zone, country = collaboration.tzinfo, collaboration.country
    today = collaboration.today()
    tuesday = today - timedelta(days=today.weekday() - 1)
    coordinator, archive, architect, buyer = (seeder.person(u) for u in ("koordinator", "arkiv", "arkitekt", "innkjoper"))
    members = [seeder.representative(slug) for slug in ("kongsberg", "notodden", "tinn")]
    # Kongsberg's union representative takes part in the project group (seed 000: "det
    # vurderes om det er ønskelig at tillitsvalgt deltar"), and so does its evaluator-to-be.
    group = [coordinator, architect, *members, *(seeder.person(u) for u in ("tillitsvalgt.kongsberg", "evaluator.kongsberg"))]

    def plan(title, day, *, hour=10, kind=MeetingGroup.PROJECT_GROUP, secretary=archive, people=group, agenda=""):
        day = next_working_day_on_or_after(day, country)  # never on a public holiday
        meeting, _ = meeting_plan(
            user=coordinator,
            procurement=procurement,
            group=kind,
            title=title,
            starts_at=_at(day, hour, zone),
            duration_minutes=120,
            place="Kongsberg rådhus, møterom Lågen",
            link="https://teams.microsoft.com/l/meetup-join/demo",
            agenda=agenda,
            participants=people,
            secretary=secretary,
        )
        return meeting

    def sent_next_day(meeting: Meeting, text: str) -> Meeting:
        meeting = minutes_send(user=meeting.secretary, meeting=meeting, text=text)
        sent = _at(add_working_days(meeting.meeting_on, 1, country), 15, zone)
        Meeting.objects.filter(pk=meeting.pk).update(minutes_sent_at=sent)
        return meeting

    with transaction.atomic():
        first = plan("Prosjektgruppe 1: oppstart", tuesday - timedelta(weeks=7), agenda="1. Oppstart\n2. Arbeidsform\n3. Eventuelt")
        second = plan("Prosjektgruppe 2: behovene", tuesday - timedelta(weeks=4), agenda="1. Behovene\n2. Migrering")
        plan("Prosjektgruppe 3: kravene", tuesday + timedelta(weeks=2), agenda="1. Kravene til eInnsyn\n2. Avlevering")
        plan("Prosjektgruppe 4: konkurransegrunnlaget", tuesday + timedelta(weeks=2, days=8))
        sent_next_day(first, MINUTES_1)
        sent_next_day(second, MINUTES_2)
        correction_submit(
            user=members[1],
            meeting=second,
            text="Punkt 2: Notodden har data fra 2010, ikke 2012. Det bør stå «fra 2010 og senere».",
        )
        status = plan(
            "SuksIT: status for arkivanskaffelsen",
            subtract_working_days(today, 3, country),
            hour=13,
            kind=MeetingGroup.STEERING_GROUP,
            secretary=buyer,
            people=[coordinator, buyer, *members],
            agenda="1. Status fra prosjektgruppen\n2. Tidsplan for konkurransen",
        )
        approved = minutes_approve_due()
    write(
        f"  Møter i «{PROCUREMENT}»: 5 planlagt; referat godkjent automatisk: {len(approved)}; "
        f"referat for sent: «{status.title}»."
    )


SUKSIT_MINUTES = (
    "1. Porteføljen. SuksIT gikk gjennom de løpende anskaffelsene; arkivsystemet og "
    "velferdsteknologien har fremdrift etter planen.\n"
    "2. Budsjett 2027. K-IKT legger frem forslag til fordeling av driftskostnadene til neste møte.\n"
    "3. Vedtak: Notodden leder arbeidet med felles informasjonssikkerhetsrutiner."
)
SUKSIT_MINUTES_2 = (
    "1. Budsjett 2027. Forslaget fra K-IKT ble vedtatt med fordeling etter innbyggertall.\n"
    "2. Nye behov. Tinn og Rollag melder inn behov for felles løsning for timebestilling."
)
KOMBIT_MINUTES = (
    "1. Status. Udbuddet af velfærdsteknologiplatformen følger tidsplanen; markedsdialogen er afsluttet.\n"
    "2. Gevinster. Hver kommune opgør sin baseline efter netværkets fælles skabelon inden næste møde.\n"
    "3. Beslutning: Horsens deltager i evalueringsgruppen."
)


def collaboration_meetings_ensure(seeder, *, write) -> None:
    """The collaboration's own meetings (no procurement): SuksIT's steering group in
    Kongsbergregionen, the network in KOMBIT's (in Danish). Once per collaboration."""
    collaboration = seeder.collaboration
    if Meeting.objects.filter(collaboration=collaboration, procurement__isnull=True).exists():
        return
    zone, country = collaboration.tzinfo, collaboration.country
    today = collaboration.today()
    tuesday = today - timedelta(days=today.weekday() - 1)
    danish = seeder.spec is kombit.COLLABORATION

    def plan(title, day, *, kind, secretary, people, agenda, place, hour=13):
        meeting, _ = meeting_plan(
            user=seeder.coordinator,
            collaboration=collaboration,
            group=kind,
            title=title,
            starts_at=_at(next_working_day_on_or_after(day, country), hour, zone),
            duration_minutes=120,
            place=place,
            agenda=agenda,
            participants=people,
            secretary=secretary,
        )
        return meeting

    def sent_next_day(meeting: Meeting, text: str) -> Meeting:
        meeting = minutes_send(user=meeting.secretary, meeting=meeting, text=text)
        Meeting.objects.filter(pk=meeting.pk).update(minutes_sent_at=_at(add_working_days(meeting.meeting_on, 1, country), 15, zone))
        return meeting

    with transaction.atomic():
        if danish:
            leader, buyer = seeder.person("projektleder"), seeder.person("indkober")
            network = [leader, buyer, *(seeder.person(f"netvaerk.{slug}") for slug in kombit.MUNICIPAL_PEOPLE)]
            kwargs = {"kind": MeetingGroup.NETWORK, "secretary": buyer, "people": network, "place": "KOMBIT, Halfdansgade 8, København"}
            first = plan("Netværksmøde 1: opstart", tuesday - timedelta(weeks=3), agenda="1. Status\n2. Gevinster\n3. Evalueringsgruppen", **kwargs)
            plan("Netværksmøde 2: evalueringen", tuesday + timedelta(weeks=2), agenda="1. Evalueringsmodellen\n2. Tidsplan", **kwargs)
            sent_next_day(first, KOMBIT_MINUTES)
            correction_submit(
                user=seeder.person("netvaerk.silkeborg"),
                meeting=first,
                text="Punkt 3: Silkeborg deltager også i evalueringsgruppen. Det bør fremgå af referatet.",
            )
            made = 2
        else:
            buyer = seeder.person("innkjoper")
            suksit = [seeder.coordinator, buyer, *(seeder.representative(slug) for slug in ("kongsberg", "notodden", "tinn", "flesberg"))]
            kwargs = {"kind": MeetingGroup.STEERING_GROUP, "secretary": buyer, "people": suksit, "place": "Kongsberg rådhus, formannskapssalen"}
            first = plan("SuksIT: styringsgruppemøte 1", tuesday - timedelta(weeks=5), agenda="1. Porteføljen\n2. Budsjett 2027", **kwargs)
            second = plan("SuksIT: styringsgruppemøte 2", tuesday - timedelta(weeks=2), agenda="1. Budsjett 2027\n2. Nye behov", **kwargs)
            plan("SuksIT: styringsgruppemøte 3", tuesday + timedelta(weeks=3), agenda="1. Informasjonssikkerhet\n2. Eventuelt", **kwargs)
            sent_next_day(first, SUKSIT_MINUTES)
            sent_next_day(second, SUKSIT_MINUTES_2)
            made = 3
        approved = minutes_approve_due()
    write(f"  Samarbeidets egne møter i {collaboration.name}: {made} planlagt; referat godkjent automatisk: {len(approved)}.")
