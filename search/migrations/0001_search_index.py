# The full-text index of the search page, in the database so that every write keeps it current
# (the admin, services, bulk inserts and cascades alike):
#
# - text search configurations that ignore accents (kip_english, kip_french, kip_portuguese,
#   kip_spanish, kip_simple);
# - one function per kind that builds a row's weighted vector (title A, main text B, the rest C/D)
#   in the language of its author (English, French, Portuguese or Spanish; text of unknown language
#   in English and French), and always in kip_simple too, so that exact words, names and other
#   languages are found; and one that gives the text a snippet is cut from;
# - triggers that recompute a row's vector when it is written, and touch the row when related text
#   changes (experience sheet, answered questions, topics, published minutes, a member's centre or
#   expertise, an author's language);
# - GIN indexes on the vectors and a trigram index on members' names (typos).
#
# PostgreSQL only: on the SQLite quick start the search falls back to a plain match and this
# migration does nothing.

from django.db import migrations

from search.postgres import PostgreSQLOnly

CONFIGS = """
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- unaccent() is only STABLE (it looks its dictionary up by name); naming the dictionary makes
-- this wrapper safe to declare IMMUTABLE, so it may appear in index expressions.
CREATE OR REPLACE FUNCTION kip_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;

DROP TEXT SEARCH CONFIGURATION IF EXISTS kip_simple;
DROP TEXT SEARCH CONFIGURATION IF EXISTS kip_english;
DROP TEXT SEARCH CONFIGURATION IF EXISTS kip_french;
DROP TEXT SEARCH CONFIGURATION IF EXISTS kip_portuguese;
DROP TEXT SEARCH CONFIGURATION IF EXISTS kip_spanish;
CREATE TEXT SEARCH CONFIGURATION kip_simple (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION kip_simple
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
CREATE TEXT SEARCH CONFIGURATION kip_english (COPY = english);
ALTER TEXT SEARCH CONFIGURATION kip_english
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
CREATE TEXT SEARCH CONFIGURATION kip_french (COPY = french);
ALTER TEXT SEARCH CONFIGURATION kip_french
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
CREATE TEXT SEARCH CONFIGURATION kip_portuguese (COPY = portuguese);
ALTER TEXT SEARCH CONFIGURATION kip_portuguese
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, portuguese_stem;
CREATE TEXT SEARCH CONFIGURATION kip_spanish (COPY = spanish);
ALTER TEXT SEARCH CONFIGURATION kip_spanish
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem;

-- A text in its language, stemmed (both English and French when the language is not known);
-- word for word (unaccented) for languages PostgreSQL does not stem. Titles and names are also
-- indexed word for word (kip_name_vector), so that exact forms find them whatever the reader's
-- language; long texts are not, to keep the vectors small.
CREATE OR REPLACE FUNCTION kip_text_vector(lang text, body text, weight "char") RETURNS tsvector
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT setweight(
        CASE
            WHEN lang = 'en' THEN to_tsvector('kip_english', coalesce(body, ''))
            WHEN lang = 'fr' THEN to_tsvector('kip_french', coalesce(body, ''))
            WHEN lang = 'pt' THEN to_tsvector('kip_portuguese', coalesce(body, ''))
            WHEN lang = 'es' THEN to_tsvector('kip_spanish', coalesce(body, ''))
            WHEN lang IS NULL OR lang = '' THEN
                to_tsvector('kip_english', coalesce(body, '')) || to_tsvector('kip_french', coalesce(body, ''))
            ELSE to_tsvector('kip_simple', coalesce(body, ''))
        END,
        weight
    )
$$;

CREATE OR REPLACE FUNCTION kip_name_vector(body text, weight "char") RETURNS tsvector
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT setweight(to_tsvector('kip_simple', coalesce(body, '')), weight) $$;

CREATE OR REPLACE FUNCTION kip_user_language(user_id bigint) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT preferred_language FROM community_user WHERE id = user_id $$;
"""

DOCUMENTS = """
-- Guide entries: title and text, in the author's language.
CREATE OR REPLACE FUNCTION kip_contribution_vector(c guide_contribution) RETURNS tsvector
LANGUAGE sql STABLE
AS $$
    SELECT kip_text_vector(lang, c.title, 'A') || kip_name_vector(c.title, 'A')
        || kip_text_vector(lang, c.body, 'B')
    FROM (SELECT kip_user_language(c.author_id) AS lang) AS l
$$;

-- Themes: title, summary and topics; the experience sheet; the answered, visible questions.
CREATE OR REPLACE FUNCTION kip_theme_extra(theme_id bigint) RETURNS text
LANGUAGE sql STABLE
AS $$
    SELECT concat_ws(E'\n',
        (SELECT concat_ws(E'\n', s.activity, s.strengths, s.weaknesses, s.transferability)
           FROM themes_experiencesheet s WHERE s.theme_id = kip_theme_extra.theme_id),
        (SELECT string_agg(q.body || E'\n' || q.answer, E'\n' ORDER BY q.id)
           FROM themes_question q
          WHERE q.theme_id = kip_theme_extra.theme_id AND q.answer <> '' AND q.hidden_at IS NULL)
    )
$$;

CREATE OR REPLACE FUNCTION kip_theme_document(t themes_theme) RETURNS text
LANGUAGE sql STABLE
AS $$ SELECT concat_ws(E'\n', t.summary, kip_theme_extra(t.id)) $$;

CREATE OR REPLACE FUNCTION kip_theme_vector(t themes_theme) RETURNS tsvector
LANGUAGE sql STABLE
AS $$
    SELECT kip_text_vector(lang, t.title, 'A') || kip_name_vector(t.title, 'A')
        || kip_text_vector(lang, t.summary, 'B')
        || kip_text_vector(lang, (
               SELECT string_agg(topic.name, ', ')
                 FROM themes_taggedtheme tagged JOIN themes_themetopic topic ON topic.id = tagged.tag_id
                WHERE tagged.content_object_id = t.id), 'B')
        || kip_text_vector(lang, kip_theme_extra(t.id), 'C')
    FROM (SELECT kip_user_language(t.proposer_id) AS lang) AS l
$$;

-- Meetings: title, description and, once published, the minutes.
CREATE OR REPLACE FUNCTION kip_meeting_minutes(m meetings_meeting) RETURNS text
LANGUAGE sql STABLE
AS $$
    SELECT string_agg(minutes.text, E'\n' ORDER BY item.id)
      FROM meetings_agendaitem item JOIN meetings_minutes minutes ON minutes.agenda_item_id = item.id
     WHERE item.meeting_id = m.id AND m.minutes_published_at IS NOT NULL
$$;

CREATE OR REPLACE FUNCTION kip_meeting_document(m meetings_meeting) RETURNS text
LANGUAGE sql STABLE
AS $$ SELECT concat_ws(E'\n', m.description, kip_meeting_minutes(m)) $$;

CREATE OR REPLACE FUNCTION kip_meeting_vector(m meetings_meeting) RETURNS tsvector
LANGUAGE sql STABLE
AS $$
    SELECT kip_text_vector(lang, m.title, 'A') || kip_name_vector(m.title, 'A')
        || kip_text_vector(lang, m.description, 'B')
        || kip_text_vector(lang, kip_meeting_minutes(m), 'C')
    FROM (SELECT kip_user_language(m.created_by_id) AS lang) AS l
$$;

-- Meeting resources: title and description.
CREATE OR REPLACE FUNCTION kip_resource_vector(r meetings_resource) RETURNS tsvector
LANGUAGE sql STABLE
AS $$
    SELECT kip_text_vector(lang, r.title, 'A') || kip_name_vector(r.title, 'A')
        || kip_text_vector(lang, r.description, 'B')
    FROM (SELECT kip_user_language(r.added_by_id) AS lang) AS l
$$;

-- Members: what a directory card shows, and only while the member is listed in the directory.
-- Names, centres and cities are indexed word for word; the job title and expertise in the
-- member's language. A privacy choice that hides a field must leave that field out here.
CREATE OR REPLACE FUNCTION kip_member_centre(u community_user) RETURNS text
LANGUAGE sql STABLE
AS $$
    SELECT coalesce(
        (SELECT concat_ws(' ', o.name, nullif(o.short_name, '')) FROM community_organisation o
          WHERE o.id = u.organisation_id),
        u.organisation_other)
$$;

CREATE OR REPLACE FUNCTION kip_member_expertise(u community_user) RETURNS text
LANGUAGE sql STABLE
AS $$
    SELECT string_agg(tag.name, ', ' ORDER BY tag.name)
      FROM taggit_taggeditem item
      JOIN taggit_tag tag ON tag.id = item.tag_id
      JOIN django_content_type ct ON ct.id = item.content_type_id
     WHERE ct.app_label = 'community' AND ct.model = 'user' AND item.object_id = u.id
$$;

CREATE OR REPLACE FUNCTION kip_member_listed(u community_user) RETURNS boolean
LANGUAGE sql IMMUTABLE
AS $$ SELECT u.state = 'approved' AND u.is_active AND u.listed_in_directory $$;

CREATE OR REPLACE FUNCTION kip_member_document(u community_user) RETURNS text
LANGUAGE sql STABLE
AS $$
    SELECT CASE WHEN kip_member_listed(u) THEN
        concat_ws(' · ', nullif(u.job_title, ''), kip_member_centre(u), nullif(u.city, ''),
                  kip_member_expertise(u))
    END
$$;

CREATE OR REPLACE FUNCTION kip_member_vector(u community_user) RETURNS tsvector
LANGUAGE sql STABLE
AS $$
    SELECT CASE WHEN kip_member_listed(u) THEN
        kip_name_vector(u.display_name, 'A')
        || kip_name_vector(kip_member_centre(u), 'B')
        || kip_name_vector(u.city, 'B')
        || kip_text_vector(u.preferred_language, u.job_title, 'B')
        || kip_text_vector(u.preferred_language, kip_member_expertise(u), 'B')
    ELSE ''::tsvector END
$$;
"""

TRIGGERS = """
-- Each row's own vector, on every insert and update.
CREATE OR REPLACE FUNCTION kip_contribution_index() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.search_vector := kip_contribution_vector(NEW); RETURN NEW; END $$;
CREATE OR REPLACE FUNCTION kip_theme_index() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.search_vector := kip_theme_vector(NEW); RETURN NEW; END $$;
CREATE OR REPLACE FUNCTION kip_meeting_index() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.search_vector := kip_meeting_vector(NEW); RETURN NEW; END $$;
CREATE OR REPLACE FUNCTION kip_resource_index() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.search_vector := kip_resource_vector(NEW); RETURN NEW; END $$;
CREATE OR REPLACE FUNCTION kip_member_index() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.search_vector := kip_member_vector(NEW); RETURN NEW; END $$;

DROP TRIGGER IF EXISTS kip_search ON guide_contribution;
CREATE TRIGGER kip_search BEFORE INSERT OR UPDATE ON guide_contribution
    FOR EACH ROW EXECUTE FUNCTION kip_contribution_index();
DROP TRIGGER IF EXISTS kip_search ON themes_theme;
CREATE TRIGGER kip_search BEFORE INSERT OR UPDATE ON themes_theme
    FOR EACH ROW EXECUTE FUNCTION kip_theme_index();
DROP TRIGGER IF EXISTS kip_search ON meetings_meeting;
CREATE TRIGGER kip_search BEFORE INSERT OR UPDATE ON meetings_meeting
    FOR EACH ROW EXECUTE FUNCTION kip_meeting_index();
DROP TRIGGER IF EXISTS kip_search ON meetings_resource;
CREATE TRIGGER kip_search BEFORE INSERT OR UPDATE ON meetings_resource
    FOR EACH ROW EXECUTE FUNCTION kip_resource_index();
DROP TRIGGER IF EXISTS kip_search ON community_user;
CREATE TRIGGER kip_search BEFORE INSERT OR UPDATE ON community_user
    FOR EACH ROW EXECUTE FUNCTION kip_member_index();

-- Related text: touching the parent row makes its own trigger recompute the vector.
CREATE OR REPLACE FUNCTION kip_touch_theme() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
BEGIN
    IF TG_TABLE_NAME = 'themes_taggedtheme' THEN
        ids := ARRAY[(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END).content_object_id];
        IF TG_OP = 'UPDATE' THEN ids := ids || OLD.content_object_id; END IF;
    ELSE
        ids := ARRAY[(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END).theme_id];
        IF TG_OP = 'UPDATE' THEN ids := ids || OLD.theme_id; END IF;
    END IF;
    UPDATE themes_theme SET search_vector = NULL WHERE id = ANY(ids);
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS kip_search ON themes_experiencesheet;
CREATE TRIGGER kip_search AFTER INSERT OR UPDATE OR DELETE ON themes_experiencesheet
    FOR EACH ROW EXECUTE FUNCTION kip_touch_theme();
DROP TRIGGER IF EXISTS kip_search ON themes_question;
CREATE TRIGGER kip_search AFTER INSERT OR UPDATE OR DELETE ON themes_question
    FOR EACH ROW EXECUTE FUNCTION kip_touch_theme();
DROP TRIGGER IF EXISTS kip_search ON themes_taggedtheme;
CREATE TRIGGER kip_search AFTER INSERT OR UPDATE OR DELETE ON themes_taggedtheme
    FOR EACH ROW EXECUTE FUNCTION kip_touch_theme();

CREATE OR REPLACE FUNCTION kip_touch_meeting() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE meetings_meeting SET search_vector = NULL
     WHERE id IN (SELECT meeting_id FROM meetings_agendaitem
                   WHERE id IN ((CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END).agenda_item_id,
                                (CASE WHEN TG_OP = 'INSERT' THEN NEW ELSE OLD END).agenda_item_id))
       AND minutes_published_at IS NOT NULL;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS kip_search ON meetings_minutes;
CREATE TRIGGER kip_search AFTER INSERT OR UPDATE OR DELETE ON meetings_minutes
    FOR EACH ROW EXECUTE FUNCTION kip_touch_meeting();

CREATE OR REPLACE FUNCTION kip_touch_members() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    row_ record := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
BEGIN
    IF TG_TABLE_NAME = 'community_organisation' THEN
        UPDATE community_user SET search_vector = NULL WHERE organisation_id = row_.id;
    ELSIF TG_TABLE_NAME = 'taggit_tag' THEN
        UPDATE community_user SET search_vector = NULL
         WHERE id IN (SELECT object_id FROM taggit_taggeditem WHERE tag_id = row_.id);
    ELSE
        UPDATE community_user SET search_vector = NULL
         WHERE id = row_.object_id
           AND EXISTS (SELECT 1 FROM django_content_type ct WHERE ct.id = row_.content_type_id
                        AND ct.app_label = 'community' AND ct.model = 'user');
    END IF;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS kip_search ON community_organisation;
CREATE TRIGGER kip_search AFTER UPDATE OF name, short_name ON community_organisation
    FOR EACH ROW EXECUTE FUNCTION kip_touch_members();
DROP TRIGGER IF EXISTS kip_search ON taggit_tag;
CREATE TRIGGER kip_search AFTER UPDATE OF name ON taggit_tag
    FOR EACH ROW EXECUTE FUNCTION kip_touch_members();
DROP TRIGGER IF EXISTS kip_search ON taggit_taggeditem;
CREATE TRIGGER kip_search AFTER INSERT OR DELETE ON taggit_taggeditem
    FOR EACH ROW EXECUTE FUNCTION kip_touch_members();

-- Content is indexed in its author's language: follow the author when it changes.
CREATE OR REPLACE FUNCTION kip_touch_authored() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE guide_contribution SET search_vector = NULL WHERE author_id = NEW.id;
    UPDATE themes_theme SET search_vector = NULL WHERE proposer_id = NEW.id;
    UPDATE meetings_meeting SET search_vector = NULL WHERE created_by_id = NEW.id;
    UPDATE meetings_resource SET search_vector = NULL WHERE added_by_id = NEW.id;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS kip_search_language ON community_user;
CREATE TRIGGER kip_search_language AFTER UPDATE OF preferred_language ON community_user
    FOR EACH ROW WHEN (OLD.preferred_language IS DISTINCT FROM NEW.preferred_language)
    EXECUTE FUNCTION kip_touch_authored();
"""

INDEXES = """
CREATE INDEX IF NOT EXISTS kip_contribution_search ON guide_contribution USING gin (search_vector);
CREATE INDEX IF NOT EXISTS kip_theme_search ON themes_theme USING gin (search_vector);
CREATE INDEX IF NOT EXISTS kip_meeting_search ON meetings_meeting USING gin (search_vector);
CREATE INDEX IF NOT EXISTS kip_resource_search ON meetings_resource USING gin (search_vector);
CREATE INDEX IF NOT EXISTS kip_member_search ON community_user USING gin (search_vector);

CREATE INDEX IF NOT EXISTS kip_member_name_trgm ON community_user
    USING gin (kip_unaccent(lower(display_name)) gin_trgm_ops);

-- Index the rows that exist already.
UPDATE guide_contribution SET search_vector = NULL;
UPDATE themes_theme SET search_vector = NULL;
UPDATE meetings_meeting SET search_vector = NULL;
UPDATE meetings_resource SET search_vector = NULL;
UPDATE community_user SET search_vector = NULL;
"""

REVERSE = """
DROP TRIGGER IF EXISTS kip_search_language ON community_user;
DROP TRIGGER IF EXISTS kip_search ON community_user;
DROP TRIGGER IF EXISTS kip_search ON community_organisation;
DROP TRIGGER IF EXISTS kip_search ON taggit_tag;
DROP TRIGGER IF EXISTS kip_search ON taggit_taggeditem;
DROP TRIGGER IF EXISTS kip_search ON guide_contribution;
DROP TRIGGER IF EXISTS kip_search ON themes_theme;
DROP TRIGGER IF EXISTS kip_search ON themes_experiencesheet;
DROP TRIGGER IF EXISTS kip_search ON themes_question;
DROP TRIGGER IF EXISTS kip_search ON themes_taggedtheme;
DROP TRIGGER IF EXISTS kip_search ON meetings_meeting;
DROP TRIGGER IF EXISTS kip_search ON meetings_minutes;
DROP TRIGGER IF EXISTS kip_search ON meetings_resource;
DROP INDEX IF EXISTS kip_contribution_search, kip_theme_search, kip_meeting_search, kip_resource_search,
    kip_member_search, kip_member_name_trgm;
DROP FUNCTION IF EXISTS kip_contribution_index, kip_theme_index, kip_meeting_index, kip_resource_index,
    kip_member_index, kip_touch_theme, kip_touch_meeting, kip_touch_members, kip_touch_authored;
DROP FUNCTION IF EXISTS kip_contribution_vector, kip_theme_vector, kip_theme_document, kip_theme_extra,
    kip_meeting_vector, kip_meeting_document, kip_meeting_minutes, kip_resource_vector, kip_member_vector,
    kip_member_document, kip_member_listed, kip_member_expertise, kip_member_centre;
DROP FUNCTION IF EXISTS kip_text_vector, kip_name_vector, kip_user_language;
DROP TEXT SEARCH CONFIGURATION IF EXISTS kip_simple;
DROP TEXT SEARCH CONFIGURATION IF EXISTS kip_english;
DROP TEXT SEARCH CONFIGURATION IF EXISTS kip_french;
DROP TEXT SEARCH CONFIGURATION IF EXISTS kip_portuguese;
DROP TEXT SEARCH CONFIGURATION IF EXISTS kip_spanish;
DROP FUNCTION IF EXISTS kip_unaccent;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0010_search_vector"),
        ("guide", "0003_search_vector"),
        ("meetings", "0003_search_vector"),
        ("themes", "0003_search_vector"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [PostgreSQLOnly(CONFIGS + DOCUMENTS + TRIGGERS + INDEXES, REVERSE)]
