"""No input makes any page answer 500: every URL pattern the site has, with real and junk values
in its path, and every query parameter a page reads, for an anonymous visitor and a signed-in
administrator; and junk posted to the sign-in and digest preferences forms.

Nothing here lists the pages or their parameters: the pages come from the URL resolver, and a
page's parameters from its view's module (each ``request.GET`` look-up, and the fields of every
filterset or form it fills from ``request.GET``), so a new page or filter is fuzzed without
touching this file. The seed data is the real imported sources, so ids and slugs find records.

Two kinds of test:
- a sweep: every parameter of every page with each of a few values known to break naive code;
- hypothesis: random pages, parameters (known and made up) and values, for both audiences.
  ``FUZZ_EXAMPLES`` sets the examples per test (200); they are the same on every run unless
  ``FUZZ_RANDOM`` is set, to explore further (a failure prints the request to repeat).
"""

from __future__ import annotations

import html
import inspect
import itertools
import os
import re
import sys
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import django_filters
import pytest
from django import forms
from django.apps import apps
from django.contrib.admin.views import main as admin_changelist
from django.core.management import call_command
from django.db import models, transaction
from django.urls import Resolver404, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from pages.exports import DATASETS
from responses.models import DigestSubscription
from responses.services import REVERTIBLE, unsubscribe_token

from .conftest import fetch

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "200")),
    deadline=None,  # the time a page takes is for the benchmarks, not this test
    derandomize=not os.environ.get("FUZZ_RANDOM"),
    database=None,  # no .hypothesis folder in the checkout
    # The seed data and signed-in clients are set up once per test and shared by its examples:
    # the examples only read (the POSTs change sign-in attempts and one user's digest choice).
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Values that broke pages before, or break naive code: a number beyond a bigint, NUL, the
# calendar's first day, an empty list, a path browsers read as another site, a huge value.
SWEEP = ["\x00", "99999999999999999999", "-1", ",", "", "0001-01-01", "x" * 300, "/\\evil.example"]
HOSTILE = SWEEP + [
    " ", "a\x00b", "0", "1.5", "1e3", "last", str(2**63), str(2**31), ",,", "-", "--", "%", "%00", "'", '"',
    "<script>alert(1)</script>", "../../etc/passwd", "9999-12-31", "0000-00-00", "10000-01-01", "2022-02-30",
    "//evil.example", "https://evil.example/", "javascript:alert(1)", "\u202e", "😀", "\r\nSet-Cookie: x=1",
]
# Read by many pages (or by none, which must then ignore them).
COMMON_PARAMETERS = {"page", "sort", "format", "from", "next", "q"}
ADMIN_PARAMETERS = {
    admin_changelist.ALL_VAR, admin_changelist.ORDER_VAR, admin_changelist.PAGE_VAR, admin_changelist.SEARCH_VAR,
    admin_changelist.ERROR_FLAG, admin_changelist.IS_POPUP_VAR, admin_changelist.TO_FIELD_VAR, "_changelist_filters",
}
RAW_QUERIES = ["%", "%zz", "%ff%fe", "=", "&&", "=&=", "page[]=1", "a=1;b=2", "%00=%00", "page=1&page=2"]
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)  # what a URL can carry


# --- what the site has ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Page:
    """One URL pattern: its chain of route segments and the query parameters its view reads."""

    segments: tuple
    parameters: tuple[str, ...]  # what its view reads (and "page", which lists read through Django)

    @property
    def route(self) -> str:
        return "/" + "".join(str(segment) for segment in self.segments)

    @property
    def in_admin(self) -> bool:
        return self.route.startswith("/admin/")


_GET_LOOKUP = re.compile(r"""GET(?:\.get|\.getlist)?[(\[]\s*["']([^"']+)["']""")
_FILLED_FROM_GET = re.compile(r"(\w+)\(\s*request\.GET\b")


def _source(function) -> str:
    try:
        return inspect.getsource(getattr(function, "__code__", function))  # this function, not what it wraps
    except (OSError, TypeError):
        return ""


def _view_sources(callback) -> tuple[object, str]:
    """The view's module and its source: the class for a class-based view, otherwise each function
    along its chain of decorators (a decorator may read parameters too), with the source of each
    function of its module that it calls."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        module = sys.modules[view_class.__module__]
        source = "\n".join(inspect.getsource(cls) for cls in view_class.__mro__ if cls.__module__ == view_class.__module__)
    else:
        module, sources, function = sys.modules[inspect.unwrap(callback).__module__], [], callback
        while function is not None:
            sources.append(_source(function))
            function = getattr(function, "__wrapped__", None)
        source = "\n".join(sources)
    helpers = {getattr(module, name, None) for name in re.findall(r"\b(\w+)\(", source)}
    called = [_source(helper) for helper in helpers if inspect.isfunction(helper) and helper.__module__ == module.__name__]
    return module, "\n".join([source, *called])


def _view_parameters(callback) -> set[str]:
    """The query parameters a view reads, from its source: each ``request.GET`` look-up, and the
    fields of its filterset and of every filterset or form it builds from ``request.GET``."""
    module, source = _view_sources(callback)
    names = set(_GET_LOOKUP.findall(source))
    classes = [getattr(getattr(callback, "view_class", None), "filterset_class", None)]
    classes += [getattr(module, name, None) for name in _FILLED_FROM_GET.findall(source)]
    for cls in classes:
        if isinstance(cls, type) and issubclass(cls, (django_filters.FilterSet, forms.BaseForm)):
            names |= set(getattr(cls, "base_filters", None) or cls.base_fields)
    return names


def pages() -> list[Page]:
    """Every URL pattern, from the resolver."""

    def walk(patterns, prefix=()):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + (pattern.pattern,))
            else:
                yield prefix + (pattern.pattern,), pattern.callback

    found = []
    for segments, callback in walk(get_resolver().url_patterns):
        own = ADMIN_PARAMETERS if str(segments[0]) == "admin/" else _view_parameters(callback)
        found.append(Page(segments, tuple(sorted(own | {"page"}))))
    return found


def _project_classes(base) -> list[type]:
    """Subclasses of ``base`` defined in this project's apps (recursively)."""
    found, todo = [], [base]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in {"recommendations", "responses", "tracker"}:
                found.append(sub)
    return found


def _choice_values(field) -> list[str]:
    choices = getattr(field, "choices", None)
    if choices is None:
        return []
    return [str(getattr(value, "value", value)) for value, _label in choices]


def valid_values() -> dict[str, list[str]]:
    """Each parameter the filtersets and forms know, with the values they offer."""
    known: dict[str, list[str]] = {}
    for filterset_class in _project_classes(django_filters.FilterSet):
        if filterset_class._meta.model is None:  # a base class (tracker.choices.KeptFormFilterSet), no page's own
            continue
        for name, field in filterset_class(data={}).form.fields.items():
            known.setdefault(name, []).extend(_choice_values(field))
    for form_class in _project_classes(forms.Form):
        try:
            fields = form_class().fields
        except TypeError:  # a form that needs more to be built: its class-level fields will do
            fields = form_class.base_fields
        for name, field in fields.items():
            known.setdefault(name, []).extend(_choice_values(field))
    return known


def real_values() -> dict[str, list[str]]:
    """Path values by converter: ids and slugs of real records (every model), and the names of
    things (datasets, kinds of record, apps)."""
    # Names of things first (they fill a path's first parameter, as in /manage/history/<kind>/<id>/).
    names = list(dict.fromkeys([*sorted(REVERTIBLE), *sorted(DATASETS), *sorted(config.label for config in apps.get_app_configs())]))
    ids, slugs = set(), set()
    for model in apps.get_models():
        ids.update(model._default_manager.order_by("pk").values_list("pk", flat=True)[:60])
        for field in model._meta.fields:
            if isinstance(field, models.SlugField):
                slugs.update(model._default_manager.values_list(field.name, flat=True)[:60])
    ints = [str(pk) for pk in sorted(pk for pk in ids if isinstance(pk, int))]
    slugs = names + sorted(slugs - set(names))
    return {"int": ints, "slug": slugs, "str": slugs, "path": ints}


class Site:
    """What the tests draw from. Not a dataclass: a failing example prints it, as "Site(...)"."""

    def __init__(self, pages: list[Page], real: dict[str, list[str]], valid: dict[str, list[str]]):
        self.pages = pages
        self.real = real  # converter name -> real values for a path
        self.valid = valid  # query parameter -> the values its form offers

    def __repr__(self) -> str:
        return "Site(...)"


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The real seed documents, imported as `make run` loads them, once for this module's tests:
    in a transaction each test's own transaction nests in (as a savepoint), rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("import_sources", "--commit", verbosity=0)
        yield Site(pages(), real_values(), valid_values())
        transaction.set_rollback(True)


@pytest.fixture
def site(seeded, db, superuser):
    """The seed data, the administrator subscribed to the digest, and real unsubscribe tokens."""
    DigestSubscription.objects.create(user=superuser, subscribed=True)
    real = {**seeded.real, "str": seeded.real["str"] + [unsubscribe_token(superuser)]}
    return Site(seeded.pages, real, seeded.valid)


# --- paths and queries ---------------------------------------------------------------------------

_CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
JUNK = {
    "int": st.one_of(st.integers(min_value=0, max_value=10**22).map(str), st.sampled_from(HOSTILE)),
    "slug": st.one_of(st.from_regex(r"[-a-zA-Z0-9_]{1,60}", fullmatch=True), st.sampled_from(HOSTILE)),
}


def _route_parts(pattern) -> list[tuple[str, str | None]]:
    """A route segment as (literal text, converter after it or None)."""
    route, parts, end = str(pattern), [], 0
    for match in _CONVERTER.finditer(route):
        parts.append((route[end : match.start()], match["converter"] or "str"))
        end = match.end()
    parts.append((route[end:], None))
    return parts


def _segment(pattern, real):
    """Text for one route segment, with real or junk values in its parameters."""
    if isinstance(pattern, RegexPattern):
        return st.from_regex(pattern.regex, fullmatch=True).map(lambda text: quote(text, safe="/"))
    assert isinstance(pattern, RoutePattern), pattern
    pieces = []
    for literal, converter in _route_parts(pattern):
        pieces.append(st.just(literal))
        if converter:
            value = st.one_of(st.sampled_from(real.get(converter) or real["str"]), JUNK.get(converter, st.one_of(TEXT, st.sampled_from(HOSTILE))))
            pieces.append(value.map(lambda text: quote(text, safe="")))
    return st.tuples(*pieces).map("".join)


def _path(page: Page, real):
    return st.tuples(*[_segment(s, real) for s in page.segments]).map(lambda parts: "/" + "".join(parts))


def _query(page: Page, valid):
    """One parameter the page reads with a hostile, valid or random value, and up to three more
    pairs (the page's parameters with valid values, or anything)."""
    own = st.sampled_from(sorted(set(page.parameters) | COMMON_PARAMETERS))

    def pair(name_strategy, hostile: bool):
        def value_for(name):
            offered = st.sampled_from(valid.get(name) or [""])
            other = st.one_of(st.sampled_from(HOSTILE), TEXT, st.dates().map(str), st.integers().map(str))
            return st.tuples(st.just(name), st.one_of(other, offered) if hostile else st.one_of(offered, offered, other))

        return name_strategy.flatmap(value_for)

    probe = pair(own, hostile=True)
    others = st.lists(pair(st.one_of(own, own, TEXT), hostile=False), max_size=3)
    raw = st.one_of(st.just(""), st.just(""), st.sampled_from(RAW_QUERIES))
    return st.tuples(probe, others, raw).map(lambda p: "&".join(q for q in (urlencode([p[0], *p[1]]), p[2]) if q))


def _assert_no_server_error(client, url, *, method="get", data=None):
    note(f"{method.upper()} {url!r} {data!r}")
    answer = fetch(client, url, method=method, data=data)
    assert answer.status < 500, f"{method.upper()} {url} {data!r} answered {answer.status}: {answer.text[:300]}"


# --- the tests -----------------------------------------------------------------------------------

def linked_paths(client, start=("/", "/manage/")) -> dict[str, str]:
    """A path the site links to for each route it links to, found by following links from
    ``start`` (one page per route), so each page is swept with values that find a record."""
    found, queue, visited = {}, list(start), set()
    while queue:
        answer = fetch(client, queue.pop(0))
        if answer.status != 200 or "html" not in answer.response.get("Content-Type", ""):
            continue
        for href in re.findall(r'href="(/[^"#?]*)', answer.text):
            try:
                route = "/" + resolve(html.unescape(href)).route
            except Resolver404:
                continue
            found.setdefault(route, html.unescape(href))
            if route not in visited and not route.startswith("/admin/"):  # the admin is not swept
                visited.add(route)
                queue.append(found[route])
    return found


def _first_path(page: Page, real) -> str:
    """The page's path with the first real value for each parameter (for a page nothing links to)."""
    text = ""
    for segment in page.segments:
        for literal, converter in _route_parts(segment):
            text += literal + (quote((real.get(converter) or real["str"])[0], safe="") if converter else "")
    return "/" + text


def test_every_parameter_of_every_page_takes_hostile_values(site, staff):
    """Each page the site itself has (not the Django admin), with real values in its path, and each
    parameter it reads set to each value of ``SWEEP``, as an administrator (who sees every page)."""
    failures, linked = [], linked_paths(staff)
    for page in site.pages:
        if page.in_admin or isinstance(page.segments[-1], RegexPattern):
            continue
        path = linked.get(page.route) or _first_path(page, site.real)
        for name, value in itertools.product(page.parameters, SWEEP):
            url = f"{path}?{urlencode({name: value})}"
            answer = fetch(staff, url)
            if answer.status >= 500:
                failures.append(f"{url} answered {answer.status}")
    assert not failures, "\n".join(failures)


PUBLIC_FORMS = {
    "/accounts/login/": ["username", "password", "next"],
    "/admin/login/": ["username", "password", "next"],
    "/preferences/": ["subscribed", "organisations"],
}


def test_every_field_of_the_sign_in_and_preferences_forms_takes_hostile_values(site, anonymous, staff):
    failures = []
    for (url, names), value in itertools.product(PUBLIC_FORMS.items(), SWEEP):
        client = staff if url == "/preferences/" else anonymous
        for name in names:
            answer = fetch(client, url, method="post", data={name: value, **({"username": "root"} if name == "password" else {})})
            if answer.status >= 500:
                failures.append(f"POST {url} {name}={value!r} answered {answer.status}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("who", ["anonymous", "staff"])
@FUZZ
@given(draw=st.data())
def test_no_page_answers_500(request, site, who, draw):
    """A random page (the site's own three times as often as the admin's) and query."""
    client = request.getfixturevalue(who)
    own = [page for page in site.pages if not page.in_admin]
    admin = [page for page in site.pages if page.in_admin]
    page = draw.draw(st.one_of(st.sampled_from(own), st.sampled_from(own), st.sampled_from(own), st.sampled_from(admin)), label="page")
    path = draw.draw(_path(page, site.real), label="path")
    query = draw.draw(_query(page, site.valid), label="query")
    _assert_no_server_error(client, f"{path}?{query}")


@FUZZ
@given(draw=st.data())
def test_sign_in_forms_never_answer_500(site, anonymous, draw):
    url = draw.draw(st.sampled_from(["/accounts/login/", "/admin/login/"]), label="url")
    values = st.one_of(
        st.sampled_from(["root", "a-long-test-passphrase-41"]), st.sampled_from(HOSTILE), TEXT,
        st.text(alphabet="xé\x00", min_size=140, max_size=3000),
    )
    names = st.one_of(st.sampled_from(["username", "password", "next", "csrfmiddlewaretoken"]), TEXT)
    fields = draw.draw(st.dictionaries(names, values, max_size=5), label="fields")
    next_page = draw.draw(st.one_of(st.just(""), st.sampled_from(HOSTILE), TEXT), label="next")
    _assert_no_server_error(anonymous, f"{url}?{urlencode({'next': next_page})}", method="post", data=fields)


@FUZZ
@given(draw=st.data())
def test_digest_preferences_never_answer_500(site, staff, anonymous, draw):
    real = site.real
    values = st.one_of(st.sampled_from(real["int"]), st.sampled_from(["on", "true", "1"]), st.sampled_from(HOSTILE), TEXT)
    names = st.one_of(st.sampled_from(["subscribed", "organisations"]), TEXT)
    fields = draw.draw(st.dictionaries(names, st.lists(values, max_size=4), max_size=3), label="fields")
    _assert_no_server_error(staff, "/preferences/", method="post", data=fields)
    tokens = st.one_of(st.sampled_from(real["str"]), TEXT.filter(str.strip), st.sampled_from([h for h in HOSTILE if h.strip()]))
    token = draw.draw(tokens, label="token")
    _assert_no_server_error(anonymous, f"/preferences/unsubscribe/{quote(token, safe='')}/", method="post", data={})
