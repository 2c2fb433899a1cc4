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
    table one step further (a deliverable's versions, a tender's scores), through its parent;
  - a change to a municipality (its name labels the signatures it owes) bumps the cases it
    takes part in or reported and those of the collaborations it is a member of (their
    filters list it); a change to a collaboration (time zone, country), to one of
    its bodies or to its members bumps every case of the collaboration;
  - what is rare and read everywhere (who holds which role, a person's name, declared
    public holidays, the dated standstill minimums) bumps every case;
  - a grant of a permission on a case (guardian's rows) bumps that case.
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
    """Rows of TABLE whose COLUMN names a procurement (TARGET "procurement"), a row of VIA
    that names one ("via"), a collaboration ("collaboration") or a municipality
    ("municipality"); "grant" is guardian's per-object permission row, "every" bumps all
    cases. EVENTS: the statements that bump; COLUMNS narrows UPDATE to those columns."""

    table: str
    column: str
    target: str = "procurement"
    events: tuple[str, ...] = ("INSERT", "UPDATE", "DELETE")
    via: str = ""
    columns: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.table}_revision_bump"


def _case_tables() -> list[Source]:
    """Every table with a foreign key to the procurement, and every table with a foreign key
    to one of those (one step): all the rows a page of the case can draw."""
    procurement = apps.get_model("procurement", "Procurement")

    def relations(model, targets):
        return [f for f in model._meta.concrete_fields if f.is_relation and f.related_model in targets]

    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.app_label not in UNCOVERED_APPS and not m._meta.proxy]
    direct = {}
    for model in models:
        for field in relations(model, {procurement}):
            direct.setdefault(model, field)
    found = [Source(model._meta.db_table, field.column) for model, field in direct.items()]
    for model in models:
        if model in direct or model is procurement:
            continue
        for field in relations(model, set(direct)):
            parent = field.related_model
            found.append(Source(model._meta.db_table, field.column, "via", via=parent._meta.db_table + ":" + direct[parent].column))
    return found


def sources() -> list[Source]:
    def table(app: str, name: str) -> str:
        return apps.get_model(app, name)._meta.db_table

    person = apps.get_model("municipalities", "Person")
    shown = ("username", "first_name", "last_name", "email", "is_active", "is_superuser", "is_staff")
    names = tuple(person._meta.get_field(name).column for name in shown)
    # Django's groups and direct permissions: read-only in the admin, but part of what a
    # person may do, so a change is judged anew everywhere.
    rare = [person.groups.through._meta.db_table, person.user_permissions.through._meta.db_table]
    rare.append(apps.get_model("auth", "Group").permissions.through._meta.db_table)
    found = _case_tables() + [
        Source(table("municipalities", "Municipality"), "id", "municipality", ("UPDATE",)),
        Source(table("municipalities", "Collaboration"), "id", "collaboration", ("UPDATE",)),
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
    # One trigger per table: a table with two foreign keys to cases keeps the first found.
    unique: dict[str, Source] = {}
    for source in found:
        unique.setdefault(source.table, source)
    return sorted(unique.values(), key=lambda s: s.table)


# The id of procurement's content type, for a grant row (a subquery: no id is baked in).
PROCUREMENT_TYPE = "(SELECT id FROM django_content_type WHERE app_label = 'procurement' AND model = 'procurement')"


def _which(source: Source, row: str) -> str:
    """The SQL condition on procurement rows for the changed ROW (NEW or OLD)."""
    value = f"{row}.{source.column}"
    if source.target == "every":
        return "1 = 1"
    if source.target == "grant":
        return f"id = CASE WHEN {row}.content_type_id = {PROCUREMENT_TYPE} THEN CAST({value} AS INTEGER) END"
    if source.target == "via":
        parent, column = source.via.split(":")
        return f"id IN (SELECT {column} FROM {parent} WHERE id = {value})"
    if source.target == "collaboration":
        return f"collaboration_id = {value}"
    if source.target == "municipality":
        return (
            f"(lead_municipality_id = {value} OR id IN "
            f"(SELECT procurement_id FROM {PARTICIPATION_TABLE} WHERE municipality_id = {value}) OR collaboration_id IN "
            f"(SELECT collaboration_id FROM {MEMBERSHIP_TABLE} WHERE municipality_id = {value}))"
        )
    return f"id = {value}"


def _tables_named(source: Source) -> set[str]:
    """Every table SOURCE's trigger reads or writes."""
    tables = {source.table, PROCUREMENT_TABLE}
    if source.target == "via":
        tables.add(source.via.split(":")[0])
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
        where = " OR ".join(_which(source, row) for row in rows)
        name = f"{source.name}_{event.lower()}"
        statements += [
            f"DROP TRIGGER IF EXISTS {name}",
            f"CREATE TRIGGER {name} AFTER {_event_clause(source, event)} ON {source.table} FOR EACH ROW BEGIN "
            f"UPDATE {PROCUREMENT_TABLE} SET revision = revision + 1 WHERE {where}; END",
        ]
    return statements


# One function for every table: the column, the target and the parent come as arguments.
POSTGRESQL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION procurement_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    column_name text := TG_ARGV[0];
    target text := TG_ARGV[1];
    parent text := split_part(TG_ARGV[2], ':', 1);
    parent_column text := split_part(TG_ARGV[2], ':', 2);
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
        ELSIF item ->> column_name IS NOT NULL THEN
            keys := keys || (item ->> column_name)::bigint;
        END IF;
    END LOOP;
    IF target = 'every' THEN
        UPDATE {PROCUREMENT_TABLE} SET revision = revision + 1;
    ELSIF target = 'collaboration' THEN
        UPDATE {PROCUREMENT_TABLE} SET revision = revision + 1 WHERE collaboration_id = ANY(keys);
    ELSIF target = 'municipality' THEN
        UPDATE {PROCUREMENT_TABLE} SET revision = revision + 1
        WHERE lead_municipality_id = ANY(keys)
           OR id IN (SELECT procurement_id FROM {PARTICIPATION_TABLE} WHERE municipality_id = ANY(keys))
           OR collaboration_id IN (SELECT collaboration_id FROM {MEMBERSHIP_TABLE} WHERE municipality_id = ANY(keys));
    ELSIF target = 'via' THEN
        EXECUTE format(
            'UPDATE {PROCUREMENT_TABLE} SET revision = revision + 1 WHERE id IN (SELECT %I FROM %I WHERE id = ANY($1))',
            parent_column, parent
        ) USING keys;
    ELSE
        UPDATE {PROCUREMENT_TABLE} SET revision = revision + 1 WHERE id = ANY(keys);
    END IF;
    RETURN NULL;
END;
$$
"""


def _postgresql_statements(source: Source) -> list[str]:
    events = " OR ".join(_event_clause(source, event) for event in source.events)
    return [
        f"DROP TRIGGER IF EXISTS {source.name} ON {source.table}",
        f"CREATE TRIGGER {source.name} AFTER {events} ON {source.table} "
        f"FOR EACH ROW EXECUTE FUNCTION procurement_revision_bump('{source.column}', '{source.target}', '{source.via}')",
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
