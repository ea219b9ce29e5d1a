"""Every HTML page a visitor or a superuser can reach, found by following links, and what in each
would break under a Content-Security-Policy without 'unsafe-inline'."""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.urls import Resolver404, resolve

# Script types a browser does not run (data blocks), so the policy does not apply to them.
_DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}


class InlineCode(HTMLParser):
    """Collects inline scripts, <style> blocks, style attributes, on* handlers and javascript: links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src") and attributes.get("type") not in _DATA_SCRIPT_TYPES:
            self.found.append(f"inline <script> at line {self.getpos()[0]}")
        if tag == "style":
            self.found.append(f"<style> block at line {self.getpos()[0]}")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f'<{tag} {name}="{value}">')
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f'<{tag} {name}="{value}">')
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])


def inline_code(html: str) -> InlineCode:
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser


def _route(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return f"{match.namespace}:{match.route}"


def _same_site_paths(links: list[str]) -> list[str]:
    paths = []
    for link in links:
        link = urldefrag(link)[0]
        parts = urlsplit(link)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        paths.append(link)
    return paths


def crawl(client, start: list[str], per_route: int = 2, limit: int = 400) -> dict[str, object]:
    """GET pages breadth-first from ``start``, following same-site links, at most ``per_route``
    URLs for each URL pattern. Returns {url: response} for every HTML page reached."""
    queue, seen, visits, pages = deque(start), set(start), {}, {}
    while queue and len(pages) < limit:
        url = queue.popleft()
        route = _route(urlsplit(url).path)
        if route is None or visits.get(route, 0) >= per_route:
            continue
        visits[route] = visits.get(route, 0) + 1
        response = client.get(url)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        pages[url] = response
        for path in _same_site_paths(inline_code(response.content.decode()).links):
            if path not in seen:
                seen.add(path)
                queue.append(path)
    return pages
