"""A procurement's revision: a number that changes whenever anything shown about the case
changes, kept by database triggers.

Triggers rather than the services: the admin, a data migration, a record kind of another
app or a raw UPDATE all change it, and no writer can forget. The trigger's UPDATE of the
procurement row runs in the writer's transaction, so a reader sees the new revision exactly
when it sees the new rows. procurement.verdicts keys its judgements by it, and
procurement.page_cache the pages drawn from the case's rows.

What bumps it:
  - any insert, update or delete of a row of a table with a foreign key to the procurement
    (deliverables, signatures, comments, audit entries, award notices, contracts, tenders ...),
    found from the models, so a new app's table is covered without a line here; and of a
    table up to two steps further (a deliverable's versions, a tender's scores, a benefit's
    shares), through its parents;
  - a change to a municipality (its name labels the signatures it owes) bumps the cases it
    takes part in or reported and those of the collaborations it is a member of (their
    filters list it); a change to a collaboration (time zone, country), to one of
    its bodies or to its members bumps every case of the collaboration;
  - what is rare and read everywhere (who holds which role, a person's name, declared
    public holidays, the dated standstill minimums) bumps every case;
  - a grant of a permission on a case (guardian's rows) bumps that case.
A collaboration has a revision too, bumped by its own meetings (those of no case) and their
minutes, its members and bodies, and a change to the collaboration itself.
Left out: the notification tables, which the worker writes all the time and no cached
page draws (the unread count is in the page frame, drawn for every request).

The triggers are dropped before every migrate (pre_migrate) and installed after it
(post_migrate), from the models then, so a new table is covered without a migration of its
own and no migration runs under them. Installing is idempotent."""
import hashlib
from dataclasses import dataclass

from django.apps import apps
from django.db import connections

PROCUREMENT_TABLE = "procurement_procurement"
COLLABORATION_TABLE = "municipalities_collaboration"
PARTICIPATION_TABLE = "procurement_participation"
MEMBERSHIP_TABLE = "municipalities_membership"
# Written by the worker for every notice; drawn only in the page frame, never cached.
UNCOVERED_APPS = frozenset({"notifications"})


def row_digest(instance) -> str:
    """A digest of INSTANCE's column values: any change to the row gives another (a key
    holds it beside the revision, for the columns of the row itself)."""
    values = tuple(getattr(instance, field.attname) for field in instance._meta.concrete_fields)
    return hashlib.blake2b(repr(values).encode(), digest_size=16).hexdigest()


@dataclass(frozen=True)
class Source:
    """Rows of TABLE whose COLUMN leads to the rows of BUMPS (cases, or collaborations) whose
    revision goes up. TARGET says how: "direct" (COLUMN is their id), "via" (COLUMN is the id
    of a row of VIA's first table, whose column names the next, to the last, whose column is
    their id), "collaboration" (the cases of that collaboration), "municipality" (the cases
    it leads, takes part in, or whose collaboration it is a member of), "grant" (guardian's
    per-object permission row: the case it grants on) or "every" (all of them). EVENTS: the
    statements that bump; COLUMNS narrows UPDATE to those columns. UNOWNED: only rows, or
    through VIA rows whose first parent, with no procurement_id."""

    table: str
    column: str
    target: str = "direct"
    events: tuple[str, ...] = ("INSERT", "UPDATE", "DELETE")
    via: tuple[tuple[str, str], ...] = ()
    columns: tuple[str, ...] = ()
    bumps: str = PROCUREMENT_TABLE
    unowned: bool = False  # only rows (or, through VIA, whose first parent row) of no case

    @property
    def name(self) -> str:
        kind = "" if self.bumps == PROCUREMENT_TABLE else "_collaboration"
        return f"{self.table}{kind}_revision_bump"


def _relations(model, targets) -> list:
    return [f for f in model._meta.concrete_fields if f.is_relation and f.related_model in targets]


def _covered_models() -> list:
    return [m for m in apps.get_models(include_auto_created=True) if m._meta.app_label not in UNCOVERED_APPS and not m._meta.proxy]


def _rows_of(owner, *, hops: int, bumps: str) -> list[Source]:
    """Every table with a foreign key to OWNER (a model), and up to HOPS steps further (a
    deliverable's versions; a benefit's shares, through the benefit and its plan)."""
    models = [m for m in _covered_models() if m is not owner]
    # model -> how its rows lead to OWNER's id: its own column, then (table, column) per step
    reached: dict = {}
    for model in models:
        fields = _relations(model, {owner})
        if fields:
            reached[model] = (fields[0].column, ())
    for _hop in range(hops):
        for model in models:
            if model in reached:
                continue
            for field in _relations(model, set(reached)):
                parent = field.related_model
                column, steps = reached[parent]
                reached[model] = (field.column, ((parent._meta.db_table, column), *steps))
                break
    found = []
    for model, (column, steps) in reached.items():
        target = "via" if steps else "direct"
        found.append(Source(model._meta.db_table, column, target, via=steps, bumps=bumps))
    return found


def sources() -> list[Source]:
    def table(app: str, name: str) -> str:
        return apps.get_model(app, name)._meta.db_table

    procurement = apps.get_model("procurement", "Procurement")
    collaboration = apps.get_model("municipalities", "Collaboration")
    person = apps.get_model("municipalities", "Person")
    shown = ("username", "first_name", "last_name", "email", "is_active", "is_superuser", "is_staff")
    names = tuple(person._meta.get_field(name).column for name in shown)
    # What a collaboration is, without the revision the triggers themselves write.
    described = tuple(f.column for f in collaboration._meta.concrete_fields if f.name not in ("id", "revision"))
    # Django's groups and direct permissions: read-only in the admin, but part of what a
    # person may do, so a change is judged anew everywhere.
    rare = [person.groups.through._meta.db_table, person.user_permissions.through._meta.db_table]
    rare.append(apps.get_model("auth", "Group").permissions.through._meta.db_table)
    found = _rows_of(procurement, hops=2, bumps=PROCUREMENT_TABLE) + [
        Source(table("municipalities", "Municipality"), "id", "municipality", ("UPDATE",)),
        Source(collaboration._meta.db_table, "id", "collaboration", ("UPDATE",), columns=described),
        Source(table("municipalities", "Body"), "collaboration_id", "collaboration"),
        Source(table("municipalities", "Membership"), "collaboration_id", "collaboration"),
        Source(table("municipalities", "RoleAssignment"), "id", "every"),
        Source(person._meta.db_table, "id", "every", ("UPDATE",), columns=names),
        Source(table("procurement", "DeclaredHoliday"), "id", "every"),
        Source(table("contracts", "StandstillMinimum"), "id", "every"),
        Source(table("guardian", "UserObjectPermission"), "object_pk", "grant"),
        Source(table("guardian", "GroupObjectPermission"), "id", "every"),
        *(Source(name, "id", "every") for name in rare),
    ]
    # A collaboration's own meetings (of no case) and their minutes, its members and bodies
    # raise the collaboration's revision: "Mine oppgaver" reads them whether or not the
    # person sees a case of that collaboration. A case's meeting raises the case's only, so
    # no writer takes a case's row and a collaboration's in two orders.
    meeting = apps.get_model("meetings", "Meeting")
    own = ((meeting._meta.db_table, "collaboration_id"),)
    found += [
        Source(meeting._meta.db_table, "collaboration_id", unowned=True, bumps=COLLABORATION_TABLE),
        Source(meeting.participants.through._meta.db_table, "meeting_id", "via", via=own, unowned=True, bumps=COLLABORATION_TABLE),
        Source(table("meetings", "MinutesCorrection"), "meeting_id", "via", via=own, unowned=True, bumps=COLLABORATION_TABLE),
        Source(table("municipalities", "Membership"), "collaboration_id", bumps=COLLABORATION_TABLE),
        Source(table("municipalities", "Body"), "collaboration_id", bumps=COLLABORATION_TABLE),
        Source(collaboration._meta.db_table, "id", "direct", ("UPDATE",), columns=described, bumps=COLLABORATION_TABLE),
    ]
    # One trigger per table and kind: a table with two foreign keys keeps the first found.
    unique: dict[str, Source] = {}
    for source in found:
        unique.setdefault(source.name, source)
    return sorted(unique.values(), key=lambda s: s.name)


# The id of procurement's content type, for a grant row (a subquery: no id is baked in).
PROCUREMENT_TYPE = "(SELECT id FROM django_content_type WHERE app_label = 'procurement' AND model = 'procurement')"


def _where(source: Source, match: str) -> str:
    """The SQL condition on the rows of source.bumps for the changed rows, where MATCH
    compares an id with them ("= NEW.deliverable_id", "= ANY($1)")."""
    if source.target == "every":
        return "1 = 1"
    if source.target == "via":
        (parent, column), *rest = source.via
        unowned = " AND procurement_id IS NULL" if source.unowned else ""
        inner = f"SELECT {column} FROM {parent} WHERE id {match}{unowned}"
        for parent, column in rest:
            inner = f"SELECT {column} FROM {parent} WHERE id IN ({inner})"
        return f"id IN ({inner})"
    if source.target == "collaboration":
        return f"collaboration_id {match}"
    if source.target == "municipality":
        return (
            f"(lead_municipality_id {match} OR id IN "
            f"(SELECT procurement_id FROM {PARTICIPATION_TABLE} WHERE municipality_id {match}) OR collaboration_id IN "
            f"(SELECT collaboration_id FROM {MEMBERSHIP_TABLE} WHERE municipality_id {match}))"
        )
    return f"id {match}"


def _sqlite_match(source: Source, row: str) -> str:
    if source.target == "grant":
        return f"= CASE WHEN {row}.content_type_id = {PROCUREMENT_TYPE} THEN CAST({row}.{source.column} AS INTEGER) END"
    if source.unowned and source.target == "direct":
        return f"= CASE WHEN {row}.procurement_id IS NULL THEN {row}.{source.column} END"
    return f"= {row}.{source.column}"


def _tables_named(source: Source) -> set[str]:
    """Every table SOURCE's trigger reads or writes."""
    tables = {source.table, source.bumps} | {parent for parent, _column in source.via}
    if source.target == "municipality":
        tables |= {PARTICIPATION_TABLE, MEMBERSHIP_TABLE}
    if source.target == "grant":
        tables.add("django_content_type")
    return tables


def _event_clause(source: Source, event: str) -> str:
    if event == "UPDATE" and source.columns:
        return f"UPDATE OF {', '.join(source.columns)}"
    return event


def _sqlite_statements(source: Source) -> list[str]:
    statements = []
    for event in source.events:
        rows = {"INSERT": ["NEW"], "DELETE": ["OLD"], "UPDATE": ["NEW", "OLD"]}[event]
        where = " OR ".join(_where(source, _sqlite_match(source, row)) for row in rows)
        name = f"{source.name}_{event.lower()}"
        statements += [
            f"DROP TRIGGER IF EXISTS {name}",
            f"CREATE TRIGGER {name} AFTER {_event_clause(source, event)} ON {source.table} FOR EACH ROW BEGIN "
            f"UPDATE {source.bumps} SET revision = revision + 1 WHERE {where}; END",
        ]
    return statements


# One function for every trigger: the changed row's column, whether it is a grant, the table
# to bump and the condition on its rows (with $1, the changed ids) come as arguments.
POSTGRESQL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION procurement_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    column_name text := TG_ARGV[0];
    target text := TG_ARGV[1];
    bumped text := TG_ARGV[2];
    condition text := TG_ARGV[3];
    changed jsonb[] := '{{}}';
    keys bigint[] := '{{}}';
    item jsonb;
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        changed := changed || to_jsonb(NEW);
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        changed := changed || to_jsonb(OLD);
    END IF;
    FOREACH item IN ARRAY changed LOOP
        IF target = 'grant' THEN
            IF (item ->> 'content_type_id')::bigint = {PROCUREMENT_TYPE} THEN
                keys := keys || (item ->> column_name)::bigint;
            END IF;
        ELSIF target = 'unowned' THEN
            IF item ->> 'procurement_id' IS NULL THEN
                keys := keys || (item ->> column_name)::bigint;
            END IF;
        ELSIF item ->> column_name IS NOT NULL THEN
            keys := keys || (item ->> column_name)::bigint;
        END IF;
    END LOOP;
    EXECUTE format('UPDATE %I SET revision = revision + 1 WHERE ', bumped) || condition USING keys;
    RETURN NULL;
END;
$$
"""


def _postgresql_statements(source: Source) -> list[str]:
    events = " OR ".join(_event_clause(source, event) for event in source.events)
    condition = _where(source, "= ANY($1)").replace("'", "''")
    mode = "unowned" if source.unowned and source.target == "direct" else source.target
    return [
        f"DROP TRIGGER IF EXISTS {source.name} ON {source.table}",
        f"CREATE TRIGGER {source.name} AFTER {events} ON {source.table} FOR EACH ROW EXECUTE FUNCTION "
        f"procurement_revision_bump('{source.column}', '{mode}', '{source.bumps}', '{condition}')",
    ]


def triggers_install(using: str = "default") -> int:
    """(Re)creates the triggers on database USING; returns how many tables have them."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    found = [source for source in sources() if _tables_named(source) <= existing]
    if connection.vendor == "postgresql":
        statements = [POSTGRESQL_FUNCTION] + [s for source in found for s in _postgresql_statements(source)]
    elif connection.vendor == "sqlite":
        statements = [s for source in found for s in _sqlite_statements(source)]
    else:
        raise NotImplementedError(f"no revision triggers for {connection.vendor}")
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return len(found)


def triggers_drop(using: str = "default") -> int:
    """Drops every revision trigger on database USING (before the revision column goes, when
    migration 0013 is reversed); returns how many it dropped."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal AND t.tgname LIKE %s",
                ["%\\_revision\\_bump"],
            )
            found = cursor.fetchall()
            for name, table in found:
                cursor.execute(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
            cursor.execute("DROP FUNCTION IF EXISTS procurement_revision_bump()")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", ["%_revision_bump_%"])
            found = cursor.fetchall()
            for (name,) in found:
                cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
    return len(found)


def triggers_before_migrate(sender, using: str = "default", **kwargs) -> None:
    """pre_migrate receiver: off while the schema changes. SQLite rebuilds a table to alter
    it (a new table renamed over the old one), and refuses the rename while a trigger on
    another table names the table it dropped."""
    triggers_drop(using)


def triggers_after_migrate(sender, using: str = "default", **kwargs) -> None:
    """post_migrate receiver (procurement's app config): all apps' tables exist by then."""
    if PROCUREMENT_TABLE in connections[using].introspection.table_names():
        triggers_install(using)
