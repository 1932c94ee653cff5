"""One call for every front-end: settings → codes (asking when needed) → engine → results.

The CLI, the workbook-file fill and the ribbon all look things up the same way::

    results = lookup_values(values, prompt=choose_prompt(), progress=bar.update)

It loads the settings, resolves the endpoint (argument, ``$AFM_XL_ENDPOINT``,
settings, the real service), runs the batch under the credentials flow of
:mod:`afm_xl.auth_flow` (codes from the environment or keyring, else the
prompt; a refused code asks again, at most three tries), and returns the
engine's :class:`~afm_xl.engine.batch.BatchResult`.
"""

from __future__ import annotations

import datetime
from typing import Any, Callable, Sequence

from . import settings as settings_module


def resolve_endpoint(explicit: str | None = None, settings=None) -> str | None:
    """``explicit``, else ``$AFM_XL_ENDPOINT``, else the settings; ``None`` = the real service."""
    if explicit:
        return explicit
    settings = settings or settings_module.load()
    return settings.effective_endpoint


def lookup_values(
    values: Sequence[Any],
    *,
    prompt=None,
    settings=None,
    endpoint: str | None = None,
    concurrency: int | None = None,
    as_on_date: datetime.date | None = None,
    progress: Callable[[int, int, int], None] | None = None,
    cancel=None,
    force: bool = False,
    read_cache: bool = True,
    write_cache: bool = True,
):
    """Look up ``values`` (any cell values) and return the results in input order.

    Raises :class:`~afm_xl.errors.AuthenticationError` (codes missing or refused
    three times), :class:`~afm_xl.errors.QuotaError`, :class:`~afm_xl.errors.Cancelled`;
    each carries ``.results`` when some rows were answered before it.
    """
    from .auth_flow import run_with_credentials
    from .engine.batch import Engine

    settings = settings or settings_module.load()
    endpoint = resolve_endpoint(endpoint, settings)
    if concurrency:
        settings.concurrency = min(16, max(1, int(concurrency)))
    use_cache = read_cache or write_cache

    def offline_first():
        """Serve what needs no service call (invalid input, cache hits) without asking for codes."""
        engine = Engine.from_settings(None, settings, endpoint=endpoint, use_cache=use_cache)
        return engine.lookup_many(
            values, as_on_date=as_on_date, read_cache=read_cache, write_cache=False, offline=True
        )

    first = offline_first()
    if all(r.status != "failed" or r.error_code != "NO_CREDENTIALS" for r in first):
        if progress:
            progress(len(first), len(first), 0)
        return first

    def action(credentials):
        engine = Engine.from_settings(credentials, settings, endpoint=endpoint, use_cache=use_cache)
        return engine.lookup_many(
            values, as_on_date=as_on_date, progress=progress, cancel=cancel, force=force,
            read_cache=read_cache, write_cache=write_cache,
        )

    return run_with_credentials(action, prompt=prompt, settings=settings)
