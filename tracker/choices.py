"""Model choice fields that read their choices in one ordinary query.

Django's ``ModelChoiceIterator`` reads choices with ``QuerySet.iterator()``, which on PostgreSQL
opens a server-side cursor (``DECLARE ... WITH HOLD``): planned for the first rows and written out
in full when the cursor is held. For a select of a few dozen bodies that cost 1–10 ms a page at
250,000 recommendations, against a fraction of a millisecond as a plain query. Choice lists here
are bounded (a few dozen rows), so reading them at once is what a page wants.

``FixedChoices`` holds choices already in (value, label) form, so they are iterated as they are:
django-filter otherwise normalises a select's choices afresh each time they are iterated. And
``KeptFormFilterSet`` builds its form class once per process, not a class and a field per filter
on every request.

``KeptModelChoiceFilter`` goes further for a list's filter: its choices, as (value, label), are
kept between requests (``pagecache.choices``) until a write to what they are read from. Only
drawing the select reads them; a chosen value is still checked against the queryset."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import django_filters
import django_filters.fields
from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.choices import BaseChoiceIterator

from tracker import pagecache


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


class _KeptFilterChoiceIterator(django_filters.fields.ModelChoiceIterator, ListedChoiceIterator):
    """The choices as plain (value, label) strings, kept as ``field.kept_as`` between requests."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self._kept()

    def __len__(self):
        return len(self._kept()) + (self.field.empty_label is not None)

    def _kept(self) -> list[tuple[str, str]]:
        field = self.field
        return pagecache.choices(field.kept_as, lambda: [(str(field.prepare_value(obj)), field.label_from_instance(obj)) for obj in self.queryset.all()])


class _KeptFilterChoiceField(_ListedFilterChoiceField):
    iterator = _KeptFilterChoiceIterator

    def __init__(self, *args, kept_as: str, **kwargs):
        self.kept_as = kept_as
        super().__init__(*args, **kwargs)


class KeptModelChoiceFilter(ListedModelChoiceFilter):
    """A ``ListedModelChoiceFilter`` whose choices are kept between requests as ``kept_as``
    (``pagecache.choices``): only for a queryset read from the models named in
    ``watch_models(..., choices=...)``, whose writes throw them away."""

    field_class = _KeptFilterChoiceField


class FixedChoices(BaseChoiceIterator):
    """A select's choices, already (value, label) pairs, read from ``read()`` on first use and then
    iterated as they are. Django and django-filter pass such an iterator through untouched; a
    plain list they normalise again on every iteration (about 1 µs an option: a list page's 430
    options were 0.4 ms of it). Never changed once read, so a copy is the same object."""

    def __init__(self, read: Callable[[], Iterable[tuple]]):
        self._read = read
        self._choices: list[tuple] | None = None

    def _list(self) -> list[tuple]:
        if self._choices is None:
            self._choices = list(self._read())
        return self._choices

    def __iter__(self):
        return iter(self._list())

    def __len__(self):
        return len(self._list())

    def __getitem__(self, index):
        return self._list()[index]

    def __deepcopy__(self, memo):
        return self


def fixed(choices) -> FixedChoices:
    """``FixedChoices`` for a list of pairs or a ``models.Choices`` class, read at first use."""
    return FixedChoices(lambda: getattr(choices, "choices", choices))


class KeptFormFilterSet(django_filters.FilterSet):
    """A FilterSet whose form class is built once per process. django-filter builds a form class, and a
    form field per filter, on every request; only the choices read from the data differ between
    requests, and those are set on each form's own fields (``form_choices``)."""

    def form_choices(self) -> dict[str, Callable[[], Iterable[tuple]]]:
        """Field name to a callable giving that field's choices for this request (read on first use)."""
        return {}

    def get_form_class(self):
        cls = type(self)
        form_class = cls.__dict__.get("_kept_form_class")
        if form_class is None:  # two threads may both build one: either will do
            form_class = super().get_form_class()
            cls._kept_form_class = form_class
        return form_class

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = self.get_form_class()(self.data if self.is_bound else None, prefix=self.form_prefix)
            for name, read in self.form_choices().items():
                form.fields[name].choices = FixedChoices(read)
            self._form = form
        return self._form
