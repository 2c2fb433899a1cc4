"""What the procurement page shows about the award notice, the standstill period and the
complaints: read for one procurement in a fixed number of queries, judged against one
instant (the page's snapshot time), so the section and the contract phase's gates agree."""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext
from guardian.core import ObjectPermissionChecker

from procurement import deadlines as legal_time
from procurement import phases
from procurement.models import PhaseChange, PhaseChangeKind, Procurement

from .models import (
    AwardLetter,
    AwardNotice,
    AwardNoticeState,
    Complaint,
    ComplaintState,
    NoticeChannel,
    StandstillMinimum,
)
from .services import standstill_minimum

# Where the award notice and complaints are worked on; later phases show them read-only.
WRITABLE_PHASES = (phases.EVALUATION, phases.CONTRACT)
# From here on the section is part of the case, whether or not anything is recorded yet.
SHOWN_FROM = phases.PHASES.index(phases.EVALUATION)
# The phase an upheld complaint usually sends the case back to.
REOPEN_PHASE = phases.EVALUATION
REOPEN_DECISION_CHARS = 300  # keeps the prefilled reason (and the link) short


def award_section_writable(procurement: Procurement) -> bool:
    """Whether the page offers the forms for this procurement's phase (to those who run it)."""
    return procurement.state in WRITABLE_PHASES


def _reached_evaluation(procurement: Procurement) -> bool:
    if procurement.state == phases.CLOSED:
        return True
    return procurement.state in phases.PHASES and phases.PHASES.index(procurement.state) >= SHOWN_FROM


@dataclass
class Standstill:
    """The standstill period of the live notice, judged at NOW."""

    ends_on: date  # the last day of the period
    ends_at: datetime  # 24:00 of that day in the collaboration's zone
    ended: bool
    time_zone: str

    @property
    def signable_from(self) -> date:
        """The first day the contract may be signed (if no complaint is pending)."""
        return self.ends_on + timedelta(days=1)


@dataclass
class ComplaintRow:
    complaint: Complaint
    reopen_url: str = ""  # the way back to evaluation, offered for an upheld complaint
    resolve_form: object = None  # contracts.forms.ComplaintResolveForm, set by the view layer

    @property
    def anchor(self) -> str:
        return f"klage-{self.complaint.pk}"

    @property
    def is_open(self) -> bool:
        return self.complaint.state == ComplaintState.OPEN


@dataclass
class AwardSection:
    procurement: Procurement
    can_manage: bool
    writable: bool  # the forms are offered to this person
    notice: AwardNotice | None
    withdrawn: list[AwardNotice]
    standstill: Standstill | None
    minimum: StandstillMinimum | None  # in force for the live notice's channel on its date
    minimums: list[StandstillMinimum]  # in force today for each channel (no live notice)
    complaints: list[ComplaintRow]
    # An upheld complaint was decided after the live notice went out: the notice is stale.
    notice_outdated: bool = False
    # The live notice's letters to each tenderer (evaluation in the app), all recorded at notice.sent_at.
    letters: list = field(default_factory=list)
    # The forms, set by contracts.forms.award_section_forms.
    notice_form: object = None
    withdraw_form: object = None
    complaint_form: object = None
    reopen_offered: bool = False
    missing_minimum_channels: list[str] = field(default_factory=list)

    @property
    def open_complaints(self) -> list[ComplaintRow]:
        return [row for row in self.complaints if row.is_open]

    @property
    def contract_signable(self) -> bool:
        return self.notice is not None and self.standstill is not None and self.standstill.ended and not self.open_complaints


def _reopen_url(procurement: Procurement, complaint: Complaint) -> str:
    reason = gettext("Klagen fra %(complainant)s, mottatt %(date)s, er tatt til følge: %(decision)s") % {
        "complainant": complaint.complainant,
        "date": complaint.received_on.strftime("%d.%m.%Y"),
        "decision": Truncator(complaint.resolution).chars(REOPEN_DECISION_CHARS),
    }
    query = urlencode({"fase": REOPEN_PHASE, "grunn": reason})
    return f"{reverse('procurement_detail', args=[procurement.pk])}?{query}#faseendring"


def award_section(*, user, procurement: Procurement, now: datetime | None = None) -> AwardSection | None:
    """The section for PROCUREMENT as USER may see it, or None when there is nothing to show
    (the case has not reached evaluation and holds no notice or complaint) or USER may not
    see the case. NOW is the instant the standstill is judged at: pass the snapshot's, so the
    section says what the gates say. At most six queries, whatever the number of notices
    and complaints."""
    checker = ObjectPermissionChecker(user) if user.is_authenticated else None

    def may(perm: str) -> bool:
        # What user.has_perm(perm, procurement) says (global permission or the object's),
        # with the object's permissions read once for both questions.
        return checker is not None and (user.has_perm(perm) or checker.has_perm(perm, procurement))

    if not may("procurement.view_procurement"):
        return None
    now = now or timezone.now()
    notices = list(AwardNotice.objects.filter(procurement=procurement))
    complaints = list(
        Complaint.objects.filter(procurement=procurement).select_related("registered_by", "resolved_by").prefetch_related("documents")
    )
    if not (_reached_evaluation(procurement) or notices or complaints):
        return None
    collaboration = procurement.collaboration
    can_manage = may("procurement.manage_procurement")
    notice = next((n for n in notices if n.state == AwardNoticeState.SENT), None)
    standstill = minimum = None
    minimums: list[StandstillMinimum] = []
    missing: list[str] = []
    if notice is not None:
        standstill = Standstill(
            ends_on=notice.standstill_ends_on,
            ends_at=legal_time.end_of_day(notice.standstill_ends_on, collaboration.time_zone),
            ended=legal_time.has_passed(notice.standstill_ends_on, time_zone=collaboration.time_zone, now=now),
            time_zone=collaboration.time_zone,
        )
        minimum = standstill_minimum(country=collaboration.country, channel=notice.channel, on=notice.sent_on)
        letters = list(AwardLetter.objects.filter(notice=notice).select_related("tender__supplier").order_by("id"))
    else:
        letters = []
        today = timezone.localdate(now, timezone=collaboration.tzinfo)
        for channel, label in NoticeChannel.choices:
            found = standstill_minimum(country=collaboration.country, channel=channel, on=today)
            if found is None:
                missing.append(str(label))
            else:
                minimums.append(found)

    # Going back to evaluation after the decision answers an upheld complaint; until then the
    # page offers the way back.
    reopen_possible = can_manage and REOPEN_PHASE in phases.earlier_phases(procurement.state)
    reopened_at = []
    if reopen_possible and any(c.state == ComplaintState.UPHELD for c in complaints):
        reopened_at = list(
            PhaseChange.objects.filter(
                procurement=procurement, kind=PhaseChangeKind.REOPEN, to_state__in=phases.phases_between(phases.PHASES[0], REOPEN_PHASE)
            ).values_list("at", flat=True)
        )
    rows = []
    for complaint in complaints:
        row = ComplaintRow(complaint=complaint)
        if (
            reopen_possible
            and complaint.state == ComplaintState.UPHELD
            and not any(at >= complaint.resolved_at for at in reopened_at)
        ):
            row.reopen_url = _reopen_url(procurement, complaint)
        rows.append(row)
    outdated = notice is not None and any(
        c.state == ComplaintState.UPHELD and c.resolved_at >= notice.created_at for c in complaints
    )
    return AwardSection(
        procurement=procurement,
        can_manage=can_manage,
        writable=can_manage and award_section_writable(procurement),
        notice=notice,
        withdrawn=[n for n in notices if n.state == AwardNoticeState.WITHDRAWN],
        standstill=standstill,
        minimum=minimum,
        minimums=minimums,
        complaints=rows,
        notice_outdated=outdated,
        reopen_offered=any(row.reopen_url for row in rows),
        missing_minimum_channels=missing,
        letters=letters,
    )


def contract_signing_refusals(*, procurement: Procurement, now: datetime | None = None) -> list[str]:
    """Why a contract may not be signed now, in words for the person trying (empty when it
    may): no award notice sent, the standstill period still running (with the date and time
    it ends, 24:00 of its last day in the collaboration's zone), or a complaint open. For the
    service that records the contract signature to refuse with; three queries."""
    now = now or timezone.now()
    collaboration = procurement.collaboration
    reasons: list[str] = []
    notice = AwardNotice.objects.filter(procurement=procurement, state=AwardNoticeState.SENT).first()
    if notice is None:
        reasons.append(gettext("Meddelelsen om tildeling er ikke sendt, så karensperioden har ikke begynt."))
    elif not legal_time.has_passed(notice.standstill_ends_on, time_zone=collaboration.time_zone, now=now):
        reasons.append(
            gettext("Karensperioden løper til og med %(date)s kl. 24.00 (%(zone)s); kontrakten kan signeres fra %(from)s.")
            % {
                "date": notice.standstill_ends_on.strftime("%d.%m.%Y"),
                "zone": collaboration.time_zone,
                "from": (notice.standstill_ends_on + timedelta(days=1)).strftime("%d.%m.%Y kl. 00.00"),
            }
        )
    open_complaints = list(Complaint.objects.filter(procurement=procurement, state=ComplaintState.OPEN).values_list("complainant", "received_on"))
    for complainant, received_on in open_complaints:
        reasons.append(
            gettext("Klagen fra %(who)s, mottatt %(date)s, er ikke avgjort.") % {"who": complainant, "date": received_on.strftime("%d.%m.%Y")}
        )
    return reasons
