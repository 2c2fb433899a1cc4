from django.db.models import QuerySet
from guardian.shortcuts import get_objects_for_user

from .models import Body
from .roles import Role, act_as_codename


def coordinated_bodies(user) -> QuerySet[Body]:
    """The bodies (in practice each collaboration's steering group) the user acts for as coordinator."""
    if not user.is_authenticated:
        return Body.objects.none()
    return get_objects_for_user(user, act_as_codename(Role.COORDINATOR), klass=Body, accept_global_perms=False)
