"""Object permissions read once per screen.

Guardian's backend asks the database twice (the user's and the groups' permissions) for
every `user.has_perm(perm, obj)`; a procurement page asks five such questions about the
same procurement. Inside `object_permissions_read_once(user)` the backend answers them from
one checker that reads each object's permissions once. Only for drawing a screen: nothing
inside may change a permission and then ask about it again."""
from contextlib import contextmanager

from guardian.backends import ObjectPermissionBackend, check_support
from guardian.core import ObjectPermissionChecker

_CHECKER = "_object_permission_checker"


class ObjectPermissionsBackend(ObjectPermissionBackend):
    def has_perm(self, user_obj, perm, obj=None):
        checker = getattr(user_obj, _CHECKER, None)
        if checker is None or obj is None:
            return super().has_perm(user_obj, perm, obj)
        app_label, dot, _codename = perm.rpartition(".")
        if dot and app_label != obj._meta.app_label:
            return super().has_perm(user_obj, perm, obj)  # guardian's own error for a wrong app
        supported, user_obj = check_support(user_obj, obj)
        return bool(supported) and checker.has_perm(perm, obj)


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
