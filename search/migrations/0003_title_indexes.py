# A GIN index per kind on the titles' part of the stored vectors (weight A: a guide entry's, theme's,
# meeting's or resource's title, a member's name), the expression the page's ``TitleVector`` writes.
# The page takes its candidates among the title matches first (search/selectors.py): with this
# index they are found without reading every matching row's vector. PostgreSQL only, like 0001.

from django.db import migrations

from search.postgres import PostgreSQLOnly

TABLES = {
    "kip_contribution_title": "guide_contribution",
    "kip_theme_title": "themes_theme",
    "kip_meeting_title": "meetings_meeting",
    "kip_resource_title": "meetings_resource",
    "kip_member_title": "community_user",
}

FORWARDS = "\n".join(
    f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (ts_filter(search_vector, '{{a}}'));"
    for name, table in TABLES.items()
)
BACKWARDS = f"DROP INDEX IF EXISTS {', '.join(TABLES)};"


class Migration(migrations.Migration):
    dependencies = [("search", "0002_guide_vector_published_only")]

    operations = [PostgreSQLOnly(FORWARDS, BACKWARDS)]
