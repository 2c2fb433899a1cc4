"""Who sees and writes what in a procurement's benefit plan (seed 000: each municipality
realises its own benefits).

- Everyone who may see the procurement sees the plan's sections and its benefits.
- Those who run the procurement (coordinator, regional buyer) see and write every
  municipality's rows and see the totals.
- A municipality's people (any role held for a municipality that takes part) see and write
  that municipality's rows only, and the sums of those rows.
- The collaboration's bodies (the steering group, the chief executives' committee ...) see
  the totals, not the single municipalities' rows.
- The plan's texts and the benefits themselves are written by those who run the procurement
  and those who contribute to it. Nothing is written in a cancelled procurement."""
from dataclasses import dataclass

from municipalities.models import Body
from procurement import phases
from procurement.models import ParticipationStatus, Procurement
from procurement.selectors.access import user_signing_rights


@dataclass(frozen=True)
class BenefitRights:
    can_view: bool
    can_edit_plan: bool
    sees_all: bool  # every municipality's rows
    sees_totals: bool
    own: frozenset[int]  # municipalities whose rows this person sees and writes
    participants: frozenset[int]

    @property
    def visible(self) -> set[int] | None:
        """The municipalities whose rows are shown; None: all of them."""
        return None if self.sees_all else set(self.own)

    def may_edit_share(self, municipality_id: int) -> bool:
        return self.can_write and municipality_id in self.participants and (self.sees_all or municipality_id in self.own)

    can_write: bool = True


NO_RIGHTS = BenefitRights(False, False, False, False, frozenset(), frozenset(), can_write=False)


def benefit_rights(*, user, procurement: Procurement) -> BenefitRights:
    if not user.is_authenticated or not user.has_perm("procurement.view_procurement", procurement):
        return NO_RIGHTS
    writable = procurement.state != phases.CANCELLED
    manages = user.has_perm("procurement.manage_procurement", procurement)
    participants = frozenset(
        procurement.participations.filter(status=ParticipationStatus.JOINED).values_list("municipality_id", flat=True)
    )
    rights = user_signing_rights(user=user)
    own = frozenset(pk for _role, kind, pk in rights if kind == "m") & participants
    bodies = {pk for _role, kind, pk in rights if kind == "b"}
    in_body = bool(bodies) and Body.objects.filter(pk__in=bodies, collaboration_id=procurement.collaboration_id).exists()
    return BenefitRights(
        can_view=True,
        can_edit_plan=writable and (manages or user.has_perm("procurement.contribute_procurement", procurement)),
        sees_all=manages,
        sees_totals=manages or in_body,
        own=participants if manages else own,
        participants=participants,
        can_write=writable,
    )
