"""Every demo person clicks through the product: from the dashboard, "Mine oppgaver" and the
inbox, each same-site link is followed breadth-first (a bounded number of pages per person,
a few instances of each view so the crawl spreads over the screens rather than over the
seventy procurement pages). No page may fail (5xx); every refusal (4xx) is one of our own
pages; every page says the language it is in; no page shows a Python value where a person
should read a word (``None``/``nan`` in a table cell, a template tag left raw).

Each view it found is then asked again with nonsense page numbers (?side=abc, -1, a number
too big for any integer column, "²", which str.isdigit() takes for a digit) and with an id in
its address too big for the database: a bad page number gives a page, a bad id a 404, never
a 500. The API's filters get the same numbers."""
import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve, reverse

from municipalities.models import Person
from procurement.revisions import sources
from tests.shared_data import built_once_per_module

pytestmark = pytest.mark.django_db

# One login per kind of person in the demo: Kongsbergregionen's roles, a member of the Danish
# network, Fosen's coordinator and the system administrator.
PEOPLE = [
    "koordinator",
    "innkjoper",
    "kommunedirektor.kongsberg",
    "suksit.flesberg",
    "bruker.rollag",
    "evaluator.kongsberg",
    "personvern",
    "dagligleder",
    "projektleder",
    "koordinator.fosen",
    "admin",
]
TABLE = re.compile(r'(?:FROM|JOIN)\s+"([a-z0-9_]+)"')
# The pages kept as HTML (procurement.page_cache), and the tables they may read that the
# revision triggers do not cover, with why a change there cannot leave a kept page stale.
KEPT_VIEWS = ("procurement_detail", "procurement_history", "dashboard", "my_tasks")
NOT_A_CHANGE = {
    "procurement_procurement": "the key holds the case's revision and a digest of its row",
    "django_session": "the key holds the session's CSRF secret; messages are drawn in the frame",
    "django_content_type": "written by migrate only",
    "auth_permission": "written by migrate only",
    "notifications_outbox": "the unread count, drawn in the frame for every request",
    "procurement_informationinitiative": "the dashboard's initiatives, drawn below the kept part for every request",
    "procurement_processtemplate": "a process version in use is never edited: an edit makes a new version",
    "procurement_processversion": "as above",
    "procurement_phasedefinition": "as above",
    "procurement_deliverabledefinition": "as above",
    "procurement_gatedefinition": "as above",
    "procurement_gatestep": "as above",
    "procurement_checklistitemdefinition": "as above",
    "auth_group": "a group's name is not shown; its members and permissions are covered",
}
PAGES_PER_PERSON = 150
PER_VIEW = 3  # instances of one view (one url name) a person's crawl opens
HOSTILE_NUMBERS = ["abc", "-1", "99999999999999999999", "²"]
TOO_BIG_ID = "99999999999999999999"
PAGE_PARAM = "side"
# The other page parameters: "Mine oppgaver" pages each of its sections on its own.
PAGE_PARAMS = {"my_tasks": ["invitasjoner", "signaturer", "leveranser", "kommentarer", "oppgaver"]}
API_FILTERS = {"/api/v1/procurements/": ["page", "per_page", "collaboration", "municipality"], "/api/v1/collaborations/": ["page"]}

# Links shown to people the page behind them then refuses (403 with the reason): none. A link
# is drawn only for those who may follow it; forms and buttons that say why not are not links.
REFUSED_LINKS: set[str] = set()

# Not followed: logging out ends the crawl, the admin's pages are Django's own (its
# change forms are tested in test_admin_site), and the generated documents (PDF, the
# spreadsheet exports) are tested where they are made; rendering each here would cost
# seconds without checking anything this module asserts.
SKIP_PREFIXES = ("/logg-ut/", "/admin/", "/static/", "/i18n/")
SKIP_SUFFIXES = (".pdf", ".xlsx", ".ics", ".zip", ".csv", ".docx")
SKIP_NAMES = {"version_download"}

REFUSALS = {
    403: ["Du har ikke tilgang til denne siden", "You do not have access to this page"],
    404: ["Fant ikke siden", "Page not found"],
}
RAW_TEMPLATE = re.compile(r"\{\{|\{%|%\}|\}\}")
PYTHON_VALUE_CELL = re.compile(r"<t[dh][^>]*>\s*(None|nan|NaN|NaT)\s*</t[dh]>")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.lang: str | None = None
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if tag in ("script", "style", "template", "textarea"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template", "textarea") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


@dataclass
class Crawl:
    pages: dict[str, int] = field(default_factory=dict)  # url -> status
    problems: list[str] = field(default_factory=list)
    views: dict[str, str] = field(default_factory=dict)  # url name -> first url seen
    refused: dict[str, str] = field(default_factory=dict)  # url name -> first url refused
    tables: dict[str | None, set[str]] = field(default_factory=dict)  # url name -> tables its queries read


def _view_name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def _followable(href: str) -> str | None:
    if not href.startswith("/") or href.startswith("//"):
        return None
    parts = urlsplit(href)
    path = parts.path
    if path.startswith(SKIP_PREFIXES) or path.endswith(SKIP_SUFFIXES):
        return None
    query = parse_qs(parts.query)
    page = query.get(PAGE_PARAM, ["1"])[0]
    if not page.isdigit() or int(page) > 2:
        return None
    return f"{path}?{parts.query}" if parts.query else path


def _get(client: Client, url: str, crawl: Crawl):
    try:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
    except Exception as exc:  # the test client re-raises a view's exception: that is a 500
        crawl.problems.append(f"{url}: 500 {type(exc).__name__}: {exc}")
        crawl.pages[url] = 500
        return None
    read = crawl.tables.setdefault(_view_name(urlsplit(url).path), set())
    for query in queries.captured_queries:
        read.update(TABLE.findall(query["sql"]))
    return response


def _check(url: str, response, language: str, crawl: Crawl) -> _Links | None:
    status = response.status_code
    crawl.pages[url] = status
    if status >= 500:
        crawl.problems.append(f"{url}: {status}")
        return None
    content_type = response.get("Content-Type", "")
    body = response.content.decode() if "text/html" in content_type else ""
    if 400 <= status < 500:
        expected = REFUSALS.get(status)
        if expected is None or not any(words in body for words in expected):
            crawl.problems.append(f"{url}: {status} is not one of our refusal pages")
        return None
    if not body:
        return None
    links = _Links()
    links.feed(body)
    if "<html" in body and links.lang != language:
        crawl.problems.append(f"{url}: <html lang={links.lang!r}>, expected {language!r}")
    text = "".join(links.text)
    if RAW_TEMPLATE.search(text):
        crawl.problems.append(f"{url}: raw template syntax {RAW_TEMPLATE.search(text).group()!r}")
    if match := PYTHON_VALUE_CELL.search(body):
        crawl.problems.append(f"{url}: a table cell shows {match.group(1)!r}")
    return links


def crawl_as(username: str, *, language: str = "nb", limit: int = PAGES_PER_PERSON) -> Crawl:
    client = Client()
    if language != settings.LANGUAGE_CODE:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(Person.objects.get(username=username))
    crawl = Crawl()
    per_view: dict[str | None, int] = {}
    queue = deque([reverse("dashboard"), reverse("my_tasks"), reverse("inbox")])
    seen = set(queue)
    while queue and len(crawl.pages) < limit:
        url = queue.popleft()
        response = _get(client, url, crawl)
        if response is None:
            continue
        found: list[str] = []
        if response.status_code in (301, 302, 303):
            found.append(response["Location"])
            crawl.pages[url] = response.status_code
        else:
            links = _check(url, response, language, crawl)
            found = links.hrefs if links else []
            name = _view_name(urlsplit(url).path)
            if name and response.status_code == 200:
                crawl.views.setdefault(name, urlsplit(url).path)
            elif 400 <= response.status_code < 500:
                crawl.refused.setdefault(name, url)
        for href in found:
            target = _followable(href)
            if target is None or target in seen:
                continue
            seen.add(target)
            name = _view_name(urlsplit(target).path)
            if name in SKIP_NAMES or per_view.get(name, 0) >= PER_VIEW:
                continue
            per_view[name] = per_view.get(name, 0) + 1
            queue.append(target)
    return crawl


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    yield from built_once_per_module(django_db_blocker, lambda: call_command("seed_demo", stdout=StringIO()))


@pytest.fixture(scope="module")
def crawls(demo, django_db_blocker):
    """One crawl per person, shared by the tests that judge it (crawling is read-only: GET)."""
    with django_db_blocker.unblock():
        return {username: crawl_as(username) for username in PEOPLE}


@pytest.mark.parametrize("username", PEOPLE)
def test_every_page_a_person_reaches_works_and_speaks_bokmal(crawls, username):
    crawl = crawls[username]
    assert len(crawl.pages) >= 20, f"{username} reached only {sorted(crawl.pages)}"
    assert not crawl.problems, "\n".join(crawl.problems)


@pytest.mark.parametrize("username", PEOPLE)
def test_no_link_leads_to_a_refusal_but_the_known_ones(crawls, username):
    refused = {name: url for name, url in crawls[username].refused.items() if name not in REFUSED_LINKS}
    assert refused == {}


def test_the_kept_pages_read_only_rows_the_revisions_cover(crawls):
    """A kept page must be drawn anew whenever a row it shows changes: every table its
    queries read has a revision trigger (procurement.revisions) or is one listed above."""
    covered = {source.table for source in sources()} | set(NOT_A_CHANGE)
    for name in KEPT_VIEWS:
        read = set().union(*(crawl.tables.get(name, set()) for crawl in crawls.values()))
        assert read, name
        assert read - covered == set(), name


def test_the_crawl_reaches_the_main_screens(crawls):
    reached = set().union(*(crawl.views for crawl in crawls.values()))
    for name in [
        "dashboard", "my_tasks", "inbox", "notification_settings", "procurement_detail", "procurement_history",
        "tendering_specification", "tendering_library", "evaluation_page", "meeting_list", "benefit_plan",
    ]:
        assert name in reached, name


def test_in_english_no_page_fails_and_every_page_says_en(demo):
    crawl = crawl_as("koordinator", language="en", limit=80)
    assert len(crawl.pages) >= 20
    assert not crawl.problems, "\n".join(crawl.problems)


def _hostile_urls(path: str, name: str) -> list[str]:
    urls = [f"{path}?{urlencode({param: value})}" for param in [PAGE_PARAM, *PAGE_PARAMS.get(name, [])] for value in HOSTILE_NUMBERS]
    # Each id in the address in turn, too big for the database's integer columns.
    for number in re.finditer(r"/(\d+)(?=/)", path):
        urls.append(path[: number.start(1)] + TOO_BIG_ID + path[number.end(1):])
    return urls


def test_nonsense_page_numbers_and_ids_never_fail(crawls):
    client = Client()
    views: dict[str, tuple[str, str]] = {}
    for username, crawl in crawls.items():
        for name, path in crawl.views.items():
            views.setdefault(name, (username, path))
    asked = [(username, url) for name, (username, path) in views.items() for url in _hostile_urls(path, name)]
    asked += [("koordinator", f"{path}?{urlencode({param: value})}") for path, params in API_FILTERS.items()
              for param in params for value in HOSTILE_NUMBERS]
    people = {username: Person.objects.get(username=username) for username, _url in asked}
    problems = []
    for username, url in asked:
        client.force_login(people[username])
        try:
            status = client.get(url).status_code
        except Exception as exc:  # the test client re-raises a view's exception: that is a 500
            problems.append(f"{username} {url}: {type(exc).__name__}: {exc}")
            continue
        if status >= 500:
            problems.append(f"{username} {url}: {status}")
    assert len(views) >= 30
    assert not problems, "\n".join(problems)


class _Response:
    def __init__(self, status, body):
        self.status_code, self.content = status, body.encode()

    def get(self, header, default=None):
        return "text/html; charset=utf-8" if header == "Content-Type" else default


@pytest.mark.parametrize(
    "status, body, problem",
    [
        (200, '<html lang="nb"><body><p>{{ procurement.title }}</p></body></html>', "raw template syntax"),
        (200, '<html lang="nb"><table><tr><td> None </td></tr></table></html>', "a table cell shows 'None'"),
        (200, '<html lang="nb"><table><tr><td>nan</td></tr></table></html>', "a table cell shows 'nan'"),
        (200, '<html lang="en"><body></body></html>', "<html lang='en'>, expected 'nb'"),
        (404, "<html lang=\"nb\"><h1>Not Found</h1></html>", "404 is not one of our refusal pages"),
        (400, '<html lang="nb"></html>', "400 is not one of our refusal pages"),
    ],
)
def test_the_checks_see_what_they_look_for(status, body, problem):
    crawl = Crawl()
    _check("/x/", _Response(status, body), "nb", crawl)
    assert len(crawl.problems) == 1 and problem in crawl.problems[0]


def test_the_checks_leave_a_good_page_alone():
    crawl = Crawl()
    body = '<html lang="nb"><script>const t = "{{ x }}";</script><table><tr><td>None-of-them</td><td>0</td></tr></table></html>'
    links = _check("/x/", _Response(200, body), "nb", crawl)
    assert crawl.problems == [] and links is not None
