"""Calendar addresses (notifications/calendar_feed.py) through the services, on both databases:
the screens' tests (test_inbox_views) run on SQLite only, where a row lock is no SQL at all."""
import pytest

from audit.actions import Action
from audit.models import AuditEntry
from notifications.calendar_feed import calendar_feed_create, calendar_feed_revoke, live_feed
from notifications.models import CalendarFeed
from tests.conftest import manager_of

pytestmark = pytest.mark.django_db


def test_a_feed_of_all_procurements_and_one_of_a_procurement_are_revoked(procurement):
    # The feed of all procurements has no procurement: the lock must not reach across the
    # outer join to it (PostgreSQL refuses FOR UPDATE on the nullable side of one).
    person = manager_of(procurement)
    for scope in (None, procurement):
        feed = calendar_feed_create(user=person, procurement=scope)
        revoked = calendar_feed_revoke(user=person, feed_id=feed.pk)
        assert revoked.revoked_at is not None and CalendarFeed.objects.get(pk=feed.pk).revoked_at is not None
    assert AuditEntry.objects.filter(action=Action.CALENDAR_FEED_REVOKED, actor=person).count() == 2


@pytest.mark.parametrize("token", ["abc\x00def", "%00", "a b", "x" * 65, ""])
def test_an_address_that_no_token_could_be_finds_nothing(procurement, token):
    calendar_feed_create(user=manager_of(procurement), procurement=None)
    assert live_feed(token) is None
