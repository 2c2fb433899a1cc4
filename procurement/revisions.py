"""A procurement's revision: a number that changes whenever anything a judgement of the case
reads changes, kept by database triggers.

Triggers rather than the services: the admin, a data migration, a record kind of another
app or a raw UPDATE all change it, and no writer can forget. The trigger's UPDATE of the
procurement row runs in the writer's transaction, so a reader sees the new revision exactly
when it sees the new rows (procurement.verdicts keys its cache by it).

What bumps it:
  - any insert, update or delete of a row of the case's deliverables, signatures,
    participations, deadlines and checklist ticks, and of every record kind registered with
    the engine (procurement.engine.records);
  - a change to a municipality (its name labels the signatures it owes) bumps the cases it
    takes part in or reported; a change to a collaboration (time zone, country) or to one of its bodies
    (names, a designated recorder) bumps every case of the collaboration.

The triggers are installed after every migrate (post_migrate), from the list below and the
record kinds registered then, so a new record kind is covered without a migration of its
own. Installing is idempotent."""
from dataclasses import dataclass

from django.apps import apps
from django.db import connections

PROCUREMENT_TABLE = "procurement_procurement"
PARTICIPATION_TABLE = "procurement_participation"


@dataclass(frozen=True)
class Source:
    """Rows of TABLE whose COLUMN names a procurement (TARGET "procurement"), a collaboration
    ("collaboration") or a municipality ("municipality"). EVENTS: the statements that bump."""

    table: str
    column: str
    target: str = "procurement"
    events: tuple[str, ...] = ("INSERT", "UPDATE", "DELETE")

    @property
    def name(self) -> str:
        return f"{self.table}_revision_bump"


# The case's own rows the snapshot reads (procurement.engine.snapshot.SnapshotLoader).
CASE_MODELS = ("Deliverable", "SignOff", "Participation", "Deadline", "ChecklistCheck")


def sources() -> list[Source]:
    from .engine.records import record_kinds

    found = [Source(apps.get_model("procurement", name)._meta.db_table, "procurement_id") for name in CASE_MODELS]
    for kind in record_kinds():
        model = apps.get_model(kind.model)
        found.append(Source(model._meta.db_table, model._meta.get_field(kind.procurement_field).column))
    found += [
        Source(apps.get_model("municipalities", "Municipality")._meta.db_table, "id", "municipality", ("UPDATE",)),
        Source(apps.get_model("municipalities", "Collaboration")._meta.db_table, "id", "collaboration", ("UPDATE",)),
        Source(apps.get_model("municipalities", "Body")._meta.db_table, "collaboration_id", "collaboration"),
    ]
    return sorted(set(found), key=lambda s: s.table)


def _which(source: Source, row: str) -> str:
    """The SQL condition on procurement rows for the changed ROW (NEW or OLD)."""
    value = f"{row}.{source.column}"
    if source.target == "collaboration":
        return f"collaboration_id = {value}"
    if source.target == "municipality":
        return (
            f"(lead_municipality_id = {value} OR id IN "
            f"(SELECT procurement_id FROM {PARTICIPATION_TABLE} WHERE municipality_id = {value}))"
        )
    return f"id = {value}"


def _sqlite_statements(source: Source) -> list[str]:
    statements = []
    for event in source.events:
        rows = {"INSERT": ["NEW"], "DELETE": ["OLD"], "UPDATE": ["NEW", "OLD"]}[event]
        where = " OR ".join(_which(source, row) for row in rows)
        name = f"{source.name}_{event.lower()}"
        statements += [
            f"DROP TRIGGER IF EXISTS {name}",
            f"CREATE TRIGGER {name} AFTER {event} ON {source.table} FOR EACH ROW BEGIN "
            f"UPDATE {PROCUREMENT_TABLE} SET revision = revision + 1 WHERE {where}; END",
        ]
    return statements


# One function for every table: the column and the target come as trigger arguments.
POSTGRESQL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION procurement_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    column_name text := TG_ARGV[0];
    target text := TG_ARGV[1];
    keys bigint[] := '{{}}';
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        keys := keys || (to_jsonb(NEW) ->> column_name)::bigint;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        keys := keys || (to_jsonb(OLD) ->> column_name)::bigint;
    END IF;
    IF target = 'collaboration' THEN
        UPDATE {PROCUREMENT_TABLE} SET revision = revision + 1 WHERE collaboration_id = ANY(keys);
    ELSIF target = 'municipality' THEN
        UPDATE {PROCUREMENT_TABLE} SET revision = revision + 1
        WHERE lead_municipality_id = ANY(keys)
           OR id IN (SELECT procurement_id FROM {PARTICIPATION_TABLE} WHERE municipality_id = ANY(keys));
    ELSE
        UPDATE {PROCUREMENT_TABLE} SET revision = revision + 1 WHERE id = ANY(keys);
    END IF;
    RETURN NULL;
END;
$$
"""


def _postgresql_statements(source: Source) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {source.name} ON {source.table}",
        f"CREATE TRIGGER {source.name} AFTER {' OR '.join(source.events)} ON {source.table} "
        f"FOR EACH ROW EXECUTE FUNCTION procurement_revision_bump('{source.column}', '{source.target}')",
    ]


def triggers_install(using: str = "default") -> int:
    """(Re)creates the triggers on database USING; returns how many tables have them."""
    connection = connections[using]
    found = sources()
    existing = set(connection.introspection.table_names())
    found = [source for source in found if source.table in existing]
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


def triggers_after_migrate(sender, using: str = "default", **kwargs) -> None:
    """post_migrate receiver (procurement's app config): all apps' tables exist by then."""
    if PROCUREMENT_TABLE in connections[using].introspection.table_names():
        triggers_install(using)
