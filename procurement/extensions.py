"""Where the apps built on procurement hook into its life without procurement importing
them: told when a need is reported and when a phase ends (inside the same transaction), and
asked for lines to show in a procurement's timeline. Each app registers once, in its
AppConfig.ready(), like the record kinds of procurement.engine.records."""
from collections.abc import Callable
from dataclasses import dataclass

# Called with (procurement, user, attachment): the need was just reported; ATTACHMENT is the
# draft benefit plan uploaded with it, or None.
_reported: list[Callable[..., None]] = []
# Called with (procurement, change, actor, plan_reviewed) when a phase has ended (start,
# complete_phase, close): CHANGE is the PhaseChange; PLAN_REVIEWED the coordinator's answer
# to "was the benefit plan reviewed?", None when nobody was asked (the last signature moved
# the phase on).
_phase_ended: list[Callable[..., None]] = []
# Called with (procurement); returns {phase code: [TimelineEntry]}. One query each, at most.
_timeline: list[Callable[..., dict]] = []


@dataclass(frozen=True)
class TimelineEntry:
    text: str
    url: str = ""


def procurement_reported_subscribe(callback: Callable[..., None]) -> None:
    if callback not in _reported:
        _reported.append(callback)


def phase_ended_subscribe(callback: Callable[..., None]) -> None:
    if callback not in _phase_ended:
        _phase_ended.append(callback)


def timeline_entries_register(provider: Callable[..., dict]) -> None:
    if provider not in _timeline:
        _timeline.append(provider)


def procurement_reported(*, procurement, user, attachment) -> None:
    for callback in _reported:
        callback(procurement=procurement, user=user, attachment=attachment)


def phase_ended(*, procurement, change, actor, plan_reviewed: bool | None) -> None:
    for callback in _phase_ended:
        callback(procurement=procurement, change=change, actor=actor, plan_reviewed=plan_reviewed)


def timeline_entries(procurement) -> dict[str, list[TimelineEntry]]:
    entries: dict[str, list[TimelineEntry]] = {}
    for provider in _timeline:
        for phase, items in provider(procurement=procurement).items():
            entries.setdefault(phase, []).extend(items)
    return entries


# Deadlines another app derives by a rule of its own (Deadline.rule), with the people to
# remind of each: the reminder sweep asks here for the deadlines of a registered rule, and
# such a deadline stays open when the case is closed (a benefit is measured long after the
# contract is signed). A rule's RECIPIENTS is called with deadlines=[(deadline id,
# rule_inputs), ...] and returns {deadline id: {person id, ...}}, in one query for them all.
_deadline_rules: dict[str, Callable[..., dict]] = {}


def deadline_rule_register(rule: str, recipients: Callable[..., dict]) -> None:
    existing = _deadline_rules.get(rule)
    if existing is not None and existing is not recipients:
        raise ValueError(f"Deadline rule {rule!r} is registered twice")
    _deadline_rules[rule] = recipients


def deadline_rule_recipients(rows: list[tuple[int, str, dict]]) -> dict[int, set[int]]:
    """The people to remind of each deadline (id, rule, rule_inputs) of a registered rule;
    one call per rule in ROWS."""
    by_rule: dict[str, list[tuple[int, dict]]] = {}
    for pk, rule, inputs in rows:
        if rule in _deadline_rules:
            by_rule.setdefault(rule, []).append((pk, inputs or {}))
    people: dict[int, set[int]] = {}
    for rule, deadlines in by_rule.items():
        people.update(_deadline_rules[rule](deadlines=deadlines))
    return people


def deadline_rules_outliving_the_case() -> list[str]:
    return sorted(_deadline_rules)


# Called with (procurement, signoff, readiness, actor) inside the sign-off's transaction, after
# the signature is written and before the phase may move on; READINESS is the judgement with
# the new signature (the data processing agreement's signed copy is made when its gate passes).
_signoff_recorded: list[Callable[..., None]] = []


def signoff_recorded_subscribe(callback: Callable[..., None]) -> None:
    if callback not in _signoff_recorded:
        _signoff_recorded.append(callback)


def signoff_recorded(*, procurement, signoff, readiness, actor) -> None:
    for callback in _signoff_recorded:
        callback(procurement=procurement, signoff=signoff, readiness=readiness, actor=actor)
