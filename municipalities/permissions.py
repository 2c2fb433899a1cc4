"""Writes django-guardian object permissions as the difference between what a person or
object should have and what the database holds, so a sync can run any number of times."""
from collections.abc import Iterable

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import models
from guardian.models import UserObjectPermission

# (user id, content type id, object pk as text, permission id)
Grant = tuple[int, int, str, int]


def permission_ids(model: type[models.Model], codenames: Iterable[str]) -> dict[str, int]:
    content_type = ContentType.objects.get_for_model(model)
    return dict(
        Permission.objects.filter(content_type=content_type, codename__in=list(codenames)).values_list("codename", "id")
    )


def grants_apply(*, desired: set[Grant], existing: models.QuerySet[UserObjectPermission]) -> tuple[int, int]:
    """Make EXISTING (the rows in scope) equal to DESIRED. Returns (added, removed)."""
    current = {
        (row.user_id, row.content_type_id, row.object_pk, row.permission_id): row.pk
        for row in existing.only("id", "user_id", "content_type_id", "object_pk", "permission_id")
    }
    to_remove = [pk for grant, pk in current.items() if grant not in desired]
    to_add = [grant for grant in desired if grant not in current]
    if to_remove:
        UserObjectPermission.objects.filter(pk__in=to_remove).delete()
    UserObjectPermission.objects.bulk_create(
        [
            UserObjectPermission(user_id=user_id, content_type_id=ct_id, object_pk=object_pk, permission_id=perm_id)
            for user_id, ct_id, object_pk, perm_id in to_add
        ]
    )
    return len(to_add), len(to_remove)
