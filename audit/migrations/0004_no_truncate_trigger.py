"""TRUNCATE empties a table without firing its row triggers, so the UPDATE/DELETE trigger of
0003 does not stop it; a statement-level trigger does. It also makes `manage.py flush`
refuse to wipe the log. The function is 0003's (it names TG_OP in its message).

PostgreSQL only: SQLite has no TRUNCATE and relies on the model, as in 0003."""
from django.db import migrations

CREATE = [
    """
    CREATE TRIGGER audit_entry_no_truncate
        BEFORE TRUNCATE ON audit_auditentry
        FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only()
    """,
]
DROP = ["DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_auditentry"]


class PostgresOnlyRunSQL(migrations.RunSQL):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_append_only_trigger")]
    operations = [PostgresOnlyRunSQL(sql=CREATE, reverse_sql=DROP)]
