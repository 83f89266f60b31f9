"""Rendered HTML of the score pages, kept until the next recompute.

The national table and the dashboard show the same stored scores to every user, and
rendering 51 rows costs more than everything else on those pages together. Their HTML is
cached under a key that names the recompute it was built from (when the cycle's scores
were computed), so the next recompute makes a new key and the next request renders
afresh: no invalidation has to reach other processes, and a per-process memory cache is
enough (a shared cache would add a network hop and a way to fail).

What the key cannot see, such as a jurisdiction renamed in the admin, shows after at most
FRAGMENT_SECONDS. Fragments hold no per-user content (no names, no CSRF tokens).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

FRAGMENT_SECONDS = 120
CACHE_ALIAS = "fragments"


def _score_version(state) -> tuple | None:
    """What a fragment built from the cycle's stored scores depends on; None: don't cache
    (no scores computed yet, so the page shows how to get them and is cheap anyway)."""
    if state is None or state.computed_at is None:
        return None
    return (state.cycle_id, state.computed_at.isoformat(), state.stale)


def render_for_scores(
    template_name: str, state, context: Callable[[], dict], *, vary: tuple = ()
) -> SafeString:
    """`template_name` rendered with `context()`, or the HTML rendered for the same cycle
    scores (`state`, the cycle's CycleScoreState) and `vary` (e.g. the page's filters)
    before. `context` is called only when the HTML is not cached."""
    version = _score_version(state)
    if version is None:
        return mark_safe(render_to_string(template_name, context()))  # noqa: S308 - ours
    digest = hashlib.sha256(repr((template_name, version, vary)).encode()).hexdigest()
    key = f"fragment:{digest}"
    cache = caches[CACHE_ALIAS]
    html = cache.get(key)
    if html is None:
        html = render_to_string(template_name, context())
        cache.set(key, html, FRAGMENT_SECONDS)
    return mark_safe(html)  # noqa: S308 - our own template output
