"""The privilege model of docker-compose.yml, proved on PostgreSQL: the role the application
connects as is created by the very file the db container runs
(docker/postgres/initdb/app-role.psql), inside the test database, and the test then acts as
that role. It writes rows, the audit log included; it cannot rewrite or empty the log, nor
switch off or drop what protects it, nor change the schema. Tables the owner creates later
(the next migration) are open to it through the default privileges.

Roles are cluster-wide, so the name is unique per run; the role is created inside the test's
transaction, which pytest-django rolls back, and is dropped explicitly too."""
import re
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from audit.models import AuditEntry
from audit.services import audit_record

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

SCRIPT = Path(settings.BASE_DIR) / "docker" / "postgres" / "initdb" / "app-role.psql"


def identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def psql_statements(text: str, variables: dict[str, str]) -> list[str]:
    """The statements of a psql file that uses only :"var" and :'var', as psql would send them."""
    text = re.sub(r"--[^\n]*", "", text)
    text = re.sub(r':"(\w+)"', lambda m: identifier(variables[m.group(1)]), text)
    text = re.sub(r":'(\w+)'", lambda m: literal(variables[m.group(1)]), text)
    assert not re.search(r":\w", text.replace("::", "")), "a psql variable form this reader does not know"
    return [statement.strip() for statement in re.split(r";\s*\n", text) if statement.strip()]


def run(sql: str, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


def refused(sql: str, params=None) -> str:
    """Runs SQL expecting PostgreSQL to refuse it; returns the error. The savepoint keeps the
    test's transaction usable afterwards."""
    with pytest.raises(DatabaseError) as error, transaction.atomic():
        run(sql, params)
    return str(error.value)


@pytest.fixture
def app_role(collaboration):
    """Creates the app role with the compose file's script, then acts as it (SET ROLE)."""
    name = f"test_app_{uuid.uuid4().hex[:12]}"
    owner, database = run("SELECT current_user, current_database()")[0]
    variables = {"app_user": name, "app_password": uuid.uuid4().hex, "owner": owner, "db": database}
    for statement in psql_statements(SCRIPT.read_text(encoding="utf-8"), variables):
        run(statement)
    run(f"SET ROLE {identifier(name)}")
    try:
        yield name
    finally:
        with transaction.atomic():
            run("RESET ROLE")
            run(f"DROP OWNED BY {identifier(name)}")
            run(f"DROP ROLE {identifier(name)}")


def test_the_script_makes_a_plain_login_role(app_role):
    run("RESET ROLE")
    row = run(
        "SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolbypassrls FROM pg_roles WHERE rolname = %s",
        [app_role],
    )
    assert row == [(True, False, False, False, False)]
    owners = {owner for (owner,) in run("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")}
    assert app_role not in owners


def test_the_app_role_writes_rows_and_appends_to_the_audit_log(app_role, collaboration):
    assert run("SELECT current_user")[0][0] == app_role
    entry = audit_record(actor=collaboration.coordinator, action="test.as_app", message="Skrevet som appen.")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    run(
        "INSERT INTO audit_auditentry (at, action, message, data) VALUES (now(), 'raw.as_app', 'Rå innsetting', '{}')"
    )
    assert AuditEntry.objects.filter(action="raw.as_app").count() == 1
    # Ordinary tables: read, insert, update, delete.
    collaboration.collaboration.name = "Omdøpt collaboration"
    collaboration.collaboration.save()
    assert run("SELECT count(*) FROM municipalities_person")[0][0] > 0
    run("DELETE FROM django_session")


@pytest.mark.parametrize(
    ("sql", "why"),
    [
        ("UPDATE audit_auditentry SET message = 'Omskrevet'", r"append-only \(UPDATE refused\)"),
        ("DELETE FROM audit_auditentry", r"append-only \(DELETE refused\)"),
        ("TRUNCATE audit_auditentry", "permission denied for table audit_auditentry"),
        ("TRUNCATE procurement_procurement CASCADE", "permission denied for table"),
        ("DROP TRIGGER audit_entry_append_only ON audit_auditentry", "must be owner"),
        ("DROP TRIGGER audit_entry_no_truncate ON audit_auditentry", "must be owner"),
        ("ALTER TABLE audit_auditentry DISABLE TRIGGER ALL", "must be owner"),
        ("DROP FUNCTION audit_entry_append_only()", "must be owner"),
        ("DROP TABLE audit_auditentry", "must be owner"),
        ("ALTER TABLE audit_auditentry ADD COLUMN note text", "must be owner"),
        (
            "CREATE TRIGGER sneaky BEFORE INSERT ON audit_auditentry "
            "FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()",
            "permission denied for table audit_auditentry",
        ),
        ("CREATE TABLE sneaky (id int)", "permission denied for schema public"),
        ("SET session_replication_role = replica", "permission denied"),
    ],
    ids=lambda value: value if len(value) < 40 else value[:40],
)
def test_the_app_role_cannot_rewrite_empty_or_unprotect_the_log(app_role, collaboration, sql, why):
    audit_record(actor=collaboration.coordinator, action="test.kept", message="Skal bli stående.")
    before = AuditEntry.objects.count()
    assert re.search(why, refused(sql)), sql
    run("RESET ROLE")  # count as the owner: nothing changed underneath
    assert AuditEntry.objects.count() == before
    assert run(
        "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'audit_auditentry'::regclass AND NOT tgisinternal AND tgenabled = 'O' "
        "AND tgname IN ('audit_entry_append_only', 'audit_entry_no_truncate')"
    ) == [(2,)]


def test_tables_the_owner_creates_later_are_open_to_the_app_role(app_role):
    run("RESET ROLE")
    run("CREATE TABLE later_migration (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, note text)")
    run("CREATE SEQUENCE later_sequence")
    run(f"SET ROLE {identifier(app_role)}")
    run("INSERT INTO later_migration (note) VALUES ('ny')")
    run("UPDATE later_migration SET note = 'endret'")
    assert run("SELECT note FROM later_migration") == [("endret",)]
    assert run("SELECT nextval('later_sequence')") == [(1,)]
    assert "permission denied" in refused("TRUNCATE later_migration")
    assert "must be owner" in refused("DROP TABLE later_migration")
