"""How many recommendations hold each search word, kept current by triggers (PostgreSQL only).

A one-word search of the list shows how many recommendations match ("1–25 of 412"). Counting them
meant reading every match's row to check it is visible: a common word at 250,000 recommendations
(17,450 matches) read 617 table pages for the first 1,001, most of what a search at that size
costs beyond one at 2,500 (issue 16). The number is now stored per word.

``recommendations_search_word`` holds changes, not totals: a row (word, recommendations) says that
many more (or, negative, fewer) recommendations hold the word in their stored search document
(migration 0005); a word's count is the sum of its rows. Writers only ever add rows, so two editors
saving at once never wait on, or deadlock over, a shared counter row. The daily flag job folds each
word's rows into one (``recommendation_search_words_compact``); two foldings take turns.

Triggers on the recommendations table keep it current on every write that changes a search
document, however it is made (the ORM, the admin, ``loaddata``, ``COPY``, ``update()``, a reply's
trigger refreshing the document): once per statement, from its transition tables. ``TRUNCATE``
(Django's flush) empties it. Database-only like the search document: no model declares it, so it
is never serialised into fixtures (whose loading would then count every word twice).
"""

from django.db import migrations

TABLE = """
CREATE TABLE recommendations_search_word (
    word text NOT NULL,
    recommendations integer NOT NULL
);
CREATE INDEX recommendations_search_word_idx ON recommendations_search_word (word) INCLUDE (recommendations);
"""

# Every word of every document written by one statement, +1 for each recommendation that now holds
# it and -1 for each that no longer does, summed per word (words whose count is unchanged: no row).
TRIGGERS = """
CREATE FUNCTION recommendation_search_words_count() RETURNS trigger LANGUAGE plpgsql
-- No JIT: compiling this small statement for a bulk write took longer than running it.
SET jit = off AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO recommendations_search_word (word, recommendations)
        SELECT word, count(*) FROM new_recs, unnest(tsvector_to_array(new_recs.search_document)) AS word
        GROUP BY word;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO recommendations_search_word (word, recommendations)
        SELECT word, -count(*) FROM old_recs, unnest(tsvector_to_array(old_recs.search_document)) AS word
        GROUP BY word;
    ELSE
        -- The documents that changed first (a bulk update of other columns changes none), then
        -- their words: unnesting every row's words before the join was 60 µs a row.
        WITH changed AS MATERIALIZED (
            SELECT after.search_document AS now, before.search_document AS was
            FROM new_recs after JOIN old_recs before ON before.id = after.id
            WHERE after.search_document IS DISTINCT FROM before.search_document
        )
        INSERT INTO recommendations_search_word (word, recommendations)
        SELECT word, sum(change) FROM (
            SELECT word, 1 AS change FROM changed, unnest(tsvector_to_array(changed.now)) AS word
            UNION ALL
            SELECT word, -1 FROM changed, unnest(tsvector_to_array(changed.was)) AS word
        ) changes
        GROUP BY word HAVING sum(change) <> 0;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER recommendation_search_words_insert AFTER INSERT ON recommendations_recommendation
    REFERENCING NEW TABLE AS new_recs
    FOR EACH STATEMENT EXECUTE FUNCTION recommendation_search_words_count();
CREATE TRIGGER recommendation_search_words_update AFTER UPDATE ON recommendations_recommendation
    REFERENCING OLD TABLE AS old_recs NEW TABLE AS new_recs
    FOR EACH STATEMENT EXECUTE FUNCTION recommendation_search_words_count();
CREATE TRIGGER recommendation_search_words_delete AFTER DELETE ON recommendations_recommendation
    REFERENCING OLD TABLE AS old_recs
    FOR EACH STATEMENT EXECUTE FUNCTION recommendation_search_words_count();

CREATE FUNCTION recommendation_search_words_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM recommendations_search_word;
    RETURN NULL;
END
$$;
CREATE TRIGGER recommendation_search_words_truncate AFTER TRUNCATE ON recommendations_recommendation
    FOR EACH STATEMENT EXECUTE FUNCTION recommendation_search_words_clear();
"""

# Each word's rows folded into one (none when they add up to nothing). The rows a concurrent writer
# adds meanwhile are not in this statement's snapshot, so they stay, to be folded next time; the
# advisory lock makes two foldings take turns (each would otherwise lock rows the other wants).
COMPACT = """
CREATE FUNCTION recommendation_search_words_compact() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    folded integer;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('recommendations_search_word'));
    WITH gone AS (
        DELETE FROM recommendations_search_word RETURNING word, recommendations
    ), kept AS (
        INSERT INTO recommendations_search_word (word, recommendations)
        SELECT word, sum(recommendations) FROM gone GROUP BY word HAVING sum(recommendations) <> 0
        RETURNING 1
    )
    SELECT count(*) INTO folded FROM kept;
    RETURN folded;
END
$$;
"""

# The words already stored, counted with writers held off (SHARE mode lets reads through), so
# nothing written between the count and the triggers is missed.
FILL = """
LOCK TABLE recommendations_recommendation IN SHARE MODE;
INSERT INTO recommendations_search_word (word, recommendations)
SELECT word, count(*) FROM recommendations_recommendation, unnest(tsvector_to_array(search_document)) AS word
GROUP BY word;
ANALYZE recommendations_search_word;
"""

UNDO = """
DROP TRIGGER IF EXISTS recommendation_search_words_insert ON recommendations_recommendation;
DROP TRIGGER IF EXISTS recommendation_search_words_update ON recommendations_recommendation;
DROP TRIGGER IF EXISTS recommendation_search_words_delete ON recommendations_recommendation;
DROP TRIGGER IF EXISTS recommendation_search_words_truncate ON recommendations_recommendation;
DROP FUNCTION IF EXISTS recommendation_search_words_count();
DROP FUNCTION IF EXISTS recommendation_search_words_clear();
DROP FUNCTION IF EXISTS recommendation_search_words_compact();
DROP TABLE IF EXISTS recommendations_search_word;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # UNDO first: a backup from before this migration restored over a newer database (``restore``
    # then says to migrate) replaces the recommendations table but leaves this one, counting
    # what is no longer there.
    for sql in (UNDO, TABLE, FILL, TRIGGERS, COMPACT):
        schema_editor.execute(sql, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(UNDO, params=None)


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0013_h2_document_list_index")]

    operations = [
        migrations.SeparateDatabaseAndState(database_operations=[migrations.RunPython(create, drop)]),
    ]
