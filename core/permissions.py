"""Object permissions, asked cheaply.

Guardian's backend asks the database twice (the user's and the groups' permissions) for
every `user.has_perm(perm, obj)`, each a query of several joins built anew. Here the
permissions come from role assignments only, written per user (Django's groups are
read-only in the admin, as procurement.selectors.access.procurements_permitted also
assumes), so one question is one EXISTS on the user's own rows: about a fifth of the time,
which the services pay several times per decision.

A procurement page asks five such questions about the same procurement. Inside
`object_permissions_read_once(user)` the backend answers them from one checker that reads
each object's permissions once. Only for drawing a screen: nothing inside may change a
permission and then ask about it again."""
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from guardian.backends import ObjectPermissionBackend, check_support
from guardian.core import ObjectPermissionChecker
from guardian.models import UserObjectPermission

_CHECKER = "_object_permission_checker"


class ObjectPermissionsBackend(ObjectPermissionBackend):
    def has_perm(self, user_obj, perm, obj=None):
        if obj is None or not getattr(user_obj, "is_authenticated", False):
            return super().has_perm(user_obj, perm, obj)
        app_label, dot, codename = perm.rpartition(".")
        if dot and app_label != obj._meta.app_label:
            return super().has_perm(user_obj, perm, obj)  # guardian's own error for a wrong app
        checker = getattr(user_obj, _CHECKER, None)
        if checker is not None:
            supported, user_obj = check_support(user_obj, obj)
            return bool(supported) and checker.has_perm(perm, obj)
        # What guardian's checker answers for a user, without the groups (see above).
        if not user_obj.is_active:
            return False
        if user_obj.is_superuser:
            return True
        content_type = ContentType.objects.get_for_model(obj)
        return UserObjectPermission.objects.filter(
            user_id=user_obj.pk,
            content_type=content_type,
            object_pk=str(obj.pk),
            permission__content_type=content_type,
            permission__codename=codename,
        ).exists()


@contextmanager
def object_permissions_read_once(user):
    if not user.is_authenticated:
        yield
        return
    setattr(user, _CHECKER, ObjectPermissionChecker(user))
    try:
        yield
    finally:
        delattr(user, _CHECKER)
