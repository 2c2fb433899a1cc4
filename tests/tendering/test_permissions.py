"""Who writes which part of the specification, over HTTP: one row per (role, action) with the
answer the application must give and the effect that must (or must not) reach the database.
The table below is seed 000 written out (user representatives: needs and award criteria; K-IKT:
architecture, and with it operations and information security; the archive network: archive;
the data protection officer: privacy and information security; the regional buyer: the
procedure and the other tender documents, and the decision on the criteria). Everyone else who
sees the procurement reads and comments; someone from another collaboration gets 404.

The data is built once for the module inside a transaction rolled back at its end; each row runs
in its own savepoint (pytest-django's ``db``)."""
from decimal import Decimal

import pytest
from django.urls import reverse

from audit.actions import Action
from audit.models import AuditEntry
from municipalities.roles import Role
from tendering import services
from tendering.models import AwardCriterion, Comment, Need, QualificationRequirement, Requirement, Specification
from tests.shared_data import built_once_per_module

from .conftest import build_spec_world

OK, FORBIDDEN, NOT_FOUND = "ok", "forbidden", "not_found"

ROLES = [
    Role.COORDINATOR,
    Role.REGIONAL_BUYER,
    Role.ICT_ARCHITECT,
    Role.ARCHIVE_REPRESENTATIVE,
    Role.DATA_PROTECTION_OFFICER,
    Role.USER_REPRESENTATIVE,
    Role.MUNICIPAL_REPRESENTATIVE,
    Role.CHIEF_EXECUTIVE,
    Role.UNION_REPRESENTATIVE,
    Role.EVALUATOR,
]

# category -> the roles that write it (seed 000)
WRITERS = {
    "functional": {Role.USER_REPRESENTATIVE},
    "architecture": {Role.ICT_ARCHITECT},
    "archive": {Role.ARCHIVE_REPRESENTATIVE},
    "privacy": {Role.DATA_PROTECTION_OFFICER},
    "security": {Role.ICT_ARCHITECT, Role.DATA_PROTECTION_OFFICER},
    "operations": {Role.ICT_ARCHITECT},
    "other": {Role.REGIONAL_BUYER},
}
# the other actions -> the roles that may do them
ACTIONS = {
    "need": {Role.USER_REPRESENTATIVE},
    "propose": {Role.USER_REPRESENTATIVE, Role.REGIONAL_BUYER},
    "weights": {Role.USER_REPRESENTATIVE, Role.REGIONAL_BUYER},
    "decide": {Role.REGIONAL_BUYER},
    "text": {Role.REGIONAL_BUYER},
    "qualification": {Role.REGIONAL_BUYER},
    "comment": set(ROLES),
    "view": set(ROLES),
}


def _build():
    home = build_spec_world()
    away = build_spec_world(title="Fosens egen anskaffelse")
    p = home.procurement
    user = home[Role.USER_REPRESENTATIVE]
    quality = services.criterion_propose(user=user, procurement=p, name="Kvalitet", weight=Decimal(60))
    services.criterion_propose(user=user, procurement=p, name="Funksjonalitet", weight=Decimal(100), parent_id=quality.pk)
    services.criterion_propose(user=home[Role.REGIONAL_BUYER], procurement=p, name="Pris", weight=Decimal(40), is_price=True)
    services.requirement_add(user=user, procurement=p, category="functional", kind="must", text="Feide-pålogging.")
    return home, away


@pytest.fixture(scope="module")
def table(django_db_setup, django_db_blocker):
    yield from built_once_per_module(django_db_blocker, _build)


def _post(client, name, procurement, data):
    return client.post(reverse(name, args=[procurement.pk]), data)


def _count(model, procurement):
    return model.objects.filter(specification__procurement=procurement).count()


ROWS = [(role, "category", category, OK if role in writers else FORBIDDEN) for category, writers in WRITERS.items() for role in ROLES]
ROWS += [(role, "action", action, OK if role in allowed else FORBIDDEN) for action, allowed in ACTIONS.items() for role in ROLES]
ROWS += [(role, "other", action, NOT_FOUND) for role in (Role.REGIONAL_BUYER, Role.USER_REPRESENTATIVE) for action in ("view", "comment", "propose")]
ROWS += [(role, "other", "category", NOT_FOUND) for role in (Role.ICT_ARCHITECT, Role.USER_REPRESENTATIVE)]


def _effect(procurement, kind, what):
    """What the action changes, as a function reading it."""
    criteria = AwardCriterion.objects.filter(specification__procurement=procurement)
    if kind == "category" or what == "category":
        return lambda: _count(Requirement, procurement)
    return {
        "view": lambda: None,
        "need": lambda: _count(Need, procurement),
        "propose": lambda: _count(AwardCriterion, procurement),
        "weights": lambda: sorted(criteria.values_list("weight", flat=True)),
        "decide": lambda: criteria.filter(status="decided").count(),
        "text": lambda: list(Specification.objects.filter(procurement=procurement).values_list("price_model", "instructions")),
        "qualification": lambda: _count(QualificationRequirement, procurement),
        "comment": lambda: _count(Comment, procurement),
    }[what]


def _send(client, procurement, kind, what):
    if kind == "category" or what == "category":
        category = "architecture" if what == "category" else what
        data = {"category": category, "kind": "must", "text": f"Et krav om {category}.", "need": "", "criterion": "", "weight": ""}
        return _post(client, "tendering_requirement_add", procurement, data)
    if what == "view":
        return client.get(reverse("tendering_specification", args=[procurement.pk]))
    if what == "need":
        return _post(client, "tendering_need_add", procurement, {"title": "Fravær ett sted", "text": ""})
    if what == "propose":
        return _post(client, "tendering_criterion_propose", procurement, {"name": "Service", "description": "", "weight": "0", "parent": ""})
    if what == "weights":
        criteria = AwardCriterion.objects.filter(specification__procurement=procurement)
        data = {f"weight_{c.pk}": {"Kvalitet": "70", "Pris": "30"}.get(c.name, "100") for c in criteria}
        return _post(client, "tendering_criteria", procurement, data)
    if what == "decide":
        return _post(client, "tendering_criteria_decide", procurement, {})
    if what == "text":
        data = {"instructions": "Les hele konkurransegrunnlaget.", "procedure_text": "", "timetable": "", "price_model": "proportional"}
        data.update({f"scale_{n}": f"{n} poeng" for n in range(11)})
        return _post(client, "tendering_tender_text", procurement, data)
    if what == "qualification":
        data = {"text": "Leverandøren skal ha levert tilsvarende løsning til minst to kommuner.", "evidence": ""}
        return _post(client, "tendering_qualification_add", procurement, data)
    if what == "comment":
        return _post(client, "tendering_comment_add", procurement, {"category": "functional", "text": "Gjelder dette også SFO?", "requirement": ""})
    raise AssertionError(what)


@pytest.mark.parametrize("role, kind, what, expected", ROWS, ids=[f"{r[0]}-{r[1]}-{r[2]}" for r in ROWS])
def test_permission_table(db, client, table, role, kind, what, expected):
    home, away = table
    person = home[role]
    procurement = away.procurement if kind == "other" else home.procurement
    client.force_login(person)
    last_entry = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    effect = _effect(procurement, kind, what)
    before = effect()
    response = _send(client, procurement, kind, what)
    after = effect()
    entries = list(AuditEntry.objects.filter(pk__gt=last_entry))
    if expected == OK:
        assert response.status_code == (200 if what == "view" else 302), response.content.decode()[:2000]
        if what != "view":
            assert after != before, "the allowed action changed nothing"
        return
    assert response.status_code == {FORBIDDEN: 403, NOT_FOUND: 404}[expected]
    assert after == before, "a refused action changed the specification"
    if expected == FORBIDDEN:
        assert [(e.action, e.actor_id, e.procurement_id) for e in entries] == [(Action.SPECIFICATION_REFUSED, person.pk, procurement.pk)]
    else:
        assert entries == []
