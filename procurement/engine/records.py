"""Record kinds a gate can ask about ("no complaint is open", "the award notice is sent").

An app that owns such records registers its kind once, in its AppConfig.ready(); the gate
names the kind by its code, so adding a gate of kind none_open or record_state for an
existing record kind is an admin change, no code. The snapshot loader counts records per
state in one query per kind in use."""
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count
from django.utils.functional import Promise
from django.utils.translation import gettext


@dataclass(frozen=True)
class RecordKind:
    code: str
    label: Promise | str
    model: str  # "app_label.ModelName", with a foreign key to the procurement
    states: tuple[tuple[str, Promise | str], ...]
    open_states: frozenset[str]
    state_field: str = "state"
    procurement_field: str = "procurement"
    # Called when the case goes back to an earlier phase, inside the same transaction, with
    # (procurement, phase gone back to, reason, actor): the owning app withdraws what the
    # reopened phases made invalid (an award notice before a re-evaluation).
    on_reopen: Callable[..., None] | None = None
    # Called when the case completes a phase and moves on, inside the same transaction, with
    # (procurement, phase left, actor): the owning app closes what that phase finished (the
    # specification is frozen once the tender documents are published).
    on_phase_left: Callable[..., None] | None = None

    def state_label(self, state: str) -> str:
        return str(dict(self.states).get(state, state))


_REGISTRY: dict[str, RecordKind] = {}


def record_kind_register(kind: RecordKind) -> None:
    existing = _REGISTRY.get(kind.code)
    if existing is not None and existing != kind:
        raise ValueError(f"Record kind {kind.code!r} is registered twice with different definitions")
    _REGISTRY[kind.code] = kind


def record_kind(code: str) -> RecordKind | None:
    return _REGISTRY.get(code)


def record_kinds() -> list[RecordKind]:
    return sorted(_REGISTRY.values(), key=lambda k: k.code)


def record_kind_choices() -> list[tuple[str, str]]:
    return [(kind.code, str(kind.label)) for kind in sorted(_REGISTRY.values(), key=lambda k: k.code)]


def record_kind_problems(code: str, states: list[str] | None) -> str | None:
    """What is wrong with a gate's record kind (and, for record_state, its states), in
    words for the admin form; None when it is fine."""
    kind = _REGISTRY.get(code)
    if kind is None:
        return gettext("Velg en sakstype.") if not code else gettext("Ukjent sakstype: %(code)s.") % {"code": code}
    if states is not None:
        known = {state for state, _label in kind.states}
        if not states:
            return gettext("Skriv hvilke tilstander som teller.")
        unknown = [state for state in states if state not in known]
        if unknown:
            return gettext("Ukjente tilstander for %(kind)s: %(states)s. Gyldige: %(valid)s.") % {
                "kind": kind.label,
                "states": ", ".join(unknown),
                "valid": ", ".join(sorted(known)),
            }
    return None


def record_counts(codes: Iterable[str], procurement_ids: list[int]) -> dict[tuple[int, str], Counter]:
    """(procurement id, kind code) -> Counter of states: one query per kind."""
    counts: dict[tuple[int, str], Counter] = {}
    if not procurement_ids:
        return counts
    for code in sorted(set(codes)):
        kind = _REGISTRY.get(code)
        if kind is None:
            continue
        model = apps.get_model(kind.model)
        field = f"{kind.procurement_field}_id"
        rows = (
            model.objects.filter(**{f"{field}__in": procurement_ids})
            .values_list(field, kind.state_field)
            .annotate(n=Count("pk"))
            .order_by()
        )
        for procurement_id, state, n in rows:
            counts.setdefault((procurement_id, code), Counter())[state] += n
    return counts


def records_reopened(*, procurement, phase: str, reason: str, actor) -> None:
    """Let every record kind react to the case going back to PHASE."""
    for kind in sorted(_REGISTRY.values(), key=lambda k: k.code):
        if kind.on_reopen is not None:
            kind.on_reopen(procurement=procurement, phase=phase, reason=reason, actor=actor)


def records_phase_left(*, procurement, phase: str, actor) -> None:
    """Let every record kind react to the case completing PHASE."""
    for kind in sorted(_REGISTRY.values(), key=lambda k: k.code):
        if kind.on_phase_left is not None:
            kind.on_phase_left(procurement=procurement, phase=phase, actor=actor)
