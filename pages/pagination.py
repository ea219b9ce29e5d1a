"""A paginator for long lists whose cost does not grow with the number of matching rows.

Django's ``Paginator`` counts every matching row (``COUNT(*)``) to number the pages: at 250,000
recommendations that count is most of a filtered list's time. ``CappedCountPaginator`` instead:

- reads one row more than a page holds, so whether there is a next page is known from the page
  itself, and a list that fits on its first page needs no count at all;
- otherwise counts at most ``count_cap`` rows (``SELECT COUNT(*) FROM (... LIMIT cap + 1)``): the
  exact number up to the cap, and "more than 10,000" beyond it (``count_is_capped``);
- still serves pages past the cap (previous and next links keep working; the page numbers shown
  stop at the current page's neighbours, because the last page's number is not known).
"""

from __future__ import annotations

import math

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.utils.functional import cached_property

COUNT_CAP = 10_000
# A search's matches are counted up to here ("more than 1,000"): each counted match is a row read
# to check its words (a common word's 10,000 took 8-30 ms at 250,000 recommendations, a fifth of
# the search), and past a thousand the number tells a reader no more than "many". (A one-word
# search on PostgreSQL reads its word's stored count instead: ``search.stored_search_count``.)
SEARCH_COUNT_CAP = 1_000
# Databases take row offsets as signed 64-bit integers: a page whose rows start beyond this does
# not exist (``?page=99999999999999999999`` is "no such page", not a database error).
MAX_OFFSET = 2**63 - 1


class CappedPage(Page):
    """A page that knows from its own rows whether another follows."""

    def __init__(self, object_list, number, paginator, *, has_more: bool):
        super().__init__(object_list, number, paginator)
        self._has_more = has_more

    def has_next(self) -> bool:
        return self._has_more

    def start_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + 1 if self.object_list else 0

    def end_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)


def _stored_or_counted(stored, counted) -> int:
    """The stored number, or when none is stored, the rows of ``counted``, in one query (COALESCE
    works out its second argument only when the first is NULL). ``stored`` is a one-value queryset
    or anything else with ``sql_with_params()`` (``search.StoredNumber``)."""
    stored_sql, stored_params = getattr(stored, "query", stored).sql_with_params()
    counted_sql, counted_params = counted.query.sql_with_params()
    with connections[counted.db].cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(({stored_sql}), (SELECT COUNT(*) FROM ({counted_sql}) counted))", [*stored_params, *counted_params])
        return cursor.fetchone()[0]


class CappedCountPaginator(Paginator):
    """``Paginator`` with a count that stops at ``count_cap`` (no orphans: pages are ``per_page``
    rows each). ``count`` is exact when ``count_is_capped`` is false, and ``count_cap`` otherwise."""

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, *, count_cap: int = COUNT_CAP):
        if orphans:
            raise ValueError("CappedCountPaginator does not support orphans")
        super().__init__(object_list, per_page, 0, allow_empty_first_page)
        self.count_cap = count_cap
        self._known_count: int | None = None  # set when a page shows the list's end
        # Set by the caller: returns a query for the exact number of matches when one is stored (a
        # one-value queryset, finding nothing when it is not stored), or None. The count is then
        # that number, or counted as usual when there is none, in the same query.
        self.stored_count = None
        # Set by the caller: ``rows_by_id(ids)`` returns the rows with those ids, in that order.
        # A page's ids are then found with the list's filters and order, and its rows read by id
        # (cheaper than one query that works out every shown column with the filters).
        self.rows_by_id = None
        # Set by the caller with ``rows_by_id``: ``first_ids(start, stop)`` returns the ids of rows
        # ``start:stop`` when a cheaper query finds them all, or None (then found as usual).
        self.first_ids = None

    @cached_property
    def _capped_count(self) -> int:
        """Matching rows, counted up to ``count_cap + 1``."""
        if self._known_count is not None:
            return self._known_count
        rows = self.object_list
        if not hasattr(rows, "values"):
            return len(rows[: self.count_cap + 1])
        # Only the ids, unordered: the annotations and ordering are not needed to count.
        counted = rows.order_by().values("pk")[: self.count_cap + 1]
        stored = self.stored_count() if self.stored_count is not None else None
        if stored is None:
            return counted.count()
        return min(_stored_or_counted(stored, counted), self.count_cap + 1)

    @property
    def count_is_capped(self) -> bool:
        """More rows match than ``count_cap``: say "more than {count}"."""
        return self._capped_count > self.count_cap

    @property
    def count(self) -> int:
        return min(self._capped_count, self.count_cap)

    @property
    def num_pages(self) -> int:
        """Pages up to the cap (more may follow when ``count_is_capped``)."""
        if self.count == 0 and not self.allow_empty_first_page:
            return 0
        return max(math.ceil(self.count / self.per_page), 1)

    def validate_number(self, number) -> int:
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        if number * self.per_page + 1 > MAX_OFFSET:
            raise EmptyPage(self.error_messages["no_results"])
        return number

    def page(self, number) -> CappedPage:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = self._rows(bottom, bottom + self.per_page + 1)
        has_more = len(rows) > self.per_page
        rows = rows[: self.per_page]
        if not has_more and (rows or number == 1) and "_capped_count" not in self.__dict__:
            # This page shows the end of the list: the count is known without counting.
            self._known_count = bottom + len(rows)
        if not rows and (number > 1 or not self.allow_empty_first_page):
            raise EmptyPage(self.error_messages["no_results"])
        return CappedPage(rows, number, self, has_more=has_more)

    def _rows(self, start: int, stop: int) -> list:
        if self.rows_by_id is None:
            return list(self.object_list[start:stop])
        ids = self.first_ids(start, stop) if self.first_ids is not None else None
        if ids is None:
            ids = list(self.object_list[start:stop].values_list("pk", flat=True))
        return self.rows_by_id(ids)

    def get_elided_page_range(self, number=1, *, on_each_side=3, on_ends=2):
        """Page numbers to link to. When the count is capped the last page's number is unknown, so
        the range ends at the current page's next neighbours, followed by an ellipsis."""
        number = self.validate_number(number)
        if not self.count_is_capped:
            yield from super().get_elided_page_range(number, on_each_side=on_each_side, on_ends=on_ends)
            return
        # Pages up to the cap are known to be full; past it only the current page is known to exist.
        last_shown = min(number + on_each_side, self.num_pages) if number <= self.num_pages else number
        last_shown = max(last_shown, number)
        if number > on_each_side + on_ends + 1:
            yield from range(1, on_ends + 1)
            yield self.ELLIPSIS
            yield from range(number - on_each_side, last_shown + 1)
        else:
            yield from range(1, last_shown + 1)
        yield self.ELLIPSIS
