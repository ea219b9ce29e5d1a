"""Model choice fields that read their choices in one ordinary query.

Django's ``ModelChoiceIterator`` reads choices with ``QuerySet.iterator()``, which on PostgreSQL
opens a server-side cursor (``DECLARE ... WITH HOLD``): planned for the first rows and written out
in full when the cursor is held. For a select of a few dozen bodies that cost 1–10 ms a page at
250,000 recommendations, against a fraction of a millisecond as a plain query. Choice lists here
are bounded (a few dozen rows), so reading them at once is what a page wants."""

from __future__ import annotations

import django_filters
import django_filters.fields
from django import forms
from django.forms.models import ModelChoiceIterator


class ListedChoiceIterator(ModelChoiceIterator):
    """``ModelChoiceIterator`` reading its queryset in one query, without a server-side cursor."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):
    iterator = ListedChoiceIterator


class ListedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = ListedChoiceIterator


class _ListedFilterChoiceIterator(django_filters.fields.ModelChoiceIterator, ListedChoiceIterator):
    """django-filter's iterator (its "null" choice) over ``ListedChoiceIterator``."""


class _ListedFilterChoiceField(django_filters.fields.ModelChoiceField):
    iterator = _ListedFilterChoiceIterator


class ListedModelChoiceFilter(django_filters.ModelChoiceFilter):
    """``django_filters.ModelChoiceFilter`` whose select reads its choices in one query."""

    field_class = _ListedFilterChoiceField
