"""A screen's object permissions are read once (core.permissions) and answer exactly what
guardian answers question by question."""
import pytest

from core.permissions import object_permissions_read_once
from municipalities.roles import Role

pytestmark = pytest.mark.django_db

PERMISSIONS = ("procurement.view_procurement", "procurement.manage_procurement", "procurement.contribute_procurement")


@pytest.fixture
def world(make_collaboration, make_procurement, person_with_role):
    shared = make_collaboration(2)
    procurement = make_procurement(shared)
    other = make_collaboration(1)
    inactive = person_with_role(Role.CHIEF_EXECUTIVE, municipality=shared.municipalities[0])
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    people = {
        "coordinator": shared.coordinator,
        "chief executive": shared.people[(Role.CHIEF_EXECUTIVE, shared.municipalities[1].pk)],
        "outsider": other.coordinator,
        "inactive": inactive,
    }
    return procurement, people


def test_the_answers_are_guardians(world, django_user_model):
    procurement, people = world
    for who, person in people.items():
        asked_one_by_one = {perm: django_user_model.objects.get(pk=person.pk).has_perm(perm, procurement) for perm in PERMISSIONS}
        fresh = django_user_model.objects.get(pk=person.pk)
        with object_permissions_read_once(fresh):
            read_once = {perm: fresh.has_perm(perm, procurement) for perm in PERMISSIONS}
        assert read_once == asked_one_by_one, who
    assert any(django_user_model.objects.get(pk=people["coordinator"].pk).has_perm(p, procurement) for p in PERMISSIONS)


def test_many_questions_about_one_procurement_read_its_permissions_once(world, django_user_model, django_assert_num_queries):
    procurement, people = world
    person = django_user_model.objects.get(pk=people["chief executive"].pk)
    person.has_perm("procurement.add_procurement")  # Django's own permissions, cached on the person
    with object_permissions_read_once(person):
        with django_assert_num_queries(2):  # the person's and the groups' object permissions
            for _ in range(3):
                for perm in PERMISSIONS:
                    person.has_perm(perm, procurement)


def test_outside_the_block_every_question_is_asked_again(world, django_user_model, django_assert_num_queries):
    procurement, people = world
    person = django_user_model.objects.get(pk=people["coordinator"].pk)
    with object_permissions_read_once(person):
        person.has_perm(PERMISSIONS[0], procurement)
    # One EXISTS per question (core.permissions: no query for the groups).
    with django_assert_num_queries(2):
        person.has_perm(PERMISSIONS[0], procurement)
        person.has_perm(PERMISSIONS[1], procurement)


def test_an_anonymous_visitor_passes_through(world):
    from django.contrib.auth.models import AnonymousUser

    procurement, _people = world
    visitor = AnonymousUser()
    with object_permissions_read_once(visitor):
        assert not visitor.has_perm(PERMISSIONS[0], procurement)


def test_one_question_answers_what_guardian_answers(world, django_user_model):
    """The backend's own EXISTS and guardian's checker agree for every person and permission,
    and for an inactive person and a superuser."""
    from guardian.core import ObjectPermissionChecker

    procurement, people = world
    for person in people.values():
        person = django_user_model.objects.get(pk=person.pk)
        for permission in PERMISSIONS:
            assert person.has_perm(permission, procurement) == ObjectPermissionChecker(person).has_perm(permission, procurement)
    coordinator = django_user_model.objects.get(pk=people["coordinator"].pk)
    assert coordinator.has_perm(PERMISSIONS[0], procurement)
    coordinator.is_active = False
    assert not coordinator.has_perm(PERMISSIONS[0], procurement)
    coordinator.is_active, coordinator.is_superuser = True, True
    assert all(coordinator.has_perm(permission, procurement) for permission in PERMISSIONS)
