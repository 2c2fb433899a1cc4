"""The main part of a page (what base.html's content block holds), kept as HTML and drawn
again only when something it was drawn from has changed.

A page is a function of the rows it reads, the person looking, the day and the language.
Its key holds all of them, read before the page is drawn:
  - the rows: the revision of each case it shows (procurement.revisions: database triggers
    bump it for every row of the case, for its collaboration's members and bodies, and for
    what is read everywhere such as roles, names and holidays), passed in by the view as
    PARTS; a list page passes a fingerprint of all the cases it may show;
  - the person: their id and a digest of their row (a new login, password or flag is a new
    key), and the session's CSRF secret, since the forms carry a token made from it;
  - the day in the server's and in the case's time zone, the language, the address with its
    query string, and the process catalogue's generation in this process.
So an entry is never stale and never has to be removed; old keys age out of the cache.

Nothing is kept from inside a transaction: what the page read there may still be rolled
back (as procurement.verdicts). The frame around the content (menu, unread count, messages)
is drawn for every request, so it never comes from the cache.

What only time brings (a meeting that has begun) is in the key as the present rounded to
the hour or, for "Mine oppgaver", to five minutes (this_moment).

tests/test_demo_crawl.py checks that every table the kept pages read is one the triggers
cover, or one that cannot change what the page shows; tests/procurement/test_page_cache.py
that a change draws a page anew and that pages are not shared between people or sessions."""
import datetime
import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import caches
from django.db import connection
from django.db.models import Count, Sum
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from municipalities.models import Collaboration

from .engine.snapshot import published_phases
from .revisions import row_digest

CACHE = "pages"
T = TypeVar("T")
KEY_VERSION = 1


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def page_key(request, page: str, *parts) -> str | None:
    """The key of PAGE for this request, or None when it must not be cached (inside a
    transaction, or for a person not logged in)."""
    user = request.user
    if connection.in_atomic_block or not user.is_authenticated:
        return None
    get_token(request)  # makes sure the session has a CSRF secret before it is read
    raw = "|".join(
        str(part)
        for part in (
            page,
            user.pk,
            row_digest(user),
            request.META.get("CSRF_COOKIE", ""),
            get_language(),
            timezone.localdate().isoformat(),
            request.get_full_path(),
            published_phases.generation,
            *parts,
        )
    )
    return f"page:{KEY_VERSION}:{page}:{_digest(raw)}"


def case_page_key(request, page: str, procurement, *parts) -> str | None:
    """page_key for a page about one PROCUREMENT (loaded with its collaboration), drawn from
    the case's rows: its revision, its own row and the day in its collaboration."""
    return page_key(
        request, page, procurement.pk, procurement.revision, row_digest(procurement), procurement.collaboration.today(), *parts
    )


def cases_fingerprint(procurements) -> tuple[int, int, int]:
    """For a page that lists PROCUREMENTS (a queryset) or draws from them: how many, the sum of
    their revisions and the sum of their ids, in one query. A change to any of them raises
    the sum of revisions; one that comes into view or goes out of it changes the count or
    the ids."""
    row = procurements.order_by().aggregate(count=Count("pk"), revisions=Sum("revision"), ids=Sum("pk"))
    return row["count"], row["revisions"] or 0, row["ids"] or 0


def collaborations_fingerprint() -> int:
    """The sum of every collaboration's revision (a handful of rows): raised by a change to
    a collaboration's own rows, such as a meeting of no case (procurement.revisions)."""
    return Collaboration.objects.aggregate(total=Sum("revision"))["total"] or 0


def this_moment(*, minutes: int = 60) -> str:
    """The present in UTC, to MINUTES, for a page of cases in several collaborations or with
    times of day in it: every time zone's day begins on the hour, so a list judged "today"
    in each is drawn anew at the latest then, and one that counts hours within MINUTES."""
    now = timezone.now().astimezone(datetime.timezone.utc)
    return f"{now:%Y-%m-%dT%H}:{now.minute // minutes * minutes:02d}"


def kept(key: str | None, draw: Callable[[], T]) -> T:
    """The value kept under KEY, or DRAW()'s, kept under KEY (None: drawn, never kept)."""
    if key is None:
        return draw()
    cache = caches[CACHE]
    value = cache.get(key)
    if value is None:
        value = draw()
        cache.set(key, value)
    return value


def cached_html(key: str | None, draw: Callable[[], str]) -> str:
    """kept() for HTML the template engine drew (and escaped)."""
    return mark_safe(kept(key, lambda: str(draw())))
