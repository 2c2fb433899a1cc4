"""Brute-force protection of the login (django-axes) through the login page, as an attacker
or a person would meet it: failures lock the username from every address and the address
for every username; a locked login is refused even with the right password, with a bokmål
message above the form; a success clears the count when the settings say so; and each
failure is in the audit log and in the admin."""
import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings as django_settings
from django.test import Client, RequestFactory
from django.urls import reverse

from audit.models import AuditEntry
from config.client_ip import client_ip
from tests.factories import PASSWORD, PersonFactory

pytestmark = pytest.mark.django_db

WRONG = "feil-passord-xyz"
LOCKED_NB = "Innloggingen er sperret fordi det har vært for mange mislykkede forsøk"


def attempt(username: str, password: str, ip: str, client: Client | None = None, **extra):
    client = client or Client()
    response = client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)
    return client, response


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def limit() -> int:
    return django_settings.AXES_FAILURE_LIMIT


@pytest.fixture
def alice(db):
    return PersonFactory(username="alice")


@pytest.fixture
def bob(db):
    return PersonFactory(username="bob")


def test_the_limit_and_cool_off_are_settings_with_sensible_values():
    assert 3 <= django_settings.AXES_FAILURE_LIMIT <= 10
    assert timedelta(minutes=5) <= django_settings.AXES_COOLOFF_TIME <= timedelta(hours=1)
    assert django_settings.AXES_LOCKOUT_PARAMETERS == [["username"], ["ip_address"]]
    assert django_settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_below_the_limit_a_wrong_password_is_just_wrong(alice):
    for number in range(limit() - 1):
        client, response = attempt("alice", WRONG, f"10.0.0.{number}")
        assert response.status_code == 200
        assert "Feil brukernavn eller passord" in response.content.decode()
    client, response = attempt("alice", PASSWORD, "10.0.1.1")
    assert response.status_code == 302 and logged_in(client)


def test_failures_for_one_username_lock_it_even_from_other_addresses(alice, bob):
    for number in range(limit()):
        attempt("alice", WRONG, f"10.0.0.{number + 1}")
    client, response = attempt("alice", PASSWORD, "192.0.2.77")
    assert response.status_code == 429
    assert not logged_in(client)
    assert LOCKED_NB in response.content.decode()
    # The lock is on alice, not on the address the last try came from.
    client, response = attempt("bob", PASSWORD, "192.0.2.77")
    assert response.status_code == 302 and logged_in(client)


def test_failures_from_one_address_lock_it_for_every_username(alice, bob):
    for number in range(limit()):
        attempt(f"ukjent{number}", WRONG, "198.51.100.9")
    client, response = attempt("bob", PASSWORD, "198.51.100.9")
    assert response.status_code == 429 and not logged_in(client)
    assert LOCKED_NB in response.content.decode()
    client, response = attempt("bob", PASSWORD, "198.51.100.10")
    assert response.status_code == 302 and logged_in(client)


def test_the_lockout_message_is_bokmal_next_to_the_form_and_keeps_the_username(alice):
    for _ in range(limit()):
        client, response = attempt("alice", WRONG, "10.1.1.1")
    assert response.status_code == 429  # the attempt that reached the limit is already refused
    page = response.content.decode()
    summary = re.search(r'<div class="ds-error-summary[^"]*" id="error-summary".*?</div>', page, re.S)
    assert summary and LOCKED_NB in summary.group(0)
    assert f"Vent {int(django_settings.AXES_COOLOFF_TIME.total_seconds() // 60)} minutter" in summary.group(0)
    assert "Feil brukernavn eller passord" not in page
    # Right above the form, which is still there with what was typed.
    form_at = page.index('<form method="post" action="/logg-inn/"')
    assert page.index(LOCKED_NB) < form_at
    assert re.search(r'<input[^>]*name="username"[^>]*value="alice"', page)
    assert "<title>Feil: Logg inn" in page


def test_the_lockout_message_is_translated(alice):
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    for _ in range(limit()):
        _, response = attempt("alice", WRONG, "10.1.1.2", client=client)
    page = response.content.decode()
    assert response.status_code == 429
    assert LOCKED_NB not in page
    assert "too many failed" in page


def test_a_correct_password_during_the_cool_off_is_refused_and_after_it_accepted(alice):
    for _ in range(limit()):
        attempt("alice", WRONG, "10.2.2.2")
    client, response = attempt("alice", PASSWORD, "10.2.2.2")
    assert response.status_code == 429 and not logged_in(client)
    # Once the cool-off has passed since the last failure, the right password works again.
    later = django_settings.AXES_COOLOFF_TIME + timedelta(minutes=1)
    for row in AccessAttempt.objects.all():
        row.attempt_time -= later
        row.save(update_fields=["attempt_time"])
    client, response = attempt("alice", PASSWORD, "10.2.2.2")
    assert response.status_code == 302 and logged_in(client)


def test_a_smaller_limit_in_the_settings_locks_sooner(settings, alice):
    settings.AXES_FAILURE_LIMIT = 2
    attempt("alice", WRONG, "10.3.3.3")
    _, response = attempt("alice", WRONG, "10.3.3.4")
    assert response.status_code == 429


@pytest.mark.parametrize("reset_on_success", [True, False])
def test_a_success_clears_the_failures_when_the_settings_say_so(settings, alice, reset_on_success):
    settings.AXES_RESET_ON_SUCCESS = reset_on_success
    for _ in range(limit() - 1):
        attempt("alice", WRONG, "10.4.4.4")
    _, response = attempt("alice", PASSWORD, "10.4.4.4")
    assert response.status_code == 302
    _, response = attempt("alice", WRONG, "10.4.4.4")
    # Cleared: one failure is far below the limit. Kept: it is the limit-th failure.
    assert response.status_code == (200 if reset_on_success else 429)


def test_the_project_default_is_to_clear_on_success():
    assert django_settings.AXES_RESET_ON_SUCCESS is True


def test_every_failure_is_in_the_audit_log_with_username_and_address_but_no_password(alice):
    for number in range(limit()):
        attempt("alice", f"{WRONG}{number}", "203.0.113.5")
    attempt("finnes-ikke", "hemmelig-gjetning", "203.0.113.6")
    entries = list(AuditEntry.objects.filter(action="login.failed").order_by("id"))
    assert len(entries) == limit() + 1
    assert [e.data["username"] for e in entries] == ["alice"] * limit() + ["finnes-ikke"]
    assert [e.data["ip_address"] for e in entries] == ["203.0.113.5"] * limit() + ["203.0.113.6"]
    assert all(e.actor is None and e.data["path"] == reverse("login") for e in entries)
    assert [e.data["locked_out"] for e in entries] == [False] * (limit() - 1) + [True, False]
    assert "«alice» fra 203.0.113.5" in entries[0].message
    assert "sperret" in entries[limit() - 1].message
    for entry in entries:
        text = entry.message + repr(entry.data)
        assert WRONG not in text and "hemmelig-gjetning" not in text
    # axes' own records do not keep the password either.
    for row in AccessAttempt.objects.all():
        assert WRONG not in row.post_data and "hemmelig" not in row.post_data


def test_a_refused_attempt_during_lockout_is_audited_too(alice):
    for _ in range(limit()):
        attempt("alice", WRONG, "10.5.5.5")
    attempt("alice", PASSWORD, "10.5.5.6")
    last = AuditEntry.objects.filter(action="login.failed").latest("id")
    assert last.data == {"username": "alice", "ip_address": "10.5.5.6", "path": reverse("login"), "locked_out": True}
    assert PASSWORD not in last.message + repr(last.data)


def test_an_admin_reads_the_failed_logins(admin_client, alice):
    for _ in range(2):
        attempt("alice", WRONG, "10.6.6.6")
    assert AccessFailureLog.objects.filter(username="alice").count() == 2
    attempts = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert attempts.status_code == 200 and "alice" in attempts.content.decode()
    failures = admin_client.get(reverse("admin:axes_accessfailurelog_changelist"))
    assert failures.status_code == 200 and "10.6.6.6" in failures.content.decode()
    audit = admin_client.get(reverse("admin:audit_auditentry_changelist"), {"action": "login.failed"})
    assert audit.status_code == 200 and "«alice» fra 10.6.6.6" in audit.content.decode()


def test_a_lockout_at_the_admin_login_answers_with_the_bokmal_login_page(alice):
    client = Client()
    url = reverse("admin:login")
    for _ in range(limit()):
        response = client.post(url, {"username": "alice", "password": WRONG}, REMOTE_ADDR="10.7.7.7")
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED_NB in page and 'action="/logg-inn/"' in page
    assert AuditEntry.objects.filter(action="login.failed", data__username="alice").count() == limit()


def test_behind_a_trusted_proxy_the_forwarded_address_is_throttled(settings, alice, bob):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(limit()):
        attempt(f"x{_}", WRONG, "172.16.0.2", HTTP_X_FORWARDED_FOR="spoofed, 203.0.113.50")
    # The proxy's own address is not locked; the client it forwarded is.
    client, response = attempt("bob", PASSWORD, "172.16.0.2", HTTP_X_FORWARDED_FOR="203.0.113.51")
    assert response.status_code == 302 and logged_in(client)
    _, response = attempt("bob", PASSWORD, "172.16.0.2", HTTP_X_FORWARDED_FOR="203.0.113.50")
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("count", "remote", "forwarded", "expected"),
    [
        (0, "192.0.2.1", None, "192.0.2.1"),
        (0, "192.0.2.1", "203.0.113.9", "192.0.2.1"),  # no trusted proxy: the header is ignored
        (1, "10.0.0.2", "203.0.113.9", "203.0.113.9"),
        (1, "10.0.0.2", "1.2.3.4, 203.0.113.9", "203.0.113.9"),  # the client wrote the left part
        (2, "10.0.0.2", "1.2.3.4, 203.0.113.9, 10.0.0.3", "203.0.113.9"),
        (2, "10.0.0.2", "203.0.113.9", "10.0.0.2"),  # fewer hops than proxies: not trusted
        (1, "10.0.0.2", "ikke-en-adresse", "10.0.0.2"),
        (1, "10.0.0.2", " 2001:db8::1 ", "2001:db8::1"),
        (1, "10.0.0.2", "", "10.0.0.2"),
        (0, "", None, None),
    ],
)
def test_client_ip(settings, count, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_ip(RequestFactory().get("/", **extra)) == expected


def test_authenticate_without_a_request_is_refused_loudly(alice):
    """The test client's login() has no request to throttle; axes says so instead of letting
    it through unchecked (tests use force_login or the login page)."""
    from axes.exceptions import AxesBackendRequestParameterRequired

    with pytest.raises(AxesBackendRequestParameterRequired):
        Client().login(username="alice", password=PASSWORD)
