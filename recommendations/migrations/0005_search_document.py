"""A stored search document per recommendation, for the list's free-text search (PostgreSQL only).

``recommendations_recommendation.search_document`` (``tsvector``, GIN-indexed) holds the
recommendation's words (text, short text, chapter) and every reply's words, English-stemmed. The
search is then one indexed condition on the recommendation row: PostgreSQL can walk the list in
report-title order testing each row and stop after a page, instead of gathering every match from
two expression indexes (recommendations 0004, responses 0004, both dropped here) and sorting them.

Database-only, like 0004: the model does not declare the column (``pages.search.SearchDocument`` names
it), so it is never selected with a recommendation, serialised into fixtures or copied into the
history, and SQLite (which searches with LIKE) has no such column. Triggers keep it current on
every write, whatever makes it (the ORM, the admin, ``loaddata``, ``COPY``, ``update()``):

- a recommendation inserted, or its text, short text or chapter written: worked out again before
  the row is stored (the replies already stored are read too: ``loaddata`` may insert replies
  first, its foreign keys being checked at commit);
- replies inserted, deleted, or their text or recommendation changed: the recommendations they
  belong (or belonged) to are worked out again, once per statement (a ``COPY`` of 50,000 replies
  is one ``UPDATE``).
"""

from django.db import migrations

DOCUMENT_FUNCTION = """
CREATE FUNCTION recommendation_search_document(rec_id bigint, rec_text text, rec_short_text text, rec_chapter text)
RETURNS tsvector
-- VOLATILE, not STABLE: each call reads the replies with a fresh snapshot, so a reply committed by
-- a concurrent transaction (whose lock this update waited for) is not left out.
LANGUAGE sql VOLATILE AS $$
    SELECT to_tsvector('english', coalesce(rec_text, '') || ' ' || coalesce(rec_short_text, '') || ' ' || coalesce(rec_chapter, ''))
        || coalesce(
            (SELECT to_tsvector('english', string_agg(reply.text, ' ' ORDER BY reply.id))
             FROM responses_response reply WHERE reply.recommendation_id = rec_id),
            ''::tsvector
        )
$$
"""

RECOMMENDATION_TRIGGER = """
CREATE FUNCTION recommendation_search_document_set() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document := recommendation_search_document(NEW.id, NEW.text, NEW.short_text, NEW.chapter);
    RETURN NEW;
END
$$;
CREATE TRIGGER recommendation_search_document_set
    BEFORE INSERT OR UPDATE OF text, short_text, chapter ON recommendations_recommendation
    FOR EACH ROW EXECUTE FUNCTION recommendation_search_document_set();
"""

# Statement-level with transition tables: one UPDATE per statement however many replies it wrote.
# (A trigger with transition tables takes one event and no column list, hence three, and the
# UPDATE one compares old and new rows itself: an assessment or status change costs no refresh.)
REPLY_TRIGGERS = """
CREATE FUNCTION response_search_documents_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE recommendations_recommendation rec
        SET search_document = recommendation_search_document(rec.id, rec.text, rec.short_text, rec.chapter)
        WHERE rec.id IN (SELECT recommendation_id FROM new_replies);
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE recommendations_recommendation rec
        SET search_document = recommendation_search_document(rec.id, rec.text, rec.short_text, rec.chapter)
        WHERE rec.id IN (SELECT recommendation_id FROM old_replies);
    ELSE
        UPDATE recommendations_recommendation rec
        SET search_document = recommendation_search_document(rec.id, rec.text, rec.short_text, rec.chapter)
        WHERE rec.id IN (
            SELECT unnest(ARRAY[after.recommendation_id, before.recommendation_id])
            FROM new_replies after JOIN old_replies before ON before.id = after.id
            WHERE after.text IS DISTINCT FROM before.text OR after.recommendation_id IS DISTINCT FROM before.recommendation_id
        );
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER response_search_documents_insert AFTER INSERT ON responses_response
    REFERENCING NEW TABLE AS new_replies
    FOR EACH STATEMENT EXECUTE FUNCTION response_search_documents_refresh();
CREATE TRIGGER response_search_documents_update AFTER UPDATE ON responses_response
    REFERENCING OLD TABLE AS old_replies NEW TABLE AS new_replies
    FOR EACH STATEMENT EXECUTE FUNCTION response_search_documents_refresh();
CREATE TRIGGER response_search_documents_delete AFTER DELETE ON responses_response
    REFERENCING OLD TABLE AS old_replies
    FOR EACH STATEMENT EXECUTE FUNCTION response_search_documents_refresh();
"""

# Existing rows in one pass: each recommendation joined to its replies' words (one aggregate over
# the replies, a hash join), not one lookup per row. The old expression indexes go first, so the
# UPDATE does not maintain them.
FILL = """
DROP INDEX IF EXISTS recommendation_search_idx;
DROP INDEX IF EXISTS response_search_idx;
ALTER TABLE recommendations_recommendation ADD COLUMN search_document tsvector NOT NULL DEFAULT ''::tsvector;
UPDATE recommendations_recommendation rec
SET search_document = to_tsvector('english', rec.text || ' ' || rec.short_text || ' ' || rec.chapter)
    || coalesce(to_tsvector('english', replies.words), ''::tsvector)
FROM recommendations_recommendation own
LEFT JOIN (
    SELECT recommendation_id, string_agg(text, ' ' ORDER BY id) AS words FROM responses_response GROUP BY recommendation_id
) replies ON replies.recommendation_id = own.id
WHERE own.id = rec.id;
CREATE INDEX recommendation_search_document_idx ON recommendations_recommendation USING gin (search_document);
ANALYZE recommendations_recommendation;
"""

UNDO = """
DROP TRIGGER IF EXISTS response_search_documents_insert ON responses_response;
DROP TRIGGER IF EXISTS response_search_documents_update ON responses_response;
DROP TRIGGER IF EXISTS response_search_documents_delete ON responses_response;
DROP TRIGGER IF EXISTS recommendation_search_document_set ON recommendations_recommendation;
DROP FUNCTION IF EXISTS response_search_documents_refresh();
DROP FUNCTION IF EXISTS recommendation_search_document_set();
DROP FUNCTION IF EXISTS recommendation_search_document(bigint, text, text, text);
ALTER TABLE recommendations_recommendation DROP COLUMN IF EXISTS search_document;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in (FILL, DOCUMENT_FUNCTION, RECOMMENDATION_TRIGGER, REPLY_TRIGGERS):
        schema_editor.execute(sql, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    schema_editor.execute(UNDO, params=None)
    # Back to the expression indexes of recommendations 0004 and responses 0004, built as they build them.
    for model_name, fields, name in (
        ("recommendations.Recommendation", ("text", "short_text", "chapter"), "recommendation_search_idx"),
        ("responses.Response", ("text",), "response_search_idx"),
    ):
        index = GinIndex(SearchVector(*fields, config="english"), name=name)
        schema_editor.execute(index.create_sql(apps.get_model(model_name), schema_editor))


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0004_indexes_for_scale"),
        ("responses", "0005_commitment_recommendation"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(database_operations=[migrations.RunPython(create, drop)]),
    ]
