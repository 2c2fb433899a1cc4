"""Reads for the procurement page's threads and for 'Mine oppgaver'."""
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from guardian.models import UserObjectPermission

from municipalities.models import Person
from procurement.models import DeliverableDefinition, Procurement

from .models import Comment


def restricting_document(definition) -> DeliverableDefinition | None:
    """The document whose access class a thread follows: the deliverable itself, or the
    document a gate signs."""
    return definition if isinstance(definition, DeliverableDefinition) else definition.document


def threads_for(procurement: Procurement) -> dict[tuple[str, str], list[Comment]]:
    """Every comment of the procurement by (subject, code): one query. The caller shows a
    thread only where the item is shown, and a restricted one only to those who may read it."""
    threads: dict[tuple[str, str], list[Comment]] = defaultdict(list)
    for comment in Comment.objects.filter(procurement=procurement).select_related("author", "mentioned"):
        threads[(comment.subject, comment.code)].append(comment)
    return threads


def people_who_may_see(procurement: Procurement) -> QuerySet[Person]:
    granted = UserObjectPermission.objects.filter(
        content_type=ContentType.objects.get_for_model(Procurement),
        object_pk=str(procurement.pk),
        permission__codename="view_procurement",
    ).values("user_id")
    return Person.objects.filter(pk__in=granted, is_active=True).order_by("first_name", "last_name", "username")


def people_who_may_read(*, procurement: Procurement, definition) -> QuerySet[Person]:
    """Those a comment on DEFINITION may name: they see the procurement and, for a
    restricted document, hold one of its roles in the case."""
    from procurement.selectors.access import roles_by_person

    people = people_who_may_see(procurement)
    document = restricting_document(definition)
    if document is None or not document.is_restricted:
        return people
    roles = roles_by_person(procurement=procurement, person_ids=people.values_list("pk", flat=True))
    allowed = [pk for pk, held in roles.items() if document.open_to(held)]
    return people.filter(pk__in=allowed)


def open_mentions(*, user) -> QuerySet[Comment]:
    """Comments naming USER that they have not marked followed up, on cases they still see."""
    from procurement.selectors.access import procurements_visible

    if not user.is_authenticated:
        return Comment.objects.none()
    return (
        Comment.objects.filter(mentioned=user, mention_done_at__isnull=True, procurement__in=procurements_visible(user=user))
        .select_related("procurement", "author")
        .order_by("created_at", "pk")
    )
