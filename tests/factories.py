"""factory_boy factories for the plain rows of the municipalities app.

    from tests.factories import CollaborationFactory, MunicipalityFactory, BodyFactory, PersonFactory

- ``CollaborationFactory()``          a Norwegian collaboration ("Samarbeid 1", Europe/Oslo).
- ``MunicipalityFactory(collaboration=c)``   a municipality with a VALID 9-digit Norwegian
                                      organisation number (mod-11 check digit, see
                                      ``norwegian_orgnr``), a population and a membership
                                      of C since 2020 (``collaboration=None``: no membership).
- ``BodyFactory(collaboration=c, kind="executive_committee")``  one body per (collaboration,
                                      kind); the name follows the kind.
- ``PersonFactory()``                 a login without any role; password ``PASSWORD``.

These factories only write rows. Roles are NOT given here: a role is a
``municipalities.services.role_assign`` call, which also writes the guardian object
permissions and the procurement access lists. Use the ``person_with_role`` fixture
(tests/conftest.py) or call ``role_assign`` yourself.

``norwegian_orgnr(n)`` returns the n-th valid organisation number of a fixed series
(starting with 9, like registered organisations); it never returns an invalid one.
"""
import itertools
from datetime import date

import factory
from factory.django import DjangoModelFactory
from stdnum.no import orgnr

from municipalities.models import Body, Collaboration, Country, Membership, Municipality, Person

PASSWORD = "test-passord-123"
MEMBER_SINCE = date(2020, 1, 1)

_ORGNR_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def orgnr_check_digit(first_eight: str) -> str | None:
    """Mod-11 check digit of a Norwegian organisation number, or None when the eight
    digits cannot be completed (remainder 1 gives check digit 10, which is not issued).
    python-stdnum 2.x has only ``checksum``/``validate`` for no.orgnr, no calc function."""
    remainder = sum(w * int(d) for w, d in zip(_ORGNR_WEIGHTS, first_eight, strict=True)) % 11
    check = (11 - remainder) % 11
    return None if check == 10 else str(check)


def _valid_orgnrs():
    for serial in itertools.count():
        first_eight = f"9{serial:07d}"
        check = orgnr_check_digit(first_eight)
        if check is not None:
            number = first_eight + check
            orgnr.validate(number)  # the factory must never produce an invalid number
            yield number


_ORGNR_CACHE: list[str] = []
_ORGNR_SOURCE = _valid_orgnrs()


def norwegian_orgnr(n: int) -> str:
    while len(_ORGNR_CACHE) <= n:
        _ORGNR_CACHE.append(next(_ORGNR_SOURCE))
    return _ORGNR_CACHE[n]


class CollaborationFactory(DjangoModelFactory):
    class Meta:
        model = Collaboration
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Samarbeid {n + 1}")
    country = Country.NORWAY
    time_zone = "Europe/Oslo"


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality

    collaboration = factory.SubFactory(CollaborationFactory)
    country = factory.LazyAttribute(lambda o: o.collaboration.country if o.collaboration else Country.NORWAY)
    name = factory.Sequence(lambda n: f"Kommune {n + 1}")
    organisation_number = factory.Sequence(norwegian_orgnr)
    population = factory.Sequence(lambda n: 1_000 + 997 * ((n * 7) % 50))

    @classmethod
    def _create(cls, model_class, *args, collaboration=None, **kwargs):
        municipality = super()._create(model_class, *args, **kwargs)
        if collaboration is not None:
            Membership.objects.create(collaboration=collaboration, municipality=municipality, joined_on=MEMBER_SINCE)
        return municipality


BODY_NAMES = {
    "steering_group": "Styringsgruppen",
    "executive_committee": "Kommunedirektørutvalget",
    "shared_it": "Felles IKT-drift",
}


class BodyFactory(DjangoModelFactory):
    class Meta:
        model = Body
        django_get_or_create = ("collaboration", "kind")

    collaboration = factory.SubFactory(CollaborationFactory)
    kind = "steering_group"
    name = factory.LazyAttribute(lambda o: f"{BODY_NAMES.get(o.kind, o.kind)} – {o.collaboration.name}")


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n + 1}")
    first_name = factory.Sequence(lambda n: f"Fornavn{n + 1}")
    last_name = "Testesen"
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.test")
    password = factory.django.Password(PASSWORD)
    is_active = True
