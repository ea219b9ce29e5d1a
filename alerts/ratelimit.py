"""A fixed-window request counter in Django's cache, for the forms that send email to an address
someone typed: so nobody can use the site to flood an inbox. A cache that does not answer lets the
request through (losing a limit for a minute is better than refusing every subscriber)."""

from __future__ import annotations

import hashlib
import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)


def allow(scope: str, who: str, *, limit: int, seconds: int = 3600) -> bool:
    """True while ``who`` has made at most ``limit`` requests in ``scope`` this window."""
    key = "alerts-rate:" + hashlib.sha256(f"{scope}\0{who}".encode()).hexdigest()
    try:
        if cache.add(key, 1, timeout=seconds):
            return True
        return cache.incr(key) <= limit
    except ValueError:  # the key expired between add and incr
        return True
    except Exception:  # noqa: BLE001 (a cache outage must not stop anyone subscribing)
        logger.warning("Rate limit not checked: the cache did not answer")
        return True
