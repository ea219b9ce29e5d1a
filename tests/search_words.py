"""The search words' stored counts (recommendations migration 0014, PostgreSQL only) beside the
same counts worked out from every stored search document, for tests to compare."""

from django.db import connection


def stored_word_counts() -> dict[str, int]:
    """Each word's stored count (the sum of its rows), words counted zero left out."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT word, SUM(recommendations) FROM recommendations_search_word GROUP BY word HAVING SUM(recommendations) <> 0")
        return dict(cursor.fetchall())


def counted_word_counts() -> dict[str, int]:
    """How many recommendations' search documents hold each word, counted now."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT word, COUNT(*) FROM recommendations_recommendation, unnest(tsvector_to_array(search_document)) AS word GROUP BY word")
        return dict(cursor.fetchall())


def stored_rows() -> tuple[int, int]:
    """(rows, distinct words) in the stored counts."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*), COUNT(DISTINCT word) FROM recommendations_search_word")
        return cursor.fetchone()
