"""Where the apps built on procurement hook into its life without procurement importing
them: told when a need is reported and when a phase ends (inside the same transaction), and
asked for lines to show in a procurement's timeline. Each app registers once, in its
AppConfig.ready(), like the record kinds of procurement.engine.records."""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

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


# Called with (country, actor) after a declared public holiday of COUNTRY was added, changed or
# removed (procurement.services.holidays); returns how many stored deadlines it moved.
_holidays_changed: list[Callable[..., int]] = []


def holidays_changed_subscribe(callback: Callable[..., int]) -> None:
    if callback not in _holidays_changed:
        _holidays_changed.append(callback)


def holidays_changed(*, country: str, actor) -> int:
    return sum(callback(country=country, actor=actor) for callback in _holidays_changed)


# "Mine oppgaver": everything the process waits for from a person, contributed by the app
# that knows it. A source is called with user=... and returns a list of Task; it must cost
# a fixed number of queries whatever the number of procurements (tests/procurement/
# test_task_sources.py measures every registered source at two sizes). Register once, in
# AppConfig.ready(), in one line:  task_source_register(tasks_for)
# KINDS, when given, are the kinds the source yields, so a page that shows some kinds in
# lists of their own (with their own pages) can leave the source out.


@dataclass(frozen=True)
class Task:
    kind: str  # what is to be done, e.g. "sign", "sign_again", "complete_phase", "requirements"
    title: str  # what to do, in the reader's language, as a link text
    url: str  # straight to where it is done
    procurement: object = None  # procurement.models.Procurement, or None
    due: object = None  # datetime.date, or None
    detail: str = ""


_task_sources: list[tuple[Callable[..., list], frozenset[str]]] = []


def task_source_register(source: Callable[..., list], *, kinds=()) -> None:
    if all(existing is not source for existing, _kinds in _task_sources):
        _task_sources.append((source, frozenset(kinds)))


def task_sources() -> list[Callable[..., list]]:
    return [source for source, _kinds in _task_sources]


def tasks_for(user, *, skip_kinds=frozenset()) -> list[Task]:
    """Every registered source's tasks for USER, the earliest due first (undated last),
    leaving out the sources whose declared kinds are all in SKIP_KINDS."""
    if not getattr(user, "is_authenticated", False):
        return []
    tasks: list[Task] = []
    for source, kinds in _task_sources:
        if kinds and kinds <= set(skip_kinds):
            continue
        tasks.extend(task for task in source(user=user) if task.kind not in skip_kinds)
    far = date.max
    return sorted(tasks, key=lambda t: (t.due or far, getattr(t.procurement, "title", ""), t.title))


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
