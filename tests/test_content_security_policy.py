"""The Content-Security-Policy allows nothing inline, so no page may depend on inline script,
inline event handlers or style attributes: a browser would silently ignore them. Every main
page is rendered through the test client (data set up through the services) and its HTML is
searched for the three, and each response must carry the policy."""
import re

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from procurement import phases
from procurement.services.intake import initiative_report, invitations_send, procurement_report
from tests.factories import PASSWORD, PersonFactory

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)


def inline_findings(page: str) -> list[str]:
    found = []
    for name, pattern in (
        ("inline <script>", INLINE_SCRIPT),
        ("event handler attribute", EVENT_HANDLER),
        ("style attribute", STYLE_ATTRIBUTE),
        ("<style> element", STYLE_ELEMENT),
    ):
        for match in pattern.finditer(page):
            found.append(f"{name}: …{page[max(match.start() - 60, 0):match.end() + 40]}…")
    return found


@pytest.mark.parametrize(
    "page",
    [
        '<script src="/static/js/app.js" defer></script>',
        '<script\n  id="x"\n  src="/static/admin/js/x.js"\n  data-y="1">\n</script>',
        '<button class="a" data-onclick="x">',
        "<p>Bruk on=off i teksten</p>",
    ],
)
def test_the_detector_lets_clean_html_through(page):
    assert inline_findings(page) == []


@pytest.mark.parametrize(
    "page",
    [
        "<script>alert(1)</script>",
        '<script type="module">x()</script>',
        '<button onclick="go()">',
        "<a href=x ONMOUSEOVER='go()'>",
        '<div style="display:none">',
        "<style>p{}</style>",
    ],
)
def test_the_detector_finds_inline_code(page):
    assert inline_findings(page)


@pytest.fixture
def pages(client, collaboration, make_procurement, advance_to):
    """(name, client, url, method, data, headers) of the main pages, with data behind them."""
    first, second, third = collaboration.municipalities
    in_intake = make_procurement(collaboration, title="Felles helseplattform", joined=[first], unanswered=[second, third])
    in_contract = make_procurement(collaboration, title="Velferdsteknologi", phase=phases.CONTRACT)
    in_needs = make_procurement(collaboration, title="Nytt arkivsystem", phase=phases.NEEDS)
    initiative = initiative_report(
        user=collaboration.representative(first), municipality=first, title="Chatbot", description="Til orientering."
    )
    reported = procurement_report(
        user=collaboration.representative(first),
        municipality=first,
        title="Nytt fagsystem",
        kind="replace",
        description="Går ut av støtte.",
        funding="action_plan",
    )
    invitations_send(user=collaboration.coordinator, procurement=reported, municipalities=[second], answer_deadline=in_intake.invitation_deadline)

    coordinator = Client()
    coordinator.force_login(collaboration.coordinator)
    member = Client()
    member.force_login(collaboration.representative(first))
    chief = Client()
    chief.force_login(collaboration.chief_executive(second))
    admin = Client()
    admin.force_login(PersonFactory(is_staff=True, is_superuser=True))
    anonymous = Client()
    csrf_checked = Client(enforce_csrf_checks=True)

    def detail(p):
        return reverse("procurement_detail", kwargs={"procurement_id": p.pk})

    return [
        ("login", anonymous, reverse("login"), "get", None, {}),
        ("login with errors", anonymous, reverse("login"), "post", {"username": "x", "password": "y"}, {}),
        ("dashboard", coordinator, reverse("dashboard"), "get", None, {}),
        ("dashboard htmx", coordinator, reverse("dashboard"), "get", {"phase": phases.NEEDS}, {"HTTP_HX_REQUEST": "true"}),
        ("my tasks", chief, reverse("my_tasks"), "get", None, {}),
        ("report need", member, reverse("report_need"), "get", None, {}),
        ("report need with errors", member, reverse("report_need"), "post", {"title": ""}, {}),
        ("initiative", member, reverse("initiative_detail", kwargs={"initiative_id": initiative.pk}), "get", None, {}),
        ("intake procurement", coordinator, detail(in_intake), "get", None, {}),
        ("procurement in needs", coordinator, detail(in_needs), "get", None, {}),
        ("procurement in contract", coordinator, detail(in_contract), "get", None, {}),
        ("history", coordinator, reverse("procurement_history", kwargs={"procurement_id": in_contract.pk}), "get", None, {}),
        ("invite", coordinator, reverse("procurement_invite", kwargs={"procurement_id": in_intake.pk}), "get", None, {}),
        (
            "answer",
            chief,
            reverse("invitation_answer", kwargs={"procurement_id": reported.pk, "municipality_id": second.pk}),
            "get",
            None,
            {},
        ),
        ("cost shares", coordinator, reverse("cost_shares", kwargs={"procurement_id": in_contract.pk}), "get", None, {}),
        (
            "cost shares with errors",
            coordinator,
            reverse("cost_shares", kwargs={"procurement_id": in_intake.pk}),
            "post",
            {"method": "custom", f"share_{first.pk}": "femti"},
            {},
        ),
        ("404", coordinator, "/finnes-ikke/", "get", None, {}),
        ("403", member, reverse("procurement_invite", kwargs={"procurement_id": in_intake.pk}), "get", None, {}),
        ("403 csrf", csrf_checked, reverse("login"), "post", {"username": "x", "password": PASSWORD}, {}),
        ("admin index", admin, reverse("admin:index"), "get", None, {}),
        ("admin procurements", admin, reverse("admin:procurement_procurement_changelist"), "get", None, {}),
        ("admin procurement", admin, reverse("admin:procurement_procurement_change", args=[in_needs.pk]), "get", None, {}),
    ]


def test_no_page_has_inline_script_handlers_or_styles(pages):
    problems = {}
    statuses = {}
    for name, client, url, method, data, headers in pages:
        response = getattr(client, method)(url, data or {}, **headers)
        statuses[name] = response.status_code
        page = response.content.decode()
        assert "<" in page, name
        if found := inline_findings(page):
            problems[name] = found
    assert problems == {}
    # The pages really rendered what they were meant to (not a redirect to the login page).
    assert statuses["login"] == statuses["dashboard"] == statuses["procurement in contract"] == 200
    assert statuses["404"] == 404 and statuses["403"] == 403 and statuses["403 csrf"] == 403
    assert all(code in (200, 400, 403, 404) for code in statuses.values()), statuses


def test_every_response_carries_the_policy_without_unsafe_inline(pages):
    for name, client, url, method, data, headers in pages:
        policy = getattr(client, method)(url, data or {}, **headers)["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, name
        for directive in ("script-src", "style-src", "font-src", "form-action"):
            assert directives[directive] == "'self'", (name, directive)
        assert directives["img-src"] in ("'self'", "'self' data:"), name
        assert directives["frame-ancestors"] == "'none'", name


@pytest.mark.parametrize("template", ["500.html", "403_csrf.html", "404.html", "403.html"])
def test_error_templates_have_nothing_inline(template):
    assert inline_findings(render_to_string(template, {})) == []


def test_base_layout_switches_off_htmx_inline_indicator_style(client, collaboration):
    client.force_login(collaboration.coordinator)
    page = client.get(reverse("dashboard")).content.decode()
    meta = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", page)
    assert meta, "htmx would inject an inline <style> for its indicators"
    import json

    assert json.loads(meta.group(1))["includeIndicatorStyles"] is False
    assert page.index('name="htmx-config"') < page.index("htmx.min.js")
    css = (settings.BASE_DIR / "static" / "css" / "app.css").read_text(encoding="utf-8")
    assert re.search(r"\.htmx-indicator\s*\{[^}]*opacity:\s*0", css)
    assert re.search(r"\.htmx-request\s+\.htmx-indicator", css)
