"""Migration operations the search index is built with."""

from django.db import migrations


class PostgreSQLOnly(migrations.RunSQL):
    """Raw SQL that only PostgreSQL runs; other databases (the SQLite quick start) skip it."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
