"""Intake: where a person may report a need, and the initiatives reported for information."""
from django.db.models import Q, QuerySet
from guardian.shortcuts import get_objects_for_user

from municipalities.models import Municipality, Region
from municipalities.roles import act_as_codename
from municipalities.selectors import coordinated_bodies

from ..models import InformationInitiative


def municipalities_for_reporting(*, user) -> QuerySet[Municipality]:
    """Municipalities the user may report a need for: their own as SuksIT member, every
    municipality of a region whose SuksIT they coordinate (the rule of can_report_for)."""
    own = get_objects_for_user(
        user, act_as_codename("suksit_member"), klass=Municipality, accept_global_perms=False
    )
    regions = coordinated_bodies(user).values("region_id")
    return Municipality.objects.filter(Q(pk__in=own.values("pk")) | Q(region_id__in=regions)).select_related("region")


def initiatives_visible(*, user) -> QuerySet[InformationInitiative]:
    """Initiatives reported for information (seed 000 point 10), visible to everyone with a
    role in a municipality or body of the region; a superuser sees them all."""
    if not user.is_authenticated:
        return InformationInitiative.objects.none()
    initiatives = InformationInitiative.objects.select_related("region", "municipality", "reported_by")
    if user.is_superuser:
        return initiatives
    regions = Region.objects.filter(
        Q(municipalities__role_assignments__person=user) | Q(bodies__role_assignments__person=user)
    ).values("pk")
    return initiatives.filter(region__in=regions)
