# Guide entries are indexed only while published: the vector of a draft, a submitted or a rejected
# entry is NULL. The search reads published entries only, so nothing is lost; what changes is that
# the column's statistics and the GIN index describe the searchable entries alone. With the
# vectors of thousands of entries waiting in the editors' queue in them, the planner took a common
# word to match nine rows in ten and filtered every published entry's vector instead of reading the
# index (23 ms against 2 ms for "partnership" at 10,000 published entries, bench/search.py).
#
# The entry's own trigger already runs on every write, so publishing indexes it and any move out of
# "published" empties it. PostgreSQL only, like 0001.

from django.db import migrations

from search.postgres import PostgreSQLOnly

FORWARDS = """
CREATE OR REPLACE FUNCTION kip_contribution_index() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := CASE WHEN NEW.state = 'published' THEN kip_contribution_vector(NEW) END;
    RETURN NEW;
END $$;
UPDATE guide_contribution SET search_vector = NULL WHERE state <> 'published' AND search_vector IS NOT NULL;
"""

BACKWARDS = """
CREATE OR REPLACE FUNCTION kip_contribution_index() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.search_vector := kip_contribution_vector(NEW); RETURN NEW; END $$;
UPDATE guide_contribution SET search_vector = NULL WHERE state <> 'published';
"""


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_index")]

    operations = [PostgreSQLOnly(FORWARDS, BACKWARDS)]
